//! Collection benchmark: a generated subscription (200 registries, 2,000 VNets, 5,000 NSGs, 300 private DNS
//! zones) served by the fake ARM with 50 ms latency per request and 100 items per list page, collected by the
//! real collector. Records request count and wall time beside the floor: dependency depth × latency + the
//! longest paging chain (what unlimited concurrency would take).
//!
//! `cargo bench --bench collect` prints the figures and writes `target/bench-collect.json`.

mod common;
#[path = "../tests/it/fake_arm.rs"]
mod fake_arm;

use acr_audit_collect::{collect, AuthMethod, CollectConfig};
use fake_arm::{FakeArm, Options};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const SUB: &str = "44444444-5555-4666-8777-888888888888";
const LATENCY_MS: u64 = 50;
const PAGE_SIZE: usize = 100;

fn estate() -> Value {
    let s = format!("/subscriptions/{SUB}");
    let nw = |rg: usize, kind: &str, name: String| {
        format!("{s}/resourceGroups/rg-{rg}/providers/Microsoft.Network/{kind}/{name}")
    };
    let reg_id =
        |i: usize| format!("{s}/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/acr{i}");
    let zone_id = |i: usize| {
        if i < 10 {
            nw(i, "privateDnsZones", "privatelink.azurecr.io".into())
        } else {
            nw(i, "privateDnsZones", format!("z{i}.internal.contoso.com"))
        }
    };
    let acrpull = format!("{s}/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d");
    let registries: Vec<Value> = (0..200)
        .map(|i| json!({"id": reg_id(i), "name": format!("acr{i}"), "type": "Microsoft.ContainerRegistry/registries", "location": "eastus",
            "sku": {"name": "Premium", "tier": "Premium"}, "properties": {"loginServer": format!("acr{i}.azurecr.io"), "publicNetworkAccess": "Enabled",
            "networkRuleSet": {"defaultAction": "Allow", "ipRules": []}, "networkRuleBypassOptions": "AzureServices"}}))
        .collect();
    let vnets: Vec<Value> = (0..2000)
        .map(|i| json!({"id": nw(i % 100, "virtualNetworks", format!("vnet-{i}")), "name": format!("vnet-{i}"), "location": "eastus",
            "properties": {"addressSpace": {"addressPrefixes": [format!("10.{}.{}.0/24", i / 250, i % 250)]}, "subnets": [], "virtualNetworkPeerings": []}}))
        .collect();
    let nsgs: Vec<Value> = (0..5000)
        .map(|i| {
            let id = nw(i % 100, "networkSecurityGroups", format!("nsg-{i}"));
            let rules: Vec<Value> = (0..10).map(|r| json!({"id": format!("{id}/securityRules/r{r}"), "name": format!("r{r}"), "properties": {
                "protocol": "Tcp", "sourcePortRange": "*", "destinationPortRange": "443", "sourceAddressPrefix": "VirtualNetwork",
                "destinationAddressPrefix": "Storage.EastUS", "access": "Allow", "priority": 100 + r, "direction": "Outbound"}})).collect();
            json!({"id": id, "name": format!("nsg-{i}"), "location": "eastus", "properties": {"securityRules": rules}})
        })
        .collect();
    let zones: Vec<Value> = (0..300)
        .map(|i| json!({"id": zone_id(i), "name": zone_id(i).rsplit('/').next().unwrap(), "location": "global"}))
        .collect();
    let children = json!({
        "Microsoft.ContainerRegistry/registries/replications": (0..200).map(|i| json!({"parentId": reg_id(i), "value": [
            {"id": format!("{}/replications/eastus", reg_id(i)), "name": "eastus", "location": "eastus", "properties": {"regionEndpointEnabled": true}}]})).collect::<Vec<_>>(),
        "Microsoft.ContainerRegistry/registries/usages": (0..200).map(|i| json!({"parentId": reg_id(i), "value": [
            {"name": "Size", "limit": 43980465111040u64, "currentValue": 1073741824u64 * i as u64, "unit": "Bytes"}]})).collect::<Vec<_>>(),
        "Microsoft.Authorization/roleAssignments": (0..200).map(|i| json!({"parentId": reg_id(i), "value": [
            {"id": format!("{}/providers/Microsoft.Authorization/roleAssignments/{i}", reg_id(i)), "properties": {"roleDefinitionId": acrpull, "principalId": format!("00000000-0000-4000-8000-{i:012}"), "scope": reg_id(i)}}]})).collect::<Vec<_>>(),
        "Microsoft.Network/privateDnsZones/virtualNetworkLinks": (0..10).map(|i| json!({"parentId": zone_id(i), "value": (0..40).map(|v| json!({
            "id": format!("{}/virtualNetworkLinks/l{v}", zone_id(i)), "name": format!("l{v}"), "properties": {"virtualNetwork": {"id": nw(v % 100, "virtualNetworks", format!("vnet-{}", i * 40 + v))}}})).collect::<Vec<_>>()})).collect::<Vec<_>>(),
        "Microsoft.Network/privateDnsZones/A": (0..10).map(|i| json!({"parentId": zone_id(i), "value": (0..20).map(|r| json!({
            "id": format!("{}/A/acr{}", zone_id(i), i * 20 + r), "name": format!("acr{}", i * 20 + r), "properties": {"aRecords": [{"ipv4Address": format!("10.200.{i}.{r}")}]}})).collect::<Vec<_>>()})).collect::<Vec<_>>(),
    });
    json!({
        "schema": "acr-audit/snapshot/v1",
        "metadata": {"subscriptions": [{"subscriptionId": SUB, "displayName": "bench", "tenantId": "72f9c0de-0000-4000-8000-00000000aaaa", "state": "Enabled"}]},
        "resources": {
            "Microsoft.ContainerRegistry/registries": registries, "Microsoft.Network/virtualNetworks": vnets,
            "Microsoft.Network/networkSecurityGroups": nsgs, "Microsoft.Network/privateDnsZones": zones,
            "Microsoft.Authorization/roleDefinitions": [{"id": acrpull, "name": "7f951dda-4ed3-4680-a7ca-43fe172d538d", "properties": {"roleName": "AcrPull",
                "permissions": [{"actions": ["Microsoft.ContainerRegistry/registries/pull/read"]}]}}],
            "Microsoft.Resources/providers": [{"id": format!("{s}/providers/Microsoft.ContainerRegistry"), "namespace": "Microsoft.ContainerRegistry", "registrationState": "Registered"}],
        },
        "children": children,
        "serviceTags": [{"cloud": "Public", "changeNumber": "1", "values": []}],
    })
}

/// Requests on the longest sequential chain: depth (subscription → lists → children → role definitions) plus
/// the extra pages of the longest list.
fn floor(estate: &Value) -> (usize, usize, Duration) {
    let depth = 4;
    let longest = estate["resources"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_array().map(Vec::len).unwrap_or(0).div_ceil(PAGE_SIZE))
        .max()
        .unwrap_or(1);
    let chain = depth + longest.saturating_sub(1);
    (depth, longest, Duration::from_millis(chain as u64 * LATENCY_MS))
}

fn main() {
    let estate = estate();
    let (depth, longest, floor_time) = floor(&estate);
    let mut runs = Vec::new();
    for concurrency in [8usize, 16, 32] {
        let fake = FakeArm::start(
            &estate,
            Options { page_size: PAGE_SIZE, latency: Duration::from_millis(LATENCY_MS), ..Options::default() },
        );
        for (k, v) in fake.env() {
            std::env::set_var(k, v);
        }
        let config = CollectConfig {
            subscriptions: vec![SUB.into()],
            arm_endpoint: Some(fake.url.clone()),
            auth: Some(AuthMethod::Env),
            concurrency,
            tool_version: "bench".into(),
            verbose: std::env::var_os("BENCH_VERBOSE").is_some(),
            ..CollectConfig::default()
        };
        let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
        let start = Instant::now();
        let collected = rt.block_on(collect(&config)).expect("collect");
        let wall = start.elapsed();
        assert!(collected.snapshot.errors.is_empty(), "{:?}", collected.snapshot.errors);
        let requests = fake.requests().len();
        runs.push(json!({
            "concurrency": concurrency,
            "requests": requests,
            "collector_counted_requests": collected.arm_requests,
            "wall_ms": wall.as_millis(),
            "ratio_to_floor": ((wall.as_secs_f64() / floor_time.as_secs_f64()) * 100.0).round() / 100.0,
        }));
        eprintln!("concurrency {concurrency}: {requests} requests in {} ms", wall.as_millis());
    }
    common::publish(
        "collect",
        &json!({
            "estate": {"registries": 200, "vnets": 2000, "nsgs": 5000, "private_dns_zones": 300, "privatelink_zones": 10},
            "latency_ms": LATENCY_MS, "page_size": PAGE_SIZE,
            "floor": {"dependency_depth": depth, "longest_paging_chain_pages": longest, "ms": floor_time.as_millis()},
            "target_ratio": 1.5,
            "runs": runs,
        }),
    );
}
