//! acr-audit: explains why a client cannot push to or pull from an Azure Container Registry.
//!
//! The crate is laid out as the pipeline it runs:
//! `snapshot` (read the file) -> `model` (typed, indexed ARM views) -> `analysis` (facts: the path from each
//! client to each registry) -> `rules` (Rego on regorus, reading facts) -> `report` (table, JSON, ...).
//! The command line lives in `cli` and is the only place that knows about clap.

pub mod analysis;
pub mod cli;
pub mod diff;
pub mod model;
pub mod pipeline;
pub mod report;
pub mod rules;
/// The snapshot format (its own crate, shared with the collector): `acr_audit::snapshot::load_snapshot`, ….
pub use acr_audit_snapshot as snapshot;
pub mod triage;
