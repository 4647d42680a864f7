//! OAuth 1.0a text from the other side of the wire: `Authorization: OAuth …` headers
//! (`parse_authorization_header`), percent-encoded and form-encoded text (`percent_decode`,
//! `parse_form_urlencoded`), Xero's `oauth_problem` bodies (`parse_problem`), token answers
//! (`oauth1_flow::parse_token`) and pasted verifiers (`oauth1_flow::parse_verifier`). Never a
//! panic; percent_encode/percent_decode round-trip; a header built from parsed parameters
//! parses back to them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xero_core::http::Response;
use xero_core::oauth1_flow::{parse_token, parse_verifier};
use xero_oauth1::{parse_authorization_header, parse_form_urlencoded, parse_problem, percent_decode, percent_encode};

fuzz_target!(|text: &str| {
    if let Ok(params) = parse_authorization_header(text) {
        // Re-serialise (realm quoted with escapes, the rest percent-encoded) and parse again.
        let mut h = String::from("OAuth ");
        for (i, (n, v)) in params.iter().enumerate() {
            if i > 0 {
                h.push_str(", ");
            }
            h.push_str(&percent_encode(n));
            h.push_str("=\"");
            if n == "realm" {
                h.push_str(&v.replace('\\', "\\\\").replace('"', "\\\""));
            } else {
                h.push_str(&percent_encode(v));
            }
            h.push('"');
        }
        assert_eq!(parse_authorization_header(&h).as_ref(), Ok(&params), "{h:?}");
    }
    if let Ok(decoded) = percent_decode(text) {
        assert_eq!(percent_decode(&percent_encode(&decoded)).as_deref(), Ok(decoded.as_str()));
    }
    assert_eq!(percent_decode(&percent_encode(text)).as_deref(), Ok(text));
    let _ = parse_form_urlencoded(text);
    if let Ok(Some(p)) = parse_problem(text) {
        assert!(!p.hint.is_empty());
    }
    for status in [200, 400, 401] {
        let _ = parse_token("POST oauth/AccessToken", &Response { status, headers: Vec::new(), body: text.as_bytes().to_vec() });
    }
    if let Ok((_, verifier)) = parse_verifier(text) {
        let _ = verifier;
    }
});
