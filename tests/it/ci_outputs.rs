//! CI outputs: SARIF (validated against the OASIS schema), JUnit, Markdown, several formats at once,
//! baselines, suppressions with expiry, and drift between two snapshots.

use super::common;
use common::*;
use serde_json::{json, Value};
use std::path::Path;

fn demo() -> std::path::PathBuf {
    path("fixtures/demo/snapshot.json")
}

fn run(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let out = acr_audit().args(args).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn os<S: AsRef<std::ffi::OsStr> + ?Sized>(s: &S) -> &std::ffi::OsStr {
    s.as_ref()
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema_and_carries_each_finding() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.sarif");
    let (code, _, err) = run(&[os("eval"), demo().as_os_str(), os("--format"), os("sarif"), os("-o"), out.as_os_str()]);
    assert_eq!(code, 1, "{err}");
    let sarif = read_json(&out);
    assert_valid_sarif(&path("tests/schemas/sarif-schema-2.1.0.json"), &sarif);
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), catalogue_size(), "one reportingDescriptor per rule");
    let net006 = rules.iter().find(|r| r["id"] == "ACR-NET-006").unwrap();
    assert_eq!(net006["properties"]["security-severity"], "8.0");
    assert!(net006["help"]["markdown"].as_str().unwrap().contains("az network vnet peering"));
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 8);
    for r in results {
        let fp = r["partialFingerprints"]["acrAuditFinding/v1"].as_str().unwrap();
        assert_eq!(fp.len(), 32);
        let logical = &r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"];
        assert!(logical.as_str().unwrap().starts_with("/subscriptions/"));
        assert!(
            r["locations"][0]["physicalLocation"]["region"]["startLine"].as_i64().unwrap() > 1,
            "points at the resource's line"
        );
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
    }
    let levels: Vec<&str> = results.iter().map(|r| r["level"].as_str().unwrap()).collect();
    // Every demo finding is high (its one info finding, ACR-NET-004, gave way to ACR-FW-001 when the hub firewall's
    // rules became evaluable); info rules map to `note`.
    assert!(levels.iter().all(|l| *l == "error"), "{levels:?}");
    let net004 = rules.iter().find(|r| r["id"] == "ACR-NET-004").unwrap();
    assert_eq!(net004["defaultConfiguration"]["level"], "note");
}

#[test]
fn junit_parses_and_carries_each_finding() {
    let (code, xml, _) = run(&[os("eval"), demo().as_os_str(), os("--format"), os("junit")]);
    assert_eq!(code, 1);
    let report = quick_junit::Report::deserialize_from_str(&xml).expect("valid JUnit XML");
    assert_eq!(report.test_suites.len(), catalogue_size(), "one test suite per rule");
    let failures: Vec<_> = report
        .test_suites
        .iter()
        .flat_map(|s| s.test_cases.iter())
        .filter(|c| !matches!(c.status, quick_junit::TestCaseStatus::Success { .. }))
        .collect();
    assert_eq!(failures.len(), 8);
    let (_, json_out, _) = run(&[os("eval"), demo().as_os_str(), os("--format"), os("json")]);
    let findings: Value = serde_json::from_str(&json_out).unwrap();
    for f in findings["findings"].as_array().unwrap() {
        let message = f["message"].as_str().unwrap();
        assert!(xml.contains(&quick_escape(message)), "JUnit lacks finding: {message}");
    }
    assert!(xml.contains("Remediation:"));
}

fn quick_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

#[test]
fn markdown_has_counts_findings_fixes_and_a_diagram_of_each_broken_path() {
    let (_, md, _) = run(&[os("eval"), demo().as_os_str(), os("--format"), os("markdown")]);
    assert!(md.starts_with("## acr-audit: 8 finding(s)"), "{md}");
    assert!(md.contains("| 0 | 8 | 0 | 0 | 0 |"), "{md}");
    assert!(md.contains("| 1 | high | ACR-DNS-002 |"), "{md}");
    assert!(md.contains("```sh\naz network private-dns link vnet create"), "{md}");
    assert!(md.contains("```mermaid\nflowchart LR") && md.contains("class p0_azure_firewall blocked"), "{md}");
}

#[test]
fn several_formats_at_once_each_to_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.json"), dir.path().join("b.sarif"));
    let (code, stdout, err) = run(&[
        os("eval"),
        demo().as_os_str(),
        os("--format"),
        os("json"),
        os("--output"),
        a.as_os_str(),
        os("--format"),
        os("sarif"),
        os("--output"),
        b.as_os_str(),
        os("--format"),
        os("table"),
    ]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(read_json(&a)["schema"], "acr-audit/report/v1");
    assert_eq!(read_json(&b)["version"], "2.1.0");
    assert!(stdout.contains("8 finding(s)"), "the format without -o goes to stdout: {stdout}");
    let (code, _, err) =
        run(&[os("eval"), demo().as_os_str(), os("--format"), os("json"), os("--format"), os("sarif")]);
    assert_eq!(code, 2);
    assert!(err.contains("several formats would all go to standard output"), "{err}");
}

/// The clean demo with one NSG rule tightened from `Internet` to `*`: it now blocks the private endpoint.
fn tightened_nsg(dir: &Path) -> std::path::PathBuf {
    let mut s = read_json(&path("fixtures/demo/snapshot-clean.json"));
    for rule in s["resources"]["Microsoft.Network/networkSecurityGroups"][0]["properties"]["securityRules"]
        .as_array_mut()
        .unwrap()
    {
        if rule["name"] == "DenyInternetOutbound" {
            rule["properties"]["destinationAddressPrefix"] = json!("*");
        }
    }
    s["metadata"]["collectedAt"] = json!("2026-11-24T06:00:00Z");
    let p = dir.join("tuesday.json");
    std::fs::write(&p, serde_json::to_vec_pretty(&s).unwrap()).unwrap();
    p
}

#[test]
fn baseline_round_trip_hides_accepted_findings_and_fails_on_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    let report = dir.path().join("report.json");
    run(&[os("eval"), demo().as_os_str(), os("--format"), os("json"), os("-o"), report.as_os_str()]);
    let (code, _, err) =
        run(&[os("baseline"), os("create"), os("--report"), report.as_os_str(), os("-o"), baseline.as_os_str()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(read_json(&baseline)["findings"].as_array().unwrap().len(), 8);

    let (code, out, _) =
        run(&[os("eval"), demo().as_os_str(), os("--format"), os("json"), os("--baseline"), baseline.as_os_str()]);
    assert_eq!(code, 0, "every finding is accepted");
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["findings"].as_array().unwrap().len(), 0);
    assert_eq!(r["triage"]["hidden_by_baseline"], 8);

    // A baseline of the clean estate, then the NSG change: only the new findings show, and they fail the run.
    let clean_baseline = dir.path().join("clean-baseline.json");
    run(&[
        os("baseline"),
        os("create"),
        os("--snapshot"),
        path("fixtures/demo/snapshot-clean.json").as_os_str(),
        os("-o"),
        clean_baseline.as_os_str(),
    ]);
    let changed = tightened_nsg(dir.path());
    let (code, out, _) = run(&[
        os("eval"),
        changed.as_os_str(),
        os("--format"),
        os("json"),
        os("--baseline"),
        clean_baseline.as_os_str(),
    ]);
    assert_eq!(code, 1);
    let r: Value = serde_json::from_str(&out).unwrap();
    let rules: Vec<&str> = r["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, vec!["ACR-NET-001", "ACR-NET-002"]);
}

#[test]
fn suppressions_hide_until_they_expire_then_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("suppressions.yaml");
    let write = |expires: &str| {
        std::fs::write(
            &file,
            format!("suppressions:\n  - rule: ACR-REG-00[14]\n    resource: \"*/registries/contosobuildacr*\"\n    reason: Build registry being decommissioned\n    expires: {expires}\n"),
        )
        .unwrap();
    };
    write("2999-12-31");
    let (_, out, _) =
        run(&[os("eval"), demo().as_os_str(), os("--format"), os("json"), os("--suppressions"), file.as_os_str()]);
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["findings"].as_array().unwrap().len(), 6, "REG-001 and REG-004 on contosobuildacr are hidden");
    assert_eq!(r["triage"]["suppressed"].as_array().unwrap().len(), 2);

    write("2001-01-31");
    let (code, out, err) =
        run(&[os("eval"), demo().as_os_str(), os("--format"), os("json"), os("--suppressions"), file.as_os_str()]);
    assert_eq!(code, 1);
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["findings"].as_array().unwrap().len(), 8, "expired suppressions stop suppressing");
    let noted: Vec<&Value> = r["findings"].as_array().unwrap().iter().filter(|f| f["note"].is_string()).collect();
    assert_eq!(noted.len(), 2);
    assert!(noted[0]["note"]
        .as_str()
        .unwrap()
        .contains("suppression expired on 2001-01-31: Build registry being decommissioned"));
    assert_eq!(r["triage"]["expired"].as_array().unwrap().len(), 2);
    assert!(err.contains("expired on 2001-01-31"), "{err}");
    assert_valid(&path("docs/report.schema.json"), &r);
}

#[test]
fn a_suppression_without_reason_or_date_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.yaml");
    std::fs::write(&file, "suppressions:\n  - rule: ACR-REG-001\n    expires: 2030-01-01\n").unwrap();
    let (code, _, err) = run(&[os("eval"), demo().as_os_str(), os("--suppressions"), file.as_os_str()]);
    assert_eq!(code, 2);
    assert!(err.contains("suppressions[0] (rule ACR-REG-001): `reason` is required"), "{err}");
    std::fs::write(&file, "suppressions:\n  - rule: ACR-REG-001\n    reason: x\n    expires: next year\n").unwrap();
    let (code, _, err) = run(&[os("eval"), demo().as_os_str(), os("--suppressions"), file.as_os_str()]);
    assert_eq!(code, 2);
    assert!(err.contains("is not a YYYY-MM-DD date"), "{err}");
}

#[test]
fn diff_names_the_nsg_rule_change_and_the_findings_it_caused() {
    let dir = tempfile::tempdir().unwrap();
    let changed = tightened_nsg(dir.path());
    let clean = path("fixtures/demo/snapshot-clean.json");
    let (code, text, _) = run(&[os("diff"), clean.as_os_str(), changed.as_os_str()]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("Configuration changes (1)"), "{text}");
    assert!(text.contains("nsg-aks-nodes: properties.securityRules[DenyInternetOutbound].properties.destinationAddressPrefix \"Internet\" → \"*\""), "{text}");
    assert!(text.contains("HIGH ACR-NET-002 on nsg-aks-nodes"), "{text}");
    assert!(text.contains("caused by [1] nsg-aks-nodes"), "{text}");
    let (_, out, _) = run(&[os("diff"), clean.as_os_str(), changed.as_os_str(), os("--format"), os("json")]);
    let d: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(d["changes"][0]["old"], "Internet");
    assert_eq!(d["changes"][0]["new"], "*");
    assert_eq!(d["appeared"].as_array().unwrap().len(), 2);
    assert!(d["appeared"].as_array().unwrap().iter().all(|a| a["caused_by"] == json!([0])));
    assert_eq!(d["resolved"].as_array().unwrap().len(), 0);
    // And back again: the findings are resolved.
    let (code, text, _) = run(&[os("diff"), changed.as_os_str(), clean.as_os_str()]);
    assert_eq!(code, 0);
    assert!(text.contains("Findings resolved (2)"), "{text}");
}

/// How many rules the catalogue has, as `rules list` reports them (so these tests follow the catalogue).
fn catalogue_size() -> usize {
    let out = acr_audit().args(["rules", "list", "--format", "json"]).output().unwrap();
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    rules.as_array().map(Vec::len).unwrap_or(0)
}
