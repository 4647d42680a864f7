//! RFC 5849 base strings over arbitrary method, URL and parameters: `normalize_url` and
//! `signature_base_string` never panic, a normalised URL is `http(s)://…` without query or
//! fragment, and a base string is exactly `METHOD&enc(url)&enc(params)` (two `&`). `verify` with
//! an arbitrary header, secrets, public key, clock and skew never panics. And the round trip:
//! a header made by `authorization_header` (HMAC-SHA1 or PLAINTEXT, arbitrary token, callback,
//! verifier, session handle, realm, body parameters) verifies as valid at its own timestamp.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use xero_oauth1::{authorization_header, normalize_url, signature_base_string, verify, AuthorizationRequest, SignatureMethod};

#[derive(Arbitrary, Debug)]
struct Verify<'a> {
    header: &'a str,
    consumer_secret: &'a str,
    token_secret: &'a str,
    rsa_public_key_pem: Option<&'a str>,
    now_unix: u64,
    max_skew_seconds: u64,
}

#[derive(Arbitrary, Debug)]
struct Sign<'a> {
    plaintext: bool,
    consumer_key: &'a str,
    consumer_secret: &'a str,
    token: Option<(&'a str, &'a str)>,
    callback: Option<&'a str>,
    verifier: Option<&'a str>,
    session_handle: Option<&'a str>,
    realm: Option<&'a str>,
    nonce: &'a str,
    timestamp: u32,
}

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    method: &'a str,
    url: &'a str,
    params: Vec<(String, String)>,
    verify: Verify<'a>,
    sign: Sign<'a>,
}

fuzz_target!(|input: Input| {
    if let Ok(base) = normalize_url(input.url) {
        let u = &base.base_url;
        assert!(u.starts_with("http://") || u.starts_with("https://"), "{u:?}");
        assert!(!u.contains('?') && !u.contains('#'), "{u:?} from {:?}", input.url);
    }
    if let Ok(s) = signature_base_string(input.method, input.url, &input.params) {
        assert_eq!(s.matches('&').count(), 2, "{s:?}");
    }
    let v = &input.verify;
    let _ = verify(
        input.method,
        input.url,
        &input.params,
        v.header,
        v.consumer_secret,
        v.token_secret,
        v.rsa_public_key_pem,
        v.now_unix,
        v.max_skew_seconds,
    );

    let s = &input.sign;
    let (token, token_secret) = match s.token {
        Some((t, ts)) => (Some(t), ts),
        None => (None, ""),
    };
    let req = AuthorizationRequest {
        params: &input.params,
        token,
        token_secret,
        signature_method: if s.plaintext { SignatureMethod::Plaintext } else { SignatureMethod::HmacSha1 },
        callback: s.callback,
        verifier: s.verifier,
        session_handle: s.session_handle,
        realm: s.realm,
        nonce: Some(s.nonce),
        timestamp: Some(u64::from(s.timestamp)),
        ..AuthorizationRequest::new(input.method, input.url, s.consumer_key, s.consumer_secret)
    };
    let Ok(header) = authorization_header(&req) else { return };
    match verify(input.method, input.url, &input.params, &header, s.consumer_secret, token_secret, None, u64::from(s.timestamp), 300) {
        Ok(v) => assert!(v.valid, "our own header does not verify: {header:?}: {}", v.detail),
        Err(e) => panic!("our own header cannot be judged: {header:?}: {e}"),
    }
});
