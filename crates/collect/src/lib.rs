//! Live collection of an acr-audit snapshot from Azure Resource Manager.
//!
//! This crate is the only code that talks to Azure and the only one that depends on the Azure SDK
//! (`azure_core`, `azure_identity`, `azure_mgmt_network`, `azure_mgmt_containerregistry`, 0.21 family). It
//! returns the snapshot as ARM JSON exactly as the REST API sent it, in the format crate's [`RawSnapshot`] (the
//! envelope the reader loads); the acr-audit crate parses that the same way it parses a file, so `scan` and
//! `collect` + `eval` see the same data. It draws nothing on the terminal: progress is the binary's.
//!
//! - `cloud`: endpoints, token audiences and authorities of the Azure clouds;
//! - `redact`: the one function that removes credentials from every message stored or printed;
//! - `auth`: the credential chain (environment / workload identity, managed identity, Azure CLI);
//! - `transport`: the HTTP clients under every SDK pipeline: request log, request count, throttle headers,
//!   bounded response bodies;
//! - `gate`: the concurrency bound, continuation pages first;
//! - `arm`: authenticated ARM requests with `nextLink` paging and ARM error details;
//! - `graph`: the Azure Resource Graph inventory that answers the subscription-scope lists when the Resource
//!   Graph collector is chosen ([`Source`]);
//! - `clients`: from a [`CollectConfig`] to connected clients (endpoints checked for https, transports,
//!   retries, credential, SDK);
//! - `scope`: which subscriptions to read: named ones, every enabled one, and the enabled ones under management
//!   groups;
//! - `plan`: what to read, in which order, with bounded concurrency, from the resource-type table;
//! - `hub`: the hub-and-spoke branch of the plan: firewalls, policies, IP groups, resolvers and rulesets, also
//!   in subscriptions the scan does not cover, found from what spokes route and resolve through;
//! - `consumers`: App Service sites and the `config/web` of container sites, and each registry's ACR Tasks
//!   and agent pools (the workloads that pull besides AKS); app settings are never read;
//! - `refs`: ids from ARM data checked before they become request paths, and the address arithmetic discovery
//!   needs;
//! - `assemble`: the branches' results merged into a deterministic snapshot with its metadata.

mod arm;
mod assemble;
mod auth;
mod clients;
mod cloud;
mod consumers;
mod gate;
mod graph;
mod hub;
mod plan;
mod redact;
mod refs;
mod scope;
mod transport;

pub use auth::AuthMethod;
pub use cloud::Cloud;

use acr_audit_snapshot::{ArmError, RawSnapshot};
use std::time::Duration;

/// What to collect and how.
#[derive(Debug, Clone)]
pub struct CollectConfig {
    /// Subscriptions to read.
    pub subscriptions: Vec<String>,
    /// Read every enabled subscription the identity can see.
    pub all_subscriptions: bool,
    /// Management group ids: read every enabled subscription under each (nested groups included), in union
    /// with `subscriptions` and `all_subscriptions` (see `scope`).
    pub management_groups: Vec<String>,
    /// Narrow to these registries (names, case-insensitive); empty: all.
    pub registries: Vec<String>,
    /// The cloud.
    pub cloud: Cloud,
    /// Override of the ARM endpoint (the token audience stays the cloud's).
    pub arm_endpoint: Option<String>,
    /// Force one credential.
    pub auth: Option<AuthMethod>,
    /// Concurrent ARM requests.
    pub concurrency: usize,
    /// Log every request to stderr (method, path, status, request id, duration).
    pub verbose: bool,
    /// Retries for 429, 5xx and timeouts.
    pub max_retries: u32,
    /// First backoff delay (doubles each retry; `Retry-After` wins when longer).
    pub initial_backoff: Duration,
    /// The most pages one list may have before it is recorded as an error (`--max-pages`): a bound on a
    /// server whose `nextLink`s never end.
    pub max_pages: usize,
    /// The largest token response accepted, in bytes.
    pub max_token_bytes: u64,
    /// The largest ARM response (one page, one resource, the Service Tags list) accepted, in bytes.
    pub max_page_bytes: u64,
    /// acr-audit's version, written into the snapshot.
    pub tool_version: String,
    /// Which collector answers the subscription-scope lists (`--source`).
    pub source: Source,
}

/// `--source`: who answers the subscription-scope lists (every `Listing::Subscription` type of the table).
/// Everything else (children, role assignments and definitions, provider state, Service Tags, node resource
/// groups, resources read by id) is read through ARM by both collectors; see `docs/collect.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Source {
    /// One paged ARM list per type per subscription.
    Arm,
    /// Azure Resource Graph queries, one per batch of subscriptions for every type.
    ResourceGraph,
    /// Resource Graph above [`AUTO_GRAPH_ABOVE`] subscriptions in scope, ARM otherwise.
    #[default]
    Auto,
}

/// `--source auto` uses Resource Graph when more than this many subscriptions are in scope. ARM costs one list
/// per type per subscription (20 types: 80 requests for 4 subscriptions before a single child); Resource Graph
/// costs two requests per batch of 300 subscriptions plus one per 1,000 rows. Up to three subscriptions ARM is
/// kept: it reads each resource at the table's pinned api-version straight from the resource provider, with no
/// indexing delay (Resource Graph is eventually consistent).
pub const AUTO_GRAPH_ABOVE: usize = 3;

/// The collector that answered the subscription-scope lists, as the snapshot's `metadata.collector` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collector {
    /// Azure Resource Manager lists.
    Arm,
    /// Azure Resource Graph queries.
    ResourceGraph,
}

impl Collector {
    /// `arm` or `resource-graph` (the `--source` spelling).
    pub fn name(self) -> &'static str {
        match self {
            Collector::Arm => "arm",
            Collector::ResourceGraph => "resource-graph",
        }
    }
}

impl Source {
    /// The collector for `subscriptions` subscriptions in scope.
    pub fn resolve(self, subscriptions: usize) -> Collector {
        match self {
            Source::Arm => Collector::Arm,
            Source::ResourceGraph => Collector::ResourceGraph,
            Source::Auto if subscriptions > AUTO_GRAPH_ABOVE => Collector::ResourceGraph,
            Source::Auto => Collector::Arm,
        }
    }
}

/// Default of [`CollectConfig::max_pages`]. At 100 items a page (many ARM lists page at 100 or more), 1,000
/// pages is 100,000 items of one type in one subscription (or of one registry's role assignments), far beyond
/// real estates, while an endless chain of links costs at most 1,000 requests per list instead of running
/// forever.
pub const DEFAULT_MAX_PAGES: usize = 1_000;
/// Default of [`CollectConfig::max_token_bytes`]: 64 KiB. Microsoft Entra access tokens are a few KiB (group
/// claims are capped by the overage mechanism), so this is many times anything real; a token far larger is an
/// attack or a broken server, and it would be copied into the header of every request.
pub const DEFAULT_MAX_TOKEN_BYTES: u64 = 64 * 1024;
/// Default of [`CollectConfig::max_page_bytes`]: 64 MiB. The largest real response read is the Service Tags
/// list (a few MiB); list pages are far smaller. With `concurrency` requests in flight the bound caps what a
/// hostile endpoint can make the collector hold.
pub const DEFAULT_MAX_PAGE_BYTES: u64 = 64 * 1024 * 1024;

impl Default for CollectConfig {
    fn default() -> Self {
        CollectConfig {
            subscriptions: vec![],
            all_subscriptions: false,
            management_groups: vec![],
            registries: vec![],
            cloud: Cloud::AzureCloud,
            arm_endpoint: None,
            auth: None,
            concurrency: 8,
            verbose: false,
            max_retries: 6,
            initial_backoff: Duration::from_millis(200),
            max_pages: DEFAULT_MAX_PAGES,
            max_token_bytes: DEFAULT_MAX_TOKEN_BYTES,
            max_page_bytes: DEFAULT_MAX_PAGE_BYTES,
            tool_version: String::new(),
            source: Source::Auto,
        }
    }
}

/// A collection that could not produce a usable snapshot.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CollectError {
    /// No credential worked; each attempt says why.
    #[error("could not sign in to Azure; tried:\n{}\n  fix: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_FEDERATED_TOKEN_FILE), run on a managed identity, or `az login`; `--auth` forces one method", format_attempts(.attempts))]
    Auth {
        /// (method, why it failed).
        attempts: Vec<(String, String)>,
    },
    /// The configuration is unusable (no subscription given, a bad endpoint URL).
    #[error("{message}\n  fix: {fix}")]
    Config {
        /// What is wrong.
        message: String,
        /// What to do.
        fix: String,
    },
    /// A management group named with `--management-group` could not be read, or holds no subscription to read:
    /// the scan would otherwise be silently empty for it.
    #[error("management group `{group}`: {problem}\n  fix: {fix}")]
    ManagementGroup {
        /// The group id as given.
        group: String,
        /// What went wrong (ARM's status, code and message when there was a response).
        problem: String,
        /// What to do.
        fix: String,
    },
    /// Not a single list call succeeded.
    #[error("nothing could be read from Azure Resource Manager:\n{}\n  fix: check the subscription ids and that the identity has Reader on them", .errors.iter().map(|e| format!("  - {e}")).collect::<Vec<_>>().join("\n"))]
    NothingRead {
        /// The failures.
        errors: Vec<String>,
    },
}

impl CollectError {
    /// Nothing could be read: every error, one line each.
    pub(crate) fn nothing_read(errors: &[ArmError]) -> CollectError {
        let line = |e: &ArmError| {
            format!("{} at {}: {} {}", e.resource_type, e.scope, e.code.clone().unwrap_or_default(), e.message)
        };
        CollectError::NothingRead { errors: errors.iter().map(line).collect() }
    }
}

fn format_attempts(attempts: &[(String, String)]) -> String {
    attempts.iter().map(|(m, why)| format!("  - {m}: {why}")).collect::<Vec<_>>().join("\n")
}

/// The collected snapshot and what it cost.
#[derive(Debug)]
pub struct Collected {
    /// The snapshot.
    pub snapshot: RawSnapshot,
    /// ARM requests sent (retries included; token requests excluded).
    pub arm_requests: u64,
}

/// Collect a snapshot.
pub async fn collect(config: &CollectConfig) -> Result<Collected, CollectError> {
    // Both endpoints are checked before anything is sent: a bad one is a usage error, not a retried failure.
    let endpoint = clients::arm_endpoint(config)?;
    let authority = clients::authority_host(config)?;
    scope::check(config)?;
    let clients = clients::connect(config, endpoint, authority).await?;
    let read = plan::read(&clients, config).await?;
    let snapshot = assemble::snapshot(read, config, &clients.arm.endpoint)?;
    Ok(Collected { snapshot, arm_requests: clients.arm_requests() })
}
