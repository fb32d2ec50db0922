//! Live collection against the fake ARM + token server: the real binary, real `azure_identity` client-secret
//! sign-in and the real SDK pipelines, pointed at loopback with `AZURE_AUTHORITY_HOST` and
//! `ACR_AUDIT_ARM_ENDPOINT`. Every list pages (page size 2); faults are injected on demand.

use super::common;
use super::fake_arm;

use common::*;
use fake_arm::{FakeArm, Fault, Options, FAKE_FEDERATED_TOKEN, FAKE_SECRET, FAKE_TOKEN};
use serde_json::Value;
use std::collections::BTreeSet;
use std::time::Duration;

const SUB: &str = DEMO_SUBSCRIPTION;

fn scan(fake: &FakeArm, extra: &[&str]) -> ScanRun {
    scan_fake_arm(fake, &[], extra)
}

fn demo() -> Value {
    read_json(&path("fixtures/demo/snapshot.json"))
}

fn keys_of(report_json: &str) -> BTreeSet<(String, String)> {
    let r: Value = serde_json::from_str(report_json).unwrap_or_else(|e| panic!("not a report ({e}): {report_json}"));
    finding_keys(&r).into_iter().map(|(a, b)| (a, b.to_ascii_lowercase())).collect()
}

fn demo_findings() -> BTreeSet<(String, String)> {
    let (_, report) = eval_json(&path("fixtures/demo/snapshot.json"), &[]);
    finding_keys(&report).into_iter().map(|(a, b)| (a, b.to_ascii_lowercase())).collect()
}

/// The requests the collection plan should make for the demo estate at page size 2: pages of every
/// subscription-scope list, the children of each registry and privatelink zone, the DNS zone groups of each
/// registry private endpoint, one VMSS list per node resource group, one provider read per subscription, one
/// service-tags read, one GET per referenced role definition; and for the hub types the lists in the scanned
/// subscription and the children of what they return (rule collection groups of each policy, endpoints of each
/// resolver, rules and links of each ruleset). Reads by id of hub resources outside the scanned subscription are
/// the caller's to add (`scan_hub` counts them request by request).
pub(super) fn expected_requests(s: &Value, page_size: usize) -> usize {
    let pages = |n: usize| n.div_ceil(page_size).max(1);
    let count = |t: &str| s["resources"][t].as_array().map(Vec::len).unwrap_or(0);
    let lists = [
        "Microsoft.ContainerRegistry/registries",
        "Microsoft.Network/privateEndpoints",
        "Microsoft.Network/networkInterfaces",
        "Microsoft.Network/networkSecurityGroups",
        "Microsoft.Network/routeTables",
        "Microsoft.Network/virtualNetworks",
        "Microsoft.Network/publicIPAddresses",
        "Microsoft.Network/natGateways",
        "Microsoft.Network/publicIPPrefixes",
        "Microsoft.Network/privateDnsZones",
        "Microsoft.ContainerService/managedClusters",
        // The consumers of issue #12: one list each, whatever they hold.
        "Microsoft.Web/sites",
        "Microsoft.App/containerApps",
        "Microsoft.App/managedEnvironments",
        "Microsoft.ContainerInstance/containerGroups",
    ];
    let child = |kind: &str, parent: &str| child_len(s, kind, parent);
    let mut n = 1; // GET /subscriptions/{id}
    n += lists.iter().map(|t| pages(count(t))).sum::<usize>();
    for r in s["resources"]["Microsoft.ContainerRegistry/registries"].as_array().unwrap() {
        let id = r["id"].as_str().unwrap();
        n += pages(child("Microsoft.ContainerRegistry/registries/replications", id)); // Premium only; all demo registries are
        n += 1; // GET listUsages
        n += pages(child("Microsoft.Authorization/roleAssignments", id));
        n += pages(child("Microsoft.ContainerRegistry/registries/tasks", id));
        if r["sku"]["name"].as_str().map(|s| s.eq_ignore_ascii_case("Premium")).unwrap_or(false) {
            n += pages(child("Microsoft.ContainerRegistry/registries/agentPools", id));
            // Premium only
        }
    }
    n += container_sites(s).len(); // GET {site}/config/web, one object each
    for z in s["resources"]["Microsoft.Network/privateDnsZones"].as_array().unwrap() {
        let id = z["id"].as_str().unwrap();
        n += pages(child("Microsoft.Network/privateDnsZones/virtualNetworkLinks", id))
            + pages(child("Microsoft.Network/privateDnsZones/A", id));
    }
    for pe in s["resources"]["Microsoft.Network/privateEndpoints"].as_array().unwrap() {
        // The DNS zone groups of every private endpoint that targets a registry (all of the demo's do).
        n += pages(child("Microsoft.Network/privateEndpoints/privateDnsZoneGroups", pe["id"].as_str().unwrap()));
    }
    n += 2 + 1 + 1; // node-group VMSS and VM lists, provider state, service tags
    n += count("Microsoft.Authorization/roleDefinitions");
    n + hub_requests(s, page_size)
}

/// The sites whose `config/web` the collector reads: a `kind` with a `container` (or `hyperV`) token, or a
/// `DOCKER|` image in the listed site configuration (see `crates/collect/src/consumers.rs`).
pub(super) fn container_sites(s: &Value) -> Vec<String> {
    s["resources"]["Microsoft.Web/sites"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|site| {
            let kind = site["kind"].as_str().unwrap_or("").to_ascii_lowercase();
            let by_kind = kind.split(',').any(|t| t.trim() == "container" || t.trim() == "hyperv");
            let by_fx = ["linuxFxVersion", "windowsFxVersion"].iter().any(|f| {
                site["properties"]["siteConfig"][f].as_str().unwrap_or("").to_ascii_uppercase().starts_with("DOCKER|")
            });
            by_kind || by_fx
        })
        .map(|site| site["id"].as_str().unwrap().to_string())
        .collect()
}

/// The hub branch's requests for what the scanned subscription lists: one list per hub type, then the children
/// of each listed policy, resolver and ruleset.
fn hub_requests(s: &Value, page_size: usize) -> usize {
    let pages = |n: usize| n.div_ceil(page_size).max(1);
    let scanned = format!("/subscriptions/{SUB}/").to_ascii_lowercase();
    let listed = |t: &str| -> Vec<String> {
        s["resources"][t]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["id"].as_str())
            .filter(|id| id.to_ascii_lowercase().starts_with(&scanned))
            .map(str::to_string)
            .collect()
    };
    let child = |kind: &str, parent: &str| child_len(s, kind, parent);
    let mut n = 0;
    for t in [
        "Microsoft.Network/azureFirewalls",
        "Microsoft.Network/firewallPolicies",
        "Microsoft.Network/ipGroups",
        "Microsoft.Network/dnsResolvers",
        "Microsoft.Network/dnsForwardingRulesets",
    ] {
        n += pages(listed(t).len());
    }
    for p in listed("Microsoft.Network/firewallPolicies") {
        n += pages(child("Microsoft.Network/firewallPolicies/ruleCollectionGroups", &p));
    }
    for r in listed("Microsoft.Network/dnsResolvers") {
        n += pages(child("Microsoft.Network/dnsResolvers/inboundEndpoints", &r))
            + pages(child("Microsoft.Network/dnsResolvers/outboundEndpoints", &r));
    }
    for r in listed("Microsoft.Network/dnsForwardingRulesets") {
        n += pages(child("Microsoft.Network/dnsForwardingRulesets/forwardingRules", &r))
            + pages(child("Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks", &r));
    }
    n
}

#[test]
fn scan_reproduces_the_demo_findings_and_eval_of_the_saved_snapshot_agrees() {
    let fake = FakeArm::start(&demo(), Options::default());
    let run = scan(&fake, &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    assert_eq!(
        run.snapshot.as_ref().map(|s| s["errors"].clone()),
        Some(serde_json::json!([])),
        "{:#?}",
        fake.requests()
    );
    assert_eq!(keys_of(&run.stdout), demo_findings());
    // collect + eval on the saved snapshot: the same findings.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.json");
    std::fs::write(&file, &run.snapshot_text).unwrap();
    let (_, report) = eval_json(&file, &[]);
    let from_file: BTreeSet<(String, String)> =
        finding_keys(&report).into_iter().map(|(a, b)| (a, b.to_ascii_lowercase())).collect();
    assert_eq!(from_file, demo_findings());
    // The snapshot holds ARM JSON as served, validates, and records no error.
    let snap = run.snapshot.unwrap();
    assert_valid(&path("docs/snapshot.schema.json"), &snap);
    assert_eq!(snap["errors"], serde_json::json!([]));
    assert_eq!(snap["metadata"]["subscriptions"][0]["displayName"], "contoso-platform-prod");
    let nsg = &snap["resources"]["Microsoft.Network/networkSecurityGroups"][0];
    assert_eq!(
        nsg,
        &demo()["resources"]["Microsoft.Network/networkSecurityGroups"][0],
        "resources are kept exactly as ARM sent them"
    );
    // Request count: what the plan needs, no more.
    let arm_requests = fake.requests().len();
    assert_eq!(arm_requests, expected_requests(&demo(), 2), "{:#?}", fake.requests());
    assert!(fake.requests().iter().any(|(_, p)| p.contains("$skiptoken=")), "lists were paged");
    // Tokens are requested for the cloud's ARM audience, not for the endpoint override.
    assert!(
        fake.token_scopes().iter().all(|s| s == "https://management.azure.com/.default"),
        "{:?}",
        fake.token_scopes()
    );
}

#[test]
fn throttling_server_errors_and_slow_answers_do_not_change_the_findings() {
    let faults = vec![
        Fault::throttle("microsoft.network/networksecuritygroups", 1, 1),
        Fault::status("microsoft.containerregistry/registries", 500, "InternalServerError", 2),
        Fault::status("/virtualnetworklinks", 503, "ServiceUnavailable", 1),
        Fault::slow("microsoft.network/virtualnetworks", Duration::from_millis(400), 1),
    ];
    let fake = FakeArm::start(&demo(), Options { faults, ..Options::default() });
    let run = scan(&fake, &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    assert_eq!(keys_of(&run.stdout), demo_findings());
    assert_eq!(run.snapshot.unwrap()["errors"], serde_json::json!([]), "retried calls succeed and leave no error");
    assert_eq!(
        fake.requests().len(),
        expected_requests(&demo(), 2) + 4,
        "each injected failure costs exactly one retry"
    );
}

#[test]
fn forbidden_role_assignments_give_meta_001_and_no_missing_acrpull() {
    let faults =
        vec![Fault::status("/providers/microsoft.authorization/roleassignments", 403, "AuthorizationFailed", 1000)];
    let fake = FakeArm::start(&demo(), Options { faults, ..Options::default() });
    let run = scan(&fake, &["--fail-on", "none"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let keys = keys_of(&run.stdout);
    let meta: Vec<_> = keys.iter().filter(|(r, _)| r == "ACR-META-001").collect();
    assert_eq!(meta.len(), 2, "one per registry whose assignments could not be read: {keys:?}");
    assert!(meta.iter().any(|(_, res)| res.ends_with("/registries/contosoprodacr")));
    assert!(!keys.iter().any(|(r, _)| r.starts_with("ACR-IAM")), "unreadable RBAC is not missing RBAC: {keys:?}");
    // The finding says what could not be read and which permission the scanning identity lacks.
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    for f in report["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "ACR-META-001") {
        let message = f["message"].as_str().unwrap();
        assert!(message.contains("Microsoft.Authorization/roleAssignments at /subscriptions/"), "{message}");
        assert!(message.contains("needs Microsoft.Authorization/roleAssignments/read"), "{message}");
    }
    let snap = run.snapshot.unwrap();
    let err = &snap["errors"][0];
    assert_eq!(err["status"], 403);
    assert_eq!(err["code"], "AuthorizationFailed");
    assert_eq!(err["resourceType"], "Microsoft.Authorization/roleAssignments");
    // The facts of the collected snapshot: pulls are unknown, not denied.
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), serde_json::to_vec(&snap).unwrap()).unwrap();
    let loaded = acr_audit::snapshot::load_snapshot(file.path()).unwrap();
    let facts = acr_audit::analysis::analyse(
        &acr_audit::model::Model::from_snapshot(loaded),
        &acr_audit::analysis::Selection { clients: vec!["aks-prod-eastus".into()], ..Default::default() },
    );
    assert_eq!(facts.pairs.len(), 2, "the cluster with each registry");
    for pair in &facts.pairs {
        assert_eq!(pair.rbac.grants_pull, acr_audit::analysis::PullGrant::Unknown, "{}", pair.registry_name);
        assert!(!pair.rbac.assignments_readable);
    }
}

#[test]
fn a_forbidden_role_definition_names_the_permission_and_raises_no_missing_pull() {
    let faults =
        vec![Fault::status("/providers/microsoft.authorization/roledefinitions/", 403, "AuthorizationFailed", 1000)];
    let fake = FakeArm::start(&demo(), Options { faults, ..Options::default() });
    let run = scan(&fake, &["--fail-on", "none"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let meta: Vec<&str> =
        findings.iter().filter(|f| f["rule"] == "ACR-META-001").map(|f| f["message"].as_str().unwrap()).collect();
    assert!(!meta.is_empty(), "{findings:?}");
    assert!(meta.iter().all(|m| m.contains("needs Microsoft.Authorization/roleDefinitions/read")), "{meta:?}");
    assert!(!findings.iter().any(|f| f["rule"] == "ACR-IAM-001"), "an unread definition is not a missing grant");
}

#[test]
fn no_token_or_secret_reaches_logs_snapshots_or_reports() {
    let fake = FakeArm::start(&demo(), Options::default());
    let run = scan(&fake, &["-v"]);
    assert!(run.stderr.contains("GET /subscriptions/"), "-v logs requests: {}", run.stderr);
    assert!(run.stderr.contains("x-ms-request-id"), "{}", run.stderr);
    for text in [&run.stdout, &run.stderr, &run.snapshot_text] {
        assert!(!text.contains(FAKE_TOKEN), "token leaked");
        assert!(!text.contains(FAKE_SECRET), "secret leaked");
        assert!(!text.to_ascii_lowercase().contains("bearer"), "authorization header leaked");
    }
}

#[test]
fn a_rejected_sign_in_says_why_and_exits_2() {
    let fake = FakeArm::start(&demo(), Options::default());
    let mut cmd = acr_audit();
    for (k, v) in fake.env() {
        cmd.env(k, v);
    }
    cmd.env("AZURE_CLIENT_SECRET", "wrong-secret");
    let out = cmd.args(["collect", "--subscription", SUB, "--auth", "env", "-o", "/dev/null"]).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("could not sign in to Azure; tried:") && err.contains("environment"), "{err}");
    assert!(!err.contains("wrong-secret"), "the secret is not echoed: {err}");
    assert!(fake.requests().is_empty(), "no ARM call without a token");
}

#[test]
fn an_unreadable_subscription_is_exit_2() {
    let faults = vec![Fault::status("/subscriptions/", 403, "AuthorizationFailed", 10_000)];
    let fake = FakeArm::start(&demo(), Options { faults, ..Options::default() });
    let run = scan(&fake, &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("nothing could be read from Azure Resource Manager"), "{}", run.stderr);
    assert!(run.stderr.contains("AuthorizationFailed"), "{}", run.stderr);
}

#[test]
fn collect_writes_a_snapshot_that_eval_reads() {
    let fake = FakeArm::start(&demo(), Options { page_size: 1, ..Options::default() });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("snap.json");
    let mut cmd = acr_audit();
    for (k, v) in fake.env() {
        cmd.env(k, v);
    }
    let out =
        cmd.args(["collect", "--subscription", SUB, "--registry", "contosoprodacr", "-o"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let snap = read_json(&file);
    let regs = snap["resources"]["Microsoft.ContainerRegistry/registries"].as_array().unwrap();
    assert_eq!(regs.len(), 1, "--registry narrows collection");
    assert_eq!(snap["metadata"]["scope"]["registries"][0], "contosoprodacr");
    assert_eq!(snap["metadata"]["cloud"]["armEndpoint"], fake.url.as_str());
    let (code, report) = eval_json(&file, &[]);
    assert_eq!(code, 1);
    assert!(finding_keys(&report).iter().any(|(r, _)| r == "ACR-DNS-002"));
}

#[test]
fn workload_identity_federation_signs_in_from_the_token_file() {
    let fake = FakeArm::start(&demo(), Options::default());
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("azure-identity-token");
    std::fs::write(&token_file, FAKE_FEDERATED_TOKEN).unwrap();
    let out_file = dir.path().join("snap.json");
    let mut cmd = acr_audit();
    for (k, v) in fake.env() {
        cmd.env(k, v);
    }
    cmd.env_remove("AZURE_CLIENT_SECRET").env("AZURE_FEDERATED_TOKEN_FILE", &token_file);
    let out = cmd.args(["collect", "--subscription", SUB, "--auth", "env", "-o"]).arg(&out_file).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        !err.contains(FAKE_FEDERATED_TOKEN)
            && !std::fs::read_to_string(&out_file).unwrap().contains(FAKE_FEDERATED_TOKEN)
    );
    assert_eq!(fake.requests().len(), expected_requests(&demo(), 2));
}
