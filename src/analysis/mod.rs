//! Analysis: pure functions from the typed [`Model`] to [`Facts`], the `input` every Rego rule reads.
//!
//! All reasoning that needs arithmetic or graph walking (CIDRs, peering between VNets, which endpoint serves
//! which registry) happens here, in Rust, so rules only compare finished values. Laid out as it runs:
//!
//! - [`facts`]: the fact types, the public contract for users' own rules (`docs/facts.md`); imports nothing
//!   else of analysis;
//! - [`net`]: network maths (address sets, service tags, NSG evaluation, effective routes);
//! - `registry`, `clients`, `nodes`, `pairs`, `rbac`, `peering`, `endpoints`: the estate-level facts;
//! - [`path`]: the path of each client subnet to each registry endpoint, one file per hop;
//! - `selection`: which pairs the user asked for, and the check that every name they gave exists.

mod clients;
mod consumers;
mod egress;
pub mod endpoints;
pub mod facts;
pub mod net;
mod nodes;
mod pairs;
pub mod path;
mod peering;
mod public_pull;
pub mod rbac;
mod registry;
pub mod responders;
mod selection;

pub use selection::{Selection, UnknownName};

pub use facts::*;

use crate::model::Model;

/// Compute the facts the rules read.
pub fn analyse(model: &Model, selection: &Selection) -> Facts {
    let registries = registry::registry_facts(model);
    let clients = clients::client_facts(model, &selection.named_clients());
    let pairs = pairs::pair_facts(model, &registries, &clients, selection);
    let cloud = endpoints::CloudSuffixes::of(&model.metadata.cloud.name);
    let mut resolver = net::tags::AddressResolver::new(model);
    let mut ctx = path::PathContext {
        model,
        resolver: &mut resolver,
        cloud,
        endpoints_by_vnet: net::endpoint_routes::EndpointsByVnet::new(model),
        responders: responders::Responders::new(model),
        dns_answers: std::collections::HashMap::new(),
        firewalls: Default::default(),
    };
    let mut pairs = pairs;
    let mut all_paths = Vec::new();
    for pair in &mut pairs {
        let (Some(client), Some(registry)) =
            (clients.iter().find(|c| c.id == pair.client), registries.iter().find(|r| r.id == pair.registry))
        else {
            continue;
        };
        let endpoints = endpoints::registry_endpoints(registry, cloud);
        let (pair_paths, transits) = path::pair_paths(&mut ctx, client, registry, &endpoints);
        pair.appliance_routes = path::appliance_routes(&pair_paths);
        path::endpoint_transits(&transits, &mut pair.private_endpoints);
        all_paths.extend(pair_paths);
    }
    Facts {
        schema: facts::FACTS_SCHEMA.to_string(),
        snapshot: snapshot_facts(model),
        registries,
        clients,
        pairs,
        paths: all_paths,
        errors: model.errors.clone(),
        unread_types: unread_types(model),
    }
}

fn snapshot_facts(model: &Model) -> SnapshotFacts {
    SnapshotFacts {
        collected_at: model.metadata.collected_at.clone(),
        cloud: model.metadata.cloud.name.clone(),
        subscriptions: model.metadata.subscriptions.iter().map(|s| s.subscription_id.clone()).collect(),
    }
}

fn unread_types(model: &Model) -> Vec<String> {
    let mut out: Vec<String> = model.errors.iter().map(|e| e.resource_type.to_ascii_lowercase()).collect();
    out.sort();
    out.dedup();
    out
}
