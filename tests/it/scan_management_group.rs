//! `scan --management-group` against the fake ARM: the subscriptions under a group (nested groups included) are
//! scanned, and none outside it or disabled. The fake serves `ManagementGroups_GetDescendants` from a tree given
//! in its options, in the shape of the published example, and `GET /subscriptions` from the snapshot's
//! metadata, where one subscription under the group is `Disabled`.
//!
//! Tree (the demo estate's resources are in `DEMO`):
//!
//! ```text
//! mg-root ── S_ROOT
//! ├── mg-platform ── S_PLATFORM
//! └── mg-landingzones
//!     ├── mg-corp ── DEMO, S_CORP, S_DISABLED (Disabled)
//!     └── mg-online ── S_ONLINE
//! ```

use super::common::*;
use super::fake_arm::{FakeArm, ManagementGroup, Options};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const DEMO: &str = DEMO_SUBSCRIPTION;
const S_CORP: &str = "0c4f2a8e-1b3d-4e5f-8a6b-7c8d9e0f1a21";
const S_DISABLED: &str = "0c4f2a8e-1b3d-4e5f-8a6b-7c8d9e0f1a22";
const S_ONLINE: &str = "0c4f2a8e-1b3d-4e5f-8a6b-7c8d9e0f1a23";
const S_PLATFORM: &str = "0c4f2a8e-1b3d-4e5f-8a6b-7c8d9e0f1a24";
const S_ROOT: &str = "0c4f2a8e-1b3d-4e5f-8a6b-7c8d9e0f1a25";

/// The demo estate, with every subscription of the tree visible to the identity.
fn estate() -> Value {
    let mut s = read_json(&path("fixtures/demo/snapshot.json"));
    let mut subs = s["metadata"]["subscriptions"].as_array().unwrap().clone();
    for (id, state) in [
        (S_CORP, "Enabled"),
        (S_DISABLED, "Disabled"),
        (S_ONLINE, "Enabled"),
        (S_PLATFORM, "Enabled"),
        (S_ROOT, "Enabled"),
    ] {
        subs.push(json!({"subscriptionId": id, "displayName": format!("sub {id}"), "state": state}));
    }
    s["metadata"]["subscriptions"] = Value::Array(subs);
    s
}

fn tree() -> Vec<ManagementGroup> {
    vec![
        ManagementGroup::new("mg-root", None, &[S_ROOT]),
        ManagementGroup::new("mg-platform", Some("mg-root"), &[S_PLATFORM]),
        ManagementGroup::new("mg-landingzones", Some("mg-root"), &[]),
        ManagementGroup::new("mg-corp", Some("mg-landingzones"), &[DEMO, S_CORP, S_DISABLED]),
        ManagementGroup::new("mg-online", Some("mg-landingzones"), &[S_ONLINE]),
    ]
}

struct Run {
    code: i32,
    stderr: String,
    snapshot: Option<Value>,
    fake: FakeArm,
}

/// `scan ARGS --format json --save-snapshot` against a fake serving the tree (page size 2, so the descendants of
/// `mg-landingzones` come in several pages).
fn scan(args: &[&str]) -> Run {
    let fake = FakeArm::start(&estate(), Options { management_groups: tree(), ..Options::default() });
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("collected.json");
    let mut cmd = acr_audit_on(&fake);
    // The scope is asserted from the ARM list requests, so the ARM collector reads the lists unless a test picks
    // another (`--source auto` picks Resource Graph above three subscriptions).
    let source: &[&str] = if args.contains(&"--source") { &[] } else { &["--source", "arm"] };
    let out = cmd
        .arg("scan")
        .args(args)
        .args(source)
        .args(["--format", "json", "--fail-on", "none", "--save-snapshot"])
        .arg(&saved)
        .output()
        .unwrap();
    let snapshot = std::fs::read_to_string(&saved).ok().and_then(|t| serde_json::from_str(&t).ok());
    Run { code: out.status.code().unwrap(), stderr: String::from_utf8(out.stderr).unwrap(), snapshot, fake }
}

/// The subscriptions a subscription-scope list was sent to (registries: a type every scanned subscription lists
/// and the hub branch never lists elsewhere), lower-cased.
fn listed(fake: &FakeArm) -> BTreeSet<String> {
    fake.requests()
        .iter()
        .filter_map(|(_, p)| {
            let p = p.split('?').next().unwrap().to_ascii_lowercase();
            p.strip_suffix("/providers/microsoft.containerregistry/registries")
                .and_then(|s| s.strip_prefix("/subscriptions/"))
                .map(str::to_string)
        })
        .collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_ascii_lowercase()).collect()
}

/// `metadata.subscriptions[].subscriptionId` of the saved snapshot.
fn scanned(run: &Run) -> BTreeSet<String> {
    run.snapshot.as_ref().expect("a snapshot")["metadata"]["subscriptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["subscriptionId"].as_str().unwrap().to_ascii_lowercase())
        .collect()
}

fn descendants_requests(fake: &FakeArm) -> Vec<String> {
    fake.requests().into_iter().map(|(_, p)| p).filter(|p| p.contains("/descendants")).collect()
}

#[test]
fn a_group_scans_exactly_the_enabled_subscriptions_under_it_nested_groups_included() {
    let run = scan(&["--management-group", "mg-landingzones"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = set(&[DEMO, S_CORP, S_ONLINE]);
    assert_eq!(listed(&run.fake), expected, "{:#?}", run.fake.requests());
    assert_eq!(scanned(&run), expected);
    // Six descendants (two groups, four subscriptions) at page size 2: three pages, followed to the end.
    let pages = descendants_requests(&run.fake);
    assert!(pages.len() == 3 && pages.iter().skip(1).all(|p| p.contains("skiptoken")), "{pages:#?}");
    let snapshot = run.snapshot.as_ref().unwrap();
    assert_eq!(snapshot["metadata"]["scope"]["managementGroups"], json!(["mg-landingzones"]));
    // The demo's findings come from the demo subscription, as in a scan of it alone.
    assert!(snapshot["resources"]["Microsoft.ContainerRegistry/registries"].as_array().is_some_and(|r| !r.is_empty()));
}

#[test]
fn two_groups_and_a_subscription_are_one_union() {
    let run = scan(&["--management-group", "mg-corp", "--management-group", "mg-platform", "--subscription", S_ROOT]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = set(&[DEMO, S_CORP, S_PLATFORM, S_ROOT]);
    assert_eq!(listed(&run.fake), expected, "{:#?}", run.fake.requests());
    assert_eq!(scanned(&run), expected);
    let scope = &run.snapshot.as_ref().unwrap()["metadata"]["scope"];
    assert_eq!(scope["managementGroups"], json!(["mg-corp", "mg-platform"]));
    assert_eq!(scope["subscriptions"], json!([S_ROOT]));
    // The same four subscriptions through Resource Graph, which `auto` picks for more than three.
    let run = scan(&[
        "--management-group",
        "mg-corp",
        "--management-group",
        "mg-platform",
        "--subscription",
        S_ROOT,
        "--source",
        "auto",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(scanned(&run), expected);
    assert_eq!(run.snapshot.as_ref().unwrap()["metadata"]["collector"], json!("resource-graph"));
    assert!(listed(&run.fake).is_empty(), "no ARM list with Resource Graph: {:#?}", run.fake.requests());
    // A subscription named twice (under a group and with --subscription) is read once.
    let run = scan(&["--management-group", "mg-corp", "--subscription", &DEMO.to_ascii_uppercase()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(scanned(&run), set(&[DEMO, S_CORP]));
    let registry_lists = run
        .fake
        .requests()
        .iter()
        .filter(|(_, p)| p.to_ascii_lowercase().contains("/providers/microsoft.containerregistry/registries?"))
        .count();
    assert_eq!(registry_lists, 2, "{:#?}", run.fake.requests());
}

#[test]
fn an_unreadable_group_is_a_tool_error_naming_it_and_the_role() {
    let run = scan(&["--management-group", "mg-corp", "--management-group", "mg-secret"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    for part in ["mg-secret", "403", "AuthorizationFailed", "Management Group Reader"] {
        assert!(run.stderr.contains(part), "{part} not in: {}", run.stderr);
    }
    assert!(run.snapshot.is_none(), "no snapshot is written for a scope that could not be resolved");
    assert!(listed(&run.fake).is_empty(), "nothing is scanned: {:#?}", run.fake.requests());
}

#[test]
fn a_group_with_only_a_disabled_subscription_is_an_error_not_an_empty_scan() {
    let fake_tree = tree();
    assert!(fake_tree.iter().any(|g| g.subscriptions.contains(&S_DISABLED.to_string())));
    let fake = FakeArm::start(
        &estate(),
        Options {
            management_groups: vec![ManagementGroup::new("mg-retired", None, &[S_DISABLED])],
            ..Options::default()
        },
    );
    let out = acr_audit_on(&fake).args(["scan", "--management-group", "mg-retired"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("mg-retired") && stderr.contains("enabled"), "{stderr}");
}

#[test]
fn a_group_id_that_is_not_a_path_segment_is_refused_before_any_request() {
    for bad in ["../subscriptions", "mg?$top=1", "mg/descendants"] {
        let run = scan(&["--management-group", bad]);
        assert_eq!(run.code, 2, "{bad}: {}", run.stderr);
        assert!(run.stderr.contains("not a management group id"), "{bad}: {}", run.stderr);
        assert!(run.fake.requests().is_empty(), "{bad}: {:#?}", run.fake.requests());
    }
}

#[test]
fn collect_takes_management_groups_too() {
    let fake = FakeArm::start(&estate(), Options { management_groups: tree(), ..Options::default() });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tenant.json");
    let out =
        acr_audit_on(&fake).args(["collect", "--management-group", "mg-online", "-o"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let snapshot = read_json(&file);
    assert_eq!(snapshot["metadata"]["scope"]["managementGroups"], json!(["mg-online"]));
    let subs: Vec<&str> = snapshot["metadata"]["subscriptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["subscriptionId"].as_str().unwrap())
        .collect();
    assert_eq!(subs, vec![S_ONLINE]);
    assert_eq!(listed(&fake), set(&[S_ONLINE]));
}
