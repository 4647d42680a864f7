//! `xero_<entity>(org, …)`: one C function serves every entity of the registry. It finds its
//! entity by the SQL function's name, turns the filter arguments into a plan, and streams the
//! pages into the result tuplestore (which spills to disk past work_mem), one page at a time.

use std::cell::RefCell;
use std::ffi::CStr;
use std::rc::Rc;
use std::sync::Arc;

use pgrx::pg_sys;
use pgrx::prelude::*;
use pgrx::PgMemoryContexts;
use xero_core::entities::{entity_by_function, ArgType, Entity};
use xero_core::http::Http;
use xero_core::list::{plan_list, ArgValue, PageStream};
use xero_core::{ErrorKind, Result, XeroError};

use crate::catalog::resolve_org;
use crate::report::raise;
use crate::{cells, guc, tokens};

/// Checks for query cancel, statement_timeout and termination while waiting on Xero; raises
/// PostgreSQL's own error if one is pending, so it never needs to say "interrupted" itself.
pub fn interrupted() -> bool {
    pgrx::check_for_interrupts!();
    false
}

thread_local! {
    static HTTP: RefCell<Option<Rc<Http>>> = const { RefCell::new(None) };
}

/// This backend's HTTP client, rebuilt when the timeout settings change.
pub fn http() -> Result<Rc<Http>> {
    let settings = guc::http_settings();
    HTTP.with(|cell| {
        let mut slot = cell.borrow_mut();
        if let Some(h) = slot.as_ref().filter(|h| *h.settings() == settings) {
            return Ok(h.clone());
        }
        let h = Rc::new(Http::new(settings)?);
        *slot = Some(h.clone());
        Ok(h)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn pg_finfo_xero_entity_rows() -> &'static pg_sys::Pg_finfo_record {
    const V1: pg_sys::Pg_finfo_record = pg_sys::Pg_finfo_record { api_version: 1 };
    &V1
}

/// # Safety
/// Called by PostgreSQL's function manager with a valid `fcinfo`.
#[pg_guard]
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn xero_entity_rows(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    let name_ptr = pg_sys::get_func_name((*(*fcinfo).flinfo).fn_oid);
    let function = if name_ptr.is_null() { String::new() } else { CStr::from_ptr(name_ptr).to_string_lossy().into_owned() };
    let Some(entity) = entity_by_function(&function) else {
        raise(XeroError::internal(format!("function \"{function}\" is not a xero_fdw entity function")), "xero_entity_rows");
    };
    let args = (*fcinfo).args.as_slice((*fcinfo).nargs as usize);
    let Some(org) = (!args[0].isnull).then(|| String::from_datum(args[0].value, false)).flatten() else {
        raise(XeroError::invalid_argument(format!("{function}: org must not be NULL")).with_hint("Name a foreign server of xero_fdw."), entity.function);
    };
    let mut filters = Vec::new();
    for (i, f) in entity.filters.iter().enumerate() {
        let Some(a) = args.get(i + 1).filter(|a| !a.isnull) else { continue };
        filters.push((f, arg_value(f.ty, a.value)));
    }

    pg_sys::InitMaterializedSRF(fcinfo, 0);
    let rsinfo = (*fcinfo).resultinfo as *mut pg_sys::ReturnSetInfo;
    let (store, desc) = ((*rsinfo).setResult, (*rsinfo).setDesc);
    if let Err(e) = stream_rows(entity, &org, &filters, store, desc) {
        raise(e, entity.function);
    }
    pg_sys::Datum::from(0)
}

unsafe fn arg_value(ty: ArgType, d: pg_sys::Datum) -> ArgValue {
    match ty {
        ArgType::Timestamptz => ArgValue::Timestamptz(d.value() as i64),
        ArgType::Text => ArgValue::Text(String::from_datum(d, false).unwrap_or_default()),
        ArgType::TextArray => ArgValue::TextList(Vec::<Option<String>>::from_datum(d, false).unwrap_or_default()),
        ArgType::UuidArray => ArgValue::TextList(
            Vec::<Option<pgrx::Uuid>>::from_datum(d, false).unwrap_or_default().into_iter().map(|u| u.map(|u| u.to_string())).collect(),
        ),
        ArgType::Boolean => ArgValue::Bool(bool::from_datum(d, false).unwrap_or(false)),
        ArgType::Integer => ArgValue::Int(i64::from(i32::from_datum(d, false).unwrap_or(0))),
    }
}

unsafe fn stream_rows(
    entity: &'static Entity,
    org_name: &str,
    filters: &[(&'static xero_core::entities::Filter, ArgValue)],
    store: *mut pg_sys::Tuplestorestate,
    desc: pg_sys::TupleDesc,
) -> Result<()> {
    let columns = Arc::new(entity.columns());
    if (*desc).natts as usize != columns.len() {
        return Err(XeroError::new(
            ErrorKind::Internal,
            format!("{} returns {} columns but xero_fdw knows {}", entity.function, (*desc).natts, columns.len()),
        )
        .with_hint("The installed SQL does not match the library: ALTER EXTENSION xero_fdw UPDATE, or reinstall it."));
    }
    let org = resolve_org(org_name)?;
    let plan = plan_list(entity, &org.config.api_url, filters)?;
    let http = http()?;
    let mut access = tokens::access(&org, &http, None, true)?;
    let hooks: Rc<dyn xero_core::list::CallHooks> = Rc::new(crate::observe::OrgHooks::new(&org));
    let start = |access: &tokens::Access| {
        PageStream::start(&http, access.client.clone(), entity, columns.clone(), plan.clone(), access.authorizer.clone(), guc::retry_policy(), hooks.clone())
    };
    let mut stream = start(&access)?;
    let mut first = true;
    let mut rows_context = PgMemoryContexts::new("xero_fdw rows");
    let mut values = vec![pg_sys::Datum::from(0); columns.len()];
    let mut nulls = vec![false; columns.len()];
    loop {
        let page = match stream.next_page(&http, &interrupted) {
            Ok(Some(page)) => page,
            Ok(None) => break,
            // Xero refused a token we believed valid (revoked, or clocks disagree): refresh once.
            Err(e) if first && e.kind == ErrorKind::NotAuthorized => {
                access = tokens::access(&org, &http, Some(&access.token), true).map_err(|renewal| {
                    let detail = format!("{} (after Xero refused the current token: {})", renewal.detail.clone().unwrap_or_default(), e.detail.clone().unwrap_or(e.message.clone()));
                    renewal.with_detail(detail)
                })?;
                stream = start(&access)?;
                first = false;
                continue;
            }
            Err(e) => return Err(e),
        };
        first = false;
        // Reset per row, not per page: the context then stays within its first block, where a
        // page's worth of datums would make glibc map and unmap memory (page faults) every page.
        for row in &page.rows {
            rows_context.switch_to(|_| {
                for (i, (cell, column)) in row.iter().zip(columns.iter()).enumerate() {
                    (values[i], nulls[i]) = cells::to_datum(cell, column.ty);
                }
                pg_sys::tuplestore_putvalues(store, desc, values.as_mut_ptr(), nulls.as_mut_ptr());
            });
            rows_context.reset();
        }
    }
    Ok(())
}
