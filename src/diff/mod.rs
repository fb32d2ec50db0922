//! Drift between two snapshots: the configuration changes that matter to registry access, and the findings
//! that appeared or were resolved, each appeared finding linked to the changes on the resource it names.
//!
//! Configuration is compared on the typed model (the fields acr-audit reads), so ARM noise such as etags and
//! provisioning timestamps never shows up. Arrays of named items (security rules, routes, subnets,
//! peerings, connections) are matched by name, not position.

use crate::model::{id_key, Model};
use crate::rules::Finding;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

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

/// The configuration changes between two models, over the resource types that decide registry access.
pub fn config_changes(old: &Model, new: &Model) -> Vec<ConfigChange> {
    let mut changes = Vec::new();
    let mut compare =
        |resource_type: &'static str, a: BTreeMap<String, (String, Value)>, b: BTreeMap<String, (String, Value)>| {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                match (a.get(k), b.get(k)) {
                    (Some((id, _)), None) => changes.push(ConfigChange {
                        resource: id.clone(),
                        resource_type,
                        kind: "removed",
                        path: String::new(),
                        old: None,
                        new: None,
                    }),
                    (None, Some((id, _))) => changes.push(ConfigChange {
                        resource: id.clone(),
                        resource_type,
                        kind: "added",
                        path: String::new(),
                        old: None,
                        new: None,
                    }),
                    (Some((_, x)), Some((id, y))) => {
                        let mut diffs = Vec::new();
                        diff_values("", x, y, &mut diffs);
                        for (path, o, n) in diffs {
                            changes.push(ConfigChange {
                                resource: id.clone(),
                                resource_type,
                                kind: "changed",
                                path,
                                old: o,
                                new: n,
                            });
                        }
                    }
                    (None, None) => {}
                }
            }
        };
    compare(
        "Microsoft.ContainerRegistry/registries",
        by_id(&old.registries, |r| &r.id),
        by_id(&new.registries, |r| &r.id),
    );
    compare(
        "Microsoft.Network/networkSecurityGroups",
        by_id(&old.network_security_groups, |r| &r.id),
        by_id(&new.network_security_groups, |r| &r.id),
    );
    compare("Microsoft.Network/routeTables", by_id(&old.route_tables, |r| &r.id), by_id(&new.route_tables, |r| &r.id));
    compare(
        "Microsoft.Network/virtualNetworks",
        by_id(&old.virtual_networks, |r| &r.id),
        by_id(&new.virtual_networks, |r| &r.id),
    );
    compare(
        "Microsoft.Network/privateEndpoints",
        by_id(&old.private_endpoints, |r| &r.id),
        by_id(&new.private_endpoints, |r| &r.id),
    );
    compare(
        "Microsoft.Network/networkInterfaces",
        by_id(&old.network_interfaces, |r| &r.id),
        by_id(&new.network_interfaces, |r| &r.id),
    );
    compare(
        "Microsoft.Network/privateDnsZones",
        by_id(&old.private_dns_zones, |r| &r.id),
        by_id(&new.private_dns_zones, |r| &r.id),
    );
    compare(
        "Microsoft.Network/publicIPAddresses",
        by_id(&old.public_ip_addresses, |r| &r.id),
        by_id(&new.public_ip_addresses, |r| &r.id),
    );
    compare("Microsoft.Network/natGateways", by_id(&old.nat_gateways, |r| &r.id), by_id(&new.nat_gateways, |r| &r.id));
    compare(
        "Microsoft.ContainerService/managedClusters",
        by_id(&old.managed_clusters, |r| &r.id),
        by_id(&new.managed_clusters, |r| &r.id),
    );
    compare(
        "Microsoft.Compute/virtualMachineScaleSets",
        by_id(&old.virtual_machine_scale_sets, |r| &r.id),
        by_id(&new.virtual_machine_scale_sets, |r| &r.id),
    );
    compare(
        "Microsoft.Authorization/roleDefinitions",
        by_id(&old.role_definitions, |r| &r.id),
        by_id(&new.role_definitions, |r| &r.id),
    );
    // Zone links and records, and the registries' role assignments, are child collections: compare them per parent.
    let mut zones: BTreeMap<String, String> = BTreeMap::new();
    for z in old.private_dns_zones.iter().chain(&new.private_dns_zones) {
        zones.entry(id_key(&z.id)).or_insert_with(|| z.id.clone());
    }
    for zone in zones.values() {
        let children =
            |m: &Model| serde_json::json!({"virtualNetworkLinks": m.zone_links(zone), "A": m.zone_a_records(zone)});
        let mut diffs = Vec::new();
        diff_values("", &children(old), &children(new), &mut diffs);
        for (path, o, n) in diffs {
            changes.push(ConfigChange {
                resource: zone.clone(),
                resource_type: "Microsoft.Network/privateDnsZones",
                kind: "changed",
                path,
                old: o,
                new: n,
            });
        }
    }
    let mut registries: BTreeMap<String, String> = BTreeMap::new();
    for r in old.registries.iter().chain(&new.registries) {
        registries.entry(id_key(&r.id)).or_insert_with(|| r.id.clone());
    }
    for reg in registries.values() {
        let assignments =
            |m: &Model| serde_json::to_value(m.role_assignments(reg).unwrap_or(&[])).unwrap_or(Value::Null);
        let mut diffs = Vec::new();
        diff_values("roleAssignments", &assignments(old), &assignments(new), &mut diffs);
        for (path, o, n) in diffs {
            changes.push(ConfigChange {
                resource: reg.clone(),
                resource_type: "Microsoft.Authorization/roleAssignments",
                kind: "changed",
                path,
                old: o,
                new: n,
            });
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
