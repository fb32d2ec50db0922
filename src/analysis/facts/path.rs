//! `input.paths[_]`: one client subnet × registry endpoint, hop by hop.

use super::pair::{PeeringFacts, TransitFacts};
use super::vocabulary::{
    Access, AddressFamily, AzureFirewallVerdict, BlockedAt, Coverage, DestinationKind, Direction, DnsAnswer,
    DnsResponder, DnsStatus, EndpointKind, EndpointService, FirewallRuleKind, FirewallVerdict, NextHopType, NsgLevel,
    NsgPathVerdict, NsgVerdictKind, Reachable, RouteOrigin,
};
use serde::Serialize;

/// One endpoint of a registry.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Endpoint {
    /// `login`, `data` (dedicated data endpoint) or `storage` (the registry's storage account).
    pub kind: EndpointKind,
    /// The name clients resolve (`*.blob.core.windows.net` for storage).
    pub fqdn: String,
    /// Region served.
    pub region: String,
    /// Record name in the private link zone (`contoso`, `contoso.eastus.data`); none for storage.
    pub private_link_record: Option<String>,
    /// Service tag covering the public side: `AzureContainerRegistry` or `Storage` (regional form resolved later).
    pub service: EndpointService,
}

/// DNS facts of one endpoint from one client VNet.
#[derive(Debug, Clone, Serialize)]
pub struct DnsFacts {
    /// What the client gets: `private` (a linked zone has the record), `nxdomain` (linked zone, no record),
    /// `public` (no linked zone, or the link falls back to public resolution), `unknown` (a zone the answer
    /// depends on could not be read), `not_applicable` (storage endpoints, which acr-audit does not resolve
    /// privately).
    pub status: DnsStatus,
    /// Where that answer comes from: `private_record`, `public_fallback`, `nxdomain`, `public`, `unknown`,
    /// `not_applicable`.
    pub answer: DnsAnswer,
    /// Custom DNS servers of the client VNet (`dhcpOptions.dnsServers`); non-empty means the answer comes from
    /// the chains in `chains`.
    pub custom_dns_servers: Vec<String>,
    /// The VNet whose Azure DNS gave the answer: the client VNet without custom servers, the VNet at the end of
    /// the custom DNS chain otherwise; null when no chain reached Azure DNS or the chains disagree.
    pub resolved_in: Option<String>,
    /// One chain per way a query can go from the client VNet's custom DNS servers to an answer (empty without
    /// custom servers): each client DNS server, and each server a firewall's proxy picks among.
    pub chains: Vec<DnsChain>,
    /// The linked privatelink zone, if any.
    pub zone: Option<String>,
    /// The virtual network link of that zone to the client VNet.
    pub link: Option<String>,
    /// Zones the answer depends on that could not be read (status `unknown`).
    pub unread_zones: Vec<String>,
    /// Why the status is `unknown`: which zone, why, and which permission reads it.
    pub cause: Option<String>,
    /// The A record set, if any.
    pub record: Option<String>,
    /// Addresses the record holds.
    pub addresses: Vec<String>,
    /// Addresses the registry's private endpoints serve for this name.
    pub expected_addresses: Vec<String>,
    /// The record holds none of the expected addresses.
    pub stale: bool,
}

/// One way a query goes from a client VNet's DNS server to an answer, hop by hop.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DnsChain {
    /// The client VNet's DNS server the chain starts at.
    pub server: String,
    /// Each server asked, in order.
    pub hops: Vec<DnsChainHop>,
    /// The chain's answer: `private`, `nxdomain`, `public`, `unknown` or `no_answer`.
    pub status: DnsStatus,
    /// Where that answer comes from (as `DnsFacts.answer`).
    pub answer: DnsAnswer,
    /// The VNet whose Azure DNS answered at the end of the chain.
    pub resolved_in: Option<String>,
    /// The linked privatelink zone that answered there, if any.
    pub zone: Option<String>,
    /// Addresses of the answer (private answers).
    pub addresses: Vec<String>,
    /// Why the chain's answer is `unknown` or `no_answer`.
    pub cause: Option<String>,
}

/// One server of a DNS chain: what answers at its address and what it did with the query.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DnsChainHop {
    /// The address asked.
    pub server: String,
    /// `resolver_inbound`, `firewall_proxy`, `dns_vm`, `unknown` or `nothing`.
    pub responder: DnsResponder,
    /// The resolver inbound endpoint, firewall or NIC at the address.
    pub resource: Option<String>,
    /// The resolver, or the firewall policy whose DNS settings apply.
    pub configured_by: Option<String>,
    /// The VNet where this server resolves through Azure DNS (its zone links and linked rulesets apply).
    pub vnet: Option<String>,
    /// The forwarding rule that sent the query on (a ruleset linked to `vnet`).
    pub forwarding_rule: Option<String>,
    /// The rule's domain (`azurecr.io.`, `privatelink.azurecr.io.`).
    pub forwarding_domain: Option<String>,
    /// Where the query went next: the rule's targets, or the firewall proxy's servers.
    pub forwarded_to: Vec<String>,
    /// The privatelink zone linked to `vnet` that answered, when this hop resolved.
    pub zone: Option<String>,
    /// That zone's link to `vnet`.
    pub link: Option<String>,
    /// What acr-audit assumed or could not know here.
    pub note: Option<String>,
}

/// Where the traffic is headed after DNS.
#[derive(Debug, Clone, Serialize)]
pub struct DestinationFacts {
    /// `private_ip`, `service_tag`, `none` (the name does not resolve) or `unknown` (a tag the snapshot lacks).
    pub kind: DestinationKind,
    /// The service tag, for public destinations.
    pub service_tag: Option<String>,
    /// Number of addresses.
    pub addresses: u64,
    /// Up to five prefixes.
    pub examples: Vec<String>,
}

/// One next hop carrying part of the destination.
#[derive(Debug, Clone, Serialize)]
pub struct RouteHop {
    /// `VnetLocal`, `VNetPeering`, `Internet`, `VirtualAppliance`, `VirtualNetworkGateway`, `None`,
    /// `InterfaceEndpoint` (a private endpoint's host route).
    pub next_hop_type: NextHopType,
    /// Appliance IP.
    pub next_hop_ip: Option<String>,
    /// Route id (user), the private endpoint's id (its host route), the peering's id, or `system:<name>`.
    pub route: String,
    /// Route name.
    pub route_name: String,
    /// Prefix as written (CIDR or service tag).
    pub address_prefix: String,
    /// `system`, `user`, `user_service_tag`.
    pub origin: RouteOrigin,
    /// `all` of the destination, or `some`.
    pub coverage: Coverage,
    /// Addresses carried.
    pub addresses: u64,
    /// Up to five prefixes carried.
    pub examples: Vec<String>,
}

/// Routing facts of a path.
#[derive(Debug, Clone, Serialize)]
pub struct RouteFacts {
    /// The client subnet's route table.
    pub route_table: Option<String>,
    /// Next hops, each with the part of the destination it carries.
    pub hops: Vec<RouteHop>,
    /// Route prefixes whose effect could not be resolved: a service tag the snapshot lacks, or a user route that
    /// may invalidate a private endpoint's host route when the endpoint subnet's network policy is unknown.
    pub unresolved: Vec<String>,
}

/// One rule that decided part of the destination.
#[derive(Debug, Clone, Serialize)]
pub struct DecidingRule {
    /// Rule id.
    pub id: String,
    /// Rule name.
    pub name: String,
    /// Priority.
    pub priority: u32,
    /// `Allow` / `Deny`.
    pub access: Access,
    /// A default rule (65000+).
    pub default: bool,
    /// How many destination addresses it decided.
    pub addresses: u64,
    /// Up to five of the prefixes it decided.
    pub examples: Vec<String>,
}

/// An NSG's verdict on a flow.
#[derive(Debug, Clone, Serialize)]
pub struct NsgVerdict {
    /// NSG id.
    pub nsg: String,
    /// NSG name.
    pub name: String,
    /// `Outbound` / `Inbound`.
    pub direction: Direction,
    /// `allow`, `deny` or `partial`.
    pub verdict: NsgVerdictKind,
    /// A rule that could not be resolved preceded a deciding rule.
    pub uncertain: bool,
    /// Rules that could not be resolved.
    pub unresolved_rules: Vec<String>,
    /// Rules that decided, in priority order.
    pub deciding_rules: Vec<DecidingRule>,
    /// Denied part (up to five prefixes).
    pub denied_examples: Vec<String>,
    /// Size of the denied part.
    pub denied_addresses: u64,
}

/// NSG facts of a path.
#[derive(Debug, Clone, Serialize)]
pub struct NsgPathFacts {
    /// `allow`, `deny`, `partial`, or `none` (no NSG on the path).
    pub verdict: NsgPathVerdict,
    /// Some verdict depended on a rule that could not be resolved.
    pub uncertain: bool,
    /// Each NSG on the path with its verdict: `level` is `client_nic`, `client_subnet` or `endpoint_subnet`.
    pub evaluations: Vec<LevelVerdict>,
    /// Up to five denied prefixes over all NSGs.
    pub denied_examples: Vec<String>,
    /// Denied addresses over all NSGs.
    pub denied_addresses: u64,
}

/// An NSG verdict with where the NSG sits.
#[derive(Debug, Clone, Serialize)]
pub struct LevelVerdict {
    /// `client_nic`, `client_subnet` or `endpoint_subnet`.
    pub level: NsgLevel,
    /// The verdict.
    #[serde(flatten)]
    pub verdict: NsgVerdict,
}

/// The private endpoint a private path lands on.
#[derive(Debug, Clone, Serialize)]
pub struct PrivateEndpointHop {
    /// Private endpoint id.
    pub id: String,
    /// Its subnet.
    pub subnet: Option<String>,
    /// Its VNet.
    pub vnet: Option<String>,
    /// Its connection state towards the registry.
    pub status: super::vocabulary::ConnectionStatus,
    /// How the VNet the traffic comes from reaches it: the client VNet's, or with `transit`, the appliance VNet's.
    pub peering: PeeringFacts,
    /// Set when the client subnet's routes send the endpoint's address to a virtual appliance (a hub firewall):
    /// the traffic reaches the endpoint from the appliance's VNet, so `peering` is that VNet's.
    pub transit: Option<TransitFacts>,
}

/// The registry firewall on the path.
#[derive(Debug, Clone, Serialize)]
pub struct FirewallFacts {
    /// `allowed`, `blocked`, `unknown`, `not_applicable` (private path: IP rules do not apply).
    pub verdict: FirewallVerdict,
    /// Why.
    pub reason: String,
    /// The client's egress public IPs.
    pub egress_ips: Vec<String>,
    /// Egress IPs no `ipRules` entry covers.
    pub uncovered_ips: Vec<String>,
    /// The client's egress public IP ranges (CIDR).
    pub egress_prefixes: Vec<String>,
    /// Egress ranges not wholly inside the `ipRules` (partly covered ranges included).
    pub uncovered_prefixes: Vec<String>,
    /// Egress addresses and ranges of an IP family the registry's public endpoint does not serve (IPv6 towards
    /// an IPv4 endpoint): not used for this connection, so not judged.
    pub other_family: Vec<String>,
}

/// The Azure Firewall rule that decided a path (or one that allowed it).
#[derive(Debug, Clone, Serialize)]
pub struct FirewallRuleFacts {
    /// The firewall policy defining it; null for classic rules.
    pub policy: Option<String>,
    /// Its rule collection group (name); null for classic rules.
    pub rule_collection_group: Option<String>,
    /// The group's priority.
    pub group_priority: Option<u32>,
    /// Its rule collection (name).
    pub collection: String,
    /// The collection's priority; null when the collection has none (then the verdict is `unknown`).
    pub collection_priority: Option<u32>,
    /// The rule's name.
    pub rule: String,
    /// `network` or `application`.
    pub kind: FirewallRuleKind,
    /// The collection's action as Azure spells it (`Allow`, `Deny`).
    pub action: String,
}

/// An Azure Firewall that the path's route sends (part of) the destination to.
#[derive(Debug, Clone, Serialize)]
pub struct AzureFirewallFacts {
    /// Firewall id.
    pub firewall: String,
    /// Firewall name.
    pub name: String,
    /// The firewall's private address the route points to.
    pub next_hop_ip: String,
    /// The route sending the traffic there.
    pub route: String,
    /// `all` of the destination goes through the firewall, or `some`.
    pub coverage: Coverage,
    /// The firewall policy in force; null for classic rules.
    pub policy: Option<String>,
    /// The policy and its base policies, root ancestor first (rule collections are met in this order).
    pub policy_chain: Vec<String>,
    /// The names of the rule collection groups of the firewall's own policy, by priority.
    pub rule_collection_groups: Vec<String>,
    /// `allow`, `deny` or `unknown`.
    pub verdict: AzureFirewallVerdict,
    /// A deny (or an allow before a deny) covers only part of the client's addresses or of the destination.
    pub partial: bool,
    /// The client's source addresses checked against the rules' sources (up to five prefixes).
    pub sources: Vec<String>,
    /// The name checked (the TLS SNI); `*.blob.core.windows.net` for a storage endpoint whose account is unknown.
    pub fqdn: String,
    /// The destination port checked (TCP).
    pub port: u16,
    /// The rule that decided: the deny, or the last allow; null when no rule matched (deny by default) or when
    /// the verdict is unknown without a rule.
    pub deciding_rule: Option<FirewallRuleFacts>,
    /// The allowing rule terminates TLS (Premium TLS inspection): clients must trust the firewall's CA.
    pub tls_inspection: bool,
    /// The firewall's DNS proxy is on.
    pub dns_proxy: bool,
    /// Why the verdict is `unknown`.
    pub cause: Option<String>,
    /// The public addresses traffic leaving through the firewall is SNATed to.
    pub egress_ips: Vec<String>,
    /// Public ranges (a NAT gateway's prefixes on `AzureFirewallSubnet`).
    pub egress_prefixes: Vec<String>,
    /// Whose those addresses are, or why they are not known.
    pub egress: String,
    /// The egress addresses are known.
    pub egress_known: bool,
}

/// One client subnet × registry endpoint path.
#[derive(Debug, Clone, Serialize)]
pub struct PathFacts {
    /// Client id.
    pub client: String,
    /// Client name.
    pub client_name: String,
    /// Registry id.
    pub registry: String,
    /// Registry name.
    pub registry_name: String,
    /// The client subnet.
    pub subnet: String,
    /// The endpoint.
    pub endpoint: Endpoint,
    /// `ipv4` or `ipv6`: the family of the destination and source addresses this path is evaluated for.
    pub address_family: AddressFamily,
    /// Name resolution.
    pub dns: DnsFacts,
    /// Addresses after resolution.
    pub destination: DestinationFacts,
    /// Routing.
    pub route: RouteFacts,
    /// NSGs.
    pub nsg: NsgPathFacts,
    /// The Azure Firewall the route sends the traffic through, when the next hop is one in the snapshot.
    pub azure_firewall: Option<AzureFirewallFacts>,
    /// The private endpoint, for private paths.
    pub private_endpoint: Option<PrivateEndpointHop>,
    /// The registry firewall.
    pub firewall: FirewallFacts,
    /// `yes`, `no`, `partial` or `unknown`.
    pub reachable: Reachable,
    /// The first hop that blocks: `dns`, `peering`, `route`, `nsg`, `azure_firewall`, `firewall`; null when reachable.
    pub blocked_at: Option<BlockedAt>,
}
