//! Decoded cells to Datums. Variable-length values are palloc'd in the current memory context,
//! which the caller resets after each row is stored.

use std::ffi::CString;

use pgrx::pg_sys;
use pgrx::prelude::*;
use xero_core::decode::Cell;
use xero_core::entities::ColumnType;

// The raw fmgr entry points; pgrx's pg_sys wrappers of these are Rust functions, not PGFunctions.
unsafe extern "C-unwind" {
    fn numeric_in(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum;
    fn jsonb_in(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum;
}

/// Returns (datum, is_null).
pub fn to_datum(cell: &Cell, ty: ColumnType) -> (pg_sys::Datum, bool) {
    match cell {
        Cell::Null => (pg_sys::Datum::from(0), true),
        Cell::Text(s) => (s.as_str().into_datum().expect("text is never null"), false),
        Cell::Uuid(bytes) => (pgrx::Uuid::from_bytes(*bytes).into_datum().expect("uuid is never null"), false),
        Cell::Numeric(text) => (input_function(numeric_in, text), false),
        Cell::Json(text) => (input_function(jsonb_in, text), false),
        Cell::Date(days) => (pg_sys::Datum::from(*days), false),
        Cell::Timestamptz(micros) => (pg_sys::Datum::from(*micros), false),
        Cell::Bool(b) => (pg_sys::Datum::from(*b), false),
        Cell::Int(n) => match ty {
            ColumnType::Integer => (pg_sys::Datum::from(*n as i32), false),
            _ => (pg_sys::Datum::from(*n), false),
        },
    }
}

/// Calls a type's input function (numeric_in, jsonb_in) the way the executor would. (`f` is an
/// `unsafe extern` function pointer type, not an unsafe function: the call below is the unsafe part.)
fn input_function(f: unsafe extern "C-unwind" fn(pg_sys::FunctionCallInfo) -> pg_sys::Datum, text: &str) -> pg_sys::Datum {
    // Decoded text never contains NUL for numerics; JSON escapes NUL as \u0000.
    let c = CString::new(text).unwrap_or_else(|_| CString::new(text.replace('\0', "")).expect("NULs removed"));
    // SAFETY: input functions take (cstring, typioparam oid, typmod); both callees are strict.
    unsafe {
        pg_sys::DirectFunctionCall3Coll(
            Some(f),
            pg_sys::InvalidOid,
            pg_sys::Datum::from(c.as_ptr()),
            pg_sys::Datum::from(pg_sys::InvalidOid),
            pg_sys::Datum::from(-1i32),
        )
    }
}
