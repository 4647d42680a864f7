//! Fetching a listing's pages. The first page is fetched alone; once it states how many pages
//! there are (Xero's `pagination.pageCount`), the rest are requested side by side, up to the
//! call slots the hooks grant, in a window kept in page order, so rows still come out in
//! Xero's order. The window (calls in flight plus pages arrived but not yet taken) is never
//! longer than `CallHooks::max_in_flight`, so at most that many pages plus the one being turned
//! into rows are held: memory does not grow with the result. A listing without a page count
//! (unpaged endpoints, offset paging) stays sequential, one call ahead.
//!
//! Dropping the stream aborts every outstanding call: that is how a satisfied LIMIT, an error
//! on an earlier page or a cancel stops the rest.

use std::any::Any;
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::Arc;

use crate::decode::Page;
use crate::entities::{Column, Entity};
use crate::error::{Result, XeroError};
use crate::http::Http;
use crate::list::ListPlan;
use crate::page_call::{Listing, PageTask};
use crate::transport::{Authorizer, CallReport, RetryPolicy};

/// Xero's limit of calls in flight per tenant.
pub const XERO_CONCURRENT_CALLS: usize = 5;

/// Runs on the calling (backend) thread around every call of a listing: the place for limits
/// shared with other sessions, which only that thread may touch.
pub trait CallHooks {
    /// Before the next call in page order; may wait for a slot or refuse. The returned permit is
    /// dropped when the call's page has been taken (or the call abandoned).
    fn before(&self, label: &str) -> Result<Box<dyn Any>>;
    /// Before an extra call ahead of the one in order: a permit only if a slot (and quota) is
    /// free right now, never waiting, so extra calls use only capacity nobody is waiting for.
    /// The default starts no extra calls.
    fn try_before(&self, _label: &str) -> Option<Box<dyn Any>> {
        None
    }
    /// The most calls one listing may have in flight (and pages waiting to be taken) at once.
    fn max_in_flight(&self) -> usize {
        1
    }
    fn after(&self, report: &CallReport);
}

/// No limits beyond Xero's own answers and its five calls in flight (plain-Rust callers, tests).
pub struct NoHooks;

impl CallHooks for NoHooks {
    fn before(&self, _label: &str) -> Result<Box<dyn Any>> {
        Ok(Box::new(()))
    }
    fn try_before(&self, _label: &str) -> Option<Box<dyn Any>> {
        Some(Box::new(()))
    }
    fn max_in_flight(&self) -> usize {
        XERO_CONCURRENT_CALLS
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

/// A requested page: its task and the call slot it holds until taken.
struct InFlight {
    page: u32,
    task: PageTask,
    _permit: Box<dyn Any>,
}

pub struct PageStream {
    listing: Listing,
    hooks: Rc<dyn CallHooks>,
    /// Requested pages in page order; the front is the next to hand out.
    window: VecDeque<InFlight>,
    next_page: u32,
    /// The last page to request, as far as the pages taken so far tell.
    last_page: u32,
    /// Whether `last_page` comes from Xero's page count, so pages beyond the next may start.
    counted: bool,
    pub stats: ListStats,
}

impl PageStream {
    /// Starts fetching the first page at once.
    #[allow(clippy::too_many_arguments)]
    pub fn start(
        http: &Http,
        client: reqwest::Client,
        entity: &'static Entity,
        columns: Arc<Vec<Column>>,
        plan: ListPlan,
        authorizer: Arc<dyn Authorizer>,
        policy: RetryPolicy,
        hooks: Rc<dyn CallHooks>,
    ) -> Result<Self> {
        let listing = Listing { entity, columns, plan: Arc::new(plan), authorizer, policy, client };
        let mut s = PageStream { listing, hooks, window: VecDeque::new(), next_page: 1, last_page: 1, counted: false, stats: ListStats::default() };
        s.request_in_order(http)?;
        Ok(s)
    }

    /// Calls started and not yet taken (in flight or arrived).
    pub fn outstanding(&self) -> usize {
        self.window.len()
    }

    /// The next page in order, waiting for its slot if need be.
    fn request_in_order(&mut self, http: &Http) -> Result<()> {
        let label = self.listing.label(self.next_page);
        let permit = self.hooks.before(&label)?;
        self.launch(http, label, permit);
        Ok(())
    }

    fn launch(&mut self, http: &Http, label: String, permit: Box<dyn Any>) {
        let page = self.next_page;
        let task = self.listing.spawn(http, page, label);
        self.window.push_back(InFlight { page, task, _permit: permit });
        self.next_page += 1;
        self.stats.calls += 1;
    }

    /// Starts further pages while the count allows, the window has room and slots are free now.
    fn top_up(&mut self, http: &Http) {
        let room = self.hooks.max_in_flight().max(1);
        while self.counted && self.next_page <= self.last_page && self.window.len() < room {
            let label = self.listing.label(self.next_page);
            match self.hooks.try_before(&label) {
                Some(permit) => self.launch(http, label, permit),
                None => break,
            }
        }
    }

    /// What a taken page says about the rest of the listing.
    fn learn(&mut self, fetched: u32, page: &Page) {
        let plan = &self.listing.plan;
        let (last, counted) = match (plan.page_size, page.pagination) {
            (None, _) => (fetched, false),
            // Xero's pageCount saves the empty call a short-page rule would make after a full last page.
            (Some(_), Some(p)) if p.page_count > 0 || p.item_count == 0 => (p.page_count, true),
            (Some(size), _) => (if page.records >= size as usize { fetched + 1 } else { fetched }, false),
        };
        self.last_page = plan.max_pages.map_or(last, |m| last.min(m));
        self.counted = counted;
        // A count that shrank makes pages already requested superfluous: abandon them, as a
        // sequential read would never have asked.
        while self.window.back().is_some_and(|f| f.page > self.last_page) {
            if let Some(f) = self.window.pop_back() {
                f.task.abort();
                self.next_page = f.page;
            }
        }
    }

    /// The next page, or None when the listing is complete.
    pub fn next_page(&mut self, http: &Http, interrupted: &dyn Fn() -> bool) -> Result<Option<Page>> {
        // Slots other sessions freed since the last page are used before waiting.
        self.top_up(http);
        let Some(front) = self.window.front_mut() else { return Ok(None) };
        let joined = http.wait(&mut front.task, interrupted)?;
        let fetched = self.window.pop_front().map_or(0, |f| f.page); // releases its slot
        let (result, report) = joined.map_err(|e| XeroError::internal("the HTTP task failed").with_detail(e.to_string()))?;
        self.hooks.after(&report);
        // On an error the pages behind this one are aborted when the stream is dropped, so the
        // error is the one a sequential read would have met first.
        let page = result?;
        self.stats.records += page.records as u64;
        self.stats.retries += page.retries;
        self.learn(fetched, &page);
        if self.window.is_empty() && self.next_page <= self.last_page {
            self.request_in_order(http)?;
        }
        self.top_up(http);
        Ok(Some(page))
    }
}

impl Drop for PageStream {
    fn drop(&mut self) {
        // Each call is aborted before its slot is released.
        for f in self.window.drain(..) {
            f.task.abort();
        }
    }
}
