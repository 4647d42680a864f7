//! Writes through foreign tables: INSERT (batched, with RETURNING), UPDATE and DELETE as Xero
//! means them, an Idempotency-Key on every write so a retried call never acts twice, per-row
//! errors that name each rejected row and what Xero created before, and the write grant.

use serde_json::Value;
use xero_dbtests::*;

fn org() -> (MockHandle, TestDb, postgres::Client) {
    let m = small_mock();
    let db = TestDb::new("wr");
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    c.batch_execute("CREATE SCHEMA acme; IMPORT FOREIGN SCHEMA accounting FROM SERVER acme INTO acme;").unwrap();
    (m, db, c)
}

/// A contact and a sales account code of the organisation.
fn contact_and_account(c: &mut postgres::Client) -> (String, String) {
    let contact: String = c.query_one("SELECT contact_id::text FROM acme.contacts ORDER BY name LIMIT 1", &[]).unwrap().get(0);
    let code: String = c.query_one("SELECT code FROM acme.accounts WHERE type = 'REVENUE' AND status = 'ACTIVE' ORDER BY code LIMIT 1", &[]).unwrap().get(0);
    (contact, code)
}

fn line(code: &str, quantity: &str, price: &str) -> String {
    format!(r#"[{{"Description": "Consulting", "Quantity": {quantity}, "UnitAmount": {price}, "AccountCode": "{code}"}}]"#)
}

#[test]
fn insert_update_and_delete_an_invoice_with_returning() {
    let (m, _db, mut c) = org();
    let (contact, code) = contact_and_account(&mut c);
    reset(&m);
    let row = c
        .query_one(
            "INSERT INTO acme.invoices (type, contact_id, date, due_date, reference, line_items, status) \
             VALUES ('ACCREC', $1::text::uuid, date '2026-11-02', date '2026-12-02', 'W-1', $2::text::jsonb, 'DRAFT') \
             RETURNING invoice_id::text, invoice_number, sub_total::text, total::text, status, updated_date_utc IS NOT NULL",
            &[&contact, &line(&code, "3", "12.5000")],
        )
        .unwrap();
    let id: String = row.get(0);
    let number: Option<String> = row.get(1);
    assert!(number.is_some_and(|n| !n.is_empty()), "Xero numbers the invoice");
    assert_eq!(row.get::<_, String>(2), "37.50");
    assert_eq!(row.get::<_, String>(4), "DRAFT");
    assert!(row.get::<_, bool>(5));
    // One call: a PUT with an Idempotency-Key, each element judged (summarizeErrors=false).
    let puts = requests(&m, "PUT Invoices");
    assert_eq!(puts.len(), 1, "{puts:?}");
    assert!(puts[0]["headers"]["idempotency-key"].as_str().is_some_and(|k| k.starts_with("xero_fdw-")));
    assert_eq!(query_param(&puts[0], "summarizeErrors").as_deref(), Some("false"));
    // The table reads it back.
    let seen: String = c.query_one("SELECT reference FROM acme.invoices WHERE invoice_id = $1::text::uuid", &[&id]).unwrap().get(0);
    assert_eq!(seen, "W-1");

    // UPDATE sends only what it sets; RETURNING sees Xero's record.
    let (reference, status): (String, String) = {
        let r = c.query_one("UPDATE acme.invoices SET reference = 'W-1 changed' WHERE invoice_id = $1::text::uuid RETURNING reference, status", &[&id]).unwrap();
        (r.get(0), r.get(1))
    };
    assert_eq!((reference.as_str(), status.as_str()), ("W-1 changed", "DRAFT"));

    // DELETE of a draft: Xero marks it DELETED.
    let n = c.execute("DELETE FROM acme.invoices WHERE invoice_id = $1::text::uuid", &[&id]).unwrap();
    assert_eq!(n, 1);
    let status: String = c.query_one("SELECT status FROM xero_invoices('acme', ids => ARRAY[$1::text::uuid])", &[&id]).unwrap().get(0);
    assert_eq!(status, "DELETED");
}

#[test]
fn deleting_an_authorised_invoice_voids_it_and_a_paid_one_is_refused_by_name() {
    let (_m, _db, mut c) = org();
    let (contact, code) = contact_and_account(&mut c);
    let id: String = c
        .query_one(
            "INSERT INTO acme.invoices (type, contact_id, date, due_date, reference, line_items, status) \
             VALUES ('ACCREC', $1::text::uuid, date '2026-11-02', date '2026-12-02', 'W-2', $2::text::jsonb, 'AUTHORISED') RETURNING invoice_id::text",
            &[&contact, &line(&code, "1", "100")],
        )
        .unwrap()
        .get(0);
    c.execute("DELETE FROM acme.invoices WHERE invoice_id = $1::text::uuid", &[&id]).unwrap();
    let status: String = c.query_one("SELECT status FROM xero_invoices('acme', ids => ARRAY[$1::text::uuid])", &[&id]).unwrap().get(0);
    assert_eq!(status, "VOIDED");
    let paid: Option<String> = c.query_opt("SELECT invoice_id::text FROM acme.invoices WHERE status = 'PAID' LIMIT 1", &[]).unwrap().map(|r| r.get(0));
    let paid = paid.expect("the bundled ledger has paid invoices");
    let e = expect_error(c.execute("DELETE FROM acme.invoices WHERE invoice_id = $1::text::uuid", &[&paid]));
    assert_eq!(e.code, postgres::error::SqlState::INVALID_PARAMETER_VALUE, "{}", e.all_text());
    let detail = e.detail.clone().unwrap_or_default();
    assert!(detail.contains(&format!("row 1 (invoice_id {paid}): ")) && detail.contains("PAID") && detail.contains("payments removed first"), "{}", e.all_text());
}

#[test]
fn a_batch_of_120_with_3_bad_rows_names_them_and_what_was_created() {
    let (m, _db, mut c) = org();
    let (contact, code) = contact_and_account(&mut c);
    reset(&m);
    // Rows 10, 60 and 110 name an account code the organisation does not have.
    let e = expect_error(c.execute(
        "INSERT INTO acme.invoices (type, contact_id, date, due_date, reference, line_items) \
         SELECT 'ACCREC', $1::text::uuid, date '2026-11-02', date '2026-12-02', 'B-' || n, \
                jsonb_build_array(jsonb_build_object('Description', 'Item ' || n, 'Quantity', 1, 'UnitAmount', n, \
                                                     'AccountCode', CASE WHEN n IN (10, 60, 110) THEN '999999' ELSE $2::text END)) \
         FROM generate_series(1, 120) n",
        &[&contact, &code],
    ));
    assert_eq!(e.code, postgres::error::SqlState::INVALID_PARAMETER_VALUE, "{}", e.all_text());
    assert_eq!(e.message, "Xero rejected 3 of 120 rows written to invoices");
    let detail = e.detail.clone().unwrap();
    for n in [10, 60, 110] {
        assert!(detail.contains(&format!("row {n} (reference \"B-{n}\"): ")), "row {n} named: {detail}");
    }
    assert!(detail.contains("999999"), "Xero's message is shown: {detail}");
    assert!(detail.contains("Xero created 117 rows before this error"), "{detail}");
    // Every created record is listed with its id, and Xero really has exactly those.
    let listed = detail.lines().filter(|l| l.contains("invoice_id ")).count();
    assert_eq!(listed, 117, "{detail}");
    let created: i64 = c.query_one("SELECT count(*) FROM acme.invoices WHERE reference LIKE 'B-%'", &[]).unwrap().get(0);
    assert_eq!(created, 117);
    // Three calls of up to 50, each judged element by element.
    let puts = requests(&m, "PUT Invoices");
    assert_eq!(puts.len(), 3);
    assert!(puts.iter().all(|p| query_param(p, "summarizeErrors").as_deref() == Some("false")));
    assert!(e.hint.unwrap().contains("write only those again"));
}

#[test]
fn batch_size_is_a_table_or_server_option() {
    let (m, _db, mut c) = org();
    let (contact, code) = contact_and_account(&mut c);
    c.batch_execute("ALTER FOREIGN TABLE acme.invoices OPTIONS (ADD batch_size '7')").unwrap();
    reset(&m);
    let n = c
        .execute(
            "INSERT INTO acme.invoices (type, contact_id, date, due_date, reference, line_items) \
             SELECT 'ACCREC', $1::text::uuid, date '2026-11-02', date '2026-12-02', 'S-' || n, $2::text::jsonb FROM generate_series(1, 20) n",
            &[&contact, &line(&code, "1", "5")],
        )
        .unwrap();
    assert_eq!(n, 20);
    assert_eq!(requests(&m, "PUT Invoices").len(), 3, "20 rows in batches of 7");
    let e = expect_error(c.batch_execute("ALTER SERVER acme OPTIONS (ADD batch_size '500')"));
    assert_eq!(e.code, postgres::error::SqlState::INVALID_PARAMETER_VALUE);
    let plan: String = c
        .query("EXPLAIN INSERT INTO acme.invoices (reference) VALUES ('x')", &[])
        .unwrap()
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(plan.contains("Xero calls: PUT Invoices with summarizeErrors=false, up to 7 rows a call"), "{plan}");
}

#[test]
fn a_write_whose_answer_is_lost_is_retried_with_its_key_and_creates_one_record() {
    let (m, _db, mut c) = org();
    let (contact, code) = contact_and_account(&mut c);
    reset(&m);
    admin_post(&m, "faults", serde_json::json!({"label": "PUT Invoices", "drop_connection_after_acting": true, "count": 1}));
    let id: String = c
        .query_one(
            "INSERT INTO acme.invoices (type, contact_id, date, due_date, reference, line_items) \
             VALUES ('ACCREC', $1::text::uuid, date '2026-11-02', date '2026-12-02', 'LOST-1', $2::text::jsonb) RETURNING invoice_id::text",
            &[&contact, &line(&code, "2", "10")],
        )
        .unwrap()
        .get(0);
    let puts = requests(&m, "PUT Invoices");
    assert_eq!(puts.len(), 2, "the lost answer's call is sent again");
    assert_eq!(puts[0]["headers"]["idempotency-key"], puts[1]["headers"]["idempotency-key"]);
    let ids: Vec<String> = c.query("SELECT invoice_id::text FROM acme.invoices WHERE reference = 'LOST-1'", &[]).unwrap().iter().map(|r| r.get(0)).collect();
    assert_eq!(ids, vec![id], "one record");
    let writes = admin_get(&m, "writes");
    let key = puts[0]["headers"]["idempotency-key"].as_str().unwrap();
    assert_eq!(acted(&writes, key), Some(1), "{writes}");
}

/// How many times the server acted on `key` (from `/__mock/writes`).
fn acted(writes: &Value, key: &str) -> Option<u64> {
    fn find(v: &Value, key: &str) -> Option<u64> {
        match v {
            Value::Object(o) => {
                if o.get("key").and_then(Value::as_str) == Some(key) || o.get("idempotency_key").and_then(Value::as_str) == Some(key) {
                    return o.get("acted").and_then(Value::as_u64);
                }
                if let Some(entry) = o.get(key) {
                    if let Some(n) = entry.get("acted").and_then(Value::as_u64) {
                        return Some(n);
                    }
                }
                o.values().find_map(|x| find(x, key))
            }
            Value::Array(a) => a.iter().find_map(|x| find(x, key)),
            _ => None,
        }
    }
    find(writes, key)
}

#[test]
fn writes_need_the_write_grant_not_just_usage() {
    let (_m, db, mut c) = org();
    let (contact, code) = contact_and_account(&mut c);
    let clerk = db.role("clerk");
    c.batch_execute(&format!("GRANT USAGE ON FOREIGN SERVER acme TO {clerk}; GRANT USAGE ON SCHEMA acme TO {clerk}; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA acme TO {clerk};"))
        .unwrap();
    let mut k = db.connect(&clerk);
    let insert = "INSERT INTO acme.invoices (type, contact_id, date, due_date, reference, line_items) VALUES ('ACCREC', $1::text::uuid, date '2026-11-02', date '2026-12-02', 'G-1', $2::text::jsonb)";
    let e = expect_error(k.execute(insert, &[&contact, &line(&code, "1", "1")]));
    assert_eq!(e.code, postgres::error::SqlState::INSUFFICIENT_PRIVILEGE, "{}", e.all_text());
    assert!(e.message.contains("INSERT into invoices") && e.hint.clone().unwrap().contains("api_write_roles"), "{}", e.all_text());
    let e = expect_error(k.execute("DELETE FROM acme.contacts WHERE name = 'nobody'", &[]));
    assert_eq!(e.code, postgres::error::SqlState::INSUFFICIENT_PRIVILEGE);
    // Reading still works.
    assert!(k.query_one("SELECT count(*) FROM acme.invoices", &[]).is_ok());
    c.batch_execute(&format!("ALTER SERVER acme OPTIONS (ADD api_write_roles '{clerk}')")).unwrap();
    assert_eq!(k.execute(insert, &[&contact, &line(&code, "1", "1")]).unwrap(), 1);
    // No secret in any error: the access token never shows.
    let token: String = c.query_one("SELECT access_token FROM xero_fdw_private.token_sets LIMIT 1", &[]).unwrap().get(0);
    assert!(!e.all_text().contains(&token));
}

#[test]
fn what_xero_cannot_write_fails_with_the_reason() {
    let (_m, _db, mut c) = org();
    let e = expect_error(c.batch_execute("INSERT INTO acme.journals (journal_number) VALUES (1)"));
    assert_eq!(e.code, postgres::error::SqlState::FEATURE_NOT_SUPPORTED, "{}", e.all_text());
    assert!(e.message.contains("no way to create journals"), "{}", e.all_text());
    let e = expect_error(c.batch_execute("DELETE FROM acme.currencies"));
    assert_eq!(e.code, postgres::error::SqlState::FEATURE_NOT_SUPPORTED);
    assert!(e.message.contains("currency"), "{}", e.all_text());
    let e = expect_error(c.batch_execute("UPDATE acme.invoice_line_items SET description = 'x'"));
    assert!(e.hint.unwrap().contains("line_items jsonb column of invoices"));
    let e = expect_error(c.batch_execute("INSERT INTO acme.invoices (invoice_id, reference) VALUES (gen_random_uuid(), 'x')"));
    assert!(e.message.contains("\"invoice_id\" is assigned by Xero"), "{}", e.all_text());
    assert_eq!(e.code, postgres::error::SqlState::INVALID_PARAMETER_VALUE);
    let e = expect_error(c.batch_execute("INSERT INTO acme.report_trial_balance DEFAULT VALUES"));
    assert_eq!(e.code, postgres::error::SqlState::FEATURE_NOT_SUPPORTED);
}

#[test]
fn a_statement_whose_call_keeps_failing_says_which_rows_and_xero_acted_once() {
    let (m, _db, mut c) = org();
    let (contact, code) = contact_and_account(&mut c);
    let insert = "INSERT INTO acme.invoices (type, contact_id, date, due_date, reference, line_items) \
                  SELECT 'ACCREC', $1::text::uuid, date '2026-11-02', date '2026-12-02', 'AGAIN-' || n, $2::text::jsonb FROM generate_series(1, 60) n";
    reset(&m);
    // Every attempt of the first batch acts and then loses its answer (the first attempt and
    // the transport's three retries).
    admin_post(&m, "faults", serde_json::json!({"label": "PUT Invoices", "drop_connection_after_acting": true, "count": 4}));
    let e = expect_error(c.execute(insert, &[&contact, &line(&code, "1", "9")]));
    assert_eq!(e.code, postgres::error::SqlState::CONNECTION_FAILURE, "{}", e.all_text());
    let detail = e.detail.clone().unwrap_or_default();
    assert!(detail.contains("Rows 1 to 50 were in the call that failed") && detail.contains("Idempotency-Key xero_fdw-"), "{}", e.all_text());
    // Four attempts, one key, one action: the 50 records exist once; the rest were never sent.
    let puts = requests(&m, "PUT Invoices");
    assert_eq!(puts.len(), 4);
    let key = puts[0]["headers"]["idempotency-key"].as_str().unwrap();
    assert!(puts.iter().all(|p| p["headers"]["idempotency-key"] == key));
    assert_eq!(acted(&admin_get(&m, "writes"), key), Some(1));
    let n: i64 = c.query_one("SELECT count(*) FROM acme.invoices WHERE reference LIKE 'AGAIN-%'", &[]).unwrap().get(0);
    assert_eq!(n, 50, "each record of the call once");
}

#[test]
fn identical_rows_are_separate_records() {
    let (m, _db, mut c) = org();
    let (contact, code) = contact_and_account(&mut c);
    reset(&m);
    let insert = "INSERT INTO acme.invoices (type, contact_id, date, due_date, reference, line_items) \
                  VALUES ('ACCREC', $1::text::uuid, date '2026-11-02', date '2026-12-02', 'TWIN', $2::text::jsonb) RETURNING invoice_id::text";
    let a: String = c.query_one(insert, &[&contact, &line(&code, "1", "7")]).unwrap().get(0);
    let b: String = c.query_one(insert, &[&contact, &line(&code, "1", "7")]).unwrap().get(0);
    assert_ne!(a, b, "the same row written twice is two records");
    // Two identical rows in one statement's single-row calls, too.
    let ids: Vec<String> = c
        .query(&format!("{} , ('ACCREC', $1::text::uuid, date '2026-11-02', date '2026-12-02', 'TWIN', $2::text::jsonb) RETURNING invoice_id::text", insert.trim_end_matches(" RETURNING invoice_id::text")), &[&contact, &line(&code, "1", "7")])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
    let n: i64 = c.query_one("SELECT count(*) FROM acme.invoices WHERE reference = 'TWIN'", &[]).unwrap().get(0);
    assert_eq!(n, 4);
}

#[test]
fn copy_into_a_foreign_table_writes_like_insert() {
    let (m, _db, mut c) = org();
    reset(&m);
    c.batch_execute("COPY acme.contacts (name, email_address) FROM PROGRAM 'printf \"Copy Co One,one@copy.example\\nCopy Co Two,two@copy.example\\n\"' WITH (FORMAT csv)").unwrap();
    let names: Vec<String> = c.query("SELECT name FROM acme.contacts WHERE name LIKE 'Copy Co %' ORDER BY name", &[]).unwrap().iter().map(|r| r.get(0)).collect();
    assert_eq!(names, ["Copy Co One", "Copy Co Two"]);
    // PostgreSQL 15 hands COPY's rows to a foreign table one at a time (batches: 16 and later).
    assert_eq!(requests(&m, "PUT Contacts").len(), 2);
}

#[test]
fn writes_use_the_same_quotas_and_an_error_lists_what_was_created_before_it() {
    let (m, _db, mut c) = org();
    let (contact, code) = contact_and_account(&mut c);
    reset(&m);
    // Two calls left this minute, and no waiting for the next: the third batch is refused by
    // xero_fdw itself, before Xero has to say no.
    admin_post(&m, "limits", serde_json::json!({"per_minute": 2}));
    c.batch_execute("SET xero_fdw.max_rate_limit_wait = 0").unwrap();
    let e = expect_error(c.execute(
        "INSERT INTO acme.invoices (type, contact_id, date, due_date, reference, line_items) \
         SELECT 'ACCREC', $1::text::uuid, date '2026-11-02', date '2026-12-02', 'Q-' || n, $2::text::jsonb FROM generate_series(1, 150) n",
        &[&contact, &line(&code, "1", "3")],
    ));
    assert_eq!(e.code, postgres::error::SqlState::CONFIGURATION_LIMIT_EXCEEDED, "{}", e.all_text());
    let detail = e.detail.clone().unwrap_or_default();
    assert!(detail.contains("Before this error Xero created 100 rows of invoices"), "{detail}");
    assert!(detail.contains("row 100: invoice_id "), "{detail}");
    assert_eq!(requests(&m, "PUT Invoices").len(), 2);
}

#[test]
fn updates_and_deletes_without_returning_go_in_batches_and_name_rejected_rows() {
    let (m, _db, mut c) = org();
    let (contact, code) = contact_and_account(&mut c);
    c.execute(
        "INSERT INTO acme.invoices (type, contact_id, date, due_date, reference, line_items) \
         SELECT 'ACCREC', $1::text::uuid, date '2026-11-02', date '2026-12-02', 'U-' || n, $2::text::jsonb FROM generate_series(1, 120) n",
        &[&contact, &line(&code, "1", "4")],
    )
    .unwrap();
    reset(&m);
    let plan: String = c
        .query("EXPLAIN UPDATE acme.invoices SET status = 'AUTHORISED' WHERE reference LIKE 'U-%'", &[])
        .unwrap()
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(plan.contains("Xero calls: POST Invoices with summarizeErrors=false, up to 50 rows a call"), "{plan}");
    // 120 drafts approved in 3 calls; two of them name an account code Xero refuses.
    let e = expect_error(c.execute(
        "UPDATE acme.invoices SET status = 'AUTHORISED', \
                line_items = CASE WHEN reference IN ('U-7', 'U-99') THEN jsonb_set(line_items, '{0,AccountCode}', '\"999999\"') ELSE line_items END \
          WHERE reference LIKE 'U-%'",
        &[],
    ));
    assert_eq!(e.message, "Xero rejected 2 of 120 rows written to invoices", "{}", e.all_text());
    let detail = e.detail.clone().unwrap();
    assert!(detail.contains("reference \"U-7\", invoice_id ") && detail.contains("reference \"U-99\", invoice_id "), "{detail}");
    assert!(detail.contains("Xero changed 118 rows before this error"), "{detail}");
    let posts = requests(&m, "POST Invoices");
    assert_eq!(posts.len(), 3, "120 changes, 50 a call");
    assert!(posts.iter().all(|p| query_param(p, "summarizeErrors").as_deref() == Some("false") && p["headers"]["idempotency-key"].is_string()));
    let approved: i64 = c.query_one("SELECT count(*) FROM acme.invoices WHERE reference LIKE 'U-%' AND status = 'AUTHORISED'", &[]).unwrap().get(0);
    assert_eq!(approved, 118);
    // DELETE by status goes the same way: approved ones are voided, the two drafts deleted.
    reset(&m);
    assert_eq!(c.execute("DELETE FROM acme.invoices WHERE reference LIKE 'U-%'", &[]).unwrap(), 120);
    assert_eq!(requests(&m, "POST Invoices").len(), 3);
    let left: Vec<(String, i64)> = c
        .query("SELECT status, count(*) FROM xero_invoices('acme', where_clause => 'Reference.StartsWith(\"U-\")', statuses => '{VOIDED,DELETED}') GROUP BY 1 ORDER BY 1", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(left, vec![("DELETED".to_string(), 2), ("VOIDED".to_string(), 118)]);
}
