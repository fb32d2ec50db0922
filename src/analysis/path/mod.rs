//! The path from one client subnet to one registry endpoint, hop by hop.
//!
//! Each hop is a file with one entry point, `hop(..) -> <hop facts>`, and one `judge(&facts) -> Judgement`:
//! [`dns`] (name resolution), [`destination`] (the addresses after DNS), [`route`] (effective routes),
//! [`private_endpoint`] (the endpoint and the peering to it), [`nsg`] (NSGs on the way out and in),
//! [`azure_firewall`] (an Azure Firewall the route sends the traffic through), and [`registry_firewall`] (public
//! access and IP rules). This file composes them: it computes each hop, in the
//! order their inputs need, then reads their judgements in the order traffic meets them. The first hop that
//! blocks names where the path breaks. Adding a hop (an appliance firewall, a DNS chain) is a new file, one
//! line computing it, and one line judging it.

mod azure_firewall;
mod destination;
mod dns;
mod dns_chain;
mod nsg;
mod private_endpoint;
mod private_zones;
mod registry_firewall;
mod route;

use super::endpoints::CloudSuffixes;
use super::facts::{
    AddressFamily, ApplianceRouteFacts, AzureFirewallVerdict, BlockedAt, ClientFacts, DestinationFacts, DnsFacts,
    DnsStatus, Endpoint, EndpointKind, NextHopType, PairEndpointFacts, PairTransitFacts, PathFacts, Reachable,
    RegistryFacts,
};
use super::net::azure_firewall::FirewallCache;
use super::net::endpoint_routes::{interface_endpoint_routes, EndpointsByVnet};
use super::net::ipset::IpSet;
use super::net::routes::EffectiveRoutes;
use super::net::tags::{AddressResolver, VnetContext};
use super::responders::Responders;
use crate::model::{id_key, Model, RouteTable, SubnetRef, VirtualNetwork};

/// Inputs shared by every path of one analysis.
pub(crate) struct PathContext<'m, 'r> {
    pub model: &'m Model,
    pub resolver: &'r mut AddressResolver<'m>,
    pub cloud: CloudSuffixes,
    /// Private endpoints by VNet, for the host routes each client subnet sees.
    pub endpoints_by_vnet: EndpointsByVnet<'m>,
    /// What holds a private address (route next hops, DNS servers): firewalls, resolver endpoints, NICs.
    pub responders: Responders<'m>,
    /// DNS answers already worked out, by client VNet, registry and name: every subnet and client of a VNet
    /// gets the same answer, so its DNS chain is followed once.
    pub dns_answers: std::collections::HashMap<String, DnsFacts>,
    /// Azure Firewall rules compiled once per firewall and policy.
    pub firewalls: FirewallCache,
}

/// What every hop of one client subnet shares: the subnet, its VNet, its effective routes, the client's source
/// addresses there. Built once per subnet, not per endpoint.
pub(crate) struct SubnetContext<'m> {
    /// The subnet id as the client names it.
    pub subnet_id: String,
    /// The subnet, when its VNet is in the snapshot.
    pub subnet: Option<SubnetRef<'m>>,
    /// The subnet's VNet.
    pub vnet: Option<&'m VirtualNetwork>,
    /// What `VirtualNetwork` means in NSG rules there.
    pub vctx: VnetContext,
    /// The subnet's route table.
    pub route_table: Option<&'m RouteTable>,
    /// Its effective routes.
    pub routes: EffectiveRoutes,
    /// The client's addresses in the subnet, both families.
    pub source: IpSet,
}

impl<'m> SubnetContext<'m> {
    fn new(ctx: &mut PathContext<'m, '_>, client: &ClientFacts, subnet_id: &str) -> SubnetContext<'m> {
        let model = ctx.model;
        let vnet = model.vnet_of_subnet(subnet_id);
        let vctx = VnetContext::of(vnet);
        let subnet = model.subnet(subnet_id);
        let route_table =
            subnet.and_then(|s| s.subnet.properties.route_table.as_ref()).and_then(|r| model.route_table(&r.id));
        let endpoints = interface_endpoint_routes(model, &ctx.endpoints_by_vnet, vnet);
        let routes = EffectiveRoutes::build(vnet, route_table, &endpoints, ctx.resolver, &vctx);
        let source = client_source(subnet, client);
        SubnetContext { subnet_id: subnet_id.to_string(), subnet, vnet, vctx, route_table, routes, source }
    }
}

/// What one hop says about the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Judgement {
    /// Nothing here stops the traffic.
    Pass,
    /// Nothing here stops it, but the answer hinged on something that could not be resolved.
    Uncertain,
    /// Whether it passes cannot be known from the snapshot.
    Unknown,
    /// It stops here, for all (`No`) or part (`Partial`) of the destination.
    Blocked { reachable: Reachable, at: BlockedAt },
}

/// The path's verdict from its hops' judgements, in the order traffic meets the hops.
fn verdict(judgements: &[Judgement]) -> (Reachable, Option<BlockedAt>) {
    let mut uncertain = false;
    for j in judgements {
        match *j {
            Judgement::Blocked { reachable, at } => return (reachable, Some(at)),
            Judgement::Unknown => return (Reachable::Unknown, None),
            Judgement::Uncertain => uncertain = true,
            Judgement::Pass => {}
        }
    }
    if uncertain {
        (Reachable::Unknown, None)
    } else {
        (Reachable::Yes, None)
    }
}

/// The client's own addresses in this subnet when known (NIC and VM clients), else the subnet's prefixes.
fn client_source(subnet: Option<SubnetRef<'_>>, client: &ClientFacts) -> IpSet {
    let subnet = subnet
        .map(|s| {
            let p = &s.subnet.properties;
            p.address_prefix
                .iter()
                .chain(&p.address_prefixes)
                .filter_map(|x| IpSet::parse_prefix(x))
                .fold(IpSet::empty(), |a, b| a.union(&b))
        })
        .unwrap_or_else(IpSet::empty);
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

/// Compute every path of one client × registry pair: each client subnet × each registry endpoint.
pub(crate) fn pair_paths(
    ctx: &mut PathContext<'_, '_>,
    client: &ClientFacts,
    registry: &RegistryFacts,
    endpoints: &[Endpoint],
) -> (Vec<PathFacts>, Vec<EndpointTransit>) {
    let mut out = Vec::new();
    let mut transits = Vec::new();
    for subnet_id in &client.subnet_ids {
        let subnet = SubnetContext::new(ctx, client, subnet_id);
        transits.extend(subnet_transits(ctx, &subnet, registry));
        // A login server that resolves to a private endpoint redirects layer downloads to the data endpoints
        // that endpoint serves: the layer paths follow the login path's answer (`endpoints` lists it first).
        let mut through_private_endpoint = false;
        for endpoint in endpoints {
            let endpoint = if through_private_endpoint {
                super::endpoints::through_private_endpoint(registry, endpoint, ctx.cloud)
            } else {
                endpoint.clone()
            };
            let paths = endpoint_paths(ctx, &subnet, client, registry, &endpoint);
            if endpoint.kind == EndpointKind::Login {
                // Every family's path shares the one DNS answer.
                through_private_endpoint = paths.iter().any(|p| p.dns.status == DnsStatus::Private);
            }
            out.extend(paths);
        }
    }
    (out, transits)
}

/// The paths from one subnet to one endpoint: one per address family that both the destination and the
/// client's addresses have (a flow never changes family), IPv4 alone when they share none, so an endpoint whose
/// name resolves to nothing still has its path.
fn endpoint_paths(
    ctx: &mut PathContext<'_, '_>,
    subnet: &SubnetContext<'_>,
    client: &ClientFacts,
    registry: &RegistryFacts,
    endpoint: &Endpoint,
) -> Vec<PathFacts> {
    let dns = dns::hop(ctx, subnet, registry, endpoint);
    let (destination, dest_set) = destination::hop(ctx, &dns, endpoint);
    let source_families = subnet.source.families();
    let mut families: Vec<AddressFamily> =
        dest_set.families().into_iter().filter(|f| source_families.contains(f)).collect();
    if families.is_empty() {
        families.push(AddressFamily::Ipv4);
    }
    let resolved = (dns, destination, dest_set);
    families.into_iter().map(|family| one_path(ctx, subnet, client, registry, endpoint, family, &resolved)).collect()
}

/// One path, for one address family: the later hops see only that family's destination and source addresses.
fn one_path(
    ctx: &mut PathContext<'_, '_>,
    subnet: &SubnetContext<'_>,
    client: &ClientFacts,
    registry: &RegistryFacts,
    endpoint: &Endpoint,
    family: AddressFamily,
    (dns, destination, dest_set): &(DnsFacts, DestinationFacts, IpSet),
) -> PathFacts {
    let dns = dns.clone();
    let dest_set = dest_set.family(family);
    let destination = destination::of_family(destination, &dest_set);
    let source = subnet.source.family(family);
    let route = route::hop(subnet, &dest_set);
    let private_endpoint = private_endpoint::hop(ctx, subnet, registry, &dns, &route);
    let nsg = nsg::hop(ctx, client, subnet, &source, &dest_set, private_endpoint.as_ref());
    let azure_firewall = azure_firewall::hop(ctx, subnet, &source, &dest_set, endpoint, &route);
    let firewall = registry_firewall::hop(registry, client, &dns, &route, azure_firewall.as_ref());
    let (reachable, blocked_at) = verdict(&[
        dns::judge(&dns),
        private_endpoint::judge(private_endpoint.as_ref()),
        destination::judge(&destination),
        route::judge(&route),
        nsg::judge(&nsg),
        azure_firewall::judge(azure_firewall.as_ref()),
        registry_firewall::judge(&firewall),
    ]);
    PathFacts {
        client: client.id.clone(),
        client_name: client.name.clone(),
        registry: registry.id.clone(),
        registry_name: registry.name.clone(),
        subnet: subnet.subnet.map(|s| s.subnet.id.clone()).unwrap_or_else(|| subnet.subnet_id.clone()),
        endpoint: endpoint.clone(),
        address_family: family,
        dns,
        destination,
        route,
        nsg,
        azure_firewall,
        private_endpoint,
        firewall,
        reachable,
        blocked_at,
    }
}

/// A registry private endpoint reached from a client subnet through a virtual appliance: (endpoint id, client
/// VNet key, the appliance and the peering from its VNet).
pub(crate) type EndpointTransit = (String, String, PairTransitFacts);

/// For each of the registry's private endpoints, whether the client subnet's routes send its addresses to a
/// virtual appliance, and how the appliance's VNet reaches it. Worked out from the routes alone, whatever the
/// client's DNS answers (an unknown answer must not make a reachable endpoint look unpeered).
fn subnet_transits(
    ctx: &mut PathContext<'_, '_>,
    subnet: &SubnetContext<'_>,
    registry: &RegistryFacts,
) -> Vec<EndpointTransit> {
    let client_vnet = crate::model::vnet_key_of_subnet(&subnet.subnet_id).unwrap_or_default();
    let mut out = Vec::new();
    for pe in &registry.private_endpoints {
        let dest = dns::endpoint_addresses(ctx.model, &pe.id)
            .iter()
            .filter_map(|a| IpSet::parse_prefix(a))
            .fold(IpSet::empty(), |a, b| a.union(&b));
        if dest.is_empty() {
            continue;
        }
        let route = route::hop(subnet, &dest);
        if let (peering, Some(via)) = private_endpoint::reach(ctx, &client_vnet, pe.vnet_id.as_deref(), &route) {
            out.push((pe.id.clone(), client_vnet.clone(), PairTransitFacts { via, peering }));
        }
    }
    out
}

/// Record on the pair's private endpoints which are reached through a virtual appliance, so pair-level rules
/// judge the appliance VNet's peering, not the client VNet's.
pub(crate) fn endpoint_transits(transits: &[EndpointTransit], endpoints: &mut [PairEndpointFacts]) {
    for (pe, client_vnet, transit) in transits {
        for ep in endpoints.iter_mut().filter(|e| {
            e.transit.is_none() && id_key(&e.private_endpoint) == id_key(pe) && id_key(&e.client_vnet) == *client_vnet
        }) {
            ep.transit = Some(transit.clone());
        }
    }
}

/// The `VirtualAppliance` routes among a pair's paths, each with the endpoint names it carries (grouped here,
/// in Rust, so rules do not join paths with pairs), and the Azure Firewall that evaluated every path through it.
pub(crate) fn appliance_routes(paths: &[PathFacts]) -> Vec<ApplianceRouteFacts> {
    let mut out: Vec<ApplianceRouteFacts> = Vec::new();
    // Per route: whether every path through it had an Azure Firewall verdict other than unknown.
    let mut evaluated: Vec<bool> = Vec::new();
    for p in paths {
        for h in p.route.hops.iter().filter(|h| h.next_hop_type == NextHopType::VirtualAppliance) {
            let by = p
                .azure_firewall
                .as_ref()
                .filter(|f| f.route == h.route && f.verdict != AzureFirewallVerdict::Unknown)
                .map(|f| f.firewall.clone());
            let i = match out.iter().position(|r| r.route == h.route) {
                Some(i) => i,
                None => {
                    out.push(ApplianceRouteFacts {
                        route: h.route.clone(),
                        route_name: h.route_name.clone(),
                        next_hop_ip: h.next_hop_ip.clone(),
                        fqdns: Vec::new(),
                        evaluated_by_firewall: by.clone(),
                    });
                    evaluated.push(true);
                    out.len() - 1
                }
            };
            if by.is_none() || by != out[i].evaluated_by_firewall {
                evaluated[i] = false;
            }
            if !out[i].fqdns.contains(&p.endpoint.fqdn) {
                out[i].fqdns.push(p.endpoint.fqdn.clone());
            }
        }
    }
    for (r, all) in out.iter_mut().zip(evaluated) {
        r.fqdns.sort();
        if !all {
            r.evaluated_by_firewall = None;
        }
    }
    out
}
