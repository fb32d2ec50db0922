//! The registry firewall hop: public network access and `networkRuleSet` IP rules against the client's egress
//! public IPs. IP rules do not apply to traffic that arrives through a private endpoint.
//! (<https://learn.microsoft.com/azure/container-registry/container-registry-access-selected-networks>)

use super::Judgement;
use crate::analysis::facts::{
    BlockedAt, ClientFacts, DefaultAction, DnsFacts, DnsStatus, FirewallFacts, FirewallVerdict, PublicNetworkAccess,
    Reachable, RegistryFacts,
};
use crate::analysis::net::ipset::IpSet;
use std::net::Ipv4Addr;

/// The registry firewall's verdict on the client's egress addresses.
pub(super) fn hop(registry: &RegistryFacts, client: &ClientFacts, dns: &DnsFacts) -> FirewallFacts {
    let mut f = FirewallFacts {
        verdict: FirewallVerdict::Allowed,
        reason: String::new(),
        egress_ips: client.egress_ips.clone(),
        uncovered_ips: vec![],
    };
    if dns.status == DnsStatus::Private {
        f.verdict = FirewallVerdict::NotApplicable;
        f.reason = "the name resolves to a private endpoint: registry IP rules do not apply".into();
        return f;
    }
    if registry.public_network_access == PublicNetworkAccess::Disabled {
        f.verdict = FirewallVerdict::Blocked;
        f.reason = "public network access is disabled: only private endpoints are accepted".into();
        return f;
    }
    if registry.default_action != DefaultAction::Deny {
        f.reason = "public network access from all networks".into();
        return f;
    }
    if client.egress_ips.is_empty() {
        f.verdict = FirewallVerdict::Unknown;
        f.reason = format!(
            "the registry allows selected networks only, and the client's egress IP is not known from ARM (outbound type {})",
            client.outbound_type.as_ref().map(|o| o.as_str()).unwrap_or("unknown")
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
        f.verdict = FirewallVerdict::Blocked;
        f.reason = format!("no IP rule covers {}", f.uncovered_ips.join(", "));
    }
    f
}

/// Blocked egress blocks the path; an unknown egress address leaves it unknown.
pub(super) fn judge(firewall: &FirewallFacts) -> Judgement {
    match firewall.verdict {
        FirewallVerdict::Blocked => Judgement::Blocked { reachable: Reachable::No, at: BlockedAt::Firewall },
        FirewallVerdict::Unknown => Judgement::Unknown,
        _ => Judgement::Pass,
    }
}
