//! Scale benchmark: load, analyse and evaluate a generated 100,000-resource snapshot, beside the time
//! `serde_json` alone takes to parse the same file into a `Value`.
//!
//! Each measurement runs in a fresh child process so its peak memory (VmHWM) is its own.
//! `cargo bench --bench scale` prints a table and writes `target/bench-scale.json`.
//! Environment: `ACR_AUDIT_BENCH_RESOURCES` (default 100000), `ACR_AUDIT_BENCH_RUNS` (default 3).

mod common;

use acr_audit::analysis::{analyse, Selection};
use acr_audit::model::Model;
use acr_audit::rules::{Catalog, RuleEngine};
use acr_audit::snapshot::load_snapshot;
use common::{best_of, env_num, ms, peak_rss_mb, publish, CHILD_ENV, FILE_ENV};
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    if let Ok(mode) = std::env::var(CHILD_ENV) {
        let path = PathBuf::from(std::env::var(FILE_ENV).expect("file"));
        let result = match mode.as_str() {
            "parse" => child_parse(&path),
            _ => child_pipeline(&path),
        };
        println!("{result}");
        return;
    }
    let resources: usize = env_num("ACR_AUDIT_BENCH_RESOURCES", 100_000);
    let runs: usize = env_num("ACR_AUDIT_BENCH_RUNS", 3);
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target");
    std::fs::create_dir_all(&target).expect("target dir");
    let file = target.join(format!("bench-snapshot-{resources}.json"));
    let count = generate(&file, resources);
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    eprintln!("generated {} ({count} resources, {:.1} MB)", file.display(), size as f64 / 1e6);

    let parse = best_of(runs, "parse", &file);
    let pipeline = best_of(runs, "pipeline", &file);
    let ratio = pipeline["total_ms"].as_f64().unwrap_or(0.0) / parse["total_ms"].as_f64().unwrap_or(1.0);
    let out = json!({
        "resources": count,
        "file_bytes": size,
        "runs": runs,
        "serde_json_value_parse": parse,
        "acr_audit": pipeline,
        "ratio_total_to_parse": (ratio * 100.0).round() / 100.0,
        "target_ratio": 3.0,
    });
    publish("scale", &out);
}

fn child_parse(path: &Path) -> Value {
    let start = Instant::now();
    let bytes = std::fs::read(path).expect("read");
    let value: Value = serde_json::from_slice(&bytes).expect("parse");
    let total = ms(start);
    std::hint::black_box(&value);
    json!({"total_ms": total, "peak_rss_mb": peak_rss_mb()})
}

fn child_pipeline(path: &Path) -> Value {
    let start = Instant::now();
    let snapshot = load_snapshot(path).expect("load");
    let load = ms(start);
    let t = Instant::now();
    let model = Model::from_snapshot(snapshot);
    let index = ms(t);
    let t = Instant::now();
    let facts = analyse(&model, &Selection::default());
    let analysis = ms(t);
    let t = Instant::now();
    let catalog = Catalog::load(true, &[]).expect("rules");
    let rules = catalog.select(&[], &[]).expect("select");
    let mut engine = RuleEngine::new(&catalog, false).expect("engine");
    let findings = engine.evaluate(&rules, &facts, "bench").expect("evaluate");
    let rules_ms = ms(t);
    json!({
        "load_ms": load, "model_index_ms": index, "analysis_ms": analysis, "rules_ms": rules_ms,
        "total_ms": ms(start), "peak_rss_mb": peak_rss_mb(),
        "resources": model.resource_count(), "pairs": facts.pairs.len(), "findings": findings.len(),
    })
}

/// Write a synthetic estate of about `target` resources, in the shapes of the demo (ARM list items).
/// Proportions follow a large hub-and-spoke tenant: many NICs, NSGs and public IPs; fewer VNets and registries.
fn generate(path: &Path, target: usize) -> usize {
    let scale = target as f64 / 100_000.0;
    let n = |base: usize| ((base as f64 * scale).round() as usize).max(1);
    let (registries, vnets, nsgs, route_tables, nics, pes, pips, zones, clusters) =
        (n(200), n(2_000), n(20_000), n(10_000), n(40_000), n(2_000), n(24_800), n(300), n(500));
    let sub = "/subscriptions/11111111-2222-4333-8444-555555555555";
    let nw = |rg: usize, kind: &str, name: String| {
        format!("{sub}/resourceGroups/rg-{rg}/providers/Microsoft.Network/{kind}/{name}")
    };
    let vnet_id = |i: usize| nw(i % 100, "virtualNetworks", format!("vnet-{i}"));
    let reg_id =
        |i: usize| format!("{sub}/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/acr{i}");
    let mut resources = serde_json::Map::new();
    let mut list = |key: &str, items: Vec<Value>| {
        resources.insert(key.to_string(), Value::Array(items));
    };
    list(
        "Microsoft.ContainerRegistry/registries",
        (0..registries)
            .map(|i| {
                json!({"id": reg_id(i), "name": format!("acr{i}"), "type": "Microsoft.ContainerRegistry/registries",
                "location": "eastus", "sku": {"name": "Premium", "tier": "Premium"},
                "properties": {"loginServer": format!("acr{i}.azurecr.io"), "publicNetworkAccess": if i % 10 == 0 {"Disabled"} else {"Enabled"},
                  "networkRuleSet": {"defaultAction": "Deny", "ipRules": [{"action": "Allow", "value": format!("20.1.{}.0/24", i % 250)}]},
                  "networkRuleBypassOptions": "AzureServices", "dataEndpointEnabled": true, "adminUserEnabled": false,
                  "privateEndpointConnections": [{"id": format!("{}/privateEndpointConnections/pe{i}", reg_id(i)),
                    "properties": {"privateEndpoint": {"id": nw(i % 100, "privateEndpoints", format!("pe-{i}"))},
                    "privateLinkServiceConnectionState": {"status": if i % 7 == 0 {"Pending"} else {"Approved"}, "description": ""}}}]}})
            })
            .collect(),
    );
    list(
        "Microsoft.Network/virtualNetworks",
        (0..vnets)
            .map(|i| {
                let hub = 0;
                let subnets: Vec<Value> = (0..4)
                    .map(|s| json!({"id": format!("{}/subnets/snet-{s}", vnet_id(i)), "name": format!("snet-{s}"),
                        "properties": {"addressPrefix": format!("10.{}.{}.0/24", i % 250, s),
                          "networkSecurityGroup": {"id": nw(i % 100, "networkSecurityGroups", format!("nsg-{}", (i * 4 + s) % nsgs))},
                          "routeTable": {"id": nw(i % 100, "routeTables", format!("rt-{}", (i * 4 + s) % route_tables))}}}))
                    .collect();
                json!({"id": vnet_id(i), "name": format!("vnet-{i}"), "location": "eastus",
                  "properties": {"addressSpace": {"addressPrefixes": [format!("10.{}.0.0/16", i % 250)]}, "dhcpOptions": {"dnsServers": []},
                    "subnets": subnets,
                    "virtualNetworkPeerings": [{"id": format!("{}/virtualNetworkPeerings/to-hub", vnet_id(i)), "name": "to-hub",
                      "properties": {"remoteVirtualNetwork": {"id": vnet_id(hub)}, "peeringState": if i % 50 == 0 {"Disconnected"} else {"Connected"},
                      "peeringSyncLevel": "FullyInSync", "remoteAddressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}}]}})
            })
            .collect(),
    );
    list(
        "Microsoft.Network/networkSecurityGroups",
        (0..nsgs)
            .map(|i| {
                let rules: Vec<Value> = (0..10)
                    .map(|r| json!({"id": format!("{}/securityRules/r{r}", nw(i % 100, "networkSecurityGroups", format!("nsg-{i}"))), "name": format!("r{r}"),
                      "properties": {"protocol": "Tcp", "sourcePortRange": "*", "destinationPortRanges": ["443", "8443-8450"],
                        "sourceAddressPrefix": "VirtualNetwork", "destinationAddressPrefixes": [format!("20.{}.{}.0/24", r, i % 250)],
                        "access": if r % 3 == 0 {"Deny"} else {"Allow"}, "priority": 100 + r * 10, "direction": "Outbound"}}))
                    .collect();
                json!({"id": nw(i % 100, "networkSecurityGroups", format!("nsg-{i}")), "name": format!("nsg-{i}"), "location": "eastus",
                  "properties": {"securityRules": rules, "defaultSecurityRules": []}})
            })
            .collect(),
    );
    list(
        "Microsoft.Network/routeTables",
        (0..route_tables)
            .map(|i| json!({"id": nw(i % 100, "routeTables", format!("rt-{i}")), "name": format!("rt-{i}"),
              "properties": {"disableBgpRoutePropagation": true, "routes": [
                {"id": "r0", "name": "default", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.0.0.4"}},
                {"id": "r1", "name": "storage", "properties": {"addressPrefix": "Storage.EastUS", "nextHopType": "Internet"}}]}}))
            .collect(),
    );
    list(
        "Microsoft.Network/networkInterfaces",
        (0..nics)
            .map(|i| json!({"id": nw(i % 100, "networkInterfaces", format!("nic-{i}")), "name": format!("nic-{i}"),
              "properties": {"ipConfigurations": [{"name": "ipconfig1", "properties": {"privateIPAddress": format!("10.{}.{}.{}", i % 250, (i / 250) % 4, 4 + i % 200),
                "subnet": {"id": format!("{}/subnets/snet-{}", vnet_id(i % vnets), i % 4)}}}]}}))
            .collect(),
    );
    list(
        "Microsoft.Network/privateEndpoints",
        (0..pes)
            .map(|i| json!({"id": nw(i % 100, "privateEndpoints", format!("pe-{i}")), "name": format!("pe-{i}"), "location": "eastus",
              "properties": {"subnet": {"id": format!("{}/subnets/snet-0", vnet_id(0))}, "networkInterfaces": [],
                "privateLinkServiceConnections": [{"id": "c", "properties": {"privateLinkServiceId": reg_id(i % registries), "groupIds": ["registry"],
                  "privateLinkServiceConnectionState": {"status": "Approved"}}}]}}))
            .collect(),
    );
    list(
        "Microsoft.Network/publicIPAddresses",
        (0..pips)
            .map(|i| {
                json!({"id": nw(i % 100, "publicIPAddresses", format!("pip-{i}")), "name": format!("pip-{i}"),
              "properties": {"ipAddress": format!("20.{}.{}.{}", 100 + i % 100, (i / 100) % 250, i % 250)}})
            })
            .collect(),
    );
    list(
        "Microsoft.Network/privateDnsZones",
        (0..zones).map(|i| json!({"id": nw(0, "privateDnsZones", format!("zone{i}.privatelink.azurecr.io")), "name": format!("zone{i}.privatelink.azurecr.io")})).collect(),
    );
    list(
        "Microsoft.ContainerService/managedClusters",
        (0..clusters)
            .map(|i| json!({"id": format!("{sub}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks-{i}"),
              "name": format!("aks-{i}"), "location": "eastus",
              "properties": {"identityProfile": {"kubeletidentity": {"objectId": format!("00000000-0000-4000-8000-{i:012}"), "clientId": "c", "resourceId": "r"}},
                "servicePrincipalProfile": {"clientId": "msi"},
                "agentPoolProfiles": [{"name": "pool", "count": 3, "mode": "System", "vnetSubnetID": format!("{}/subnets/snet-1", vnet_id(1 + i % (vnets - 1).max(1)))}],
                "networkProfile": {"outboundType": "loadBalancer", "loadBalancerProfile": {"effectiveOutboundIPs": [{"id": nw(i % 100, "publicIPAddresses", format!("pip-{i}"))}]}}}}))
            .collect(),
    );
    let assignments: Vec<Value> = (0..registries)
        .map(|r| {
            let value: Vec<Value> = (0..clusters)
                .filter(|c| c % registries == r)
                .map(|c| json!({"id": format!("{}/providers/Microsoft.Authorization/roleAssignments/{c}", reg_id(r)),
                  "properties": {"roleDefinitionId": format!("{sub}/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d"),
                  "principalId": format!("00000000-0000-4000-8000-{c:012}"), "principalType": "ServicePrincipal", "scope": reg_id(r)}}))
                .collect();
            json!({"parentId": reg_id(r), "value": value})
        })
        .collect();
    let total = registries + vnets + nsgs + route_tables + nics + pes + pips + zones + clusters;
    let doc = json!({
        "schema": "acr-audit/snapshot/v1",
        "metadata": {"tool": {"name": "acr-audit-bench", "version": "0"}, "collectedAt": "2026-11-21T00:00:00Z",
                     "subscriptions": [{"subscriptionId": "11111111-2222-4333-8444-555555555555"}]},
        "resources": resources,
        "children": {"Microsoft.Authorization/roleAssignments": assignments},
        "serviceTags": [],
        "errors": [],
    });
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    serde_json::to_writer(&mut f, &doc).expect("write");
    f.flush().expect("flush");
    total
}
