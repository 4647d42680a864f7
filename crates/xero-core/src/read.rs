//! The one read path: a planned listing becomes rows, pulled one at a time by whoever consumes
//! them — the set-returning functions today, a foreign-table scan or a sync tomorrow. Pages come
//! from `pages::PageStream` (several in flight once the page count is known, a bounded window of
//! them held; dropping the reader aborts them); credentials come from the
//! caller through [`Credentials`], so this module knows nothing of where tokens are kept.
//!
//! When Xero refuses the token a read started with (revoked, or the clocks disagree) before any
//! page has arrived, the credentials are asked once for a fresh one and the listing starts again.
//! A refusal after rows were produced is an error: starting again would produce them twice.

use std::rc::Rc;
use std::sync::Arc;

use crate::decode::Cell;
use crate::entities::{Column, Entity};
use crate::error::{ErrorKind, Result, XeroError};
use crate::http::{Http, HttpClient, Request, Response};
use crate::list::ListPlan;
use crate::pages::{CallHooks, ListStats, PageStream};
use crate::transport::{send_until_final, Authorizer, CallReport, RetryPolicy};

/// Everything a call to Xero needs from an organisation's credentials.
pub struct Access {
    /// The HTTP client, with the organisation's TLS material (client certificate, roots, proxy).
    pub client: HttpClient,
    /// What authenticates (OAuth 2.0) or signs (OAuth 1.0a) each request.
    pub authorizer: Arc<dyn Authorizer>,
    /// The token in use, so that it can be named stale if Xero refuses it.
    pub token: String,
}

/// Where a read gets its access, and fresh access when Xero refuses a token. The PostgreSQL layer
/// implements it over its token tables and token worker; tests implement it in a few lines.
pub trait Credentials {
    /// `stale` is a token Xero has just refused: the answer must not be that token again (refresh,
    /// renew, or fail saying what to do).
    fn access(&self, stale: Option<&str>) -> Result<Access>;
}

/// What the calling backend provides to every read: its HTTP runtime, its retry policy, the
/// limits shared with other sessions, and its interrupt check (polled while waiting on Xero).
#[derive(Clone)]
pub struct ReadContext {
    pub http: Rc<Http>,
    pub policy: RetryPolicy,
    pub hooks: Rc<dyn CallHooks>,
    pub interrupted: fn() -> bool,
}

/// A listing being read: an iterator of rows (each a `Vec<Cell>` in `columns()` order).
pub struct Reader {
    cx: ReadContext,
    entity: &'static Entity,
    columns: Arc<Vec<Column>>,
    plan: ListPlan,
    credentials: Box<dyn Credentials>,
    access: Access,
    stream: PageStream,
    rows: std::vec::IntoIter<Vec<Cell>>,
    /// Parent columns of the records read so far that had no child rows (child listings).
    childless: Vec<Vec<Cell>>,
    /// A page has arrived, so rows may have been handed out: no more starting again.
    started: bool,
    renewed: bool,
    /// Calls of a listing abandoned for a refused token.
    earlier: ListStats,
}

impl Reader {
    /// Gets access and starts fetching the first page at once.
    pub fn start(cx: ReadContext, entity: &'static Entity, plan: ListPlan, credentials: Box<dyn Credentials>) -> Result<Self> {
        let columns = Arc::new(entity.columns());
        let access = credentials.access(None)?;
        let stream = open(&cx, entity, &columns, &plan, &access)?;
        Ok(Reader {
            cx,
            entity,
            columns,
            plan,
            credentials,
            access,
            stream,
            rows: Vec::new().into_iter(),
            childless: Vec::new(),
            started: false,
            renewed: false,
            earlier: ListStats::default(),
        })
    }

    pub fn entity(&self) -> &'static Entity {
        self.entity
    }

    /// The columns every row has, in order.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// Calls made, records read and retries so far.
    pub fn stats(&self) -> ListStats {
        let now = self.stream.stats;
        ListStats { calls: self.earlier.calls + now.calls, records: now.records, retries: self.earlier.retries + now.retries, item_count: now.item_count }
    }

    /// For a child listing: the parent columns (children's columns NULL) of the records read so
    /// far that had no children, taken once.
    pub fn take_childless(&mut self) -> Vec<Vec<Cell>> {
        std::mem::take(&mut self.childless)
    }

    /// The next row, or None when the listing is complete. Waits for Xero when the page held is
    /// used up; the next page is already on its way by then.
    pub fn next_row(&mut self) -> Result<Option<Vec<Cell>>> {
        loop {
            if let Some(row) = self.rows.next() {
                return Ok(Some(row));
            }
            match self.stream.next_page(&self.cx.http, &self.cx.interrupted) {
                Ok(Some(page)) => {
                    self.started = true;
                    self.rows = page.rows.into_iter();
                    self.childless.extend(page.childless);
                }
                Ok(None) => return Ok(None),
                Err(refused) if !self.started && !self.renewed && refused.kind == ErrorKind::NotAuthorized => {
                    self.renewed = true;
                    self.access = self.credentials.access(Some(&self.access.token)).map_err(|e| after_refusal(e, &refused))?;
                    let fresh = open(&self.cx, self.entity, &self.columns, &self.plan, &self.access)?;
                    let abandoned = std::mem::replace(&mut self.stream, fresh);
                    self.earlier.calls += abandoned.stats.calls;
                    self.earlier.retries += abandoned.stats.retries;
                }
                Err(e) => return Err(e),
            }
        }
    }
}

impl Iterator for Reader {
    type Item = Result<Vec<Cell>>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_row().transpose()
    }
}

fn open(cx: &ReadContext, entity: &'static Entity, columns: &Arc<Vec<Column>>, plan: &ListPlan, access: &Access) -> Result<PageStream> {
    PageStream::start(&cx.http, access.client.clone(), entity, columns.clone(), plan.clone(), access.authorizer.clone(), cx.policy, cx.hooks.clone())
}

/// What a single call gives back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Xero's answer must be a success; any other status is an error (reports).
    Success,
    /// Xero's final answer whatever its status (the raw call shows a 4xx as it came).
    AsIs,
}

/// One call to Xero whose whole answer is wanted (a report, a raw call), with everything a
/// listing has: the organisation's credentials, the cluster-wide call slots and quotas, the
/// retry policy (a write only with an `Idempotency-Key`), the interrupt check, and one renewal
/// of a token Xero refuses.
pub fn call(cx: &ReadContext, credentials: &dyn Credentials, request: Request, answer: Answer) -> Result<Response> {
    let mut access = credentials.access(None)?;
    let mut renewed = false;
    loop {
        let response = send_one(cx, &access, &request)?;
        if response.status == 401 && !renewed {
            renewed = true;
            let refused = crate::responses::api_error(&request.label, &response);
            access = credentials.access(Some(&access.token)).map_err(|e| after_refusal(e, &refused))?;
            continue;
        }
        if answer == Answer::Success && !(200..300).contains(&response.status) {
            return Err(crate::responses::api_error(&request.label, &response));
        }
        return Ok(response);
    }
}

fn send_one(cx: &ReadContext, access: &Access, request: &Request) -> Result<Response> {
    let _permit = cx.hooks.before(&request.label)?;
    let started = std::time::Instant::now();
    let fut = send_until_final(access.client.clone(), request, cx.http.settings().max_response_bytes, cx.policy, access.authorizer.as_ref());
    let result = cx.http.wait(fut, &cx.interrupted)?;
    cx.hooks.after(&CallReport::of(request.label.clone(), started, result.as_ref().map(|(r, n, _)| (r, *n))));
    result.map(|(response, _, _)| response)
}

/// The renewal's own error, with why it was needed: Xero's refusal of the current token.
fn after_refusal(renewal: XeroError, refused: &XeroError) -> XeroError {
    let why = refused.detail.clone().unwrap_or_else(|| refused.message.clone());
    let detail = match &renewal.detail {
        Some(d) => format!("{d} (after Xero refused the current token: {why})"),
        None => format!("after Xero refused the current token: {why}"),
    };
    renewal.with_detail(detail)
}
