//! Registering organisations and authorizing them: options, the code flow with PKCE, connecting
//! with a refresh token, custom connections, tenants.

use std::time::Duration;

use xero_dbtests::*;

fn server_sql(m: &MockHandle, name: &str, extra: &str) -> String {
    let base = m.base_url();
    format!(
        "CREATE SERVER {name} FOREIGN DATA WRAPPER xero_fdw OPTIONS (api_url '{base}/api.xro/2.0', identity_url '{base}', login_url '{base}'{extra})"
    )
}

#[test]
fn the_validator_refuses_unknown_options_and_misplaced_secrets() {
    let db = TestDb::new("validator");
    let mut c = db.superuser();
    // (statement, SQLSTATE, fragment of message/detail/hint)
    let cases: &[(&str, SqlState, &str)] = &[
        ("CREATE SERVER s1 FOREIGN DATA WRAPPER xero_fdw OPTIONS (tenantid 'x')", SqlState::FDW_INVALID_OPTION_NAME, "Did you mean \"tenant_id\""),
        ("CREATE SERVER s1 FOREIGN DATA WRAPPER xero_fdw OPTIONS (client_secret 'canary-secret')", SqlState::FDW_INVALID_OPTION_NAME, "user mapping"),
        ("CREATE SERVER s1 FOREIGN DATA WRAPPER xero_fdw OPTIONS (tenant_id 'acme')", SqlState::INVALID_PARAMETER_VALUE, "not a UUID"),
        ("CREATE SERVER s1 FOREIGN DATA WRAPPER xero_fdw OPTIONS (auth 'basic')", SqlState::INVALID_PARAMETER_VALUE, "client_credentials"),
        ("CREATE SERVER s1 FOREIGN DATA WRAPPER xero_fdw OPTIONS (api_url 'file:///etc/passwd')", SqlState::INVALID_PARAMETER_VALUE, "http(s) URL"),
        ("CREATE FOREIGN DATA WRAPPER w2 VALIDATOR xero_fdw_validator OPTIONS (x '1')", SqlState::FDW_INVALID_OPTION_NAME, "takes no options"),
    ];
    for (sql, code, fragment) in cases {
        let e = expect_error(c.batch_execute(sql));
        assert_eq!(&e.code, code, "{sql}: {}", e.all_text());
        assert!(e.all_text().contains(fragment), "{sql}: {}", e.all_text());
        assert!(!e.all_text().contains("canary-secret"), "a secret is echoed: {}", e.all_text());
    }
    c.batch_execute("CREATE SERVER s1 FOREIGN DATA WRAPPER xero_fdw OPTIONS (token_set 'shared')").unwrap();
    let e = expect_error(c.batch_execute("CREATE USER MAPPING FOR CURRENT_USER SERVER s1 OPTIONS (tenant_id 'x')"));
    assert_eq!(e.code, SqlState::FDW_INVALID_OPTION_NAME);
    assert!(e.hint.unwrap().contains("client_id, client_secret"));
    let e = expect_error(c.batch_execute("ALTER SERVER s1 OPTIONS (ADD refresh_token 'rt')"));
    assert!(e.hint.unwrap().contains("xero_connect"));
}

#[test]
fn the_code_flow_with_pkce_authorizes_an_organisation() {
    let m = small_mock();
    let db = TestDb::new("codeflow");
    let mut c = db.superuser();
    c.batch_execute(&server_sql(&m, "acme", "")).unwrap();
    c.batch_execute(&format!("CREATE USER MAPPING FOR CURRENT_USER SERVER acme OPTIONS (client_id '{CLIENT_ID}', client_secret '{CLIENT_SECRET}')"))
        .unwrap();

    let url: String = c.query_one("SELECT xero_authorize_url('acme', 'http://127.0.0.1:9/callback')", &[]).unwrap().get(0);
    assert!(url.starts_with(&format!("{}/identity/connect/authorize?", m.base_url())), "{url}");
    for p in ["response_type=code", "code_challenge_method=S256", "code_challenge=", "state=", "offline_access", "client_id=demo-client"] {
        assert!(url.contains(p), "{p} missing from {url}");
    }
    // The user's browser: Xero consents and redirects.
    let agent = ureq::AgentBuilder::new().redirects(0).timeout(Duration::from_secs(10)).build();
    let resp = agent.get(&url).call().unwrap();
    assert_eq!(resp.status(), 302);
    let redirected = resp.header("location").unwrap().to_string();
    assert!(redirected.starts_with("http://127.0.0.1:9/callback?code="));

    let tenants: Vec<(String, String)> = c
        .query("SELECT tenant_id::text, tenant_name FROM xero_complete_authorization('acme', $1) ORDER BY tenant_name", &[&redirected])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(tenants.len(), 2);
    assert_eq!(tenants[0].1, "Demo Company (NZ)");
    assert_eq!(count(&m, "token:authorization_code"), 1);

    // The token set is stored; the pending authorization is used up.
    let stored: i64 = c.query_one("SELECT count(*) FROM xero_fdw_private.token_sets WHERE name = 'acme' AND refresh_token IS NOT NULL", &[]).unwrap().get(0);
    assert_eq!(stored, 1);
    let e = expect_error(c.query("SELECT * FROM xero_complete_authorization('acme', $1)", &[&redirected]));
    assert_eq!(e.code, SqlState::INVALID_PARAMETER_VALUE);
    assert!(e.message.contains("no authorization with that state"), "{}", e.all_text());

    // Without tenant_id the data functions say how to pick one; with it they work.
    let e = expect_error(c.query("SELECT * FROM xero_organisation('acme')", &[]));
    assert!(e.hint.unwrap().contains("xero_tenants('acme')"));
    c.batch_execute(&format!("ALTER SERVER acme OPTIONS (ADD tenant_id '{}')", tenants[0].0)).unwrap();
    let name: String = c.query_one("SELECT name FROM xero_organisation('acme')", &[]).unwrap().get(0);
    assert_eq!(name, "Demo Company (NZ)");
}

#[test]
fn a_tampered_pkce_verifier_is_refused_by_xero() {
    let m = small_mock();
    let db = TestDb::new("pkce");
    let mut c = db.superuser();
    c.batch_execute(&server_sql(&m, "acme", "")).unwrap();
    c.batch_execute(&format!("CREATE USER MAPPING FOR PUBLIC SERVER acme OPTIONS (client_id '{CLIENT_ID}', client_secret '{CLIENT_SECRET}')")).unwrap();
    let url: String = c.query_one("SELECT xero_authorize_url('acme', 'http://127.0.0.1:9/cb')", &[]).unwrap().get(0);
    c.batch_execute("UPDATE xero_fdw_private.pending_authorizations SET code_verifier = 'x' || code_verifier").unwrap();
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let redirected = agent.get(&url).call().unwrap().header("location").unwrap().to_string();
    let e = expect_error(c.query("SELECT * FROM xero_complete_authorization('acme', $1)", &[&redirected]));
    assert_eq!(e.code, SqlState::INVALID_AUTHORIZATION_SPECIFICATION, "{}", e.all_text());
    assert!(e.detail.unwrap().contains("invalid_grant"));
}

#[test]
fn connect_with_a_refresh_token_and_list_tenants() {
    let m = small_mock();
    let db = TestDb::new("connect");
    let mut c = db.superuser();
    c.batch_execute(&server_sql(&m, "acme", "")).unwrap();
    c.batch_execute(&format!("CREATE USER MAPPING FOR PUBLIC SERVER acme OPTIONS (client_id '{CLIENT_ID}', client_secret '{CLIENT_SECRET}')")).unwrap();

    let e = expect_error(c.query("SELECT * FROM xero_tenants('acme')", &[]));
    assert_eq!(e.code, SqlState::INVALID_AUTHORIZATION_SPECIFICATION);
    assert!(e.hint.unwrap().contains("xero_authorize_url"));

    let rt = issue_refresh_token(&m);
    let n = c.query("SELECT * FROM xero_connect('acme', $1)", &[&rt]).unwrap().len();
    assert_eq!(n, 2);
    assert_eq!(count(&m, "token:refresh_token"), 1, "connecting proves the token with one refresh");
    let ids: Vec<String> = c.query("SELECT tenant_id::text FROM xero_tenants('acme') ORDER BY 1", &[]).unwrap().iter().map(|r| r.get(0)).collect();
    let mut want = m.tenant_ids();
    want.sort();
    assert_eq!(ids, want);

    // A second server shares the token set: no second authorization.
    c.batch_execute(&server_sql(&m, "acme_au", &format!(", token_set 'acme', tenant_id '{}'", m.tenant_ids()[1]))).unwrap();
    c.batch_execute(&format!("CREATE USER MAPPING FOR PUBLIC SERVER acme_au OPTIONS (client_id '{CLIENT_ID}', client_secret '{CLIENT_SECRET}')")).unwrap();
    let name: String = c.query_one("SELECT name FROM xero_organisation('acme_au')", &[]).unwrap().get(0);
    assert_eq!(name, "Demo Company 2 (AU)");

    let e = expect_error(c.query("SELECT * FROM xero_connect('acme', 'not-a-token')", &[]));
    assert_eq!(e.code, SqlState::INVALID_AUTHORIZATION_SPECIFICATION);
}

#[test]
fn custom_connections_need_only_the_user_mapping() {
    let m = small_mock();
    let db = TestDb::new("custom");
    let mut c = db.superuser();
    c.batch_execute(&server_sql(&m, "acme", ", auth 'client_credentials'")).unwrap();
    let e = expect_error(c.query("SELECT * FROM xero_accounts('acme')", &[]));
    assert_eq!(e.code, SqlState::INVALID_AUTHORIZATION_SPECIFICATION);
    assert!(e.hint.unwrap().contains("CREATE USER MAPPING"));
    c.batch_execute(&format!(
        "CREATE USER MAPPING FOR CURRENT_USER SERVER acme OPTIONS (client_id '{CUSTOM_CLIENT_ID}', client_secret '{CUSTOM_CLIENT_SECRET}')"
    ))
    .unwrap();
    let n: i64 = c.query_one("SELECT count(*) FROM xero_invoices('acme')", &[]).unwrap().get(0);
    assert_eq!(n, 120);
    let n: i64 = c.query_one("SELECT count(*) FROM xero_contacts('acme')", &[]).unwrap().get(0);
    assert!(n > 0);
    assert_eq!(count(&m, "token:client_credentials"), 1, "the token is reused within its life");
    let e = expect_error(c.query("SELECT xero_authorize_url('acme', 'http://x/cb')", &[]));
    assert!(e.message.contains("needs no authorization"));
}
