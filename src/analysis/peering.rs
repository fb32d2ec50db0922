//! Peering between two VNets, read from both sides.

use super::facts::{PeeringFacts, PeeringSideFacts, PeeringState, PeeringStatus, PeeringSyncLevel};
use crate::model::{id_key, Model, VirtualNetwork};

/// How `client_vnet` reaches `endpoint_vnet` (both ids, any case). A VNet that is not in the snapshot (not
/// scanned, or its read failed: the error is in the snapshot's `errors`) leaves its side unknown, not absent:
/// without the client VNet, the status is `unknown` unless the endpoint VNet's side answers.
pub(crate) fn peering_between(model: &Model, client_vnet: &str, endpoint_vnet: &str) -> PeeringFacts {
    let (a, b) = (id_key(client_vnet), id_key(endpoint_vnet));
    if a == b {
        return PeeringFacts {
            status: PeeringStatus::SameVnet,
            local: None,
            remote: None,
            remote_visible: true,
            local_visible: true,
        };
    }
    let local_vnet = model.virtual_network(&a);
    let remote_vnet = model.virtual_network(&b);
    let local = local_vnet.and_then(|v| side(v, &b));
    let remote = remote_vnet.and_then(|v| side(v, &a));
    let status = match (&local, &remote, local_vnet) {
        (None, None, None) => PeeringStatus::Unknown,
        (None, None, Some(_)) => PeeringStatus::NotPeered,
        _ => PeeringStatus::Peered,
    };
    PeeringFacts { status, local, remote, remote_visible: remote_vnet.is_some(), local_visible: local_vnet.is_some() }
}

fn side(vnet: &VirtualNetwork, towards: &str) -> Option<PeeringSideFacts> {
    vnet.properties
        .virtual_network_peerings
        .iter()
        .find(|p| p.properties.remote_virtual_network.as_ref().map(|r| id_key(&r.id)).as_deref() == Some(towards))
        .map(|p| PeeringSideFacts {
            id: p.id.clone(),
            state: p.properties.peering_state.as_deref().map(PeeringState::parse).unwrap_or(PeeringState::Unknown),
            sync_level: p.properties.peering_sync_level.as_deref().map(PeeringSyncLevel::parse),
        })
}
