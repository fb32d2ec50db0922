//! The DNS hop: what a registry endpoint's name resolves to from a client VNet, computed from private DNS zones
//! and, when the VNet names custom DNS servers, from the chain of servers behind them ([`super::dns_chain`]).
//!
//! With Azure-provided DNS (168.63.129.16) in a VNet: a DNS forwarding ruleset linked to the VNet whose rule
//! matches the name sends the query to the rule's targets (the chain follows them); otherwise a `privatelink`
//! zone linked to the VNet answers with its A record (private path), or with NXDOMAIN when it lacks the record,
//! unless the link's `resolutionPolicy` is `NxDomainRedirect`, which falls back to public resolution
//! (<https://learn.microsoft.com/azure/dns/private-dns-fallback>); without a linked zone the name resolves
//! publicly. ARM refuses to link a VNet to two zones with the same (overlapping) name, so a readable linked
//! zone is the answer; without one, a zone of that name that could not be read (a 403 on a zone a private endpoint's DNS
//! zone group names, often in a hub subscription) might be the linked one, and the answer is `unknown`.
//! With custom DNS servers, each server's chain is followed to the VNet whose Azure DNS answers (a resolver's,
//! a firewall's, a DNS VM's), and the chains' answers are combined (see [`combine`]).

use super::dns_chain::{End, Walk, Walker};
use super::private_zones::Query;
use super::{Judgement, PathContext, SubnetContext};
use crate::analysis::facts::{
    BlockedAt, DnsAnswer, DnsFacts, DnsStatus, Endpoint, EndpointKind, Reachable, RegistryFacts,
};
use crate::model::{id_key, vnet_key_of_subnet, Model};

/// The DNS hop: what the endpoint's name resolves to from the client subnet's VNet, and which private
/// addresses the registry's private endpoints serve for it (to spot stale records).
pub(super) fn hop(
    ctx: &mut PathContext<'_, '_>,
    subnet: &SubnetContext<'_>,
    registry: &RegistryFacts,
    endpoint: &Endpoint,
) -> DnsFacts {
    let expected = match endpoint.kind {
        EndpointKind::Storage => vec![],
        _ => {
            let pe_ids: Vec<String> = registry.private_endpoints.iter().map(|p| p.id.clone()).collect();
            expected_addresses(ctx.model, &pe_ids, endpoint)
        }
    };
    let custom_dns_servers =
        subnet.vnet.and_then(|v| v.properties.dhcp_options.as_ref()).map(|d| d.dns_servers.clone()).unwrap_or_default();
    let vnet_key = subnet.vnet.map(|v| id_key(&v.id)).or_else(|| vnet_key_of_subnet(&subnet.subnet_id));
    let mut facts = DnsFacts {
        status: DnsStatus::Public,
        answer: DnsAnswer::Public,
        custom_dns_servers,
        resolved_in: None,
        chains: vec![],
        zone: None,
        link: None,
        unread_zones: vec![],
        cause: None,
        record: None,
        addresses: vec![],
        expected_addresses: expected,
        stale: false,
    };
    let Some(record_name) = endpoint.private_link_record.as_deref() else {
        facts.status = DnsStatus::NotApplicable;
        facts.answer = DnsAnswer::NotApplicable;
        return facts;
    };
    let Some(vnet_key) = vnet_key else { return facts };
    let cache_key = format!("{vnet_key}|{}|{}|{record_name}", id_key(&registry.id), endpoint.fqdn.to_ascii_lowercase());
    if let Some(answer) = ctx.dns_answers.get(&cache_key) {
        return answer.clone();
    }
    let query = Query {
        fqdn: &endpoint.fqdn,
        private_name: format!("{record_name}.{}", ctx.cloud.private_link_zone),
        record_name,
        zone_name: ctx.cloud.private_link_zone,
        registry,
        base: &facts,
    };
    let walker = Walker::new(ctx.model, &ctx.responders, &query);
    let walks: Vec<Walk> = if facts.custom_dns_servers.is_empty() {
        walker.azure_dns_of_client(&vnet_key)
    } else {
        facts.custom_dns_servers.iter().flat_map(|server| walker.ask_from_client(server, &vnet_key)).collect()
    };
    let answer = combine(facts.clone(), walks);
    ctx.dns_answers.insert(cache_key, answer.clone());
    answer
}

/// The answer a client gets from its chains.
///
/// - Without custom DNS servers and without a forwarding rule on the way, the client VNet's own Azure DNS
///   answer, with no chain recorded (as before custom DNS chains were followed).
/// - Chains that end where nothing answers are left out when another chain answers: forwarders move on to a
///   server that responds (a ruleset rule uses its first target "unless it doesn't respond", and the Azure
///   Firewall DNS proxy "stops using a detected unhealthy server":
///   <https://learn.microsoft.com/azure/dns/private-resolver-endpoints-rulesets#rule-processing>,
///   <https://learn.microsoft.com/azure/firewall/dns-settings#high-availability-failover>), and client resolvers
///   retry the VNet's next server after a timeout. When no chain answers, no name resolves (`no_answer`).
/// - A chain that leaves what the snapshot shows (on-premises) or hinges on something unread makes the answer
///   `unknown`.
/// - Chains that answer differently make it `unknown` too: a client may use any of its VNet's servers, and a
///   firewall proxy with several servers picks one at random
///   (<https://learn.microsoft.com/azure/firewall/dns-settings#dns-servers>), so no single answer is the
///   client's. Each chain stays in the facts, so a rule can still name the one that resolves publicly.
fn combine(mut facts: DnsFacts, walks: Vec<Walk>) -> DnsFacts {
    let plain = facts.custom_dns_servers.is_empty()
        && walks.len() == 1
        && walks[0].hops.len() == 1
        && walks[0].hops[0].forwarding_rule.is_none();
    if plain {
        if let End::Resolved(resolved) = &walks[0].end {
            let mut out = (**resolved).clone();
            out.custom_dns_servers = facts.custom_dns_servers;
            return out;
        }
    }
    facts.chains = walks.iter().map(Walk::to_chain).collect();
    let answering: Vec<&Walk> = walks.iter().filter(|w| !matches!(w.end, End::Nothing(_))).collect();
    if answering.is_empty() {
        facts.status = DnsStatus::NoAnswer;
        facts.answer = DnsAnswer::NoAnswer;
        facts.cause = Some(causes(walks.iter()));
        return facts;
    }
    let resolved: Vec<&DnsFacts> = answering
        .iter()
        .filter_map(|w| match &w.end {
            End::Resolved(f) if f.status != DnsStatus::Unknown => Some(&**f),
            _ => None,
        })
        .collect();
    if resolved.len() < answering.len() {
        facts.status = DnsStatus::Unknown;
        facts.answer = DnsAnswer::Unknown;
        for w in &answering {
            if let End::Resolved(f) = &w.end {
                for z in &f.unread_zones {
                    if !facts.unread_zones.contains(z) {
                        facts.unread_zones.push(z.clone());
                    }
                }
            }
        }
        facts.cause = Some(causes(
            answering.iter().copied().filter(|w| !matches!(&w.end, End::Resolved(f) if f.status != DnsStatus::Unknown)),
        ));
        return facts;
    }
    let first = resolved[0];
    let key = |f: &DnsFacts| {
        let mut a = f.addresses.clone();
        a.sort();
        (f.status, f.answer, a)
    };
    if resolved.iter().all(|f| key(f) == key(first)) {
        let mut out = first.clone();
        out.custom_dns_servers = facts.custom_dns_servers;
        out.chains = facts.chains;
        if !resolved.iter().all(|f| f.resolved_in == first.resolved_in) {
            out.resolved_in = None;
        }
        return out;
    }
    facts.status = DnsStatus::Unknown;
    facts.answer = DnsAnswer::Unknown;
    let answers: Vec<String> = facts
        .chains
        .iter()
        .filter(|c| c.status != DnsStatus::NoAnswer)
        .map(|c| {
            let what = if c.addresses.is_empty() { c.answer.to_string() } else { c.addresses.join(", ") };
            format!("{} answers {what}", c.server)
        })
        .collect();
    facts.cause = Some(format!(
        "the DNS chains answer differently ({}): a client may use any of its VNet's DNS servers, so its answer is not known",
        answers.join("; ")
    ));
    facts
}

/// The causes of chains that did not resolve, joined.
fn causes<'w>(walks: impl Iterator<Item = &'w Walk>) -> String {
    let mut out: Vec<String> = Vec::new();
    for w in walks {
        let cause = match &w.end {
            End::Unknown(c) | End::Nothing(c) => c.clone(),
            End::Resolved(f) => f.cause.clone().unwrap_or_default(),
        };
        let text = format!("via {}: {cause}", w.server());
        if !out.contains(&text) {
            out.push(text);
        }
    }
    out.join("; ")
}

/// Only a name that does not resolve at all blocks the path here; a public answer is judged by later hops, and
/// an answer that hinges on a zone that could not be read leaves the path unknown.
pub(super) fn judge(dns: &DnsFacts) -> Judgement {
    match dns.status {
        // No server on the chain answers: no name resolves.
        DnsStatus::Nxdomain | DnsStatus::NoAnswer => {
            Judgement::Blocked { reachable: Reachable::No, at: BlockedAt::Dns }
        }
        DnsStatus::Unknown => Judgement::Unknown,
        _ => Judgement::Pass,
    }
}

/// Each private IP of a private endpoint with the names it serves: its NICs' IP configurations (names from
/// `privateLinkConnectionProperties.fqdns`, plus the member: `registry`, `registry_data_<region>`) and its own
/// `customDnsConfigs`.
fn served_addresses(model: &Model, private_endpoint_id: &str) -> Vec<(Vec<String>, Option<String>, String)> {
    let mut out = Vec::new();
    let Some(pe) = model.private_endpoint(private_endpoint_id) else { return out };
    for nic in pe.properties.network_interfaces.iter().filter_map(|n| model.network_interface(&n.id)) {
        for c in &nic.properties.ip_configurations {
            let link = c.properties.private_link_connection_properties.as_ref();
            let fqdns = link.map(|l| l.fqdns.clone()).unwrap_or_default();
            let member = link.and_then(|l| l.required_member_name.clone());
            if let Some(ip) = &c.properties.private_ip_address {
                out.push((fqdns, member, ip.clone()));
            }
        }
    }
    for cfg in &pe.properties.custom_dns_configs {
        for ip in &cfg.ip_addresses {
            out.push((cfg.fqdn.iter().cloned().collect(), None, ip.clone()));
        }
    }
    out
}

/// The private IPs the registry's private endpoints serve for `endpoint` (by FQDN, or for a data endpoint by
/// its member `registry_data_<region>`), without duplicates.
fn expected_addresses(model: &Model, private_endpoint_ids: &[String], endpoint: &Endpoint) -> Vec<String> {
    let member = (endpoint.kind == EndpointKind::Data).then(|| format!("registry_data_{}", endpoint.region));
    let mut out: Vec<String> = Vec::new();
    for pe_id in private_endpoint_ids {
        for (fqdns, m, ip) in served_addresses(model, pe_id) {
            let by_name = fqdns.iter().any(|f| f.eq_ignore_ascii_case(&endpoint.fqdn));
            let by_member = match (&member, &m) {
                (Some(want), Some(got)) => want.eq_ignore_ascii_case(got),
                _ => false,
            };
            if (by_name || by_member) && !out.contains(&ip) {
                out.push(ip);
            }
        }
    }
    out
}

/// Every private IP of a private endpoint.
pub(super) fn endpoint_addresses(model: &Model, private_endpoint_id: &str) -> Vec<String> {
    served_addresses(model, private_endpoint_id).into_iter().map(|(_, _, ip)| ip).collect()
}
