//! Tokens that never get lost: refresh on expiry, rotation stored even when the query's
//! transaction rolls back, one refresh under a stampede, invalid_grant.

use std::sync::Arc;

use xero_dbtests::*;

fn stored(c: &mut postgres::Client) -> (String, i64, bool) {
    let r = c.query_one("SELECT refresh_token, refresh_count, needs_reauthorization FROM xero_fdw_private.token_sets WHERE name = 'acme'", &[]).unwrap();
    (r.get(0), r.get(1), r.get(2))
}

#[test]
fn an_expiring_access_token_is_refreshed_once() {
    let m = small_mock();
    let db = TestDb::new("refresh");
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    let (rt0, n0, _) = stored(&mut c);
    reset(&m);
    c.query("SELECT * FROM xero_accounts('acme')", &[]).unwrap();
    assert_eq!(count(&m, "token:refresh_token"), 0, "a fresh token is reused");

    expire_access_token(&mut c, "acme");
    c.query("SELECT * FROM xero_accounts('acme')", &[]).unwrap();
    c.query("SELECT * FROM xero_accounts('acme')", &[]).unwrap();
    assert_eq!(count(&m, "token:refresh_token"), 1);
    let (rt1, n1, _) = stored(&mut c);
    assert_ne!(rt0, rt1, "the rotated refresh token is stored");
    assert_eq!(n1, n0 + 1);
}

#[test]
fn a_rotated_refresh_token_survives_rollback() {
    let m = small_mock();
    let db = TestDb::new("rollback");
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    let (rt0, _, _) = stored(&mut c);
    expire_access_token(&mut c, "acme");
    reset(&m);

    c.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ").unwrap();
    let n: i64 = c.query_one("SELECT count(*) FROM xero_invoices('acme')", &[]).unwrap().get(0);
    assert_eq!(n, 120);
    c.batch_execute("ROLLBACK").unwrap();

    let (rt1, _, _) = stored(&mut c);
    assert_ne!(rt0, rt1, "the refresh token Xero rotated to is kept after ROLLBACK");
    // Also when the transaction fails instead of rolling back cleanly.
    expire_access_token(&mut c, "acme");
    c.batch_execute("BEGIN").unwrap();
    c.query("SELECT count(*) FROM xero_invoices('acme')", &[]).unwrap();
    assert!(c.batch_execute("SELECT 1/0").is_err());
    c.batch_execute("ROLLBACK").unwrap();
    let (rt2, _, _) = stored(&mut c);
    assert_ne!(rt1, rt2);

    // The stored token is the live one: Xero accepts it (the grace window would hide a stale one,
    // so revoke everything older first).
    admin_post(&m, "tokens/revoke", serde_json::json!({"refresh_token": rt0}));
    admin_post(&m, "tokens/revoke", serde_json::json!({"refresh_token": rt1}));
    expire_access_token(&mut c, "acme");
    reset(&m);
    c.query("SELECT * FROM xero_accounts('acme')", &[]).unwrap();
    assert_eq!(count(&m, "token:refresh_token"), 1);
}

#[test]
fn a_stampede_of_sessions_makes_one_refresh_call() {
    const SESSIONS: usize = 8;
    let m = small_mock();
    let db = Arc::new(TestDb::new("stampede"));
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    for round in 0..2 {
        expire_access_token(&mut c, "acme");
        reset(&m);
        for n in concurrently(&db, SESSIONS, "SELECT count(*) FROM xero_accounts('acme')") {
            let n = n.unwrap_or_else(|e| panic!("round {round}: {e}"));
            assert!(n > 0);
        }
        assert_eq!(count(&m, "token:refresh_token"), 1, "round {round}: exactly one refresh for {SESSIONS} sessions");
        assert_eq!(count(&m, "Accounts"), SESSIONS as u64);
    }
}

#[test]
fn invalid_grant_asks_for_reauthorization_and_fails_fast() {
    let m = small_mock();
    let db = TestDb::new("invalidgrant");
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    admin_post(&m, "tokens/revoke", serde_json::json!({"all": true}));
    expire_access_token(&mut c, "acme");

    let e = expect_error(c.query("SELECT * FROM xero_invoices('acme')", &[]));
    assert_eq!(e.code, SqlState::INVALID_AUTHORIZATION_SPECIFICATION, "{}", e.all_text());
    assert!(e.detail.clone().unwrap().contains("invalid_grant"), "{}", e.all_text());
    assert!(e.hint.clone().unwrap().contains("xero_authorize_url('acme'"), "{}", e.all_text());
    assert!(stored(&mut c).2, "the token set is marked as needing re-authorization");
    // DBAs see which organisations must be authorized again, and only those they may use.
    let (needs, why, has_rt): (bool, String, bool) = {
        let r = c.query_one("SELECT needs_reauthorization, last_error, has_refresh_token FROM xero_token_sets() WHERE token_set = 'acme'", &[]).unwrap();
        (r.get(0), r.get(1), r.get(2))
    };
    assert!(needs && why.contains("invalid_grant") && has_rt, "{why}");
    let analyst = db.role("analyst");
    let mut a = db.connect(&analyst);
    assert_eq!(a.query("SELECT * FROM xero_token_sets()", &[]).unwrap().len(), 0, "no USAGE, no token sets");
    c.batch_execute(&format!("GRANT USAGE ON FOREIGN SERVER acme TO {analyst}")).unwrap();
    let all: String = a.query_one("SELECT string_agg(t::text, ' ') FROM xero_token_sets() t", &[]).unwrap().get(0);
    assert!(all.contains("acme") && !all.contains(&stored(&mut c).0), "{all}");

    reset(&m);
    let e = expect_error(c.query("SELECT * FROM xero_accounts('acme')", &[]));
    assert!(e.message.contains("must be authorized again"), "{}", e.all_text());
    assert_eq!(count(&m, "token:refresh_token"), 0, "no token call while re-authorization is pending");

    let rt = issue_refresh_token(&m);
    c.query("SELECT * FROM xero_connect('acme', $1)", &[&rt]).unwrap();
    assert!(!stored(&mut c).2);
    c.query("SELECT * FROM xero_accounts('acme')", &[]).unwrap();
}

#[test]
fn a_token_xero_refuses_is_refreshed_and_the_call_retried() {
    let m = small_mock();
    let db = TestDb::new("clock");
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    // Xero's clock runs ahead of ours: it sees the access token as expired.
    admin_post(&m, "clock", serde_json::json!({"advance_seconds": 1900}));
    reset(&m);
    let n: i64 = c.query_one("SELECT count(*) FROM xero_contacts('acme')", &[]).unwrap().get(0);
    assert!(n > 0);
    assert_eq!(count(&m, "token:refresh_token"), 1);
    assert_eq!(count(&m, "Contacts"), 2, "one refused call, one retry");
}
