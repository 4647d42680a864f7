//! `Reports/BankSummary`: per bank account, the balance before `fromDate`, the money in
//! and out during `fromDate..=toDate` (default: this month) and the closing balance,
//! from the bank accounts' journal lines (debits are money in).

use crate::ledger::Ledger;
use crate::reply::Reply;
use crate::report_model::{long_date, money, Report, Row, RowType};
use crate::report_params::{month_end, month_start, Ctx};

/// Per account: (money in, money out) during `from..=to`, both positive.
pub fn flows(ledger: &Ledger, accounts: usize, from: i32, to: i32) -> Vec<(i64, i64)> {
    let mut out = vec![(0, 0); accounts];
    let start = ledger.journals.partition_point(|j| j.date < from);
    for j in ledger.journals[start..].iter().take_while(|j| j.date <= to) {
        for l in ledger.lines_of(j) {
            let f = &mut out[usize::from(l.account)];
            if l.net > 0 {
                f.0 += l.net;
            } else {
                f.1 -= l.net;
            }
        }
    }
    out
}

pub fn report(cx: &Ctx) -> Result<Vec<Report>, Reply> {
    let from = cx.date("fromDate")?.unwrap_or(month_start(cx.today));
    let to = cx.date("toDate")?.unwrap_or(month_end(from));
    let opening = cx.sums(i32::MIN, from - 1, false);
    let moved = flows(&cx.ledger(), cx.t.accounts.len(), from, to);
    let mut totals = [0i64; 4];
    let mut rows = Vec::new();
    for (a, acc) in cx.t.accounts.iter().enumerate() {
        if acc.kind != "BANK" {
            continue;
        }
        let (received, spent) = moved[a];
        let values = [opening[a], received, spent, opening[a] + received - spent];
        for (t, v) in totals.iter_mut().zip(values) {
            *t += v;
        }
        rows.push(Row::amounts(
            RowType::Row,
            acc.name,
            values.map(money),
            Some((acc.account_id, "account")),
        ));
    }
    rows.push(Row::amounts(
        RowType::SummaryRow,
        "Total",
        totals.map(money),
        None,
    ));
    Ok(vec![Report::titled(
        "BankSummary",
        "Bank Summary",
        &cx.t.organisation.name,
        format!("From {} to {}", long_date(from), long_date(to)),
        cx.today,
        vec![
            Row::header([
                "Bank Accounts",
                "Opening Balance",
                "Cash Received",
                "Cash Spent",
                "Closing Balance",
            ]),
            Row::section("", rows),
        ],
    )])
}
