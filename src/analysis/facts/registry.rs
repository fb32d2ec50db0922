//! `input.registries[_]`: one registry as the rules see it.

use super::vocabulary::{ConnectionStatus, DefaultAction, EndpointKind, PublicNetworkAccess, Sku};
use serde::Serialize;

/// `input.registries[_]`.
#[derive(Debug, Clone, Serialize)]
pub struct RegistryFacts {
    /// ARM id as collected.
    pub id: String,
    /// Registry name.
    pub name: String,
    /// Resource group.
    pub resource_group: Option<String>,
    /// Subscription.
    pub subscription_id: Option<String>,
    /// Home region.
    pub location: String,
    /// SKU name.
    pub sku: Sku,
    /// Login server FQDN.
    pub login_server: Option<String>,
    /// `Enabled` / `Disabled` (ARM's default when absent: `Enabled`).
    pub public_network_access: PublicNetworkAccess,
    /// Firewall default action (`Allow` when absent).
    pub default_action: DefaultAction,
    /// Firewall IP rules (addresses or CIDRs).
    pub ip_rules: Vec<String>,
    /// `networkRuleBypassOptions == AzureServices` (ARM's default when absent).
    pub trusted_services_bypass: bool,
    /// `networkRuleBypassAllowedForTasks`: ACR Tasks with a system-assigned identity may pass the network rules.
    /// Null when the snapshot does not say (read before api-version 2025-11-01).
    pub tasks_bypass: Option<bool>,
    /// Dedicated data endpoints.
    pub data_endpoint_enabled: bool,
    /// Admin user enabled.
    pub admin_user_enabled: bool,
    /// Home region plus replica regions, lower-case.
    pub regions: Vec<String>,
    /// Connections as the registry lists them.
    pub private_endpoint_connections: Vec<PrivateEndpointConnectionFacts>,
    /// Private endpoints in the snapshot that target this registry.
    pub private_endpoints: Vec<PrivateEndpointFacts>,
    /// Service-endpoint subnet rules (`networkRuleSet.virtualNetworkRules`), subnet ids.
    pub virtual_network_rules: Vec<String>,
    /// Storage use from `listUsages` (`Size`), when read.
    pub storage_usage: Option<UsageFacts>,
    /// A records for the login server in any privatelink zone of the snapshot.
    pub private_dns_records: Vec<DnsRecordFacts>,
    /// Which endpoint serves layers, by how the client reaches the registry (paths and rules both read this).
    pub layer_endpoints: LayerEndpointFacts,
}

/// `input.registries[_].layer_endpoints`: where a pull fetches layers after the login server's redirect.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LayerEndpointFacts {
    /// For a client that reaches the registry through a private endpoint: `data`
    /// (`<registry>.<region>.data.<suffix>`, served by the endpoint's `registry_data_<region>` member, whether
    /// or not dedicated data endpoints are on); null when the registry has no private endpoint.
    pub private_endpoint: Option<EndpointKind>,
    /// For a client that reaches it over its public endpoint: `data` with dedicated data endpoints, `storage`
    /// (`*.blob.<suffix>`) without; null when public network access is disabled (no public client pulls).
    pub public: Option<EndpointKind>,
}

/// `input.registries[_].storage_usage`.
#[derive(Debug, Clone, Serialize)]
pub struct UsageFacts {
    /// Bytes used.
    pub current: f64,
    /// Bytes allowed.
    pub limit: f64,
    /// `current / limit`.
    pub ratio: f64,
}

/// `input.registries[_].private_dns_records[_]`.
#[derive(Debug, Clone, Serialize)]
pub struct DnsRecordFacts {
    /// Zone id.
    pub zone: String,
    /// Record set id.
    pub record: String,
    /// Addresses.
    pub addresses: Vec<String>,
    /// VNets (lower-cased ids) the zone is linked to.
    pub linked_vnets: Vec<String>,
}

/// `input.registries[_].private_endpoint_connections[_]`.
#[derive(Debug, Clone, Serialize)]
pub struct PrivateEndpointConnectionFacts {
    /// Connection id.
    pub id: String,
    /// The private endpoint id.
    pub private_endpoint_id: Option<String>,
    /// `Approved`, `Pending`, `Rejected`, `Disconnected` (`Unknown` when absent).
    pub status: ConnectionStatus,
    /// The approver's text.
    pub description: Option<String>,
}

/// `input.registries[_].private_endpoints[_]`.
#[derive(Debug, Clone, Serialize)]
pub struct PrivateEndpointFacts {
    /// Private endpoint id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Its subnet.
    pub subnet_id: Option<String>,
    /// Its VNet (derived from the subnet id).
    pub vnet_id: Option<String>,
    /// Connection state as the endpoint sees it.
    pub status: ConnectionStatus,
}
