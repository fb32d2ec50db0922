//! Each hop of the path analysis on realistic ARM JSON: the clean demo estate with one change per test.

use super::common;
use acr_audit::analysis::PathFacts;
use acr_audit::analysis::{analyse, Facts, Selection};
use acr_audit::model::Model;
use acr_audit::snapshot::parse_snapshot;
use common::*;
use serde_json::{json, Value};

const SUB: &str = "/subscriptions/3f2b8c1e-7d4a-4e59-9b6f-0c1d2e3f4a5b";

fn clean() -> Value {
    read_json(&path("fixtures/demo/snapshot-clean.json"))
}

fn facts_of(snapshot: &Value, selection: Selection) -> Facts {
    let bytes = serde_json::to_vec(snapshot).unwrap();
    let model = Model::from_snapshot(parse_snapshot(&bytes, std::path::Path::new("test.json")).unwrap());
    analyse(&model, &selection)
}

/// Analyse exactly one client × registry pair.
fn pair(client: &str, registry: &str) -> Selection {
    Selection { pairs: vec![(client.into(), registry.into())], ..Selection::default() }
}

fn prod(snapshot: &Value) -> Facts {
    facts_of(snapshot, pair("aks-prod-eastus", "contosoprodacr"))
}

fn path_of<'a>(facts: &'a Facts, kind: &str) -> &'a PathFacts {
    facts.paths.iter().find(|p| p.endpoint.kind.as_str() == kind).unwrap_or_else(|| panic!("no {kind} path"))
}

fn resources<'a>(s: &'a mut Value, kind: &str) -> &'a mut Vec<Value> {
    s["resources"][kind].as_array_mut().unwrap()
}

fn named<'a>(list: &'a mut [Value], name: &str) -> &'a mut Value {
    list.iter_mut().find(|v| v["name"] == name).unwrap()
}

fn nsg_rule(nsg: &str, name: &str, priority: u32, access: &str, props: Value) -> Value {
    let mut p = json!({"protocol": "Tcp", "sourcePortRange": "*", "sourceAddressPrefix": "*", "access": access,
                       "priority": priority, "direction": "Outbound"});
    p.as_object_mut().unwrap().extend(props.as_object().unwrap().clone());
    json!({"name": name, "id": format!("{nsg}/securityRules/{name}"), "properties": p})
}

fn node_nsg(s: &mut Value) -> &mut Value {
    &mut resources(s, "Microsoft.Network/networkSecurityGroups")[0]
}

/// Add an outbound TCP rule to the AKS node subnet's NSG.
fn add_node_rule(s: &mut Value, name: &str, priority: u32, access: &str, props: Value) {
    let nsg = node_nsg(s);
    let rule = nsg_rule(nsg["id"].as_str().unwrap(), name, priority, access, props);
    nsg["properties"]["securityRules"].as_array_mut().unwrap().push(rule);
}

/// Turn the estate into a public one: the registry takes public traffic without dedicated data endpoints, and
/// the spoke has no private DNS link, so pulls go to `AzureContainerRegistry.EastUS` and `Storage.EastUS`.
fn public_estate() -> Value {
    let mut s = clean();
    let reg = named(resources(&mut s, "Microsoft.ContainerRegistry/registries"), "contosoprodacr");
    reg["properties"]["publicNetworkAccess"] = json!("Enabled");
    reg["properties"]["networkRuleSet"]["defaultAction"] = json!("Allow");
    reg["properties"]["dataEndpointEnabled"] = json!(false);
    reg["properties"]["dataEndpointHostNames"] = json!([]);
    s["children"]["Microsoft.Network/privateDnsZones/virtualNetworkLinks"][0]["value"]
        .as_array_mut()
        .unwrap()
        .retain(|l| l["name"] != "link-aks-prod");
    // Egress straight to the internet instead of through the hub firewall.
    resources(&mut s, "Microsoft.Network/routeTables")[0]["properties"]["routes"] = json!([]);
    node_nsg(&mut s)["properties"]["securityRules"]
        .as_array_mut()
        .unwrap()
        .retain(|r| r["name"] != "DenyInternetOutbound");
    s
}

// ---- NSG ----------------------------------------------------------------------------------------------------

#[test]
fn nsg_deny_on_regional_storage_tag_blocks_the_storage_endpoint_only() {
    let mut s = public_estate();
    add_node_rule(
        &mut s,
        "DenyStorage",
        200,
        "Deny",
        json!({"destinationPortRange": "443", "destinationAddressPrefix": "Storage.EastUS"}),
    );
    let f = prod(&s);
    let storage = path_of(&f, "storage");
    assert_eq!(storage.destination.service_tag.as_deref(), Some("Storage.EastUS"));
    assert_eq!(storage.nsg.verdict.as_str(), "deny");
    assert_eq!(storage.blocked_at.map(|b| b.as_str()), Some("nsg"));
    let deciding = &storage.nsg.evaluations[0].verdict.deciding_rules[0];
    assert_eq!((deciding.name.as_str(), deciding.priority), ("DenyStorage", 200));
    assert_eq!(path_of(&f, "login").nsg.verdict.as_str(), "allow");
}

#[test]
fn nsg_priority_decides_between_overlapping_rules() {
    let mut s = public_estate();
    add_node_rule(
        &mut s,
        "DenyStorage",
        300,
        "Deny",
        json!({"destinationPortRange": "*", "destinationAddressPrefix": "Storage.EastUS"}),
    );
    add_node_rule(
        &mut s,
        "AllowStorage443",
        250,
        "Allow",
        json!({"destinationPortRange": "443", "destinationAddressPrefix": "Storage.EastUS"}),
    );
    assert_eq!(path_of(&prod(&s), "storage").nsg.verdict.as_str(), "allow", "the lower priority number wins");
}

#[test]
fn nsg_rule_on_a_tag_missing_from_the_snapshot_is_not_guessed() {
    let mut s = public_estate();
    add_node_rule(
        &mut s,
        "AllowStorageGlobal",
        250,
        "Allow",
        json!({"destinationPortRange": "443", "destinationAddressPrefix": "Storage"}),
    );
    let f = prod(&s);
    let storage = path_of(&f, "storage");
    assert!(storage.nsg.uncertain);
    assert!(storage.nsg.evaluations[0].verdict.unresolved_rules[0].ends_with("/AllowStorageGlobal"));
    assert_eq!(storage.reachable.as_str(), "unknown");
}

#[test]
fn nsg_port_lists_and_ranges_match_443() {
    let mut s = public_estate();
    add_node_rule(
        &mut s,
        "DenyWeb",
        200,
        "Deny",
        json!({"destinationPortRanges": ["80", "440-450"], "destinationAddressPrefix": "Storage.EastUS"}),
    );
    assert_eq!(path_of(&prod(&s), "storage").nsg.verdict.as_str(), "deny");
    let mut s = public_estate();
    add_node_rule(
        &mut s,
        "DenyOther",
        200,
        "Deny",
        json!({"destinationPortRanges": ["80", "8443", "444-450"], "destinationAddressPrefix": "Storage.EastUS"}),
    );
    assert_eq!(path_of(&prod(&s), "storage").nsg.verdict.as_str(), "allow", "443 is in none of the ranges");
}

#[test]
fn nsg_allowing_single_cidrs_of_a_tag_is_partial_with_examples() {
    let mut s = public_estate();
    add_node_rule(
        &mut s,
        "AllowSomeStorage",
        200,
        "Allow",
        json!({"destinationPortRange": "443", "destinationAddressPrefixes": ["20.60.0.0/19", "20.38.98.0/24"]}),
    );
    add_node_rule(
        &mut s,
        "DenyRest",
        300,
        "Deny",
        json!({"destinationPortRange": "443", "destinationAddressPrefix": "Internet"}),
    );
    let f = prod(&s);
    let storage = path_of(&f, "storage");
    assert_eq!(storage.nsg.verdict.as_str(), "partial");
    assert_eq!(storage.reachable.as_str(), "partial");
    assert_eq!(storage.nsg.denied_examples, vec!["20.47.1.0/24", "52.239.152.0/22"]);
}

#[test]
fn nsg_rules_on_application_security_groups_apply_to_member_nics_only() {
    // A VM client whose NIC is in an ASG; the subnet NSG denies 443 to storage for that ASG only.
    let mut s = public_estate();
    let subnet = format!("{SUB}/resourceGroups/rg-aks-prod-eastus/providers/Microsoft.Network/virtualNetworks/vnet-aks-prod-eastus/subnets/snet-aks-nodes");
    let asg = format!("{SUB}/resourceGroups/rg-aks-prod-eastus/providers/Microsoft.Network/applicationSecurityGroups/asg-build-agents");
    let nic = |name: &str, asgs: Value| {
        json!({"id": format!("{SUB}/resourceGroups/rg-aks-prod-eastus/providers/Microsoft.Network/networkInterfaces/{name}"), "name": name,
        "properties": {"ipConfigurations": [{"name": "ipconfig1", "properties": {"privateIPAddress": "10.10.0.50", "subnet": {"id": subnet}, "applicationSecurityGroups": asgs}}]}})
    };
    resources(&mut s, "Microsoft.Network/networkInterfaces").push(nic("nic-agent", json!([{"id": asg}])));
    resources(&mut s, "Microsoft.Network/networkInterfaces").push(nic("nic-other", json!([])));
    add_node_rule(
        &mut s,
        "DenyAgentsStorage",
        200,
        "Deny",
        json!({"destinationPortRange": "443", "destinationAddressPrefix": "Storage.EastUS", "sourceApplicationSecurityGroups": [{"id": asg}]}),
    );
    for r in node_nsg(&mut s)["properties"]["securityRules"].as_array_mut().unwrap() {
        if r["name"] == "DenyAgentsStorage" {
            r["properties"].as_object_mut().unwrap().remove("sourceAddressPrefix");
        }
    }
    let agent = facts_of(&s, pair("nic-agent", "contosoprodacr"));
    assert_eq!(path_of(&agent, "storage").nsg.verdict.as_str(), "deny");
    let other = facts_of(&s, pair("nic-other", "contosoprodacr"));
    assert_eq!(path_of(&other, "storage").nsg.verdict.as_str(), "allow");
}

#[test]
fn nic_and_subnet_nsgs_with_tied_priorities_must_both_allow() {
    let mut s = public_estate();
    let subnet = format!("{SUB}/resourceGroups/rg-aks-prod-eastus/providers/Microsoft.Network/virtualNetworks/vnet-aks-prod-eastus/subnets/snet-aks-nodes");
    let nic_nsg =
        format!("{SUB}/resourceGroups/rg-aks-prod-eastus/providers/Microsoft.Network/networkSecurityGroups/nsg-vm-nic");
    resources(&mut s, "Microsoft.Network/networkSecurityGroups").push(json!({"id": nic_nsg, "name": "nsg-vm-nic", "location": "eastus",
        "properties": {"securityRules": [nsg_rule(&nic_nsg, "AllowStorage", 200, "Allow", json!({"destinationPortRange": "443", "destinationAddressPrefix": "Storage.EastUS"}))]}}));
    resources(&mut s, "Microsoft.Network/networkInterfaces").push(json!({"id": format!("{SUB}/resourceGroups/rg-aks-prod-eastus/providers/Microsoft.Network/networkInterfaces/nic-vm1"), "name": "nic-vm1",
        "properties": {"networkSecurityGroup": {"id": nic_nsg}, "ipConfigurations": [{"name": "ipconfig1", "properties": {"privateIPAddress": "10.10.0.60", "subnet": {"id": subnet}}}]}}));
    add_node_rule(
        &mut s,
        "DenyStorage",
        200,
        "Deny",
        json!({"destinationPortRange": "443", "destinationAddressPrefix": "Storage.EastUS"}),
    );
    let f = facts_of(&s, pair("nic-vm1", "contosoprodacr"));
    let storage = path_of(&f, "storage");
    let levels: Vec<(&str, &str)> =
        storage.nsg.evaluations.iter().map(|e| (e.level.as_str(), e.verdict.verdict.as_str())).collect();
    assert_eq!(levels, vec![("client_nic", "allow"), ("client_subnet", "deny")]);
    assert_eq!(storage.nsg.verdict.as_str(), "deny");
}

// ---- Routes --------------------------------------------------------------------------------------------------

#[test]
fn overlapping_udrs_and_a_service_tag_route_split_the_storage_range() {
    let mut s = public_estate();
    let rt = resources(&mut s, "Microsoft.Network/routeTables")[0]["id"].as_str().unwrap().to_string();
    resources(&mut s, "Microsoft.Network/routeTables")[0]["properties"]["routes"] = json!([
        {"id": format!("{rt}/routes/default"), "name": "default", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.0.0.4"}},
        {"id": format!("{rt}/routes/storage-direct"), "name": "storage-direct", "properties": {"addressPrefix": "Storage.EastUS", "nextHopType": "Internet"}},
        {"id": format!("{rt}/routes/blackhole"), "name": "blackhole", "properties": {"addressPrefix": "20.60.0.0/20", "nextHopType": "None"}}
    ]);
    let f = prod(&s);
    let storage = path_of(&f, "storage");
    let hop = |name: &str| storage.route.hops.iter().find(|h| h.route_name == name).unwrap();
    assert_eq!(hop("blackhole").examples, vec!["20.60.0.0/20"]);
    assert_eq!(hop("blackhole").coverage.as_str(), "some");
    assert_eq!(hop("storage-direct").next_hop_type.as_str(), "Internet");
    assert!(storage.route.hops.iter().all(|h| h.route_name != "default"), "the tag route covers the rest");
    assert_eq!((storage.reachable.as_str(), storage.blocked_at.map(|b| b.as_str())), ("partial", Some("route")));
    let login = path_of(&f, "login");
    assert_eq!(login.route.hops.len(), 1);
    assert_eq!((login.route.hops[0].route_name.as_str(), login.route.hops[0].coverage.as_str()), ("default", "all"));
}

/// A user route whose prefix is a service tag the snapshot lacks could capture the registry's addresses (or drop
/// them): the path is `unknown`, not `yes`, as with an NSG rule that cannot be resolved.
#[test]
fn a_route_with_an_unknown_service_tag_makes_the_path_unknown() {
    let mut s = public_estate();
    assert_eq!(path_of(&prod(&s), "login").reachable.as_str(), "yes", "the public estate's login path works");
    let rt = resources(&mut s, "Microsoft.Network/routeTables")[0]["id"].as_str().unwrap().to_string();
    resources(&mut s, "Microsoft.Network/routeTables")[0]["properties"]["routes"] = json!([
        {"id": format!("{rt}/routes/front-door"), "name": "front-door", "properties": {"addressPrefix": "AzureFrontDoor.Backend", "nextHopType": "None"}}
    ]);
    let f = prod(&s);
    let login = path_of(&f, "login");
    assert_eq!(login.route.unresolved, vec!["AzureFrontDoor.Backend".to_string()]);
    assert_eq!((login.reachable.as_str(), login.blocked_at), ("unknown", None));
}

#[test]
fn a_private_endpoint_in_an_unpeered_vnet_falls_to_the_none_system_route() {
    let mut s = clean();
    for v in resources(&mut s, "Microsoft.Network/virtualNetworks") {
        v["properties"]["virtualNetworkPeerings"] = json!([]);
        // Without the spoke's route table: its user 0.0.0.0/0 route would remove the private-range routes.
        for subnet in v["properties"]["subnets"].as_array_mut().unwrap() {
            subnet["properties"].as_object_mut().unwrap().remove("routeTable");
        }
    }
    let f = prod(&s);
    let login = path_of(&f, "login");
    assert_eq!(login.route.hops[0].next_hop_type.as_str(), "None");
    assert_eq!(login.route.hops[0].address_prefix, "10.0.0.0/8");
    assert_eq!(login.private_endpoint.as_ref().unwrap().peering.status.as_str(), "not_peered");
    assert_eq!(login.blocked_at.map(|b| b.as_str()), Some("peering"));
}

/// Hub-and-spoke: with its peerings gone, the spoke's `0.0.0.0/0` user route (which removes the private-range
/// `None` routes) sends the endpoint's address to the hub firewall, which the spoke cannot reach either: the
/// break is the spoke-to-hub peering, named through the appliance.
#[test]
fn a_private_endpoint_behind_an_unreachable_hub_appliance_is_blocked_at_the_spoke_to_hub_peering() {
    let mut s = clean();
    for v in resources(&mut s, "Microsoft.Network/virtualNetworks") {
        v["properties"]["virtualNetworkPeerings"] = json!([]);
    }
    let f = prod(&s);
    let login = path_of(&f, "login");
    assert_eq!(login.route.hops[0].next_hop_type.as_str(), "VirtualAppliance");
    assert_eq!(login.route.hops[0].address_prefix, "0.0.0.0/0");
    let pe = login.private_endpoint.as_ref().unwrap();
    let transit = pe.transit.as_ref().expect("the endpoint is reached through the appliance");
    assert_eq!(transit.client_to_appliance.as_str(), "not_peered");
    assert!(transit.appliance.as_deref().unwrap_or("").contains("/azureFirewalls/"), "{transit:?}");
    assert_eq!(pe.peering.status.as_str(), "not_peered");
    assert_eq!(login.blocked_at.map(|b| b.as_str()), Some("peering"));
}

// ---- DNS -----------------------------------------------------------------------------------------------------

#[test]
fn dns_with_a_linked_zone_resolves_to_the_private_endpoint() {
    let f = prod(&clean());
    let login = path_of(&f, "login");
    assert_eq!(login.dns.status.as_str(), "private");
    assert_eq!(login.dns.addresses, vec!["10.0.1.5"]);
    // Both private endpoints (hub and dev) serve the name; the record holds the hub one.
    assert_eq!(login.dns.expected_addresses, vec!["10.0.1.5", "10.20.1.4"]);
    assert!(!login.dns.stale);
    assert_eq!(login.reachable.as_str(), "yes");
    assert_eq!(path_of(&f, "data").dns.addresses, vec!["10.0.1.6"]);
}

#[test]
fn dns_without_a_link_resolves_publicly_and_meets_the_disabled_firewall() {
    let f = prod(&read_json(&path("fixtures/demo/snapshot.json")));
    let login = path_of(&f, "login");
    assert_eq!(login.dns.status.as_str(), "public");
    assert_eq!(login.destination.service_tag.as_deref(), Some("AzureContainerRegistry.EastUS"));
    // The hub Azure Firewall has no rule for the registry: it is the first hop that blocks, before the registry's own.
    assert_eq!(login.azure_firewall.as_ref().map(|f| f.verdict.as_str()), Some("deny"));
    assert_eq!(
        (login.firewall.verdict.as_str(), login.blocked_at.map(|b| b.as_str())),
        ("blocked", Some("azure_firewall"))
    );
}

#[test]
fn dns_linked_zone_without_the_data_record_is_nxdomain() {
    let mut s = clean();
    s["children"]["Microsoft.Network/privateDnsZones/A"][0]["value"]
        .as_array_mut()
        .unwrap()
        .retain(|r| r["name"] != "contosoprodacr.eastus.data");
    let f = prod(&s);
    let data = path_of(&f, "data");
    assert_eq!((data.dns.status.as_str(), data.blocked_at.map(|b| b.as_str())), ("nxdomain", Some("dns")));
    assert_eq!(path_of(&f, "login").dns.status.as_str(), "private");
}

#[test]
fn dns_stale_record_and_custom_dns_are_reported() {
    let mut s = clean();
    s["children"]["Microsoft.Network/privateDnsZones/A"][0]["value"][0]["properties"]["aRecords"] =
        json!([{"ipv4Address": "10.0.1.99"}]);
    named(resources(&mut s, "Microsoft.Network/virtualNetworks"), "vnet-aks-prod-eastus")["properties"]
        ["dhcpOptions"]["dnsServers"] = json!(["168.63.129.16"]);
    let f = prod(&s);
    let login = path_of(&f, "login");
    assert!(login.dns.stale);
    assert_eq!(login.dns.custom_dns_servers, vec!["168.63.129.16"]);
}

// ---- Registry firewall ---------------------------------------------------------------------------------------

#[test]
fn firewall_ip_rules_are_checked_against_egress_ips_by_cidr() {
    let mut s = public_estate();
    let reg = named(resources(&mut s, "Microsoft.ContainerRegistry/registries"), "contosoprodacr");
    reg["properties"]["networkRuleSet"] =
        json!({"defaultAction": "Deny", "ipRules": [{"action": "Allow", "value": "20.85.16.0/28"}]});
    let pip =
        format!("{SUB}/resourceGroups/rg-aks-prod-eastus/providers/Microsoft.Network/publicIPAddresses/pip-egress");
    s["resources"]["Microsoft.Network/publicIPAddresses"] =
        json!([{"id": pip, "name": "pip-egress", "properties": {"ipAddress": "20.85.16.9"}}]);
    let cluster =
        &mut resources(&mut s, "Microsoft.ContainerService/managedClusters")[0]["properties"]["networkProfile"];
    cluster["outboundType"] = json!("loadBalancer");
    cluster["loadBalancerProfile"] = json!({"effectiveOutboundIPs": [{"id": pip}]});
    assert_eq!(path_of(&prod(&s), "login").firewall.verdict.as_str(), "allowed");
    s["resources"]["Microsoft.Network/publicIPAddresses"][0]["properties"]["ipAddress"] = json!("20.85.17.9");
    let f = prod(&s);
    let login = path_of(&f, "login");
    assert_eq!(login.firewall.verdict.as_str(), "blocked");
    assert_eq!(login.firewall.uncovered_ips, vec!["20.85.17.9"]);
}

// ---- RBAC ----------------------------------------------------------------------------------------------------

fn with_custom_role(actions: Value, not_actions: Value) -> Value {
    let mut s = clean();
    let role = format!("{SUB}/providers/Microsoft.Authorization/roleDefinitions/0f1e2d3c-4b5a-4697-8877-665544332211");
    resources(&mut s, "Microsoft.Authorization/roleDefinitions").push(json!({"id": role, "name": "0f1e2d3c-4b5a-4697-8877-665544332211",
        "type": "Microsoft.Authorization/roleDefinitions", "properties": {"roleName": "Registry Reader (custom)", "type": "CustomRole",
        "permissions": [{"actions": actions, "notActions": not_actions, "dataActions": [], "notDataActions": []}], "assignableScopes": [SUB]}}));
    s["children"]["Microsoft.Authorization/roleAssignments"][0]["value"][0]["properties"]["roleDefinitionId"] =
        json!(role);
    s
}

#[test]
fn rbac_custom_role_with_a_wildcard_grants_pull() {
    let f = prod(&with_custom_role(json!(["Microsoft.ContainerRegistry/*/read"]), json!([])));
    assert_eq!(f.pairs[0].rbac.grants_pull.as_str(), "yes");
    assert_eq!(f.pairs[0].rbac.grants[0].role_name.as_deref(), Some("Registry Reader (custom)"));
}

#[test]
fn rbac_not_action_removes_pull() {
    let f = prod(&with_custom_role(
        json!(["Microsoft.ContainerRegistry/*/read"]),
        json!(["Microsoft.ContainerRegistry/registries/pull/read"]),
    ));
    assert_eq!(f.pairs[0].rbac.grants_pull.as_str(), "no");
}

#[test]
fn rbac_unreadable_assignments_are_unknown_not_missing() {
    let mut s = clean();
    s["children"]["Microsoft.Authorization/roleAssignments"] = json!([]);
    s["errors"] = json!([{"scope": format!("{SUB}/resourceGroups/rg-hub-eastus/providers/Microsoft.ContainerRegistry/registries/contosoprodacr"),
        "resourceType": "Microsoft.Authorization/roleAssignments", "status": 403, "code": "AuthorizationFailed", "message": "denied"}]);
    let f = prod(&s);
    assert_eq!(f.pairs[0].rbac.grants_pull.as_str(), "unknown");
    assert!(!f.pairs[0].rbac.assignments_readable);
}

#[test]
fn rbac_kubelet_identity_missing_from_the_node_vmss() {
    let mut s = clean();
    resources(&mut s, "Microsoft.Compute/virtualMachineScaleSets")[0]["identity"] = json!({"type": "SystemAssigned"});
    assert_eq!(prod(&s).pairs[0].rbac.identity_on_node_vmss.as_str(), "no");
    assert_eq!(prod(&clean()).pairs[0].rbac.identity_on_node_vmss.as_str(), "yes");
}
