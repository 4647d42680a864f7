//! A Xero report in a shape analysts can filter and pivot: one row per value cell, with the
//! section it sits in, its row's position, type and label (the row's first cell), the account
//! the row is about (when it is one), the column's position and header, the value as a number
//! when it is one, and the cell's text as Xero sent it.

use serde_json::Value;

use crate::decode::parse_uuid;
use crate::entities::ColumnType;
use crate::error::{ErrorKind, Result, XeroError};
use crate::reports::{Report, ReportShape};

/// The columns of every report function: (name, type, description).
pub const COLUMNS: &[(&str, ColumnType, &str)] = &[
    ("section", ColumnType::Text, "The section's title (e.g. Revenue, Assets); NULL for rows outside a section"),
    ("row_number", ColumnType::Integer, "Position of the row in the report, from 1 (headers not counted)"),
    ("row_type", ColumnType::Text, "Row or SummaryRow (a section's total)"),
    ("label", ColumnType::Text, "The row's first cell: the account, contact or total it is about"),
    ("account_id", ColumnType::Uuid, "The account the row is about, when it is an account"),
    ("column_number", ColumnType::Integer, "Position of the cell in its row, from 1 (the label is 0)"),
    ("column_header", ColumnType::Text, "The column's title: the period, date or measure"),
    ("value", ColumnType::Numeric, "The cell as a number; NULL when it is not one"),
    ("text", ColumnType::Text, "The cell as Xero sent it"),
];

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TidyRow {
    pub section: Option<String>,
    pub row_number: i32,
    pub row_type: String,
    pub label: Option<String>,
    pub account_id: Option<[u8; 16]>,
    pub column_number: i32,
    pub column_header: Option<String>,
    /// Decimal text, ready for numeric_in.
    pub value: Option<String>,
    pub text: Option<String>,
}

fn protocol(report: &Report, why: String) -> XeroError {
    XeroError::new(ErrorKind::ProtocolViolation, format!("Xero's {} answer is not a report: {why}", report.path))
}

/// The tidy rows of a report's JSON answer.
pub fn tidy(report: &Report, body: &[u8]) -> Result<Vec<TidyRow>> {
    let doc: Value = serde_json::from_slice(body).map_err(|e| protocol(report, format!("invalid JSON ({e})")))?;
    let Some(reports) = doc.get("Reports").and_then(Value::as_array) else {
        let keys = doc.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>().join(", ")).unwrap_or_default();
        return Err(protocol(report, format!("no \"Reports\" array (keys present: {keys})")));
    };
    let mut out = Vec::new();
    let mut row_number = 0;
    for r in reports {
        match report.shape {
            ReportShape::Rows => {
                let mut headers = Vec::new();
                walk(r.get("Rows"), None, &mut headers, &mut row_number, &mut out);
            }
            ReportShape::Contacts => contacts(r, &mut row_number, &mut out),
        }
    }
    Ok(out)
}

fn cell_text(cell: &Value) -> Option<String> {
    match cell.get("Value")? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// `-1234.50`, `1234`, `.5`: what Xero sends for amounts (no thousands separators in JSON).
fn numeric(text: &str) -> Option<String> {
    let t = text.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let ok = !(int.is_empty() && frac.is_empty()) && int.bytes().all(|b| b.is_ascii_digit()) && frac.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| t.to_string())
}

fn account_of(cells: &[Value]) -> Option<[u8; 16]> {
    cells.iter().flat_map(|c| c.get("Attributes").and_then(Value::as_array).into_iter().flatten()).find_map(|a| {
        let id = a.get("Id").and_then(Value::as_str)?;
        if !id.eq_ignore_ascii_case("account") && !id.eq_ignore_ascii_case("accountid") {
            return None;
        }
        parse_uuid(a.get("Value").and_then(Value::as_str)?)
    })
}

fn walk(rows: Option<&Value>, section: Option<&str>, headers: &mut Vec<Option<String>>, row_number: &mut i32, out: &mut Vec<TidyRow>) {
    for row in rows.and_then(Value::as_array).into_iter().flatten() {
        let kind = row.get("RowType").and_then(Value::as_str).unwrap_or("Row");
        let cells: &[Value] = row.get("Cells").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
        match kind {
            "Header" => *headers = cells.iter().map(cell_text).collect(),
            "Section" => {
                let title = row.get("Title").and_then(Value::as_str).filter(|t| !t.is_empty());
                walk(row.get("Rows"), title.or(section), headers, row_number, out);
            }
            _ => {
                *row_number += 1;
                let label = cells.first().and_then(cell_text);
                let account_id = account_of(cells);
                for (i, cell) in cells.iter().enumerate().skip(1) {
                    let text = cell_text(cell);
                    out.push(TidyRow {
                        section: section.map(str::to_string),
                        row_number: *row_number,
                        row_type: kind.to_string(),
                        label: label.clone(),
                        account_id,
                        column_number: i as i32,
                        column_header: headers.get(i).cloned().flatten(),
                        value: text.as_deref().and_then(numeric),
                        text,
                    });
                }
            }
        }
    }
}

/// The 1099 report: one row per contact, one tidy row per box.
fn contacts(r: &Value, row_number: &mut i32, out: &mut Vec<TidyRow>) {
    for contact in r.get("Contacts").and_then(Value::as_array).into_iter().flatten() {
        *row_number += 1;
        let label = contact.get("Name").and_then(Value::as_str).map(str::to_string);
        let Some(fields) = contact.as_object() else { continue };
        for (key, v) in fields {
            let Some(n) = key.strip_prefix("Box").and_then(|n| n.parse::<i32>().ok()) else { continue };
            let text = match v {
                Value::Null => None,
                Value::String(s) => Some(s.clone()),
                other => Some(other.to_string()),
            };
            out.push(TidyRow {
                section: None,
                row_number: *row_number,
                row_type: "Row".into(),
                label: label.clone(),
                account_id: None,
                column_number: n,
                column_header: Some(key.clone()),
                value: text.as_deref().and_then(numeric),
                text,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::report_by_function;

    const TRIAL_BALANCE: &str = r#"{"Reports":[{"ReportID":"TrialBalance","ReportName":"Trial Balance","ReportType":"TrialBalance",
      "ReportTitles":["Trial Balance","Demo Company (NZ)","As at 30 June 2026"],"ReportDate":"30 June 2026","Rows":[
      {"RowType":"Header","Cells":[{"Value":"Account"},{"Value":"Debit"},{"Value":"Credit"},{"Value":"YTD Debit"},{"Value":"YTD Credit"}]},
      {"RowType":"Section","Title":"Revenue","Rows":[
        {"RowType":"Row","Cells":[{"Value":"Sales (200)","Attributes":[{"Value":"7d0c1a2b-0000-4000-8000-000000000200","Id":"account"}]},
          {"Value":"","Attributes":[{"Value":"7d0c1a2b-0000-4000-8000-000000000200","Id":"account"}]},{"Value":"1250.50"},{"Value":""},{"Value":"-3.25"}]},
        {"RowType":"SummaryRow","Cells":[{"Value":"Total Revenue"},{"Value":"0.00"},{"Value":"1250.50"},{"Value":"0.00"},{"Value":"3.25"}]}]},
      {"RowType":"Section","Title":"","Rows":[{"RowType":"SummaryRow","Cells":[{"Value":"Total"},{"Value":"1250.50"},{"Value":"1250.50"},{"Value":"x"},{"Value":"3.25"}]}]}]}]}"#;

    #[test]
    fn one_row_per_value_cell_with_its_section_row_and_column() {
        let tb = report_by_function("xero_report_trial_balance").unwrap();
        let rows = tidy(tb, TRIAL_BALANCE.as_bytes()).unwrap();
        assert_eq!(rows.len(), 12, "three rows of four value cells");
        let sales_credit = &rows[1];
        assert_eq!(sales_credit.section.as_deref(), Some("Revenue"));
        assert_eq!((sales_credit.row_number, sales_credit.row_type.as_str(), sales_credit.label.as_deref()), (1, "Row", Some("Sales (200)")));
        assert_eq!(sales_credit.account_id, parse_uuid("7d0c1a2b-0000-4000-8000-000000000200"));
        assert_eq!((sales_credit.column_number, sales_credit.column_header.as_deref()), (2, Some("Credit")));
        assert_eq!((sales_credit.value.as_deref(), sales_credit.text.as_deref()), (Some("1250.50"), Some("1250.50")));
        assert_eq!((rows[0].value.as_deref(), rows[0].text.as_deref()), (None, Some("")), "an empty cell is not a number");
        assert_eq!(rows[3].value.as_deref(), Some("-3.25"));
        assert_eq!((rows[4].row_type.as_str(), rows[4].label.as_deref(), rows[4].account_id), ("SummaryRow", Some("Total Revenue"), None));
        // A section without a title keeps rows outside any section; text that is no number stays text.
        assert_eq!((rows[8].section.as_deref(), rows[8].row_number), (None, 3));
        assert_eq!((rows[10].value.as_deref(), rows[10].text.as_deref()), (None, Some("x")));
    }

    #[test]
    fn the_1099_report_is_one_row_per_contact_and_box() {
        let r = report_by_function("xero_report_ten_ninety_nine").unwrap();
        let body = br#"{"Reports":[{"ReportName":"1099 report","Contacts":[{"Name":"Bank West","Box1":0,"Box7":1150.5,"City":"Oaks"},{"Name":"Hoyt","Box3":25}]}]}"#;
        let rows = tidy(r, body).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(
            (rows[1].label.as_deref(), rows[1].column_number, rows[1].column_header.as_deref(), rows[1].value.as_deref()),
            (Some("Bank West"), 7, Some("Box7"), Some("1150.5"))
        );
        assert_eq!((rows[2].row_number, rows[2].value.as_deref()), (2, Some("25")));
    }

    #[test]
    fn an_answer_without_reports_is_a_protocol_error() {
        let tb = report_by_function("xero_report_trial_balance").unwrap();
        for body in [&b"{\"Message\":\"x\"}"[..], b"<html>", b"{\"Reports\":{}}"] {
            assert_eq!(tidy(tb, body).unwrap_err().kind, ErrorKind::ProtocolViolation);
        }
        assert!(tidy(tb, br#"{"Reports":[]}"#).unwrap().is_empty());
    }
}
