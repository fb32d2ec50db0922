//! The HTTP client under every pipeline (ours and the SDK clients'): it counts ARM requests, logs them with
//! `-v` (method, path, status, `x-ms-request-id`, duration; never headers, so never a token), and slows down
//! when ARM says the subscription's read budget (`x-ms-ratelimit-remaining-subscription-reads`) is nearly spent.

use async_trait::async_trait;
use azure_core::headers::HeaderName;
use azure_core::{HttpClient, Request, Response};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Below this many remaining reads, each request waits a little so ARM's token bucket can refill.
const LOW_READ_BUDGET: i64 = 25;

#[derive(Debug)]
pub(crate) struct Transport {
    inner: Arc<dyn HttpClient>,
    verbose: bool,
    arm_host: String,
    pub(crate) arm_requests: AtomicU64,
    remaining_reads: std::sync::atomic::AtomicI64,
}

impl Transport {
    pub(crate) fn new(verbose: bool, arm_host: String) -> Arc<Transport> {
        Arc::new(Transport {
            inner: azure_core::new_http_client(),
            verbose,
            arm_host,
            arm_requests: AtomicU64::new(0),
            remaining_reads: std::sync::atomic::AtomicI64::new(i64::MAX),
        })
    }
}

#[async_trait]
impl HttpClient for Transport {
    async fn execute_request(&self, request: &Request) -> azure_core::Result<Response> {
        let url = request.url();
        let is_arm = url.host_str().map(|h| format!("{h}:{}", url.port_or_known_default().unwrap_or(0)))
            == Some(self.arm_host.clone());
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
        if let Ok(response) = &result {
            let reads = HeaderName::from_static("x-ms-ratelimit-remaining-subscription-reads");
            if let Some(n) = response.headers().get_optional_str(&reads).and_then(|v| v.parse::<i64>().ok()) {
                self.remaining_reads.store(n, Ordering::Relaxed);
            }
        }
        if self.verbose {
            let path = url.path();
            let ms = start.elapsed().as_millis();
            match &result {
                Ok(r) => {
                    let id = r.headers().get_optional_str(&HeaderName::from_static("x-ms-request-id")).unwrap_or("-");
                    eprintln!(
                        "{} {} -> {} ({} ms, x-ms-request-id {})",
                        request.method(),
                        path,
                        r.status() as u16,
                        ms,
                        id
                    );
                }
                Err(e) => eprintln!("{} {} -> error {:?} ({} ms)", request.method(), path, e.kind(), ms),
            }
        }
        result
    }
}
