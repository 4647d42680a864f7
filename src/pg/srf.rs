//! What the generated set-returning functions (`xero_<entity>`, `xero_report_<name>`) share: one
//! C function serves many SQL functions, so it learns which one it is by name; its arguments
//! arrive as datums in the order the generated SQL declares; its rows go into a materialized
//! tuplestore (spilled to disk past work_mem) through a per-row memory context.

use std::ffi::CStr;

use pgrx::pg_sys;
use pgrx::prelude::*;
use pgrx::PgMemoryContexts;
use xero_core::decode::Cell;
use xero_core::entities::{ArgType, ColumnType};
use xero_core::list::ArgValue;
use xero_core::{ErrorKind, Result, XeroError};

use crate::pg::cells;

/// The SQL name of the function being called.
///
/// # Safety
/// `fcinfo` is the valid call information of the current call.
pub unsafe fn function_name(fcinfo: pg_sys::FunctionCallInfo) -> String {
    // SAFETY: fcinfo and its flinfo are valid for this call (the caller's contract);
    // get_func_name returns a palloc'd C string or NULL.
    unsafe {
        let name_ptr = pg_sys::get_func_name((*(*fcinfo).flinfo).fn_oid);
        if name_ptr.is_null() {
            String::new()
        } else {
            CStr::from_ptr(name_ptr).to_string_lossy().into_owned()
        }
    }
}

/// The first argument, `org text`, and the others as the core takes them: `types[i]` is the
/// declared type of argument `i + 1`; NULL arguments are left out.
///
/// # Safety
/// `fcinfo` is the valid call information of a function whose generated SQL declares `org text`
/// and then one argument of each of `types`, in that order.
pub unsafe fn arguments(fcinfo: pg_sys::FunctionCallInfo, types: &[ArgType]) -> (Option<String>, Vec<(usize, ArgValue)>) {
    // SAFETY: `args` has `nargs` entries (the caller's contract gives their types).
    unsafe {
        let args = (*fcinfo).args.as_slice((*fcinfo).nargs as usize);
        let org = args.first().filter(|a| !a.isnull).and_then(|a| String::from_datum(a.value, false));
        let mut values = Vec::new();
        for (i, ty) in types.iter().enumerate() {
            let Some(a) = args.get(i + 1).filter(|a| !a.isnull) else { continue };
            values.push((i, arg_value(*ty, a.value)));
        }
        (org, values)
    }
}

/// An argument as the core takes it.
///
/// # Safety
/// `d` is a non-NULL datum of the SQL type that `ty` names.
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

/// The result tuplestore of a materialized set-returning function.
pub struct Rows {
    store: *mut pg_sys::Tuplestorestate,
    desc: pg_sys::TupleDesc,
    types: Vec<ColumnType>,
    context: PgMemoryContexts,
    values: Vec<pg_sys::Datum>,
    nulls: Vec<bool>,
}

impl Rows {
    /// Sets up the tuplestore, after checking the installed SQL declares the columns the library
    /// produces.
    ///
    /// # Safety
    /// `fcinfo` is the valid call information of a set-returning function.
    pub unsafe fn materialize(fcinfo: pg_sys::FunctionCallInfo, function: &str, types: Vec<ColumnType>) -> Result<Rows> {
        // SAFETY: InitMaterializedSRF raises an error unless the caller accepts a materialized
        // set; it then sets resultinfo's store and descriptor, valid for the rest of the call.
        let (store, desc) = unsafe {
            pg_sys::InitMaterializedSRF(fcinfo, 0);
            let rsinfo = (*fcinfo).resultinfo as *mut pg_sys::ReturnSetInfo;
            ((*rsinfo).setResult, (*rsinfo).setDesc)
        };
        // SAFETY: `desc` is the valid descriptor just set up.
        let natts = unsafe { (*desc).natts } as usize;
        if natts != types.len() {
            return Err(XeroError::new(ErrorKind::Internal, format!("{function} returns {natts} columns but xero_fdw knows {}", types.len()))
                .with_hint("The installed SQL does not match the library: ALTER EXTENSION xero_fdw UPDATE, or reinstall it."));
        }
        let n = types.len();
        Ok(Rows {
            store,
            desc,
            types,
            context: PgMemoryContexts::new("xero_fdw rows"),
            values: vec![pg_sys::Datum::from(0); n],
            nulls: vec![false; n],
        })
    }

    /// Stores one row (one cell per column). The per-row context is reset after each row, not
    /// per page: it then stays within its first block, where a page's worth of datums would make
    /// glibc map and unmap memory (page faults) every page.
    pub fn put(&mut self, row: &[Cell]) {
        let (store, desc) = (self.store, self.desc);
        let (values, nulls, types) = (&mut self.values, &mut self.nulls, &self.types);
        // SAFETY: the per-row context outlives the closure; nothing allocated in it is kept past
        // the reset below (tuplestore_putvalues copies the tuple into the store's own memory).
        unsafe {
            self.context.switch_to(|_| {
                for (i, (cell, ty)) in row.iter().zip(types.iter()).enumerate() {
                    (values[i], nulls[i]) = cells::to_datum(cell, *ty);
                }
                // `store`/`desc` are the tuplestore and descriptor set up by `materialize`;
                // `values` and `nulls` hold one entry per attribute, checked there.
                pg_sys::tuplestore_putvalues(store, desc, values.as_mut_ptr(), nulls.as_mut_ptr());
            });
            self.context.reset();
        }
    }
}
