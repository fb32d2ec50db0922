//! Everything that turns a [`CollectConfig`] into connected clients: the ARM endpoint and the authority host
//! (and the configuration error of a bad one), the bounded transports under every pipeline, the retry options,
//! the credential, our [`Arm`] client and the SDK clients (network, container registry).
//!
//! Both endpoints receive credentials (the bearer token; the client secret or federated assertion), so both
//! must be `https`. Plain `http` is allowed only for loopback hosts (127.0.0.0/8, `::1`, `localhost`), where a
//! local emulator or test server runs and nothing crosses a network. Anything else (`http` to another host,
//! `ftp`, a typo'd scheme) is a usage error before any request: no credential is sent, and nothing is retried.
//!
//! It sends no request of its own beyond signing in; what to read is `plan`'s, and how the results become a
//! snapshot is `assemble`'s.

use super::arm::{Arm, ArmFailure};
use super::auth;
use super::redact::redact;
use super::transport::Transport;
use super::{CollectConfig, CollectError};
use azure_core::Url;
use serde_json::Value;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use url::Host;

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

/// Where a plain-`http` endpoint is acceptable: loopback only (no network between us and the server).
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(a)) => a.is_loopback(),
        Some(Host::Ipv6(a)) => a.is_loopback(),
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// A URL for messages: userinfo (`user:password@`) removed, credentials redacted.
fn shown(text: &str) -> String {
    match Url::parse(text) {
        Ok(mut url) => {
            // Both fail only for URLs that cannot have userinfo, which then have none to hide.
            let _ = url.set_username("");
            let _ = url.set_password(None);
            redact(url.as_str().trim_end_matches('/'))
        }
        Err(_) => redact(text),
    }
}

/// Parse and check an endpoint that will receive credentials: `https`, or `http` on a loopback host; no
/// userinfo (it would be sent as basic credentials and echoed in messages). `name` is the flag or variable
/// that set it, `fix` what to set instead.
pub(crate) fn credential_endpoint(text: &str, name: &str, fix: &str) -> Result<Url, CollectError> {
    let error =
        |why: String| CollectError::Config { message: format!("{name} `{}` {why}", shown(text)), fix: fix.to_string() };
    let url = Url::parse(text).map_err(|e| error(format!("is not a URL: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(error("carries credentials in the URL (user:password@); they would be sent and logged".into()));
    }
    match url.scheme() {
        "https" if url.host().is_some() => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(error(
            "is plain http to a host that is not loopback: tokens and secrets would travel in cleartext; http is \
             allowed only for 127.0.0.0/8, ::1 and localhost"
                .into(),
        )),
        other => Err(error(format!("has scheme `{other}`; only https (or http to a loopback host) is accepted"))),
    }
}

/// The ARM endpoint: `--arm-endpoint` when given, else the cloud's; checked by [`credential_endpoint`].
pub(crate) fn arm_endpoint(config: &CollectConfig) -> Result<Url, CollectError> {
    let endpoint_text = config.arm_endpoint.clone().unwrap_or_else(|| config.cloud.arm_endpoint().to_string());
    credential_endpoint(
        &endpoint_text,
        "the ARM endpoint (--arm-endpoint / ACR_AUDIT_ARM_ENDPOINT)",
        &format!(
            "pass --arm-endpoint {} (or set ACR_AUDIT_ARM_ENDPOINT), or omit it for the cloud's endpoint",
            config.cloud.arm_endpoint()
        ),
    )
}

/// The Microsoft Entra authority: `AZURE_AUTHORITY_HOST` when set (and not empty), else the cloud's; checked by
/// [`credential_endpoint`], since the token request carries the client secret or federated assertion.
pub(crate) fn authority_host(config: &CollectConfig) -> Result<Url, CollectError> {
    let text = std::env::var("AZURE_AUTHORITY_HOST")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| config.cloud.authority_host().to_string());
    credential_endpoint(
        &text,
        "AZURE_AUTHORITY_HOST",
        &format!("set AZURE_AUTHORITY_HOST={} or unset it for the cloud's authority", config.cloud.authority_host()),
    )
}

/// Sign in and build the clients for `endpoint` (from [`arm_endpoint`]).
pub(crate) async fn connect(config: &CollectConfig, endpoint: Url, authority: Url) -> Result<Clients, CollectError> {
    let host = format!("{}:{}", endpoint.host_str().unwrap_or(""), endpoint.port_or_known_default().unwrap_or(0));
    let transport = Transport::arm(config.verbose, host, config.max_page_bytes);
    // Token requests have a transport of their own: a far smaller bound, and they are not ARM requests.
    let token_transport = Transport::token(config.verbose, config.max_token_bytes);
    let transport_options = azure_core::TransportOptions::new(transport.clone());
    let retry = azure_core::RetryOptions::exponential(
        azure_core::ExponentialRetryOptions::default()
            .max_retries(config.max_retries)
            .initial_delay(config.initial_backoff)
            .max_total_elapsed(std::time::Duration::from_secs(120)),
    );
    let mut token_options =
        azure_identity::TokenCredentialOptions::from(token_transport as Arc<dyn azure_core::HttpClient>);
    // Always the checked authority: azure_identity would otherwise read AZURE_AUTHORITY_HOST unchecked.
    token_options.set_authority_host(authority.as_str().trim_end_matches('/').to_string());
    let scope = config.cloud.arm_scope();
    let credential = auth::credential(config.auth, token_options, &scope).await?;
    let client_options = azure_core::ClientOptions::new(transport_options.clone()).retry(retry.clone());
    let arm = Arm::new(
        endpoint.clone(),
        credential.clone(),
        scope.clone(),
        client_options,
        config.concurrency,
        config.max_pages,
    );
    let sdk_error = |e: azure_core::Error| CollectError::Config {
        message: redact(&format!("cannot build the ARM client: {e}")),
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
    serde_json::from_slice(&bytes).map_err(|e| ArmFailure::new(None, Some("InvalidJson"), &e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<Url, String> {
        credential_endpoint(text, "--flag", "fix it").map_err(|e| e.to_string())
    }

    #[test]
    fn https_anywhere_and_http_on_loopback_are_accepted() {
        for ok in [
            "https://management.azure.com",
            "https://example.invalid:8443/base",
            "http://127.0.0.1:8080",
            "http://127.9.8.7",
            "http://[::1]:1234",
            "http://localhost:1",
            "http://LOCALHOST",
        ] {
            assert!(check(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn cleartext_to_the_network_and_other_schemes_are_refused() {
        for (bad, why) in [
            ("http://example.invalid", "plain http"),
            ("http://10.0.0.1", "plain http"),
            ("http://[::ffff:127.0.0.1]", "plain http"),
            ("http://localhost.example.com", "plain http"),
            ("ftp://127.0.0.1", "scheme `ftp`"),
            ("file:///etc/passwd", "scheme `file`"),
            ("management.azure.com", "not a URL"),
            ("https://user:pw@management.azure.com", "credentials"),
        ] {
            let e = check(bad).expect_err(bad);
            assert!(e.contains("--flag") && e.contains(why) && e.contains("fix: fix it"), "{bad}: {e}");
            assert!(!e.contains("pw@"), "userinfo is not echoed: {e}");
        }
    }
}
