//! Surviving real operation: retries, rate limits (Xero's and the cluster-wide concurrency cap),
//! bounded responses, bad answers, network reach, faults around tokens, and what operators see.
//! docs/reliability.md lists each fault with the test here that shows it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use xero_dbtests::*;

fn org(invoices: usize) -> (MockHandle, Arc<TestDb>, postgres::Client) {
    let m = mock(Config { invoices, contacts: 20, ..Config::default() });
    let db = Arc::new(TestDb::new("faults"));
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    reset(&m);
    (m, db, c)
}

fn statuses(m: &MockHandle, label: &str) -> Vec<u64> {
    requests(m, label).iter().map(|r| r["status"].as_u64().unwrap_or(0)).collect()
}

#[test]
fn transient_failures_are_retried_with_backoff_and_then_reported() {
    let (m, _db, mut c) = org(120);
    // (fault, calls Xero sees): each fault hits the first attempt only.
    let faults = [
        json!({"label": "Invoices", "count": 2, "status": 503}),
        json!({"label": "Invoices", "count": 1, "status": 502}),
        json!({"label": "Invoices", "count": 1, "status": 504}),
        json!({"label": "Invoices", "count": 1, "drop_connection": true}),
        json!({"label": "Invoices", "count": 1, "truncate_body": true}),
    ];
    for fault in faults {
        reset(&m);
        let retried = fault["count"].as_u64().unwrap();
        admin_post(&m, "faults", fault.clone());
        let n: i64 = c.query_one("SELECT count(*) FROM xero_invoices('acme')", &[]).unwrap().get(0);
        assert_eq!(n, 120, "{fault}: never fewer rows");
        assert_eq!(count(&m, "Invoices"), retried + 1, "{fault}");
        let r: i32 = c.query_one("SELECT retries FROM xero_calls WHERE pid = pg_backend_pid() ORDER BY called_at DESC LIMIT 1", &[]).unwrap().get(0);
        assert_eq!(r as u64, retried, "{fault}: the call log counts the retries");
    }

    // Past xero_fdw.max_retries the failure is reported, saying how often it was tried.
    reset(&m);
    c.batch_execute("SET xero_fdw.max_retries = 2").unwrap();
    admin_post(&m, "faults", json!({"label": "Invoices", "count": 10, "status": 503}));
    let t = Instant::now();
    let e = expect_error(c.query("SELECT count(*) FROM xero_invoices('acme')", &[]));
    assert_eq!(e.code, SqlState::FDW_ERROR, "{}", e.all_text());
    assert!(e.detail.unwrap().contains("after 2 retries"));
    assert_eq!(count(&m, "Invoices"), 3);
    assert!(t.elapsed() >= Duration::from_millis(600), "backoff: 200 ms then 400 ms at least, took {:?}", t.elapsed());

    // A request Xero rejects is not retried.
    reset(&m);
    expect_error(c.query("SELECT count(*) FROM xero_invoices('acme', where_clause => 'Nope==1')", &[]));
    assert_eq!(count(&m, "Invoices"), 1);
}

#[test]
fn xeros_concurrency_429_is_waited_out_never_fewer_rows() {
    let (m, db, _c) = org(120);
    // Xero's concurrency 429 (Retry-After: 1) is waited out.
    admin_post(&m, "limits", json!({"concurrent": 1}));
    admin_post(&m, "faults", json!({"label": "Accounts", "latency_ms": 400}));
    let counts: Vec<i64> = concurrently(&db, 2, "SELECT count(*) FROM xero_accounts('acme')").into_iter().map(Result::unwrap).collect();
    assert_eq!(counts[0], counts[1]);
    assert!(statuses(&m, "Accounts").contains(&429), "one call met Xero's concurrency limit");

}

#[test]
fn a_spent_minute_quota_is_honoured_before_xero_has_to_say_no() {
    let (m, _db, mut c) = org(20);
    admin_post(&m, "limits", json!({"per_minute": 1}));
    c.query("SELECT * FROM xero_accounts('acme')", &[]).unwrap();
    c.batch_execute("SET xero_fdw.max_rate_limit_wait = 0").unwrap();
    let e = expect_error(c.query("SELECT * FROM xero_accounts('acme')", &[]));
    assert_eq!(e.code, SqlState::CONFIGURATION_LIMIT_EXCEEDED, "{}", e.all_text());
    assert!(e.detail.unwrap().contains("X-MinLimit-Remaining: 0"));
    assert_eq!(count(&m, "Accounts"), 1, "honoured before Xero has to say no");
    let minute: Option<i64> = c.query_one("SELECT minute_remaining FROM xero_rate_limits WHERE api = $1", &[&m.base_url()]).unwrap().get(0);
    assert_eq!(minute, Some(0));

}

#[test]
fn a_day_limit_fails_at_once_and_is_honoured_afterwards() {
    let (m, _db, mut c) = org(20);
    // Xero refuses for the day: failed at once (not retried), the wait in the DETAIL.
    admin_post(&m, "limits", json!({"per_day": 0}));
    let e = expect_error(c.query("SELECT * FROM xero_accounts('acme')", &[]));
    assert_eq!(e.code, SqlState::CONFIGURATION_LIMIT_EXCEEDED, "{}", e.all_text());
    assert!(e.message.contains("day rate limit"), "{}", e.all_text());
    assert!(e.detail.clone().unwrap().contains("Retry-After"), "{}", e.all_text());
    assert_eq!(count(&m, "Accounts"), 1);

    // Xero said the day quota is spent: later queries fail without calling.
    reset(&m);
    admin_post(&m, "limits", json!({"per_day": 2}));
    c.query("SELECT * FROM xero_accounts('acme')", &[]).unwrap();
    c.query("SELECT * FROM xero_accounts('acme')", &[]).unwrap();
    let e = expect_error(c.query("SELECT * FROM xero_accounts('acme')", &[]));
    assert_eq!(e.code, SqlState::CONFIGURATION_LIMIT_EXCEEDED, "{}", e.all_text());
    assert!(e.detail.unwrap().contains("X-DayLimit-Remaining: 0"));
    assert_eq!(count(&m, "Accounts"), 2);
}

#[test]
fn at_most_five_calls_per_tenant_are_in_flight_across_sessions() {
    const SESSIONS: usize = 8;
    let (m, db, mut c) = org(2000);
    admin_post(&m, "faults", json!({"label": "Invoices", "latency_ms": 250}));
    let (results, notices) = concurrently_with_notices(&db, SESSIONS, "SELECT count(*) FROM xero_invoices('acme')");
    for n in results {
        assert_eq!(n.unwrap(), 2000);
    }
    let seen = statuses(&m, "Invoices");
    assert_eq!(seen.len(), SESSIONS * 2);
    assert!(!seen.contains(&429), "Xero never had to refuse a sixth concurrent call: {seen:?}");
    let most = admin_get(&m, "stats")["max_in_flight"].as_u64();
    assert_eq!(most, Some(5), "the server's own count: five in flight at most, and the slots were used");
    // Sessions that found a slot busy and waited must not hear about it.
    assert!(notices.is_empty(), "no client is sent a WARNING or NOTICE: {notices:?}");

    // Fewer slots than sessions, on a Xero that allows as few: contention on every slot.
    reset(&m);
    admin_post(&m, "limits", json!({"concurrent": 2}));
    admin_post(&m, "faults", json!({"label": "Accounts", "latency_ms": 150}));
    c.batch_execute(&format!("ALTER DATABASE {} SET xero_fdw.max_concurrent_calls = 2", db.name)).unwrap();
    let (results, notices) = concurrently_with_notices(&db, 6, "SELECT count(*) FROM xero_accounts('acme')");
    for n in results {
        assert!(n.unwrap() > 0);
    }
    let seen = statuses(&m, "Accounts");
    assert_eq!(seen.len(), 6, "{seen:?}");
    assert!(!seen.contains(&429), "never more than 2 calls in flight: {seen:?}");
    assert!(notices.is_empty(), "no client is sent a WARNING or NOTICE: {notices:?}");
}

#[test]
fn responses_are_bounded_and_bad_answers_are_errors() {
    let (m, _db, mut c) = org(1500);
    c.batch_execute("SET xero_fdw.max_response_size = '1MB'").unwrap();
    let e = expect_error(c.query("SELECT count(*) FROM xero_invoices('acme')", &[]));
    assert_eq!(e.code, SqlState::PROTOCOL_VIOLATION, "{}", e.all_text());
    assert!(e.message.contains("larger than"), "{}", e.all_text());
    c.batch_execute("RESET xero_fdw.max_response_size; SET xero_fdw.max_retries = 0").unwrap();

    // (body Xero answers 200 with, SQLSTATE)
    let cases = [
        (r#"{"ErrorNumber":10,"Type":"ValidationException","Message":"A validation exception occurred"}"#, SqlState::INVALID_PARAMETER_VALUE),
        (r#"{"Accounts":[{"AccountID":"not-a-uuid"}]}"#, SqlState::INVALID_TEXT_REPRESENTATION),
        (r#"{"Accounts":[{"UpdatedDateUTC":"/Date(12x)/"}]}"#, SqlState::INVALID_DATETIME_FORMAT),
        (r#"{"Accounts":[{"EnablePaymentsToAccount":"perhaps"}]}"#, SqlState::INVALID_TEXT_REPRESENTATION),
        (r#"{"Accounts":[{"Code":"090"}],"Extra":{"unexpected":true}}"#, SqlState::SUCCESSFUL_COMPLETION),
        (r#"{"Accounts":[{"Name":"x"#, SqlState::PROTOCOL_VIOLATION),
        ("<Response><Accounts/></Response>", SqlState::PROTOCOL_VIOLATION),
        ("", SqlState::PROTOCOL_VIOLATION),
    ];
    for (body, code) in cases {
        admin_post(&m, "faults", json!({"label": "Accounts", "count": 1, "status": 200, "body": body, "content_type": "application/json"}));
        match c.query("SELECT * FROM xero_accounts('acme')", &[]) {
            Ok(rows) => assert_eq!(code, SqlState::SUCCESSFUL_COMPLETION, "{body}: {} rows", rows.len()),
            Err(_) if code == SqlState::SUCCESSFUL_COMPLETION => panic!("{body} should be accepted"),
            Err(e) => {
                let db = e.as_db_error().unwrap();
                assert_eq!(db.code(), &code, "{body}: {}", db.message());
            }
        }
    }
}

#[test]
fn only_allowed_hosts_are_reached() {
    let (m, db, mut c) = org(20);
    c.batch_execute("SET xero_fdw.allow_http_loopback = off").unwrap();
    let e = expect_error(c.query("SELECT * FROM xero_accounts('acme')", &[]));
    assert_eq!(e.code, SqlState::INSUFFICIENT_PRIVILEGE, "{}", e.all_text());
    assert!(e.message.contains("plain http"), "{}", e.all_text());
    c.batch_execute("RESET xero_fdw.allow_http_loopback").unwrap();

    // A URL option given to a server is checked when it is given…
    for (option, url, why) in [
        ("api_url", "https://169.254.169.254/latest/meta-data", "not in xero_fdw.allowed_hosts"),
        ("api_url", "http://10.1.2.3/api.xro/2.0", "only for loopback"),
        ("identity_url", "https://evil.example.com", "not in xero_fdw.allowed_hosts"),
        ("proxy", "https://proxy.example.com:3128", "not in xero_fdw.allowed_hosts"),
    ] {
        let e = expect_error(c.batch_execute(&format!("CREATE SERVER probe FOREIGN DATA WRAPPER xero_fdw OPTIONS ({option} '{url}', token_set 'acme')")));
        assert_eq!(e.code, SqlState::INSUFFICIENT_PRIVILEGE, "{url}: {}", e.all_text());
        assert!(e.message.starts_with(&format!("{option} \"{url}\" is not allowed")) && e.message.contains(why), "{url}: {}", e.all_text());
        assert_eq!(e.detail.as_deref(), Some("xero_fdw.allowed_hosts is '127.0.0.1'; xero_fdw.allow_http_loopback is on."), "{}", e.all_text());
        assert!(e.hint.unwrap().contains(&format!("{option} option")));
    }
    // …and each URL when an operation is about to use it (the list may have changed since).
    c.batch_execute("SET xero_fdw.allowed_hosts = 'api.xero.com'").unwrap();
    let e = expect_error(c.query("SELECT * FROM xero_accounts('acme')", &[]));
    assert_eq!(e.code, SqlState::INSUFFICIENT_PRIVILEGE, "{}", e.all_text());
    assert!(e.message.starts_with("api_url") && e.message.contains("host 127.0.0.1 is not in xero_fdw.allowed_hosts"), "{}", e.all_text());
    c.batch_execute("RESET xero_fdw.allowed_hosts").unwrap();
    assert_eq!(count(&m, "Accounts"), 0);

    // Only a superuser may widen the list.
    let analyst = db.role("analyst");
    let mut a = db.connect(&analyst);
    let e = expect_error(a.batch_execute("SET xero_fdw.allowed_hosts = '*.example.com'"));
    assert_eq!(e.code, SqlState::INSUFFICIENT_PRIVILEGE);
    let e = expect_error(a.batch_execute("SET xero_fdw.allow_http_loopback = on"));
    assert_eq!(e.code, SqlState::INSUFFICIENT_PRIVILEGE);
}

#[test]
fn an_operation_needs_only_the_urls_it_uses_on_the_allow_list() {
    // allowed_hosts is the bundled server's host alone (scripts/cluster.sh): the default
    // login_url (login.xero.com) is not on it, and connecting with a refresh token never uses it.
    let m = mock(Config { invoices: 20, contacts: 5, ..Config::default() });
    let db = TestDb::new("reach");
    let mut c = db.superuser();
    let base = m.base_url();
    c.batch_execute(&format!(
        "CREATE SERVER acme FOREIGN DATA WRAPPER xero_fdw OPTIONS (api_url '{base}/api.xro/2.0', identity_url '{base}', tenant_id '{}');
         CREATE USER MAPPING FOR PUBLIC SERVER acme OPTIONS (client_id '{CLIENT_ID}', client_secret '{CLIENT_SECRET}');",
        m.tenant_ids()[0]
    ))
    .unwrap();
    let tenants = c.query("SELECT * FROM xero_connect('acme', $1)", &[&issue_refresh_token(&m)]).unwrap();
    assert!(!tenants.is_empty());
    let n: i64 = c.query_one("SELECT count(*) FROM xero_invoices('acme')", &[]).unwrap().get(0);
    assert_eq!(n, 20);

    // The consent URL is where login_url is used: there it is named, with the setting.
    let e = expect_error(c.query("SELECT xero_authorize_url('acme', 'http://127.0.0.1:9/cb')", &[]));
    assert_eq!(e.code, SqlState::INSUFFICIENT_PRIVILEGE, "{}", e.all_text());
    assert!(e.message.starts_with("login_url \"https://login.xero.com\" is not allowed: host login.xero.com is not in xero_fdw.allowed_hosts"), "{}", e.all_text());
    assert!(e.hint.unwrap().contains("login_url option"));
}

#[test]
fn a_slow_or_failing_token_endpoint_never_loses_a_refresh_token() {
    let (m, db, mut c) = org(20);
    // Slow: the query gives up, the token worker finishes and stores what Xero rotated to.
    expire_access_token(&mut c, "acme");
    admin_post(&m, "faults", json!({"label": "token:refresh_token", "count": 1, "latency_ms": 1500}));
    c.batch_execute("SET statement_timeout = '300ms'").unwrap();
    let e = expect_error(c.query("SELECT * FROM xero_accounts('acme')", &[]));
    assert_eq!(e.code, SqlState::QUERY_CANCELED);
    c.batch_execute("RESET statement_timeout").unwrap();
    std::thread::sleep(Duration::from_millis(1800));
    c.query("SELECT * FROM xero_accounts('acme')", &[]).unwrap();
    assert_eq!(count(&m, "token:refresh_token"), 1, "the cancelled query's refresh was kept, not repeated");

    // The worker is killed while Xero answers: the stored refresh token is the previous one,
    // which Xero still honours (its grace window), so the next query recovers.
    expire_access_token(&mut c, "acme");
    reset(&m);
    admin_post(&m, "faults", json!({"label": "token:refresh_token", "count": 1, "latency_ms": 1500}));
    let dbc = db.clone();
    let waiter = std::thread::spawn(move || dbc.superuser().query("SELECT * FROM xero_accounts('acme')", &[]).map(|_| ()));
    let mut admin = db.superuser();
    let mut killed = false;
    for _ in 0..50 {
        std::thread::sleep(Duration::from_millis(50));
        let n: i64 = admin
            .query_one("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE backend_type = 'xero_fdw token worker'", &[])
            .unwrap()
            .get(0);
        if n > 0 {
            killed = true;
            break;
        }
    }
    assert!(killed, "the token worker was seen");
    let e = expect_error(waiter.join().unwrap());
    assert!(e.message.contains("token worker"), "{}", e.all_text());
    std::thread::sleep(Duration::from_millis(1600));
    c.query("SELECT * FROM xero_accounts('acme')", &[]).unwrap();
}

#[test]
fn operators_see_calls_quotas_and_progress_without_secrets() {
    let (m, db, mut c) = org(2500);
    let (access, refresh): (String, String) = {
        let r = c.query_one("SELECT access_token, refresh_token FROM xero_fdw_private.token_sets", &[]).unwrap();
        (r.get(0), r.get(1))
    };
    let notices = Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut s = connect_with_notices(&db.name, "postgres", notices.clone());
    let pid: i32 = s.query_one("SELECT pg_backend_pid()", &[]).unwrap().get(0);
    s.batch_execute("SET xero_fdw.progress_notices = on").unwrap();
    s.query("SELECT count(*) FROM xero_invoices('acme')", &[]).unwrap();
    let seen = notices.lock().unwrap().clone();
    assert_eq!(seen.len(), 3, "a NOTICE per page: {seen:?}");
    assert!(seen[2].contains("GET Invoices page 3") && seen[2].contains("HTTP 200"), "{seen:?}");
    assert!(seen.iter().all(|n| !n.contains(&access) && !n.contains(&refresh) && !n.contains(CLIENT_SECRET)));

    let calls: Vec<(String, i32, i64)> = c
        .query("SELECT call, status, bytes FROM xero_calls WHERE pid = $1 ORDER BY called_at", &[&pid])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert!(calls.len() == 3 && calls.iter().all(|(_, status, bytes)| *status == 200 && *bytes > 0), "{calls:?}");
    let quota: (Option<i64>, Option<i64>) = {
        let r = c.query_one("SELECT minute_remaining, day_remaining FROM xero_rate_limits WHERE api = $1", &[&m.base_url()]).unwrap();
        (r.get(0), r.get(1))
    };
    assert!(quota.0.is_some() && quota.1.is_some(), "{quota:?}");

    // Nothing a role without USAGE can read holds a secret.
    let outsider = db.role("outsider");
    let mut o = db.connect(&outsider);
    for sql in [
        "SELECT string_agg(t::text, ' ') FROM xero_calls t",
        "SELECT string_agg(t::text, ' ') FROM xero_rate_limits t",
        "SELECT string_agg(t::text, ' ') FROM pg_user_mappings t",
        "SELECT string_agg(t::text, ' ') FROM pg_foreign_server t",
        "SELECT string_agg(query, ' ') FROM pg_stat_activity",
        "SELECT string_agg(t::text, ' ') FROM xero_fdw_private.token_sets t",
        "SELECT string_agg(t::text, ' ') FROM xero_fdw_private.key_material t",
    ] {
        let text: Option<String> = match o.query_one(sql, &[]) {
            Ok(row) => row.get(0),
            Err(e) if e.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) => continue,
            Err(e) => panic!("{sql}: {e}"),
        };
        let text = text.unwrap_or_default();
        for secret in [access.as_str(), refresh.as_str(), CLIENT_SECRET] {
            assert!(!text.contains(secret), "{sql} shows a secret");
        }
    }
    let plan: Vec<String> =
        c.query("EXPLAIN (ANALYZE, VERBOSE) SELECT count(*) FROM xero_accounts('acme')", &[]).unwrap().iter().map(|r| r.get(0)).collect();
    assert!(plan.iter().all(|l| !l.contains(&access) && !l.contains(CLIENT_SECRET)));
    let _ = m;
}

#[test]
fn no_free_background_worker_slot_is_a_clear_error_that_stores_nothing() {
    // A cluster of its own whose only worker slot the logical-replication launcher takes.
    with_own_cluster("noslot", "max_worker_processes = 1", |url| {
        postgres::Client::connect(&url("postgres"), postgres::NoTls).unwrap().batch_execute("CREATE DATABASE noslot").unwrap();
        let mut c = postgres::Client::connect(&url("noslot"), postgres::NoTls).unwrap();
        c.batch_execute("CREATE EXTENSION xero_fdw").unwrap();
        let m = small_mock();
        let base = m.base_url();
        c.batch_execute(&format!(
            "CREATE SERVER acme FOREIGN DATA WRAPPER xero_fdw OPTIONS (api_url '{base}/api.xro/2.0', identity_url '{base}', login_url '{base}');
             CREATE USER MAPPING FOR PUBLIC SERVER acme OPTIONS (client_id '{CLIENT_ID}', client_secret '{CLIENT_SECRET}');"
        ))
        .unwrap();
        let rt = issue_refresh_token(&m);
        let e = expect_error(c.query("SELECT * FROM xero_connect('acme', $1)", &[&rt]));
        assert_eq!(e.code, SqlState::INSUFFICIENT_RESOURCES, "{}", e.all_text());
        assert!(e.hint.clone().unwrap().contains("max_worker_processes"), "{}", e.all_text());
        assert_eq!(count(&m, "token:refresh_token"), 0, "nothing was sent, so nothing can be lost");
        let n: i64 = c.query_one("SELECT count(*) FROM xero_fdw_private.token_sets", &[]).unwrap().get(0);
        assert_eq!(n, 0);
    });
}
