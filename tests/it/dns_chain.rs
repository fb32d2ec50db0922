//! Custom DNS chains through the binary: the `dns-hub` estate (the clean demo plus a connectivity VNet with a
//! DNS Private Resolver, an Azure Firewall whose policy turns the DNS proxy on, the privatelink zone linked to
//! it, and the AKS spoke naming the resolver's inbound endpoint as its DNS server), changed one cause at a time,
//! evaluated with `eval` and followed with `trace` in every format.

use super::common;
use acr_audit::rules::fixture::Estates;
use common::*;
use serde_json::{json, Value};

const SUB: &str = "/subscriptions/3f2b8c1e-7d4a-4e59-9b6f-0c1d2e3f4a5b";
const ZONE: &str = "/subscriptions/3f2b8c1e-7d4a-4e59-9b6f-0c1d2e3f4a5b/resourceGroups/rg-hub-eastus/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io";
const SPOKE: &str = "/subscriptions/3f2b8c1e-7d4a-4e59-9b6f-0c1d2e3f4a5b/resourceGroups/rg-aks-prod-eastus/providers/Microsoft.Network/virtualNetworks/vnet-aks-prod-eastus";

fn estate() -> Value {
    Estates::in_repository(&root()).estate("dns-hub").expect("dns-hub estate")
}

fn hub() -> String {
    format!("{SUB}/resourceGroups/rg-connectivity-eastus/providers/Microsoft.Network/virtualNetworks/vnet-connectivity-eastus")
}

fn spoke_servers(s: &mut Value, servers: &[&str]) {
    let vnets = s["resources"]["Microsoft.Network/virtualNetworks"].as_array_mut().unwrap();
    vnets.iter_mut().find(|v| v["id"] == SPOKE).unwrap()["properties"]["dhcpOptions"]["dnsServers"] = json!(servers);
}

fn unlink_hub(s: &mut Value) {
    for c in s["children"]["Microsoft.Network/privateDnsZones/virtualNetworkLinks"].as_array_mut().unwrap() {
        c["value"].as_array_mut().unwrap().retain(|l| !l["name"].as_str().unwrap().contains("connectivity"));
    }
}

fn proxy(s: &mut Value, on: bool) {
    s["resources"]["Microsoft.Network/firewallPolicies"][0]["properties"]["dnsSettings"]["enableProxy"] = json!(on);
}

/// Write `s` to a temporary snapshot and run `eval` on it.
fn eval(s: &Value) -> (i32, Value) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("snapshot.json");
    std::fs::write(&file, serde_json::to_vec_pretty(s).unwrap()).unwrap();
    eval_json(&file, &[])
}

fn trace(s: &Value, format: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("snapshot.json");
    std::fs::write(&file, serde_json::to_vec_pretty(s).unwrap()).unwrap();
    let out = acr_audit()
        .arg("trace")
        .arg(&file)
        .args(["--client", "aks-prod-eastus", "--registry", "contosoprodacr", "--format", format])
        .output()
        .unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap())
}

fn dns_findings(report: &Value) -> Vec<(String, String)> {
    let mut out: Vec<_> = finding_keys(report).into_iter().filter(|(r, _)| r.starts_with("ACR-DNS")).collect();
    out.sort();
    out.dedup();
    out
}

fn finding<'a>(report: &'a Value, rule: &str) -> &'a Value {
    report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == rule).unwrap_or_else(|| panic!("{rule}"))
}

#[test]
fn a_resolver_whose_vnet_is_linked_resolves_privately_and_no_dns_rule_fires() {
    let (_, report) = eval(&estate());
    assert_eq!(dns_findings(&report), vec![]);
}

#[test]
fn a_resolver_whose_vnet_is_not_linked_fires_dns_005_naming_the_hop_and_the_link_to_add() {
    let mut s = estate();
    unlink_hub(&mut s);
    let (code, report) = eval(&s);
    assert_eq!(code, 1);
    // The spoke itself is linked: ACR-DNS-002 (which would say "link the spoke") stays silent.
    assert_eq!(dns_findings(&report), vec![("ACR-DNS-005".to_string(), ZONE.to_string())]);
    let f = finding(&report, "ACR-DNS-005");
    let msg = f["message"].as_str().unwrap_or_else(|| f["msg"].as_str().unwrap());
    assert!(msg.contains("10.1.1.4 (resolver_inbound in-hub)"), "{msg}");
    assert!(msg.contains("Azure DNS in VNet vnet-connectivity-eastus"), "{msg}");
    let fix = f.to_string();
    assert!(fix.contains(&format!("--virtual-network {}", hub())), "{fix}");
}

#[test]
fn a_firewall_without_dns_proxy_fires_dns_006_and_blocks_at_dns() {
    let mut s = estate();
    spoke_servers(&mut s, &["10.1.0.4"]);
    proxy(&mut s, false);
    let (code, report) = eval(&s);
    assert_eq!(code, 1);
    assert_eq!(dns_findings(&report), vec![("ACR-DNS-006".to_string(), SPOKE.to_string())]);
    assert!(finding(&report, "ACR-DNS-006").to_string().contains("--enable-dns-proxy true"));

    proxy(&mut s, true);
    let (_, report) = eval(&s);
    assert_eq!(dns_findings(&report), vec![], "proxy on: Azure DNS in the hub, which is linked");
}

#[test]
fn an_on_premises_dns_server_stays_info_and_nothing_higher() {
    let mut s = estate();
    spoke_servers(&mut s, &["192.168.10.4"]);
    let (_, report) = eval(&s);
    assert_eq!(dns_findings(&report), vec![("ACR-DNS-004".to_string(), SPOKE.to_string())]);
}

#[test]
fn an_unreadable_connectivity_subscription_leaves_the_chain_unknown_not_absent() {
    let mut s = estate();
    // The resolver's subscription could not be read: its resolvers and endpoints are missing, with an error.
    s["resources"]["Microsoft.Network/dnsResolvers"] = json!([]);
    s["children"]["Microsoft.Network/dnsResolvers/inboundEndpoints"] = json!([]);
    s["errors"] = json!([{"scope": SUB, "resourceType": "Microsoft.Network/dnsResolvers", "status": 403,
        "code": "AuthorizationFailed", "message": "The client does not have authorization"}]);
    let (_, report) = eval(&s);
    let dns = dns_findings(&report);
    assert!(!dns.iter().any(|(r, _)| r == "ACR-DNS-006" || r == "ACR-DNS-005"), "{dns:?}");
    assert!(finding_keys(&report).iter().any(|(r, _)| r == "ACR-META-001"));
}

#[test]
fn trace_prints_the_chain_in_text_json_and_mermaid() {
    let mut s = estate();
    spoke_servers(&mut s, &["10.1.0.4"]);
    s["resources"]["Microsoft.Network/firewallPolicies"][0]["properties"]["dnsSettings"]["servers"] =
        json!(["10.1.1.4"]);
    let (code, text) = trace(&s, "text");
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("chain from 10.1.0.4:"), "{text}");
    assert!(text.contains("10.1.0.4 firewall_proxy fw-dns-eastus (settings of fwpol-dns-eastus)"), "{text}");
    assert!(
        text.contains("10.1.1.4 resolver_inbound in-hub (settings of dnspr-hub-eastus) in VNet vnet-connectivity-eastus: zone privatelink.azurecr.io via link link-connectivity"),
        "{text}"
    );
    let (_, json) = trace(&s, "json");
    let v: Value = serde_json::from_str(&json).unwrap();
    let chain = &v["paths"][0]["dns"]["chains"][0];
    assert_eq!(chain["hops"][0]["responder"], "firewall_proxy");
    assert_eq!(chain["hops"][1]["responder"], "resolver_inbound");
    assert_eq!(chain["resolved_in"], hub());
    let (_, mermaid) = trace(&s, "mermaid");
    assert!(mermaid.contains("DNS: private; 10.1.0.4 firewall_proxy to 10.1.1.4 resolver_inbound"), "{mermaid}");
}

#[test]
fn trace_escapes_azure_text_in_the_chain() {
    let mut s = estate();
    unlink_hub(&mut s);
    let evil = "in-hub\u{1b}[31m\"<b>#x";
    let endpoints = &mut s["children"]["Microsoft.Network/dnsResolvers/inboundEndpoints"][0]["value"][0];
    let id = endpoints["id"].as_str().unwrap().replace("in-hub", evil);
    endpoints["id"] = json!(id);
    s["resources"]["Microsoft.Network/firewallPolicies"][0]["properties"]["dnsSettings"]["servers"] = json!([]);
    let (_, text) = trace(&s, "text");
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(text.contains("resolver_inbound in-hub"), "{text}");
    let (_, mermaid) = trace(&s, "mermaid");
    assert!(!mermaid.contains('\u{1b}') && !mermaid.contains("<b>"), "{mermaid}");
}
