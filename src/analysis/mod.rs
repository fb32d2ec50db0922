//! Analysis: pure functions from the typed [`Model`] to [`Facts`], the `input` every Rego rule reads.
//!
//! All reasoning that needs arithmetic or graph walking (CIDRs, peering between VNets, which endpoint serves
//! which registry) happens here, in Rust, so rules only compare finished values. The shape of [`Facts`] is a
//! public contract for users' own rules and is documented in `docs/facts.md`.

mod clients;
pub mod dns;
pub mod endpoints;
mod facts;
pub mod ipset;
pub mod nsg;
mod pairs;
pub mod paths;
mod peering;
pub mod rbac;
mod registry;
pub mod routes;
pub mod tags;

pub use facts::{
    ClientFacts, DnsRecordFacts, Facts, KubeletIdentityFacts, PairEndpointFacts, PairFacts, PeeringFacts,
    PeeringSideFacts, PrivateEndpointConnectionFacts, PrivateEndpointFacts, ProviderRegistrationFacts, RegistryFacts,
    SnapshotFacts, UsageFacts,
};

use crate::model::Model;

/// Which client × registry pairs to analyse. All empty means "infer" (see `docs/facts.md`).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Registry names or ids.
    pub registries: Vec<String>,
    /// Client (cluster, NIC, VM or subnet) names or ids.
    pub clients: Vec<String>,
    /// Explicit (client, registry) pairs, e.g. from a `--pairs` file.
    pub pairs: Vec<(String, String)>,
}

impl Selection {
    /// Nothing named: pairs are inferred.
    pub fn is_empty(&self) -> bool {
        self.registries.is_empty() && self.clients.is_empty() && self.pairs.is_empty()
    }

    /// Every client named, directly or in a pair.
    pub fn named_clients(&self) -> Vec<String> {
        self.clients.iter().cloned().chain(self.pairs.iter().map(|(c, _)| c.clone())).collect()
    }
}

/// Compute the facts the rules read.
pub fn analyse(model: &Model, selection: &Selection) -> Facts {
    let registries = registry::registry_facts(model);
    let clients = clients::client_facts(model, &selection.named_clients());
    let pairs = pairs::pair_facts(model, &registries, &clients, selection);
    let cloud = endpoints::CloudSuffixes::of(&model.metadata.cloud.name);
    let mut resolver = tags::AddressResolver::new(model);
    let mut ctx = paths::PathContext { model, resolver: &mut resolver, cloud };
    let mut pairs = pairs;
    let mut all_paths = Vec::new();
    for pair in &mut pairs {
        let (Some(client), Some(registry)) =
            (clients.iter().find(|c| c.id == pair.client), registries.iter().find(|r| r.id == pair.registry))
        else {
            continue;
        };
        let endpoints = endpoints::registry_endpoints(registry, cloud);
        let pair_paths = paths::pair_paths(&mut ctx, client, registry, &endpoints);
        pair.appliance_routes = paths::appliance_routes(&pair_paths);
        all_paths.extend(pair_paths);
    }
    Facts {
        schema: facts::FACTS_SCHEMA.to_string(),
        snapshot: SnapshotFacts::from_model(model),
        registries,
        clients,
        pairs,
        paths: all_paths,
        errors: model.errors.clone(),
        unread_types: unread_types(model),
    }
}

fn unread_types(model: &Model) -> Vec<String> {
    let mut out: Vec<String> = model.errors.iter().map(|e| e.resource_type.to_ascii_lowercase()).collect();
    out.sort();
    out.dedup();
    out
}
