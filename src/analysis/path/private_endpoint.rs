//! The private endpoint hop: for a name that resolves privately, the registry's private endpoint that serves
//! the address, its connection state, and how the client VNet reaches the endpoint's VNet (peering).

use super::{dns, Judgement, PathContext, SubnetContext};
use crate::analysis::facts::{
    BlockedAt, DnsFacts, DnsStatus, PeeringFacts, PeeringSideFacts, PeeringState, PeeringStatus, PrivateEndpointHop,
    Reachable, RegistryFacts,
};
use crate::analysis::peering::peering_between;
use crate::model::vnet_key_of_subnet;

/// The private endpoint a private answer lands on: the one whose NIC (or DNS configuration) holds one of the
/// record's addresses, else the registry's first. `None` for public and unresolved answers.
pub(super) fn hop(
    ctx: &PathContext<'_, '_>,
    subnet: &SubnetContext<'_>,
    registry: &RegistryFacts,
    dns: &DnsFacts,
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
    let peering = match &pe.vnet_id {
        Some(v) => peering_between(model, &client_vnet, v),
        None => PeeringFacts::unknown(),
    };
    Some(PrivateEndpointHop {
        id: pe.id.clone(),
        subnet: pe.subnet_id.clone(),
        vnet: pe.vnet_id.as_ref().map(|v| model.virtual_network(v).map(|n| n.id.clone()).unwrap_or(v.clone())),
        status: pe.status.clone(),
        peering,
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
