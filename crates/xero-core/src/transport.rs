//! One call to Xero and how it survives: authorized anew on every attempt (OAuth 1.0a needs a
//! fresh nonce), transient failures retried with backoff when the request may be sent again,
//! minute-limit 429s waited out, and Xero's remaining quotas read from the answer.

use std::time::Duration;

use crate::error::{ErrorKind, Result, XeroError};
use crate::http::{send_probing, Request};
use crate::responses::api_error;

/// How a call survives Xero: minute-limit 429s waited out when Xero's Retry-After fits, and
/// transient failures (connection refused or reset, timeouts, 502/503/504) retried with
/// exponential backoff and jitter, a bounded number of times.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_rate_limit_wait: Duration,
    pub max_rate_limit_retries: u32,
    pub max_retries: u32,
    pub base_backoff: Duration,
    /// Whether an HTTPS connection that closed without an answer may be asked why by a bare TLS
    /// handshake to the same host (`tls_probe`), and what the real connection presented.
    pub probe_tls: TlsProbe,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_rate_limit_wait: Duration::from_secs(60),
            max_rate_limit_retries: 5,
            max_retries: 3,
            base_backoff: Duration::from_millis(200),
            probe_tls: TlsProbe::NoClientCertificate,
        }
    }
}

/// How to learn why an HTTPS connection closed without an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsProbe {
    /// Not at all (behind a proxy, which a direct handshake would bypass).
    Off,
    /// By a bare handshake; the real connection presented no client certificate either.
    NoClientCertificate,
    /// By a bare handshake; the real connection presented one, so a server that demands one
    /// refused it.
    ClientCertificate,
}

impl RetryPolicy {
    /// The wait before retry `n` (from 1): base × 2^(n-1), plus up to as much again at random so
    /// sessions that failed together do not retry together; at most 10 s.
    pub fn backoff(&self, n: u32) -> Duration {
        let exp = self.base_backoff.saturating_mul(1u32 << (n.saturating_sub(1)).min(16));
        let mut r = [0u8; 4];
        let jitter = if getrandom::getrandom(&mut r).is_ok() { u32::from_le_bytes(r) as f64 / u32::MAX as f64 } else { 0.5 };
        exp.mul_f64(1.0 + jitter).min(Duration::from_secs(10))
    }
}

/// Xero's remaining quotas as its last answer stated them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Quota {
    pub min_remaining: Option<i64>,
    pub day_remaining: Option<i64>,
    pub app_min_remaining: Option<i64>,
}

impl Quota {
    pub fn from_headers(response: &crate::http::Response) -> Quota {
        let n = |h: &str| response.header(h).and_then(|v| v.trim().parse().ok());
        Quota { min_remaining: n("x-minlimit-remaining"), day_remaining: n("x-daylimit-remaining"), app_min_remaining: n("x-appminlimit-remaining") }
    }
}

/// What one call to Xero did: for the call log, the quota record and progress notices.
#[derive(Debug, Clone, Default)]
pub struct CallReport {
    pub label: String,
    /// 0 when no answer came (connection failure, timeout).
    pub status: u16,
    pub duration: Duration,
    pub bytes: u64,
    pub retries: u32,
    pub quota: Quota,
}

impl CallReport {
    /// What a finished call did: Xero's answer (after `retries` retries) or the error it ended in.
    pub fn of(label: String, started: std::time::Instant, outcome: std::result::Result<(&crate::http::Response, u32), &XeroError>) -> CallReport {
        let mut report = CallReport { label, duration: started.elapsed(), ..CallReport::default() };
        match outcome {
            Ok((response, retries)) => {
                report.status = response.status;
                report.bytes = response.body.len() as u64;
                report.retries = retries;
                report.quota = Quota::from_headers(response);
            }
            Err(e) => report.status = e.status.unwrap_or(0),
        }
        report
    }
}

/// Authenticates each request. OAuth 2.0 sends the same bearer header every time; OAuth 1.0a
/// signs every request anew (its own nonce, timestamp and URL), so this is asked per call.
pub trait Authorizer: Send + Sync {
    fn headers(&self, method: &str, url: &str) -> Result<Vec<(String, String)>>;
}

/// The same headers on every request (OAuth 2.0 bearer token and tenant).
pub struct StaticHeaders(pub Vec<(String, String)>);

impl Authorizer for StaticHeaders {
    fn headers(&self, _method: &str, _url: &str) -> Result<Vec<(String, String)>> {
        Ok(self.0.clone())
    }
}

fn transient(kind: ErrorKind) -> bool {
    matches!(kind, ErrorKind::ConnectFailed | ErrorKind::ConnectionLost)
}

/// Sends a call under `policy`; returns the response and how many retries it took. Only a
/// request that may be sent again (`Request::may_retry`: a read, or a write with an
/// `Idempotency-Key`) is ever retried or re-sent after a 429; any other write is sent once, and
/// its failure is reported as it came.
pub async fn send_with_retries(
    client: reqwest::Client,
    request: Request,
    max_bytes: usize,
    policy: RetryPolicy,
    authorizer: &dyn Authorizer,
) -> Result<(crate::http::Response, u32)> {
    let (response, retries, waits) = send_until_final(client, &request, max_bytes, policy, authorizer).await?;
    if (200..300).contains(&response.status) {
        return Ok((response, retries));
    }
    let mut err = api_error(&request.label, &response);
    if err.kind == ErrorKind::RateLimited && waits > 0 {
        let detail = format!("{} (after {waits} waits)", err.detail.clone().unwrap_or_default());
        err = err.with_detail(detail);
    }
    Err(with_retries(err, retries))
}

/// Like `send_with_retries`, but Xero's final answer comes back whatever its status (a raw
/// call shows the caller Xero's 4xx as it is); transport failures are still errors. Returns the
/// response, the retries and the 429 waits it took.
pub async fn send_until_final(
    client: reqwest::Client,
    request: &Request,
    max_bytes: usize,
    policy: RetryPolicy,
    authorizer: &dyn Authorizer,
) -> Result<(crate::http::Response, u32, u32)> {
    let (mut waits, mut retries) = (0, 0);
    let again = request.may_retry();
    loop {
        // Authorized per attempt: a retried OAuth 1.0a request needs a fresh nonce.
        let mut attempt = request.clone();
        attempt.headers.extend(authorizer.headers(attempt.method.as_str(), &attempt.url)?);
        let response = match send_probing(client.clone(), attempt, max_bytes, policy.probe_tls).await {
            Ok(r) => r,
            Err(e) if again && transient(e.kind) && retries < policy.max_retries => {
                retries += 1;
                tokio::time::sleep(policy.backoff(retries)).await;
                continue;
            }
            Err(e) => return Err(with_retries(e, retries)),
        };
        if (200..300).contains(&response.status) {
            return Ok((response, retries, waits));
        }
        if again && matches!(response.status, 502..=504) && retries < policy.max_retries {
            retries += 1;
            tokio::time::sleep(policy.backoff(retries)).await;
            continue;
        }
        if again && response.status == 429 && waits < policy.max_rate_limit_retries {
            let problem = response.header("x-rate-limit-problem").unwrap_or("");
            let wait = response.header("retry-after").and_then(|s| s.trim().parse::<u64>().ok()).map(Duration::from_secs);
            if let (true, Some(wait)) = (problem != "day", wait) {
                if wait <= policy.max_rate_limit_wait {
                    waits += 1;
                    tokio::time::sleep(wait.max(Duration::from_millis(100))).await;
                    continue;
                }
            }
        }
        return Ok((response, retries, waits));
    }
}

fn with_retries(e: XeroError, retries: u32) -> XeroError {
    if retries == 0 {
        return e;
    }
    let detail = match &e.detail {
        Some(d) => format!("{d} (after {retries} retries)"),
        None => format!("after {retries} retries"),
    };
    e.with_detail(detail)
}
