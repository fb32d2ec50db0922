//! The hub Azure Firewall on the demo's `userDefinedRouting` cluster, through the binary: denied by no rule, by a
//! base policy's deny collection, allowed by an application rule (then the registry firewall judges the
//! firewall's public IP), an unreadable IP group (unknown, never deny), and a classic-rules firewall.

use super::common;
use common::*;
use serde_json::{json, Value};

const HUB_POLICY: &str = "/subscriptions/3f2b8c1e-7d4a-4e59-9b6f-0c1d2e3f4a5b/resourceGroups/rg-hub-eastus/providers/Microsoft.Network/firewallPolicies/afwp-hub-eastus";
const BASE_POLICY: &str = "/subscriptions/3f2b8c1e-7d4a-4e59-9b6f-0c1d2e3f4a5b/resourceGroups/rg-hub-eastus/providers/Microsoft.Network/firewallPolicies/afwp-platform-base";
const ACR: &str = "/subscriptions/3f2b8c1e-7d4a-4e59-9b6f-0c1d2e3f4a5b/resourceGroups/rg-hub-eastus/providers/Microsoft.ContainerRegistry/registries/contosoprodacr";

fn demo() -> Value {
    read_json(&path("fixtures/demo/snapshot.json"))
}

/// The rule collection groups (children) of a policy.
fn groups_of<'a>(snap: &'a mut Value, policy: &str) -> &'a mut Vec<Value> {
    let lists = snap["children"]["Microsoft.Network/firewallPolicies/ruleCollectionGroups"].as_array_mut().unwrap();
    let list = lists.iter_mut().find(|l| l["parentId"] == policy).unwrap();
    list["value"].as_array_mut().unwrap()
}

fn app_collection(name: &str, priority: u32, action: &str, fqdns: &[&str], sources: Value) -> Value {
    json!({"ruleCollectionType": "FirewallPolicyFilterRuleCollection", "name": name, "priority": priority,
           "action": {"type": action}, "rules": [{"ruleType": "ApplicationRule", "name": format!("{name}-rule"),
           "protocols": [{"protocolType": "Https", "port": 443}], "targetFqdns": fqdns, "sourceAddresses": sources}]})
}

/// Allow `*.azurecr.io` from the AKS VNet in the hub policy's group.
fn allow_registries(snap: &mut Value) {
    let groups = groups_of(snap, HUB_POLICY);
    groups[0]["properties"]["ruleCollections"].as_array_mut().unwrap().push(app_collection(
        "registries",
        300,
        "Allow",
        &["*.azurecr.io"],
        json!(["10.10.0.0/16"]),
    ));
}

fn write(dir: &tempfile::TempDir, snap: &Value) -> std::path::PathBuf {
    let file = dir.path().join("snapshot.json");
    std::fs::write(&file, serde_json::to_vec(snap).unwrap()).unwrap();
    file
}

fn findings(report: &Value, rule: &str) -> Vec<Value> {
    report["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == rule).cloned().collect()
}

fn trace_json(file: &std::path::Path) -> Value {
    let out = acr_audit()
        .args(["trace", "--client", "aks-prod-eastus", "--registry", "contosoprodacr", "--format", "json"])
        .arg(file)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn no_rule_for_the_registry_is_a_deny_naming_the_policy_and_the_fix() {
    let (_, report) = eval_json(&path("fixtures/demo/snapshot.json"), &[]);
    let fw = findings(&report, "ACR-FW-001");
    assert_eq!(fw.len(), 2, "login and data endpoint: {fw:#?}");
    assert!(fw.iter().all(|f| f["resource"] == HUB_POLICY));
    let msg = fw[0]["message"].as_str().unwrap();
    assert!(msg.contains("afw-hub-eastus") && msg.contains("no rule matched"), "{msg}");
    let fix = fw[0]["remediation"].to_string();
    assert!(fix.contains("--rcg-name rcg-aks-egress") && fix.contains("--policy-name afwp-hub-eastus"), "{fix}");
    assert!(findings(&report, "ACR-NET-004").is_empty(), "the firewall was evaluated");
}

#[test]
fn a_base_policy_deny_wins_over_the_child_allow() {
    let mut snap = demo();
    allow_registries(&mut snap);
    let groups = groups_of(&mut snap, BASE_POLICY);
    // Lowest priority in the base policy: it still comes before every collection of the child.
    groups[0]["properties"]["ruleCollections"].as_array_mut().unwrap().push(app_collection(
        "no-registries",
        65000,
        "Deny",
        &["*.azurecr.io"],
        json!(["*"]),
    ));
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, &snap);
    let (_, report) = eval_json(&file, &[]);
    let fw = findings(&report, "ACR-FW-001");
    assert!(!fw.is_empty());
    assert!(fw.iter().all(|f| f["resource"] == BASE_POLICY), "the fix belongs in the base policy: {fw:#?}");
    let msg = fw[0]["message"].as_str().unwrap();
    assert!(msg.contains("rule no-registries-rule in collection no-registries (priority 65000)"), "{msg}");
}

#[test]
fn allowed_through_the_firewall_the_registry_judges_the_firewall_public_ip() {
    let mut snap = demo();
    allow_registries(&mut snap);
    // A public registry restricted to selected networks that does not list the firewall's address.
    let regs = snap["resources"]["Microsoft.ContainerRegistry/registries"].as_array_mut().unwrap();
    let reg = regs.iter_mut().find(|r| r["id"] == ACR).unwrap();
    reg["properties"]["publicNetworkAccess"] = json!("Enabled");
    reg["properties"]["networkRuleSet"] =
        json!({"defaultAction": "Deny", "ipRules": [{"action": "Allow", "value": "52.1.2.3"}]});
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, &snap);
    let (_, report) = eval_json(&file, &[]);
    assert!(findings(&report, "ACR-FW-001").is_empty());
    let reg002 = findings(&report, "ACR-REG-002");
    assert_eq!(reg002.len(), 1, "{report:#}");
    assert!(reg002[0]["message"].as_str().unwrap().contains("20.85.20.10"), "{:#}", reg002[0]);
    let trace = trace_json(&file);
    let p = &trace["paths"][0];
    assert_eq!(p["azure_firewall"]["verdict"], "allow");
    assert_eq!(p["azure_firewall"]["deciding_rule"]["rule"], "registries-rule");
    assert_eq!(p["firewall"]["egress_ips"], json!(["20.85.20.10"]));
    assert!(p["firewall"]["reason"].as_str().unwrap().contains("through Azure Firewall afw-hub-eastus"), "{p:#}");
    assert_eq!(p["blocked_at"], "firewall");

    // With the firewall's address allowed, the userDefinedRouting cluster gets a real verdict: reachable.
    let regs = snap["resources"]["Microsoft.ContainerRegistry/registries"].as_array_mut().unwrap();
    let reg = regs.iter_mut().find(|r| r["id"] == ACR).unwrap();
    reg["properties"]["networkRuleSet"]["ipRules"] = json!([{"action": "Allow", "value": "20.85.20.0/24"}]);
    let file = write(&dir, &snap);
    let trace = trace_json(&file);
    assert_eq!(trace["paths"][0]["reachable"], "yes", "{:#}", trace["paths"][0]);
}

#[test]
fn an_unreadable_ip_group_makes_the_firewall_unknown_never_deny() {
    let mut snap = demo();
    let ipg = "/subscriptions/9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a/resourceGroups/rg-conn/providers/Microsoft.Network/ipGroups/ipg-aks";
    let groups = groups_of(&mut snap, HUB_POLICY);
    let collections = groups[0]["properties"]["ruleCollections"].as_array_mut().unwrap();
    collections.insert(
        0,
        json!({"ruleCollectionType": "FirewallPolicyFilterRuleCollection", "name": "by-group", "priority": 50,
               "action": {"type": "Allow"}, "rules": [{"ruleType": "ApplicationRule", "name": "acr-from-group",
               "protocols": [{"protocolType": "Https", "port": 443}], "targetFqdns": ["*.azurecr.io"], "sourceIpGroups": [ipg]}]}),
    );
    snap["errors"] = json!([{"scope": ipg, "resourceType": "Microsoft.Network/ipGroups", "code": "AuthorizationFailed",
        "status": 403, "message": "The client does not have authorization to perform action 'Microsoft.Network/ipGroups/read'"}]);
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, &snap);
    let (_, report) = eval_json(&file, &[]);
    assert!(findings(&report, "ACR-FW-001").is_empty(), "unknown is not deny");
    assert!(!findings(&report, "ACR-NET-004").is_empty(), "an unevaluable firewall stays an appliance note");
    let trace = trace_json(&file);
    let fw = &trace["paths"][0]["azure_firewall"];
    assert_eq!(fw["verdict"], "unknown");
    assert!(fw["cause"].as_str().unwrap().contains("could not be read"), "{fw:#}");
    assert_eq!(trace["paths"][0]["reachable"], "unknown");
}

#[test]
fn a_classic_firewall_with_a_network_rule_for_the_service_tag_allows() {
    let mut snap = demo();
    let fws = snap["resources"]["Microsoft.Network/azureFirewalls"].as_array_mut().unwrap();
    let props = &mut fws[0]["properties"];
    props.as_object_mut().unwrap().remove("firewallPolicy");
    props["networkRuleCollections"] = json!([{"name": "acr", "properties": {"priority": 100, "action": {"type": "Allow"},
        "rules": [{"name": "acr-eastus", "protocols": ["TCP"], "sourceAddresses": ["10.10.0.0/16"],
                   "destinationAddresses": ["AzureContainerRegistry.EastUS"], "destinationPorts": ["443"]}]}}]);
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, &snap);
    let trace = trace_json(&file);
    for p in trace["paths"].as_array().unwrap() {
        assert_eq!(p["azure_firewall"]["verdict"], "allow", "{p:#}");
        assert_eq!(p["azure_firewall"]["policy"], Value::Null);
        assert_eq!(p["azure_firewall"]["deciding_rule"]["kind"], "network");
    }
    let (_, report) = eval_json(&file, &[]);
    assert!(findings(&report, "ACR-FW-001").is_empty());
}

#[test]
fn text_and_mermaid_traces_escape_azure_names() {
    let mut snap = demo();
    let fws = snap["resources"]["Microsoft.Network/azureFirewalls"].as_array_mut().unwrap();
    fws[0]["name"] = json!("afw\u{1b}[31m\"]-->x");
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, &snap);
    for format in ["text", "mermaid"] {
        let out = acr_audit()
            .args(["trace", "--client", "aks-prod-eastus", "--registry", "contosoprodacr", "--format", format])
            .arg(&file)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains('\u{1b}'), "{format}: {text}");
        if format == "mermaid" {
            assert!(!text.contains("\"]-->x"), "{format}: {text}");
        }
    }
}
