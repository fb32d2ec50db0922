//! Which client × registry pairs are meant to work, and the per-pair facts.
//!
//! The rule (documented in `docs/facts.md`): pairs listed in a `--pairs` file, or named with `--registry` /
//! `--client`, are analysed;
//! otherwise a client is paired with a registry when its kubelet identity (or service principal) holds any role
//! assignment read at that registry's scope, or when the registry is the only one in the snapshot. No finding is
//! raised for a pair nobody intended.

use super::facts::{
    ClientFacts, PairEndpointFacts, PairFacts, PairReason, PeeringFacts, PrincipalKind, RbacFacts, RegistryFacts,
};
use super::peering::peering_between;
use super::Selection;
use crate::model::{id_key, Model};

pub(crate) fn pair_facts(
    model: &Model,
    registries: &[RegistryFacts],
    clients: &[ClientFacts],
    selection: &Selection,
) -> Vec<PairFacts> {
    let mut out = Vec::new();
    for client in clients {
        for registry in registries {
            if let Some(reason) = pair_reason(model, registries.len(), registry, client, selection) {
                out.push(pair(model, registry, client, reason));
            }
        }
    }
    out
}

fn named(wanted: &[String], id: &str, name: &str) -> bool {
    wanted.iter().any(|w| w.eq_ignore_ascii_case(name) || id_key(w) == id_key(id))
}

fn pair_reason(
    model: &Model,
    registry_count: usize,
    registry: &RegistryFacts,
    client: &ClientFacts,
    selection: &Selection,
) -> Option<PairReason> {
    if !selection.is_empty() {
        let in_pairs = selection.pairs.iter().any(|(c, r)| {
            named(std::slice::from_ref(c), &client.id, &client.name)
                && named(std::slice::from_ref(r), &registry.id, &registry.name)
        });
        let by_flags = (!selection.registries.is_empty() || !selection.clients.is_empty())
            && (selection.registries.is_empty() || named(&selection.registries, &registry.id, &registry.name))
            && (selection.clients.is_empty() || named(&selection.clients, &client.id, &client.name));
        return (in_pairs || by_flags).then_some(PairReason::Selected);
    }
    let principals: Vec<&str> = client
        .kubelet_identity
        .iter()
        .filter_map(|k| k.object_id.as_deref())
        .chain(client.service_principal_client_id.as_deref())
        .collect();
    let assigned = model
        .role_assignments(&registry.id)
        .unwrap_or(&[])
        .iter()
        .any(|a| principals.iter().any(|p| p.eq_ignore_ascii_case(&a.properties.principal_id)));
    if assigned {
        Some(PairReason::RoleAssignment)
    } else if registry_count == 1 {
        Some(PairReason::OnlyRegistry)
    } else {
        None
    }
}

fn pair(model: &Model, registry: &RegistryFacts, client: &ClientFacts, reason: PairReason) -> PairFacts {
    let mut private_endpoints = Vec::new();
    for pe in &registry.private_endpoints {
        for client_vnet in &client.vnet_ids {
            let peering = match &pe.vnet_id {
                Some(v) => peering_between(model, client_vnet, v),
                None => PeeringFacts::unknown(),
            };
            private_endpoints.push(PairEndpointFacts {
                private_endpoint: pe.id.clone(),
                client_vnet: model.virtual_network(client_vnet).map(|v| v.id.clone()).unwrap_or(client_vnet.clone()),
                endpoint_vnet: pe
                    .vnet_id
                    .as_ref()
                    .map(|v| model.virtual_network(v).map(|n| n.id.clone()).unwrap_or(v.clone())),
                peering,
                transit: None,
            });
        }
    }
    PairFacts {
        client: client.id.clone(),
        client_name: client.name.clone(),
        registry: registry.id.clone(),
        registry_name: registry.name.clone(),
        reason,
        private_endpoints,
        rbac: rbac_of(model, registry, client),
        appliance_routes: Vec::new(),
        login: None,
        admin_credentials: false,
        public_pull: None,
    }
}

fn rbac_of(model: &Model, registry: &RegistryFacts, client: &ClientFacts) -> RbacFacts {
    let kubelet = client.kubelet_identity.as_ref();
    let (principal, kind) = match (kubelet.and_then(|k| k.object_id.as_deref()), &client.service_principal_client_id) {
        (_, Some(_)) => (None, PrincipalKind::ServicePrincipal),
        (Some(oid), None) => (Some(oid), PrincipalKind::KubeletIdentity),
        (None, None) => (None, PrincipalKind::None),
    };
    let cluster = model.managed_cluster(&client.id);
    let node_rg = cluster.and_then(|c| c.properties.node_resource_group.as_deref());
    let identity = kubelet.and_then(|k| k.resource_id.as_deref());
    let node = node_rg.zip(identity);
    super::rbac::rbac_facts(model, &registry.id, principal, kind, node)
}
