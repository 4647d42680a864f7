//! `GET /api.xro/2.0/Reports[/{name or ReportID}]`: the reports Xero computes, here from
//! the tenant's ledger (`ledger.rs`) and invoices. Authentication, tenant, rate limits
//! and faults are checked before this, by `accounting.rs`, as for the collections.

use crate::accounting::respond;
use crate::dates::XeroDate;
use crate::emit;
use crate::render_json::JsonSink;
use crate::render_xml::XmlSink;
use crate::reply::{Reply, XML};
use crate::report_model::{self, Report};
use crate::report_params::{today, Ctx};
use crate::request::Req;
use crate::state::State;

type Build = fn(&Ctx) -> Result<Vec<Report>, Reply>;

/// Every named report: (endpoint name, stats label, builder).
const REPORTS: &[(&str, &str, Build)] = &[
    (
        "TrialBalance",
        "Reports/TrialBalance",
        crate::report_trial_balance::report,
    ),
    (
        "ProfitAndLoss",
        "Reports/ProfitAndLoss",
        crate::report_profit_loss::report,
    ),
    (
        "BalanceSheet",
        "Reports/BalanceSheet",
        crate::report_balance_sheet::report,
    ),
    (
        "AgedReceivablesByContact",
        "Reports/AgedReceivablesByContact",
        crate::report_aged::receivables,
    ),
    (
        "AgedPayablesByContact",
        "Reports/AgedPayablesByContact",
        crate::report_aged::payables,
    ),
    (
        "BankSummary",
        "Reports/BankSummary",
        crate::report_bank_summary::report,
    ),
    (
        "BudgetSummary",
        "Reports/BudgetSummary",
        crate::report_summaries::budget,
    ),
    (
        "ExecutiveSummary",
        "Reports/ExecutiveSummary",
        crate::report_summaries::executive,
    ),
    ("TenNinetyNine", "Reports/TenNinetyNine", ten_ninety_nine),
];

fn find(name: &str) -> Option<usize> {
    REPORTS.iter().position(|r| r.0.eq_ignore_ascii_case(name))
}

/// The stats and request-log label: `Reports`, `Reports/TrialBalance`, `Reports/{id}`.
pub fn label(name: Option<&str>) -> &'static str {
    match name {
        None => "Reports",
        Some(n) => find(n).map_or("Reports/{id}", |i| REPORTS[i].1),
    }
}

pub fn serve(state: &State, req: &Req, tenant: usize, name: Option<&str>) -> Reply {
    let json = req.wants_json();
    let t = state.tenant(tenant);
    let cx = Ctx {
        state,
        tenant,
        t: &t,
        req,
        json,
        today: today(state),
    };
    let reports = match name {
        // The organisation's published reports: the mock publishes none.
        None => Vec::new(),
        Some(n) => match find(n) {
            Some(i) => match (REPORTS[i].2)(&cx) {
                Ok(r) => r,
                Err(reply) => return reply,
            },
            // A ReportID of a published report: there are none.
            None => return Reply::not_found(),
        },
    };
    let updated = XeroDate::utc(state.clock.now_ms());
    let size = 1024 + reports.iter().map(|r| r.rows.len() * 2048).sum::<usize>();
    respond!(
        state,
        json,
        size,
        None::<&emit::Pagination>,
        "Reports",
        |s| {
            for r in &reports {
                report_model::write(s, r, updated);
            }
        }
    )
}

/// `TenNinetyNine`: the US 1099 forms; other organisations get Xero's empty answer.
fn ten_ninety_nine(cx: &Ctx) -> Result<Vec<Report>, Reply> {
    if let Some(raw) = cx
        .req
        .param("reportYear")
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        if raw.len() != 4 || raw.parse::<u16>().is_err() {
            return Err(Reply::validation_error(
                cx.json,
                &format!("'{raw}' is not a valid year for the reportYear parameter"),
            ));
        }
    }
    // The demo organisations are in New Zealand and Australia.
    debug_assert!(cx.t.organisation.region.country_code != "US");
    Ok(Vec::new())
}
