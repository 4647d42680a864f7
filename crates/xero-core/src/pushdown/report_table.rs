//! Report tables: `report_trial_balance`, … (a report function's name without `xero_`), with the
//! tidy columns of [`crate::reports::tidy::COLUMNS`] and one column per report parameter
//! (`report_date` for `date`; a name a tidy column has gets a `report_` prefix). A `=` condition
//! on a parameter column sets the parameter (a constant, or a runtime value: a parameter, an
//! outer row's column in a parameterized join); without one, Xero's default applies. Every row
//! carries the value used, so PostgreSQL's recheck of the condition holds.

use serde::{Deserialize, Serialize};

use crate::entities::{ArgType, ColumnType};
use crate::list::ArgValue;
use crate::pushdown::{quote_ident, quote_literal, Cond, Op, Operand, Value};
use crate::reports::{tidy, Report, ReportParam, REPORTS};
use crate::{Result, XeroError};

#[derive(Debug, Clone)]
pub struct ReportColumn {
    pub name: String,
    pub ty: ColumnType,
    pub description: String,
    /// The report parameter (an index in `report.params`) a parameter column sets.
    pub param: Option<usize>,
}

/// The table name of a report (its function's name without `xero_`).
pub fn report_table_name(report: &Report) -> &'static str {
    report.function.strip_prefix("xero_").unwrap_or(report.function)
}

/// The report a foreign table reads, by its `report` option (its table name).
pub fn report_by_table(name: &str) -> Option<&'static Report> {
    REPORTS.iter().find(|r| report_table_name(r) == name)
}

fn column_type(ty: ArgType) -> ColumnType {
    match ty {
        ArgType::Date => ColumnType::Date,
        ArgType::Integer => ColumnType::Integer,
        ArgType::Boolean => ColumnType::Boolean,
        ArgType::Uuid => ColumnType::Uuid,
        ArgType::Timestamptz => ColumnType::Timestamptz,
        ArgType::Text | ArgType::TextArray | ArgType::UuidArray => ColumnType::Text,
    }
}

/// The column of a report parameter: `report_date` for `date`, `report_<arg>` when a tidy column
/// has the argument's name.
pub fn param_column_name(p: &ReportParam) -> String {
    if p.arg == "date" || tidy::COLUMNS.iter().any(|(n, _, _)| *n == p.arg) {
        format!("report_{}", p.arg)
    } else {
        p.arg.to_string()
    }
}

/// Every column of the report's foreign table, in order: the tidy columns, then the parameters.
pub fn report_table_columns(report: &'static Report) -> Vec<ReportColumn> {
    let mut out: Vec<ReportColumn> =
        tidy::COLUMNS.iter().map(|(n, ty, d)| ReportColumn { name: n.to_string(), ty: *ty, description: d.to_string(), param: None }).collect();
    for (i, p) in report.params.iter().enumerate() {
        let how = if p.required { "required: a condition `{c} = …` must give it" } else { "a condition `{c} = …` sends it; without one Xero's default applies and rows show NULL" };
        let name = param_column_name(p);
        let description = format!("Report parameter, not data: {} ({}; rows show the value used)", p.description, how.replace("{c}", &name));
        out.push(ReportColumn { name, ty: column_type(p.ty), description, param: Some(i) });
    }
    out
}

/// `CREATE FOREIGN TABLE` for the report, then its comments (IMPORT FOREIGN SCHEMA).
pub fn report_table_sql(report: &'static Report, server: &str, schema: &str) -> String {
    let name = report_table_name(report);
    let table = format!("{}.{}", quote_ident(schema), quote_ident(name));
    let cols = report_table_columns(report);
    let defs: Vec<String> = cols.iter().map(|c| format!("    {} {}", quote_ident(&c.name), c.ty.sql())).collect();
    let mut sql = format!("CREATE FOREIGN TABLE {table} (\n{}\n) SERVER {} OPTIONS (report {});\n", defs.join(",\n"), quote_ident(server), quote_literal(name));
    let summary = format!("{} GET {} of Xero, one row per value cell (as {}).", report.summary, report.path, report.function);
    sql.push_str(&format!("COMMENT ON FOREIGN TABLE {table} IS {};\n", quote_literal(&summary)));
    for c in &cols {
        sql.push_str(&format!("COMMENT ON COLUMN {table}.{} IS {};\n", quote_ident(&c.name), quote_literal(&c.description)));
    }
    sql
}

/// The planned scan of a report table: which parameter each pushed condition sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportScan {
    pub report: String,
    /// (parameter index, its value), at most one per parameter.
    pub args: Vec<(usize, Operand)>,
    /// One per condition: whether it sets a parameter.
    pub pushed: Vec<bool>,
}

/// The call of a report scan.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    /// None when a parameter is NULL: `= NULL` matches no row, no call is made.
    pub url: Option<url::Url>,
    /// `GET Reports/TrialBalance?date=2026-06-30`, as EXPLAIN shows it.
    pub description: String,
    /// Per parameter, the value used (what its column shows), None for Xero's default.
    pub values: Vec<Option<Value>>,
}

/// Which conditions set a parameter: the first `column = value` on each parameter column.
pub fn plan_report(report: &'static Report, conds: &[Cond]) -> ReportScan {
    let cols = report_table_columns(report);
    let mut args: Vec<(usize, Operand)> = Vec::new();
    let pushed = conds
        .iter()
        .map(|c| match c {
            Cond::Cmp { column, op: Op::Eq, value } => match cols.get(*column).and_then(|c| c.param) {
                Some(p) if !args.iter().any(|(q, _)| *q == p) => {
                    args.push((p, value.clone()));
                    true
                }
                _ => false,
            },
            _ => false,
        })
        .collect();
    ReportScan { report: report.function.to_string(), args, pushed }
}

fn arg_value(v: &Value) -> Option<ArgValue> {
    Some(match v {
        Value::Date(d) if *d != i32::MIN && *d != i32::MAX => ArgValue::Date(*d),
        Value::Int(n) => ArgValue::Int(*n),
        Value::Bool(b) => ArgValue::Bool(*b),
        Value::Text(s) | Value::Uuid(s) => ArgValue::Text(s.clone()),
        _ => return None,
    })
}

impl ReportScan {
    pub fn report(&self) -> Option<&'static Report> {
        crate::reports::report_by_function(&self.report)
    }

    /// Whether the condition `i` sets a parameter.
    pub fn is_pushed(&self, i: usize) -> bool {
        self.pushed.get(i).copied().unwrap_or(false)
    }

    /// The call, with the runtime values; without them (EXPLAIN before execution) they show as `$n`.
    pub fn request(&self, api_url: &str, params: Option<&[Value]>) -> Result<ReportRequest> {
        let report = self.report().ok_or_else(|| XeroError::internal(format!("no report {}", self.report)))?;
        let table = report_table_name(report);
        let mut values: Vec<Option<Value>> = vec![None; report.params.len()];
        let mut later: Vec<(usize, String)> = Vec::new();
        for (p, operand) in &self.args {
            match (operand, params) {
                (Operand::Const(v), _) => values[*p] = Some(v.clone()),
                (Operand::Param(n), Some(ps)) => values[*p] = ps.get(*n).cloned(),
                (Operand::Param(n), None) => later.push((*p, format!("${}", n + 1))),
            }
        }
        for (i, p) in report.params.iter().enumerate() {
            if p.required && values[i].is_none() && !later.iter().any(|(q, _)| *q == i) {
                let column = param_column_name(p);
                return Err(XeroError::invalid_argument(format!("a scan of {table} needs a condition {column} = …"))
                    .with_detail(format!("{} ({}) is a required parameter of GET {}.", column, p.description, report.path))
                    .with_hint(format!("Add WHERE {column} = … (a constant, a parameter, or a column of a table joined LATERAL or by =).")));
            }
        }
        if values.iter().any(|v| *v == Some(Value::Null)) {
            return Ok(ReportRequest { url: None, description: "none (a report parameter is NULL: no row matches)".into(), values });
        }
        let mut args: Vec<(&ReportParam, ArgValue)> = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let Some(v) = v else { continue };
            let p = &report.params[i];
            let a = arg_value(v).ok_or_else(|| XeroError::invalid_argument(format!("{table}: {} cannot be {v:?}", param_column_name(p))))?;
            args.push((p, a));
        }
        let deferred: Vec<&str> = later.iter().map(|(p, _)| report.params[*p].arg).collect();
        let (url, _) = crate::reports::plan_with(report, api_url, &args, &deferred).map_err(|e| rename_args(e, report))?;
        let mut description = format!("GET {}", url.path().rsplit_once("/Reports").map(|(_, rest)| format!("Reports{rest}")).unwrap_or_default());
        let mut query: Vec<String> = url.query_pairs().map(|(k, v)| format!("{k}={v}")).collect();
        for (p, text) in later {
            query.push(format!("{}={text}", report.params[p].wire));
        }
        if !query.is_empty() {
            description.push('?');
            description.push_str(&query.join("&"));
        }
        Ok(ReportRequest { url: params.map(|_| url), description, values })
    }
}

/// The function's argument names in a `plan` error, as the table's column names.
fn rename_args(mut e: XeroError, report: &Report) -> XeroError {
    for p in report.params {
        let column = param_column_name(p);
        if column != p.arg {
            e.message = e.message.replace(&format!(": {} ", p.arg), &format!(": {column} "));
        }
    }
    e.message = e.message.replace(report.function, report_table_name(report));
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn col(r: &'static Report, name: &str) -> usize {
        report_table_columns(r).iter().position(|c| c.name == name).unwrap_or_else(|| panic!("no column {name}"))
    }

    #[test]
    fn report_tables_have_tidy_then_parameter_columns() {
        let tb = report_by_table("report_trial_balance").unwrap();
        let names: Vec<String> = report_table_columns(tb).into_iter().map(|c| c.name).collect();
        assert_eq!(names[..9], tidy::COLUMNS.iter().map(|c| c.0.to_string()).collect::<Vec<_>>()[..]);
        assert_eq!(names[9..], ["report_date".to_string(), "payments_only".to_string()]);
        let sql = report_table_sql(tb, "acme", "s");
        assert!(sql.starts_with("CREATE FOREIGN TABLE \"s\".\"report_trial_balance\" (\n    \"section\" text,"), "{sql}");
        assert!(sql.contains("OPTIONS (report 'report_trial_balance');\nCOMMENT ON FOREIGN TABLE"), "{sql}");
        assert_eq!(sql.matches("COMMENT ON COLUMN").count(), 11);
    }

    #[test]
    fn equalities_on_parameter_columns_set_parameters() {
        let tb = report_by_table("report_trial_balance").unwrap();
        let conds = vec![
            Cond::Cmp { column: col(tb, "report_date"), op: Op::Eq, value: Operand::Const(Value::Date(9_677)) },
            Cond::Cmp { column: col(tb, "report_date"), op: Op::Eq, value: Operand::Const(Value::Date(1)) },
            Cond::Cmp { column: col(tb, "value"), op: Op::Eq, value: Operand::Const(Value::Numeric("1".into())) },
            Cond::Cmp { column: col(tb, "payments_only"), op: Op::Eq, value: Operand::Param(0) },
        ];
        let scan = plan_report(tb, &conds);
        assert_eq!(scan.pushed, [true, false, false, true]);
        let explain = scan.request("https://x/api.xro/2.0", None).unwrap();
        assert_eq!(explain.description, "GET Reports/TrialBalance?date=2026-06-30&paymentsOnly=$1");
        let aged = report_by_table("report_aged_receivables_by_contact").unwrap();
        let join = plan_report(aged, &[Cond::Cmp { column: col(aged, "contact_id"), op: Op::Eq, value: Operand::Param(0) }]);
        assert_eq!(join.request("https://x", None).unwrap().description, "GET Reports/AgedReceivablesByContact?contactId=$1");
        let run = scan.request("https://x/api.xro/2.0", Some(&[Value::Bool(true)])).unwrap();
        assert_eq!(run.url.unwrap().as_str(), "https://x/api.xro/2.0/Reports/TrialBalance?date=2026-06-30&paymentsOnly=true");
        assert_eq!(run.values, [Some(Value::Date(9_677)), Some(Value::Bool(true))]);
        let null = scan.request("https://x", Some(&[Value::Null])).unwrap();
        assert!(null.url.is_none());
    }

    #[test]
    fn a_required_parameter_without_a_condition_names_its_column() {
        let aged = report_by_table("report_aged_receivables_by_contact").unwrap();
        let err = plan_report(aged, &[]).request("https://x", Some(&[])).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidArgument);
        assert!(err.message.contains("needs a condition contact_id = …"), "{}", err.message);
        assert!(err.hint.unwrap().contains("WHERE contact_id ="));
        let pl = report_by_table("report_profit_and_loss").unwrap();
        let bad = plan_report(pl, &[Cond::Cmp { column: col(pl, "periods"), op: Op::Eq, value: Operand::Const(Value::Int(40)) }]);
        let err = bad.request("https://x", Some(&[])).unwrap_err();
        assert!(err.message.starts_with("report_profit_and_loss: periods must be between"), "{}", err.message);
    }
}
