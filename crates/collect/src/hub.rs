//! Hub-and-spoke landing zones: Azure Firewall, firewall policies and IP groups, DNS Private Resolver and
//! forwarding rulesets, including those that live in a connectivity subscription the scan does not cover.
//!
//! The branch lists VNets (with the peered VNets outside the scan, read by id), route tables and the hub types
//! in every scanned subscription, then follows what spokes point to:
//!
//! - a route's `VirtualAppliance` next hop or a VNet's DNS server that lies in a subnet of a VNet the snapshot
//!   holds, where that subnet's `ipConfigurations` name an Azure Firewall the lists did not return
//!   (`.../azureFirewalls/{fw}/azureFirewallIpConfigurations/{c}`): the firewall is read by id;
//! - a VNet's DNS server in a subnet delegated to `Microsoft.Network/dnsResolvers` (inbound endpoints live in
//!   such subnets) of a VNet that no listed resolver sits in: the resolvers and forwarding rulesets of that VNet
//!   are asked with the published by-VNet operations (`POST {vnet}/listDnsResolvers`,
//!   `POST {vnet}/listDnsForwardingRulesets`, dnsresolver 2022-07-01), then read by id;
//! - every firewall's policy and every policy's `basePolicy`, by id when the lists did not return them (a chain,
//!   followed until no new policy appears), and the rule collection groups of every policy in play;
//! - the public IPs of every firewall's IP configurations that the lists did not return, by id: traffic leaving
//!   through the firewall is source-NATed to them, so a registry firewall sees those addresses;
//! - the IP groups rules name (`sourceIpGroups`, `destinationIpGroups`, classic and policy rules) that the lists
//!   did not return, by id;
//! - the inbound and outbound endpoints of every resolver, the forwarding rules and VNet links of every ruleset.
//!
//! The id shape of a firewall's IP configuration differs between sources: the published `AzureFirewallGet`
//! examples spell it `.../azureFirewalls/{fw}/ipConfigurations/{c}`, live ARM responses (and the child type
//! `Microsoft.Network/azureFirewalls/azureFirewallIpConfigurations`) `.../azureFirewallIpConfigurations/{c}`. No
//! published VNet or subnet example shows an `AzureFirewallSubnet`; the published subnets list their users as
//! `ipConfigurations: [{"id": ...}]` (a load balancer frontend in `VirtualNetworkGet`). So only the first nine
//! segments (`.../providers/Microsoft.Network/azureFirewalls/{fw}`) are used, whichever spelling follows.
//!
//! Every read that fails (403, 404, network) and every reference that is not a valid id of its type becomes an
//! `errors` entry naming the scope and the resource type, so analysis says `unknown`, never "absent". Requests
//! grow with firewalls, policies, IP groups, resolvers and rulesets, not with NICs or subnets.

use super::arm::ArmFailure;
use super::assemble::{id_of, Part};
use super::plan::{ChildRead, Ctx};
use super::refs::{is_resource_id, prefix_contains, resource_prefix};
use acr_audit_snapshot::ids::id_key as key;
use acr_audit_snapshot::{ChildType, ResourceType, CHILDREN, TYPES};
use futures::future::join_all;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The namespace of every type this branch reads.
const NETWORK: &str = "Microsoft.Network";

/// The service a subnet holding DNS Private Resolver endpoints is delegated to (the inbound and outbound endpoint
/// subnets must be delegated to it:
/// <https://learn.microsoft.com/azure/dns/dns-private-resolver-overview#subnet-restrictions>, and Microsoft's
/// template sample <https://learn.microsoft.com/azure/templates/microsoft.network/dnsresolvers/inboundendpoints>).
const RESOLVER_DELEGATION: &str = "Microsoft.Network/dnsResolvers";

/// The POST action listing the resolvers of a VNet (`DnsResolvers_ListByVirtualNetwork`, dnsresolver 2022-07-01).
const LIST_RESOLVERS: &str = "listDnsResolvers";
/// The POST action listing the rulesets linked to a VNet (`DnsForwardingRulesets_ListByVirtualNetwork`).
const LIST_RULESETS: &str = "listDnsForwardingRulesets";

/// The last segment of a type key (`Microsoft.Network/azureFirewalls` -> `azureFirewalls`).
fn kind_of(t: &ResourceType) -> &'static str {
    t.key.rsplit('/').next().unwrap_or(t.key)
}

/// Strings of an array at `pointer` (non-strings skipped).
fn strings<'v>(v: &'v Value, pointer: &str) -> impl Iterator<Item = &'v str> {
    v.pointer(pointer).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
}

/// Objects of an array at `pointer`.
fn objects<'v>(v: &'v Value, pointer: &str) -> impl Iterator<Item = &'v Value> {
    v.pointer(pointer).and_then(Value::as_array).into_iter().flatten()
}

/// What the spokes point to that the lists did not return.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Wanted {
    /// Firewall ids to read, in id order.
    pub firewalls: Vec<String>,
    /// VNets whose resolvers and rulesets to ask for, in id order.
    pub resolver_vnets: Vec<String>,
}

/// The addresses spokes send traffic or DNS queries to, found in the snapshot's VNets and route tables, and who
/// holds them when the lists did not return it (see the module documentation). Pure, so it is tested alone.
pub(crate) fn discover(vnets: &[Value], route_tables: &[Value], firewalls: &[Value], resolvers: &[Value]) -> Wanted {
    let next_hops: BTreeSet<&str> = route_tables
        .iter()
        .flat_map(|t| objects(t, "/properties/routes"))
        .filter(|r| {
            r.pointer("/properties/nextHopType")
                .and_then(Value::as_str)
                .map(|t| t.eq_ignore_ascii_case("VirtualAppliance"))
                .unwrap_or(false)
        })
        .filter_map(|r| r.pointer("/properties/nextHopIpAddress").and_then(Value::as_str))
        .collect();
    let dns_servers: BTreeSet<&str> =
        vnets.iter().flat_map(|v| strings(v, "/properties/dhcpOptions/dnsServers")).collect();
    let listed_firewalls: BTreeSet<String> = firewalls.iter().map(|f| key(id_of(f))).collect();
    let resolver_vnets: BTreeSet<String> = resolvers
        .iter()
        .filter_map(|r| r.pointer("/properties/virtualNetwork/id").and_then(Value::as_str))
        .map(key)
        .collect();
    let mut wanted_firewalls: BTreeMap<String, String> = BTreeMap::new();
    let mut wanted_vnets: BTreeMap<String, String> = BTreeMap::new();
    for vnet in vnets {
        let vnet_id = id_of(vnet);
        for subnet in objects(vnet, "/properties/subnets") {
            let prefixes: Vec<&str> = subnet
                .pointer("/properties/addressPrefix")
                .and_then(Value::as_str)
                .into_iter()
                .chain(strings(subnet, "/properties/addressPrefixes"))
                .collect();
            let holds = |ips: &BTreeSet<&str>| ips.iter().any(|ip| prefixes.iter().any(|p| prefix_contains(p, ip)));
            let dns_here = holds(&dns_servers);
            if !dns_here && !holds(&next_hops) {
                continue;
            }
            // A firewall answers both as a next hop and as a DNS proxy.
            for config in objects(subnet, "/properties/ipConfigurations") {
                if let Some(fw) = resource_prefix(id_of(config), NETWORK, kind_of(&TYPES.azure_firewalls)) {
                    if !listed_firewalls.contains(&key(&fw)) {
                        wanted_firewalls.entry(key(&fw)).or_insert(fw);
                    }
                }
            }
            let delegated = objects(subnet, "/properties/delegations").any(|d| {
                d.pointer("/properties/serviceName")
                    .and_then(Value::as_str)
                    .map(|s| s.eq_ignore_ascii_case(RESOLVER_DELEGATION))
                    .unwrap_or(false)
            });
            if dns_here
                && delegated
                && is_resource_id(vnet_id, NETWORK, kind_of(&TYPES.virtual_networks))
                && !resolver_vnets.contains(&key(vnet_id))
            {
                wanted_vnets.entry(key(vnet_id)).or_insert_with(|| vnet_id.to_string());
            }
        }
    }
    Wanted { firewalls: wanted_firewalls.into_values().collect(), resolver_vnets: wanted_vnets.into_values().collect() }
}

/// The policy a firewall uses and the base policy of a policy: the references a policy chain follows.
fn policy_refs(resource: &Value) -> impl Iterator<Item = &str> {
    ["/properties/firewallPolicy/id", "/properties/basePolicy/id"]
        .into_iter()
        .filter_map(move |p| resource.pointer(p).and_then(Value::as_str))
}

/// The IP group ids rules name: a firewall's classic application, network and NAT rules, or a rule collection
/// group's rules.
pub(crate) fn ip_group_refs(resource: &Value) -> Vec<&str> {
    let classic = ["applicationRuleCollections", "networkRuleCollections", "natRuleCollections"]
        .into_iter()
        .flat_map(move |c| objects(resource, &format!("/properties/{c}")).collect::<Vec<_>>())
        .flat_map(|c| objects(c, "/properties/rules"));
    let policy = objects(resource, "/properties/ruleCollections").flat_map(|c| objects(c, "/rules"));
    classic
        .chain(policy)
        .flat_map(|r| strings(r, "/sourceIpGroups").chain(strings(r, "/destinationIpGroups")))
        .collect()
}

/// References to read by id: not returned by the lists (`known`), first spelling kept, in id order.
fn unknown_refs<'a>(refs: impl Iterator<Item = &'a str>, known: &BTreeSet<String>) -> Vec<String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for r in refs {
        if !known.contains(&key(r)) {
            out.entry(key(r)).or_insert_with(|| r.to_string());
        }
    }
    out.into_values().collect()
}

impl Ctx<'_> {
    /// One subscription-listed type, in its own part.
    async fn listed(&self, t: &ResourceType) -> (Part, Vec<Value>) {
        let mut part = Part::default();
        let items = self.list_branch(t, &mut part).await;
        (part, items)
    }

    /// Resources of type `t` read by id, each checked first ([`is_resource_id`]); a reference that is not an id of
    /// the type and a read that fails are errors naming the reference.
    async fn get_by_id(&self, ids: &[String], t: &ResourceType, part: &mut Part) -> Vec<Value> {
        let kind = kind_of(t);
        let (valid, invalid): (Vec<&String>, Vec<&String>) =
            ids.iter().partition(|id| is_resource_id(id, NETWORK, kind));
        for id in invalid {
            let message = format!("not read: the reference is not a {} id", t.key);
            part.error(id, t.key, ArmFailure::new(None, Some("InvalidResourceReference"), &message));
        }
        let results = join_all(valid.into_iter().map(|id| {
            let arm = self.arm.clone();
            async move { (id.clone(), arm.get(id, t.api_version).await) }
        }))
        .await;
        let mut out = Vec::new();
        for (id, result) in results {
            match result {
                Ok(v) => out.push(v),
                Err(f) => part.error(&id, t.key, f),
            }
        }
        out
    }

    /// The child lists of each parent, all at once.
    async fn children_of(&self, parents: &[&str], children: &[ChildType]) -> Vec<ChildRead> {
        join_all(parents.iter().flat_map(|id| {
            children.iter().map(move |child| {
                let (arm, id, child) = (self.arm.clone(), id.to_string(), *child);
                async move {
                    let r = arm.list(&format!("{id}/{}", child.path), child.api_version).await;
                    (child.key, id, r)
                }
            })
        }))
        .await
    }

    /// VNets (with the peered ones), route tables and the hub types, then what spokes point to (module doc).
    pub(crate) async fn hub(&self) -> Part {
        let (vnets, routes, public_ips, firewalls, policies, ip_groups, resolvers, rulesets) = futures::join!(
            self.vnets(),
            self.listed(&TYPES.route_tables),
            self.listed(&TYPES.public_ip_addresses),
            self.listed(&TYPES.azure_firewalls),
            self.listed(&TYPES.firewall_policies),
            self.listed(&TYPES.ip_groups),
            self.listed(&TYPES.dns_resolvers),
            self.listed(&TYPES.dns_forwarding_rulesets),
        );
        let wanted = discover(vnets.items(TYPES.virtual_networks.key), &routes.1, &firewalls.1, &resolvers.1);
        let (fw_part, dns_part) = futures::join!(
            self.firewall_chain(firewalls.1, policies.1, ip_groups.1, &public_ips.1, &wanted.firewalls),
            self.resolver_chain(resolvers.1, rulesets.1, &wanted.resolver_vnets),
        );
        let mut part = vnets;
        part.add(TYPES.route_tables.key, routes.1);
        part.add(TYPES.public_ip_addresses.key, public_ips.1);
        for p in
            [routes.0, public_ips.0, firewalls.0, policies.0, ip_groups.0, resolvers.0, rulesets.0, fw_part, dns_part]
        {
            part.merge(p);
        }
        part
    }

    /// Firewalls (listed and pointed to) and the public IPs they SNAT to that were not listed, their policies and
    /// base policies (by id when not listed), the rule collection groups of every policy in play, then the IP
    /// groups their rules name that were not listed.
    async fn firewall_chain(
        &self,
        mut firewalls: Vec<Value>,
        mut policies: Vec<Value>,
        ip_groups: Vec<Value>,
        public_ips: &[Value],
        wanted: &[String],
    ) -> Part {
        let mut part = Part::default();
        let fetched = self.get_by_id(wanted, &TYPES.azure_firewalls, &mut part).await;
        firewalls.extend(fetched);
        let listed_ips: BTreeSet<String> = public_ips.iter().map(|p| key(id_of(p))).collect();
        let ip_refs = firewalls.iter().flat_map(|f| {
            objects(f, "/properties/ipConfigurations")
                .filter_map(|c| c.pointer("/properties/publicIPAddress/id").and_then(Value::as_str))
        });
        let unlisted_ips = unknown_refs(ip_refs, &listed_ips);
        let fetched_ips = self.get_by_id(&unlisted_ips, &TYPES.public_ip_addresses, &mut part).await;
        part.add(TYPES.public_ip_addresses.key, fetched_ips);
        let mut known: BTreeSet<String> = policies.iter().map(|p| key(id_of(p))).collect();
        let mut next = unknown_refs(firewalls.iter().chain(policies.iter()).flat_map(policy_refs), &known);
        // Base policies may chain; each round reads the policies first named in the previous one, and a policy
        // already read is never asked again, so a loop of references ends.
        while !next.is_empty() {
            known.extend(next.iter().map(|p| key(p)));
            let got = self.get_by_id(&next, &TYPES.firewall_policies, &mut part).await;
            next = unknown_refs(got.iter().flat_map(policy_refs), &known);
            policies.extend(got);
        }
        let policy_ids: Vec<&str> = policies.iter().map(id_of).filter(|id| !id.is_empty()).collect();
        let groups = self.children_of(&policy_ids, &[CHILDREN.rule_collection_groups]).await;
        let listed_groups: BTreeSet<String> = ip_groups.iter().map(|g| key(id_of(g))).collect();
        let mut refs: Vec<String> = Vec::new();
        for f in &firewalls {
            refs.extend(ip_group_refs(f).into_iter().map(str::to_string));
        }
        for (_, _, result) in &groups {
            for g in result.iter().flatten() {
                refs.extend(ip_group_refs(g).into_iter().map(str::to_string));
            }
        }
        self.keep_children(groups, &mut part);
        let unlisted = unknown_refs(refs.iter().map(String::as_str), &listed_groups);
        let fetched_groups = self.get_by_id(&unlisted, &TYPES.ip_groups, &mut part).await;
        part.add(TYPES.azure_firewalls.key, firewalls);
        part.add(TYPES.firewall_policies.key, policies);
        part.add(TYPES.ip_groups.key, ip_groups);
        part.add(TYPES.ip_groups.key, fetched_groups);
        part
    }

    /// Resolvers and rulesets (listed, and those of the VNets spokes' DNS servers point into, asked by VNet and
    /// read by id), then the endpoints of every resolver and the rules and links of every ruleset.
    async fn resolver_chain(&self, mut resolvers: Vec<Value>, mut rulesets: Vec<Value>, vnets: &[String]) -> Part {
        let mut part = Part::default();
        let asked = join_all(vnets.iter().flat_map(|vnet| {
            [(LIST_RESOLVERS, &TYPES.dns_resolvers), (LIST_RULESETS, &TYPES.dns_forwarding_rulesets)].into_iter().map(
                move |(action, t)| {
                    let arm = self.arm.clone();
                    async move {
                        (vnet.clone(), action, t, arm.post_list(&format!("{vnet}/{action}"), t.api_version).await)
                    }
                },
            )
        }))
        .await;
        let mut found: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        for (vnet, action, t, result) in asked {
            match result {
                // Both operations answer `{"value": [{"id": ...}]}` (`DnsResolver_ListByVirtualNetwork.json`,
                // `DnsForwardingRuleset_ListByVirtualNetwork.json`, which adds `properties.virtualNetworkLink`).
                Ok(items) => found.entry(t.key).or_default().extend(items.iter().map(|i| id_of(i).to_string())),
                Err(mut f) => {
                    // These are POST actions: Reader (`*/read`) does not grant them, so say which one failed.
                    f.message = format!(
                        "{} (asked with POST {action} on the VNet, which needs \
                         Microsoft.Network/virtualNetworks/{action}/action)",
                        f.message
                    );
                    part.error(&vnet, t.key, f)
                }
            }
        }
        for (t, listed) in [(&TYPES.dns_resolvers, &mut resolvers), (&TYPES.dns_forwarding_rulesets, &mut rulesets)] {
            let known: BTreeSet<String> = listed.iter().map(|r| key(id_of(r))).collect();
            let ids = found.get(t.key).map(Vec::as_slice).unwrap_or(&[]);
            let unlisted = unknown_refs(ids.iter().map(String::as_str), &known);
            let got = self.get_by_id(&unlisted, t, &mut part).await;
            listed.extend(got);
        }
        let resolver_ids: Vec<&str> = resolvers.iter().map(id_of).filter(|id| !id.is_empty()).collect();
        let ruleset_ids: Vec<&str> = rulesets.iter().map(id_of).filter(|id| !id.is_empty()).collect();
        let (endpoints, rules) = futures::join!(
            self.children_of(&resolver_ids, &[CHILDREN.inbound_endpoints, CHILDREN.outbound_endpoints]),
            self.children_of(&ruleset_ids, &[CHILDREN.forwarding_rules, CHILDREN.ruleset_links]),
        );
        self.keep_children(endpoints, &mut part);
        self.keep_children(rules, &mut part);
        part.add(TYPES.dns_resolvers.key, resolvers);
        part.add(TYPES.dns_forwarding_rulesets.key, rulesets);
        part
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const HUB: &str =
        "/subscriptions/c0ffee00-0000-4000-8000-000000000001/resourceGroups/rg-hub/providers/Microsoft.Network";

    fn hub_vnet() -> Value {
        json!({
            "id": format!("{HUB}/virtualNetworks/vnet-hub"),
            "properties": {
                "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
                "subnets": [
                    {"name": "AzureFirewallSubnet", "properties": {"addressPrefix": "10.0.1.0/26", "ipConfigurations": [
                        {"id": format!("{HUB}/azureFirewalls/fw-hub/azureFirewallIpConfigurations/ipconfig1")}]}},
                    {"name": "snet-dns-in", "properties": {"addressPrefixes": ["10.0.2.0/28"],
                        "delegations": [{"name": "Microsoft.Network.dnsResolvers",
                            "properties": {"serviceName": "Microsoft.Network/dnsResolvers"}}]}},
                    {"name": "snet-vms", "properties": {"addressPrefix": "10.0.3.0/24", "ipConfigurations": [
                        {"id": format!("{HUB}/networkInterfaces/dns-vm-nic/ipConfigurations/ipconfig1")}]}}
                ]
            }
        })
    }

    fn spoke(dns: &[&str]) -> Value {
        json!({"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke",
               "properties": {"dhcpOptions": {"dnsServers": dns}, "subnets": []}})
    }

    fn route_table(next_hop: &str, kind: &str) -> Value {
        json!({"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt",
               "properties": {"routes": [{"name": "default", "properties": {
                   "addressPrefix": "0.0.0.0/0", "nextHopType": kind, "nextHopIpAddress": next_hop}}]}})
    }

    #[test]
    fn a_next_hop_in_the_firewall_subnet_names_the_firewall_to_read() {
        let w = discover(&[hub_vnet(), spoke(&[])], &[route_table("10.0.1.4", "VirtualAppliance")], &[], &[]);
        assert_eq!(w.firewalls, vec![format!("{HUB}/azureFirewalls/fw-hub")]);
        assert!(w.resolver_vnets.is_empty(), "a next hop does not make a DNS resolver lookup");
        // Listed already: nothing to read. Another next-hop type: nothing either.
        let listed = json!({"id": format!("{HUB}/azureFirewalls/FW-HUB")});
        let w = discover(&[hub_vnet()], &[route_table("10.0.1.4", "VirtualAppliance")], &[listed], &[]);
        assert_eq!(w, Wanted::default());
        let w = discover(&[hub_vnet()], &[route_table("10.0.1.4", "VirtualNetworkGateway")], &[], &[]);
        assert_eq!(w, Wanted::default());
    }

    #[test]
    fn dns_servers_name_a_firewall_proxy_or_a_resolver_vnet_and_nothing_for_a_vm_or_on_premises() {
        let w = discover(&[hub_vnet(), spoke(&["10.0.2.4", "10.0.1.4", "10.0.3.10", "192.168.0.53"])], &[], &[], &[]);
        assert_eq!(w.firewalls, vec![format!("{HUB}/azureFirewalls/fw-hub")]);
        assert_eq!(w.resolver_vnets, vec![format!("{HUB}/virtualNetworks/vnet-hub")]);
        // A resolver already listed in that VNet answers: no lookup.
        let resolver = json!({"id": format!("{HUB}/dnsResolvers/r"),
                              "properties": {"virtualNetwork": {"id": format!("{HUB}/virtualNetworks/VNET-HUB")}}});
        let w = discover(&[hub_vnet(), spoke(&["10.0.2.4"])], &[], &[], &[resolver]);
        assert_eq!(w, Wanted::default());
    }

    #[test]
    fn ids_from_subnets_are_checked_before_they_become_requests() {
        let mut vnet = hub_vnet();
        vnet["properties"]["subnets"][0]["properties"]["ipConfigurations"] = json!([
            {"id": format!("{HUB}/azureFirewalls/../../../roleAssignments/x/azureFirewallIpConfigurations/c")},
            {"id": format!("{HUB}/azureFirewalls/fw?x=1/azureFirewallIpConfigurations/c")}
        ]);
        vnet["id"] = json!(format!("{HUB}/virtualNetworks/vnet-hub/../x"));
        let w = discover(&[vnet, spoke(&["10.0.2.4", "10.0.1.4"])], &[], &[], &[]);
        assert_eq!(w, Wanted::default());
    }

    #[test]
    fn rules_name_their_ip_groups_in_classic_and_policy_collections() {
        let fw = json!({"properties": {
            "applicationRuleCollections": [{"properties": {"rules": [{"sourceIpGroups": ["/a"]}]}}],
            "networkRuleCollections": [{"properties": {"rules": [{"destinationIpGroups": ["/b"], "sourceIpGroups": ["/c"]}]}}],
            "natRuleCollections": [{"properties": {"rules": [{"sourceIpGroups": ["/d"]}]}}]
        }});
        assert_eq!(ip_group_refs(&fw), vec!["/a", "/c", "/b", "/d"]);
        let group = json!({"properties": {"priority": 100, "ruleCollections": [
            {"ruleCollectionType": "FirewallPolicyFilterRuleCollection", "priority": 100,
             "rules": [{"ruleType": "NetworkRule", "sourceIpGroups": ["/e"], "destinationIpGroups": ["/f"]}]}]}});
        assert_eq!(ip_group_refs(&group), vec!["/e", "/f"]);
        let known: BTreeSet<String> = [key("/E")].into_iter().collect();
        assert_eq!(unknown_refs(["/e", "/f", "/F"].into_iter(), &known), vec!["/f".to_string()]);
    }
}
