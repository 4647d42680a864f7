//! `xero_push`, the plain-Rust half: which staging tables can be pushed to an entity, a picked
//! batch of staging rows (as `to_jsonb` gives them) made into calls whose element texts and keys
//! are stored before sending, the same calls made again from those texts (byte for byte, so
//! the same `Idempotency-Key`), and Xero's answer as one result per row.

use serde_json::{json, Map, Value};

use super::encode::{element, Op};
use super::request::{create_batch_of_texts, element_text, salted_key, update_request, WriteCall};
use super::{answer_key, answers, write_of, Answer};
use crate::dates::{days_from_civil, parse_xero_date, PG_EPOCH_DAYS};
use crate::decode::{parse_uuid, Cell};
use crate::entities::{ColumnType, Entity, Source, Write};
use crate::error::{ErrorKind, Result, XeroError};
use crate::http::Response;
use crate::pushdown::{table_columns, table_name, TableColumn, TableColumnKind};

/// The columns `xero_push` fills in, with the types they must have (`xero_id`: see `check_staging`).
pub const PUSH_COLUMNS: [(&str, &str); 4] = [("xero_id", "uuid"), ("push_status", "text"), ("push_errors", "jsonb"), ("pushed_at", "timestamp with time zone")];

/// The types (as `format_type` names them) a staging column may have for a column of type `ty`:
/// those whose `to_jsonb` gives the JSON `cell_of_json` reads for it.
fn accepted_types(ty: ColumnType) -> &'static [&'static str] {
    match ty {
        ColumnType::Text => &["text", "character varying"],
        ColumnType::Numeric => &["numeric", "integer", "bigint", "smallint"],
        ColumnType::Integer => &["integer", "smallint"],
        ColumnType::BigInt => &["bigint", "integer", "smallint"],
        ColumnType::Jsonb => &["jsonb", "json"],
        ColumnType::Uuid => &["uuid"],
        ColumnType::Date => &["date"],
        ColumnType::Timestamptz => &["timestamp with time zone"],
        ColumnType::Boolean => &["boolean"],
    }
}

/// The entity a push names (`invoices` or `xero_invoices`) and how it is written.
pub fn push_target(name: &str) -> Result<(&'static Entity, &'static Write)> {
    let table = name.strip_prefix("xero_").unwrap_or(name);
    let entity = crate::pushdown::entity_by_table(table).ok_or_else(|| {
        XeroError::invalid_argument(format!("\"{name}\" is not a Xero table"))
            .with_hint("Name the foreign table of the entity, as IMPORT FOREIGN SCHEMA names it: invoices, contacts, items, …")
    })?;
    Ok((entity, write_of(entity, Op::Insert)?))
}

/// Checks a staging table's columns (name, `format_type` of its type) for a push to `entity`:
/// the four push columns with their types, and every other column one of the entity's table,
/// with a type whose values it can send.
pub fn check_staging(entity: &'static Entity, write: &Write, staging: &str, columns: &[(String, String)]) -> Result<()> {
    let table = table_name(entity);
    let cols = table_columns(entity);
    let id_is_uuid = cols.iter().any(|c| is_id(c, write) && c.ty == ColumnType::Uuid);
    for (name, want) in PUSH_COLUMNS {
        let want: &[&str] = match name {
            "xero_id" if id_is_uuid => &["uuid", "text"],
            "xero_id" => &["text"],
            _ => std::slice::from_ref(&want),
        };
        match columns.iter().find(|(n, _)| n == name) {
            None => {
                return Err(XeroError::invalid_argument(format!("staging table {staging} has no column \"{name}\""))
                    .with_detail("xero_push keeps each row's result in the columns xero_id, push_status, push_errors and pushed_at.")
                    .with_hint(format!(
                        "ALTER TABLE {staging} ADD COLUMN xero_id {}, ADD COLUMN push_status text, ADD COLUMN push_errors jsonb, ADD COLUMN pushed_at timestamptz; (those it lacks)",
                        if id_is_uuid { "uuid" } else { "text" }
                    )))
            }
            Some((_, have)) if !want.contains(&have.as_str()) => {
                return Err(XeroError::invalid_argument(format!("column \"{name}\" of staging table {staging} is {have}, not {}", want.join(" or "))))
            }
            Some(_) => {}
        }
    }
    for (name, have) in columns {
        if PUSH_COLUMNS.iter().any(|(p, _)| p == name) {
            continue;
        }
        let Some(c) = cols.iter().find(|c| c.name == name) else {
            return Err(XeroError::invalid_argument(format!("column \"{name}\" of staging table {staging} is not a column of {table}"))
                .with_hint(format!("A staging table has the columns of the foreign table {table} (any of them) and the four push columns; drop or rename \"{name}\".")));
        };
        if !accepted_types(c.ty).contains(&have.as_str()) {
            return Err(XeroError::invalid_argument(format!("column \"{name}\" of staging table {staging} is {have}; {table}.{name} is {}", c.ty.sql()))
                .with_hint(format!("ALTER TABLE {staging} ALTER COLUMN {name} TYPE {};", c.ty.sql())));
        }
    }
    Ok(())
}

fn is_id(c: &TableColumn, write: &Write) -> bool {
    matches!(c.kind, TableColumnKind::Data(Source::Field([f])) if *f == write.id_field)
}

fn is_parent(c: &TableColumn, write: &Write) -> bool {
    matches!((c.kind, write.parent_field), (TableColumnKind::Data(Source::Parent([f])), Some(p)) if *f == p)
}

/// A staging row's value (as `to_jsonb` gives it) as the cell of a column of type `ty`.
pub fn cell_of_json(ty: ColumnType, v: &Value, column: &str) -> Result<Cell> {
    let bad = || XeroError::invalid_argument(format!("column \"{column}\": {v} is not a {} value", ty.sql()));
    Ok(match (ty, v) {
        (_, Value::Null) => Cell::Null,
        (ColumnType::Text, Value::String(s)) => Cell::Text(s.clone()),
        (ColumnType::Uuid, Value::String(s)) => Cell::Uuid(parse_uuid(s).ok_or_else(bad)?),
        (ColumnType::Numeric, Value::Number(n)) => Cell::Numeric(n.to_string()),
        (ColumnType::Integer | ColumnType::BigInt, Value::Number(n)) => Cell::Int(n.as_i64().ok_or_else(bad)?),
        (ColumnType::Boolean, Value::Bool(b)) => Cell::Bool(*b),
        (ColumnType::Jsonb, v) => Cell::Json(v.to_string()),
        (ColumnType::Date, Value::String(s)) => {
            let ok = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
            let (y, m, d) = (s.get(0..4).and_then(|x| x.parse::<i64>().ok()), s.get(5..7).and_then(|x| x.parse().ok()), s.get(8..10).and_then(|x| x.parse().ok()));
            let (Some(y), Some(m), Some(d), true) = (y, m, d, ok) else { return Err(bad()) };
            Cell::Date(i32::try_from(days_from_civil(y, m, d) - PG_EPOCH_DAYS).map_err(|_| bad())?)
        }
        (ColumnType::Timestamptz, Value::String(s)) => {
            // `to_jsonb` writes the session's time zone as an offset: the instant is exact.
            Cell::Timestamptz(parse_xero_date(s).ok().and_then(|d| d.pg_timestamptz()).ok_or_else(bad)?)
        }
        _ => return Err(bad()),
    })
}

/// One call of a push: the rows it carries (indexes into the picked rows, in element order) and
/// what is stored to send it again (`resend`).
#[derive(Debug, Clone, PartialEq)]
pub struct PushCall {
    /// The call's Idempotency-Key: its content's key salted (`salted_key`).
    pub key: String,
    /// What salts the key: unique to this call of this push.
    pub salt: String,
    pub rows: Vec<usize>,
    pub elements: Vec<String>,
    /// The record changed (an update), or None (a create).
    pub id: Option<String>,
    /// A child table's parent id.
    pub parent: Option<String>,
}

/// The picked rows made into calls: creates batched (those of one parent together, as many a
/// call as Xero takes), each update a call of its own; a row that cannot be sent (a bad value,
/// a missing parent id) is returned with why instead, and holds up no other row.
/// `nonce` is unique to this batch of this push; each call's salt is the nonce and its number.
pub fn prepare(api_url: &str, entity: &'static Entity, write: &Write, rows: &[Value], nonce: &str) -> (Vec<PushCall>, Vec<(usize, XeroError)>) {
    let cols = table_columns(entity);
    let per_call = if write.creates_many() { usize::MAX } else { 1 };
    let mut calls: Vec<PushCall> = Vec::new();
    let mut failed = Vec::new();
    // Creates grouped by parent, in the order the rows were picked.
    let mut creates: Vec<CreateGroup> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let made = encode_row(&cols, write, row).and_then(|(id, parent, text)| match id {
            Some(id) => {
                let salt = format!("{nonce}/{}", calls.len());
                let call = salted_key(update_call(api_url, write, parent.as_deref(), &id, &text)?, &salt);
                calls.push(PushCall { key: call.key, salt, rows: vec![i], elements: vec![text], id: Some(id), parent });
                Ok(())
            }
            None => {
                match creates.iter_mut().find(|(p, group)| *p == parent && group.len() < per_call) {
                    Some((_, group)) => group.push((i, text)),
                    None => creates.push((parent, vec![(i, text)])),
                }
                Ok(())
            }
        });
        if let Err(e) = made {
            failed.push((i, e));
        }
    }
    for (parent, group) in creates {
        let (rows, elements): (Vec<usize>, Vec<String>) = group.into_iter().unzip();
        let salt = format!("{nonce}/{}", calls.len());
        match create_batch_of_texts(api_url, write, parent.as_deref(), &elements) {
            Ok(call) => calls.push(PushCall { key: salted_key(call, &salt).key, salt, rows, elements, id: None, parent }),
            Err(e) => failed.extend(rows.into_iter().map(|i| (i, e.clone()))),
        }
    }
    (calls, failed)
}

/// Creates of one parent: the parent, and each row's index and element text.
type CreateGroup = (Option<String>, Vec<(usize, String)>);

/// A row's record id (an update), parent id, and element text.
fn encode_row(cols: &[TableColumn], write: &Write, row: &Value) -> Result<(Option<String>, Option<String>, String)> {
    let obj = row.as_object().ok_or_else(|| XeroError::internal("a staging row is not a JSON object"))?;
    let id = obj.get("xero_id").and_then(Value::as_str).map(str::to_string);
    let op = if id.is_some() { Op::Update } else { Op::Insert };
    let mut cells = vec![Cell::Null; cols.len()];
    let mut send = vec![false; cols.len()];
    let mut parent = None;
    for (i, c) in cols.iter().enumerate() {
        let Some(v) = obj.get(c.name) else { continue };
        cells[i] = cell_of_json(c.ty, v, c.name)?;
        if is_parent(c, write) {
            parent = v.as_str().map(str::to_string);
        }
        // A NULL is "not given" (the staging table's columns are the foreign table's, most of
        // them empty); the record's id is xero_id's, never the id column's.
        send[i] = !v.is_null() && !is_id(c, write);
    }
    let element = element(write, cols, &cells, &send, op)?;
    Ok((id, parent, element_text(&element)))
}

fn update_call(api_url: &str, write: &Write, parent: Option<&str>, id: &str, text: &str) -> Result<WriteCall> {
    // serde_json keeps the order and digits of the text, so the element made again serializes
    // to the same bytes (the key check in `resend` would say otherwise).
    let element: Map<String, Value> = serde_json::from_str(text).map_err(|e| XeroError::internal("a stored element is not JSON").with_detail(e.to_string()))?;
    update_request(api_url, write, parent, id, element)
}

/// The call a push stored as `key` (salted with `salt`) and its element texts, made again: the
/// same request, or an error if it no longer would be (the organisation's api_url changed, a
/// stored text was edited).
pub fn resend(api_url: &str, write: &Write, key: &str, salt: &str, elements: &[String], id: Option<&str>, parent: Option<&str>) -> Result<WriteCall> {
    let unsalted = match id {
        Some(id) if elements.len() == 1 => update_call(api_url, write, parent, id, &elements[0])?,
        Some(_) => return Err(XeroError::internal("an update in flight carries more than one element")),
        None => create_batch_of_texts(api_url, write, parent, elements)?,
    };
    let call = salted_key(unsalted, salt);
    if call.key != key {
        return Err(XeroError::invalid_argument("the call in flight cannot be made again exactly as it was first sent")
            .with_detail(format!("Its rows were stored with Idempotency-Key {key}; sent again now they would carry {}. The organisation's api_url, or the rows' push_errors, changed since.", call.key))
            .with_hint("Check in Xero whether the records exist; set push_status (and push_errors) to NULL on the rows whose records do not, xero_id and push_status = 'created' on those that do."));
    }
    Ok(call)
}

/// Xero's answer to a push call as one result per row, in element order:
/// `{"status": "created"|"updated", "xero_id": …}` or `{"status": "rejected", "errors": […]}`.
pub fn results(entity: &Entity, write: &Write, call: &WriteCall, response: &Response) -> Result<Vec<Value>> {
    let done = if call.request.label.starts_with("PUT") { "created" } else { "updated" };
    let answers = answers(&call.request.label, answer_key(entity, write), call.elements, response)?;
    answers
        .into_iter()
        .map(|a| match a {
            Answer::Done(record) => {
                let id = record.get(write.id_field).and_then(Value::as_str).ok_or_else(|| {
                    XeroError::new(ErrorKind::ProtocolViolation, format!("{}: Xero's answer has a record without {}", call.request.label, write.id_field))
                })?;
                Ok(json!({"status": done, "xero_id": id}))
            }
            Answer::Rejected(messages) => Ok(json!({"status": "rejected", "errors": messages})),
        })
        .collect()
}
