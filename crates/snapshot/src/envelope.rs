//! The snapshot v1 envelope: schema version, metadata, resource groups, service tags and collection errors.
//!
//! One generic [`Envelope`] serves both halves: the collector fills it with ARM JSON exactly as received
//! ([`RawSnapshot`]) and writes it; the loader reads it into typed views ([`Snapshot`]). So the two cannot
//! disagree on a field name.

use crate::table::{ChildCollection, Children, Resources};
use crate::views::ServiceTagsList;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Every snapshot's `schema` starts with this.
pub const SCHEMA_PREFIX: &str = "acr-audit/snapshot/v";
/// The major version this build reads and writes.
pub const SCHEMA_MAJOR: u32 = 1;
/// The `schema` value this build writes.
pub const SCHEMA_CURRENT: &str = "acr-audit/snapshot/v1";

/// The snapshot file: `R` holds the resource groups, `C` the child collections, `T` one Service Tags response.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope<R, C, T> {
    /// `acr-audit/snapshot/v1` (a minor, `v1.2`, is accepted).
    pub schema: String,
    /// Who collected it, when, from where.
    #[serde(default)]
    pub metadata: Metadata,
    /// ARM resources grouped by resource type.
    #[serde(default)]
    pub resources: R,
    /// Child collections (replications, usages, zone links, A records, role assignments) with their parent id.
    #[serde(default)]
    pub children: C,
    /// Service Tags API responses.
    #[serde(default)]
    pub service_tags: Vec<T>,
    /// What could not be read during collection.
    #[serde(default)]
    pub errors: Vec<ArmError>,
}

/// A loaded snapshot: typed views of every resource type of the table.
pub type Snapshot = Envelope<Resources, Children, ServiceTagsList>;

/// The schema of a snapshot file: the envelope with every typed view, as the loader reads it.
impl JsonSchema for Snapshot {
    fn schema_name() -> Cow<'static, str> {
        "Snapshot".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "title": "acr-audit snapshot v1",
            "description": "One JSON file holding ARM resources exactly as Azure Resource Manager returns them, grouped by resource type. Unknown fields and unknown resource types are ignored by readers.",
            "type": "object",
            "required": ["schema"],
            "properties": {
                "schema": {"type": "string", "pattern": "^acr-audit/snapshot/v1(\\.[0-9]+)?$"},
                "metadata": generator.subschema_for::<Metadata>(),
                "resources": generator.subschema_for::<Resources>(),
                "children": generator.subschema_for::<Children>(),
                "serviceTags": generator.subschema_for::<Vec<ServiceTagsList>>(),
                "errors": generator.subschema_for::<Vec<ArmError>>(),
            },
        })
    }
}

/// A snapshot as the collector assembles it: ARM JSON exactly as received, by type key (sorted), ready to write.
pub type RawSnapshot = Envelope<BTreeMap<String, Vec<Value>>, BTreeMap<String, Vec<ChildCollection<Value>>>, Value>;

/// Snapshot metadata.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct Metadata {
    /// The tool that wrote the snapshot.
    pub tool: ToolInfo,
    /// RFC 3339 time of collection.
    pub collected_at: Option<String>,
    /// The cloud and its ARM endpoint.
    pub cloud: CloudInfo,
    /// Subscriptions read, as `GET /subscriptions` returns them.
    pub subscriptions: Vec<SubscriptionInfo>,
    /// What the user asked to scan.
    pub scope: Scope,
    /// Which collector answered the subscription-scope lists: `arm` (one ARM list per type per subscription)
    /// or `resource-graph` (Azure Resource Graph queries); absent in hand-written snapshots and those written
    /// before it was recorded. Informational only: the resources are the same ARM JSON either way.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collector: Option<String>,
}

/// `metadata.tool`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct ToolInfo {
    /// `acr-audit`.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// `metadata.cloud`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct CloudInfo {
    /// `AzureCloud`, `AzureChinaCloud`, `AzureUSGovernment`.
    pub name: String,
    /// ARM endpoint used.
    pub arm_endpoint: String,
}

impl Default for CloudInfo {
    fn default() -> Self {
        Self { name: "AzureCloud".into(), arm_endpoint: "https://management.azure.com".into() }
    }
}

/// One subscription, as `GET /subscriptions` returns it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct SubscriptionInfo {
    /// GUID.
    pub subscription_id: String,
    /// Name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Tenant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// `Enabled`, `Disabled`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// What was asked for.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct Scope {
    /// Subscriptions named with `--subscription`.
    pub subscriptions: Vec<String>,
    /// `--all-subscriptions`.
    pub all_subscriptions: bool,
    /// Management groups named with `--management-group`: every enabled subscription under them (nested groups
    /// included) was read. Absent when none was named.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub management_groups: Vec<String>,
    /// Registries named with `--registry`.
    pub registries: Vec<String>,
}

/// A scope and resource type that could not be read.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ArmError {
    /// The ARM scope (subscription, registry id, zone id) of the failed call.
    pub scope: String,
    /// The resource type that was being read.
    pub resource_type: String,
    /// HTTP status, when there was a response.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// ARM error code (`AuthorizationFailed`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// ARM's message.
    pub message: String,
}
