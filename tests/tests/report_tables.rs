//! Report tables (`acme.report_trial_balance`, …): the same rows as the report functions, their
//! parameters from `=` conditions (constants, parameters, LATERAL and `=` joins), a required
//! parameter missing, EXPLAIN of the request, and IMPORT comments that do not leak.

use xero_dbtests::*;

fn org() -> (MockHandle, TestDb, postgres::Client) {
    let m = mock(Config { invoices: 200, contacts: 20, ..Config::default() });
    let db = TestDb::new("rt");
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    c.batch_execute("CREATE SCHEMA acme; IMPORT FOREIGN SCHEMA accounting FROM SERVER acme INTO acme;").unwrap();
    (m, db, c)
}

fn plan_text(c: &mut postgres::Client, sql: &str) -> String {
    c.query(&format!("EXPLAIN {sql}"), &[]).unwrap().iter().map(|r| r.get::<_, String>(0)).collect::<Vec<_>>().join("\n")
}

const TIDY: &str = "section, row_number, row_type, label, account_id, column_number, column_header, value, text";

#[test]
fn a_report_table_returns_the_functions_rows_with_the_parameters_used() {
    let (m, _db, mut c) = org();
    let cols: Vec<String> = c
        .query("SELECT attname::text || ' ' || format_type(atttypid, atttypmod) || ' ' || (col_description(attrelid, attnum) IS NOT NULL) FROM pg_attribute WHERE attrelid = 'acme.report_trial_balance'::regclass AND attnum > 0 ORDER BY attnum", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(cols[9..], ["report_date date true".to_string(), "payments_only boolean true".to_string()]);
    assert!(cols.iter().all(|c| c.ends_with("true")), "every column has a comment: {cols:?}");
    reset(&m);
    let same: bool = c
        .query_one(
            &format!(
                "SELECT (SELECT array_agg(({TIDY}) ORDER BY row_number, column_number) FROM acme.report_trial_balance WHERE report_date = '2026-06-30' AND report_date IS NOT NULL) \
                      = (SELECT array_agg(({TIDY}) ORDER BY row_number, column_number) FROM xero_report_trial_balance('acme', date => '2026-06-30'))"
            ),
            &[],
        )
        .unwrap()
        .get(0);
    assert!(same, "the table's rows are the function's");
    let r = requests(&m, "Reports/TrialBalance");
    assert_eq!(r.len(), 2, "one call each");
    assert_eq!(query_param(&r[0], "date").as_deref(), Some("2026-06-30"));
}

#[test]
fn parameters_come_from_prepared_statements_and_explain_shows_the_request() {
    let (m, _db, mut c) = org();
    c.batch_execute("PREPARE tb(date, boolean) AS SELECT count(*), bool_and(report_date = $1), bool_and(payments_only = $2) FROM acme.report_trial_balance WHERE report_date = $1 AND payments_only = $2").unwrap();
    reset(&m);
    let row = c.query_one("EXECUTE tb('2026-03-31', true)", &[]).unwrap();
    assert!(row.get::<_, i64>(0) > 0);
    assert!(row.get::<_, bool>(1) && row.get::<_, bool>(2), "each row shows the values used");
    let r = requests(&m, "Reports/TrialBalance");
    assert_eq!(r.len(), 1);
    assert_eq!(query_param(&r[0], "paymentsOnly").as_deref(), Some("true"));
    let plan = plan_text(&mut c, "SELECT label, value FROM acme.report_trial_balance WHERE report_date = '2026-06-30' AND value > 0");
    println!("{plan}");
    assert!(plan.contains("Xero Request: GET Reports/TrialBalance?date=2026-06-30"), "{plan}");
    assert!(plan.contains("Xero Local Filter: (value > '0'::numeric)"), "{plan}");
    // Every row carries the parameter: `report_date = …` keeps the whole estimate (200 by default).
    let plan = plan_text(&mut c, "SELECT * FROM acme.report_trial_balance WHERE report_date = '2026-06-30'");
    assert!(plan.contains("rows=200 "), "{plan}");
    let none: i64 = c.query_one("SELECT count(*) FROM acme.report_trial_balance WHERE report_date = NULL::date", &[]).unwrap().get(0);
    assert_eq!(none, 0);
    let defaulted: i64 = c.query_one("SELECT count(*) FROM acme.report_trial_balance WHERE report_date IS NULL", &[]).unwrap().get(0);
    assert!(defaulted > 0, "without a condition Xero's default applies and the column is NULL");
}

#[test]
fn a_required_parameter_without_a_value_names_its_column() {
    let (_m, _db, mut c) = org();
    let e = expect_error(c.query("SELECT * FROM acme.report_aged_receivables_by_contact", &[]));
    assert_eq!(e.code, postgres::error::SqlState::INVALID_PARAMETER_VALUE);
    assert!(e.message.contains("report_aged_receivables_by_contact needs a condition contact_id = …"), "{}", e.all_text());
    assert!(e.hint.unwrap_or_default().contains("WHERE contact_id ="));
    let e = expect_error(c.query("SELECT * FROM acme.report_profit_and_loss WHERE periods = 40", &[]));
    assert_eq!(e.code, postgres::error::SqlState::INVALID_PARAMETER_VALUE);
    assert!(e.message.contains("periods must be between 1 and 11"), "{}", e.all_text());
}

#[test]
fn aged_receivables_per_contact_by_a_lateral_join_over_a_local_table() {
    let (m, _db, mut c) = org();
    c.batch_execute(
        "CREATE TABLE customers AS SELECT DISTINCT contact_id FROM xero_invoices('acme', statuses => '{AUTHORISED}') WHERE type = 'ACCREC' AND amount_due > 0 ORDER BY 1 LIMIT 3; ANALYZE customers;",
    )
    .unwrap();
    let by_function: Vec<(String, Option<String>)> = c
        .query(
            "SELECT k.contact_id::text, (SELECT value::text FROM xero_report_aged_receivables_by_contact('acme', k.contact_id) WHERE row_type = 'SummaryRow' AND column_header = 'Due') \
             FROM customers k ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(by_function.len(), 3);
    reset(&m);
    for sql in [
        "SELECT k.contact_id::text, r.value::text FROM customers k, LATERAL (SELECT value FROM acme.report_aged_receivables_by_contact a \
            WHERE a.contact_id = k.contact_id AND row_type = 'SummaryRow' AND column_header = 'Due') r ORDER BY 1",
        "SELECT k.contact_id::text, a.value::text FROM customers k JOIN acme.report_aged_receivables_by_contact a ON a.contact_id = k.contact_id \
            WHERE row_type = 'SummaryRow' AND column_header = 'Due' ORDER BY 1",
    ] {
        let plan = plan_text(&mut c, sql);
        println!("{plan}");
        assert!(plan.contains("Xero Request: GET Reports/AgedReceivablesByContact?contactId=$1"), "{plan}");
        let rows: Vec<(String, Option<String>)> = c.query(sql, &[]).unwrap().iter().map(|r| (r.get(0), r.get(1))).collect();
        assert_eq!(rows, by_function, "{sql}");
    }
    assert_eq!(requests(&m, "Reports/AgedReceivablesByContact").len(), 6, "one call per customer and query");
}

#[test]
fn comments_of_a_failed_import_are_not_applied_by_a_later_import() {
    let (_m, db, mut c) = org();
    c.batch_execute("CREATE SCHEMA other; CREATE FOREIGN TABLE other.report_trial_balance (label text) SERVER acme OPTIONS (report 'report_trial_balance');").unwrap();
    // The IMPORT fails on the existing table; the comments it prepared stay in the backend.
    assert!(c.batch_execute("IMPORT FOREIGN SCHEMA accounting LIMIT TO (invoices, report_trial_balance) FROM SERVER acme INTO other").is_err());
    c.batch_execute("CREATE FOREIGN TABLE other.invoices (invoice_id uuid) SERVER acme;").unwrap();
    // Another wrapper's IMPORT fires the event trigger too: the stale comments must not run.
    let port = std::env::var("XERO_TEST_PGPORT").unwrap();
    c.batch_execute("CREATE SCHEMA src; CREATE TABLE src.t (x int);").unwrap();
    c.batch_execute(&format!(
        "CREATE EXTENSION postgres_fdw; CREATE SCHEMA lo_schema; \
         CREATE SERVER lo FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '{port}', dbname '{}'); \
         CREATE USER MAPPING FOR CURRENT_USER SERVER lo OPTIONS (user 'postgres'); \
         IMPORT FOREIGN SCHEMA src FROM SERVER lo INTO lo_schema;",
        db.name
    ))
    .unwrap();
    let comment: Option<String> = c.query_one("SELECT obj_description('other.invoices'::regclass, 'pg_class')", &[]).unwrap().get(0);
    assert_eq!(comment, None, "the failed IMPORT's comment was not applied to a table it did not create");
}
