//! Reading a report's rows and amounts.

use serde_json::Value;

use super::ledger::cents;
use super::Mock;

/// The single report of `GET Reports/{path}` for tenant `tenant`.
pub fn report(m: &Mock, at: &str, tenant: usize, path: &str) -> Value {
    let r = m.api(at, tenant, &format!("Reports/{path}"));
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    let v = r.json();
    assert_eq!(v["Reports"].as_array().unwrap().len(), 1, "{path}");
    v["Reports"][0].clone()
}

/// Every row of a report with its section title, sections flattened.
pub fn rows(rep: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for r in rep["Rows"].as_array().unwrap() {
        if r["RowType"] == "Section" {
            let title = r["Title"].as_str().unwrap().to_string();
            for inner in r["Rows"].as_array().unwrap() {
                out.push((title.clone(), inner.clone()));
            }
        } else {
            out.push((String::new(), r.clone()));
        }
    }
    out
}

pub fn cell(row: &Value, i: usize) -> &str {
    row["Cells"][i]["Value"].as_str().unwrap()
}

/// A cell's amount in cents ("" is zero).
pub fn amount(row: &Value, i: usize) -> i64 {
    let s = cell(row, i);
    if s.is_empty() {
        return 0;
    }
    cents(&serde_json::from_str(s).expect("a decimal"))
}

pub fn row_labelled<'a>(rs: &'a [(String, Value)], label: &str) -> &'a Value {
    &rs.iter()
        .find(|(_, r)| cell(r, 0) == label)
        .unwrap_or_else(|| panic!("no {label} row"))
        .1
}
