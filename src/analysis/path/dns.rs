//! The DNS hop: what a registry endpoint's name resolves to from a client VNet, computed from private DNS zones.
//!
//! With Azure-provided DNS (no custom servers on the VNet): a `privatelink` zone linked to the VNet answers
//! with its A record (private path), or with NXDOMAIN when it lacks the record; without a linked zone the name
//! resolves publicly. With custom DNS servers the answer depends on their forwarding, which ARM cannot show:
//! the facts carry the servers and what Azure DNS would answer, and say that it is an assumption.

use super::{Judgement, PathContext, SubnetContext};
use crate::analysis::facts::{BlockedAt, DnsFacts, DnsStatus, Endpoint, EndpointKind, Reachable, RegistryFacts};
use crate::model::{id_key, Model, VirtualNetwork};

/// The DNS hop: what the endpoint's name resolves to from the client subnet's VNet, and which private
/// addresses the registry's private endpoints serve for it (to spot stale records).
pub(super) fn hop(
    ctx: &PathContext<'_, '_>,
    subnet: &SubnetContext<'_>,
    registry: &RegistryFacts,
    endpoint: &Endpoint,
) -> DnsFacts {
    let expected = match endpoint.kind {
        EndpointKind::Storage => vec![],
        _ => {
            let pe_ids: Vec<String> = registry.private_endpoints.iter().map(|p| p.id.clone()).collect();
            expected_addresses(ctx.model, &pe_ids, &endpoint.fqdn)
        }
    };
    resolve(ctx.model, subnet.vnet, endpoint, ctx.cloud.private_link_zone, expected)
}

/// Only a name that does not resolve at all blocks the path here; a public answer is judged by later hops.
pub(super) fn judge(dns: &DnsFacts) -> Judgement {
    match dns.status {
        DnsStatus::Nxdomain => Judgement::Blocked { reachable: Reachable::No, at: BlockedAt::Dns },
        _ => Judgement::Pass,
    }
}

/// Resolve `endpoint` from `client_vnet`; `expected` are the private endpoint IPs for its FQDN.
fn resolve(
    model: &Model,
    client_vnet: Option<&VirtualNetwork>,
    endpoint: &Endpoint,
    zone_name: &str,
    expected: Vec<String>,
) -> DnsFacts {
    let custom_dns_servers =
        client_vnet.and_then(|v| v.properties.dhcp_options.as_ref()).map(|d| d.dns_servers.clone()).unwrap_or_default();
    let mut facts = DnsFacts {
        status: DnsStatus::Public,
        custom_dns_servers,
        zone: None,
        record: None,
        addresses: vec![],
        expected_addresses: expected,
        stale: false,
    };
    let Some(record_name) = endpoint.private_link_record.as_deref() else {
        facts.status = DnsStatus::NotApplicable;
        return facts;
    };
    let Some(vnet) = client_vnet else { return facts };
    let vnet_key = id_key(&vnet.id);
    let linked = model.private_dns_zones.iter().filter(|z| z.name.eq_ignore_ascii_case(zone_name)).find(|z| {
        model
            .zone_links(&z.id)
            .unwrap_or_default()
            .iter()
            .any(|l| l.properties.virtual_network.as_ref().map(|v| id_key(&v.id) == vnet_key).unwrap_or(false))
    });
    let Some(zone) = linked else { return facts };
    facts.zone = Some(zone.id.clone());
    match model.zone_a_records(&zone.id).unwrap_or_default().iter().find(|r| r.name.eq_ignore_ascii_case(record_name)) {
        Some(record) => {
            facts.status = DnsStatus::Private;
            facts.record = Some(record.id.clone());
            facts.addresses = record.properties.a_records.iter().filter_map(|a| a.ipv4_address.clone()).collect();
            facts.stale = !facts.expected_addresses.is_empty()
                && !facts.addresses.iter().any(|a| facts.expected_addresses.contains(a));
        }
        None => facts.status = DnsStatus::Nxdomain,
    }
    facts
}

/// Each private IP of a private endpoint with the names it serves: its NICs' IP configurations (names from
/// `privateLinkConnectionProperties.fqdns`) and its own `customDnsConfigs`.
fn served_addresses(model: &Model, private_endpoint_id: &str) -> Vec<(Vec<String>, String)> {
    let mut out = Vec::new();
    let Some(pe) = model.private_endpoint(private_endpoint_id) else { return out };
    for nic in pe.properties.network_interfaces.iter().filter_map(|n| model.network_interface(&n.id)) {
        for c in &nic.properties.ip_configurations {
            let fqdns =
                c.properties.private_link_connection_properties.as_ref().map(|l| l.fqdns.clone()).unwrap_or_default();
            if let Some(ip) = &c.properties.private_ip_address {
                out.push((fqdns, ip.clone()));
            }
        }
    }
    for cfg in &pe.properties.custom_dns_configs {
        for ip in &cfg.ip_addresses {
            out.push((cfg.fqdn.iter().cloned().collect(), ip.clone()));
        }
    }
    out
}

/// The private IPs the registry's private endpoints serve for `fqdn`, without duplicates.
fn expected_addresses(model: &Model, private_endpoint_ids: &[String], fqdn: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for pe_id in private_endpoint_ids {
        for (fqdns, ip) in served_addresses(model, pe_id) {
            if fqdns.iter().any(|f| f.eq_ignore_ascii_case(fqdn)) && !out.contains(&ip) {
                out.push(ip);
            }
        }
    }
    out
}

/// Every private IP of a private endpoint.
pub(super) fn endpoint_addresses(model: &Model, private_endpoint_id: &str) -> Vec<String> {
    served_addresses(model, private_endpoint_id).into_iter().map(|(_, ip)| ip).collect()
}
