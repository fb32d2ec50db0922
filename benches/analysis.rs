//! Path-analysis benchmark: 5,000 NSGs × 50 rules, 2,000 VNets, 500 AKS clusters, 200 registries, a service-tag
//! list the size of Azure's public one (~2,600 tags, ~45,000 IPv4 prefixes), and 50 hub Azure Firewalls, each
//! with its own policy of 20 rule collection groups × 20 collections × 20 rules (8,000 rules; 40 of the 50
//! policies inherit one of the other 10, so their firewalls meet 16,000 rules) that every cluster's route
//! table sends its registry traffic to.
//!
//! `cargo bench --bench analysis` prints the figures and writes `target/bench-analysis.json`.
//! The measured child loads the snapshot, builds the model, then times `analyse` alone.

mod common;

use acr_audit::analysis::{analyse, Selection};
use acr_audit::model::Model;
use acr_audit::snapshot::load_snapshot;
use common::{best_of, env_num, ms, peak_rss_mb, publish, rss_mb, CHILD_ENV, FILE_ENV};
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

const SUB: &str = "/subscriptions/22222222-3333-4444-8555-666666666666";
const REGIONS: [&str; 4] = ["eastus", "westeurope", "southeastasia", "westus2"];

fn main() {
    if std::env::var(CHILD_ENV).is_ok() {
        let path = PathBuf::from(std::env::var(FILE_ENV).expect("file"));
        println!("{}", child(&path));
        return;
    }
    let runs = env_num("ACR_AUDIT_BENCH_RUNS", 3);
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target");
    std::fs::create_dir_all(&target).expect("target dir");
    let file = target.join("bench-analysis-estate.json");
    let shape = generate(&file);
    let best = best_of(runs, "analysis", &file);
    publish(
        "analysis",
        &json!({"estate": shape, "runs": runs, "result": best, "target": {"analysis_ms": 2000, "peak_rss_mb": 1024}}),
    );
}

fn child(path: &Path) -> Value {
    let t = Instant::now();
    let model = Model::from_snapshot(load_snapshot(path).expect("load"));
    let load = ms(t);
    // Where the memory goes: the peak while loading (bytes and typed snapshot together) and what the model holds.
    let (load_peak, model_rss) = (peak_rss_mb(), rss_mb());
    let t = Instant::now();
    let facts = analyse(&model, &Selection::default());
    let analysis = ms(t);
    json!({
        "load_ms": load, "analysis_ms": analysis, "total_ms": analysis, "peak_rss_mb": peak_rss_mb(),
        "load_peak_rss_mb": load_peak, "model_rss_mb": model_rss,
        "pairs": facts.pairs.len(), "paths": facts.paths.len(),
        "reachable": histogram(facts.paths.iter().map(|p| format!("{}{}", p.reachable, p.blocked_at.map(|b| format!(" at {b}")).unwrap_or_default()))),
    })
}

fn histogram(items: impl Iterator<Item = String>) -> Value {
    let mut counts = std::collections::BTreeMap::new();
    for i in items {
        *counts.entry(i).or_insert(0u32) += 1;
    }
    json!(counts)
}

/// A deterministic pseudo-random sequence (no extra dependency, same estate every run).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }
    fn below(&mut self, n: u32) -> u32 {
        self.next() % n.max(1)
    }
}

fn nw(rg: usize, kind: &str, name: &str) -> String {
    format!("{SUB}/resourceGroups/rg-{rg}/providers/Microsoft.Network/{kind}/{name}")
}

fn generate(path: &Path) -> Value {
    let mut rng = Lcg(42);
    let (nsgs, rules_per_nsg, vnets, clusters, registries, zones) = (5_000, 50, 2_000, 500, 200, 300);
    let (firewalls, groups_per_policy, collections_per_group, rules_per_collection) = (50, 20, 20, 20);

    // Service tags: regional tags of many services in many regions, sized like the public list.
    let services = [
        "Storage",
        "AzureContainerRegistry",
        "AzureCloud",
        "Sql",
        "AzureKeyVault",
        "EventHub",
        "ServiceBus",
        "AzureMonitor",
        "AppService",
        "AzureCosmosDB",
        "AzureActiveDirectory",
        "AzureFrontDoor.Backend",
    ];
    let region_names: Vec<String> =
        (0..210).map(|i| format!("region{i}")).chain(REGIONS.iter().map(|r| r.to_string())).collect();
    let mut tags = Vec::new();
    let mut total_prefixes = 0;
    for service in services {
        for region in &region_names {
            let count = if service == "AzureCloud" { 60 } else { 12 + rng.below(12) as usize };
            let prefixes: Vec<String> = (0..count)
                .map(|_| {
                    format!("{}.{}.{}.0/{}", 20 + rng.below(200), rng.below(256), rng.below(256), 20 + rng.below(8))
                })
                .collect();
            total_prefixes += prefixes.len();
            let cap = region[..1].to_uppercase() + &region[1..];
            tags.push(json!({"name": format!("{service}.{cap}"), "id": format!("{service}.{cap}"),
                "properties": {"region": region, "systemService": service, "addressPrefixes": prefixes}}));
        }
    }
    let tag_names: Vec<String> = tags.iter().map(|t| t["name"].as_str().unwrap_or_default().to_string()).collect();

    let vnet_id = |i: usize| nw(i % 50, "virtualNetworks", &format!("vnet-{i}"));
    let subnet_id = |i: usize, s: usize| format!("{}/subnets/snet-{s}", vnet_id(i));
    let nsg_id = |i: usize| nw(i % 50, "networkSecurityGroups", &format!("nsg-{i}"));
    let rt_id = |i: usize| nw(i % 50, "routeTables", &format!("rt-{i}"));
    let reg_id =
        |i: usize| format!("{SUB}/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/acr{i}");
    let pe_id = |i: usize| nw(0, "privateEndpoints", &format!("pe-acr{i}"));
    let nic_id = |i: usize| nw(0, "networkInterfaces", &format!("pe-acr{i}.nic"));
    let zone_id = |i: usize| {
        nw(
            0,
            "privateDnsZones",
            &if i == 0 { "privatelink.azurecr.io".to_string() } else { format!("z{i}.example.internal") },
        )
    };

    let nsg_list: Vec<Value> = (0..nsgs)
        .map(|i| {
            let rules: Vec<Value> = (0..rules_per_nsg)
                .map(|r| {
                    let dest = match rng.below(6) {
                        0 => json!({"destinationAddressPrefix": tag_names[rng.below(tag_names.len() as u32) as usize]}),
                        1 => json!({"destinationAddressPrefix": "Storage.Eastus"}),
                        2 => json!({"destinationAddressPrefixes": (0..4).map(|_| format!("20.{}.{}.0/24", rng.below(200), rng.below(256))).collect::<Vec<_>>()}),
                        3 => json!({"destinationAddressPrefix": "VirtualNetwork"}),
                        4 => json!({"destinationAddressPrefix": "Internet"}),
                        _ => json!({"destinationAddressPrefix": format!("10.{}.0.0/16", rng.below(250))}),
                    };
                    let mut p = json!({"protocol": if r % 5 == 0 {"*"} else {"Tcp"}, "sourcePortRange": "*",
                        "destinationPortRanges": ["443", format!("{}-{}", 8000 + r, 8100 + r)], "sourceAddressPrefix": "VirtualNetwork",
                        "access": if rng.below(4) == 0 {"Deny"} else {"Allow"}, "priority": 100 + r * 20, "direction": if r % 3 == 0 {"Inbound"} else {"Outbound"}});
                    p.as_object_mut().expect("object").extend(dest.as_object().expect("object").clone());
                    json!({"id": format!("{}/securityRules/r{r}", nsg_id(i)), "name": format!("r{r}"), "properties": p})
                })
                .collect();
            json!({"id": nsg_id(i), "name": format!("nsg-{i}"), "location": "eastus", "properties": {"securityRules": rules}})
        })
        .collect();
    let rt_list: Vec<Value> = (0..vnets)
        .map(|i| json!({"id": rt_id(i), "name": format!("rt-{i}"), "properties": {"disableBgpRoutePropagation": true, "routes": [
            {"id": format!("{}/routes/default", rt_id(i)), "name": "default", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance", "nextHopIpAddress": fw_ip(i % firewalls)}},
            {"id": format!("{}/routes/storage", rt_id(i)), "name": "storage", "properties": {"addressPrefix": "Storage.Eastus", "nextHopType": if i % 40 == 0 {"None"} else {"Internet"}}}]}}))
        .collect();
    let vnet_list: Vec<Value> = (0..vnets)
        .map(|i| {
            let subnets: Vec<Value> = (0..3)
                .map(|s| json!({"id": subnet_id(i, s), "name": format!("snet-{s}"), "properties": {
                    "addressPrefix": format!("10.{}.{}.0/24", i % 250, (i / 250) * 3 + s),
                    "networkSecurityGroup": {"id": nsg_id((i * 3 + s) % nsgs)}, "routeTable": {"id": rt_id(i)},
                    "privateEndpointNetworkPolicies": if s == 2 {"Enabled"} else {"Disabled"}}}))
                .collect();
            let peerings = if i == 0 { json!([]) } else {
                json!([{"id": format!("{}/virtualNetworkPeerings/to-hub", vnet_id(i)), "name": "to-hub", "properties": {
                    "remoteVirtualNetwork": {"id": vnet_id(0)}, "peeringState": if i % 25 == 0 {"Disconnected"} else {"Connected"},
                    "peeringSyncLevel": "FullyInSync", "remoteAddressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}}])
            };
            json!({"id": vnet_id(i), "name": format!("vnet-{i}"), "location": "eastus", "properties": {
                "addressSpace": {"addressPrefixes": [format!("10.{}.0.0/16", i % 250)]}, "dhcpOptions": {"dnsServers": if i % 30 == 0 {json!(["10.0.0.68"])} else {json!([])}},
                "subnets": subnets, "virtualNetworkPeerings": peerings}})
        })
        .collect();
    let reg_list: Vec<Value> = (0..registries)
        .map(|i| json!({"id": reg_id(i), "name": format!("acr{i}"), "location": "eastus", "sku": {"name": "Premium"},
            "properties": {"loginServer": format!("acr{i}.azurecr.io"), "publicNetworkAccess": if i % 2 == 0 {"Disabled"} else {"Enabled"},
              "networkRuleSet": {"defaultAction": "Deny", "ipRules": [{"action": "Allow", "value": format!("20.1.{}.0/24", i % 250)}]},
              "dataEndpointEnabled": i % 3 != 0, "privateEndpointConnections": if i % 2 == 0 {
                json!([{"id": format!("{}/privateEndpointConnections/c", reg_id(i)), "properties": {"privateEndpoint": {"id": pe_id(i)}, "privateLinkServiceConnectionState": {"status": "Approved"}}}])
              } else { json!([]) }}}))
        .collect();
    let pe_list: Vec<Value> = (0..registries).step_by(2)
        .map(|i| json!({"id": pe_id(i), "name": format!("pe-acr{i}"), "properties": {"subnet": {"id": subnet_id(0, 2)},
            "networkInterfaces": [{"id": nic_id(i)}],
            "privateLinkServiceConnections": [{"id": "c", "properties": {"privateLinkServiceId": reg_id(i), "groupIds": ["registry"], "privateLinkServiceConnectionState": {"status": "Approved"}}}]}}))
        .collect();
    let nic_list: Vec<Value> = (0..registries).step_by(2)
        .map(|i| json!({"id": nic_id(i), "name": format!("pe-acr{i}.nic"), "properties": {"privateEndpoint": {"id": pe_id(i)}, "ipConfigurations": [
            {"name": "registry", "properties": {"privateIPAddress": format!("10.0.2.{}", 4 + i / 2), "subnet": {"id": subnet_id(0, 2)},
              "privateLinkConnectionProperties": {"groupId": "registry", "requiredMemberName": "registry", "fqdns": [format!("acr{i}.azurecr.io")]}}},
            {"name": "data", "properties": {"privateIPAddress": format!("10.0.3.{}", 4 + i / 2), "subnet": {"id": subnet_id(0, 2)},
              "privateLinkConnectionProperties": {"groupId": "registry", "requiredMemberName": "registry_data_eastus", "fqdns": [format!("acr{i}.eastus.data.azurecr.io")]}}}]}}))
        .collect();
    let cluster_list: Vec<Value> = (0..clusters)
        .map(|i| json!({"id": format!("{SUB}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks-{i}"), "name": format!("aks-{i}"), "location": "eastus",
            "properties": {"identityProfile": {"kubeletidentity": {"objectId": format!("00000000-0000-4000-8000-{i:012}"), "resourceId": format!("{SUB}/resourceGroups/mc-{i}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/agentpool")}},
              "servicePrincipalProfile": {"clientId": "msi"}, "nodeResourceGroup": format!("mc-{i}"),
              "agentPoolProfiles": [{"name": "system", "vnetSubnetID": subnet_id(1 + i * 3 % (vnets - 1), 0)}, {"name": "user", "vnetSubnetID": subnet_id(1 + i * 3 % (vnets - 1), 1)}],
              "networkProfile": {"outboundType": "userDefinedRouting"}}}))
        .collect();
    let zone_list: Vec<Value> = (0..zones).map(|i| json!({"id": zone_id(i), "name": if i == 0 {"privatelink.azurecr.io".to_string()} else {format!("z{i}.example.internal")}})).collect();
    let links: Vec<Value> = (0..vnets).step_by(2).map(|v| json!({"id": format!("{}/virtualNetworkLinks/l{v}", zone_id(0)), "name": format!("l{v}"),
        "properties": {"virtualNetwork": {"id": vnet_id(v)}, "registrationEnabled": false, "virtualNetworkLinkState": "Completed"}})).collect();
    let records: Vec<Value> = (0..registries).step_by(2).flat_map(|i| [
        json!({"id": format!("{}/A/acr{i}", zone_id(0)), "name": format!("acr{i}"), "properties": {"aRecords": [{"ipv4Address": format!("10.0.2.{}", 4 + i / 2)}]}}),
        json!({"id": format!("{}/A/acr{i}.eastus.data", zone_id(0)), "name": format!("acr{i}.eastus.data"), "properties": {"aRecords": [{"ipv4Address": format!("10.0.3.{}", 4 + i / 2)}]}}),
    ]).collect();
    let assignments: Vec<Value> = (0..registries)
        .map(|r| json!({"parentId": reg_id(r), "value": (0..clusters).filter(|c| c % registries == r).map(|c| json!({
            "id": format!("{}/providers/Microsoft.Authorization/roleAssignments/{c}", reg_id(r)),
            "properties": {"roleDefinitionId": format!("{SUB}/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d"),
              "principalId": format!("00000000-0000-4000-8000-{c:012}"), "scope": reg_id(r)}})).collect::<Vec<_>>()}))
        .collect();
    let replications: Vec<Value> = (0..registries)
        .map(|r| {
            json!({"parentId": reg_id(r), "value": [
        {"id": format!("{}/replications/eastus", reg_id(r)), "location": "eastus"},
        {"id": format!("{}/replications/westeurope", reg_id(r)), "location": REGIONS[1 + r % 3]}]})
        })
        .collect();
    let (fw_list, policy_list, rcgs, ip_groups, pips) = firewall_estate(
        &mut rng,
        &tag_names,
        firewalls,
        groups_per_policy,
        collections_per_group,
        rules_per_collection,
    );
    let doc = json!({
        "schema": "acr-audit/snapshot/v1",
        "metadata": {"subscriptions": [{"subscriptionId": "22222222-3333-4444-8555-666666666666"}]},
        "resources": {
            "Microsoft.Network/networkSecurityGroups": nsg_list, "Microsoft.Network/routeTables": rt_list,
            "Microsoft.Network/virtualNetworks": vnet_list, "Microsoft.ContainerRegistry/registries": reg_list,
            "Microsoft.Network/privateEndpoints": pe_list, "Microsoft.Network/networkInterfaces": nic_list,
            "Microsoft.ContainerService/managedClusters": cluster_list, "Microsoft.Network/privateDnsZones": zone_list,
            "Microsoft.Network/azureFirewalls": fw_list, "Microsoft.Network/firewallPolicies": policy_list,
            "Microsoft.Network/ipGroups": ip_groups, "Microsoft.Network/publicIPAddresses": pips},
        "children": {
            "Microsoft.Network/privateDnsZones/virtualNetworkLinks": [{"parentId": zone_id(0), "value": links}],
            "Microsoft.Network/privateDnsZones/A": [{"parentId": zone_id(0), "value": records}],
            "Microsoft.Authorization/roleAssignments": assignments,
            "Microsoft.ContainerRegistry/registries/replications": replications,
            "Microsoft.Network/firewallPolicies/ruleCollectionGroups": rcgs},
        "serviceTags": [{"cloud": "Public", "changeNumber": "1", "values": tags}],
    });
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    serde_json::to_writer(&mut f, &doc).expect("write");
    f.flush().expect("flush");
    json!({"nsgs": nsgs, "rules_per_nsg": rules_per_nsg, "vnets": vnets, "clusters": clusters, "registries": registries,
           "private_dns_zones": zones, "service_tags": tag_names.len(), "service_tag_prefixes": total_prefixes,
           "azure_firewalls": firewalls, "firewall_policies": firewalls, "rule_collection_groups_per_policy": groups_per_policy,
           "collections_per_group": collections_per_group, "rules_per_collection": rules_per_collection,
           "firewall_rules": firewalls * groups_per_policy * collections_per_group * rules_per_collection})
}

/// Firewalls, policies, rule collection groups (children), IP groups, public IPs.
type FirewallEstate = (Vec<Value>, Vec<Value>, Vec<Value>, Vec<Value>, Vec<Value>);

/// The private address of hub firewall `i` (in the hub VNet's `AzureFirewallSubnet`).
fn fw_ip(i: usize) -> String {
    format!("10.0.0.{}", 4 + i)
}

/// 50 firewalls with their policies (policies 10.. inherit policy `i % 10`), rule collection groups, IP groups and
/// public IPs. Rules mix application rules (exact and wildcard FQDNs, FQDN tags), network rules (CIDRs, ranges,
/// service tags, IP groups, port lists) and both actions; the last collection of each policy's last group allows
/// the registries for most policies, so verdicts differ (allow, deny by rule, no rule matched).
fn firewall_estate(
    rng: &mut Lcg,
    tag_names: &[String],
    firewalls: usize,
    groups: usize,
    collections: usize,
    rules: usize,
) -> FirewallEstate {
    let policy_id = |i: usize| nw(0, "firewallPolicies", &format!("afwp-{i}"));
    let ipg_id = |i: usize| nw(0, "ipGroups", &format!("ipg-{i}"));
    let ip_groups: Vec<Value> = (0..100)
        .map(|i| json!({"id": ipg_id(i), "name": format!("ipg-{i}"), "properties": {"ipAddresses":
            [format!("10.{}.0.0/16", i * 2 % 250), format!("10.{}.0.0-10.{}.255.255", (i * 2 + 1) % 250, (i * 2 + 1) % 250)]}}))
        .collect();
    let pips: Vec<Value> = (0..firewalls)
        .map(|i| {
            json!({"id": nw(0, "publicIPAddresses", &format!("pip-afw-{i}")), "name": format!("pip-afw-{i}"),
            "properties": {"ipAddress": format!("20.1.{}.10", i % 250)}})
        })
        .collect();
    let fw_list: Vec<Value> = (0..firewalls)
        .map(|i| {
            json!({"id": nw(0, "azureFirewalls", &format!("afw-{i}")), "name": format!("afw-{i}"), "location": "eastus",
            "properties": {"sku": {"name": "AZFW_VNet", "tier": "Standard"}, "firewallPolicy": {"id": policy_id(i)},
              "ipConfigurations": [{"name": "ipconfig", "properties": {"privateIPAddress": fw_ip(i),
                "subnet": {"id": format!("{}/subnets/AzureFirewallSubnet", nw(0, "virtualNetworks", "vnet-0"))},
                "publicIPAddress": {"id": nw(0, "publicIPAddresses", &format!("pip-afw-{i}"))}}}]}})
        })
        .collect();
    let policy_list: Vec<Value> = (0..firewalls)
        .map(|i| {
            let mut p = json!({"id": policy_id(i), "name": format!("afwp-{i}"), "location": "eastus", "properties": {
                "ruleCollectionGroups": (0..groups).map(|g| json!({"id": format!("{}/ruleCollectionGroups/rcg-{g}", policy_id(i))})).collect::<Vec<_>>(),
                "dnsSettings": {"enableProxy": i % 2 == 0}}});
            if i >= 10 {
                p["properties"]["basePolicy"] = json!({"id": policy_id(i % 10)});
            }
            p
        })
        .collect();
    let mut rcgs = Vec::new();
    for i in 0..firewalls {
        let mut value = Vec::new();
        for g in 0..groups {
            let mut cols = Vec::new();
            for c in 0..collections {
                let network = (g + c) % 2 == 0;
                let rule_list: Vec<Value> = (0..rules)
                    .map(|r| {
                        let source = match rng.below(4) {
                            0 => json!({"sourceAddresses": [format!("10.{}.0.0/16", rng.below(250))]}),
                            1 => json!({"sourceIpGroups": [ipg_id(rng.below(100) as usize)]}),
                            2 => json!({"sourceAddresses": [format!("10.{}.{}.0/24", rng.below(250), rng.below(256))]}),
                            _ => json!({"sourceAddresses": ["192.168.0.0/16"]}),
                        };
                        let mut rule = if network {
                            let dest = match rng.below(3) {
                                0 => json!({"destinationAddresses": [tag_names[rng.below(tag_names.len() as u32) as usize]]}),
                                1 => json!({"destinationAddresses": (0..3).map(|_| format!("20.{}.{}.0/24", rng.below(200), rng.below(256))).collect::<Vec<_>>()}),
                                _ => json!({"destinationFqdns": [format!("api{}.example.com", rng.below(1000))]}),
                            };
                            let mut n = json!({"ruleType": "NetworkRule", "name": format!("n{g}-{c}-{r}"), "ipProtocols": ["TCP"],
                                "destinationPorts": ["443", "8443-8445"]});
                            n.as_object_mut().expect("object").extend(dest.as_object().expect("object").clone());
                            n
                        } else {
                            let target = match rng.below(3) {
                                0 => json!({"targetFqdns": [format!("svc{}.example.com", rng.below(1000)), format!("*.team{}.example.org", rng.below(1000))]}),
                                1 => json!({"targetFqdns": [format!("acr{}.azurecr.io", rng.below(400))]}),
                                _ => json!({"fqdnTags": ["AzureKubernetesService"]}),
                            };
                            let mut a = json!({"ruleType": "ApplicationRule", "name": format!("a{g}-{c}-{r}"),
                                "protocols": [{"protocolType": "Https", "port": 443}]});
                            a.as_object_mut().expect("object").extend(target.as_object().expect("object").clone());
                            a
                        };
                        rule.as_object_mut().expect("object").extend(source.as_object().expect("object").clone());
                        rule
                    })
                    .collect();
                let last = g + 1 == groups && c + 1 == collections;
                let mut rule_list = rule_list;
                if last && i % 5 != 0 {
                    rule_list.push(json!({"ruleType": "ApplicationRule", "name": "registries", "sourceAddresses": ["10.0.0.0/8"],
                        "protocols": [{"protocolType": "Https", "port": 443}], "targetFqdns": ["*.azurecr.io", "*.blob.core.windows.net"]}));
                }
                cols.push(json!({"ruleCollectionType": "FirewallPolicyFilterRuleCollection", "name": format!("col-{c}"),
                    "priority": 100 + c * 10, "action": {"type": if rng.below(5) == 0 && !last {"Deny"} else {"Allow"}}, "rules": rule_list}));
            }
            value.push(
                json!({"id": format!("{}/ruleCollectionGroups/rcg-{g}", policy_id(i)), "name": format!("rcg-{g}"),
                "properties": {"priority": 100 + g * 100, "ruleCollections": cols}}),
            );
        }
        rcgs.push(json!({"parentId": policy_id(i), "value": value}));
    }
    (fw_list, policy_list, rcgs, ip_groups, pips)
}
