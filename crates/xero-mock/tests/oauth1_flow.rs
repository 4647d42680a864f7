//! OAuth 1.0a flows through real HTTP: public (three-legged, HMAC-SHA1), private
//! (two-legged, RSA-SHA1) and partner (three-legged, RSA-SHA1, renewal), signed by the
//! tests' own signer and, once, by the third-party `oauth1-request` crate.

mod common;

use std::num::NonZeroU64;

use common::oauth1::{self as o, assert_problem, field, Signer};
use common::Mock;
use oauth1_request as oauth;
use serde_json::json;

#[test]
fn public_app_three_legged_flow() {
    let m = Mock::start(o::config());
    let granted = o::three_legged(&m, &o::public());
    assert_eq!(
        field(&granted.body, "oauth_expires_in").as_deref(),
        Some("1800")
    );
    assert_eq!(
        field(&granted.body, "oauth_authorization_expires_in").as_deref(),
        Some("31536000")
    );
    assert_eq!(granted.session_handle, None, "public apps cannot renew");
    assert_eq!(granted.token.len(), 30);

    // The token works on the Accounting API for the first tenant, no xero-tenant-id needed;
    // the query (with characters that need encoding) is part of what is signed.
    let signer = o::public().token(&granted.token, &granted.secret);
    let r = signer.api(&m, "Invoices?page=1&where=Status%3D%3D%22AUTHORISED%22");
    assert_eq!(r.status, 200, "{}", r.body);
    let invoices = r.json()["Invoices"].as_array().unwrap().clone();
    assert!(!invoices.is_empty());
    assert!(invoices.iter().all(|i| i["Status"] == "AUTHORISED"));
    let r = signer.api(&m, "Organisation");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json()["Organisations"][0]["Name"],
        "Demo Company (NZ)",
        "bound to tenant 1"
    );

    // A public app cannot renew.
    let url = format!("{}/oauth/AccessToken", m.base);
    let h = signer.sign(&m, "POST", &url, &[], &[("oauth_session_handle", "x")]);
    let r = m.post_form("/oauth/AccessToken", &[("authorization", &h)], &[]);
    assert_problem(&r, "permission_denied");

    let stats = m.stats();
    for (label, n) in [
        ("oauth1:request_token", 1),
        ("oauth1:authorize", 1),
        ("oauth1:access_token", 1),
        ("oauth1:renew", 1),
        ("Invoices", 1),
        ("Organisation", 1),
    ] {
        assert_eq!(stats[label], n, "{label}: {stats}");
    }
    // The request log keeps the Authorization header exactly as it was sent.
    let log = m.admin("GET", "requests", serde_json::Value::Null);
    let last = log.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["label"], "oauth1:renew");
    assert_eq!(last["headers"]["authorization"], h.as_str());
}

#[test]
fn request_tokens_are_single_use_and_oob_shows_the_verifier() {
    let m = Mock::start(o::config());
    let url = format!("{}/oauth/RequestToken", m.base);
    // GET works as well as POST, and the path is case-insensitive.
    let h = o::public().sign(
        &m,
        "GET",
        &url.to_lowercase(),
        &[],
        &[("oauth_callback", "oob")],
    );
    let r = m.get("/oauth/requesttoken", &[("authorization", &h)]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    let token = field(&r.body, "oauth_token").unwrap();
    let secret = field(&r.body, "oauth_token_secret").unwrap();

    // Exchanging before consent: the user has not decided yet.
    let access_url = format!("{}/oauth/AccessToken", m.base);
    let with_request = o::public().token(&token, &secret);
    let h = with_request.sign(&m, "POST", &access_url, &[], &[("oauth_verifier", "1")]);
    let r = m.post_form("/oauth/AccessToken", &[("authorization", &h)], &[]);
    assert_problem(&r, "permission_unknown");

    let r = m.get(&format!("/oauth/Authorize?oauth_token={token}"), &[]);
    assert_eq!(r.status, 200, "oob shows the verifier: {}", r.body);
    let verifier = r.body.clone();
    assert_eq!(verifier.len(), 7, "{verifier}");
    assert!(verifier.bytes().all(|b| b.is_ascii_digit()));

    let h = with_request.sign(
        &m,
        "POST",
        &access_url,
        &[],
        &[("oauth_verifier", "0000000x")],
    );
    let r = m.post_form("/oauth/AccessToken", &[("authorization", &h)], &[]);
    let body = assert_problem(&r, "parameter_rejected");
    assert_eq!(
        field(&body, "oauth_parameters_rejected").as_deref(),
        Some("oauth_verifier")
    );

    // Protocol parameters are read from the Authorization header only, as Xero's SDKs sent
    // them; a verifier in the body does not count.
    let h = with_request.sign(
        &m,
        "POST",
        &access_url,
        &[("oauth_verifier", &verifier)],
        &[],
    );
    let r = m.post_form(
        "/oauth/AccessToken",
        &[("authorization", &h)],
        &[("oauth_verifier", &verifier)],
    );
    let body = assert_problem(&r, "parameter_absent");
    assert_eq!(
        field(&body, "oauth_parameters_absent").as_deref(),
        Some("oauth_verifier")
    );

    let h = with_request.sign(
        &m,
        "POST",
        &access_url,
        &[],
        &[("oauth_verifier", &verifier)],
    );
    let r = m.post_form("/oauth/AccessToken", &[("authorization", &h)], &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    // Exchanged once, the request token is spent.
    let h = with_request.sign(
        &m,
        "POST",
        &access_url,
        &[],
        &[("oauth_verifier", &verifier)],
    );
    let r = m.post_form("/oauth/AccessToken", &[("authorization", &h)], &[]);
    assert_problem(&r, "token_rejected");
}

#[test]
fn private_app_is_two_legged_and_never_expires() {
    let m = Mock::start(o::config());
    let signer = o::private();
    for path in ["Contacts?page=1", "Organisation", "Accounts"] {
        let r = signer.api(&m, path);
        assert_eq!(r.status, 200, "{path}: {}", r.body);
    }
    m.admin("POST", "clock", json!({"advance_seconds": 400 * 86_400}));
    m.admin("POST", "oauth1/expire", json!({"all": true}));
    let r = signer.api(&m, "Organisation");
    assert_eq!(r.status, 200, "private apps never expire: {}", r.body);

    // Any token other than the consumer key is not one.
    let r = signer.token("someone-else", "").api(&m, "Organisation");
    assert_problem(&r, "token_rejected");
    // No three-legged flow for private apps.
    let url = format!("{}/oauth/RequestToken", m.base);
    let h = signer.sign(&m, "POST", &url, &[], &[("oauth_callback", "oob")]);
    let r = m.post_form("/oauth/RequestToken", &[("authorization", &h)], &[]);
    assert_problem(&r, "permission_denied");
    // A wrong tenant header is still refused; the right one is allowed.
    let url = format!("{}/api.xro/2.0/Organisation", m.base);
    for (tenant, status) in [(m.tenant(1), 403), (m.tenant(0), 200)] {
        let h = signer.sign(&m, "GET", &url, &[], &[]);
        let r = m.get(
            "/api.xro/2.0/Organisation",
            &[("authorization", &h), ("xero-tenant-id", &tenant)],
        );
        assert_eq!(r.status, status, "{}", r.body);
    }
}

#[test]
fn partner_flow_with_renewal() {
    let m = Mock::start(o::config());
    let partner = o::partner();
    let granted = o::three_legged(&m, &partner);
    let handle = granted
        .session_handle
        .clone()
        .expect("partner apps get a session handle");
    let first = partner.token(&granted.token, &granted.secret);
    assert_eq!(first.api(&m, "Invoices").status, 200);

    // 31 minutes on, the token has expired...
    m.admin("POST", "clock", json!({"advance_seconds": 31 * 60}));
    assert_problem(&first.api(&m, "Invoices"), "token_expired");

    // ...and is renewed with the session handle, signed with the expired token.
    let url = format!("{}/oauth/AccessToken", m.base);
    let h = first.sign(&m, "POST", &url, &[], &[("oauth_session_handle", &handle)]);
    let r = m.post_form("/oauth/AccessToken", &[("authorization", &h)], &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        field(&r.body, "oauth_session_handle").as_deref(),
        Some(handle.as_str())
    );
    assert_eq!(field(&r.body, "oauth_expires_in").as_deref(), Some("1800"));
    let token = field(&r.body, "oauth_token").unwrap();
    assert_ne!(token, granted.token);
    let second = partner.token(&token, &field(&r.body, "oauth_token_secret").unwrap());
    assert_eq!(second.api(&m, "Invoices").status, 200);

    // The old token is gone for good: neither the API nor a second renewal takes it.
    assert_problem(&first.api(&m, "Invoices"), "token_rejected");
    let h = first.sign(&m, "POST", &url, &[], &[("oauth_session_handle", &handle)]);
    let r = m.post_form("/oauth/AccessToken", &[("authorization", &h)], &[]);
    assert_problem(&r, "token_rejected");

    // A session handle in the form body renews too (it is signed there).
    let body = [("oauth_session_handle", handle.as_str())];
    let h = second.sign(&m, "POST", &url, &body, &[]);
    let r = m.post_form("/oauth/AccessToken", &[("authorization", &h)], &body);
    assert_eq!(r.status, 200, "{}", r.body);
    let stats = m.stats();
    assert_eq!(stats["oauth1:renew"], 3, "{stats}");
    assert_eq!(stats["oauth1:access_token"], 1, "{stats}");

    // The same key given as a PKCS#1 public key verifies too.
    let pkcs1 = Signer::new("partner-pkcs1", "", o::Method::rsa(o::PARTNER_KEY));
    let pkcs1_granted = o::three_legged(&m, &pkcs1);
    assert!(pkcs1_granted.session_handle.is_some());
}

/// A request signed by a third-party client library passes the check.
#[test]
fn oauth1_request_crate_signatures_are_accepted() {
    let m = Mock::start(o::config());
    let granted = o::three_legged(&m, &o::public());
    let now = o::mock_now(&m) as u64;
    let client = oauth::Credentials::new("public-consumer", "public-secret");
    let token = oauth::Credentials::new(granted.token.as_str(), granted.secret.as_str());
    // Distinct names, so its unencoded-value sort cannot differ from the RFC's.
    let params = oauth::ParameterList::new([("page", "1"), ("where", "Type==\"ACCREC\"")]);
    let uri = format!("{}/api.xro/2.0/Invoices", m.base);
    let header = oauth::Builder::new(client, oauth::HmacSha1::new())
        .token(token)
        .timestamp(NonZeroU64::new(now))
        .get(&uri, &params);
    let r = m.get(
        "/api.xro/2.0/Invoices?page=1&where=Type%3D%3D%22ACCREC%22",
        &[("authorization", &header), ("accept", "application/json")],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.json()["Invoices"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["Type"] == "ACCREC"));
}
