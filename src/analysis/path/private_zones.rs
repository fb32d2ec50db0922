//! What Azure DNS answers from one VNet for a registry name: the `privatelink` zone linked to that VNet, its A
//! record, the link's NXDOMAIN fallback, and zones that could not be read. The client VNet's answer
//! ([`super::dns`]) and each VNet a custom DNS chain ends in ([`super::dns_chain`]) both ask here.

use crate::analysis::facts::{DnsAnswer, DnsFacts, DnsStatus, RegistryFacts};
use crate::model::{id_key, parse_resource_id, Model, PrivateDnsZone, VirtualNetworkLink};
use crate::snapshot::ArmError;

/// The resource types whose failed read leaves a zone's links or records unknown.
const ZONE_TYPE: &str = "Microsoft.Network/privateDnsZones";
const LINKS_TYPE: &str = "Microsoft.Network/privateDnsZones/virtualNetworkLinks";
const RECORDS_TYPE: &str = "Microsoft.Network/privateDnsZones/A";

/// The name being resolved and what the answer is measured against.
pub(super) struct Query<'q> {
    /// The endpoint's name (`contoso.azurecr.io`).
    pub fqdn: &'q str,
    /// Its privatelink name (`contoso.privatelink.azurecr.io`).
    pub private_name: String,
    /// The record name in the privatelink zone (`contoso`).
    pub record_name: &'q str,
    /// The privatelink zone name (`privatelink.azurecr.io`).
    pub zone_name: &'q str,
    /// The registry (its private endpoints name zones that may be unread).
    pub registry: &'q RegistryFacts,
    /// The facts every answer starts from (expected addresses, custom servers).
    pub base: &'q DnsFacts,
}

/// What Azure DNS answers for `query` from the VNet `vnet_key` (lower-cased id) through its privatelink zone
/// links: a fresh copy of the query's base facts with the answer filled in and `resolved_in` set.
pub(super) fn azure_dns(model: &Model, vnet_key: &str, query: &Query<'_>) -> DnsFacts {
    let mut facts = query.base.clone();
    facts.resolved_in =
        Some(model.virtual_network(vnet_key).map(|v| v.id.clone()).unwrap_or_else(|| vnet_key.to_string()));
    resolve(model, vnet_key, query.record_name, query.zone_name, query.registry, &mut facts);
    facts
}

/// Resolve `record_name` in the zone named `zone_name` linked to the VNet `vnet_key` (lower-cased id).
fn resolve(
    model: &Model,
    vnet_key: &str,
    record_name: &str,
    zone_name: &str,
    registry: &RegistryFacts,
    facts: &mut DnsFacts,
) {
    // The public name is an alias of the `privatelink` name only once the registry has a private endpoint ("When
    // you create a private endpoint, the DNS CNAME resource record for the resource is updated to an alias in a
    // subdomain with the prefix privatelink", <https://learn.microsoft.com/azure/private-link/private-endpoint-dns>):
    // without one, a linked `privatelink` zone is never asked, whatever it holds, and the answer is public. A
    // connection the registry lists counts even when its endpoint is outside the snapshot.
    if registry.private_endpoints.is_empty() && registry.private_endpoint_connections.is_empty() {
        return;
    }
    let linked = model.private_dns_zones.iter().filter(|z| z.name.eq_ignore_ascii_case(zone_name)).find_map(|z| {
        let link = model
            .zone_links(&z.id)?
            .iter()
            .find(|l| l.properties.virtual_network.as_ref().map(|v| id_key(&v.id) == vnet_key).unwrap_or(false))?;
        Some((z, link))
    });
    let Some((zone, link)) = linked else {
        let unread = unread_zones(model, zone_name, registry);
        if !unread.is_empty() {
            set_unknown(facts, unread);
        }
        return;
    };
    answer_from(model, zone, link, record_name, facts);
}

/// The answer of the linked `zone` for `record_name`.
fn answer_from(
    model: &Model,
    zone: &PrivateDnsZone,
    link: &VirtualNetworkLink,
    record_name: &str,
    facts: &mut DnsFacts,
) {
    facts.zone = Some(zone.id.clone());
    facts.link = Some(link.id.clone()).filter(|l| !l.is_empty());
    if let Some(error) = read_error(model, &zone.id, &[ZONE_TYPE, RECORDS_TYPE]) {
        set_unknown(facts, vec![(zone.id.clone(), Some(error))]);
        return;
    }
    match model.zone_a_records(&zone.id).unwrap_or_default().iter().find(|r| r.name.eq_ignore_ascii_case(record_name)) {
        Some(record) => {
            facts.status = DnsStatus::Private;
            facts.answer = DnsAnswer::PrivateRecord;
            facts.record = Some(record.id.clone());
            facts.addresses = record.properties.a_records.iter().filter_map(|a| a.ipv4_address.clone()).collect();
            facts.stale = !facts.expected_addresses.is_empty()
                && !facts.addresses.iter().any(|a| facts.expected_addresses.contains(a));
        }
        None if falls_back(link) => {
            facts.status = DnsStatus::Public;
            facts.answer = DnsAnswer::PublicFallback;
        }
        None => {
            facts.status = DnsStatus::Nxdomain;
            facts.answer = DnsAnswer::Nxdomain;
        }
    }
}

/// The link falls back to public resolution when the zone answers NXDOMAIN.
fn falls_back(link: &VirtualNetworkLink) -> bool {
    link.properties.resolution_policy.as_deref().map(|p| p.eq_ignore_ascii_case("NxDomainRedirect")).unwrap_or(false)
}

/// Mark the answer unknown because of `zones` (id, the error that kept it unread if one was recorded).
fn set_unknown(facts: &mut DnsFacts, zones: Vec<(String, Option<&ArmError>)>) {
    facts.status = DnsStatus::Unknown;
    facts.answer = DnsAnswer::Unknown;
    let causes: Vec<String> = zones
        .iter()
        .map(|(zone, error)| match error {
            Some(e) => format!(
                "{} {zone} could not be read ({}); the scanning identity needs {}/read there (Reader on the zone or its subscription)",
                if e.scope.to_ascii_lowercase().contains("/providers/") { "zone" } else { "the zones of" },
                describe(e),
                e.resource_type
            ),
            None => format!(
                "zone {zone} is named by a private endpoint's DNS zone group but is not in the snapshot; the scanning identity needs {ZONE_TYPE}/read there (Reader on the zone or its subscription)"
            ),
        })
        .collect();
    facts.unread_zones = zones.into_iter().map(|(z, _)| z).collect();
    facts.cause = Some(causes.join("; "));
}

pub(super) fn describe(e: &ArmError) -> String {
    match (e.status, e.code.as_deref()) {
        (Some(s), Some(c)) => format!("{s} {c}"),
        (Some(s), None) => s.to_string(),
        (None, Some(c)) => c.to_string(),
        (None, None) => "no response".to_string(),
    }
}

/// The recorded error, of one of `types`, whose scope covers `id`.
pub(super) fn read_error<'m>(model: &'m Model, id: &str, types: &[&str]) -> Option<&'m ArmError> {
    let key = id_key(id);
    model
        .errors
        .iter()
        .find(|e| types.iter().any(|t| e.resource_type.eq_ignore_ascii_case(t)) && key.starts_with(&id_key(&e.scope)))
}

/// Zones named `zone_name` that could be linked to the client VNet but could not be read: a zone whose read or
/// link list failed; every zone of a subscription or resource group whose zone list failed (its name is not
/// known); and a zone a DNS zone group of one of the registry's private endpoints names that the snapshot does
/// not hold.
fn unread_zones<'m>(
    model: &'m Model,
    zone_name: &str,
    registry: &RegistryFacts,
) -> Vec<(String, Option<&'m ArmError>)> {
    let mut out: Vec<(String, Option<&ArmError>)> = Vec::new();
    let mut push = |id: &str, e: Option<&'m ArmError>| {
        if !out.iter().any(|(z, _)| id_key(z) == id_key(id)) {
            out.push((id.to_string(), e));
        }
    };
    for e in &model.errors {
        if !(e.resource_type.eq_ignore_ascii_case(ZONE_TYPE) || e.resource_type.eq_ignore_ascii_case(LINKS_TYPE)) {
            continue;
        }
        let scope = parse_resource_id(&e.scope);
        let names_zone = scope.name.as_deref().map(|n| n.eq_ignore_ascii_case(zone_name));
        match names_zone {
            Some(true) => push(&e.scope, Some(e)),
            // A subscription or resource group whose zone list failed: any of its zones may be the one.
            None if e.resource_type.eq_ignore_ascii_case(ZONE_TYPE) => push(&e.scope, Some(e)),
            _ => {}
        }
    }
    for pe in &registry.private_endpoints {
        for group in model.private_dns_zone_groups(&pe.id).unwrap_or_default() {
            for config in &group.properties.private_dns_zone_configs {
                let Some(zone_id) = config.properties.private_dns_zone_id.as_deref() else { continue };
                let named = parse_resource_id(zone_id).name.map(|n| n.eq_ignore_ascii_case(zone_name)).unwrap_or(false);
                if named && model.private_dns_zone(zone_id).is_none() {
                    push(zone_id, read_error(model, zone_id, &[ZONE_TYPE]));
                }
            }
        }
    }
    out
}
