//! `acr-audit rules list | show | test`: the built-in catalogue, and honest pass/fail of Rego tests.

use super::common;
use common::*;

#[test]
fn builtin_rule_tests_pass() {
    let out = acr_audit().args(["rules", "test"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("PASS data.acr_audit.registry.acr_reg_001_test.test_fires_when_disabled_without_connections"));
    assert!(!text.contains("FAIL"), "{text}");
}

#[test]
fn a_broken_rego_test_is_reported_as_failed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken_test.rego"),
        "package user.broken_test\n\nimport data.acr_audit.registry.acr_reg_001 as check\nimport rego.v1\n\n# Wrong on purpose: a Disabled registry with no connection fires, so this expectation is false.\ntest_expects_silence_wrongly if {\n\tres := check.deny with input as {\"registries\": [{\"id\": \"/r\", \"name\": \"r\", \"public_network_access\": \"Disabled\", \"private_endpoint_connections\": []}]}\n\tres == set()\n}\n\ntest_erroring if {\n\tto_number(\"not a number\") == 1\n}\n",
    )
    .unwrap();
    let out = acr_audit().args(["rules", "test"]).arg(dir.path()).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("FAIL data.user.broken_test.test_expects_silence_wrongly"), "{text}");
    assert!(text.contains("FAIL data.user.broken_test.test_erroring"), "{text}");
    assert!(text.contains("2 failed"), "{text}");
}

#[test]
fn list_and_show_come_from_metadata() {
    let out = acr_audit().args(["rules", "list", "--format", "json"]).output().unwrap();
    assert!(out.status.success());
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = rules.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    for id in ["ACR-REG-001", "ACR-REG-004", "ACR-NET-006"] {
        assert!(ids.contains(&id), "{ids:?}");
    }
    let out = acr_audit().args(["rules", "show", "acr-net-006"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("ACR-NET-006 · high"), "{text}");
    assert!(text.contains("Symptoms:") && text.contains("i/o timeout"), "{text}");
    assert!(text.contains("Remediation:") && text.contains("az network vnet peering"), "{text}");
}

#[test]
fn docs_rules_md_is_generated_from_the_metadata_and_up_to_date() {
    let out = acr_audit().args(["rules", "doc"]).output().unwrap();
    assert!(out.status.success());
    let generated = String::from_utf8(out.stdout).unwrap();
    let committed = std::fs::read_to_string(path("docs/rules.md")).unwrap();
    assert!(generated == committed, "docs/rules.md is out of date: run `cargo run -- rules doc > docs/rules.md`");
    assert!(generated.contains("## ACR-NET-006") && generated.contains("#### Symptoms"));
}

#[test]
fn the_catalogue_has_every_rule() {
    let out = acr_audit().args(["rules", "list", "--format", "json"]).output().unwrap();
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut ids: Vec<&str> = rules.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    ids.sort();
    let mut expected: Vec<String> = Vec::new();
    expected.extend((1..=10).map(|i| format!("ACR-REG-{i:03}")));
    expected.extend((1..=6).map(|i| format!("ACR-DNS-{i:03}")));
    expected.extend((1..=8).map(|i| format!("ACR-NET-{i:03}")));
    expected.extend((1..=4).map(|i| format!("ACR-IAM-{i:03}")));
    expected.extend((1..=2).map(|i| format!("ACR-FW-{i:03}")));
    expected.extend((1..=5).map(|i| format!("ACR-USE-{i:03}")));
    expected.push("ACR-META-001".into());
    expected.sort();
    assert_eq!(ids, expected);
    for r in rules.as_array().unwrap() {
        assert!(!r["symptoms"].as_array().unwrap().is_empty(), "{} has no symptoms", r["id"]);
        assert!(!r["remediation"].as_array().unwrap().is_empty(), "{} has no remediation", r["id"]);
        assert!(!r["references"].as_array().unwrap().is_empty(), "{} has no references", r["id"]);
        assert!(r["description"].as_str().unwrap().contains("## Why is this bad?"), "{}", r["id"]);
    }
}
