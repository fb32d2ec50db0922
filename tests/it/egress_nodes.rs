//! Issue #10: clusters on the AKS-managed VNet (node subnets only on the nodes), egress ranges (NAT gateway and
//! node public IP prefixes), node public IPs, and IPv6 egress against the registry firewall. Each test is a
//! patch over a named fixture estate (`firewall`: the registry allows only `20.85.16.0/28`; the cluster
//! egresses through load balancer IP `20.85.16.9`), evaluated through the library, facts read as the rules see
//! them (JSON).

use super::common::*;
use acr_audit::analysis::{analyse, Selection};
use acr_audit::model::Model;
use acr_audit::pipeline::evaluate;
use acr_audit::rules::fixture::{merge_patch, Estates, Fixture};
use acr_audit::rules::Catalog;
use acr_audit::snapshot::parse_snapshot;
use serde_json::{json, Value};

const SUB: &str = "/subscriptions/3f2b8c1e-7d4a-4e59-9b6f-0c1d2e3f4a5b";
const NODE_RG: &str = "MC_rg-aks-prod-eastus_aks-prod-eastus_eastus";

fn cluster() -> String {
    format!(
        "{SUB}/resourceGroups/rg-aks-prod-eastus/providers/Microsoft.ContainerService/managedClusters/aks-prod-eastus"
    )
}
fn registry() -> String {
    format!("{SUB}/resourceGroups/rg-hub-eastus/providers/Microsoft.ContainerRegistry/registries/contosoprodacr")
}
fn node(kind: &str, name: &str) -> String {
    format!("{SUB}/resourceGroups/{NODE_RG}/providers/{kind}/{name}")
}
fn vmss() -> String {
    node("Microsoft.Compute/virtualMachineScaleSets", "aks-nodepool1-38412657-vmss")
}
fn managed_vnet() -> String {
    node("Microsoft.Network/virtualNetworks", "aks-vnet-38412657")
}
fn managed_subnet() -> String {
    format!("{}/subnets/aks-subnet", managed_vnet())
}
fn node_subnet() -> String {
    format!(
        "{SUB}/resourceGroups/rg-aks-prod-eastus/providers/Microsoft.Network/virtualNetworks/vnet-aks-prod-eastus/subnets/snet-aks-nodes"
    )
}
fn lb_pip() -> String {
    format!("{SUB}/resourceGroups/rg-aks-prod-eastus/providers/Microsoft.Network/publicIPAddresses/pip-aks-prod-egress")
}
fn kubelet() -> String {
    node("Microsoft.ManagedIdentity/userAssignedIdentities", "aks-prod-eastus-agentpool")
}

/// `base` with `patch` applied, as a rule fixture would be.
fn estate(base: &str, patch: Value) -> Value {
    let fixture = Fixture { base: base.into(), expect: None, patch };
    Estates::in_repository(&root()).apply(&fixture, "egress_nodes.rs").unwrap()
}

/// Facts as the rules receive them.
fn facts(snapshot: &Value) -> Value {
    let bytes = serde_json::to_vec(snapshot).unwrap();
    let model = Model::from_snapshot(parse_snapshot(&bytes, std::path::Path::new("test.json")).unwrap());
    serde_json::to_value(analyse(&model, &Selection::default())).unwrap()
}

/// `(rule, resource)` of the findings of `rules` on a snapshot.
fn findings(snapshot: &Value, rules: &[&str]) -> Vec<(String, String, String)> {
    let bytes = serde_json::to_vec(snapshot).unwrap();
    let parsed = parse_snapshot(&bytes, std::path::Path::new("test.json")).unwrap();
    let catalog = Catalog::load(true, &[]).unwrap();
    let evaluation = evaluate(parsed, "test.json", &catalog, &rule_run(rules, Selection::default())).unwrap();
    evaluation.report.findings.iter().map(|f| (f.rule.clone(), f.resource.clone(), f.message.clone())).collect()
}

fn client(f: &Value) -> &Value {
    f["clients"].as_array().unwrap().iter().find(|c| c["id"] == cluster().as_str()).expect("the cluster")
}

/// The login path of the cluster to `contosoprodacr` (paths of every node subnet).
fn login_paths(f: &Value) -> Vec<&Value> {
    f["paths"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["client"] == cluster().as_str() && p["registry"] == registry().as_str())
        .filter(|p| p["endpoint"]["kind"] == "login")
        .collect()
}

fn one_login_path(f: &Value) -> &Value {
    let paths = login_paths(f);
    assert_eq!(paths.len(), 1, "one node subnet, one login path: {paths:#?}");
    paths[0]
}

fn reg_002(snapshot: &Value) -> Vec<String> {
    findings(snapshot, &["ACR-REG-002"])
        .into_iter()
        .filter(|(rule, resource, _)| rule == "ACR-REG-002" && resource.eq_ignore_ascii_case(&registry()))
        .map(|(_, _, msg)| msg)
        .collect()
}

/// The AKS-managed VNet of the node resource group, with its one node subnet (no NSG, no route table).
fn managed_vnet_resource() -> Value {
    json!({"name": "aks-vnet-38412657", "location": "eastus", "type": "Microsoft.Network/virtualNetworks",
        "properties": {"addressSpace": {"addressPrefixes": ["10.224.0.0/12"]},
            "subnets": [{"id": managed_subnet(), "name": "aks-subnet",
                "properties": {"addressPrefix": "10.224.0.0/16"}}]}})
}

/// A cluster created without `vnetSubnetID`: the pool names no subnet.
fn pool_without_subnet(kind: &str, extra: Value) -> Value {
    let mut pool = json!({"name": "nodepool1", "count": 3, "vmSize": "Standard_D4s_v5", "osType": "Linux",
        "type": kind, "mode": "System", "provisioningState": "Succeeded", "orchestratorVersion": "1.30.5"});
    pool.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    pool
}

/// The VMSS network profile as ARM returns it
/// (`ComputeRP/stable/2024-07-01/examples/virtualMachineScaleSetExamples/VirtualMachineScaleSet_Create_WithAzureLoadBalancer.json`).
fn vmss_network_profile(subnet: &str) -> Value {
    json!({"virtualMachineProfile": {"networkProfile": {"networkInterfaceConfigurations": [{
        "name": "aks-nodepool1-38412657-vmss",
        "properties": {"primary": true, "enableIPForwarding": true, "ipConfigurations": [{
            "name": "ipconfig1",
            "properties": {"subnet": {"id": subnet}, "privateIPAddressVersion": "IPv4"}}]}}]}}})
}

/// A cluster on the AKS-managed VNet whose node pool is a scale set.
fn managed_vnet_patch() -> Value {
    json!({"resources": {
        "Microsoft.ContainerService/managedClusters": {cluster(): {"properties": {
            "agentPoolProfiles": [pool_without_subnet("VirtualMachineScaleSets", json!({}))],
            "networkProfile": {"networkPlugin": "kubenet"}}}},
        "Microsoft.Network/virtualNetworks": {managed_vnet(): managed_vnet_resource()},
        "Microsoft.Compute/virtualMachineScaleSets": {vmss(): {"properties": vmss_network_profile(&managed_subnet())}},
    }})
}

#[test]
fn a_cluster_without_vnet_subnet_id_gets_paths_from_its_scale_set() {
    let s = estate("firewall", managed_vnet_patch());
    let f = facts(&s);
    assert_eq!(client(&f)["subnet_ids"], json!([managed_subnet()]));
    assert_eq!(client(&f)["subnets_unknown"], Value::Null);
    let login = one_login_path(&f);
    assert_eq!(login["subnet"], managed_subnet().as_str());
    assert_eq!(login["firewall"]["verdict"], "allowed", "{login:#}");
    assert!(reg_002(&s).is_empty());
    // The load balancer IP leaves the allowed range: the finding fires on the AKS-managed VNet's path.
    let s = estate(
        "firewall",
        both(
            managed_vnet_patch(),
            json!({"resources": {"Microsoft.Network/publicIPAddresses": {lb_pip(): {"properties": {"ipAddress": "20.85.17.9"}}}}}),
        ),
    );
    let msgs = reg_002(&s);
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(msgs[0].contains("20.85.17.9"), "{msgs:?}");
}

/// Two patches as one (RFC 7396 over the patch objects: keys are ids, so the second refines the first).
fn both(first: Value, second: Value) -> Value {
    merge_patch(first, &second).unwrap()
}

#[test]
fn a_virtual_machines_pool_gets_paths_and_identity_from_its_vms() {
    let vm = node("Microsoft.Compute/virtualMachines", "aks-nodepool1-13222729-vms0");
    let nic = node("Microsoft.Network/networkInterfaces", "aks-nodepool1-13222729-vms0");
    let patch = json!({"resources": {
        "Microsoft.ContainerService/managedClusters": {cluster(): {"properties": {
            "agentPoolProfiles": [pool_without_subnet("VirtualMachines", json!({}))],
            "networkProfile": {"networkPlugin": "azure", "networkPluginMode": "overlay"}}}},
        "Microsoft.Network/virtualNetworks": {managed_vnet(): managed_vnet_resource()},
        "Microsoft.Compute/virtualMachineScaleSets": {vmss(): null},
        // Shape: ComputeRP/stable/2024-07-01/examples/virtualMachineExamples/VirtualMachine_Get.json.
        // A type the base estate lacks: a whole list, not keyed entries.
        "Microsoft.Compute/virtualMachines": [{"id": vm.clone(), "name": "aks-nodepool1-13222729-vms0",
            "type": "Microsoft.Compute/virtualMachines", "location": "eastus",
            "tags": {"aks-managed-poolName": "nodepool1"},
            "identity": {"type": "UserAssigned", "userAssignedIdentities": {kubelet(): {}}},
            "properties": {"networkProfile": {"networkInterfaces": [{"id": nic}]}}}],
        "Microsoft.Network/networkInterfaces": {nic.clone(): {"name": "aks-nodepool1-13222729-vms0",
            "type": "Microsoft.Network/networkInterfaces",
            "properties": {"virtualMachine": {"id": vm}, "ipConfigurations": [{"name": "ipconfig1",
                "properties": {"privateIPAddress": "10.224.0.4", "subnet": {"id": managed_subnet()}}}]}}},
    }});
    let s = estate("firewall", patch.clone());
    let f = facts(&s);
    assert_eq!(client(&f)["subnet_ids"], json!([managed_subnet()]));
    assert_eq!(one_login_path(&f)["firewall"]["verdict"], "allowed");
    let pair = f["pairs"].as_array().unwrap().iter().find(|p| p["registry"] == registry().as_str()).unwrap();
    assert_eq!(pair["rbac"]["identity_on_node_vmss"], "yes", "{:#}", pair["rbac"]);
    assert_eq!(pair["rbac"]["node_vmss"], json!([vm]));
    // The kubelet identity taken off the node VM: ACR-IAM-003 names the VM.
    let s = estate(
        "firewall",
        both(
            patch,
            json!({"resources": {"Microsoft.Compute/virtualMachines": [{"id": vm.clone(), "name": "aks-nodepool1-13222729-vms0",
                "tags": {"aks-managed-poolName": "nodepool1"}, "identity": {"type": "SystemAssigned"},
                "properties": {"networkProfile": {"networkInterfaces": [{"id": nic}]}}}]}}),
        ),
    );
    let iam = findings(&s, &["ACR-IAM-003"]);
    assert!(
        iam.iter().any(|(rule, _, msg)| rule == "ACR-IAM-003" && msg.contains("aks-nodepool1-13222729-vms0")),
        "{iam:?}"
    );
}

#[test]
fn node_subnets_that_cannot_be_found_make_the_paths_unknown_not_clean() {
    let mut patch = managed_vnet_patch();
    patch["resources"]["Microsoft.Compute/virtualMachineScaleSets"] = json!({vmss(): null});
    patch["errors"] = json!([{"scope": format!("{SUB}/resourceGroups/{NODE_RG}"),
        "resourceType": "Microsoft.Compute/virtualMachineScaleSets", "status": 403, "code": "AuthorizationFailed",
        "message": "does not have authorization to perform action 'Microsoft.Compute/virtualMachineScaleSets/read'"}]);
    let s = estate("firewall", patch);
    let f = facts(&s);
    assert_eq!(client(&f)["subnet_ids"], json!([]));
    let why = client(&f)["subnets_unknown"].as_str().expect("subnets_unknown is set");
    assert!(why.contains("nodepool1") && why.contains("could not be read"), "{why}");
    assert!(login_paths(&f).is_empty());
    let meta = findings(&s, &["ACR-META-001"]);
    assert!(
        meta.iter().any(|(_, resource, msg)| resource.eq_ignore_ascii_case(&cluster()) && msg.contains("not analysed")),
        "{meta:?}"
    );
}

/// A NAT gateway on the node subnet whose only egress is a public IP prefix.
fn nat_prefix_patch(ip_prefix: &str) -> Value {
    let nat = format!("{SUB}/resourceGroups/rg-aks-prod-eastus/providers/Microsoft.Network/natGateways/nat-aks-prod");
    let prefix =
        format!("{SUB}/resourceGroups/rg-aks-prod-eastus/providers/Microsoft.Network/publicIPPrefixes/ippre-aks-prod");
    let vnet = format!(
        "{SUB}/resourceGroups/rg-aks-prod-eastus/providers/Microsoft.Network/virtualNetworks/vnet-aks-prod-eastus"
    );
    json!({"resources": {
        "Microsoft.Network/virtualNetworks": {vnet: {"properties": {"subnets": {node_subnet(): {"properties": {"natGateway": {"id": nat}}}}}}},
        // Shape: network/stable/2024-05-01 NatGatewayGet (`publicIpPrefixes`) and PublicIpPrefixGet (`ipPrefix`).
        "Microsoft.Network/natGateways": [{"id": nat, "name": "nat-aks-prod", "type": "Microsoft.Network/natGateways",
            "location": "eastus", "sku": {"name": "Standard"},
            "properties": {"publicIpPrefixes": [{"id": prefix}], "subnets": [{"id": node_subnet()}]}}],
        "Microsoft.Network/publicIPPrefixes": [{"id": prefix, "name": "ippre-aks-prod", "type": "Microsoft.Network/publicIPPrefixes",
            "location": "eastus", "sku": {"name": "Standard"},
            "properties": {"prefixLength": 30, "publicIPAddressVersion": "IPv4", "ipPrefix": ip_prefix}}],
    }})
}

#[test]
fn a_nat_gateway_prefix_outside_the_ip_rules_is_blocked() {
    let s = estate("firewall", nat_prefix_patch("20.85.18.0/30"));
    let f = facts(&s);
    let login = one_login_path(&f);
    assert_eq!(login["firewall"]["verdict"], "blocked", "{login:#}");
    assert_eq!(login["firewall"]["uncovered_prefixes"], json!(["20.85.18.0/30"]));
    let msgs = reg_002(&s);
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(msgs[0].contains("20.85.18.0/30"), "{msgs:?}");
}

#[test]
fn a_nat_gateway_prefix_inside_an_ip_rule_is_allowed() {
    let s = estate("firewall", nat_prefix_patch("20.85.16.4/30"));
    assert_eq!(one_login_path(&facts(&s))["firewall"]["verdict"], "allowed");
    assert!(reg_002(&s).is_empty());
}

#[test]
fn a_nat_gateway_prefix_partly_inside_the_ip_rules_is_blocked_with_the_count() {
    let s = estate(
        "firewall",
        both(
            nat_prefix_patch("20.85.16.12/30"),
            json!({"resources": {"Microsoft.ContainerRegistry/registries": {registry(): {"properties": {"networkRuleSet": {"ipRules": [{"action": "Allow", "value": "20.85.16.12/31"}]}}}}}}),
        ),
    );
    let f = facts(&s);
    let fw = &one_login_path(&f)["firewall"];
    assert_eq!(fw["verdict"], "blocked");
    assert!(fw["reason"].as_str().unwrap().contains("2 of its 4 addresses"), "{fw:#}");
    assert_eq!(reg_002(&s).len(), 1);
}

#[test]
fn node_public_ips_without_a_prefix_leave_the_firewall_unknown() {
    // The load balancer IP is outside the rules, but the nodes egress from their own public IPs.
    let patch = json!({"resources": {
        "Microsoft.ContainerService/managedClusters": {cluster(): {"properties": {"agentPoolProfiles": [
            pool_without_subnet("VirtualMachineScaleSets", json!({"vnetSubnetID": node_subnet(), "enableNodePublicIP": true}))]}}},
        "Microsoft.Network/publicIPAddresses": {lb_pip(): {"properties": {"ipAddress": "20.85.17.9"}}},
    }});
    let s = estate("firewall", patch);
    let f = facts(&s);
    let fw = &one_login_path(&f)["firewall"];
    assert_eq!(fw["verdict"], "unknown", "{fw:#}");
    assert!(fw["reason"].as_str().unwrap().contains("enableNodePublicIP"), "{fw:#}");
    assert!(reg_002(&s).is_empty(), "unknown is not blocked");
}

#[test]
fn node_public_ips_from_a_prefix_are_judged_as_that_range() {
    let prefix =
        format!("{SUB}/resourceGroups/rg-aks-prod-eastus/providers/Microsoft.Network/publicIPPrefixes/ippre-nodes");
    let patch = |range: &str| {
        json!({"resources": {
            "Microsoft.ContainerService/managedClusters": {cluster(): {"properties": {"agentPoolProfiles": [
                pool_without_subnet("VirtualMachineScaleSets", json!({"vnetSubnetID": node_subnet(),
                    "enableNodePublicIP": true, "nodePublicIPPrefixID": prefix}))]}}},
            "Microsoft.Network/publicIPAddresses": {lb_pip(): {"properties": {"ipAddress": "20.85.17.9"}}},
            "Microsoft.Network/publicIPPrefixes": [{"id": prefix.clone(), "name": "ippre-nodes",
                "properties": {"prefixLength": 29, "publicIPAddressVersion": "IPv4", "ipPrefix": range}}],
        }})
    };
    let inside = estate("firewall", patch("20.85.16.8/29"));
    assert_eq!(one_login_path(&facts(&inside))["firewall"]["verdict"], "allowed");
    assert!(reg_002(&inside).is_empty());
    let outside = estate("firewall", patch("20.85.19.8/29"));
    let msgs = reg_002(&outside);
    assert!(msgs.len() == 1 && msgs[0].contains("20.85.19.8/29"), "{msgs:?}");
}

#[test]
fn ipv6_egress_of_a_dual_stack_cluster_is_not_judged_against_ipv4_rules() {
    let v6 = format!(
        "{SUB}/resourceGroups/rg-aks-prod-eastus/providers/Microsoft.Network/publicIPAddresses/pip-aks-prod-egress-v6"
    );
    let patch = json!({"resources": {
        "Microsoft.ContainerService/managedClusters": {cluster(): {"properties": {"networkProfile": {
            "ipFamilies": ["IPv4", "IPv6"],
            "loadBalancerProfile": {"effectiveOutboundIPs": [{"id": lb_pip()}, {"id": v6}]}}}}},
        "Microsoft.Network/publicIPAddresses": {v6.clone(): {"name": "pip-aks-prod-egress-v6",
            "properties": {"publicIPAddressVersion": "IPv6", "ipAddress": "2603:1030:20e:3::1a"}}},
    }});
    let s = estate("firewall", patch);
    let f = facts(&s);
    let fw = &one_login_path(&f)["firewall"];
    assert_eq!(fw["verdict"], "allowed", "{fw:#}");
    assert_eq!(fw["other_family"], json!(["2603:1030:20e:3::1a"]));
    assert!(reg_002(&s).is_empty());
}

#[test]
fn a_route_to_an_appliance_overrides_the_nat_gateway_egress() {
    // The NAT gateway's prefix is outside the rules, but a 0.0.0.0/0 route sends the traffic to the hub firewall,
    // which wins over the NAT gateway: the registry sees the appliance's address, which ARM does not give.
    let rt = format!("{SUB}/resourceGroups/rg-aks-prod-eastus/providers/Microsoft.Network/routeTables/rt-aks-egress");
    let route = json!({"resources": {"Microsoft.Network/routeTables": {rt.clone(): {"properties": {"routes": [{
        "id": format!("{rt}/routes/default-via-firewall"), "name": "default-via-firewall",
        "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.0.0.4"}}]}}}}});
    let s = estate("firewall", both(nat_prefix_patch("20.85.18.0/30"), route));
    let f = facts(&s);
    let fw = &one_login_path(&f)["firewall"];
    assert_eq!(fw["verdict"], "unknown", "{fw:#}");
    assert!(fw["reason"].as_str().unwrap().contains("10.0.0.4"), "{fw:#}");
    assert!(reg_002(&s).is_empty(), "the NAT gateway's prefix is not what the registry sees");
}

#[test]
fn a_scale_set_public_ip_configuration_without_a_prefix_leaves_the_firewall_unknown() {
    // The pool says nothing about public IPs, but the scale set gives each instance one (instance-level public
    // IPs win over the load balancer's outbound IPs).
    let mut profile = vmss_network_profile(&managed_subnet());
    profile["virtualMachineProfile"]["networkProfile"]["networkInterfaceConfigurations"][0]["properties"]
        ["ipConfigurations"][0]["properties"]["publicIPAddressConfiguration"] =
        json!({"name": "pub1", "properties": {"publicIPAddressVersion": "IPv4", "idleTimeoutInMinutes": 15}});
    let mut patch = managed_vnet_patch();
    patch["resources"]["Microsoft.Compute/virtualMachineScaleSets"] = json!({vmss(): {"properties": profile}});
    let s = estate("firewall", patch);
    let f = facts(&s);
    let fw = &one_login_path(&f)["firewall"];
    assert_eq!(fw["verdict"], "unknown", "{fw:#}");
    assert!(fw["reason"].as_str().unwrap().contains("aks-nodepool1-38412657-vmss"), "{fw:#}");
}
