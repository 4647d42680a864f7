//! `Reports/ProfitAndLoss`: income, cost of sales, gross profit, operating expenses and
//! net profit for `fromDate..=toDate` (default: this month), plus `periods` earlier
//! periods of `timeframe` each, most recent first. Income is shown positive (journal
//! lines are credits there), expenses positive (debits).

use crate::model::Account;
use crate::reply::Reply;
use crate::report_model::{long_date, money, short_date, Report, Row, RowType};
use crate::report_params::{account_rows, earlier, month_end, month_start, Ctx};

/// The P&L's groups of accounts: (section title, total's label, is it income, which accounts).
const GROUPS: [(&str, &str, bool, fn(&Account) -> bool); 4] = [
    ("Income", "Total Income", true, |a| {
        a.class == "REVENUE" && a.kind != "OTHERINCOME"
    }),
    ("Less Cost of Sales", "Total Cost of Sales", false, |a| {
        a.kind == "DIRECTCOSTS"
    }),
    ("Plus Other Income", "Total Other Income", true, |a| {
        a.kind == "OTHERINCOME"
    }),
    (
        "Less Operating Expenses",
        "Total Operating Expenses",
        false,
        |a| a.class == "EXPENSE" && a.kind != "DIRECTCOSTS",
    ),
];

/// The columns' ranges: the asked-for one, then `periods` earlier ones.
pub fn columns(cx: &Ctx) -> Result<Vec<(i32, i32)>, Reply> {
    let from = cx.date("fromDate")?.unwrap_or(month_start(cx.today));
    let to = cx.date("toDate")?.unwrap_or(month_end(from));
    if to < from {
        return Err(Reply::validation_error(
            cx.json,
            "The toDate parameter must not be before fromDate",
        ));
    }
    let periods = cx.periods(11)?;
    let months = cx.timeframe()?;
    Ok((0..=periods)
        .map(|k| earlier(from, to, months, k))
        .collect())
}

pub fn report(cx: &Ctx) -> Result<Vec<Report>, Reply> {
    let cols = columns(cx)?;
    let payments_only = cx.payments_only();
    let sums: Vec<Vec<i64>> = cols
        .iter()
        .map(|&(f, t)| cx.sums(f, t, payments_only))
        .collect();
    let mut rows = vec![Row::header(
        std::iter::once(String::new()).chain(cols.iter().map(|&(_, t)| short_date(t))),
    )];
    let n = cols.len();
    // Per group and column: the group's total as shown (income and expenses positive).
    let mut totals = [vec![0i64; n], vec![0; n], vec![0; n], vec![0; n]];
    for (g, (title, total_label, income, member)) in GROUPS.iter().enumerate() {
        let sign = if *income { -1 } else { 1 };
        let mut section = account_rows(&cx.t.accounts, &sums, member, sign, &mut totals[g]);
        // Xero leaves out groups the organisation has no amounts in.
        if section.is_empty() && g == 2 {
            continue;
        }
        section.push(Row::amounts(
            RowType::SummaryRow,
            total_label,
            totals[g].iter().map(|&v| money(v)),
            None,
        ));
        rows.push(Row::section(title, section));
        if g == 1 {
            let gross = (0..n).map(|k| money(totals[0][k] - totals[1][k]));
            rows.push(Row::section(
                "",
                vec![Row::amounts(RowType::Row, "Gross Profit", gross, None)],
            ));
        }
    }
    let net = (0..n).map(|k| money(totals[0][k] - totals[1][k] + totals[2][k] - totals[3][k]));
    rows.push(Row::section(
        "",
        vec![Row::amounts(RowType::Row, "Net Profit", net, None)],
    ));
    let (from, to) = cols[0];
    Ok(vec![Report::titled(
        "ProfitAndLoss",
        "Profit and Loss",
        &cx.t.organisation.name,
        format!("For the period {} to {}", long_date(from), long_date(to)),
        cx.today,
        rows,
    )])
}
