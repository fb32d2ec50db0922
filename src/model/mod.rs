//! The typed, indexed model of one snapshot: [`Model`] holds the views of every resource type of the table and
//! finds them by lower-cased ARM id.
//!
//! The views themselves (lenient serde structs over ARM JSON) belong to the snapshot format crate and are
//! re-exported here, so analysis code names them as `crate::model::Registry`. Nothing here talks to Azure or
//! knows about rules.

mod index;

pub use acr_audit_snapshot::ids::{id_key, parse_resource_id, vnet_key_of_subnet, ResourceIdParts};
pub use acr_audit_snapshot::views::*;
pub use index::{Model, SubnetRef};

/// Append `id` to `ids` unless an id equal to it under ARM's case-insensitive comparison is already there (keeps
/// the first spelling seen, and the order).
pub fn push_unique_id(ids: &mut Vec<String>, id: &str) {
    if !ids.iter().any(|x| id_key(x) == id_key(id)) {
        ids.push(id.to_string());
    }
}
