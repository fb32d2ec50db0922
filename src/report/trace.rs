//! Renders the path facts of one client × registry pair: hop by hop as text, or as a mermaid flowchart that
//! GitHub renders in Markdown, with the blocking hop in red.

use crate::analysis::{
    BlockedAt, Coverage, DestinationKind, DnsStatus, NsgVerdictKind, PairFacts, PathFacts, Reachable,
};
use std::io::Write;

fn last(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or(id)
}

fn status(p: &PathFacts) -> String {
    match (p.reachable, p.blocked_at) {
        (Reachable::Yes, _) => "reachable".into(),
        (r, Some(at)) => format!("{} at {at}", if r == Reachable::Partial { "PARTLY BLOCKED" } else { "BLOCKED" }),
        _ => "unknown".into(),
    }
}

/// Human-readable trace.
pub fn render_text(pair: &PairFacts, paths: &[PathFacts], out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{} → {} (pair: {})", pair.client_name, pair.registry_name, pair.reason)?;
    for p in paths {
        writeln!(
            out,
            "\n{} {} [{}] from subnet {}: {}",
            p.endpoint.kind,
            p.endpoint.fqdn,
            p.endpoint.region,
            last(&p.subnet),
            status(p)
        )?;
        let d = &p.dns;
        let dns_line = match d.status {
            DnsStatus::Private => format!(
                "{} (A record {} in linked zone {})",
                d.addresses.join(", "),
                d.record.as_deref().map(last).unwrap_or("?"),
                d.zone.as_deref().map(last).unwrap_or("?")
            ),
            DnsStatus::Nxdomain => format!(
                "NXDOMAIN: zone {} is linked but has no record {}",
                d.zone.as_deref().map(last).unwrap_or("?"),
                p.endpoint.private_link_record.as_deref().unwrap_or("?")
            ),
            DnsStatus::Public => "public address (no privatelink zone linked to the client VNet)".into(),
            _ => "storage account (public, by service tag)".into(),
        };
        writeln!(out, "  1 DNS          {dns_line}")?;
        if d.stale {
            writeln!(out, "                 stale: the private endpoint serves {}", d.expected_addresses.join(", "))?;
        }
        if !d.custom_dns_servers.is_empty() {
            writeln!(
                out,
                "                 custom DNS servers {}: this is what Azure DNS would answer",
                d.custom_dns_servers.join(", ")
            )?;
        }
        let dest = &p.destination;
        let dest_line = match dest.kind {
            DestinationKind::ServiceTag => format!(
                "{} ({} addresses, e.g. {})",
                dest.service_tag.as_deref().unwrap_or("?"),
                dest.addresses,
                dest.examples.join(", ")
            ),
            DestinationKind::Unknown => format!(
                "{} (not in the snapshot's service tags: cannot evaluate)",
                dest.service_tag.as_deref().unwrap_or("?")
            ),
            DestinationKind::None => "none".into(),
            _ => dest.examples.join(", "),
        };
        writeln!(out, "  2 Destination  {dest_line}")?;
        for h in &p.route.hops {
            let via = h.next_hop_ip.as_deref().map(|ip| format!(" {ip}")).unwrap_or_default();
            writeln!(
                out,
                "  3 Route        {}{via} via {} {} ({:?}), {} of the destination{}",
                h.next_hop_type,
                h.route_name,
                h.address_prefix,
                h.origin,
                h.coverage,
                if h.coverage == Coverage::Some { format!(": {}", h.examples.join(", ")) } else { String::new() }
            )?;
        }
        if p.nsg.evaluations.is_empty() {
            writeln!(out, "  4 NSG          none on the path")?;
        }
        for e in &p.nsg.evaluations {
            let v = &e.verdict;
            let rules: Vec<String> =
                v.deciding_rules.iter().map(|r| format!("{} {} (priority {})", r.access, r.name, r.priority)).collect();
            writeln!(
                out,
                "  4 NSG          {} {:?} at {}: {} by {}",
                v.name,
                v.direction,
                e.level,
                v.verdict,
                rules.join("; ")
            )?;
            if v.verdict != NsgVerdictKind::Allow {
                writeln!(out, "                 denied: {}", v.denied_examples.join(", "))?;
            }
        }
        if let Some(pe) = &p.private_endpoint {
            let side = |s: &Option<crate::analysis::PeeringSideFacts>| {
                s.as_ref().map(|x| format!("{} {}", last(&x.id), x.state)).unwrap_or_else(|| "missing".into())
            };
            writeln!(
                out,
                "  5 Peering      to {} in {}: {} (client side {}, endpoint side {})",
                last(&pe.id),
                pe.vnet.as_deref().map(last).unwrap_or("?"),
                pe.peering.status,
                side(&pe.peering.local),
                side(&pe.peering.remote)
            )?;
        }
        writeln!(out, "  6 Firewall     {}: {}", p.firewall.verdict, p.firewall.reason)?;
    }
    let r = &pair.rbac;
    let roles: Vec<String> =
        r.grants.iter().map(|g| g.role_name.clone().unwrap_or_else(|| last(&g.role_definition).to_string())).collect();
    writeln!(
        out,
        "\nRBAC: {} {} may pull: {} (roles: {}); kubelet identity on node VMSS: {}",
        r.principal_kind,
        r.principal_id.as_deref().unwrap_or("?"),
        r.grants_pull,
        if roles.is_empty() { "none".into() } else { roles.join(", ") },
        r.identity_on_node_vmss
    )
}

fn esc(s: &str) -> String {
    s.replace('"', "'")
}

/// Mermaid flowchart: one chain per path, the blocking hop styled `blocked` (red).
pub fn render_mermaid(pair: &PairFacts, paths: &[PathFacts], out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "flowchart LR")?;
    writeln!(out, "  classDef blocked fill:#f66,stroke:#900,color:#fff")?;
    writeln!(out, "  classDef ok fill:#dfd,stroke:#393")?;
    writeln!(out, "  client[\"{}\"]", esc(&pair.client_name))?;
    for (i, p) in paths.iter().enumerate() {
        let hops: Vec<(BlockedAt, String)> = vec![
            // Each hop a path can be blocked at, in the order traffic meets them.
            (BlockedAt::Dns, format!("DNS: {}", p.dns.status)),
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
        let mut prev = "client".to_string();
        for (name, label) in &hops {
            let node = format!("p{i}_{name}");
            writeln!(out, "  {prev} --> {node}[\"{}\"]", esc(label))?;
            if p.blocked_at == Some(*name) {
                writeln!(out, "  class {node} blocked")?;
            }
            prev = node;
        }
        let end = format!("p{i}_end");
        writeln!(out, "  {prev} --> {end}[\"{} {}\"]", p.endpoint.kind, esc(&p.endpoint.fqdn))?;
        writeln!(out, "  class {end} {}", if p.reachable == Reachable::Yes { "ok" } else { "blocked" })?;
    }
    Ok(())
}
