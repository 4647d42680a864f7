//! A row as one element of Xero's JSON: each column goes to the field its values are read from
//! (`contact_id` → `{"Contact": {"ContactID": …}}`), jsonb columns (`line_items`) as given.

use serde_json::{Map, Value};

use crate::dates::{civil_from_days, PG_EPOCH_DAYS, PG_EPOCH_MICROS};
use crate::decode::{format_uuid, Cell};
use crate::entities::{Source, Write};
use crate::error::{ErrorKind, Result, XeroError};
use crate::pushdown::{TableColumn, TableColumnKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Insert,
    Update,
    Delete,
}

impl Op {
    pub fn verb(self) -> &'static str {
        match self {
            Op::Insert => "create",
            Op::Update => "change",
            Op::Delete => "remove",
        }
    }
}

/// The element for one row: `cells[i]` is the value of `columns[i]`, and `send[i]` says whether
/// the statement gave it (an INSERT's non-NULL columns, an UPDATE's SET columns). Columns Xero
/// assigns (read-only in the specification), option columns, a child's parent columns and the
/// flattened tracking columns are not sent; an INSERT may not give the record's id where Xero
/// assigns it (it gives a currency's code).
pub fn element(write: &Write, columns: &[TableColumn], cells: &[Cell], send: &[bool], op: Op) -> Result<Map<String, Value>> {
    let mut out = Map::new();
    for (i, c) in columns.iter().enumerate() {
        if !send.get(i).copied().unwrap_or(false) {
            continue;
        }
        // An UPDATE that sets a column Xero does not take from a client is an error, not a
        // silently dropped change (an INSERT … SELECT of whole rows may carry them, and they are
        // left out).
        if op == Op::Update {
            if let Some(why) = not_settable(write, c) {
                return Err(XeroError::invalid_argument(format!("column \"{}\" cannot be changed: {why}", c.name))
                    .with_hint("Leave it out of the UPDATE's SET list."));
            }
        }
        let TableColumnKind::Data(Source::Field(path)) = c.kind else { continue };
        let cell = cells.get(i).unwrap_or(&Cell::Null);
        if path.len() == 1 && path[0] == write.id_field && write.id_assigned {
            if op == Op::Insert && *cell != Cell::Null {
                return Err(XeroError::invalid_argument(format!("column \"{}\" is assigned by Xero; an INSERT cannot set it", c.name))
                    .with_hint("Leave it out of the INSERT (RETURNING shows the id Xero gives); to change an existing record use UPDATE."));
            }
            continue;
        }
        if write.read_only.contains(&path[0]) || path.iter().any(|s| s.parse::<usize>().is_ok()) {
            continue;
        }
        let value = json_of(cell, c.name)?;
        put(&mut out, path, value);
    }
    Ok(out)
}

/// Why an UPDATE cannot set column `c`, if it cannot.
fn not_settable(write: &Write, c: &TableColumn) -> Option<String> {
    match c.kind {
        TableColumnKind::Option(_) => Some("it is a filter of the listing, not data".into()),
        TableColumnKind::Data(Source::Parent(_)) => Some("it describes the record's parent".into()),
        TableColumnKind::Data(Source::Ordinal) => Some("it is the row's position within its parent".into()),
        TableColumnKind::Data(Source::Field(path)) if path.len() == 1 && path[0] == write.id_field => Some("it is the record's id".into()),
        TableColumnKind::Data(Source::Field(path)) if write.read_only.contains(&path[0]) => Some("Xero computes it".into()),
        TableColumnKind::Data(Source::Field(path)) if path.iter().any(|s| s.parse::<usize>().is_ok()) => {
            Some(format!("it is read from the jsonb field {}; set that column instead", path[0]))
        }
        TableColumnKind::Data(Source::Field(_)) => None,
    }
}

/// Sets `path` in `obj`, making the objects on the way.
fn put(obj: &mut Map<String, Value>, path: &[&str], value: Value) {
    match path {
        [] => {}
        [last] => {
            obj.insert((*last).to_string(), value);
        }
        [first, rest @ ..] => {
            let entry = obj.entry((*first).to_string()).or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            if let Value::Object(inner) = entry {
                put(inner, rest, value);
            }
        }
    }
}

/// A cell as Xero's JSON: dates as `YYYY-MM-DD`, times as UTC `YYYY-MM-DDTHH:MM:SS`, numbers
/// exactly as PostgreSQL holds them, jsonb as the JSON it is.
pub fn json_of(cell: &Cell, column: &str) -> Result<Value> {
    Ok(match cell {
        Cell::Null => Value::Null,
        Cell::Text(s) => Value::String(s.clone()),
        Cell::Uuid(b) => Value::String(format_uuid(b)),
        Cell::Numeric(n) => {
            let bad = || XeroError::new(ErrorKind::InvalidArgument, format!("column \"{column}\": {n} is not a number Xero can take"));
            if n == "NaN" || n.contains("Infinity") {
                return Err(bad());
            }
            Value::Number(n.parse::<serde_json::Number>().map_err(|_| bad())?)
        }
        Cell::Date(days) => {
            let (y, m, d) = civil_from_days(i64::from(*days) + PG_EPOCH_DAYS);
            Value::String(format!("{y:04}-{m:02}-{d:02}"))
        }
        Cell::Timestamptz(micros) => {
            let unix = (micros + PG_EPOCH_MICROS).div_euclid(1_000_000);
            Value::String(crate::dates::format_utc_seconds(unix))
        }
        Cell::Bool(b) => Value::Bool(*b),
        Cell::Int(n) => Value::from(*n),
        Cell::Json(text) => serde_json::from_str(text)
            .map_err(|e| XeroError::new(ErrorKind::InvalidArgument, format!("column \"{column}\" is not valid JSON")).with_detail(e.to_string()))?,
    })
}
