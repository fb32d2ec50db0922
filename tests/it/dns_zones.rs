//! Private DNS beyond the scanned subscription, fallback to public resolution, and the layer path through a
//! private endpoint: the demo estates with one change per test, through collection (fake ARM), analysis and
//! the rules.
//!
//! Hub-and-spoke landing zones keep `privatelink.*` zones in a connectivity subscription: a private endpoint's
//! DNS zone group names the zone there. The collector reads it by id; when that read fails, every DNS answer
//! that depends on it is `unknown` and only ACR-META-001 speaks, naming the zone and the permission.

use super::common;
use super::fake_arm;
use super::scan_live::expected_requests;

use acr_audit::analysis::{analyse, Facts, PathFacts, Selection};
use acr_audit::model::Model;
use acr_audit::snapshot::parse_snapshot;
use common::*;
use fake_arm::{FakeArm, Fault, Options};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const SUB: &str = "/subscriptions/3f2b8c1e-7d4a-4e59-9b6f-0c1d2e3f4a5b";
/// The connectivity subscription that holds the zone; the scan does not list it.
const HUB_SUB: &str = "7a1b2c3d-4e5f-4a6b-9c8d-0e1f2a3b4c5d";
const DEMO_ZONE: &str = "/subscriptions/3f2b8c1e-7d4a-4e59-9b6f-0c1d2e3f4a5b/resourceGroups/rg-hub-eastus/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io";

fn hub_zone() -> String {
    format!("/subscriptions/{HUB_SUB}/resourceGroups/rg-dns-connectivity/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io")
}

fn demo() -> Value {
    read_json(&path("fixtures/demo/snapshot.json"))
}

fn clean() -> Value {
    read_json(&path("fixtures/demo/snapshot-clean.json"))
}

/// The estate with its `privatelink.azurecr.io` zone (and the zone's links and records) moved to the
/// connectivity subscription, and a DNS zone group on every private endpoint naming it, shaped as
/// `PrivateEndpointDnsZoneGroupGet` (network 2024-05-01) returns it.
fn zone_in_hub(estate: Value) -> Value {
    let text = serde_json::to_string(&estate).unwrap().replace(DEMO_ZONE, &hub_zone());
    let mut s: Value = serde_json::from_str(&text).unwrap();
    let groups: Vec<Value> = s["resources"]["Microsoft.Network/privateEndpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pe| {
            let id = pe["id"].as_str().unwrap();
            let records: Vec<Value> = pe["properties"]["customDnsConfigs"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| {
                    let fqdn = c["fqdn"].as_str().unwrap();
                    json!({"recordType": "A", "recordSetName": fqdn.trim_end_matches(".azurecr.io"),
                           "fqdn": fqdn.replace(".azurecr.io", ".privatelink.azurecr.io"), "ipAddresses": c["ipAddresses"]})
                })
                .collect();
            json!({"parentId": id, "value": [{
                "name": "default",
                "id": format!("{id}/privateDnsZoneGroups/default"),
                "properties": {"provisioningState": "Succeeded", "privateDnsZoneConfigs": [{
                    "name": "privatelink-azurecr-io",
                    "properties": {"privateDnsZoneId": hub_zone(), "recordSets": records}
                }]}
            }]})
        })
        .collect();
    s["children"]["Microsoft.Network/privateEndpoints/privateDnsZoneGroups"] = json!(groups);
    s
}

/// The hub estate as a scan whose read of the zone failed would save it: no zone, links or records, and the
/// error naming the zone.
fn hub_zone_unreadable(estate: Value) -> Value {
    let mut s = zone_in_hub(estate);
    s["resources"]["Microsoft.Network/privateDnsZones"] = json!([]);
    s["children"]["Microsoft.Network/privateDnsZones/virtualNetworkLinks"] = json!([]);
    s["children"]["Microsoft.Network/privateDnsZones/A"] = json!([]);
    s["errors"] = json!([{
        "scope": hub_zone(),
        "resourceType": "Microsoft.Network/privateDnsZones",
        "status": 403,
        "code": "AuthorizationFailed",
        "message": format!("The client does not have authorization to perform action 'Microsoft.Network/privateDnsZones/read' over scope '{}'.", hub_zone()),
    }]);
    s
}

fn facts_of(snapshot: &Value) -> Facts {
    let bytes = serde_json::to_vec(snapshot).unwrap();
    let model = Model::from_snapshot(parse_snapshot(&bytes, std::path::Path::new("test.json")).unwrap());
    analyse(
        &model,
        &Selection { pairs: vec![("aks-prod-eastus".into(), "contosoprodacr".into())], ..Default::default() },
    )
}

fn path_of<'a>(facts: &'a Facts, kind: &str) -> &'a PathFacts {
    facts.paths.iter().find(|p| p.endpoint.kind.as_str() == kind).unwrap_or_else(|| panic!("no {kind} path"))
}

/// `eval --format json` on a snapshot written to a temporary file: (exit code, report).
fn eval_value(snapshot: &Value, extra: &[&str]) -> (i32, Value) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.json");
    std::fs::write(&file, serde_json::to_vec(snapshot).unwrap()).unwrap();
    eval_json(&file, extra)
}

fn keys(report: &Value) -> BTreeSet<(String, String)> {
    finding_keys(report).into_iter().map(|(r, res)| (r, res.to_ascii_lowercase())).collect()
}

fn dns_findings(report: &Value) -> Vec<(String, String)> {
    finding_keys(report).into_iter().filter(|(r, _)| r.starts_with("ACR-DNS-00")).collect()
}

fn registry<'a>(s: &'a mut Value, name: &str) -> &'a mut Value {
    s["resources"]["Microsoft.ContainerRegistry/registries"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["name"] == name)
        .unwrap()
}

// --- collection -------------------------------------------------------------------------------------------------

#[test]
fn scan_reads_a_zone_a_zone_group_names_in_another_subscription_and_finds_what_the_demo_finds() {
    let estate = zone_in_hub(demo());
    let fake = FakeArm::start(&estate, Options::default());
    let run = scan_fake_arm(&fake, &[], &["--fail-on", "none"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let snap = run.snapshot.unwrap();
    assert_eq!(snap["errors"], json!([]), "{:#?}", fake.requests());
    let zones: Vec<&str> = snap["resources"]["Microsoft.Network/privateDnsZones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| z["id"].as_str().unwrap())
        .collect();
    assert_eq!(zones, vec![hub_zone().as_str()], "the zone outside the scan was read by id");
    let (_, demo_report) = eval_json(&path("fixtures/demo/snapshot.json"), &[]);
    let scanned: Value = serde_json::from_str(&run.stdout).unwrap();
    let moved = |k: BTreeSet<(String, String)>| -> BTreeSet<(String, String)> {
        k.into_iter()
            .map(|(r, res)| (r, res.replace(&DEMO_ZONE.to_ascii_lowercase(), &hub_zone().to_ascii_lowercase())))
            .collect()
    };
    assert_eq!(keys(&scanned), moved(keys(&demo_report)), "the same findings, on the zone where it now lives");
    // One zone-group list per registry endpoint, then one GET for the referenced zone plus its two child lists.
    assert_eq!(fake.requests().len(), expected_requests(&estate, 2) + 1, "{:#?}", fake.requests());
}

#[test]
fn scan_with_a_forbidden_zone_records_the_error_and_reports_meta_001_but_no_dns_finding() {
    let estate = zone_in_hub(demo());
    let faults = vec![Fault::status(&format!("/subscriptions/{HUB_SUB}/"), 403, "AuthorizationFailed", 1000)];
    let fake = FakeArm::start(&estate, Options { faults, ..Options::default() });
    let run = scan_fake_arm(&fake, &[], &["--fail-on", "none"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let snap = run.snapshot.unwrap();
    let errors = snap["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0]["scope"].as_str().unwrap().to_ascii_lowercase(), hub_zone().to_ascii_lowercase());
    assert_eq!(errors[0]["resourceType"], "Microsoft.Network/privateDnsZones");
    assert_eq!(errors[0]["status"], 403);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(dns_findings(&report), vec![], "no DNS finding on a zone that could not be read");
    let meta: Vec<&Value> =
        report["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "ACR-META-001").collect();
    assert_eq!(meta.len(), 1, "{meta:#?}");
    assert!(meta[0]["resource"].as_str().unwrap().eq_ignore_ascii_case(&hub_zone()));
    let msg = meta[0]["message"].as_str().unwrap_or_else(|| meta[0]["msg"].as_str().unwrap());
    assert!(msg.contains("Microsoft.Network/privateDnsZones/read"), "{msg}");
}

// --- analysis and rules ------------------------------------------------------------------------------------------

#[test]
fn a_readable_zone_in_another_subscription_gives_the_usual_verdicts() {
    let facts = facts_of(&zone_in_hub(clean()));
    for kind in ["login", "data"] {
        let p = path_of(&facts, kind);
        assert_eq!(p.dns.status.as_str(), "private", "{kind}: {:?}", p.dns);
        assert_eq!(p.dns.answer.as_str(), "private_record");
        assert_eq!(p.dns.zone.as_deref(), Some(hub_zone().as_str()));
        assert_eq!(p.reachable.as_str(), "yes", "{kind}: {p:?}");
    }
    let (_, clean_report) = eval_json(&path("fixtures/demo/snapshot-clean.json"), &[]);
    let (_, report) = eval_value(&zone_in_hub(clean()), &[]);
    assert_eq!(keys(&report), keys(&clean_report));
}

#[test]
fn an_unreadable_zone_leaves_dns_unknown_and_no_dns_rule_fires() {
    let facts = facts_of(&hub_zone_unreadable(demo()));
    let login = path_of(&facts, "login");
    assert_eq!(login.dns.status.as_str(), "unknown", "{:?}", login.dns);
    assert_eq!(login.dns.unread_zones, vec![hub_zone()]);
    let cause = login.dns.cause.as_deref().unwrap();
    assert!(cause.contains(&hub_zone()) && cause.contains("Microsoft.Network/privateDnsZones/read"), "{cause}");
    assert_eq!(login.reachable.as_str(), "unknown");
    assert_eq!(login.blocked_at, None);

    let (_, report) = eval_value(&hub_zone_unreadable(demo()), &[]);
    assert_eq!(dns_findings(&report), vec![]);
    let meta: Vec<(String, String)> = finding_keys(&report).into_iter().filter(|(r, _)| r == "ACR-META-001").collect();
    assert_eq!(meta, vec![("ACR-META-001".to_string(), hub_zone())]);
}

/// The clean estate without the data endpoint's record, with `policy` on the client VNet's link. The web app and
/// the container app in the hub resolve through the hub's link, which has no policy: the tests pin the cluster
/// and the registry with `--client` and `--registry`.
fn missing_data_record(policy: Option<&str>) -> Value {
    let mut s = clean();
    s["children"]["Microsoft.Network/privateDnsZones/A"][0]["value"]
        .as_array_mut()
        .unwrap()
        .retain(|r| r["name"] != "contosoprodacr.eastus.data");
    if let Some(policy) = policy {
        for link in s["children"]["Microsoft.Network/privateDnsZones/virtualNetworkLinks"][0]["value"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .filter(|l| l["name"] == "link-aks-prod")
        {
            link["properties"]["resolutionPolicy"] = json!(policy);
        }
    }
    s
}

fn public_access(s: &mut Value) {
    let reg = registry(s, "contosoprodacr");
    reg["properties"]["publicNetworkAccess"] = json!("Enabled");
    reg["properties"]["networkRuleSet"]["defaultAction"] = json!("Allow");
}

#[test]
fn a_missing_record_without_fallback_is_nxdomain_and_fires_dns_003() {
    for policy in [None, Some("Default")] {
        let mut s = missing_data_record(policy);
        public_access(&mut s);
        let facts = facts_of(&s);
        let data = path_of(&facts, "data");
        assert_eq!((data.dns.status.as_str(), data.dns.answer.as_str()), ("nxdomain", "nxdomain"));
        assert_eq!(data.blocked_at.map(|b| b.as_str()), Some("dns"));
        let (_, report) =
            eval_value(&s, &["--only", "ACR-DNS-003", "--client", "aks-prod-eastus", "--registry", "contosoprodacr"]);
        assert_eq!(dns_findings(&report), vec![("ACR-DNS-003".to_string(), DEMO_ZONE.to_string())], "{policy:?}");
    }
}

#[test]
fn a_link_that_falls_back_to_public_resolution_gets_the_public_answer_and_no_dns_003_when_public_access_works() {
    let mut s = missing_data_record(Some("NxDomainRedirect"));
    public_access(&mut s);
    let facts = facts_of(&s);
    let data = path_of(&facts, "data");
    assert_eq!((data.dns.status.as_str(), data.dns.answer.as_str()), ("public", "public_fallback"), "{:?}", data.dns);
    assert_eq!(data.dns.zone.as_deref(), Some(DEMO_ZONE));
    assert!(data.dns.link.as_deref().unwrap().ends_with("/virtualNetworkLinks/link-aks-prod"));
    assert_eq!(data.firewall.verdict.as_str(), "allowed");
    assert_ne!(data.blocked_at.map(|b| b.as_str()), Some("dns"));
    let (_, report) =
        eval_value(&s, &["--only", "ACR-DNS-003", "--client", "aks-prod-eastus", "--registry", "contosoprodacr"]);
    assert_eq!(dns_findings(&report), vec![]);
}

#[test]
fn a_fallback_onto_a_refusing_public_endpoint_still_fires_dns_003() {
    // The clean estate's registry has public network access disabled.
    let s = missing_data_record(Some("NxDomainRedirect"));
    let facts = facts_of(&s);
    let data = path_of(&facts, "data");
    assert_eq!(data.dns.answer.as_str(), "public_fallback");
    assert_eq!(data.blocked_at.map(|b| b.as_str()), Some("firewall"));
    let (_, report) =
        eval_value(&s, &["--only", "ACR-DNS-003", "--client", "aks-prod-eastus", "--registry", "contosoprodacr"]);
    assert_eq!(dns_findings(&report), vec![("ACR-DNS-003".to_string(), DEMO_ZONE.to_string())]);
    let msg = report["findings"][0]["message"].as_str().unwrap_or_default().to_string()
        + report["findings"][0]["msg"].as_str().unwrap_or_default();
    assert!(msg.contains("falls back to its public address"), "{msg}");
}

// --- the layer path through a private endpoint ------------------------------------------------------------------

/// The clean estate with dedicated data endpoints off on the production registry.
fn without_data_endpoints() -> Value {
    let mut s = clean();
    let reg = registry(&mut s, "contosoprodacr");
    reg["properties"]["dataEndpointEnabled"] = json!(false);
    reg["properties"]["dataEndpointHostNames"] = json!([]);
    s
}

#[test]
fn layers_come_through_the_private_endpoint_without_dedicated_data_endpoints() {
    let s = without_data_endpoints();
    let facts = facts_of(&s);
    assert_eq!(facts.paths.len(), 2, "{:#?}", facts.paths.iter().map(|p| &p.endpoint).collect::<Vec<_>>());
    let data = path_of(&facts, "data");
    assert_eq!(data.endpoint.fqdn, "contosoprodacr.eastus.data.azurecr.io");
    assert_eq!(data.dns.status.as_str(), "private");
    assert_eq!(data.dns.addresses, vec!["10.0.1.6".to_string()], "the endpoint's registry_data_eastus member");
    assert_eq!(data.reachable.as_str(), "yes", "{data:?}");
    let reg = facts.registries.iter().find(|r| r.name == "contosoprodacr").unwrap();
    assert_eq!(reg.layer_endpoints.private_endpoint.map(|k| k.as_str()), Some("data"));
    assert_eq!(reg.layer_endpoints.public, None, "public network access is disabled");

    // eval and trace agree: no rule asks for *.blob.core.windows.net, and the trace shows the data endpoint.
    let (_, report) = eval_value(&s, &[]);
    assert!(!keys(&report).iter().any(|(r, res)| r == "ACR-REG-008" && res.ends_with("/contosoprodacr")), "{report:#}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.json");
    std::fs::write(&file, serde_json::to_vec(&s).unwrap()).unwrap();
    let out = acr_audit()
        .arg("trace")
        .arg(&file)
        .args(["--client", "aks-prod-eastus", "--registry", "contosoprodacr"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("data contosoprodacr.eastus.data.azurecr.io [eastus] from subnet snet-aks-nodes: reachable"),
        "{text}"
    );
    assert!(!text.contains("blob.core.windows.net"), "{text}");
}

#[test]
fn public_clients_of_a_registry_with_a_private_endpoint_still_use_its_storage_account() {
    let mut s = without_data_endpoints();
    let reg = registry(&mut s, "contosoprodacr");
    reg["properties"]["publicNetworkAccess"] = json!("Enabled");
    // The cluster's VNet loses its link: it resolves the registry publicly.
    s["children"]["Microsoft.Network/privateDnsZones/virtualNetworkLinks"][0]["value"]
        .as_array_mut()
        .unwrap()
        .retain(|l| l["name"] != "link-aks-prod");
    let facts = facts_of(&s);
    let layers = facts.paths.iter().find(|p| p.endpoint.kind.as_str() != "login").unwrap();
    assert_eq!(layers.endpoint.kind.as_str(), "storage");
    let reg = facts.registries.iter().find(|r| r.name == "contosoprodacr").unwrap();
    assert_eq!(reg.layer_endpoints.public.map(|k| k.as_str()), Some("storage"));
    let (_, report) = eval_value(&s, &["--only", "ACR-REG-008"]);
    assert!(keys(&report).iter().any(|(r, res)| r == "ACR-REG-008" && res.ends_with("/contosoprodacr")));
}

// --- peerings ------------------------------------------------------------------------------------------------------

#[test]
fn a_client_vnet_that_could_not_be_read_is_not_a_missing_peering() {
    let mut s = clean();
    let vnet = format!(
        "{SUB}/resourceGroups/rg-aks-prod-eastus/providers/Microsoft.Network/virtualNetworks/vnet-aks-prod-eastus"
    );
    s["resources"]["Microsoft.Network/virtualNetworks"].as_array_mut().unwrap().retain(|v| v["id"] != vnet.as_str());
    s["errors"] = json!([{"scope": vnet, "resourceType": "Microsoft.Network/virtualNetworks", "status": 403,
                         "code": "AuthorizationFailed", "message": "denied"}]);
    let facts = facts_of(&s);
    let login = path_of(&facts, "login");
    let pe = login.private_endpoint.as_ref().expect("the login server resolves to the private endpoint");
    assert_eq!(pe.peering.status.as_str(), "peered", "{:?}", pe.peering);
    assert!(!pe.peering.local_visible);
    assert_ne!(login.blocked_at.map(|b| b.as_str()), Some("peering"), "{login:?}");
}
