//! `verify` with all three signature methods: valid requests pass, RSA-SHA1 base-string
//! mistakes are recognised by public-key verification, and method mismatches are named.

mod common;

use common::client::*;
use xero_oauth1::*;

#[test]
fn valid_requests_verify_for_all_three_methods() {
    let (private, public) = rsa_keys();
    let body = body();
    for method in SignatureMethod::ALL {
        let req = AuthorizationRequest {
            params: &body,
            token: Some("tok"),
            token_secret: TS,
            signature_method: method,
            rsa_private_key_pem: Some(&private),
            realm: Some("Xero"),
            nonce: Some("n0nce"),
            timestamp: Some(NOW - 10),
            ..AuthorizationRequest::new("POST", URL, "ck", CS)
        };
        let h = authorization_header(&req).unwrap();
        let pk = (method == SignatureMethod::RsaSha1).then_some(public.as_str());
        let r = verify("POST", URL, &body, &h, CS, TS, pk, NOW, SKEW).unwrap();
        assert!(r.valid, "{method}: {}", r.detail);
        assert_eq!(r.mistake, None);
        assert_eq!(r.signature_method, method);
        match method {
            SignatureMethod::HmacSha1 => assert!(r.expected_signature.is_some()),
            _ => assert_eq!(r.expected_signature, None, "{method}: must not reveal"),
        }
        if method == SignatureMethod::Plaintext {
            assert!(
                !r.received_signature.contains("c%20s"),
                "PLAINTEXT signature must be masked"
            );
        }
        // A generated nonce and timestamp verify too (timestamp = now).
        let fresh = AuthorizationRequest {
            nonce: None,
            timestamp: None,
            ..req
        };
        let h = authorization_header(&fresh).unwrap();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert!(
            verify("POST", URL, &body, &h, CS, TS, pk, now, SKEW)
                .unwrap()
                .valid,
            "{method} fresh"
        );
    }
}

#[test]
fn rsa_base_string_mistakes_are_recognised() {
    let (private, public) = rsa_keys();
    let ts = NOW.to_string();
    let o = oauth("RSA-SHA1", false, &ts);
    for (mistake, client) in [
        (Mistake::PlusForSpace, {
            let mut c = Client::new(all_params(&o));
            c.enc = Enc::Plus;
            c
        }),
        (Mistake::MissingQueryParameters, {
            let mut p = body();
            p.extend(o.iter().cloned());
            Client::new(p)
        }),
        (Mistake::PortInUrl, {
            let mut c = Client::new(all_params(&o));
            c.base_url = BASE_URL.replace(".com/", ".com:443/");
            c
        }),
    ] {
        let base = client.base_string();
        let sig = sign(&base, SignatureMethod::RsaSha1, "", "", Some(&private)).unwrap();
        let h = header(None, &o, &sig);
        let r = verify("POST", URL, &body(), &h, "", "", Some(&public), NOW, SKEW).unwrap();
        assert_eq!(r.mistake, Some(mistake), "{}", r.detail);
        assert_eq!(r.client_base_string, Some(base));
        assert_eq!(r.expected_signature, None);
    }
    // Declared RSA-SHA1 but the server has no public key; and an HMAC request to an RSA server.
    let sig = sign(
        &Client::new(all_params(&o)).base_string(),
        SignatureMethod::RsaSha1,
        "",
        "",
        Some(&private),
    )
    .unwrap();
    let h = header(None, &o, &sig);
    let r = verify("POST", URL, &body(), &h, CS, "", None, NOW, SKEW).unwrap();
    assert_eq!(
        r.mistake,
        Some(Mistake::SignatureMethodMismatch),
        "{}",
        r.detail
    );
    let oh = oauth("HMAC-SHA1", false, &ts);
    let h = header(
        None,
        &oh,
        &hmac(&Client::new(all_params(&oh)).base_string(), CS, ""),
    );
    let r = verify("POST", URL, &body(), &h, "", "", Some(&public), NOW, SKEW).unwrap();
    assert_eq!(
        r.mistake,
        Some(Mistake::SignatureMethodMismatch),
        "{}",
        r.detail
    );
}
