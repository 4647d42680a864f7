//! `Reports/BudgetSummary` and `Reports/ExecutiveSummary`.
//!
//! The mock has no budget lines of its own (the Budgets collection's balances are not
//! modelled), so the budget is last year's actuals for the same period: deterministic,
//! and checkable against the ledger. The executive summary is this month against last
//! month, from the same sums as the other reports.

use crate::reply::Reply;
use crate::report_bank_summary::flows;
use crate::report_model::{long_date, money, month_label, month_year, Report, Row, RowType};
use crate::report_params::{account_rows, add_months, month_end, month_start, Ctx, BEGINNING};

/// `Jan-20`, as BudgetSummary's columns are headed.
fn budget_label(day: i32) -> String {
    let m = month_label(day);
    format!("{}-{}", &m[..3], &m[m.len() - 2..])
}

pub fn budget(cx: &Ctx) -> Result<Vec<Report>, Reply> {
    let date = cx.date("date")?.unwrap_or(cx.today);
    let periods = match cx
        .req
        .param("periods")
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => 12,
        Some(_) => cx.periods(12)?,
    };
    let months = cx.timeframe()?;
    let start = month_start(date);
    let cols: Vec<(i32, i32)> = (0..periods as i32)
        .map(|k| {
            let from = add_months(start, k * months);
            (from, add_months(from, months) - 1)
        })
        .collect();
    // The budget of a period: the same period a year earlier.
    let sums: Vec<Vec<i64>> = cols
        .iter()
        .map(|&(f, t)| cx.sums(add_months(f, -12), add_months(t + 1, -12) - 1, false))
        .collect();
    let mut rows = vec![Row::header(
        std::iter::once("Account".to_string()).chain(cols.iter().map(|&(f, _)| budget_label(f))),
    )];
    let n = cols.len();
    let mut income = vec![0i64; n];
    let mut expenses = vec![0i64; n];
    for (class, title, sign) in [("REVENUE", "Income", -1), ("EXPENSE", "Expenses", 1)] {
        let total = if sign < 0 { &mut income } else { &mut expenses };
        let section = account_rows(&cx.t.accounts, &sums, |a| a.class == class, sign, total);
        rows.push(Row::section(title, section));
    }
    let summary = |label: &str, v: Vec<i64>| {
        Row::section(
            "",
            vec![Row::amounts(
                RowType::SummaryRow,
                label,
                v.into_iter().map(money),
                None,
            )],
        )
    };
    rows.push(summary("Gross Profit", income.clone()));
    rows.push(summary("Total Expenses", expenses.clone()));
    rows.push(summary(
        "Net Profit",
        (0..n).map(|k| income[k] - expenses[k]).collect(),
    ));
    let (first, last) = (cols[0].0, cols[n - 1].1);
    Ok(vec![Report {
        kind: "BudgetSummary",
        name: "Budget Summary",
        titles: vec![
            "Overall Budget".to_string(),
            "Budget Summary".to_string(),
            cx.t.organisation.name.clone(),
            format!("{} to {}", month_label(first), month_label(last)),
        ],
        date: long_date(cx.today),
        rows,
    }])
}

/// `12.5%`: the change from `before` to `now` (0.0% when there was nothing before).
fn variance(now: i64, before: i64) -> String {
    if before == 0 {
        return "0.0%".to_string();
    }
    let tenths = ((now - before) as i128 * 1000 / i128::from(before.abs())) as i64;
    format!(
        "{}{}.{}%",
        if tenths < 0 { "-" } else { "" },
        tenths.abs() / 10,
        tenths.abs() % 10
    )
}

/// The executive summary's figures for one month, in row order.
fn figures(cx: &Ctx, from: i32, to: i32) -> [i64; 13] {
    let accounts = &cx.t.accounts;
    let moved = cx.sums(from, to, false);
    let closing = cx.sums(BEGINNING, to, false);
    let flow = flows(&cx.ledger(), accounts.len(), from, to);
    let of = |keep: &dyn Fn(&crate::model::Account) -> bool, v: &[i64]| -> i64 {
        accounts
            .iter()
            .enumerate()
            .filter(|(_, a)| keep(a))
            .map(|(i, _)| v[i])
            .sum()
    };
    let bank = |a: &crate::model::Account| a.kind == "BANK";
    let received: i64 = accounts
        .iter()
        .enumerate()
        .filter(|(_, a)| bank(a))
        .map(|(i, _)| flow[i].0)
        .sum();
    let spent: i64 = accounts
        .iter()
        .enumerate()
        .filter(|(_, a)| bank(a))
        .map(|(i, _)| flow[i].1)
        .sum();
    let income = -of(&|a| a.class == "REVENUE" && a.kind != "OTHERINCOME", &moved);
    let direct = of(&|a| a.kind == "DIRECTCOSTS", &moved);
    let other = -of(&|a| a.kind == "OTHERINCOME", &moved);
    let expenses = of(&|a| a.class == "EXPENSE" && a.kind != "DIRECTCOSTS", &moved);
    let debtors = of(&|a| a.system_account == Some("DEBTORS"), &closing);
    let creditors = -of(&|a| a.system_account == Some("CREDITORS"), &closing);
    let net_assets =
        of(&|a| a.class == "ASSET", &closing) + of(&|a| a.class == "LIABILITY", &closing);
    [
        received,
        spent,
        received - spent,
        of(&bank, &closing),
        income,
        direct,
        income - direct,
        other,
        expenses,
        income - direct + other - expenses,
        debtors,
        creditors,
        net_assets,
    ]
}

pub fn executive(cx: &Ctx) -> Result<Vec<Report>, Reply> {
    let date = cx.date("date")?.unwrap_or(cx.today);
    let this = month_start(date);
    let last = add_months(this, -1);
    let now = figures(cx, this, month_end(this));
    let before = figures(cx, last, month_end(last));
    const SECTIONS: [(&str, &[&str]); 3] = [
        (
            "Cash",
            &[
                "Cash received",
                "Cash spent",
                "Cash surplus (deficit)",
                "Closing bank balance",
            ],
        ),
        (
            "Profitability",
            &[
                "Income",
                "Direct costs",
                "Gross profit (loss)",
                "Other Income",
                "Expenses",
                "Profit (loss)",
            ],
        ),
        ("Balance Sheet", &["Debtors", "Creditors", "Net assets"]),
    ];
    let mut rows = vec![Row::header([
        String::new(),
        month_label(this),
        month_label(last),
        "Variance".to_string(),
    ])];
    let mut i = 0;
    for (title, labels) in SECTIONS {
        let section = labels
            .iter()
            .map(|label| {
                let r = Row::amounts(
                    RowType::Row,
                    label,
                    [money(now[i]), money(before[i]), variance(now[i], before[i])],
                    None,
                );
                i += 1;
                r
            })
            .collect();
        rows.push(Row::section(title, section));
    }
    Ok(vec![Report::titled(
        "ExecutiveSummary",
        "Executive Summary",
        &cx.t.organisation.name,
        format!("For the month of {}", month_year(this)),
        cx.today,
        rows,
    )])
}
