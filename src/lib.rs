//! acr-audit: explains why a client cannot push to or pull from an Azure Container Registry.
//!
//! The crate is laid out as the pipeline it runs:
//! `snapshot` (read the file) -> `model` (typed, indexed ARM views) -> `analysis` (facts: the path from each
//! client to each registry) -> `rules` (Rego on regorus, reading facts) -> `report` (table, JSON, ...).
//! `settings` holds what a command was asked to do, resolved; `pipeline` runs it.
//! The command line (clap, the terminal, the progress bar) is not here: it is the binary's (`src/main.rs`,
//! `src/cli/`), which turns flags into [`settings::Settings`] and calls the library.

pub mod analysis;
pub mod diff;
pub mod model;
pub mod pipeline;
pub mod report;
pub mod rules;
pub mod settings;
/// The snapshot format (its own crate, shared with the collector): `acr_audit::snapshot::load_snapshot`, ….
pub use acr_audit_snapshot as snapshot;
pub mod triage;
pub mod yaml;
