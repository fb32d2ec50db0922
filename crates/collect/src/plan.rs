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
use azure_core::Url;
use futures::future::join_all;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// Subscription-scope lists: (snapshot type key, provider path, api-version).
const LISTS: &[(&str, &str, &str)] = &[
    ("Microsoft.ContainerRegistry/registries", "providers/Microsoft.ContainerRegistry/registries", "2023-07-01"),
    ("Microsoft.Network/privateEndpoints", "providers/Microsoft.Network/privateEndpoints", "2024-05-01"),
    ("Microsoft.Network/networkInterfaces", "providers/Microsoft.Network/networkInterfaces", "2024-05-01"),
    ("Microsoft.Network/networkSecurityGroups", "providers/Microsoft.Network/networkSecurityGroups", "2024-05-01"),
    ("Microsoft.Network/routeTables", "providers/Microsoft.Network/routeTables", "2024-05-01"),
    ("Microsoft.Network/virtualNetworks", "providers/Microsoft.Network/virtualNetworks", "2024-05-01"),
    ("Microsoft.Network/publicIPAddresses", "providers/Microsoft.Network/publicIPAddresses", "2024-05-01"),
    ("Microsoft.Network/natGateways", "providers/Microsoft.Network/natGateways", "2024-05-01"),
    ("Microsoft.Network/privateDnsZones", "providers/Microsoft.Network/privateDnsZones", "2024-06-01"),
    (
        "Microsoft.ContainerService/managedClusters",
        "providers/Microsoft.ContainerService/managedClusters",
        "2024-09-01",
    ),
];

const REGISTRY_API: &str = "2023-07-01";
const DNS_API: &str = "2024-06-01";
const AUTHZ_API: &str = "2022-04-01";
const COMPUTE_API: &str = "2024-07-01";
const SUBSCRIPTIONS_API: &str = "2022-12-01";
const PROVIDERS_API: &str = "2021-04-01";

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
    async fn list_everywhere(&self, kind: &str, part: &mut Part) -> Vec<Value> {
        let (_, path, api) = LISTS.iter().find(|(k, _, _)| *k == kind).copied().unwrap_or((kind, "", ""));
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

    /// Registries, then at once their replications, usages and role assignments, the service tags, and the
    /// role definitions the assignments reference.
    async fn registries(&self) -> Part {
        let mut part = Part::default();
        let mut registries = self.list_everywhere("Microsoft.ContainerRegistry/registries", &mut part).await;
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
                    let r = arm.list(&format!("{id}/replications"), REGISTRY_API).await;
                    ("Microsoft.ContainerRegistry/registries/replications", id, r)
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
                ("Microsoft.ContainerRegistry/registries/usages", uid, r)
            }));
            let (arm, aid) = (self.arm.clone(), id);
            jobs.push(Box::pin(async move {
                let path = format!("{aid}/providers/Microsoft.Authorization/roleAssignments?$filter=atScope()");
                let r = arm.list(&path, AUTHZ_API).await;
                ("Microsoft.Authorization/roleAssignments", aid, r)
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
                "Microsoft.Network/serviceTags",
                f,
            ),
        }
        let mut definitions: BTreeMap<String, String> = BTreeMap::new();
        for (kind, parent, result) in children {
            match result {
                Ok(value) => {
                    if kind == "Microsoft.Authorization/roleAssignments" {
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
            async move { (d.clone(), arm.get(d, AUTHZ_API).await) }
        }))
        .await;
        for (d, result) in defs {
            match result {
                Ok(v) => part.add("Microsoft.Authorization/roleDefinitions", vec![v]),
                Err(f) => part.error(&d, "Microsoft.Authorization/roleDefinitions", f),
            }
        }
        part.add("Microsoft.ContainerRegistry/registries", registries);
        part
    }

    /// Private DNS zones, then links and A records of the `privatelink.azurecr.*` ones only.
    async fn zones(&self) -> Part {
        let mut part = Part::default();
        let zones = self.list_everywhere("Microsoft.Network/privateDnsZones", &mut part).await;
        let wanted = zones.iter().filter(|z| {
            z.get("name")
                .and_then(Value::as_str)
                .map(|n| n.to_ascii_lowercase().starts_with("privatelink.azurecr."))
                .unwrap_or(false)
        });
        let results = join_all(wanted.flat_map(|z| {
            let id = id_of(z).to_string();
            [
                ("Microsoft.Network/privateDnsZones/virtualNetworkLinks", "virtualNetworkLinks"),
                ("Microsoft.Network/privateDnsZones/A", "A"),
            ]
            .into_iter()
            .map(move |(kind, suffix)| {
                let (arm, id) = (self.arm.clone(), id.clone());
                async move {
                    let r = arm.list(&format!("{id}/{suffix}"), DNS_API).await;
                    (kind, id, r)
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
        part.add("Microsoft.Network/privateDnsZones", zones);
        part
    }

    /// AKS clusters, then the VMSS of each node resource group and the provider state of every subscription
    /// in play (scanned ones and those of client VNets).
    async fn clusters(&self) -> Part {
        let mut part = Part::default();
        let clusters = self.list_everywhere("Microsoft.ContainerService/managedClusters", &mut part).await;
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
        let vmss = join_all(node_groups.iter().map(|(sub, rg)| {
            let arm = self.arm.clone();
            async move {
                let path = format!(
                    "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachineScaleSets"
                );
                (format!("/subscriptions/{sub}/resourceGroups/{rg}"), arm.list(&path, COMPUTE_API).await)
            }
        }));
        let providers = join_all(provider_subs.iter().map(|s| {
            let arm = self.arm.clone();
            async move {
                (
                    s.clone(),
                    arm.get(&format!("/subscriptions/{s}/providers/Microsoft.ContainerRegistry"), PROVIDERS_API).await,
                )
            }
        }));
        let (vmss, providers) = futures::join!(vmss, providers);
        for (scope, result) in vmss {
            match result {
                Ok(items) => part.add("Microsoft.Compute/virtualMachineScaleSets", items),
                Err(f) => part.error(&scope, "Microsoft.Compute/virtualMachineScaleSets", f),
            }
        }
        for (s, result) in providers {
            match result {
                Ok(v) => part.add("Microsoft.Resources/providers", vec![v]),
                Err(f) => part.error(&format!("/subscriptions/{s}"), "Microsoft.Resources/providers", f),
            }
        }
        part.add("Microsoft.ContainerService/managedClusters", clusters);
        part
    }

    /// VNets, then the peered VNets outside the scope (another subscription), fetched by id when readable.
    async fn vnets(&self) -> Part {
        let mut part = Part::default();
        let vnets = self.list_everywhere("Microsoft.Network/virtualNetworks", &mut part).await;
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
        part.add("Microsoft.Network/virtualNetworks", vnets);
        for (id, result) in results {
            match result {
                Ok(v) => part.add("Microsoft.Network/virtualNetworks", vec![v]),
                Err(f) => part.error(&id, "Microsoft.Network/virtualNetworks", f),
            }
        }
        part
    }

    /// The lists nothing else depends on.
    async fn plain_lists(&self) -> Part {
        let kinds = [
            "Microsoft.Network/privateEndpoints",
            "Microsoft.Network/networkInterfaces",
            "Microsoft.Network/networkSecurityGroups",
            "Microsoft.Network/routeTables",
            "Microsoft.Network/publicIPAddresses",
            "Microsoft.Network/natGateways",
        ];
        let parts = join_all(kinds.iter().map(|k| async move {
            let mut part = Part::default();
            let items = self.list_everywhere(k, &mut part).await;
            part.add(k, items);
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
            Err(f) => head.error("/subscriptions", "Microsoft.Resources/subscriptions", f),
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
                head.error(&format!("/subscriptions/{s}"), "Microsoft.Resources/subscriptions", f);
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
