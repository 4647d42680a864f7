//! Xero's legacy OAuth 1.0a app types as organisations: public (HMAC-SHA1, three-legged),
//! private (RSA-SHA1, two-legged) and partner (RSA-SHA1, renewed with a session handle, over
//! mutual TLS with a PKCS#12 client certificate). The bundled server checks every signature with
//! an implementation independent of the extension's.

use std::time::Duration;

use serde_json::json;
use xero_dbtests::*;
use xero_mock::test_pki::TestPki;
use xero_dbtests::oauth1_apps::*;

#[test]
fn a_public_app_authorizes_three_legged_and_says_when_its_token_expires() {
    let m = oauth1_mock(None);
    let db = TestDb::new("o1public");
    let mut c = db.superuser();
    server(&mut c, &m, "pub", "oauth1_public", "public-consumer", "public-secret");

    let url: String = c.query_one("SELECT xero_oauth1_request_token('pub', 'http://127.0.0.1:9/callback')", &[]).unwrap().get(0);
    assert!(url.contains("/oauth/Authorize?oauth_token="), "{url}");
    let redirected = consent(&url, None);
    let valid_for: f64 = c.query_one("SELECT extract(epoch FROM xero_oauth1_access_token('pub', $1) - now())::float8", &[&redirected]).unwrap().get(0);
    assert!((1700.0..1801.0).contains(&valid_for), "a 30-minute token: {valid_for}");

    let n: i64 = c.query_one("SELECT count(*) FROM xero_invoices('pub')", &[]).unwrap().get(0);
    assert_eq!(n, 120);
    let signed = requests(&m, "Invoices");
    let auth = signed[0]["headers"]["authorization"].as_str().unwrap();
    assert!(auth.starts_with("OAuth ") && auth.contains("HMAC-SHA1"), "{auth}");
    assert!(signed[0]["headers"].get("xero-tenant-id").is_none());

    admin_post(&m, "oauth1/expire", json!({"all": true}));
    let e = expect_error(c.query("SELECT count(*) FROM xero_invoices('pub')", &[]));
    assert_eq!(e.code, SqlState::INVALID_AUTHORIZATION_SPECIFICATION, "{}", e.all_text());
    assert!(e.message.contains("has expired"), "{}", e.all_text());
    assert!(e.hint.clone().unwrap().contains("xero_oauth1_request_token('pub'"), "{}", e.all_text());
    assert!(e.detail.clone().unwrap().contains("token_expired"), "{}", e.all_text());
}

#[test]
fn oauth1_problems_come_back_with_what_to_check() {
    let m = oauth1_mock(None);
    let db = TestDb::new("o1problems");
    let mut c = db.superuser();
    server(&mut c, &m, "pub", "oauth1_public", "public-consumer", "not-the-secret");
    let e = expect_error(c.query("SELECT xero_oauth1_request_token('pub')", &[]));
    assert_eq!(e.code, SqlState::INVALID_AUTHORIZATION_SPECIFICATION, "{}", e.all_text());
    assert!(e.message.contains("signature_invalid"), "{}", e.all_text());
    assert!(e.detail.clone().unwrap().contains("Failed to validate signature"), "{}", e.all_text());
    assert!(e.hint.is_some());
    assert!(!e.all_text().contains("not-the-secret"));

    c.batch_execute("ALTER USER MAPPING FOR PUBLIC SERVER pub OPTIONS (SET consumer_key 'nobody')").unwrap();
    let e = expect_error(c.query("SELECT xero_oauth1_request_token('pub')", &[]));
    assert!(e.message.contains("consumer_key_unknown"), "{}", e.all_text());

    let e = expect_error(c.query("SELECT xero_authorize_url('pub', 'http://x/cb')", &[]));
    assert!(e.hint.unwrap().contains("xero_oauth1_request_token"));
}

#[test]
fn a_private_app_signs_with_its_rsa_key_two_legged() {
    let m = oauth1_mock(None);
    let db = TestDb::new("o1private");
    let mut c = db.superuser();
    server(&mut c, &m, "priv", "oauth1_private", "private-consumer", "");
    let e = expect_error(c.query("SELECT count(*) FROM xero_contacts('priv')", &[]));
    assert!(e.hint.unwrap().contains("xero_oauth1_set_rsa_key('priv', $1)"), "no key yet");

    let e = expect_error(c.query("SELECT xero_oauth1_set_rsa_key('priv', 'not a key')", &[]));
    assert_eq!(e.code, SqlState::INVALID_PARAMETER_VALUE);
    let stored: String = c.query_one("SELECT xero_oauth1_set_rsa_key('priv', $1)", &[&key("private_app.key")]).unwrap().get(0);
    assert!(stored.contains("stored"));
    reset(&m);
    let n: i64 = c.query_one("SELECT count(*) FROM xero_invoices('priv')", &[]).unwrap().get(0);
    assert_eq!(n, 120);
    let auth = requests(&m, "Invoices")[0]["headers"]["authorization"].as_str().unwrap().to_string();
    assert!(auth.contains("RSA-SHA1") && auth.contains("oauth_token=\"private-consumer\""), "{auth}");
    assert_eq!(count(&m, "oauth1:access_token"), 0, "two-legged: no token exchange");

    let e = expect_error(c.query("SELECT xero_oauth1_request_token('priv')", &[]));
    assert!(e.message.contains("needs no authorization"), "{}", e.all_text());

    // The key is out of reach of everyone but the extension, and only the owner may replace it.
    let analyst = db.role("analyst");
    c.batch_execute(&format!("GRANT USAGE ON FOREIGN SERVER priv TO {analyst}")).unwrap();
    let mut a = db.connect(&analyst);
    assert_eq!(expect_error(a.query("SELECT * FROM xero_fdw_private.key_material", &[])).code, SqlState::INSUFFICIENT_PRIVILEGE);
    let e = expect_error(a.query("SELECT xero_oauth1_set_rsa_key('priv', $1)", &[&key("private_app.key")]));
    assert_eq!(e.code, SqlState::INSUFFICIENT_PRIVILEGE);
    assert!(!e.all_text().contains("PRIVATE KEY"));
    let n: i64 = a.query_one("SELECT count(*) FROM xero_accounts('priv')", &[]).unwrap().get(0);
    assert!(n > 0, "USAGE is enough to query");
}

#[test]
fn a_partner_app_works_over_mutual_tls_with_a_p12_certificate() {
    let pki = TestPki::generate();
    let (m, db, mut c) = partner(&pki, "o1partner");
    let n: i64 = c.query_one("SELECT count(*) FROM xero_invoices('partner')", &[]).unwrap().get(0);
    assert_eq!(n, 120);
    assert!(m.base_url().starts_with("https://"));

    // The same server without the client certificate: the TLS handshake is refused.
    c.batch_execute("UPDATE xero_fdw_private.key_material SET client_identity = NULL").unwrap();
    let mut fresh = db.superuser();
    let e = expect_error(fresh.query("SELECT count(*) FROM xero_accounts('partner')", &[]));
    assert_eq!(e.code, SqlState::SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION, "{}", e.all_text());
    assert!(e.message.contains("requires a TLS client certificate"), "{}", e.all_text());
    assert!(e.hint.clone().unwrap().contains("xero_set_client_certificate('partner'"), "{}", e.all_text());
    let e = expect_error(fresh.query("SELECT xero_set_client_certificate('partner', $1, 'wrong-password')", &[&pki.client_p12("p12-password")]));
    assert_eq!(e.code, SqlState::INVALID_PARAMETER_VALUE);
    assert!(!e.all_text().contains("wrong-password"));
}

#[test]
fn an_organisation_can_reach_xero_through_an_https_proxy() {
    let pki = TestPki::generate();
    let (m, _db, mut c) = partner(&pki, "o1partner");
    let (proxy_port, tunnels) = spawn_connect_proxy();
    c.batch_execute(&format!("ALTER SERVER partner OPTIONS (ADD proxy 'http://127.0.0.1:{proxy_port}')")).unwrap();
    reset(&m);
    let n: i64 = c.query_one("SELECT count(*) FROM xero_invoices('partner')", &[]).unwrap().get(0);
    assert_eq!(n, 120);
    assert!(tunnels.load(std::sync::atomic::Ordering::SeqCst) >= 1, "the call went through the proxy");
    assert_eq!(count(&m, "Invoices"), 1);

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    c.batch_execute(&format!("ALTER SERVER partner OPTIONS (SET proxy 'http://127.0.0.1:{closed}')")).unwrap();
    let e = expect_error(c.query("SELECT count(*) FROM xero_accounts('partner')", &[]));
    assert_eq!(e.code, SqlState::SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION, "{}", e.all_text());
}

#[test]
fn partner_tokens_are_renewed_once_under_concurrency_and_survive_rollback() {
    const SESSIONS: usize = 8;
    let pki = TestPki::generate();
    let (m, db, mut c) = partner(&pki, "o1partner");
    let token = |c: &mut postgres::Client| -> String { c.query_one("SELECT access_token FROM xero_fdw_private.token_sets WHERE name = 'partner'", &[]).unwrap().get(0) };

    // Xero says the token expired: the next query renews it with the session handle.
    let t0 = token(&mut c);
    admin_post(&m, "oauth1/expire", json!({"all": true}));
    reset(&m);
    c.batch_execute("BEGIN").unwrap();
    let n: i64 = c.query_one("SELECT count(*) FROM xero_contacts('partner')", &[]).unwrap().get(0);
    assert!(n > 0);
    c.batch_execute("ROLLBACK").unwrap();
    assert_eq!(count(&m, "oauth1:renew"), 1);
    let t1 = token(&mut c);
    assert_ne!(t0, t1, "the renewed token is kept after ROLLBACK");

    // Our clock says it is about to expire: eight sessions, one renewal.
    c.batch_execute("UPDATE xero_fdw_private.token_sets SET access_token_expires_at = clock_timestamp() WHERE name = 'partner'").unwrap();
    reset(&m);
    for n in concurrently(&db, SESSIONS, "SELECT count(*) FROM xero_accounts('partner')") {
        assert!(n.unwrap() > 0);
    }
    assert_eq!(count(&m, "oauth1:renew"), 1, "exactly one renewal for {SESSIONS} sessions");
    std::thread::sleep(Duration::from_millis(10));
    assert_ne!(token(&mut c), t1);
}
