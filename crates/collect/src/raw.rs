//! The snapshot as it is assembled: ARM JSON kept exactly as received, grouped by type, written as
//! `acr-audit/snapshot/v1` (see docs/snapshot.md).

use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// A child collection with its parent's id.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChildCollection {
    /// Parent resource id (or the scope asked, for role assignments).
    pub parent_id: String,
    /// The items.
    pub value: Vec<Value>,
}

/// A scope and resource type that could not be read.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ArmErrorRecord {
    /// The scope of the failed call.
    pub scope: String,
    /// The resource type being read.
    pub resource_type: String,
    /// HTTP status, when there was a response.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// ARM error code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// ARM's message (never request headers or tokens).
    pub message: String,
}

/// A snapshot ready to be written.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RawSnapshot {
    /// `acr-audit/snapshot/v1`.
    pub schema: String,
    /// Who, when, where, what.
    pub metadata: Value,
    /// ARM list items by type, sorted by id.
    pub resources: BTreeMap<String, Vec<Value>>,
    /// Child collections by child type.
    pub children: BTreeMap<String, Vec<ChildCollection>>,
    /// Service Tags API responses.
    pub service_tags: Vec<Value>,
    /// What could not be read.
    pub errors: Vec<ArmErrorRecord>,
}
