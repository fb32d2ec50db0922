//! Lenient views of the `Microsoft.Network` resources on the path from a client to a registry: VNets with
//! subnets and peerings, NSGs, route tables, NICs, private endpoints, public IPs and NAT gateways.
//!
//! Fields the analysis cannot do without (an NSG rule's priority, access, direction, protocol) are required,
//! so a snapshot missing them is refused with the JSON path, rather than evaluated wrongly.

use super::common::{AddressSpace, SubResource};
use super::registry::ConnectionState;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `Microsoft.Network/virtualNetworks`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct VirtualNetwork {
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
    pub properties: VirtualNetworkProperties,
}

/// `properties` of a VNet.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct VirtualNetworkProperties {
    /// Address space.
    pub address_space: AddressSpace,
    /// Custom DNS servers; empty means Azure-provided DNS.
    pub dhcp_options: Option<DhcpOptions>,
    /// Subnets, embedded.
    pub subnets: Vec<Subnet>,
    /// Peerings, embedded.
    pub virtual_network_peerings: Vec<VirtualNetworkPeering>,
}

/// `dhcpOptions`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct DhcpOptions {
    /// Custom DNS server IPs.
    pub dns_servers: Vec<String>,
}

/// A subnet, as embedded in its VNet.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default)]
pub struct Subnet {
    /// ARM id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Properties.
    pub properties: SubnetProperties,
}

/// `properties` of a subnet.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct SubnetProperties {
    /// Single prefix.
    pub address_prefix: Option<String>,
    /// Multiple prefixes (newer subnets).
    pub address_prefixes: Vec<String>,
    /// Subnet NSG.
    pub network_security_group: Option<SubResource>,
    /// Subnet route table.
    pub route_table: Option<SubResource>,
    /// NAT gateway for egress.
    pub nat_gateway: Option<SubResource>,
    /// Service endpoints (`Microsoft.ContainerRegistry`, `Microsoft.Storage`).
    pub service_endpoints: Vec<ServiceEndpoint>,
    /// `Enabled` / `Disabled` / `NetworkSecurityGroupEnabled` / `RouteTableEnabled`.
    pub private_endpoint_network_policies: Option<String>,
    /// Every IP configuration in the subnet, by id (NICs, load balancer frontends, gateways; ARM omits the list
    /// when the subnet holds none, as in `VirtualNetworkGetWithSubnetDelegation.json`). The DNS chain reads it
    /// to tell an address nothing holds from one held by a resource the snapshot does not read.
    pub ip_configurations: Vec<SubResource>,
}

/// One `serviceEndpoints` entry.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default)]
pub struct ServiceEndpoint {
    /// e.g. `Microsoft.ContainerRegistry`.
    pub service: String,
    /// Regions.
    pub locations: Vec<String>,
}

/// A VNet peering, as embedded in its VNet.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default)]
pub struct VirtualNetworkPeering {
    /// ARM id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Properties.
    pub properties: VirtualNetworkPeeringProperties,
}

/// `properties` of a peering.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct VirtualNetworkPeeringProperties {
    /// The other VNet.
    pub remote_virtual_network: Option<SubResource>,
    /// `Initiated`, `Connected`, `Disconnected`.
    pub peering_state: Option<String>,
    /// `FullyInSync`, `RemoteNotInSync`, `LocalNotInSync`, `LocalAndRemoteNotInSync`.
    pub peering_sync_level: Option<String>,
    /// The remote VNet's address space as this side sees it.
    pub remote_address_space: Option<AddressSpace>,
    /// Forwarded traffic accepted.
    pub allow_forwarded_traffic: Option<bool>,
    /// Uses the remote VNet's gateway.
    pub use_remote_gateways: Option<bool>,
    /// VNet-to-VNet access allowed.
    pub allow_virtual_network_access: Option<bool>,
}

/// `Microsoft.Network/networkSecurityGroups`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct NetworkSecurityGroup {
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
    pub properties: NetworkSecurityGroupProperties,
}

/// `properties` of an NSG.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct NetworkSecurityGroupProperties {
    /// User rules.
    pub security_rules: Vec<SecurityRule>,
    /// The six default rules (65000+).
    pub default_security_rules: Vec<SecurityRule>,
}

/// An NSG rule.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct SecurityRule {
    /// ARM id.
    #[serde(default)]
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Properties.
    pub properties: SecurityRuleProperties,
}

/// `properties` of an NSG rule. `protocol`, `access`, `priority` and `direction` are required.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SecurityRuleProperties {
    /// `Tcp`, `Udp`, `Icmp`, `Esp`, `Ah`, `*`.
    pub protocol: String,
    /// Single source port range.
    #[serde(default)]
    pub source_port_range: Option<String>,
    /// Source port ranges.
    #[serde(default)]
    pub source_port_ranges: Vec<String>,
    /// Single destination port range (`443`, `1000-2000`, `*`).
    #[serde(default)]
    pub destination_port_range: Option<String>,
    /// Destination port ranges.
    #[serde(default)]
    pub destination_port_ranges: Vec<String>,
    /// Single source prefix or service tag.
    #[serde(default)]
    pub source_address_prefix: Option<String>,
    /// Source prefixes or tags.
    #[serde(default)]
    pub source_address_prefixes: Vec<String>,
    /// Single destination prefix or service tag.
    #[serde(default)]
    pub destination_address_prefix: Option<String>,
    /// Destination prefixes or tags.
    #[serde(default)]
    pub destination_address_prefixes: Vec<String>,
    /// Source ASGs.
    #[serde(default)]
    pub source_application_security_groups: Vec<SubResource>,
    /// Destination ASGs.
    #[serde(default)]
    pub destination_application_security_groups: Vec<SubResource>,
    /// `Allow` / `Deny`.
    pub access: String,
    /// 100..4096 for user rules, 65000+ for default rules.
    pub priority: u32,
    /// `Inbound` / `Outbound`.
    pub direction: String,
}

/// `Microsoft.Network/routeTables`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct RouteTable {
    /// ARM id.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Properties.
    #[serde(default)]
    pub properties: RouteTableProperties,
}

/// `properties` of a route table.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct RouteTableProperties {
    /// BGP routes suppressed.
    pub disable_bgp_route_propagation: Option<bool>,
    /// User-defined routes.
    pub routes: Vec<Route>,
}

/// A user-defined route.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct Route {
    /// ARM id.
    #[serde(default)]
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Properties.
    pub properties: RouteProperties,
}

/// `properties` of a route. `addressPrefix` is a CIDR or a service tag; `nextHopType` is required.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RouteProperties {
    /// CIDR or service tag.
    #[serde(default)]
    pub address_prefix: Option<String>,
    /// `VirtualNetworkGateway`, `VnetLocal`, `Internet`, `VirtualAppliance`, `None`.
    pub next_hop_type: String,
    /// The appliance IP for `VirtualAppliance`.
    #[serde(default)]
    pub next_hop_ip_address: Option<String>,
}

/// `Microsoft.Network/networkInterfaces`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct NetworkInterface {
    /// ARM id.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Properties.
    #[serde(default)]
    pub properties: NetworkInterfaceProperties,
}

/// `properties` of a NIC.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct NetworkInterfaceProperties {
    /// NIC-level NSG.
    pub network_security_group: Option<SubResource>,
    /// Set when the NIC belongs to a private endpoint.
    pub private_endpoint: Option<SubResource>,
    /// The VM, if any.
    pub virtual_machine: Option<SubResource>,
    /// IP configurations.
    pub ip_configurations: Vec<NicIpConfiguration>,
}

/// A NIC IP configuration.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default)]
pub struct NicIpConfiguration {
    /// Name.
    pub name: String,
    /// Properties.
    pub properties: NicIpConfigurationProperties,
}

/// `properties` of a NIC IP configuration.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct NicIpConfigurationProperties {
    /// Private IP.
    #[serde(rename = "privateIPAddress")]
    pub private_ip_address: Option<String>,
    /// Subnet.
    pub subnet: Option<SubResource>,
    /// ASG membership.
    pub application_security_groups: Vec<SubResource>,
    /// Instance-level public IP.
    #[serde(rename = "publicIPAddress")]
    pub public_ip_address: Option<SubResource>,
    /// For private endpoint NICs: which FQDNs this IP serves.
    pub private_link_connection_properties: Option<PrivateLinkConnectionProperties>,
}

/// `privateLinkConnectionProperties` of a private endpoint NIC IP configuration.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct PrivateLinkConnectionProperties {
    /// `registry`.
    pub group_id: Option<String>,
    /// `registry`, `registry_data_eastus`.
    pub required_member_name: Option<String>,
    /// e.g. `contoso.azurecr.io`, `contoso.eastus.data.azurecr.io`.
    pub fqdns: Vec<String>,
}

/// `Microsoft.Network/privateEndpoints`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct PrivateEndpoint {
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
    pub properties: PrivateEndpointProperties,
}

/// `properties` of a private endpoint.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct PrivateEndpointProperties {
    /// The subnet it sits in.
    pub subnet: Option<SubResource>,
    /// Its NICs.
    pub network_interfaces: Vec<SubResource>,
    /// Auto-approved connections.
    pub private_link_service_connections: Vec<PrivateLinkServiceConnection>,
    /// Manually approved connections.
    pub manual_private_link_service_connections: Vec<PrivateLinkServiceConnection>,
    /// FQDN to IP, as the endpoint reports it.
    pub custom_dns_configs: Vec<CustomDnsConfig>,
}

/// A private link service connection.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default)]
pub struct PrivateLinkServiceConnection {
    /// Connection id.
    pub id: String,
    /// Properties.
    pub properties: PrivateLinkServiceConnectionProperties,
}

/// `properties` of a private link service connection.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct PrivateLinkServiceConnectionProperties {
    /// The target resource (the registry).
    pub private_link_service_id: Option<String>,
    /// `registry`.
    pub group_ids: Vec<String>,
    /// Approval state.
    pub private_link_service_connection_state: Option<ConnectionState>,
}

/// `customDnsConfigs` entry.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct CustomDnsConfig {
    /// FQDN.
    pub fqdn: Option<String>,
    /// IPs.
    pub ip_addresses: Vec<String>,
}

/// `Microsoft.Network/publicIPAddresses`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct PublicIpAddress {
    /// ARM id.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Properties.
    #[serde(default)]
    pub properties: PublicIpAddressProperties,
}

/// `properties` of a public IP.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct PublicIpAddressProperties {
    /// The address, once allocated.
    pub ip_address: Option<String>,
}

/// `Microsoft.Network/natGateways`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct NatGateway {
    /// ARM id.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Properties.
    #[serde(default)]
    pub properties: NatGatewayProperties,
}

/// `properties` of a NAT gateway.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct NatGatewayProperties {
    /// Egress public IPs.
    pub public_ip_addresses: Vec<SubResource>,
    /// Egress public IP prefixes (`publicIpPrefixes`, as the published NatGatewayList examples spell it): every
    /// address in them is an egress address.
    pub public_ip_prefixes: Vec<SubResource>,
}

/// `Microsoft.Network/publicIPPrefixes`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct PublicIpPrefix {
    /// ARM id.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Properties.
    #[serde(default)]
    pub properties: PublicIpPrefixProperties,
}

/// `properties` of a public IP prefix.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct PublicIpPrefixProperties {
    /// The allocated prefix (CIDR), once allocated.
    pub ip_prefix: Option<String>,
    /// `IPv4` / `IPv6`.
    #[serde(rename = "publicIPAddressVersion")]
    pub public_ip_address_version: Option<String>,
}
