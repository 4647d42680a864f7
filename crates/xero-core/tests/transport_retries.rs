//! The retry policy knows the method: a read is retried after a transient failure, a write only
//! when it carries an `Idempotency-Key` (always the same key), so a retry can never create a
//! second record at Xero.

mod common;

use std::time::Duration;

use common::{reply, Scripted};
use xero_core::http::{Http, HttpSettings, Method, Request};
use xero_core::transport::{send_with_retries, RetryPolicy, StaticHeaders};
use xero_core::ErrorKind;

fn policy() -> RetryPolicy {
    RetryPolicy { max_retries: 3, base_backoff: Duration::from_millis(1), ..RetryPolicy::default() }
}

fn send(http: &Http, request: Request) -> xero_core::Result<(xero_core::http::Response, u32)> {
    let auth = StaticHeaders(vec![("authorization".into(), "Bearer t".into())]);
    http.wait(send_with_retries(http.client(), request, 1 << 20, policy(), &auth), &|| false).unwrap()
}

fn http() -> Http {
    Http::new(HttpSettings::default()).unwrap()
}

#[test]
fn a_read_is_retried_after_a_5xx() {
    let server = Scripted::start(vec![reply(503, ""), reply(502, ""), reply(200, "{}")]);
    let (response, retries) = send(&http(), Request::get(format!("{}/Invoices", server.base), "GET Invoices")).unwrap();
    assert_eq!((response.status, retries), (200, 2));
    assert_eq!(server.received().len(), 3);
}

#[test]
fn a_write_without_an_idempotency_key_is_sent_once() {
    for method in [Method::Post, Method::Put] {
        let server = Scripted::start(vec![reply(503, ""), reply(200, "{}")]);
        let request = Request::json(method, format!("{}/Invoices", server.base), br#"{"Invoices":[]}"#.to_vec(), "PUT Invoices");
        let err = send(&http(), request).unwrap_err();
        assert_eq!(err.status, Some(503), "{err}");
        assert_eq!(server.received().len(), 1, "{method:?} without a key must not be retried");
    }
    // Nor after a minute-limit 429, and nor is a DELETE.
    let server = Scripted::start(vec![reply(429, ""), reply(200, "{}")]);
    let err = send(&http(), Request::new(Method::Delete, format!("{}/Items/1", server.base), "DELETE Items")).unwrap_err();
    assert_eq!(err.kind, ErrorKind::RateLimited, "{err}");
    assert_eq!(server.received().len(), 1);
}

#[test]
fn a_write_with_an_idempotency_key_is_retried_with_the_same_key_and_body() {
    let server = Scripted::start(vec![reply(504, ""), reply(200, r#"{"Invoices":[]}"#)]);
    let body = br#"{"Invoices":[{"Type":"ACCREC"}]}"#.to_vec();
    let request = Request::json(Method::Post, format!("{}/Invoices?summarizeErrors=false", server.base), body.clone(), "POST Invoices")
        .idempotency_key("k-0001");
    let (response, retries) = send(&http(), request).unwrap();
    assert_eq!((response.status, retries), (200, 1));
    let got = server.received();
    assert_eq!(got.len(), 2);
    for r in &got {
        assert_eq!(r.method, "POST");
        assert_eq!(r.path, "/Invoices?summarizeErrors=false");
        assert_eq!(r.header("idempotency-key"), Some("k-0001"));
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.header("authorization"), Some("Bearer t"));
        assert_eq!(r.body, body);
    }
}

#[test]
fn methods_reach_the_server_as_sent() {
    for (method, name) in [(Method::Put, "PUT"), (Method::Delete, "DELETE"), (Method::Get, "GET")] {
        let server = Scripted::start(vec![reply(200, "{}")]);
        send(&http(), Request::new(method, format!("{}/Items", server.base), "call")).unwrap();
        let got = server.received();
        assert_eq!((got.len(), got[0].method.as_str()), (1, name));
        assert!(got[0].body.is_empty());
    }
}

#[test]
fn may_retry_is_reads_and_keyed_writes_only() {
    assert!(Request::get("http://x/", "l").may_retry());
    assert!(!Request::json(Method::Post, "http://x/", vec![], "l").may_retry());
    assert!(!Request::json(Method::Put, "http://x/", vec![], "l").idempotency_key("").may_retry());
    assert!(Request::json(Method::Put, "http://x/", vec![], "l").idempotency_key("k").may_retry());
    assert!(Request::new(Method::Delete, "http://x/", "l").header("Idempotency-Key", "k").may_retry());
}
