//! A silent Xero must never hang a backend: statement_timeout, pg_cancel_backend and
//! pg_terminate_backend stop the query within a second; read and connect timeouts are settings.

use std::time::{Duration, Instant};

use serde_json::json;
use xero_dbtests::*;

fn silent_org() -> (MockHandle, TestDb, postgres::Client) {
    let m = small_mock();
    let db = TestDb::new("silent");
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    admin_post(&m, "faults", json!({"label": "Invoices", "silence": true}));
    (m, db, c)
}

#[test]
fn statement_timeout_stops_a_query_against_a_silent_server() {
    let (_m, _db, mut c) = silent_org();
    c.batch_execute("SET statement_timeout = '400ms'").unwrap();
    let t = Instant::now();
    let e = expect_error(c.query("SELECT * FROM xero_invoices('acme')", &[]));
    let took = t.elapsed();
    assert_eq!(e.code, SqlState::QUERY_CANCELED, "{}", e.all_text());
    assert!(e.message.contains("statement timeout"), "{}", e.message);
    assert!(took < Duration::from_millis(1400), "took {took:?}");
    // The session is still usable.
    c.batch_execute("RESET statement_timeout").unwrap();
    let one: i32 = c.query_one("SELECT 1", &[]).unwrap().get(0);
    assert_eq!(one, 1);
}

fn run_and_interrupt(function: &str) -> (postgres::Error, Duration) {
    let (_m, db, mut c) = silent_org();
    let pid: i32 = c.query_one("SELECT pg_backend_pid()", &[]).unwrap().get(0);
    let waiter = std::thread::spawn(move || c.query("SELECT * FROM xero_invoices('acme')", &[]).map(|_| ()));
    std::thread::sleep(Duration::from_millis(500));
    let mut admin = db.superuser();
    let t = Instant::now();
    assert!(admin.query_one(&format!("SELECT {function}($1)"), &[&pid]).unwrap().get::<_, bool>(0));
    let err = waiter.join().unwrap().expect_err("the query is interrupted");
    (err, t.elapsed())
}

#[test]
fn pg_cancel_backend_stops_a_query_within_a_second() {
    let (err, took) = run_and_interrupt("pg_cancel_backend");
    assert_eq!(err.as_db_error().map(|e| e.code().clone()), Some(SqlState::QUERY_CANCELED), "{err}");
    assert!(took < Duration::from_secs(1), "took {took:?}");
}

#[test]
fn pg_terminate_backend_stops_a_query_within_a_second() {
    let (err, took) = run_and_interrupt("pg_terminate_backend");
    let code = err.as_db_error().map(|e| e.code().clone());
    assert!(code == Some(SqlState::ADMIN_SHUTDOWN) || err.is_closed(), "{err}");
    assert!(took < Duration::from_secs(1), "took {took:?}");
}

#[test]
fn read_and_connect_timeouts_are_settings() {
    let (_m, db, mut c) = silent_org();
    c.batch_execute("SET xero_fdw.read_timeout = '300ms'; SET xero_fdw.max_retries = 0").unwrap();
    let t = Instant::now();
    let e = expect_error(c.query("SELECT * FROM xero_invoices('acme')", &[]));
    assert_eq!(e.code, SqlState::CONNECTION_FAILURE, "{}", e.all_text());
    assert!(e.hint.unwrap().contains("xero_fdw.read_timeout"));
    assert!(t.elapsed() < Duration::from_secs(2));

    // Nothing listens on this port: the connection is refused at once.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut s = db.superuser();
    s.batch_execute(&format!("ALTER SERVER acme OPTIONS (SET api_url 'http://127.0.0.1:{closed}/api.xro/2.0')")).unwrap();
    let e = expect_error(s.query("SELECT * FROM xero_accounts('acme')", &[]));
    assert_eq!(e.code, SqlState::SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION, "{}", e.all_text());
    assert!(e.hint.unwrap().contains("api_url"));
}
