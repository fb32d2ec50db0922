//! Lenient views of the clients: AKS managed clusters and the VM scale sets and VMs of their node pools.

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
    /// `VirtualMachineScaleSets`, `AvailabilitySet` or `VirtualMachines`: where the nodes live in the node
    /// resource group.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Each node gets an instance-level public IP, which is then its egress address.
    #[serde(rename = "enableNodePublicIP")]
    pub enable_node_public_ip: Option<bool>,
    /// The public IP prefix the node public IPs are taken from.
    #[serde(rename = "nodePublicIPPrefixID")]
    pub node_public_ip_prefix_id: Option<String>,
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
    /// Properties.
    #[serde(default)]
    pub properties: VmssProperties,
}

/// `properties` of a VMSS.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct VmssProperties {
    /// The model every instance is built from.
    pub virtual_machine_profile: Option<VmssVirtualMachineProfile>,
}

/// `virtualMachineProfile` of a VMSS.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct VmssVirtualMachineProfile {
    /// The instances' NICs.
    pub network_profile: Option<VmssNetworkProfile>,
}

/// `virtualMachineProfile.networkProfile` of a VMSS.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct VmssNetworkProfile {
    /// One entry per NIC every instance gets.
    pub network_interface_configurations: Vec<VmssNicConfiguration>,
}

/// A NIC configuration of a VMSS.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default)]
pub struct VmssNicConfiguration {
    /// Name.
    pub name: String,
    /// Properties.
    pub properties: VmssNicConfigurationProperties,
}

/// `properties` of a VMSS NIC configuration.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct VmssNicConfigurationProperties {
    /// IP configurations.
    pub ip_configurations: Vec<VmssIpConfiguration>,
}

/// An IP configuration of a VMSS NIC configuration.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default)]
pub struct VmssIpConfiguration {
    /// Name.
    pub name: String,
    /// Properties.
    pub properties: VmssIpConfigurationProperties,
}

/// `properties` of a VMSS IP configuration.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct VmssIpConfigurationProperties {
    /// The subnet every instance's NIC sits in.
    pub subnet: Option<SubResource>,
    /// Set when every instance gets its own public IP.
    #[serde(rename = "publicIPAddressConfiguration")]
    pub public_ip_address_configuration: Option<VmssPublicIpAddressConfiguration>,
    /// `IPv4` (default) or `IPv6`.
    #[serde(rename = "privateIPAddressVersion")]
    pub private_ip_address_version: Option<String>,
}

/// `publicIPAddressConfiguration` of a VMSS IP configuration.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default)]
pub struct VmssPublicIpAddressConfiguration {
    /// Name.
    pub name: String,
    /// Properties.
    pub properties: VmssPublicIpAddressConfigurationProperties,
}

/// `properties` of a VMSS public IP configuration.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct VmssPublicIpAddressConfigurationProperties {
    /// The prefix the instances' addresses are taken from.
    #[serde(rename = "publicIPPrefix")]
    pub public_ip_prefix: Option<SubResource>,
    /// `IPv4` (default) or `IPv6`.
    #[serde(rename = "publicIPAddressVersion")]
    pub public_ip_address_version: Option<String>,
}

/// `Microsoft.Compute/virtualMachines` in a node resource group: the nodes of `VirtualMachines` node pools and
/// of node auto-provisioning.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct VirtualMachine {
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
    /// Properties.
    #[serde(default)]
    pub properties: VirtualMachineProperties,
}

/// `properties` of a VM.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct VirtualMachineProperties {
    /// The VM's NICs.
    pub network_profile: Option<VirtualMachineNetworkProfile>,
}

/// `networkProfile` of a VM.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct VirtualMachineNetworkProfile {
    /// NIC references (`Microsoft.Network/networkInterfaces`, read per subscription).
    pub network_interfaces: Vec<SubResource>,
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
