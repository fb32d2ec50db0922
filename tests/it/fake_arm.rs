//! A fake Azure Resource Manager and Microsoft Entra token endpoint, on loopback, for the live-collection
//! tests and benchmark. It serves an estate taken from a snapshot file in the real ARM REST shapes: list
//! responses `{"value": [...], "nextLink": "<absolute url>"}` paged at `page_size`, `$filter=atScope()` role
//! assignments, `listUsages`, registry `tasks` and `agentPools` lists, a site's `config/web` (one object), the
//! Service Tags response, a management group's descendants (from [`Options::management_groups`]), ARM error
//! bodies `{"error": {"code", "message"}}`.
//! Faults on demand: a status (429 with `Retry-After`, 500, 403) for the first N matching requests, or a delay;
//! and hostile answers ([`Action`]): a `nextLink` to another origin, a repeating or endless `nextLink`, an
//! oversize page or token, an error message that reflects the request's `Authorization` header.
//! Only GETs are answered (what Reader's `*/read` allows), and the one POST Reader may send: the Azure Resource
//! Graph query API (`graph`). Any other method gets 405, so a collector that needed an action Reader does not
//! grant would show it as an error here.
//! The code under test is the real binary or library, pointed here with `AZURE_AUTHORITY_HOST` and the ARM
//! endpoint override.
#![allow(dead_code)]

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The token the fake issues; tests assert it never leaks into output.
pub const FAKE_TOKEN: &str = "fake-arm-access-token-7f3a9c1e5b2d4086";
/// The client secret tests use; it must never appear in output either.
pub const FAKE_SECRET: &str = "fake-client-secret-91b2c3d4e5f6";
/// The federated token (as GitHub Actions OIDC or AKS workload identity would write to a file).
pub const FAKE_FEDERATED_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.fake-federated-assertion.c2lnbmF0dXJl";

/// A fault to inject.
#[derive(Debug, Clone)]
pub struct Fault {
    /// Applies to requests whose path contains this (case-insensitive).
    pub path_contains: String,
    /// Status to answer with; `None` for a delay-only fault.
    pub status: Option<u16>,
    /// ARM error code for the body.
    pub code: &'static str,
    /// How many matching requests get the fault (then requests pass).
    pub times: usize,
    /// `Retry-After` seconds, for 429/503.
    pub retry_after: Option<u64>,
    /// Extra latency before answering.
    pub delay: Option<Duration>,
    /// A hostile answer instead of (or, for the next-link ones, shaping) the normal one.
    pub action: Option<Action>,
}

/// A hostile answer.
#[derive(Debug, Clone)]
pub enum Action {
    /// List pages link to this base URL (another origin) instead of the fake's own, on every page.
    NextLinkTo(String),
    /// Every page's `nextLink` is the same URL (`…&$skiptoken=0`), so the second page links to itself.
    RepeatNextLink,
    /// The answer is a `307 Temporary Redirect` to the same path and query under this base URL (another
    /// origin, or the same host and port under another scheme).
    RedirectTo(String),
    /// Every page has a `nextLink` to a new `$skiptoken`, forever.
    EndlessNextLink,
    /// The answer is a JSON body of more than this many bytes, sent chunked (no `Content-Length`), so the
    /// client must bound it while reading.
    OversizeBody(usize),
    /// The token endpoint issues an access token of this many bytes (with its `Content-Length`).
    OversizeToken(usize),
    /// A Resource Graph query answered `429` with `x-ms-user-quota-remaining: 0` and
    /// `x-ms-user-quota-resets-after` set to this (`hh:mm:ss`), and no `Retry-After` (as ARG's throttling guide
    /// describes it).
    GraphThrottle(&'static str),
    /// A Resource Graph answer (the right page) saying the quota is spent (`x-ms-user-quota-remaining: 0`,
    /// `x-ms-user-quota-resets-after` this); until it resets, every query gets 429 (counted in
    /// [`FakeArm::graph_rejected`]).
    GraphQuotaSpent(&'static str),
    /// A Resource Graph answer with `resultTruncated: "true"` and no `$skipToken`.
    GraphTruncated,
    /// The error message (status of the fault) reflects the request's `Authorization` header, the client
    /// secret and a JWT, as a careless proxy or service might.
    ReflectAuthorization,
}

impl Fault {
    /// A status fault for the first `times` matching requests.
    pub fn status(path_contains: &str, status: u16, code: &'static str, times: usize) -> Fault {
        Fault {
            path_contains: path_contains.to_ascii_lowercase(),
            status: Some(status),
            code,
            times,
            retry_after: None,
            delay: None,
            action: None,
        }
    }
    /// A hostile answer for the first `times` matching requests (`path_contains` matches the token endpoint
    /// too, for [`Action::OversizeToken`]).
    pub fn hostile(path_contains: &str, action: Action, times: usize) -> Fault {
        Fault {
            path_contains: path_contains.to_ascii_lowercase(),
            status: None,
            code: "",
            times,
            retry_after: None,
            delay: None,
            action: Some(action),
        }
    }
    /// A 429 with `Retry-After`.
    pub fn throttle(path_contains: &str, retry_after: u64, times: usize) -> Fault {
        Fault { retry_after: Some(retry_after), ..Fault::status(path_contains, 429, "TooManyRequests", times) }
    }
    /// A slow answer.
    pub fn slow(path_contains: &str, delay: Duration, times: usize) -> Fault {
        Fault {
            path_contains: path_contains.to_ascii_lowercase(),
            status: None,
            code: "",
            times,
            retry_after: None,
            delay: Some(delay),
            action: None,
        }
    }
}

/// How the fake behaves.
#[derive(Debug, Clone)]
pub struct Options {
    /// Items per list page.
    pub page_size: usize,
    /// Latency added to every ARM request.
    pub latency: Duration,
    /// Faults.
    pub faults: Vec<Fault>,
    /// The management group tree: `GET /providers/Microsoft.Management/managementGroups/{id}/descendants`
    /// answers from it; a group not in it answers 403 `AuthorizationFailed`, as ARM does for a group the caller
    /// cannot read.
    pub management_groups: Vec<ManagementGroup>,
    /// Rows per Resource Graph page (the collector asks for 1,000, ARG's maximum; the fake pages smaller so
    /// paging is exercised). The default is ten ARM pages: ARG's 1,000 rows to the 100 of a typical ARM page.
    pub graph_page_size: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            page_size: 2,
            latency: Duration::ZERO,
            faults: vec![],
            management_groups: vec![],
            graph_page_size: 20,
        }
    }
}

/// One management group: its parent (none for the root) and the subscriptions directly under it.
#[derive(Debug, Clone)]
pub struct ManagementGroup {
    /// The group id (its `name`).
    pub id: String,
    /// The parent group's id.
    pub parent: Option<String>,
    /// Subscription ids directly under the group.
    pub subscriptions: Vec<String>,
}

impl ManagementGroup {
    /// A group under `parent` holding `subscriptions`.
    pub fn new(id: &str, parent: Option<&str>, subscriptions: &[&str]) -> ManagementGroup {
        ManagementGroup {
            id: id.into(),
            parent: parent.map(str::to_string),
            subscriptions: subscriptions.iter().map(|s| s.to_string()).collect(),
        }
    }
}

fn group_path(id: &str) -> String {
    format!("/providers/Microsoft.Management/managementGroups/{id}")
}

/// The management groups above subscription `s` in `groups`, immediate parent first (Resource Graph's
/// `properties.managementGroupAncestorsChain` order); none when the tree does not hold it.
fn chain(groups: &[ManagementGroup], s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut at = groups.iter().find(|g| g.subscriptions.iter().any(|x| x.eq_ignore_ascii_case(s)));
    while let Some(g) = at {
        if out.iter().any(|x| x.eq_ignore_ascii_case(&g.id)) {
            break;
        }
        out.push(g.id.clone());
        at = g.parent.as_deref().and_then(|p| groups.iter().find(|x| x.id.eq_ignore_ascii_case(p)));
    }
    out
}

/// Every group and subscription below `group`, depth first, in the shape of the published `GetDescendants`
/// example (tests/corpus/bodies/managementgroups/2023-04-01): `id`, `type`, `name`,
/// `properties.{displayName, parent.id}`.
fn descendants(groups: &[ManagementGroup], group: &ManagementGroup) -> Vec<Value> {
    let mut out = Vec::new();
    for s in &group.subscriptions {
        out.push(json!({
            "id": format!("/subscriptions/{s}"),
            "type": "Microsoft.Management/managementGroups/subscriptions",
            "name": s,
            "properties": {"displayName": format!("Subscription {s}"), "parent": {"id": group_path(&group.id)}},
        }));
    }
    for child in groups.iter().filter(|g| g.parent.as_deref().is_some_and(|p| p.eq_ignore_ascii_case(&group.id))) {
        out.push(json!({
            "id": group_path(&child.id),
            "type": "Microsoft.Management/managementGroups",
            "name": child.id,
            "properties": {"displayName": format!("Group {}", child.id), "parent": {"id": group_path(&group.id)}},
        }));
        out.extend(descendants(groups, child));
    }
    out
}

struct Estate {
    subscriptions: Vec<Value>,
    /// lower-cased type -> items
    by_type: HashMap<String, Vec<Value>>,
    /// lower-cased id -> item
    by_id: HashMap<String, Value>,
    /// (lower-cased child type, lower-cased parent id) -> items
    children: HashMap<(String, String), Vec<Value>>,
    service_tags: Value,
    providers: Vec<Value>,
}

fn key(s: &str) -> String {
    s.trim_end_matches('/').to_ascii_lowercase()
}

impl Estate {
    fn from_snapshot(s: &Value) -> Estate {
        let mut by_type = HashMap::new();
        let mut by_id = HashMap::new();
        let mut providers = Vec::new();
        for (kind, items) in s["resources"].as_object().into_iter().flatten() {
            let items = items.as_array().cloned().unwrap_or_default();
            if kind.eq_ignore_ascii_case("Microsoft.Resources/providers") {
                providers = items;
                continue;
            }
            for item in &items {
                if let Some(id) = item["id"].as_str() {
                    by_id.insert(key(id), item.clone());
                }
            }
            by_type.insert(kind.to_ascii_lowercase(), items);
        }
        let mut children = HashMap::new();
        for (kind, collections) in s["children"].as_object().into_iter().flatten() {
            for c in collections.as_array().into_iter().flatten() {
                let parent = key(c["parentId"].as_str().unwrap_or(""));
                children
                    .insert((kind.to_ascii_lowercase(), parent), c["value"].as_array().cloned().unwrap_or_default());
            }
        }
        let subscriptions = s["metadata"]["subscriptions"].as_array().cloned().unwrap_or_default();
        let subscriptions = subscriptions
            .into_iter()
            .map(|mut sub| {
                let id = sub["subscriptionId"].as_str().unwrap_or("").to_string();
                sub["id"] = json!(format!("/subscriptions/{id}"));
                sub
            })
            .collect();
        Estate { subscriptions, by_type, by_id, children, service_tags: s["serviceTags"][0].clone(), providers }
    }

    /// Items of a type (lower-cased) whose id starts with a lower-cased scope prefix; only references.
    fn list(&self, kind: &str, prefix: &str) -> Vec<&Value> {
        self.by_type
            .get(kind)
            .map(|list| list.iter().filter(|v| starts_with_ci(v["id"].as_str().unwrap_or(""), prefix)).collect())
            .unwrap_or_default()
    }
}

struct Shared {
    estate: Estate,
    options: Options,
    base: Mutex<String>,
    requests: Mutex<Vec<(String, String)>>,
    fault_hits: Mutex<Vec<usize>>,
    token_scopes: Mutex<Vec<String>>,
    counter: AtomicUsize,
    /// Every request received, token requests included.
    all_requests: AtomicUsize,
    /// Resource Graph's quota window: no query is answered before this instant (429 instead).
    graph_blocked_until: Mutex<Option<std::time::Instant>>,
    /// Resource Graph queries refused because the quota was spent.
    graph_rejected: AtomicUsize,
    /// When each Resource Graph query arrived.
    graph_times: Mutex<Vec<std::time::Instant>>,
}

/// A running fake.
pub struct FakeArm {
    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub url: String,
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakeArm {
    /// Serve the estate of a snapshot document.
    pub fn start(snapshot: &Value, options: Options) -> FakeArm {
        let shared = Arc::new(Shared {
            estate: Estate::from_snapshot(snapshot),
            fault_hits: Mutex::new(vec![0; options.faults.len()]),
            options,
            base: Mutex::new(String::new()),
            requests: Mutex::new(Vec::new()),
            token_scopes: Mutex::new(Vec::new()),
            counter: AtomicUsize::new(0),
            all_requests: AtomicUsize::new(0),
            graph_blocked_until: Mutex::new(None),
            graph_rejected: AtomicUsize::new(0),
            graph_times: Mutex::new(Vec::new()),
        });
        let (addr_tx, addr_rx) = std::sync::mpsc::channel::<SocketAddr>();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let state = shared.clone();
        let thread = std::thread::spawn(move || {
            let rt =
                tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
                addr_tx.send(listener.local_addr().expect("addr")).expect("send addr");
                let app = axum::Router::new().fallback(handle).with_state(state);
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stop_rx.await;
                    })
                    .await;
            });
        });
        let addr = addr_rx.recv().expect("fake started");
        let url = format!("http://{addr}");
        *shared.base.lock().unwrap() = url.clone();
        FakeArm { url, shared, shutdown: Some(stop_tx), thread: Some(thread) }
    }

    /// ARM requests received (method, path with query), token requests excluded.
    pub fn requests(&self) -> Vec<(String, String)> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// Every request received (ARM and token requests, answered or not).
    pub fn all_requests(&self) -> usize {
        self.shared.all_requests.load(Ordering::Relaxed)
    }

    /// Resource Graph queries refused with 429 because they came inside a spent quota window.
    pub fn graph_rejected(&self) -> usize {
        self.shared.graph_rejected.load(Ordering::Relaxed)
    }

    /// When each Resource Graph query arrived, in order.
    pub fn graph_times(&self) -> Vec<std::time::Instant> {
        self.shared.graph_times.lock().unwrap().clone()
    }

    /// Scopes the token endpoint was asked for.
    pub fn token_scopes(&self) -> Vec<String> {
        self.shared.token_scopes.lock().unwrap().clone()
    }

    /// Environment for the binary under test: client-secret credentials and both endpoint overrides.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AZURE_TENANT_ID", "72f9c0de-0000-4000-8000-00000000aaaa".into()),
            ("AZURE_CLIENT_ID", "0b1c2d3e-0000-4000-8000-00000000bbbb".into()),
            ("AZURE_CLIENT_SECRET", FAKE_SECRET.into()),
            ("AZURE_AUTHORITY_HOST", self.url.clone()),
            ("ACR_AUDIT_ARM_ENDPOINT", self.url.clone()),
        ]
    }
}

impl Drop for FakeArm {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn arm_error(status: u16, code: &str, message: &str) -> Response {
    let mut r = (
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        axum::Json(json!({"error": {"code": code, "message": message}})),
    )
        .into_response();
    r.headers_mut().insert("x-ms-failure-cause", "gateway".parse().unwrap());
    r
}

fn ok(shared: &Shared, body: Value) -> Response {
    let mut r = axum::Json(body).into_response();
    let n = shared.counter.fetch_add(1, Ordering::Relaxed);
    r.headers_mut().insert("x-ms-request-id", format!("00000000-0000-4000-8000-{n:012}").parse().unwrap());
    r.headers_mut().insert("x-ms-ratelimit-remaining-subscription-reads", "249".parse().unwrap());
    r
}

fn query_param(uri: &Uri, name: &str) -> Option<String> {
    uri.query().and_then(|q| {
        q.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k == name).then(|| v.to_string())
        })
    })
}

/// A page of `items` starting at `$skiptoken`, with an absolute `nextLink` back to this server (or what a
/// next-link [`Action`] says). Only the page is cloned, so large estates cost the fake little per request.
fn page<V: std::borrow::Borrow<Value>>(shared: &Shared, uri: &Uri, items: &[V], action: Option<&Action>) -> Response {
    let size = shared.options.page_size.max(1);
    let start: usize = query_param(uri, "$skiptoken").and_then(|s| s.parse().ok()).unwrap_or(0);
    let end = (start + size).min(items.len());
    let slice: Vec<Value> = items.get(start..end).unwrap_or(&[]).iter().map(|v| v.borrow().clone()).collect();
    let mut body = json!({"value": slice});
    let api = query_param(uri, "api-version").unwrap_or_default();
    let own = shared.base.lock().unwrap().clone();
    let hostile = match action {
        Some(Action::NextLinkTo(base)) => Some(format!("{base}{}?api-version={api}&$skiptoken={end}", uri.path())),
        Some(Action::RepeatNextLink) => Some(format!("{own}{}?api-version={api}&$skiptoken=0", uri.path())),
        Some(Action::EndlessNextLink) => {
            Some(format!("{own}{}?api-version={api}&$skiptoken={}", uri.path(), start + size))
        }
        _ => None,
    };
    if let Some(next) = hostile {
        body["nextLink"] = json!(next);
    } else if end < items.len() {
        let mut next = format!("{own}{}?api-version={api}&$skiptoken={end}", uri.path());
        if let Some(f) = query_param(uri, "$filter") {
            next.push_str(&format!("&$filter={f}"));
        }
        body["nextLink"] = json!(next);
    }
    ok(shared, body)
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    shared.all_requests.fetch_add(1, Ordering::Relaxed);
    let path = uri.path().to_string();
    let lower = path.to_ascii_lowercase();
    // Faults: the first matching one that still has uses left. A Resource Graph query matches on its path and
    // its query text, so a fault can pick one query (`resources | where type in~ ('microsoft.network/…')`).
    let is_graph =
        method == Method::POST && lower.trim_end_matches('/') == "/providers/microsoft.resourcegraph/resources";
    let matched = if is_graph {
        shared.graph_times.lock().unwrap().push(std::time::Instant::now());
        let query = serde_json::from_slice::<Value>(&body).ok().and_then(|b| b["query"].as_str().map(str::to_string));
        format!("{lower} {}", query.unwrap_or_default().to_ascii_lowercase())
    } else {
        lower.clone()
    };
    let fault = {
        let mut hits = shared.fault_hits.lock().unwrap();
        shared.options.faults.iter().enumerate().find_map(|(i, f)| {
            (matched.contains(&f.path_contains) && hits[i] < f.times).then(|| {
                hits[i] += 1;
                f.clone()
            })
        })
    };
    if method == Method::POST && lower.ends_with("/oauth2/v2.0/token") {
        let form = String::from_utf8_lossy(&body).to_string();
        let field = |name: &str| {
            form.split('&').find_map(|kv| {
                kv.split_once('=')
                    .filter(|(k, _)| *k == name)
                    .map(|(_, v)| v.replace("%3A", ":").replace("%2F", "/").replace('+', " "))
            })
        };
        // Client secret, or workload identity federation (a client assertion read from AZURE_FEDERATED_TOKEN_FILE).
        let federated = field("client_assertion_type").as_deref()
            == Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
            && field("client_assertion").as_deref() == Some(FAKE_FEDERATED_TOKEN);
        if field("client_secret").as_deref() != Some(FAKE_SECRET) && !federated {
            return (StatusCode::UNAUTHORIZED, axum::Json(json!({"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided."}))).into_response();
        }
        shared.token_scopes.lock().unwrap().push(field("scope").unwrap_or_default());
        let token = match fault.as_ref().and_then(|f| f.action.clone()) {
            Some(Action::OversizeToken(n)) => format!("{FAKE_TOKEN}{}", "x".repeat(n.saturating_sub(FAKE_TOKEN.len()))),
            _ => FAKE_TOKEN.to_string(),
        };
        return axum::Json(
            json!({"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": token}),
        )
        .into_response();
    }
    shared.requests.lock().unwrap().push((method.to_string(), uri.to_string()));
    if !shared.options.latency.is_zero() {
        tokio::time::sleep(shared.options.latency).await;
    }
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(&format!("Bearer {FAKE_TOKEN}")) {
        return arm_error(
            401,
            "AuthenticationFailed",
            "Authentication failed. The 'Authorization' header is missing or invalid.",
        );
    }
    if query_param(&uri, "api-version").is_none() {
        return arm_error(
            400,
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        );
    }
    let mut action = None;
    if let Some(f) = fault {
        if let Some(d) = f.delay {
            tokio::time::sleep(d).await;
        }
        if let (Some(status), Some(Action::ReflectAuthorization)) = (f.status, &f.action) {
            let authorization = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
            let message = format!(
                "The client with request headers Authorization: {authorization}; x-ms-client-assertion: \
                 {FAKE_FEDERATED_TOKEN} (form client_secret={FAKE_SECRET}) does not have authorization to \
                 perform action over scope '{path}'."
            );
            return arm_error(status, f.code, &message);
        }
        if let Some(Action::RedirectTo(base)) = &f.action {
            let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
            let mut r = Response::new(axum::body::Body::empty());
            *r.status_mut() = StatusCode::TEMPORARY_REDIRECT;
            r.headers_mut().insert("location", format!("{base}{}{query}", uri.path()).parse().unwrap());
            return r;
        }
        if let Some(Action::OversizeBody(n)) = f.action {
            let padding = "x".repeat(n);
            let text = format!("{{\"value\": [{{\"id\": \"/pad\", \"padding\": \"{padding}\"}}]}}");
            // A stream body has no known length, so it goes out chunked, without Content-Length.
            let stream = axum::body::Body::from(text).into_data_stream();
            let mut r = Response::new(axum::body::Body::from_stream(stream));
            r.headers_mut().insert("content-type", "application/json".parse().unwrap());
            return r;
        }
        action = f.action.clone();
        if let Some(status) = f.status {
            let mut r = arm_error(status, f.code, &format!("Injected fault {status} for {path}."));
            if let Some(s) = f.retry_after {
                r.headers_mut().insert("retry-after", s.to_string().parse().unwrap());
            }
            return r;
        }
    }
    if is_graph {
        return graph(&shared, &uri, &body, action.as_ref());
    }
    route(&shared, &method, &uri, &lower, action.as_ref())
}

/// The Resource Graph API version the fake answers (the current stable one).
pub const GRAPH_API_VERSION: &str = "2024-04-01";
/// The tenant the fake's Resource Graph rows name.
const GRAPH_TENANT: &str = "72f9c0de-0000-4000-8000-00000000aaaa";

/// A subscription the fake treats as unreadable: a 403 fault matches its paths. Resource Graph leaves such a
/// subscription out of every answer without an error (research §5), so the fake does too.
fn unreadable(shared: &Shared, subscription: &str) -> bool {
    let path = format!("/subscriptions/{}/", subscription.to_ascii_lowercase());
    shared.options.faults.iter().any(|f| f.status == Some(403) && path.contains(&f.path_contains))
}

fn graph_error(status: u16, code: &str, message: &str) -> Response {
    arm_error(status, code, message)
}

/// `POST /providers/Microsoft.ResourceGraph/resources`: the three queries the collector sends (`graph.rs`), and
/// nothing else (any other query is a 400, so a changed query shows here):
/// `resources | where type in~ ('<t>', …) | order by id asc` answered from the estate's resources of those types
/// in the requested subscriptions, with ARG's columns (`subscriptionId`, `resourceGroup`, `tenantId`) and a
/// lower-case `type`; and `resourcecontainers | where type =~ 'microsoft.resources/subscriptions' | project id,
/// subscriptionId, managementGroupAncestorsChain = properties.managementGroupAncestorsChain | order by id asc`,
/// the requested subscriptions the estate holds with their chain from [`Options::management_groups`];
/// and `authorizationresources | where type =~ 'microsoft.authorization/roleassignments' | order by id asc`
/// with `authorizationScopeFilter: "AtScopeAboveAndBelow"` (required), every role assignment of the estate's
/// child collections whose `properties.scope` is at or below a requested subscription, or is a management
/// group above one, or the root `/`. Paged at `graph_page_size`
/// with `$skipToken` (an offset), `resultTruncated` a string, quota headers on every answer.
fn graph(shared: &Shared, uri: &Uri, body: &[u8], action: Option<&Action>) -> Response {
    if query_param(uri, "api-version").as_deref() != Some(GRAPH_API_VERSION) {
        return graph_error(400, "InvalidApiVersionParameter", "The fake answers Resource Graph at 2024-04-01 only.");
    }
    {
        let mut blocked = shared.graph_blocked_until.lock().unwrap();
        if let Some(until) = *blocked {
            let now = std::time::Instant::now();
            if now < until {
                shared.graph_rejected.fetch_add(1, Ordering::Relaxed);
                let left = until - now;
                let mut r = graph_error(429, "RateLimiting", "Client application has been throttled.");
                r.headers_mut().insert("x-ms-user-quota-remaining", "0".parse().unwrap());
                let secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
                r.headers_mut().insert("x-ms-user-quota-resets-after", format!("00:00:{secs:02}").parse().unwrap());
                return r;
            }
            *blocked = None;
        }
    }
    if let Some(Action::GraphThrottle(resets)) = action {
        let mut r = graph_error(429, "RateLimiting", "Client application has been throttled.");
        r.headers_mut().insert("x-ms-user-quota-remaining", "0".parse().unwrap());
        r.headers_mut().insert("x-ms-user-quota-resets-after", resets.parse().unwrap());
        return r;
    }
    let Ok(request) = serde_json::from_slice::<Value>(body) else {
        return graph_error(400, "InvalidRequestContent", "The request body is not JSON.");
    };
    if request.get("managementGroups").is_some() {
        return graph_error(400, "BadRequest", "The fake answers subscription-scoped queries only.");
    }
    let subscriptions: Vec<String> = request["subscriptions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_ascii_lowercase)
        .filter(|s| !unreadable(shared, s))
        .collect();
    let options = &request["options"];
    if options["resultFormat"] != "objectArray" {
        return graph_error(400, "BadRequest", "The fake expects options.resultFormat objectArray.");
    }
    let query = request["query"].as_str().unwrap_or("");
    let e = &shared.estate;
    let sub_of = |id: &str| id.split('/').nth(2).unwrap_or("").to_ascii_lowercase();
    let groups = &shared.options.management_groups;
    let mut rows: Vec<Value> = if query
        == "resourcecontainers | where type =~ 'microsoft.resources/subscriptions' | project id, subscriptionId, managementGroupAncestorsChain = properties.managementGroupAncestorsChain | order by id asc"
    {
        e.subscriptions
            .iter()
            .filter(|s| subscriptions.contains(&s["subscriptionId"].as_str().unwrap_or("").to_ascii_lowercase()))
            .map(|s| {
                let chain: Vec<Value> = chain(groups, s["subscriptionId"].as_str().unwrap_or(""))
                    .iter()
                    .map(|g| json!({"name": g, "displayName": format!("Group {g}")}))
                    .collect();
                json!({"id": s["id"], "subscriptionId": s["subscriptionId"], "managementGroupAncestorsChain": chain})
            })
            .collect()
    } else if query == "authorizationresources | where type =~ 'microsoft.authorization/roleassignments' | order by id asc" {
        if options["authorizationScopeFilter"] != "AtScopeAboveAndBelow" {
            return graph_error(400, "BadRequest", "The fake expects authorizationScopeFilter AtScopeAboveAndBelow.");
        }
        // Every role assignment of the estate (each child collection holds what `atScope()` returns at its
        // parent), once, kept when its scope is at, below or above one of the requested subscriptions.
        let above: Vec<String> = subscriptions
            .iter()
            .flat_map(|s| chain(groups, s))
            .map(|g| key(&group_path(&g)))
            .chain(std::iter::once(String::new()))
            .collect();
        let mut seen = std::collections::HashSet::new();
        let mut rows = Vec::new();
        for ((kind, _), items) in &e.children {
            if kind != "microsoft.authorization/roleassignments" {
                continue;
            }
            for item in items {
                let scope = key(item["properties"]["scope"].as_str().unwrap_or(""));
                let sub = if scope.starts_with("/subscriptions/") { sub_of(&scope) } else { String::new() };
                let applies = subscriptions.contains(&sub) || above.contains(&scope);
                if !applies || !seen.insert(key(item["id"].as_str().unwrap_or(""))) {
                    continue;
                }
                let mut row = item.clone();
                row["type"] = json!("microsoft.authorization/roleassignments");
                row["subscriptionId"] = json!(sub);
                row["tenantId"] = json!(GRAPH_TENANT);
                rows.push(row);
            }
        }
        rows
    } else if let Some(list) =
        query.strip_prefix("resources | where type in~ (").and_then(|q| q.strip_suffix(") | order by id asc"))
    {
        let mut rows = Vec::new();
        for t in list.split(", ") {
            let Some(t) = t.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) else {
                return graph_error(400, "InvalidQuery", &format!("The fake cannot parse the type list `{list}`."));
            };
            for item in e.by_type.get(&t.to_ascii_lowercase()).into_iter().flatten() {
                let id = item["id"].as_str().unwrap_or("");
                let sub = sub_of(id);
                if !subscriptions.contains(&sub) {
                    continue;
                }
                let mut row = item.clone();
                row["type"] = json!(t.to_ascii_lowercase());
                row["subscriptionId"] = json!(sub);
                row["resourceGroup"] = json!(id.split('/').nth(4).unwrap_or("").to_ascii_lowercase());
                row["tenantId"] = json!(GRAPH_TENANT);
                rows.push(row);
            }
        }
        rows
    } else {
        return graph_error(400, "InvalidQuery", &format!("The fake does not answer the query `{query}`."));
    };
    rows.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    let top = options["$top"].as_u64().unwrap_or(1000).clamp(1, 1000) as usize;
    let size = top.min(shared.options.graph_page_size.max(1));
    let start: usize = match options.get("$skipToken").and_then(Value::as_str) {
        Some(t) => match t.strip_prefix("fake-offset-").and_then(|n| n.parse().ok()) {
            Some(n) => n,
            None => return graph_error(400, "InvalidSkipToken", "The $skipToken is not one the fake issued."),
        },
        None => 0,
    };
    let end = (start + size).min(rows.len());
    let data: Vec<Value> = rows.get(start..end).unwrap_or(&[]).to_vec();
    let mut answer = json!({"totalRecords": rows.len(), "count": data.len(), "resultTruncated": "false", "facets": [], "data": data});
    if matches!(action, Some(Action::GraphTruncated)) {
        answer["resultTruncated"] = json!("true");
    } else if end < rows.len() {
        answer["$skipToken"] = json!(format!("fake-offset-{end}"));
    }
    let mut r = ok(shared, answer);
    let (remaining, resets) = match action {
        Some(Action::GraphQuotaSpent(resets)) => {
            let wait = crate_resets(resets);
            *shared.graph_blocked_until.lock().unwrap() = Some(std::time::Instant::now() + wait);
            ("0", *resets)
        }
        _ => ("14", "00:00:05"),
    };
    r.headers_mut().insert("x-ms-user-quota-remaining", remaining.parse().unwrap());
    r.headers_mut().insert("x-ms-user-quota-resets-after", resets.parse().unwrap());
    r
}

/// `hh:mm:ss` as a duration (the fake's own faults only).
fn crate_resets(text: &str) -> Duration {
    let parts: Vec<u64> = text.split(':').map(|p| p.parse().unwrap()).collect();
    Duration::from_secs(parts[0] * 3600 + parts[1] * 60 + parts[2])
}

fn starts_with_ci(id: &str, lower_prefix: &str) -> bool {
    id.len() >= lower_prefix.len() && id.as_bytes()[..lower_prefix.len()].eq_ignore_ascii_case(lower_prefix.as_bytes())
}

fn route(shared: &Shared, method: &Method, uri: &Uri, lower: &str, action: Option<&Action>) -> Response {
    let e = &shared.estate;
    let segs: Vec<&str> = lower.split('/').filter(|s| !s.is_empty()).collect();
    let children = |kind: &str, parent: &str| {
        e.children.get(&(kind.to_ascii_lowercase(), key(parent))).cloned().unwrap_or_default()
    };
    if *method != Method::GET {
        return arm_error(405, "MethodNotAllowed", "The fake serves reads only.");
    }
    // Registries_ListUsages is a GET (api-version 2023-07-01), answering without nextLink.
    if let Some(parent) = lower.strip_suffix("/listusages") {
        return ok(shared, json!({"value": children("Microsoft.ContainerRegistry/registries/usages", parent).clone()}));
    }
    match segs.as_slice() {
        ["providers", "microsoft.management", "managementgroups", g, "descendants"] => {
            let groups = &shared.options.management_groups;
            return match groups.iter().find(|x| x.id.eq_ignore_ascii_case(g)) {
                Some(group) => page(shared, uri, &descendants(groups, group), action),
                None => arm_error(
                    403,
                    "AuthorizationFailed",
                    &format!(
                        "The client does not have authorization to perform action \
                         'Microsoft.Management/managementGroups/descendants/read' over scope '{}'.",
                        uri.path()
                    ),
                ),
            };
        }
        ["subscriptions"] => return page(shared, uri, &e.subscriptions, action),
        ["subscriptions", s] => {
            return match e
                .subscriptions
                .iter()
                .find(|x| x["subscriptionId"].as_str().map(|i| i.eq_ignore_ascii_case(s)).unwrap_or(false))
            {
                Some(sub) => ok(shared, sub.clone()),
                None => arm_error(404, "SubscriptionNotFound", &format!("The subscription '{s}' could not be found.")),
            }
        }
        ["subscriptions", s, "providers", ns] => {
            return match e
                .providers
                .iter()
                .find(|p| key(p["id"].as_str().unwrap_or("")) == format!("/subscriptions/{s}/providers/{ns}"))
            {
                Some(p) => ok(shared, p.clone()),
                None => ok(
                    shared,
                    json!({"id": format!("/subscriptions/{s}/providers/{ns}"), "namespace": ns, "registrationState": "NotRegistered"}),
                ),
            }
        }
        ["subscriptions", _s, "providers", "microsoft.network", "locations", _region, "servicetags"] => {
            return ok(shared, e.service_tags.clone())
        }
        ["subscriptions", s, "providers", ns, kind] => {
            return page(shared, uri, &e.list(&format!("{ns}/{kind}"), &format!("/subscriptions/{s}/")), action);
        }
        ["subscriptions", s, "resourcegroups", rg, "providers", ns, kind] => {
            return page(
                shared,
                uri,
                &e.list(&format!("{ns}/{kind}"), &format!("/subscriptions/{s}/resourcegroups/{rg}/")),
                action,
            );
        }
        _ => {}
    }
    if let Some(parent) = lower.strip_suffix("/providers/microsoft.authorization/roleassignments") {
        if query_param(uri, "$filter").as_deref() != Some("atScope()")
            && query_param(uri, "%24filter").as_deref() != Some("atScope()")
        {
            return arm_error(400, "InvalidFilter", "The fake expects $filter=atScope().");
        }
        return page(shared, uri, children("Microsoft.Authorization/roleAssignments", parent).as_slice(), action);
    }
    for (suffix, kind) in [
        ("/replications", "Microsoft.ContainerRegistry/registries/replications"),
        ("/virtualnetworklinks", "Microsoft.Network/privateDnsZones/virtualNetworkLinks"),
        ("/a", "Microsoft.Network/privateDnsZones/A"),
        ("/privatednszonegroups", "Microsoft.Network/privateEndpoints/privateDnsZoneGroups"),
        ("/rulecollectiongroups", "Microsoft.Network/firewallPolicies/ruleCollectionGroups"),
        ("/inboundendpoints", "Microsoft.Network/dnsResolvers/inboundEndpoints"),
        ("/outboundendpoints", "Microsoft.Network/dnsResolvers/outboundEndpoints"),
        ("/forwardingrules", "Microsoft.Network/dnsForwardingRulesets/forwardingRules"),
        ("/tasks", "Microsoft.ContainerRegistry/registries/tasks"),
        ("/agentpools", "Microsoft.ContainerRegistry/registries/agentPools"),
    ] {
        if let Some(parent) = lower.strip_suffix(suffix) {
            if e.by_id.contains_key(&key(parent)) {
                // Zones and forwarding rulesets both have `virtualNetworkLinks`: the parent's type decides.
                let kind = if suffix == "/virtualnetworklinks" && parent.contains("/dnsforwardingrulesets/") {
                    "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks"
                } else {
                    kind
                };
                return page(shared, uri, children(kind, parent).as_slice(), action);
            }
        }
    }
    // WebApps_GetConfiguration: one object, not a list; a site the snapshot holds no configuration for answers
    // 404 as ARM does for a missing resource.
    if let Some(site) = lower.strip_suffix("/config/web") {
        if e.by_id.contains_key(&key(site)) {
            return match children("Microsoft.Web/sites/config", site).into_iter().next() {
                Some(config) => ok(shared, config),
                None => arm_error(404, "ResourceNotFound", &format!("The Resource '{}' was not found.", uri.path())),
            };
        }
    }
    match e.by_id.get(&key(lower)) {
        Some(v) => ok(shared, v.clone()),
        None => arm_error(404, "ResourceNotFound", &format!("The Resource '{}' was not found.", uri.path())),
    }
}
