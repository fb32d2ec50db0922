//! What to read and in which order.
//!
//! Subscriptions first, then subscription-scope list calls (one paged list per resource type per
//! subscription, every `Listing::Subscription` row of the resource-type table), then children only where they
//! are needed (replications and usages of registries, role assignments at each registry, tasks of each registry
//! and agent pools of Premium ones, links and A records of `privatelink` zones, DNS zone groups of registry
//! private endpoints, the node VMSS of each cluster, provider state, the `config/web` of each container site),
//! then what those reference (role definitions, peered VNets and DNS zones outside the scope). The
//! hub-and-spoke branch (`hub`) reads firewalls, policies, IP groups, resolvers and rulesets and follows route
//! next hops and DNS servers into subscriptions the scan does not cover; the consumers branch (`consumers`)
//! reads sites and registry tasks. The request count grows with resource types, registries, zones, policies,
//! resolvers, rulesets and container sites, not with the number of NSGs, NICs or subnets.
//! Every request shares one concurrency bound.
//!
//! With the Resource Graph collector (`--source`, see `graph`) the subscription-scope lists are answered from one
//! inventory query per batch of subscriptions, read before the branches start; every other request is the same.
//! `Ctx::list_in` is the one seam: the branches do not know which collector answered.
//!
//! Type keys, paths and api-versions come from the table (`TYPES`, `CHILDREN`); the data-dependent filters
//! (Premium-only replications, `privatelink.azurecr.*` zones, peered VNets, referenced role definitions) are
//! code here. Connecting is `clients`'s; sorting, de-duplication and metadata are `assemble`'s.

use super::arm::{Arm, ArmFailure};
use super::assemble::{id_of, Part, Read};
use super::clients::{raw_body, Clients};
use super::graph::Inventory;
use super::refs::is_resource_id;
use super::scope;
use super::{CollectConfig, CollectError, Collector};
use acr_audit_snapshot::ids::{id_key as key, parse_resource_id};
use acr_audit_snapshot::{Listing, ResourceType, CHILDREN, RESOURCE_TYPES, TYPES};
use futures::future::join_all;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The `resourceType` of an error reading the Service Tags API (its responses go to the snapshot's
/// `serviceTags`, not to a resource type of the table; the SDK client picks the api-version).
const SERVICE_TAGS_TYPE: &str = "Microsoft.Network/serviceTags";

/// One subscription-scope list: `GET /subscriptions/{s}/{path}?api-version={api_version}`, kept under `key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SubscriptionList {
    key: &'static str,
    path: &'static str,
    api_version: &'static str,
}

impl SubscriptionList {
    /// The list of a table row, when the collector lists it per subscription.
    fn of(t: &ResourceType) -> Option<SubscriptionList> {
        match t.listing {
            Listing::Subscription { path } => Some(SubscriptionList { key: t.key, path, api_version: t.api_version }),
            _ => None,
        }
    }
}

/// The types read by a branch of their own, because what they return decides further requests (children,
/// referenced resources). Every other subscription-listed type of the table is a plain list.
const BRANCH_TYPES: [&str; 13] = [
    TYPES.registries.key,
    // The consumers branch (`consumers`): container sites' `config/web`.
    TYPES.web_sites.key,
    TYPES.private_dns_zones.key,
    TYPES.private_endpoints.key,
    TYPES.managed_clusters.key,
    // The hub branch (`hub`): VNets and route tables say what spokes point to, the hub types are what they
    // point to, public IPs are what firewalls SNAT to.
    TYPES.virtual_networks.key,
    TYPES.route_tables.key,
    TYPES.public_ip_addresses.key,
    TYPES.azure_firewalls.key,
    TYPES.firewall_policies.key,
    TYPES.ip_groups.key,
    TYPES.dns_resolvers.key,
    TYPES.dns_forwarding_rulesets.key,
];

/// Every `Listing::Subscription` row of `types`, in table order.
fn subscription_lists_of(types: &[ResourceType]) -> Vec<SubscriptionList> {
    types.iter().filter_map(SubscriptionList::of).collect()
}

/// The subscription-listed rows of `types` that no branch reads: a type added to the table with
/// `Listing::Subscription` lands here and is read with no change to the collector.
fn plain_lists_of(types: &[ResourceType]) -> Vec<SubscriptionList> {
    subscription_lists_of(types).into_iter().filter(|l| !BRANCH_TYPES.contains(&l.key)).collect()
}

/// `(subscription, resource group, name)` of an ARM id (empty strings for missing parts).
fn parts(id: &str) -> (String, String, String) {
    let p = parse_resource_id(id);
    (p.subscription.unwrap_or_default(), p.resource_group.unwrap_or_default(), p.name.unwrap_or_default())
}

/// A private endpoint whose connection (automatic or manual) targets a container registry.
fn targets_registry(pe: &Value) -> bool {
    ["/properties/privateLinkServiceConnections", "/properties/manualPrivateLinkServiceConnections"].iter().any(|p| {
        pe.pointer(p).and_then(Value::as_array).into_iter().flatten().any(|c| {
            c.pointer("/properties/privateLinkServiceId")
                .and_then(Value::as_str)
                .map(|id| id.to_ascii_lowercase().contains("/providers/microsoft.containerregistry/registries/"))
                .unwrap_or(false)
        })
    })
}

/// The zone ids a DNS zone group names (`properties.privateDnsZoneConfigs[].properties.privateDnsZoneId`).
fn zone_ids_of_group(group: &Value) -> Vec<String> {
    group
        .pointer("/properties/privateDnsZoneConfigs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.pointer("/properties/privateDnsZoneId").and_then(Value::as_str))
        .filter(|id| is_zone_id(id))
        .map(str::to_string)
        .collect()
}

/// `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Network/privateDnsZones/{name}` and nothing
/// else: the id comes from ARM data and becomes a request path, so a query, a fragment, an escape or a dot
/// segment is refused rather than sent.
fn is_zone_id(id: &str) -> bool {
    is_resource_id(id, "Microsoft.Network", "privateDnsZones")
}

/// A child read's outcome: (child type, parent id, items).
pub(crate) type ChildRead = (&'static str, String, Result<Vec<Value>, ArmFailure>);

/// A child read.
pub(crate) type ChildJob<'a> = futures::future::BoxFuture<'a, ChildRead>;

/// Everything the branches share.
pub(crate) struct Ctx<'a> {
    pub(crate) arm: &'a Arm,
    network: &'a azure_mgmt_network::Client,
    registry: &'a azure_mgmt_containerregistry::Client,
    config: &'a CollectConfig,
    /// The subscriptions to list in (at least one).
    subscriptions: Vec<String>,
    /// The subscription the one Service Tags call goes through (the first one).
    service_tags_subscription: String,
    /// With the Resource Graph collector: every subscription-listed type of the scanned subscriptions, read up
    /// front; the lists below are answered from it (and from on-demand queries for other subscriptions).
    graph: Option<Inventory>,
}

impl Ctx<'_> {
    /// One subscription-scope list type over every scanned subscription.
    async fn list_everywhere(&self, list: SubscriptionList, part: &mut Part) -> Vec<Value> {
        self.list_in(list, &self.subscriptions, part).await
    }

    /// One subscription-scope list type over `subscriptions`, all at once; a list that fails is an error at the
    /// subscription's scope, so everything of that type there is unread, not absent.
    async fn list_in(&self, list: SubscriptionList, subscriptions: &[String], part: &mut Part) -> Vec<Value> {
        if let Some(inventory) = &self.graph {
            return self.list_in_graph(inventory, list.key, subscriptions, part).await;
        }
        let SubscriptionList { key: kind, path, api_version: api } = list;
        let results = join_all(subscriptions.iter().map(|s| {
            let arm = self.arm.clone();
            async move { (s.clone(), arm.list(&format!("/subscriptions/{s}/{path}"), api).await) }
        }))
        .await;
        let mut all = Vec::new();
        for (s, result) in results {
            match result {
                Ok(items) => {
                    part.list_ok();
                    all.extend(items);
                }
                Err(f) => part.error(&format!("/subscriptions/{s}"), kind, f),
            }
        }
        all
    }

    /// [`Ctx::list_in`] answered from Resource Graph: the inventory's rows for the scanned subscriptions, one
    /// query (for this type only) for subscriptions outside it (the hub branch's connectivity subscriptions).
    /// A subscription Resource Graph could not answer completely is an error at its scope for this type.
    async fn list_in_graph(
        &self,
        inventory: &Inventory,
        kind: &'static str,
        subscriptions: &[String],
        part: &mut Part,
    ) -> Vec<Value> {
        let missing: Vec<String> = subscriptions.iter().filter(|s| !inventory.holds(s)).cloned().collect();
        let more =
            if missing.is_empty() { Inventory::default() } else { Inventory::read(self.arm, &missing, &[kind]).await };
        let mut all = Vec::new();
        for s in subscriptions {
            match inventory.items(s, kind).or_else(|| more.items(s, kind)) {
                Some(Ok(items)) => {
                    part.list_ok();
                    all.extend(items);
                }
                Some(Err(f)) => part.error(&format!("/subscriptions/{s}"), kind, f),
                // Every subscription asked for was queried; kept as an error rather than an empty list.
                None => part.error(
                    &format!("/subscriptions/{s}"),
                    kind,
                    ArmFailure::new(None, Some("NotQueried"), "not queried in Azure Resource Graph"),
                ),
            }
        }
        all
    }

    /// The subscription-scope list of a branch's own type (nothing when the table stops listing it per
    /// subscription; a unit test keeps every branch type subscription-listed).
    pub(crate) async fn list_branch(&self, t: &ResourceType, part: &mut Part) -> Vec<Value> {
        match SubscriptionList::of(t) {
            Some(list) => self.list_everywhere(list, part).await,
            None => Vec::new(),
        }
    }

    /// The subscription-scope list of a branch's own type in subscriptions the scan does not cover (the hub
    /// branch's connectivity subscriptions), the same paged list as in a scanned one.
    pub(crate) async fn list_branch_in(
        &self,
        t: &ResourceType,
        subscriptions: &[String],
        part: &mut Part,
    ) -> Vec<Value> {
        match SubscriptionList::of(t) {
            Some(list) => self.list_in(list, subscriptions, part).await,
            None => Vec::new(),
        }
    }

    /// The scanned subscriptions.
    pub(crate) fn scanned(&self) -> &[String] {
        &self.subscriptions
    }

    /// Registries, then at once their replications, usages, role assignments, tasks and (Premium) agent pools,
    /// the service tags, and the role definitions the assignments reference. With Resource Graph, the role
    /// assignments of registries in readable inventory subscriptions come from one `authorizationresources`
    /// query per batch (`graph::Assignments`), stored as the same child collection.
    async fn registries(&self) -> Part {
        let mut part = Part::default();
        let mut registries = self.list_branch(&TYPES.registries, &mut part).await;
        if !self.config.registries.is_empty() {
            registries.retain(|r| {
                let name = r.get("name").and_then(Value::as_str).unwrap_or("");
                self.config.registries.iter().any(|n| n.eq_ignore_ascii_case(name))
            });
        }
        let children = join_all(registries.iter().flat_map(|r| {
            let id = id_of(r).to_string();
            let premium = r
                .pointer("/sku/name")
                .and_then(Value::as_str)
                .map(|s| s.eq_ignore_ascii_case("Premium"))
                .unwrap_or(false);
            let mut jobs: Vec<ChildJob<'_>> = Vec::new();
            if premium {
                let (arm, id) = (self.arm.clone(), id.clone());
                jobs.push(Box::pin(async move {
                    let r = arm
                        .list(&format!("{id}/{}", CHILDREN.replications.path), CHILDREN.replications.api_version)
                        .await;
                    (CHILDREN.replications.key, id, r)
                }));
            }
            let (arm, client, uid) = (self.arm.clone(), self.registry.clone(), id.clone());
            jobs.push(Box::pin(async move {
                let (sub, rg, name) = parts(&uid);
                let response = {
                    let _permit = arm.permit().await;
                    client.registries_client().list_usages(sub, rg, name).send().await.map(|r| r.into_raw_response())
                };
                let r = raw_body(response)
                    .await
                    .map(|v| v.get("value").and_then(Value::as_array).cloned().unwrap_or_default());
                (CHILDREN.usages.key, uid, r)
            }));
            jobs.extend(self.registry_task_jobs(&id, premium));
            // Through Resource Graph, a readable subscription's registries get theirs from `authorizationresources`
            // (below); the others, and every registry through ARM, from `$filter=atScope()` at the registry.
            let (arm, aid) = (self.arm.clone(), id);
            let from_graph = self.graph.as_ref().is_some_and(|g| g.readable(&parts(&aid).0));
            jobs.extend((!from_graph).then(|| -> ChildJob<'_> {
                Box::pin(async move {
                    let path = format!("{aid}/{}", CHILDREN.role_assignments.path);
                    let r = arm.list(&path, CHILDREN.role_assignments.api_version).await;
                    (CHILDREN.role_assignments.key, aid, r)
                })
            }));
            jobs
        }));
        let from_graph = async {
            let Some(inventory) = &self.graph else { return Vec::new() };
            let mut subs: Vec<String> = Vec::new();
            for r in &registries {
                let s = parts(id_of(r)).0;
                if inventory.readable(&s) && !subs.iter().any(|x| x.eq_ignore_ascii_case(&s)) {
                    subs.push(s);
                }
            }
            if subs.is_empty() {
                return Vec::new();
            }
            let assignments = inventory.assignments(self.arm, &subs).await;
            let mut out: Vec<ChildRead> = Vec::new();
            for r in &registries {
                let id = id_of(r).to_string();
                if !inventory.readable(&parts(&id).0) {
                    continue;
                }
                let read = assignments.at(&id).unwrap_or_else(|| {
                    Err(ArmFailure::new(None, Some("NotQueried"), "not queried in Azure Resource Graph"))
                });
                out.push((CHILDREN.role_assignments.key, id, read));
            }
            out
        };
        let region =
            registries.iter().find_map(|r| r.get("location").and_then(Value::as_str)).unwrap_or("eastus").to_string();
        let tags = async {
            let _permit = self.arm.permit().await;
            let response = self
                .network
                .service_tags_client()
                .list(region.clone(), self.service_tags_subscription.clone())
                .send()
                .await
                .map(|r| r.into_raw_response());
            drop(_permit);
            raw_body(response).await
        };
        let (mut children, tags, from_graph) = futures::join!(children, tags, from_graph);
        children.extend(from_graph);
        // The Service Tags API returns the cloud's whole list for any location, so one call serves every region.
        match tags {
            Ok(v) => part.service_tags(v),
            Err(f) => part.error(
                &format!(
                    "/subscriptions/{}/providers/Microsoft.Network/locations/{region}",
                    self.service_tags_subscription
                ),
                SERVICE_TAGS_TYPE,
                f,
            ),
        }
        let mut definitions: BTreeMap<String, String> = BTreeMap::new();
        for (kind, parent, result) in children {
            match result {
                Ok(value) => {
                    if kind == CHILDREN.role_assignments.key {
                        for a in &value {
                            if let Some(d) = a.pointer("/properties/roleDefinitionId").and_then(Value::as_str) {
                                definitions.entry(key(d)).or_insert_with(|| d.to_string());
                            }
                        }
                    }
                    part.child(kind, parent, value);
                }
                Err(f) => part.error(&parent, kind, f),
            }
        }
        let defs = join_all(definitions.values().map(|d| {
            let arm = self.arm.clone();
            async move { (d.clone(), arm.get(d, TYPES.role_definitions.api_version).await) }
        }))
        .await;
        for (d, result) in defs {
            match result {
                Ok(v) => part.add(TYPES.role_definitions.key, vec![v]),
                Err(f) => part.error(&d, TYPES.role_definitions.key, f),
            }
        }
        part.add(TYPES.registries.key, registries);
        part
    }

    /// Private DNS zones and private endpoints, then at once the links and A records of the
    /// `privatelink.azurecr.*` zones and the DNS zone groups of every private endpoint that targets a registry;
    /// then the zones those groups name: a listed zone's links and A records when not read yet, and a zone the
    /// lists did not return (another subscription: hub-and-spoke landing zones keep zones in a connectivity
    /// subscription) read by id, then its links and A records. A zone that cannot be read (403, 404) is an error
    /// naming the zone, so analysis says `unknown` for the DNS answers that depend on it. One request per zone
    /// group list and per referenced zone: the count grows with endpoints and zones.
    async fn zones(&self) -> Part {
        let mut part = Part::default();
        let mut endpoints_part = Part::default();
        let (zones, endpoints) = futures::join!(
            self.list_branch(&TYPES.private_dns_zones, &mut part),
            self.list_branch(&TYPES.private_endpoints, &mut endpoints_part)
        );
        part.merge(endpoints_part);
        let listed: BTreeMap<String, &Value> = zones.iter().map(|z| (key(id_of(z)), z)).collect();
        let mut read: BTreeSet<String> = BTreeSet::new();
        let wanted: Vec<String> = zones
            .iter()
            .filter(|z| {
                z.get("name")
                    .and_then(Value::as_str)
                    .map(|n| n.to_ascii_lowercase().starts_with("privatelink.azurecr."))
                    .unwrap_or(false)
            })
            .map(|z| id_of(z).to_string())
            .collect();
        read.extend(wanted.iter().map(|z| key(z)));
        let group_jobs = join_all(endpoints.iter().filter(|pe| targets_registry(pe)).map(|pe| {
            let (arm, id) = (self.arm.clone(), id_of(pe).to_string());
            async move {
                let child = CHILDREN.private_dns_zone_groups;
                let r = arm.list(&format!("{id}/{}", child.path), child.api_version).await;
                (id, r)
            }
        }));
        let (groups, children) = futures::join!(group_jobs, self.zone_children(&wanted));
        self.keep_children(children, &mut part);
        // The zones the groups name, in the order first named.
        let mut referenced: BTreeMap<String, String> = BTreeMap::new();
        for (pe, result) in groups {
            match result {
                Ok(value) => {
                    for zone in value.iter().flat_map(zone_ids_of_group) {
                        if !read.contains(&key(&zone)) {
                            referenced.entry(key(&zone)).or_insert(zone);
                        }
                    }
                    part.child(CHILDREN.private_dns_zone_groups.key, pe, value);
                }
                Err(f) => part.error(&pe, CHILDREN.private_dns_zone_groups.key, f),
            }
        }
        let (known, unlisted): (Vec<String>, Vec<String>) =
            referenced.into_values().partition(|z| listed.contains_key(&key(z)));
        let gets = join_all(unlisted.iter().map(|z| {
            let arm = self.arm.clone();
            async move { (z.clone(), arm.get(z, TYPES.private_dns_zones.api_version).await) }
        }));
        let (gets, known_children) = futures::join!(gets, self.zone_children(&known));
        self.keep_children(known_children, &mut part);
        let mut fetched: Vec<Value> = Vec::new();
        let mut fetched_ids: Vec<String> = Vec::new();
        for (z, result) in gets {
            match result {
                Ok(v) => {
                    fetched_ids.push(z);
                    fetched.push(v);
                }
                Err(f) => part.error(&z, TYPES.private_dns_zones.key, f),
            }
        }
        let fetched_children = self.zone_children(&fetched_ids).await;
        self.keep_children(fetched_children, &mut part);
        part.add(TYPES.private_endpoints.key, endpoints);
        part.add(TYPES.private_dns_zones.key, zones);
        part.add(TYPES.private_dns_zones.key, fetched);
        part
    }

    /// The links and A records of each zone, all at once.
    async fn zone_children(&self, zones: &[String]) -> Vec<ChildRead> {
        join_all(zones.iter().flat_map(|id| {
            [CHILDREN.virtual_network_links, CHILDREN.a_record_sets].into_iter().map(move |child| {
                let (arm, id) = (self.arm.clone(), id.clone());
                async move {
                    let r = arm.list(&format!("{id}/{}", child.path), child.api_version).await;
                    (child.key, id, r)
                }
            })
        }))
        .await
    }

    /// Keep child lists, or their errors.
    pub(crate) fn keep_children(&self, results: Vec<ChildRead>, part: &mut Part) {
        for (kind, parent, result) in results {
            match result {
                Ok(value) => part.child(kind, parent, value),
                Err(f) => part.error(&parent, kind, f),
            }
        }
    }

    /// AKS clusters, then the VMSS and VMs of each node resource group (the nodes: identities, subnets, public IP
    /// configuration) and the provider state of every subscription in play (scanned ones and those of client
    /// VNets).
    async fn clusters(&self) -> Part {
        let mut part = Part::default();
        let clusters = self.list_branch(&TYPES.managed_clusters, &mut part).await;
        let mut node_groups: BTreeSet<(String, String)> = BTreeSet::new();
        let mut provider_subs: BTreeSet<String> = self.subscriptions.iter().map(|s| s.to_ascii_lowercase()).collect();
        for c in &clusters {
            let (sub, _, _) = parts(id_of(c));
            if let Some(rg) = c.pointer("/properties/nodeResourceGroup").and_then(Value::as_str) {
                node_groups.insert((sub, rg.to_string()));
            }
            for pool in c.pointer("/properties/agentPoolProfiles").and_then(Value::as_array).into_iter().flatten() {
                let (s, _, _) = parts(pool.get("vnetSubnetID").and_then(Value::as_str).unwrap_or(""));
                if !s.is_empty() {
                    provider_subs.insert(s.to_ascii_lowercase());
                }
            }
        }
        // Every `Listing::NodeResourceGroup` row (node VMSS and node VMs), once per node resource group.
        let node_lists: Vec<(&ResourceType, &str)> = RESOURCE_TYPES
            .iter()
            .filter_map(|t| match t.listing {
                Listing::NodeResourceGroup { path } => Some((t, path)),
                _ => None,
            })
            .collect();
        let nodes = join_all(node_lists.iter().flat_map(|l| node_groups.iter().map(move |g| (*l, g))).map(
            |((t, path), (sub, rg))| {
                let arm = self.arm.clone();
                async move {
                    let scope = format!("/subscriptions/{sub}/resourceGroups/{rg}");
                    let r = arm.list(&format!("{scope}/{path}"), t.api_version).await;
                    (t.key, scope, r)
                }
            },
        ));
        let providers_type = &TYPES.providers;
        let namespace = match providers_type.listing {
            Listing::ProviderRegistration { namespace } => Some(namespace),
            _ => None,
        };
        let providers =
            join_all(namespace.into_iter().flat_map(|ns| provider_subs.iter().map(move |s| (ns, s))).map(|(ns, s)| {
                let arm = self.arm.clone();
                async move {
                    let r = arm.get(&format!("/subscriptions/{s}/providers/{ns}"), providers_type.api_version).await;
                    (s.clone(), r)
                }
            }));
        let (nodes, providers) = futures::join!(nodes, providers);
        for (key, scope, result) in nodes {
            match result {
                Ok(items) => part.add(key, items),
                Err(f) => part.error(&scope, key, f),
            }
        }
        for (s, result) in providers {
            match result {
                Ok(v) => part.add(providers_type.key, vec![v]),
                Err(f) => part.error(&format!("/subscriptions/{s}"), providers_type.key, f),
            }
        }
        part.add(TYPES.managed_clusters.key, clusters);
        part
    }

    /// VNets, then the peered VNets outside the scope (another subscription), fetched by id when readable.
    pub(crate) async fn vnets(&self) -> Part {
        let mut part = Part::default();
        let vnets = self.list_branch(&TYPES.virtual_networks, &mut part).await;
        let known: BTreeSet<String> = vnets.iter().map(|v| key(id_of(v))).collect();
        let mut remote: BTreeMap<String, String> = BTreeMap::new();
        for v in &vnets {
            for p in v.pointer("/properties/virtualNetworkPeerings").and_then(Value::as_array).into_iter().flatten() {
                if let Some(r) = p.pointer("/properties/remoteVirtualNetwork/id").and_then(Value::as_str) {
                    if !known.contains(&key(r)) {
                        remote.entry(key(r)).or_insert_with(|| r.to_string());
                    }
                }
            }
        }
        let results = join_all(remote.values().map(|id| {
            let (arm, network) = (self.arm.clone(), self.network.clone());
            async move {
                let (sub, rg, name) = parts(id);
                let response = {
                    let _permit = arm.permit().await;
                    network.virtual_networks_client().get(rg, name, sub).send().await.map(|r| r.into_raw_response())
                };
                (id.clone(), raw_body(response).await)
            }
        }))
        .await;
        part.add(TYPES.virtual_networks.key, vnets);
        for (id, result) in results {
            match result {
                Ok(v) => part.add(TYPES.virtual_networks.key, vec![v]),
                Err(f) => part.error(&id, TYPES.virtual_networks.key, f),
            }
        }
        part
    }

    /// The lists nothing else depends on: every other subscription-listed row of the table.
    async fn plain_lists(&self) -> Part {
        let parts = join_all(plain_lists_of(RESOURCE_TYPES).into_iter().map(|list| async move {
            let mut part = Part::default();
            let items = self.list_everywhere(list, &mut part).await;
            part.add(list.key, items);
            part
        }))
        .await;
        let mut all = Part::default();
        for p in parts {
            all.merge(p);
        }
        all
    }
}

/// The types the Resource Graph inventory reads: every subscription-listed row of the table (all of them are
/// in the `resources` table, see `graph`).
fn graph_types() -> Vec<&'static str> {
    subscription_lists_of(RESOURCE_TYPES).iter().map(|l| l.key).collect()
}

/// Resolve the subscriptions, then run every branch at once.
pub(crate) async fn read(clients: &Clients, config: &CollectConfig) -> Result<Read, CollectError> {
    let arm = &clients.arm;
    // 1. Subscriptions: named ones, every enabled one, those under management groups (`scope`).
    let (subscriptions, head) = scope::subscriptions(arm, config).await?;
    let mut sub_ids: Vec<String> = Vec::new();
    for s in &subscriptions {
        if let Some(id) = s.get("subscriptionId").and_then(Value::as_str) {
            if !sub_ids.iter().any(|x| x.eq_ignore_ascii_case(id)) {
                sub_ids.push(id.to_string());
            }
        }
    }
    let Some(service_tags_subscription) = sub_ids.first().cloned() else {
        return Err(CollectError::nothing_read(head.errors()));
    };

    // 2. Independent branches, all at once: each starts its children as soon as its own list is done, so
    //    children overlap with the long paging chains of other lists.
    //    With Resource Graph, the subscription-scope lists are read first, all types at once (`graph`).
    let collector = config.source.resolve(sub_ids.len());
    let graph = match collector {
        Collector::ResourceGraph => Some(Inventory::read(arm, &sub_ids, &graph_types()).await),
        Collector::Arm => None,
    };
    let ctx = Ctx {
        arm,
        network: &clients.network,
        registry: &clients.registry,
        config,
        subscriptions: sub_ids,
        service_tags_subscription,
        graph,
    };
    let (registries, zones, clusters, hub, sites, plain) =
        futures::join!(ctx.registries(), ctx.zones(), ctx.clusters(), ctx.hub(), ctx.sites(), ctx.plain_lists());
    Ok(Read { subscriptions, parts: vec![head, registries, zones, clusters, hub, sites, plain], collector })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(key: &'static str, listing: Listing) -> ResourceType {
        ResourceType { key, field: "f", view: "V", api_version: "2099-01-01", listing, drift: false, doc: "" }
    }

    /// Every subscription-listed row of the table is read exactly once: by its branch or as a plain list, with
    /// the table's path and api-version.
    #[test]
    fn the_plan_lists_every_subscription_row_of_the_table_once() {
        let expected: Vec<SubscriptionList> = RESOURCE_TYPES
            .iter()
            .filter_map(|t| match t.listing {
                Listing::Subscription { path } => {
                    Some(SubscriptionList { key: t.key, path, api_version: t.api_version })
                }
                _ => None,
            })
            .collect();
        assert_eq!(subscription_lists_of(RESOURCE_TYPES), expected);
        let mut read: Vec<&str> = plain_lists_of(RESOURCE_TYPES).iter().map(|l| l.key).collect();
        read.extend(BRANCH_TYPES);
        read.sort_unstable();
        let mut want: Vec<&str> = expected.iter().map(|l| l.key).collect();
        want.sort_unstable();
        assert_eq!(read, want);
    }

    /// Every child row of the table is read by a branch: registries (replications, usages, role assignments,
    /// tasks, agent pools), zones (links, A records, DNS zone groups), hub (rule collection groups, resolver
    /// endpoints, ruleset rules and links), consumers (sites' `config/web`). A child row added to the table fails
    /// here until a branch reads it.
    #[test]
    fn every_child_row_of_the_table_is_read_by_a_branch() {
        let read = [
            CHILDREN.replications,
            CHILDREN.usages,
            CHILDREN.role_assignments,
            CHILDREN.virtual_network_links,
            CHILDREN.a_record_sets,
            CHILDREN.private_dns_zone_groups,
            CHILDREN.rule_collection_groups,
            CHILDREN.inbound_endpoints,
            CHILDREN.outbound_endpoints,
            CHILDREN.forwarding_rules,
            CHILDREN.ruleset_links,
            CHILDREN.registry_tasks,
            CHILDREN.agent_pools,
            CHILDREN.site_configs,
        ];
        let mut read: Vec<&str> = read.iter().map(|c| c.key).collect();
        read.sort_unstable();
        let mut table: Vec<&str> = acr_audit_snapshot::CHILD_TYPES.iter().map(|c| c.key).collect();
        table.sort_unstable();
        assert_eq!(read, table);
    }

    /// The branches list their own type per subscription, so the table must keep them subscription-listed.
    #[test]
    fn branch_types_are_subscription_listed() {
        for key in BRANCH_TYPES {
            let t = RESOURCE_TYPES.iter().find(|t| t.key == key);
            assert!(t.and_then(SubscriptionList::of).is_some(), "{key} is not Listing::Subscription in the table");
        }
        assert!(matches!(TYPES.virtual_machine_scale_sets.listing, Listing::NodeResourceGroup { .. }));
        assert!(matches!(TYPES.virtual_machines.listing, Listing::NodeResourceGroup { .. }));
        assert!(matches!(TYPES.providers.listing, Listing::ProviderRegistration { .. }));
    }

    /// Zone groups as `PrivateEndpointDnsZoneGroupGet` (network 2024-05-01) returns them name their zones; an id
    /// that is not a private DNS zone id is not turned into a request.
    #[test]
    fn zone_groups_name_their_zones_and_only_zone_ids_become_requests() {
        let zone = "/subscriptions/subId/resourceGroups/rg1/providers/Microsoft.Network/privateDnsZones/zone1.com";
        let group = json!({"name": "testPdnsgroup", "properties": {"privateDnsZoneConfigs": [
            {"properties": {"privateDnsZoneId": zone, "recordSets": [{"recordType": "A", "recordSetName": "abc"}]}},
            {"properties": {"privateDnsZoneId": format!("{zone}/../../../roleAssignments?x=1")}},
            {"properties": {"privateDnsZoneId": "/subscriptions/subId/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/v"}},
            {"properties": {}}
        ]}});
        assert_eq!(zone_ids_of_group(&group), vec![zone.to_string()]);
        let pe = |service: &str| {
            json!({"properties": {"privateLinkServiceConnections": [], "manualPrivateLinkServiceConnections": [
                {"properties": {"privateLinkServiceId": service}}]}})
        };
        assert!(targets_registry(&pe(
            "/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerRegistry/registries/c"
        )));
        assert!(!targets_registry(&pe(
            "/subscriptions/s/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/a"
        )));
    }

    /// A subscription-listed type added to the table is read as a plain list with no collector edit; other
    /// listings are not listed per subscription.
    #[test]
    fn a_new_subscription_listed_row_becomes_a_plain_list() {
        let mut types = RESOURCE_TYPES.to_vec();
        types.push(row(
            "Microsoft.Network/applicationGateways",
            Listing::Subscription { path: "providers/Microsoft.Network/applicationGateways" },
        ));
        types.push(row("Microsoft.Example/referenced", Listing::Referenced));
        let plain = plain_lists_of(&types);
        assert_eq!(
            plain.last(),
            Some(&SubscriptionList {
                key: "Microsoft.Network/applicationGateways",
                path: "providers/Microsoft.Network/applicationGateways",
                api_version: "2099-01-01",
            })
        );
        assert_eq!(plain.len(), plain_lists_of(RESOURCE_TYPES).len() + 1);
    }
}
