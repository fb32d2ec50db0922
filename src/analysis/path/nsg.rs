//! The NSG hop: every NSG on the path judges the same flow, the client's addresses to the destination on TCP
//! 443, both of the path's address family. Outbound, the client NIC's NSG first, then the client subnet's (both must allow); inbound, the private
//! endpoint subnet's NSG, only when that subnet's `privateEndpointNetworkPolicies` enforces NSGs
//! (<https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy>).

use super::{Judgement, PathContext, SubnetContext};
use crate::analysis::facts::{
    BlockedAt, ClientFacts, Direction, LevelVerdict, NsgLevel, NsgPathFacts, NsgPathVerdict, PrivateEndpointHop,
    Reachable,
};
use crate::analysis::net::ipset::IpSet;
use crate::analysis::net::nsg::{self, Flow};
use crate::analysis::net::tags::VnetContext;

/// The NSGs on the path and their combined verdict.
pub(super) fn hop(
    ctx: &mut PathContext<'_, '_>,
    client: &ClientFacts,
    subnet: &SubnetContext<'_>,
    source: &IpSet,
    dest: &IpSet,
    pe: Option<&PrivateEndpointHop>,
) -> NsgPathFacts {
    let model = ctx.model;
    let mut evaluations = Vec::new();
    let mut denied = IpSet::empty();
    let source_asgs = client.application_security_groups.as_deref();
    let https_flow =
        |direction| Flow { source, source_asgs, destination: dest, destination_asgs: &[], port: 443, direction };
    let mut judge = |level, nsg, flow: &Flow<'_>, vctx: &VnetContext, resolver: &mut _| {
        let evaluation = nsg::evaluate(nsg, flow, resolver, vctx);
        denied = denied.union(&evaluation.denied);
        evaluations.push(LevelVerdict { level, verdict: evaluation.verdict });
    };
    for nic in client.nic_ids.iter().filter_map(|n| model.network_interface(n)) {
        let in_subnet = nic.properties.ip_configurations.iter().any(|c| {
            c.properties.subnet.as_ref().map(|s| s.id.eq_ignore_ascii_case(&subnet.subnet_id)).unwrap_or(false)
        });
        let nsg = nic.properties.network_security_group.as_ref().and_then(|n| model.network_security_group(&n.id));
        if let (true, Some(nsg), false) = (in_subnet, nsg, dest.is_empty()) {
            judge(NsgLevel::ClientNic, nsg, &https_flow(Direction::Outbound), &subnet.vctx, ctx.resolver);
        }
    }
    let subnet_nsg = subnet
        .subnet
        .and_then(|s| s.subnet.properties.network_security_group.as_ref())
        .and_then(|n| model.network_security_group(&n.id));
    if let (Some(nsg), false) = (subnet_nsg, dest.is_empty()) {
        judge(NsgLevel::ClientSubnet, nsg, &https_flow(Direction::Outbound), &subnet.vctx, ctx.resolver);
    }
    if let Some(pe_subnet) = pe.and_then(|p| p.subnet.as_deref()).and_then(|s| model.subnet(s)) {
        let props = &pe_subnet.subnet.properties;
        let policies = props.private_endpoint_network_policies.as_deref().unwrap_or("Disabled");
        let enforced =
            policies.eq_ignore_ascii_case("Enabled") || policies.eq_ignore_ascii_case("NetworkSecurityGroupEnabled");
        let nsg = props.network_security_group.as_ref().and_then(|n| model.network_security_group(&n.id));
        if let (true, Some(nsg), false) = (enforced, nsg, dest.is_empty()) {
            let pe_ctx = VnetContext::of(Some(pe_subnet.vnet));
            judge(NsgLevel::EndpointSubnet, nsg, &https_flow(Direction::Inbound), &pe_ctx, ctx.resolver);
        }
    }
    let verdict = if evaluations.is_empty() {
        NsgPathVerdict::None
    } else if denied.is_empty() {
        NsgPathVerdict::Allow
    } else if dest.difference(&denied).is_empty() {
        NsgPathVerdict::Deny
    } else {
        NsgPathVerdict::Partial
    };
    NsgPathFacts {
        verdict,
        uncertain: evaluations.iter().any(|e| e.verdict.uncertain),
        denied_examples: denied.examples(5),
        denied_addresses: denied.len(),
        evaluations,
    }
}

/// A deny decides the path unless it hinged on a rule that could not be resolved (then nobody knows); an allow
/// that hinged on one leaves the path uncertain.
pub(super) fn judge(nsg: &NsgPathFacts) -> Judgement {
    match (nsg.verdict, nsg.uncertain) {
        (NsgPathVerdict::Deny | NsgPathVerdict::Partial, true) => Judgement::Unknown,
        (NsgPathVerdict::Deny, false) => Judgement::Blocked { reachable: Reachable::No, at: BlockedAt::Nsg },
        (NsgPathVerdict::Partial, false) => Judgement::Blocked { reachable: Reachable::Partial, at: BlockedAt::Nsg },
        (_, true) => Judgement::Uncertain,
        _ => Judgement::Pass,
    }
}
