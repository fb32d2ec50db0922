//! The route hop: which next hop of the client subnet's effective routes carries each part of the destination
//! (longest-prefix match over system routes, peerings and the subnet's route table).

use super::{Judgement, SubnetContext};
use crate::analysis::facts::{BlockedAt, Coverage, NextHopType, Reachable, RouteFacts, RouteHop};
use crate::analysis::net::ipset::IpSet;

/// The next hops carrying `dest`, each with the part it carries.
pub(super) fn hop(subnet: &SubnetContext<'_>, dest: &IpSet) -> RouteFacts {
    let hops = subnet
        .routes
        .classify(dest)
        .into_iter()
        .map(|(e, set)| RouteHop {
            next_hop_type: e.next_hop_type.clone(),
            next_hop_ip: e.next_hop_ip.clone(),
            route: e.id.clone(),
            route_name: e.name.clone(),
            address_prefix: e.address_prefix.clone(),
            origin: e.origin,
            coverage: if set == *dest { Coverage::All } else { Coverage::Some },
            addresses: set.len(),
            examples: set.examples(5),
        })
        .collect();
    RouteFacts {
        route_table: subnet.route_table.map(|t| t.id.clone()),
        hops,
        unresolved: subnet.routes.unresolved_for(dest),
    }
}

/// Next hop `None` drops traffic: all of the destination (`no`: every hop is `None`; the hops split the
/// destination between them) or part of it (`partial`). A route whose effect could not be resolved (a service
/// tag the snapshot lacks; a user route that may invalidate a private endpoint's host route) may capture the
/// destination too, so without a definite drop the path is uncertain, as with an NSG rule that cannot be
/// resolved: never a plain `yes`.
pub(super) fn judge(route: &RouteFacts) -> Judgement {
    let drops = |h: &&RouteHop| h.next_hop_type == NextHopType::None;
    if !route.hops.iter().any(|h| drops(&h)) {
        return if route.unresolved.is_empty() { Judgement::Pass } else { Judgement::Uncertain };
    }
    let reachable = if route.hops.iter().all(|h| drops(&h)) { Reachable::No } else { Reachable::Partial };
    Judgement::Blocked { reachable, at: BlockedAt::Route }
}
