//! Authenticated ARM requests through an `azure_core` pipeline (its retry policy honours `Retry-After` on 429
//! and 503 and backs off on 5xx and timeouts), with `nextLink` paging, keeping response bodies exactly as ARM
//! sent them. Failures keep ARM's status, error code and message, for the snapshot's `errors`.

use super::gate::{Gate, Permit};
use azure_core::auth::TokenCredential;
use azure_core::{Context, Method, Pipeline, Request, Url};
use serde_json::Value;
use std::sync::Arc;

/// A failed ARM call, as recorded in the snapshot.
#[derive(Debug, Clone)]
pub(crate) struct ArmFailure {
    pub status: Option<u16>,
    pub code: Option<String>,
    pub message: String,
}

impl ArmFailure {
    pub(crate) fn from_error(e: &azure_core::Error) -> ArmFailure {
        if let Some(http) = e.as_http_error() {
            return ArmFailure {
                status: Some(http.status() as u16),
                code: http.error_code().map(str::to_string),
                message: http.error_message().unwrap_or("request failed").to_string(),
            };
        }
        // Transport and credential errors: the kind and the first line only (no headers, no bodies).
        let text = e.to_string();
        ArmFailure { status: None, code: None, message: text.lines().next().unwrap_or("request failed").to_string() }
    }
}

/// An ARM client: endpoint, credential, pipeline, and the concurrency bound shared by every request.
#[derive(Clone)]
pub(crate) struct Arm {
    pub endpoint: Url,
    pub credential: Arc<dyn TokenCredential>,
    pub scope: String,
    pipeline: Pipeline,
    /// The concurrency bound; continuation pages go first (see `gate`).
    gate: Gate,
}

impl Arm {
    pub(crate) fn new(
        endpoint: Url,
        credential: Arc<dyn TokenCredential>,
        scope: String,
        options: azure_core::ClientOptions,
        concurrency: usize,
    ) -> Arm {
        let pipeline = Pipeline::new(Some("acr-audit"), Some(env!("CARGO_PKG_VERSION")), options, vec![], vec![]);
        Arm { endpoint, credential, scope, pipeline, gate: Gate::new(concurrency) }
    }

    /// A URL for an ARM path (which may carry its own query), with `api-version` added when absent.
    pub(crate) fn url(&self, path_and_query: &str, api_version: &str) -> Result<Url, ArmFailure> {
        let mut url = self.endpoint.join(path_and_query).map_err(|e| ArmFailure {
            status: None,
            code: None,
            message: format!("bad request path {path_and_query}: {e}"),
        })?;
        if !url.query_pairs().any(|(k, _)| k == "api-version") {
            url.query_pairs_mut().append_pair("api-version", api_version);
        }
        Ok(url)
    }

    /// A concurrency permit, for requests sent through the SDK clients rather than [`Arm::send`].
    pub(crate) async fn permit(&self) -> Permit {
        self.gate.acquire(false).await
    }

    /// Send one request and parse the JSON body. Holds one concurrency permit for the duration.
    pub(crate) async fn send(&self, method: Method, url: Url, body: Option<&str>) -> Result<Value, ArmFailure> {
        self.send_with(method, url, body, false).await
    }

    async fn send_with(
        &self,
        method: Method,
        url: Url,
        body: Option<&str>,
        continuation: bool,
    ) -> Result<Value, ArmFailure> {
        let _permit = self.gate.acquire(continuation).await;
        let token = self.credential.get_token(&[self.scope.as_str()]).await.map_err(|e| ArmFailure::from_error(&e))?;
        let mut request = Request::new(url, method);
        request.insert_header(azure_core::headers::AUTHORIZATION, format!("Bearer {}", token.token.secret()));
        request.insert_header(azure_core::headers::CONTENT_TYPE, "application/json");
        request.set_body(body.map(|b| b.to_string()).unwrap_or_default());
        let response =
            self.pipeline.send(&Context::new(), &mut request).await.map_err(|e| ArmFailure::from_error(&e))?;
        let bytes = response.into_body().collect().await.map_err(|e| ArmFailure::from_error(&e))?;
        if bytes.is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&bytes).map_err(|e| ArmFailure {
            status: None,
            code: Some("InvalidJson".into()),
            message: format!("the response is not JSON: {e}"),
        })
    }

    /// GET one resource.
    pub(crate) async fn get(&self, path: &str, api_version: &str) -> Result<Value, ArmFailure> {
        let url = self.url(path, api_version)?;
        self.send(Method::Get, url, None).await
    }

    /// GET a list and follow `nextLink` to the end; items exactly as ARM returned them.
    pub(crate) async fn list(&self, path: &str, api_version: &str) -> Result<Vec<Value>, ArmFailure> {
        let mut url = self.url(path, api_version)?;
        let mut items = Vec::new();
        let mut continuation = false;
        loop {
            let page = self.send_with(Method::Get, url, None, continuation).await?;
            continuation = true;
            if let Some(values) = page.get("value").and_then(Value::as_array) {
                items.extend(values.iter().cloned());
            }
            match page.get("nextLink").and_then(Value::as_str).filter(|s| !s.is_empty()) {
                Some(next) => {
                    url = Url::parse(next).map_err(|e| ArmFailure {
                        status: None,
                        code: Some("InvalidNextLink".into()),
                        message: format!("nextLink is not a URL: {e}"),
                    })?;
                }
                None => return Ok(items),
            }
        }
    }
}
