//! Reading Xero data through the set-returning functions: typed rows, joins with local tables,
//! filters on the wire, paging.

use xero_dbtests::*;

fn org(invoices: usize) -> (MockHandle, TestDb, postgres::Client) {
    let m = mock(Config { invoices, contacts: 20, ..Config::default() });
    let db = TestDb::new("q");
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    (m, db, c)
}

#[test]
fn invoices_come_back_as_typed_rows() {
    let (_m, _db, mut c) = org(120);
    let row = c
        .query_one(
            "SELECT count(*), count(DISTINCT invoice_id), \
                    pg_typeof(invoice_id)::text, pg_typeof(total)::text, pg_typeof(due_date)::text, \
                    pg_typeof(updated_date_utc)::text, pg_typeof(has_attachments)::text, pg_typeof(line_items)::text, \
                    pg_typeof(contact_id)::text, pg_typeof(contact_name)::text \
             FROM xero_invoices('acme') GROUP BY 3,4,5,6,7,8,9,10",
            &[],
        )
        .unwrap();
    assert_eq!(row.get::<_, i64>(0), 120);
    assert_eq!(row.get::<_, i64>(1), 120);
    let got: Vec<String> = (2..10).map(|i| row.get::<_, String>(i)).collect();
    assert_eq!(got, ["uuid", "numeric", "date", "timestamp with time zone", "boolean", "jsonb", "uuid", "text"]);

    // Money is exact: totals are sums of line amounts (plus tax when exclusive) to the cent.
    let mismatches: i64 = c
        .query_one(
            "SELECT count(*) FROM xero_invoices('acme') i WHERE total <> sub_total + total_tax \
               OR sub_total <> (SELECT sum((l->>'LineAmount')::numeric) FROM jsonb_array_elements(line_items) l) \
                  - CASE WHEN line_amount_types = 'Inclusive' THEN total_tax ELSE 0 END",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(mismatches, 0);
}

#[test]
fn line_items_are_one_row_each_and_match_the_invoices() {
    let (m, _db, mut c) = org(300);
    reset(&m);
    let row = c
        .query_one(
            "WITH l AS (SELECT * FROM xero_invoice_line_items('acme')), \
                  i AS (SELECT invoice_id, jsonb_array_length(line_items) n, sub_total, line_amount_types, total_tax FROM xero_invoices('acme')) \
             SELECT (SELECT count(*) FROM l), (SELECT sum(n) FROM i), \
                    (SELECT count(*) FROM l LEFT JOIN i USING (invoice_id) WHERE i.invoice_id IS NULL), \
                    (SELECT min(line_number) FROM l), \
                    (SELECT count(*) FROM (SELECT invoice_id, max(line_number) m, count(*) c FROM l GROUP BY 1) g WHERE m <> c)",
            &[],
        )
        .unwrap();
    assert_eq!(row.get::<_, i64>(0), row.get::<_, i64>(1), "every line item of every invoice, once");
    assert_eq!(row.get::<_, i64>(2), 0, "every line belongs to a listed invoice");
    assert_eq!(row.get::<_, i32>(3), 1);
    assert_eq!(row.get::<_, i64>(4), 0, "line numbers run 1..n");
    // Line items need paged calls: Xero omits them from unpaged invoice lists.
    for r in requests(&m, "Invoices") {
        assert_eq!(query_param(&r, "page").as_deref(), Some("1"));
    }
}

#[test]
fn xero_data_joins_with_local_tables() {
    let (_m, _db, mut c) = org(400);
    c.batch_execute(
        "CREATE TABLE crm_accounts (xero_contact_id uuid PRIMARY KEY, account_manager text NOT NULL);
         INSERT INTO crm_accounts SELECT contact_id, (ARRAY['Aroha','Ben','Chen'])[1 + (row_number() OVER (ORDER BY name))::int % 3]
         FROM xero_contacts('acme');",
    )
    .unwrap();
    let rows = c
        .query(
            "SELECT a.account_manager, count(*), sum(i.amount_due)::text FROM xero_invoices('acme', statuses => '{AUTHORISED}') i \
             JOIN crm_accounts a ON a.xero_contact_id = i.contact_id \
             WHERE i.type = 'ACCREC' AND i.due_date < DATE '2026-11-01' GROUP BY 1 ORDER BY 1",
            &[],
        )
        .unwrap();
    assert!(!rows.is_empty());
    let total: i64 = rows.iter().map(|r| r.get::<_, i64>(1)).sum();
    let direct: i64 = c
        .query_one("SELECT count(*) FROM xero_invoices('acme') WHERE status = 'AUTHORISED' AND type = 'ACCREC' AND due_date < DATE '2026-11-01'", &[])
        .unwrap()
        .get(0);
    assert_eq!(total, direct, "the join loses no invoice: every invoice's contact is in xero_contacts");
}

#[test]
fn filters_reach_xero_as_its_own_parameters() {
    let (m, _db, mut c) = org(500);
    let contact: String = c.query_one("SELECT contact_id::text FROM xero_invoices('acme') LIMIT 1", &[]).unwrap().get(0);
    reset(&m);
    let sql = format!(
        "SELECT count(*) FROM xero_invoices('acme', modified_since => '2025-03-01 12:30:45.9+00', \
           where_clause => 'Type==\"ACCREC\"', order_by => 'Date DESC', statuses => '{{AUTHORISED,PAID}}', \
           contact_ids => ARRAY['{contact}']::uuid[], include_archived => true)"
    );
    let filtered: i64 = c.query_one(&sql, &[]).unwrap().get(0);
    let reqs = requests(&m, "Invoices");
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(query_param(r, "where").as_deref(), Some("Type==\"ACCREC\""));
    assert_eq!(query_param(r, "order").as_deref(), Some("Date DESC"));
    assert_eq!(query_param(r, "Statuses").as_deref(), Some("AUTHORISED,PAID"));
    assert_eq!(query_param(r, "ContactIDs").as_deref(), Some(contact.as_str()));
    assert_eq!(query_param(r, "includeArchived").as_deref(), Some("true"));
    assert_eq!(query_param(r, "pageSize").as_deref(), Some("1000"));
    assert_eq!(r["headers"]["if-modified-since"], "2025-03-01T12:30:45");
    assert_eq!(r["headers"]["accept"], "application/json");
    assert_eq!(r["headers"]["xero-tenant-id"], m.tenant_ids()[0].as_str());

    let expected: i64 = c
        .query_one(
            &format!(
                "SELECT count(*) FROM xero_invoices('acme') WHERE type = 'ACCREC' AND status IN ('AUTHORISED','PAID') \
                 AND contact_id = '{contact}' AND updated_date_utc >= '2025-03-01 12:30:45+00'"
            ),
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(filtered, expected, "Xero's filtering matches the same filter applied locally");

    let ids: Vec<String> = c.query("SELECT invoice_id::text FROM xero_invoices('acme') LIMIT 3", &[]).unwrap().iter().map(|r| r.get(0)).collect();
    reset(&m);
    let n: i64 = c.query_one("SELECT count(*) FROM xero_invoices('acme', ids => $1::text[]::uuid[])", &[&ids]).unwrap().get(0);
    assert_eq!(n, 3);
    assert_eq!(query_param(&requests(&m, "Invoices")[0], "IDs"), Some(ids.join(",")));
}

#[test]
fn paging_asks_for_1000_a_page_and_stops_at_the_last() {
    let (m, _db, mut c) = org(2500);
    reset(&m);
    let n: i64 = c.query_one("SELECT count(*) FROM xero_invoices('acme')", &[]).unwrap().get(0);
    assert_eq!(n, 2500);
    let pages: Vec<(String, String)> = requests(&m, "Invoices")
        .iter()
        .map(|r| (query_param(r, "page").unwrap(), query_param(r, "pageSize").unwrap()))
        .collect();
    assert_eq!(pages, [("1".into(), "1000".into()), ("2".into(), "1000".into()), ("3".into(), "1000".into())]);

    reset(&m);
    let n: i64 = c.query_one("SELECT count(*) FROM xero_invoices('acme', max_pages => 2)", &[]).unwrap().get(0);
    assert_eq!((n, count(&m, "Invoices")), (2000, 2), "max_pages caps the calls");

    let e = expect_error(c.query("SELECT * FROM xero_invoices('acme', max_pages => 0)", &[]));
    assert_eq!(e.code, SqlState::INVALID_PARAMETER_VALUE);
}

#[test]
fn a_full_last_page_costs_no_extra_call() {
    let (m, _db, mut c) = org(2000);
    reset(&m);
    let n: i64 = c.query_one("SELECT count(*) FROM xero_invoices('acme')", &[]).unwrap().get(0);
    assert_eq!((n, count(&m, "Invoices")), (2000, 2), "exactly ceil(N/1000) calls");
}

#[test]
fn contacts_accounts_and_organisation() {
    let (m, _db, mut c) = org(50);
    let active: i64 = c.query_one("SELECT count(*) FROM xero_contacts('acme')", &[]).unwrap().get(0);
    let all: i64 = c.query_one("SELECT count(*) FROM xero_contacts('acme', include_archived => true)", &[]).unwrap().get(0);
    assert_eq!(all, 20);
    assert!(active < all, "archived contacts only with include_archived");

    let row = c.query_one("SELECT count(*), count(*) FILTER (WHERE class = 'REVENUE') FROM xero_accounts('acme')", &[]).unwrap();
    assert!(row.get::<_, i64>(0) >= 20 && row.get::<_, i64>(1) >= 1);
    reset(&m);
    let banks: Vec<(String, String)> =
        c.query("SELECT code, type FROM xero_accounts('acme', where_clause => 'Type==\"BANK\"')", &[]).unwrap().iter().map(|r| (r.get(0), r.get(1))).collect();
    assert!(banks.iter().all(|(_, t)| t == "BANK") && banks.iter().any(|(code, _)| code == "090"), "{banks:?}");
    assert_eq!(query_param(&requests(&m, "Accounts")[0], "page"), None, "accounts are not paged");

    let (name, currency): (String, String) = {
        let r = c.query_one("SELECT name, base_currency FROM xero_organisation('acme')", &[]).unwrap();
        (r.get(0), r.get(1))
    };
    assert_eq!((name.as_str(), currency.as_str()), ("Demo Company (NZ)", "NZD"));
}

#[test]
fn odd_xero_dates_decode_exactly() {
    let (_m, _db, mut c) = org(20);
    let q = |c: &mut postgres::Client, sql: &str| -> String { c.query_one(sql, &[]).unwrap().get(0) };
    c.batch_execute("SET TimeZone = 'UTC'").unwrap();
    assert_eq!(q(&mut c, "SELECT updated_date_utc::text FROM xero_accounts('acme') WHERE code = '960'"), "1970-01-01 00:00:00+00");
    assert_eq!(q(&mut c, "SELECT updated_date_utc::text FROM xero_accounts('acme') WHERE code = '970'"), "0001-01-01 00:00:00+00");
    assert_eq!(
        q(&mut c, "SELECT updated_date_utc::text FROM xero_contacts('acme', include_archived => true) WHERE contact_number = 'C-0004'"),
        "1969-12-31 00:00:00+00"
    );
}
