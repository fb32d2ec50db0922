//! Snapshot v1: the one JSON file `collect` writes and `eval` reads.
//!
//! This module owns the on-disk format and nothing else: the envelope (schema version, metadata, errors) and
//! the dispatch of ARM resource groups into the typed views of [`crate::model`]. It is the seam between the
//! online half (collection) and the offline half (analysis, rules, reports). The format is documented in
//! `docs/snapshot.md` and `docs/snapshot.schema.json`.
//!
//! Loading deserializes straight from the file's bytes into typed views, never through a `serde_json::Value`
//! tree, so a 100,000-resource snapshot is held once as bytes and once as typed model, not three times.

mod error;
mod load;
mod types;

pub use error::SnapshotError;
pub use load::{load_snapshot, parse_snapshot};
pub use types::{
    ArmError, ChildCollection, Children, CloudInfo, Metadata, Resources, Scope, Snapshot, SubscriptionInfo, ToolInfo,
    SCHEMA_MAJOR, SCHEMA_PREFIX,
};
