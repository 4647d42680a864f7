//! Connection reuse over HTTPS: one TLS connection per backend and host serves every page and
//! every statement of a session — HTTP/2 (ALPN) when the server speaks it, as Xero does, so
//! pages in flight side by side share it — and every call asks for a gzip-compressed answer.

use xero_dbtests::*;
use xero_mock::test_pki::TestPki;

fn https_org(pki: &TestPki) -> (MockHandle, TestDb, postgres::Client) {
    let m = mock(Config { invoices: 3_500, contacts: 30, tls: Some(pki.tls_config(false)), ..Config::default() });
    use_client_certificate(&m, pki);
    let db = TestDb::new("conns");
    let mut c = db.superuser();
    let (base, tenant) = (m.base_url(), &m.tenant_ids()[0]);
    c.batch_execute(&format!(
        "CREATE SERVER acme FOREIGN DATA WRAPPER xero_fdw OPTIONS (api_url '{base}/api.xro/2.0', identity_url '{base}', \
         login_url '{base}', tenant_id '{tenant}');
         CREATE USER MAPPING FOR PUBLIC SERVER acme OPTIONS (client_id '{CLIENT_ID}', client_secret '{CLIENT_SECRET}');"
    ))
    .unwrap();
    c.query("SELECT xero_set_trusted_roots('acme', $1)", &[&pki.ca_cert_pem.as_bytes()]).unwrap();
    let rt = issue_refresh_token(&m);
    c.query("SELECT * FROM xero_connect('acme', $1)", &[&rt]).unwrap();
    (m, db, c)
}

#[test]
fn one_tls_connection_per_backend_serves_every_page_and_statement() {
    let pki = TestPki::generate();
    let (m, db, _setup) = https_org(&pki);
    // Slow enough that a statement's pages are in flight side by side.
    reset_counts(&m);
    let mut c = db.superuser();
    for _ in 0..3 {
        let n: i64 = c.query_one("SELECT count(*) FROM xero_invoices('acme')", &[]).unwrap().get(0);
        assert_eq!(n, 3_500);
        c.query("SELECT * FROM xero_accounts('acme')", &[]).unwrap();
    }
    let stats = admin_get(&m, "stats");
    assert_eq!(stats["requests"]["Invoices"].as_u64(), Some(12), "four pages, three statements");
    assert!(stats["max_in_flight"].as_u64() >= Some(2), "pages were in flight side by side: {stats}");
    assert_eq!(stats["connections"]["accepted"].as_u64(), Some(1 + ADMIN), "one connection for 15 calls: {stats}");
    assert_eq!(stats["connections"]["http2"].as_u64(), Some(1), "the backend spoke HTTP/2: {stats}");

    for r in requests(&m, "Invoices").iter().chain(&requests(&m, "Accounts")) {
        let encodings = r["headers"]["accept-encoding"].as_str().unwrap_or("");
        assert!(encodings.split(',').any(|e| e.trim() == "gzip"), "asked for gzip: {r}");
    }

    // Another backend has its own connection; this one keeps its own.
    reset_counts(&m);
    db.superuser().query("SELECT * FROM xero_accounts('acme')", &[]).unwrap();
    c.query("SELECT * FROM xero_accounts('acme')", &[]).unwrap();
    assert_eq!(admin_get(&m, "stats")["connections"]["accepted"].as_u64(), Some(1 + ADMIN), "only the new session connected");
}

/// Connections the test's own admin calls open after a reset (curl, one each, HTTP/1.1): the
/// fault set again and the stats read.
const ADMIN: u64 = 2;

/// Clears the counters and sets the latency again (`/__mock/reset` clears both).
fn reset_counts(m: &MockHandle) {
    reset(m);
    admin_post(m, "faults", serde_json::json!({"label": "Invoices", "latency_ms": 100}));
}
