//! The corpus of real ARM bodies (`tests/corpus/`, issue #10): every published example body of every type
//! acr-audit reads loads as that type, and one estate per defect of the issue, assembled from those bodies,
//! gives the verdict Azure's behaviour calls for.
//!
//! Bodies are the `200` responses of Azure/azure-rest-api-specs examples, unchanged; `sources.json` beside them
//! names the file and commit each came from and the snapshot key it is read as. An estate
//! (`tests/corpus/estates/*.json`) lists bodies with RFC 7396 merge patches (keyed as in rule fixtures) that
//! change only what joins them into one estate: ids, references, names. Where a defect needs a property value
//! no published example has, the patch sets it and its `why` says so. `tests/corpus/README.md` has the format.

use super::common::*;
use acr_audit::rules::fixture::merge_patch;
use acr_audit::snapshot::{child_type, parse_snapshot, resource_type, Snapshot, CHILD_TYPES, RESOURCE_TYPES};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The `type` of a Service Tags response in `sources.json`: it goes to the snapshot's `serviceTags`.
const SERVICE_TAGS: &str = "serviceTags";
/// The `type` of a management group's descendants list in `sources.json`: not a snapshot type, but the response
/// the collector resolves `--management-group` from (`crates/collect/src/scope.rs` reads this body in a unit test).
const MANAGEMENT_GROUP_DESCENDANTS: &str = "managementGroupDescendants";

fn corpus() -> PathBuf {
    path("tests/corpus")
}

/// One body of the corpus, as its directory's `sources.json` describes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Source {
    repo: String,
    path: String,
    commit: String,
    #[serde(rename = "type")]
    kind: String,
}

/// Every body by its path under `tests/corpus/bodies` (`network/2024-05-01/VirtualNetworkList.json`).
fn sources() -> BTreeMap<String, Source> {
    let mut out = BTreeMap::new();
    let bodies = corpus().join("bodies");
    for service in dirs(&bodies) {
        for version in dirs(&service) {
            let file = version.join("sources.json");
            let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let map: BTreeMap<String, Source> =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let rel = version.strip_prefix(&bodies).unwrap().to_string_lossy().replace('\\', "/");
            for (name, source) in map {
                out.insert(format!("{rel}/{name}"), source);
            }
        }
    }
    assert!(!out.is_empty(), "no bodies under {}", bodies.display());
    out
}

fn dirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

fn body(rel: &str) -> Value {
    read_json(&corpus().join("bodies").join(rel))
}

/// The items of a response body: a list response's `value`, or the one resource a GET returns.
fn items(body: &Value) -> Vec<Value> {
    match body.get("value").and_then(Value::as_array) {
        Some(list) => list.clone(),
        None => vec![body.clone()],
    }
}

/// How many items of `key` the loaded snapshot read as that type, generated from the resource-type table so a
/// new row is counted without touching this file; `None` when the table has no such key.
macro_rules! count_by_key {
    (
        resources { $( $field:ident : $view:ident => $key:literal { $($rest:tt)* } ),* $(,)? }
        children { $( $cfield:ident : $cview:ident => $ckey:literal { $($crest:tt)* } ),* $(,)? }
    ) => {
        fn items_read_as(snapshot: &Snapshot, key: &str) -> Option<usize> {
            $(
                if key.eq_ignore_ascii_case($key) {
                    return Some(snapshot.resources.$field.len());
                }
            )*
            $(
                if key.eq_ignore_ascii_case($ckey) {
                    return Some(snapshot.children.$cfield.iter().map(|c| c.value.len()).sum());
                }
            )*
            None
        }
    };
}
acr_audit::snapshot::with_resource_types!(count_by_key);

/// A snapshot holding only `items` as `kind` (a child type goes under one parent).
fn wrap(kind: &str, items: Vec<Value>) -> Value {
    let mut snapshot = json!({"schema": "acr-audit/snapshot/v1"});
    if kind == SERVICE_TAGS {
        snapshot["serviceTags"] = Value::Array(items);
    } else if let Some(child) = child_type(kind) {
        let parent = format!(
            "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/corpus/providers/{}/corpus",
            child.parent
        );
        snapshot["children"] = json!({ kind: [{"parentId": parent, "value": items}] });
    } else if kind.matches('/').count() > 1 {
        snapshot["children"] = json!({ kind: [{"parentId": "/corpus/parent", "value": items}] });
    } else {
        snapshot["resources"] = json!({ kind: items });
    }
    snapshot
}

#[test]
fn sources_describe_every_body_and_name_a_real_origin() {
    let sources = sources();
    let bodies = corpus().join("bodies");
    let mut on_disk = BTreeSet::new();
    for service in dirs(&bodies) {
        for version in dirs(&service) {
            for entry in std::fs::read_dir(&version).unwrap() {
                let p = entry.unwrap().path();
                let name = p.file_name().unwrap().to_string_lossy().to_string();
                if name != "sources.json" {
                    on_disk.insert(p.strip_prefix(&bodies).unwrap().to_string_lossy().replace('\\', "/"));
                }
            }
        }
    }
    let described: BTreeSet<String> = sources.keys().cloned().collect();
    assert_eq!(on_disk, described, "every body file needs a sources.json entry and every entry a file");
    for (rel, s) in &sources {
        let file = rel.rsplit('/').next().unwrap();
        let version = rel.split('/').nth(1).unwrap();
        assert_eq!(s.repo, "Azure/azure-rest-api-specs", "{rel}");
        assert!(
            s.path.ends_with(&format!("/examples/{file}")) || s.path.ends_with(&format!("/{file}")),
            "{rel}: {}",
            s.path
        );
        assert!(s.path.contains(&format!("/{version}/")), "{rel}: the directory's api-version is not in {}", s.path);
        assert!(s.commit.len() == 40 && s.commit.chars().all(|c| c.is_ascii_hexdigit()), "{rel}: commit {}", s.commit);
        assert!(
            s.kind == SERVICE_TAGS
                || s.kind == MANAGEMENT_GROUP_DESCENDANTS
                || resource_type(&s.kind).is_some()
                || child_type(&s.kind).is_some(),
            "{rel}: type {} is not a key of the resource-type table",
            s.kind
        );
    }
}

#[test]
fn every_real_example_body_loads_as_its_type() {
    let mut failures = Vec::new();
    for (rel, source) in sources() {
        let items = items(&body(&rel));
        let count = items.len();
        if source.kind == MANAGEMENT_GROUP_DESCENDANTS {
            // Not snapshot data: each entry is a group or a subscription with the fields the collector reads.
            let shaped = |v: &Value| ["id", "type", "name"].iter().all(|f| v[*f].is_string());
            if count == 0 || !items.iter().all(shaped) {
                failures.push(format!("{rel}: not a list of descendants with id, type and name"));
            }
            continue;
        }
        let snapshot = wrap(&source.kind, items);
        let bytes = serde_json::to_vec(&snapshot).unwrap();
        let loaded = match parse_snapshot(&bytes, Path::new(&rel)) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{rel} (as {}): does not load: {e}", source.kind));
                continue;
            }
        };
        if source.kind == SERVICE_TAGS {
            let values = body(&rel)["values"].as_array().map(Vec::len).unwrap_or(0);
            let read: usize = loaded.service_tags.iter().map(|t| t.values.len()).sum();
            if read != values || values == 0 {
                failures.push(format!("{rel}: {values} service tags in the body, {read} read"));
            }
            continue;
        }
        let unknown: Vec<&String> =
            loaded.resources.unknown_types.iter().chain(loaded.children.unknown_types.iter()).collect();
        if !unknown.is_empty() {
            failures.push(format!("{rel}: read as unknown types {unknown:?} instead of {}", source.kind));
        }
        match items_read_as(&loaded, &source.kind) {
            Some(read) if read == count => {}
            Some(read) => failures.push(format!("{rel}: {count} items of {}, {read} read as that type", source.kind)),
            None => failures.push(format!("{rel}: {} is not a key of the resource-type table", source.kind)),
        }
    }
    assert!(failures.is_empty(), "real example bodies that do not load as their type:\n{}", failures.join("\n"));
}

#[test]
fn every_type_of_the_table_has_a_real_body() {
    let sources = sources();
    let covered = |key: &str| sources.values().any(|s| s.kind.eq_ignore_ascii_case(key));
    let mut missing: Vec<&str> = RESOURCE_TYPES.iter().map(|t| t.key).filter(|k| !covered(k)).collect();
    missing.extend(CHILD_TYPES.iter().map(|t| t.key).filter(|k| !covered(k)));
    assert!(missing.is_empty(), "types with no real example body in tests/corpus/bodies: {missing:?}");
    assert!(covered(SERVICE_TAGS), "no Service Tags response in the corpus");
}

// ---------------------------------------------------------------------------------------------------------
// Estates
// ---------------------------------------------------------------------------------------------------------

/// One estate file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Estate {
    /// The issue item, `10.<n>`.
    defect: String,
    /// What the estate is and what Azure does with it.
    description: String,
    /// Top-level resources.
    resources: Vec<Part>,
    /// Child collection items, each with its parent id.
    #[serde(default)]
    children: Vec<Part>,
    /// Service Tags responses.
    #[serde(default, rename = "serviceTags")]
    service_tags: Vec<Part>,
    /// The snapshot's `errors`: what could not be read.
    #[serde(default)]
    errors: Vec<Value>,
    /// References that deliberately resolve to nothing in the estate, each with the reason.
    #[serde(default)]
    unresolved: BTreeMap<String, String>,
    /// The verdict.
    expect: Expect,
}

/// One body in an estate.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Part {
    /// Path under `tests/corpus/bodies`.
    body: String,
    /// Index in a list body's `value`; a list body without it contributes all its items.
    #[serde(default)]
    item: Option<usize>,
    /// For children: the parent's id.
    #[serde(default)]
    parent: Option<String>,
    /// Keyed RFC 7396 merge patch (as rule fixtures use): ids, references and names only, unless `why` says.
    #[serde(default)]
    patch: Option<Value>,
    /// JSON pointers set to `null` after the patch (RFC 7396 cannot write a null).
    #[serde(default)]
    set_null: Vec<String>,
    /// What the patch joins, and any property value it had to set.
    why: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default)]
    eval: Option<EvalExpect>,
    #[serde(default)]
    trace: Option<TraceExpect>,
    #[serde(default)]
    explain: Option<ExplainExpect>,
}

/// `eval --format json`: exit code and findings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EvalExpect {
    exit_in: Vec<i32>,
    /// Findings that must be reported.
    #[serde(default)]
    present: Vec<FindingExpect>,
    /// At least one of these rules must fire.
    #[serde(default)]
    present_any: Vec<String>,
    /// Rules that must not fire at all.
    #[serde(default)]
    absent: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FindingExpect {
    rule: String,
    /// A substring of the finding's resource id (case-insensitive).
    #[serde(default)]
    resource_contains: Option<String>,
}

/// `trace --format json`: the pair's paths.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TraceExpect {
    client: String,
    registry: String,
    #[serde(default)]
    min_paths: Option<usize>,
    /// Endpoint kinds the pair must have no path to (e.g. `storage` when layers come through a private endpoint).
    #[serde(default)]
    no_paths_of_kind: Vec<String>,
    #[serde(default)]
    paths: Vec<PathExpect>,
}

/// A field of every path whose endpoint is of `kind` (there must be at least one such path).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PathExpect {
    kind: String,
    /// Dotted path into the path facts, e.g. `firewall.verdict`.
    field: String,
    #[serde(default)]
    equals: Option<Value>,
    #[serde(default)]
    not_equals: Option<Value>,
}

/// `explain TEXT --snapshot`: the rule ranked first.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExplainExpect {
    text: String,
    first: String,
    /// The first rule must also fire on the estate.
    #[serde(default)]
    first_fires: bool,
}

pub(super) fn load_estate(name: &str) -> Estate {
    let file = corpus().join("estates").join(name);
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// The JSON a part contributes, after its patch and nulls.
fn part_items(estate: &str, part: &Part, sources: &BTreeMap<String, Source>) -> (String, Vec<Value>) {
    let source = sources.get(&part.body).unwrap_or_else(|| panic!("{estate}: {} is not in the corpus", part.body));
    assert!(!part.why.trim().is_empty(), "{estate}: {} has no `why`", part.body);
    let b = body(&part.body);
    let mut out = match part.item {
        Some(i) => vec![items(&b).get(i).cloned().unwrap_or_else(|| panic!("{estate}: {} has no item {i}", part.body))],
        None => items(&b),
    };
    for v in out.iter_mut() {
        if let Some(patch) = &part.patch {
            *v = merge_patch(v.take(), patch).unwrap_or_else(|e| panic!("{estate}: patch of {}: {e}", part.body));
        }
        for pointer in &part.set_null {
            let (parent, key) = pointer.rsplit_once('/').unwrap_or_else(|| panic!("{estate}: bad pointer {pointer}"));
            let object = v
                .pointer_mut(parent)
                .and_then(Value::as_object_mut)
                .unwrap_or_else(|| panic!("{estate}: {}: no object at {parent}", part.body));
            object.insert(key.to_string(), Value::Null);
        }
    }
    (source.kind.clone(), out)
}

/// Assemble an estate into a snapshot.
pub(super) fn assemble(name: &str, estate: &Estate) -> Value {
    let sources = sources();
    let mut resources: Map<String, Value> = Map::new();
    for part in &estate.resources {
        let (kind, items) = part_items(name, part, &sources);
        assert!(part.parent.is_none(), "{name}: {} is a resource: no `parent`", part.body);
        let list = resources.entry(kind).or_insert_with(|| Value::Array(vec![]));
        list.as_array_mut().unwrap().extend(items);
    }
    let mut children: Map<String, Value> = Map::new();
    for part in &estate.children {
        let (kind, items) = part_items(name, part, &sources);
        let parent = part.parent.clone().unwrap_or_else(|| panic!("{name}: child {} needs `parent`", part.body));
        let collections = children.entry(kind).or_insert_with(|| Value::Array(vec![]));
        let collections = collections.as_array_mut().unwrap();
        match collections.iter_mut().find(|c| c["parentId"].as_str().unwrap().eq_ignore_ascii_case(&parent)) {
            Some(c) => c["value"].as_array_mut().unwrap().extend(items),
            None => collections.push(json!({"parentId": parent, "value": items})),
        }
    }
    let mut tags = Vec::new();
    for part in &estate.service_tags {
        let (kind, items) = part_items(name, part, &sources);
        assert_eq!(kind, SERVICE_TAGS, "{name}: {} is not a Service Tags response", part.body);
        tags.extend(items);
    }
    json!({
        "schema": "acr-audit/snapshot/v1",
        "metadata": {"tool": {"name": "acr-audit corpus", "version": "0"}, "cloud": {"name": "AzureCloud"}},
        "resources": resources,
        "children": children,
        "serviceTags": tags,
        "errors": estate.errors,
    })
}

fn lower(s: &str) -> String {
    s.to_ascii_lowercase()
}

fn strs<'a>(v: &'a Value, pointer: &str) -> Vec<&'a str> {
    match v.pointer(pointer) {
        Some(Value::String(s)) => vec![s.as_str()],
        _ => vec![],
    }
}

/// Every reference the analysis follows, `(from, to, target type)`, as found in the snapshot.
fn references(snapshot: &Value) -> Vec<(String, String, &'static str)> {
    let mut out = Vec::new();
    let list = |kind: &str| snapshot["resources"][kind].as_array().cloned().unwrap_or_default();
    let arr = |v: &Value, p: &str| v.pointer(p).and_then(Value::as_array).cloned().unwrap_or_default();
    let mut push = |from: &Value, to: &str, target: &'static str| {
        out.push((from["id"].as_str().unwrap_or("?").to_string(), to.to_string(), target));
    };
    for c in list("Microsoft.ContainerService/managedClusters") {
        for pool in arr(&c, "/properties/agentPoolProfiles") {
            for s in strs(&pool, "/vnetSubnetID") {
                push(&c, s, "subnet");
            }
        }
        for ip in arr(&c, "/properties/networkProfile/loadBalancerProfile/effectiveOutboundIPs") {
            push(&c, ip["id"].as_str().unwrap_or(""), "Microsoft.Network/publicIPAddresses");
        }
    }
    for vmss in list("Microsoft.Compute/virtualMachineScaleSets") {
        for nic in arr(&vmss, "/properties/virtualMachineProfile/networkProfile/networkInterfaceConfigurations") {
            for ipc in arr(&nic, "/properties/ipConfigurations") {
                for s in strs(&ipc, "/properties/subnet/id") {
                    push(&vmss, s, "subnet");
                }
            }
        }
    }
    for vnet in list("Microsoft.Network/virtualNetworks") {
        for subnet in arr(&vnet, "/properties/subnets") {
            for (p, target) in [
                ("/properties/routeTable/id", "Microsoft.Network/routeTables"),
                ("/properties/natGateway/id", "Microsoft.Network/natGateways"),
                ("/properties/networkSecurityGroup/id", "Microsoft.Network/networkSecurityGroups"),
            ] {
                for s in strs(&subnet, p) {
                    push(&subnet, s, target);
                }
            }
        }
    }
    for nat in list("Microsoft.Network/natGateways") {
        for ip in arr(&nat, "/properties/publicIpAddresses") {
            push(&nat, ip["id"].as_str().unwrap_or(""), "Microsoft.Network/publicIPAddresses");
        }
        for prefix in arr(&nat, "/properties/publicIpPrefixes") {
            push(&nat, prefix["id"].as_str().unwrap_or(""), "Microsoft.Network/publicIPPrefixes");
        }
    }
    for pe in list("Microsoft.Network/privateEndpoints") {
        for s in strs(&pe, "/properties/subnet/id") {
            push(&pe, s, "subnet");
        }
        for nic in arr(&pe, "/properties/networkInterfaces") {
            push(&pe, nic["id"].as_str().unwrap_or(""), "Microsoft.Network/networkInterfaces");
        }
        for group in ["/properties/privateLinkServiceConnections", "/properties/manualPrivateLinkServiceConnections"] {
            for conn in arr(&pe, group) {
                for s in strs(&conn, "/properties/privateLinkServiceId") {
                    push(&pe, s, "Microsoft.ContainerRegistry/registries");
                }
            }
        }
    }
    for nic in list("Microsoft.Network/networkInterfaces") {
        for ipc in arr(&nic, "/properties/ipConfigurations") {
            for s in strs(&ipc, "/properties/subnet/id") {
                push(&nic, s, "subnet");
            }
        }
    }
    for reg in list("Microsoft.ContainerRegistry/registries") {
        for conn in arr(&reg, "/properties/privateEndpointConnections") {
            for s in strs(&conn, "/properties/privateEndpoint/id") {
                push(&reg, s, "Microsoft.Network/privateEndpoints");
            }
        }
    }
    // The consumers of issue #12: the subnets they pull from and a container app's environment.
    for site in list("Microsoft.Web/sites") {
        for s in strs(&site, "/properties/virtualNetworkSubnetId") {
            push(&site, s, "subnet");
        }
    }
    for env in list("Microsoft.App/managedEnvironments") {
        for s in strs(&env, "/properties/vnetConfiguration/infrastructureSubnetId") {
            push(&env, s, "subnet");
        }
    }
    for app in list("Microsoft.App/containerApps") {
        for s in strs(&app, "/properties/managedEnvironmentId") {
            push(&app, s, "Microsoft.App/managedEnvironments");
        }
    }
    for group in list("Microsoft.ContainerInstance/containerGroups") {
        for subnet in arr(&group, "/properties/subnetIds") {
            push(&group, subnet["id"].as_str().unwrap_or(""), "subnet");
        }
    }
    if let Some(children) = snapshot["children"].as_object() {
        for (kind, collections) in children {
            let parent_type = child_type(kind).map(|c| c.parent).unwrap_or(match kind.as_str() {
                k if k.eq_ignore_ascii_case("Microsoft.Network/privateEndpoints/privateDnsZoneGroups") => {
                    "Microsoft.Network/privateEndpoints"
                }
                _ => "?",
            });
            for c in collections.as_array().unwrap() {
                let parent = c["parentId"].as_str().unwrap_or("");
                out.push((format!("children[{kind}]"), parent.to_string(), parent_type));
                for item in c["value"].as_array().unwrap() {
                    let mut push = |to: &str, target: &'static str| {
                        out.push((item["id"].as_str().unwrap_or("?").to_string(), to.to_string(), target));
                    };
                    for s in strs(item, "/properties/virtualNetwork/id") {
                        push(s, "Microsoft.Network/virtualNetworks");
                    }
                    for s in strs(item, "/properties/virtualNetworkSubnetResourceId") {
                        push(s, "subnet");
                    }
                    for s in strs(item, "/properties/roleDefinitionId") {
                        push(s, "Microsoft.Authorization/roleDefinitions");
                    }
                    for cfg in arr(item, "/properties/privateDnsZoneConfigs") {
                        for s in strs(&cfg, "/properties/privateDnsZoneId") {
                            push(s, "Microsoft.Network/privateDnsZones");
                        }
                    }
                }
            }
        }
    }
    out
}

/// Every reference in the estate resolves to a resource of the right type, except those `unresolved` names
/// (and each of those is indeed unresolved).
pub(super) fn assert_joins(name: &str, estate: &Estate, snapshot: &Value) {
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    if let Some(resources) = snapshot["resources"].as_object() {
        for (kind, list) in resources {
            for r in list.as_array().unwrap() {
                ids.entry(lower(kind)).or_default().insert(lower(r["id"].as_str().unwrap_or("")));
                if kind.eq_ignore_ascii_case("Microsoft.Network/virtualNetworks") {
                    for s in r["properties"]["subnets"].as_array().cloned().unwrap_or_default() {
                        ids.entry("subnet".into()).or_default().insert(lower(s["id"].as_str().unwrap_or("")));
                    }
                }
            }
        }
    }
    let allowed: BTreeMap<String, &String> = estate.unresolved.iter().map(|(k, v)| (lower(k), v)).collect();
    let mut seen_unresolved = BTreeSet::new();
    let mut dangling = Vec::new();
    for (from, to, target) in references(snapshot) {
        let resolves = ids.get(&lower(target)).map(|s| s.contains(&lower(&to))).unwrap_or(false);
        if resolves {
            continue;
        }
        if allowed.contains_key(&lower(&to)) {
            seen_unresolved.insert(lower(&to));
        } else {
            dangling.push(format!("{from} -> {to} (no {target} with that id)"));
        }
    }
    assert!(dangling.is_empty(), "{name}: references that do not join:\n{}", dangling.join("\n"));
    let stale: Vec<&String> = allowed.keys().filter(|k| !seen_unresolved.contains(*k)).collect();
    assert!(stale.is_empty(), "{name}: `unresolved` names references that resolve or do not occur: {stale:?}");
}

/// A dotted field of a JSON object (`firewall.verdict`); `Null` when absent.
fn field<'a>(v: &'a Value, dotted: &str) -> &'a Value {
    dotted.split('.').fold(v, |v, k| v.get(k).unwrap_or(&Value::Null))
}

/// Assemble `name`, check it joins, run the binary and check every expectation; all failures are reported
/// together, each naming the estate, the expectation and what was observed.
fn run_estate(name: &str) {
    let estate = load_estate(name);
    assert!(
        ["10.", "11.", "12."].iter().any(|issue| estate.defect.starts_with(issue)),
        "{name}: defect {}",
        estate.defect
    );
    assert!(!estate.description.trim().is_empty(), "{name}: no description");
    let snapshot = assemble(name, &estate);
    assert_joins(name, &estate, &snapshot);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, serde_json::to_vec_pretty(&snapshot).unwrap()).unwrap();
    // `CORPUS_DUMP=<dir>` keeps the assembled snapshot, to look at an estate with `trace` by hand.
    if let Ok(d) = std::env::var("CORPUS_DUMP") {
        std::fs::write(format!("{d}/{name}"), serde_json::to_vec_pretty(&snapshot).unwrap()).unwrap();
    }
    let mut failures: Vec<String> = Vec::new();

    if let Some(e) = &estate.expect.eval {
        let out = acr_audit().arg("eval").arg(&file).args(["--format", "json"]).output().expect("runs");
        let code = out.status.code().unwrap_or(-1);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        if !e.exit_in.contains(&code) {
            failures.push(format!("eval: exit code {code}, expected one of {:?}; stderr: {stderr}", e.exit_in));
        }
        match serde_json::from_slice::<Value>(&out.stdout) {
            Err(err) => failures.push(format!("eval: no JSON report ({err}); stderr: {stderr}")),
            Ok(report) => {
                let findings = finding_keys(&report);
                let fired: Vec<String> = findings.iter().map(|(r, res)| format!("{r} on {res}")).collect();
                for want in &e.present {
                    let hit = findings.iter().any(|(rule, resource)| {
                        rule == &want.rule
                            && want
                                .resource_contains
                                .as_ref()
                                .map(|s| lower(resource).contains(&lower(s)))
                                .unwrap_or(true)
                    });
                    if !hit {
                        failures.push(format!(
                            "eval: expected {} {}; fired: {fired:?}",
                            want.rule,
                            want.resource_contains
                                .as_ref()
                                .map(|s| format!("on a resource containing {s}"))
                                .unwrap_or_default()
                        ));
                    }
                }
                if !e.present_any.is_empty() && !findings.iter().any(|(r, _)| e.present_any.contains(r)) {
                    failures.push(format!("eval: expected one of {:?} to fire; fired: {fired:?}", e.present_any));
                }
                for rule in &e.absent {
                    let hits: Vec<&String> = fired.iter().filter(|f| f.starts_with(&format!("{rule} "))).collect();
                    if !hits.is_empty() {
                        failures.push(format!("eval: {rule} must not fire; it fired: {hits:?}"));
                    }
                }
            }
        }
    }

    if let Some(t) = &estate.expect.trace {
        let out = acr_audit()
            .arg("trace")
            .arg(&file)
            .args(["--client", &t.client, "--registry", &t.registry, "--format", "json"])
            .output()
            .expect("runs");
        match serde_json::from_slice::<Value>(&out.stdout) {
            Err(err) => failures.push(format!(
                "trace: no JSON ({err}); exit {:?}; stderr: {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            )),
            Ok(v) => {
                let paths = v["paths"].as_array().cloned().unwrap_or_default();
                let summary: Vec<String> = paths
                    .iter()
                    .map(|p| {
                        format!(
                            "{} {}: reachable {}, blocked_at {}",
                            p["endpoint"]["kind"], p["endpoint"]["fqdn"], p["reachable"], p["blocked_at"]
                        )
                    })
                    .collect();
                if let Some(min) = t.min_paths {
                    if paths.len() < min {
                        failures.push(format!("trace: {} path(s), expected at least {min}: {summary:?}", paths.len()));
                    }
                }
                for kind in &t.no_paths_of_kind {
                    if paths.iter().any(|p| p["endpoint"]["kind"].as_str() == Some(kind.as_str())) {
                        failures.push(format!("trace: a {kind} path exists, expected none: {summary:?}"));
                    }
                }
                for want in &t.paths {
                    let of_kind: Vec<&Value> =
                        paths.iter().filter(|p| p["endpoint"]["kind"].as_str() == Some(want.kind.as_str())).collect();
                    if of_kind.is_empty() {
                        failures
                            .push(format!("trace: no {} path to check {}; paths: {summary:?}", want.kind, want.field));
                    }
                    for p in of_kind {
                        let got = field(p, &want.field);
                        if let Some(eq) = &want.equals {
                            if got != eq {
                                failures.push(format!(
                                    "trace: {} path {} is {got}, expected {eq} (reason: {})",
                                    want.kind, want.field, p["firewall"]["reason"]
                                ));
                            }
                        }
                        if let Some(ne) = &want.not_equals {
                            if got == ne {
                                failures.push(format!(
                                    "trace: {} path {} is {got}, expected anything else (firewall: {}, reason: {})",
                                    want.kind, want.field, p["firewall"]["verdict"], p["firewall"]["reason"]
                                ));
                            }
                        }
                    }
                }
            }
        }
    }

    if let Some(x) = &estate.expect.explain {
        let out =
            acr_audit().args(["explain", &x.text, "--format", "json", "--snapshot"]).arg(&file).output().expect("runs");
        match serde_json::from_slice::<Value>(&out.stdout) {
            Err(err) => {
                failures.push(format!("explain: no JSON ({err}); stderr: {}", String::from_utf8_lossy(&out.stderr)))
            }
            Ok(v) => {
                let ranked: Vec<String> = v
                    .as_array()
                    .map(|a| a.iter().map(|m| m["rule"].as_str().unwrap_or("?").to_string()).collect())
                    .unwrap_or_default();
                if ranked.first() != Some(&x.first) {
                    failures.push(format!("explain {:?}: ranked {ranked:?}, expected {} first", x.text, x.first));
                }
                if x.first_fires {
                    let fires = v
                        .as_array()
                        .and_then(|a| a.iter().find(|m| m["rule"] == x.first.as_str()))
                        .and_then(|m| m["fires"].as_array())
                        .map(|f| !f.is_empty())
                        .unwrap_or(false);
                    if !fires {
                        failures.push(format!("explain: {} does not fire on the estate", x.first));
                    }
                }
            }
        }
    }

    assert!(
        failures.is_empty(),
        "tests/corpus/estates/{name} (defect {}): {}\n  - {}",
        estate.defect,
        estate.description,
        failures.join("\n  - ")
    );
}

/// Every estate file, with the test that runs it.
const ESTATES: &[&str] = &[
    "01-node-subnet-from-vmss.json",
    "02-pe-route-none-policies-disabled.json",
    "02-pe-route-none-route-table-enabled.json",
    "03-private-registry-without-data-endpoints.json",
    "04-dual-stack-egress.json",
    "05-nat-gateway-prefix-only.json",
    "06-zone-link-nxdomain-redirect.json",
    "07-route-to-unknown-service-tag.json",
    "08-registry-null-network-rule-collections.json",
    "09-abac-registry-acrpull-only.json",
    "09-abac-registry-conditional-assignment.json",
    "09-group-assignment.json",
    "10-zone-group-zone-unreadable.json",
    "11-explain-firewall-denial.json",
    "20-landing-zone.json",
    "21-consumers.json",
];

#[test]
fn every_estate_file_has_a_test_and_joins() {
    let mut on_disk: Vec<String> = std::fs::read_dir(corpus().join("estates"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".json"))
        .collect();
    on_disk.sort();
    let listed: Vec<String> = ESTATES.iter().map(|s| s.to_string()).collect();
    assert_eq!(on_disk, listed, "tests/corpus/estates and ESTATES in tests/it/corpus.rs disagree");
    // Every estate assembles into a snapshot whose references join, whatever its verdict today.
    for name in ESTATES {
        let estate = load_estate(name);
        let snapshot = assemble(name, &estate);
        assert_joins(name, &estate, &snapshot);
    }
}

#[test]
fn estate_10_1_cluster_without_vnet_subnet_id_gets_paths_from_its_node_vmss() {
    run_estate("01-node-subnet-from-vmss.json");
}

#[test]
fn estate_10_2_none_route_does_not_drop_traffic_to_a_policy_disabled_private_endpoint() {
    run_estate("02-pe-route-none-policies-disabled.json");
}

#[test]
fn estate_10_2_none_route_drops_traffic_when_route_table_policies_are_enabled() {
    run_estate("02-pe-route-none-route-table-enabled.json");
}

#[test]
fn estate_10_3_private_registry_without_data_endpoints_is_not_blocked_on_storage() {
    run_estate("03-private-registry-without-data-endpoints.json");
}

#[test]
fn estate_10_4_ipv6_egress_is_not_an_uncovered_firewall_ip() {
    run_estate("04-dual-stack-egress.json");
}

#[test]
fn estate_10_5_nat_gateway_prefix_egress_is_checked_against_the_firewall() {
    run_estate("05-nat-gateway-prefix-only.json");
}

#[test]
fn estate_10_6_nxdomain_redirect_link_falls_back_to_public_dns() {
    run_estate("06-zone-link-nxdomain-redirect.json");
}

#[test]
fn estate_10_7_route_to_an_unknown_service_tag_makes_the_path_unknown() {
    run_estate("07-route-to-unknown-service-tag.json");
}

#[test]
fn estate_10_8_null_network_rule_collections_load_and_evaluate() {
    run_estate("08-registry-null-network-rule-collections.json");
}

#[test]
fn estate_10_9_abac_registry_ignores_acrpull() {
    run_estate("09-abac-registry-acrpull-only.json");
}

#[test]
fn estate_10_9_conditional_assignment_is_not_a_missing_grant() {
    run_estate("09-abac-registry-conditional-assignment.json");
}

#[test]
fn estate_10_9_group_assignment_is_not_a_missing_grant() {
    run_estate("09-group-assignment.json");
}

#[test]
fn estate_10_10_unreadable_zone_of_a_zone_group_is_unknown_not_absent() {
    run_estate("10-zone-group-zone-unreadable.json");
}

#[test]
fn estate_10_11_explain_ranks_the_firewall_rule_first() {
    run_estate("11-explain-firewall-denial.json");
}

#[test]
fn estate_11_landing_zone_pulls_through_the_hub_firewall_and_resolver_without_findings() {
    run_estate("20-landing-zone.json");
}

#[test]
fn estate_12_every_consumer_of_a_private_registry_is_configured_to_pull() {
    run_estate("21-consumers.json");
}
