//! Reports in tidy rows, and the ledger identities an analyst's reconciliation relies on, checked
//! through SQL against the bundled server's ledger: the trial balance computed from
//! `xero_journal_lines` equals `xero_report_trial_balance`; net profit equals revenue less
//! expenses from the journals; aged receivables equal each customer's unpaid invoices.

use xero_dbtests::*;

fn org() -> (MockHandle, TestDb, postgres::Client) {
    let m = mock(Config { invoices: 400, contacts: 30, ..Config::default() });
    let db = TestDb::new("rep");
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    (m, db, c)
}

/// The start of the financial year that holds `date`, from the organisation's year end.
const FY_START: &str = "(SELECT make_date(extract(year FROM d.date)::int - CASE WHEN extract(month FROM d.date) > o.financial_year_end_month THEN 0 ELSE 1 END, \
                                         o.financial_year_end_month % 12 + 1, 1) FROM xero_organisation('acme') o)";

#[test]
fn the_trial_balance_is_the_journals_summed() {
    let (m, _db, mut c) = org();
    for date in ["2025-06-30", "2026-03-31"] {
        reset(&m);
        // Each account's balance (YTD Debit − YTD Credit) is the sum of its journal lines up to the
        // date: since the beginning for balance-sheet accounts, for the financial year for revenue
        // and expenses, whose earlier years roll into Retained Earnings. The month's movement
        // (Debit − Credit) is the sum of the lines in the date's month.
        let sql = format!(
            "WITH d AS (SELECT DATE '{date}' AS date), fy AS (SELECT {FY_START} AS start FROM d), \
             tb AS (SELECT account_id, \
                        coalesce(sum(value) FILTER (WHERE column_header = 'YTD Debit'), 0) - coalesce(sum(value) FILTER (WHERE column_header = 'YTD Credit'), 0) AS ytd, \
                        coalesce(sum(value) FILTER (WHERE column_header = 'Debit'), 0) - coalesce(sum(value) FILTER (WHERE column_header = 'Credit'), 0) AS month \
                    FROM xero_report_trial_balance('acme', date => (SELECT date FROM d)) WHERE row_type = 'Row' GROUP BY 1), \
             a AS (SELECT account_id, class, system_account FROM xero_accounts('acme')), \
             l AS (SELECT * FROM xero_journal_lines('acme') l JOIN a USING (account_id), d, fy WHERE journal_date <= d.date), \
             books AS (SELECT a.account_id, \
                        coalesce((SELECT sum(net_amount) FROM l WHERE l.account_id = a.account_id AND (l.class NOT IN ('REVENUE', 'EXPENSE') OR l.journal_date >= l.start)), 0) \
                        + CASE WHEN a.system_account = 'RETAINEDEARNINGS' \
                               THEN coalesce((SELECT sum(net_amount) FROM l WHERE l.class IN ('REVENUE', 'EXPENSE') AND l.journal_date < l.start), 0) ELSE 0 END AS ytd, \
                        coalesce((SELECT sum(net_amount) FROM l, d WHERE l.account_id = a.account_id AND date_trunc('month', l.journal_date) = date_trunc('month', d.date)), 0) AS month \
                      FROM a) \
             SELECT (SELECT count(*) FROM tb), \
                    (SELECT count(*) FROM tb JOIN books USING (account_id) WHERE tb.ytd <> books.ytd OR tb.month <> books.month), \
                    (SELECT count(*) FROM books WHERE ytd <> 0 AND account_id NOT IN (SELECT account_id FROM tb)), \
                    (SELECT (sum(ytd) = 0)::text FROM tb)"
        );
        let row = c.query_one(&sql, &[]).unwrap_or_else(|e| panic!("{date}: {:?}", e.as_db_error()));
        let accounts: i64 = row.get(0);
        assert!(accounts > 5, "{date}: the trial balance lists accounts");
        assert_eq!(row.get::<_, i64>(1), 0, "{date}: every account's balance and movement are its journal lines");
        assert_eq!(row.get::<_, i64>(2), 0, "{date}: every account with a balance is in the trial balance");
        assert_eq!(row.get::<_, Option<String>>(3).as_deref(), Some("true"), "{date}: debits equal credits");
        assert_eq!(count(&m, "Reports/TrialBalance"), 1, "one call for the report");
    }
}

#[test]
fn net_profit_is_revenue_less_expenses_from_the_journals() {
    let (_m, _db, mut c) = org();
    let row = c
        .query_one(
            "WITH pl AS (SELECT * FROM xero_report_profit_and_loss('acme', from_date => '2025-04-01', to_date => '2026-03-31')), \
                  j AS (SELECT sum(net_amount) s FROM xero_journal_lines('acme') l JOIN xero_accounts('acme') a USING (account_id) \
                        WHERE a.class IN ('REVENUE', 'EXPENSE') AND journal_date BETWEEN '2025-04-01' AND '2026-03-31') \
             SELECT (SELECT value::text FROM pl WHERE label = 'Net Profit' AND column_number = 1), (-(SELECT s FROM j))::text, \
                    (SELECT count(DISTINCT section) FROM pl WHERE section IS NOT NULL), \
                    (SELECT bool_and(account_id IS NOT NULL) FROM pl WHERE row_type = 'Row' AND label NOT IN ('Net Profit', 'Gross Profit'))",
            &[],
        )
        .unwrap();
    let (net, from_journals): (Option<String>, Option<String>) = (row.get(0), row.get(1));
    assert!(net.is_some(), "the P&L has a Net Profit row");
    assert_eq!(net, from_journals, "net profit = revenue − expenses, from the journals");
    assert!(row.get::<_, i64>(2) >= 2, "income and expense sections");
    assert_eq!(row.get::<_, Option<bool>>(3), Some(true), "account rows carry their account");
}

#[test]
fn aged_receivables_are_each_customers_unpaid_invoices() {
    let (_m, _db, mut c) = org();
    let customers: Vec<(String,)> = c
        .query("SELECT DISTINCT contact_id::text FROM xero_invoices('acme', statuses => '{AUTHORISED}') WHERE type = 'ACCREC' AND amount_due > 0 ORDER BY 1 LIMIT 3", &[])
        .unwrap()
        .into_iter()
        .map(|r| (r.get(0),))
        .collect();
    assert!(!customers.is_empty());
    for (contact,) in customers {
        let row = c
            .query_one(
                "SELECT (SELECT value::text FROM xero_report_aged_receivables_by_contact('acme', $1::text::uuid) WHERE row_type = 'SummaryRow' AND column_header = 'Due'), \
                        (SELECT sum(amount_due)::text FROM xero_invoices('acme', contact_ids => ARRAY[$1::text::uuid], statuses => '{AUTHORISED}') WHERE type = 'ACCREC')",
                &[&contact],
            )
            .unwrap();
        let (report, invoices): (Option<String>, Option<String>) = (row.get(0), row.get(1));
        assert!(report.is_some(), "{contact}: the report has a total");
        assert_eq!(report, invoices, "{contact}: what the customer owes, by the report and by the invoices");
    }
}

#[test]
fn reports_come_back_typed_and_tidy() {
    let (m, _db, mut c) = org();
    reset(&m);
    let row = c
        .query_one(
            "SELECT pg_typeof(section)::text, pg_typeof(row_number)::text, pg_typeof(account_id)::text, pg_typeof(value)::text, \
                    count(*) FILTER (WHERE value IS NULL AND text ~ '^-?[0-9]+(\\.[0-9]+)?$'), \
                    count(*) FILTER (WHERE account_id IS NOT NULL AND account_id NOT IN (SELECT account_id FROM xero_accounts('acme'))) \
             FROM xero_report_balance_sheet('acme', date => '2026-03-31', periods => 2, timeframe => 'quarter') GROUP BY 1, 2, 3, 4",
            &[],
        )
        .unwrap();
    let types: Vec<String> = (0..4).map(|i| row.get(i)).collect();
    assert_eq!(types, ["text", "integer", "uuid", "numeric"]);
    assert_eq!(row.get::<_, i64>(4), 0, "every number is a value");
    assert_eq!(row.get::<_, i64>(5), 0, "every account_id is an account");
    let sent = &requests(&m, "Reports/BalanceSheet")[0];
    assert_eq!(query_param(sent, "date").as_deref(), Some("2026-03-31"));
    assert_eq!(query_param(sent, "periods").as_deref(), Some("2"));
    assert_eq!(query_param(sent, "timeframe").as_deref(), Some("QUARTER"));
}
