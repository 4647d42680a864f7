//! `Reports/TrialBalance`: per account, the month's movement (Debit, Credit) and the
//! balance (YTD Debit, YTD Credit) as at `date`, in sections by account class.
//!
//! As in Xero, revenue and expense accounts show the financial year to date, and the
//! profit of earlier years sits in Retained Earnings, so both column pairs balance.

use crate::model::Account;
use crate::reply::Reply;
use crate::report_model::{long_date, money, Report, Row, RowType};
use crate::report_params::{month_start, Ctx, BEGINNING};

/// Account classes in Xero's section order, with their section titles.
pub const CLASSES: [(&str, &str); 5] = [
    ("REVENUE", "Revenue"),
    ("EXPENSE", "Expenses"),
    ("ASSET", "Assets"),
    ("LIABILITY", "Liabilities"),
    ("EQUITY", "Equity"),
];

/// Revenue and expense accounts: their balances restart every financial year.
pub fn is_profit_and_loss(a: &Account) -> bool {
    matches!(a.class, "REVENUE" | "EXPENSE")
}

/// Index of the Retained Earnings account, which takes earlier years' profit.
pub fn retained_earnings(accounts: &[Account]) -> usize {
    accounts
        .iter()
        .position(|a| a.system_account == Some("RETAINEDEARNINGS"))
        .expect("the chart has Retained Earnings")
}

/// Per account: the balance as at `date` the way Xero reports it (profit and loss
/// accounts from the start of the financial year, earlier profit in Retained Earnings).
pub fn balances(cx: &Ctx, date: i32, payments_only: bool) -> Vec<i64> {
    let year_start = cx.year_start(date);
    let to_date = cx.sums(BEGINNING, date, payments_only);
    let this_year = cx.sums(year_start, date, payments_only);
    let accounts = &cx.t.accounts;
    let mut out = to_date.clone();
    let mut earlier_profit = 0;
    for (a, acc) in accounts.iter().enumerate() {
        if is_profit_and_loss(acc) {
            out[a] = this_year[a];
            earlier_profit += to_date[a] - this_year[a];
        }
    }
    out[retained_earnings(accounts)] += earlier_profit;
    out
}

/// A signed amount as (debit, credit) cells: debits positive, credits negative.
fn sides(v: i64) -> [String; 2] {
    match v {
        0 => [String::new(), String::new()],
        v if v > 0 => [money(v), String::new()],
        v => [String::new(), money(-v)],
    }
}

pub fn report(cx: &Ctx) -> Result<Vec<Report>, Reply> {
    let date = cx.date("date")?.unwrap_or(cx.today);
    let payments_only = cx.payments_only();
    let month = cx.sums(month_start(date), date, payments_only);
    let ytd = balances(cx, date, payments_only);
    let mut rows = vec![Row::header([
        "Account",
        "Debit",
        "Credit",
        "YTD Debit",
        "YTD Credit",
    ])];
    let mut totals = [0i64; 4];
    for (class, title) in CLASSES {
        let section: Vec<Row> =
            cx.t.accounts
                .iter()
                .enumerate()
                .filter(|(a, acc)| acc.class == class && (month[*a] != 0 || ytd[*a] != 0))
                .map(|(a, acc)| {
                    let [d, c] = sides(month[a]);
                    let [yd, yc] = sides(ytd[a]);
                    totals[0] += month[a].max(0);
                    totals[1] += (-month[a]).max(0);
                    totals[2] += ytd[a].max(0);
                    totals[3] += (-ytd[a]).max(0);
                    Row::amounts(
                        RowType::Row,
                        &format!("{} ({})", acc.name, acc.code),
                        [d, c, yd, yc],
                        Some((acc.account_id, "account")),
                    )
                })
                .collect();
        rows.push(Row::section(title, section));
    }
    rows.push(Row::section(
        "",
        vec![Row::amounts(
            RowType::SummaryRow,
            "Total",
            totals.map(money),
            None,
        )],
    ));
    Ok(vec![Report::titled(
        "TrialBalance",
        "Trial Balance",
        &cx.t.organisation.name,
        format!("As at {}", long_date(date)),
        cx.today,
        rows,
    )])
}
