//! TLS failures against a real HTTPS server (the bundled one, certificates from
//! `xero_mock::test_pki`): each is reported with its cause and what to do, as a `TlsFailed` error
//! (08001), and never retried — retrying cannot make a certificate trusted.

use std::time::{Duration, Instant};

use xero_core::http::{Http, HttpSettings, Request};
use xero_core::tls::{client_identity, TlsMaterial};
use xero_core::transport::{send_with_retries, RetryPolicy, StaticHeaders, TlsProbe};
use xero_core::{ErrorKind, XeroError};
use xero_mock::test_pki::TestPki;
use xero_mock::{Config, TlsConfig};

/// Calls the server once under a retry policy whose first retry would wait 2 s.
fn call(tls: TlsConfig, material: &TlsMaterial) -> (Result<u16, XeroError>, Duration) {
    // Without a token: an answer at all (401) shows the TLS connection was made.
    let server = xero_mock::spawn(Config { tls: Some(tls), ..Config::default() }).unwrap();
    let http = Http::new(HttpSettings::default()).unwrap();
    let client = http.client_for(material).unwrap();
    // As the extension sets it: whether this connection presents a client certificate tells a
    // demanded certificate from a refused one when HTTP/2 hides the alert.
    let probe_tls = if material.client_identity_pem.is_some() { TlsProbe::ClientCertificate } else { TlsProbe::NoClientCertificate };
    let policy = RetryPolicy { max_retries: 3, base_backoff: Duration::from_secs(2), probe_tls, ..RetryPolicy::default() };
    let request = Request::get(format!("{}/api.xro/2.0/Organisation", server.base_url()), "GET Organisation");
    let started = Instant::now();
    let out = http.wait(send_with_retries(client, request, 1 << 20, policy, &StaticHeaders(vec![])), &|| false).unwrap();
    (out.map(|(r, _)| r.status), started.elapsed())
}

fn trusting(pki: &TestPki) -> TlsMaterial {
    TlsMaterial { trusted_roots_pem: Some(pki.ca_cert_pem.clone()), ..TlsMaterial::default() }
}

fn failure(tls: TlsConfig, material: &TlsMaterial) -> XeroError {
    let (out, took) = call(tls, material);
    let e = out.expect_err("the handshake must fail");
    assert_eq!(e.kind, ErrorKind::TlsFailed, "{e}");
    assert!(took < Duration::from_millis(1500), "not retried (took {took:?}): {e}");
    let hint = e.hint.clone().unwrap();
    assert!(!hint.contains("usually works"), "{hint}");
    e
}

#[test]
fn a_trusted_server_with_the_right_certificates_answers() {
    let pki = TestPki::generate();
    let (identity, _) = client_identity(&pki.client_p12("pw"), Some("pw"), None).unwrap();
    let material = TlsMaterial { client_identity_pem: Some(identity), ..trusting(&pki) };
    let (out, _) = call(pki.tls_config(true), &material);
    let e = out.unwrap_err();
    assert_eq!((e.kind, e.status), (ErrorKind::NotAuthorized, Some(401)), "TLS worked; the server wants a token: {e}");
}

#[test]
fn an_unknown_issuer_asks_for_trusted_roots() {
    let pki = TestPki::generate();
    let e = failure(pki.tls_config(false), &TlsMaterial::default());
    assert!(e.message.contains("does not trust"), "{e}");
    assert!(e.detail.clone().unwrap().contains("UnknownIssuer"), "{e}");
    assert!(e.hint.unwrap().contains("xero_set_trusted_roots('<organisation>'"));
}

#[test]
fn a_demanded_client_certificate_asks_for_one() {
    let pki = TestPki::generate();
    let e = failure(pki.tls_config(true), &trusting(&pki));
    assert!(e.message.contains("requires a TLS client certificate"), "{e}");
    assert!(e.hint.unwrap().contains("xero_set_client_certificate('<organisation>'"));

    // A certificate from another CA is refused by the server.
    let other = TestPki::generate();
    let (identity, _) = client_identity(other.client_identity_pem().as_bytes(), None, None).unwrap();
    let e = failure(pki.tls_config(true), &TlsMaterial { client_identity_pem: Some(identity), ..trusting(&pki) });
    assert!(e.message.contains("refused the TLS client certificate"), "{e}");
    assert!(e.hint.unwrap().contains("xero_set_client_certificate"));
}

#[test]
fn an_expired_certificate_and_one_for_another_host_say_so() {
    let pki = TestPki::generate();
    let e = failure(pki.expired_tls_config(), &trusting(&pki));
    assert!(e.message.contains("has expired"), "{e}");
    assert!(e.hint.unwrap().contains("renew"));

    let e = failure(pki.tls_config_for_names(&["xero.example"]), &trusting(&pki));
    assert!(e.message.contains("not valid for the name 127.0.0.1"), "{e}");
    assert!(e.hint.clone().unwrap().contains("The certificate is for xero.example:"), "names the certificate's hosts as written in a URL: {e}");
}
