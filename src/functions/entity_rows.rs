//! `xero_<entity>(org, …)`: one C function serves every entity of the registry. It finds its
//! entity by the SQL function's name, turns the filter arguments into a plan, and streams the
//! pages into the result tuplestore (which spills to disk past work_mem), one page at a time.

use pgrx::pg_sys;
use pgrx::prelude::*;
use xero_core::entities::{entity_by_function, Entity};
use xero_core::list::{plan_list, ArgValue};
use xero_core::{Result, XeroError};

use crate::pg::catalog::resolve_org;
use crate::pg::report::{raise, raise_for_org};
use crate::pg::srf;
use crate::tokens::read;

#[unsafe(no_mangle)]
pub extern "C" fn pg_finfo_xero_entity_rows() -> &'static pg_sys::Pg_finfo_record {
    const V1: pg_sys::Pg_finfo_record = pg_sys::Pg_finfo_record { api_version: 1 };
    &V1
}

/// The C function behind every `xero_<entity>` SQL function.
///
/// # Safety
/// Called only by PostgreSQL's function manager, with a valid `fcinfo` whose argument count and
/// types are those of an entity function's generated SQL (`sql/generated_functions.sql`).
#[pg_guard]
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn xero_entity_rows(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    // SAFETY: the function manager's valid fcinfo (this function's contract).
    let function = unsafe { srf::function_name(fcinfo) };
    let Some(entity) = entity_by_function(&function) else {
        raise(XeroError::internal(format!("function \"{function}\" is not a xero_fdw entity function")), "xero_entity_rows");
    };
    let types: Vec<_> = entity.filters.iter().map(|f| f.ty).collect();
    // SAFETY: the generated SQL declares `org text` and then one argument per filter of the
    // entity, in registry order, each of the type its filter names.
    let (org, args) = unsafe { srf::arguments(fcinfo, &types) };
    let Some(org) = org else {
        raise(XeroError::invalid_argument(format!("{function}: org must not be NULL")).with_hint("Name a foreign server of xero_fdw."), entity.function);
    };
    let filters: Vec<_> = args.into_iter().map(|(i, v)| (&entity.filters[i], v)).collect();
    // SAFETY: a set-returning function's valid fcinfo.
    let rows = unsafe { srf::Rows::materialize(fcinfo, entity.function, entity.columns().iter().map(|c| c.ty).collect()) };
    if let Err(e) = rows.and_then(|rows| stream_rows(entity, &org, &filters, rows)) {
        raise_for_org(e, &org, entity.function);
    }
    pg_sys::Datum::from(0)
}

/// Streams the rows of `entity` into the result, one row at a time as the read path yields them.
fn stream_rows(entity: &'static Entity, org_name: &str, filters: &[(&'static xero_core::entities::Filter, ArgValue)], mut rows: srf::Rows) -> Result<()> {
    let org = resolve_org(org_name)?;
    let plan = plan_list(entity, &org.config.api_url, filters)?;
    let mut reader = read::start(&org, entity, plan)?;
    while let Some(row) = reader.next_row()? {
        rows.put(&row);
    }
    Ok(())
}
