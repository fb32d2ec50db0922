//! The HTTP clients under every pipeline (ours, the SDK clients' and the credential's): they count ARM
//! requests, log them with `-v` (method, path, status, `x-ms-request-id`, duration; never headers, so never a
//! token; the line goes through `redact` all the same), slow down when ARM says the subscription's read budget
//! (`x-ms-ratelimit-remaining-subscription-reads`) is nearly spent, and bound every response body.
//!
//! Bodies are bounded while they are read, not after: a response announcing a `Content-Length` above the bound
//! fails before its body is read, and every body stream fails as soon as the bytes received pass the bound, so
//! whoever collects it (`azure_core`'s `ResponseBody::collect`, `azure_identity`'s token exchange, the SDK
//! clients' `HttpError`) never holds more than the bound. Without it a hostile or broken endpoint could send a
//! 200 MB "access token", which `azure_identity` would keep and copy into every request header.

use super::redact::redact;
use async_trait::async_trait;
use azure_core::error::ErrorKind;
use azure_core::headers::HeaderName;
use azure_core::{HttpClient, Request, Response};
use bytes::Bytes;
use futures::{Stream, StreamExt};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};
use std::time::{Duration, Instant};

/// Below this many remaining reads, each request waits a little so ARM's token bucket can refill.
const LOW_READ_BUDGET: i64 = 25;
/// The longest Resource Graph quota wait honoured from one `x-ms-user-quota-resets-after`: ARG's windows are
/// seconds long ("15 queries within every 5-second window", guidance-for-throttled-requests), so a larger value
/// is a broken or hostile server and is capped rather than obeyed for hours.
const MAX_QUOTA_WAIT: Duration = Duration::from_secs(60);

/// Azure Resource Graph's per-user quota headers
/// (<https://learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests>):
/// `x-ms-user-quota-remaining` (queries left in the window) and `x-ms-user-quota-resets-after` (`hh:mm:ss`).
const QUOTA_REMAINING: &str = "x-ms-user-quota-remaining";
const QUOTA_RESETS_AFTER: &str = "x-ms-user-quota-resets-after";

/// A Resource Graph query request (`POST /providers/Microsoft.ResourceGraph/resources`).
fn is_graph_query(url: &azure_core::Url) -> bool {
    url.path().to_ascii_lowercase().trim_end_matches('/').ends_with("/providers/microsoft.resourcegraph/resources")
}

/// `hh:mm:ss` (seconds may carry a fraction) as a duration, capped at [`MAX_QUOTA_WAIT`]; `None` when it is
/// not that shape.
pub(crate) fn parse_resets_after(text: &str) -> Option<Duration> {
    let mut parts = text.trim().split(':');
    let (h, m, s) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let h: u64 = h.parse().ok()?;
    let m: u64 = m.parse().ok()?;
    let s: f64 = s.parse().ok().filter(|s: &f64| s.is_finite() && *s >= 0.0)?;
    let total = Duration::from_secs(h.saturating_mul(3600).saturating_add(m.saturating_mul(60)))
        .checked_add(Duration::from_secs_f64(s.min(MAX_QUOTA_WAIT.as_secs_f64())))?;
    Some(total.min(MAX_QUOTA_WAIT))
}

/// A response body larger than the transport's bound. Found again in an error's `source()` chain (the SDKs wrap
/// it in their own context), so sign-in and ARM failures can say what happened instead of "request failed".
#[derive(Debug, Clone, thiserror::Error)]
#[error("the {what} response is larger than {limit} bytes, far above any real one; refused")]
pub(crate) struct TooLarge {
    /// "token" or "ARM".
    pub what: &'static str,
    /// The bound, in bytes.
    pub limit: u64,
}

impl TooLarge {
    /// The [`TooLarge`] somewhere in an error's `source()` chain, if any.
    pub(crate) fn in_chain<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a TooLarge> {
        let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
        while let Some(err) = cur {
            if let Some(t) = err.downcast_ref::<TooLarge>() {
                return Some(t);
            }
            cur = err.source();
        }
        None
    }

    fn error(&self) -> azure_core::Error {
        // `Other`, not `Io`: the retry policy retries `Io` errors, and a response that is too large will be too
        // large again.
        azure_core::Error::full(ErrorKind::Other, self.clone(), self.to_string())
    }
}

/// The HTTP client under every request: reqwest as azure_core builds it (no idle pool, see azure_core's
/// `new_reqwest_client`), except that it never follows a redirect. reqwest drops `Authorization` on a redirect
/// to another host or port but keeps it when only the scheme changes, so an `https` endpoint redirecting to
/// `http` on the same host would receive the bearer token in cleartext. ARM answers the calls acr-audit makes
/// without redirects, so a 3xx is reported as the error it is, for the list that got it.
fn http_client() -> Arc<dyn HttpClient> {
    let builder = reqwest::Client::builder().pool_max_idle_per_host(0).redirect(reqwest::redirect::Policy::none());
    match builder.build() {
        Ok(client) => Arc::new(client),
        // Only a TLS backend that cannot start fails here; azure_core's own client would fail the same way.
        Err(_) => azure_core::new_http_client(),
    }
}

/// One HTTP client of the collection: the ARM one (counted, throttle-aware) or the sign-in one.
#[derive(Debug)]
pub(crate) struct Transport {
    inner: Arc<dyn HttpClient>,
    verbose: bool,
    /// `host:port` of ARM; `None` for the sign-in transport (nothing is counted).
    arm_host: Option<String>,
    /// The largest response body accepted, in bytes.
    max_body: u64,
    /// "token" or "ARM", for [`TooLarge`].
    what: &'static str,
    pub(crate) arm_requests: AtomicU64,
    remaining_reads: std::sync::atomic::AtomicI64,
    /// When Resource Graph said its quota is spent: no query goes out before this instant.
    graph_resume: std::sync::Mutex<Option<Instant>>,
}

impl Transport {
    /// The transport of ARM requests to `arm_host` (`host:port`), bodies up to `max_body` bytes.
    pub(crate) fn arm(verbose: bool, arm_host: String, max_body: u64) -> Arc<Transport> {
        Transport::new(verbose, Some(arm_host), max_body, "ARM")
    }

    /// The transport of token requests, bodies up to `max_body` bytes.
    pub(crate) fn token(verbose: bool, max_body: u64) -> Arc<Transport> {
        Transport::new(verbose, None, max_body, "token")
    }

    fn new(verbose: bool, arm_host: Option<String>, max_body: u64, what: &'static str) -> Arc<Transport> {
        Arc::new(Transport {
            inner: http_client(),
            verbose,
            arm_host,
            max_body,
            what,
            arm_requests: AtomicU64::new(0),
            remaining_reads: std::sync::atomic::AtomicI64::new(i64::MAX),
            graph_resume: std::sync::Mutex::new(None),
        })
    }

    /// `response` with its body bounded: refused at once when `Content-Length` says it is too large, else cut
    /// off with an error as soon as more than the bound has arrived.
    fn bounded(&self, response: Response) -> azure_core::Result<Response> {
        let too_large = TooLarge { what: self.what, limit: self.max_body };
        let announced = response.headers().get_optional_str(&azure_core::headers::CONTENT_LENGTH);
        if announced.and_then(|n| n.trim().parse::<u64>().ok()).is_some_and(|n| n > self.max_body) {
            return Err(too_large.error());
        }
        let (status, headers, body) = response.deconstruct();
        Ok(Response::new(status, headers, Box::pin(limit(body, too_large))))
    }

    /// Wait until Resource Graph's quota window has reset, when a response said it is spent.
    async fn wait_for_graph_quota(&self) {
        let resume = *self.graph_resume.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(at) = resume {
            let now = Instant::now();
            if at > now {
                tokio::time::sleep(at - now).await;
            }
        }
    }

    /// Read Resource Graph's quota headers: a spent quota (`remaining` 0, or a 429) holds every further query
    /// until `resets-after` has passed; a 429 without `Retry-After` gets one from `resets-after`, so the
    /// pipeline's retry policy (bounded retries) waits the window out instead of its short backoff.
    fn graph_quota(&self, response: Response) -> Response {
        let (status, mut headers, body) = response.deconstruct();
        let remaining = headers.get_optional_str(&HeaderName::from_static(QUOTA_REMAINING)).map(str::trim);
        let resets =
            headers.get_optional_str(&HeaderName::from_static(QUOTA_RESETS_AFTER)).and_then(parse_resets_after);
        let throttled = status == azure_core::StatusCode::TooManyRequests;
        let spent = throttled || remaining.and_then(|r| r.parse::<i64>().ok()).is_some_and(|r| r <= 0);
        if let (true, Some(wait)) = (spent, resets) {
            let at = Instant::now() + wait;
            let mut resume = self.graph_resume.lock().unwrap_or_else(|e| e.into_inner());
            if !matches!(*resume, Some(r) if r >= at) {
                *resume = Some(at);
            }
        }
        let has_retry_after = [
            azure_core::headers::RETRY_AFTER,
            azure_core::headers::RETRY_AFTER_MS,
            azure_core::headers::X_MS_RETRY_AFTER_MS,
        ]
        .iter()
        .any(|h| headers.get_optional_str(h).is_some());
        if let (true, false, Some(wait)) = (throttled, has_retry_after, resets) {
            headers.insert(azure_core::headers::RETRY_AFTER_MS, wait.as_millis().to_string());
        }
        Response::new(status, headers, Box::pin(body))
    }
}

/// A body stream failing with `too_large` once more than `too_large.limit` bytes have passed; it ends there
/// (the rest is never read and the connection is dropped).
struct Limited<S> {
    body: S,
    seen: u64,
    done: bool,
    too_large: TooLarge,
}

fn limit<S>(body: S, too_large: TooLarge) -> Limited<S> {
    Limited { body, seen: 0, done: false, too_large }
}

impl<S> Stream for Limited<S>
where
    S: Stream<Item = azure_core::Result<Bytes>> + Unpin,
{
    type Item = azure_core::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        match self.body.poll_next_unpin(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                self.seen = self.seen.saturating_add(chunk.len() as u64);
                if self.seen > self.too_large.limit {
                    self.done = true;
                    Poll::Ready(Some(Err(self.too_large.error())))
                } else {
                    Poll::Ready(Some(Ok(chunk)))
                }
            }
            Poll::Ready(Some(Err(e))) => {
                self.done = true;
                Poll::Ready(Some(Err(e)))
            }
            other => other,
        }
    }
}

#[async_trait]
impl HttpClient for Transport {
    async fn execute_request(&self, request: &Request) -> azure_core::Result<Response> {
        let url = request.url();
        let is_arm = self.arm_host.is_some()
            && url.host_str().map(|h| format!("{h}:{}", url.port_or_known_default().unwrap_or(0))) == self.arm_host;
        let graph = is_arm && is_graph_query(url);
        if graph {
            self.wait_for_graph_quota().await;
        }
        if is_arm {
            self.arm_requests.fetch_add(1, Ordering::Relaxed);
            let remaining = self.remaining_reads.load(Ordering::Relaxed);
            if remaining < LOW_READ_BUDGET {
                // ARM refills the bucket steadily; spread the remaining reads instead of hitting 429.
                tokio::time::sleep(Duration::from_millis(((LOW_READ_BUDGET - remaining.max(0)) * 40) as u64)).await;
            }
        }
        let start = Instant::now();
        let result = self.inner.execute_request(request).await;
        if let (true, Ok(response)) = (is_arm, &result) {
            let reads = HeaderName::from_static("x-ms-ratelimit-remaining-subscription-reads");
            if let Some(n) = response.headers().get_optional_str(&reads).and_then(|v| v.parse::<i64>().ok()) {
                self.remaining_reads.store(n, Ordering::Relaxed);
            }
        }
        if self.verbose {
            let path = url.path();
            let ms = start.elapsed().as_millis();
            let line = match &result {
                Ok(r) => {
                    let id = r.headers().get_optional_str(&HeaderName::from_static("x-ms-request-id")).unwrap_or("-");
                    format!(
                        "{} {} -> {} ({} ms, x-ms-request-id {})",
                        request.method(),
                        path,
                        r.status() as u16,
                        ms,
                        id
                    )
                }
                Err(e) => format!("{} {} -> error {:?} ({} ms)", request.method(), path, e.kind(), ms),
            };
            eprintln!("{}", redact(&line));
        }
        let response = result?;
        let response = if graph { self.graph_quota(response) } else { response };
        self.bounded(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use azure_core::headers::Headers;
    use azure_core::StatusCode;

    fn response(chunks: Vec<&'static [u8]>, content_length: Option<&str>) -> Response {
        let mut headers = Headers::new();
        if let Some(n) = content_length {
            headers.insert(azure_core::headers::CONTENT_LENGTH, n.to_string());
        }
        let stream = futures::stream::iter(chunks.into_iter().map(|c| Ok(Bytes::from_static(c))));
        Response::new(StatusCode::Ok, headers, Box::pin(stream))
    }

    fn transport(limit: u64) -> Arc<Transport> {
        Transport::token(false, limit)
    }

    #[tokio::test]
    async fn a_body_within_the_bound_is_untouched() {
        let t = transport(8);
        let body = t.bounded(response(vec![b"abcd", b"efgh"], None)).unwrap().into_body().collect().await.unwrap();
        assert_eq!(&body[..], b"abcdefgh");
    }

    #[tokio::test]
    async fn a_streamed_body_is_cut_off_while_reading() {
        let t = transport(8);
        let e = t.bounded(response(vec![b"abcd", b"efgh", b"i"], None)).unwrap().into_body().collect().await;
        let e = e.expect_err("over the bound");
        let found = TooLarge::in_chain(&e).expect("TooLarge in the chain");
        assert_eq!((found.what, found.limit), ("token", 8));
        assert_eq!(e.kind(), &ErrorKind::Other, "not retried as an I/O error");
    }

    #[tokio::test]
    async fn the_stream_stops_at_the_first_chunk_past_the_bound() {
        let t = transport(3);
        let mut body = t.bounded(response(vec![b"ab", b"cd", b"never read"], None)).unwrap().into_body();
        assert!(body.next().await.is_some_and(|c| c.is_ok()));
        assert!(body.next().await.is_some_and(|c| c.is_err()));
        assert!(body.next().await.is_none(), "nothing is read after the error");
    }

    #[test]
    fn quota_resets_after_is_hh_mm_ss_and_capped() {
        assert_eq!(parse_resets_after("00:00:03"), Some(Duration::from_secs(3)));
        assert_eq!(parse_resets_after("00:00:02.5"), Some(Duration::from_millis(2_500)));
        assert_eq!(parse_resets_after("00:00:59"), Some(Duration::from_secs(59)));
        assert_eq!(parse_resets_after("99:00:00"), Some(MAX_QUOTA_WAIT));
        for bad in ["3", "00:03", "a:b:c", "00:00:-1", "00:00:01:00", ""] {
            assert_eq!(parse_resets_after(bad), None, "{bad}");
        }
    }

    fn graph_response(status: StatusCode, headers: &[(&'static str, &str)]) -> Response {
        let mut h = Headers::new();
        for (k, v) in headers {
            h.insert(HeaderName::from_static(k), v.to_string());
        }
        Response::new(status, h, Box::pin(futures::stream::empty()))
    }

    #[tokio::test]
    async fn a_spent_quota_holds_the_next_query_and_a_429_gets_its_retry_after() {
        let t = Transport::arm(false, "h:443".into(), 1024);
        let r =
            t.graph_quota(graph_response(StatusCode::Ok, &[(QUOTA_REMAINING, "5"), (QUOTA_RESETS_AFTER, "00:00:02")]));
        assert!(r.headers().get_optional_str(&azure_core::headers::RETRY_AFTER_MS).is_none());
        assert!(t.graph_resume.lock().unwrap().is_none(), "quota left: nothing held");
        t.graph_quota(graph_response(StatusCode::Ok, &[(QUOTA_REMAINING, "0"), (QUOTA_RESETS_AFTER, "00:00:02")]));
        let held = t.graph_resume.lock().unwrap().expect("held") - Instant::now();
        assert!(held > Duration::from_millis(1500) && held <= Duration::from_secs(2), "{held:?}");
        let r = t.graph_quota(graph_response(StatusCode::TooManyRequests, &[(QUOTA_RESETS_AFTER, "00:00:01")]));
        assert_eq!(r.headers().get_optional_str(&azure_core::headers::RETRY_AFTER_MS), Some("1000"));
        let r = t.graph_quota(graph_response(
            StatusCode::TooManyRequests,
            &[(QUOTA_RESETS_AFTER, "00:00:01"), ("retry-after", "7")],
        ));
        assert!(r.headers().get_optional_str(&azure_core::headers::RETRY_AFTER_MS).is_none(), "the server's wins");
    }

    #[test]
    fn an_announced_content_length_above_the_bound_fails_before_reading() {
        let t = transport(8);
        let e = t.bounded(response(vec![b"x"], Some("9"))).map(|_| ()).expect_err("refused");
        assert!(TooLarge::in_chain(&e).is_some());
        assert!(t.bounded(response(vec![b"x"], Some("8"))).is_ok());
    }
}
