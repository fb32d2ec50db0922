//! The DNS chain on the clean demo estate plus a connectivity VNet holding a DNS Private Resolver, an Azure
//! Firewall and a DNS VM. Resource shapes follow the published examples: `InboundEndpoint_Get.json`,
//! `ForwardingRule_Put.json`, `VirtualNetworkLink_Get.json`, `DnsResolver_Get.json` (dnsresolver 2022-07-01),
//! `AzureFirewallGet.json`, `FirewallPolicyGet.json` (network 2024-05-01).

use crate::analysis::{analyse, BlockedAt, DnsResponder, DnsStatus, Facts, PathFacts, Reachable, Selection};
use crate::model::Model;
use crate::snapshot::parse_snapshot;
use serde_json::{json, Value};

const SUB: &str = "/subscriptions/3f2b8c1e-7d4a-4e59-9b6f-0c1d2e3f4a5b";
const ZONE: &str = "/subscriptions/3f2b8c1e-7d4a-4e59-9b6f-0c1d2e3f4a5b/resourceGroups/rg-hub-eastus/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io";
const SPOKE: &str = "/subscriptions/3f2b8c1e-7d4a-4e59-9b6f-0c1d2e3f4a5b/resourceGroups/rg-aks-prod-eastus/providers/Microsoft.Network/virtualNetworks/vnet-aks-prod-eastus";
const INBOUND_IP: &str = "10.1.1.4";
const FIREWALL_IP: &str = "10.1.0.4";
const DNS_VM_IP: &str = "10.1.2.4";
const ON_PREM: &str = "192.168.10.4";

fn rg() -> String {
    format!("{SUB}/resourceGroups/rg-connectivity-eastus")
}
fn hub_vnet() -> String {
    format!("{}/providers/Microsoft.Network/virtualNetworks/vnet-connectivity-eastus", rg())
}
fn resolver() -> String {
    format!("{}/providers/Microsoft.Network/dnsResolvers/dnspr-hub-eastus", rg())
}
fn ruleset() -> String {
    format!("{}/providers/Microsoft.Network/dnsForwardingRulesets/dnsfrs-hub-eastus", rg())
}
fn firewall() -> String {
    format!("{}/providers/Microsoft.Network/azureFirewalls/fw-dns-eastus", rg())
}
fn policy() -> String {
    format!("{}/providers/Microsoft.Network/firewallPolicies/fwpol-dns-eastus", rg())
}

/// The clean demo estate with the connectivity VNet, its resolver (inbound endpoint 10.1.1.4), firewall
/// (10.1.0.4, policy with DNS proxy on and no servers), DNS VM NIC (10.1.2.4), and an empty forwarding ruleset.
fn estate() -> Value {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/demo/snapshot-clean.json")).unwrap();
    let mut s: Value = serde_json::from_str(&text).unwrap();
    let hub = hub_vnet();
    let subnet = |name: &str, prefix: &str| json!({"name": name, "id": format!("{hub}/subnets/{name}"), "properties": {"addressPrefix": prefix}});
    push(
        &mut s,
        "Microsoft.Network/virtualNetworks",
        json!({
            "id": hub, "name": "vnet-connectivity-eastus", "type": "Microsoft.Network/virtualNetworks", "location": "eastus",
            "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}, "subnets": [
                subnet("AzureFirewallSubnet", "10.1.0.0/26"), subnet("snet-dns-inbound", "10.1.1.0/28"),
                subnet("snet-dns-outbound", "10.1.1.16/28"), subnet("snet-dns-vms", "10.1.2.0/24")]}
        }),
    );
    push(
        &mut s,
        "Microsoft.Network/dnsResolvers",
        json!({
            "id": resolver(), "name": "dnspr-hub-eastus", "type": "Microsoft.Network/dnsResolvers", "location": "eastus",
            "properties": {"virtualNetwork": {"id": hub}, "dnsResolverState": "Connected", "provisioningState": "Succeeded"}
        }),
    );
    push_child(
        &mut s,
        "Microsoft.Network/dnsResolvers/inboundEndpoints",
        &resolver(),
        json!({
            "id": format!("{}/inboundEndpoints/in-hub", resolver()), "name": "in-hub",
            "type": "Microsoft.Network/dnsResolvers/inboundEndpoints", "location": "eastus",
            "properties": {"ipConfigurations": [{"subnet": {"id": format!("{hub}/subnets/snet-dns-inbound")},
                "privateIpAddress": INBOUND_IP, "privateIpAllocationMethod": "Dynamic"}], "provisioningState": "Succeeded"}
        }),
    );
    push(
        &mut s,
        "Microsoft.Network/dnsForwardingRulesets",
        json!({
            "id": ruleset(), "name": "dnsfrs-hub-eastus", "type": "Microsoft.Network/dnsForwardingRulesets", "location": "eastus",
            "properties": {"dnsResolverOutboundEndpoints": [{"id": format!("{}/outboundEndpoints/out-hub", resolver())}]}
        }),
    );
    push(
        &mut s,
        "Microsoft.Network/azureFirewalls",
        json!({
            "id": firewall(), "name": "fw-dns-eastus", "type": "Microsoft.Network/azureFirewalls", "location": "eastus",
            "properties": {"sku": {"name": "AZFW_VNet", "tier": "Standard"}, "threatIntelMode": "Alert",
                "ipConfigurations": [{"name": "azureFirewallIpConfiguration",
                    "id": format!("{}/ipConfigurations/azureFirewallIpConfiguration", firewall()),
                    "properties": {"privateIPAddress": FIREWALL_IP, "subnet": {"id": format!("{hub}/subnets/AzureFirewallSubnet")}}}],
                "firewallPolicy": {"id": policy()}}
        }),
    );
    push(
        &mut s,
        "Microsoft.Network/firewallPolicies",
        json!({
            "id": policy(), "name": "fwpol-dns-eastus", "type": "Microsoft.Network/firewallPolicies", "location": "eastus",
            "properties": {"threatIntelMode": "Alert", "dnsSettings": {"servers": [], "enableProxy": true},
                "firewalls": [{"id": firewall()}], "ruleCollectionGroups": []}
        }),
    );
    push(
        &mut s,
        "Microsoft.Network/networkInterfaces",
        json!({
            "id": format!("{}/providers/Microsoft.Network/networkInterfaces/nic-dns01", rg()), "name": "nic-dns01",
            "type": "Microsoft.Network/networkInterfaces", "location": "eastus",
            "properties": {"ipConfigurations": [{"name": "ipconfig1",
                "id": format!("{}/providers/Microsoft.Network/networkInterfaces/nic-dns01/ipConfigurations/ipconfig1", rg()),
                "properties": {"privateIPAddress": DNS_VM_IP, "privateIPAllocationMethod": "Static",
                    "subnet": {"id": format!("{hub}/subnets/snet-dns-vms")}}}]}
        }),
    );
    s
}

fn push(s: &mut Value, kind: &str, item: Value) {
    let list = s["resources"].as_object_mut().unwrap().entry(kind).or_insert_with(|| json!([]));
    list.as_array_mut().unwrap().push(item);
}

fn push_child(s: &mut Value, kind: &str, parent: &str, item: Value) {
    let list = s["children"].as_object_mut().unwrap().entry(kind).or_insert_with(|| json!([]));
    let list = list.as_array_mut().unwrap();
    match list.iter_mut().find(|c| c["parentId"] == parent) {
        Some(c) => c["value"].as_array_mut().unwrap().push(item),
        None => list.push(json!({"parentId": parent, "value": [item]})),
    }
}

/// The spoke (the AKS cluster's VNet) uses `servers`.
fn spoke_dns(s: &mut Value, servers: &[&str]) {
    let vnets = s["resources"]["Microsoft.Network/virtualNetworks"].as_array_mut().unwrap();
    let spoke = vnets.iter_mut().find(|v| v["id"] == SPOKE).unwrap();
    spoke["properties"]["dhcpOptions"] = json!({"dnsServers": servers});
}

/// Link the privatelink zone to the connectivity VNet (`VirtualNetworkLink_Get` shape of privatedns).
fn link_zone_to_hub(s: &mut Value) {
    push_child(
        s,
        "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
        ZONE,
        json!({
            "id": format!("{ZONE}/virtualNetworkLinks/link-connectivity"), "name": "link-connectivity",
            "type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "location": "global",
            "properties": {"virtualNetwork": {"id": hub_vnet()}, "registrationEnabled": false,
                "virtualNetworkLinkState": "Completed", "provisioningState": "Succeeded"}
        }),
    );
}

/// A forwarding rule (`ForwardingRule_Put.json` shape) and the ruleset's link to `vnet`
/// (`VirtualNetworkLink_Get.json` shape of dnsresolver).
fn forward(s: &mut Value, vnet: &str, domain: &str, targets: &[&str]) {
    let name = format!("rule-{}", domain.trim_end_matches('.').replace('.', "-"));
    push_child(
        s,
        "Microsoft.Network/dnsForwardingRulesets/forwardingRules",
        &ruleset(),
        json!({
            "id": format!("{}/forwardingRules/{name}", ruleset()), "name": name,
            "type": "Microsoft.Network/dnsForwardingRulesets/forwardingRules",
            "properties": {"domainName": domain,
                "targetDnsServers": targets.iter().map(|t| json!({"ipAddress": t, "port": 53})).collect::<Vec<_>>(),
                "forwardingRuleState": "Enabled", "provisioningState": "Succeeded"}
        }),
    );
    let link = format!("link-{}", vnet.rsplit('/').next().unwrap());
    let links = &s["children"]["Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks"];
    if links.to_string().contains(&format!("/virtualNetworkLinks/{link}\"")) {
        return;
    }
    push_child(
        s,
        "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks",
        &ruleset(),
        json!({
            "id": format!("{}/virtualNetworkLinks/{link}", ruleset()), "name": link,
            "type": "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks",
            "properties": {"virtualNetwork": {"id": vnet}, "metadata": {"additionalProp1": "value1"}, "provisioningState": "Succeeded"}
        }),
    );
}

fn facts(s: &Value) -> Facts {
    let bytes = serde_json::to_vec(s).unwrap();
    let model = Model::from_snapshot(parse_snapshot(&bytes, std::path::Path::new("t.json")).expect("snapshot"));
    analyse(&model, &Selection::default())
}

/// The AKS cluster's login path to contosoprodacr.
fn login(f: &Facts) -> &PathFacts {
    f.paths
        .iter()
        .find(|p| {
            p.client_name == "aks-prod-eastus"
                && p.registry_name == "contosoprodacr"
                && p.endpoint.kind.as_str() == "login"
        })
        .expect("login path")
}

fn responders(p: &PathFacts) -> Vec<Vec<DnsResponder>> {
    p.dns.chains.iter().map(|c| c.hops.iter().map(|h| h.responder).collect()).collect()
}

#[test]
fn azure_dns_without_rulesets_records_no_chain() {
    let f = facts(&estate());
    let p = login(&f);
    assert_eq!(p.dns.status, DnsStatus::Private);
    assert!(p.dns.chains.is_empty());
    assert_eq!(p.dns.resolved_in.as_deref(), Some(SPOKE));
}

#[test]
fn resolver_inbound_resolves_in_the_resolver_vnet_linked_to_the_zone() {
    let mut s = estate();
    spoke_dns(&mut s, &[INBOUND_IP]);
    link_zone_to_hub(&mut s);
    let f = facts(&s);
    let p = login(&f);
    assert_eq!(p.dns.status, DnsStatus::Private, "{:?}", p.dns);
    assert_eq!(p.dns.resolved_in.as_deref(), Some(hub_vnet().as_str()));
    assert_eq!(responders(p), vec![vec![DnsResponder::ResolverInbound]]);
    let hop = &p.dns.chains[0].hops[0];
    assert_eq!(hop.resource.as_deref(), Some(format!("{}/inboundEndpoints/in-hub", resolver()).as_str()));
    assert_eq!(hop.link.as_deref(), Some(format!("{ZONE}/virtualNetworkLinks/link-connectivity").as_str()));
    assert_eq!(p.reachable, Reachable::Yes);
}

#[test]
fn resolver_vnet_not_linked_to_the_zone_resolves_publicly_although_the_spoke_is_linked() {
    let mut s = estate();
    spoke_dns(&mut s, &[INBOUND_IP]);
    let f = facts(&s);
    let p = login(&f);
    assert_eq!(p.dns.status, DnsStatus::Public);
    assert_eq!(p.dns.chains[0].status, DnsStatus::Public);
    assert_eq!(p.dns.chains[0].resolved_in.as_deref(), Some(hub_vnet().as_str()));
    assert!(p.dns.chains[0].hops[0].zone.is_none());
}

#[test]
fn a_forwarding_rule_for_azurecr_io_to_on_premises_makes_the_answer_unknown() {
    let mut s = estate();
    spoke_dns(&mut s, &[INBOUND_IP]);
    link_zone_to_hub(&mut s);
    forward(&mut s, &hub_vnet(), "azurecr.io.", &[ON_PREM]);
    let f = facts(&s);
    let p = login(&f);
    assert_eq!(p.dns.status, DnsStatus::Unknown, "the rule wins over the zone link: {:?}", p.dns);
    assert_eq!(responders(p), vec![vec![DnsResponder::ResolverInbound, DnsResponder::Unknown]]);
    let hop = &p.dns.chains[0].hops[0];
    assert_eq!(hop.forwarding_domain.as_deref(), Some("azurecr.io."));
    assert_eq!(hop.forwarded_to, vec![ON_PREM.to_string()]);
    assert!(p.dns.cause.as_deref().unwrap().contains("on-premises"));
    assert_eq!(p.reachable, Reachable::Unknown);
}

#[test]
fn the_longest_matching_rule_wins_and_disabled_or_wildcard_rules_are_ignored() {
    let mut s = estate();
    spoke_dns(&mut s, &[INBOUND_IP]);
    link_zone_to_hub(&mut s);
    forward(&mut s, &hub_vnet(), ".", &[ON_PREM]);
    let f = facts(&s);
    let p = login(&f);
    assert_eq!(p.dns.status, DnsStatus::Private, "a wildcard rule does not take azurecr.io: {:?}", p.dns);
    assert!(p.dns.chains[0].hops[0].note.as_deref().unwrap().contains("wildcard"));

    // A spoke linked to the ruleset: `privatelink.azurecr.io.` sends the CNAME target to the inbound endpoint,
    // the longer `contoso.azurecr.io`-matching `azurecr.io.` rule is disabled.
    let mut s = estate();
    link_zone_to_hub(&mut s);
    forward(&mut s, SPOKE, "privatelink.azurecr.io.", &[INBOUND_IP]);
    forward(&mut s, SPOKE, "azurecr.io.", &[ON_PREM]);
    let rules =
        s["children"]["Microsoft.Network/dnsForwardingRulesets/forwardingRules"][0]["value"].as_array_mut().unwrap();
    rules[1]["properties"]["forwardingRuleState"] = json!("Disabled");
    let f = facts(&s);
    let p = login(&f);
    assert_eq!(p.dns.status, DnsStatus::Private, "{:?}", p.dns);
    assert_eq!(responders(p), vec![vec![DnsResponder::AzureDns, DnsResponder::ResolverInbound]]);
    assert_eq!(p.dns.chains[0].hops[0].forwarding_domain.as_deref(), Some("privatelink.azurecr.io."));
}

#[test]
fn a_rule_forwarding_back_to_the_inbound_endpoint_loops_and_nothing_resolves() {
    let mut s = estate();
    spoke_dns(&mut s, &[INBOUND_IP]);
    link_zone_to_hub(&mut s);
    forward(&mut s, &hub_vnet(), "privatelink.azurecr.io.", &[INBOUND_IP]);
    let f = facts(&s);
    let p = login(&f);
    assert_eq!(p.dns.status, DnsStatus::NoAnswer, "{:?}", p.dns);
    assert!(p.dns.cause.as_deref().unwrap().contains("forwarding loop"));
    assert_eq!(responders(p), vec![vec![DnsResponder::ResolverInbound, DnsResponder::Nothing]]);
    assert_eq!((p.reachable, p.blocked_at), (Reachable::No, Some(BlockedAt::Dns)));
}

#[test]
fn firewall_dns_proxy_on_forwards_to_azure_dns_in_its_vnet_or_to_its_servers() {
    let mut s = estate();
    spoke_dns(&mut s, &[FIREWALL_IP]);
    link_zone_to_hub(&mut s);
    let f = facts(&s);
    let p = login(&f);
    assert_eq!(p.dns.status, DnsStatus::Private, "{:?}", p.dns);
    assert_eq!(responders(p), vec![vec![DnsResponder::FirewallProxy]]);
    assert_eq!(p.dns.chains[0].hops[0].configured_by.as_deref(), Some(policy().as_str()));

    let policies = s["resources"]["Microsoft.Network/firewallPolicies"].as_array_mut().unwrap();
    let own = policies.len() - 1; // this estate's policy, pushed after the demo's own hub policies
    policies[own]["properties"]["dnsSettings"]["servers"] = json!([INBOUND_IP]);
    let f = facts(&s);
    let p = login(&f);
    assert_eq!(p.dns.status, DnsStatus::Private);
    assert_eq!(responders(p), vec![vec![DnsResponder::FirewallProxy, DnsResponder::ResolverInbound]]);

    // 168.63.129.16 among the proxy's servers is Azure DNS from the firewall's VNet.
    let policies = s["resources"]["Microsoft.Network/firewallPolicies"].as_array_mut().unwrap();
    let own = policies.len() - 1; // this estate's policy, pushed after the demo's own hub policies
    policies[own]["properties"]["dnsSettings"]["servers"] = json!(["168.63.129.16"]);
    let f = facts(&s);
    let p = login(&f);
    assert_eq!(p.dns.status, DnsStatus::Private, "{:?}", p.dns);
    assert_eq!(responders(p), vec![vec![DnsResponder::FirewallProxy, DnsResponder::AzureDns]]);
    assert_eq!(p.dns.chains[0].hops[1].vnet.as_deref(), Some(hub_vnet().as_str()));
}

#[test]
fn firewall_dns_proxy_off_answers_nothing_and_blocks_at_dns() {
    let mut s = estate();
    spoke_dns(&mut s, &[FIREWALL_IP]);
    link_zone_to_hub(&mut s);
    let policies = s["resources"]["Microsoft.Network/firewallPolicies"].as_array_mut().unwrap();
    let own = policies.len() - 1; // this estate's policy, pushed after the demo's own hub policies
    policies[own]["properties"]["dnsSettings"] = json!({"servers": [], "enableProxy": false});
    let f = facts(&s);
    let p = login(&f);
    assert_eq!(p.dns.status, DnsStatus::NoAnswer, "{:?}", p.dns);
    assert_eq!(responders(p), vec![vec![DnsResponder::Nothing]]);
    assert_eq!(p.dns.chains[0].hops[0].resource.as_deref(), Some(firewall().as_str()));
    assert_eq!((p.reachable, p.blocked_at), (Reachable::No, Some(BlockedAt::Dns)));
}

#[test]
fn a_classic_firewall_reads_its_dns_proxy_from_additional_properties() {
    let mut s = estate();
    spoke_dns(&mut s, &[FIREWALL_IP]);
    link_zone_to_hub(&mut s);
    let fws = s["resources"]["Microsoft.Network/azureFirewalls"].as_array_mut().unwrap();
    let own = fws.len() - 1; // this estate's firewall, pushed after the demo's hub firewall
    fws[own]["properties"].as_object_mut().unwrap().remove("firewallPolicy");
    fws[own]["properties"]["additionalProperties"] =
        json!({"Network.DNS.EnableProxy": "true", "Network.DNS.Servers": format!("{DNS_VM_IP}, {INBOUND_IP}")});
    let f = facts(&s);
    let p = login(&f);
    assert_eq!(p.dns.status, DnsStatus::Private, "{:?}", p.dns);
    assert_eq!(
        responders(p),
        vec![
            vec![DnsResponder::FirewallProxy, DnsResponder::DnsVm],
            vec![DnsResponder::FirewallProxy, DnsResponder::ResolverInbound]
        ]
    );
    fws_proxy_off(&mut s);
    assert_eq!(login(&facts(&s)).dns.status, DnsStatus::NoAnswer);
}

fn fws_proxy_off(s: &mut Value) {
    let fws = s["resources"]["Microsoft.Network/azureFirewalls"].as_array_mut().unwrap();
    let own = fws.len() - 1; // this estate's firewall, pushed after the demo's hub firewall
    fws[own]["properties"]["additionalProperties"] = json!({});
}

#[test]
fn an_unread_firewall_policy_leaves_the_answer_unknown() {
    let mut s = estate();
    spoke_dns(&mut s, &[FIREWALL_IP]);
    s["resources"]["Microsoft.Network/firewallPolicies"] = json!([]);
    s["errors"] = json!([{"scope": rg(), "resourceType": "Microsoft.Network/firewallPolicies", "status": 403,
        "code": "AuthorizationFailed", "message": "no"}]);
    let f = facts(&s);
    let p = login(&f);
    assert_eq!(p.dns.status, DnsStatus::Unknown);
    assert!(p.dns.cause.as_deref().unwrap().contains("403"), "{:?}", p.dns.cause);
}

#[test]
fn a_dns_vm_is_assumed_to_forward_to_azure_dns_from_its_vnet() {
    let mut s = estate();
    spoke_dns(&mut s, &[DNS_VM_IP]);
    let f = facts(&s);
    let p = login(&f);
    assert_eq!(p.dns.status, DnsStatus::Public, "the DNS VM's VNet is not linked: {:?}", p.dns);
    assert_eq!(responders(p), vec![vec![DnsResponder::DnsVm]]);
    assert!(p.dns.chains[0].hops[0].note.as_deref().unwrap().starts_with("assumed"));
    link_zone_to_hub(&mut s);
    assert_eq!(login(&facts(&s)).dns.status, DnsStatus::Private);
}

#[test]
fn an_on_premises_server_is_unknown_not_blocked() {
    let mut s = estate();
    spoke_dns(&mut s, &[ON_PREM]);
    let f = facts(&s);
    let p = login(&f);
    assert_eq!(p.dns.status, DnsStatus::Unknown);
    assert_eq!(responders(p), vec![vec![DnsResponder::Unknown]]);
    assert_eq!(p.reachable, Reachable::Unknown);
    assert_eq!(p.blocked_at, None);
}

#[test]
fn an_address_nothing_holds_answers_nothing_unless_its_subscription_was_not_fully_read() {
    let mut s = estate();
    spoke_dns(&mut s, &[INBOUND_IP]);
    s["children"]["Microsoft.Network/dnsResolvers/inboundEndpoints"] = json!([]);
    s["resources"]["Microsoft.Network/dnsResolvers"] = json!([]);
    let f = facts(&s);
    let p = login(&f);
    assert_eq!(p.dns.status, DnsStatus::NoAnswer, "{:?}", p.dns);
    assert_eq!(responders(p), vec![vec![DnsResponder::Nothing]]);

    // The resolvers of the subscription could not be read: the address may be an inbound endpoint.
    s["errors"] = json!([{"scope": SUB, "resourceType": "Microsoft.Network/dnsResolvers", "status": 403,
        "code": "AuthorizationFailed", "message": "no"}]);
    let p = login(&facts(&s)).clone();
    assert_eq!(p.dns.status, DnsStatus::Unknown);
    assert_eq!(responders(&p), vec![vec![DnsResponder::Unknown]]);

    // A subnet holding a load balancer frontend: something the snapshot does not read may answer.
    s["errors"] = json!([]);
    let vnets = s["resources"]["Microsoft.Network/virtualNetworks"].as_array_mut().unwrap();
    let hub = vnets.iter_mut().find(|v| v["id"] == hub_vnet()).unwrap();
    hub["properties"]["subnets"][1]["properties"]["ipConfigurations"] = json!([{"id": format!("{}/providers/Microsoft.Network/loadBalancers/lb-dns/frontendIPConfigurations/fe", rg())}]);
    assert_eq!(login(&facts(&s)).dns.status, DnsStatus::Unknown);

    // A VNet of a subscription that was not scanned.
    let mut s = estate();
    spoke_dns(&mut s, &[INBOUND_IP]);
    s["children"]["Microsoft.Network/dnsResolvers/inboundEndpoints"] = json!([]);
    s["metadata"]["subscriptions"] = json!([]);
    assert_eq!(login(&facts(&s)).dns.status, DnsStatus::Unknown);
}

#[test]
fn servers_that_answer_differently_make_the_answer_unknown_and_a_dead_server_is_passed_over() {
    let mut s = estate();
    spoke_dns(&mut s, &[INBOUND_IP, DNS_VM_IP]);
    link_zone_to_hub(&mut s);
    // Both chains end at Azure DNS in the hub, linked: private.
    let f = facts(&s);
    assert_eq!(login(&f).dns.status, DnsStatus::Private);

    let mut s = estate();
    link_zone_to_hub(&mut s);
    spoke_dns(&mut s, &[INBOUND_IP, ON_PREM]);
    let f = facts(&s);
    let p = login(&f);
    assert_eq!(p.dns.status, DnsStatus::Unknown);
    assert_eq!(p.dns.chains.len(), 2);

    // The firewall (proxy off) answers nothing; the resolver answers: clients get the resolver's answer.
    let mut s = estate();
    link_zone_to_hub(&mut s);
    spoke_dns(&mut s, &[FIREWALL_IP, INBOUND_IP]);
    let policies = s["resources"]["Microsoft.Network/firewallPolicies"].as_array_mut().unwrap();
    let own = policies.len() - 1; // this estate's policy, pushed after the demo's own hub policies
    policies[own]["properties"]["dnsSettings"]["enableProxy"] = json!(false);
    let f = facts(&s);
    let p = login(&f);
    assert_eq!(p.dns.status, DnsStatus::Private);
    assert_eq!(p.dns.chains[0].status, DnsStatus::NoAnswer);
}

#[test]
fn a_child_policy_inherits_the_dns_proxy_of_its_base_policy() {
    let mut s = estate();
    spoke_dns(&mut s, &[FIREWALL_IP]);
    link_zone_to_hub(&mut s);
    let base = format!("{}/providers/Microsoft.Network/firewallPolicies/fwpol-base", rg());
    let policies = s["resources"]["Microsoft.Network/firewallPolicies"].as_array_mut().unwrap();
    let own = policies.len() - 1; // this estate's policy, pushed after the demo's own hub policies
    policies[own]["properties"].as_object_mut().unwrap().remove("dnsSettings");
    policies[own]["properties"]["basePolicy"] = json!({"id": base});
    policies.push(json!({"id": base, "name": "fwpol-base", "type": "Microsoft.Network/firewallPolicies",
        "location": "eastus", "properties": {"dnsSettings": {"servers": [], "enableProxy": false}}}));
    let p = login(&facts(&s)).clone();
    assert_eq!(p.dns.status, DnsStatus::NoAnswer);
    assert_eq!(p.dns.chains[0].hops[0].configured_by.as_deref(), Some(base.as_str()));
}

#[test]
fn unread_forwarding_rulesets_leave_even_azure_dns_unknown() {
    let mut s = estate();
    s["errors"] = json!([{"scope": "/subscriptions/7a1b2c3d-4e5f-4a6b-9c8d-0e1f2a3b4c5d",
        "resourceType": "Microsoft.Network/dnsForwardingRulesets", "status": 403, "code": "AuthorizationFailed", "message": "no"}]);
    let f = facts(&s);
    let p = login(&f);
    assert_eq!(p.dns.status, DnsStatus::Unknown, "a ruleset there may be linked to the spoke: {:?}", p.dns);
    assert_eq!(responders(p), vec![vec![DnsResponder::AzureDns]]);
    assert!(p.dns.cause.as_deref().unwrap().contains("403"));
}
