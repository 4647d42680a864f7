//! OAuth 1.0a organisations without a usable authorization — never authorized, a token Xero
//! refuses, a partner session Xero will not renew — are told the OAuth 1.0a steps
//! (xero_oauth1_request_token, xero_oauth1_access_token), never the OAuth 2.0 ones.

use serde_json::json;
use xero_dbtests::oauth1_apps::*;
use xero_dbtests::*;

const OAUTH2_STEPS: [&str; 3] = ["xero_authorize_url", "xero_complete_authorization", "xero_connect"];

/// 28000, with the OAuth 1.0a steps for `org` in the HINT and no OAuth 2.0 step anywhere.
fn assert_oauth1_steps(e: &SqlError, org: &str) {
    assert_eq!(e.code, SqlState::INVALID_AUTHORIZATION_SPECIFICATION, "{}", e.all_text());
    let hint = e.hint.clone().unwrap_or_default();
    assert!(hint.contains(&format!("SELECT xero_oauth1_request_token('{org}', ")), "{}", e.all_text());
    assert!(hint.contains(&format!("SELECT xero_oauth1_access_token('{org}', ")), "{}", e.all_text());
    for step in OAUTH2_STEPS {
        assert!(!e.all_text().contains(step), "an OAuth 1.0a organisation is not sent to {step}: {}", e.all_text());
    }
}

/// A partner organisation "partner" over plain http, authorized three-legged.
fn authorized_partner(c: &mut postgres::Client, m: &MockHandle) {
    rsa_server(c, m, "partner", "oauth1_partner", "partner-consumer");
    let url: String = c.query_one("SELECT xero_oauth1_request_token('partner', 'http://127.0.0.1:9/cb')", &[]).unwrap().get(0);
    c.query("SELECT xero_oauth1_access_token('partner', $1)", &[&consent(&url, None)]).unwrap();
}

#[test]
fn never_authorized_public_and_partner_apps_are_told_the_oauth1_steps() {
    let m = oauth1_mock(None);
    let db = TestDb::new("o1never");
    let mut c = db.superuser();
    server(&mut c, &m, "pub", "oauth1_public", "public-consumer", "public-secret");
    rsa_server(&mut c, &m, "partner", "oauth1_partner", "partner-consumer");
    for org in ["pub", "partner"] {
        let e = expect_error(c.query(&format!("SELECT count(*) FROM xero_invoices('{org}')"), &[]));
        assert!(e.message.contains(&format!("organisation \"{org}\" has not been authorized yet")), "{}", e.all_text());
        assert_oauth1_steps(&e, org);
    }
}

#[test]
fn a_public_token_xero_refuses_asks_for_a_new_authorization() {
    let m = oauth1_mock(None);
    let db = TestDb::new("o1revoked");
    let mut c = db.superuser();
    authorized_public(&mut c, &m);
    // Xero no longer knows the token (revoked in Xero's app settings).
    c.batch_execute("UPDATE xero_fdw_private.token_sets SET access_token = 'revoked-token-00000000' WHERE name = 'pub'").unwrap();
    let e = expect_error(c.query("SELECT count(*) FROM xero_invoices('pub')", &[]));
    assert!(e.message.contains("has expired or was revoked"), "{}", e.all_text());
    assert!(e.detail.clone().unwrap().contains("token_rejected"), "DETAIL quotes Xero: {}", e.all_text());
    assert_oauth1_steps(&e, "pub");
}

#[test]
fn a_partner_whose_session_xero_rejects_must_redo_the_authorization() {
    let m = oauth1_mock(None);
    let db = TestDb::new("o1session");
    let mut c = db.superuser();
    authorized_partner(&mut c, &m);

    // Xero answers an accounting call with a 401 that is no oauth_problem: after the one
    // renewal, the hint is still the partner's own steps.
    reset(&m);
    let unauthorized = r#"{"Title":"Unauthorized","Status":401,"Detail":"AuthenticationUnsuccessful"}"#;
    admin_post(&m, "faults", json!({"label": "Invoices", "count": 2, "status": 401, "body": unauthorized, "content_type": "application/json"}));
    let e = expect_error(c.query("SELECT count(*) FROM xero_invoices('partner')", &[]));
    assert_oauth1_steps(&e, "partner");
    assert_eq!(count(&m, "oauth1:renew"), 1);

    // Xero refuses the session handle: the authorization itself must be redone, now and on
    // every later query, which fails at once without asking Xero again.
    c.batch_execute(
        "UPDATE xero_fdw_private.token_sets SET session_handle = 'not-the-session', access_token_expires_at = clock_timestamp() WHERE name = 'partner'",
    )
    .unwrap();
    reset(&m);
    for _ in 0..2 {
        let e = expect_error(c.query("SELECT count(*) FROM xero_accounts('partner')", &[]));
        assert!(e.message.contains("organisation \"partner\" must be authorized again"), "{}", e.all_text());
        assert!(e.hint.clone().unwrap().contains("the authorization itself must be redone"), "{}", e.all_text());
        assert!(e.detail.clone().unwrap().contains("token_rejected"), "DETAIL quotes Xero: {}", e.all_text());
        assert_oauth1_steps(&e, "partner");
    }
    assert_eq!(count(&m, "oauth1:renew"), 1, "the second query did not ask Xero again");

    // Doing the steps the hint names is the fix.
    let url: String = c.query_one("SELECT xero_oauth1_request_token('partner', 'http://127.0.0.1:9/cb')", &[]).unwrap().get(0);
    c.query("SELECT xero_oauth1_access_token('partner', $1)", &[&consent(&url, None)]).unwrap();
    let n: i64 = c.query_one("SELECT count(*) FROM xero_invoices('partner')", &[]).unwrap().get(0);
    assert_eq!(n, 120);
}

#[test]
fn a_private_app_xero_refuses_is_not_sent_to_an_authorization_flow() {
    let m = oauth1_mock(None);
    let db = TestDb::new("o1private_refused");
    let mut c = db.superuser();
    rsa_server(&mut c, &m, "priv", "oauth1_private", "nobody");
    let e = expect_error(c.query("SELECT count(*) FROM xero_invoices('priv')", &[]));
    assert_eq!(e.code, SqlState::INVALID_AUTHORIZATION_SPECIFICATION, "{}", e.all_text());
    assert!(e.message.contains("consumer_key_unknown"), "{}", e.all_text());
    for step in OAUTH2_STEPS.iter().chain(&["xero_oauth1_request_token"]) {
        assert!(!e.all_text().contains(step), "a private app has no authorization flow: {}", e.all_text());
    }
}
