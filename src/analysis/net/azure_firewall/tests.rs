//! Each Azure Firewall behaviour the evaluator models, on shapes from the published examples
//! (`AzureFirewallGet.json`, `FirewallPolicyRuleCollectionGroupGet.json`, `IpGroupsGet.json`, network 2024-05-01).

use super::*;
use crate::snapshot::parse_snapshot;
use serde_json::{json, Value};

const RG: &str = "/subscriptions/s/resourceGroups/hub/providers/Microsoft.Network";

fn fw_id() -> String {
    format!("{RG}/azureFirewalls/fw-hub")
}
fn policy_id(name: &str) -> String {
    format!("{RG}/firewallPolicies/{name}")
}

fn app_rule(name: &str, fqdns: &[&str], sources: &[&str]) -> Value {
    json!({"ruleType": "ApplicationRule", "name": name, "protocols": [{"protocolType": "Https", "port": 443}],
           "targetFqdns": fqdns, "sourceAddresses": sources})
}
fn net_rule(name: &str, dests: &[&str], sources: &[&str]) -> Value {
    json!({"ruleType": "NetworkRule", "name": name, "ipProtocols": ["TCP"], "destinationPorts": ["443"],
           "destinationAddresses": dests, "sourceAddresses": sources})
}
fn collection(name: &str, priority: u32, action: &str, rules: Vec<Value>) -> Value {
    json!({"ruleCollectionType": "FirewallPolicyFilterRuleCollection", "name": name, "priority": priority,
           "action": {"type": action}, "rules": rules})
}
fn group(policy: &str, name: &str, priority: u32, collections: Vec<Value>) -> Value {
    json!({"id": format!("{}/ruleCollectionGroups/{name}", policy_id(policy)), "name": name,
           "properties": {"priority": priority, "ruleCollections": collections}})
}

/// A snapshot with the hub firewall using `policy`, the given policies (name → base), their groups, IP groups,
/// service tags, and errors.
fn model(policies: &[(&str, Option<&str>)], groups: &[(&str, Vec<Value>)], extra: Value, errors: Value) -> Model {
    let policy_list: Vec<Value> = policies
        .iter()
        .map(|(name, base)| {
            let mut p = json!({"id": policy_id(name), "name": name, "properties": {}});
            if let Some(b) = base {
                p["properties"]["basePolicy"] = json!({"id": policy_id(b)});
            }
            p
        })
        .collect();
    let children: Vec<Value> =
        groups.iter().map(|(policy, gs)| json!({"parentId": policy_id(policy), "value": gs})).collect();
    let mut resources = json!({
        "Microsoft.Network/azureFirewalls": [{"id": fw_id(), "name": "fw-hub", "properties": {
            "ipConfigurations": [{"name": "c", "properties": {"privateIPAddress": "10.0.0.4"}}],
            "firewallPolicy": {"id": policy_id(policies.last().map(|p| p.0).unwrap_or("none"))}}}],
        "Microsoft.Network/firewallPolicies": policy_list,
    });
    if let Value::Object(m) = extra {
        for (k, v) in m {
            resources[k] = v;
        }
    }
    let doc = json!({"schema": "acr-audit/snapshot/v1", "resources": resources,
        "children": {"Microsoft.Network/firewallPolicies/ruleCollectionGroups": children},
        "serviceTags": [{"name": "Public", "id": "Public", "values": [
            {"name": "AzureContainerRegistry.EastUS", "id": "AzureContainerRegistry.EastUS",
             "properties": {"region": "eastus", "addressPrefixes": ["20.42.66.0/23", "20.62.128.0/26"]}}]}],
        "errors": errors});
    let bytes = serde_json::to_vec(&doc).unwrap();
    Model::from_snapshot(parse_snapshot(&bytes, std::path::Path::new("t.json")).expect("snapshot"))
}

fn set(p: &str) -> IpSet {
    IpSet::parse_prefix(p).unwrap()
}

/// Evaluate the hub firewall for nodes 10.10.0.0/22 → the ACR tag → `fqdn`.
fn decide_for(m: &Model, source: &str, fqdn: &str) -> Decision {
    let mut resolver = AddressResolver::new(m);
    let mut cache = FirewallCache::default();
    let fw = m.azure_firewall(&fw_id()).unwrap();
    let compiled = cache.get(m, &mut resolver, fw);
    let (src, dst) = (set(source), resolver.service_tag("AzureContainerRegistry.EastUS").unwrap());
    compiled.evaluate(Flow { source: &src, destination: &dst, fqdn })
}
fn decide(m: &Model, fqdn: &str) -> Decision {
    decide_for(m, "10.10.0.0/22", fqdn)
}

fn rule_name(d: &Decision) -> String {
    match d {
        Decision::Allow { rules } => format!("allow:{}", rules.last().unwrap().rule),
        Decision::Deny { rule: Some(r), partial } => {
            format!("deny:{}{}", r.rule, if *partial { ":partial" } else { "" })
        }
        Decision::Deny { rule: None, partial } => format!("deny:-{}", if *partial { ":partial" } else { "" }),
        Decision::Unknown { .. } => "unknown".into(),
    }
}

#[test]
fn groups_then_collections_by_priority_first_match_decides() {
    let m = model(
        &[("p", None)],
        &[(
            "p",
            vec![
                group(
                    "p",
                    "late",
                    300,
                    vec![collection("allow-acr", 100, "Allow", vec![app_rule("acr", &["*.azurecr.io"], &["*"])])],
                ),
                group(
                    "p",
                    "early",
                    200,
                    vec![
                        collection("allow-mine", 500, "Allow", vec![app_rule("mine", &["contoso.azurecr.io"], &["*"])]),
                        collection("deny-mine", 400, "Deny", vec![app_rule("block", &["contoso.azurecr.io"], &["*"])]),
                    ],
                ),
            ],
        )],
        json!({}),
        json!([]),
    );
    // Group 200 before group 300; inside it, collection 400 (deny) before 500 (allow).
    assert_eq!(rule_name(&decide(&m, "contoso.azurecr.io")), "deny:block");
    // Another registry: nothing in group 200 matches; group 300 allows it.
    assert_eq!(rule_name(&decide(&m, "fabrikam.azurecr.io")), "allow:acr");
}

#[test]
fn parent_policy_collections_come_first_whatever_their_priority() {
    let m = model(
        &[("base", None), ("child", Some("base"))],
        &[
            (
                "base",
                vec![group(
                    "base",
                    "base-rules",
                    65000,
                    vec![collection("deny", 65000, "Deny", vec![app_rule("no-acr", &["*.azurecr.io"], &["*"])])],
                )],
            ),
            (
                "child",
                vec![group(
                    "child",
                    "child-rules",
                    100,
                    vec![collection("allow", 100, "Allow", vec![app_rule("acr", &["*.azurecr.io"], &["*"])])],
                )],
            ),
        ],
        json!({}),
        json!([]),
    );
    let d = decide(&m, "contoso.azurecr.io");
    assert_eq!(rule_name(&d), "deny:no-acr");
    let Decision::Deny { rule: Some(r), .. } = d else { unreachable!() };
    assert_eq!(r.policy.as_deref(), Some(policy_id("base").as_str()));
}

#[test]
fn network_rules_before_application_rules() {
    let m = model(
        &[("p", None)],
        &[(
            "p",
            vec![
                group(
                    "p",
                    "apps",
                    100,
                    vec![collection("deny-apps", 100, "Deny", vec![app_rule("no-acr", &["*.azurecr.io"], &["*"])])],
                ),
                group(
                    "p",
                    "net",
                    500,
                    vec![collection(
                        "allow-net",
                        100,
                        "Allow",
                        vec![net_rule("acr-tag", &["AzureContainerRegistry.EastUS"], &["10.10.0.0/16"])],
                    )],
                ),
            ],
        )],
        json!({}),
        json!([]),
    );
    assert_eq!(rule_name(&decide(&m, "contoso.azurecr.io")), "allow:acr-tag", "a service tag covers the destination");
}

#[test]
fn no_matching_rule_is_deny() {
    let m = model(
        &[("p", None)],
        &[(
            "p",
            vec![group(
                "p",
                "g",
                100,
                vec![collection("c", 100, "Allow", vec![app_rule("mcr", &["mcr.microsoft.com"], &["*"])])],
            )],
        )],
        json!({}),
        json!([]),
    );
    assert_eq!(rule_name(&decide(&m, "contoso.azurecr.io")), "deny:-");
}

#[test]
fn wildcard_target_fqdns_match_anything_to_their_left_but_not_the_apex() {
    assert_eq!(fqdn_match("*.azurecr.io", "contoso.azurecr.io"), FqdnMatch::Yes);
    assert_eq!(fqdn_match("*.azurecr.io", "contoso.eastus.data.azurecr.io"), FqdnMatch::Yes);
    assert_eq!(fqdn_match("*.azurecr.io", "azurecr.io"), FqdnMatch::No);
    assert_eq!(fqdn_match("CONTOSO.azurecr.io", "contoso.azurecr.io"), FqdnMatch::Yes);
    assert_eq!(fqdn_match("contoso.azurecr.io", "fabrikam.azurecr.io"), FqdnMatch::No);
    assert_eq!(fqdn_match("*", "contoso.azurecr.io"), FqdnMatch::Yes);
    // A storage endpoint is any account: only a pattern covering every account decides it.
    assert_eq!(fqdn_match("*.blob.core.windows.net", "*.blob.core.windows.net"), FqdnMatch::Yes);
    assert_eq!(fqdn_match("*.core.windows.net", "*.blob.core.windows.net"), FqdnMatch::Yes);
    assert_eq!(fqdn_match("acct.blob.core.windows.net", "*.blob.core.windows.net"), FqdnMatch::Maybe);
    assert_eq!(fqdn_match("*.azurecr.io", "*.blob.core.windows.net"), FqdnMatch::No);
}

#[test]
fn ip_group_sources_count_and_partial_source_coverage_never_allows() {
    let ipg = format!("{RG}/ipGroups/aks-nodes");
    let rule = json!({"ruleType": "ApplicationRule", "name": "acr", "protocols": [{"protocolType": "Https", "port": 443}],
        "targetFqdns": ["*.azurecr.io"], "sourceIpGroups": [ipg]});
    let m = model(
        &[("p", None)],
        &[("p", vec![group("p", "g", 100, vec![collection("c", 100, "Allow", vec![rule])])])],
        json!({"Microsoft.Network/ipGroups": [{"id": ipg, "name": "aks-nodes", "properties": {"ipAddresses": ["10.10.0.0-10.10.1.255"]}}]}),
        json!([]),
    );
    assert_eq!(rule_name(&decide_for(&m, "10.10.0.0/23", "contoso.azurecr.io")), "allow:acr");
    // Nodes 10.10.0.0/22: the group covers half of them; the other half meets no rule.
    assert_eq!(rule_name(&decide_for(&m, "10.10.0.0/22", "contoso.azurecr.io")), "deny:-:partial");
}

#[test]
fn an_unread_ip_group_or_service_tag_is_unknown_not_absent() {
    let ipg = format!("{RG}/ipGroups/aks-nodes");
    let rule = json!({"ruleType": "ApplicationRule", "name": "acr", "protocols": [{"protocolType": "Https", "port": 443}],
        "targetFqdns": ["*.azurecr.io"], "sourceIpGroups": [ipg]});
    let errors = json!([{"scope": ipg, "resourceType": "Microsoft.Network/ipGroups", "code": "AuthorizationFailed",
        "status": 403, "message": "no access"}]);
    let m = model(
        &[("p", None)],
        &[("p", vec![group("p", "g", 100, vec![collection("c", 100, "Allow", vec![rule])])])],
        json!({}),
        errors,
    );
    let d = decide(&m, "contoso.azurecr.io");
    let Decision::Unknown { cause, .. } = d else { panic!("{d:?}") };
    assert!(cause.contains("could not be read"), "{cause}");
    let m = model(
        &[("p", None)],
        &[(
            "p",
            vec![group(
                "p",
                "g",
                100,
                vec![collection("c", 100, "Deny", vec![net_rule("t", &["Storage.WestUS"], &["*"])])],
            )],
        )],
        json!({}),
        json!([]),
    );
    assert!(matches!(decide(&m, "contoso.azurecr.io"), Decision::Unknown { .. }), "a tag the snapshot lacks");
}

#[test]
fn unread_policy_or_groups_are_unknown() {
    // The firewall's policy is not in the snapshot.
    let m = model(&[], &[], json!({}), json!([]));
    assert!(matches!(decide(&m, "contoso.azurecr.io"), Decision::Unknown { .. }));
    // The policy references a group that was not read.
    let mut m = model(&[("p", None)], &[], json!({}), json!([]));
    m.firewall_policies[0].properties.rule_collection_groups =
        vec![crate::model::SubResource { id: format!("{}/ruleCollectionGroups/g", policy_id("p")) }];
    assert!(matches!(decide(&m, "contoso.azurecr.io"), Decision::Unknown { .. }));
}

#[test]
fn network_rule_fqdns_need_the_dns_proxy() {
    let rule = json!({"ruleType": "NetworkRule", "name": "acr-fqdn", "ipProtocols": ["Any"], "destinationPorts": ["400-500"],
        "destinationFqdns": ["contoso.azurecr.io"], "sourceAddresses": ["*"]});
    let groups = [("p", vec![group("p", "g", 100, vec![collection("c", 100, "Allow", vec![rule])])])];
    let mut m = model(&[("p", None)], &groups, json!({}), json!([]));
    assert!(matches!(decide(&m, "contoso.azurecr.io"), Decision::Unknown { .. }), "proxy off");
    m.firewall_policies[0].properties.dns_settings =
        Some(crate::model::FirewallPolicyDnsSettings { enable_proxy: Some(true), ..Default::default() });
    assert_eq!(rule_name(&decide(&m, "contoso.azurecr.io")), "allow:acr-fqdn");
    assert_eq!(rule_name(&decide(&m, "fabrikam.azurecr.io")), "deny:-");
}

#[test]
fn fqdn_tags_aks_does_not_cover_registries_unknown_tags_are_unknown() {
    let rule = |tag: &str| {
        json!({"ruleType": "ApplicationRule", "name": "tag", "fqdnTags": [tag], "sourceAddresses": ["*"],
               "protocols": [{"protocolType": "Https", "port": 443}]})
    };
    let m = model(
        &[("p", None)],
        &[("p", vec![group("p", "g", 100, vec![collection("c", 100, "Allow", vec![rule("AzureKubernetesService")])])])],
        json!({}),
        json!([]),
    );
    assert_eq!(rule_name(&decide(&m, "contoso.azurecr.io")), "deny:-");
    let m = model(
        &[("p", None)],
        &[("p", vec![group("p", "g", 100, vec![collection("c", 100, "Allow", vec![rule("SomeFutureTag")])])])],
        json!({}),
        json!([]),
    );
    assert!(matches!(decide(&m, "contoso.azurecr.io"), Decision::Unknown { .. }));
}

#[test]
fn terminate_tls_is_carried_on_the_deciding_rule() {
    let mut r = app_rule("acr", &["*.azurecr.io"], &["*"]);
    r["terminateTLS"] = json!(true);
    let m = model(
        &[("p", None)],
        &[("p", vec![group("p", "g", 100, vec![collection("c", 100, "Allow", vec![r])])])],
        json!({}),
        json!([]),
    );
    let Decision::Allow { rules } = decide(&m, "contoso.azurecr.io") else { panic!() };
    assert!(rules[0].terminate_tls);
}

#[test]
fn classic_rules_network_collections_before_application_collections() {
    let doc = json!({"schema": "acr-audit/snapshot/v1", "resources": {
        "Microsoft.Network/azureFirewalls": [{"id": fw_id(), "name": "fw-hub", "properties": {
            "ipConfigurations": [{"name": "c", "properties": {"privateIPAddress": "10.0.0.4"}}],
            "applicationRuleCollections": [{"name": "deny-acr", "properties": {"priority": 100, "action": {"type": "Deny"},
                "rules": [{"name": "no-acr", "protocols": [{"protocolType": "Https", "port": 443}], "targetFqdns": ["*.azurecr.io"], "sourceAddresses": ["*"]}]}}],
            "networkRuleCollections": [
                {"name": "late", "properties": {"priority": 300, "action": {"type": "Allow"},
                  "rules": [{"name": "all-443", "protocols": ["TCP"], "destinationPorts": ["*"], "destinationAddresses": ["*"], "sourceAddresses": ["*"]}]}},
                {"name": "early", "properties": {"priority": 200, "action": {"type": "Deny"},
                  "rules": [{"name": "no-other", "protocols": ["UDP"], "destinationPorts": ["443"], "destinationAddresses": ["*"], "sourceAddresses": ["*"]}]}}]}}]},
        "serviceTags": [{"name": "Public", "id": "Public", "values": [
            {"name": "AzureContainerRegistry.EastUS", "id": "AzureContainerRegistry.EastUS",
             "properties": {"region": "eastus", "addressPrefixes": ["20.42.66.0/23"]}}]}]});
    let m = Model::from_snapshot(
        parse_snapshot(&serde_json::to_vec(&doc).unwrap(), std::path::Path::new("t.json")).expect("snapshot"),
    );
    // The UDP rule does not match TCP; the network allow at 300 decides before the application deny at 100.
    assert_eq!(rule_name(&decide(&m, "contoso.azurecr.io")), "allow:all-443");
}

#[test]
fn egress_is_the_firewall_public_ip_unless_a_nat_gateway_holds_its_subnet() {
    let pip = format!("{RG}/publicIPAddresses/pip-fw");
    let fw = json!({"id": fw_id(), "name": "fw-hub", "properties": {"ipConfigurations": [{"name": "c", "properties": {
        "privateIPAddress": "10.0.0.4", "subnet": {"id": format!("{RG}/virtualNetworks/hub/subnets/AzureFirewallSubnet")},
        "publicIPAddress": {"id": pip}}}]}});
    let doc = |nat: bool| {
        let mut subnet = json!({"id": format!("{RG}/virtualNetworks/hub/subnets/AzureFirewallSubnet"), "name": "AzureFirewallSubnet",
            "properties": {"addressPrefix": "10.0.0.0/26"}});
        if nat {
            subnet["properties"]["natGateway"] = json!({"id": format!("{RG}/natGateways/nat-hub")});
        }
        json!({"schema": "acr-audit/snapshot/v1", "resources": {
            "Microsoft.Network/azureFirewalls": [fw.clone()],
            "Microsoft.Network/publicIPAddresses": [{"id": pip, "name": "pip-fw", "properties": {"ipAddress": "20.1.2.3"}},
                {"id": format!("{RG}/publicIPAddresses/pip-nat"), "name": "pip-nat", "properties": {"ipAddress": "20.9.9.9"}}],
            "Microsoft.Network/natGateways": [{"id": format!("{RG}/natGateways/nat-hub"), "name": "nat-hub",
                "properties": {"publicIpAddresses": [{"id": format!("{RG}/publicIPAddresses/pip-nat")}]}}],
            "Microsoft.Network/virtualNetworks": [{"id": format!("{RG}/virtualNetworks/hub"), "name": "hub", "properties": {
                "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [subnet]}}]}})
    };
    for (nat, want) in [(false, "20.1.2.3"), (true, "20.9.9.9")] {
        let m = Model::from_snapshot(
            parse_snapshot(&serde_json::to_vec(&doc(nat)).unwrap(), std::path::Path::new("t.json")).expect("snapshot"),
        );
        let e = egress(&m, m.azure_firewall(&fw_id()).unwrap()).unwrap();
        assert_eq!(e.ips, vec![want.to_string()]);
    }
}

#[test]
fn a_deny_on_part_of_the_destination_denies_part_and_an_allow_on_part_does_not_allow() {
    // The registry tag is 20.42.66.0/23 + 20.62.128.0/26: a network deny on the first prefix only.
    let m = model(
        &[("p", None)],
        &[(
            "p",
            vec![
                group(
                    "p",
                    "g",
                    100,
                    vec![collection("deny-some", 100, "Deny", vec![net_rule("some", &["20.42.66.0/23"], &["*"])])],
                ),
                group(
                    "p",
                    "h",
                    200,
                    vec![collection("allow-acr", 100, "Allow", vec![app_rule("acr", &["*.azurecr.io"], &["*"])])],
                ),
            ],
        )],
        json!({}),
        json!([]),
    );
    assert_eq!(rule_name(&decide(&m, "contoso.azurecr.io")), "deny:some:partial");
    // An allow on the same part, then nothing: the rest meets no rule.
    let m = model(
        &[("p", None)],
        &[(
            "p",
            vec![group(
                "p",
                "g",
                100,
                vec![collection("allow-some", 100, "Allow", vec![net_rule("some", &["20.42.66.0/23"], &["*"])])],
            )],
        )],
        json!({}),
        json!([]),
    );
    assert_eq!(rule_name(&decide(&m, "contoso.azurecr.io")), "deny:-:partial");
}

fn without(mut v: Value, path: &[&str]) -> Value {
    let (last, parents) = path.split_last().unwrap();
    let mut at = &mut v;
    for p in parents {
        at = &mut at[*p];
    }
    at.as_object_mut().unwrap().remove(*last);
    v
}

fn unknown_cause(d: &Decision) -> String {
    match d {
        Decision::Unknown { cause, .. } => cause.clone(),
        other => panic!("expected unknown, got {}", rule_name(other)),
    }
}

/// The API requires only `ruleCollectionType` (`FirewallPolicyRuleCollectionGroupWithHttpHeadersToInsert.json`
/// has a collection without `priority`): a collection whose place is not known makes the flows it could decide
/// `unknown`, never allowed or denied on a guessed order; rules placed before it still decide.
#[test]
fn a_collection_without_priority_is_unknown_where_it_could_decide() {
    let floating = without(
        collection("floating", 0, "Deny", vec![app_rule("no-contoso", &["contoso.azurecr.io"], &["*"])]),
        &["priority"],
    );
    let m = model(
        &[("p", None)],
        &[(
            "p",
            vec![
                group(
                    "p",
                    "first",
                    100,
                    vec![collection(
                        "deny-fabrikam",
                        100,
                        "Deny",
                        vec![app_rule("no-fab", &["fabrikam.azurecr.io"], &["*"])],
                    )],
                ),
                group(
                    "p",
                    "second",
                    200,
                    vec![
                        floating,
                        collection("allow-acr", 100, "Allow", vec![app_rule("acr", &["*.azurecr.io"], &["*"])]),
                    ],
                ),
            ],
        )],
        json!({}),
        json!([]),
    );
    // It matches: it may come before or after `allow-acr`.
    let cause = unknown_cause(&decide(&m, "contoso.azurecr.io"));
    assert!(cause.contains("rule collection floating") && cause.contains("no priority"), "{cause}");
    // It cannot match: wherever it sits, `allow-acr` decides.
    assert_eq!(rule_name(&decide(&m, "other.azurecr.io")), "allow:acr");
    // A group of higher priority decides before any collection of `second`.
    assert_eq!(rule_name(&decide(&m, "fabrikam.azurecr.io")), "deny:no-fab");
}

#[test]
fn a_group_without_priority_or_a_collection_without_action_is_unknown_where_it_could_decide() {
    let floating_group = without(
        group(
            "child",
            "floating",
            0,
            vec![collection("allow-contoso", 100, "Allow", vec![app_rule("contoso", &["contoso.azurecr.io"], &["*"])])],
        ),
        &["properties", "priority"],
    );
    let no_action = without(
        collection("no-action", 200, "Allow", vec![app_rule("fabrikam", &["fabrikam.azurecr.io"], &["*"])]),
        &["action"],
    );
    let m = model(
        &[("base", None), ("child", Some("base"))],
        &[
            (
                "base",
                vec![group(
                    "base",
                    "base-rules",
                    100,
                    vec![collection(
                        "deny-woodgrove",
                        100,
                        "Deny",
                        vec![app_rule("no-wg", &["woodgrove.azurecr.io"], &["*"])],
                    )],
                )],
            ),
            (
                "child",
                vec![
                    floating_group,
                    group(
                        "child",
                        "ordered",
                        100,
                        vec![
                            collection(
                                "deny-contoso",
                                100,
                                "Deny",
                                vec![app_rule("no-contoso", &["contoso.azurecr.io"], &["*"])],
                            ),
                            no_action,
                        ],
                    ),
                ],
            ),
        ],
        json!({}),
        json!([]),
    );
    // The deny at group priority 100 does not decide: the group without priority may come first.
    let cause = unknown_cause(&decide(&m, "contoso.azurecr.io"));
    assert!(cause.contains("rule collection group floating") && cause.contains("no priority"), "{cause}");
    // A collection without action: its place is known, its outcome is not.
    let cause = unknown_cause(&decide(&m, "fabrikam.azurecr.io"));
    assert!(cause.contains("rule collection no-action") && cause.contains("no action"), "{cause}");
    // The base policy's collections come before every collection of the child, whatever the priorities.
    assert_eq!(rule_name(&decide(&m, "woodgrove.azurecr.io")), "deny:no-wg");
    // Nothing matches at all: deny by default.
    assert_eq!(rule_name(&decide(&m, "northwind.azurecr.io")), "deny:-");
}

#[test]
fn classic_collections_without_priority_or_action_load_and_are_unknown_where_they_could_decide() {
    let doc = json!({"schema": "acr-audit/snapshot/v1", "resources": {
        "Microsoft.Network/azureFirewalls": [{"id": fw_id(), "name": "fw-hub", "properties": {
            "ipConfigurations": [{"name": "c", "properties": {"privateIPAddress": "10.0.0.4"}}],
            "applicationRuleCollections": [
                {"name": "allow-acr", "properties": {"priority": 200, "action": {"type": "Allow"},
                  "rules": [{"name": "acr", "protocols": [{"protocolType": "Https", "port": 443}], "targetFqdns": ["*.azurecr.io"], "sourceAddresses": ["*"]}]}},
                {"name": "no-action", "properties": {"priority": 100,
                  "rules": [{"name": "fab", "protocols": [{"protocolType": "Https", "port": 443}], "targetFqdns": ["fabrikam.azurecr.io"], "sourceAddresses": ["*"]}]}}],
            "networkRuleCollections": [
                {"name": "floating", "properties": {"action": {"type": "Deny"},
                  "rules": [{"name": "no-10-11", "protocols": ["TCP"], "destinationPorts": ["443"], "destinationAddresses": ["*"], "sourceAddresses": ["10.11.0.0/16"]}]}}]}}]},
        "serviceTags": [{"name": "Public", "id": "Public", "values": [
            {"name": "AzureContainerRegistry.EastUS", "id": "AzureContainerRegistry.EastUS",
             "properties": {"region": "eastus", "addressPrefixes": ["20.42.66.0/23"]}}]}]});
    let m = Model::from_snapshot(
        parse_snapshot(&serde_json::to_vec(&doc).unwrap(), std::path::Path::new("t.json")).expect("snapshot"),
    );
    let cause = unknown_cause(&decide_for(&m, "10.11.0.0/24", "contoso.azurecr.io"));
    assert!(cause.contains("classic network rule collection floating") && cause.contains("no priority"), "{cause}");
    let cause = unknown_cause(&decide(&m, "fabrikam.azurecr.io"));
    assert!(cause.contains("classic application rule collection no-action") && cause.contains("no action"), "{cause}");
    assert_eq!(rule_name(&decide(&m, "contoso.azurecr.io")), "allow:acr");
}
