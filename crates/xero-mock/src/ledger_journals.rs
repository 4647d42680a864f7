//! `GET Journals[/{JournalID or JournalNumber}]` from the tenant's ledger: the 100
//! journals after `offset` (by JournalNumber), `paymentsOnly`, `If-Modified-Since` on
//! `CreatedDateUTC`. Only the journals a response carries become `Journal` records.

use crate::accounting::respond;
use crate::dates::{self, XeroDate};
use crate::emit;
use crate::generic::offset;
use crate::generic_emit;
use crate::generic_model::{GObj, GVal};
use crate::ids::Uuid;
use crate::ledger::{Journal, Ledger, PAYMENT_SOURCES};
use crate::model::Tenant;
use crate::query;
use crate::render_json::JsonSink;
use crate::render_xml::XmlSink;
use crate::reply::{Reply, XML};
use crate::request::Req;
use crate::spec;
use crate::state::State;
use crate::unit_dp::UnitDp;

/// Journals per call, as in Xero.
const PAGE: usize = crate::collections::FIXED_PAGE;

pub fn serve(state: &State, req: &Req, tenant: usize, id: Option<&str>) -> Reply {
    let json = req.wants_json();
    let ledger = &*state.ledger(tenant);
    let t = &*state.tenant(tenant);
    let rows: Vec<usize> = match id {
        Some(id) => match find(ledger, id) {
            Some(i) => vec![i],
            None => return Reply::not_found(),
        },
        None => {
            let after = match offset(req, json) {
                Ok(n) => n.max(0) as usize,
                Err(reply) => return reply,
            };
            let payments_only = query::flag(req, "paymentsOnly");
            // An unparseable If-Modified-Since is ignored, as HTTP prescribes.
            let since = req
                .header("if-modified-since")
                .and_then(dates::parse_http_date);
            // Journal number n is at index n - 1, so "number > offset" starts at index offset.
            (after.min(ledger.journals.len())..ledger.journals.len())
                .filter(|&i| {
                    let j = &ledger.journals[i];
                    (!payments_only || PAYMENT_SOURCES.contains(&j.source))
                        && since.is_none_or(|s| j.created_ms >= s)
                })
                .take(PAGE)
                .collect()
        }
    };
    let objs: Vec<GObj> = rows.iter().map(|&i| record(t, ledger, i)).collect();
    respond!(
        state,
        json,
        512 + rows.len() * 2500,
        None::<&emit::Pagination>,
        "Journals",
        |s| {
            for o in &objs {
                // Journals carry no unit prices.
                generic_emit::record(s, o, UnitDp::TWO);
            }
        }
    )
}

/// The journal a single-record GET names: by JournalID, else by JournalNumber.
fn find(ledger: &Ledger, id: &str) -> Option<usize> {
    let id = id.trim();
    if let Some(u) = Uuid::parse(id) {
        return ledger.journals.iter().position(|j| j.id == u);
    }
    let n: usize = id.parse().ok()?;
    (1..=ledger.journals.len()).contains(&n).then(|| n - 1)
}

/// Journal number `i + 1` as a record of the specification's `Journal` schema.
pub fn record(t: &Tenant, ledger: &Ledger, i: usize) -> GObj {
    let j: &Journal = &ledger.journals[i];
    let mut o = GObj::new(spec::schema("Journal").expect("Journal is generated"));
    o.set("JournalID", GVal::Uuid(j.id));
    o.set("JournalDate", GVal::Day(j.date));
    o.set("JournalNumber", GVal::Int(Ledger::number(i)));
    o.set("CreatedDateUTC", GVal::Instant(XeroDate::utc(j.created_ms)));
    o.set("SourceID", GVal::Uuid(j.source_id));
    o.set("SourceType", GVal::Const(j.source));
    let line_schema = spec::schema("JournalLine").expect("JournalLine is generated");
    let lines = ledger
        .lines_of(j)
        .iter()
        .map(|l| {
            let a = &t.accounts[usize::from(l.account)];
            let mut lo = GObj::new(line_schema);
            lo.set("JournalLineID", GVal::Uuid(l.id));
            lo.set("AccountID", GVal::Uuid(a.account_id));
            lo.set("AccountCode", GVal::Const(a.code));
            lo.set("AccountType", GVal::Const(a.kind));
            lo.set("AccountName", GVal::Const(a.name));
            lo.set("NetAmount", GVal::Fixed(l.net));
            lo.set("GrossAmount", GVal::Fixed(l.net + l.tax));
            lo.set("TaxAmount", GVal::Fixed(l.tax));
            if let Some(tt) = l.tax_type {
                lo.set("TaxType", GVal::Const(tt));
            }
            lo.set("TrackingCategories", GVal::List(Vec::new()));
            lo
        })
        .collect();
    o.set("JournalLines", GVal::List(lines));
    o
}
