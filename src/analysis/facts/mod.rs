//! Every fact type of `acr-audit/facts/v1`: the `input` each Rego rule reads, and the shape users' own rules
//! rely on. This module is that contract, and nothing else: plain data with documented fields (see
//! `docs/facts.md`), typed statuses ([`vocabulary`]), no behaviour and no import from the rest of analysis, so
//! any analysis module can produce facts without import loops.
//!
//! The contract only grows: a field or a word is added, never renamed or removed, within v1.

mod client;
mod pair;
mod path;
mod registry;
pub mod vocabulary;

pub use client::{
    ClientFacts, KubeletIdentityFacts, ManagedIdentityFacts, ProviderRegistrationFacts, RegistryLoginFacts,
    UserAssignedIdentityFacts,
};
pub use pair::{
    ApplianceRouteFacts, Grant, GroupGrant, PairEndpointFacts, PairFacts, PairTransitFacts, PeeringFacts,
    PeeringSideFacts, PublicPullFacts, RbacFacts, TransitFacts,
};
pub use path::{
    AzureFirewallFacts, DecidingRule, DestinationFacts, DnsChain, DnsChainHop, DnsFacts, Endpoint, FirewallFacts,
    FirewallRuleFacts, LevelVerdict, NsgPathFacts, NsgVerdict, PathFacts, PrivateEndpointHop, RouteFacts, RouteHop,
};
pub use registry::{
    DnsRecordFacts, LayerEndpointFacts, PrivateEndpointConnectionFacts, PrivateEndpointFacts, RegistryFacts, UsageFacts,
};
pub use vocabulary::*;

use crate::snapshot::ArmError;
use serde::Serialize;

/// Version of the facts contract that custom rules can check.
pub const FACTS_SCHEMA: &str = "acr-audit/facts/v1";

/// Everything the rules see.
#[derive(Debug, Clone, Serialize)]
pub struct Facts {
    /// `acr-audit/facts/v1`.
    pub schema: String,
    /// Where the data came from.
    pub snapshot: SnapshotFacts,
    /// One entry per registry.
    pub registries: Vec<RegistryFacts>,
    /// One entry per client (AKS cluster, or another consumer: web app, container app, container group, task).
    pub clients: Vec<ClientFacts>,
    /// One entry per client × registry pair that is meant to work.
    pub pairs: Vec<PairFacts>,
    /// One entry per client subnet × registry endpoint of each pair.
    pub paths: Vec<PathFacts>,
    /// What could not be read when the snapshot was collected.
    pub errors: Vec<ArmError>,
    /// Resource types with at least one read error (lower-case): rules stay silent on them.
    pub unread_types: Vec<String>,
}

/// `input.snapshot`.
#[derive(Debug, Clone, Serialize)]
pub struct SnapshotFacts {
    /// RFC 3339.
    pub collected_at: Option<String>,
    /// Cloud name.
    pub cloud: String,
    /// Subscription ids.
    pub subscriptions: Vec<String>,
}
