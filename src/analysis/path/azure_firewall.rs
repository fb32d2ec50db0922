//! The Azure Firewall hop: when the route hop sends (part of) the destination to a `VirtualAppliance` whose
//! address is an Azure Firewall in the snapshot, that firewall's rules judge the flow: the client's addresses to
//! the part of the destination the route sends there, TCP 443, the endpoint's name as the TLS SNI
//! ([`crate::analysis::net::azure_firewall`] has the rule processing and its Microsoft Learn sources).
//!
//! Where it sits: a client's outbound NSGs (NIC, subnet) filter the packet as it leaves the client, before the
//! route delivers it to the firewall, so the path judges the NSG hop first and the firewall after it; the
//! registry's own firewall sees what the Azure Firewall let through (from its SNAT addresses).
//!
//! Only the first Azure Firewall among the route's next hops is evaluated; an appliance that is not an Azure
//! Firewall in the snapshot stays unevaluated (ACR-NET-004).

use super::{Judgement, PathContext, SubnetContext};
use crate::analysis::facts::{
    AzureFirewallFacts, AzureFirewallVerdict, BlockedAt, Coverage, Endpoint, FirewallRuleFacts, FirewallRuleKind,
    NextHopType, Reachable, RouteFacts,
};
use crate::analysis::net::azure_firewall::{self, Decision, Flow, RuleKind, RuleOrigin};
use crate::analysis::net::ipset::IpSet;
use crate::analysis::responders::Responder;

/// The firewall's verdict, if the route sends the path through an Azure Firewall.
pub(super) fn hop(
    ctx: &mut PathContext<'_, '_>,
    subnet: &SubnetContext<'_>,
    source: &IpSet,
    dest: &IpSet,
    endpoint: &Endpoint,
    route: &RouteFacts,
) -> Option<AzureFirewallFacts> {
    let (hop, fw) = route.hops.iter().find_map(|h| {
        if h.next_hop_type != NextHopType::VirtualAppliance {
            return None;
        }
        match ctx.responders.at(h.next_hop_ip.as_deref()?) {
            Some(Responder::AzureFirewall(fw)) => Some((h, fw)),
            _ => None,
        }
    })?;
    let carried = subnet
        .routes
        .classify(dest)
        .into_iter()
        .filter(|(e, _)| e.id == hop.route)
        .fold(IpSet::empty(), |acc, (_, s)| acc.union(&s));
    let compiled = ctx.firewalls.get(ctx.model, ctx.resolver, fw);
    let decision = compiled.evaluate(Flow { source, destination: &carried, fqdn: &endpoint.fqdn });
    let (verdict, partial, deciding, cause, tls) = match decision {
        Decision::Allow { rules } => {
            let tls = rules.iter().any(|r| r.terminate_tls);
            (AzureFirewallVerdict::Allow, false, rules.last().map(|r| rule_facts(r)), None, tls)
        }
        Decision::Deny { rule, partial } => {
            (AzureFirewallVerdict::Deny, partial, rule.as_deref().map(rule_facts), None, false)
        }
        Decision::Unknown { cause, rule } => {
            (AzureFirewallVerdict::Unknown, false, rule.as_deref().map(rule_facts), Some(cause), false)
        }
    };
    let (egress_ips, egress_prefixes, egress, egress_known) = match azure_firewall::egress(ctx.model, fw) {
        Ok(e) => (e.ips, e.prefixes, e.source, true),
        Err(why) => (vec![], vec![], why, false),
    };
    Some(AzureFirewallFacts {
        firewall: fw.id.clone(),
        name: fw.name.clone(),
        next_hop_ip: hop.next_hop_ip.clone().unwrap_or_default(),
        route: hop.route.clone(),
        coverage: hop.coverage,
        policy: compiled.policy.clone(),
        policy_chain: compiled.chain.clone(),
        rule_collection_groups: compiled.groups.clone(),
        verdict,
        partial,
        sources: source.examples(5),
        fqdn: endpoint.fqdn.clone(),
        port: 443,
        deciding_rule: deciding,
        tls_inspection: tls,
        dns_proxy: compiled.dns_proxy,
        cause,
        egress_ips,
        egress_prefixes,
        egress,
        egress_known,
    })
}

fn rule_facts(r: &RuleOrigin) -> FirewallRuleFacts {
    FirewallRuleFacts {
        policy: r.policy.as_deref().map(str::to_string),
        rule_collection_group: r.group.as_deref().map(str::to_string),
        group_priority: r.group_priority,
        collection: r.collection.to_string(),
        collection_priority: r.collection_priority,
        rule: r.rule.clone(),
        kind: match r.kind {
            RuleKind::Network => FirewallRuleKind::Network,
            RuleKind::Application => FirewallRuleKind::Application,
        },
        action: r.action.to_string(),
    }
}

/// A deny blocks the path: all of it when the firewall carries the whole destination and denies every flow,
/// else part; an unknown verdict leaves the path unknown.
pub(super) fn judge(fw: Option<&AzureFirewallFacts>) -> Judgement {
    let Some(fw) = fw else { return Judgement::Pass };
    match fw.verdict {
        AzureFirewallVerdict::Allow => Judgement::Pass,
        AzureFirewallVerdict::Unknown => Judgement::Unknown,
        AzureFirewallVerdict::Deny => {
            let reachable =
                if !fw.partial && fw.coverage == Coverage::All { Reachable::No } else { Reachable::Partial };
            Judgement::Blocked { reachable, at: BlockedAt::AzureFirewall }
        }
    }
}
