//! The registry firewall hop: public network access and `networkRuleSet` IP rules against the client's egress
//! public addresses. IP rules do not apply to traffic that arrives through a private endpoint.
//! (<https://learn.microsoft.com/azure/container-registry/container-registry-access-selected-networks>)
//!
//! Egress is single addresses and ranges (NAT gateway or node public IP prefixes). A range passes only if every
//! address in it is inside the allowed rules: any node may pull, and which address of the prefix a flow leaves
//! from is Azure's choice.
//!
//! Address families: ACR IP rules take IPv4 addresses and CIDR ranges only ("IPv4 address or CIDR range",
//! <https://learn.microsoft.com/cli/azure/acr/network-rule>), and a registry's public endpoints are IPv4 unless
//! its endpoint protocol is switched to the `IPv4AndIPv6` preview ("IPv4 (default): Registry endpoints are
//! reachable over IPv4 only",
//! <https://learn.microsoft.com/azure/container-registry/container-registry-ipv6-dual-stack>). That setting is not
//! returned at the api-version the snapshot reads, so endpoints are taken as IPv4: a dual-stack client reaches
//! them over IPv4, and its IPv6 egress addresses are listed in `other_family`, not judged.
//!
//! A route to a virtual appliance or gateway overrides the subnet's NAT gateway and the nodes' public IPs ("UDR
//! to next hop virtual appliance or virtual network gateway >> NAT gateway >> Instance-level public IP address
//! on a virtual machine >> load balancer outbound rules", <https://learn.microsoft.com/azure/nat-gateway/nat-overview>):
//! traffic the route hop sends there leaves from the appliance's address, which ARM does not tie to the client,
//! so the verdict for it is `unknown`, never judged on the client's own egress. The exception is an Azure
//! Firewall in the snapshot: traffic it lets through is source-NATed to its public IPs (or its subnet's NAT
//! gateway's), which ARM does show, so those are judged instead of the client's
//! ([`crate::analysis::net::azure_firewall::egress`]).

use super::Judgement;
use crate::analysis::facts::{
    AzureFirewallFacts, BlockedAt, ClientFacts, DefaultAction, DnsFacts, DnsStatus, FirewallFacts, FirewallVerdict,
    NextHopType, PublicNetworkAccess, Reachable, RegistryFacts, RouteFacts, RouteHop,
};
use crate::analysis::net::ipset::IpSet;

/// The registry firewall's verdict on the client's egress addresses.
pub(super) fn hop(
    registry: &RegistryFacts,
    client: &ClientFacts,
    dns: &DnsFacts,
    route: &RouteFacts,
    azure_firewall: Option<&AzureFirewallFacts>,
) -> FirewallFacts {
    let mut f = FirewallFacts {
        verdict: FirewallVerdict::Allowed,
        reason: String::new(),
        egress_ips: client.egress_ips.clone(),
        uncovered_ips: vec![],
        egress_prefixes: client.egress_prefixes.clone(),
        uncovered_prefixes: vec![],
        other_family: vec![],
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
    // Traffic through an Azure Firewall in the snapshot leaves from the firewall's SNAT addresses.
    let through_firewall = azure_firewall.filter(|fw| fw.egress_known);
    let appliance: Vec<&RouteHop> = route
        .hops
        .iter()
        .filter(|h| matches!(h.next_hop_type, NextHopType::VirtualAppliance | NextHopType::VirtualNetworkGateway))
        .filter(|h| through_firewall.map(|fw| fw.route != h.route).unwrap_or(true))
        .collect();
    let direct = route.hops.iter().any(|h| h.next_hop_type == NextHopType::Internet);
    if let Some(fw) = through_firewall {
        if direct {
            f.egress_ips.extend(fw.egress_ips.iter().cloned());
            f.egress_prefixes.extend(fw.egress_prefixes.iter().cloned());
        } else {
            f.egress_ips = fw.egress_ips.clone();
            f.egress_prefixes = fw.egress_prefixes.clone();
        }
    }
    let appliance_text = appliance
        .iter()
        .map(|h| match &h.next_hop_ip {
            Some(ip) => format!("{} {ip} (route {})", h.next_hop_type, h.route_name),
            None => format!("{} (route {})", h.next_hop_type, h.route_name),
        })
        .collect::<Vec<_>>()
        .join(", ");
    if !appliance.is_empty() && !direct && through_firewall.is_none() {
        f.verdict = FirewallVerdict::Unknown;
        f.reason = format!(
            "the registry allows selected networks only, and the traffic leaves through {appliance_text}: the public address it leaves from is not known from ARM"
        );
        return f;
    }
    let allowed =
        registry.ip_rules.iter().filter_map(|r| IpSet::parse_prefix(r)).fold(IpSet::empty(), |a, b| a.union(&b));
    let mut unparsed: Vec<String> = Vec::new();
    let mut judged = 0usize;
    let mut partial: Vec<String> = Vec::new();
    let (ips, prefixes) = (f.egress_ips.clone(), f.egress_prefixes.clone());
    for ip in &ips {
        if IpSet::is_ipv6_text(ip) {
            f.other_family.push(ip.clone());
            continue;
        }
        match IpSet::parse_prefix(ip) {
            Some(set) => {
                judged += 1;
                if !allowed.contains_set(&set) {
                    f.uncovered_ips.push(ip.clone());
                }
            }
            None => unparsed.push(ip.clone()),
        }
    }
    for prefix in &prefixes {
        if IpSet::is_ipv6_text(prefix) {
            f.other_family.push(prefix.clone());
            continue;
        }
        match IpSet::parse_prefix(prefix) {
            Some(set) => {
                judged += 1;
                let outside = set.difference(&allowed);
                if !outside.is_empty() {
                    f.uncovered_prefixes.push(prefix.clone());
                    if outside.len() < set.len() {
                        partial.push(format!(
                            "{prefix} is only partly covered ({} of its {} addresses are outside every IP rule)",
                            outside.len(),
                            set.len()
                        ));
                    }
                }
            }
            None => unparsed.push(prefix.clone()),
        }
    }
    if !f.uncovered_ips.is_empty() || !f.uncovered_prefixes.is_empty() {
        f.verdict = FirewallVerdict::Blocked;
        let mut uncovered: Vec<&str> = f.uncovered_ips.iter().map(String::as_str).collect();
        uncovered.extend(f.uncovered_prefixes.iter().map(String::as_str));
        f.reason = format!("no IP rule covers {}", uncovered.join(", "));
        if let Some(fw) = through_firewall {
            f.reason.push_str(&format!(" (traffic through Azure Firewall {} leaves from {})", fw.name, fw.egress));
        }
        if !partial.is_empty() {
            f.reason.push_str(&format!(" ({})", partial.join("; ")));
        }
        return f;
    }
    // The client's own egress matters only for traffic that leaves directly.
    let mut unknown: Vec<String> =
        if through_firewall.is_some() && !direct { vec![] } else { client.egress_unknown.iter().cloned().collect() };
    if !appliance.is_empty() {
        unknown.push(format!("part of the traffic leaves through {appliance_text}"));
    }
    if !unparsed.is_empty() {
        unknown.push(format!("egress address {} is not an IP address or CIDR range", unparsed.join(", ")));
    }
    if judged == 0 && unknown.is_empty() {
        unknown.push(if f.other_family.is_empty() {
            format!("outbound type {}", client.outbound_type.as_ref().map(|o| o.as_str()).unwrap_or("unknown"))
        } else {
            "the client has only IPv6 egress addresses and the registry endpoint is IPv4".to_string()
        });
    }
    if !unknown.is_empty() {
        f.verdict = FirewallVerdict::Unknown;
        f.reason = if judged == 0 {
            format!(
                "the registry allows selected networks only, and the client's egress IP is not known from ARM ({})",
                unknown.join("; ")
            )
        } else {
            format!(
                "the registry allows selected networks only; the known egress addresses are covered, but part of the client's egress is not known from ARM ({})",
                unknown.join("; ")
            )
        };
        return f;
    }
    f.reason = "every egress IP is covered by an IP rule".into();
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
