//! The calls of a write. Every one carries an `Idempotency-Key` made from what it sends (method,
//! URL and body) and, once `salted_key` has salted it, from the call's own nonce: the transport
//! sends the same call (the same key) again after a timeout, a dropped connection, a 5xx or a
//! 429, so Xero acts on it once, while two calls that happen to send the same bytes stay two.

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

/// The call with its key salted by `salt`, unique to the call (a statement's or push's random
/// nonce and the call's number). A key made from the content alone would make two writes of
/// identical rows (the same invoice twice, in one statement's single-row calls, in two
/// statements, or pushed two weeks apart) one call to Xero, which answers the second from its
/// record of the first and creates one record. The transport's retries reuse the call, so its
/// key; a push stores each call's key before sending it; the content stays in the key so that
/// a resend of other bytes is caught (`push::resend`).
pub fn salted_key(mut call: WriteCall, salt: &str) -> WriteCall {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new().chain_update(salt.as_bytes()).chain_update(b"\n").chain_update(call.key.as_bytes()).finalize();
    let key = format!("xero_fdw-{}", digest.iter().map(|b| format!("{b:02x}")).collect::<String>());
    for (name, value) in &mut call.request.headers {
        if name.eq_ignore_ascii_case("idempotency-key") {
            value.clone_from(&key);
        }
    }
    call.key = key;
    call
}

/// A random nonce for the calls of one statement or push (salted into their keys).
pub fn nonce() -> String {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).ok();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
    match key {
        Some(k) => {
            let texts: Vec<String> = elements.iter().map(element_text).collect();
            batch_body(k, &texts)
        }
        None => element_text(&elements.pop().unwrap_or_default()).into_bytes(),
    }
}

/// An element as it is sent: compact JSON, fields in the order they were set (serde_json keeps
/// insertion order), numbers with the digits they were given.
pub fn element_text(element: &Map<String, Value>) -> String {
    serde_json::to_string(element).expect("JSON values serialize")
}

/// The body of a batch: `{"<key>":[<element>,…]}` from the elements' texts, byte for byte. The
/// one place a batch body is made, so that `xero_push`, resending the texts it stored, sends
/// exactly the bytes (and so the Idempotency-Key) of the first attempt.
fn batch_body(key: &str, elements: &[String]) -> Vec<u8> {
    let mut body = format!("{{{}:[", serde_json::to_string(key).expect("a string serializes"));
    body.push_str(&elements.join(","));
    body.push_str("]}");
    body.into_bytes()
}

fn keyed(method: Method, url: String, body: Vec<u8>, label: String, elements: usize) -> WriteCall {
    let key = idempotency_key(method, &url, &body);
    let request = Request::json(method, url, body, label).header("accept", "application/json").idempotency_key(key.clone());
    WriteCall { request, key, elements }
}

/// Creates `elements` in one call: `PUT <collection>?summarizeErrors=false` so Xero judges each
/// element (a table whose creates take one element a call gets one element).
pub fn create_batch(api_url: &str, write: &Write, parent: Option<&str>, elements: Vec<Map<String, Value>>) -> Result<WriteCall> {
    let texts: Vec<String> = elements.iter().map(element_text).collect();
    create_batch_of_texts(api_url, write, parent, &texts)
}

/// `create_batch` of elements already made into text (`element_text`), sent as given: a
/// resend of stored texts is the same request with the same key.
pub fn create_batch_of_texts(api_url: &str, write: &Write, parent: Option<&str>, elements: &[String]) -> Result<WriteCall> {
    let n = elements.len();
    if n == 0 {
        return Err(XeroError::internal(format!("a create of {} with no element", write.path)));
    }
    if n > 1 && !write.creates_many() {
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
    let body = match write.create_key {
        Some(k) => batch_body(k, elements),
        None => elements[0].clone().into_bytes(),
    };
    Ok(keyed(Method::Put, url, body, label, n))
}

/// Changes many records in one call: `POST <collection>?summarizeErrors=false` with each
/// element carrying its record's id (Xero updates the records named, judging each element on
/// its own), for a table whose `batch_update` says Xero takes it.
pub fn update_batch(api_url: &str, write: &Write, elements: Vec<(String, Map<String, Value>)>) -> Result<WriteCall> {
    let key = match (write.batch_update, write.create_key) {
        (true, Some(k)) if !elements.is_empty() => k,
        _ => return Err(XeroError::internal(format!("{} cannot change many records a call", write.path))),
    };
    let n = elements.len();
    let texts: Vec<String> = elements
        .into_iter()
        .map(|(id, mut el)| {
            el.insert(write.id_field.to_string(), Value::String(id));
            element_text(&el)
        })
        .collect();
    let mut url = url::Url::parse(&collection_url(api_url, write, None)?).map_err(|e| XeroError::invalid_option(format!("api_url: {e}")))?;
    url.query_pairs_mut().append_pair("summarizeErrors", "false");
    if write.unit_dp {
        url.query_pairs_mut().append_pair("unitdp", "4");
    }
    Ok(keyed(Method::Post, url.to_string(), batch_body(key, &texts), format!("POST {}", write.path), n))
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
        Delete::Unsupported(why) => Err(super::delete_unsupported(table, why)),
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
