//! `xero_report_<name>(org, …)`: one C function serves every report of the registry. It finds
//! its report by the SQL function's name, builds the request from the arguments, makes the one
//! call (credentials, limits, retries and token renewal as every read), and stores Xero's report
//! as tidy rows: one per value cell.

use pgrx::pg_sys;
use pgrx::prelude::*;
use xero_core::decode::Cell;
use xero_core::http::Request;
use xero_core::list::ArgValue;
use xero_core::read::Answer;
use xero_core::reports::{plan, report_by_function, tidy, Report, ReportParam};
use xero_core::{Result, XeroError};

use crate::pg::catalog::{resolve_org, Org};
use crate::pg::report::{raise, raise_for_org};
use crate::pg::srf;
use crate::tokens::read;

#[unsafe(no_mangle)]
pub extern "C" fn pg_finfo_xero_report_rows() -> &'static pg_sys::Pg_finfo_record {
    const V1: pg_sys::Pg_finfo_record = pg_sys::Pg_finfo_record { api_version: 1 };
    &V1
}

/// The C function behind every `xero_report_<name>` SQL function.
///
/// # Safety
/// Called only by PostgreSQL's function manager, with a valid `fcinfo` whose argument count and
/// types are those of a report function's generated SQL (`sql/generated_functions.sql`).
#[pg_guard]
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn xero_report_rows(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    // SAFETY: the function manager's valid fcinfo (this function's contract).
    let function = unsafe { srf::function_name(fcinfo) };
    let Some(report) = report_by_function(&function) else {
        raise(XeroError::internal(format!("function \"{function}\" is not a xero_fdw report function")), "xero_report_rows");
    };
    let types: Vec<_> = report.params.iter().map(|p| p.ty).collect();
    // SAFETY: the generated SQL declares `org text` and then one argument per parameter of the
    // report, in registry order, each of the type the parameter names.
    let (org, args) = unsafe { srf::arguments(fcinfo, &types) };
    let Some(org) = org else {
        raise(
            XeroError::invalid_argument(format!("{function}: org must not be NULL")).with_hint("Name a foreign server of xero_fdw."),
            report.function,
        );
    };
    let args: Vec<(&ReportParam, ArgValue)> = args.into_iter().map(|(i, v)| (&report.params[i], v)).collect();
    let types = tidy::COLUMNS.iter().map(|(_, ty, _)| *ty).collect();
    // SAFETY: a set-returning function's valid fcinfo.
    let rows = unsafe { srf::Rows::materialize(fcinfo, report.function, types) };
    if let Err(e) = rows.and_then(|rows| report_rows(report, &org, &args, rows)) {
        raise_for_org(e, &org, report.function);
    }
    pg_sys::Datum::from(0)
}

fn report_rows(report: &'static Report, org_name: &str, args: &[(&ReportParam, ArgValue)], mut rows: srf::Rows) -> Result<()> {
    let org = resolve_org(org_name)?;
    let (url, _) = plan(report, &org.config.api_url, args)?;
    for row in fetch_tidy(&org, report, &url)? {
        rows.put(&row);
    }
    Ok(())
}

/// Makes a report's one call and returns its tidy rows, as cells of [`tidy::COLUMNS`] (the
/// functions and the report tables share it).
pub(crate) fn fetch_tidy(org: &Org, report: &'static Report, url: &url::Url) -> Result<Vec<Vec<Cell>>> {
    let request = Request::get(url.as_str(), format!("GET {}", report.path)).header("accept", "application/json");
    let response = read::call(org, request, Answer::Success)?;
    let text = |s: Option<String>| s.map(Cell::Text).unwrap_or(Cell::Null);
    Ok(tidy::tidy(report, &response.body)?
        .into_iter()
        .map(|r| {
            vec![
                text(r.section),
                Cell::Int(i64::from(r.row_number)),
                Cell::Text(r.row_type),
                text(r.label),
                r.account_id.map(Cell::Uuid).unwrap_or(Cell::Null),
                Cell::Int(i64::from(r.column_number)),
                text(r.column_header),
                r.value.map(Cell::Numeric).unwrap_or(Cell::Null),
                text(r.text),
            ]
        })
        .collect())
}
