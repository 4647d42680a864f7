//! Xero's error answers (JSON ApiException, problem JSON, OAuth 2.0 token errors, XML
//! ApiException, form-encoded oauth_problem, plain text) through `describe_body` and
//! `api_error` with an arbitrary status and rate-limit headers. Never a panic; the error always
//! carries a detail quoting the status and a hint.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use xero_core::http::Response;
use xero_core::responses::{api_error, describe_body};

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    status: u16,
    rate_limit_problem: Option<String>,
    retry_after: Option<String>,
    body: &'a [u8],
}

fuzz_target!(|input: Input| {
    let _ = describe_body(&input.body);
    let mut headers = Vec::new();
    if let Some(p) = input.rate_limit_problem {
        headers.push(("x-rate-limit-problem".to_string(), p));
    }
    if let Some(r) = input.retry_after {
        headers.push(("retry-after".to_string(), r));
    }
    let response = Response { status: input.status, headers, body: input.body.to_vec() };
    let e = api_error("GET Invoices", &response);
    let detail = e.detail.as_deref().unwrap_or("");
    assert!(detail.contains(&input.status.to_string()), "detail {detail:?} lacks the status");
    assert!(e.hint.is_some(), "no hint for HTTP {}", input.status);
});
