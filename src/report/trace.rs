//! Renders the path facts of one client × registry pair: hop by hop as text, or as a mermaid flowchart that
//! GitHub renders in Markdown, with the blocking hop in red.
//!
//! Names, ids, addresses and reasons come from the snapshot: the text form passes each through
//! [`terminal`](super::escape::terminal), the mermaid form through [`mermaid_label`] (and node ids through
//! [`mermaid_id`]).

use super::escape::{mermaid_id, mermaid_label, terminal as t};
use crate::analysis::{
    AzureFirewallFacts, AzureFirewallVerdict, BlockedAt, ClientFacts, Coverage, DestinationKind, DnsAnswer, DnsChain,
    DnsChainHop, DnsStatus, NsgVerdictKind, PairFacts, PathFacts, Reachable,
};
use std::borrow::Cow;
use std::io::Write;

fn last(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or(id)
}

/// A list of values from the snapshot, each escaped for the terminal, joined with `, `.
fn list(items: &[String]) -> String {
    items.iter().map(|i| t(i)).collect::<Vec<_>>().join(", ")
}

/// An optional value from the snapshot, escaped for the terminal, `?` when absent.
fn opt(v: Option<&str>) -> Cow<'_, str> {
    v.map(t).unwrap_or(Cow::Borrowed("?"))
}

fn status(p: &PathFacts) -> String {
    match (p.reachable, p.blocked_at) {
        (Reachable::Yes, _) => "reachable".into(),
        (r, Some(at)) => format!("{} at {at}", if r == Reachable::Partial { "PARTLY BLOCKED" } else { "BLOCKED" }),
        _ => "unknown".into(),
    }
}

/// Human-readable trace; `client` is the pair's client, for its kind and where its pulls leave from.
pub fn render_text(
    pair: &PairFacts,
    client: Option<&ClientFacts>,
    paths: &[PathFacts],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "{} → {} (pair: {})", t(&pair.client_name), t(&pair.registry_name), pair.reason)?;
    if let Some(c) = client {
        let why = c.pull_network_reason.as_deref().map(|r| format!(" ({})", t(r))).unwrap_or_default();
        writeln!(out, "client kind {}; pulls from the {} network{why}", c.kind, c.pull_network)?;
    }
    if let Some(l) = &pair.login {
        let identity = match (&l.identity, &l.principal_id) {
            (Some(i), Some(p)) => format!(" identity {} → {} ({})", t(i), t(p), l.identity_status),
            (Some(i), None) => format!(" identity {} ({})", t(i), l.identity_status),
            _ => String::new(),
        };
        let user = l.username.as_deref().map(|u| format!(" user {}", t(u))).unwrap_or_default();
        let admin = if pair.admin_credentials { " (the admin user)" } else { "" };
        writeln!(out, "sign-in to {}: {}{identity}{user}{admin}, from {}", t(&l.server), l.method, t(&l.source))?;
    }
    if let Some(p) = &pair.public_pull {
        let bypass = p.bypass.as_deref().map(|b| format!(" [bypass {}]", t(b))).unwrap_or_default();
        writeln!(out, "public pull: {}{bypass}: {}", p.verdict, t(&p.reason))?;
    }
    for p in paths {
        // Steps are numbered as they are printed: a hop a path does not have (no route hop, no private
        // endpoint) leaves no gap.
        let mut number = 0;
        let mut step = |name: &str| {
            number += 1;
            format!("  {number} {name:<13}")
        };
        writeln!(
            out,
            "\n{} {} [{}] from subnet {}: {}",
            p.endpoint.kind,
            t(&p.endpoint.fqdn),
            t(&p.endpoint.region),
            t(last(&p.subnet)),
            status(p)
        )?;
        let d = &p.dns;
        let dns_line = match d.status {
            DnsStatus::Private => format!(
                "{} (A record {} in linked zone {})",
                list(&d.addresses),
                opt(d.record.as_deref().map(last)),
                opt(d.zone.as_deref().map(last))
            ),
            DnsStatus::Nxdomain => format!(
                "NXDOMAIN: zone {} is linked but has no record {}",
                opt(d.zone.as_deref().map(last)),
                opt(p.endpoint.private_link_record.as_deref())
            ),
            DnsStatus::Public if d.answer == DnsAnswer::PublicFallback => format!(
                "public address: zone {} is linked but has no record {}, and the link falls back to public resolution (NxDomainRedirect)",
                opt(d.zone.as_deref().map(last)),
                opt(p.endpoint.private_link_record.as_deref())
            ),
            // No private endpoint serves the name: it has no privatelink alias, whatever zones are linked.
            DnsStatus::Public if d.zone.is_none() && d.expected_addresses.is_empty() => {
                "public address (no private endpoint of the registry serves this name)".into()
            }
            DnsStatus::Public if !d.chains.is_empty() => format!(
                "public address (no privatelink zone linked to VNet {}, where the DNS chain resolves)",
                opt(d.resolved_in.as_deref().map(last))
            ),
            DnsStatus::Public => "public address (no privatelink zone linked to the client VNet)".into(),
            DnsStatus::Unknown => format!("unknown: {}", t(d.cause.as_deref().unwrap_or("a zone could not be read"))),
            DnsStatus::NoAnswer => {
                format!("no answer: {}", t(d.cause.as_deref().unwrap_or("no DNS server on the chain answers")))
            }
            _ => "storage account (public, by service tag)".into(),
        };
        writeln!(out, "{}{dns_line}", step("DNS"))?;
        if d.stale {
            writeln!(out, "                 stale: the private endpoint serves {}", list(&d.expected_addresses))?;
        }
        if !d.custom_dns_servers.is_empty() {
            writeln!(out, "                 custom DNS servers {}", list(&d.custom_dns_servers))?;
        }
        for chain in &d.chains {
            write_chain(out, chain)?;
        }
        let dest = &p.destination;
        let dest_line = match dest.kind {
            DestinationKind::ServiceTag => format!(
                "{} ({} addresses, e.g. {})",
                opt(dest.service_tag.as_deref()),
                dest.addresses,
                list(&dest.examples)
            ),
            DestinationKind::Unknown => {
                format!("{} (not in the snapshot's service tags: cannot evaluate)", opt(dest.service_tag.as_deref()))
            }
            DestinationKind::None => "none".into(),
            _ => list(&dest.examples),
        };
        writeln!(out, "{}{dest_line}", step("Destination"))?;
        for (i, h) in p.route.hops.iter().enumerate() {
            // One step for the route, one line per next hop.
            let label = if i == 0 { step("Route") } else { " ".repeat(17) };
            let via = h.next_hop_ip.as_deref().map(|ip| format!(" {}", t(ip))).unwrap_or_default();
            writeln!(
                out,
                "{label}{}{via} via {} {} ({:?}), {} of the destination{}",
                h.next_hop_type,
                t(&h.route_name),
                t(&h.address_prefix),
                h.origin,
                h.coverage,
                if h.coverage == Coverage::Some { format!(": {}", list(&h.examples)) } else { String::new() }
            )?;
        }
        if p.nsg.evaluations.is_empty() {
            writeln!(out, "{}none on the path", step("NSG"))?;
        }
        for (i, e) in p.nsg.evaluations.iter().enumerate() {
            let label = if i == 0 { step("NSG") } else { " ".repeat(17) };
            let v = &e.verdict;
            let rules: Vec<String> = v
                .deciding_rules
                .iter()
                .map(|r| format!("{} {} (priority {})", r.access, t(&r.name), r.priority))
                .collect();
            writeln!(
                out,
                "{label}{} {:?} at {}: {} by {}",
                t(&v.name),
                v.direction,
                e.level,
                v.verdict,
                rules.join("; ")
            )?;
            if v.verdict != NsgVerdictKind::Allow {
                writeln!(out, "                 denied: {}", list(&v.denied_examples))?;
            }
        }
        if let Some(fw) = &p.azure_firewall {
            writeln!(out, "{}{}", step("Azure FW"), azure_firewall_line(fw))?;
        }
        if let Some(pe) = &p.private_endpoint {
            let side = |s: &Option<crate::analysis::PeeringSideFacts>| {
                s.as_ref().map(|x| format!("{} {}", t(last(&x.id)), x.state)).unwrap_or_else(|| "missing".into())
            };
            // Through a hub appliance, the peering judged is the appliance VNet's: say so.
            let (from, near) = match &pe.transit {
                Some(tr) => (
                    format!(
                        "from {} (through {} {}) ",
                        opt(tr.vnet.as_deref().map(last)),
                        opt(tr.appliance.as_deref().map(last)),
                        t(&tr.next_hop_ip)
                    ),
                    "appliance side",
                ),
                None => (String::new(), "client side"),
            };
            writeln!(
                out,
                "{}{from}to {} in {}: {} ({near} {}, endpoint side {})",
                step("Peering"),
                t(last(&pe.id)),
                opt(pe.vnet.as_deref().map(last)),
                pe.peering.status,
                side(&pe.peering.local),
                side(&pe.peering.remote)
            )?;
        }
        writeln!(out, "{}{}: {}", step("Firewall"), p.firewall.verdict, t(&p.firewall.reason))?;
    }
    let r = &pair.rbac;
    let roles: Vec<String> = r
        .grants
        .iter()
        .map(|g| t(g.role_name.as_deref().unwrap_or_else(|| last(&g.role_definition))).into_owned())
        .collect();
    // Only AKS has node scale sets (and `--client` kinds kept the line as before).
    let consumer = client.map(|c| c.identity.is_some()).unwrap_or(false);
    let node_vmss =
        if !consumer { format!("; kubelet identity on node VMSS: {}", r.identity_on_node_vmss) } else { String::new() };
    writeln!(
        out,
        "\nRBAC: {} {} may pull: {} (roles: {}){node_vmss}",
        r.principal_kind,
        opt(r.principal_id.as_deref()),
        r.grants_pull,
        if roles.is_empty() { "none".into() } else { roles.join(", ") },
    )?;
    if let Some(mode) = &r.role_assignment_mode {
        writeln!(out, "      role assignment mode {mode}: pulls need {}", r.pull_role)?;
    }
    for g in r.grants.iter().filter(|g| g.condition.is_some()) {
        let role = g.role_name.as_deref().unwrap_or_else(|| last(&g.role_definition));
        writeln!(out, "      {} only where its condition holds: {}", t(role), opt(g.condition.as_deref()))?;
    }
    for g in &r.group_grants {
        let role = g.role_name.as_deref().unwrap_or_else(|| last(&g.role_definition));
        writeln!(out, "      group {} holds {} (membership is not in ARM)", t(&g.group), t(role))?;
    }
    Ok(())
}

/// One DNS chain: a line per hop (what answers at the server, the rule or zone link it used), then the answer.
fn write_chain(out: &mut dyn Write, chain: &DnsChain) -> std::io::Result<()> {
    writeln!(out, "                 chain from {}:", t(&chain.server))?;
    for h in &chain.hops {
        writeln!(out, "                   {}", hop_text(h))?;
        if let Some(note) = &h.note {
            writeln!(out, "                     note: {}", t(note))?;
        }
    }
    let answer = match chain.status {
        DnsStatus::Private => format!("private {}", list(&chain.addresses)),
        DnsStatus::Unknown | DnsStatus::NoAnswer => {
            format!("{}: {}", chain.status, t(chain.cause.as_deref().unwrap_or("?")))
        }
        s => format!("{s} ({})", chain.answer),
    };
    writeln!(out, "                   => {answer}")
}

/// One hop of a DNS chain, every Azure value escaped.
fn hop_text(h: &DnsChainHop) -> String {
    let mut text = format!("{} {}", t(&h.server), h.responder);
    if let Some(r) = &h.resource {
        text.push_str(&format!(" {}", t(last(r))));
    }
    if let Some(c) = &h.configured_by {
        text.push_str(&format!(" (settings of {})", t(last(c))));
    }
    if let Some(v) = &h.vnet {
        text.push_str(&format!(" in VNet {}", t(last(v))));
    }
    if let Some(rule) = &h.forwarding_rule {
        text.push_str(&format!(
            ": forwarding rule {} ({}) to {}",
            t(last(rule)),
            opt(h.forwarding_domain.as_deref()),
            list(&h.forwarded_to)
        ));
    } else if !h.forwarded_to.is_empty() {
        text.push_str(&format!(": forwards to {}", list(&h.forwarded_to)));
    }
    if let Some(z) = &h.zone {
        text.push_str(&format!(": zone {} via link {}", t(last(z)), opt(h.link.as_deref().map(last))));
    }
    text
}

/// The DNS node of a mermaid path: the status and, for custom DNS, each chain's servers and responders.
fn dns_label(p: &PathFacts) -> String {
    let mut label = format!("DNS: {}", p.dns.status);
    for c in &p.dns.chains {
        let hops: Vec<String> = c.hops.iter().map(|h| format!("{} {}", h.server, h.responder)).collect();
        label.push_str(&format!("; {}", hops.join(" to ")));
    }
    label
}

/// The Azure Firewall hop: firewall, policy, verdict on the FQDN and port, and the rule that decided.
fn azure_firewall_line(fw: &AzureFirewallFacts) -> String {
    let policy =
        fw.policy.as_deref().map(|p| format!("policy {}", t(last(p)))).unwrap_or_else(|| "classic rules".into());
    let decided = match (&fw.deciding_rule, fw.verdict) {
        (Some(r), _) => format!(
            ": by {} rule {} (collection {} priority {}{})",
            r.kind,
            t(&r.rule),
            t(&r.collection),
            r.collection_priority.map(|p| p.to_string()).unwrap_or_else(|| "not set".into()),
            r.rule_collection_group
                .as_deref()
                .map(|g| format!(", group {} of {}", t(g), opt(r.policy.as_deref().map(last))))
                .unwrap_or_default()
        ),
        (None, AzureFirewallVerdict::Deny) => ": no rule matched (deny by default)".into(),
        (None, _) => String::new(),
    };
    let mut line = format!(
        "{} {} ({policy}): {}{} TCP {} to {}{decided}",
        t(&fw.name),
        t(&fw.next_hop_ip),
        fw.verdict,
        if fw.partial { " (part of the flows)" } else { "" },
        fw.port,
        t(&fw.fqdn)
    );
    if let Some(cause) = &fw.cause {
        line.push_str(&format!(": {}", t(cause)));
    }
    if fw.tls_inspection {
        line.push_str("; TLS inspected: clients must trust the firewall's CA");
    }
    if fw.egress_known {
        let mut addrs = fw.egress_ips.clone();
        addrs.extend(fw.egress_prefixes.iter().cloned());
        line.push_str(&format!("; leaves from {}", list(&addrs)));
    }
    line
}

/// Mermaid flowchart: one chain per path, the blocking hop styled `blocked` (red).
pub fn render_mermaid(pair: &PairFacts, paths: &[PathFacts], out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "flowchart LR")?;
    writeln!(out, "  classDef blocked fill:#f66,stroke:#900,color:#fff")?;
    writeln!(out, "  classDef ok fill:#dfd,stroke:#393")?;
    writeln!(out, "  client[\"{}\"]", mermaid_label(&pair.client_name))?;
    for (i, p) in paths.iter().enumerate() {
        let mut hops: Vec<(BlockedAt, String)> = vec![
            // Each hop a path can be blocked at, in the order traffic meets them.
            (BlockedAt::Dns, dns_label(p)),
            (
                BlockedAt::Peering,
                format!(
                    "peering: {}",
                    p.private_endpoint.as_ref().map(|pe| pe.peering.status.as_str()).unwrap_or("n/a")
                ),
            ),
            (
                BlockedAt::Route,
                format!(
                    "route: {}",
                    p.route.hops.iter().map(|h| h.next_hop_type.as_str()).collect::<Vec<_>>().join("+")
                ),
            ),
            (BlockedAt::Nsg, format!("NSG: {}", p.nsg.verdict)),
            (BlockedAt::Firewall, format!("firewall: {}", p.firewall.verdict)),
        ];
        // An Azure Firewall on the path sits between the NSGs and the registry firewall.
        if let Some(fw) = &p.azure_firewall {
            let rule = match (&fw.deciding_rule, fw.verdict) {
                (Some(r), _) => format!(" by {}", r.rule),
                (None, AzureFirewallVerdict::Deny) => " (no rule matched)".into(),
                _ => String::new(),
            };
            hops.insert(4, (BlockedAt::AzureFirewall, format!("Azure Firewall {}: {}{rule}", fw.name, fw.verdict)));
        }
        let mut prev = "client".to_string();
        for (name, label) in &hops {
            let node = mermaid_id(&format!("p{i}_{name}")).into_owned();
            writeln!(out, "  {prev} --> {node}[\"{}\"]", mermaid_label(label))?;
            if p.blocked_at == Some(*name) {
                writeln!(out, "  class {node} blocked")?;
            }
            prev = node;
        }
        let end = format!("p{i}_end");
        writeln!(out, "  {prev} --> {end}[\"{} {}\"]", p.endpoint.kind, mermaid_label(&p.endpoint.fqdn))?;
        writeln!(out, "  class {end} {}", if p.reachable == Reachable::Yes { "ok" } else { "blocked" })?;
    }
    Ok(())
}
