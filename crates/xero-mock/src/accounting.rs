//! The Accounting API routes (`/api.xro/2.0/…`): authentication, tenant selection,
//! rate limits, faults, then the filtered, ordered, paged and rendered records.

use std::sync::Arc;

use crate::emit::{self, Detail, Pagination};
use crate::faults::{self, Outcome};
use crate::generic;
use crate::ids::Uuid;
use crate::limits;
use crate::model::{Status, Tenant};
use crate::oauth1;
use crate::oauth1_check;
use crate::oauth2;
use crate::query::{self, Selection};
use crate::render_json::JsonSink;
use crate::render_xml::XmlSink;
use crate::reply::{Reply, XML};
use crate::request::Req;
use crate::state::State;
use crate::unit_dp::UnitDp;

pub enum Resource {
    /// A collection of the registry (`collections.rs`), and the id of a single record.
    Generic(usize, Option<String>),
    Invoices,
    Invoice(String),
    Contacts,
    Contact(String),
    Accounts,
    Account(String),
    Organisation,
    /// `Reports` (the published list) or `Reports/{name or ReportID}`.
    Report(Option<String>),
}

impl Resource {
    /// Parses the path below `/api.xro/2.0/`; endpoint names are case-insensitive as in Xero.
    pub fn parse(rest: &str) -> Option<Resource> {
        let rest = rest.trim_end_matches('/');
        let (name, id) = match rest.split_once('/') {
            Some((n, id)) if !id.is_empty() && !id.contains('/') => (n, Some(id.to_string())),
            Some(_) => return None,
            None => (rest, None),
        };
        Some(match (name.to_ascii_lowercase().as_str(), id) {
            ("invoices", None) => Resource::Invoices,
            ("invoices", Some(id)) => Resource::Invoice(id),
            ("contacts", None) => Resource::Contacts,
            ("contacts", Some(id)) => Resource::Contact(id),
            ("accounts", None) => Resource::Accounts,
            ("accounts", Some(id)) => Resource::Account(id),
            ("organisation", None) => Resource::Organisation,
            ("reports", id) => Resource::Report(id),
            (other, id) => {
                let coll = crate::collections::find(other)?;
                if id.is_some() && crate::collections::COLLECTIONS[coll].by.is_empty() {
                    return None;
                }
                Resource::Generic(coll, id)
            }
        })
    }

    pub fn label(&self) -> &'static str {
        match self {
            Resource::Generic(coll, id) => generic::label(*coll, id.is_some()),
            Resource::Invoices => "Invoices",
            Resource::Invoice(_) => "Invoices/{id}",
            Resource::Contacts => "Contacts",
            Resource::Contact(_) => "Contacts/{id}",
            Resource::Accounts => "Accounts",
            Resource::Account(_) => "Accounts/{id}",
            Resource::Organisation => "Organisation",
            Resource::Report(name) => crate::reports::label(name.as_deref()),
        }
    }
}

pub async fn handle(state: &Arc<State>, req: &Req, res: Resource) -> Outcome {
    guarded(state, req, res.label(), |tenant| serve(state, req, tenant, &res)).await
}

/// The checks every Accounting API call passes, reads and writes alike: authentication
/// (401), tenant (403), rate limits (429), then an injected fault for `label`; `produce`
/// makes the answer for the tenant the call is for.
pub async fn guarded(
    state: &Arc<State>,
    req: &Req,
    label: &str,
    produce: impl FnOnce(usize) -> Reply,
) -> Outcome {
    // OAuth 1.0a apps signed every call instead of sending a Bearer token.
    let authenticated = if oauth1_check::is_signed(req) {
        oauth1::authenticate(state, req)
    } else {
        oauth2::authenticate(state, req)
    };
    let access = match authenticated {
        Ok(a) => a,
        Err(reply) => return Outcome::Reply(reply),
    };
    let forbidden = || {
        Outcome::Reply(Reply::problem(
            403,
            "Forbidden",
            "AuthenticationUnsuccessful",
            state.next_response_id(),
        ))
    };
    let header = req
        .header("xero-tenant-id")
        .map(str::trim)
        .filter(|h| !h.is_empty());
    let tenant = match (access.tenant, header) {
        // Custom connections are bound to one organisation; the header is optional.
        (Some(bound), None) => bound,
        (Some(bound), Some(h)) if state.tenant_index(h) == Some(bound) => bound,
        (None, Some(h)) => match state.tenant_index(h) {
            Some(t) => t,
            None => return forbidden(),
        },
        _ => return forbidden(),
    };
    let permit = match limits::acquire(state, tenant) {
        Ok(p) => p,
        Err(rej) => {
            return Outcome::Reply(
                Reply::text(429, "")
                    .header("retry-after", rej.retry_after_secs.to_string())
                    .header("x-rate-limit-problem", rej.problem),
            )
            .with_headers(rej.headers);
        }
    };
    let headers = permit.headers.clone();
    let outcome = faults::run(state, label, Some(permit), || produce(tenant)).await;
    outcome.with_headers(headers)
}

/// Renders Xero's envelope in JSON or XML; `$body` writes the list items to `$s`
/// (expanded once per format so each is monomorphic and fast).
macro_rules! respond {
    ($state:expr, $json:expr, $capacity:expr, $pagination:expr, $list:expr, |$s:ident| $body:expr) => {{
        let id = $state.next_response_id();
        let now = $state.clock.now_ms();
        if $json {
            let mut sink = JsonSink::with_capacity($capacity);
            emit::envelope(
                &mut sink,
                id,
                now,
                $pagination,
                $list,
                |$s: &mut JsonSink| $body,
            );
            Reply::json(200, sink.out)
        } else {
            let mut sink = XmlSink::with_capacity($capacity);
            emit::envelope(
                &mut sink,
                id,
                now,
                $pagination,
                $list,
                |$s: &mut XmlSink| $body,
            );
            Reply::new(200, XML, sink.out)
        }
    }};
}

pub(crate) use respond;

fn serve(state: &State, req: &Req, tenant: usize, res: &Resource) -> Reply {
    let json = req.wants_json();
    let t = &*state.tenant(tenant);
    let result = match res {
        Resource::Generic(coll, id) => Ok(generic::serve(state, req, tenant, *coll, id.as_deref())),
        Resource::Report(name) => Ok(crate::reports::serve(state, req, tenant, name.as_deref())),
        Resource::Invoices => invoices(state, req, t, json),
        Resource::Invoice(id) => {
            let found = match Uuid::parse(id) {
                Some(u) => t.invoices.iter().position(|i| i.invoice_id == u),
                None => t.invoices.iter().position(|i| i.number == *id),
            };
            Ok(match found {
                Some(i) => respond!(state, json, 4096, None, "Invoices", |s| emit::invoice(
                    s,
                    t,
                    &t.invoices[i],
                    Detail::Full,
                    UnitDp::of(req)
                )),
                None => Reply::not_found(),
            })
        }
        Resource::Contacts => contacts(state, req, t, json),
        Resource::Contact(id) => Ok(
            match Uuid::parse(id).and_then(|u| t.contacts.iter().find(|c| c.contact_id == u)) {
                Some(c) => respond!(state, json, 4096, None, "Contacts", |s| emit::contact(s, c)),
                None => Reply::not_found(),
            },
        ),
        Resource::Accounts => accounts(state, req, t, json),
        Resource::Account(id) => Ok(
            match Uuid::parse(id).and_then(|u| {
                // A deleted account (DELETE /Accounts/{id}) is gone, as in Xero.
                t.accounts
                    .iter()
                    .find(|a| a.account_id == u && a.status != "DELETED")
            }) {
                Some(a) => respond!(state, json, 2048, None, "Accounts", |s| emit::account(s, a)),
                None => Reply::not_found(),
            },
        ),
        Resource::Organisation => Ok(respond!(state, json, 4096, None, "Organisations", |s| {
            emit::organisation(s, t)
        })),
    };
    result.unwrap_or_else(|error_reply| error_reply)
}

/// Which of `total` selected records this response carries, and its `pagination`.
fn page_of(
    total: usize,
    paging: Option<query::Paging>,
) -> (std::ops::Range<usize>, Option<Pagination>) {
    match paging {
        Some(p) => {
            let (range, pagination) = query::page_slice(total, p);
            (range, Some(pagination))
        }
        None => (0..total, None),
    }
}

fn invoices(state: &State, req: &Req, t: &Tenant, json: bool) -> Result<Reply, Reply> {
    let selection = Selection::parse(req, json)?;
    let paging = query::paging(req, json)?;
    let ids = query::guid_list(req, "IDs", json)?;
    let contact_ids = query::guid_list(req, "ContactIDs", json)?;
    let numbers = query::text_list(req, "InvoiceNumbers");
    let statuses = query::text_list(req, "Statuses");
    let wanted_statuses: Option<Vec<Status>> = statuses.map(|set| {
        Status::ALL
            .into_iter()
            .filter(|s| set.iter().any(|w| w.eq_ignore_ascii_case(s.as_str())))
            .collect()
    });
    let idx = selection.select(&t.invoices, t, |inv| {
        ids.as_ref().is_none_or(|s| s.contains(&inv.invoice_id))
            && contact_ids
                .as_ref()
                .is_none_or(|s| s.contains(&t.contacts[inv.contact as usize].contact_id))
            && numbers.as_ref().is_none_or(|s| s.contains(&inv.number))
            && wanted_statuses
                .as_ref()
                .is_none_or(|s| s.contains(&inv.status))
    });
    // Xero leaves line items out of unpaged lists, and summaryOnly trims further.
    let detail = if query::flag(req, "summaryOnly") {
        Detail::Summary
    } else if paging.is_some() {
        Detail::Full
    } else {
        Detail::NoLineItems
    };
    let dp = UnitDp::of(req);
    let (range, pagination) = page_of(idx.len(), paging);
    let rows = &idx[range];
    let per_row = if detail == Detail::Full { 2600 } else { 1300 };
    Ok(respond!(
        state,
        json,
        512 + rows.len() * per_row,
        pagination.as_ref(),
        "Invoices",
        |s| {
            for &i in rows {
                emit::invoice(s, t, &t.invoices[i as usize], detail, dp);
            }
        }
    ))
}

fn contacts(state: &State, req: &Req, t: &Tenant, json: bool) -> Result<Reply, Reply> {
    let selection = Selection::parse(req, json)?;
    let paging = query::paging(req, json)?;
    let ids = query::guid_list(req, "IDs", json)?;
    let include_archived = query::flag(req, "includeArchived");
    let search = req
        .param("searchTerm")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_lowercase);
    let idx = selection.select(&t.contacts, t, |c| {
        // Asking for specific IDs returns them even when archived.
        (include_archived || !c.archived || ids.is_some())
            && ids.as_ref().is_none_or(|s| s.contains(&c.contact_id))
            && search.as_ref().is_none_or(|term| {
                [
                    &c.name,
                    &c.first_name,
                    &c.last_name,
                    &c.email,
                    &c.contact_number,
                ]
                .iter()
                .any(|f| f.to_lowercase().contains(term.as_str()))
            })
    });
    let (range, pagination) = page_of(idx.len(), paging);
    let rows = &idx[range];
    Ok(respond!(
        state,
        json,
        512 + rows.len() * 1500,
        pagination.as_ref(),
        "Contacts",
        |s| {
            for &i in rows {
                emit::contact(s, &t.contacts[i as usize]);
            }
        }
    ))
}

fn accounts(state: &State, req: &Req, t: &Tenant, json: bool) -> Result<Reply, Reply> {
    let selection = Selection::parse(req, json)?;
    let idx = selection.select(&t.accounts, t, |a| a.status != "DELETED");
    Ok(respond!(
        state,
        json,
        512 + idx.len() * 700,
        None,
        "Accounts",
        |s| {
            for &i in &idx {
                emit::account(s, &t.accounts[i as usize]);
            }
        }
    ))
}
