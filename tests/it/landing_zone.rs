//! Live scans of a three-subscription Azure landing zone (issue #11), end to end: the fake ARM serves the
//! corpus estate `tests/corpus/estates/20-landing-zone.json` (published example bodies, ids joined up) and the
//! real binary scans the application and shared subscriptions only. The connectivity subscription (hub VNet,
//! Azure Firewall with a policy inheriting a base policy, IP group, DNS Private Resolver, `privatelink.azurecr.io`)
//! is found from the spokes, as in an estate where the platform team owns it.
//!
//! Each variant changes one thing an operator gets wrong and checks the verdict the scan reports: allowed and
//! denied by policy rules (an inherited higher-priority deny collection, no matching rule), by classic rules (a
//! network rule on a service tag that does not cover a private endpoint), the registry firewall with and without
//! the firewall's public IP, the resolver's VNet linked or not, the firewall's DNS proxy on and off, an
//! on-premises DNS server, and the connectivity subscription unreadable.

use super::common::*;
use super::corpus::{assemble, load_estate};
use super::fake_arm::{FakeArm, Fault, Options};
use serde_json::{json, Value};

const ESTATE: &str = "20-landing-zone.json";
const CONN: &str = "5c0e7a1d-2b3c-4d5e-8f90-a1b2c3d4e5f6";
const APP: &str = "7a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d";
const SHARED: &str = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
/// The hub firewall's private address (the spokes' next hop) and public address (its SNAT address).
const FIREWALL_IP: &str = "10.0.1.4";
const FIREWALL_PUBLIC_IP: &str = "40.85.154.247";

fn conn(rest: &str) -> String {
    format!("/subscriptions/{CONN}/resourceGroups/rg-connectivity/providers/Microsoft.Network/{rest}")
}
fn registry() -> String {
    format!("/subscriptions/{SHARED}/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/acrsharedplatform")
}
fn spoke() -> String {
    format!("/subscriptions/{APP}/resourceGroups/rg-aks/providers/Microsoft.Network/virtualNetworks/vnet-spoke-aks")
}

/// The landing zone as a snapshot the fake ARM serves, with the three subscriptions it holds.
fn landing_zone() -> Value {
    let mut s = assemble(ESTATE, &load_estate(ESTATE));
    s["metadata"]["subscriptions"] = json!([
        {"subscriptionId": CONN, "displayName": "connectivity", "state": "Enabled"},
        {"subscriptionId": APP, "displayName": "corp-app1", "state": "Enabled"},
        {"subscriptionId": SHARED, "displayName": "shared-services", "state": "Enabled"},
    ]);
    s
}

/// Drop the children of type `kind` whose id contains `part`.
fn drop_children(s: &mut Value, kind: &str, part: &str) {
    for c in s["children"][kind].as_array_mut().into_iter().flatten() {
        c["value"].as_array_mut().unwrap().retain(|v| !v["id"].as_str().unwrap_or("").contains(part));
    }
}

const RCG: &str = "Microsoft.Network/firewallPolicies/ruleCollectionGroups";

fn rcg_aks_egress() -> String {
    conn("firewallPolicies/afwp-hub/ruleCollectionGroups/rcg-aks-egress")
}

/// A scan of the two landing zone subscriptions: exit code, JSON report, stderr.
struct Scan {
    code: i32,
    report: Value,
    stderr: String,
}

impl Scan {
    fn rules(&self) -> Vec<(String, String, String)> {
        self.report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap_or("").to_string(),
                    f["severity"].as_str().unwrap_or("").to_string(),
                    f["message"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    }
    fn fired(&self, rule: &str) -> Vec<String> {
        self.rules().into_iter().filter(|(r, _, _)| r == rule).map(|(_, _, m)| m).collect()
    }
    fn highs(&self) -> Vec<String> {
        self.rules().into_iter().filter(|(_, s, _)| s == "high").map(|(r, _, m)| format!("{r}: {m}")).collect()
    }
}

fn scan(estate: &Value, faults: Vec<Fault>) -> Scan {
    let fake = FakeArm::start(estate, Options { faults, ..Options::default() });
    let out = acr_audit_on(&fake)
        .args(["scan", "--subscription", APP, "--subscription", SHARED, "--format", "json", "--fail-on", "high"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let report =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("no JSON report ({e}); stderr: {stderr}"));
    Scan { code: out.status.code().unwrap_or(-1), report, stderr }
}

#[test]
fn the_landing_zone_pulls_through_the_hub_firewall_and_resolver_with_no_finding() {
    let run = scan(&landing_zone(), vec![]);
    assert_eq!(run.code, 0, "{:?}\nstderr: {}", run.rules(), run.stderr);
    // The cluster pulls as a service principal (the published cluster body), whose object id ARM does not give:
    // the one finding is the medium reminder to check it against the (empty) role assignments.
    let rules: Vec<String> = run.rules().into_iter().map(|(r, _, _)| r).collect();
    assert_eq!(rules, vec!["ACR-IAM-002".to_string()], "{:?}", run.rules());
}

#[test]
fn an_inherited_higher_priority_deny_collection_is_named_by_acr_fw_001() {
    let mut s = landing_zone();
    // The platform base policy's deny (priority 100, met before the hub policy's allow) now covers the spokes.
    let group = conn("firewallPolicies/afwp-platform-base/ruleCollectionGroups/rcg-platform");
    child_mut(&mut s, RCG, &group)["properties"]["ruleCollections"][0]["rules"][0]["sourceAddresses"] =
        json!(["10.1.0.0/16"]);
    let run = scan(&s, vec![]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let fw = run.fired("ACR-FW-001");
    assert!(!fw.is_empty(), "{:?}", run.rules());
    assert!(fw.iter().all(|m| m.contains("network-rule1") && m.contains("afw-hub")), "{fw:?}");
    assert!(run.fired("ACR-NET-005").is_empty(), "the endpoint is reachable past the firewall: {:?}", run.rules());
}

#[test]
fn a_policy_with_no_rule_for_the_registry_denies_by_default() {
    let mut s = landing_zone();
    child_mut(&mut s, RCG, &rcg_aks_egress())["properties"]["ruleCollections"] = json!([]);
    let run = scan(&s, vec![]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let fw = run.fired("ACR-FW-001");
    assert!(fw.iter().any(|m| m.contains("acrsharedplatform.azurecr.io")), "{fw:?}");
    assert!(fw.iter().all(|m| m.to_ascii_lowercase().contains("no rule matched")), "{fw:?}");
}

#[test]
fn the_application_rule_alone_lets_the_private_endpoint_through() {
    // Without the network rule, the application rule for the registry's names still matches (by SNI, whatever
    // the destination address): the pull works.
    let mut s = landing_zone();
    let collections =
        child_mut(&mut s, RCG, &rcg_aks_egress())["properties"]["ruleCollections"].as_array_mut().unwrap();
    collections.retain(|c| c["name"] != "allow-acr-private-endpoint");
    let run = scan(&s, vec![]);
    assert!(run.highs().is_empty(), "{:?}", run.highs());
}

#[test]
fn classic_rules_allow_by_address_deny_without_a_match_and_stay_unknown_on_an_unknown_tag() {
    let classic = |destination: &str| {
        let mut s = landing_zone();
        let fw = resource_mut(&mut s, "Microsoft.Network/azureFirewalls", &conn("azureFirewalls/afw-hub"));
        fw["properties"].as_object_mut().unwrap().remove("firewallPolicy");
        fw["properties"]["networkRuleCollections"] = json!([{
            "name": "acr", "id": format!("{}/networkRuleCollections/acr", conn("azureFirewalls/afw-hub")),
            "properties": {"priority": 200, "action": {"type": "Allow"}, "rules": [{
                "name": "registry", "protocols": ["TCP"], "sourceAddresses": ["10.1.0.0/16"],
                "destinationAddresses": [destination], "destinationPorts": ["443"]}]}}]);
        s
    };
    let run = scan(&classic("10.2.1.0/24"), vec![]);
    assert!(run.highs().is_empty(), "{:?}", run.highs());
    let run = scan(&classic("10.3.0.0/16"), vec![]);
    let fw = run.fired("ACR-FW-001");
    assert!(fw.iter().any(|m| m.to_ascii_lowercase().contains("no rule matched")), "{:?}", run.rules());
    // The published Service Tags list has no AzureContainerRegistry tag: the rule cannot be evaluated, so the
    // firewall's verdict is unknown (ACR-NET-004, info), never a denial.
    let run = scan(&classic("AzureContainerRegistry"), vec![]);
    assert!(run.highs().is_empty(), "{:?}", run.highs());
    assert!(!run.fired("ACR-NET-004").is_empty(), "{:?}", run.rules());
}

/// The registry without its private endpoint, public but limited to selected networks: the pull leaves through
/// the hub firewall, so the registry firewall must allow the firewall's public IP. The registry is placed in
/// East US and the snapshot's Service Tags are the demo's (AzureContainerRegistry.EastUS, Storage.EastUS), which
/// the published list lacks, so the public destinations can be routed.
fn public_registry(ip_rule: &str) -> Value {
    let mut s = landing_zone();
    let reg = resource_mut(&mut s, "Microsoft.ContainerRegistry/registries", &registry());
    reg["location"] = json!("eastus");
    reg["properties"]["privateEndpointConnections"] = json!([]);
    reg["properties"]["publicNetworkAccess"] = json!("Enabled");
    reg["properties"]["networkRuleSet"] =
        json!({"defaultAction": "Deny", "ipRules": [{"action": "Allow", "value": ip_rule}]});
    s["resources"]["Microsoft.Network/privateEndpoints"] = json!([]);
    drop_children(&mut s, "Microsoft.Network/privateDnsZones/A", "/A/acrsharedplatform");
    s["serviceTags"] = read_json(&path("fixtures/demo/snapshot.json"))["serviceTags"].clone();
    s
}

#[test]
fn the_registry_firewall_judges_the_hub_firewalls_public_ip() {
    let run = scan(&public_registry(FIREWALL_PUBLIC_IP), vec![]);
    assert!(run.highs().is_empty(), "{:?}", run.highs());
    let run = scan(&public_registry("203.0.113.0/24"), vec![]);
    let reg = run.fired("ACR-REG-002");
    assert!(reg.iter().any(|m| m.contains(FIREWALL_PUBLIC_IP)), "{:?}", run.rules());
}

#[test]
fn a_resolver_vnet_not_linked_to_the_zone_resolves_publicly_and_acr_dns_005_names_the_hop() {
    let mut s = landing_zone();
    drop_children(&mut s, "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "link-vnet-hub");
    let run = scan(&s, vec![]);
    let dns = run.fired("ACR-DNS-005");
    assert!(!dns.is_empty(), "{:?}", run.rules());
    assert!(dns.iter().any(|m| m.contains("vnet-hub")), "names the resolver's VNet: {dns:?}");
}

#[test]
fn the_firewall_as_dns_server_resolves_with_its_proxy_on_and_nothing_answers_with_it_off() {
    let firewall_dns = |proxy: bool| {
        let mut s = landing_zone();
        resource_mut(&mut s, "Microsoft.Network/virtualNetworks", &spoke())["properties"]["dhcpOptions"]
            ["dnsServers"] = json!([FIREWALL_IP]);
        resource_mut(&mut s, "Microsoft.Network/firewallPolicies", &conn("firewallPolicies/afwp-hub"))["properties"]
            ["dnsSettings"]["enableProxy"] = json!(proxy);
        s
    };
    let run = scan(&firewall_dns(true), vec![]);
    assert!(run.highs().is_empty(), "{:?}", run.highs());
    let run = scan(&firewall_dns(false), vec![]);
    assert!(!run.fired("ACR-DNS-006").is_empty(), "{:?}", run.rules());
}

#[test]
fn an_on_premises_dns_server_is_unknown_not_a_high_finding() {
    let mut s = landing_zone();
    resource_mut(&mut s, "Microsoft.Network/virtualNetworks", &spoke())["properties"]["dhcpOptions"]["dnsServers"] =
        json!(["192.168.100.10"]);
    let run = scan(&s, vec![]);
    assert!(run.highs().is_empty(), "{:?}", run.highs());
    assert!(!run.fired("ACR-DNS-004").is_empty(), "{:?}", run.rules());
}

#[test]
fn an_unreadable_connectivity_subscription_is_reported_and_fires_no_high_finding() {
    let faults = vec![Fault::status(&format!("/subscriptions/{CONN}/"), 403, "AuthorizationFailed", 10_000)];
    let run = scan(&landing_zone(), faults);
    assert!(run.highs().is_empty(), "{:?}", run.highs());
    assert!(!run.fired("ACR-META-001").is_empty(), "{:?}", run.rules());
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
}

#[test]
fn tls_inspection_on_the_deciding_rule_is_an_info_finding() {
    let mut s = landing_zone();
    let collections =
        child_mut(&mut s, RCG, &rcg_aks_egress())["properties"]["ruleCollections"].as_array_mut().unwrap();
    collections.retain(|c| c["name"] != "allow-acr-private-endpoint");
    collections[0]["rules"][0]["terminateTLS"] = json!(true);
    let run = scan(&s, vec![]);
    assert!(run.highs().is_empty(), "{:?}", run.highs());
    assert!(!run.fired("ACR-FW-002").is_empty(), "{:?}", run.rules());
}

#[test]
fn a_classic_network_rule_on_service_tags_allows_the_public_endpoints_it_covers() {
    // The public registry behind the hub firewall, which has classic rules only: a network rule on the regional
    // AzureContainerRegistry and Storage tags (the demo's Service Tags) covers the login and storage endpoints.
    let classic = |tags: &[&str]| {
        let mut s = public_registry(FIREWALL_PUBLIC_IP);
        let fw = resource_mut(&mut s, "Microsoft.Network/azureFirewalls", &conn("azureFirewalls/afw-hub"));
        fw["properties"].as_object_mut().unwrap().remove("firewallPolicy");
        fw["properties"]["networkRuleCollections"] = json!([{
            "name": "acr-tags", "id": format!("{}/networkRuleCollections/acr-tags", conn("azureFirewalls/afw-hub")),
            "properties": {"priority": 200, "action": {"type": "Allow"}, "rules": [{
                "name": "registry-tags", "protocols": ["TCP"], "sourceAddresses": ["10.1.0.0/16"],
                "destinationAddresses": tags, "destinationPorts": ["443"]}]}}]);
        s
    };
    let run = scan(&classic(&["AzureContainerRegistry.EastUS", "Storage.EastUS"]), vec![]);
    assert!(run.highs().is_empty(), "{:?}", run.highs());
    let run = scan(&classic(&["AzureContainerRegistry.EastUS"]), vec![]);
    let fw = run.fired("ACR-FW-001");
    assert!(fw.iter().any(|m| m.contains("blob.core.windows.net")), "storage is not covered: {:?}", run.rules());
    assert!(!fw.iter().any(|m| m.contains("acrsharedplatform.azurecr.io")), "login is covered: {fw:?}");
}
