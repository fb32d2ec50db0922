//! The Resource Graph collector (issue #13) against the fake ARM, which answers the two queries the collector
//! sends from the same estate it serves through ARM lists (`fake_arm::graph`). The same estates (the demo, the
//! three-subscription landing zone, the consumers) scanned with `--source arm` and `--source resource-graph`
//! must give the same findings, and `eval` of both saved snapshots must agree; Resource Graph must cost fewer
//! requests where there is more than one subscription; throttling is waited out; a truncated answer or a
//! persistent 429 is an error in the snapshot (ACR-META-001), never a silent absence.
//!
//! Request counts (fake page sizes: ARM lists 2 items, Resource Graph 5 rows, so the estates' queries page):
//! - ARM lists the subscription-listed types with Σ over subscriptions s, over the 20 subscription-listed types
//!   t, of max(1, ⌈n(s, t) / 2⌉) requests;
//! - Resource Graph reads them with, per batch of ≤ 300 subscriptions, one probe page plus
//!   max(1, ⌈rows / 5⌉) query pages (rows: every subscription-listed resource of the batch), plus the same
//!   (probe + pages) for each on-demand query (the hub branch's resolver and ruleset lists in a connectivity
//!   subscription outside the scan);
//! - role assignments at registries: ARM lists `$filter=atScope()` at each registry (max(1, ⌈n / 2⌉) pages);
//!   Resource Graph sends one `authorizationresources` query (`AtScopeAboveAndBelow`) for the subscriptions
//!   that hold registries: max(1, ⌈rows / 5⌉) pages, rows being every assignment at, below or above them;
//! - everything else (children, role definitions, providers, Service Tags, node groups, reads by id) is the
//!   same ARM requests in both, which the tests check request by request.

use super::common::*;
use super::corpus::{assemble, load_estate};
use super::fake_arm::{Action, FakeArm, Fault, ManagementGroup, Options};
use acr_audit::analysis::{analyse, Selection};
use acr_audit::model::Model;
use acr_audit::snapshot::parse_snapshot;
use acr_audit::snapshot::{Listing, RESOURCE_TYPES};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::Duration;

const SUB: &str = DEMO_SUBSCRIPTION;
const CONN: &str = "5c0e7a1d-2b3c-4d5e-8f90-a1b2c3d4e5f6";
const APP: &str = "7a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d";
const SHARED: &str = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
/// Three empty subscriptions added to the demo estate, to put four in scope (above `auto`'s threshold of 3).
const EMPTY: [&str; 3] = [
    "0e000000-0000-4000-8000-000000000001",
    "0e000000-0000-4000-8000-000000000002",
    "0e000000-0000-4000-8000-000000000003",
];
const ARM_PAGE: usize = 2;
const GRAPH_PAGE: usize = 5;
/// The on-demand query of the hub branch's resolver list in a subscription outside the scan.
const RESOLVERS_QUERY: &str = "resources | where type in~ ('microsoft.network/dnsresolvers')";

fn demo() -> Value {
    read_json(&path("fixtures/demo/snapshot.json"))
}

/// The demo estate with three more (empty, enabled) subscriptions.
fn demo_with_empty_subscriptions() -> Value {
    let mut s = demo();
    let subs = s["metadata"]["subscriptions"].as_array_mut().unwrap();
    for (i, e) in EMPTY.iter().enumerate() {
        subs.push(json!({"subscriptionId": e, "displayName": format!("empty-{i}"), "state": "Enabled"}));
    }
    s
}

fn landing_zone() -> Value {
    let mut s = assemble("20-landing-zone.json", &load_estate("20-landing-zone.json"));
    s["metadata"]["subscriptions"] = json!([
        {"subscriptionId": CONN, "displayName": "connectivity", "state": "Enabled"},
        {"subscriptionId": APP, "displayName": "corp-app1", "state": "Enabled"},
        {"subscriptionId": SHARED, "displayName": "shared-services", "state": "Enabled"},
    ]);
    s
}

fn consumers() -> Value {
    let mut s = assemble("21-consumers.json", &load_estate("21-consumers.json"));
    s["metadata"]["subscriptions"] = json!([{"subscriptionId": SUB, "displayName": "consumers", "state": "Enabled"}]);
    s
}

/// One scan: the fake it ran against, exit code, JSON report, saved snapshot, stderr.
struct Run {
    fake: FakeArm,
    code: i32,
    report: Value,
    snapshot: Value,
    snapshot_text: String,
    stderr: String,
}

/// `scan --subscription … --source <source> --format json --fail-on none --save-snapshot` against a fake of
/// `estate`.
fn scan(estate: &Value, subscriptions: &[&str], source: &str, faults: Vec<Fault>) -> Run {
    scan_in(estate, subscriptions, source, faults, vec![])
}

/// [`scan`] with a management-group tree in the fake (Resource Graph's `managementGroupAncestorsChain`).
fn scan_in(
    estate: &Value,
    subscriptions: &[&str],
    source: &str,
    faults: Vec<Fault>,
    management_groups: Vec<ManagementGroup>,
) -> Run {
    let fake = FakeArm::start(
        estate,
        Options { page_size: ARM_PAGE, graph_page_size: GRAPH_PAGE, faults, management_groups, ..Options::default() },
    );
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("collected.json");
    let mut cmd = acr_audit_on(&fake);
    cmd.arg("scan");
    for s in subscriptions {
        cmd.args(["--subscription", s]);
    }
    let out = cmd
        .args(["--source", source, "--format", "json", "--fail-on", "none", "--save-snapshot"])
        .arg(&saved)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    let snapshot_text = std::fs::read_to_string(&saved).unwrap_or_default();
    let snapshot = serde_json::from_str(&snapshot_text).unwrap_or(Value::Null);
    Run { fake, code: out.status.code().unwrap_or(-1), report, snapshot, snapshot_text, stderr }
}

/// (rule, resource in lower case, message) of every finding, sorted.
fn findings(report: &Value) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings in {report}"))
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["resource"].as_str().unwrap_or("").to_ascii_lowercase(),
                f["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

/// `eval` of a saved snapshot: its findings.
fn eval_findings(snapshot_text: &str) -> Vec<(String, String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.json");
    std::fs::write(&file, snapshot_text).unwrap();
    let (_, report) = eval_json(&file, &["--fail-on", "none"]);
    findings(&report)
}

/// Table keys of the subscription-listed types (the ones Resource Graph answers).
fn listed_types() -> Vec<&'static str> {
    RESOURCE_TYPES.iter().filter(|t| matches!(t.listing, Listing::Subscription { .. })).map(|t| t.key).collect()
}

/// `/subscriptions/{s}/providers/{ns}/{type}` of a subscription-listed type: an ARM subscription-scope list.
fn is_subscription_list(uri: &str) -> bool {
    let path = uri.split('?').next().unwrap().to_ascii_lowercase();
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match segs.as_slice() {
        ["subscriptions", _, "providers", ns, kind] => {
            listed_types().iter().any(|t| t.eq_ignore_ascii_case(&format!("{ns}/{kind}")))
        }
        _ => false,
    }
}

/// `$filter=atScope()` role-assignment lists (one chain of pages per registry through ARM).
fn is_assignment_list(request: &str) -> bool {
    request.to_ascii_lowercase().contains("/providers/microsoft.authorization/roleassignments")
}

/// Registry ids of `estate` in `subscriptions`.
fn registries_in(estate: &Value, subscriptions: &[&str]) -> Vec<String> {
    estate["resources"]["Microsoft.ContainerRegistry/registries"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["id"].as_str())
        .filter(|id| subscriptions.iter().any(|s| id.to_ascii_lowercase().starts_with(&format!("/subscriptions/{s}/"))))
        .map(str::to_string)
        .collect()
}

/// ARM's role-assignment list requests: max(1, ⌈n / 2⌉) per registry of the scanned subscriptions.
fn arm_assignment_requests(estate: &Value, subscriptions: &[&str]) -> usize {
    registries_in(estate, subscriptions)
        .iter()
        .map(|r| {
            let n = estate["children"]["Microsoft.Authorization/roleAssignments"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|c| c["parentId"].as_str().is_some_and(|p| p.eq_ignore_ascii_case(r)))
                .map(|c| c["value"].as_array().map_or(0, Vec::len))
                .unwrap_or(0);
            n.div_ceil(ARM_PAGE).max(1)
        })
        .sum()
}

/// Resource Graph's `authorizationresources` pages: none without registries, else max(1, ⌈rows / 5⌉), rows
/// being the estate's distinct assignments at or below the registries' subscriptions, or at the root (the
/// equivalence estates have no management-group tree).
fn graph_assignment_requests(estate: &Value, subscriptions: &[&str]) -> usize {
    let registries = registries_in(estate, subscriptions);
    if registries.is_empty() {
        return 0;
    }
    let subs: Vec<String> = registries.iter().map(|r| r.split('/').nth(2).unwrap().to_ascii_lowercase()).collect();
    let mut ids = std::collections::BTreeSet::new();
    for c in estate["children"]["Microsoft.Authorization/roleAssignments"].as_array().into_iter().flatten() {
        for a in c["value"].as_array().into_iter().flatten() {
            let scope = a["properties"]["scope"].as_str().unwrap_or("").trim_end_matches('/').to_ascii_lowercase();
            let under = subs
                .iter()
                .any(|s| scope == format!("/subscriptions/{s}") || scope.starts_with(&format!("/subscriptions/{s}/")));
            if under || scope.is_empty() {
                ids.insert(a["id"].as_str().unwrap_or("").to_ascii_lowercase());
            }
        }
    }
    ids.len().div_ceil(GRAPH_PAGE).max(1)
}

/// Requests of a run split: (ARM subscription-scope lists, Resource Graph queries, every other request sorted).
fn split(fake: &FakeArm) -> (usize, usize, Vec<String>) {
    let (mut lists, mut graph, mut other) = (0, 0, Vec::new());
    for (method, uri) in fake.requests() {
        if method == "POST" {
            assert!(uri.to_ascii_lowercase().starts_with("/providers/microsoft.resourcegraph/resources?"), "{uri}");
            graph += 1;
        } else if is_subscription_list(&uri) {
            lists += 1;
        } else {
            other.push(format!("{method} {}", uri.to_ascii_lowercase()));
        }
    }
    other.sort();
    (lists, graph, other)
}

/// Subscription-listed resources of `estate` in `subscription`, by type.
fn listed_in(estate: &Value, subscription: &str) -> BTreeMap<&'static str, usize> {
    let prefix = format!("/subscriptions/{subscription}/").to_ascii_lowercase();
    listed_types()
        .into_iter()
        .map(|t| {
            let n = estate["resources"][t]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|r| r["id"].as_str().unwrap_or("").to_ascii_lowercase().starts_with(&prefix))
                .count();
            (t, n)
        })
        .collect()
}

/// ARM's subscription-scope list requests for `subscriptions` (every type) and `hub_only` (resolvers and
/// rulesets): Σ max(1, ⌈n / 2⌉).
fn arm_list_requests(estate: &Value, subscriptions: &[&str], hub_only: &[&str]) -> usize {
    let pages = |n: usize| n.div_ceil(ARM_PAGE).max(1);
    let mut total: usize =
        subscriptions.iter().map(|s| listed_in(estate, s).values().map(|n| pages(*n)).sum::<usize>()).sum();
    for s in hub_only {
        let held = listed_in(estate, s);
        total += pages(held["Microsoft.Network/dnsResolvers"]) + pages(held["Microsoft.Network/dnsForwardingRulesets"]);
    }
    total
}

/// Resource Graph's queries for one batch of `subscriptions` and the on-demand resolver and ruleset queries
/// in `hub_only`: one probe page plus max(1, ⌈rows / 5⌉) pages each.
fn graph_requests(estate: &Value, subscriptions: &[&str], hub_only: &[&str]) -> usize {
    let pages = |n: usize| n.div_ceil(GRAPH_PAGE).max(1);
    let rows: usize = subscriptions.iter().map(|s| listed_in(estate, s).values().sum::<usize>()).sum();
    let mut total = 1 + pages(rows) + graph_assignment_requests(estate, subscriptions);
    if !hub_only.is_empty() {
        for t in ["Microsoft.Network/dnsResolvers", "Microsoft.Network/dnsForwardingRulesets"] {
            total += 1 + pages(hub_only.iter().map(|s| listed_in(estate, s)[t]).sum());
        }
    }
    total
}

/// `a == b`, or a failure naming the first path where they differ (snapshots are too large to print whole).
fn same(a: &Value, b: &Value, at: &str) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                same(x.get(k).unwrap_or(&Value::Null), y.get(k).unwrap_or(&Value::Null), &format!("{at}/{k}"));
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                same(p, q, &format!("{at}/{i}"));
            }
        }
        // `type` is the table key's spelling through Resource Graph (which lower-cases it) and the resource
        // provider's through ARM (AKS answers `Microsoft.ContainerService/ManagedClusters`): the same type.
        (Value::String(x), Value::String(y)) if at.ends_with("/type") => {
            assert!(x.eq_ignore_ascii_case(y), "resource-graph vs arm differ at {at}: {x} / {y}")
        }
        _ => assert_eq!(a, b, "resource-graph vs arm differ at {at}"),
    }
}

/// Scan `estate` both ways: identical findings, `eval` of both snapshots agrees, the snapshots differ only in
/// `metadata.collector` and `collectedAt`, the other requests are the same; the request counts as the module
/// documentation's formulas say. Returns (ARM requests, Resource Graph requests) in total.
fn equivalent(estate: &Value, subscriptions: &[&str], hub_only: &[&str]) -> (usize, usize) {
    let arm = scan(estate, subscriptions, "arm", vec![]);
    let graph = scan(estate, subscriptions, "resource-graph", vec![]);
    for run in [&arm, &graph] {
        assert!(run.code == 0 || run.code == 1, "exit {}: {}", run.code, run.stderr);
    }
    assert_eq!(arm.snapshot["metadata"]["collector"], "arm");
    assert_eq!(graph.snapshot["metadata"]["collector"], "resource-graph");
    let (arm_findings, graph_findings) = (findings(&arm.report), findings(&graph.report));
    assert_eq!(graph_findings, arm_findings);
    assert_eq!(eval_findings(&graph.snapshot_text), eval_findings(&arm.snapshot_text));
    assert_eq!(eval_findings(&graph.snapshot_text), arm_findings);
    // The snapshot does not depend on the collector: resources, children, errors, subscriptions are the same.
    for field in ["resources", "children", "errors", "serviceTags"] {
        same(&graph.snapshot[field], &arm.snapshot[field], field);
    }
    assert_eq!(graph.snapshot["metadata"]["subscriptions"], arm.snapshot["metadata"]["subscriptions"]);

    let (arm_lists, arm_graph, arm_other) = split(&arm.fake);
    let (graph_lists, graph_graph, graph_other) = split(&graph.fake);
    assert_eq!(arm_graph, 0, "--source arm sends no Resource Graph query");
    assert_eq!(graph_lists, 0, "--source resource-graph sends no subscription-scope ARM list");
    // Role assignments: one `atScope()` list per registry through ARM, none through Resource Graph.
    let (arm_assignments, arm_other): (Vec<String>, Vec<String>) =
        arm_other.into_iter().partition(|r| is_assignment_list(r));
    assert_eq!(arm_assignments.len(), arm_assignment_requests(estate, subscriptions));
    assert!(!arm_assignments.is_empty(), "the estate has registries");
    assert!(
        !graph_other.iter().any(|r| is_assignment_list(r)),
        "no ARM role-assignment list for a registry Resource Graph covers"
    );
    assert_eq!(graph_other, arm_other, "every other request is the same ARM request");
    assert_eq!(arm_lists, arm_list_requests(estate, subscriptions, hub_only));
    assert_eq!(graph_graph, graph_requests(estate, subscriptions, hub_only));
    let arm_total = arm_lists + arm_assignments.len() + arm_other.len();
    eprintln!(
        "requests: arm {arm_total} ({arm_lists} lists + {} role-assignment lists + {} other), resource-graph {} \
         ({graph_graph} queries + {} other)",
        arm_assignments.len(),
        arm_other.len(),
        graph_graph + graph_other.len(),
        graph_other.len()
    );
    (arm_total, graph_graph + graph_other.len())
}

#[test]
fn the_demo_gives_the_same_findings_through_resource_graph() {
    let (arm, graph) = equivalent(&demo(), &[SUB], &[]);
    assert!(graph < arm, "arm {arm}, resource graph {graph}");
    let rows: usize = listed_in(&demo(), SUB).values().sum();
    assert!(rows > 2 * GRAPH_PAGE, "{rows} rows: the inventory is followed over three pages or more by $skipToken");
    assert!(!findings(&scan(&demo(), &[SUB], "resource-graph", vec![]).report).is_empty(), "the demo has findings");
}

#[test]
fn the_landing_zone_gives_the_same_findings_with_fewer_requests_through_resource_graph() {
    let estate = landing_zone();
    let (arm, graph) = equivalent(&estate, &[APP, SHARED], &[CONN]);
    // Two scanned subscriptions: 40 lists at least through ARM, a handful of queries through Resource Graph.
    let (arm_lists, graph_queries) =
        (arm_list_requests(&estate, &[APP, SHARED], &[CONN]), graph_requests(&estate, &[APP, SHARED], &[CONN]));
    assert!(arm_lists >= 42 && graph_queries <= 8, "lists {arm_lists}, queries {graph_queries}");
    let assignments = arm_assignment_requests(&estate, &[APP, SHARED]);
    assert_eq!(arm - graph, arm_lists + assignments - graph_queries);
}

/// Four subscriptions (three empty): ARM lists every type in each, Resource Graph still sends one inventory
/// and one role-assignment query (for the one subscription holding registries).
#[test]
fn the_demo_over_four_subscriptions_gives_the_same_findings_through_resource_graph() {
    let four: Vec<&str> = std::iter::once(SUB).chain(EMPTY).collect();
    let (arm, graph) = equivalent(&demo_with_empty_subscriptions(), &four, &[]);
    assert!(arm >= 3 * graph, "arm {arm}, resource graph {graph}");
}

#[test]
fn the_consumers_estate_gives_the_same_findings_through_resource_graph() {
    equivalent(&consumers(), &[SUB], &[]);
}

#[test]
fn auto_uses_arm_for_one_subscription_and_resource_graph_above_three() {
    let one = scan(&demo(), &[SUB], "auto", vec![]);
    assert_eq!(one.snapshot["metadata"]["collector"], "arm", "{}", one.stderr);
    assert_eq!(split(&one.fake).1, 0);
    let estate = demo_with_empty_subscriptions();
    let four: Vec<&str> = std::iter::once(SUB).chain(EMPTY).collect();
    let auto = scan(&estate, &four, "auto", vec![]);
    assert_eq!(auto.snapshot["metadata"]["collector"], "resource-graph", "{}", auto.stderr);
    assert_eq!(split(&auto.fake).0, 0, "no subscription-scope ARM list");
    assert_eq!(findings(&auto.report), findings(&one.report), "the empty subscriptions add nothing");
    assert_eq!(auto.snapshot["errors"], json!([]));
    // Four subscriptions: 20 lists for each empty one alone through ARM; through Resource Graph one batch.
    let (arm, graph) = equivalent(&estate, &four, &[]);
    assert!(arm >= graph + 3 * 20, "arm {arm}, resource graph {graph}");
}

/// The gap between the first two Resource Graph queries.
fn first_gap(fake: &FakeArm) -> Duration {
    let times = fake.graph_times();
    assert!(times.len() >= 2, "{} queries", times.len());
    times[1] - times[0]
}

#[test]
fn a_429_with_quota_headers_is_waited_out_and_the_result_is_complete() {
    let want = findings(&scan(&demo(), &[SUB], "arm", vec![]).report);
    let fault = Fault::hostile("resourcegraph", Action::GraphThrottle("00:00:01"), 1);
    let run = scan(&demo(), &[SUB], "resource-graph", vec![fault]);
    assert_eq!(run.snapshot["errors"], json!([]), "{}", run.stderr);
    assert_eq!(findings(&run.report), want);
    assert_eq!(split(&run.fake).1, graph_requests(&demo(), &[SUB], &[]) + 1, "one retry");
    let gap = first_gap(&run.fake);
    assert!(gap >= Duration::from_millis(950), "retried after {gap:?}, before the quota reset (1 s)");
}

#[test]
fn a_spent_quota_holds_the_next_query_until_it_resets() {
    let want = findings(&scan(&demo(), &[SUB], "arm", vec![]).report);
    let fault = Fault::hostile("resourcegraph", Action::GraphQuotaSpent("00:00:01"), 1);
    let run = scan(&demo(), &[SUB], "resource-graph", vec![fault]);
    assert_eq!(run.snapshot["errors"], json!([]), "{}", run.stderr);
    assert_eq!(findings(&run.report), want);
    assert_eq!(run.fake.graph_rejected(), 0, "no query was sent inside the spent window");
    assert_eq!(split(&run.fake).1, graph_requests(&demo(), &[SUB], &[]));
    assert!(first_gap(&run.fake) >= Duration::from_millis(950));
}

/// The errors of a snapshot as (scope, type, code).
fn errors(snapshot: &Value) -> Vec<(String, String, String)> {
    snapshot["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["scope"].as_str().unwrap().to_ascii_lowercase(),
                e["resourceType"].as_str().unwrap().to_string(),
                e["code"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn rules(report: &Value) -> Vec<String> {
    findings(report).into_iter().map(|(r, _, _)| r).collect()
}

fn highs(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "high" || f["severity"] == "critical")
        .map(|f| format!("{}: {}", f["rule"], f["message"]))
        .collect()
}

/// The connectivity subscription's resolver list comes back truncated: an error at that subscription for that
/// type, ACR-META-001, and no high finding (the landing zone pulls through the hub: nothing is wrong).
#[test]
fn a_truncated_answer_is_an_error_in_the_snapshot_and_meta_001() {
    let run = scan(
        &landing_zone(),
        &[APP, SHARED],
        "resource-graph",
        vec![Fault::hostile(RESOLVERS_QUERY, Action::GraphTruncated, 1)],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        errors(&run.snapshot),
        vec![(format!("/subscriptions/{CONN}"), "Microsoft.Network/dnsResolvers".into(), "ResultTruncated".into())]
    );
    assert!(rules(&run.report).contains(&"ACR-META-001".to_string()), "{:?}", rules(&run.report));
    assert_eq!(highs(&run.report), Vec::<String>::new());
    assert!(eval_findings(&run.snapshot_text).iter().any(|(r, _, _)| r == "ACR-META-001"));
}

/// The scanned subscriptions' inventory comes back truncated: nothing of the subscription-listed types was
/// read, and the scan says so (exit 2, naming the truncation) instead of reporting an empty estate.
#[test]
fn a_truncated_inventory_is_never_an_empty_estate() {
    let run =
        scan(&demo(), &[SUB], "resource-graph", vec![Fault::hostile("resources | where", Action::GraphTruncated, 1)]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("ResultTruncated"), "{}", run.stderr);
    assert_eq!(run.report, Value::Null, "no report of an unread estate");
}

#[test]
fn a_persistent_429_is_an_error_in_the_snapshot_and_meta_001() {
    let run = scan(
        &landing_zone(),
        &[APP, SHARED],
        "resource-graph",
        vec![Fault::hostile(RESOLVERS_QUERY, Action::GraphThrottle("00:00:00"), 1_000)],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let errors = errors(&run.snapshot);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, format!("/subscriptions/{CONN}"));
    assert_eq!(errors[0].1, "Microsoft.Network/dnsResolvers");
    assert_eq!(run.snapshot["errors"][0]["status"], 429);
    assert!(rules(&run.report).contains(&"ACR-META-001".to_string()));
    assert_eq!(highs(&run.report), Vec::<String>::new());
}

/// Resource Graph leaves out a subscription the identity cannot read, with no error; the probe finds the gap
/// and every type there is an error, as the ARM collector's 403s are: the same scopes and types are unread.
#[test]
fn an_unreadable_subscription_is_an_error_for_every_type_not_an_empty_subscription() {
    let estate = demo_with_empty_subscriptions();
    let four: Vec<&str> = std::iter::once(SUB).chain(EMPTY).collect();
    let forbidden =
        || vec![Fault::status(&format!("/subscriptions/{}/", EMPTY[0]), 403, "AuthorizationFailed", 10_000)];
    let arm = scan(&estate, &four, "arm", forbidden());
    let graph = scan(&estate, &four, "resource-graph", forbidden());
    let scope = format!("/subscriptions/{}", EMPTY[0]);
    let at = |run: &Run| -> Vec<String> {
        errors(&run.snapshot).into_iter().filter(|(s, _, _)| *s == scope).map(|(_, t, _)| t).collect()
    };
    let unread = at(&graph);
    assert_eq!(unread, at(&arm), "the same types are unread at the same scope");
    for t in listed_types() {
        assert!(unread.iter().any(|u| u == t), "{t} is not an error at {scope}: {unread:?}");
    }
    let codes: Vec<String> = errors(&graph.snapshot).into_iter().map(|(_, _, c)| c).collect();
    assert!(codes.iter().any(|c| c == "SubscriptionNotInResourceGraph"), "{codes:?}");
    assert!(rules(&graph.report).contains(&"ACR-META-001".to_string()));
    // The same findings on the same resources; the messages of ACR-META-001 quote each collector's reason.
    let keys = |r: &Value| -> Vec<(String, String)> { findings(r).into_iter().map(|(a, b, _)| (a, b)).collect() };
    assert_eq!(keys(&graph.report), keys(&arm.report));
}

/// `collect` takes `--source` too, says which collector read the lists, and its snapshot gives `eval` the
/// findings `scan --source arm` gives.
#[test]
fn collect_takes_the_source_and_names_it() {
    let want = findings(&scan(&demo(), &[SUB], "arm", vec![]).report);
    let fake =
        FakeArm::start(&demo(), Options { page_size: ARM_PAGE, graph_page_size: GRAPH_PAGE, ..Options::default() });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.json");
    let mut cmd = acr_audit_on(&fake);
    let out =
        cmd.args(["collect", "--subscription", SUB, "--source", "resource-graph", "-o"]).arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("lists read through resource-graph"), "{stderr}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap()["metadata"]["collector"], "resource-graph");
    assert_eq!(eval_findings(&text), want);
    assert!(split(&fake).1 > 0 && split(&fake).0 == 0);
    let bad =
        acr_audit().args(["collect", "--subscription", SUB, "--source", "graph", "-o"]).arg(&file).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("resource-graph"), "the accepted values are listed");
}

/// The demo's AcrPull assignment of `app-storefront`'s identity at `contosoprodacr`: removed by
/// [`without_pull`], given back at other scopes by [`with_pull_at`].
const PULL: &str = "c3d4e5f6-a7b8-4c9d-8e0f-2a3b4c5d6e7f";
/// The management groups of the attribution tests: `corp` holds the demo subscription, `other` the first empty
/// one; both under the tenant root group.
fn groups() -> Vec<ManagementGroup> {
    vec![
        ManagementGroup::new("tenant-root", None, &[]),
        ManagementGroup::new("corp", Some("tenant-root"), &[SUB]),
        ManagementGroup::new("other", Some("tenant-root"), &[EMPTY[0]]),
    ]
}

/// The demo (with its empty subscriptions) without the kubelet identity's AcrPull at `contosoprodacr`, and
/// that assignment's body.
fn without_pull() -> (Value, Value) {
    let mut s = demo_with_empty_subscriptions();
    let mut removed = Value::Null;
    for c in s["children"]["Microsoft.Authorization/roleAssignments"].as_array_mut().unwrap() {
        c["value"].as_array_mut().unwrap().retain(|a| {
            let hit = a["name"] == PULL;
            if hit {
                removed = a.clone();
            }
            !hit
        });
    }
    assert!(removed.is_object(), "the demo holds the AcrPull assignment {PULL}");
    (s, removed)
}

/// [`without_pull`] with the same AcrPull assignment at `scope`. It is stored where ARM's `atScope()` returns it:
/// in the collection of each demo registry when `covers` (every demo registry is in `rg-hub-eastus` of the demo
/// subscription), else in a collection of its own scope, which no ARM request reads but Resource Graph returns
/// when the scope is above or below a queried subscription.
fn with_pull_at(scope: &str, covers: bool) -> Value {
    let (mut s, mut a) = without_pull();
    a["id"] =
        json!(format!("{}/providers/Microsoft.Authorization/roleAssignments/{PULL}", scope.trim_end_matches('/')));
    a["properties"]["scope"] = json!(scope);
    let collections = s["children"]["Microsoft.Authorization/roleAssignments"].as_array_mut().unwrap();
    if covers {
        for c in collections.iter_mut() {
            c["value"].as_array_mut().unwrap().push(a.clone());
        }
    } else {
        collections.push(json!({"parentId": scope, "value": [a]}));
    }
    s
}

/// `rbac.grants_pull` of every pair of a saved snapshot, by (client, registry) name.
fn grants_pull(snapshot_text: &str) -> Vec<(String, String, String)> {
    let model = Model::from_snapshot(parse_snapshot(snapshot_text.as_bytes(), std::path::Path::new("s.json")).unwrap());
    let facts = analyse(&model, &Selection::default());
    let mut out: Vec<(String, String, String)> = facts
        .pairs
        .iter()
        .map(|p| (p.client_name.clone(), p.registry_name.clone(), p.rbac.grants_pull.as_str().to_string()))
        .collect();
    out.sort();
    out
}

/// Scan `estate` (the demo subscription and the first empty one, under `groups()`) both ways: the same
/// findings, the same role-assignment children, no ARM role-assignment list through Resource Graph. Returns
/// the Resource Graph run.
fn both_ways(estate: &Value) -> Run {
    let subs = [SUB, EMPTY[0]];
    let arm = scan_in(estate, &subs, "arm", vec![], groups());
    let graph = scan_in(estate, &subs, "resource-graph", vec![], groups());
    assert_eq!(graph.code, arm.code, "{}", graph.stderr);
    assert_eq!(findings(&graph.report), findings(&arm.report));
    same(&graph.snapshot["children"], &arm.snapshot["children"], "children");
    same(&graph.snapshot["errors"], &arm.snapshot["errors"], "errors");
    assert_eq!(grants_pull(&graph.snapshot_text), grants_pull(&arm.snapshot_text));
    assert!(!split(&graph.fake).2.iter().any(|r| is_assignment_list(r)), "no ARM role-assignment list");
    graph
}

/// The pair the removed assignment served.
fn prod_pull(run: &Run) -> String {
    grants_pull(&run.snapshot_text)
        .into_iter()
        .find(|(c, r, _)| c == "app-storefront" && r == "contosoprodacr")
        .map(|(_, _, g)| g)
        .unwrap_or_else(|| panic!("no app-storefront → contosoprodacr pair in {:?}", grants_pull(&run.snapshot_text)))
}

/// Without the assignment the pair cannot pull (ACR-IAM-001); with it at a management group above the
/// registry's subscription, at the tenant root, at the subscription or at the resource group, Resource Graph
/// attributes it to the registry exactly as ARM's `atScope()` does, and the pair pulls.
#[test]
fn an_assignment_above_the_registry_grants_pull_through_resource_graph_as_through_arm() {
    let (bare, _) = without_pull();
    let run = both_ways(&bare);
    assert_eq!(prod_pull(&run), "no");
    assert!(rules(&run.report).contains(&"ACR-IAM-001".to_string()), "{:?}", rules(&run.report));
    let rg = format!("/subscriptions/{SUB}/resourceGroups/rg-hub-eastus");
    for scope in [
        "/providers/Microsoft.Management/managementGroups/corp".to_string(),
        "/providers/Microsoft.Management/managementGroups/tenant-root".to_string(),
        "/".to_string(),
        format!("/subscriptions/{SUB}"),
        rg.to_uppercase(),
    ] {
        let run = both_ways(&with_pull_at(&scope, true));
        assert_eq!(prod_pull(&run), "yes", "AcrPull at {scope}");
        assert!(!rules(&run.report).contains(&"ACR-IAM-001".to_string()), "AcrPull at {scope}");
    }
}

/// An assignment at a management group the registry's subscription is not under (but another subscription of
/// the same query is), or at another resource group, does not apply at the registry: ACR-IAM-001 still fires.
#[test]
fn an_assignment_elsewhere_does_not_grant_pull_through_resource_graph() {
    for scope in [
        "/providers/Microsoft.Management/managementGroups/other".to_string(),
        format!("/subscriptions/{SUB}/resourceGroups/rg-hub-eastus-other"),
        format!("/subscriptions/{}", EMPTY[0]),
    ] {
        let run = both_ways(&with_pull_at(&scope, false));
        assert_eq!(prod_pull(&run), "no", "AcrPull at {scope}");
        assert!(rules(&run.report).contains(&"ACR-IAM-001".to_string()), "AcrPull at {scope}");
    }
}

/// A failed `authorizationresources` query: the assignments of every registry are unread (an error at each
/// registry for that type), so the pairs' `grants_pull` is unknown and ACR-META-001 says why; never
/// ACR-IAM-001 ("no AcrPull").
#[test]
fn a_failed_assignment_query_is_unknown_not_no_pull() {
    let run = scan(
        &demo(),
        &[SUB],
        "resource-graph",
        vec![Fault::hostile("authorizationresources", Action::GraphTruncated, 100)],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let want: Vec<(String, String, String)> = registries_in(&demo(), &[SUB])
        .into_iter()
        .map(|r| (r.to_ascii_lowercase(), "Microsoft.Authorization/roleAssignments".into(), "ResultTruncated".into()))
        .collect();
    let mut got = errors(&run.snapshot);
    got.sort();
    let mut want = want;
    want.sort();
    assert_eq!(got, want);
    assert!(!split(&run.fake).2.iter().any(|r| is_assignment_list(r)), "no ARM fallback for a failed query");
    let pulls = grants_pull(&run.snapshot_text);
    assert!(!pulls.is_empty());
    for (c, r, g) in &pulls {
        assert_eq!(g, "unknown", "{c} → {r}");
    }
    let rules = rules(&run.report);
    assert!(rules.contains(&"ACR-META-001".to_string()), "{rules:?}");
    assert!(!rules.contains(&"ACR-IAM-001".to_string()), "{rules:?}");
}
