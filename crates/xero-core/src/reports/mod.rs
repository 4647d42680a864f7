//! Xero's reports (`GET Reports/…`) as `xero_report_<name>(org, …)`: which reports there are and
//! the parameters each takes (`registry.rs`, generated from the specification by
//! tools/gen_entities.py), the request built from the arguments (`plan`), and Xero's nested
//! Rows/Cells turned into one tidy row per value cell (`tidy`).

mod registry;
pub mod tidy;

pub use registry::REPORTS;

use crate::entities::ArgType;
use crate::error::{Result, XeroError};
use crate::list::ArgValue;

/// The JSON shape of a report's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportShape {
    /// `{"Reports":[{"Rows":[…]}]}`: header, sections, rows, summary rows of cells.
    Rows,
    /// `{"Reports":[{"Contacts":[…]}]}`: the US 1099 report, one record per contact.
    Contacts,
}

#[derive(Debug)]
pub struct ReportParam {
    /// The SQL argument.
    pub arg: &'static str,
    pub ty: ArgType,
    /// The query parameter, or the path segment for `{ReportID}`.
    pub wire: &'static str,
    pub in_path: bool,
    pub required: bool,
    pub description: &'static str,
}

#[derive(Debug)]
pub struct Report {
    pub function: &'static str,
    /// Path under the API URL, e.g. `Reports/TrialBalance` or `Reports/{ReportID}`.
    pub path: &'static str,
    pub shape: ReportShape,
    pub summary: &'static str,
    pub params: &'static [ReportParam],
}

pub fn report_by_function(name: &str) -> Option<&'static Report> {
    REPORTS.iter().find(|r| r.function == name)
}

/// The request of a report: the URL (path parameters filled in, query parameters appended) and
/// the label calls are known by. `args` are the non-NULL arguments, in any order.
pub fn plan(report: &Report, api_url: &str, args: &[(&ReportParam, ArgValue)]) -> Result<(url::Url, String)> {
    plan_with(report, api_url, args, &[])
}

/// [`plan`], the parameters in `deferred` (given later, e.g. EXPLAIN of a join) left out even when required.
pub fn plan_with(report: &Report, api_url: &str, args: &[(&ReportParam, ArgValue)], deferred: &[&str]) -> Result<(url::Url, String)> {
    let mut path = report.path.to_string();
    let mut query = Vec::new();
    for p in report.params {
        let value = args.iter().find(|(a, _)| a.arg == p.arg).map(|(_, v)| v);
        let Some(value) = value else {
            if p.required && !deferred.contains(&p.arg) {
                return Err(XeroError::invalid_argument(format!("{}: {} is required", report.function, p.arg))
                    .with_hint(format!("Pass {} => …: {}.", p.arg, p.description)));
            }
            continue;
        };
        let text = param_text(report, p, value)?;
        if p.in_path {
            path = path.replace(&format!("{{{}}}", p.wire), &url::form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>());
        } else {
            query.push((p.wire, text));
        }
    }
    let endpoint = format!("{}/{}", api_url.trim_end_matches('/'), path);
    let mut url =
        url::Url::parse(&endpoint).map_err(|e| XeroError::invalid_option(format!("api_url does not make a valid URL ({endpoint:?}): {e}")))?;
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    Ok((url, format!("GET {}", report.path)))
}

/// A parameter's text on the wire, after the checks Xero would otherwise answer with a 400
/// that does not name the argument.
fn param_text(report: &Report, p: &ReportParam, value: &ArgValue) -> Result<String> {
    let bad = |why: String, hint: &str| XeroError::invalid_argument(format!("{}: {} {why}", report.function, p.arg)).with_hint(hint.to_string());
    Ok(match value {
        ArgValue::Date(days) => crate::list::format_date(*days),
        ArgValue::Bool(b) => b.to_string(),
        ArgValue::Int(n) if p.wire == "periods" => {
            // Xero compares up to 11 earlier periods in its statements, 12 in budgets.
            let most = if report.path.ends_with("BudgetSummary") { 12 } else { 11 };
            if !(1..=most).contains(n) {
                return Err(bad(format!("must be between 1 and {most}, not {n}"), "The number of periods Xero compares; NULL uses its default."));
            }
            n.to_string()
        }
        ArgValue::Int(n) => n.to_string(),
        ArgValue::Text(t) if p.wire == "timeframe" && p.ty == ArgType::Text => {
            let upper = t.trim().to_ascii_uppercase();
            if !["MONTH", "QUARTER", "YEAR"].contains(&upper.as_str()) {
                return Err(bad(format!("must be MONTH, QUARTER or YEAR, not {t:?}"), "The length of each period compared."));
            }
            upper
        }
        ArgValue::Text(t) if t.trim().is_empty() => {
            return Err(bad("must not be empty".into(), "Pass NULL (or leave it out) to use Xero's default."))
        }
        ArgValue::Text(t) => t.clone(),
        other => return Err(XeroError::internal(format!("{}: argument {} has an unexpected value {other:?}", report.function, p.arg))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn arg(r: &'static Report, name: &str, v: ArgValue) -> (&'static ReportParam, ArgValue) {
        (r.params.iter().find(|p| p.arg == name).unwrap_or_else(|| panic!("{} has no {name}", r.function)), v)
    }

    #[test]
    fn every_report_of_the_specification_has_a_function() {
        let names: Vec<&str> = REPORTS.iter().map(|r| r.function).collect();
        for want in [
            "xero_report_trial_balance",
            "xero_report_profit_and_loss",
            "xero_report_balance_sheet",
            "xero_report_aged_receivables_by_contact",
            "xero_report_aged_payables_by_contact",
            "xero_report_bank_summary",
            "xero_report_budget_summary",
            "xero_report_executive_summary",
            "xero_report_ten_ninety_nine",
            "xero_reports",
            "xero_report_by_id",
        ] {
            assert!(names.contains(&want), "{want} missing from {names:?}");
        }
    }

    #[test]
    fn arguments_become_xero_parameters() {
        let tb = report_by_function("xero_report_trial_balance").unwrap();
        let (url, label) =
            plan(tb, "https://x/api.xro/2.0", &[arg(tb, "date", ArgValue::Date(9_677)), arg(tb, "payments_only", ArgValue::Bool(true))]).unwrap();
        assert_eq!(url.as_str(), "https://x/api.xro/2.0/Reports/TrialBalance?date=2026-06-30&paymentsOnly=true");
        assert_eq!(label, "GET Reports/TrialBalance");
        let pl = report_by_function("xero_report_profit_and_loss").unwrap();
        let (url, _) = plan(pl, "https://x", &[arg(pl, "timeframe", ArgValue::Text("month".into())), arg(pl, "periods", ArgValue::Int(3))]).unwrap();
        assert_eq!(url.as_str(), "https://x/Reports/ProfitAndLoss?periods=3&timeframe=MONTH");
        let by_id = report_by_function("xero_report_by_id").unwrap();
        let (url, _) = plan(by_id, "https://x", &[arg(by_id, "report_id", ArgValue::Text("a b/c".into()))]).unwrap();
        assert_eq!(url.as_str(), "https://x/Reports/a+b%2Fc");
    }

    #[test]
    fn bad_parameters_name_the_argument() {
        let pl = report_by_function("xero_report_profit_and_loss").unwrap();
        let aged = report_by_function("xero_report_aged_receivables_by_contact").unwrap();
        let cases = [
            (plan(pl, "https://x", &[arg(pl, "periods", ArgValue::Int(12))]), "periods must be between 1 and 11"),
            (plan(pl, "https://x", &[arg(pl, "timeframe", ArgValue::Text("WEEK".into()))]), "timeframe must be MONTH, QUARTER or YEAR"),
            (plan(aged, "https://x", &[]), "contact_id is required"),
        ];
        for (result, want) in cases {
            let err = result.unwrap_err();
            assert_eq!(err.kind, ErrorKind::InvalidArgument);
            assert!(err.message.contains(want), "{}", err.message);
        }
    }
}
