//! `CALL xero_sync(org, schema, entities)`: a first run creates and loads the tables so they equal
//! the functions; a second run asks Xero only for changes (one call per incremental entity when
//! nothing changed, Journals from the last offset); a failed entity keeps its data and watermark;
//! two syncs of one organisation never run at once; two organisations share one set of tables; a
//! sync killed inside an entity leaves none of it and the rerun finishes it; a spent day quota
//! stops the sync, says when to run again and skips the entities after.

use std::sync::{Arc, Barrier, Mutex};

use postgres::Client;
use serde_json::json;
use xero_dbtests::*;

/// (table, the function's rows as the sync keeps them)
const ENTITIES: &[(&str, &str)] = &[
    ("invoices", "xero_invoices('{org}', include_archived => true)"),
    ("invoice_line_items", "xero_invoice_line_items('{org}', include_archived => true)"),
    ("contacts", "xero_contacts('{org}', include_archived => true)"),
    ("accounts", "xero_accounts('{org}')"),
    ("journals", "xero_journals('{org}')"),
    ("bank_transfers", "xero_bank_transfers('{org}', include_deleted => true)"),
];

fn entity_list() -> String {
    format!("ARRAY[{}]", ENTITIES.iter().map(|(t, _)| format!("'{t}'")).collect::<Vec<_>>().join(","))
}

/// Rows in the function but not the table, plus rows in the table but not the function.
fn difference(c: &mut Client, org: &str, table: &str, function: &str) -> i64 {
    let f = function.replace("{org}", org);
    let sql = format!(
        "WITH f AS (SELECT '{org}'::text, (SELECT tenant_id FROM xero_sync_status WHERE server_name = '{org}' AND entity = '{table}'), x.* FROM {f} x), \
              l AS (SELECT * FROM local.{table} WHERE server_name = '{org}') \
         SELECT (SELECT count(*) FROM (TABLE f EXCEPT ALL TABLE l) a) + (SELECT count(*) FROM (TABLE l EXCEPT ALL TABLE f) b)"
    );
    c.query_one(&sql, &[]).unwrap().get(0)
}

fn setup(name: &str) -> (MockHandle, Arc<TestDb>, Client) {
    let m = small_mock();
    let db = Arc::new(TestDb::new(name));
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    c.batch_execute("CREATE SCHEMA local").unwrap();
    (m, db, c)
}

#[test]
fn a_first_sync_equals_the_functions_and_a_second_asks_only_for_changes() {
    let (m, db, mut c) = setup("sync_first");
    let notices = Arc::new(Mutex::new(Vec::new()));
    let mut s = connect_with_notices(&db.name, "postgres", notices.clone());
    s.batch_execute(&format!("CALL xero_sync('acme', 'local', {})", entity_list())).unwrap();
    for (table, function) in ENTITIES {
        let n: i64 = c.query_one(&format!("SELECT count(*) FROM local.{table}"), &[]).unwrap().get(0);
        assert!(n > 0, "{table} is empty");
        assert_eq!(difference(&mut c, "acme", table, function), 0, "{table} differs from {function}");
    }
    assert!(notices.lock().unwrap().iter().any(|n| n.contains("acme: invoices (incremental)")), "{:?}", notices.lock().unwrap());
    let key: String = c
        .query_one("SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM pg_index i, unnest(i.indkey) WITH ORDINALITY k(att, ord), pg_attribute a \
                    WHERE i.indrelid = 'local.invoice_line_items'::regclass AND i.indisprimary AND a.attrelid = i.indrelid AND a.attnum = k.att", &[])
        .unwrap()
        .get(0);
    assert_eq!(key, "tenant_id,invoice_id,line_number");
    let comment: Option<String> = c.query_one("SELECT obj_description('local.invoices'::regclass)", &[]).unwrap().get(0);
    assert!(comment.unwrap().contains("xero_sync"));

    // Nothing changed: one call per incremental entity, Journals once from the last offset, the
    // full re-read of bank transfers once; nothing written.
    reset(&m);
    s.batch_execute(&format!("CALL xero_sync('acme', 'local', {})", entity_list())).unwrap();
    assert_eq!(count(&m, "Invoices"), 2, "invoices and their line items: one call each");
    assert_eq!(count(&m, "Contacts"), 1);
    assert_eq!(count(&m, "Accounts"), 1);
    assert_eq!(count(&m, "BankTransfers"), 1);
    assert_eq!(count(&m, "Journals"), 1);
    let invoices = requests(&m, "Invoices");
    assert!(invoices.iter().all(|r| r.to_string().to_lowercase().contains("if-modified-since")), "{invoices:?}");
    let max_journal: i64 = c.query_one("SELECT max(journal_number)::bigint FROM local.journals", &[]).unwrap().get(0);
    assert_eq!(query_param(&requests(&m, "Journals")[0], "offset"), Some(max_journal.to_string()));
    let changed: i64 = c
        .query_one("SELECT sum(rows_inserted + rows_updated + rows_deleted)::bigint FROM xero_sync_status WHERE server_name = 'acme'", &[])
        .unwrap()
        .get(0);
    assert_eq!(changed, 0);

    // A row that vanished from a fully re-read entity is deleted; one changed locally is put back.
    c.batch_execute(
        "INSERT INTO local.bank_transfers (server_name, tenant_id, bank_transfer_id) SELECT server_name, tenant_id, gen_random_uuid() FROM local.bank_transfers LIMIT 1;
         UPDATE local.bank_transfers SET amount = -1 WHERE bank_transfer_id = (SELECT bank_transfer_id FROM local.bank_transfers ORDER BY 1 LIMIT 1);",
    )
    .unwrap();
    s.batch_execute("CALL xero_sync('acme', 'local', ARRAY['bank_transfers'])").unwrap();
    let (d, u): (i64, i64) = c
        .query_one("SELECT rows_deleted, rows_updated FROM xero_sync_status WHERE entity = 'bank_transfers'", &[])
        .map(|r| (r.get(0), r.get(1)))
        .unwrap();
    assert_eq!((d, u), (1, 1));
    assert_eq!(difference(&mut c, "acme", "bank_transfers", ENTITIES[5].1), 0);
}

#[test]
fn a_failed_entity_keeps_its_data_and_watermark_and_the_next_run_continues() {
    let (m, db, mut c) = setup("sync_fail");
    c.batch_execute("CALL xero_sync('acme', 'local', ARRAY['invoices', 'contacts'])").unwrap();
    let before: (i64, String) = c
        .query_one("SELECT count(*), (SELECT watermark::text FROM xero_sync_status WHERE entity = 'invoices') FROM local.invoices", &[])
        .map(|r| (r.get(0), r.get(1)))
        .unwrap();
    admin_post(&m, "faults", json!({"label": "Invoices", "count": 1, "status": 500}));
    let notices = Arc::new(Mutex::new(Vec::new()));
    let mut s = connect_with_notices(&db.name, "postgres", notices.clone());
    s.batch_execute("CALL xero_sync('acme', 'local', ARRAY['invoices', 'contacts'])").unwrap();
    let row = c.query_one("SELECT last_error, watermark::text, last_error_at > last_success_at FROM xero_sync_status WHERE entity = 'invoices'", &[]).unwrap();
    let error: String = row.get(0);
    assert!(error.contains("500") || error.to_lowercase().contains("xero"), "{error}");
    assert_eq!(row.get::<_, String>(1), before.1, "the watermark is kept");
    assert!(row.get::<_, bool>(2));
    let n: i64 = c.query_one("SELECT count(*) FROM local.invoices", &[]).unwrap().get(0);
    assert_eq!(n, before.0);
    let contacts_ok: bool = c.query_one("SELECT last_error IS NULL FROM xero_sync_status WHERE entity = 'contacts'", &[]).unwrap().get(0);
    assert!(contacts_ok, "the next entity was synced");
    assert!(notices.lock().unwrap().iter().any(|n| n.contains("1 of 2 entities failed")), "{:?}", notices.lock().unwrap());
    s.batch_execute("CALL xero_sync('acme', 'local', ARRAY['invoices'])").unwrap();
    let ok: bool = c.query_one("SELECT last_success_at > last_error_at FROM xero_sync_status WHERE entity = 'invoices'", &[]).unwrap().get(0);
    assert!(ok);
    assert_eq!(difference(&mut c, "acme", "invoices", ENTITIES[0].1), 0);
}

#[test]
fn two_syncs_of_one_organisation_never_run_at_once() {
    let (m, db, _c) = setup("sync_lock");
    admin_post(&m, "faults", json!({"label": "Contacts", "count": 1, "latency_ms": 1500}));
    let barrier = Arc::new(Barrier::new(2));
    let notices = Arc::new(Mutex::new(Vec::new()));
    let threads: Vec<_> = (0..2)
        .map(|i| {
            let (db, barrier, notices) = (db.clone(), barrier.clone(), notices.clone());
            std::thread::spawn(move || {
                let mut s = connect_with_notices(&db.name, "postgres", notices);
                barrier.wait();
                if i == 1 {
                    std::thread::sleep(std::time::Duration::from_millis(300));
                }
                s.batch_execute("CALL xero_sync('acme', 'local', ARRAY['contacts'])")
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap().unwrap();
    }
    let notices = notices.lock().unwrap();
    assert_eq!(notices.iter().filter(|n| n.contains("another session is syncing it")).count(), 1, "{notices:?}");
    assert_eq!(count(&m, "Contacts"), 1, "one sync read Xero");
}

#[test]
fn two_organisations_share_one_set_of_tables() {
    let (m, _db, mut c) = setup("sync_two");
    let base = m.base_url();
    let other = &m.tenant_ids()[1];
    c.batch_execute(&format!(
        "CREATE SERVER acme_au FOREIGN DATA WRAPPER xero_fdw OPTIONS (api_url '{base}/api.xro/2.0', identity_url '{base}', login_url '{base}', tenant_id '{other}', token_set 'acme');
         CREATE USER MAPPING FOR PUBLIC SERVER acme_au OPTIONS (client_id '{CLIENT_ID}', client_secret '{CLIENT_SECRET}');"
    ))
    .unwrap();
    // (One CALL a statement: in a multi-statement string the CALL runs inside a transaction
    // block, where xero_sync cannot commit each entity.)
    for org in ["acme", "acme_au"] {
        c.batch_execute(&format!("CALL xero_sync('{org}', 'local', ARRAY['contacts', 'invoice_line_items'])")).unwrap();
    }
    for org in ["acme", "acme_au"] {
        assert_eq!(difference(&mut c, org, "contacts", ENTITIES[2].1), 0, "{org}");
        assert_eq!(difference(&mut c, org, "invoice_line_items", ENTITIES[1].1), 0, "{org}");
    }
    let tenants: i64 = c.query_one("SELECT count(DISTINCT tenant_id) FROM local.contacts", &[]).unwrap().get(0);
    assert_eq!(tenants, 2);
    // Unknown entities and schemas are the caller's mistakes, named as such.
    let e = expect_error(c.batch_execute("CALL xero_sync('acme', 'local', ARRAY['nope'])"));
    assert_eq!(e.code.code(), "22023", "{}", e.all_text());
    let e = expect_error(c.batch_execute("CALL xero_sync('acme', 'missing', NULL)"));
    assert!(e.all_text().contains("schema \"missing\" does not exist"), "{}", e.all_text());
}

#[test]
fn after_changes_in_xero_a_sync_asks_once_per_entity_and_equals_the_functions_again() {
    let (m, db, mut c) = setup("sync_changes");
    let mut s = db.superuser();
    s.batch_execute(&format!("CALL xero_sync('acme', 'local', {})", entity_list())).unwrap();
    let journals_before: i64 = c.query_one("SELECT count(*) FROM local.journals", &[]).unwrap().get(0);
    let changed = admin_post(
        &m,
        "mutate",
        json!({"create_invoices": 2, "create_contacts": 1, "update_invoices": 1, "void_invoices": 1,
               "empty_invoices": 1, "archive_contacts": 1, "delete_bank_transfers": 1}),
    );
    let one = |k: &str| changed[k][0].as_str().unwrap().to_string();
    let emptied = one("emptied_invoices");
    let lines_before: i64 = c.query_one(&format!("SELECT count(*) FROM local.invoice_line_items WHERE invoice_id = '{emptied}'"), &[]).unwrap().get(0);
    assert!(lines_before > 0, "the emptied draft had line items locally");

    reset(&m);
    s.batch_execute(&format!("CALL xero_sync('acme', 'local', {})", entity_list())).unwrap();
    assert_eq!(count(&m, "Invoices"), 2, "invoices and their line items: one call each");
    assert_eq!(count(&m, "Contacts"), 1);
    assert_eq!(count(&m, "BankTransfers"), 1);
    assert_eq!(count(&m, "Journals"), 1);
    for label in ["Invoices", "Contacts"] {
        assert!(requests(&m, label).iter().all(|r| r.to_string().to_lowercase().contains("if-modified-since")), "{label}");
    }
    assert_eq!(query_param(&requests(&m, "Journals")[0], "offset"), Some(journals_before.to_string()));
    for (table, function) in ENTITIES {
        assert_eq!(difference(&mut c, "acme", table, function), 0, "{table} differs from {function} after the changes");
    }
    let mut status = |sql: &str| -> String { c.query_one(sql, &[]).unwrap().get(0) };
    assert_eq!(status(&format!("SELECT status FROM local.invoices WHERE invoice_id = '{}'", one("voided_invoices"))), "VOIDED");
    assert_eq!(status(&format!("SELECT contact_status FROM local.contacts WHERE contact_id = '{}'", one("archived_contacts"))), "ARCHIVED");
    assert_eq!(status(&format!("SELECT status FROM local.bank_transfers WHERE bank_transfer_id = '{}'", one("deleted_bank_transfers"))), "DELETED");
    let lines_after: i64 = c.query_one(&format!("SELECT count(*) FROM local.invoice_line_items WHERE invoice_id = '{emptied}'"), &[]).unwrap().get(0);
    assert_eq!(lines_after, 0, "a changed parent that lost all its children loses its local child rows");
    let mut counts = |entity: &str| -> (i64, i64, i64) {
        let r = c.query_one("SELECT rows_inserted, rows_updated, rows_deleted FROM xero_sync_status WHERE entity = $1", &[&entity]).unwrap();
        (r.get(0), r.get(1), r.get(2))
    };
    assert_eq!(counts("invoices"), (2, 3, 0), "2 created; updated, voided and emptied");
    assert_eq!(counts("contacts"), (1, 1, 0));
    assert_eq!(counts("invoice_line_items").2, lines_before);
    let new_journals = changed["journals"].as_i64().unwrap();
    assert_eq!(counts("journals"), (new_journals, 0, 0), "only the new journals, none re-read");
    let journals_after: i64 = c.query_one("SELECT count(*) FROM local.journals", &[]).unwrap().get(0);
    assert_eq!(journals_after, journals_before + new_journals);
}

/// Polls `done` every 50 ms for at most `secs` seconds; panics with `what` if it never holds.
fn wait_until(secs: u64, what: &str, mut done: impl FnMut() -> bool) {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while !done() {
        assert!(std::time::Instant::now() < until, "gave up after {secs} s waiting for {what}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn a_sync_killed_inside_an_entity_leaves_nothing_half_done_and_the_rerun_finishes_it() {
    let m = mock(Config { invoices: 3500, contacts: 20, ..Config::default() }); // 4 pages of 1000
    let db = Arc::new(TestDb::new("sync_killed"));
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    c.batch_execute("CREATE SCHEMA local").unwrap();
    let watermark = |c: &mut Client| -> Option<String> {
        c.query_opt("SELECT watermark::text FROM xero_sync_status WHERE entity = 'invoices'", &[]).unwrap().and_then(|r| r.get(0))
    };
    // The first sync reads the first two pages of Invoices quickly and the rest slowly.
    admin_post(&m, "faults", json!({"label": "Invoices", "count": 2, "latency_ms": 1}));
    admin_post(&m, "faults", json!({"label": "Invoices", "count": 50, "latency_ms": 20000}));
    let killed = {
        let db = db.clone();
        std::thread::spawn(move || db.superuser().batch_execute("CALL xero_sync('acme', 'local', ARRAY['contacts', 'invoices'])"))
    };
    // Inside the invoices entity: contacts are done, two Invoices pages answered, the CALL runs.
    wait_until(30, "two Invoices pages answered", || count(&m, "Invoices") >= 2);
    let Some(pid) = c
        .query_opt("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE 'CALL xero_sync%' AND pid <> pg_backend_pid()", &[])
        .unwrap()
        .map(|r| r.get::<_, i32>(0))
    else {
        let log: Vec<String> = requests(&m, "Invoices").iter().map(|r| r.to_string()).collect();
        panic!("the sync is not running: it ended with {:?}; Invoices calls: {log:?}", killed.join().unwrap());
    };
    assert_eq!(count(&m, "Contacts"), 1, "contacts were synced before invoices");
    let terminated: bool = c.query_one("SELECT pg_terminate_backend($1, 10000)", &[&pid]).unwrap().get(0);
    assert!(terminated);
    let e = expect_error(killed.join().unwrap());
    assert!(e.all_text().contains("terminat"), "{}", e.all_text());
    // The killed entity was rolled back whole: no watermark, no table; contacts stay committed.
    assert_eq!(watermark(&mut c), None, "the killed run left a watermark");
    let table: Option<String> = c.query_one("SELECT to_regclass('local.invoices')::text", &[]).unwrap().get(0);
    assert_eq!(table, None, "the killed run left its table");
    assert_eq!(difference(&mut c, "acme", "contacts", ENTITIES[2].1), 0);

    // Invoices change in Xero meanwhile; the rerun (no faults) loads them all, once each.
    admin_post(&m, "mutate", json!({"create_invoices": 3, "update_invoices": 2}));

    reset(&m);
    c.batch_execute("CALL xero_sync('acme', 'local', ARRAY['contacts', 'invoices'])").unwrap();
    assert_eq!(difference(&mut c, "acme", "invoices", ENTITIES[0].1), 0, "invoices differ from xero_invoices after the rerun");
    let (n, distinct): (i64, i64) = c
        .query_one("SELECT count(*), count(DISTINCT invoice_id) FROM local.invoices", &[])
        .map(|r| (r.get(0), r.get(1)))
        .unwrap();
    assert_eq!(n, distinct, "each invoice once");
    assert_eq!(n, 3503);
    let newest: String = c.query_one("SELECT max(updated_date_utc)::text FROM local.invoices", &[]).unwrap().get(0);
    assert_eq!(watermark(&mut c), Some(newest), "the watermark is the finished run's");
    let (inserted, updated, ok): (i64, i64, bool) = c
        .query_one("SELECT rows_inserted, rows_updated, last_error IS NULL FROM xero_sync_status WHERE entity = 'invoices'", &[])
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .unwrap();
    assert_eq!((inserted, updated, ok), (3503, 0, true), "the rerun wrote every invoice once");
    // And it is a watermark that works: nothing changed, one call, nothing written.
    reset(&m);
    c.batch_execute("CALL xero_sync('acme', 'local', ARRAY['invoices'])").unwrap();
    assert_eq!(count(&m, "Invoices"), 1);
}

#[test]
fn a_spent_day_quota_stops_the_sync_and_says_when_to_run_again() {
    let (m, db, mut c) = setup("sync_day_limit");
    // Xero refuses the day's first call (429, Retry-After): invoices fail, the rest is skipped.
    admin_post(&m, "limits", json!({"per_day": 0}));
    let notices = Arc::new(Mutex::new(Vec::new()));
    let mut s = connect_with_notices(&db.name, "postgres", notices.clone());
    s.batch_execute("CALL xero_sync('acme', 'local', ARRAY['invoices', 'contacts', 'accounts'])").unwrap();
    assert!(count(&m, "Invoices") >= 1, "invoices were tried");
    assert_eq!(count(&m, "Contacts") + count(&m, "Accounts"), 0, "the next entities were not attempted");
    let error: String = c.query_one("SELECT last_error FROM xero_sync_status WHERE entity = 'invoices'", &[]).unwrap().get(0);
    assert!(error.starts_with("53400: day limit reached"), "{error}");
    assert!(error.contains("run xero_sync again after"), "{error}");
    let retry: i64 = error.split("Retry-After: ").nth(1).and_then(|r| r.split(' ').next()).and_then(|r| r.parse().ok()).expect(&error);
    assert!(retry > 0 && retry <= 86_400, "{error}");
    // The time named is now + Retry-After, in the session's time zone.
    let named: bool = c
        .query_one(
            "SELECT abs(extract(epoch FROM substring($1 FROM 'again after ([^(]+) \\(')::timestamptz - (now() + make_interval(secs => $2::bigint)))) < 120",
            &[&error, &retry],
        )
        .unwrap()
        .get(0);
    assert!(named, "{error}");
    for entity in ["contacts", "accounts"] {
        let e: String = c.query_one("SELECT last_error FROM xero_sync_status WHERE entity = $1", &[&entity]).unwrap().get(0);
        assert!(e.starts_with("not attempted: day limit reached"), "{entity}: {e}");
    }
    let notices = notices.lock().unwrap().clone();
    assert!(notices.iter().any(|n| n.contains("invoices failed") && n.contains("day limit reached") && n.contains("again after")), "{notices:?}");
    assert!(notices.iter().any(|n| n.contains("stopped: day limit reached") && n.contains("2 not attempted")), "{notices:?}");

    // A quota known spent from Xero's last answer (X-DayLimit-Remaining: 0) stops the sync before
    // any call, and names the latest the quota resets: 24 hours after that answer.
    reset(&m);
    admin_post(&m, "limits", json!({"per_day": 1}));
    s.batch_execute("CALL xero_sync('acme', 'local', ARRAY['accounts', 'invoices', 'contacts'])").unwrap();
    assert_eq!((count(&m, "Accounts"), count(&m, "Invoices"), count(&m, "Contacts")), (1, 0, 0));
    let ok: bool = c.query_one("SELECT last_success_at > last_error_at FROM xero_sync_status WHERE entity = 'accounts'", &[]).unwrap().get(0);
    assert!(ok, "accounts were synced with the day's last call");
    let error: String = c.query_one("SELECT last_error FROM xero_sync_status WHERE entity = 'invoices'", &[]).unwrap().get(0);
    assert!(error.contains("day limit reached") && error.contains("within 24 hours"), "{error}");
    let within: bool = c
        .query_one("SELECT substring($1 FROM 'again after ([^(]+) \\(')::timestamptz BETWEEN now() + interval '23 hours 50 minutes' AND now() + interval '24 hours'", &[&error])
        .unwrap()
        .get(0);
    assert!(within, "{error}");
    let skipped: String = c.query_one("SELECT last_error FROM xero_sync_status WHERE entity = 'contacts'", &[]).unwrap().get(0);
    assert!(skipped.starts_with("not attempted: day limit reached"), "{skipped}");
}
