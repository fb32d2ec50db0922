//! Azure Firewall rule evaluation: a firewall's rules compiled once into the order Azure Firewall meets them,
//! then judged for one flow (the client's addresses → a registry endpoint, TCP 443, the endpoint's FQDN as SNI).
//!
//! Order (Microsoft Learn):
//! - "Azure Firewall denies all traffic by default ... The rules are terminating, so rule processing stops on a
//!   match" and DNAT rules, then network rules, then application rules
//!   (<https://learn.microsoft.com/azure/firewall/rule-processing>). Network rules are applied first: "if a match is
//!   found in network rules, then application rules aren't processed"
//!   (<https://learn.microsoft.com/azure/firewall-manager/rule-processing>).
//! - Firewall Policy: rule collection groups by priority (100 first), then rule collections by priority inside a
//!   group, for each rule type (<https://learn.microsoft.com/azure/firewall/policy-rule-sets>).
//! - Inheritance: "Network rule collections inherited from a parent policy are always prioritized above network
//!   rule collections that are defined as part of your new policy. The same logic also applies to application
//!   rule collections" (<https://learn.microsoft.com/azure/firewall-manager/policy-overview>): for each rule type,
//!   the base policy chain's collections come first, the root ancestor first.
//! - Classic rules (a firewall without a policy): collections by priority per rule type, network collections
//!   before application collections (<https://learn.microsoft.com/azure/firewall/rule-processing>).
//! - DNAT rules match traffic addressed to the firewall's own (public) address; a client's flow to a registry is
//!   never addressed to the firewall, so NAT collections are compiled out.
//!
//! Matching:
//! - a rule matches a flow only when it covers every source address of the client and every destination address
//!   the route sends to the firewall: a rule covering part of either does not decide the flow, and a deny
//!   covering part of it denies part of the flow (never an allow);
//! - network rules: protocol `TCP` or `Any`, destination port 443 (single ports, ranges `a-b`, `*`), destination
//!   addresses (CIDRs, addresses, ranges `a-b`, `*`, service tags), IP groups, and destination FQDNs, which the
//!   firewall resolves itself and which only match what clients resolve when clients use its DNS proxy
//!   (<https://learn.microsoft.com/azure/firewall/fqdn-filtering-network-rules>): without the proxy such a rule is
//!   `unknown`, never a match or a miss;
//! - application rules: protocol `Https` on port 443, `targetFqdns` matched against the TLS SNI (the endpoint's
//!   name) with a leading `*` matching anything to its left (`*.azurecr.io` matches `x.azurecr.io` and
//!   `a.b.azurecr.io`, not `azurecr.io`: "Azure Firewall FAQ", <https://learn.microsoft.com/azure/firewall/firewall-faq>),
//!   FQDN tags (<https://learn.microsoft.com/azure/firewall/fqdn-tags>; `AzureKubernetesService` holds the AKS
//!   outbound FQDNs of <https://learn.microsoft.com/azure/aks/outbound-rules-control-egress>, which name no
//!   customer registry and no customer storage account), web categories and URLs (not evaluable here:
//!   `unknown`).
//!
//! Anything that cannot be read (a policy, its rule collection groups, an IP group, a service tag the snapshot
//! lacks) makes the verdict `unknown` when the rule it sits in could decide the flow: unknown is not absent.
//!
//! Order that cannot be known: the API requires only `ruleCollectionType` of a policy rule collection, so a rule
//! collection group or collection can come without `priority` (the published example
//! `FirewallPolicyRuleCollectionGroupWithHttpHeadersToInsert` has such a collection), and a classic collection
//! without `priority` or `action`. acr-audit never guesses the place or the outcome: such a collection's rules are
//! compiled at the earliest place they could hold (a group without priority before every group of its policy, a
//! collection without priority before every collection of its group; within the processing order of its rule
//! type and policy, which does not depend on priorities), and when one of them could decide the flow (it matches
//! the part of the flow still undecided, even for some client addresses, or is itself unknown) the verdict is
//! `unknown`, naming the group or collection. Rules that decide before that place decide as usual; a rule of such
//! a collection that cannot match the flow there cannot match it at any later place (the undecided part only
//! shrinks), so it changes nothing. A filter collection without `action` is treated the same way: its order is
//! known, its outcome is not.

use super::ipset::IpSet;
use super::tags::AddressResolver;
use crate::model::{AzureFirewall, FirewallPolicy, Model, PolicyRule};
use std::collections::HashMap;
use std::rc::Rc;

/// The resource types whose read errors make a firewall unevaluable.
const POLICY_TYPE: &str = "Microsoft.Network/firewallPolicies";
const GROUP_TYPE: &str = "Microsoft.Network/firewallPolicies/ruleCollectionGroups";
const IP_GROUP_TYPE: &str = "Microsoft.Network/ipGroups";

/// Network or application rule (NAT rules never match an outbound flow, see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    /// A network rule (L3/L4).
    Network,
    /// An application rule (FQDN, HTTP/S).
    Application,
}

/// Where a rule sits: enough to name it in a finding and to write the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleOrigin {
    /// The policy defining it (`None` for classic rules). Shared by the policy's rules.
    pub policy: Option<Rc<str>>,
    /// Its rule collection group (`None` for classic rules).
    pub group: Option<Rc<str>>,
    /// The group's priority.
    pub group_priority: Option<u32>,
    /// Its rule collection.
    pub collection: Rc<str>,
    /// The collection's priority (`None` when the collection has none: see the module doc).
    pub collection_priority: Option<u32>,
    /// The rule's name.
    pub rule: String,
    /// Network or application.
    pub kind: RuleKind,
    /// `Allow` / `Deny` as Azure spells it.
    pub action: Rc<str>,
    /// An application rule with `terminateTLS`.
    pub terminate_tls: bool,
}

/// Addresses a rule names, resolved as far as the snapshot allows.
#[derive(Debug, Clone, Default)]
struct Addresses {
    /// `*` (or a covering prefix) without any resolution.
    any: bool,
    /// What resolved. Shared with every rule naming the same single address, service tag or IP group
    /// ([`SharedSets`]): a service tag's set alone can hold dozens of ranges, and thousands of rules name one.
    set: Rc<IpSet>,
    /// What did not, with why.
    unresolved: Vec<String>,
}

impl Addresses {
    fn is_empty(&self) -> bool {
        !self.any && self.set.is_empty() && self.unresolved.is_empty()
    }
}

/// What the rules of one collection share: where it sits and what it does. Held once per collection rather
/// than per rule; a rule's [`RuleOrigin`] is built only when it decides a flow.
#[derive(Debug)]
struct CollectionOrigin {
    policy: Option<Rc<str>>,
    group: Option<Rc<str>>,
    group_priority: Option<u32>,
    collection: Rc<str>,
    collection_priority: Option<u32>,
    action: Rc<str>,
    allow: bool,
    /// Why the collection's place in the order or its action is not known (a group or collection without
    /// `priority`, a collection without `action`): a flow one of its rules could decide is `unknown`.
    undetermined: Option<Rc<str>>,
}

/// One rule, compiled.
#[derive(Debug, Clone)]
struct CompiledRule {
    collection: Rc<CollectionOrigin>,
    name: Box<str>,
    kind: RuleKind,
    /// An application rule with `terminateTLS`.
    terminate_tls: bool,
    source: Addresses,
    destination: Addresses,
    /// Network rules: destination FQDNs, lower-cased.
    destination_fqdns: Vec<String>,
    /// Network rules: TCP (or Any) and port 443 are among its protocols and ports.
    tcp_443: bool,
    /// Application rules: `Https` on 443 among its protocols (FQDN tags imply HTTP/S).
    https_443: bool,
    /// Application rules: target FQDNs, lower-cased.
    target_fqdns: Vec<String>,
    /// Application rules: FQDN tags.
    fqdn_tags: Vec<String>,
    /// Application rules: web categories or target URLs (not evaluable offline).
    unevaluable: Option<String>,
}

impl CompiledRule {
    /// Where the rule sits, for a decision.
    fn origin(&self) -> Rc<RuleOrigin> {
        let c = &self.collection;
        Rc::new(RuleOrigin {
            policy: c.policy.clone(),
            group: c.group.clone(),
            group_priority: c.group_priority,
            collection: c.collection.clone(),
            collection_priority: c.collection_priority,
            rule: self.name.to_string(),
            kind: self.kind,
            action: c.action.clone(),
            terminate_tls: self.terminate_tls,
        })
    }

    /// Whether the rule can ever match a flow to a registry on TCP 443 (or be unknown for one): rules for other
    /// ports and protocols, and application rules naming only FQDN tags without registries, are left out at
    /// compile time. They could never decide a pull, and a policy can hold thousands of them.
    fn may_match(&self) -> bool {
        match self.kind {
            RuleKind::Network => self.tcp_443,
            RuleKind::Application => {
                self.https_443
                    && (!self.target_fqdns.is_empty()
                        || self.unevaluable.is_some()
                        || self
                            .fqdn_tags
                            .iter()
                            .any(|t| !TAGS_WITHOUT_REGISTRIES.iter().any(|k| k.eq_ignore_ascii_case(t))))
            }
        }
    }
}

/// Every rule of one policy (its own, not inherited), per kind, in processing order, with indexes that find the
/// rules that may apply to a flow without scanning all of them (a policy can hold thousands).
#[derive(Debug, Default)]
struct CompiledPolicy {
    network: Vec<CompiledRule>,
    application: Vec<CompiledRule>,
    network_index: RuleIndex,
    application_index: RuleIndex,
    /// Why the policy's rules are not all known (a rule collection group not read).
    unreadable: Option<String>,
}

impl CompiledPolicy {
    /// Build the indexes once the rules are in order.
    fn index(mut self) -> CompiledPolicy {
        self.network.shrink_to_fit();
        self.application.shrink_to_fit();
        self.network_index = RuleIndex::of(&self.network);
        self.application_index = RuleIndex::of(&self.application);
        self
    }
}

/// Finds the rules of one kind that may match a flow: a superset, in processing order. Each candidate is then
/// judged in full, so the index only ever saves work, never changes an answer.
#[derive(Debug, Default)]
struct RuleIndex {
    /// Rules to check for every flow: `*` destinations or names, unresolved parts, FQDN tags acr-audit does not
    /// know, web categories, URLs.
    always: Vec<u32>,
    /// Exact names (target FQDNs, destination FQDNs).
    exact: HashMap<String, Vec<u32>>,
    /// `*X` patterns by `X`.
    wild: HashMap<String, Vec<u32>>,
    /// Every name pattern reversed (without its `*`), for wildcard endpoint names (`*.blob.core.windows.net`).
    reversed: std::collections::BTreeMap<String, Vec<u32>>,
    /// Network rules by the IPv4 `/8` blocks their destination addresses touch.
    blocks: HashMap<u8, Vec<u32>>,
    /// Network rules whose destinations span many blocks or hold IPv6.
    wide: Vec<u32>,
}

impl RuleIndex {
    fn of(rules: &[CompiledRule]) -> RuleIndex {
        let mut ix = RuleIndex::default();
        for (i, r) in rules.iter().enumerate() {
            let i = i as u32;
            let push = |m: &mut HashMap<String, Vec<u32>>, k: &str| m.entry(k.to_string()).or_default().push(i);
            let names = if r.kind == RuleKind::Network { &r.destination_fqdns } else { &r.target_fqdns };
            let unknown_tag =
                r.fqdn_tags.iter().any(|t| !TAGS_WITHOUT_REGISTRIES.iter().any(|k| k.eq_ignore_ascii_case(t)));
            let mut always = r.unevaluable.is_some() || unknown_tag || names.iter().any(|n| n == "*");
            for n in names.iter().filter(|n| *n != "*") {
                let bare = n.strip_prefix('*').unwrap_or(n);
                if n.starts_with('*') {
                    push(&mut ix.wild, bare);
                } else {
                    push(&mut ix.exact, n);
                }
                ix.reversed.entry(bare.chars().rev().collect()).or_default().push(i);
            }
            if r.kind == RuleKind::Network {
                let d = &r.destination;
                if d.any || !d.unresolved.is_empty() {
                    always = true;
                } else if !d.set.is_empty() {
                    match d.set.v4_blocks(16) {
                        Some(blocks) => blocks.into_iter().for_each(|b| ix.blocks.entry(b).or_default().push(i)),
                        None => ix.wide.push(i),
                    }
                }
            }
            if always {
                ix.always.push(i);
            }
        }
        ix
    }

    /// Candidate rule positions for a flow to `name` (normalised) and `destination`, ascending.
    fn candidates(&self, name: &str, destination: &IpSet, network: bool) -> Vec<u32> {
        let mut out = self.always.clone();
        let mut add = |v: Option<&Vec<u32>>| {
            if let Some(v) = v {
                out.extend_from_slice(v);
            }
        };
        if let Some(suffix) = name.strip_prefix('*') {
            // Any name ending in `suffix`: `*X` patterns with `suffix` ending in `X`, and every pattern ending in
            // `suffix` (those match some names of it).
            for (i, _) in suffix.char_indices() {
                add(self.wild.get(&suffix[i..]));
            }
            let rev: String = suffix.chars().rev().collect();
            for (k, v) in self.reversed.range(rev.clone()..) {
                if !k.starts_with(&rev) {
                    break;
                }
                add(Some(v));
            }
        } else {
            add(self.exact.get(name));
            for (i, _) in name.char_indices().skip(1) {
                add(self.wild.get(&name[i..]));
            }
        }
        if network {
            match destination.v4_blocks(256) {
                Some(blocks) => {
                    for b in blocks {
                        add(self.blocks.get(&b));
                    }
                    add(Some(&self.wide));
                }
                None => {
                    for v in self.blocks.values() {
                        add(Some(v));
                    }
                    add(Some(&self.wide));
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// A firewall's rules in processing order, ready to judge flows.
#[derive(Debug)]
pub struct CompiledFirewall {
    /// The firewall policy in force, if any.
    pub policy: Option<String>,
    /// The policy and its base policies, root ancestor first (empty for classic rules).
    pub chain: Vec<String>,
    /// Whether the DNS proxy is on (FQDNs in network rules are reliable).
    pub dns_proxy: bool,
    /// The rule collection groups of the firewall's own policy, by priority (where a new allow can go).
    pub groups: Vec<String>,
    /// Why the rules cannot be evaluated at all (a policy or rule collection group not read).
    pub unreadable: Option<String>,
    policies: Vec<Rc<CompiledPolicy>>,
}

/// One flow through the firewall.
#[derive(Debug, Clone, Copy)]
pub struct Flow<'a> {
    /// The client's source addresses.
    pub source: &'a IpSet,
    /// The destination addresses routed to the firewall.
    pub destination: &'a IpSet,
    /// The name the client connects to (the TLS SNI); may start with `*.` when the exact name is unknown.
    pub fqdn: &'a str,
}

/// The firewall's answer for a flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Every flow is allowed; the rules that allowed them, in order.
    Allow { rules: Vec<Rc<RuleOrigin>> },
    /// Some or all flows are denied: by `rule`, or by no rule matching (`None`). `partial` when only part of the
    /// flow is denied.
    Deny { rule: Option<Rc<RuleOrigin>>, partial: bool },
    /// Cannot be known from the snapshot.
    Unknown { cause: String, rule: Option<Rc<RuleOrigin>> },
}

/// Compiled firewalls and policies, one per id, for one analysis.
#[derive(Debug, Default)]
pub struct FirewallCache {
    firewalls: HashMap<String, Rc<CompiledFirewall>>,
    policies: HashMap<String, Rc<CompiledPolicy>>,
    sets: SharedSets,
}

impl FirewallCache {
    /// The compiled rules of `firewall`, compiled on first use.
    pub fn get(
        &mut self,
        model: &Model,
        resolver: &mut AddressResolver<'_>,
        firewall: &AzureFirewall,
    ) -> Rc<CompiledFirewall> {
        let key = firewall.id.to_ascii_lowercase();
        if let Some(c) = self.firewalls.get(&key) {
            return c.clone();
        }
        let compiled = Rc::new(self.compile(model, resolver, firewall));
        self.firewalls.insert(key, compiled.clone());
        compiled
    }

    fn compile(&mut self, model: &Model, resolver: &mut AddressResolver<'_>, fw: &AzureFirewall) -> CompiledFirewall {
        let p = &fw.properties;
        let Some(policy_ref) = p.firewall_policy.as_ref().filter(|r| !r.id.is_empty()) else {
            let dns_proxy = p
                .additional_properties
                .iter()
                .any(|(k, v)| k.eq_ignore_ascii_case("Network.DNS.EnableProxy") && v.eq_ignore_ascii_case("true"));
            return CompiledFirewall {
                policy: None,
                chain: vec![],
                dns_proxy,
                groups: vec![],
                unreadable: None,
                policies: vec![Rc::new(
                    compile_classic(resolver, &mut IpGroups { model, sets: &mut self.sets }, fw).index(),
                )],
            };
        };
        // The base chain, the firewall's own policy first while walking; reversed below (root first).
        let mut chain: Vec<String> = Vec::new();
        let mut policies: Vec<&FirewallPolicy> = Vec::new();
        let mut unreadable = None;
        let mut next = Some(policy_ref.id.clone());
        while let Some(id) = next.take() {
            if chain.iter().any(|c| c.eq_ignore_ascii_case(&id)) {
                unreadable = Some(format!("firewall policy {id} is its own base policy (a cycle)"));
                break;
            }
            chain.push(id.clone());
            match model.firewall_policy(&id) {
                Some(policy) => {
                    next = policy.properties.base_policy.as_ref().map(|b| b.id.clone()).filter(|b| !b.is_empty());
                    policies.push(policy);
                }
                None => {
                    unreadable = Some(unread_cause(model, &id, POLICY_TYPE, "firewall policy"));
                    break;
                }
            }
        }
        chain.reverse();
        policies.reverse();
        // DNS settings: the firewall's own policy, else the nearest base policy that sets them.
        let dns_proxy = policies
            .iter()
            .rev()
            .find_map(|p| p.properties.dns_settings.as_ref().and_then(|d| d.enable_proxy))
            .unwrap_or(false);
        let mut compiled = Vec::new();
        for policy in policies {
            let key = policy.id.to_ascii_lowercase();
            let c = match self.policies.get(&key) {
                Some(c) => c.clone(),
                None => {
                    let mut ips = IpGroups { model, sets: &mut self.sets };
                    let c = Rc::new(compile_policy(model, resolver, &mut ips, policy).index());
                    self.policies.insert(key, c.clone());
                    c
                }
            };
            if unreadable.is_none() {
                unreadable = c.unreadable.clone();
            }
            compiled.push(c);
        }
        let mut groups: Vec<_> = model.rule_collection_groups(&policy_ref.id).unwrap_or_default().iter().collect();
        groups.sort_by_key(|g| g.properties.priority);
        let groups = groups.into_iter().map(|g| g.name.clone()).collect();
        CompiledFirewall {
            policy: Some(policy_ref.id.clone()),
            chain,
            dns_proxy,
            groups,
            unreadable,
            policies: compiled,
        }
    }
}

/// Why an id is missing: read error or simply not in the snapshot.
fn unread_cause(model: &Model, id: &str, resource_type: &str, what: &str) -> String {
    if model.unread(id, resource_type) {
        format!("{what} {id} could not be read (see the collection errors)")
    } else {
        format!("{what} {id} is not in the snapshot")
    }
}

fn is_allow(action: Option<&str>) -> bool {
    action.map(|a| a.eq_ignore_ascii_case("Allow")).unwrap_or(false)
}

fn compile_policy(
    model: &Model,
    resolver: &mut AddressResolver<'_>,
    ips: &mut IpGroups<'_>,
    policy: &FirewallPolicy,
) -> CompiledPolicy {
    let mut out = CompiledPolicy::default();
    let Some(groups) = model.rule_collection_groups(&policy.id) else {
        // Not read: unknown, unless nothing was to be read (no group referenced and no read error).
        if model.unread(&policy.id, GROUP_TYPE) || !policy.properties.rule_collection_groups.is_empty() {
            out.unreadable = Some(if model.unread(&policy.id, GROUP_TYPE) {
                format!("the rule collection groups of firewall policy {} could not be read", policy.name)
            } else {
                format!("the rule collection groups of firewall policy {} are not in the snapshot", policy.name)
            });
        }
        return out;
    };
    for referenced in &policy.properties.rule_collection_groups {
        if !groups.iter().any(|g| g.id.eq_ignore_ascii_case(&referenced.id)) {
            out.unreadable = Some(unread_cause(model, &referenced.id, GROUP_TYPE, "rule collection group"));
        }
    }
    // `None` sorts first: a group or collection without priority goes to the earliest place it could hold.
    let mut groups: Vec<_> = groups.iter().collect();
    groups.sort_by_key(|g| g.properties.priority);
    let policy_id: Rc<str> = Rc::from(policy.id.as_str());
    for group in groups {
        let group_name: Rc<str> = Rc::from(group.name.as_str());
        let mut collections: Vec<_> = group.properties.rule_collections.iter().collect();
        collections.sort_by_key(|c| c.priority);
        for collection in collections {
            if !collection.rule_collection_type.eq_ignore_ascii_case("FirewallPolicyFilterRuleCollection") {
                continue; // NAT collections: see the module doc.
            }
            let allow = is_allow(collection.action.as_ref().map(|a| a.kind.as_str()));
            let action: Rc<str> = Rc::from(collection.action.as_ref().map(|a| a.kind.as_str()).unwrap_or_default());
            let collection_name: Rc<str> = Rc::from(collection.name.as_str());
            let undetermined: Option<Rc<str>> = if group.properties.priority.is_none() {
                Some(Rc::from(format!(
                    "rule collection group {} of firewall policy {} has no priority: its place among the policy's groups is not known",
                    group.name, policy.name
                )))
            } else if collection.priority.is_none() {
                Some(Rc::from(format!(
                    "rule collection {} (group {} of firewall policy {}) has no priority: its place among the group's collections is not known",
                    collection.name, group.name, policy.name
                )))
            } else if collection.action.is_none() {
                Some(Rc::from(format!(
                    "rule collection {} (group {} of firewall policy {}) has no action: whether it allows or denies is not known",
                    collection.name, group.name, policy.name
                )))
            } else {
                None
            };
            let origin = Rc::new(CollectionOrigin {
                policy: Some(policy_id.clone()),
                group: Some(group_name.clone()),
                group_priority: group.properties.priority,
                collection: collection_name,
                collection_priority: collection.priority,
                action,
                allow,
                undetermined,
            });
            for rule in collection.rules.iter() {
                let kind = if rule.rule_type.eq_ignore_ascii_case("NetworkRule") {
                    RuleKind::Network
                } else if rule.rule_type.eq_ignore_ascii_case("ApplicationRule") {
                    RuleKind::Application
                } else {
                    continue;
                };
                let compiled = compile_policy_rule(resolver, ips, rule, origin.clone(), kind);
                if !compiled.may_match() {
                    continue;
                }
                match kind {
                    RuleKind::Network => out.network.push(compiled),
                    RuleKind::Application => out.application.push(compiled),
                }
            }
        }
    }
    out
}

fn compile_policy_rule(
    resolver: &mut AddressResolver<'_>,
    ips: &mut IpGroups<'_>,
    rule: &PolicyRule,
    collection: Rc<CollectionOrigin>,
    kind: RuleKind,
) -> CompiledRule {
    let source = addresses(resolver, ips, &rule.source_addresses, &rule.source_ip_groups);
    let destination = addresses(resolver, ips, &rule.destination_addresses, &rule.destination_ip_groups);
    let lower = |v: &[String]| v.iter().map(|s| normalise_fqdn(s)).collect::<Vec<_>>();
    let https_443 = rule.protocols.iter().any(|p| {
        p.protocol_type.as_deref().map(|t| t.eq_ignore_ascii_case("Https")).unwrap_or(false)
            && p.port.unwrap_or(443) == 443
    }) || (!rule.fqdn_tags.is_empty() && rule.protocols.is_empty());
    let unevaluable = if !rule.web_categories.is_empty() {
        Some(format!("web categories {}", rule.web_categories.join(", ")))
    } else if !rule.target_urls.is_empty() {
        Some(format!("target URLs {}", rule.target_urls.join(", ")))
    } else {
        None
    };
    CompiledRule {
        collection,
        name: rule.name.as_str().into(),
        kind,
        terminate_tls: kind == RuleKind::Application && rule.terminate_tls.unwrap_or(false),
        source,
        destination,
        destination_fqdns: lower(&rule.destination_fqdns),
        tcp_443: protocols_tcp(&rule.ip_protocols) && ports_443(&rule.destination_ports),
        https_443,
        target_fqdns: lower(&rule.target_fqdns),
        fqdn_tags: rule.fqdn_tags.to_vec(),
        unevaluable,
    }
}

/// A classic collection's origin: name, priority, action, and why its place or outcome is not known.
fn classic_collection(
    name: &str,
    what: &str,
    priority: Option<u32>,
    action: &Option<crate::model::RuleAction>,
) -> Rc<CollectionOrigin> {
    let kind = action.as_ref().map(|a| a.kind.as_str());
    let undetermined = if priority.is_none() {
        Some(format!(
            "classic {what} rule collection {name} has no priority: its place among the collections is not known"
        ))
    } else if kind.is_none() {
        Some(format!("classic {what} rule collection {name} has no action: whether it allows or denies is not known"))
    } else {
        None
    };
    Rc::new(CollectionOrigin {
        policy: None,
        group: None,
        group_priority: None,
        collection: Rc::from(name),
        collection_priority: priority,
        action: Rc::from(kind.unwrap_or_default()),
        allow: is_allow(kind),
        undetermined: undetermined.map(Rc::from),
    })
}

/// Classic collections: network collections by priority, then application collections by priority (`None`
/// first: the earliest place a collection without priority could hold, see the module doc).
fn compile_classic(resolver: &mut AddressResolver<'_>, ips: &mut IpGroups<'_>, fw: &AzureFirewall) -> CompiledPolicy {
    let mut out = CompiledPolicy::default();
    let p = &fw.properties;
    let mut network: Vec<_> = p.network_rule_collections.iter().collect();
    network.sort_by_key(|c| c.properties.priority);
    for c in network {
        let collection = classic_collection(&c.name, "network", c.properties.priority, &c.properties.action);
        for rule in c.properties.rules.iter() {
            out.network.push(CompiledRule {
                collection: collection.clone(),
                name: rule.name.as_str().into(),
                kind: RuleKind::Network,
                terminate_tls: false,
                source: addresses(resolver, ips, &rule.source_addresses, &rule.source_ip_groups),
                destination: addresses(resolver, ips, &rule.destination_addresses, &rule.destination_ip_groups),
                destination_fqdns: rule.destination_fqdns.iter().map(|s| normalise_fqdn(s)).collect(),
                tcp_443: protocols_tcp(&rule.protocols) && ports_443(&rule.destination_ports),
                https_443: false,
                target_fqdns: vec![],
                fqdn_tags: vec![],
                unevaluable: None,
            });
        }
    }
    let mut application: Vec<_> = p.application_rule_collections.iter().collect();
    application.sort_by_key(|c| c.properties.priority);
    for c in application {
        let collection = classic_collection(&c.name, "application", c.properties.priority, &c.properties.action);
        for rule in c.properties.rules.iter() {
            let https_443 = rule.protocols.iter().any(|p| {
                p.protocol_type.as_deref().map(|t| t.eq_ignore_ascii_case("Https")).unwrap_or(false)
                    && p.port.unwrap_or(443) == 443
            }) || (!rule.fqdn_tags.is_empty() && rule.protocols.is_empty());
            out.application.push(CompiledRule {
                collection: collection.clone(),
                name: rule.name.as_str().into(),
                kind: RuleKind::Application,
                terminate_tls: false,
                source: addresses(resolver, ips, &rule.source_addresses, &rule.source_ip_groups),
                destination: Addresses { set: ips.empty.clone(), ..Default::default() },
                destination_fqdns: vec![],
                tcp_443: false,
                https_443,
                target_fqdns: rule.target_fqdns.iter().map(|s| normalise_fqdn(s)).collect(),
                fqdn_tags: rule.fqdn_tags.to_vec(),
                unevaluable: None,
            });
        }
    }
    out
}

fn protocols_tcp(protocols: &[String]) -> bool {
    protocols.iter().any(|p| p.eq_ignore_ascii_case("TCP") || p.eq_ignore_ascii_case("Any"))
}

/// Whether port 443 is among `ports` (`443`, `400-500`, `*`).
fn ports_443(ports: &[String]) -> bool {
    ports.iter().any(|p| {
        let p = p.trim();
        if p == "*" {
            return true;
        }
        match p.split_once('-') {
            Some((lo, hi)) => match (lo.trim().parse::<u32>(), hi.trim().parse::<u32>()) {
                (Ok(lo), Ok(hi)) => lo <= 443 && 443 <= hi,
                _ => false,
            },
            None => p.parse::<u32>() == Ok(443),
        }
    })
}

/// Address sets shared by the compiled rules of every firewall of one analysis, by the text that names them: a
/// service tag, an IP group id, or one address or CIDR. A rule naming exactly one of them holds the shared set
/// rather than a copy (50 policies × 8,000 rules name the same few thousand tags, groups and prefixes).
#[derive(Debug, Default)]
struct SharedSets {
    /// Service tags (lower-cased name); `None` when the snapshot lacks the tag.
    tags: HashMap<String, Option<Rc<IpSet>>>,
    /// IP groups (lower-cased id), or why they cannot be used.
    groups: HashMap<String, Result<Rc<IpSet>, String>>,
    /// Single addresses, CIDRs and ranges, as written; `None` when the text is none of them.
    literals: HashMap<String, Option<Rc<IpSet>>>,
    /// The empty set.
    empty: Rc<IpSet>,
}

/// The model and the shared sets, for one compilation.
struct IpGroups<'m> {
    model: &'m Model,
    sets: &'m mut SharedSets,
}

impl std::ops::Deref for IpGroups<'_> {
    type Target = SharedSets;
    fn deref(&self) -> &SharedSets {
        self.sets
    }
}

impl IpGroups<'_> {
    fn get(&mut self, id: &str) -> Result<Rc<IpSet>, String> {
        let key = id.to_ascii_lowercase();
        if let Some(r) = self.sets.groups.get(&key) {
            return r.clone();
        }
        let r = match self.model.ip_group(id) {
            Some(g) => {
                let mut set = IpSet::empty();
                let mut bad = None;
                for a in &g.properties.ip_addresses {
                    match parse_address(a) {
                        Some(s) => set = set.union(&s),
                        None => bad = Some(format!("IP group {} holds `{a}`, not an address, CIDR or range", g.name)),
                    }
                }
                bad.map(Err).unwrap_or(Ok(Rc::new(set)))
            }
            None => Err(unread_cause(self.model, id, IP_GROUP_TYPE, "IP group")),
        };
        self.sets.groups.insert(key, r.clone());
        r
    }

    fn tag(&mut self, resolver: &mut AddressResolver<'_>, name: &str) -> Option<Rc<IpSet>> {
        let key = name.to_ascii_lowercase();
        if let Some(r) = self.sets.tags.get(&key) {
            return r.clone();
        }
        let r = resolver.service_tag(name).map(Rc::new);
        self.sets.tags.insert(key, r.clone());
        r
    }

    fn literal(&mut self, text: &str) -> Option<Rc<IpSet>> {
        if let Some(r) = self.sets.literals.get(text) {
            return r.clone();
        }
        let r = parse_address(text).map(Rc::new);
        self.sets.literals.insert(text.to_string(), r.clone());
        r
    }
}

/// An address, CIDR or range `a-b` (both ends the same family).
fn parse_address(text: &str) -> Option<IpSet> {
    let t = text.trim();
    if let Some(s) = IpSet::parse_prefix(t) {
        return Some(s);
    }
    let (lo, hi) = t.split_once('-')?;
    let (lo, hi): (std::net::IpAddr, std::net::IpAddr) = (lo.trim().parse().ok()?, hi.trim().parse().ok()?);
    IpSet::range(lo, hi)
}

fn addresses(
    resolver: &mut AddressResolver<'_>,
    ips: &mut IpGroups<'_>,
    texts: &[String],
    groups: &[String],
) -> Addresses {
    let mut out = Addresses::default();
    // One named set is shared as is; several are joined into a set of the rule's own.
    let mut parts: Vec<Rc<IpSet>> = Vec::new();
    for t in texts {
        let t = t.trim();
        if t == "*" {
            out.any = true;
        } else if let Some(s) = ips.literal(t) {
            parts.push(s);
        } else if let Some(s) = ips.tag(resolver, t) {
            parts.push(s);
        } else if t.eq_ignore_ascii_case("Any") {
            out.any = true;
        } else {
            out.unresolved.push(format!("service tag {t} is not in the snapshot"));
        }
    }
    for g in groups {
        match ips.get(g) {
            Ok(s) => parts.push(s),
            Err(cause) => out.unresolved.push(cause),
        }
    }
    out.set = match parts.len() {
        0 => ips.empty.clone(),
        1 => parts.pop().unwrap_or_default(),
        _ => Rc::new(parts.iter().fold(IpSet::empty(), |acc, s| acc.union(s))),
    };
    if !out.any && *out.set == IpSet::all() {
        out.any = true;
    }
    out
}

/// How an address condition meets the flow's addresses.
enum Cover {
    /// Every address.
    All,
    /// Some, not all (the part covered).
    Part(IpSet),
    /// None.
    None,
    /// Would decide it, but part of the condition could not be resolved.
    Unknown(String),
}

fn cover(cond: &Addresses, set: &IpSet) -> Cover {
    if cond.any {
        return Cover::All;
    }
    // Most rules miss most flows: decide that without allocating.
    if cond.unresolved.is_empty() && !cond.set.intersects(set) {
        return Cover::None;
    }
    let inside = cond.set.intersection(set);
    if inside == *set && !set.is_empty() {
        return Cover::All;
    }
    if let Some(u) = cond.unresolved.first() {
        return Cover::Unknown(u.clone());
    }
    if inside.is_empty() {
        Cover::None
    } else {
        Cover::Part(inside)
    }
}

/// Whether an FQDN pattern covers a name; `name` may itself be `*.<suffix>` (any account of a service).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FqdnMatch {
    /// Every name the endpoint may use.
    Yes,
    /// None.
    No,
    /// Some names of a wildcard endpoint, not necessarily the one in use.
    Maybe,
}

/// A target FQDN pattern against a name: exact (case-insensitive), `*` (everything), or a leading `*` matching
/// anything to its left (<https://learn.microsoft.com/azure/firewall/firewall-faq>).
pub fn fqdn_match(pattern: &str, name: &str) -> FqdnMatch {
    fqdn_match_normalised(&normalise_fqdn(pattern), &normalise_fqdn(name))
}

/// Lower case, no trailing dot: how patterns are stored and names compared.
fn normalise_fqdn(s: &str) -> String {
    s.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// [`fqdn_match`] on normalised text (no allocation: it runs once per rule per flow).
fn fqdn_match_normalised(p: &str, n: &str) -> FqdnMatch {
    if p == "*" {
        return FqdnMatch::Yes;
    }
    if let Some(n_suffix) = n.strip_prefix('*') {
        // The endpoint is any name ending in `n_suffix` (e.g. `.blob.core.windows.net`).
        return match p.strip_prefix('*') {
            Some(p_suffix) if n_suffix.ends_with(p_suffix) => FqdnMatch::Yes,
            Some(p_suffix) if p_suffix.ends_with(n_suffix) => FqdnMatch::Maybe,
            None if p.ends_with(n_suffix) => FqdnMatch::Maybe,
            _ => FqdnMatch::No,
        };
    }
    match p.strip_prefix('*') {
        Some(suffix) if n.ends_with(suffix) && n.len() > suffix.len() => FqdnMatch::Yes,
        Some(_) => FqdnMatch::No,
        None if p == n => FqdnMatch::Yes,
        None => FqdnMatch::No,
    }
}

/// FQDN tags known not to hold registry or storage account names: `AzureKubernetesService` (the AKS outbound
/// FQDNs: API server, MCR, management, login, packages), and tags for other Microsoft services.
/// <https://learn.microsoft.com/azure/firewall/fqdn-tags>. Any other tag is not judged (`unknown`).
const TAGS_WITHOUT_REGISTRIES: [&str; 6] = [
    "AzureKubernetesService",
    "WindowsUpdate",
    "WindowsDiagnostics",
    "MicrosoftActiveProtectionService",
    "Windows365",
    "MicrosoftIntune",
];

impl CompiledFirewall {
    /// Judge one flow: rules in processing order, the first that decides wins; nothing decides → deny.
    pub fn evaluate(&self, flow: Flow<'_>) -> Decision {
        if let Some(cause) = &self.unreadable {
            return Decision::Unknown { cause: cause.clone(), rule: None };
        }
        if flow.source.is_empty() || flow.destination.is_empty() {
            return Decision::Unknown {
                cause: "the client's source or the destination addresses are not known".into(),
                rule: None,
            };
        }
        let name = normalise_fqdn(flow.fqdn);
        let flow = Flow { fqdn: &name, ..flow };
        let mut remaining = flow.destination.clone();
        let mut allowed: Vec<Rc<RuleOrigin>> = Vec::new();
        let mut some_allowed = false;
        // Network rules of every policy of the chain (root first), then application rules; each policy's
        // candidates in its own order.
        let network = self.policies.iter().flat_map(|p| {
            p.network_index
                .candidates(flow.fqdn, flow.destination, true)
                .into_iter()
                .map(move |i| &p.network[i as usize])
        });
        let application = self.policies.iter().flat_map(|p| {
            p.application_index
                .candidates(flow.fqdn, flow.destination, false)
                .into_iter()
                .map(move |i| &p.application[i as usize])
        });
        for rule in network.chain(application) {
            let step = match rule.kind {
                RuleKind::Network => self.network_step(rule, flow, &remaining),
                RuleKind::Application => application_step(rule, flow, &remaining),
            };
            if let (Some(why), Step::Match { .. } | Step::Unknown(_)) = (&rule.collection.undetermined, &step) {
                // It could decide the flow, at a place or with an outcome not known (see the module doc).
                return Decision::Unknown { cause: why.to_string(), rule: Some(rule.origin()) };
            }
            match step {
                Step::Skip => {}
                Step::Unknown(cause) => return Decision::Unknown { cause, rule: Some(rule.origin()) },
                Step::Match { part, whole_source } => {
                    if !rule.collection.allow {
                        let partial = !(whole_source && part == *flow.destination);
                        return Decision::Deny { rule: Some(rule.origin()), partial };
                    }
                    some_allowed = true;
                    if whole_source {
                        remaining = remaining.difference(&part);
                        allowed.push(rule.origin());
                        if remaining.is_empty() {
                            return Decision::Allow { rules: allowed };
                        }
                    }
                    // An allow covering part of the sources lets those flows through; the rest go on and are
                    // judged by later rules, so the flow as a whole is never allowed by it.
                }
            }
        }
        Decision::Deny { rule: None, partial: some_allowed }
    }

    fn network_step(&self, rule: &CompiledRule, flow: Flow<'_>, remaining: &IpSet) -> Step {
        if !rule.tcp_443 {
            return Step::Skip;
        }
        let source = match source_step(rule, flow) {
            Ok(whole) => whole,
            Err(step) => return step,
        };
        let fqdn_hit =
            rule.destination_fqdns.iter().map(|f| fqdn_match_normalised(f, flow.fqdn)).max_by_key(|m| match m {
                FqdnMatch::No => 0,
                FqdnMatch::Maybe => 1,
                FqdnMatch::Yes => 2,
            });
        let part = match cover(&rule.destination, remaining) {
            Cover::All => remaining.clone(),
            Cover::Part(p) => p,
            Cover::None => IpSet::empty(),
            Cover::Unknown(c) => return Step::Unknown(c),
        };
        let part = match fqdn_hit {
            Some(FqdnMatch::Yes) if self.dns_proxy => remaining.clone(),
            Some(FqdnMatch::Yes) | Some(FqdnMatch::Maybe) => {
                return Step::Unknown(if self.dns_proxy {
                    format!("network rule {} names FQDNs that may or may not be the storage account in use", rule.name)
                } else {
                    format!(
                        "network rule {} matches {} by FQDN, but the firewall's DNS proxy is off: the firewall and the client may resolve it to different addresses",
                        rule.name, flow.fqdn
                    )
                });
            }
            _ => part,
        };
        if part.is_empty() {
            Step::Skip
        } else {
            Step::Match { part, whole_source: source }
        }
    }
}

/// What one rule does to the flow.
enum Step {
    /// It does not apply.
    Skip,
    /// It applies to `part` of the remaining destination, for all (`whole_source`) or some client addresses.
    Match { part: IpSet, whole_source: bool },
    /// It might apply, but cannot be evaluated.
    Unknown(String),
}

/// Whether the rule's sources hold the flow's: `Ok(true)` all of them, `Ok(false)` some; otherwise the step
/// (`Skip` when none, `Unknown` when a source cannot be evaluated). Network and application rules share it.
fn source_step(rule: &CompiledRule, flow: Flow<'_>) -> Result<bool, Step> {
    match cover(&rule.source, flow.source) {
        Cover::None => Err(Step::Skip),
        Cover::Unknown(c) => Err(Step::Unknown(c)),
        Cover::All => Ok(true),
        Cover::Part(_) => Ok(false),
    }
}

fn application_step(rule: &CompiledRule, flow: Flow<'_>, remaining: &IpSet) -> Step {
    if !rule.https_443 {
        return Step::Skip;
    }
    let source = match source_step(rule, flow) {
        Ok(whole) => whole,
        Err(step) => return step,
    };
    let mut hit = FqdnMatch::No;
    for f in &rule.target_fqdns {
        match fqdn_match_normalised(f, flow.fqdn) {
            FqdnMatch::Yes => {
                hit = FqdnMatch::Yes;
                break;
            }
            FqdnMatch::Maybe => hit = FqdnMatch::Maybe,
            FqdnMatch::No => {}
        }
    }
    if hit != FqdnMatch::Yes {
        for tag in &rule.fqdn_tags {
            if !TAGS_WITHOUT_REGISTRIES.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
                return Step::Unknown(format!(
                    "application rule {} uses FQDN tag {tag}, whose names acr-audit does not know",
                    rule.name
                ));
            }
        }
    }
    match hit {
        FqdnMatch::Yes => {}
        FqdnMatch::Maybe => {
            return Step::Unknown(format!(
                "application rule {} allows some names of {} but not necessarily the storage account in use",
                rule.name, flow.fqdn
            ))
        }
        FqdnMatch::No => {
            return match &rule.unevaluable {
                Some(what) => Step::Unknown(format!("application rule {} uses {what}", rule.name)),
                None => Step::Skip,
            }
        }
    }
    // Application rules may also name destination addresses (policy API); then both must hold.
    let part = if rule.destination.is_empty() {
        remaining.clone()
    } else {
        match cover(&rule.destination, remaining) {
            Cover::All => remaining.clone(),
            Cover::Part(p) => p,
            Cover::None => return Step::Skip,
            Cover::Unknown(c) => return Step::Unknown(c),
        }
    };
    Step::Match { part, whole_source: source }
}

/// The public addresses traffic leaving through a firewall is source-NATed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FirewallEgress {
    /// Single addresses.
    pub ips: Vec<String>,
    /// Ranges (a NAT gateway's public IP prefixes).
    pub prefixes: Vec<String>,
    /// Whose addresses they are, for messages.
    pub source: String,
}

/// Where traffic through the firewall leaves from. "Azure Firewall provides SNAT capability for all outbound
/// traffic to public IP addresses" (<https://learn.microsoft.com/azure/firewall/snat-private-range>; application
/// rules are always SNATed) to the firewall's public IPs: each data-path IP configuration's public IP, or a
/// Virtual WAN hub firewall's `hubIPAddresses.publicIPs`. A NAT gateway on `AzureFirewallSubnet` takes over:
/// "When a NAT gateway resource is associated with an Azure Firewall subnet, all outbound Internet traffic
/// automatically uses the public IP address of the NAT gateway"
/// (<https://learn.microsoft.com/azure/firewall/integrate-with-nat-gateway>). `Err` says what is not known.
pub fn egress(model: &Model, fw: &AzureFirewall) -> Result<FirewallEgress, String> {
    let p = &fw.properties;
    let subnet = p.ip_configurations.iter().find_map(|c| c.properties.subnet.as_ref()).map(|s| s.id.as_str());
    if let Some(nat_ref) = subnet.and_then(|s| model.subnet(s)).and_then(|s| s.subnet.properties.nat_gateway.as_ref()) {
        let nat = model
            .nat_gateway(&nat_ref.id)
            .ok_or_else(|| format!("NAT gateway {} of the firewall's subnet is not in the snapshot", nat_ref.id))?;
        let mut out =
            FirewallEgress { source: format!("NAT gateway {} of AzureFirewallSubnet", nat.name), ..Default::default() };
        for r in &nat.properties.public_ip_addresses {
            let ip = model.public_ip_address(&r.id).and_then(|ip| ip.properties.ip_address.clone());
            out.ips.push(
                ip.ok_or_else(|| format!("public IP {} of NAT gateway {} is not in the snapshot", r.id, nat.name))?,
            );
        }
        for r in &nat.properties.public_ip_prefixes {
            let prefix = model.public_ip_prefix(&r.id).and_then(|x| x.properties.ip_prefix.clone());
            out.prefixes.push(prefix.ok_or_else(|| {
                format!("public IP prefix {} of NAT gateway {} is not in the snapshot", r.id, nat.name)
            })?);
        }
        return Ok(out);
    }
    let mut out = FirewallEgress { source: format!("the public IPs of firewall {}", fw.name), ..Default::default() };
    for c in &p.ip_configurations {
        let Some(r) = c.properties.public_ip_address.as_ref().filter(|r| !r.id.is_empty()) else { continue };
        match model.public_ip_address(&r.id).and_then(|ip| ip.properties.ip_address.clone()) {
            Some(a) => out.ips.push(a),
            None => return Err(format!("public IP {} of firewall {} is not in the snapshot", r.id, fw.name)),
        }
    }
    if let Some(h) = p.hub_ip_addresses.as_ref().and_then(|h| h.public_ips.as_ref()) {
        out.ips.extend(h.addresses.iter().filter_map(|a| a.address.clone()));
    }
    if out.ips.is_empty() {
        return Err(format!("firewall {} has no public IP address in the snapshot", fw.name));
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
