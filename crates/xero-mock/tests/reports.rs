//! The reports against the journals they are computed from: the trial balance balances
//! and each account's balance is its journal lines' sum, net profit is revenue minus
//! expenses, the balance sheet balances, aged receivables are the unpaid invoices, the
//! bank summary closes at opening + received − spent; parameter errors; JSON and XML agree.

mod common;

use std::collections::HashMap;

use common::ledger::{all_pages, cents, journals};
use common::reports::{amount, cell, report, row_labelled, rows};
use common::{date_ms, Mock};
use serde_json::Value;

const DAY: i64 = 86_400_000;

/// Days since 1970-01-01 of `y-m-d` (the tests' own arithmetic, not the crate's).
fn day(y: i64, m: i64, d: i64) -> i64 {
    let (y, m) = if m <= 2 { (y - 1, m + 12) } else { (y, m) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m - 3) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

/// Per AccountID: the sum of the journal lines dated `from..=to` (days).
fn line_sums(js: &[Value], from: i64, to: i64) -> HashMap<String, i64> {
    let mut out = HashMap::new();
    for j in js {
        let d = date_ms(&j["JournalDate"]).div_euclid(DAY);
        if d < from || d > to {
            continue;
        }
        for l in j["JournalLines"].as_array().unwrap() {
            *out.entry(l["AccountID"].as_str().unwrap().to_string())
                .or_default() += cents(&l["NetAmount"]);
        }
    }
    out
}

fn accounts(m: &Mock, at: &str) -> Vec<Value> {
    m.api(at, 0, "Accounts").json()["Accounts"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn trial_balance_is_the_journals_summed() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    let js = journals(&m, &at, 0, "");
    let accts = accounts(&m, &at);
    // NZ year end is 31 March: 2025-09-30 is in the year from 2025-04-01.
    let date = day(2025, 9, 30);
    let year_start = day(2025, 4, 1);
    let rep = report(&m, &at, 0, "TrialBalance?date=2025-09-30");
    assert_eq!(rep["ReportType"], "TrialBalance");
    assert_eq!(rep["ReportTitles"][2], "As at 30 September 2025");
    assert_eq!(rep["Rows"][0]["RowType"], "Header");
    assert_eq!(cell(&rep["Rows"][0], 3), "YTD Debit");
    let to_date = line_sums(&js, i64::MIN, date);
    let this_year = line_sums(&js, year_start, date);
    let month = line_sums(&js, day(2025, 9, 1), date);
    let rs = rows(&rep);
    let (mut debit, mut credit, mut ytd_debit, mut ytd_credit) = (0, 0, 0, 0);
    let mut earlier_profit = 0;
    let mut seen = 0;
    for a in &accts {
        let id = a["AccountID"].as_str().unwrap();
        let pl = matches!(a["Class"].as_str().unwrap(), "REVENUE" | "EXPENSE");
        let all = to_date.get(id).copied().unwrap_or(0);
        let mut want = if pl {
            this_year.get(id).copied().unwrap_or(0)
        } else {
            all
        };
        if pl {
            earlier_profit += all - want;
        }
        if a["SystemAccount"] == "RETAINEDEARNINGS" {
            continue; // checked below, with the earlier years' profit
        }
        let row = rs
            .iter()
            .find(|(_, r)| r["Cells"][0]["Attributes"][0]["Value"] == id);
        let Some((section, row)) = row else {
            assert_eq!(want, 0, "{id}: an account with a balance has a row");
            continue;
        };
        seen += 1;
        let class_title = match a["Class"].as_str().unwrap() {
            "REVENUE" => "Revenue",
            "EXPENSE" => "Expenses",
            "ASSET" => "Assets",
            "LIABILITY" => "Liabilities",
            _ => "Equity",
        };
        assert_eq!(section, class_title);
        assert_eq!(
            amount(row, 3) - amount(row, 4),
            want,
            "{}: YTD",
            cell(row, 0)
        );
        want = month.get(id).copied().unwrap_or(0);
        assert_eq!(
            amount(row, 1) - amount(row, 2),
            want,
            "{}: month",
            cell(row, 0)
        );
    }
    assert!(seen > 15, "accounts with balances: {seen}");
    let re = accts
        .iter()
        .find(|a| a["SystemAccount"] == "RETAINEDEARNINGS")
        .unwrap();
    let re_id = re["AccountID"].as_str().unwrap();
    let re_row = rs
        .iter()
        .find(|(_, r)| r["Cells"][0]["Attributes"][0]["Value"] == re_id);
    let re_want = to_date.get(re_id).copied().unwrap_or(0) + earlier_profit;
    let re_got = re_row.map_or(0, |(_, r)| amount(r, 3) - amount(r, 4));
    assert_eq!(
        re_got, re_want,
        "Retained Earnings carries earlier years' profit"
    );
    assert_ne!(earlier_profit, 0);
    for (_, r) in rs.iter().filter(|(_, r)| r["RowType"] == "Row") {
        debit += amount(r, 1);
        credit += amount(r, 2);
        ytd_debit += amount(r, 3);
        ytd_credit += amount(r, 4);
    }
    assert_eq!(debit, credit, "the month's movements balance");
    assert_eq!(ytd_debit, ytd_credit, "the trial balance balances");
    let total = row_labelled(&rs, "Total");
    assert_eq!(total["RowType"], "SummaryRow");
    assert_eq!([amount(total, 1), amount(total, 3)], [debit, ytd_debit]);
    assert_eq!([amount(total, 2), amount(total, 4)], [credit, ytd_credit]);
    // paymentsOnly: the cash journals only.
    let cash = journals(&m, &at, 0, "&paymentsOnly=true");
    let rep = report(&m, &at, 0, "TrialBalance?date=2025-09-30&paymentsOnly=true");
    let rs = rows(&rep);
    let bank = accts.iter().find(|a| a["Code"] == "090").unwrap();
    let id = bank["AccountID"].as_str().unwrap();
    let row = &rs
        .iter()
        .find(|(_, r)| r["Cells"][0]["Attributes"][0]["Value"] == id)
        .unwrap()
        .1;
    assert_eq!(
        amount(row, 3) - amount(row, 4),
        line_sums(&cash, i64::MIN, date)[id]
    );
}

#[test]
fn profit_and_loss_is_revenue_minus_expenses() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    let js = journals(&m, &at, 0, "");
    let accts = accounts(&m, &at);
    let rep = report(
        &m,
        &at,
        0,
        "ProfitAndLoss?fromDate=2025-01-01&toDate=2025-03-31&periods=2&timeframe=QUARTER&standardLayout=true&paymentsOnly=false",
    );
    let header = &rep["Rows"][0];
    assert_eq!(
        header["Cells"].as_array().unwrap().len(),
        4,
        "three periods"
    );
    assert_eq!(cell(header, 1), "31 Mar 2025");
    assert_eq!(cell(header, 3), "30 Sep 2024");
    let rs = rows(&rep);
    let ranges = [
        (day(2025, 1, 1), day(2025, 3, 31)),
        (day(2024, 10, 1), day(2024, 12, 31)),
        (day(2024, 7, 1), day(2024, 9, 30)),
    ];
    for (k, (from, to)) in ranges.into_iter().enumerate() {
        let sums = line_sums(&js, from, to);
        let mut profit = 0;
        for a in &accts {
            if matches!(a["Class"].as_str().unwrap(), "REVENUE" | "EXPENSE") {
                profit -= sums
                    .get(a["AccountID"].as_str().unwrap())
                    .copied()
                    .unwrap_or(0);
            }
        }
        let net = row_labelled(&rs, "Net Profit");
        assert_eq!(amount(net, k + 1), profit, "period {k}");
        let income = amount(row_labelled(&rs, "Total Income"), k + 1);
        let cos = amount(row_labelled(&rs, "Total Cost of Sales"), k + 1);
        let opex = amount(row_labelled(&rs, "Total Operating Expenses"), k + 1);
        assert_eq!(
            amount(row_labelled(&rs, "Gross Profit"), k + 1),
            income - cos
        );
        assert_eq!(income - cos - opex, profit);
        assert!(income > 0, "period {k} has sales");
    }
    let titles: Vec<&str> = rep["Rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["Title"].as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "Income",
            "Less Cost of Sales",
            "",
            "Less Operating Expenses",
            ""
        ]
    );
}

#[test]
fn balance_sheet_balances() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    for tenant in 0..2 {
        let rep = report(
            &m,
            &at,
            tenant,
            "BalanceSheet?date=2026-06-30&periods=3&timeframe=MONTH",
        );
        let rs = rows(&rep);
        let n = rep["Rows"][0]["Cells"].as_array().unwrap().len();
        assert_eq!(n, 5);
        assert_eq!(cell(&rep["Rows"][0], 2), "31 May 2026");
        for k in 1..n {
            let assets = amount(row_labelled(&rs, "Total Assets"), k);
            let liabilities = amount(row_labelled(&rs, "Total Liabilities"), k);
            let net = amount(row_labelled(&rs, "Net Assets"), k);
            let equity = amount(row_labelled(&rs, "Total Equity"), k);
            assert_eq!(net, assets - liabilities);
            assert_eq!(net, equity, "tenant {tenant}, column {k}: it balances");
            assert_ne!(amount(row_labelled(&rs, "Current Year Earnings"), k), 0);
        }
    }
}

#[test]
fn aged_receivables_are_the_contacts_unpaid_invoices() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    let invoices = all_pages(&m, &at, 0, "Invoices?Statuses=AUTHORISED&", "Invoices");
    let mut due: HashMap<(String, String), i64> = HashMap::new();
    for inv in &invoices {
        let key = (
            inv["Type"].as_str().unwrap().to_string(),
            inv["Contact"]["ContactID"].as_str().unwrap().to_string(),
        );
        *due.entry(key).or_default() += cents(&inv["AmountDue"]);
    }
    let mut checked = 0;
    for ((kind, contact), want) in &due {
        let name = if kind == "ACCREC" {
            "AgedReceivablesByContact"
        } else {
            "AgedPayablesByContact"
        };
        let rep = report(
            &m,
            &at,
            0,
            &format!("{name}?contactId={contact}&date=2027-06-30"),
        );
        let rs = rows(&rep);
        let total = row_labelled(&rs, "Total");
        assert_eq!(amount(total, 7), *want, "{name} {contact}: Due");
        let buckets: i64 = (8..14).map(|i| amount(total, i)).sum();
        assert_eq!(
            buckets, *want,
            "{name} {contact}: the buckets add up to Due"
        );
        for (_, r) in rs.iter().filter(|(_, r)| r["RowType"] == "Row") {
            assert_eq!(amount(r, 4) - amount(r, 5) - amount(r, 6), amount(r, 7));
            assert_eq!(r["Cells"][1]["Attributes"][0]["Id"], "invoiceID");
        }
        checked += 1;
    }
    assert!(checked > 10);
    // As at a date, only invoices issued by then; all of them overdue long after.
    let (_, contact) = due.keys().find(|(k, _)| k == "ACCREC").unwrap();
    let rep = report(
        &m,
        &at,
        0,
        &format!("AgedReceivablesByContact?contactId={contact}&date=2030-01-01"),
    );
    let total = row_labelled(&rows(&rep), "Total").clone();
    assert_eq!(amount(&total, 13), amount(&total, 7), "all Older");
}

#[test]
fn bank_summary_closes_at_opening_plus_received_minus_spent() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    let js = journals(&m, &at, 0, "");
    let rep = report(
        &m,
        &at,
        0,
        "BankSummary?fromDate=2025-03-01&toDate=2025-08-31",
    );
    let rs = rows(&rep);
    let before = line_sums(&js, i64::MIN, day(2025, 2, 28));
    let through = line_sums(&js, i64::MIN, day(2025, 8, 31));
    let mut banks = 0;
    for (_, r) in rs.iter().filter(|(_, r)| r["RowType"] == "Row") {
        let id = r["Cells"][0]["Attributes"][0]["Value"].as_str().unwrap();
        let [open, got, spent, close] = [1, 2, 3, 4].map(|i| amount(r, i));
        assert_eq!(close, open + got - spent);
        assert_eq!(open, before.get(id).copied().unwrap_or(0));
        assert_eq!(close, through.get(id).copied().unwrap_or(0));
        assert!(got > 0);
        banks += 1;
    }
    assert_eq!(banks, 2);
}

#[test]
fn the_other_reports_answer_in_xeros_shape() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    let exec = report(&m, &at, 0, "ExecutiveSummary?date=2025-05-15");
    assert_eq!(exec["ReportTitles"][2], "For the month of May 2025");
    let rs = rows(&exec);
    let pl = report(
        &m,
        &at,
        0,
        "ProfitAndLoss?fromDate=2025-05-01&toDate=2025-05-31",
    );
    assert_eq!(
        amount(row_labelled(&rs, "Profit (loss)"), 1),
        amount(row_labelled(&rows(&pl), "Net Profit"), 1)
    );
    let budget = report(
        &m,
        &at,
        0,
        "BudgetSummary?date=2026-01-01&periods=4&timeframe=3",
    );
    assert_eq!(cell(&budget["Rows"][0], 1), "Jan-26");
    assert_eq!(budget["Rows"][0]["Cells"].as_array().unwrap().len(), 5);
    let last_year = report(
        &m,
        &at,
        0,
        "ProfitAndLoss?fromDate=2025-01-01&toDate=2025-03-31",
    );
    assert_eq!(
        amount(row_labelled(&rows(&budget), "Net Profit"), 1),
        amount(row_labelled(&rows(&last_year), "Net Profit"), 1),
        "the budget is last year's actuals"
    );
    let list = m.api(&at, 0, "Reports").json();
    assert_eq!(list["Reports"], serde_json::json!([]));
    assert_eq!(
        m.api(&at, 0, "Reports/00000000-0000-4000-8000-000000000000")
            .status,
        404
    );
    let r = m.api(&at, 0, "reports/tenninetynine?reportYear=2025");
    assert_eq!(
        (r.status, r.json()["Reports"].clone()),
        (200, serde_json::json!([]))
    );
    let stats = m.stats();
    assert_eq!(stats["Reports/ExecutiveSummary"], 1);
    assert_eq!(stats["Reports/TenNinetyNine"], 1);
    assert_eq!(stats["Reports/{id}"], 1);
    assert_eq!(stats["Reports"], 1);
}
