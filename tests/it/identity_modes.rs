//! Identity semantics end to end (issue #10, item 9), through `eval` on the healthy demo estate with one thing
//! changed: the registry's role assignment mode, the role held, an ABAC condition, a grant to a group.

use super::common;
use common::*;
use serde_json::Value;

const PROD: &str =
    "/subscriptions/3f2b8c1e-7d4a-4e59-9b6f-0c1d2e3f4a5b/resourceGroups/rg-hub-eastus/providers/Microsoft.ContainerRegistry/registries/contosoprodacr";
const KUBELET: &str = "6d2f1a3b-9c8e-4b7d-a5f0-1e2d3c4b5a69";
const GROUP: &str = "0a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9";
const REPOSITORY_READER: &str = "b93aa761-3e63-49ed-ac28-beffa264f7ac";

/// The healthy demo with `change` applied to (the prod registry, the kubelet's assignment properties).
fn estate(change: impl FnOnce(&mut Value, &mut Value)) -> Value {
    let mut snapshot = read_json(&path("fixtures/demo/snapshot-clean.json"));
    let mut registry = Value::Null;
    let mut assignment = Value::Null;
    {
        let registries = snapshot["resources"]["Microsoft.ContainerRegistry/registries"].as_array_mut().unwrap();
        let r = registries.iter_mut().find(|r| r["id"] == PROD).unwrap();
        std::mem::swap(&mut registry, r);
    }
    {
        let lists = snapshot["children"]["Microsoft.Authorization/roleAssignments"].as_array_mut().unwrap();
        let list = lists.iter_mut().find(|c| c["parentId"] == PROD).unwrap();
        let a = list["value"].as_array_mut().unwrap().iter_mut().find(|a| a["properties"]["principalId"] == KUBELET);
        std::mem::swap(&mut assignment, a.unwrap());
    }
    change(&mut registry, &mut assignment["properties"]);
    let registries = snapshot["resources"]["Microsoft.ContainerRegistry/registries"].as_array_mut().unwrap();
    *registries.iter_mut().find(|r| r.is_null()).unwrap() = registry;
    let lists = snapshot["children"]["Microsoft.Authorization/roleAssignments"].as_array_mut().unwrap();
    let list = lists.iter_mut().find(|c| c["parentId"] == PROD).unwrap();
    *list["value"].as_array_mut().unwrap().iter_mut().find(|a| a.is_null()).unwrap() = assignment;
    snapshot
}

fn role(guid: &str) -> String {
    format!(
        "/subscriptions/3f2b8c1e-7d4a-4e59-9b6f-0c1d2e3f4a5b/providers/Microsoft.Authorization/roleDefinitions/{guid}"
    )
}

/// `eval` of the estate for the prod pair; the findings of identity rules as (rule, message).
fn identity_findings(snapshot: &Value) -> Vec<(String, String)> {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let file = std::env::temp_dir().join(format!("acr-audit-identity-{}-{n}.json", std::process::id()));
    std::fs::write(&file, serde_json::to_vec(snapshot).unwrap()).unwrap();
    let (_, report) =
        eval_json(&file, &["--client", "aks-prod-eastus", "--registry", "contosoprodacr", "--fail-on", "none"]);
    std::fs::remove_file(&file).ok();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("ACR-IAM-00"))
        .filter(|f| f["rule"] != "ACR-IAM-003")
        .map(|f| (f["rule"].as_str().unwrap().to_string(), f["message"].as_str().unwrap().to_string()))
        .collect()
}

fn rules(findings: &[(String, String)]) -> Vec<&str> {
    findings.iter().map(|(r, _)| r.as_str()).collect()
}

#[test]
fn abac_mode_does_not_honour_acrpull_and_says_which_role_to_assign() {
    let findings =
        identity_findings(&estate(|r, _| r["properties"]["roleAssignmentMode"] = "AbacRepositoryPermissions".into()));
    assert_eq!(rules(&findings), ["ACR-IAM-001"], "{findings:?}");
    let message = &findings[0].1;
    assert!(message.contains("AbacRepositoryPermissions"), "{message}");
    assert!(message.contains("roles held there: AcrPull"), "{message}");
    assert!(message.ends_with("assign Container Registry Repository Reader"), "{message}");
}

#[test]
fn the_repository_reader_role_grants_pull_in_abac_mode_only() {
    let abac = estate(|r, a| {
        r["properties"]["roleAssignmentMode"] = "AbacRepositoryPermissions".into();
        a["roleDefinitionId"] = role(REPOSITORY_READER).into();
    });
    assert!(identity_findings(&abac).is_empty(), "{:?}", identity_findings(&abac));
    let legacy = estate(|r, a| {
        r["properties"]["roleAssignmentMode"] = "LegacyRegistryPermissions".into();
        a["roleDefinitionId"] = role(REPOSITORY_READER).into();
    });
    let findings = identity_findings(&legacy);
    assert_eq!(rules(&findings), ["ACR-IAM-001"], "{findings:?}");
    assert!(findings[0].1.ends_with("assign AcrPull"), "{findings:?}");
}

#[test]
fn a_conditioned_grant_is_conditional_not_a_missing_pull() {
    let condition = "((!(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/content/read'})) OR (@Request[Microsoft.ContainerRegistry/registries/repositories:name] StringStartsWithIgnoreCase 'team-a/'))";
    let snapshot = estate(|r, a| {
        r["properties"]["roleAssignmentMode"] = "AbacRepositoryPermissions".into();
        a["roleDefinitionId"] = role(REPOSITORY_READER).into();
        a["condition"] = condition.into();
        a["conditionVersion"] = "2.0".into();
    });
    assert!(identity_findings(&snapshot).is_empty());
    let file = std::env::temp_dir().join(format!("acr-audit-conditional-{}.json", std::process::id()));
    std::fs::write(&file, serde_json::to_vec(&snapshot).unwrap()).unwrap();
    let out = acr_audit()
        .arg("trace")
        .arg(&file)
        .args(["--client", "aks-prod-eastus", "--registry", "contosoprodacr", "--format", "json"])
        .output()
        .unwrap();
    std::fs::remove_file(&file).ok();
    let trace: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(trace["pair"]["rbac"]["grants_pull"], "conditional");
    assert_eq!(trace["pair"]["rbac"]["grants"][0]["condition"], condition);
}

#[test]
fn a_grant_to_a_group_is_unknown_with_an_info_finding_naming_the_group() {
    let snapshot = estate(|_, a| {
        a["principalId"] = GROUP.into();
        a["principalType"] = "Group".into();
    });
    let findings = identity_findings(&snapshot);
    assert_eq!(rules(&findings), ["ACR-IAM-004"], "no 'missing pull' for a group grant: {findings:?}");
    let message = &findings[0].1;
    assert!(message.contains(GROUP), "{message}");
    assert!(
        message.contains(&format!("`az ad group member check --group {GROUP} --member-id {KUBELET}`")),
        "{message}"
    );
}
