//! `Reports/BalanceSheet`: assets, liabilities and equity as at `date` (default: the end
//! of this month) and `periods` earlier dates `timeframe` apart. Equity carries Current
//! Year Earnings (this financial year's profit) and earlier years' profit in Retained
//! Earnings, so Net Assets = Total Equity.

use crate::reply::Reply;
use crate::report_model::{long_date, money, short_date, Report, Row, RowType};
use crate::report_params::{account_rows, earlier, month_end, Ctx};
use crate::report_trial_balance::{balances, is_profit_and_loss};

/// Balance sheet groups: (section title, account types in it).
const ASSETS: &[(&str, &[&str])] = &[
    ("Bank", &["BANK"]),
    ("Current Assets", &["CURRENT", "PREPAYMENT", "INVENTORY"]),
    ("Fixed Assets", &["FIXED"]),
    ("Non-current Assets", &["NONCURRENT"]),
];
const LIABILITIES: &[(&str, &[&str])] = &[
    ("Current Liabilities", &["CURRLIAB", "LIABILITY", "PAYG"]),
    ("Non-current Liabilities", &["TERMLIAB"]),
];

pub fn report(cx: &Ctx) -> Result<Vec<Report>, Reply> {
    let date = cx.date("date")?.unwrap_or(month_end(cx.today));
    let periods = cx.periods(11)?;
    let months = cx.timeframe()?;
    let payments_only = cx.payments_only();
    let dates: Vec<i32> = (0..=periods)
        .map(|k| earlier(date, date, months, k).1)
        .collect();
    let bals: Vec<Vec<i64>> = dates
        .iter()
        .map(|&d| balances(cx, d, payments_only))
        .collect();
    let accounts = &cx.t.accounts;
    let n = dates.len();
    let mut rows = vec![Row::header(
        std::iter::once(String::new()).chain(dates.iter().map(|&d| short_date(d))),
    )];
    // Rows of the accounts of `kinds`, shown with `sign`, adding into `total`.
    let group = |kinds: &[&str], sign: i64, total: &mut Vec<i64>| -> Vec<Row> {
        account_rows(
            accounts,
            &bals,
            |acc| kinds.contains(&acc.kind),
            sign,
            total,
        )
    };
    let side = |title: &str, groups: &[(&str, &[&str])], sign: i64, rows: &mut Vec<Row>| {
        rows.push(Row::section(title, Vec::new()));
        let mut side_total = vec![0i64; n];
        for (name, kinds) in groups {
            let mut total = vec![0i64; n];
            let mut section = group(kinds, sign, &mut total);
            if section.is_empty() {
                continue;
            }
            section.push(Row::amounts(
                RowType::SummaryRow,
                &format!("Total {name}"),
                total.iter().map(|&v| money(v)),
                None,
            ));
            rows.push(Row::section(name, section));
            for k in 0..n {
                side_total[k] += total[k];
            }
        }
        rows.push(Row::section(
            "",
            vec![Row::amounts(
                RowType::SummaryRow,
                &format!("Total {title}"),
                side_total.iter().map(|&v| money(v)),
                None,
            )],
        ));
        side_total
    };
    let assets = side("Assets", ASSETS, 1, &mut rows);
    let liabilities = side("Liabilities", LIABILITIES, -1, &mut rows);
    rows.push(Row::section(
        "",
        vec![Row::amounts(
            RowType::Row,
            "Net Assets",
            (0..n).map(|k| money(assets[k] - liabilities[k])),
            None,
        )],
    ));
    // This year's profit: the profit and loss accounts' balances (credits are profit).
    let current: Vec<i64> = bals
        .iter()
        .map(|b| {
            -accounts
                .iter()
                .enumerate()
                .filter(|(_, acc)| is_profit_and_loss(acc))
                .map(|(a, _)| b[a])
                .sum::<i64>()
        })
        .collect();
    let mut equity = vec![Row::amounts(
        RowType::Row,
        "Current Year Earnings",
        current.iter().map(|&v| money(v)),
        None,
    )];
    let mut total = current.clone();
    equity.extend(group(&["EQUITY"], -1, &mut total));
    equity.push(Row::amounts(
        RowType::SummaryRow,
        "Total Equity",
        total.iter().map(|&v| money(v)),
        None,
    ));
    rows.push(Row::section("Equity", equity));
    Ok(vec![Report::titled(
        "BalanceSheet",
        "Balance Sheet",
        &cx.t.organisation.name,
        format!("As at {}", long_date(date)),
        cx.today,
        rows,
    )])
}
