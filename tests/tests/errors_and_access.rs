//! Who may use an organisation, and errors that explain without leaking: SQLSTATEs, Xero's own
//! words in DETAIL, a HINT, and never a secret.

use serde_json::json;
use xero_dbtests::*;

#[test]
fn usage_on_the_server_decides_who_may_query() {
    let m = small_mock();
    let db = TestDb::new("usage");
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    let analyst = db.role("analyst");
    let mut a = db.connect(&analyst);

    let e = expect_error(a.query("SELECT * FROM xero_invoices('acme')", &[]));
    assert_eq!(e.code, SqlState::INSUFFICIENT_PRIVILEGE, "{}", e.all_text());
    assert!(e.hint.unwrap().contains("GRANT USAGE ON FOREIGN SERVER acme"));
    for sql in ["SELECT * FROM xero_tenants('acme')", "SELECT xero_authorize_url('acme', 'http://x/cb')"] {
        assert_eq!(expect_error(a.query(sql, &[])).code, SqlState::INSUFFICIENT_PRIVILEGE, "{sql}");
    }
    // The rotating tokens are out of reach whatever the grants on servers.
    let e = expect_error(a.query("SELECT * FROM xero_fdw_private.token_sets", &[]));
    assert_eq!(e.code, SqlState::INSUFFICIENT_PRIVILEGE);

    c.batch_execute(&format!("GRANT USAGE ON FOREIGN SERVER acme TO {analyst}")).unwrap();
    let n: i64 = a.query_one("SELECT count(*) FROM xero_invoices('acme')", &[]).unwrap().get(0);
    assert_eq!(n, 120);
    assert_eq!(expect_error(a.query("SELECT * FROM xero_fdw_private.token_sets", &[])).code, SqlState::INSUFFICIENT_PRIVILEGE);

    let e = expect_error(a.query("SELECT * FROM xero_invoices('nope')", &[]));
    assert_eq!(e.code, SqlState::UNDEFINED_OBJECT);
    assert!(e.hint.unwrap().contains("CREATE SERVER nope"));
}

#[test]
fn xero_errors_are_explained() {
    let m = small_mock();
    let db = TestDb::new("explained");
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");

    let e = expect_error(c.query("SELECT * FROM xero_invoices('acme', where_clause => 'Nonsense==\"x\"')", &[]));
    assert_eq!(e.code, SqlState::INVALID_PARAMETER_VALUE, "{}", e.all_text());
    assert!(e.detail.clone().unwrap().contains("QueryParseException"), "{}", e.all_text());
    assert!(e.hint.is_some());

    // Transient faults are retried (tests/faults.rs); with retries off they surface.
    c.batch_execute("SET xero_fdw.max_retries = 0").unwrap();
    admin_post(&m, "faults", json!({"label": "Invoices", "count": 1, "status": 503}));
    let e = expect_error(c.query("SELECT * FROM xero_invoices('acme')", &[]));
    assert_eq!(e.code, SqlState::FDW_ERROR, "{}", e.all_text());
    assert!(e.detail.unwrap().contains("HTTP 503"));

    admin_post(&m, "faults", json!({"label": "Invoices", "count": 1, "truncate_body": true}));
    let e = expect_error(c.query("SELECT * FROM xero_invoices('acme')", &[]));
    assert!(
        e.code == SqlState::CONNECTION_FAILURE || e.code == SqlState::PROTOCOL_VIOLATION,
        "a truncated body is never rows: {:?} {}",
        e.code,
        e.all_text()
    );

    admin_post(&m, "faults", json!({"label": "Accounts", "count": 1, "drop_connection": true}));
    let e = expect_error(c.query("SELECT * FROM xero_accounts('acme')", &[]));
    assert_eq!(e.code, SqlState::CONNECTION_FAILURE, "{}", e.all_text());
    c.batch_execute("RESET xero_fdw.max_retries").unwrap();

    admin_post(&m, "faults", json!({"label": "Accounts", "count": 1, "status": 200, "body": "<html>maintenance</html>", "content_type": "text/html"}));
    let e = expect_error(c.query("SELECT * FROM xero_accounts('acme')", &[]));
    assert_eq!(e.code, SqlState::PROTOCOL_VIOLATION, "{}", e.all_text());
    assert!(e.detail.unwrap().contains("<html>maintenance"));

}

#[test]
fn no_secret_appears_in_any_error() {
    let m = small_mock();
    let db = TestDb::new("secrets");
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    let (access, refresh): (String, String) =
        { let r = c.query_one("SELECT access_token, refresh_token FROM xero_fdw_private.token_sets", &[]).unwrap(); (r.get(0), r.get(1)) };
    // Everything the server logs, down to debug5, must be as clean as the errors.
    c.batch_execute("SET log_min_messages = debug5; SET client_min_messages = debug5").unwrap();
    let mut texts = Vec::new();
    let mut collect = |r: Result<Vec<postgres::Row>, postgres::Error>| texts.push(expect_error(r).all_text());

    // Xero refuses the token and echoes the request back in a 500.
    admin_post(&m, "faults", json!({"label": "Invoices", "count": 1, "status": 500, "body": format!("echo: Authorization: Bearer {access}")}));
    collect(c.query("SELECT * FROM xero_invoices('acme')", &[]));
    admin_post(&m, "faults", json!({"label": "Invoices", "count": 2, "status": 401}));
    collect(c.query("SELECT * FROM xero_invoices('acme')", &[]));
    // A wrong client secret at the token endpoint.
    c.batch_execute("ALTER USER MAPPING FOR PUBLIC SERVER acme OPTIONS (SET client_secret 'canary-client-secret')").unwrap();
    expire_access_token(&mut c, "acme");
    collect(c.query("SELECT * FROM xero_invoices('acme')", &[]));
    // Secrets go in as bind parameters: PostgreSQL logs the text of a failing statement.
    collect(c.query("SELECT * FROM xero_connect('acme', $1)", &[&"canary-refresh-token"]));
    // invalid_grant.
    c.batch_execute(&format!("ALTER USER MAPPING FOR PUBLIC SERVER acme OPTIONS (SET client_secret '{CLIENT_SECRET}')")).unwrap();
    admin_post(&m, "tokens/revoke", json!({"all": true}));
    collect(c.query("SELECT * FROM xero_invoices('acme')", &[]));
    // A fresh token set, then transport failures: DNS, TLS, timeout.
    let rt = issue_refresh_token(&m);
    c.query("SELECT * FROM xero_connect('acme', $1)", &[&rt]).unwrap();
    let live: String = c.query_one("SELECT access_token FROM xero_fdw_private.token_sets", &[]).unwrap().get(0);
    c.batch_execute("SET xero_fdw.allowed_hosts = '127.0.0.1,no-such-host.invalid'; SET xero_fdw.max_retries = 0").unwrap();
    for api_url in ["https://no-such-host.invalid/api.xro/2.0".to_string(), format!("https://127.0.0.1:{}/api.xro/2.0", m.port())] {
        c.batch_execute(&format!("ALTER SERVER acme OPTIONS (SET api_url '{api_url}')")).unwrap();
        collect(c.query("SELECT * FROM xero_invoices('acme')", &[]));
    }
    c.batch_execute(&format!("ALTER SERVER acme OPTIONS (SET api_url '{}/api.xro/2.0')", m.base_url())).unwrap();
    admin_post(&m, "faults", json!({"label": "Invoices", "count": 1, "silence": true}));
    c.batch_execute("SET xero_fdw.read_timeout = '200ms'").unwrap();
    collect(c.query("SELECT * FROM xero_invoices('acme')", &[]));

    assert_eq!(texts.len(), 8);
    assert!(texts[5].contains("could not connect") && texts[6].contains("does not speak TLS"), "{} / {}", texts[5], texts[6]);
    assert!(texts[7].contains("did not answer in time"), "{}", texts[7]);
    let log_path = std::path::PathBuf::from(std::env::var("XERO_TEST_PGDATA").expect("scripts/test.sh sets XERO_TEST_PGDATA")).join("server.log");
    let log = std::fs::read_to_string(&log_path).unwrap_or_else(|e| panic!("{}: {e}", log_path.display()));
    let pid: i32 = c.query_one("SELECT pg_backend_pid()", &[]).unwrap().get(0);
    let ours: String = log.lines().filter(|l| l.contains(&format!(" [{pid}] "))).collect::<Vec<_>>().join("\n");
    assert!(ours.contains("DEBUG"), "this session's debug5 output reached the log");
    texts.push(ours);
    for t in &texts {
        for secret in [access.as_str(), refresh.as_str(), live.as_str(), rt.as_str(), CLIENT_SECRET, "canary-client-secret", "canary-refresh-token"] {
            assert!(!t.contains(secret), "secret in error: {t}");
        }
    }
    assert!(texts[2].contains("invalid_client"), "{}", texts[2]);
}
