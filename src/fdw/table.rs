//! A foreign table as the scan sees it: its entity (the `entity` option, else its name), its
//! server, its `rows` option, and which of the entity's columns each attribute is (by name, so a
//! table declared by hand with fewer columns, in any order, works). Plus datums to the core's
//! pushdown values.

use std::ffi::CStr;

use pgrx::pg_sys;
use pgrx::prelude::*;
use pgrx::PgList;
use xero_core::entities::{ColumnType, Entity};
use xero_core::pushdown::{entity_by_table, table_columns, TableColumn, Value};
use xero_core::{Result, XeroError};

pub struct TableInfo {
    pub entity: &'static Entity,
    pub columns: Vec<TableColumn>,
    /// For attribute number `i + 1`: the index of its column in `columns`.
    pub attmap: Vec<Option<usize>>,
    pub server: String,
    pub rows: Option<f64>,
}

/// The SQL type of a column type.
pub fn type_oid(ty: ColumnType) -> pg_sys::Oid {
    use pg_sys::BuiltinOid as B;
    match ty {
        ColumnType::Uuid => B::UUIDOID.value(),
        ColumnType::Text => B::TEXTOID.value(),
        ColumnType::Numeric => B::NUMERICOID.value(),
        ColumnType::Date => B::DATEOID.value(),
        ColumnType::Timestamptz => B::TIMESTAMPTZOID.value(),
        ColumnType::Boolean => B::BOOLOID.value(),
        ColumnType::Integer => B::INT4OID.value(),
        ColumnType::BigInt => B::INT8OID.value(),
        ColumnType::Jsonb => B::JSONBOID.value(),
    }
}

/// A C string owned by PostgreSQL, as Rust text.
///
/// # Safety
/// `p` is NULL or a valid NUL-terminated string.
pub unsafe fn text_of(p: *const std::ffi::c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: non-NULL and NUL-terminated (the caller's contract).
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// A foreign table's server, options and name.
///
/// # Safety
/// Called in a transaction, with `relid` a foreign table the current query references.
pub unsafe fn catalog(relid: pg_sys::Oid) -> (String, Vec<(String, String)>, String) {
    // SAFETY: GetForeignTable/GetForeignServer raise an error for unknown OIDs and return palloc'd
    // structs; their option lists hold DefElems whose values defGetString reads.
    unsafe {
        let ft = pg_sys::GetForeignTable(relid);
        let server = pg_sys::GetForeignServer((*ft).serverid);
        let mut options = Vec::new();
        for def in PgList::<pg_sys::DefElem>::from_pg((*ft).options).iter_ptr() {
            options.push((text_of((*def).defname), text_of(pg_sys::defGetString(def))));
        }
        (text_of((*server).servername), options, text_of(pg_sys::get_rel_name(relid)))
    }
}

/// For each attribute of `relid`, the index of its column in `columns` (by name), checking types.
///
/// # Safety
/// As [`catalog`].
pub unsafe fn attribute_map(relid: pg_sys::Oid, relname: &str, columns: &[(&str, ColumnType)]) -> Result<Vec<Option<usize>>> {
    // SAFETY: the query already holds a lock on the relation (NoLock here); its descriptor's
    // attributes are read before it is closed.
    let atts: Vec<(String, pg_sys::Oid, bool)> = unsafe {
        let rel = pg_sys::relation_open(relid, pg_sys::NoLock as pg_sys::LOCKMODE);
        let desc = (*rel).rd_att;
        let atts = (*desc)
            .attrs
            .as_slice((*desc).natts as usize)
            .iter()
            .map(|a| (text_of(a.attname.data.as_ptr()), a.atttypid, a.attisdropped))
            .collect();
        pg_sys::relation_close(rel, pg_sys::NoLock as pg_sys::LOCKMODE);
        atts
    };
    let mut attmap = Vec::with_capacity(atts.len());
    for (name, ty, dropped) in atts {
        let index = if dropped { None } else { columns.iter().position(|c| c.0 == name) };
        if let Some(i) = index {
            if ty != type_oid(columns[i].1) {
                return Err(XeroError::invalid_option(format!("column \"{name}\" of foreign table \"{relname}\" must be of type {}", columns[i].1.sql()))
                    .with_hint("Declare it with the type IMPORT FOREIGN SCHEMA gives it."));
            }
        }
        attmap.push(index);
    }
    Ok(attmap)
}

/// The `rows` option.
pub fn rows_option(options: &[(String, String)]) -> Option<f64> {
    options.iter().find(|(k, _)| k == "rows").and_then(|(_, r)| r.trim().parse::<f64>().ok())
}

/// Reads the foreign table `relid`'s entity, server and columns from the catalog.
///
/// # Safety
/// Called in a transaction, with `relid` a foreign table the current query references.
pub unsafe fn table_info(relid: pg_sys::Oid) -> Result<TableInfo> {
    // SAFETY: the caller's contract.
    let (server, options, relname) = unsafe { catalog(relid) };
    let option = |name: &str| options.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let entity_name = option("entity").unwrap_or_else(|| relname.clone());
    let entity = entity_by_table(&entity_name).ok_or_else(|| {
        XeroError::invalid_option(format!("foreign table \"{relname}\" does not name a Xero collection (entity {entity_name:?})"))
            .with_hint("Set OPTIONS (entity 'invoices') or create the tables with IMPORT FOREIGN SCHEMA accounting FROM SERVER … INTO ….")
    })?;
    let columns = table_columns(entity);
    let names: Vec<(&str, ColumnType)> = columns.iter().map(|c| (c.name, c.ty)).collect();
    // SAFETY: the caller's contract.
    let attmap = unsafe { attribute_map(relid, &relname, &names) }?;
    Ok(TableInfo { entity, columns, attmap, server, rows: rows_option(&options) })
}

/// A datum of SQL type `typid` as a pushdown value; None for a type the pushdown does not take.
///
/// # Safety
/// `d` is a datum of type `typid` (ignored when `isnull`).
pub unsafe fn datum_value(d: pg_sys::Datum, isnull: bool, typid: pg_sys::Oid) -> Option<Value> {
    use pg_sys::BuiltinOid as B;
    if isnull {
        return Some(Value::Null);
    }
    let oid = typid;
    // SAFETY: each conversion reads a datum of the type it is chosen for (the caller's contract).
    unsafe {
        Some(if oid == B::TEXTOID.value() {
            Value::Text(String::from_datum(d, false)?)
        } else if oid == B::UUIDOID.value() {
            Value::Uuid(pgrx::Uuid::from_datum(d, false)?.to_string())
        } else if oid == B::NUMERICOID.value() {
            Value::Numeric(crate::pg::cells::output_text(d, oid))
        } else if oid == B::DATEOID.value() {
            Value::Date(d.value() as i32)
        } else if oid == B::TIMESTAMPTZOID.value() {
            Value::Timestamptz(d.value() as i64)
        } else if oid == B::BOOLOID.value() {
            Value::Bool(bool::from_datum(d, false)?)
        } else if oid == B::INT4OID.value() {
            Value::Int(i64::from(d.value() as i32))
        } else if oid == B::INT8OID.value() {
            Value::Int(d.value() as i64)
        } else {
            let elem = pg_sys::get_element_type(oid);
            if elem == pg_sys::InvalidOid {
                return None;
            }
            let arr = pg_sys::pg_detoast_datum(d.cast_mut_ptr()) as *mut pg_sys::ArrayType;
            let (mut len, mut byval, mut align) = (0i16, false, 0 as std::ffi::c_char);
            pg_sys::get_typlenbyvalalign(elem, &mut len, &mut byval, &mut align);
            let (mut elems, mut nulls, mut n) = (std::ptr::null_mut(), std::ptr::null_mut(), 0);
            pg_sys::deconstruct_array(arr, elem, len as i32, byval, align, &mut elems, &mut nulls, &mut n);
            let mut items = Vec::with_capacity(n as usize);
            for i in 0..n as usize {
                items.push(datum_value(*elems.add(i), *nulls.add(i), elem)?);
            }
            Value::List(items)
        })
    }
}
