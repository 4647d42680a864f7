//! What the user pastes back after consent (`parse_redirect`: a redirected URL or a bare code)
//! and what the token endpoint answers (`parse_token_response`, any status and body). Never a
//! panic; a parsed redirect's code is never empty when the input is a bare code; a refused token
//! answer always says why (detail) and what to do (hint).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use xero_core::http::Response;
use xero_core::oauth2::{parse_redirect, parse_token_response};

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    redirect: &'a str,
    status: u16,
    body: &'a [u8],
}

fuzz_target!(|input: Input| {
    if let Ok(r) = parse_redirect(input.redirect) {
        let trimmed = input.redirect.trim();
        if !trimmed.contains("://") && !trimmed.contains('?') && !trimmed.contains('=') {
            assert_eq!(r.code, trimmed);
        }
    }
    let response = Response { status: input.status, headers: Vec::new(), body: input.body.to_vec() };
    match parse_token_response("refresh_token", &response) {
        Ok(_) => assert_eq!(input.status, 200),
        Err(e) => {
            assert!(e.hint.is_some() || input.status == 200, "{e}");
            assert!(e.detail.is_some(), "{e}");
        }
    }
});
