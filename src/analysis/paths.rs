//! The path from one client subnet to one registry endpoint, hop by hop: DNS, destination addresses, routing,
//! NSGs (outbound at the client, inbound at the private endpoint), peering, and the registry firewall.

use super::dns::{self, DnsFacts};
use super::endpoints::{CloudSuffixes, Endpoint};
use super::facts::{ClientFacts, PeeringFacts, RegistryFacts};
use super::ipset::IpSet;
use super::nsg::{self, Direction, Flow, NsgVerdict};
use super::peering::peering_between;
use super::routes::{EffectiveRoutes, RouteOrigin};
use super::tags::{AddressResolver, VnetContext};
use crate::model::{vnet_key_of_subnet, Model};
use serde::Serialize;
use std::net::Ipv4Addr;

/// Where the traffic is headed after DNS.
#[derive(Debug, Clone, Serialize)]
pub struct DestinationFacts {
    /// `private_ip`, `service_tag`, `none` (the name does not resolve) or `unknown` (a tag the snapshot lacks).
    pub kind: &'static str,
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
    /// `VnetLocal`, `VNetPeering`, `Internet`, `VirtualAppliance`, `VirtualNetworkGateway`, `None`.
    pub next_hop_type: String,
    /// Appliance IP.
    pub next_hop_ip: Option<String>,
    /// Route id (user) or `system:<name>`.
    pub route: String,
    /// Route name.
    pub route_name: String,
    /// Prefix as written (CIDR or service tag).
    pub address_prefix: String,
    /// `system`, `user`, `user_service_tag`.
    pub origin: RouteOrigin,
    /// `all` of the destination, or `some`.
    pub coverage: &'static str,
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
    /// Route prefixes that could not be resolved.
    pub unresolved: Vec<String>,
}

/// NSG facts of a path.
#[derive(Debug, Clone, Serialize)]
pub struct NsgPathFacts {
    /// `allow`, `deny`, `partial`, or `none` (no NSG on the path).
    pub verdict: &'static str,
    /// Some verdict depended on a rule that could not be resolved.
    pub uncertain: bool,
    /// Each NSG on the path with its verdict: `level` is `client_subnet` or `endpoint_subnet`.
    pub evaluations: Vec<LevelVerdict>,
    /// Up to five denied prefixes over all NSGs.
    pub denied_examples: Vec<String>,
    /// Denied addresses over all NSGs.
    pub denied_addresses: u64,
}

/// An NSG verdict with where the NSG sits.
#[derive(Debug, Clone, Serialize)]
pub struct LevelVerdict {
    /// `client_subnet` or `endpoint_subnet`.
    pub level: &'static str,
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
    pub status: String,
    /// How the client VNet reaches it.
    pub peering: PeeringFacts,
}

/// The registry firewall on the path.
#[derive(Debug, Clone, Serialize)]
pub struct FirewallFacts {
    /// `allowed`, `blocked`, `unknown`, `not_applicable` (private path: IP rules do not apply).
    pub verdict: &'static str,
    /// Why.
    pub reason: String,
    /// The client's egress public IPs.
    pub egress_ips: Vec<String>,
    /// Egress IPs no `ipRules` entry covers.
    pub uncovered_ips: Vec<String>,
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
    /// Name resolution.
    pub dns: DnsFacts,
    /// Addresses after resolution.
    pub destination: DestinationFacts,
    /// Routing.
    pub route: RouteFacts,
    /// NSGs.
    pub nsg: NsgPathFacts,
    /// The private endpoint, for private paths.
    pub private_endpoint: Option<PrivateEndpointHop>,
    /// The registry firewall.
    pub firewall: FirewallFacts,
    /// `yes`, `no`, `partial` or `unknown`.
    pub reachable: &'static str,
    /// The first hop that blocks: `dns`, `peering`, `route`, `nsg`, `firewall`; null when reachable.
    pub blocked_at: Option<&'static str>,
}

/// Inputs shared by every path of one analysis.
pub(crate) struct PathContext<'m, 'r> {
    pub model: &'m Model,
    pub resolver: &'r mut AddressResolver<'m>,
    pub cloud: CloudSuffixes,
}

/// The client's own addresses in this subnet when known (NIC and VM clients), else the subnet's prefixes.
fn client_source(model: &Model, client: &ClientFacts, subnet_id: &str) -> IpSet {
    let subnet = subnet_set(model, subnet_id);
    let own = client
        .source_addresses
        .iter()
        .filter_map(|a| IpSet::parse_prefix(a))
        .fold(IpSet::empty(), |acc, s| acc.union(&s))
        .intersection(&subnet);
    if own.is_empty() {
        subnet
    } else {
        own
    }
}

fn subnet_set(model: &Model, subnet_id: &str) -> IpSet {
    let Some(s) = model.subnet(subnet_id) else { return IpSet::empty() };
    let p = &s.subnet.properties;
    p.address_prefix
        .iter()
        .chain(&p.address_prefixes)
        .filter_map(|x| IpSet::parse_prefix(x))
        .fold(IpSet::empty(), |a, b| a.union(&b))
}

/// Compute every path of one client × registry pair.
pub(crate) fn pair_paths(
    ctx: &mut PathContext<'_, '_>,
    client: &ClientFacts,
    registry: &RegistryFacts,
    endpoints: &[Endpoint],
) -> Vec<PathFacts> {
    let mut out = Vec::new();
    let pe_ids: Vec<String> = registry.private_endpoints.iter().map(|p| p.id.clone()).collect();
    for subnet_id in &client.subnet_ids {
        let model = ctx.model;
        let vnet = model.vnet_of_subnet(subnet_id);
        let vctx = VnetContext::of(vnet);
        let subnet = model.subnet(subnet_id);
        let route_table =
            subnet.and_then(|s| s.subnet.properties.route_table.as_ref()).and_then(|r| model.route_table(&r.id));
        let routes = EffectiveRoutes::build(vnet, route_table, ctx.resolver, &vctx);
        let source = client_source(model, client, subnet_id);
        for endpoint in endpoints {
            let expected = match endpoint.kind {
                "storage" => vec![],
                _ => dns::expected_addresses(model, &pe_ids, &endpoint.fqdn),
            };
            let dns = dns::resolve(model, vnet, endpoint, ctx.cloud.private_link_zone, expected);
            let (destination, dest_set) = destination(ctx.resolver, &dns, endpoint);
            let route = route_facts(&routes, route_table.map(|t| t.id.clone()), &dest_set);
            let private_endpoint = match dns.status {
                "private" => private_endpoint_hop(model, client_vnet_key(subnet_id), registry, &dns),
                _ => None,
            };
            let nsg = nsg_facts(ctx, client, subnet_id, &source, &dest_set, private_endpoint.as_ref(), &vctx);
            let firewall = firewall_facts(registry, client, &dns);
            let (reachable, blocked_at) =
                verdict(&dns, &destination, &route, &nsg, private_endpoint.as_ref(), &firewall);
            out.push(PathFacts {
                client: client.id.clone(),
                client_name: client.name.clone(),
                registry: registry.id.clone(),
                registry_name: registry.name.clone(),
                subnet: subnet.map(|s| s.subnet.id.clone()).unwrap_or_else(|| subnet_id.clone()),
                endpoint: endpoint.clone(),
                dns,
                destination,
                route,
                nsg,
                private_endpoint,
                firewall,
                reachable,
                blocked_at,
            });
        }
    }
    out
}

fn client_vnet_key(subnet_id: &str) -> String {
    vnet_key_of_subnet(subnet_id).unwrap_or_default()
}

fn destination(resolver: &mut AddressResolver<'_>, dns: &DnsFacts, endpoint: &Endpoint) -> (DestinationFacts, IpSet) {
    let facts = |kind, tag: Option<String>, set: &IpSet| DestinationFacts {
        kind,
        service_tag: tag,
        addresses: set.len(),
        examples: set.examples(5),
    };
    match dns.status {
        "private" => {
            let set = dns
                .addresses
                .iter()
                .filter_map(|a| a.parse::<Ipv4Addr>().ok())
                .fold(IpSet::empty(), |acc, a| acc.union(&IpSet::from_addr(a)));
            (facts("private_ip", None, &set), set)
        }
        "nxdomain" => (facts("none", None, &IpSet::empty()), IpSet::empty()),
        _ => {
            let tag = resolver.regional_tag_name(endpoint.service, &endpoint.region);
            match tag.as_deref().and_then(|t| resolver.service_tag(t)) {
                Some(set) if !set.is_empty() => (facts("service_tag", tag, &set), set),
                _ => (
                    facts(
                        "unknown",
                        Some(tag.unwrap_or_else(|| format!("{}.{}", endpoint.service, endpoint.region))),
                        &IpSet::empty(),
                    ),
                    IpSet::empty(),
                ),
            }
        }
    }
}

fn route_facts(routes: &EffectiveRoutes, route_table: Option<String>, dest: &IpSet) -> RouteFacts {
    let total = dest.len();
    let hops = routes
        .classify(dest)
        .into_iter()
        .map(|(e, set)| RouteHop {
            next_hop_type: e.next_hop_type.clone(),
            next_hop_ip: e.next_hop_ip.clone(),
            route: e.id.clone(),
            route_name: e.name.clone(),
            address_prefix: e.address_prefix.clone(),
            origin: e.origin.clone(),
            coverage: if set.len() == total { "all" } else { "some" },
            addresses: set.len(),
            examples: set.examples(5),
        })
        .collect();
    RouteFacts { route_table, hops, unresolved: routes.unresolved.clone() }
}

fn private_endpoint_hop(
    model: &Model,
    client_vnet: String,
    registry: &RegistryFacts,
    dns: &DnsFacts,
) -> Option<PrivateEndpointHop> {
    // The endpoint whose NIC (or DNS configuration) holds one of the record's addresses; else the first one.
    let serving = registry
        .private_endpoints
        .iter()
        .find(|pe| dns::endpoint_addresses(model, &pe.id).iter().any(|ip| dns.addresses.contains(ip)));
    let pe = serving.or(registry.private_endpoints.first())?;
    let peering = match &pe.vnet_id {
        Some(v) => peering_between(model, &client_vnet, v),
        None => PeeringFacts { status: "unknown".into(), local: None, remote: None, remote_visible: false },
    };
    Some(PrivateEndpointHop {
        id: pe.id.clone(),
        subnet: pe.subnet_id.clone(),
        vnet: pe.vnet_id.as_ref().map(|v| model.virtual_network(v).map(|n| n.id.clone()).unwrap_or(v.clone())),
        status: pe.status.clone(),
        peering,
    })
}

fn nsg_facts(
    ctx: &mut PathContext<'_, '_>,
    client: &ClientFacts,
    subnet_id: &str,
    source: &IpSet,
    dest: &IpSet,
    pe: Option<&PrivateEndpointHop>,
    vctx: &VnetContext,
) -> NsgPathFacts {
    let model = ctx.model;
    let mut evaluations = Vec::new();
    let source_asgs = client.application_security_groups.as_deref();
    // Every NSG on the path judges the same flow: the client's addresses to the destination on TCP 443.
    let https_flow =
        |direction| Flow { source, source_asgs, destination: dest, destination_asgs: &[], port: 443, direction };
    // Outbound, the NIC's NSG is evaluated first, then the subnet's; both must allow.
    for nic in client.nic_ids.iter().filter_map(|n| model.network_interface(n)) {
        let in_subnet = nic
            .properties
            .ip_configurations
            .iter()
            .any(|c| c.properties.subnet.as_ref().map(|s| s.id.eq_ignore_ascii_case(subnet_id)).unwrap_or(false));
        let nsg = nic.properties.network_security_group.as_ref().and_then(|n| model.network_security_group(&n.id));
        if let (true, Some(nsg), false) = (in_subnet, nsg, dest.is_empty()) {
            let flow = https_flow(Direction::Outbound);
            evaluations
                .push(LevelVerdict { level: "client_nic", verdict: nsg::evaluate(nsg, &flow, ctx.resolver, vctx) });
        }
    }
    let subnet_nsg = model
        .subnet(subnet_id)
        .and_then(|s| s.subnet.properties.network_security_group.as_ref())
        .and_then(|n| model.network_security_group(&n.id));
    if let (Some(nsg), false) = (subnet_nsg, dest.is_empty()) {
        let flow = https_flow(Direction::Outbound);
        evaluations
            .push(LevelVerdict { level: "client_subnet", verdict: nsg::evaluate(nsg, &flow, ctx.resolver, vctx) });
    }
    if let Some(pe_subnet) = pe.and_then(|p| p.subnet.as_deref()).and_then(|s| model.subnet(s)) {
        let policies = pe_subnet.subnet.properties.private_endpoint_network_policies.as_deref().unwrap_or("Disabled");
        let enforced =
            policies.eq_ignore_ascii_case("Enabled") || policies.eq_ignore_ascii_case("NetworkSecurityGroupEnabled");
        let nsg = pe_subnet
            .subnet
            .properties
            .network_security_group
            .as_ref()
            .and_then(|n| model.network_security_group(&n.id));
        if let (true, Some(nsg), false) = (enforced, nsg, dest.is_empty()) {
            let pe_ctx = VnetContext::of(Some(pe_subnet.vnet));
            let flow = https_flow(Direction::Inbound);
            evaluations.push(LevelVerdict {
                level: "endpoint_subnet",
                verdict: nsg::evaluate(nsg, &flow, ctx.resolver, &pe_ctx),
            });
        }
    }
    let mut denied = IpSet::empty();
    for e in &evaluations {
        denied = denied.union(&e.verdict.denied);
    }
    let verdict = if evaluations.is_empty() {
        "none"
    } else if denied.is_empty() {
        "allow"
    } else if dest.difference(&denied).is_empty() {
        "deny"
    } else {
        "partial"
    };
    NsgPathFacts {
        verdict,
        uncertain: evaluations.iter().any(|e| e.verdict.uncertain),
        denied_examples: denied.examples(5),
        denied_addresses: denied.len(),
        evaluations,
    }
}

fn firewall_facts(registry: &RegistryFacts, client: &ClientFacts, dns: &DnsFacts) -> FirewallFacts {
    let mut f = FirewallFacts {
        verdict: "allowed",
        reason: String::new(),
        egress_ips: client.egress_ips.clone(),
        uncovered_ips: vec![],
    };
    if dns.status == "private" {
        f.verdict = "not_applicable";
        f.reason = "the name resolves to a private endpoint: registry IP rules do not apply".into();
        return f;
    }
    if registry.public_network_access.eq_ignore_ascii_case("Disabled") {
        f.verdict = "blocked";
        f.reason = "public network access is disabled: only private endpoints are accepted".into();
        return f;
    }
    if !registry.default_action.eq_ignore_ascii_case("Deny") {
        f.reason = "public network access from all networks".into();
        return f;
    }
    if client.egress_ips.is_empty() {
        f.verdict = "unknown";
        f.reason = format!(
            "the registry allows selected networks only, and the client's egress IP is not known from ARM (outbound type {})",
            client.outbound_type.as_deref().unwrap_or("unknown")
        );
        return f;
    }
    let allowed =
        registry.ip_rules.iter().filter_map(|r| IpSet::parse_prefix(r)).fold(IpSet::empty(), |a, b| a.union(&b));
    f.uncovered_ips = client
        .egress_ips
        .iter()
        .filter(|ip| ip.parse::<Ipv4Addr>().map(|a| !allowed.contains(a)).unwrap_or(true))
        .cloned()
        .collect();
    if f.uncovered_ips.is_empty() {
        f.reason = "every egress IP is covered by an IP rule".into();
    } else {
        f.verdict = "blocked";
        f.reason = format!("no IP rule covers {}", f.uncovered_ips.join(", "));
    }
    f
}

fn verdict(
    dns: &DnsFacts,
    dest: &DestinationFacts,
    route: &RouteFacts,
    nsg: &NsgPathFacts,
    pe: Option<&PrivateEndpointHop>,
    firewall: &FirewallFacts,
) -> (&'static str, Option<&'static str>) {
    if dns.status == "nxdomain" {
        return ("no", Some("dns"));
    }
    if let Some(pe) = pe {
        let p = &pe.peering;
        let connected = |s: &Option<super::facts::PeeringSideFacts>| s.as_ref().map(|x| x.state == "Connected");
        let broken = p.status == "not_peered"
            || (p.status == "peered" && (connected(&p.local) != Some(true) || connected(&p.remote) == Some(false)));
        if broken {
            return ("no", Some("peering"));
        }
    }
    if dest.kind == "unknown" {
        return ("unknown", None);
    }
    let none: u64 = route.hops.iter().filter(|h| h.next_hop_type == "None").map(|h| h.addresses).sum();
    if none > 0 {
        return (if none == dest.addresses { "no" } else { "partial" }, Some("route"));
    }
    // A verdict that depended on an unresolvable rule is not reported as a block: it could have gone either way.
    match (nsg.verdict, nsg.uncertain) {
        ("deny" | "partial", true) => return ("unknown", None),
        ("deny", false) => return ("no", Some("nsg")),
        ("partial", false) => return ("partial", Some("nsg")),
        _ => {}
    }
    match firewall.verdict {
        "blocked" => ("no", Some("firewall")),
        "unknown" => ("unknown", None),
        _ if nsg.uncertain => ("unknown", None),
        _ => ("yes", None),
    }
}

/// The `VirtualAppliance` routes among a pair's paths, each with the endpoint names it carries (grouped here,
/// in Rust, so rules do not join paths with pairs).
pub(crate) fn appliance_routes(paths: &[PathFacts]) -> Vec<super::facts::ApplianceRouteFacts> {
    let mut out: Vec<super::facts::ApplianceRouteFacts> = Vec::new();
    for p in paths {
        for h in p.route.hops.iter().filter(|h| h.next_hop_type == "VirtualAppliance") {
            let entry = match out.iter_mut().position(|r| r.route == h.route) {
                Some(i) => &mut out[i],
                None => {
                    out.push(super::facts::ApplianceRouteFacts {
                        route: h.route.clone(),
                        route_name: h.route_name.clone(),
                        next_hop_ip: h.next_hop_ip.clone(),
                        fqdns: Vec::new(),
                    });
                    out.last_mut().expect("just pushed")
                }
            };
            if !entry.fqdns.contains(&p.endpoint.fqdn) {
                entry.fqdns.push(p.endpoint.fqdn.clone());
            }
        }
    }
    for r in &mut out {
        r.fqdns.sort();
    }
    out
}
