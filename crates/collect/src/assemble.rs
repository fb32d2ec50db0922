//! Merging what the branches of the plan read ([`Part`]s) into the deterministic [`RawSnapshot`]: items sorted
//! and de-duplicated by id, child collections by parent, errors by scope, and the typed metadata.
//!
//! It sends no request and decides nothing about what to read (that is `plan`'s); it only refuses a
//! collection in which not one list call succeeded.

use super::arm::ArmFailure;
use super::{CollectConfig, CollectError, Collector};
use acr_audit_snapshot::ids::id_key as key;
use acr_audit_snapshot::{
    ArmError, ChildCollection, CloudInfo, Metadata, RawSnapshot, Scope, SubscriptionInfo, ToolInfo, SCHEMA_CURRENT,
};
use azure_core::Url;
use serde_json::Value;
use std::collections::BTreeMap;

/// The `id` of an ARM item (`""` when it has none).
pub(crate) fn id_of(v: &Value) -> &str {
    v.get("id").and_then(Value::as_str).unwrap_or("")
}

/// What one branch of the collection read, merged at the end.
#[derive(Default)]
pub(crate) struct Part {
    resources: BTreeMap<String, Vec<Value>>,
    children: BTreeMap<String, Vec<ChildCollection<Value>>>,
    service_tags: Vec<Value>,
    errors: Vec<ArmError>,
    lists_ok: usize,
}

impl Part {
    /// A scope and type that could not be read.
    pub(crate) fn error(&mut self, scope: &str, resource_type: &str, f: ArmFailure) {
        self.errors.push(ArmError {
            scope: scope.to_string(),
            resource_type: resource_type.to_string(),
            status: f.status,
            code: f.code,
            message: f.message,
        });
    }

    /// One list call succeeded (a collection where none did is refused).
    pub(crate) fn list_ok(&mut self) {
        self.lists_ok += 1;
    }

    /// One Service Tags API response.
    pub(crate) fn service_tags(&mut self, response: Value) {
        self.service_tags.push(response);
    }

    /// What could not be read so far.
    pub(crate) fn errors(&self) -> &[ArmError] {
        &self.errors
    }

    /// Items of a top-level type.
    pub(crate) fn add(&mut self, kind: &str, items: Vec<Value>) {
        self.resources.entry(kind.to_string()).or_default().extend(items);
    }

    /// The items of a top-level type read so far (for a branch that decides further requests from them).
    pub(crate) fn items(&self, kind: &str) -> &[Value] {
        self.resources.get(kind).map(Vec::as_slice).unwrap_or(&[])
    }

    /// One child collection, with its parent's id.
    pub(crate) fn child(&mut self, kind: &str, parent: String, value: Vec<Value>) {
        self.children.entry(kind.to_string()).or_default().push(ChildCollection { parent_id: parent, value });
    }

    /// Another branch's part, appended (order does not matter: [`snapshot`] sorts).
    pub(crate) fn merge(&mut self, other: Part) {
        for (k, v) in other.resources {
            self.resources.entry(k).or_default().extend(v);
        }
        for (k, v) in other.children {
            self.children.entry(k).or_default().extend(v);
        }
        self.service_tags.extend(other.service_tags);
        self.errors.extend(other.errors);
        self.lists_ok += other.lists_ok;
    }
}

/// What the plan read: the subscriptions in scope (as ARM returned them) and every branch's part.
pub(crate) struct Read {
    /// `GET /subscriptions[/{s}]` bodies (a bare `{subscriptionId}` for one that could not be read).
    pub subscriptions: Vec<Value>,
    /// The subscriptions step's errors, then each branch's part.
    pub parts: Vec<Part>,
    /// Who answered the subscription-scope lists (`metadata.collector`).
    pub collector: Collector,
}

/// The snapshot of what was read, the same file for the same estate whatever the paging or retries were.
pub(crate) fn snapshot(read: Read, config: &CollectConfig, endpoint: &Url) -> Result<RawSnapshot, CollectError> {
    let Read { subscriptions, parts, collector } = read;
    let mut all = Part::default();
    for p in parts {
        all.merge(p);
    }
    if all.lists_ok == 0 {
        return Err(CollectError::nothing_read(&all.errors));
    }

    // Deterministic output: the same estate gives the same file, whatever the paging or retries were.
    let Part { mut resources, mut children, service_tags, mut errors, .. } = all;
    for list in resources.values_mut() {
        list.sort_by_key(|v| key(id_of(v)));
        list.dedup_by(|a, b| key(id_of(a)) == key(id_of(b)));
    }
    for list in children.values_mut() {
        list.sort_by_key(|c| key(&c.parent_id));
        for c in list.iter_mut() {
            if c.value.iter().all(|v| v.get("id").is_some()) {
                c.value.sort_by_key(|v| key(id_of(v)));
            }
        }
    }
    errors.sort_by(|a, b| (&a.scope, &a.resource_type).cmp(&(&b.scope, &b.resource_type)));
    let text = |s: &Value, field: &str| s.get(field).and_then(Value::as_str).map(str::to_string);
    let metadata = Metadata {
        tool: ToolInfo { name: "acr-audit".into(), version: config.tool_version.clone() },
        collected_at: Some(
            time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        ),
        cloud: CloudInfo {
            name: config.cloud.name().to_string(),
            arm_endpoint: endpoint.as_str().trim_end_matches('/').to_string(),
        },
        subscriptions: subscriptions
            .iter()
            .map(|s| SubscriptionInfo {
                subscription_id: text(s, "subscriptionId").unwrap_or_default(),
                display_name: text(s, "displayName"),
                tenant_id: text(s, "tenantId"),
                state: text(s, "state"),
            })
            .collect(),
        scope: Scope {
            subscriptions: config.subscriptions.clone(),
            all_subscriptions: config.all_subscriptions,
            management_groups: config.management_groups.clone(),
            registries: config.registries.clone(),
        },
        collector: Some(collector.name().to_string()),
    };
    Ok(RawSnapshot { schema: SCHEMA_CURRENT.to_string(), metadata, resources, children, service_tags, errors })
}
