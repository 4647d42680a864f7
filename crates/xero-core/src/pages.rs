//! Fetching a listing's pages: one call ahead on the HTTP worker (network and decoding overlap
//! with row building), at most two pages ever held, so memory does not grow with the result.

use std::sync::Arc;

use crate::decode::{decode_page, Page};
use crate::entities::{Column, Entity};
use crate::error::{Result, XeroError};
use crate::http::{Http, Request};
use crate::list::{page_url, Cursor, ListPlan};
use crate::transport::{send_with_retries, Authorizer, CallReport, Quota, RetryPolicy};

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

pub struct PageStream {
    entity: &'static Entity,
    columns: Arc<Vec<Column>>,
    plan: Arc<ListPlan>,
    authorizer: Arc<dyn Authorizer>,
    policy: RetryPolicy,
    /// Where the next call starts; None once the listing is complete.
    next: Option<Cursor>,
    /// Where the call in flight started.
    current: Cursor,
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
        let first = plan.first_cursor();
        let mut s = PageStream {
            entity,
            columns,
            plan: Arc::new(plan),
            authorizer,
            policy,
            next: Some(first),
            current: first,
            pending: None,
            client,
            hooks,
            stats: ListStats::default(),
        };
        s.fetch_next(http)?;
        Ok(s)
    }

    fn fetch_next(&mut self, http: &Http) -> Result<()> {
        let Some(cursor) = self.next.take() else { return Ok(()) };
        let label = page_label(self.entity, cursor);
        let permit = self.hooks.before(&label)?;
        self.current = cursor;
        self.stats.calls += 1;
        let mut request = Request::get(page_url(&self.plan, cursor), label.clone());
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
        let fetched = self.stats.calls;
        self.next = self.plan.next_cursor(self.current, &page, &self.columns)?;
        if self.next.is_some() && self.plan.max_pages.is_none_or(|m| fetched < m) {
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

fn page_label(entity: &Entity, cursor: Cursor) -> String {
    match cursor {
        Cursor::Page(p) => format!("GET {} page {p}", entity.endpoint),
        Cursor::Offset(o) => format!("GET {} offset {o}", entity.endpoint),
        Cursor::Once => format!("GET {}", entity.endpoint),
    }
}
