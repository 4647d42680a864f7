//! `xero_<entity>(org, …)`: one C function serves every entity of the registry. It finds its
//! entity by the SQL function's name, turns the filter arguments into a plan, and streams the
//! pages into the result tuplestore (which spills to disk past work_mem), one page at a time.

use std::ffi::CStr;

use pgrx::pg_sys;
use pgrx::prelude::*;
use pgrx::PgMemoryContexts;
use xero_core::entities::{entity_by_function, ArgType, Entity};
use xero_core::list::{plan_list, ArgValue};
use xero_core::{ErrorKind, Result, XeroError};

use crate::pg::catalog::resolve_org;
use crate::pg::cells;
use crate::pg::report::{raise, raise_for_org};
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
/// types are those of an entity function's generated SQL (`sql/entity_functions.sql`).
#[pg_guard]
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn xero_entity_rows(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    // SAFETY: fcinfo and its flinfo are valid for this call; get_func_name returns a palloc'd
    // C string or NULL.
    let function = unsafe {
        let name_ptr = pg_sys::get_func_name((*(*fcinfo).flinfo).fn_oid);
        if name_ptr.is_null() { String::new() } else { CStr::from_ptr(name_ptr).to_string_lossy().into_owned() }
    };
    let Some(entity) = entity_by_function(&function) else {
        raise(XeroError::internal(format!("function \"{function}\" is not a xero_fdw entity function")), "xero_entity_rows");
    };
    // SAFETY: `args` has `nargs` entries; the generated SQL declares `org text` first and then one
    // argument per filter of the entity, in registry order, each of the type its filter names.
    let (org, filters) = unsafe {
        let args = (*fcinfo).args.as_slice((*fcinfo).nargs as usize);
        let org = (!args[0].isnull).then(|| String::from_datum(args[0].value, false)).flatten();
        let mut filters = Vec::new();
        for (i, f) in entity.filters.iter().enumerate() {
            let Some(a) = args.get(i + 1).filter(|a| !a.isnull) else { continue };
            filters.push((f, arg_value(f.ty, a.value)));
        }
        (org, filters)
    };
    let Some(org) = org else {
        raise(XeroError::invalid_argument(format!("{function}: org must not be NULL")).with_hint("Name a foreign server of xero_fdw."), entity.function);
    };
    // SAFETY: a set-returning function called in a context that accepts a materialized set
    // (InitMaterializedSRF raises an error otherwise); it sets resultinfo's store and descriptor.
    let (store, desc) = unsafe {
        pg_sys::InitMaterializedSRF(fcinfo, 0);
        let rsinfo = (*fcinfo).resultinfo as *mut pg_sys::ReturnSetInfo;
        ((*rsinfo).setResult, (*rsinfo).setDesc)
    };
    // SAFETY: `store` and `desc` were just set up by InitMaterializedSRF for this call.
    if let Err(e) = unsafe { stream_rows(entity, &org, &filters, store, desc) } {
        raise_for_org(e, &org, entity.function);
    }
    pg_sys::Datum::from(0)
}

/// A filter argument as the core's plan takes it.
///
/// # Safety
/// `d` is a non-NULL datum of the SQL type that `ty` names (the generated SQL declares it so).
unsafe fn arg_value(ty: ArgType, d: pg_sys::Datum) -> ArgValue {
    // SAFETY: the datum's type matches each conversion (the function's contract).
    unsafe {
        match ty {
            ArgType::Timestamptz => ArgValue::Timestamptz(d.value() as i64),
            ArgType::Date => ArgValue::Date(d.value() as i32),
            ArgType::Text => ArgValue::Text(String::from_datum(d, false).unwrap_or_default()),
            ArgType::Uuid => ArgValue::Text(pgrx::Uuid::from_datum(d, false).map(|u| u.to_string()).unwrap_or_default()),
            ArgType::TextArray => ArgValue::TextList(Vec::<Option<String>>::from_datum(d, false).unwrap_or_default()),
            ArgType::UuidArray => ArgValue::TextList(
                Vec::<Option<pgrx::Uuid>>::from_datum(d, false).unwrap_or_default().into_iter().map(|u| u.map(|u| u.to_string())).collect(),
            ),
            ArgType::Boolean => ArgValue::Bool(bool::from_datum(d, false).unwrap_or(false)),
            ArgType::Integer => ArgValue::Int(i64::from(i32::from_datum(d, false).unwrap_or(0))),
        }
    }
}

/// Streams the rows of `entity` into the tuplestore.
///
/// # Safety
/// `store` and `desc` are the result tuplestore and its descriptor from `InitMaterializedSRF`,
/// valid for the rest of this call.
unsafe fn stream_rows(
    entity: &'static Entity,
    org_name: &str,
    filters: &[(&'static xero_core::entities::Filter, ArgValue)],
    store: *mut pg_sys::Tuplestorestate,
    desc: pg_sys::TupleDesc,
) -> Result<()> {
    let columns = entity.columns();
    // SAFETY: `desc` is a valid tuple descriptor (the caller's contract).
    let natts = unsafe { (*desc).natts } as usize;
    if natts != columns.len() {
        return Err(XeroError::new(
            ErrorKind::Internal,
            format!("{} returns {} columns but xero_fdw knows {}", entity.function, natts, columns.len()),
        )
        .with_hint("The installed SQL does not match the library: ALTER EXTENSION xero_fdw UPDATE, or reinstall it."));
    }
    let org = resolve_org(org_name)?;
    let plan = plan_list(entity, &org.config.api_url, filters)?;
    let mut rows = read::start(&org, entity, plan)?;
    let mut rows_context = PgMemoryContexts::new("xero_fdw rows");
    let mut values = vec![pg_sys::Datum::from(0); columns.len()];
    let mut nulls = vec![false; columns.len()];
    // Reset per row, not per page: the context then stays within its first block, where a
    // page's worth of datums would make glibc map and unmap memory (page faults) every page.
    while let Some(row) = rows.next_row()? {
        rows_context.switch_to(|_| {
            for (i, (cell, column)) in row.iter().zip(columns.iter()).enumerate() {
                (values[i], nulls[i]) = cells::to_datum(cell, column.ty);
            }
            // SAFETY: `store`/`desc` are valid (the caller's contract); `values` and `nulls`
            // hold one entry per attribute of `desc`, checked above.
            unsafe { pg_sys::tuplestore_putvalues(store, desc, values.as_mut_ptr(), nulls.as_mut_ptr()) };
        });
        rows_context.reset();
    }
    Ok(())
}
