//! Analysis: pure functions from the typed [`Model`] to [`Facts`], the `input` every Rego rule reads.
//!
//! All reasoning that needs arithmetic or graph walking (CIDRs, peering between VNets, which endpoint serves
//! which registry) happens here, in Rust, so rules only compare finished values. The shape of [`Facts`] is a
//! public contract for users' own rules and is documented in `docs/facts.md`.

mod clients;
mod facts;
mod pairs;
mod peering;
mod registry;

pub use facts::{
    ClientFacts, Facts, KubeletIdentityFacts, PairEndpointFacts, PairFacts, PeeringFacts, PeeringSideFacts,
    PrivateEndpointConnectionFacts, PrivateEndpointFacts, RegistryFacts, SnapshotFacts,
};

use crate::model::Model;

/// Which client × registry pairs to analyse. Empty lists mean "infer" (see `docs/facts.md`).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Registry names or ids.
    pub registries: Vec<String>,
    /// Client (cluster) names or ids.
    pub clients: Vec<String>,
}

/// Compute the facts the rules read.
pub fn analyse(model: &Model, selection: &Selection) -> Facts {
    let registries = registry::registry_facts(model);
    let clients = clients::client_facts(model);
    let pairs = pairs::pair_facts(model, &registries, &clients, selection);
    Facts {
        schema: facts::FACTS_SCHEMA.to_string(),
        snapshot: SnapshotFacts::from_model(model),
        registries,
        clients,
        pairs,
        errors: model.errors.clone(),
    }
}
