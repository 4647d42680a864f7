//! Unit prices and credit allocations through SQL, against what the bundled server holds:
//! `xero_invoice_line_items` keeps Xero's four-decimal unit amounts (it asks for
//! `unitdp=4`) unless `unit_dp => 2` asks for them rounded, and credit note allocations
//! name real invoices whose `amount_credited` they add up to.

use xero_dbtests::*;

fn org() -> (MockHandle, TestDb, postgres::Client) {
    let m = small_mock();
    let db = TestDb::new("unitdec");
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    (m, db, c)
}

/// Lines whose unit amount needs more than two decimals.
const FOUR_DECIMALS: &str = "unit_amount <> round(unit_amount, 2)";

#[test]
fn line_items_keep_four_decimals_unless_asked_for_two() {
    let (m, _db, mut c) = org();
    reset(&m);
    let four: i64 = c
        .query_one(&format!("SELECT count(*) FROM xero_invoice_line_items('acme') WHERE {FOUR_DECIMALS}"), &[])
        .unwrap()
        .get(0);
    assert!(four > 5, "four-decimal unit amounts: {four}");
    assert!(requests(&m, "Invoices").iter().all(|r| query_param(r, "unitdp").as_deref() == Some("4")));

    // The same values as the server's own answer (asked for raw, with unitdp=4), to the digit.
    let differ: i64 = c
        .query_one(
            &format!(
                "WITH raw AS (SELECT (l->>'LineItemID')::uuid AS id, (l->'UnitAmount')::text::numeric AS unit_amount \
                   FROM generate_series(1, 5) p, \
                        LATERAL xero_api('acme', 'GET', 'Invoices', query => jsonb_build_object('page', p, 'unitdp', 4)) a, \
                        jsonb_array_elements(a.body->'Invoices') i, jsonb_array_elements(i->'LineItems') l) \
                 SELECT count(*) FILTER (WHERE raw.unit_amount IS DISTINCT FROM li.unit_amount) \
                      + abs(count(*) - (SELECT count(*) FROM raw)) \
                   FROM xero_invoice_line_items('acme') li LEFT JOIN raw ON raw.id = li.line_item_id"
            ),
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(differ, 0, "unit amounts differ from the server's four decimals");

    // unit_dp => 2: every one rounded, to the two-decimal value of the same line.
    reset(&m);
    let row = c
        .query_one(
            "SELECT count(*) FILTER (WHERE two.unit_amount <> round(two.unit_amount, 2)), \
                    count(*) FILTER (WHERE two.unit_amount IS DISTINCT FROM round(four.unit_amount, 2)), count(*) \
               FROM xero_invoice_line_items('acme', unit_dp => 2) two \
               JOIN xero_invoice_line_items('acme') four USING (line_item_id)",
            &[],
        )
        .unwrap();
    let (still_four, not_rounded, lines): (i64, i64, i64) = (row.get(0), row.get(1), row.get(2));
    assert!(lines > 100, "lines: {lines}");
    assert_eq!((still_four, not_rounded), (0, 0), "unit_dp => 2 rounds every unit amount");
    assert!(requests(&m, "Invoices").iter().any(|r| query_param(r, "unitdp").as_deref() == Some("2")));

    // The line amount is the quantity times the four-decimal price, rounded to the cent.
    let off: i64 = c
        .query_one("SELECT count(*) FROM xero_invoice_line_items('acme') WHERE line_amount <> round(quantity * unit_amount, 2)", &[])
        .unwrap()
        .get(0);
    assert_eq!(off, 0);
}

#[test]
fn credit_note_allocations_add_up_to_amount_credited() {
    let (_m, _db, mut c) = org();
    let row = c
        .query_one(
            "WITH a AS (SELECT (invoice->>'InvoiceID')::uuid AS invoice_id, amount FROM xero_credit_note_allocations('acme')), \
                  i AS (SELECT invoice_id, amount_credited, total, amount_paid, amount_due, status FROM xero_invoices('acme')) \
             SELECT (SELECT count(*) FROM a), \
                    (SELECT count(*) FROM a WHERE invoice_id NOT IN (SELECT invoice_id FROM i)), \
                    (SELECT count(*) FROM i JOIN (SELECT invoice_id, sum(amount) AS s FROM a GROUP BY 1) s USING (invoice_id) \
                      WHERE i.amount_credited < s.s), \
                    (SELECT count(*) FROM i WHERE status NOT IN ('VOIDED', 'DELETED') AND amount_due <> total - amount_paid - amount_credited)",
            &[],
        )
        .unwrap();
    let (allocations, unknown, over, unbalanced): (i64, i64, i64, i64) = (row.get(0), row.get(1), row.get(2), row.get(3));
    assert!(allocations > 0, "no credit note allocations");
    assert_eq!(unknown, 0, "allocations name invoices that exist");
    assert_eq!(over, 0, "an invoice is credited at least what its credit notes allocated");
    assert_eq!(unbalanced, 0, "amount_due = total - amount_paid - amount_credited");

    // With overpayments and prepayments too, the allocations are exactly each invoice's credit.
    let differ: i64 = c
        .query_one(
            "WITH a AS (SELECT (invoice->>'InvoiceID')::uuid AS invoice_id, amount FROM xero_credit_note_allocations('acme') \
                        UNION ALL SELECT (invoice->>'InvoiceID')::uuid, amount FROM xero_overpayment_allocations('acme') \
                        UNION ALL SELECT (invoice->>'InvoiceID')::uuid, amount FROM xero_prepayment_allocations('acme')), \
                  s AS (SELECT invoice_id, sum(amount) AS credited FROM a GROUP BY 1) \
             SELECT count(*) FROM xero_invoices('acme') i LEFT JOIN s USING (invoice_id) \
              WHERE i.amount_credited <> coalesce(s.credited, 0)",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(differ, 0, "each invoice's amount_credited is the sum of its allocations");
}
