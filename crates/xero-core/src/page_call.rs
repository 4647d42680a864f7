//! One page of a listing as a task on the HTTP runtime: the call (with its retries) and the
//! decoding both happen off the backend thread, which meanwhile turns earlier pages into rows.

use std::sync::Arc;

use crate::decode::{decode_page, Page};
use crate::entities::{Column, Entity};
use crate::error::Result;
use crate::http::{Http, Request};
use crate::list::{page_url, Cursor, ListPlan};
use crate::transport::{send_with_retries, Authorizer, CallReport, RetryPolicy};

/// What every page call of one listing shares.
pub(crate) struct Listing {
    pub entity: &'static Entity,
    pub columns: Arc<Vec<Column>>,
    pub plan: Arc<ListPlan>,
    pub authorizer: Arc<dyn Authorizer>,
    pub policy: RetryPolicy,
    pub client: reqwest::Client,
}

pub(crate) type PageTask = tokio::task::JoinHandle<(Result<Page>, CallReport)>;

impl Listing {
    /// "GET Invoices page 3", "GET Journals offset 1200", or "GET Accounts" for an unpaged listing.
    pub fn label(&self, cursor: Cursor) -> String {
        match cursor {
            Cursor::Page(page) => format!("GET {} page {page}", self.entity.endpoint),
            Cursor::Offset(offset) => format!("GET {} offset {offset}", self.entity.endpoint),
            Cursor::Once => format!("GET {}", self.entity.endpoint),
        }
    }

    /// Starts fetching and decoding the call at `cursor` on the runtime's worker.
    pub fn spawn(&self, http: &Http, cursor: Cursor, label: String) -> PageTask {
        let mut request = Request::get(page_url(&self.plan, cursor), label.clone());
        request.headers.extend(self.plan.headers.iter().cloned());
        let (entity, columns, policy, authorizer) = (self.entity, self.columns.clone(), self.policy, self.authorizer.clone());
        let client = self.client.clone();
        let max_bytes = http.settings().max_response_bytes;
        http.spawn(async move {
            let started = std::time::Instant::now();
            let sent = send_with_retries(client, request, max_bytes, policy, authorizer.as_ref()).await;
            let report = CallReport::of(label, started, sent.as_ref().map(|(r, n)| (r, *n)));
            let result = sent.and_then(|(response, retries)| {
                decode_page(entity, &columns, &response.body).map(|mut page| {
                    page.retries = retries;
                    page
                })
            });
            (result, report)
        })
    }
}
