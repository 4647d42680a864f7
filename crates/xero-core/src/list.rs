//! Listing an entity: the filter arguments become Xero's parameters, pages are fetched one ahead
//! on the HTTP worker (network and decoding overlap with row building), and at most two pages are
//! ever held, so memory does not grow with the result.

use std::sync::Arc;
use std::time::Duration;

use crate::dates::{format_utc_seconds, PG_EPOCH_MICROS};
use crate::decode::{decode_page, parse_uuid, Page};
use crate::entities::{ArgType, Column, Entity, Filter, FilterKind, Paging};
use crate::error::{ErrorKind, Result, XeroError};
use crate::http::{send, Http, Request};
use crate::responses::api_error;

#[derive(Debug, Clone, PartialEq)]
pub enum ArgValue {
    /// Microseconds since 2000-01-01 UTC.
    Timestamptz(i64),
    Text(String),
    TextList(Vec<Option<String>>),
    Bool(bool),
    Int(i64),
}

/// Everything needed to fetch the pages of one listing.
#[derive(Debug, Clone)]
pub struct ListPlan {
    /// The endpoint, parsed once here so that no later step can meet an unparsable URL.
    pub url: url::Url,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub max_pages: Option<u32>,
    pub page_size: Option<u32>,
}

/// Builds the request for `entity` from the non-NULL filter arguments.
pub fn plan_list(entity: &Entity, api_url: &str, args: &[(&Filter, ArgValue)]) -> Result<ListPlan> {
    let endpoint = format!("{}/{}", api_url.trim_end_matches('/'), entity.endpoint);
    let url = url::Url::parse(&endpoint).map_err(|e| XeroError::invalid_option(format!("api_url does not make a valid URL ({endpoint:?}): {e}")))?;
    let mut plan = ListPlan {
        url,
        query: Vec::new(),
        headers: vec![("accept".into(), "application/json".into())],
        max_pages: None,
        page_size: match entity.paging {
            Paging::Pages { max_page_size } => Some(max_page_size),
            Paging::Unpaged => None,
        },
    };
    for (filter, value) in args {
        let mismatch = || XeroError::internal(format!("argument {} of {} has an unexpected type", filter.arg, entity.function));
        match (filter.kind, value) {
            (FilterKind::ModifiedSince, ArgValue::Timestamptz(micros)) => {
                // PostgreSQL's ±infinity are i64::MAX/MIN; Xero wants a real date.
                let unix_seconds = micros
                    .checked_add(PG_EPOCH_MICROS)
                    .filter(|_| *micros != i64::MIN && *micros != i64::MAX)
                    .map(|m| m.div_euclid(1_000_000))
                    .ok_or_else(|| {
                        XeroError::invalid_argument(format!("{} must be a finite time", filter.arg))
                            .with_hint("Use NULL to fetch everything, or a date such as now() - interval '1 day'.")
                    })?;
                plan.headers.push(("if-modified-since".into(), format_utc_seconds(unix_seconds)));
            }
            (FilterKind::Query(name), ArgValue::Text(text)) => {
                if text.trim().is_empty() {
                    return Err(XeroError::invalid_argument(format!("{} must not be empty", filter.arg))
                        .with_hint(format!("Pass NULL (or leave {} out) to not filter.", filter.arg)));
                }
                plan.query.push((name.into(), text.clone()));
            }
            (FilterKind::List(name), ArgValue::TextList(items)) => {
                plan.query.push((name.into(), comma_list(filter, items)?));
            }
            (FilterKind::Flag(name), ArgValue::Bool(b)) => plan.query.push((name.into(), b.to_string())),
            (FilterKind::MaxPages, ArgValue::Int(n)) => {
                if *n < 1 {
                    return Err(XeroError::invalid_argument(format!("max_pages must be at least 1, not {n}"))
                        .with_hint("Pass NULL to fetch every page."));
                }
                plan.max_pages = Some(u32::try_from(*n).unwrap_or(u32::MAX));
            }
            _ => return Err(mismatch()),
        }
    }
    Ok(plan)
}

fn comma_list(filter: &Filter, items: &[Option<String>]) -> Result<String> {
    if items.is_empty() {
        return Err(XeroError::invalid_argument(format!("{} is an empty array", filter.arg))
            .with_hint(format!("Pass NULL to not filter by {}, or at least one value.", filter.arg)));
    }
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Some(item) = item else {
            return Err(XeroError::invalid_argument(format!("{} contains a NULL element", filter.arg)));
        };
        if item.contains(',') {
            return Err(XeroError::invalid_argument(format!("{} element {item:?} contains a comma", filter.arg))
                .with_detail("Xero takes these values as one comma-separated list."));
        }
        if filter.ty == ArgType::UuidArray && parse_uuid(item).is_none() {
            return Err(XeroError::internal(format!("{} element {item:?} is not a UUID", filter.arg)));
        }
        out.push(item.as_str());
    }
    Ok(out.join(","))
}

/// How a read survives Xero: minute-limit 429s waited out when Xero's Retry-After fits, and
/// transient failures (connection refused or reset, timeouts, 502/503/504) retried with
/// exponential backoff and jitter, a bounded number of times.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_rate_limit_wait: Duration,
    pub max_rate_limit_retries: u32,
    pub max_retries: u32,
    pub base_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_rate_limit_wait: Duration::from_secs(60),
            max_rate_limit_retries: 5,
            max_retries: 3,
            base_backoff: Duration::from_millis(200),
        }
    }
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

/// Runs on the calling (backend) thread around every call of a listing: the place for limits
/// shared with other sessions, which only that thread may touch.
pub trait CallHooks {
    /// Before a call; may wait for a slot or refuse. The returned permit is dropped when the
    /// call has completed.
    fn before(&self, label: &str) -> Result<Box<dyn std::any::Any>>;
    fn after(&self, report: &CallReport);
}

/// No limits beyond Xero's own answers (plain-Rust callers and tests).
pub struct NoHooks;

impl CallHooks for NoHooks {
    fn before(&self, _label: &str) -> Result<Box<dyn std::any::Any>> {
        Ok(Box::new(()))
    }
    fn after(&self, _report: &CallReport) {}
}

/// What a listing did, for tests, benchmarks and NOTICEs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListStats {
    pub calls: u32,
    pub records: u64,
    pub retries: u32,
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

pub struct PageStream {
    entity: &'static Entity,
    columns: Arc<Vec<Column>>,
    plan: Arc<ListPlan>,
    authorizer: Arc<dyn Authorizer>,
    policy: RetryPolicy,
    next_page: u32,
    pending: Option<(tokio::task::JoinHandle<(Result<Page>, CallReport)>, Box<dyn std::any::Any>)>,
    client: reqwest::Client,
    hooks: std::rc::Rc<dyn CallHooks>,
    pub stats: ListStats,
}

impl PageStream {
    /// Starts fetching the first page at once.
    pub fn start(
        http: &Http,
        client: reqwest::Client,
        entity: &'static Entity,
        columns: Arc<Vec<Column>>,
        plan: ListPlan,
        authorizer: Arc<dyn Authorizer>,
        policy: RetryPolicy,
        hooks: std::rc::Rc<dyn CallHooks>,
    ) -> Result<Self> {
        let mut s = PageStream {
            entity,
            columns,
            plan: Arc::new(plan),
            authorizer,
            policy,
            next_page: 1,
            pending: None,
            client,
            hooks,
            stats: ListStats::default(),
        };
        s.fetch_next(http)?;
        Ok(s)
    }

    fn fetch_next(&mut self, http: &Http) -> Result<()> {
        let page = self.next_page;
        let label = page_label(self.entity, self.plan.page_size.map(|_| page));
        let permit = self.hooks.before(&label)?;
        self.next_page += 1;
        self.stats.calls += 1;
        let mut request = Request::get(page_url(&self.plan, page), label.clone());
        request.headers.extend(self.plan.headers.iter().cloned());
        let (entity, columns, policy, authorizer) = (self.entity, self.columns.clone(), self.policy, self.authorizer.clone());
        let client = self.client.clone();
        let max_bytes = http.settings().max_response_bytes;
        let task = http.spawn(async move {
            let started = std::time::Instant::now();
            let mut report = CallReport { label, ..CallReport::default() };
            let result = match send_with_retries(client, request, max_bytes, policy, authorizer.as_ref()).await {
                Ok((response, retries)) => {
                    report.status = response.status;
                    report.bytes = response.body.len() as u64;
                    report.retries = retries;
                    report.quota = Quota::from_headers(&response);
                    decode_page(entity, &columns, &response.body).map(|mut page| {
                        page.retries = retries;
                        page
                    })
                }
                Err(e) => {
                    report.status = e.status.unwrap_or(0);
                    Err(e)
                }
            };
            report.duration = started.elapsed();
            (result, report)
        });
        self.pending = Some((task, permit));
        Ok(())
    }

    /// The next page, or None when the listing is complete.
    pub fn next_page(&mut self, http: &Http, interrupted: &dyn Fn() -> bool) -> Result<Option<Page>> {
        let Some((handle, _)) = self.pending.as_mut() else { return Ok(None) };
        let joined = http.wait(handle, interrupted)?;
        self.pending = None; // releases the permit
        let (result, report) = joined.map_err(|e| XeroError::internal("the HTTP task failed").with_detail(e.to_string()))?;
        self.hooks.after(&report);
        let page = result?;
        self.stats.records += page.records as u64;
        self.stats.retries += page.retries;
        let fetched = self.next_page - 1;
        let more = match (self.plan.page_size, page.pagination) {
            (None, _) => false,
            // Xero's pageCount saves the empty call a short-page rule would make after a full last page.
            (Some(_), Some(p)) if p.page_count > 0 || p.item_count == 0 => fetched < p.page_count,
            (Some(size), _) => page.records >= size as usize,
        };
        if more && self.plan.max_pages.is_none_or(|m| fetched < m) {
            self.fetch_next(http)?;
        }
        Ok(Some(page))
    }
}

impl Drop for PageStream {
    fn drop(&mut self) {
        if let Some((h, _permit)) = self.pending.take() {
            h.abort();
        }
    }
}

fn page_url(plan: &ListPlan, page: u32) -> String {
    let mut url = plan.url.clone();
    {
        let mut q = url.query_pairs_mut();
        for (k, v) in &plan.query {
            q.append_pair(k, v);
        }
        if let Some(size) = plan.page_size {
            q.append_pair("page", &page.to_string());
            q.append_pair("pageSize", &size.to_string());
        }
    }
    if url.query() == Some("") {
        url.set_query(None);
    }
    url.into()
}

fn page_label(entity: &Entity, page: Option<u32>) -> String {
    match page {
        Some(p) => format!("GET {} page {p}", entity.endpoint),
        None => format!("GET {}", entity.endpoint),
    }
}

fn transient(kind: ErrorKind) -> bool {
    matches!(kind, ErrorKind::ConnectFailed | ErrorKind::ConnectionLost)
}

/// Sends a read under `policy`; returns the response and how many retries it took.
pub async fn send_with_retries(
    client: reqwest::Client,
    request: Request,
    max_bytes: usize,
    policy: RetryPolicy,
    authorizer: &dyn Authorizer,
) -> Result<(crate::http::Response, u32)> {
    let (mut waits, mut retries) = (0, 0);
    loop {
        // Authorized per attempt: a retried OAuth 1.0a request needs a fresh nonce.
        let mut attempt = request.clone();
        attempt.headers.extend(authorizer.headers(attempt.method.as_str(), &attempt.url)?);
        let response = match send(client.clone(), attempt, max_bytes).await {
            Ok(r) => r,
            Err(e) if transient(e.kind) && retries < policy.max_retries => {
                retries += 1;
                tokio::time::sleep(policy.backoff(retries)).await;
                continue;
            }
            Err(e) => return Err(with_retries(e, retries)),
        };
        if (200..300).contains(&response.status) {
            return Ok((response, retries));
        }
        if matches!(response.status, 502..=504) && retries < policy.max_retries {
            retries += 1;
            tokio::time::sleep(policy.backoff(retries)).await;
            continue;
        }
        if response.status == 429 && waits < policy.max_rate_limit_retries {
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
        let mut err = api_error(&request.label, &response);
        if err.kind == ErrorKind::RateLimited && waits > 0 {
            let detail = format!("{} (after {waits} waits)", err.detail.clone().unwrap_or_default());
            err = err.with_detail(detail);
        }
        return Err(with_retries(err, retries));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::entity_by_function;

    fn arg(e: &'static Entity, name: &str, v: ArgValue) -> (&'static Filter, ArgValue) {
        (e.filter(name).unwrap(), v)
    }

    #[test]
    fn filters_become_xero_parameters() {
        let e = entity_by_function("xero_invoices").unwrap();
        let args = vec![
            arg(e, "modified_since", ArgValue::Timestamptz(1_711_880_430_000_000 - PG_EPOCH_MICROS + 999_999)),
            arg(e, "where_clause", ArgValue::Text("Status==\"AUTHORISED\" AND Total>10".into())),
            arg(e, "order_by", ArgValue::Text("Date DESC".into())),
            arg(e, "statuses", ArgValue::TextList(vec![Some("AUTHORISED".into()), Some("PAID".into())])),
            arg(e, "contact_ids", ArgValue::TextList(vec![Some("11111111-2222-3333-4444-555555555555".into())])),
            arg(e, "include_archived", ArgValue::Bool(true)),
            arg(e, "max_pages", ArgValue::Int(2)),
        ];
        let plan = plan_list(e, "https://api.xero.com/api.xro/2.0/", &args).unwrap();
        assert_eq!(plan.url.as_str(), "https://api.xero.com/api.xro/2.0/Invoices");
        assert!(plan.headers.contains(&("if-modified-since".into(), "2024-03-31T10:20:30".into())));
        assert_eq!(plan.max_pages, Some(2));
        let url = page_url(&plan, 3);
        assert_eq!(
            url,
            "https://api.xero.com/api.xro/2.0/Invoices?where=Status%3D%3D%22AUTHORISED%22+AND+Total%3E10&order=Date+DESC\
             &Statuses=AUTHORISED%2CPAID&ContactIDs=11111111-2222-3333-4444-555555555555&includeArchived=true&page=3&pageSize=1000"
        );
        let accounts = entity_by_function("xero_accounts").unwrap();
        let plan = plan_list(accounts, "http://127.0.0.1:1/api.xro/2.0", &[]).unwrap();
        assert_eq!(page_url(&plan, 1), "http://127.0.0.1:1/api.xro/2.0/Accounts");
    }

    #[test]
    fn bad_filter_arguments_are_refused() {
        let e = entity_by_function("xero_invoices").unwrap();
        let cases = vec![
            (arg(e, "max_pages", ArgValue::Int(0)), "max_pages must be at least 1"),
            (arg(e, "statuses", ArgValue::TextList(vec![])), "statuses is an empty array"),
            (arg(e, "statuses", ArgValue::TextList(vec![None])), "NULL element"),
            (arg(e, "invoice_numbers", ArgValue::TextList(vec![Some("A,B".into())])), "contains a comma"),
            (arg(e, "where_clause", ArgValue::Text("  ".into())), "must not be empty"),
        ];
        for (a, text) in cases {
            let err = plan_list(e, "https://api.xero.com/api.xro/2.0", &[a]).unwrap_err();
            assert_eq!(err.kind, ErrorKind::InvalidArgument);
            assert!(err.message.contains(text), "{err}");
        }
    }
}
