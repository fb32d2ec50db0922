//! Everything that turns a [`CollectConfig`] into connected clients: the ARM endpoint (and the configuration
//! error of a bad one), the counting transport under every pipeline, the retry options, the credential, our
//! [`Arm`] client and the SDK clients (network, container registry).
//!
//! It sends no request of its own beyond signing in; what to read is `plan`'s, and how the results become a
//! snapshot is `assemble`'s.

use super::arm::{Arm, ArmFailure};
use super::auth;
use super::transport::Transport;
use super::{CollectConfig, CollectError};
use azure_core::Url;
use serde_json::Value;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// The connected clients of one collection; they share the transport, so its request count covers all.
pub(crate) struct Clients {
    /// Authenticated ARM requests with paging and the shared concurrency bound.
    pub arm: Arm,
    /// The network SDK client (Service Tags, peered VNets by id).
    pub network: azure_mgmt_network::Client,
    /// The container registry SDK client (registry usages).
    pub registry: azure_mgmt_containerregistry::Client,
    transport: Arc<Transport>,
}

impl Clients {
    /// ARM requests sent so far (retries included; token requests excluded).
    pub(crate) fn arm_requests(&self) -> u64 {
        self.transport.arm_requests.load(Ordering::Relaxed)
    }
}

/// The ARM endpoint: `--arm-endpoint` when given, else the cloud's.
pub(crate) fn arm_endpoint(config: &CollectConfig) -> Result<Url, CollectError> {
    let endpoint_text = config.arm_endpoint.clone().unwrap_or_else(|| config.cloud.arm_endpoint().to_string());
    Url::parse(&endpoint_text).map_err(|e| CollectError::Config {
        message: format!("the ARM endpoint `{endpoint_text}` is not a URL: {e}"),
        fix: "pass --arm-endpoint https://management.azure.com (or set ACR_AUDIT_ARM_ENDPOINT)".into(),
    })
}

/// Sign in and build the clients for `endpoint` (from [`arm_endpoint`]).
pub(crate) async fn connect(config: &CollectConfig, endpoint: Url) -> Result<Clients, CollectError> {
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
    Ok(Clients { arm, network, registry, transport })
}

/// Keep the raw body of a typed SDK request (bodies must be exactly what ARM sent).
pub(crate) async fn raw_body(response: azure_core::Result<azure_core::Response>) -> Result<Value, ArmFailure> {
    let response = response.map_err(|e| ArmFailure::from_error(&e))?;
    let bytes = response.into_body().collect().await.map_err(|e| ArmFailure::from_error(&e))?;
    serde_json::from_slice(&bytes).map_err(|e| ArmFailure {
        status: None,
        code: Some("InvalidJson".into()),
        message: e.to_string(),
    })
}
