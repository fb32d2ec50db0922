//! Authenticated ARM requests through an `azure_core` pipeline (its retry policy honours `Retry-After` on 429
//! and 503 and backs off on 5xx and timeouts), with `nextLink` paging, keeping response bodies exactly as ARM
//! sent them. Failures keep ARM's status, error code and message (redacted), for the snapshot's `errors`.
//!
//! A `nextLink` is data from the server, so it is checked before the bearer token goes with it: it must be on
//! the ARM endpoint's origin (scheme, host, port), must not repeat a page of the same list, and a list stops
//! at `max_pages`. A list that cannot be followed to its end is an error for that list, never a silent partial
//! list: its items so far are dropped and the error goes to the snapshot's `errors`, so the report shows the
//! scope as unreadable (ACR-META-001) rather than as empty.

use super::gate::{Gate, Permit};
use super::redact::{redact, remember};
use super::transport::TooLarge;
use azure_core::auth::TokenCredential;
use azure_core::{Context, Method, Pipeline, Request, Url};
use serde_json::Value;
use std::collections::HashSet;
use std::sync::Arc;

/// A failed ARM call, as recorded in the snapshot. Build it with [`ArmFailure::new`] or
/// [`ArmFailure::from_error`], which redact credentials from the code and message.
#[derive(Debug, Clone)]
pub(crate) struct ArmFailure {
    pub status: Option<u16>,
    pub code: Option<String>,
    pub message: String,
}

impl ArmFailure {
    /// A failure with its code and message redacted (`redact`): ARM messages can echo request headers.
    pub(crate) fn new(status: Option<u16>, code: Option<&str>, message: &str) -> ArmFailure {
        ArmFailure { status, code: code.map(redact), message: redact(message) }
    }

    pub(crate) fn from_error(e: &azure_core::Error) -> ArmFailure {
        if let Some(http) = e.as_http_error() {
            return ArmFailure::new(
                Some(http.status() as u16),
                http.error_code(),
                http.error_message().unwrap_or("request failed"),
            );
        }
        // A body over the transport's bound, possibly wrapped by the SDK or the credential: say so.
        if let Some(too_large) = TooLarge::in_chain(e) {
            return ArmFailure::new(None, Some("ResponseTooLarge"), &too_large.to_string());
        }
        // Transport and credential errors: the kind and the first line only (no headers, no bodies).
        let text = e.to_string();
        ArmFailure::new(None, None, text.lines().next().unwrap_or("request failed"))
    }
}

/// The origin of a URL: scheme, host, port (explicit, so `https://h` and `https://h:443` are one origin).
fn origin(url: &Url) -> (String, String, Option<u16>) {
    (url.scheme().to_string(), url.host_str().unwrap_or("").to_string(), url.port_or_known_default())
}

/// The origin of a URL for a message (no path, no query: a link's query may carry anything).
fn show_origin(url: &Url) -> String {
    let (scheme, host, port) = origin(url);
    match port {
        Some(p) => format!("{scheme}://{host}:{p}"),
        None => format!("{scheme}://{host}"),
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
    /// The most pages one list may have (`--max-pages`).
    max_pages: usize,
}

impl Arm {
    pub(crate) fn new(
        endpoint: Url,
        credential: Arc<dyn TokenCredential>,
        scope: String,
        options: azure_core::ClientOptions,
        concurrency: usize,
        max_pages: usize,
    ) -> Arm {
        let pipeline = Pipeline::new(Some("acr-audit"), Some(env!("CARGO_PKG_VERSION")), options, vec![], vec![]);
        Arm { endpoint, credential, scope, pipeline, gate: Gate::new(concurrency), max_pages: max_pages.max(1) }
    }

    /// A URL for an ARM path (which may carry its own query), with `api-version` added when absent.
    pub(crate) fn url(&self, path_and_query: &str, api_version: &str) -> Result<Url, ArmFailure> {
        let mut url = self
            .endpoint
            .join(path_and_query)
            .map_err(|e| ArmFailure::new(None, None, &format!("bad request path {path_and_query}: {e}")))?;
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
        // Any message that echoes this token (a reflected header) is redacted, whatever the token's shape.
        remember(token.token.secret());
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
        serde_json::from_slice(&bytes)
            .map_err(|e| ArmFailure::new(None, Some("InvalidJson"), &format!("the response is not JSON: {e}")))
    }

    /// POST a JSON body to an ARM path (the Resource Graph query API is the one POST the collector sends: a
    /// read, allowed to Reader). `continuation`: a next page of a query, served before other requests (`gate`).
    pub(crate) async fn post(
        &self,
        path: &str,
        api_version: &str,
        body: &Value,
        continuation: bool,
    ) -> Result<Value, ArmFailure> {
        let url = self.url(path, api_version)?;
        self.send_with(Method::Post, url, Some(&body.to_string()), continuation).await
    }

    /// The most pages one list or query may have (`--max-pages`).
    pub(crate) fn max_pages(&self) -> usize {
        self.max_pages
    }

    /// GET one resource.
    pub(crate) async fn get(&self, path: &str, api_version: &str) -> Result<Value, ArmFailure> {
        let url = self.url(path, api_version)?;
        self.send(Method::Get, url, None).await
    }

    /// GET a list and follow `nextLink` to the end; items exactly as ARM returned them. The token goes only to
    /// links on the endpoint's origin; a repeated link or more than `max_pages` pages fail the list.
    pub(crate) async fn list(&self, path: &str, api_version: &str) -> Result<Vec<Value>, ArmFailure> {
        let mut url = self.url(path, api_version)?;
        let mut items = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut pages = 0usize;
        loop {
            seen.insert(url.as_str().to_string());
            let page = self.send_with(Method::Get, url, None, pages > 0).await?;
            pages += 1;
            if let Some(values) = page.get("value").and_then(Value::as_array) {
                items.extend(values.iter().cloned());
            }
            let Some(next) = page.get("nextLink").and_then(Value::as_str).filter(|s| !s.is_empty()) else {
                return Ok(items);
            };
            url = next_url(&self.endpoint, self.max_pages, next, &seen, pages)?;
        }
    }
}

/// The next page's URL, when it is safe and useful to follow: on the `endpoint`'s origin (else the bearer token
/// would go to whoever the link names), not a page already read (`seen`; else the list never ends), and within
/// `max_pages` (an endless chain of distinct links), `pages` having been read.
fn next_url(
    endpoint: &Url,
    max_pages: usize,
    next: &str,
    seen: &HashSet<String>,
    pages: usize,
) -> Result<Url, ArmFailure> {
    let url = Url::parse(next).map_err(|e| {
        ArmFailure::new(None, Some("InvalidNextLink"), &format!("nextLink is not a URL: {e}; the list is incomplete"))
    })?;
    if origin(&url) != origin(endpoint) {
        return Err(ArmFailure::new(
            None,
            Some("ForeignNextLink"),
            &format!(
                "nextLink points to {}, not to the ARM endpoint {}; not followed (the token is sent only to the \
                 endpoint), so the list is incomplete",
                show_origin(&url),
                show_origin(endpoint)
            ),
        ));
    }
    if seen.contains(url.as_str()) {
        return Err(ArmFailure::new(
            None,
            Some("NextLinkLoop"),
            &format!("nextLink repeats an earlier page after {pages} pages; not followed, so the list is incomplete"),
        ));
    }
    if pages >= max_pages {
        return Err(ArmFailure::new(
            None,
            Some("TooManyPages"),
            &format!(
                "the list did not end within {} pages (--max-pages); not followed further, so the list is incomplete",
                max_pages
            ),
        ));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint() -> Url {
        Url::parse("https://management.azure.com").unwrap()
    }

    fn check(next: &str, seen: &[&str], pages: usize, max: usize) -> Result<Url, ArmFailure> {
        let seen: HashSet<String> = seen.iter().map(|s| Url::parse(s).unwrap().to_string()).collect();
        next_url(&endpoint(), max, next, &seen, pages)
    }

    fn code(r: Result<Url, ArmFailure>) -> String {
        r.err().and_then(|f| f.code).unwrap_or_default()
    }

    #[test]
    fn links_on_the_endpoint_origin_are_followed() {
        let next = "https://management.azure.com/subscriptions/s/providers/x?api-version=1&$skiptoken=2";
        assert!(check(next, &[], 1, 10).is_ok());
        assert!(check("https://MANAGEMENT.azure.com:443/x", &[], 1, 10).is_ok(), "same origin, spelled otherwise");
    }

    #[test]
    fn links_to_another_origin_are_refused() {
        for next in [
            "https://evil.example/x",
            "http://management.azure.com/x",
            "https://management.azure.com:8443/x",
            "https://management.azure.com.evil.example/x",
        ] {
            assert_eq!(code(check(next, &[], 1, 10)), "ForeignNextLink", "{next}");
        }
        let f = check("https://evil.example/x?secret=1", &[], 1, 10).unwrap_err();
        assert!(f.message.contains("https://evil.example:443") && !f.message.contains("secret"), "{}", f.message);
    }

    #[test]
    fn a_repeated_link_and_a_list_past_max_pages_are_errors() {
        let a = "https://management.azure.com/x?api-version=1&$skiptoken=0";
        assert_eq!(code(check(a, &[a], 2, 10)), "NextLinkLoop");
        assert_eq!(code(check("https://management.azure.com/x?$skiptoken=9", &[], 3, 3)), "TooManyPages");
        assert!(check("https://management.azure.com/x?$skiptoken=9", &[], 2, 3).is_ok());
        assert_eq!(code(check("/relative", &[], 1, 3)), "InvalidNextLink");
    }
}
