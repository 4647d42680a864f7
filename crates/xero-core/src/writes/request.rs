//! The calls of a write. Every one carries an `Idempotency-Key` made from what it sends (method,
//! URL and body), so the transport may send it again after a timeout, a dropped connection, a
//! 5xx or a 429, and a statement or push run again sends the same key: Xero acts on a key once.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::entities::{Delete, Update, Write};
use crate::error::{ErrorKind, Result, XeroError};
use crate::http::{Method, Request};

/// A write call and the elements it carries (their order is the order of Xero's answers).
#[derive(Debug, Clone)]
pub struct WriteCall {
    pub request: Request,
    pub key: String,
    pub elements: usize,
}

/// `Idempotency-Key` of a request: what it sends, hashed (Xero allows 128 characters).
pub fn idempotency_key(method: Method, url: &str, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(method.as_str().as_bytes());
    h.update(b" ");
    h.update(url.as_bytes());
    h.update(b"\n");
    h.update(body);
    let digest = h.finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("xero_fdw-{hex}")
}

/// The collection URL of `write`, with the parent's id of a child table.
fn collection_url(api_url: &str, write: &Write, parent: Option<&str>) -> Result<String> {
    let mut path = write.path.to_string();
    if let Some(field) = write.parent_field {
        let id = parent.filter(|p| !p.is_empty()).ok_or_else(|| {
            XeroError::invalid_argument(format!("a row of {} needs its parent's id ({field})", write.path))
                .with_hint("Set the parent's id column of the row.")
        })?;
        path = path.replace(&format!("{{{field}}}"), id);
    }
    Ok(format!("{}/{path}", api_url.trim_end_matches('/')))
}

fn body_of(key: Option<&str>, mut elements: Vec<Map<String, Value>>) -> Vec<u8> {
    let value = match key {
        Some(k) => {
            let mut env = Map::new();
            env.insert(k.to_string(), Value::Array(elements.into_iter().map(Value::Object).collect()));
            Value::Object(env)
        }
        None => Value::Object(elements.pop().unwrap_or_default()),
    };
    serde_json::to_vec(&value).expect("JSON values serialize")
}

fn keyed(method: Method, url: String, body: Vec<u8>, label: String, elements: usize) -> WriteCall {
    let key = idempotency_key(method, &url, &body);
    let request = Request::json(method, url, body, label).header("accept", "application/json").idempotency_key(key.clone());
    WriteCall { request, key, elements }
}

/// Creates `elements` in one call: `PUT <collection>?summarizeErrors=false` so Xero judges each
/// element (a table whose creates take one element a call gets one element).
pub fn create_batch(api_url: &str, write: &Write, parent: Option<&str>, elements: Vec<Map<String, Value>>) -> Result<WriteCall> {
    let n = elements.len();
    if n > 1 && (!write.batch || write.create_key.is_none()) {
        return Err(XeroError::internal(format!("{} takes one element a call", write.path)));
    }
    let mut url = url::Url::parse(&collection_url(api_url, write, parent)?).map_err(|e| XeroError::invalid_option(format!("api_url: {e}")))?;
    {
        let mut q = url.query_pairs_mut();
        if write.batch {
            q.append_pair("summarizeErrors", "false");
        }
        if write.unit_dp {
            q.append_pair("unitdp", "4");
        }
    }
    let url = url.to_string().trim_end_matches('?').to_string();
    let label = format!("PUT {}", write.path.split('/').next().unwrap_or(write.path));
    Ok(keyed(Method::Put, url, body_of(write.create_key, elements), label, n))
}

/// Changes the record `id` to `element` (only the fields given change).
pub fn update_request(api_url: &str, write: &Write, parent: Option<&str>, id: &str, element: Map<String, Value>) -> Result<WriteCall> {
    post_record(api_url, write, parent, id, element, write.update)
}

/// `POST`s `element` to the record `id`, the way `how` says.
fn post_record(api_url: &str, write: &Write, parent: Option<&str>, id: &str, mut element: Map<String, Value>, how: Update) -> Result<WriteCall> {
    let base = collection_url(api_url, write, parent)?;
    let (url, key) = match how {
        Update::Single => (format!("{base}/{id}"), write.update_key),
        Update::Collection => {
            element.insert(write.id_field.to_string(), Value::String(id.to_string()));
            (base, write.create_key)
        }
        Update::No => return Err(XeroError::internal(format!("{} cannot be updated", write.path))),
    };
    if key.is_some() {
        element.insert(write.id_field.to_string(), Value::String(id.to_string()));
    }
    let url = if write.unit_dp { format!("{url}?unitdp=4") } else { url };
    let label = format!("POST {}/{{id}}", write.path.split('/').next().unwrap_or(write.path));
    Ok(keyed(Method::Post, url, body_of(key, vec![element]), label, 1))
}

/// The status that removes a record whose status is `current`, as Xero removes it.
pub fn status_to_remove(write: &Write, table: &str, current: Option<&str>) -> Result<Option<&'static str>> {
    match write.delete {
        Delete::Endpoint => Ok(None),
        Delete::Unsupported(why) => Err(XeroError::new(ErrorKind::NotSupported, format!("cannot delete {table} rows: {why}"))),
        Delete::Status(rules) => {
            let current = current.unwrap_or("");
            if let Some((_, to)) = rules.iter().find(|(from, _)| *from == "*" || from.eq_ignore_ascii_case(current)) {
                return Ok(Some(to));
            }
            let allowed: Vec<String> = rules.iter().map(|(f, t)| format!("{f} becomes {t}")).collect();
            let status = if current.is_empty() { "unknown" } else { current };
            Err(XeroError::new(
                ErrorKind::Rejected,
                format!(
                    "Xero cannot remove a row of {table} whose status is {status} (only {}); a paid document needs its payments removed first (DELETE them from payments), then it can be voided",
                    allowed.join(", ")
                ),
            ))
        }
    }
}

/// Removes the record `id`: `DELETE …/{id}` where Xero has it, else the status `to`.
pub fn delete_request(api_url: &str, write: &Write, parent: Option<&str>, id: &str, to: Option<&str>) -> Result<WriteCall> {
    let base = collection_url(api_url, write, parent)?;
    let what = write.path.split('/').next().unwrap_or(write.path);
    match (write.delete, to) {
        (Delete::Endpoint, _) => {
            let url = format!("{base}/{id}");
            let key = idempotency_key(Method::Delete, &url, b"");
            let request = Request::new(Method::Delete, url, format!("DELETE {what}/{{id}}")).header("accept", "application/json").idempotency_key(key.clone());
            Ok(WriteCall { request, key, elements: 1 })
        }
        (Delete::Status(_), Some(status)) => {
            let mut element = Map::new();
            element.insert(write.status_field.into(), Value::String(status.to_string()));
            // A record Xero cannot change otherwise (a payment, a transfer) still takes its
            // removing status at `POST …/{id}` (deletePayment, deleteBankTransfer …).
            let how = if write.update == Update::No { Update::Single } else { write.update };
            post_record(api_url, write, parent, id, element, how)
        }
        _ => Err(XeroError::internal(format!("no way to remove {what}"))),
    }
}
