//! ExplainForeignScan: what reaches Xero (`Xero Request: GET Invoices?Statuses=…&where=…`), which
//! conditions only PostgreSQL applies, and with ANALYZE the calls, pages, records and retries;
//! ExplainForeignModify: how a write's rows go to Xero (`Xero calls: PUT Invoices … up to 50
//! rows a call`), and with ANALYZE the calls made.

use std::ffi::CString;

use pgrx::pg_sys;
use pgrx::prelude::*;
use pgrx::PgList;

use xero_core::entities::Delete;
use xero_core::writes::Op;

use crate::fdw::modify::{batch_size, op_of, post_target, rows_a_call, state, writable};
use crate::fdw::plan::private_of;
use crate::fdw::report_scan;
use crate::fdw::scan::{any_state, State};
use crate::fdw::table::text_of;

fn property(label: &str, value: &str, es: *mut pg_sys::ExplainState) {
    let (l, v) = (CString::new(label).expect("no NUL"), CString::new(value.replace('\0', "")).expect("NULs removed"));
    // SAFETY: NUL-terminated strings that outlive the call; `es` is the executor's ExplainState.
    unsafe { pg_sys::ExplainPropertyText(l.as_ptr(), v.as_ptr(), es) }
}

fn integer(label: &str, value: i64, es: *mut pg_sys::ExplainState) {
    let l = CString::new(label).expect("no NUL");
    // SAFETY: as in `property`.
    unsafe { pg_sys::ExplainPropertyInteger(l.as_ptr(), std::ptr::null(), value, es) }
}

/// # Safety
/// Called by EXPLAIN with a node begun by `scan::begin` and its valid ExplainState.
#[pg_guard]
pub unsafe extern "C-unwind" fn explain(node: *mut pg_sys::ForeignScanState, es: *mut pg_sys::ExplainState) {
    // SAFETY: the caller's contract; the plan's quals are expressions deparsed in EXPLAIN's own
    // deparse context for this plan node.
    unsafe {
        let plan = (*node).ss.ps.plan as *mut pg_sys::ForeignScan;
        let (description, local, analyzed) = match any_state(node) {
            Some(State::Report(r)) => {
                let private = report_scan::private_of(plan);
                let description = match &r.description {
                    Some(d) => d.clone(),
                    None => private.scan.request("https://api.xero.com/api.xro/2.0", None).map(|r| r.description).unwrap_or_else(|e| e.message),
                };
                (description, private.local, r.started.then(|| (r.calls, r.calls, r.records, 0)))
            }
            other => {
                let scan = match other {
                    Some(State::Collection(s)) => Some(s),
                    _ => None,
                };
                let private = private_of(plan);
                let description = match scan.as_ref().and_then(|s| s.description.clone()) {
                    Some(d) => d,
                    None => private.scan.requests("https://api.xero.com/api.xro/2.0", None).map(|r| r.description).unwrap_or_else(|e| e.message),
                };
                let totals = scan.map(|s| s.totals()).map(|t| (t.calls, t.calls.saturating_sub(t.retries), t.records, t.retries));
                (description, private.local, totals)
            }
        };
        property("Xero Request", &description, es);
        let quals: Vec<*mut pg_sys::Node> = PgList::<pg_sys::Node>::from_pg((*plan).scan.plan.qual).iter_ptr().collect();
        let context = pg_sys::set_deparse_context_plan((*es).deparse_cxt, plan as *mut pg_sys::Plan, std::ptr::null_mut());
        let prefix = (*es).verbose || PgList::<pg_sys::Node>::from_pg((*es).rtable).len() > 1;
        let local: Vec<String> =
            local.iter().filter_map(|i| quals.get(*i)).map(|q| text_of(pg_sys::deparse_expression(*q, context, prefix, false))).collect();
        if !local.is_empty() {
            property("Xero Local Filter", &local.join(" AND "), es);
        }
        if (*es).analyze {
            let (calls, pages, records, retries) = analyzed.unwrap_or_default();
            integer("Xero Calls", i64::from(calls), es);
            integer("Xero Pages", i64::from(pages), es);
            integer("Xero Records", records as i64, es);
            integer("Xero Retries", i64::from(retries), es);
        }
    }
}

/// ExplainForeignModify: how the rows go to Xero.
///
/// # Safety
/// Called by EXPLAIN with its valid arguments.
#[pg_guard]
pub unsafe extern "C-unwind" fn explain_modify(mtstate: *mut pg_sys::ModifyTableState, rinfo: *mut pg_sys::ResultRelInfo, _private: *mut pg_sys::List, _subplan: i32, es: *mut pg_sys::ExplainState) {
    // SAFETY: EXPLAIN's valid structures; the strings are copied by ExplainPropertyText.
    unsafe {
        let relid = (*(*rinfo).ri_RelationDesc).rd_id;
        let op = op_of((*mtstate).operation);
        let Ok((info, write)) = writable(relid, op) else { return };
        let size = rows_a_call(write, op, rinfo, size_of(&info, relid));
        let what = match op {
            Op::Insert if size > 1 => format!("PUT {} with summarizeErrors=false, up to {size} rows a call", write.path),
            Op::Insert => format!("PUT {}, a row a call", write.path),
            Op::Update if size > 1 => format!("POST {} with summarizeErrors=false, up to {size} rows a call", write.path),
            Op::Update => format!("{}, a row a call", post_target(write)),
            Op::Delete => match write.delete {
                Delete::Endpoint => format!("DELETE {}/{{id}}, a row a call", write.path),
                Delete::Status(rules) => {
                    let r: Vec<String> = rules.iter().map(|(f, t)| if *f == "*" { t.to_string() } else { format!("{f}→{t}") }).collect();
                    if size > 1 {
                        format!("POST {} with summarizeErrors=false setting {} ({}), up to {size} rows a call", write.path, write.status_field, r.join(", "))
                    } else {
                        format!("{} setting {} ({}), a row a call", post_target(write), write.status_field, r.join(", "))
                    }
                }
                Delete::Unsupported(why) => why.to_string(),
            },
        };
        property("Xero calls", &what, es);
        if let Some(m) = state(rinfo) {
            if (*es).analyze {
                let label = CString::new("Xero write calls").expect("no NUL");
                pg_sys::ExplainPropertyInteger(label.as_ptr(), std::ptr::null(), m.calls as i64, es);
            }
        }
    }
}

/// The table's `batch_size` (its own option, else its server's, else the default).
///
/// # Safety
/// `relid` is the foreign table of `info`.
unsafe fn size_of(info: &crate::fdw::table::TableInfo, relid: pg_sys::Oid) -> u32 {
    let server = crate::pg::catalog::resolve_org(&info.server).map_or(xero_core::options::DEFAULT_BATCH_SIZE, |o| o.config.batch_size);
    // SAFETY: the caller's contract.
    unsafe { batch_size(relid, server) }
}

