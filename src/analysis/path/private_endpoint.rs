//! The private endpoint hop: for a name that resolves privately, the registry's private endpoint that serves
//! the address, its connection state, and how the traffic's VNet reaches the endpoint's VNet (peering).
//!
//! Hub-and-spoke: spokes are peered with the hub only, and a user route (`0.0.0.0/0`, or the endpoint's prefix)
//! sends traffic to a virtual appliance in the hub (Azure Firewall), which forwards it to the endpoint in
//! another spoke. Peering is not transitive ("VNet peering connections are non-transitive … traffic can be routed
//! through a network virtual appliance or a gateway in the hub",
//! <https://learn.microsoft.com/azure/architecture/networking/architecture/hub-spoke>), so when the route hop
//! sends the endpoint's address to a `VirtualAppliance`, the client must reach the appliance (its VNet, or one
//! peered with it: a next hop it cannot reach drops the traffic) and the endpoint must be reachable from the
//! appliance's VNet, not from the client's: that is the peering judged, and the fact names the appliance
//! (`transit`). An appliance
//! address in no VNet of the snapshot leaves the peering `unknown`, never `not_peered`.

use super::{dns, Judgement, PathContext, SubnetContext};
use crate::analysis::facts::{
    BlockedAt, DnsFacts, DnsStatus, NextHopType, PeeringFacts, PeeringSideFacts, PeeringState, PeeringStatus,
    PrivateEndpointHop, Reachable, RegistryFacts, RouteFacts, TransitFacts,
};
use crate::analysis::peering::peering_between;
use crate::analysis::responders::{vnet_holding, Responder};
use crate::model::{id_key, vnet_key_of_subnet};

/// The private endpoint a private answer lands on: the one whose NIC (or DNS configuration) holds one of the
/// record's addresses, else the registry's first. `None` for public and unresolved answers.
pub(super) fn hop(
    ctx: &PathContext<'_, '_>,
    subnet: &SubnetContext<'_>,
    registry: &RegistryFacts,
    dns: &DnsFacts,
    route: &RouteFacts,
) -> Option<PrivateEndpointHop> {
    if dns.status != DnsStatus::Private {
        return None;
    }
    let model = ctx.model;
    let client_vnet = vnet_key_of_subnet(&subnet.subnet_id).unwrap_or_default();
    let serving = registry
        .private_endpoints
        .iter()
        .find(|pe| dns::endpoint_addresses(model, &pe.id).iter().any(|ip| dns.addresses.contains(ip)));
    let pe = serving.or(registry.private_endpoints.first())?;
    let (peering, transit) = reach(ctx, &client_vnet, pe.vnet_id.as_deref(), route);
    Some(PrivateEndpointHop {
        id: pe.id.clone(),
        subnet: pe.subnet_id.clone(),
        vnet: pe.vnet_id.as_ref().map(|v| model.virtual_network(v).map(|n| n.id.clone()).unwrap_or(v.clone())),
        status: pe.status.clone(),
        peering,
        transit,
    })
}

/// How traffic from `client_vnet` (lower-cased id) reaches an endpoint in `endpoint_vnet`, given the route hop
/// for the endpoint's addresses: directly by peering, or through the appliance the route sends them to (the
/// client must reach the appliance's VNet, then that VNet the endpoint's).
pub(super) fn reach(
    ctx: &PathContext<'_, '_>,
    client_vnet: &str,
    endpoint_vnet: Option<&str>,
    route: &RouteFacts,
) -> (PeeringFacts, Option<TransitFacts>) {
    let model = ctx.model;
    let mut transit = transit(ctx, route);
    let peering = match (&mut transit, endpoint_vnet) {
        (None, Some(v)) => peering_between(model, client_vnet, v),
        (Some(t), v) => match t.vnet.as_deref().map(id_key) {
            Some(appliance_vnet) => {
                let first = peering_between(model, client_vnet, &appliance_vnet);
                t.client_to_appliance = first.status;
                match (first.status, v) {
                    (PeeringStatus::NotPeered | PeeringStatus::Unknown, _) => first,
                    (_, Some(v)) => peering_between(model, &appliance_vnet, v),
                    (_, None) => PeeringFacts::unknown(),
                }
            }
            None => PeeringFacts::unknown(),
        },
        (None, None) => PeeringFacts::unknown(),
    };
    (peering, transit)
}

/// The appliance the route hop sends the endpoint's address to, and the VNet it forwards from.
fn transit(ctx: &PathContext<'_, '_>, route: &RouteFacts) -> Option<TransitFacts> {
    let hop = route.hops.iter().find(|h| h.next_hop_type == NextHopType::VirtualAppliance)?;
    let ip = hop.next_hop_ip.clone().unwrap_or_default();
    let model = ctx.model;
    // What holds the next hop and the subnet it sits in; the VNet is that subnet's, else the one whose address
    // space holds the address.
    let (appliance, subnet) = match ctx.responders.at(&ip) {
        Some(Responder::AzureFirewall(fw)) => {
            (Some(fw.id.clone()), fw.properties.ip_configurations.iter().find_map(|c| c.properties.subnet.as_ref()))
        }
        Some(Responder::Nic(nic)) => {
            (Some(nic.id.clone()), nic.properties.ip_configurations.iter().find_map(|c| c.properties.subnet.as_ref()))
        }
        _ => (None, None),
    };
    let vnet = subnet
        .and_then(|s| model.vnet_of_subnet(&s.id))
        .or_else(|| ip.parse().ok().and_then(|ip| vnet_holding(model, ip)));
    Some(TransitFacts {
        next_hop_ip: ip,
        route: hop.route.clone(),
        appliance,
        vnet: vnet.map(|v| v.id.clone()),
        client_to_appliance: PeeringStatus::Unknown,
    })
}

/// A peering that is missing, or not `Connected` on a side that can be seen, carries no traffic. A side that
/// could not be seen (its VNet is not in the snapshot) is unknown, not missing: when the side that can be seen
/// does not decide, the path is unknown.
pub(super) fn judge(pe: Option<&PrivateEndpointHop>) -> Judgement {
    let Some(pe) = pe else { return Judgement::Pass };
    let p = &pe.peering;
    let connected = |s: &Option<PeeringSideFacts>| s.as_ref().map(|x| x.state == PeeringState::Connected);
    match p.status {
        PeeringStatus::NotPeered => Judgement::Blocked { reachable: Reachable::No, at: BlockedAt::Peering },
        PeeringStatus::Unknown => Judgement::Unknown,
        PeeringStatus::Peered => {
            let local = if p.local_visible { Some(connected(&p.local) == Some(true)) } else { connected(&p.local) };
            match (local, connected(&p.remote)) {
                (Some(false), _) | (_, Some(false)) => {
                    Judgement::Blocked { reachable: Reachable::No, at: BlockedAt::Peering }
                }
                (Some(true), _) => Judgement::Pass,
                // The client VNet could not be read and the endpoint's side is `Connected`: Azure shows
                // `Connected` only once both sides exist.
                (None, Some(true)) => Judgement::Pass,
                (None, None) => Judgement::Unknown,
            }
        }
        _ => Judgement::Pass,
    }
}
