//! Xero's answer to a write, element by element. With `summarizeErrors=false` Xero answers 200
//! with one element per element sent, in order; a rejected one has `StatusAttributeString`
//! "ERROR" (or `HasErrors`) and its `ValidationErrors`. Without it (updates, one-element
//! creates) a rejection is a 400 `ValidationException` whose `Elements` carry the errors.

use serde_json::Value;

use crate::decode::{decode_page, Cell};
use crate::entities::{Column, Entity, RowShape, Write};
use crate::error::{ErrorKind, Result, XeroError};
use crate::http::Response;
use crate::responses::{api_error, describe_body};

/// The key of the record array in Xero's answer to any write of `entity`: the key its creates
/// send (`Invoices`), else a child table's own (`Options`, `Allocations`), else the collection's.
pub fn answer_key(entity: &Entity, write: &Write) -> &'static str {
    match (write.create_key, entity.rows) {
        (Some(k), _) => k,
        (None, RowShape::Children { key }) => key,
        (None, RowShape::Records) => entity.collection,
    }
}

/// What Xero did with one element.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// Acted on: the record as Xero now has it.
    Done(Value),
    /// Rejected: Xero's messages.
    Rejected(Vec<String>),
}

fn messages(element: &Value) -> Vec<String> {
    let mut out: Vec<String> = element
        .get("ValidationErrors")
        .and_then(Value::as_array)
        .map(|errs| errs.iter().filter_map(|e| e.get("Message").and_then(Value::as_str)).map(str::to_string).collect())
        .unwrap_or_default();
    if out.is_empty() {
        out.push("Xero marked it as an error without a message".into());
    }
    out
}

fn is_rejected(element: &Value) -> bool {
    element.get("StatusAttributeString").and_then(Value::as_str).is_some_and(|s| s.eq_ignore_ascii_case("ERROR"))
        || element.get("HasErrors").and_then(Value::as_bool) == Some(true)
        || element.get("ValidationErrors").and_then(Value::as_array).is_some_and(|a| !a.is_empty())
}

/// The answer to each of the `sent` elements of a call whose answer holds them under `key`.
/// A bodiless success (`DELETE` answered 204) is one `Done` with no record.
pub fn answers(label: &str, key: &str, sent: usize, response: &Response) -> Result<Vec<Answer>> {
    let json = || -> Result<Value> {
        serde_json::from_slice(&response.body).map_err(|e| {
            XeroError::new(ErrorKind::ProtocolViolation, format!("{label}: Xero's answer is not valid JSON")).with_detail(format!("{e}: {}", describe_body(&response.body)))
        })
    };
    match response.status {
        200..=299 => {
            if response.body.iter().all(u8::is_ascii_whitespace) {
                return Ok(vec![Answer::Done(Value::Null); sent]);
            }
            let v = json()?;
            let Some(items) = v.get(key).and_then(Value::as_array) else {
                if sent == 1 && v.is_object() && v.get(key).is_none() {
                    // A bare record (some single-record endpoints answer so).
                    return Ok(vec![if is_rejected(&v) { Answer::Rejected(messages(&v)) } else { Answer::Done(v) }]);
                }
                return Err(XeroError::new(ErrorKind::ProtocolViolation, format!("{label}: Xero's answer has no \"{key}\" array")).with_detail(describe_body(&response.body)));
            };
            if items.len() != sent {
                return Err(XeroError::new(
                    ErrorKind::ProtocolViolation,
                    format!("{label}: Xero answered {} elements for the {sent} sent, so they cannot be matched to rows", items.len()),
                )
                .with_detail(describe_body(&response.body)));
            }
            Ok(items.iter().map(|e| if is_rejected(e) { Answer::Rejected(messages(e)) } else { Answer::Done(e.clone()) }).collect())
        }
        400 => {
            let v = json().ok();
            let elements = v.as_ref().and_then(|v| v.get("Elements")).and_then(Value::as_array);
            match elements {
                Some(items) if items.len() == sent => Ok(items.iter().map(|e| Answer::Rejected(messages(e))).collect()),
                _ => {
                    // One element, or a refusal of the whole call: every element carries Xero's message.
                    let message = v.as_ref().and_then(|v| v.get("Message")).and_then(Value::as_str).map(str::to_string);
                    match message {
                        Some(m) if sent == 1 => {
                            let mut msgs = elements.and_then(|e| e.first()).map(messages).unwrap_or_default();
                            msgs.retain(|x| x != "Xero marked it as an error without a message");
                            if msgs.is_empty() {
                                msgs.push(m);
                            }
                            Ok(vec![Answer::Rejected(msgs)])
                        }
                        _ => Err(api_error(label, response).with_hint("Xero refused the whole call; its message above says why.")),
                    }
                }
            }
        }
        _ => Err(api_error(label, response)),
    }
}

/// The row of `entity`'s columns for a record Xero returned (RETURNING). A child table's
/// parent id is `parent` (Xero returns the child alone).
pub fn returned_row(entity: &Entity, columns: &[Column], record: &Value, parent: Option<(&str, &str)>) -> Result<Vec<Cell>> {
    if record.is_null() {
        return Ok(vec![Cell::Null; columns.len()]);
    }
    let body = match entity.rows {
        RowShape::Records => serde_json::json!({ entity.collection: [record] }),
        RowShape::Children { key } => {
            let mut parent_record = serde_json::Map::new();
            if let Some((field, id)) = parent {
                parent_record.insert(field.to_string(), Value::String(id.to_string()));
            }
            parent_record.insert(key.to_string(), Value::Array(vec![record.clone()]));
            serde_json::json!({ entity.collection: [parent_record] })
        }
    };
    let page = decode_page(entity, columns, &serde_json::to_vec(&body).expect("JSON serializes"))?;
    page.rows.into_iter().next().ok_or_else(|| XeroError::internal("a returned record made no row"))
}
