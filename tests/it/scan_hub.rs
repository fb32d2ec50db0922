//! Live collection of a hub-and-spoke landing zone (issue #11): the demo estate is the application
//! subscription (the only one scanned); its AKS VNet is peered to a hub VNet in a connectivity subscription, routes
//! `0.0.0.0/0` to the hub firewall and resolves through a DNS Private Resolver inbound endpoint there; the
//! firewall's policy inherits from a base policy in a third subscription, and its rules name IP groups in both.
//! Every hub resource is a published example body from `tests/corpus/bodies`, with only ids, names, references
//! and the addresses that join them changed. The collector must find all of it from the spoke, with reads only
//! (the fake answers GETs only, as Reader allows), and record every read it could not make as an error.

use super::common::*;
use super::fake_arm::{FakeArm, Fault, Options};
use super::scan_live::expected_requests;
use serde_json::{json, Value};
use std::collections::BTreeSet;

const APP: &str = DEMO_SUBSCRIPTION;
const CONN: &str = "c0ffee00-0000-4000-8000-000000000001";
const BASE: &str = "c0ffee00-0000-4000-8000-000000000002";

fn conn() -> String {
    format!("/subscriptions/{CONN}/resourceGroups/rg-connectivity/providers/Microsoft.Network")
}
fn base() -> String {
    format!("/subscriptions/{BASE}/resourceGroups/rg-policies/providers/Microsoft.Network")
}
fn hub_vnet() -> String {
    format!("{}/virtualNetworks/vnet-conn-eastus", conn())
}
fn firewall() -> String {
    format!("{}/azureFirewalls/fw-hub", conn())
}
fn policy() -> String {
    format!("{}/firewallPolicies/fwp-hub", conn())
}
fn base_policy() -> String {
    format!("{}/firewallPolicies/fwp-base", base())
}
fn ip_group_nodes() -> String {
    format!("{}/ipGroups/ipg-aks-nodes", conn())
}
fn ip_group_acr() -> String {
    format!("{}/ipGroups/ipg-acr", base())
}
fn firewall_pip() -> String {
    format!("{}/publicIPAddresses/pip-fw-hub", conn())
}
fn resolver() -> String {
    format!("{}/dnsResolvers/dnsr-hub", conn())
}
fn ruleset() -> String {
    format!("{}/dnsForwardingRulesets/dnsfrs-hub", conn())
}

/// The firewall's private address (in `AzureFirewallSubnet` 10.30.1.0/26) and the resolver's inbound address
/// (in the delegated 10.30.2.0/28).
const FIREWALL_IP: &str = "10.30.1.4";
const INBOUND_IP: &str = "10.30.2.4";

fn body(rel: &str) -> Value {
    read_json(&path(&format!("tests/corpus/bodies/{rel}")))
}

/// A published body with its example ids replaced (`from` → `to`, in every string).
fn rebased(mut v: Value, replace: &[(&str, &str)]) -> Value {
    fn walk(v: &mut Value, replace: &[(&str, &str)]) {
        match v {
            Value::String(s) => {
                for (from, to) in replace {
                    if s.contains(from) {
                        *s = s.replace(from, to);
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|x| walk(x, replace)),
            Value::Object(o) => o.values_mut().for_each(|x| walk(x, replace)),
            _ => {}
        }
    }
    walk(&mut v, replace);
    v
}

fn push(estate: &mut Value, kind: &str, item: Value) {
    estate["resources"][kind].as_array_mut().map(|a| a.push(item.clone())).unwrap_or_else(|| {
        estate["resources"][kind] = json!([item]);
    });
}

fn push_child(estate: &mut Value, kind: &str, parent: &str, items: Vec<Value>) {
    let entry = json!({"parentId": parent, "value": items});
    match estate["children"][kind].as_array_mut() {
        Some(a) => a.push(entry),
        None => estate["children"][kind] = json!([entry]),
    }
}

fn by_id<'a>(list: &'a mut Value, id_part: &str) -> &'a mut Value {
    list.as_array_mut().unwrap().iter_mut().find(|v| v["id"].as_str().unwrap().contains(id_part)).unwrap()
}

/// The landing zone (see the module documentation).
fn landing_zone() -> Value {
    let mut e = read_json(&path("fixtures/demo/snapshot.json"));
    // The demo keeps its own hub firewall in the application subscription; this landing zone's hub is in the
    // connectivity subscription instead, so the demo's firewall, policies and their groups are taken out.
    for kind in ["Microsoft.Network/azureFirewalls", "Microsoft.Network/firewallPolicies", "Microsoft.Network/ipGroups"]
    {
        e["resources"].as_object_mut().unwrap().remove(kind);
    }
    e["children"].as_object_mut().unwrap().remove("Microsoft.Network/firewallPolicies/ruleCollectionGroups");
    let subnet = |name: &str| format!("{}/subnets/{name}", hub_vnet());
    // The hub VNet: `VirtualNetworkGet` (2024-07-01) with the firewall subnet (its IP configuration names the
    // firewall, as ARM lists a subnet's users) and the resolver's delegated subnets, whose delegation is the one
    // `VirtualNetworkGetWithSubnetDelegation` publishes with the resolver's service name.
    let mut vnet = rebased(
        body("network/2024-07-01/VirtualNetworkGet.json"),
        &[(
            "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/test-vnet",
            &hub_vnet(),
        )],
    );
    vnet["name"] = json!("vnet-conn-eastus");
    vnet["location"] = json!("eastus");
    vnet["properties"]["addressSpace"]["addressPrefixes"] = json!(["10.30.0.0/16"]);
    let template = vnet["properties"]["subnets"][0].clone();
    let delegation = body("network/2024-05-01/VirtualNetworkGetWithSubnetDelegation.json")["properties"]["subnets"][0]
        ["properties"]["delegations"][0]
        .clone();
    let mut subnets = Vec::new();
    for (name, prefix, users) in [
        (
            "AzureFirewallSubnet",
            "10.30.1.0/26",
            Some(format!("{}/azureFirewallIpConfigurations/ipconfig1", firewall())),
        ),
        ("snet-dns-inbound", "10.30.2.0/28", None),
        ("snet-dns-outbound", "10.30.3.0/28", None),
    ] {
        let mut s = template.clone();
        s["name"] = json!(name);
        s["id"] = json!(subnet(name));
        s["properties"]["addressPrefix"] = json!(prefix);
        match users {
            Some(config) => s["properties"]["ipConfigurations"] = json!([{"id": config}]),
            None => {
                s["properties"]["ipConfigurations"] = json!([]);
                let mut d = delegation.clone();
                d["name"] = json!("Microsoft.Network.dnsResolvers");
                d["id"] = json!(format!("{}/delegations/Microsoft.Network.dnsResolvers", subnet(name)));
                d["properties"]["serviceName"] = json!("Microsoft.Network/dnsResolvers");
                s["properties"]["delegations"] = json!([d]);
            }
        }
        subnets.push(s);
    }
    vnet["properties"]["subnets"] = json!(subnets);
    push(&mut e, "Microsoft.Network/virtualNetworks", vnet);

    // The spoke: peered to the hub, resolving through the inbound endpoint, routing through the firewall.
    let spoke = by_id(&mut e["resources"]["Microsoft.Network/virtualNetworks"], "vnet-aks-prod-eastus");
    let mut peering = spoke["properties"]["virtualNetworkPeerings"][0].clone();
    peering["name"] = json!("aks-prod-to-conn");
    peering["id"] = json!(format!("{}/virtualNetworkPeerings/aks-prod-to-conn", spoke["id"].as_str().unwrap()));
    peering["properties"]["remoteVirtualNetwork"]["id"] = json!(hub_vnet());
    peering["properties"]["remoteAddressSpace"]["addressPrefixes"] = json!(["10.30.0.0/16"]);
    peering["properties"]["remoteVirtualNetworkAddressSpace"]["addressPrefixes"] = json!(["10.30.0.0/16"]);
    spoke["properties"]["virtualNetworkPeerings"].as_array_mut().unwrap().push(peering);
    spoke["properties"]["dhcpOptions"]["dnsServers"] = json!([INBOUND_IP]);
    let rt = by_id(&mut e["resources"]["Microsoft.Network/routeTables"], "rt-aks-egress");
    rt["properties"]["routes"][0]["properties"]["nextHopIpAddress"] = json!(FIREWALL_IP);

    // The firewall (`AzureFirewallGet`): on a policy, so its classic collections are emptied (a firewall uses
    // one or the other); its IP configuration id has the segment ARM serves (`azureFirewallIpConfigurations`).
    let mut fw = rebased(
        body("network/2024-05-01/AzureFirewallGet.json"),
        &[
            ("/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/azureFirewalls/azurefirewall/ipConfigurations/", &format!("{}/azureFirewallIpConfigurations/", firewall())),
            ("/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/azureFirewalls/azurefirewall", &firewall()),
            ("/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vnet2", &hub_vnet()),
            ("/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/publicIPAddresses/pipName", &firewall_pip()),
        ],
    );
    fw["name"] = json!("fw-hub");
    fw["location"] = json!("eastus");
    fw["properties"]["ipConfigurations"][0]["name"] = json!("ipconfig1");
    fw["properties"]["ipConfigurations"][0]["id"] =
        json!(format!("{}/azureFirewallIpConfigurations/ipconfig1", firewall()));
    fw["properties"]["ipConfigurations"][0]["properties"]["privateIPAddress"] = json!(FIREWALL_IP);
    for c in ["applicationRuleCollections", "natRuleCollections", "networkRuleCollections"] {
        fw["properties"][c] = json!([]);
    }
    fw["properties"]["firewallPolicy"] = json!({"id": policy()});
    push(&mut e, "Microsoft.Network/azureFirewalls", fw);
    // The public IP it SNATs to (`PublicIpAddressGet`), attached to the firewall's IP configuration.
    let mut pip = body("network/2024-05-01/PublicIpAddressGet.json");
    pip["id"] = json!(firewall_pip());
    pip["name"] = json!("pip-fw-hub");
    pip["location"] = json!("eastus");
    pip["properties"]["ipConfiguration"]["id"] =
        json!(format!("{}/azureFirewallIpConfigurations/ipconfig1", firewall()));
    push(&mut e, "Microsoft.Network/publicIPAddresses", pip);

    // The policy (`FirewallPolicyGet`, 2024-07-01) with its base policy (`FirewallPolicyListBySubscription`).
    let example_policy =
        "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/firewallPolicies/firewallPolicy";
    let mut p = rebased(body("network/2024-07-01/FirewallPolicyGet.json"), &[(example_policy, &policy())]);
    p["name"] = json!("fwp-hub");
    p["properties"]["basePolicy"] = json!({"id": base_policy()});
    p["properties"]["firewalls"] = json!([{"id": firewall()}]);
    push(&mut e, "Microsoft.Network/firewallPolicies", p);
    let mut bp = rebased(
        body("network/2024-05-01/FirewallPolicyListBySubscription.json")["value"][0].clone(),
        &[(example_policy, &base_policy())],
    );
    bp["name"] = json!("fwp-base");
    push(&mut e, "Microsoft.Network/firewallPolicies", bp);

    // Their rule collection groups; the hub's rules name one IP group in each subscription.
    let group = rebased(
        body("network/2024-05-01/FirewallPolicyRuleCollectionGroupWithIpGroupsGet.json"),
        &[
            (&format!("{example_policy}/ruleGroups/ruleGroup1"), &format!("{}/ruleCollectionGroups/rcg-aks", policy())),
            (
                "/subscriptions/subid/providers/Microsoft.Network/resourceGroup/rg1/ipGroups/ipGroups1",
                &ip_group_nodes(),
            ),
            ("/subscriptions/subid/providers/Microsoft.Network/resourceGroup/rg1/ipGroups/ipGroups2", &ip_group_acr()),
        ],
    );
    push_child(&mut e, "Microsoft.Network/firewallPolicies/ruleCollectionGroups", &policy(), vec![group]);
    let base_group = rebased(
        body("network/2024-07-01/FirewallPolicyRuleCollectionGroupGet.json"),
        &[(example_policy, &base_policy())],
    );
    push_child(&mut e, "Microsoft.Network/firewallPolicies/ruleCollectionGroups", &base_policy(), vec![base_group]);
    for (id, name, addresses) in [
        (ip_group_nodes(), "ipg-aks-nodes", json!(["10.10.0.0/22"])),
        (ip_group_acr(), "ipg-acr", json!(["10.0.1.0/24"])),
    ] {
        let mut g = body("network/2024-07-01/IpGroupsGet.json");
        g["id"] = json!(id);
        g["name"] = json!(name);
        g["location"] = json!("eastus");
        g["properties"]["ipAddresses"] = addresses;
        g["properties"]["firewalls"] = json!([]);
        push(&mut e, "Microsoft.Network/ipGroups", g);
    }

    // The resolver (`DnsResolver_Get`) in the hub VNet, its endpoints, and a ruleset linked to the hub VNet.
    let mut r = body("dnsresolver/2022-06-21/DnsResolver_Get.json");
    r["id"] = json!(resolver());
    r["name"] = json!("dnsr-hub");
    r["location"] = json!("eastus");
    r["properties"]["virtualNetwork"]["id"] = json!(hub_vnet());
    push(&mut e, "Microsoft.Network/dnsResolvers", r);
    let mut inbound = body("dnsresolver/2022-07-01/InboundEndpoint_Get.json");
    inbound["id"] = json!(format!("{}/inboundEndpoints/in-hub", resolver()));
    inbound["name"] = json!("in-hub");
    inbound["properties"]["ipConfigurations"][0]["subnet"]["id"] = json!(subnet("snet-dns-inbound"));
    inbound["properties"]["ipConfigurations"][0]["privateIpAddress"] = json!(INBOUND_IP);
    push_child(&mut e, "Microsoft.Network/dnsResolvers/inboundEndpoints", &resolver(), vec![inbound]);
    let mut outbound = body("dnsresolver/2022-07-01/OutboundEndpoint_Get.json");
    outbound["id"] = json!(format!("{}/outboundEndpoints/out-hub", resolver()));
    outbound["name"] = json!("out-hub");
    outbound["properties"]["subnet"]["id"] = json!(subnet("snet-dns-outbound"));
    push_child(&mut e, "Microsoft.Network/dnsResolvers/outboundEndpoints", &resolver(), vec![outbound]);
    let mut rs = body("dnsresolver/2022-07-01/DnsForwardingRuleset_Get.json");
    rs["id"] = json!(ruleset());
    rs["name"] = json!("dnsfrs-hub");
    rs["properties"]["dnsResolverOutboundEndpoints"] =
        json!([{"id": format!("{}/outboundEndpoints/out-hub", resolver())}]);
    push(&mut e, "Microsoft.Network/dnsForwardingRulesets", rs);
    let mut rule = body("dnsresolver/2022-07-01/ForwardingRule_Put.json");
    rule["id"] = json!(format!("{}/forwardingRules/contoso", ruleset()));
    rule["name"] = json!("contoso");
    push_child(&mut e, "Microsoft.Network/dnsForwardingRulesets/forwardingRules", &ruleset(), vec![rule]);
    let mut link = body("dnsresolver/2022-06-21/VirtualNetworkLink_List.json")["value"][0].clone();
    link["id"] = json!(format!("{}/virtualNetworkLinks/link-hub", ruleset()));
    link["name"] = json!("link-hub");
    link["properties"]["virtualNetwork"]["id"] = json!(hub_vnet());
    push_child(&mut e, "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks", &ruleset(), vec![link]);
    e
}

/// The ids of a type in a collected snapshot, lower-cased.
fn ids(snap: &Value, kind: &str) -> BTreeSet<String> {
    snap["resources"][kind]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| v["id"].as_str().unwrap().to_ascii_lowercase())
        .collect()
}

/// The parents of a child type in a collected snapshot, lower-cased.
fn parents(snap: &Value, kind: &str) -> BTreeSet<String> {
    snap["children"][kind]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| c["parentId"].as_str().unwrap().to_ascii_lowercase())
        .collect()
}

fn set(items: &[String]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_ascii_lowercase()).collect()
}

/// `(resourceType, scope)` of every error, lower-cased.
fn errors(snap: &Value) -> BTreeSet<(String, String)> {
    snap["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["resourceType"].as_str().unwrap().to_string(), e["scope"].as_str().unwrap().to_ascii_lowercase()))
        .collect()
}

/// The subscription lists of the resolvers and rulesets in the connectivity subscription.
fn conn_lists() -> [String; 2] {
    ["dnsResolvers", "dnsForwardingRulesets"].map(|t| format!("/subscriptions/{CONN}/providers/Microsoft.Network/{t}"))
}

/// The requests for the hub outside the scanned subscription, each once.
fn hub_reads() -> BTreeSet<(String, String)> {
    let get = |p: String| ("GET".to_string(), p.to_ascii_lowercase());
    let [resolvers, rulesets] = conn_lists();
    [
        get(hub_vnet()),
        get(firewall()),
        get(firewall_pip()),
        get(policy()),
        get(base_policy()),
        get(format!("{}/ruleCollectionGroups", policy())),
        get(format!("{}/ruleCollectionGroups", base_policy())),
        get(ip_group_nodes()),
        get(ip_group_acr()),
        // The connectivity subscription's resolvers and rulesets, listed once each (one page: one of each).
        get(resolvers),
        get(rulesets),
        get(format!("{}/inboundEndpoints", resolver())),
        get(format!("{}/outboundEndpoints", resolver())),
        get(format!("{}/forwardingRules", ruleset())),
        get(format!("{}/virtualNetworkLinks", ruleset())),
    ]
    .into_iter()
    .collect()
}

/// The requests the fake saw under the connectivity and base subscriptions, `(method, path)` without query.
fn outside_requests(fake: &FakeArm) -> Vec<(String, String)> {
    fake.requests()
        .into_iter()
        .map(|(m, p)| (m, p.split('?').next().unwrap().to_ascii_lowercase()))
        .filter(|(_, p)| p.contains(CONN) || p.contains(BASE))
        .collect()
}

#[test]
fn the_hub_in_unscanned_subscriptions_is_found_from_the_spoke_and_read_by_id() {
    let estate = landing_zone();
    let fake = FakeArm::start(&estate, Options::default());
    let run = scan_fake_arm(&fake, &[], &["--fail-on", "none"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let snap = run.snapshot.expect("snapshot saved");
    assert_eq!(snap["errors"], json!([]), "{:#?}", fake.requests());
    assert_valid(&path("docs/snapshot.schema.json"), &snap);
    // The firewall a route points to, its policy and the base policy in a third subscription, both policies'
    // rule collection groups, and the IP groups their rules name.
    assert_eq!(ids(&snap, "Microsoft.Network/azureFirewalls"), set(&[firewall()]));
    assert!(
        ids(&snap, "Microsoft.Network/publicIPAddresses").contains(&firewall_pip().to_ascii_lowercase()),
        "the SNAT address"
    );
    assert_eq!(ids(&snap, "Microsoft.Network/firewallPolicies"), set(&[policy(), base_policy()]));
    assert_eq!(
        parents(&snap, "Microsoft.Network/firewallPolicies/ruleCollectionGroups"),
        set(&[policy(), base_policy()])
    );
    assert_eq!(ids(&snap, "Microsoft.Network/ipGroups"), set(&[ip_group_nodes(), ip_group_acr()]));
    // The resolver the spoke's DNS server belongs to, found through the peered hub VNet by listing its
    // subscription, with its endpoints, and the ruleset of that subscription with its rules and links.
    assert_eq!(ids(&snap, "Microsoft.Network/dnsResolvers"), set(&[resolver()]));
    assert_eq!(ids(&snap, "Microsoft.Network/dnsForwardingRulesets"), set(&[ruleset()]));
    for (kind, parent) in [
        ("Microsoft.Network/dnsResolvers/inboundEndpoints", resolver()),
        ("Microsoft.Network/dnsResolvers/outboundEndpoints", resolver()),
        ("Microsoft.Network/dnsForwardingRulesets/forwardingRules", ruleset()),
        ("Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks", ruleset()),
    ] {
        assert_eq!(parents(&snap, kind), set(&[parent]), "{kind}");
    }
    let inbound = &snap["children"]["Microsoft.Network/dnsResolvers/inboundEndpoints"][0]["value"][0];
    assert_eq!(inbound["properties"]["ipConfigurations"][0]["privateIpAddress"], INBOUND_IP, "kept as ARM sent it");
    // Each hub read exactly once, and nothing else outside the scanned subscription.
    let outside = outside_requests(&fake);
    assert_eq!(outside.iter().cloned().collect::<BTreeSet<_>>(), hub_reads(), "{outside:#?}");
    assert_eq!(outside.len(), hub_reads().len(), "no hub read twice: {outside:#?}");
    // The scanned subscription's resolvers and rulesets are listed once, as every scanned list is.
    for t in ["dnsResolvers", "dnsForwardingRulesets"] {
        let list = format!("/subscriptions/{APP}/providers/Microsoft.Network/{t}").to_ascii_lowercase();
        let n = fake.requests().iter().filter(|(_, p)| p.to_ascii_lowercase().split('?').next() == Some(&list)).count();
        assert_eq!(n, 1, "{t}");
    }
    // Reads only: nothing a Reader could not send.
    assert!(fake.requests().iter().all(|(m, _)| m == "GET"), "{:#?}", fake.requests());
    assert_eq!(fake.requests().len(), expected_requests(&estate, 2) + hub_reads().len(), "{:#?}", fake.requests());
    // The snapshot reads back into the model with the hub joined up.
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &run.snapshot_text).unwrap();
    let model = acr_audit::model::Model::from_snapshot(acr_audit::snapshot::load_snapshot(file.path()).unwrap());
    assert!(model.azure_firewall(&firewall()).is_some());
    assert_eq!(model.rule_collection_groups(&base_policy()).map(|g| g.len()), Some(1));
    assert_eq!(model.inbound_endpoints(&resolver()).map(|e| e.len()), Some(1));
    assert_eq!(model.ruleset_links(&ruleset()).map(|l| l.len()), Some(1));
}

#[test]
fn a_forbidden_connectivity_subscription_is_recorded_and_nothing_is_invented() {
    // The hub VNet is readable (a network team's shared VNet) but the firewall read and the connectivity
    // subscription's resolver and ruleset lists are refused.
    let estate = landing_zone();
    let [resolvers, rulesets] = conn_lists();
    let faults = vec![
        Fault::status(
            &format!(
                "/subscriptions/{CONN}/resourcegroups/rg-connectivity/providers/microsoft.network/azurefirewalls/"
            ),
            403,
            "AuthorizationFailed",
            1000,
        ),
        Fault::status(&resolvers, 403, "AuthorizationFailed", 1000),
        Fault::status(&rulesets, 403, "AuthorizationFailed", 1000),
    ];
    let fake = FakeArm::start(&estate, Options { faults, ..Options::default() });
    let run = scan_fake_arm(&fake, &[], &["--fail-on", "none"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let snap = run.snapshot.expect("snapshot saved");
    let conn_scope = format!("/subscriptions/{CONN}");
    let want: BTreeSet<(String, String)> = [
        ("Microsoft.Network/azureFirewalls".to_string(), firewall().to_ascii_lowercase()),
        ("Microsoft.Network/dnsResolvers".to_string(), conn_scope.clone()),
        ("Microsoft.Network/dnsForwardingRulesets".to_string(), conn_scope.clone()),
    ]
    .into_iter()
    .collect();
    assert_eq!(errors(&snap), want, "{:#?}", snap["errors"]);
    for e in snap["errors"].as_array().unwrap() {
        assert_eq!(e["status"], 403, "{e}");
        assert_eq!(e["code"], "AuthorizationFailed", "{e}");
    }
    // Nothing that could not be read is in the snapshot, and nothing was asked on its behalf.
    for kind in [
        "Microsoft.Network/azureFirewalls",
        "Microsoft.Network/firewallPolicies",
        "Microsoft.Network/ipGroups",
        "Microsoft.Network/dnsResolvers",
        "Microsoft.Network/dnsForwardingRulesets",
    ] {
        assert!(ids(&snap, kind).is_empty(), "{kind}: {:?}", ids(&snap, kind));
    }
    let outside: BTreeSet<(String, String)> = outside_requests(&fake).into_iter().collect();
    let want: BTreeSet<(String, String)> = [hub_vnet(), firewall(), resolvers, rulesets]
        .into_iter()
        .map(|p| ("GET".to_string(), p.to_ascii_lowercase()))
        .collect();
    assert_eq!(outside, want);
    // The model says the resolver and the rulesets of the connectivity subscription are unread, not absent.
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &run.snapshot_text).unwrap();
    let model = acr_audit::model::Model::from_snapshot(acr_audit::snapshot::load_snapshot(file.path()).unwrap());
    assert!(model.unread(&resolver(), "Microsoft.Network/dnsResolvers"));
    assert!(model.unread(&ruleset(), "Microsoft.Network/dnsForwardingRulesets"));
    assert!(model.unread(&firewall(), "Microsoft.Network/azureFirewalls"));
    // The report says what could not be read, which read permission it needs, and which verdict is unknown.
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let meta: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "ACR-META-001")
        .map(|f| (f["resource"].as_str().unwrap().to_ascii_lowercase(), f["message"].as_str().unwrap().to_string()))
        .collect();
    let message = |resource: &str, kind: &str| {
        meta.iter()
            .find(|(r, m)| *r == resource.to_ascii_lowercase() && m.contains(&format!("Could not read {kind} at")))
            .map(|(_, m)| m.clone())
            .unwrap_or_else(|| panic!("no ACR-META-001 for {kind} at {resource}: {meta:#?}"))
    };
    let fw = message(&firewall(), "Microsoft.Network/azureFirewalls");
    assert!(fw.contains("needs Microsoft.Network/azureFirewalls/read") && fw.contains("firewall hop"), "{fw}");
    for kind in ["Microsoft.Network/dnsResolvers", "Microsoft.Network/dnsForwardingRulesets"] {
        let m = message(&conn_scope, kind);
        assert!(m.contains(&format!("needs {kind}/read")) && m.contains("DNS chain"), "{m}");
    }
    // Unread is not absent: no DNS chain or firewall finding is made from what could not be read.
    let fired: BTreeSet<String> =
        report["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_string()).collect();
    for rule in ["ACR-DNS-005", "ACR-DNS-006", "ACR-FW-001"] {
        assert!(!fired.contains(rule), "{rule}: {fired:?}");
    }
}

#[test]
fn a_wholly_unreadable_connectivity_subscription_is_one_error_at_the_hub_vnet() {
    let estate = landing_zone();
    let faults = vec![Fault::status(&format!("/subscriptions/{CONN}/"), 403, "AuthorizationFailed", 1000)];
    let fake = FakeArm::start(&estate, Options { faults, ..Options::default() });
    let run = scan_fake_arm(&fake, &[], &["--fail-on", "none"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let snap = run.snapshot.expect("snapshot saved");
    // The peered VNet could not be read, so where the next hop and the DNS server lead is unknown: that is the
    // error, and no firewall or resolver is guessed from the addresses.
    let want: BTreeSet<(String, String)> =
        [("Microsoft.Network/virtualNetworks".to_string(), hub_vnet().to_ascii_lowercase())].into_iter().collect();
    assert_eq!(errors(&snap), want, "{:#?}", snap["errors"]);
    assert!(ids(&snap, "Microsoft.Network/azureFirewalls").is_empty());
    assert!(ids(&snap, "Microsoft.Network/dnsResolvers").is_empty());
    let outside = outside_requests(&fake);
    assert_eq!(outside, vec![("GET".to_string(), hub_vnet().to_ascii_lowercase())], "{outside:#?}");
}

#[test]
fn a_forbidden_base_policy_is_an_error_and_the_rest_of_the_chain_is_read() {
    let estate = landing_zone();
    let faults = vec![Fault::status(&format!("/subscriptions/{BASE}/"), 403, "AuthorizationFailed", 1000)];
    let fake = FakeArm::start(&estate, Options { faults, ..Options::default() });
    let run = scan_fake_arm(&fake, &[], &["--fail-on", "none"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let snap = run.snapshot.expect("snapshot saved");
    let want: BTreeSet<(String, String)> = [
        ("Microsoft.Network/firewallPolicies".to_string(), base_policy().to_ascii_lowercase()),
        ("Microsoft.Network/ipGroups".to_string(), ip_group_acr().to_ascii_lowercase()),
    ]
    .into_iter()
    .collect();
    assert_eq!(errors(&snap), want, "{:#?}", snap["errors"]);
    assert_eq!(ids(&snap, "Microsoft.Network/firewallPolicies"), set(&[policy()]), "the base policy is not invented");
    assert_eq!(parents(&snap, "Microsoft.Network/firewallPolicies/ruleCollectionGroups"), set(&[policy()]));
    assert_eq!(ids(&snap, "Microsoft.Network/ipGroups"), set(&[ip_group_nodes()]));
    assert_eq!(ids(&snap, "Microsoft.Network/azureFirewalls"), set(&[firewall()]));
    assert!(!fake.requests().iter().any(|(_, p)| p.to_ascii_lowercase().contains("fwp-base/rulecollectiongroups")));
}

#[test]
fn a_base_policy_chain_that_loops_is_read_once_per_policy() {
    let mut estate = landing_zone();
    // The base policy names the hub policy as its own base: ARM would refuse it, a hostile server need not.
    let bp = by_id(&mut estate["resources"]["Microsoft.Network/firewallPolicies"], "fwp-base");
    bp["properties"]["basePolicy"] = json!({"id": policy()});
    let fake = FakeArm::start(&estate, Options::default());
    let run = scan_fake_arm(&fake, &[], &["--fail-on", "none"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert_eq!(run.snapshot.unwrap()["errors"], json!([]));
    let outside = outside_requests(&fake);
    for p in [policy(), base_policy()] {
        let gets = outside.iter().filter(|(m, path)| m == "GET" && *path == p.to_ascii_lowercase()).count();
        assert_eq!(gets, 1, "{p}: {outside:#?}");
    }
    assert_eq!(outside.len(), hub_reads().len(), "{outside:#?}");
}

#[test]
fn every_resolver_and_ruleset_of_a_listed_connectivity_subscription_is_kept_with_its_children() {
    // A second region's resolver in the same connectivity subscription, in a VNet no spoke uses: a forwarding
    // rule may target its inbound endpoint, so it is kept and its endpoints read, as in a scanned subscription.
    let mut estate = landing_zone();
    let west = format!("{}/dnsResolvers/dnsr-westus", conn());
    let mut r = body("dnsresolver/2022-06-21/DnsResolver_Get.json");
    r["id"] = json!(west);
    r["name"] = json!("dnsr-westus");
    r["location"] = json!("westus");
    r["properties"]["virtualNetwork"]["id"] = json!(format!("{}/virtualNetworks/vnet-conn-westus", conn()));
    push(&mut estate, "Microsoft.Network/dnsResolvers", r);
    let mut inbound = body("dnsresolver/2022-07-01/InboundEndpoint_Get.json");
    inbound["id"] = json!(format!("{west}/inboundEndpoints/in-westus"));
    inbound["name"] = json!("in-westus");
    inbound["properties"]["ipConfigurations"][0]["privateIpAddress"] = json!("10.40.2.4");
    push_child(&mut estate, "Microsoft.Network/dnsResolvers/inboundEndpoints", &west, vec![inbound]);
    let fake = FakeArm::start(&estate, Options::default());
    let run = scan_fake_arm(&fake, &[], &["--fail-on", "none"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let snap = run.snapshot.expect("snapshot saved");
    assert_eq!(snap["errors"], json!([]));
    assert_eq!(ids(&snap, "Microsoft.Network/dnsResolvers"), set(&[resolver(), west.clone()]));
    assert_eq!(parents(&snap, "Microsoft.Network/dnsResolvers/inboundEndpoints"), set(&[resolver(), west.clone()]));
    // Two resolvers still fit one page of the list; each resolver costs its two endpoint lists.
    let mut want = hub_reads();
    for child in ["inboundEndpoints", "outboundEndpoints"] {
        want.insert(("GET".to_string(), format!("{west}/{child}").to_ascii_lowercase()));
    }
    let outside = outside_requests(&fake);
    assert_eq!(outside.iter().cloned().collect::<BTreeSet<_>>(), want, "{outside:#?}");
    assert_eq!(outside.len(), want.len(), "{outside:#?}");
}
