//! End-to-end: `eval` on the bundled demo estate, its clean twin, report formats, selection and exit codes.

use super::common;
use common::*;

#[test]
fn demo_reports_the_planted_problems_and_exits_1() {
    let (code, report) = eval_json(&path("fixtures/demo/snapshot.json"), &[]);
    assert_eq!(code, 1, "high findings fail the run by default");
    let mut keys = finding_keys(&report);
    keys.sort();
    let ends = |rule: &str, suffix: &str| keys.iter().any(|(r, res)| r == rule && res.ends_with(suffix));
    assert!(ends("ACR-REG-001", "/registries/contosobuildacr"), "{keys:?}");
    assert!(ends("ACR-REG-004", "/privateEndpointConnections/pe-contosobuildacr.4a3b2c1d-5e6f-4a7b-9c8d-0e1f2a3b4c5d"));
    assert!(ends(
        "ACR-REG-004",
        "/privateEndpointConnections/pe-contosoprodacr-dev.7e1d4c2b-0a9f-4b38-8c6d-5f2e3a1b0c9d"
    ));
    assert!(ends("ACR-NET-006", "/virtualNetworks/vnet-aks-prod-eastus/virtualNetworkPeerings/aks-prod-to-hub"));
    assert!(ends("ACR-DNS-002", "/privateDnsZones/privatelink.azurecr.io"), "the zone to link is the resource to fix");
    // The hub firewall's policy has no rule for the registry (login and data endpoint); the route to it is
    // evaluated, so no ACR-NET-004.
    let fw001 =
        keys.iter().filter(|(r, res)| r == "ACR-FW-001" && res.ends_with("/firewallPolicies/afwp-hub-eastus")).count();
    assert_eq!(fw001, 2, "{keys:?}");
    assert!(!keys.iter().any(|(r, _)| r == "ACR-NET-004"), "{keys:?}");
    // contosobuildacr has public network access disabled: every client would come through its private endpoint
    // and fetch layers from the data endpoint there, so nobody needs *.blob.core.windows.net (no ACR-REG-008).
    assert!(!keys.iter().any(|(r, _)| r == "ACR-REG-008"), "{keys:?}");
    // The container app's registry entry names a user-assigned identity the app does not have.
    assert!(ends("ACR-USE-002", "/containerApps/ca-orders"), "{keys:?}");
    assert_eq!(keys.len(), 8, "{keys:?}");
    let net = report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "ACR-NET-006").unwrap();
    assert!(net["client"].as_str().unwrap().ends_with("/managedClusters/aks-prod-eastus"));
    assert!(net["registry"].as_str().unwrap().ends_with("/registries/contosoprodacr"));
    assert_eq!(net["evidence"]["local_state"], "Disconnected");
    assert_eq!((report["summary"]["high"].as_u64(), report["summary"]["info"].as_u64()), (Some(8), Some(0)));
}

#[test]
fn json_report_validates_against_the_documented_schema() {
    for snapshot in ["fixtures/demo/snapshot.json", "fixtures/demo/snapshot-clean.json"] {
        let (_, report) = eval_json(&path(snapshot), &[]);
        assert_valid(&path("docs/report.schema.json"), &report);
    }
}

#[test]
fn clean_twin_has_nothing_above_info_and_exits_0() {
    let (code, report) = eval_json(&path("fixtures/demo/snapshot-clean.json"), &[]);
    assert_eq!(code, 0);
    let above_info: Vec<_> =
        report["findings"].as_array().unwrap().iter().filter(|f| f["severity"] != "info").collect();
    assert!(above_info.is_empty(), "{above_info:?}");
}

#[test]
fn remediation_placeholders_are_filled_from_the_finding() {
    let (_, report) = eval_json(&path("fixtures/demo/snapshot.json"), &["--only", "ACR-REG-001"]);
    let f = &report["findings"][0];
    let fix = f["remediation"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect::<Vec<_>>();
    assert!(fix.iter().any(|c| c.contains("--registry-name contosobuildacr")), "{fix:?}");
    assert!(fix.iter().all(|c| !c.contains("{registry_name}")), "{fix:?}");
}

#[test]
fn only_and_skip_select_rules() {
    let (_, only) = eval_json(&path("fixtures/demo/snapshot.json"), &["--only", "acr-reg-004"]);
    assert!(finding_keys(&only).iter().all(|(r, _)| r == "ACR-REG-004"));
    assert_eq!(only["tool"]["rules_evaluated"], 1);
    let (_, skip) = eval_json(&path("fixtures/demo/snapshot.json"), &["--skip", "ACR-REG-004"]);
    assert!(finding_keys(&skip).iter().all(|(r, _)| r != "ACR-REG-004"));
    assert!(!finding_keys(&skip).is_empty());
}

#[test]
fn fail_on_sets_the_threshold() {
    let (code, _) = eval_json(&path("fixtures/demo/snapshot.json"), &["--fail-on", "critical"]);
    assert_eq!(code, 0, "no critical finding in the demo");
    let (code, _) = eval_json(&path("fixtures/demo/snapshot.json"), &["--fail-on", "none"]);
    assert_eq!(code, 0);
    let (code, _) = eval_json(&path("fixtures/demo/snapshot.json"), &["--fail-on", "medium"]);
    assert_eq!(code, 1);
}

#[test]
fn output_file_receives_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    acr_audit()
        .args(["eval", "fixtures/demo/snapshot.json", "--format", "json", "-o"])
        .arg(&out)
        .assert()
        .code(1)
        .stdout("");
    let report = read_json(&out);
    assert_eq!(report["schema"], "acr-audit/report/v1");
}

#[test]
fn table_is_readable_and_uncoloured_when_not_a_terminal() {
    let out = acr_audit().args(["eval", "fixtures/demo/snapshot.json"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("ACR-NET-006") && text.contains("aks-prod-to-hub"), "{text}");
    assert!(text.contains("8 finding(s): 0 critical, 8 high, 0 medium, 0 low, 0 info"), "{text}");
    assert!(text.contains("How to fix:"), "{text}");
    assert!(
        text.contains("    az network private-dns link vnet create --resource-group rg-hub-eastus --zone-name privatelink.azurecr.io --name link-vnet-aks-prod-eastus"),
        "commands are printed whole: {text}"
    );
    assert!(!text.contains('\u{1b}'), "no ANSI escapes off a terminal");
}

#[test]
fn collection_errors_are_shown_in_the_report() {
    let mut snapshot = read_json(&path("fixtures/demo/snapshot-clean.json"));
    snapshot["errors"] = serde_json::json!([{
        "scope": "/subscriptions/3f2b8c1e-7d4a-4e59-9b6f-0c1d2e3f4a5b",
        "resourceType": "Microsoft.Network/privateDnsZones",
        "status": 403,
        "code": "AuthorizationFailed",
        "message": "The client does not have authorization to perform action 'Microsoft.Network/privateDnsZones/read'."
    }]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("partial.json");
    std::fs::write(&file, serde_json::to_vec(&snapshot).unwrap()).unwrap();
    let (_, report) = eval_json(&file, &[]);
    assert_eq!(report["snapshot"]["errors"][0]["code"], "AuthorizationFailed");
    let table = acr_audit().arg("eval").arg(&file).output().unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.contains("could not read 1 scope(s)") && text.contains("privateDnsZones"), "{text}");
}

#[test]
fn a_pairs_file_selects_exactly_the_listed_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let pairs = dir.path().join("pairs.yaml");
    // contosobuildacr is not inferred for the cluster (no role assignment, two registries): naming it adds it.
    std::fs::write(&pairs, "pairs:\n  - client: aks-prod-eastus\n    registry: contosobuildacr\n").unwrap();
    let (_, report) =
        eval_json(&path("fixtures/demo/snapshot.json"), &["--pairs", pairs.to_str().unwrap(), "--only", "ACR-IAM-001"]);
    let iam: Vec<_> = report["findings"].as_array().unwrap().iter().collect();
    assert_eq!(iam.len(), 1, "the kubelet identity has no role on contosobuildacr: {iam:?}");
    assert!(iam[0]["registry"].as_str().unwrap().ends_with("/registries/contosobuildacr"));
    let (_, inferred) = eval_json(&path("fixtures/demo/snapshot.json"), &["--only", "ACR-IAM-001"]);
    assert!(inferred["findings"].as_array().unwrap().is_empty(), "without the file, nobody intended that pair");

    std::fs::write(&pairs, "pairs:\n  - cluster: aks-prod-eastus\n").unwrap();
    let out = acr_audit().args(["eval", "fixtures/demo/snapshot.json", "--pairs"]).arg(&pairs).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("pairs.yaml") && err.contains("unknown field `cluster`") && err.contains("fix:"), "{err}");
}
