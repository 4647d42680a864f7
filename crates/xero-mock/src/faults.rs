//! Faults tests inject with `POST /__mock/faults`: delays, error statuses, dropped
//! connections, truncated bodies and silence, for the next `count` matching requests.
//!
//! On the accounting routes a fault acts after authentication and rate limiting (where
//! Xero's API server itself would fail), so a faulted call still uses rate-limit quota
//! and a delayed call holds its concurrency slot; elsewhere it acts as soon as the
//! request is routed.

use std::time::Duration;

use crate::limits::Permit;
use crate::reply::{Reply, JSON, NOT_FOUND_TEXT};
use crate::state::{lock, State};

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Only the delay; then the normal answer.
    Delay,
    /// Answer with this status and body instead of the normal answer.
    Status {
        status: u16,
        body: Option<String>,
        content_type: Option<String>,
    },
    /// Close the socket without answering.
    Drop,
    /// Do what the request asks (a write is made and remembered), then close the socket
    /// without answering: the client cannot tell whether it was done.
    ActThenDrop,
    /// Send status and headers with the full Content-Length, then half the body, then close.
    Truncate,
    /// Never answer while the client stays connected.
    Silence,
}

#[derive(Clone, Debug)]
pub struct Fault {
    /// `None` matches every non-admin route.
    pub label: Option<String>,
    /// `None` never runs out.
    pub remaining: Option<u64>,
    pub latency_ms: u64,
    pub action: Action,
}

impl Fault {
    /// Reads the JSON body of `POST /__mock/faults`.
    pub fn from_json(v: &serde_json::Value) -> Result<Fault, String> {
        let flag = |k: &str| {
            v.get(k)
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false)
        };
        let label = match v.get("label") {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(other) => return Err(format!("label must be a string or null, not {other}")),
        };
        let remaining = match v.get("count") {
            None | Some(serde_json::Value::Null) => None,
            Some(c) => Some(
                c.as_u64()
                    .ok_or("count must be a non-negative integer or null")?,
            ),
        };
        let latency_ms = match v.get("latency_ms") {
            None | Some(serde_json::Value::Null) => 0,
            Some(l) => l
                .as_u64()
                .ok_or("latency_ms must be a non-negative integer")?,
        };
        let status = match v.get("status") {
            None | Some(serde_json::Value::Null) => None,
            Some(s) => Some(
                s.as_u64()
                    .filter(|s| (100..=599).contains(s))
                    .ok_or("status must be an HTTP status code")? as u16,
            ),
        };
        let text = |k: &str| {
            v.get(k)
                .and_then(serde_json::Value::as_str)
                .map(str::to_string)
        };
        let chosen: Vec<Action> = [
            status.map(|status| Action::Status {
                status,
                body: text("body"),
                content_type: text("content_type"),
            }),
            flag("drop_connection").then_some(Action::Drop),
            flag("drop_connection_after_acting").then_some(Action::ActThenDrop),
            flag("truncate_body").then_some(Action::Truncate),
            flag("silence").then_some(Action::Silence),
        ]
        .into_iter()
        .flatten()
        .collect();
        let action = match chosen.len() {
            0 if latency_ms > 0 => Action::Delay,
            0 => return Err("a fault needs one of status, drop_connection, drop_connection_after_acting, truncate_body, silence or latency_ms".into()),
            1 => chosen.into_iter().next().expect("one action"),
            _ => return Err("status, drop_connection, drop_connection_after_acting, truncate_body and silence exclude each other".into()),
        };
        Ok(Fault {
            label,
            remaining,
            latency_ms,
            action,
        })
    }
}

#[derive(Default)]
pub struct Faults {
    list: Vec<Fault>,
}

impl Faults {
    pub fn add(&mut self, f: Fault) {
        self.list.push(f);
    }

    pub fn clear(&mut self) {
        self.list.clear();
    }

    /// Takes the first fault that matches `label`, using up one of its count.
    pub fn take(&mut self, label: &str) -> Option<Fault> {
        self.list.retain(|f| f.remaining != Some(0));
        let i = self
            .list
            .iter()
            .position(|f| f.label.as_deref().is_none_or(|l| l == label))?;
        let taken = self.list[i].clone();
        if let Some(n) = &mut self.list[i].remaining {
            *n -= 1;
        }
        Some(taken)
    }
}

/// What the connection layer should do with a request.
pub enum Outcome {
    Reply(Reply),
    Truncate(Reply),
    Drop,
    /// Holds the request (and its concurrency slot, if any) until the client leaves.
    Silence(Option<Permit>),
}

impl Outcome {
    /// Adds headers to whatever reply will be (partly) sent.
    pub fn with_headers(
        mut self,
        extra: impl IntoIterator<Item = (&'static str, String)>,
    ) -> Outcome {
        if let Outcome::Reply(r) | Outcome::Truncate(r) = &mut self {
            r.headers.extend(extra);
        }
        self
    }
}

/// Produces the answer for `label`, unless a fault says otherwise.
pub async fn run(
    state: &State,
    label: &str,
    permit: Option<Permit>,
    produce: impl FnOnce() -> Reply,
) -> Outcome {
    let fault = lock(&state.faults).take(label);
    let Some(fault) = fault else {
        return Outcome::Reply(produce());
    };
    if fault.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(fault.latency_ms)).await;
    }
    match fault.action {
        Action::Delay => Outcome::Reply(produce()),
        Action::Drop => Outcome::Drop,
        Action::ActThenDrop => {
            drop(produce());
            Outcome::Drop
        }
        Action::Truncate => Outcome::Truncate(produce()),
        Action::Silence => Outcome::Silence(permit),
        Action::Status {
            status,
            body,
            content_type,
        } => Outcome::Reply(match body {
            Some(b) => Reply::new(
                status,
                content_type
                    .as_deref()
                    .unwrap_or("text/plain; charset=utf-8"),
                b,
            ),
            None => realistic(state, label, status),
        }),
    }
}

/// The body Xero (or its identity server) sends with `status` on this route.
fn realistic(state: &State, label: &str, status: u16) -> Reply {
    let id = state.next_response_id();
    if label.starts_with("token") {
        let error = match status {
            401 => "invalid_client",
            400 => "invalid_grant",
            _ => "server_error",
        };
        return Reply::json_value(status, &serde_json::json!({ "error": error }));
    }
    match status {
        400 => Reply::validation_error(true, "The request was invalid"),
        401 => Reply::problem(401, "Unauthorized", "AuthenticationUnsuccessful", id),
        403 => Reply::problem(403, "Forbidden", "AuthenticationUnsuccessful", id),
        404 => Reply::new(404, "text/plain; charset=utf-8", NOT_FOUND_TEXT),
        429 => Reply::new(429, "text/plain; charset=utf-8", "")
            .header("retry-after", "60")
            .header("x-rate-limit-problem", "minute"),
        500 => Reply::new(
            500,
            JSON,
            serde_json::json!({
                "ErrorNumber": 500,
                "Type": "UnknownErrorException",
                "Message": "An error occurred in Xero. Check the API Status page http://status.developer.xero.com for current service status. Contact the API support team at api@xero.com for more assistance."
            })
            .to_string(),
        ),
        503 => Reply::text(503, "The Xero API is currently offline for maintenance"),
        _ => Reply::text(status, format!("HTTP {status}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parse_and_count_down() {
        let f = Fault::from_json(&json!({"label": "Invoices", "count": 2, "status": 503})).unwrap();
        assert_eq!(
            f.action,
            Action::Status {
                status: 503,
                body: None,
                content_type: None
            }
        );
        let mut faults = Faults::default();
        faults.add(f);
        faults.add(Fault::from_json(&json!({"label": null, "latency_ms": 5})).unwrap());
        assert!(matches!(
            faults.take("Invoices").unwrap().action,
            Action::Status { .. }
        ));
        assert!(matches!(
            faults.take("Invoices").unwrap().action,
            Action::Status { .. }
        ));
        // The first fault ran out; the catch-all (unlimited) applies from now on.
        assert_eq!(faults.take("Invoices").unwrap().action, Action::Delay);
        assert_eq!(faults.take("Contacts").unwrap().action, Action::Delay);
        assert!(Fault::from_json(&json!({"label": "x"})).is_err());
        assert!(Fault::from_json(&json!({"silence": true, "drop_connection": true})).is_err());
        assert!(Fault::from_json(&json!({"status": 9000})).is_err());
        assert_eq!(
            Fault::from_json(&json!({"label": "PUT Invoices", "drop_connection_after_acting": true}))
                .unwrap()
                .action,
            Action::ActThenDrop
        );
        assert!(Fault::from_json(&json!({"drop_connection_after_acting": true, "drop_connection": true})).is_err());
    }
}
