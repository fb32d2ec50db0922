//! What a registry endpoint's name resolves to from a client VNet, computed from private DNS zones.
//!
//! With Azure-provided DNS (no custom servers on the VNet): a `privatelink` zone linked to the VNet answers
//! with its A record (private path), or with NXDOMAIN when it lacks the record; without a linked zone the name
//! resolves publicly. With custom DNS servers the answer depends on their forwarding, which ARM cannot show:
//! the facts carry the servers and what Azure DNS would answer, and say that it is an assumption.

use super::endpoints::Endpoint;
use crate::model::{id_key, Model, VirtualNetwork};
use serde::Serialize;

/// DNS facts of one endpoint from one client VNet.
#[derive(Debug, Clone, Serialize)]
pub struct DnsFacts {
    /// `private` (a linked zone has the record), `nxdomain` (linked zone, no record), `public` (no linked zone),
    /// `not_applicable` (storage endpoints, which acr-audit does not resolve privately).
    pub status: &'static str,
    /// Custom DNS servers of the client VNet; non-empty means the status is what Azure DNS would answer.
    pub custom_dns_servers: Vec<String>,
    /// The linked privatelink zone, if any.
    pub zone: Option<String>,
    /// The A record set, if any.
    pub record: Option<String>,
    /// Addresses the record holds.
    pub addresses: Vec<String>,
    /// Addresses the registry's private endpoints serve for this name.
    pub expected_addresses: Vec<String>,
    /// The record holds none of the expected addresses.
    pub stale: bool,
}

/// Resolve `endpoint` from `client_vnet`; `expected` are the private endpoint IPs for its FQDN.
pub fn resolve(
    model: &Model,
    client_vnet: Option<&VirtualNetwork>,
    endpoint: &Endpoint,
    zone_name: &str,
    expected: Vec<String>,
) -> DnsFacts {
    let custom_dns_servers =
        client_vnet.and_then(|v| v.properties.dhcp_options.as_ref()).map(|d| d.dns_servers.clone()).unwrap_or_default();
    let mut facts = DnsFacts {
        status: "public",
        custom_dns_servers,
        zone: None,
        record: None,
        addresses: vec![],
        expected_addresses: expected,
        stale: false,
    };
    let Some(record_name) = endpoint.private_link_record.as_deref() else {
        facts.status = "not_applicable";
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
            facts.status = "private";
            facts.record = Some(record.id.clone());
            facts.addresses = record.properties.a_records.iter().filter_map(|a| a.ipv4_address.clone()).collect();
            facts.stale = !facts.expected_addresses.is_empty()
                && !facts.addresses.iter().any(|a| facts.expected_addresses.contains(a));
        }
        None => facts.status = "nxdomain",
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
pub fn expected_addresses(model: &Model, private_endpoint_ids: &[String], fqdn: &str) -> Vec<String> {
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
pub fn endpoint_addresses(model: &Model, private_endpoint_id: &str) -> Vec<String> {
    served_addresses(model, private_endpoint_id).into_iter().map(|(_, ip)| ip).collect()
}
