//! TLS failures as a user meets them: an organisation's call to a server whose certificate
//! cannot be trusted, or that demands a client certificate, fails with 08001, says why, and
//! (where the organisation's settings can fix it) names the function to call — with the
//! organisation's name. None of them is retried or called transient.

use xero_dbtests::oauth1_apps::*;
use xero_dbtests::*;
use xero_mock::test_pki::TestPki;

/// A private app "priv" (two-legged: each query is one call) against `m`.
fn private_org(c: &mut postgres::Client, m: &MockHandle) {
    rsa_server(c, m, "priv", "oauth1_private", "private-consumer");
}

fn trust(c: &mut postgres::Client, pki: &TestPki) {
    c.query("SELECT xero_set_trusted_roots('priv', $1)", &[&pki.ca_cert_pem.as_bytes()]).unwrap();
}

/// The query's error, checked to be a TLS failure that was not retried.
fn tls_failure(c: &mut postgres::Client) -> SqlError {
    let e = expect_error(c.query("SELECT count(*) FROM xero_invoices('priv')", &[]));
    assert_eq!(e.code, SqlState::SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION, "{}", e.all_text());
    assert!(!e.hint.clone().unwrap_or_default().contains("usually works"), "{}", e.all_text());
    let retries: i32 = c.query_one("SELECT retries FROM xero_calls WHERE pid = pg_backend_pid() ORDER BY called_at DESC LIMIT 1", &[]).unwrap().get(0);
    assert_eq!(retries, 0, "a TLS failure is not retried: {}", e.all_text());
    e
}

#[test]
fn an_unknown_issuer_asks_for_the_organisations_trusted_roots() {
    let pki = TestPki::generate();
    let m = oauth1_mock_with(Some(pki.tls_config(false)));
    let db = TestDb::new("tls_issuer");
    let mut c = db.superuser();
    private_org(&mut c, &m);
    let e = tls_failure(&mut c);
    assert!(e.message.contains("was issued by a certificate authority this database server does not trust"), "{}", e.all_text());
    assert!(e.detail.clone().unwrap().contains("UnknownIssuer"), "{}", e.all_text());
    assert!(e.hint.clone().unwrap().contains("SELECT xero_set_trusted_roots('priv', "), "{}", e.all_text());

    trust(&mut c, &pki);
    let n: i64 = c.query_one("SELECT count(*) FROM xero_invoices('priv')", &[]).unwrap().get(0);
    assert_eq!(n, 120, "trusting the root is the fix");

    // The token endpoint, called by the token worker, says the same for an OAuth 2.0 organisation.
    let base = m.base_url();
    c.batch_execute(&format!(
        "CREATE SERVER acme FOREIGN DATA WRAPPER xero_fdw OPTIONS (api_url '{base}/api.xro/2.0', identity_url '{base}');
         CREATE USER MAPPING FOR PUBLIC SERVER acme OPTIONS (client_id '{CLIENT_ID}', client_secret '{CLIENT_SECRET}');"
    ))
    .unwrap();
    let e = expect_error(c.query("SELECT * FROM xero_connect('acme', 'some-refresh-token')", &[]));
    assert_eq!(e.code, SqlState::SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION, "{}", e.all_text());
    assert!(e.hint.clone().unwrap().contains("SELECT xero_set_trusted_roots('acme', "), "{}", e.all_text());
}

#[test]
fn a_demanded_client_certificate_asks_for_the_organisations_certificate() {
    let pki = TestPki::generate();
    let m = oauth1_mock_with(Some(pki.tls_config(true)));
    let db = TestDb::new("tls_clientcert");
    let mut c = db.superuser();
    private_org(&mut c, &m);
    trust(&mut c, &pki);
    let e = tls_failure(&mut c);
    assert!(e.message.contains("requires a TLS client certificate, and none was presented"), "{}", e.all_text());
    assert!(e.detail.clone().unwrap().contains("CertificateRequired"), "{}", e.all_text());
    assert!(e.hint.clone().unwrap().contains("SELECT xero_set_client_certificate('priv', "), "{}", e.all_text());

    // A certificate from another authority is refused, and said so.
    let other = TestPki::generate();
    c.query("SELECT xero_set_client_certificate('priv', $1, 'pw')", &[&other.client_p12("pw")]).unwrap();
    let e = tls_failure(&mut c);
    assert!(e.message.contains("refused the TLS client certificate"), "{}", e.all_text());
    assert!(e.hint.clone().unwrap().contains("xero_set_client_certificate('priv', "), "{}", e.all_text());

    c.query("SELECT xero_set_client_certificate('priv', $1, 'pw')", &[&pki.client_p12("pw")]).unwrap();
    let n: i64 = c.query_one("SELECT count(*) FROM xero_invoices('priv')", &[]).unwrap().get(0);
    assert_eq!(n, 120, "the right certificate is the fix");
}

#[test]
fn an_expired_certificate_or_one_for_another_host_names_its_cause() {
    let pki = TestPki::generate();
    // (server certificate, words of the message, words of the hint)
    let cases = [
        (pki.expired_tls_config(), "the TLS certificate of 127.0.0.1 has expired", "must renew its certificate"),
        (pki.tls_config_for_names(&["xero.example"]), "the server's TLS certificate is not valid for the name 127.0.0.1", "The certificate is for xero.example:"),
    ];
    for (tls, message, hint) in cases {
        let m = oauth1_mock_with(Some(tls));
        let db = TestDb::new("tls_cause");
        let mut c = db.superuser();
        private_org(&mut c, &m);
        trust(&mut c, &pki);
        let e = tls_failure(&mut c);
        assert!(e.message.contains(message), "{}", e.all_text());
        assert!(e.hint.clone().unwrap().contains(hint), "{}", e.all_text());
        assert!(!e.hint.clone().unwrap().contains("xero_set_trusted_roots"), "trusting more roots does not fix it: {}", e.all_text());
    }
}
