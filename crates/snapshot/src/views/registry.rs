//! Lenient views of `Microsoft.ContainerRegistry/registries` and its children (replications, usages).

use super::common::SubResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A container registry as `GET .../registries` returns it (api-version 2025-11-01, the first stable one with
/// `roleAssignmentMode`).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Registry {
    /// ARM id.
    pub id: String,
    /// Registry name.
    #[serde(default)]
    pub name: String,
    /// Home region.
    #[serde(default)]
    pub location: String,
    /// SKU (`Basic`, `Standard`, `Premium`).
    #[serde(default)]
    pub sku: Sku,
    /// Registry properties.
    #[serde(default)]
    pub properties: RegistryProperties,
}

/// `sku`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default)]
pub struct Sku {
    /// `Basic`, `Standard` or `Premium`.
    pub name: String,
}

/// `properties` of a registry.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct RegistryProperties {
    /// e.g. `contoso.azurecr.io`.
    pub login_server: Option<String>,
    /// `Enabled` / `Disabled`.
    pub public_network_access: Option<String>,
    /// Registry firewall.
    pub network_rule_set: Option<NetworkRuleSet>,
    /// `AzureServices` / `None`.
    pub network_rule_bypass_options: Option<String>,
    /// Dedicated data endpoints on.
    pub data_endpoint_enabled: Option<bool>,
    /// e.g. `contoso.eastus.data.azurecr.io`.
    pub data_endpoint_host_names: Vec<String>,
    /// Private endpoint connections, with their approval state.
    pub private_endpoint_connections: Vec<RegistryPrivateEndpointConnection>,
    /// Admin user (shared credentials) enabled.
    pub admin_user_enabled: Option<bool>,
    /// `AbacRepositoryPermissions` or `LegacyRegistryPermissions` (ARM's default): which roles grant pulls.
    /// Absent in snapshots read at an api-version before 2025-11-01.
    pub role_assignment_mode: Option<String>,
    /// Whether ACR Tasks using their system-assigned identity may bypass the network rules (since June 2025
    /// the trusted-services bypass no longer admits them). Absent before api-version 2025-11-01.
    pub network_rule_bypass_allowed_for_tasks: Option<bool>,
}

/// `networkRuleSet`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct NetworkRuleSet {
    /// `Allow` / `Deny`.
    pub default_action: Option<String>,
    /// Allowed public IPs or CIDRs.
    pub ip_rules: Vec<IpRule>,
    /// Service-endpoint subnet rules (preview api-versions; not in the 2025-11-01 stable schema).
    pub virtual_network_rules: Vec<VirtualNetworkRule>,
}

/// One `ipRules` entry.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct IpRule {
    /// Always `Allow`.
    pub action: Option<String>,
    /// An IPv4 address or CIDR.
    pub value: String,
}

/// One `virtualNetworkRules` entry.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct VirtualNetworkRule {
    /// Always `Allow`.
    pub action: Option<String>,
    /// The subnet id.
    pub id: String,
}

/// A private endpoint connection as embedded in the registry.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default)]
pub struct RegistryPrivateEndpointConnection {
    /// Connection id.
    pub id: String,
    /// Connection properties.
    pub properties: RegistryPrivateEndpointConnectionProperties,
}

/// `properties` of a registry private endpoint connection.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct RegistryPrivateEndpointConnectionProperties {
    /// The private endpoint.
    pub private_endpoint: Option<SubResource>,
    /// Approval state.
    pub private_link_service_connection_state: Option<ConnectionState>,
}

/// `privateLinkServiceConnectionState`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ConnectionState {
    /// `Approved`, `Pending`, `Rejected`, `Disconnected`.
    pub status: Option<String>,
    /// Free text from the approver.
    pub description: Option<String>,
}

/// A geo-replication (`GET {registry}/replications`).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Replication {
    /// ARM id.
    #[serde(default)]
    pub id: String,
    /// Region of the replica.
    #[serde(default)]
    pub location: String,
    /// Replication properties.
    #[serde(default)]
    pub properties: ReplicationProperties,
}

/// `properties` of a replication.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ReplicationProperties {
    /// Whether the regional endpoint takes traffic.
    pub region_endpoint_enabled: Option<bool>,
}

/// One entry of `GET {registry}/listUsages`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct RegistryUsage {
    /// e.g. `Size`, `Webhooks`.
    pub name: String,
    /// The quota.
    pub limit: Option<f64>,
    /// Current use.
    pub current_value: Option<f64>,
    /// `Count` or `Bytes`.
    pub unit: Option<String>,
}
