//! Tenant-scale collection benchmark (issue #13): a generated tenant of 1,000 subscriptions × ~50 resources each
//! (a registry in every 100th subscription, a `privatelink.azurecr.io` zone beside it, an AKS cluster in every
//! 50th, web apps, container apps and groups everywhere) served by the fake ARM with 50 ms latency per request,
//! collected by the real collector once with `--source arm` and once with `--source resource-graph`.
//!
//! Records, for each: requests the fake answered, wall time, and the process's peak resident memory during the
//! run (the peak is reset before each run through `/proc/self/clear_refs`; it includes the fake ARM and its
//! estate, which the baseline figure shows alone). Goal (issue #13): Resource Graph needs ≥ 10× fewer requests,
//! ≤ 1/5 of the time, and peak memory ≤ 1 GB.
//!
//! `cargo bench --bench tenant` prints the figures and writes `target/bench-tenant.json`.

mod common;
#[path = "../tests/it/fake_arm.rs"]
mod fake_arm;

use acr_audit_collect::{collect, AuthMethod, CollectConfig, Source};
use fake_arm::{FakeArm, Options};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const SUBSCRIPTIONS: usize = 1000;
const LATENCY_MS: u64 = 50;
const PAGE_SIZE: usize = 100;
/// Rows per Resource Graph page: the 1,000 the collector asks for, ARG's maximum (`$top`).
const GRAPH_PAGE_SIZE: usize = 1000;
const CONCURRENCY: usize = 16;
const TENANT: &str = "72f9c0de-0000-4000-8000-00000000aaaa";

fn sub_id(i: usize) -> String {
    format!("5a5bc0de-0000-4000-8000-{i:012}")
}

/// One subscription's resources, by type: ~50 per subscription.
fn subscription(i: usize, out: &mut serde_json::Map<String, Value>, children: &mut serde_json::Map<String, Value>) {
    let s = format!("/subscriptions/{}", sub_id(i));
    let rg = format!("{s}/resourceGroups/rg-app-{i}/providers");
    let mut push = |kind: &str, item: Value| {
        out.entry(kind.to_string()).or_insert_with(|| json!([])).as_array_mut().unwrap().push(item);
    };
    let vnet = format!("{rg}/Microsoft.Network/virtualNetworks/vnet-{i}");
    let prefix = |n: usize| format!("10.{}.{}.{}", (i / 64) % 256, (i % 64) * 4 + n / 64, (n % 64) * 4);
    push(
        "Microsoft.Network/virtualNetworks",
        json!({"id": vnet, "name": format!("vnet-{i}"), "location": "eastus", "properties": {
            "addressSpace": {"addressPrefixes": [format!("10.{}.{}.0/22", (i / 64) % 256, (i % 64) * 4)]},
            "subnets": (0..3).map(|n| json!({"id": format!("{vnet}/subnets/snet-{n}"), "name": format!("snet-{n}"),
                "properties": {"addressPrefix": format!("{}/26", prefix(n * 64))}})).collect::<Vec<_>>(),
            "virtualNetworkPeerings": []}}),
    );
    for n in 0..10 {
        let id = format!("{rg}/Microsoft.Network/networkSecurityGroups/nsg-{i}-{n}");
        push(
            "Microsoft.Network/networkSecurityGroups",
            json!({"id": id, "name": format!("nsg-{i}-{n}"), "location": "eastus", "properties": {"securityRules": [
                {"id": format!("{id}/securityRules/allow-https"), "name": "allow-https", "properties": {"protocol": "Tcp",
                 "sourcePortRange": "*", "destinationPortRange": "443", "sourceAddressPrefix": "VirtualNetwork",
                 "destinationAddressPrefix": "AzureContainerRegistry", "access": "Allow", "priority": 100, "direction": "Outbound"}}]}}),
        );
    }
    for n in 0..5 {
        let id = format!("{rg}/Microsoft.Network/routeTables/rt-{i}-{n}");
        push(
            "Microsoft.Network/routeTables",
            json!({"id": id, "name": format!("rt-{i}-{n}"), "location": "eastus", "properties": {"routes": [
                {"id": format!("{id}/routes/default"), "name": "default", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "Internet"}}]}}),
        );
    }
    for n in 0..10 {
        let id = format!("{rg}/Microsoft.Network/networkInterfaces/nic-{i}-{n}");
        push(
            "Microsoft.Network/networkInterfaces",
            json!({"id": id, "name": format!("nic-{i}-{n}"), "location": "eastus", "properties": {"ipConfigurations": [
                {"id": format!("{id}/ipConfigurations/ipconfig1"), "name": "ipconfig1", "properties": {
                    "privateIPAddress": prefix(n + 4), "subnet": {"id": format!("{vnet}/subnets/snet-0")}}}]}}),
        );
    }
    for n in 0..8 {
        push(
            "Microsoft.Network/publicIPAddresses",
            json!({"id": format!("{rg}/Microsoft.Network/publicIPAddresses/pip-{i}-{n}"), "name": format!("pip-{i}-{n}"),
                "location": "eastus", "properties": {"ipAddress": format!("20.{}.{}.{}", i / 256, i % 256, n)}}),
        );
    }
    for n in 0..2 {
        push(
            "Microsoft.Network/natGateways",
            json!({"id": format!("{rg}/Microsoft.Network/natGateways/nat-{i}-{n}"), "name": format!("nat-{i}-{n}"), "location": "eastus", "properties": {}}),
        );
    }
    for n in 0..3 {
        let name = format!("z{n}.app{i}.internal.contoso.com");
        push(
            "Microsoft.Network/privateDnsZones",
            json!({"id": format!("{rg}/Microsoft.Network/privateDnsZones/{name}"), "name": name, "location": "global", "properties": {}}),
        );
    }
    for n in 0..4 {
        push(
            "Microsoft.Web/sites",
            json!({"id": format!("{rg}/Microsoft.Web/sites/app-{i}-{n}"), "name": format!("app-{i}-{n}"), "kind": "app",
                "location": "East US", "properties": {"outboundIpAddresses": format!("20.{}.{}.{}", i / 256, i % 256, 100 + n),
                "siteConfig": {"linuxFxVersion": ""}}}),
        );
    }
    let env = format!("{rg}/Microsoft.App/managedEnvironments/cae-{i}");
    push(
        "Microsoft.App/managedEnvironments",
        json!({"id": env, "name": format!("cae-{i}"), "location": "East US", "properties": {}}),
    );
    for n in 0..2 {
        push(
            "Microsoft.App/containerApps",
            json!({"id": format!("{rg}/Microsoft.App/containerApps/ca-{i}-{n}"), "name": format!("ca-{i}-{n}"), "location": "East US",
                "properties": {"managedEnvironmentId": env, "template": {"containers": [{"name": "app", "image": "mcr.microsoft.com/k8se/quickstart:latest"}]}}}),
        );
    }
    push(
        "Microsoft.ContainerInstance/containerGroups",
        json!({"id": format!("{rg}/Microsoft.ContainerInstance/containerGroups/ci-{i}"), "name": format!("ci-{i}"), "location": "eastus",
            "properties": {"containers": [{"name": "job", "properties": {"image": "mcr.microsoft.com/azuredocs/aci-helloworld"}}], "osType": "Linux"}}),
    );
    if i % 100 == 0 {
        let acr = format!("{s}/resourceGroups/rg-acr-{i}/providers/Microsoft.ContainerRegistry/registries/acr{i}");
        push(
            "Microsoft.ContainerRegistry/registries",
            json!({"id": acr, "name": format!("acr{i}"), "location": "eastus", "sku": {"name": "Premium"}, "properties": {
                "loginServer": format!("acr{i}.azurecr.io"), "publicNetworkAccess": "Enabled",
                "networkRuleSet": {"defaultAction": "Allow", "ipRules": []}, "networkRuleBypassOptions": "AzureServices",
                "networkRuleBypassAllowedForTasks": false}}),
        );
        let zone =
            format!("{s}/resourceGroups/rg-acr-{i}/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io");
        push(
            "Microsoft.Network/privateDnsZones",
            json!({"id": zone, "name": "privatelink.azurecr.io", "location": "global", "properties": {}}),
        );
        let mut child = |kind: &str, parent: &str, value: Value| {
            children
                .entry(kind.to_string())
                .or_insert_with(|| json!([]))
                .as_array_mut()
                .unwrap()
                .push(json!({"parentId": parent, "value": value}));
        };
        child(
            "Microsoft.ContainerRegistry/registries/replications",
            &acr,
            json!([{"id": format!("{acr}/replications/eastus"), "name": "eastus", "location": "eastus", "properties": {}}]),
        );
        child(
            "Microsoft.ContainerRegistry/registries/usages",
            &acr,
            json!([{"name": "Size", "limit": 43980465111040u64, "currentValue": 1073741824u64, "unit": "Bytes"}]),
        );
        child("Microsoft.Authorization/roleAssignments", &acr, json!([]));
        child(
            "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
            &zone,
            json!([{"id": format!("{zone}/virtualNetworkLinks/link-{i}"), "name": format!("link-{i}"),
                "properties": {"virtualNetwork": {"id": vnet}, "registrationEnabled": false}}]),
        );
        child(
            "Microsoft.Network/privateDnsZones/A",
            &zone,
            json!([{"id": format!("{zone}/A/acr{i}"), "name": format!("acr{i}"), "properties": {"aRecords": [{"ipv4Address": prefix(200)}]}}]),
        );
    }
    if i % 50 == 0 {
        push(
            "Microsoft.ContainerService/managedClusters",
            json!({"id": format!("{rg}/Microsoft.ContainerService/managedClusters/aks-{i}"), "name": format!("aks-{i}"), "location": "eastus",
                "properties": {"nodeResourceGroup": format!("MC_rg-app-{i}_aks-{i}_eastus"),
                    "agentPoolProfiles": [{"name": "nodepool1", "count": 3, "vnetSubnetID": format!("{vnet}/subnets/snet-1")}],
                    "networkProfile": {"outboundType": "loadBalancer"}}}),
        );
    }
}

fn tenant() -> Value {
    let mut resources = serde_json::Map::new();
    let mut children = serde_json::Map::new();
    for i in 0..SUBSCRIPTIONS {
        subscription(i, &mut resources, &mut children);
    }
    let subscriptions: Vec<Value> = (0..SUBSCRIPTIONS)
        .map(|i| json!({"subscriptionId": sub_id(i), "displayName": format!("app-{i}"), "tenantId": TENANT, "state": "Enabled"}))
        .collect();
    json!({
        "schema": "acr-audit/snapshot/v1",
        "metadata": {"subscriptions": subscriptions},
        "resources": resources,
        "children": children,
        "serviceTags": [{"cloud": "Public", "changeNumber": "1", "values": []}],
    })
}

/// A figure of `/proc/self/status` in KiB (`VmHWM`, `VmRSS`); 0 off Linux.
fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// Reset the peak resident set size to the current one (Linux: "5" to `clear_refs`).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn main() {
    let estate = tenant();
    let resources: usize = estate["resources"].as_object().unwrap().values().map(|v| v.as_array().unwrap().len()).sum();
    let mut runs = Vec::new();
    for (source, name) in [(Source::Arm, "arm"), (Source::ResourceGraph, "resource-graph")] {
        let fake = FakeArm::start(
            &estate,
            Options {
                page_size: PAGE_SIZE,
                graph_page_size: GRAPH_PAGE_SIZE,
                latency: Duration::from_millis(LATENCY_MS),
                ..Options::default()
            },
        );
        for (k, v) in fake.env() {
            std::env::set_var(k, v);
        }
        let config = CollectConfig {
            all_subscriptions: true,
            arm_endpoint: Some(fake.url.clone()),
            auth: Some(AuthMethod::Env),
            concurrency: CONCURRENCY,
            tool_version: "bench".into(),
            source,
            verbose: std::env::var_os("BENCH_VERBOSE").is_some(),
            ..CollectConfig::default()
        };
        let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
        let baseline_kib = status_kib("VmRSS:");
        reset_peak();
        let start = Instant::now();
        let collected = rt.block_on(collect(&config)).expect("collect");
        let wall = start.elapsed();
        let peak_kib = status_kib("VmHWM:");
        let errors = collected.snapshot.errors.len();
        let collected_resources: usize = serde_json::to_value(&collected.snapshot.resources)
            .map(|v| {
                v.as_object().map(|o| o.values().map(|l| l.as_array().map(Vec::len).unwrap_or(0)).sum()).unwrap_or(0)
            })
            .unwrap_or(0);
        let requests = fake.all_requests();
        eprintln!(
            "{name}: {requests} requests, {} ms, peak {} MiB (baseline {} MiB), {collected_resources} resources, {errors} errors",
            wall.as_millis(),
            peak_kib / 1024,
            baseline_kib / 1024
        );
        runs.push(json!({
            "source": name,
            "requests": requests,
            "wall_ms": wall.as_millis(),
            "peak_rss_mib": peak_kib / 1024,
            "baseline_rss_mib": baseline_kib / 1024,
            "resources_collected": collected_resources,
            "errors": errors,
        }));
        drop(rt);
    }
    let ratio = |key: &str| runs[0][key].as_f64().unwrap_or(0.0) / runs[1][key].as_f64().unwrap_or(1.0).max(1.0);
    let summary = json!({
        "request_ratio_arm_over_graph": (ratio("requests") * 10.0).round() / 10.0,
        "time_ratio_arm_over_graph": (ratio("wall_ms") * 10.0).round() / 10.0,
        "goal": {"request_ratio_at_least": 10, "time_ratio_at_least": 5, "peak_rss_mib_at_most": 1024},
    });
    eprintln!("{summary}");
    common::publish(
        "tenant",
        &json!({
            "estate": {"subscriptions": SUBSCRIPTIONS, "resources": resources},
            "latency_ms": LATENCY_MS, "page_size": PAGE_SIZE, "graph_page_size": GRAPH_PAGE_SIZE, "concurrency": CONCURRENCY,
            "runs": runs,
            "summary": summary,
        }),
    );
}
