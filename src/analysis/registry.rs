//! Registry facts: firewall, public access, private endpoint connections and the endpoints that target it.

use super::facts::{
    ConnectionStatus, DefaultAction, DnsRecordFacts, PrivateEndpointConnectionFacts, PrivateEndpointFacts,
    PublicNetworkAccess, RegistryFacts, Sku, UsageFacts,
};
use crate::model::{
    id_key, parse_resource_id, vnet_key_of_subnet, Model, PrivateEndpoint, Registry, RegistryPrivateEndpointConnection,
};

pub(crate) fn registry_facts(model: &Model) -> Vec<RegistryFacts> {
    model.registries.iter().map(|r| one(model, r)).collect()
}

fn one(model: &Model, r: &Registry) -> RegistryFacts {
    let p = &r.properties;
    let parts = parse_resource_id(&r.id);
    let rules = p.network_rule_set.as_ref();
    let mut regions = vec![r.location.to_ascii_lowercase()];
    for rep in model.replications(&r.id).unwrap_or_default() {
        let loc = rep.location.to_ascii_lowercase();
        if !loc.is_empty() && !regions.contains(&loc) {
            regions.push(loc);
        }
    }
    let mut facts = RegistryFacts {
        id: r.id.clone(),
        name: r.name.clone(),
        resource_group: parts.resource_group,
        subscription_id: parts.subscription,
        location: r.location.clone(),
        sku: Sku::parse(&r.sku.name),
        login_server: p.login_server.clone(),
        public_network_access: p
            .public_network_access
            .as_deref()
            .map(PublicNetworkAccess::parse)
            .unwrap_or(PublicNetworkAccess::Enabled),
        default_action: rules
            .and_then(|n| n.default_action.as_deref())
            .map(DefaultAction::parse)
            .unwrap_or(DefaultAction::Allow),
        ip_rules: rules.map(|n| n.ip_rules.iter().map(|i| i.value.clone()).collect()).unwrap_or_default(),
        trusted_services_bypass: p
            .network_rule_bypass_options
            .as_deref()
            .map(|b| b.eq_ignore_ascii_case("AzureServices"))
            .unwrap_or(true),
        tasks_bypass: p.network_rule_bypass_allowed_for_tasks,
        data_endpoint_enabled: p.data_endpoint_enabled.unwrap_or(false),
        admin_user_enabled: p.admin_user_enabled.unwrap_or(false),
        regions,
        private_endpoint_connections: p
            .private_endpoint_connections
            .iter()
            .map(|c| {
                let state = c.properties.private_link_service_connection_state.as_ref();
                PrivateEndpointConnectionFacts {
                    id: connection_id(r, c),
                    private_endpoint_id: c.properties.private_endpoint.as_ref().map(|e| e.id.clone()),
                    status: state
                        .and_then(|s| s.status.as_deref())
                        .map(ConnectionStatus::parse)
                        .unwrap_or(ConnectionStatus::Unknown),
                    description: state.and_then(|s| s.description.clone()),
                }
            })
            .collect(),
        private_endpoints: endpoints_for(model, r),
        virtual_network_rules: rules
            .map(|n| n.virtual_network_rules.iter().map(|v| v.id.clone()).collect())
            .unwrap_or_default(),
        storage_usage: model
            .usages(&r.id)
            .unwrap_or_default()
            .iter()
            .find(|u| u.name.eq_ignore_ascii_case("Size"))
            .and_then(|u| {
                let (current, limit) = (u.current_value?, u.limit?);
                (limit > 0.0).then(|| UsageFacts { current, limit, ratio: current / limit })
            }),
        private_dns_records: dns_records(model, &r.name),
        layer_endpoints: Default::default(),
    };
    facts.layer_endpoints = super::endpoints::layer_endpoints(&facts);
    facts
}

/// A connection's id; ARM always sends one, but a hand-made or damaged snapshot may not, and a finding must name
/// a resource. Rebuilt the way ARM forms it (`{registry}/privateEndpointConnections/{name}`), named after the
/// private endpoint (ARM names connections `<endpoint>.<guid>`).
fn connection_id(r: &Registry, c: &RegistryPrivateEndpointConnection) -> String {
    if !c.id.is_empty() {
        return c.id.clone();
    }
    let endpoint = c.properties.private_endpoint.as_ref().and_then(|e| e.id.rsplit('/').next());
    let name = endpoint.filter(|n| !n.is_empty()).unwrap_or("unnamed");
    format!("{}/privateEndpointConnections/{name}", r.id)
}

/// A records named after the registry (its login server) in every privatelink zone of the snapshot.
fn dns_records(model: &Model, registry_name: &str) -> Vec<DnsRecordFacts> {
    let mut out = Vec::new();
    for zone in
        model.private_dns_zones.iter().filter(|z| z.name.to_ascii_lowercase().starts_with("privatelink.azurecr."))
    {
        for record in model
            .zone_a_records(&zone.id)
            .unwrap_or_default()
            .iter()
            .filter(|a| a.name.eq_ignore_ascii_case(registry_name))
        {
            out.push(DnsRecordFacts {
                zone: zone.id.clone(),
                record: record.id.clone(),
                addresses: record.properties.a_records.iter().filter_map(|a| a.ipv4_address.clone()).collect(),
                linked_vnets: model
                    .zone_links(&zone.id)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|l| l.properties.virtual_network.as_ref().map(|v| id_key(&v.id)))
                    .collect(),
            });
        }
    }
    out
}

/// Private endpoints targeting the registry: those whose connection names it, plus those the registry lists.
fn endpoints_for(model: &Model, r: &Registry) -> Vec<PrivateEndpointFacts> {
    let key = id_key(&r.id);
    let mut out: Vec<PrivateEndpointFacts> = Vec::new();
    for pe in &model.private_endpoints {
        if let Some(status) = status_towards(pe, &key) {
            out.push(endpoint_fact(pe, status));
        }
    }
    for c in &r.properties.private_endpoint_connections {
        let Some(pe_ref) = &c.properties.private_endpoint else { continue };
        if out.iter().any(|f| id_key(&f.id) == id_key(&pe_ref.id)) {
            continue;
        }
        if let Some(pe) = model.private_endpoint(&pe_ref.id) {
            let status = status_towards(pe, &key).unwrap_or(ConnectionStatus::Unknown);
            out.push(endpoint_fact(pe, status));
        }
    }
    out
}

fn status_towards(pe: &PrivateEndpoint, registry_key: &str) -> Option<ConnectionStatus> {
    let p = &pe.properties;
    p.private_link_service_connections
        .iter()
        .chain(&p.manual_private_link_service_connections)
        .find(|c| c.properties.private_link_service_id.as_deref().map(id_key).as_deref() == Some(registry_key))
        .map(|c| {
            c.properties
                .private_link_service_connection_state
                .as_ref()
                .and_then(|s| s.status.as_deref())
                .map(ConnectionStatus::parse)
                .unwrap_or(ConnectionStatus::Unknown)
        })
}

fn endpoint_fact(pe: &PrivateEndpoint, status: ConnectionStatus) -> PrivateEndpointFacts {
    let subnet_id = pe.properties.subnet.as_ref().map(|s| s.id.clone());
    PrivateEndpointFacts {
        id: pe.id.clone(),
        name: pe.name.clone(),
        vnet_id: subnet_id.as_deref().and_then(vnet_key_of_subnet),
        subnet_id,
        status,
    }
}
