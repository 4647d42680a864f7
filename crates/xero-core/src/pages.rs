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
use crate::entities::{Column, Entity, Paging};
use crate::error::{Result, XeroError};
use crate::http::Http;
use crate::list::{Cursor, ListPlan};
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
    /// The listing's record count as Xero's last `pagination.itemCount` gave it.
    pub item_count: Option<u64>,
}

/// A requested page: where its call started, its task and the call slot it holds until taken.
struct InFlight {
    cursor: Cursor,
    task: PageTask,
    _permit: Box<dyn Any>,
}

impl InFlight {
    fn page(&self) -> u32 {
        match self.cursor {
            Cursor::Page(p) => p,
            _ => 0,
        }
    }
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
    /// For listings not read by page number (offset, unpaged): where the next call starts, as
    /// the last page taken says (None once complete).
    next_other: Option<Cursor>,
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
        let first = plan.first_cursor();
        let listing = Listing { entity, columns, plan: Arc::new(plan), authorizer, policy, client };
        let next_other = (!matches!(first, Cursor::Page(_))).then_some(first);
        let mut s =
            PageStream { listing, hooks, window: VecDeque::new(), next_page: 1, last_page: 1, counted: false, next_other, stats: ListStats::default() };
        s.request_in_order(http, first)?;
        Ok(s)
    }

    /// Where the next call in order starts, if the pages taken so far say there is one.
    fn upcoming(&self) -> Option<Cursor> {
        match self.listing.plan.paging {
            Paging::Pages { .. } | Paging::FixedPages { .. } => (self.next_page <= self.last_page).then_some(Cursor::Page(self.next_page)),
            Paging::Offset { .. } | Paging::Unpaged => self.next_other,
        }
    }

    /// Calls started and not yet taken (in flight or arrived).
    pub fn outstanding(&self) -> usize {
        self.window.len()
    }

    /// The next call in order, waiting for its slot if need be.
    fn request_in_order(&mut self, http: &Http, cursor: Cursor) -> Result<()> {
        let label = self.listing.label(cursor);
        let permit = self.hooks.before(&label)?;
        self.launch(http, cursor, label, permit);
        Ok(())
    }

    fn launch(&mut self, http: &Http, cursor: Cursor, label: String, permit: Box<dyn Any>) {
        let task = self.listing.spawn(http, cursor, label);
        self.window.push_back(InFlight { cursor, task, _permit: permit });
        match cursor {
            Cursor::Page(_) => self.next_page += 1,
            _ => self.next_other = None,
        }
        self.stats.calls += 1;
    }

    /// Starts further pages while the count allows, the window has room and slots are free now.
    fn top_up(&mut self, http: &Http) {
        let room = self.hooks.max_in_flight().max(1);
        while self.counted && self.next_page <= self.last_page && self.window.len() < room {
            let cursor = Cursor::Page(self.next_page);
            let label = self.listing.label(cursor);
            match self.hooks.try_before(&label) {
                Some(permit) => self.launch(http, cursor, label, permit),
                None => break,
            }
        }
    }

    /// What a taken page says about the rest of the listing.
    fn learn(&mut self, fetched: Cursor, page: &Page) -> Result<()> {
        let plan = &self.listing.plan;
        let size = match plan.paging {
            Paging::Pages { .. } => plan.page_size,
            Paging::FixedPages { size } => Some(size),
            Paging::Offset { .. } | Paging::Unpaged => {
                // Sequential: the next call starts where this page ended, within max_pages.
                let within = plan.max_pages.is_none_or(|m| self.stats.calls < m);
                self.next_other = if within { plan.next_cursor(fetched, page, &self.listing.columns)? } else { None };
                return Ok(());
            }
        };
        let fetched = match fetched {
            Cursor::Page(p) => p,
            _ => 0,
        };
        if let Some(p) = page.pagination.filter(|p| p.page_count > 0 || p.item_count == 0) {
            self.stats.item_count = Some(p.item_count);
        }
        let (last, counted) = match (size, page.pagination) {
            (None, _) => (fetched, false),
            // Xero's pageCount saves the empty call a short-page rule would make after a full last page.
            (Some(_), Some(p)) if p.page_count > 0 || p.item_count == 0 => (p.page_count, true),
            (Some(size), _) => (if page.records >= size as usize { fetched + 1 } else { fetched }, false),
        };
        self.last_page = plan.max_pages.map_or(last, |m| last.min(m));
        self.counted = counted;
        // A count that shrank makes pages already requested superfluous: abandon them, as a
        // sequential read would never have asked.
        while self.window.back().is_some_and(|f| f.page() > self.last_page) {
            if let Some(f) = self.window.pop_back() {
                f.task.abort();
                self.next_page = f.page();
            }
        }
        Ok(())
    }

    /// The next page, or None when the listing is complete.
    pub fn next_page(&mut self, http: &Http, interrupted: &dyn Fn() -> bool) -> Result<Option<Page>> {
        // Slots other sessions freed since the last page are used before waiting.
        self.top_up(http);
        let Some(front) = self.window.front_mut() else { return Ok(None) };
        let joined = http.wait(&mut front.task, interrupted)?;
        let fetched = self.window.pop_front().map_or(Cursor::Once, |f| f.cursor); // releases its slot
        let (result, report) = joined.map_err(|e| XeroError::internal("the HTTP task failed").with_detail(e.to_string()))?;
        self.hooks.after(&report);
        // On an error the pages behind this one are aborted when the stream is dropped, so the
        // error is the one a sequential read would have met first.
        let page = result?;
        self.stats.records += page.records as u64;
        self.stats.retries += page.retries;
        self.learn(fetched, &page)?;
        if self.window.is_empty() {
            if let Some(cursor) = self.upcoming() {
                self.request_in_order(http, cursor)?;
            }
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
