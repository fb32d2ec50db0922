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
//!   such subnets) of a VNet in a subscription the scan does not cover: the resolvers and forwarding rulesets of
//!   that subscription are listed (`GET /subscriptions/{s}/providers/Microsoft.Network/dnsResolvers` and
//!   `.../dnsForwardingRulesets`, paged), once per such subscription, exactly as in a scanned one. These are
//!   reads, which Reader grants (`*/read`); the by-VNet operations (`POST {vnet}/listDnsResolvers`,
//!   `.../listDnsForwardingRulesets`) would need `Microsoft.Network/virtualNetworks/listDnsResolvers/action`
//!   and `.../listDnsForwardingRulesets/action`, which Reader does not grant
//!   (<https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/general#reader>), so they are
//!   not used. Every resolver and ruleset of the subscription is kept, not only those of that VNet: which
//!   rulesets apply to a VNet is said by their `virtualNetworkLinks`, read per ruleset anyway, and a forwarding
//!   rule's target may be the inbound endpoint of another resolver of the same connectivity subscription (a
//!   second region's hub), which the DNS chain then follows. That costs the endpoints and rules of a few more
//!   resolvers and rulesets, and makes a listed connectivity subscription read exactly like a scanned one;
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
//! grow with firewalls, policies, IP groups, resolvers, rulesets and the subscriptions outside the scan that hold
//! a resolver's VNet, not with NICs or subnets.

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
    /// Subscriptions outside the scan whose resolvers and rulesets to list (lower-cased, in order).
    pub resolver_subscriptions: Vec<String>,
}

/// The subscription of a VNet id already checked with [`is_resource_id`], lower-cased.
fn subscription_of(vnet_id: &str) -> Option<String> {
    vnet_id.split('/').nth(2).map(str::to_ascii_lowercase)
}

/// The addresses spokes send traffic or DNS queries to, found in the snapshot's VNets and route tables, and who
/// holds them when the lists did not return it (see the module documentation); `scanned` are the subscriptions
/// whose hub types are listed already. Pure, so it is tested alone.
pub(crate) fn discover(vnets: &[Value], route_tables: &[Value], firewalls: &[Value], scanned: &[String]) -> Wanted {
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
    let scanned: BTreeSet<String> = scanned.iter().map(|s| s.to_ascii_lowercase()).collect();
    let mut wanted_firewalls: BTreeMap<String, String> = BTreeMap::new();
    let mut wanted_subscriptions: BTreeSet<String> = BTreeSet::new();
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
            // Only an inbound endpoint answers DNS in such a subnet; a route's next hop is never a resolver.
            if dns_here && delegated && is_resource_id(vnet_id, NETWORK, kind_of(&TYPES.virtual_networks)) {
                if let Some(s) = subscription_of(vnet_id).filter(|s| !scanned.contains(s)) {
                    wanted_subscriptions.insert(s);
                }
            }
        }
    }
    Wanted {
        firewalls: wanted_firewalls.into_values().collect(),
        resolver_subscriptions: wanted_subscriptions.into_iter().collect(),
    }
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

/// Resources with their first spelling kept, one per id (case-insensitive), in the order first seen.
fn distinct(items: impl Iterator<Item = Value>) -> Vec<Value> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    items.filter(|v| id_of(v).is_empty() || seen.insert(key(id_of(v)))).collect()
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
        let wanted = discover(vnets.items(TYPES.virtual_networks.key), &routes.1, &firewalls.1, self.scanned());
        let (fw_part, dns_part) = futures::join!(
            self.firewall_chain(firewalls.1, policies.1, ip_groups.1, &public_ips.1, &wanted.firewalls),
            self.resolver_chain(resolvers.1, rulesets.1, &wanted.resolver_subscriptions),
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

    /// Resolvers and rulesets (listed in the scanned subscriptions, and in the subscriptions outside the scan
    /// that hold a VNet spokes' DNS servers point into), then the endpoints of every resolver and the rules and
    /// links of every ruleset. A list that fails is an error at that subscription for that type: every resolver
    /// or ruleset there is unread, not absent.
    async fn resolver_chain(&self, resolvers: Vec<Value>, rulesets: Vec<Value>, subscriptions: &[String]) -> Part {
        let mut part = Part::default();
        let mut rulesets_part = Part::default();
        let (more_resolvers, more_rulesets) = futures::join!(
            self.list_branch_in(&TYPES.dns_resolvers, subscriptions, &mut part),
            self.list_branch_in(&TYPES.dns_forwarding_rulesets, subscriptions, &mut rulesets_part),
        );
        part.merge(rulesets_part);
        // The lists are of disjoint subscriptions; an item a server returns twice is still read once.
        let resolvers = distinct(resolvers.into_iter().chain(more_resolvers));
        let rulesets = distinct(rulesets.into_iter().chain(more_rulesets));
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

    /// The subscriptions the scan covers, in the spelling a user might give.
    fn scanned(subs: &[&str]) -> Vec<String> {
        subs.iter().map(|s| s.to_string()).collect()
    }

    const CONN: &str = "c0ffee00-0000-4000-8000-000000000001";

    #[test]
    fn a_next_hop_in_the_firewall_subnet_names_the_firewall_to_read() {
        let w = discover(&[hub_vnet(), spoke(&[])], &[route_table("10.0.1.4", "VirtualAppliance")], &[], &[]);
        assert_eq!(w.firewalls, vec![format!("{HUB}/azureFirewalls/fw-hub")]);
        assert!(w.resolver_subscriptions.is_empty(), "a next hop does not make a DNS resolver lookup");
        // Listed already: nothing to read. Another next-hop type: nothing either.
        let listed = json!({"id": format!("{HUB}/azureFirewalls/FW-HUB")});
        let w = discover(&[hub_vnet()], &[route_table("10.0.1.4", "VirtualAppliance")], &[listed], &[]);
        assert_eq!(w, Wanted::default());
        let w = discover(&[hub_vnet()], &[route_table("10.0.1.4", "VirtualNetworkGateway")], &[], &[]);
        assert_eq!(w, Wanted::default());
        // A next hop in the resolver's delegated subnet is not a DNS server: no resolver list.
        let w = discover(&[hub_vnet(), spoke(&[])], &[route_table("10.0.2.4", "VirtualAppliance")], &[], &[]);
        assert_eq!(w, Wanted::default());
    }

    #[test]
    fn dns_servers_name_a_firewall_proxy_or_a_resolver_subscription_and_nothing_for_a_vm_or_on_premises() {
        let dns = ["10.0.2.4", "10.0.1.4", "10.0.3.10", "192.168.0.53"];
        let w = discover(&[hub_vnet(), spoke(&dns)], &[], &[], &scanned(&["s"]));
        assert_eq!(w.firewalls, vec![format!("{HUB}/azureFirewalls/fw-hub")]);
        assert_eq!(w.resolver_subscriptions, vec![CONN.to_string()], "the hub VNet's subscription, once");
        // The hub's subscription is scanned (its resolvers and rulesets are listed already): nothing more to list,
        // whatever the spelling of the subscription id.
        let w = discover(&[hub_vnet(), spoke(&["10.0.2.4"])], &[], &[], &scanned(&[&CONN.to_ascii_uppercase()]));
        assert_eq!(w, Wanted::default());
        // A DNS server in a subnet that is not delegated to the resolver service (a DNS VM): no resolver list.
        let w = discover(&[hub_vnet(), spoke(&["10.0.3.10"])], &[], &[], &[]);
        assert_eq!(w, Wanted::default());
    }

    #[test]
    fn each_subscription_is_listed_once_whatever_the_number_of_vnets_and_servers() {
        let mut second = hub_vnet();
        second["id"] = json!(format!("{HUB}/virtualNetworks/vnet-hub-westus"));
        second["properties"]["subnets"][1]["properties"]["addressPrefixes"] = json!(["10.1.2.0/28"]);
        let mut other = hub_vnet();
        other["id"] =
            json!(format!("{}/virtualNetworks/vnet-hub", HUB.replace(CONN, "c0ffee00-0000-4000-8000-000000000009")));
        other["properties"]["subnets"][1]["properties"]["addressPrefixes"] = json!(["10.2.2.0/28"]);
        let w = discover(
            &[hub_vnet(), second, other, spoke(&["10.0.2.4", "10.0.2.5", "10.1.2.4", "10.2.2.4"])],
            &[],
            &[],
            &[],
        );
        assert_eq!(
            w.resolver_subscriptions,
            vec![CONN.to_string(), "c0ffee00-0000-4000-8000-000000000009".to_string()]
        );
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
        // A subscription segment that is not safe never becomes a list path.
        let mut vnet = hub_vnet();
        vnet["id"] = json!(format!("{}/virtualNetworks/vnet-hub", HUB.replace(CONN, "x?y=1")));
        let w = discover(&[vnet, spoke(&["10.0.2.4"])], &[], &[], &[]);
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
