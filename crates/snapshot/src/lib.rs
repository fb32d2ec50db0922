//! The acr-audit snapshot format: the one JSON file `collect` writes and `eval` reads.
//!
//! This crate is the seam between the online half (the collector, `acr-audit-collect`) and the offline half
//! (the acr-audit library): both depend on it, and it depends on neither. It owns
//!
//! - [`table`]: the resource-type table, every ARM type acr-audit reads declared once;
//! - [`envelope`]: the file's envelope (schema version, metadata, groups, errors), shared by writer and reader;
//! - [`views`]: the typed, lenient views ARM JSON is read into;
//! - [`load`] and [`error`]: reading a file into typed views, with errors that name file, line, column and
//!   JSON path; the version rule;
//! - [`nulls`]: `null` members read as absent, as ARM means them;
//! - [`ids`]: ARM resource ids and how they compare;
//! - [`docs`]: the JSON Schema and the documentation tables, generated from the table and the views.
//!
//! It knows nothing of Azure's SDK, of analysis or of rules. Format: `docs/snapshot.md`.

pub mod docs;
pub mod envelope;
pub mod error;
pub mod ids;
pub mod load;
pub mod nulls;
pub mod table;
pub mod views;

pub use envelope::{
    ArmError, CloudInfo, Envelope, Metadata, RawSnapshot, Scope, Snapshot, SubscriptionInfo, ToolInfo, SCHEMA_CURRENT,
    SCHEMA_MAJOR, SCHEMA_PREFIX,
};
pub use error::SnapshotError;
pub use load::{load_snapshot, max_snapshot_bytes, parse_snapshot, read_snapshot_bytes, DEFAULT_MAX_SNAPSHOT_BYTES};
pub use table::{
    child_type, resource_type, ChildCollection, ChildType, ChildTypeTable, Children, Listing, ResourceType,
    ResourceTypeTable, Resources, CHILDREN, CHILD_TYPES, RESOURCE_TYPES, TYPES,
};
