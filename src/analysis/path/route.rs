//! The route hop: which next hop of the client subnet's effective routes carries each part of the destination
//! (longest-prefix match over system routes, peerings and the subnet's route table).

use super::{Judgement, SubnetContext};
use crate::analysis::facts::{BlockedAt, Coverage, NextHopType, Reachable, RouteFacts, RouteHop};
use crate::analysis::net::ipset::IpSet;

/// The next hops carrying `dest`, each with the part it carries.
pub(super) fn hop(subnet: &SubnetContext<'_>, dest: &IpSet) -> RouteFacts {
    let total = dest.len();
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
            coverage: if set.len() == total { Coverage::All } else { Coverage::Some },
            addresses: set.len(),
            examples: set.examples(5),
        })
        .collect();
    RouteFacts {
        route_table: subnet.route_table.map(|t| t.id.clone()),
        hops,
        unresolved: subnet.routes.unresolved.clone(),
    }
}

/// Next hop `None` drops traffic: all of the destination (`no`) or part of it (`partial`). A route whose prefix
/// could not be resolved (a service tag the snapshot lacks) may capture the destination too, so without a
/// definite drop the path is uncertain, as with an NSG rule that cannot be resolved: never a plain `yes`.
pub(super) fn judge(route: &RouteFacts, destination_addresses: u64) -> Judgement {
    let dropped: u64 = route.hops.iter().filter(|h| h.next_hop_type == NextHopType::None).map(|h| h.addresses).sum();
    if dropped == 0 {
        return if route.unresolved.is_empty() { Judgement::Pass } else { Judgement::Uncertain };
    }
    let reachable = if dropped == destination_addresses { Reachable::No } else { Reachable::Partial };
    Judgement::Blocked { reachable, at: BlockedAt::Route }
}
