//! What to read and in which order.
//!
//! Subscription-scope list calls first (one paged list per resource type per subscription), then children
//! only where they are needed (replications and usages of registries, role assignments at each registry,
//! links and A records of `privatelink` zones, the node VMSS of each cluster, provider state), then what those
//! reference (role definitions, peered VNets outside the scope). The request count grows with resource types,
//! registries and zones, not with the number of NSGs or NICs. Every request shares one concurrency bound.

use super::arm::{Arm, ArmFailure};
use super::auth;
use super::raw::{ArmErrorRecord, ChildCollection, RawSnapshot};
use super::transport::Transport;
use super::{CollectConfig, CollectError, Collected};
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

struct Run<'a> {
    arm: Arm,
    network: azure_mgmt_network::Client,
    registry: azure_mgmt_containerregistry::Client,
    errors: Vec<ArmErrorRecord>,
    config: &'a CollectConfig,
    progress: Option<indicatif::ProgressBar>,
}

impl Run<'_> {
    fn record(&mut self, scope: &str, resource_type: &str, f: ArmFailure) {
        self.errors.push(ArmErrorRecord {
            scope: scope.to_string(),
            resource_type: resource_type.to_string(),
            status: f.status,
            code: f.code,
            message: f.message,
        });
    }

    fn phase(&self, message: &str) {
        if let Some(p) = &self.progress {
            p.set_message(message.to_string());
        }
    }

    /// A typed SDK request whose raw body is kept (bodies must be exactly what ARM sent).
    async fn raw_body(&self, response: azure_core::Result<azure_core::Response>) -> Result<Value, ArmFailure> {
        let response = response.map_err(|e| ArmFailure::from_error(&e))?;
        let bytes = response.into_body().collect().await.map_err(|e| ArmFailure::from_error(&e))?;
        serde_json::from_slice(&bytes).map_err(|e| ArmFailure {
            status: None,
            code: Some("InvalidJson".into()),
            message: e.to_string(),
        })
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
        p
    });
    let mut run = Run { arm, network, registry, errors: Vec::new(), config, progress };
    let snapshot = collect_all(&mut run).await?;
    if let Some(p) = &run.progress {
        p.finish_and_clear();
    }
    Ok(Collected { snapshot, arm_requests: transport.arm_requests.load(Ordering::Relaxed) })
}

async fn collect_all(run: &mut Run<'_>) -> Result<RawSnapshot, CollectError> {
    let config = run.config;
    // 1. Subscriptions.
    run.phase("reading subscriptions");
    let mut subscriptions: Vec<Value> = Vec::new();
    if config.all_subscriptions {
        match run.arm.list("/subscriptions", SUBSCRIPTIONS_API).await {
            Ok(list) => subscriptions
                .extend(list.into_iter().filter(|s| s.get("state").and_then(Value::as_str) == Some("Enabled"))),
            Err(f) => run.record("/subscriptions", "Microsoft.Resources/subscriptions", f),
        }
    }
    let gets = join_all(config.subscriptions.iter().map(|s| {
        let arm = run.arm.clone();
        async move { (s.clone(), arm.get(&format!("/subscriptions/{s}"), SUBSCRIPTIONS_API).await) }
    }))
    .await;
    for (s, result) in gets {
        match result {
            Ok(v) => subscriptions.push(v),
            Err(f) => {
                subscriptions.push(json!({"subscriptionId": s}));
                run.record(&format!("/subscriptions/{s}"), "Microsoft.Resources/subscriptions", f);
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
    if sub_ids.is_empty() {
        return Err(CollectError::NothingRead {
            errors: run.errors.iter().map(|e| format!("{} at {}: {}", e.resource_type, e.scope, e.message)).collect(),
        });
    }

    // 2. Subscription-scope lists, all at once (they queue on the shared concurrency bound).
    run.phase("listing resources");
    let jobs = sub_ids.iter().flat_map(|s| LISTS.iter().map(move |l| (s.clone(), *l)));
    let results = join_all(jobs.map(|(s, (kind, path, api))| {
        let arm = run.arm.clone();
        async move { (s.clone(), kind, arm.list(&format!("/subscriptions/{s}/{path}"), api).await) }
    }))
    .await;
    let mut resources: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut any_list_ok = false;
    for (s, kind, result) in results {
        match result {
            Ok(items) => {
                any_list_ok = true;
                resources.entry(kind.to_string()).or_default().extend(items);
            }
            Err(f) => run.record(&format!("/subscriptions/{s}"), kind, f),
        }
    }
    if !any_list_ok {
        return Err(CollectError::NothingRead {
            errors: run
                .errors
                .iter()
                .map(|e| {
                    format!("{} at {}: {} {}", e.resource_type, e.scope, e.code.clone().unwrap_or_default(), e.message)
                })
                .collect(),
        });
    }
    if !config.registries.is_empty() {
        if let Some(regs) = resources.get_mut("Microsoft.ContainerRegistry/registries") {
            regs.retain(|r| {
                let name = r.get("name").and_then(Value::as_str).unwrap_or("");
                config.registries.iter().any(|n| n.eq_ignore_ascii_case(name))
            });
        }
    }

    // 3. Children, only where needed.
    run.phase("reading registries, zones and clusters");
    let mut children: BTreeMap<String, Vec<ChildCollection>> = BTreeMap::new();
    let registries = resources.get("Microsoft.ContainerRegistry/registries").cloned().unwrap_or_default();
    let zones: Vec<Value> = resources
        .get("Microsoft.Network/privateDnsZones")
        .map(|z| {
            z.iter()
                .filter(|z| {
                    z.get("name")
                        .and_then(Value::as_str)
                        .map(|n| n.to_ascii_lowercase().starts_with("privatelink.azurecr."))
                        .unwrap_or(false)
                })
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let clusters = resources.get("Microsoft.ContainerService/managedClusters").cloned().unwrap_or_default();

    // (child type, parent id, request) — every child request of this phase, run together.
    enum Req {
        List(String, &'static str),
        Usages(String),
    }
    let mut requests: Vec<(&'static str, String, Req)> = Vec::new();
    for r in &registries {
        let id = id_of(r).to_string();
        let premium =
            r.pointer("/sku/name").and_then(Value::as_str).map(|s| s.eq_ignore_ascii_case("Premium")).unwrap_or(false);
        if premium {
            requests.push((
                "Microsoft.ContainerRegistry/registries/replications",
                id.clone(),
                Req::List(format!("{id}/replications"), REGISTRY_API),
            ));
        }
        requests.push(("Microsoft.ContainerRegistry/registries/usages", id.clone(), Req::Usages(id.clone())));
        requests.push((
            "Microsoft.Authorization/roleAssignments",
            id.clone(),
            Req::List(format!("{id}/providers/Microsoft.Authorization/roleAssignments?$filter=atScope()"), AUTHZ_API),
        ));
    }
    for z in &zones {
        let id = id_of(z).to_string();
        requests.push((
            "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
            id.clone(),
            Req::List(format!("{id}/virtualNetworkLinks"), DNS_API),
        ));
        requests.push(("Microsoft.Network/privateDnsZones/A", id.clone(), Req::List(format!("{id}/A"), DNS_API)));
    }
    let mut node_groups: BTreeSet<(String, String)> = BTreeSet::new();
    for c in &clusters {
        let (sub, _, _) = parts(id_of(c));
        if let Some(rg) = c.pointer("/properties/nodeResourceGroup").and_then(Value::as_str) {
            node_groups.insert((sub, rg.to_string()));
        }
    }
    let child_results = join_all(requests.into_iter().map(|(kind, parent, req)| {
        let arm = run.arm.clone();
        let registry = run.registry.clone();
        async move {
            let result = match req {
                Req::List(path, api) => arm.list(&path, api).await,
                Req::Usages(id) => {
                    let (sub, rg, name) = parts(&id);
                    let response = {
                        let _permit = arm.permit().await;
                        registry
                            .registries_client()
                            .list_usages(sub, rg, name)
                            .send()
                            .await
                            .map(|r| r.into_raw_response())
                    };
                    match response {
                        Ok(r) => match r.into_body().collect().await {
                            Ok(bytes) => serde_json::from_slice::<Value>(&bytes)
                                .map(|v| v.get("value").and_then(Value::as_array).cloned().unwrap_or_default())
                                .map_err(|e| ArmFailure {
                                    status: None,
                                    code: Some("InvalidJson".into()),
                                    message: e.to_string(),
                                }),
                            Err(e) => Err(ArmFailure::from_error(&e)),
                        },
                        Err(e) => Err(ArmFailure::from_error(&e)),
                    }
                }
            };
            (kind, parent, result)
        }
    }))
    .await;
    for (kind, parent, result) in child_results {
        match result {
            Ok(value) => {
                children.entry(kind.to_string()).or_default().push(ChildCollection { parent_id: parent, value })
            }
            Err(f) => run.record(&parent, kind, f),
        }
    }
    let vmss_results = join_all(node_groups.iter().map(|(sub, rg)| {
        let arm = run.arm.clone();
        async move {
            let path =
                format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachineScaleSets");
            (format!("/subscriptions/{sub}/resourceGroups/{rg}"), arm.list(&path, COMPUTE_API).await)
        }
    }))
    .await;
    for (scope, result) in vmss_results {
        match result {
            Ok(items) => resources.entry("Microsoft.Compute/virtualMachineScaleSets".into()).or_default().extend(items),
            Err(f) => run.record(&scope, "Microsoft.Compute/virtualMachineScaleSets", f),
        }
    }

    // Provider registration in every scanned subscription and every client VNet's subscription.
    let mut provider_subs: BTreeSet<String> = sub_ids.iter().map(|s| s.to_ascii_lowercase()).collect();
    for c in &clusters {
        for pool in c.pointer("/properties/agentPoolProfiles").and_then(Value::as_array).into_iter().flatten() {
            if let Some(subnet) = pool.get("vnetSubnetID").and_then(Value::as_str) {
                let (sub, _, _) = parts(subnet);
                if !sub.is_empty() {
                    provider_subs.insert(sub.to_ascii_lowercase());
                }
            }
        }
    }
    let provider_results = join_all(provider_subs.iter().map(|s| {
        let arm = run.arm.clone();
        async move {
            (
                s.clone(),
                arm.get(&format!("/subscriptions/{s}/providers/Microsoft.ContainerRegistry"), PROVIDERS_API).await,
            )
        }
    }))
    .await;
    for (s, result) in provider_results {
        match result {
            Ok(v) => resources.entry("Microsoft.Resources/providers".into()).or_default().push(v),
            Err(f) => run.record(&format!("/subscriptions/{s}"), "Microsoft.Resources/providers", f),
        }
    }

    // Service tags: the API returns the cloud's whole list for any location, so one call serves every region.
    run.phase("reading service tags and role definitions");
    let mut service_tags = Vec::new();
    let region = registries
        .iter()
        .chain(&clusters)
        .find_map(|r| r.get("location").and_then(Value::as_str))
        .unwrap_or("eastus")
        .to_string();
    let tags = {
        let _permit = run.arm.permit().await;
        run.network
            .service_tags_client()
            .list(region.clone(), sub_ids[0].clone())
            .send()
            .await
            .map(|r| r.into_raw_response())
    };
    match run.raw_body(tags).await {
        Ok(v) => service_tags.push(v),
        Err(f) => run.record(
            &format!("/subscriptions/{}/providers/Microsoft.Network/locations/{region}", sub_ids[0]),
            "Microsoft.Network/serviceTags",
            f,
        ),
    }

    // 4. What the lists reference: role definitions of the assignments, peered VNets outside the scope.
    let mut definitions: BTreeMap<String, String> = BTreeMap::new();
    for c in children.get("Microsoft.Authorization/roleAssignments").into_iter().flatten() {
        for a in &c.value {
            if let Some(d) = a.pointer("/properties/roleDefinitionId").and_then(Value::as_str) {
                definitions.entry(key(d)).or_insert_with(|| d.to_string());
            }
        }
    }
    let def_results = join_all(definitions.values().map(|d| {
        let arm = run.arm.clone();
        async move { (d.clone(), arm.get(d, AUTHZ_API).await) }
    }))
    .await;
    for (d, result) in def_results {
        match result {
            Ok(v) => resources.entry("Microsoft.Authorization/roleDefinitions".into()).or_default().push(v),
            Err(f) => run.record(&d, "Microsoft.Authorization/roleDefinitions", f),
        }
    }
    let known: BTreeSet<String> =
        resources.get("Microsoft.Network/virtualNetworks").into_iter().flatten().map(|v| key(id_of(v))).collect();
    let mut remote: BTreeMap<String, String> = BTreeMap::new();
    for v in resources.get("Microsoft.Network/virtualNetworks").into_iter().flatten() {
        for p in v.pointer("/properties/virtualNetworkPeerings").and_then(Value::as_array).into_iter().flatten() {
            if let Some(r) = p.pointer("/properties/remoteVirtualNetwork/id").and_then(Value::as_str) {
                if !known.contains(&key(r)) {
                    remote.entry(key(r)).or_insert_with(|| r.to_string());
                }
            }
        }
    }
    let remote_results = join_all(remote.values().map(|id| {
        let arm = run.arm.clone();
        let network = run.network.clone();
        async move {
            let (sub, rg, name) = parts(id);
            let response = {
                let _permit = arm.permit().await;
                network.virtual_networks_client().get(rg, name, sub).send().await.map(|r| r.into_raw_response())
            };
            (id.clone(), response)
        }
    }))
    .await;
    for (id, response) in remote_results {
        match run.raw_body(response).await {
            Ok(v) => resources.entry("Microsoft.Network/virtualNetworks".into()).or_default().push(v),
            Err(f) => run.record(&id, "Microsoft.Network/virtualNetworks", f),
        }
    }

    // Deterministic output: the same estate gives the same file, whatever the paging or retries were.
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
    let mut errors = std::mem::take(&mut run.errors);
    errors.sort_by(|a, b| (&a.scope, &a.resource_type).cmp(&(&b.scope, &b.resource_type)));
    let metadata = json!({
        "tool": {"name": "acr-audit", "version": config.tool_version},
        "collectedAt": time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        "cloud": {"name": config.cloud.name(), "armEndpoint": run.arm.endpoint.as_str().trim_end_matches('/')},
        "subscriptions": subscriptions.iter().map(|s| json!({
            "subscriptionId": s.get("subscriptionId"), "displayName": s.get("displayName"),
            "tenantId": s.get("tenantId"), "state": s.get("state"),
        })).map(|mut v| {
            if let Some(o) = v.as_object_mut() {
                o.retain(|_, x| !x.is_null());
            }
            v
        }).collect::<Vec<_>>(),
        "scope": {"subscriptions": config.subscriptions, "allSubscriptions": config.all_subscriptions, "registries": config.registries},
    });
    Ok(RawSnapshot { schema: "acr-audit/snapshot/v1".into(), metadata, resources, children, service_tags, errors })
}
