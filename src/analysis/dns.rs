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
            .iter()
            .any(|l| l.properties.virtual_network.as_ref().map(|v| id_key(&v.id) == vnet_key).unwrap_or(false))
    });
    let Some(zone) = linked else { return facts };
    facts.zone = Some(zone.id.clone());
    match model.zone_a_records(&zone.id).iter().find(|r| r.name.eq_ignore_ascii_case(record_name)) {
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

/// The private IPs the registry's private endpoints serve for `fqdn` (from the endpoint NICs and the endpoints'
/// own `customDnsConfigs`).
pub fn expected_addresses(model: &Model, private_endpoint_ids: &[String], fqdn: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |ip: &str| {
        if !out.iter().any(|x| x == ip) {
            out.push(ip.to_string());
        }
    };
    for pe_id in private_endpoint_ids {
        let Some(pe) = model.private_endpoint(pe_id) else { continue };
        for nic_ref in &pe.properties.network_interfaces {
            let Some(nic) = model.network_interface(&nic_ref.id) else { continue };
            for ipc in &nic.properties.ip_configurations {
                let p = &ipc.properties;
                let serves = p
                    .private_link_connection_properties
                    .as_ref()
                    .map(|c| c.fqdns.iter().any(|f| f.eq_ignore_ascii_case(fqdn)))
                    .unwrap_or(false);
                if let (true, Some(ip)) = (serves, p.private_ip_address.as_deref()) {
                    add(ip);
                }
            }
        }
        for cfg in &pe.properties.custom_dns_configs {
            if cfg.fqdn.as_deref().map(|f| f.eq_ignore_ascii_case(fqdn)).unwrap_or(false) {
                for ip in &cfg.ip_addresses {
                    add(ip);
                }
            }
        }
    }
    out
}

/// Every private IP of a private endpoint (its NICs' IP configurations and its `customDnsConfigs`).
pub fn endpoint_addresses(model: &Model, private_endpoint_id: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let Some(pe) = model.private_endpoint(private_endpoint_id) else { return out };
    for nic in pe.properties.network_interfaces.iter().filter_map(|n| model.network_interface(&n.id)) {
        out.extend(nic.properties.ip_configurations.iter().filter_map(|c| c.properties.private_ip_address.clone()));
    }
    for cfg in &pe.properties.custom_dns_configs {
        out.extend(cfg.ip_addresses.iter().cloned());
    }
    out
}
