//! Reading Xero data through the set-returning functions: typed rows, joins with local
//! tables, filters on the wire, paging.

use xero_dbtests::*;

#[test]
fn invoices_come_back_as_typed_rows() {
    let m = small_mock();
    let db = TestDb::new("typed");
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    let row = c
        .query_one(
            "SELECT count(*), count(DISTINCT invoice_id), sum(total)::text, min(date)::text, \
                    pg_typeof(min(invoice_id))::text, pg_typeof(min(total))::text, pg_typeof(min(due_date))::text, \
                    pg_typeof(max(updated_date_utc))::text, pg_typeof(bool_and(has_attachments))::text, pg_typeof(min(line_items::text))::text \
             FROM xero_invoices('acme')",
            &[],
        )
        .unwrap();
    let n: i64 = row.get(0);
    assert_eq!(n, 120);
    assert_eq!(row.get::<_, i64>(1), 120);
    assert_eq!(row.get::<_, String>(4), "uuid");
    assert_eq!(row.get::<_, String>(5), "numeric");
    assert_eq!(row.get::<_, String>(6), "date");
    assert_eq!(row.get::<_, String>(7), "timestamp with time zone");
}
