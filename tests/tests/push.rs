//! `CALL xero_push(org, entity, staging)`: a staging table's rows pushed to Xero in batches,
//! each row's result kept; rejected rows sent again once fixed; a push whose answer was lost,
//! or that was terminated between Xero acting and its commit, finished by the next run with
//! every record created exactly once; only roles with the write grant may push.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use postgres::Client;
use serde_json::json;
use xero_dbtests::*;

/// A staging table of `n` invoices for the organisation's first contact, references "batch i".
fn staging(c: &mut Client, table: &str, n: i32) {
    c.batch_execute(&format!(
        "CREATE TABLE {table} (type text, contact_id uuid, date date, due_date date, reference text, line_items jsonb,
                               xero_id uuid, push_status text, push_errors jsonb, pushed_at timestamptz);
         INSERT INTO {table} (type, contact_id, date, due_date, reference, line_items)
         SELECT 'ACCREC', (SELECT contact_id FROM xero_contacts('acme') ORDER BY name LIMIT 1), date '2026-01-15', date '2026-02-15',
                'batch ' || i, '[{{\"Description\": \"Widget\", \"Quantity\": 2, \"UnitAmount\": 10.5, \"AccountCode\": \"200\"}}]'
         FROM generate_series(0, {}) AS i;",
        n - 1
    ))
    .unwrap();
}

fn setup(test: &str) -> (MockHandle, TestDb, Client) {
    let m = small_mock();
    let db = TestDb::new(test);
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    (m, db, c)
}

fn statuses(c: &mut Client, table: &str) -> Vec<(String, i64)> {
    c.query(&format!("SELECT coalesce(push_status, '-'), count(*) FROM {table} GROUP BY 1 ORDER BY 1"), &[])
        .unwrap()
        .into_iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

/// Per Idempotency-Key: (requests, times acted on, records created).
fn writes(m: &MockHandle) -> Vec<(u64, u64, usize)> {
    let v = admin_get(m, "writes");
    assert_eq!(v["tenants"][0]["created_without_key"], 0, "a write without a key: {v}");
    v["tenants"][0]["keys"]
        .as_object()
        .map(|keys| keys.values().map(|k| (k["requests"].as_u64().unwrap(), k["acted"].as_u64().unwrap(), k["created"].as_array().unwrap().len())).collect())
        .unwrap_or_default()
}

/// How many invoices Xero holds with these references (each reference once in a staging table).
fn in_xero(c: &mut Client, table: &str) -> (i64, i64) {
    c.query_one(
        &format!("SELECT count(*), count(DISTINCT reference) FROM xero_invoices('acme', where_clause => 'Reference.StartsWith(\"batch \")') WHERE reference IN (SELECT reference FROM {table})"),
        &[],
    )
    .map(|r| (r.get(0), r.get(1)))
    .unwrap()
}

#[test]
fn a_staging_table_is_pushed_in_batches_and_rejected_rows_keep_xeros_errors() {
    let (m, db, mut c) = setup("push_batches");
    staging(&mut c, "stage", 120);
    // Three rows Xero rejects, each in its own way.
    c.batch_execute(
        "UPDATE stage SET line_items = jsonb_set(line_items, '{0,AccountCode}', '\"999\"') WHERE reference = 'batch 10';
         UPDATE stage SET type = NULL WHERE reference = 'batch 50';
         UPDATE stage SET contact_id = '00000000-0000-4000-8000-000000000001' WHERE reference = 'batch 119';",
    )
    .unwrap();
    reset(&m);
    let notices = Arc::new(Mutex::new(Vec::new()));
    let mut s = connect_with_notices(&db.name, "postgres", notices.clone());
    s.batch_execute("CALL xero_push('acme', 'invoices', 'stage')").unwrap();
    assert_eq!(statuses(&mut c, "stage"), vec![("created".into(), 117), ("rejected".into(), 3)]);
    assert_eq!(count(&m, "PUT Invoices"), 3, "120 rows in batches of 50");
    let last = notices.lock().unwrap().last().cloned().unwrap();
    assert!(last.starts_with("xero_push acme invoices: 117 created, 0 updated, 3 rejected; 3 batches, 3 calls in "), "{last}");

    // The ids are Xero's: each created row's record reads back, with its reference.
    let (read_back, matching): (i64, i64) = c
        .query_one(
            "SELECT count(*), count(*) FILTER (WHERE x.reference = s.reference)
             FROM xero_invoices('acme', ids => (SELECT array_agg(xero_id) FROM stage WHERE push_status = 'created')) x
             JOIN stage s ON s.xero_id = x.invoice_id",
            &[],
        )
        .map(|r| (r.get(0), r.get(1)))
        .unwrap();
    assert_eq!((read_back, matching), (117, 117));
    let unset: i64 = c.query_one("SELECT count(*) FROM stage WHERE push_status = 'created' AND (pushed_at IS NULL OR push_errors IS NOT NULL)", &[]).unwrap().get(0);
    assert_eq!(unset, 0);
    // Rejected rows keep Xero's messages (and no id).
    let rejected: Vec<(String, String, bool)> = c
        .query("SELECT reference, push_errors->>'errors', xero_id IS NULL FROM stage WHERE push_status = 'rejected' ORDER BY reference", &[])
        .unwrap()
        .into_iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(rejected.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), ["batch 10", "batch 119", "batch 50"]);
    assert!(rejected[0].1.contains("999") || rejected[0].1.contains("Account"), "{rejected:?}");
    assert!(rejected[2].1.contains("Type"), "{rejected:?}");
    assert!(rejected.iter().all(|r| r.2));

    // Run again: nothing to send. Fix one rejected row: only it is sent, and created once.
    reset(&m);
    c.batch_execute("CALL xero_push('acme', 'invoices', 'stage')").unwrap();
    assert_eq!(count(&m, "PUT Invoices"), 0, "nothing changed, nothing sent");
    c.batch_execute("UPDATE stage SET line_items = jsonb_set(line_items, '{0,AccountCode}', '\"200\"') WHERE reference = 'batch 10'").unwrap();
    c.batch_execute("CALL xero_push('acme', 'invoices', 'stage')").unwrap();
    let sent = requests(&m, "PUT Invoices");
    assert_eq!(sent.len(), 1);
    assert_eq!(statuses(&mut c, "stage"), vec![("created".into(), 118), ("rejected".into(), 2)]);
    assert_eq!(in_xero(&mut c, "stage"), (118, 118), "each created row once in Xero");

    // A created row changed and set back to unsent is an update of its record.
    c.batch_execute("UPDATE stage SET reference = 'batch 10 (changed)', push_status = NULL WHERE reference = 'batch 10'").unwrap();
    c.batch_execute("CALL xero_push('acme', 'invoices', 'stage')").unwrap();
    assert_eq!(count(&m, "POST Invoices/{id}"), 1);
    let (status, same): (String, bool) = c
        .query_one("SELECT push_status, xero_id = (SELECT invoice_id FROM xero_invoices('acme', where_clause => 'Reference==\"batch 10 (changed)\"')) FROM stage WHERE reference = 'batch 10 (changed)'", &[])
        .map(|r| (r.get(0), r.get(1)))
        .unwrap();
    assert_eq!((status.as_str(), same), ("updated", true));
}

#[test]
fn a_lost_answer_is_resent_with_its_key_and_acted_on_once() {
    let (m, _db, mut c) = setup("push_lost_answer");
    staging(&mut c, "stage", 10);
    reset(&m);
    // The first batch's call: Xero acts, then the connection drops before its answer.
    admin_post(&m, "faults", json!({"label": "PUT Invoices", "drop_connection_after_acting": true, "count": 1}));
    c.batch_execute("CALL xero_push('acme', 'invoices', 'stage', batch_size => 5)").unwrap();
    assert_eq!(statuses(&mut c, "stage"), vec![("created".into(), 10)]);
    let mut w = writes(&m);
    w.sort();
    // Two keys (two batches); the first sent twice, each acted on once, five records each.
    assert_eq!(w, vec![(1, 1, 5), (2, 1, 5)]);
    assert_eq!(in_xero(&mut c, "stage"), (10, 10));
}

#[test]
fn identical_rows_are_separate_records_in_one_push_or_two() {
    let (m, _db, mut c) = setup("push_identical");
    staging(&mut c, "stage", 1);
    c.batch_execute("INSERT INTO stage SELECT * FROM stage; CREATE TABLE stage2 AS SELECT * FROM stage LIMIT 1").unwrap();
    reset(&m);
    // One row a batch: two calls with the same body, which are still two invoices.
    c.batch_execute("CALL xero_push('acme', 'invoices', 'stage', batch_size => 1)").unwrap();
    c.batch_execute("CALL xero_push('acme', 'invoices', 'stage2', batch_size => 1)").unwrap();
    assert_eq!(statuses(&mut c, "stage"), vec![("created".into(), 2)]);
    assert_eq!(statuses(&mut c, "stage2"), vec![("created".into(), 1)]);
    let ids: i64 = c.query_one("SELECT count(DISTINCT xero_id) FROM (SELECT xero_id FROM stage UNION ALL SELECT xero_id FROM stage2) s", &[]).unwrap().get(0);
    assert_eq!(ids, 3);
    assert_eq!(in_xero(&mut c, "stage"), (3, 1), "three invoices 'batch 0'");
    // Three calls of the same body under three keys, each acted on once.
    assert_eq!(writes(&m), vec![(1, 1, 1); 3]);
}

/// Waits for `what` to hold, failing after 20 s.
fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < Duration::from_secs(20), "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_push_terminated_between_xero_acting_and_its_commit_is_finished_by_the_next_run_exactly_once() {
    let (m, db, mut c) = setup("push_terminated");
    staging(&mut c, "stage", 6);
    reset(&m);
    // The first call takes a second: time to lock one of its rows once they are marked in
    // flight, so the push, after Xero acted, waits to write its results.
    admin_post(&m, "faults", json!({"label": "PUT Invoices", "latency_ms": 1000, "count": 1}));
    let mut pusher = db.superuser();
    let pid: i32 = pusher.query_one("SELECT pg_backend_pid()", &[]).unwrap().get(0);
    let run = std::thread::spawn(move || pusher.batch_execute("CALL xero_push('acme', 'invoices', 'stage', batch_size => 3)"));
    let mut locker = db.superuser();
    wait_for("the first batch marked in flight", || {
        locker.query_one("SELECT count(*) FROM stage WHERE push_status = 'sending'", &[]).unwrap().get::<_, i64>(0) == 3
    });
    let mut tx = locker.transaction().unwrap();
    tx.query_one("SELECT reference FROM stage WHERE push_status = 'sending' ORDER BY reference LIMIT 1 FOR UPDATE", &[]).unwrap();
    wait_for("Xero to act and the push to wait on the locked row", || {
        let acted = writes(&m).iter().any(|w| w.1 == 1);
        let waiting: bool = c.query_one("SELECT coalesce(wait_event_type = 'Lock', false) FROM pg_stat_activity WHERE pid = $1", &[&pid]).unwrap().get(0);
        acted && waiting
    });
    let killed: bool = c.query_one("SELECT pg_terminate_backend($1, 10000)", &[&pid]).unwrap().get(0);
    assert!(killed);
    // The client reads PostgreSQL's FATAL, or only sees the connection close.
    let e = run.join().unwrap().expect_err("the push was terminated");
    assert!(e.as_db_error().is_none_or(|d| d.message().contains("terminat")) && (e.as_db_error().is_some() || e.is_closed()), "{e}");
    tx.rollback().unwrap();
    wait_for("the terminated backend to exit", || c.query_one("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", &[&pid]).unwrap().get::<_, i64>(0) == 0);
    // Xero created the first batch; the staging table still says it is in flight.
    assert_eq!(statuses(&mut c, "stage"), vec![("-".into(), 3), ("sending".into(), 3)]);
    assert_eq!(in_xero(&mut c, "stage"), (3, 3));

    let notices = Arc::new(Mutex::new(Vec::new()));
    let mut again = connect_with_notices(&db.name, "postgres", notices.clone());
    // Run again with another batch size: picked anew, the rows in flight would make another
    // call (another key) and Xero would create them twice; sent as stored, they are answered
    // from Xero's record of the first call.
    again.batch_execute("CALL xero_push('acme', 'invoices', 'stage', batch_size => 4)").unwrap();
    assert_eq!(statuses(&mut c, "stage"), vec![("created".into(), 6)]);
    let mut w = writes(&m);
    w.sort();
    // The batch in flight was sent again with its key and answered from Xero's record of it.
    assert_eq!(w, vec![(1, 1, 3), (2, 1, 3)], "each key acted on once");
    assert_eq!(in_xero(&mut c, "stage"), (6, 6), "each invoice created once");
    let distinct: i64 = c.query_one("SELECT count(DISTINCT xero_id) FROM stage", &[]).unwrap().get(0);
    assert_eq!(distinct, 6);
    let last = notices.lock().unwrap().last().cloned().unwrap();
    assert!(last.contains("6 created, 0 updated, 0 rejected; 1 batches, 2 calls (1 resumed from an interrupted run)"), "{last}");
}

#[test]
fn a_call_that_fails_leaves_its_batch_in_flight_and_says_to_run_again() {
    let (m, _db, mut c) = setup("push_fails");
    staging(&mut c, "stage", 4);
    reset(&m);
    // Xero is down for longer than the transport retries.
    admin_post(&m, "faults", json!({"label": "PUT Invoices", "status": 503, "count": 4}));
    let e = expect_error(c.batch_execute("CALL xero_push('acme', 'invoices', 'stage')"));
    assert!(e.hint.clone().unwrap_or_default().contains("run xero_push again") || e.hint.clone().unwrap_or_default().contains("Run xero_push again"), "{}", e.all_text());
    assert_eq!(statuses(&mut c, "stage"), vec![("sending".into(), 4)]);
    let held: i64 = c.query_one("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()", &[]).unwrap().get(0);
    assert_eq!(held, 0, "the push lock is released with the error");
    reset(&m);
    c.batch_execute("CALL xero_push('acme', 'invoices', 'stage')").unwrap();
    assert_eq!(statuses(&mut c, "stage"), vec![("created".into(), 4)]);
    assert_eq!(in_xero(&mut c, "stage"), (4, 4));

    // A statement timeout while Xero is slow: the batch stays in flight, the rerun finishes it.
    staging(&mut c, "stage2", 4);
    c.batch_execute("UPDATE stage2 SET reference = reference || ' (2)'").unwrap();
    admin_post(&m, "faults", json!({"label": "PUT Invoices", "latency_ms": 3000, "count": 1}));
    c.batch_execute("SET statement_timeout = '500ms'").unwrap();
    let e = expect_error(c.batch_execute("CALL xero_push('acme', 'invoices', 'stage2')"));
    assert_eq!(e.code, SqlState::QUERY_CANCELED, "{}", e.all_text());
    c.batch_execute("RESET statement_timeout").unwrap();
    assert_eq!(statuses(&mut c, "stage2"), vec![("sending".into(), 4)]);
    std::thread::sleep(Duration::from_millis(3000));
    c.batch_execute("CALL xero_push('acme', 'invoices', 'stage2')").unwrap();
    assert_eq!(statuses(&mut c, "stage2"), vec![("created".into(), 4)]);
    assert_eq!(in_xero(&mut c, "stage2"), (4, 4), "each invoice once");
    assert!(writes(&m).iter().all(|w| w.1 == 1), "each key acted on once: {:?}", writes(&m));
}

#[test]
fn only_roles_with_the_write_grant_may_push_and_no_secret_shows() {
    let (m, db, mut c) = setup("push_roles");
    staging(&mut c, "stage", 2);
    let clerk = db.role("clerk");
    c.batch_execute(&format!("GRANT USAGE ON FOREIGN SERVER acme TO {clerk}; GRANT ALL ON stage TO {clerk}")).unwrap();
    let secrets: Vec<String> = c
        .query("SELECT access_token FROM xero_fdw_private.token_sets UNION ALL SELECT refresh_token FROM xero_fdw_private.token_sets", &[])
        .unwrap()
        .into_iter()
        .filter_map(|r| r.get::<_, Option<String>>(0))
        .chain([CLIENT_SECRET.to_string()])
        .collect();
    let mut as_clerk = db.connect(&clerk);
    let e = expect_error(as_clerk.batch_execute("CALL xero_push('acme', 'invoices', 'stage')"));
    assert_eq!(e.code, SqlState::INSUFFICIENT_PRIVILEGE, "{}", e.all_text());
    assert!(e.message.contains("xero_push") && e.hint.clone().unwrap().contains("api_write_roles"), "{}", e.all_text());
    // The C functions under it check the same: calling one directly is no way around it.
    let e = expect_error(as_clerk.query("SELECT xero_push_send('acme', 'invoices', 'k', 's', ARRAY['{}'], NULL, NULL)", &[]));
    assert_eq!(e.code, SqlState::INSUFFICIENT_PRIVILEGE);
    assert_eq!(statuses(&mut c, "stage"), vec![("-".into(), 2)]);
    assert_eq!(count(&m, "PUT Invoices"), 0);

    c.batch_execute(&format!("ALTER SERVER acme OPTIONS (ADD api_write_roles '{clerk}')")).unwrap();
    let notices = Arc::new(Mutex::new(Vec::new()));
    let mut as_clerk = connect_with_notices(&db.name, &clerk, notices.clone());
    as_clerk.batch_execute("CALL xero_push('acme', 'invoices', 'stage')").unwrap();
    assert_eq!(statuses(&mut c, "stage"), vec![("created".into(), 2)]);
    let mut texts = notices.lock().unwrap().clone();
    texts.push(e.all_text());
    for t in &texts {
        for s in &secrets {
            assert!(!t.contains(s.as_str()), "a secret in {t}");
        }
    }
}

#[test]
fn mistakes_are_named_before_anything_is_sent() {
    let (m, _db, mut c) = setup("push_checks");
    staging(&mut c, "stage", 1);
    reset(&m);
    let e = expect_error(c.batch_execute("BEGIN; CALL xero_push('acme', 'invoices', 'stage'); COMMIT"));
    assert!(e.message.contains("transaction block"), "{}", e.all_text());
    c.batch_execute("ROLLBACK").unwrap();
    for (sql, code, says) in [
        ("CALL xero_push('acme', 'journals', 'stage')", SqlState::FEATURE_NOT_SUPPORTED, "journals"),
        ("CALL xero_push('acme', 'invoices', 'stage', batch_size => 0)", SqlState::INVALID_PARAMETER_VALUE, "batch_size must be between 1 and 100"),
        ("CALL xero_push('nowhere', 'invoices', 'stage')", SqlState::UNDEFINED_OBJECT, "nowhere"),
    ] {
        let e = expect_error(c.batch_execute(sql));
        assert!(e.code == code && e.message.contains(says), "{sql}: {}", e.all_text());
    }
    c.batch_execute("ALTER TABLE stage ADD COLUMN colour text").unwrap();
    let e = expect_error(c.batch_execute("CALL xero_push('acme', 'invoices', 'stage')"));
    assert_eq!(e.code, SqlState::INVALID_PARAMETER_VALUE);
    assert_eq!(e.message, "column \"colour\" of staging table stage is not a column of invoices");
    c.batch_execute("ALTER TABLE stage DROP COLUMN colour, DROP COLUMN pushed_at").unwrap();
    let e = expect_error(c.batch_execute("CALL xero_push('acme', 'invoices', 'stage')"));
    assert!(e.message.contains("no column \"pushed_at\"") && e.hint.unwrap().contains("ADD COLUMN"), "{}", e.message);
    c.batch_execute("ALTER TABLE stage ADD COLUMN pushed_at date").unwrap();
    let e = expect_error(c.batch_execute("CALL xero_push('acme', 'invoices', 'stage')"));
    assert_eq!(e.message, "column \"pushed_at\" of staging table stage is date, not timestamp with time zone");
    assert_eq!(count(&m, "PUT Invoices"), 0);
    let untouched: i64 = c.query_one("SELECT count(*) FROM stage WHERE push_status IS NULL", &[]).unwrap().get(0);
    assert_eq!(untouched, 1);
}
