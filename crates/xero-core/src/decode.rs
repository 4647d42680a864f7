//! Turns a Xero JSON page into typed cells, one `Vec<Cell>` per SQL row. Runs off the backend
//! thread (see `stream`), so it must not know PostgreSQL; cells carry PostgreSQL's binary
//! conventions (days/microseconds since 2000-01-01) so the pgrx layer only wraps them.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::dates::parse_xero_date;
use crate::entities::{Column, ColumnType, Entity, RowShape, Source};
use crate::error::{ErrorKind, Result, XeroError};

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Text(String),
    Uuid([u8; 16]),
    /// Decimal text exactly as Xero sent it.
    Numeric(String),
    /// Days since 2000-01-01.
    Date(i32),
    /// Microseconds since 2000-01-01 UTC.
    Timestamptz(i64),
    Bool(bool),
    Int(i64),
    /// JSON text.
    Json(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
pub struct Pagination {
    pub page: u32,
    #[serde(rename = "pageSize")]
    pub page_size: u32,
    #[serde(rename = "pageCount")]
    pub page_count: u32,
    #[serde(rename = "itemCount", default)]
    pub item_count: u64,
}

#[derive(Debug, Default)]
pub struct Page {
    pub rows: Vec<Vec<Cell>>,
    /// Records in the response (not rows: an invoice with three lines is one record).
    pub records: usize,
    pub pagination: Option<Pagination>,
    /// Transient failures retried to get this page.
    pub retries: u32,
    /// For child rows: the last record's own columns (its children's rows may be none), so an
    /// offset is read from the last record, never from an earlier one.
    pub last_parent: Option<Vec<Cell>>,
    /// For child rows: the parent columns of every record that has no children (a sync deletes
    /// the local children of a changed parent that lost them all).
    pub childless: Vec<Vec<Cell>>,
}

/// The entries of a JSON object, borrowed from the body: no tree is built, no number or nested
/// value is copied until a column asks for it.
struct Entries<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> Deserialize<'de> for Entries<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Entries<'de>, A::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(48));
                while let Some((k, v)) = map.next_entry::<Cow<'de, str>, &'de RawValue>()? {
                    out.push((k, v));
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(V)
    }
}

impl<'a> Entries<'a> {
    fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }
}

/// Which columns each top-level key feeds, computed once per page.
struct Plan<'c> {
    own: HashMap<&'static str, Vec<(usize, &'static [&'static str])>>,
    parent: HashMap<&'static str, Vec<(usize, &'static [&'static str])>>,
    ordinal: Option<usize>,
    columns: &'c [Column],
}

impl<'c> Plan<'c> {
    fn new(columns: &'c [Column]) -> Self {
        let mut plan = Plan { own: HashMap::new(), parent: HashMap::new(), ordinal: None, columns };
        for (i, c) in columns.iter().enumerate() {
            match c.source {
                Source::Field(path) => plan.own.entry(path[0]).or_default().push((i, &path[1..])),
                Source::Parent(path) => plan.parent.entry(path[0]).or_default().push((i, &path[1..])),
                Source::Ordinal => plan.ordinal = Some(i),
            }
        }
        plan
    }

    /// Fills `row` from the record's entries for the columns `index` routes.
    fn fill(&self, index: &HashMap<&'static str, Vec<(usize, &'static [&'static str])>>, record: &Entries, row: &mut [Cell]) -> Result<()> {
        for (key, raw) in &record.0 {
            let Some(targets) = index.get(key.as_ref()) else { continue };
            let mut nested: Option<Entries> = None;
            for &(i, rest) in targets {
                let mut value = Some(*raw);
                if rest.iter().any(|s| s.parse::<usize>().is_ok()) {
                    // Through an array (a line's first and second tracking categories).
                    value = walk(raw, rest, key)?;
                } else {
                    for segment in rest {
                        if nested.is_none() {
                            nested = Some(parse_object(value.unwrap_or(raw), key)?);
                        }
                        value = nested.as_ref().and_then(|n| n.get(segment));
                    }
                }
                row[i] = match value {
                    Some(v) => decode_value(&self.columns[i], v)?,
                    None => Cell::Null,
                };
            }
        }
        Ok(())
    }
}

/// Follows `path` from `raw`: a numeric segment indexes an array, any other names an object's
/// field; None where the value is missing or of another shape.
fn walk<'a>(raw: &'a RawValue, path: &[&str], what: &str) -> Result<Option<&'a RawValue>> {
    let mut value = raw;
    for segment in path {
        let text = value.get();
        let next = match segment.parse::<usize>() {
            Ok(n) if text.starts_with('[') => {
                let items: Vec<&'a RawValue> = serde_json::from_str(text).map_err(|e| protocol(format!("\"{what}\" is not a valid JSON array: {e}")))?;
                items.get(n).copied()
            }
            Err(_) if text.starts_with('{') => parse_object(value, what)?.get(segment),
            _ => None,
        };
        match next {
            Some(v) => value = v,
            None => return Ok(None),
        }
    }
    Ok(Some(value))
}

fn parse_object<'a>(raw: &'a RawValue, what: &str) -> Result<Entries<'a>> {
    if raw.get().starts_with('{') {
        serde_json::from_str(raw.get()).map_err(|e| protocol(format!("\"{what}\" is not a valid JSON object: {e}")))
    } else {
        Ok(Entries(Vec::new()))
    }
}

fn protocol(message: String) -> XeroError {
    XeroError::new(ErrorKind::ProtocolViolation, message)
}

pub fn decode_page(entity: &Entity, columns: &[Column], body: &[u8]) -> Result<Page> {
    let invalid = |e: serde_json::Error| {
        XeroError::new(ErrorKind::ProtocolViolation, format!("Xero's {} response is not valid JSON", entity.endpoint))
            .with_detail(format!("{e} (response of {} bytes begins {:?})", body.len(), preview(body)))
    };
    let text = std::str::from_utf8(body).map_err(|e| {
        XeroError::new(ErrorKind::ProtocolViolation, format!("Xero's {} response is not UTF-8", entity.endpoint)).with_detail(e.to_string())
    })?;
    if !text.trim_start().starts_with('{') {
        serde_json::from_str::<&RawValue>(text).map_err(invalid)?;
        return Err(protocol(format!("Xero's {} response is not a JSON object", entity.endpoint)));
    }
    let top: Entries = serde_json::from_str(text).map_err(invalid)?;
    let pagination = top.get("pagination").and_then(|p| serde_json::from_str::<Pagination>(p.get()).ok());
    let records: Vec<&RawValue> = match top.get(entity.collection) {
        Some(raw) if raw.get().starts_with('[') => serde_json::from_str(raw.get()).map_err(invalid)?,
        Some(raw) if raw.get() != "null" => {
            return Err(protocol(format!("Xero's \"{}\" is a {} where an array was expected", entity.collection, json_kind(raw))))
        }
        _ if top.get("ErrorNumber").is_some() || top.get("Message").is_some() => {
            // Xero (or a proxy in front of it) answered 200 with an error document.
            return Err(XeroError::new(ErrorKind::Rejected, format!("Xero answered {} with an error instead of records", entity.endpoint))
                .with_detail(format!("Xero answered HTTP 200: {}", crate::responses::describe_body(body)))
                .with_hint("Check the filter arguments; Xero's message above says what it refused."));
        }
        _ => {
            return Err(protocol(format!("Xero's {} response has no \"{}\" array", entity.endpoint, entity.collection))
                .with_detail(format!("keys present: {}", top.0.iter().map(|(k, _)| k.as_ref()).collect::<Vec<_>>().join(", "))))
        }
    };
    let plan = Plan::new(columns);
    let mut page = Page { rows: Vec::with_capacity(records.len()), records: records.len(), pagination, retries: 0, last_parent: None, childless: Vec::new() };
    for raw in records {
        if !raw.get().starts_with('{') {
            return Err(protocol(format!("an element of \"{}\" is not an object", entity.collection)));
        }
        let record: Entries = serde_json::from_str(raw.get()).map_err(invalid)?;
        let mut row = vec![Cell::Null; columns.len()];
        match entity.rows {
            RowShape::Records => {
                plan.fill(&plan.own, &record, &mut row)?;
                page.rows.push(row);
            }
            RowShape::Children { key } => {
                plan.fill(&plan.parent, &record, &mut row)?;
                page.last_parent = Some(row.clone());
                let children: Vec<&RawValue> = match record.get(key).filter(|c| c.get().starts_with('[')) {
                    Some(c) => serde_json::from_str(c.get()).map_err(invalid)?,
                    None => Vec::new(),
                };
                if !children.iter().any(|c| c.get().starts_with('{')) {
                    page.childless.push(row.clone());
                    continue;
                }
                for (n, child) in children.iter().enumerate() {
                    if !child.get().starts_with('{') {
                        continue;
                    }
                    let child: Entries = serde_json::from_str(child.get()).map_err(invalid)?;
                    let mut child_row = row.clone();
                    if let Some(i) = plan.ordinal {
                        child_row[i] = Cell::Int(n as i64 + 1);
                    }
                    plan.fill(&plan.own, &child, &mut child_row)?;
                    page.rows.push(child_row);
                }
            }
        }
    }
    Ok(page)
}

fn decode_value(column: &Column, raw: &RawValue) -> Result<Cell> {
    let text = raw.get();
    let bad = |kind: ErrorKind, what: &str| {
        XeroError::new(kind, format!("Xero returned {} for column \"{}\", which is not {what}", short(text), column.name))
    };
    let string = || -> Result<Option<Cow<str>>> {
        if text.starts_with('"') {
            serde_json::from_str::<Cow<str>>(text).map(Some).map_err(|e| protocol(format!("bad JSON string for column \"{}\": {e}", column.name)))
        } else {
            Ok(None)
        }
    };
    if text == "null" {
        return Ok(Cell::Null);
    }
    Ok(match column.ty {
        ColumnType::Jsonb => Cell::Json(text.to_string()),
        ColumnType::Text => Cell::Text(match string()? {
            Some(s) => s.into_owned(),
            None => text.to_string(),
        }),
        ColumnType::Uuid => match string()? {
            Some(s) if s.is_empty() => Cell::Null,
            Some(s) => Cell::Uuid(parse_uuid(&s).ok_or_else(|| bad(ErrorKind::BadValue, "a UUID"))?),
            None => return Err(bad(ErrorKind::BadValue, "a UUID")),
        },
        ColumnType::Numeric => match string()? {
            None if is_json_number(text) => Cell::Numeric(text.to_string()),
            Some(s) if s.is_empty() => Cell::Null,
            Some(s) if is_decimal(&s) => Cell::Numeric(s.into_owned()),
            _ => return Err(bad(ErrorKind::BadValue, "a number")),
        },
        ColumnType::Integer | ColumnType::BigInt => {
            let digits = match string()? {
                Some(s) => s.into_owned(),
                None if is_json_number(text) => text.to_string(),
                None => return Err(bad(ErrorKind::BadValue, "an integer")),
            };
            if !digits.strip_prefix('-').unwrap_or(&digits).bytes().all(|b| b.is_ascii_digit()) || digits.is_empty() {
                return Err(bad(ErrorKind::BadValue, "an integer"));
            }
            match digits.parse::<i64>() {
                Ok(n) if column.ty == ColumnType::BigInt || i32::try_from(n).is_ok() => Cell::Int(n),
                _ => return Err(bad(ErrorKind::OutOfRange, &format!("in the range of {}", column.ty.sql()))),
            }
        }
        ColumnType::Boolean => match text {
            "true" | "\"true\"" | "\"True\"" => Cell::Bool(true),
            "false" | "\"false\"" | "\"False\"" => Cell::Bool(false),
            _ => return Err(bad(ErrorKind::BadValue, "a boolean")),
        },
        ColumnType::Date | ColumnType::Timestamptz => {
            let Some(s) = string()? else { return Err(bad(ErrorKind::BadDate, "a date")) };
            if s.is_empty() {
                return Ok(Cell::Null);
            }
            let d = parse_xero_date(&s).map_err(|e| {
                XeroError::new(ErrorKind::BadDate, format!("Xero returned a malformed date for column \"{}\"", column.name)).with_detail(e)
            })?;
            let out_of_range =
                || XeroError::new(ErrorKind::OutOfRange, format!("Xero returned {s:?} for column \"{}\", which is out of range", column.name));
            if column.ty == ColumnType::Date {
                Cell::Date(d.pg_date().ok_or_else(out_of_range)?)
            } else {
                Cell::Timestamptz(d.pg_timestamptz().ok_or_else(out_of_range)?)
            }
        }
    })
}

/// A JSON number literal as RFC 8259 writes it (the raw text of a number value).
fn is_json_number(t: &str) -> bool {
    let t = t.strip_prefix('-').unwrap_or(t);
    let mut parts = t.splitn(2, |c| c == 'e' || c == 'E');
    let mantissa = parts.next().unwrap_or("");
    let exponent_ok = parts.next().is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    });
    is_decimal(mantissa) && exponent_ok
}

/// A UUID's canonical text, lower-case with dashes (what PostgreSQL and Xero write).
pub fn format_uuid(b: &[u8; 16]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(HEX[usize::from(byte >> 4)] as char);
        out.push(HEX[usize::from(byte & 0xf)] as char);
    }
    out
}

pub fn parse_uuid(s: &str) -> Option<[u8; 16]> {
    let b = s.as_bytes();
    if b.len() != 36 || b[8] != b'-' || b[13] != b'-' || b[18] != b'-' || b[23] != b'-' {
        return None;
    }
    // The 32 hex digits, the four dashes (checked above) skipped; a '-' anywhere else is not hex.
    let mut digits = b.iter().enumerate().filter(|&(i, _)| !matches!(i, 8 | 13 | 18 | 23)).map(|(_, &c)| hex(c));
    let mut out = [0u8; 16];
    for byte in &mut out {
        *byte = (digits.next()?? << 4) | digits.next()??;
    }
    Some(out)
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

fn is_decimal(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let mut parts = digits.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit()) && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

fn json_kind(raw: &RawValue) -> &'static str {
    match raw.get().as_bytes().first() {
        Some(b'{') => "object",
        Some(b'[') => "array",
        Some(b'"') => "string",
        Some(b't' | b'f') => "boolean",
        Some(b'n') => "null",
        _ => "number",
    }
}

fn short(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}

/// The first bytes of a body, lossily, for error details (bodies never hold secrets we sent).
pub fn preview(body: &[u8]) -> String {
    let s = String::from_utf8_lossy(&body[..body.len().min(120)]);
    s.replace(['\n', '\r'], " ")
}

#[cfg(test)]
#[path = "decode_tests.rs"]
mod tests;
