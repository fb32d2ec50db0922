//! `acr-audit rules list | show | test`: the built-in catalogue, and honest pass/fail of Rego tests.

mod common;
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
