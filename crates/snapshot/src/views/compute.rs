//! Lenient views of the clients: AKS managed clusters and the VM scale sets of their node pools.

use super::common::SubResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `Microsoft.ContainerService/managedClusters` (api-version 2024-09-01).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct ManagedCluster {
    /// ARM id.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Region.
    #[serde(default)]
    pub location: String,
    /// Properties.
    #[serde(default)]
    pub properties: ManagedClusterProperties,
}

/// `properties` of a managed cluster.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ManagedClusterProperties {
    /// Identities by role; `kubeletidentity` pulls images.
    pub identity_profile: BTreeMap<String, UserAssignedIdentityRef>,
    /// `clientId` is `msi` when the cluster uses managed identities.
    pub service_principal_profile: Option<ServicePrincipalProfile>,
    /// Node pools.
    pub agent_pool_profiles: Vec<AgentPoolProfile>,
    /// Resource group holding the node VMSS.
    pub node_resource_group: Option<String>,
    /// Egress configuration.
    pub network_profile: Option<ContainerServiceNetworkProfile>,
}

/// An entry of `identityProfile`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct UserAssignedIdentityRef {
    /// Principal object id (what role assignments name).
    pub object_id: Option<String>,
    /// Application (client) id.
    pub client_id: Option<String>,
    /// The identity's ARM id.
    pub resource_id: Option<String>,
}

/// `servicePrincipalProfile`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ServicePrincipalProfile {
    /// Application id, or `msi`.
    pub client_id: Option<String>,
}

/// A node pool.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct AgentPoolProfile {
    /// Pool name.
    pub name: String,
    /// Node subnet (absent for kubenet-managed VNets).
    #[serde(rename = "vnetSubnetID")]
    pub vnet_subnet_id: Option<String>,
    /// Node count.
    pub count: Option<u32>,
    /// `System` / `User`.
    pub mode: Option<String>,
}

/// `networkProfile` of a cluster.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerServiceNetworkProfile {
    /// `loadBalancer`, `userDefinedRouting`, `managedNATGateway`, `userAssignedNATGateway`.
    pub outbound_type: Option<String>,
    /// Load-balancer egress.
    pub load_balancer_profile: Option<LoadBalancerProfile>,
}

/// `loadBalancerProfile`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct LoadBalancerProfile {
    /// The public IPs actually used for egress.
    #[serde(rename = "effectiveOutboundIPs")]
    pub effective_outbound_ips: Vec<SubResource>,
}

/// `Microsoft.Compute/virtualMachineScaleSets`, only what tells which identities the nodes carry.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct VirtualMachineScaleSet {
    /// ARM id.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Identities.
    #[serde(default)]
    pub identity: Option<VmssIdentity>,
    /// Tags (`aks-managed-poolName`).
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// `identity` of a VMSS.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct VmssIdentity {
    /// `SystemAssigned`, `UserAssigned`, both.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Keys are identity resource ids.
    pub user_assigned_identities: BTreeMap<String, serde_json::Value>,
}
