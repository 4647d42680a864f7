//! Each OAuth 1.0a failure, answered as Xero did: 401, form-encoded `oauth_problem=…`.

mod common;

use common::oauth1::{self as o, assert_problem, field, Method, Signer};
use common::Mock;
use serde_json::json;

fn granted_public(m: &Mock) -> Signer {
    let g = o::three_legged(m, &o::public());
    o::public().token(&g.token, &g.secret)
}

fn get_org(m: &Mock, header: &str) -> common::Resp {
    m.get("/api.xro/2.0/Organisation", &[("authorization", header)])
}

#[test]
fn signature_invalid_is_exact_and_shows_the_base_string() {
    let m = Mock::start(o::config());
    let good = granted_public(&m);
    let url = format!("{}/api.xro/2.0/Organisation", m.base);

    // Wrong token secret: the base strings agree, the signatures do not.
    let (token, _) = good.token.clone().unwrap();
    let wrong = o::public().token(&token, "not-the-secret");
    let s = wrong.sign_at("GET", &url, &[], &[], &o::fresh_nonce(), o::mock_now(&m));
    let r = get_org(&m, &s.header);
    assert_problem(&r, "signature_invalid");
    assert_eq!(
        r.body,
        "oauth_problem=signature_invalid&oauth_problem_advice=Failed%20to%20validate%20signature"
    );
    assert_eq!(r.header("x-mock-base-string"), Some(s.base.as_str()));

    // A query parameter signed but not sent: the header shows what the server signed.
    let s = good.sign_at(
        "GET",
        &format!("{url}?page=2"),
        &[],
        &[],
        &o::fresh_nonce(),
        o::mock_now(&m),
    );
    let r = get_org(&m, &s.header);
    assert_problem(&r, "signature_invalid");
    let server_base = r.header("x-mock-base-string").unwrap();
    assert_ne!(server_base, s.base);
    assert_eq!(server_base, s.base.replace("%26page%3D2", ""));

    // Sorting by unencoded value (oauth1-request's habit) is not the RFC's order.
    let q = "Invoices?a=-&a=%2F";
    let full = format!("{}/api.xro/2.0/{q}", m.base);
    let s = good.sign_at("GET", &full, &[], &[], &o::fresh_nonce(), o::mock_now(&m));
    assert!(s.base.contains("a%3D%252F%26a%3D-"), "{}", s.base);
    let r = m.get(
        &format!("/api.xro/2.0/{q}"),
        &[("authorization", &s.header)],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let unencoded_order = s.base.replace("a%3D%252F%26a%3D-", "a%3D-%26a%3D%252F");
    let (token, secret) = good.token.clone().unwrap();
    let forged = hmac_header(&good, &token, &secret, &unencoded_order, &s.header);
    let r = m.get(&format!("/api.xro/2.0/{q}"), &[("authorization", &forged)]);
    assert_problem(&r, "signature_invalid");
    assert_eq!(r.header("x-mock-base-string"), Some(s.base.as_str()));
}

/// `header` with its signature replaced by an HMAC-SHA1 of `base`.
fn hmac_header(s: &Signer, _token: &str, secret: &str, base: &str, header: &str) -> String {
    use base64::Engine;
    use hmac::{Hmac, KeyInit, Mac};
    let key = format!("{}&{}", o::enc(&s.consumer_secret), o::enc(secret));
    let mac = Hmac::<sha1::Sha1>::new_from_slice(key.as_bytes())
        .unwrap()
        .chain_update(base.as_bytes())
        .finalize()
        .into_bytes();
    let sig = base64::engine::general_purpose::STANDARD.encode(mac);
    let start = header.find("oauth_signature=\"").unwrap();
    format!("{}oauth_signature=\"{}\"", &header[..start], o::enc(&sig))
}

#[test]
fn nonce_used_and_timestamp_refused() {
    let m = Mock::start(o::config());
    let signer = granted_public(&m);
    let url = format!("{}/api.xro/2.0/Organisation", m.base);
    let now = o::mock_now(&m);

    let first = signer.sign_at("GET", &url, &[], &[], "same-nonce", now);
    assert_eq!(get_org(&m, &first.header).status, 200);
    let again = signer.sign_at("GET", &url, &[], &[], "same-nonce", now + 1);
    let body = assert_problem(&get_org(&m, &again.header), "nonce_used");
    assert!(body.contains("same-nonce"), "{body}");
    // Per consumer: another app may use the same nonce.
    let other = o::private().sign_at("GET", &url, &[], &[], "same-nonce", now);
    assert_eq!(get_org(&m, &other.header).status, 200);
    // A rejected signature does not spend the nonce.
    let bad = o::public()
        .token("x", "y")
        .sign_at("GET", &url, &[], &[], "unspent", now);
    assert_problem(&get_org(&m, &bad.header), "token_rejected");
    let ok = signer.sign_at("GET", &url, &[], &[], "unspent", now);
    assert_eq!(get_org(&m, &ok.header).status, 200);

    // Inside the 300-second window either way is fine; outside it is refused.
    for (offset, fine) in [(-290, true), (290, true), (-320, false), (320, false)] {
        let s = signer.sign_at("GET", &url, &[], &[], &o::fresh_nonce(), now + offset);
        let r = get_org(&m, &s.header);
        if fine {
            assert_eq!(r.status, 200, "offset {offset}: {}", r.body);
            continue;
        }
        let body = assert_problem(&r, "timestamp_refused");
        let window = field(&body, "oauth_acceptable_timestamps").expect("acceptable range");
        let (from, to) = window.split_once('-').unwrap();
        let (from, to): (i64, i64) = (from.parse().unwrap(), to.parse().unwrap());
        assert_eq!(to - from, 600, "{window}");
        assert!((from + 300 - now).abs() <= 5, "{window} vs {now}");
    }
}

#[test]
fn token_expired_on_the_clock_and_by_the_control() {
    let m = Mock::start(o::config());
    let a = granted_public(&m);
    let b = granted_public(&m);
    let c = granted_public(&m);
    // 29 minutes: still fine.
    m.admin("POST", "clock", json!({"advance_seconds": 29 * 60}));
    assert_eq!(a.api(&m, "Organisation").status, 200);

    let (token_b, _) = b.token.clone().unwrap();
    m.admin("POST", "oauth1/expire", json!({"token": token_b}));
    let body = assert_problem(&b.api(&m, "Organisation"), "token_expired");
    assert!(body.contains("access%20token"), "{body}");
    assert_eq!(c.api(&m, "Organisation").status, 200);

    m.admin("POST", "oauth1/expire", json!({"all": true}));
    assert_problem(&c.api(&m, "Organisation"), "token_expired");

    // A fresh grant is fine; two more minutes of mock time (31 in all for `a`) expire it.
    let d = granted_public(&m);
    m.admin("POST", "clock", json!({"advance_seconds": 2 * 60}));
    assert_problem(&a.api(&m, "Organisation"), "token_expired");
    assert_eq!(d.api(&m, "Organisation").status, 200);

    // Request tokens expire too.
    let url = format!("{}/oauth/RequestToken", m.base);
    let h = o::public().sign(&m, "POST", &url, &[], &[("oauth_callback", "oob")]);
    let r = m.post_form("/oauth/RequestToken", &[("authorization", &h)], &[]);
    let rt = field(&r.body, "oauth_token").unwrap();
    m.admin("POST", "clock", json!({"advance_seconds": 1801}));
    let r = m.get(&format!("/oauth/Authorize?oauth_token={rt}"), &[]);
    assert_problem(&r, "token_expired");

    // The control refuses what it does not know.
    let url = format!("{}/__mock/oauth1/expire", m.base);
    let r = common::agent()
        .post(url)
        .content_type("application/json")
        .send(json!({"token": "nope"}).to_string())
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
}

#[test]
fn token_rejected_and_consumer_key_unknown() {
    let m = Mock::start(o::config());
    assert_problem(
        &o::public()
            .token("NOSUCHTOKEN", "s")
            .api(&m, "Organisation"),
        "token_rejected",
    );
    // A request token is not an access token.
    let url = format!("{}/oauth/RequestToken", m.base);
    let h = o::public().sign(&m, "POST", &url, &[], &[("oauth_callback", "oob")]);
    let r = m.post_form("/oauth/RequestToken", &[("authorization", &h)], &[]);
    let (rt, rs) = (
        field(&r.body, "oauth_token").unwrap(),
        field(&r.body, "oauth_token_secret").unwrap(),
    );
    assert_problem(
        &o::public().token(&rt, &rs).api(&m, "Organisation"),
        "token_rejected",
    );
    assert_problem(
        &m.get("/oauth/Authorize?oauth_token=UNKNOWN", &[]),
        "token_rejected",
    );
    // Another consumer's token is rejected even with its secret.
    let g = o::three_legged(&m, &o::public());
    let mut other = Signer::new("public-consumer", "public-secret", Method::HmacSha1);
    other.consumer_key = "private-consumer".into();
    other.method = Method::rsa(o::PRIVATE_KEY);
    assert_problem(
        &other.token(&g.token, &g.secret).api(&m, "Organisation"),
        "token_rejected",
    );

    let unknown = Signer::new("who-is-this", "s", Method::HmacSha1).token("t", "s");
    let body = assert_problem(&unknown.api(&m, "Organisation"), "consumer_key_unknown");
    assert!(!body.contains("x-mock"), "{body}");
}

#[test]
fn signature_method_rejected() {
    let m = Mock::start(o::config());
    let url = format!("{}/oauth/RequestToken", m.base);
    let cb = [("oauth_callback", "oob")];
    let cases = [
        // RSA app signing with HMAC.
        Signer::new("partner-consumer", "x", Method::HmacSha1),
        // HMAC app signing with RSA.
        Signer::new(
            "public-consumer",
            "public-secret",
            Method::rsa(o::PARTNER_KEY),
        ),
        // PLAINTEXT over plain HTTP would send the secret in the clear.
        Signer::new("public-consumer", "public-secret", Method::Plaintext),
    ];
    for signer in cases {
        let h = signer.sign(&m, "POST", &url, &[], &cb);
        let r = m.post_form("/oauth/RequestToken", &[("authorization", &h)], &[]);
        assert_problem(&r, "signature_method_rejected");
    }
    let nokey = Signer::new("partner-nokey", "", Method::rsa(o::PARTNER_KEY));
    let h = nokey.sign(&m, "POST", &url, &[], &cb);
    let r = m.post_form("/oauth/RequestToken", &[("authorization", &h)], &[]);
    let body = assert_problem(&r, "signature_method_rejected");
    assert!(body.contains("No%20certificates"), "{body}");
    // An RSA signature from the wrong key is a bad signature, not a bad method.
    let wrong_key = Signer::new("partner-consumer", "", Method::rsa(o::PRIVATE_KEY));
    let h = wrong_key.sign(&m, "POST", &url, &[], &cb);
    let r = m.post_form("/oauth/RequestToken", &[("authorization", &h)], &[]);
    assert_problem(&r, "signature_invalid");
    assert!(r.header("x-mock-base-string").is_some());
}

#[test]
fn parameter_absent_and_version_rejected() {
    let m = Mock::start(o::config());
    let url = format!("{}/oauth/RequestToken", m.base);
    let post = |h: &str| m.post_form("/oauth/RequestToken", &[("authorization", h)], &[]);

    let h = o::public().sign(&m, "POST", &url, &[], &[]);
    let body = assert_problem(&post(&h), "parameter_absent");
    assert!(
        body.ends_with("&oauth_parameters_absent=oauth_callback"),
        "{body}"
    );

    // Strip the nonce and timestamp from an otherwise good header.
    let h = o::public().sign(&m, "POST", &url, &[], &[("oauth_callback", "oob")]);
    let stripped: Vec<&str> = h
        .trim_start_matches("OAuth ")
        .split(", ")
        .filter(|p| !p.starts_with("oauth_nonce") && !p.starts_with("oauth_timestamp"))
        .collect();
    let body = assert_problem(
        &post(&format!("OAuth {}", stripped.join(", "))),
        "parameter_absent",
    );
    assert_eq!(
        field(&body, "oauth_parameters_absent").as_deref(),
        Some("oauth_timestamp&oauth_nonce")
    );
    assert!(body.contains("oauth_timestamp%26oauth_nonce"), "{body}");

    // No Authorization at all.
    let r = m.post_form("/oauth/RequestToken", &[], &[]);
    let body = assert_problem(&r, "parameter_absent");
    assert!(body.contains("oauth_consumer_key"), "{body}");

    let h = o::public().sign(&m, "POST", &url, &[], &[("oauth_callback", "oob")]);
    let h2 = h.replace("oauth_version=\"1.0\"", "oauth_version=\"2.0\"");
    assert_ne!(h, h2);
    let body = assert_problem(&post(&h2), "version_rejected");
    assert_eq!(
        field(&body, "oauth_acceptable_versions").as_deref(),
        Some("1.0-1.0")
    );

    // A repeated protocol parameter is rejected before anything else is looked at.
    let h3 = h.replace(", oauth_nonce=", ", oauth_nonce=\"x\", oauth_nonce=");
    let body = assert_problem(&post(&h3), "parameter_rejected");
    assert_eq!(
        field(&body, "oauth_parameters_rejected").as_deref(),
        Some("oauth_nonce")
    );
    // The unmodified header is good.
    assert_eq!(post(&h).status, 200);
}
