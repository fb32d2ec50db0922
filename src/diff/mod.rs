//! Drift between two snapshots: the configuration changes that matter to registry access, and the findings
//! that appeared or were resolved, each appeared finding linked to the changes on the resource it names.
//!
//! Configuration is compared on the typed model (the fields acr-audit reads), so ARM noise such as etags and
//! provisioning timestamps never shows up. Arrays of named items (security rules, routes, subnets,
//! peerings, connections) are matched by name, not position.

use crate::model::{id_key, Model};
use crate::rules::Finding;
use acr_audit_snapshot::CHILD_TYPES;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One configuration change.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ConfigChange {
    /// The resource changed.
    pub resource: String,
    /// Its ARM type.
    pub resource_type: &'static str,
    /// `added`, `removed` or `changed`.
    pub kind: &'static str,
    /// Where inside the resource, e.g. `properties.securityRules[DenyInternetOutbound].properties.destinationAddressPrefix`.
    pub path: String,
    /// The earlier value.
    pub old: Option<Value>,
    /// The later value.
    pub new: Option<Value>,
}

/// A finding that appeared, with the changes that touched its resource.
#[derive(Debug, Clone, Serialize)]
pub struct AppearedFinding {
    /// The finding.
    #[serde(flatten)]
    pub finding: Finding,
    /// Indexes into `changes` of the changes on the finding's resource (or its parents).
    pub caused_by: Vec<usize>,
}

/// The whole drift report.
#[derive(Debug, Clone, Serialize)]
pub struct Drift {
    /// `acr-audit/diff/v1`.
    pub schema: &'static str,
    /// Earlier snapshot path and collection time.
    pub old: SnapshotRef,
    /// Later snapshot path and collection time.
    pub new: SnapshotRef,
    /// Configuration changes.
    pub changes: Vec<ConfigChange>,
    /// Findings in the later snapshot only.
    pub appeared: Vec<AppearedFinding>,
    /// Findings in the earlier snapshot only.
    pub resolved: Vec<Finding>,
}

/// A snapshot in a drift report.
#[derive(Debug, Clone, Serialize)]
pub struct SnapshotRef {
    /// Path.
    pub path: String,
    /// Collection time.
    pub collected_at: Option<String>,
}

fn by_id<T: Serialize>(items: &[T], id: impl Fn(&T) -> &str) -> BTreeMap<String, (String, Value)> {
    items.iter().map(|i| (id_key(id(i)), (id(i).to_string(), serde_json::to_value(i).unwrap_or(Value::Null)))).collect()
}

/// The label an array element is matched by: its `name`, else its `id`, else its `value` (IP rules).
fn label(v: &Value) -> Option<String> {
    ["name", "id", "value"].iter().find_map(|k| v.get(*k).and_then(Value::as_str)).map(str::to_string)
}

fn diff_values(path: &str, old: &Value, new: &Value, out: &mut Vec<(String, Option<Value>, Option<Value>)>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                match (a.get(k), b.get(k)) {
                    (Some(x), Some(y)) => diff_values(&p, x, y, out),
                    (x, y) => {
                        if x.map(|v| !v.is_null()).unwrap_or(false) || y.map(|v| !v.is_null()).unwrap_or(false) {
                            out.push((p, x.cloned(), y.cloned()));
                        }
                    }
                }
            }
        }
        (Value::Array(a), Value::Array(b))
            if a.iter().chain(b).all(|v| label(v).is_some()) && !(a.is_empty() && b.is_empty()) =>
        {
            let index = |list: &Vec<Value>| -> BTreeMap<String, Value> {
                list.iter().filter_map(|v| label(v).map(|l| (l.to_ascii_lowercase(), v.clone()))).collect()
            };
            let (ia, ib) = (index(a), index(b));
            let keys: std::collections::BTreeSet<&String> = ia.keys().chain(ib.keys()).collect();
            for k in keys {
                let shown = ia.get(k).or(ib.get(k)).and_then(label).unwrap_or_else(|| k.clone());
                let p = format!("{path}[{shown}]");
                match (ia.get(k), ib.get(k)) {
                    (Some(x), Some(y)) => diff_values(&p, x, y, out),
                    (x, y) => out.push((p, x.cloned(), y.cloned())),
                }
            }
        }
        (a, b) if a != b => out.push((path.to_string(), Some(a.clone()), Some(b.clone()))),
        _ => {}
    }
}

/// Compared resources of one type: lower-cased id -> (id as written, the view as JSON).
type ById = BTreeMap<String, (String, Value)>;

/// Generates, from the resource-type table, the per-type groups `diff` compares: every resource type and child
/// collection whose row says `drift`.
macro_rules! drift_groups {
    (
        resources { $(
            $field:ident : $view:ident => $key:literal {
                getter: $getter:ident, api_version: $api:literal, listing: $listing:expr, drift: $drift:expr, doc: $doc:literal $(,)?
            }
        ),* $(,)? }
        children { $(
            $cfield:ident : $cview:ident => $ckey:literal {
                getter: $cgetter:ident, api_version: $capi:literal, parent: $parent:literal, path: $path:literal,
                drift: $cdrift:expr, doc: $cdoc:literal $(,)?
            }
        ),* $(,)? }
    ) => {
        /// Every compared resource type of a model, in table order: (type key, resources by id).
        fn resource_groups(m: &Model) -> Vec<(&'static str, ById)> {
            let mut out = Vec::new();
            $(
                if $drift {
                    out.push(($key, by_id(&m.$field, |r| &r.id)));
                }
            )*
            out
        }

        /// The compared child collections under one parent of type `parent_type`, in table order:
        /// (child type key, the name changes are reported under, the items as JSON; empty when not read).
        fn child_groups(m: &Model, parent_type: &str, parent: &str) -> Vec<(&'static str, &'static str, Value)> {
            let mut out = Vec::new();
            $(
                let drift: Option<&'static str> = $cdrift;
                if let (Some(label), true) = (drift, $parent.eq_ignore_ascii_case(parent_type)) {
                    let items = serde_json::to_value(m.$cgetter(parent).unwrap_or_default()).unwrap_or(Value::Null);
                    out.push(($ckey, label, items));
                }
            )*
            out
        }
    };
}

acr_audit_snapshot::with_resource_types!(drift_groups);

/// The configuration changes between two models, over the resource types that decide registry access (those
/// the resource-type table marks `drift`).
pub fn config_changes(old: &Model, new: &Model) -> Vec<ConfigChange> {
    let mut changes = Vec::new();
    let (old_groups, new_groups) = (resource_groups(old), resource_groups(new));
    for ((resource_type, a), (_, b)) in old_groups.iter().zip(&new_groups) {
        let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        for k in keys {
            let change = |resource: &str, kind, path: String, old, new| ConfigChange {
                resource: resource.to_string(),
                resource_type,
                kind,
                path,
                old,
                new,
            };
            match (a.get(k), b.get(k)) {
                (Some((id, _)), None) => changes.push(change(id, "removed", String::new(), None, None)),
                (None, Some((id, _))) => changes.push(change(id, "added", String::new(), None, None)),
                (Some((_, x)), Some((id, y))) => {
                    let mut diffs = Vec::new();
                    diff_values("", x, y, &mut diffs);
                    changes.extend(diffs.into_iter().map(|(path, o, n)| change(id, "changed", path, o, n)));
                }
                (None, None) => {}
            }
        }
    }
    // Child collections (zone links and records, a registry's role assignments) are compared per parent, parent
    // types in the order the table first names them, and reported on the parent under the child's name.
    let mut parent_types: Vec<&'static str> = Vec::new();
    for child in CHILD_TYPES.iter().filter(|c| c.drift.is_some()) {
        if !parent_types.contains(&child.parent) {
            parent_types.push(child.parent);
        }
    }
    for parent_type in parent_types {
        let mut parents: BTreeMap<String, String> = BTreeMap::new();
        for (_, group) in old_groups.iter().chain(&new_groups).filter(|(t, _)| t.eq_ignore_ascii_case(parent_type)) {
            for (key, (id, _)) in group {
                parents.entry(key.clone()).or_insert_with(|| id.clone());
            }
        }
        for parent in parents.values() {
            let (a, b) = (child_groups(old, parent_type, parent), child_groups(new, parent_type, parent));
            for ((child_type, label, x), (_, _, y)) in a.iter().zip(&b) {
                let mut diffs = Vec::new();
                diff_values(label, x, y, &mut diffs);
                changes.extend(diffs.into_iter().map(|(path, o, n)| ConfigChange {
                    resource: parent.clone(),
                    resource_type: child_type,
                    kind: "changed",
                    path,
                    old: o,
                    new: n,
                }));
            }
        }
    }
    changes
}

/// Build the drift report from two evaluations.
pub fn drift(old: (&Model, &[Finding], SnapshotRef), new: (&Model, &[Finding], SnapshotRef)) -> Drift {
    let changes = config_changes(old.0, new.0);
    let old_fps: std::collections::HashSet<&str> = old.1.iter().map(|f| f.fingerprint.as_str()).collect();
    let new_fps: std::collections::HashSet<&str> = new.1.iter().map(|f| f.fingerprint.as_str()).collect();
    let appeared = new
        .1
        .iter()
        .filter(|f| !old_fps.contains(f.fingerprint.as_str()))
        .map(|f| {
            let resource = id_key(&f.resource);
            let caused_by = changes
                .iter()
                .enumerate()
                .filter(|(_, c)| {
                    let changed = id_key(&c.resource);
                    resource == changed
                        || resource.starts_with(&format!("{changed}/"))
                        || changed.starts_with(&format!("{resource}/"))
                })
                .map(|(i, _)| i)
                .collect();
            AppearedFinding { finding: f.clone(), caused_by }
        })
        .collect();
    let resolved = old.1.iter().filter(|f| !new_fps.contains(f.fingerprint.as_str())).cloned().collect();
    Drift { schema: "acr-audit/diff/v1", old: old.2, new: new.2, changes, appeared, resolved }
}

/// A one-line description of a change.
pub fn describe(c: &ConfigChange) -> String {
    let name = c.resource.rsplit('/').next().unwrap_or(&c.resource);
    let short = |v: &Option<Value>| match v {
        None => "(none)".to_string(),
        Some(Value::String(s)) => format!("\"{s}\""),
        Some(v) => {
            let t = v.to_string();
            if t.chars().count() > 80 {
                format!("{}…", t.chars().take(80).collect::<String>())
            } else {
                t
            }
        }
    };
    match c.kind {
        "added" => format!("{name}: added"),
        "removed" => format!("{name}: removed"),
        _ => format!("{name}: {} {} → {}", c.path, short(&c.old), short(&c.new)),
    }
}
