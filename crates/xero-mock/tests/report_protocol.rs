//! The report routes as an API: parameter errors are Xero's 400 naming the parameter,
//! the same checks as the collections, JSON and XML agree, and the same seed gives the
//! same reports.

mod common;

use common::reports::report;
use common::xml::{self, Element};
use common::Mock;
use serde_json::Value;

#[test]
fn bad_parameters_are_xeros_400_naming_them() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    let cases = [
        ("TrialBalance?date=2025-02-30", "date"),
        ("TrialBalance?date=yesterday", "date"),
        ("ProfitAndLoss?periods=12", "periods"),
        ("ProfitAndLoss?periods=0", "periods"),
        ("ProfitAndLoss?timeframe=WEEK", "timeframe"),
        ("BalanceSheet?periods=x", "periods"),
        ("ProfitAndLoss?fromDate=2025-13-01", "fromDate"),
        ("BankSummary?toDate=31/01/2025", "toDate"),
        ("AgedReceivablesByContact", "contactId"),
        ("AgedPayablesByContact?contactId=nope", "contactId"),
        ("TenNinetyNine?reportYear=twenty", "reportYear"),
    ];
    for (path, param) in cases {
        let r = m.api(&at, 0, &format!("Reports/{path}"));
        assert_eq!(r.status, 400, "{path}");
        let v = r.json();
        assert_eq!(v["Type"], "ValidationException", "{path}");
        let msg = v["Elements"][0]["ValidationErrors"][0]["Message"]
            .as_str()
            .unwrap();
        assert!(msg.contains(param), "{path}: {msg}");
    }
    // Same checks as the collections: no token, wrong tenant, injected faults.
    let r = m.get(
        "/api.xro/2.0/Reports/TrialBalance",
        &[("xero-tenant-id", &m.tenant(0))],
    );
    assert_eq!(r.status, 401);
    m.admin("POST", "faults", serde_json::json!({"label": "Reports/TrialBalance", "count": 1, "status": 503, "body": "busy"}));
    assert_eq!(m.api(&at, 0, "Reports/trialbalance").status, 503);
    assert_eq!(m.api(&at, 0, "Reports/TrialBalance").status, 200);
}

/// The XML says what the JSON says: same rows, cells, values and attributes.
fn agree(j: &Value, x: &Element) {
    assert_eq!(
        x.child("ReportID").unwrap().text,
        j["ReportID"].as_str().unwrap()
    );
    let titles: Vec<&str> = x
        .child("ReportTitles")
        .unwrap()
        .children
        .iter()
        .map(|t| t.text.as_str())
        .collect();
    let jt: Vec<&str> = j["ReportTitles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(titles, jt);
    fn rows(j: &Value, x: &Element) {
        let jr = j.as_array().unwrap();
        assert_eq!(jr.len(), x.children.len());
        for (r, e) in jr.iter().zip(&x.children) {
            assert_eq!(e.name, "Row");
            assert_eq!(
                e.child("RowType").unwrap().text,
                r["RowType"].as_str().unwrap()
            );
            if let Some(inner) = r.get("Rows") {
                rows(inner, e.child("Rows").unwrap());
                continue;
            }
            let cells = &e.child("Cells").unwrap().children;
            for (c, ce) in r["Cells"].as_array().unwrap().iter().zip(cells) {
                assert_eq!(
                    ce.child("Value").unwrap().text,
                    c["Value"].as_str().unwrap()
                );
                if let Some(attrs) = c.get("Attributes") {
                    let a = &ce.child("Attributes").unwrap().children[0];
                    assert_eq!(
                        a.child("Value").unwrap().text,
                        attrs[0]["Value"].as_str().unwrap()
                    );
                    assert_eq!(
                        a.child("Id").unwrap().text,
                        attrs[0]["Id"].as_str().unwrap()
                    );
                }
            }
        }
    }
    rows(&j["Rows"], x.child("Rows").unwrap());
}

#[test]
fn json_and_xml_agree_and_reports_are_deterministic() {
    let m = Mock::small();
    let other = Mock::small();
    let (at, _) = m.tokens();
    let (at2, _) = other.tokens();
    let contact = m.api(&at, 0, "Invoices?Statuses=AUTHORISED").json()["Invoices"][0]["Contact"]
        ["ContactID"]
        .clone();
    for path in [
        "TrialBalance?date=2026-03-31".to_string(),
        "ProfitAndLoss?fromDate=2025-04-01&toDate=2026-03-31".to_string(),
        "BalanceSheet?date=2026-03-31&periods=1&timeframe=YEAR".to_string(),
        format!(
            "AgedReceivablesByContact?contactId={}&date=2026-12-31",
            contact.as_str().unwrap()
        ),
        "BankSummary?fromDate=2025-01-01&toDate=2025-12-31".to_string(),
        "BudgetSummary?date=2026-01-01".to_string(),
        "ExecutiveSummary?date=2026-03-31".to_string(),
    ] {
        let j = report(&m, &at, 0, &path);
        let mut a = j.clone();
        let mut b = report(&other, &at2, 0, &path);
        a["UpdatedDateUTC"] = Value::Null;
        b["UpdatedDateUTC"] = Value::Null;
        assert_eq!(a, b, "{path}: same seed, same report");
        let bearer = format!("Bearer {at}");
        let r = m.get(
            &format!("/api.xro/2.0/Reports/{path}"),
            &[("authorization", &bearer), ("xero-tenant-id", &m.tenant(0))],
        );
        assert!(r.header("content-type").unwrap().starts_with("text/xml"));
        let doc = xml::parse(&r.body);
        let rep = &doc.child("Reports").unwrap().children[0];
        assert_eq!(rep.name, "Report");
        agree(&j, rep);
    }
}
