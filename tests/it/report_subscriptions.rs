//! Reports over several subscriptions, on the three-subscription landing zone of the corpus
//! (`tests/corpus/estates/20-landing-zone.json`, assembled as `landing_zone.rs` does): the table groups findings
//! under one heading per subscription, Markdown adds a per-subscription count table, the JSON report counts per
//! subscription, and `eval --subscription` keeps exactly the findings whose resource, client or registry lies
//! in one of the named subscriptions. The counts are recomputed here from the findings' ids, independently of
//! the code under test.

use super::common::*;
use super::corpus::{assemble, load_estate};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;

const ESTATE: &str = "20-landing-zone.json";
const CONN: &str = "5c0e7a1d-2b3c-4d5e-8f90-a1b2c3d4e5f6";
const APP: &str = "7a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d";
const SHARED: &str = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";

fn write_landing_zone(dir: &Path) -> std::path::PathBuf {
    let mut s = assemble(ESTATE, &load_estate(ESTATE));
    s["metadata"]["subscriptions"] = json!([
        {"subscriptionId": CONN, "displayName": "connectivity", "state": "Enabled"},
        {"subscriptionId": APP, "displayName": "corp-app1", "state": "Enabled"},
        {"subscriptionId": SHARED, "displayName": "shared-services", "state": "Enabled"},
    ]);
    // Two defects, so findings land in several subscriptions: the platform base policy's inherited network rule
    // denies the spoke (ACR-FW-001 on the hub firewall, connectivity subscription; as in `landing_zone.rs`), and
    // the shared-services subscription's NSGs could not be read (ACR-META-001 at that scope).
    let group = format!(
        "/subscriptions/{CONN}/resourceGroups/rg-connectivity/providers/Microsoft.Network/firewallPolicies/afwp-platform-base/ruleCollectionGroups/rcg-platform"
    );
    child_mut(&mut s, "Microsoft.Network/firewallPolicies/ruleCollectionGroups", &group)["properties"]
        ["ruleCollections"][0]["rules"][0]["sourceAddresses"] = json!(["10.1.0.0/16"]);
    s["errors"] = json!([{
        "scope": format!("/subscriptions/{SHARED}"),
        "resourceType": "Microsoft.Network/networkSecurityGroups",
        "status": 403,
        "code": "AuthorizationFailed",
        "message": "The client does not have authorization to perform action 'Microsoft.Network/networkSecurityGroups/read'."
    }]);
    let file = dir.join("landing-zone.json");
    std::fs::write(&file, serde_json::to_vec_pretty(&s).unwrap()).unwrap();
    file
}

/// The subscription of an ARM id, lower-cased.
fn sub(id: &str) -> Option<String> {
    let lower = id.to_ascii_lowercase();
    let rest = lower.split("/subscriptions/").nth(1)?;
    Some(rest.split('/').next()?.to_string())
}

/// The subscription a finding counts under: its resource's, else its client's, else its registry's.
fn sub_of(f: &Value) -> Option<String> {
    ["resource", "client", "registry"].iter().find_map(|k| f[*k].as_str().and_then(sub))
}

fn counts(report: &Value) -> BTreeMap<Option<String>, usize> {
    let mut out = BTreeMap::new();
    for f in report["findings"].as_array().unwrap() {
        *out.entry(sub_of(f)).or_insert(0) += 1;
    }
    out
}

fn run(snapshot: &Path, args: &[&str]) -> (i32, String, String) {
    let out = acr_audit().arg("eval").arg(snapshot).args(["--fail-on", "none"]).args(args).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn reports_over_several_subscriptions_count_and_group_per_subscription() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_landing_zone(dir.path());
    let (_, report) = eval_json(&file, &["--fail-on", "none"]);
    let expected = counts(&report);
    assert!(expected.len() > 1, "the landing zone's findings span several subscriptions: {expected:?}");
    assert_valid(&path("docs/report.schema.json"), &report);

    // JSON: one entry per subscription, the same counts, summing to the total.
    let by: BTreeMap<Option<String>, usize> = report["by_subscription"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["subscription"].as_str().map(str::to_string), s["total"].as_u64().unwrap() as usize))
        .collect();
    assert_eq!(by, expected);
    assert_eq!(by.values().sum::<usize>(), report["summary"]["total"].as_u64().unwrap() as usize);

    // Table: a heading per subscription with its count, and every finding numbered once, 1..=n.
    let (_, table, _) = run(&file, &["--no-color"]);
    for (s, n) in &expected {
        let heading = format!("subscription {} · {n} finding(s)", s.as_deref().unwrap());
        assert!(table.contains(&heading), "{heading} not in:\n{table}");
    }
    let total = report["summary"]["total"].as_u64().unwrap();
    for i in 1..=total {
        assert_eq!(table.matches(&format!("\n[{i}] ")).count(), 1, "fix command {i}:\n{table}");
    }
    // Headings appear in subscription id order, each before the findings of that subscription.
    let positions: Vec<usize> =
        expected.keys().map(|s| table.find(&format!("subscription {} ·", s.as_deref().unwrap())).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{table}");

    // Markdown: a count table with one row per subscription.
    let (_, md, _) = run(&file, &["--format", "markdown"]);
    assert!(md.contains("| subscription | total | critical | high | medium | low | info |"), "{md}");
    for (s, n) in &expected {
        let row = format!("| `{}` | {n} |", s.as_deref().unwrap());
        assert!(md.contains(&row), "{row} not in:\n{md}");
    }
}

#[test]
fn one_subscription_reports_have_no_grouping() {
    let demo = path("fixtures/demo/snapshot.json");
    let (_, table, _) = run(&demo, &["--no-color"]);
    assert!(!table.contains("subscription "), "{table}");
    let (_, md, _) = run(&demo, &["--format", "markdown"]);
    assert!(!md.contains("| subscription |"), "{md}");
}

#[test]
fn eval_subscription_keeps_exactly_the_findings_touching_those_subscriptions() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_landing_zone(dir.path());
    let (_, all) = eval_json(&file, &["--fail-on", "none"]);
    let touches = |f: &Value, subs: &[&str]| {
        ["resource", "client", "registry"]
            .iter()
            .any(|k| f[*k].as_str().and_then(sub).is_some_and(|s| subs.contains(&s.as_str())))
    };
    for subs in [vec![APP], vec![SHARED], vec![CONN], vec![APP, CONN]] {
        let expected: Vec<(String, String)> = finding_keys(&json!({
            "findings": all["findings"].as_array().unwrap().iter().filter(|f| touches(f, &subs)).cloned().collect::<Vec<_>>()
        }));
        let mut args = vec!["--fail-on", "none"];
        let upper: Vec<String> = subs.iter().map(|s| s.to_ascii_uppercase()).collect();
        for s in &upper {
            args.extend(["--subscription", s.as_str()]);
        }
        let (code, report) = eval_json(&file, &args);
        assert_eq!(code, 0);
        assert_eq!(finding_keys(&report), expected, "--subscription {subs:?}");
        assert_eq!(report["summary"]["total"].as_u64().unwrap() as usize, expected.len());
    }
    // The filter is not a no-op on this estate: one subscription drops findings.
    let (_, app_only) = eval_json(&file, &["--fail-on", "none", "--subscription", APP]);
    let n = |r: &Value| r["findings"].as_array().unwrap().len();
    assert!(n(&app_only) > 0 && n(&app_only) < n(&all), "{} of {}", n(&app_only), n(&all));
}

#[test]
fn an_unknown_subscription_is_an_error_naming_the_closest() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_landing_zone(dir.path());
    let typo = APP.replace("8e9f", "8e9e");
    let (code, stdout, stderr) = run(&file, &["--subscription", &typo]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains(&typo) && stderr.contains(&format!("did you mean `{APP}`")), "{stderr}");
}
