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

/// A datum of a column of type `ty` as a cell (what a write sends); the inverse of [`to_datum`].
///
/// # Safety
/// `d` is a datum of the SQL type of `ty` (ignored when `isnull`), valid in the current context.
pub unsafe fn from_datum(d: pg_sys::Datum, isnull: bool, ty: ColumnType) -> Cell {
    if isnull {
        return Cell::Null;
    }
    // SAFETY: each conversion reads a datum of the type the column is declared with (checked
    // against the entity when the table was read, `fdw::table::attribute_map`).
    unsafe {
        match ty {
            ColumnType::Text => String::from_datum(d, false).map_or(Cell::Null, Cell::Text),
            ColumnType::Uuid => pgrx::Uuid::from_datum(d, false).map_or(Cell::Null, |u| {
                let mut b = [0u8; 16];
                b.copy_from_slice(u.as_bytes());
                Cell::Uuid(b)
            }),
            ColumnType::Numeric => Cell::Numeric(output_text(d, pg_sys::BuiltinOid::NUMERICOID.value())),
            ColumnType::Jsonb => Cell::Json(output_text(d, pg_sys::BuiltinOid::JSONBOID.value())),
            ColumnType::Date => Cell::Date(d.value() as i32),
            ColumnType::Timestamptz => Cell::Timestamptz(d.value() as i64),
            ColumnType::Boolean => Cell::Bool(bool::from_datum(d, false).unwrap_or(false)),
            ColumnType::Integer => Cell::Int(i64::from(d.value() as i32)),
            ColumnType::BigInt => Cell::Int(d.value() as i64),
        }
    }
}

/// A datum's text through its type's output function.
///
/// # Safety
/// `d` is a non-NULL datum of type `typid`.
pub unsafe fn output_text(d: pg_sys::Datum, typid: pg_sys::Oid) -> String {
    // SAFETY: the caller's contract; the output function returns a palloc'd C string.
    unsafe {
        let mut out = pg_sys::InvalidOid;
        let mut varlena = false;
        pg_sys::getTypeOutputInfo(typid, &mut out, &mut varlena);
        let p = pg_sys::OidOutputFunctionCall(out, d);
        std::ffi::CStr::from_ptr(p).to_string_lossy().into_owned()
    }
}
