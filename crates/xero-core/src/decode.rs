//! Turns a Xero JSON page into typed cells, one `Vec<Cell>` per SQL row. Runs off the backend
//! thread (see `stream`), so it must not know PostgreSQL; cells carry PostgreSQL's binary
//! conventions (days/microseconds since 2000-01-01) so the pgrx layer only wraps them.

use serde_json::{Map, Value};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pagination {
    pub page: u32,
    pub page_size: u32,
    pub page_count: u32,
    pub item_count: u64,
}

#[derive(Debug, Default)]
pub struct Page {
    pub rows: Vec<Vec<Cell>>,
    /// Records in the response (not rows: an invoice with three lines is one record).
    pub records: usize,
    pub pagination: Option<Pagination>,
}

pub fn decode_page(entity: &Entity, columns: &[Column], body: &[u8]) -> Result<Page> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        XeroError::new(ErrorKind::ProtocolViolation, format!("Xero's {} response is not valid JSON", entity.endpoint))
            .with_detail(format!("{e} (response of {} bytes begins {:?})", body.len(), preview(body)))
    })?;
    let Value::Object(mut top) = value else {
        return Err(XeroError::new(ErrorKind::ProtocolViolation, format!("Xero's {} response is not a JSON object", entity.endpoint)));
    };
    let pagination = top.get("pagination").and_then(parse_pagination);
    let records = match top.remove(entity.collection) {
        Some(Value::Array(a)) => a,
        Some(Value::Null) | None => {
            return Err(XeroError::new(
                ErrorKind::ProtocolViolation,
                format!("Xero's {} response has no \"{}\" array", entity.endpoint, entity.collection),
            )
            .with_detail(format!("keys present: {}", top.keys().cloned().collect::<Vec<_>>().join(", "))));
        }
        Some(other) => {
            return Err(XeroError::new(
                ErrorKind::ProtocolViolation,
                format!("Xero's \"{}\" is a {} where an array was expected", entity.collection, json_kind(&other)),
            ))
        }
    };
    let mut page = Page { rows: Vec::with_capacity(records.len()), records: records.len(), pagination };
    for record in &records {
        let Value::Object(record) = record else {
            return Err(XeroError::new(ErrorKind::ProtocolViolation, format!("an element of \"{}\" is not an object", entity.collection)));
        };
        match entity.rows {
            RowShape::Records => page.rows.push(decode_row(columns, record, None, 0)?),
            RowShape::Children { key } => {
                if let Some(Value::Array(children)) = record.get(key) {
                    for (i, child) in children.iter().enumerate() {
                        if let Value::Object(child) = child {
                            page.rows.push(decode_row(columns, child, Some(record), i + 1)?);
                        }
                    }
                }
            }
        }
    }
    Ok(page)
}

fn decode_row(columns: &[Column], record: &Map<String, Value>, parent: Option<&Map<String, Value>>, ordinal: usize) -> Result<Vec<Cell>> {
    columns
        .iter()
        .map(|c| {
            let value = match c.source {
                Source::Field(path) => lookup(record, path),
                Source::Parent(path) => parent.and_then(|p| lookup(p, path)),
                Source::Ordinal => return Ok(Cell::Int(ordinal as i64)),
            };
            match value {
                None | Some(Value::Null) => Ok(Cell::Null),
                Some(v) => decode_value(c, v),
            }
        })
        .collect()
}

fn lookup<'a>(record: &'a Map<String, Value>, path: &[&str]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let mut v = record.get(*first)?;
    for key in rest {
        v = v.as_object()?.get(*key)?;
    }
    Some(v)
}

fn decode_value(column: &Column, v: &Value) -> Result<Cell> {
    let bad = |kind: ErrorKind, what: &str| {
        XeroError::new(kind, format!("Xero returned {} for column \"{}\", which is not {what}", short(v), column.name))
    };
    Ok(match column.ty {
        ColumnType::Text => match v {
            Value::String(s) => Cell::Text(s.clone()),
            Value::Number(n) => Cell::Text(n.to_string()),
            Value::Bool(b) => Cell::Text(b.to_string()),
            other => Cell::Text(other.to_string()),
        },
        ColumnType::Uuid => match v.as_str().and_then(parse_uuid) {
            Some(u) => Cell::Uuid(u),
            None if v.as_str() == Some("") => Cell::Null,
            None => return Err(bad(ErrorKind::BadValue, "a UUID")),
        },
        ColumnType::Numeric => match v {
            Value::Number(n) => Cell::Numeric(n.to_string()),
            Value::String(s) if is_decimal(s) => Cell::Numeric(s.clone()),
            Value::String(s) if s.is_empty() => Cell::Null,
            _ => return Err(bad(ErrorKind::BadValue, "a number")),
        },
        ColumnType::Integer | ColumnType::BigInt => {
            let n = match v {
                Value::Number(n) => n.as_i64(),
                Value::String(s) => s.parse::<i64>().ok(),
                _ => return Err(bad(ErrorKind::BadValue, "an integer")),
            };
            let in_range = |n: i64| column.ty == ColumnType::BigInt || i32::try_from(n).is_ok();
            match n {
                Some(n) if in_range(n) => Cell::Int(n),
                _ if v.as_f64().is_some_and(|f| f.fract() == 0.0) || v.is_string() => {
                    return Err(bad(ErrorKind::OutOfRange, &format!("in the range of {}", column.ty.sql())))
                }
                _ => return Err(bad(ErrorKind::BadValue, "an integer")),
            }
        }
        ColumnType::Boolean => match v {
            Value::Bool(b) => Cell::Bool(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Cell::Bool(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Cell::Bool(false),
            _ => return Err(bad(ErrorKind::BadValue, "a boolean")),
        },
        ColumnType::Date | ColumnType::Timestamptz => {
            let Value::String(s) = v else { return Err(bad(ErrorKind::BadDate, "a date")) };
            if s.is_empty() {
                return Ok(Cell::Null);
            }
            let d = parse_xero_date(s).map_err(|e| {
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
        ColumnType::Jsonb => Cell::Json(v.to_string()),
    })
}

pub fn parse_uuid(s: &str) -> Option<[u8; 16]> {
    let b = s.as_bytes();
    if b.len() != 36 || b[8] != b'-' || b[13] != b'-' || b[18] != b'-' || b[23] != b'-' {
        return None;
    }
    let mut out = [0u8; 16];
    let mut n = 0;
    let mut i = 0;
    while i < 36 {
        if b[i] == b'-' {
            i += 1;
            continue;
        }
        out[n] = (hex(b[i])? << 4) | hex(b[i + 1])?;
        n += 1;
        i += 2;
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

fn parse_pagination(v: &Value) -> Option<Pagination> {
    let get = |k: &str| v.get(k).and_then(Value::as_u64);
    Some(Pagination {
        page: get("page")? as u32,
        page_size: get("pageSize")? as u32,
        page_count: get("pageCount")? as u32,
        item_count: get("itemCount").unwrap_or(0),
    })
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

/// The first bytes of a body, lossily, for error details (bodies never hold secrets we sent).
pub fn preview(body: &[u8]) -> String {
    let s = String::from_utf8_lossy(&body[..body.len().min(120)]);
    s.replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::{days_from_civil, PG_EPOCH_DAYS};
    use crate::entities::entity_by_function;

    const PAGE: &str = r#"{"Id":"x","Status":"OK","pagination":{"page":1,"pageSize":1000,"pageCount":1,"itemCount":2},
      "Invoices":[
        {"InvoiceID":"0b8f0f0e-8f3c-4d3e-9c7a-3f1e2d4c5b6a","Type":"ACCREC","InvoiceNumber":"INV-1",
         "Contact":{"ContactID":"11111111-2222-3333-4444-555555555555","Name":"Acme"},
         "Date":"/Date(1419937200000+1300)/","DueDate":"/Date(-86400000+0000)/","Total":1234.50,"AmountDue":0.10,
         "UpdatedDateUTC":"/Date(1439434356790)/","HasAttachments":false,
         "LineItems":[{"LineItemID":"aaaaaaaa-0000-0000-0000-000000000001","Description":"Widgets","Quantity":3.0000,"LineAmount":1234.5},
                      {"LineItemID":"aaaaaaaa-0000-0000-0000-000000000002","Description":"Freight","LineAmount":0}]},
        {"InvoiceID":"0b8f0f0e-8f3c-4d3e-9c7a-3f1e2d4c5b6b","Type":"ACCPAY","Contact":{"ContactID":"11111111-2222-3333-4444-555555555555"},
         "Date":"/Date(0+0000)/","Total":-0.01,"LineItems":[]}
      ]}"#;

    fn col<'a>(e: &Entity, row: &'a [Cell], name: &str) -> &'a Cell {
        let i = e.columns().iter().position(|c| c.name == name).unwrap_or_else(|| panic!("no column {name}"));
        &row[i]
    }

    #[test]
    fn invoices_decode_to_typed_cells() {
        let e = entity_by_function("xero_invoices").unwrap();
        let page = decode_page(e, &e.columns(), PAGE.as_bytes()).unwrap();
        assert_eq!(page.records, 2);
        assert_eq!(page.pagination.unwrap().page_count, 1);
        let r = &page.rows[0];
        assert_eq!(col(e, r, "invoice_number"), &Cell::Text("INV-1".into()));
        assert_eq!(col(e, r, "contact_name"), &Cell::Text("Acme".into()));
        assert_eq!(col(e, r, "total"), &Cell::Numeric("1234.50".into()), "money keeps Xero's exact digits");
        assert_eq!(col(e, r, "amount_due"), &Cell::Numeric("0.10".into()));
        assert_eq!(col(e, r, "date"), &Cell::Date((days_from_civil(2014, 12, 31) - PG_EPOCH_DAYS) as i32));
        assert_eq!(col(e, r, "due_date"), &Cell::Date((days_from_civil(1969, 12, 31) - PG_EPOCH_DAYS) as i32));
        assert_eq!(col(e, r, "has_attachments"), &Cell::Bool(false));
        assert_eq!(col(e, r, "reference"), &Cell::Null);
        let Cell::Json(lines) = col(e, r, "line_items") else { panic!() };
        assert!(lines.contains("\"Quantity\":3.0000"), "{lines}");
        assert_eq!(col(e, &page.rows[1], "date"), &Cell::Date(-(PG_EPOCH_DAYS as i32)));
        assert_eq!(col(e, &page.rows[1], "contact_name"), &Cell::Null);
    }

    #[test]
    fn line_items_become_one_row_each_with_their_invoice() {
        let e = entity_by_function("xero_invoice_line_items").unwrap();
        let page = decode_page(e, &e.columns(), PAGE.as_bytes()).unwrap();
        assert_eq!(page.rows.len(), 2);
        assert_eq!(col(e, &page.rows[1], "line_number"), &Cell::Int(2));
        assert_eq!(col(e, &page.rows[1], "invoice_number"), &Cell::Text("INV-1".into()));
        assert_eq!(col(e, &page.rows[1], "line_amount"), &Cell::Numeric("0".into()));
        assert_eq!(col(e, &page.rows[0], "invoice_id"), &Cell::Uuid(parse_uuid("0b8f0f0e-8f3c-4d3e-9c7a-3f1e2d4c5b6a").unwrap()));
    }

    #[test]
    fn bad_responses_say_what_is_wrong() {
        let e = entity_by_function("xero_invoices").unwrap();
        let cols = e.columns();
        let cases: &[(&str, ErrorKind, &str)] = &[
            ("{\"Invoices\":[", ErrorKind::ProtocolViolation, "not valid JSON"),
            ("<html>oops</html>", ErrorKind::ProtocolViolation, "not valid JSON"),
            ("[]", ErrorKind::ProtocolViolation, "not a JSON object"),
            ("{\"Status\":\"OK\"}", ErrorKind::ProtocolViolation, "no \"Invoices\" array"),
            ("{\"Invoices\":{}}", ErrorKind::ProtocolViolation, "where an array was expected"),
            ("{\"Invoices\":[{\"InvoiceID\":\"not-a-uuid\"}]}", ErrorKind::BadValue, "\"invoice_id\", which is not a UUID"),
            ("{\"Invoices\":[{\"Total\":\"abc\"}]}", ErrorKind::BadValue, "\"total\", which is not a number"),
            ("{\"Invoices\":[{\"Date\":\"/Date(x)/\"}]}", ErrorKind::BadDate, "malformed date for column \"date\""),
            ("{\"Invoices\":[{\"HasAttachments\":\"maybe\"}]}", ErrorKind::BadValue, "not a boolean"),
        ];
        for (body, kind, text) in cases {
            let err = decode_page(e, &cols, body.as_bytes()).expect_err(body);
            assert_eq!(err.kind, *kind, "{body}: {err}");
            assert!(err.to_string().contains(text), "{body}: {err}");
        }
    }

    #[test]
    fn integers_out_of_range_are_errors_not_wraps() {
        let e = entity_by_function("xero_organisation").unwrap();
        let body = r#"{"Organisations":[{"FinancialYearEndDay":99999999999}]}"#;
        let err = decode_page(e, &e.columns(), body.as_bytes()).unwrap_err();
        assert_eq!(err.kind, ErrorKind::OutOfRange, "{err}");
    }

    #[test]
    fn uuids_parse_strictly() {
        assert!(parse_uuid("0B8F0F0E-8F3C-4D3E-9C7A-3F1E2D4C5B6A").is_some());
        for bad in ["", "0b8f0f0e8f3c4d3e9c7a3f1e2d4c5b6a", "0b8f0f0e-8f3c-4d3e-9c7a-3f1e2d4c5b6g", "{0b8f0f0e-8f3c-4d3e-9c7a-3f1e2d4c5b6}"] {
            assert!(parse_uuid(bad).is_none(), "{bad}");
        }
    }
}
