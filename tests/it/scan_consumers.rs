//! Live collection of the consumers of issue #12 against the fake ARM: the corpus estate `21-consumers.json`
//! (a container web app and a code web app, a container app and its environment, a container group, an ACR task
//! and an agent pool of a Premium registry) served in ARM's shapes. The collector must read every new type and
//! child with reads only, one `config/web` per container site and none for the code site, tasks of every
//! registry and agent pools of Premium ones only, and record a refused `config/web` as an error at the site.

use super::common::*;
use super::corpus::{assemble, load_estate};
use super::fake_arm::{FakeArm, Fault, Options};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const SUB: &str = DEMO_SUBSCRIPTION;
const PAGE: usize = 2;

fn rg(group: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/{group}/providers")
}
fn registry() -> String {
    format!("{}/Microsoft.ContainerRegistry/registries/acrconsumers", rg("rg-acr"))
}
fn container_site() -> String {
    format!("{}/Microsoft.Web/sites/app-orders", rg("rg-apps"))
}
fn code_site() -> String {
    format!("{}/Microsoft.Web/sites/app-docs", rg("rg-apps"))
}

/// The consumers estate as a snapshot the fake ARM serves, in the scanned (demo) subscription.
fn estate() -> Value {
    let mut s = assemble("21-consumers.json", &load_estate("21-consumers.json"));
    s["metadata"]["subscriptions"] = json!([{"subscriptionId": SUB, "displayName": "consumers", "state": "Enabled"}]);
    s
}

/// The same estate with no consumer at all: no sites, apps, environments, groups, tasks or agent pools.
fn without_consumers() -> Value {
    let mut s = estate();
    for kind in [
        "Microsoft.Web/sites",
        "Microsoft.App/containerApps",
        "Microsoft.App/managedEnvironments",
        "Microsoft.ContainerInstance/containerGroups",
    ] {
        s["resources"].as_object_mut().unwrap().remove(kind);
    }
    for kind in [
        "Microsoft.Web/sites/config",
        "Microsoft.ContainerRegistry/registries/tasks",
        "Microsoft.ContainerRegistry/registries/agentPools",
    ] {
        s["children"].as_object_mut().unwrap().remove(kind);
    }
    s
}

fn scan(estate: &Value, faults: Vec<Fault>) -> (FakeArm, ScanRun) {
    let fake = FakeArm::start(estate, Options { page_size: PAGE, faults, ..Options::default() });
    let run = scan_fake_arm(&fake, &[], &["--fail-on", "none"]);
    (fake, run)
}

/// Request paths (no query), lower-cased, with how often each was sent.
fn paths(fake: &FakeArm) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for (_, p) in fake.requests() {
        *out.entry(p.split('?').next().unwrap().to_ascii_lowercase()).or_insert(0) += 1;
    }
    out
}

fn count(s: &Value, kind: &str) -> usize {
    s["resources"][kind].as_array().map(Vec::len).unwrap_or(0)
}

/// The consumers' requests for an estate, path by path: one paged list per consumer type, the tasks of every
/// registry, the agent pools of every Premium registry, one `config/web` per container site.
fn consumer_requests(s: &Value) -> BTreeMap<String, usize> {
    let pages = |n: usize| n.div_ceil(PAGE).max(1);
    let mut out = BTreeMap::new();
    for (kind, path) in [
        ("Microsoft.Web/sites", "microsoft.web/sites"),
        ("Microsoft.App/containerApps", "microsoft.app/containerapps"),
        ("Microsoft.App/managedEnvironments", "microsoft.app/managedenvironments"),
        ("Microsoft.ContainerInstance/containerGroups", "microsoft.containerinstance/containergroups"),
    ] {
        out.insert(format!("/subscriptions/{SUB}/providers/{path}"), pages(count(s, kind)));
    }
    for r in s["resources"]["Microsoft.ContainerRegistry/registries"].as_array().unwrap() {
        let id = r["id"].as_str().unwrap();
        out.insert(
            format!("{id}/tasks").to_ascii_lowercase(),
            pages(child_len(s, "Microsoft.ContainerRegistry/registries/tasks", id)),
        );
        if r["sku"]["name"] == "Premium" {
            out.insert(
                format!("{id}/agentPools").to_ascii_lowercase(),
                pages(child_len(s, "Microsoft.ContainerRegistry/registries/agentPools", id)),
            );
        }
    }
    for site in super::scan_live::container_sites(s) {
        out.insert(format!("{site}/config/web").to_ascii_lowercase(), 1);
    }
    out
}

/// Whether a request path is one of the consumers' (the four lists and the children of sites and registries).
fn is_consumer_path(p: &str) -> bool {
    ["/microsoft.web/sites", "/microsoft.app/", "/microsoft.containerinstance/", "/tasks", "/agentpools"]
        .iter()
        .any(|part| p.contains(part))
}

#[test]
fn scan_reads_every_consumer_with_one_config_web_per_container_site() {
    let estate = estate();
    let (fake, run) = scan(&estate, vec![]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let snap = run.snapshot.expect("snapshot saved");
    assert_eq!(snap["errors"], json!([]), "{:#?}", fake.requests());
    assert_valid(&path("docs/snapshot.schema.json"), &snap);
    // Every new type and child, exactly as served.
    for kind in [
        "Microsoft.Web/sites",
        "Microsoft.App/containerApps",
        "Microsoft.App/managedEnvironments",
        "Microsoft.ContainerInstance/containerGroups",
    ] {
        assert_eq!(count(&snap, kind), count(&estate, kind), "{kind}");
        assert!(count(&snap, kind) > 0, "{kind}");
    }
    for (kind, parent) in [
        ("Microsoft.Web/sites/config", container_site()),
        ("Microsoft.ContainerRegistry/registries/tasks", registry()),
        ("Microsoft.ContainerRegistry/registries/agentPools", registry()),
    ] {
        assert_eq!(snap["children"][kind], estate["children"][kind], "{kind} kept as ARM sent it");
        assert_eq!(child_len(&snap, kind, &parent), 1, "{kind}");
    }
    // The consumers' requests, each path as often as the formula says, and nothing else of theirs.
    let sent = paths(&fake);
    let consumer_sent: BTreeMap<String, usize> =
        sent.iter().filter(|(p, _)| is_consumer_path(p)).map(|(p, n)| (p.clone(), *n)).collect();
    assert_eq!(consumer_sent, consumer_requests(&estate));
    assert!(!sent.contains_key(&format!("{}/config/web", code_site()).to_ascii_lowercase()), "a code site is not read");
    assert!(fake.requests().iter().all(|(m, _)| m == "GET"), "reads only: {:#?}", fake.requests());
    assert!(!fake.requests().iter().any(|(_, p)| p.to_ascii_lowercase().contains("appsettings")), "no app settings");
    // Against the same estate without consumers: the request count grows only by the consumers' requests that
    // depend on what they hold (the four lists and the registry's task and agent pool lists are sent either way,
    // each one page here), i.e. by one config/web per container site.
    let (bare, bare_run) = scan(&without_consumers(), vec![]);
    assert_eq!(bare_run.code, 0, "stderr: {}", bare_run.stderr);
    let container_sites = super::scan_live::container_sites(&estate).len();
    assert_eq!(container_sites, 1);
    assert_eq!(fake.requests().len(), bare.requests().len() + container_sites, "{:#?}", fake.requests());
    let bare_consumers: usize = paths(&bare).iter().filter(|(p, _)| is_consumer_path(p)).map(|(_, n)| n).sum();
    assert_eq!(bare_consumers, 4 + 2, "four lists, the registry's tasks and agent pools: {:#?}", bare.requests());
    // The snapshot reads back into the model with every consumer joined to its parent.
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &run.snapshot_text).unwrap();
    let model = acr_audit::model::Model::from_snapshot(acr_audit::snapshot::load_snapshot(file.path()).unwrap());
    assert_eq!(model.site_configs(&container_site()).map(|c| c.len()), Some(1));
    assert_eq!(model.registry_tasks(&registry()).map(|t| t.len()), Some(1));
    assert_eq!(model.agent_pools(&registry()).map(|p| p.len()), Some(1));
}

#[test]
fn a_refused_config_web_is_an_error_at_the_site_and_the_report_says_so() {
    let site = container_site();
    let faults = vec![Fault::status(&format!("{site}/config/web"), 403, "AuthorizationFailed", 1000)];
    let (fake, run) = scan(&estate(), faults);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let snap = run.snapshot.expect("snapshot saved");
    let errors = snap["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0]["resourceType"], "Microsoft.Web/sites/config");
    assert_eq!(errors[0]["scope"].as_str().unwrap().to_ascii_lowercase(), site.to_ascii_lowercase());
    assert_eq!(errors[0]["status"], 403);
    assert_eq!(errors[0]["code"], "AuthorizationFailed");
    // Unread, not absent: no configuration is invented, and the read was not retried as if transient.
    assert!(snap["children"]["Microsoft.Web/sites/config"].as_array().map(Vec::is_empty).unwrap_or(true));
    assert_eq!(paths(&fake).get(&format!("{site}/config/web").to_ascii_lowercase()), Some(&1));
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let meta: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "ACR-META-001")
        .filter(|f| f["resource"].as_str().map(|r| r.eq_ignore_ascii_case(&site)).unwrap_or(false))
        .collect();
    assert_eq!(meta.len(), 1, "{:#?}", report["findings"]);
    let message = meta[0]["message"].as_str().unwrap();
    assert!(message.contains("Microsoft.Web/sites/config"), "{message}");
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &run.snapshot_text).unwrap();
    let model = acr_audit::model::Model::from_snapshot(acr_audit::snapshot::load_snapshot(file.path()).unwrap());
    assert!(model.unread(&site, "Microsoft.Web/sites/config"));
}

#[test]
fn agent_pools_are_read_for_premium_registries_only_and_tasks_for_every_registry() {
    let mut estate = estate();
    let reg = &mut estate["resources"]["Microsoft.ContainerRegistry/registries"][0];
    reg["sku"] = json!({"name": "Standard", "tier": "Standard"});
    let (fake, run) = scan(&estate, vec![]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let snap = run.snapshot.expect("snapshot saved");
    assert_eq!(snap["errors"], json!([]));
    let sent = paths(&fake);
    assert_eq!(sent.get(&format!("{}/tasks", registry()).to_ascii_lowercase()), Some(&1));
    assert!(!sent.keys().any(|p| p.ends_with("/agentpools")), "{sent:#?}");
    assert!(snap["children"]["Microsoft.ContainerRegistry/registries/agentPools"].is_null(), "nothing invented");
    assert_eq!(child_len(&snap, "Microsoft.ContainerRegistry/registries/tasks", &registry()), 1);
}

#[test]
fn a_refused_task_list_is_an_error_at_the_registry() {
    let faults = vec![Fault::status("/acrconsumers/tasks", 403, "AuthorizationFailed", 1000)];
    let (_, run) = scan(&estate(), faults);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let snap = run.snapshot.expect("snapshot saved");
    let errors = snap["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0]["resourceType"], "Microsoft.ContainerRegistry/registries/tasks");
    assert_eq!(errors[0]["scope"].as_str().unwrap().to_ascii_lowercase(), registry().to_ascii_lowercase());
    assert_eq!(child_len(&snap, "Microsoft.ContainerRegistry/registries/agentPools", &registry()), 1);
}

#[test]
fn a_site_id_that_is_not_a_site_id_is_not_turned_into_a_request() {
    // A hostile list answer: the container site's id walks out of the site with dot segments.
    let mut estate = estate();
    let bad = format!("{}/../../../../providers/Microsoft.Authorization/roleAssignments", container_site());
    let site = estate["resources"]["Microsoft.Web/sites"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|s| s["name"] == "app-orders")
        .unwrap();
    site["id"] = json!(bad);
    let (fake, run) = scan(&estate, vec![]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let snap = run.snapshot.expect("snapshot saved");
    assert!(!fake.requests().iter().any(|(_, p)| p.contains("config/web")), "{:#?}", fake.requests());
    let errors = snap["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0]["resourceType"], "Microsoft.Web/sites/config");
    assert_eq!(errors[0]["code"], "InvalidResourceReference");
    assert_eq!(errors[0]["scope"], bad.as_str());
}
