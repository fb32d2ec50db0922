//! What to read and in which order.
//!
//! Subscription-scope list calls first (one paged list per resource type per subscription), then children
//! only where they are needed (replications and usages of registries, role assignments at each registry,
//! links and A records of `privatelink` zones, the node VMSS of each cluster, provider state), then what those
//! reference (role definitions, peered VNets outside the scope). The request count grows with resource types,
//! registries and zones, not with the number of NSGs or NICs. Every request shares one concurrency bound.

use super::arm::{Arm, ArmFailure};
use super::auth;
use super::transport::Transport;
use super::{CollectConfig, CollectError, Collected};
use acr_audit_snapshot::{
    ArmError, ChildCollection, CloudInfo, Metadata, RawSnapshot, Scope, SubscriptionInfo, ToolInfo, SCHEMA_CURRENT,
};
use acr_audit_snapshot::{Listing, ResourceType, CHILDREN, RESOURCE_TYPES, TYPES};
use azure_core::Url;
use futures::future::join_all;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// `GET /subscriptions[/{s}]` api-version. Subscriptions are the scope of a collection, not a resource type of
/// the snapshot (they go to `metadata.subscriptions`), so they have no row in the resource-type table.
const SUBSCRIPTIONS_API: &str = "2022-12-01";
/// The `resourceType` of an error reading a subscription (not a table row, see [`SUBSCRIPTIONS_API`]).
const SUBSCRIPTIONS_TYPE: &str = "Microsoft.Resources/subscriptions";
/// The `resourceType` of an error reading the Service Tags API (its responses go to the snapshot's
/// `serviceTags`, not to a resource type of the table; the SDK client picks the api-version).
const SERVICE_TAGS_TYPE: &str = "Microsoft.Network/serviceTags";

/// One subscription-scope list: `GET /subscriptions/{s}/{path}?api-version={api_version}`, kept under `key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SubscriptionList {
    pub key: &'static str,
    pub path: &'static str,
    pub api_version: &'static str,
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
const BRANCH_TYPES: [&str; 4] =
    [TYPES.registries.key, TYPES.private_dns_zones.key, TYPES.managed_clusters.key, TYPES.virtual_networks.key];

/// Every `Listing::Subscription` row of `types`, in table order.
fn subscription_lists_of(types: &[ResourceType]) -> Vec<SubscriptionList> {
    types.iter().filter_map(SubscriptionList::of).collect()
}

/// The subscription-listed rows of `types` that no branch reads: a type added to the table with
/// `Listing::Subscription` lands here and is read with no change to the collector.
fn plain_lists_of(types: &[ResourceType]) -> Vec<SubscriptionList> {
    subscription_lists_of(types).into_iter().filter(|l| !BRANCH_TYPES.contains(&l.key)).collect()
}

fn id_of(v: &Value) -> &str {
    v.get("id").and_then(Value::as_str).unwrap_or("")
}

fn key(id: &str) -> String {
    id.trim_end_matches('/').to_ascii_lowercase()
}

/// `(subscription, resource group, name)` of an ARM id.
fn parts(id: &str) -> (String, String, String) {
    let segs: Vec<&str> = id.split('/').filter(|s| !s.is_empty()).collect();
    let find = |name: &str| {
        segs.windows(2).find(|w| w[0].eq_ignore_ascii_case(name)).map(|w| w[1].to_string()).unwrap_or_default()
    };
    (find("subscriptions"), find("resourceGroups"), segs.last().map(|s| s.to_string()).unwrap_or_default())
}

/// What one branch of the collection read, merged at the end.
#[derive(Default)]
struct Part {
    resources: BTreeMap<String, Vec<Value>>,
    children: BTreeMap<String, Vec<ChildCollection<Value>>>,
    service_tags: Vec<Value>,
    errors: Vec<ArmError>,
    lists_ok: usize,
}

impl Part {
    fn error(&mut self, scope: &str, resource_type: &str, f: ArmFailure) {
        self.errors.push(ArmError {
            scope: scope.to_string(),
            resource_type: resource_type.to_string(),
            status: f.status,
            code: f.code,
            message: f.message,
        });
    }

    fn add(&mut self, kind: &str, items: Vec<Value>) {
        self.resources.entry(kind.to_string()).or_default().extend(items);
    }

    fn child(&mut self, kind: &str, parent: String, value: Vec<Value>) {
        self.children.entry(kind.to_string()).or_default().push(ChildCollection { parent_id: parent, value });
    }

    fn merge(&mut self, other: Part) {
        for (k, v) in other.resources {
            self.resources.entry(k).or_default().extend(v);
        }
        for (k, v) in other.children {
            self.children.entry(k).or_default().extend(v);
        }
        self.service_tags.extend(other.service_tags);
        self.errors.extend(other.errors);
        self.lists_ok += other.lists_ok;
    }
}

/// A child read: (child type, parent id, items).
type ChildJob<'a> = futures::future::BoxFuture<'a, (&'static str, String, Result<Vec<Value>, ArmFailure>)>;

/// Everything the branches share.
struct Ctx<'a> {
    arm: Arm,
    network: azure_mgmt_network::Client,
    registry: azure_mgmt_containerregistry::Client,
    config: &'a CollectConfig,
    subscriptions: Vec<String>,
}

/// Keep the raw body of a typed SDK request (bodies must be exactly what ARM sent).
async fn raw_body(response: azure_core::Result<azure_core::Response>) -> Result<Value, ArmFailure> {
    let response = response.map_err(|e| ArmFailure::from_error(&e))?;
    let bytes = response.into_body().collect().await.map_err(|e| ArmFailure::from_error(&e))?;
    serde_json::from_slice(&bytes).map_err(|e| ArmFailure {
        status: None,
        code: Some("InvalidJson".into()),
        message: e.to_string(),
    })
}

impl Ctx<'_> {
    /// One subscription-scope list type over every subscription.
    async fn list_everywhere(&self, list: SubscriptionList, part: &mut Part) -> Vec<Value> {
        let SubscriptionList { key: kind, path, api_version: api } = list;
        let results = join_all(self.subscriptions.iter().map(|s| {
            let arm = self.arm.clone();
            async move { (s.clone(), arm.list(&format!("/subscriptions/{s}/{path}"), api).await) }
        }))
        .await;
        let mut all = Vec::new();
        for (s, result) in results {
            match result {
                Ok(items) => {
                    part.lists_ok += 1;
                    all.extend(items);
                }
                Err(f) => part.error(&format!("/subscriptions/{s}"), kind, f),
            }
        }
        all
    }

    /// The subscription-scope list of a branch's own type (nothing when the table stops listing it per
    /// subscription; a unit test keeps every branch type subscription-listed).
    async fn list_branch(&self, t: &ResourceType, part: &mut Part) -> Vec<Value> {
        match SubscriptionList::of(t) {
            Some(list) => self.list_everywhere(list, part).await,
            None => Vec::new(),
        }
    }

    /// Registries, then at once their replications, usages and role assignments, the service tags, and the
    /// role definitions the assignments reference.
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
            let (arm, aid) = (self.arm.clone(), id);
            jobs.push(Box::pin(async move {
                let path = format!("{aid}/{}", CHILDREN.role_assignments.path);
                let r = arm.list(&path, CHILDREN.role_assignments.api_version).await;
                (CHILDREN.role_assignments.key, aid, r)
            }));
            jobs
        }));
        let region =
            registries.iter().find_map(|r| r.get("location").and_then(Value::as_str)).unwrap_or("eastus").to_string();
        let tags = async {
            let _permit = self.arm.permit().await;
            let response = self
                .network
                .service_tags_client()
                .list(region.clone(), self.subscriptions[0].clone())
                .send()
                .await
                .map(|r| r.into_raw_response());
            drop(_permit);
            raw_body(response).await
        };
        let (children, tags) = futures::join!(children, tags);
        // The Service Tags API returns the cloud's whole list for any location, so one call serves every region.
        match tags {
            Ok(v) => part.service_tags.push(v),
            Err(f) => part.error(
                &format!("/subscriptions/{}/providers/Microsoft.Network/locations/{region}", self.subscriptions[0]),
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

    /// Private DNS zones, then links and A records of the `privatelink.azurecr.*` ones only.
    async fn zones(&self) -> Part {
        let mut part = Part::default();
        let zones = self.list_branch(&TYPES.private_dns_zones, &mut part).await;
        let wanted = zones.iter().filter(|z| {
            z.get("name")
                .and_then(Value::as_str)
                .map(|n| n.to_ascii_lowercase().starts_with("privatelink.azurecr."))
                .unwrap_or(false)
        });
        let results = join_all(wanted.flat_map(|z| {
            let id = id_of(z).to_string();
            [CHILDREN.virtual_network_links, CHILDREN.a_record_sets].into_iter().map(move |child| {
                let (arm, id) = (self.arm.clone(), id.clone());
                async move {
                    let r = arm.list(&format!("{id}/{}", child.path), child.api_version).await;
                    (child.key, id, r)
                }
            })
        }))
        .await;
        for (kind, parent, result) in results {
            match result {
                Ok(value) => part.child(kind, parent, value),
                Err(f) => part.error(&parent, kind, f),
            }
        }
        part.add(TYPES.private_dns_zones.key, zones);
        part
    }

    /// AKS clusters, then the VMSS of each node resource group and the provider state of every subscription
    /// in play (scanned ones and those of client VNets).
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
        let vmss_type = &TYPES.virtual_machine_scale_sets;
        let node_path = match vmss_type.listing {
            Listing::NodeResourceGroup { path } => Some(path),
            _ => None,
        };
        let vmss = join_all(node_path.into_iter().flat_map(|path| node_groups.iter().map(move |g| (path, g))).map(
            |(path, (sub, rg))| {
                let arm = self.arm.clone();
                async move {
                    let scope = format!("/subscriptions/{sub}/resourceGroups/{rg}");
                    let r = arm.list(&format!("{scope}/{path}"), vmss_type.api_version).await;
                    (scope, r)
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
        let (vmss, providers) = futures::join!(vmss, providers);
        for (scope, result) in vmss {
            match result {
                Ok(items) => part.add(vmss_type.key, items),
                Err(f) => part.error(&scope, vmss_type.key, f),
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
    async fn vnets(&self) -> Part {
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

pub(crate) async fn run(config: &CollectConfig) -> Result<Collected, CollectError> {
    let endpoint_text = config.arm_endpoint.clone().unwrap_or_else(|| config.cloud.arm_endpoint().to_string());
    let endpoint = Url::parse(&endpoint_text).map_err(|e| CollectError::Config {
        message: format!("the ARM endpoint `{endpoint_text}` is not a URL: {e}"),
        fix: "pass --arm-endpoint https://management.azure.com (or set ACR_AUDIT_ARM_ENDPOINT)".into(),
    })?;
    if config.subscriptions.is_empty() && !config.all_subscriptions {
        return Err(CollectError::Config {
            message: "no subscription to read".into(),
            fix: "pass --subscription ID (repeatable) or --all-subscriptions".into(),
        });
    }
    let host = format!("{}:{}", endpoint.host_str().unwrap_or(""), endpoint.port_or_known_default().unwrap_or(0));
    let transport = Transport::new(config.verbose, host);
    let transport_options = azure_core::TransportOptions::new(transport.clone());
    let retry = azure_core::RetryOptions::exponential(
        azure_core::ExponentialRetryOptions::default()
            .max_retries(config.max_retries)
            .initial_delay(config.initial_backoff)
            .max_total_elapsed(std::time::Duration::from_secs(120)),
    );
    let mut token_options =
        azure_identity::TokenCredentialOptions::from(transport.clone() as Arc<dyn azure_core::HttpClient>);
    if std::env::var_os("AZURE_AUTHORITY_HOST").is_none() {
        token_options.set_authority_host(config.cloud.authority_host().to_string());
    }
    let scope = config.cloud.arm_scope();
    let credential = auth::credential(config.auth, token_options, &scope).await?;
    let client_options = azure_core::ClientOptions::new(transport_options.clone()).retry(retry.clone());
    let arm = Arm::new(endpoint.clone(), credential.clone(), scope.clone(), client_options, config.concurrency);
    let sdk_error = |e: azure_core::Error| CollectError::Config {
        message: format!("cannot build the ARM client: {e}"),
        fix: "check --arm-endpoint".into(),
    };
    let network = azure_mgmt_network::Client::builder(credential.clone())
        .endpoint(endpoint.clone())
        .scopes(&[scope.as_str()])
        .retry(retry.clone())
        .transport(transport_options.clone())
        .build()
        .map_err(sdk_error)?;
    let registry = azure_mgmt_containerregistry::Client::builder(credential.clone())
        .endpoint(endpoint.clone())
        .scopes(&[scope.as_str()])
        .retry(retry)
        .transport(transport_options)
        .build()
        .map_err(sdk_error)?;
    let progress = config.progress.then(|| {
        let p = indicatif::ProgressBar::new_spinner();
        p.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        p.enable_steady_tick(std::time::Duration::from_millis(120));
        p.set_message("reading Azure Resource Manager");
        p
    });
    let result = collect_all(arm, network, registry, config).await;
    if let Some(p) = &progress {
        p.finish_and_clear();
    }
    Ok(Collected { snapshot: result?, arm_requests: transport.arm_requests.load(Ordering::Relaxed) })
}

async fn collect_all(
    arm: Arm,
    network: azure_mgmt_network::Client,
    registry: azure_mgmt_containerregistry::Client,
    config: &CollectConfig,
) -> Result<RawSnapshot, CollectError> {
    // 1. Subscriptions.
    let mut head = Part::default();
    let mut subscriptions: Vec<Value> = Vec::new();
    if config.all_subscriptions {
        match arm.list("/subscriptions", SUBSCRIPTIONS_API).await {
            Ok(list) => subscriptions
                .extend(list.into_iter().filter(|s| s.get("state").and_then(Value::as_str) == Some("Enabled"))),
            Err(f) => head.error("/subscriptions", SUBSCRIPTIONS_TYPE, f),
        }
    }
    let gets = join_all(config.subscriptions.iter().map(|s| {
        let arm = arm.clone();
        async move { (s.clone(), arm.get(&format!("/subscriptions/{s}"), SUBSCRIPTIONS_API).await) }
    }))
    .await;
    for (s, result) in gets {
        match result {
            Ok(v) => subscriptions.push(v),
            Err(f) => {
                subscriptions.push(json!({"subscriptionId": s}));
                head.error(&format!("/subscriptions/{s}"), SUBSCRIPTIONS_TYPE, f);
            }
        }
    }
    let mut sub_ids: Vec<String> = Vec::new();
    for s in &subscriptions {
        if let Some(id) = s.get("subscriptionId").and_then(Value::as_str) {
            if !sub_ids.iter().any(|x| x.eq_ignore_ascii_case(id)) {
                sub_ids.push(id.to_string());
            }
        }
    }
    let describe = |errors: &[ArmError]| -> Vec<String> {
        errors
            .iter()
            .map(|e| {
                format!("{} at {}: {} {}", e.resource_type, e.scope, e.code.clone().unwrap_or_default(), e.message)
            })
            .collect()
    };
    if sub_ids.is_empty() {
        return Err(CollectError::NothingRead { errors: describe(&head.errors) });
    }

    // 2. Independent branches, all at once: each starts its children as soon as its own list is done, so
    //    children overlap with the long paging chains of other lists.
    let ctx = Ctx { arm: arm.clone(), network, registry, config, subscriptions: sub_ids };
    let (registries, zones, clusters, vnets, plain) =
        futures::join!(ctx.registries(), ctx.zones(), ctx.clusters(), ctx.vnets(), ctx.plain_lists());
    let mut all = head;
    for p in [registries, zones, clusters, vnets, plain] {
        all.merge(p);
    }
    if all.lists_ok == 0 {
        return Err(CollectError::NothingRead { errors: describe(&all.errors) });
    }

    // Deterministic output: the same estate gives the same file, whatever the paging or retries were.
    let Part { mut resources, mut children, service_tags, mut errors, .. } = all;
    for list in resources.values_mut() {
        list.sort_by_key(|v| key(id_of(v)));
        list.dedup_by(|a, b| key(id_of(a)) == key(id_of(b)));
    }
    for list in children.values_mut() {
        list.sort_by_key(|c| key(&c.parent_id));
        for c in list.iter_mut() {
            if c.value.iter().all(|v| v.get("id").is_some()) {
                c.value.sort_by_key(|v| key(id_of(v)));
            }
        }
    }
    errors.sort_by(|a, b| (&a.scope, &a.resource_type).cmp(&(&b.scope, &b.resource_type)));
    let text = |s: &Value, field: &str| s.get(field).and_then(Value::as_str).map(str::to_string);
    let metadata = Metadata {
        tool: ToolInfo { name: "acr-audit".into(), version: config.tool_version.clone() },
        collected_at: Some(
            time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        ),
        cloud: CloudInfo {
            name: config.cloud.name().to_string(),
            arm_endpoint: arm.endpoint.as_str().trim_end_matches('/').to_string(),
        },
        subscriptions: subscriptions
            .iter()
            .map(|s| SubscriptionInfo {
                subscription_id: text(s, "subscriptionId").unwrap_or_default(),
                display_name: text(s, "displayName"),
                tenant_id: text(s, "tenantId"),
                state: text(s, "state"),
            })
            .collect(),
        scope: Scope {
            subscriptions: config.subscriptions.clone(),
            all_subscriptions: config.all_subscriptions,
            registries: config.registries.clone(),
        },
    };
    Ok(RawSnapshot { schema: SCHEMA_CURRENT.to_string(), metadata, resources, children, service_tags, errors })
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// The branches list their own type per subscription, so the table must keep them subscription-listed.
    #[test]
    fn branch_types_are_subscription_listed() {
        for key in BRANCH_TYPES {
            let t = RESOURCE_TYPES.iter().find(|t| t.key == key);
            assert!(t.and_then(SubscriptionList::of).is_some(), "{key} is not Listing::Subscription in the table");
        }
        assert!(matches!(TYPES.virtual_machine_scale_sets.listing, Listing::NodeResourceGroup { .. }));
        assert!(matches!(TYPES.providers.listing, Listing::ProviderRegistration { .. }));
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
