//! The typed domain: lenient serde views over ARM JSON, and [`Model`], which indexes them by lower-cased id.
//!
//! The views keep only the fields acr-audit reasons about; unknown fields are dropped at parse time, so the
//! model is smaller than the file it came from. Nothing here talks to Azure or knows about rules.

mod authorization;
mod common;
mod compute;
mod dns;
mod index;
mod network;
mod registry;
mod resources;
mod service_tags;

pub use authorization::{
    Permission, RoleAssignment, RoleAssignmentProperties, RoleDefinition, RoleDefinitionProperties,
};
pub use common::{id_key, parse_resource_id, vnet_key_of_subnet, AddressSpace, ResourceIdParts, SubResource};
pub use compute::{
    AgentPoolProfile, ContainerServiceNetworkProfile, LoadBalancerProfile, ManagedCluster, ManagedClusterProperties,
    ServicePrincipalProfile, UserAssignedIdentityRef, VirtualMachineScaleSet, VmssIdentity,
};
pub use dns::{
    ARecord, ARecordSet, ARecordSetProperties, PrivateDnsZone, VirtualNetworkLink, VirtualNetworkLinkProperties,
};
pub use index::{Model, SubnetRef};
pub use network::{
    CustomDnsConfig, DhcpOptions, NatGateway, NetworkInterface, NetworkSecurityGroup, PrivateEndpoint,
    PrivateLinkConnectionProperties, PrivateLinkServiceConnection, PublicIpAddress, Route, RouteTable, SecurityRule,
    SecurityRuleProperties, ServiceEndpoint, Subnet, SubnetProperties, VirtualNetwork, VirtualNetworkPeering,
    VirtualNetworkPeeringProperties,
};
pub use registry::{
    ConnectionState, IpRule, NetworkRuleSet, Registry, RegistryPrivateEndpointConnection, RegistryProperties,
    RegistryUsage, Replication, Sku,
};
pub use resources::Provider;
pub use service_tags::{ServiceTag, ServiceTagProperties, ServiceTagsList};
