//! The ledger's identities through the API: payments settle invoices, every journal
//! balances, journal numbers run 1..N in date order, and the records are the same from
//! the same seed.

mod common;

use std::collections::HashMap;

use common::ledger::{all_pages, cents, journals};
use common::{date_ms, Mock};
use serde_json::Value;
use xero_mock::Config;

#[test]
fn payments_settle_the_invoices() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    for tenant in 0..2 {
        let invoices = all_pages(&m, &at, tenant, "Invoices?", "Invoices");
        let payments = all_pages(&m, &at, tenant, "Payments?", "Payments");
        assert!(payments.len() > 20, "payments: {}", payments.len());
        let mut paid: HashMap<String, (i64, usize)> = HashMap::new();
        for p in &payments {
            let e = paid
                .entry(p["Invoice"]["InvoiceID"].as_str().unwrap().to_string())
                .or_default();
            e.0 += cents(&p["Amount"]);
            e.1 += 1;
        }
        for inv in &invoices {
            let id = inv["InvoiceID"].as_str().unwrap();
            let (sum, n) = paid.get(id).copied().unwrap_or_default();
            assert_eq!(
                sum,
                cents(&inv["AmountPaid"]),
                "{id}: AmountPaid = its payments"
            );
            let listed = inv["Payments"].as_array().unwrap();
            assert_eq!(listed.len(), n, "{id}: the invoice lists its payments");
            for lp in listed {
                let p = payments
                    .iter()
                    .find(|p| p["PaymentID"] == lp["PaymentID"])
                    .expect("an invoice's payment is in Payments");
                assert_eq!(cents(&p["Amount"]), cents(&lp["Amount"]));
                assert!(
                    date_ms(&p["Date"]) >= date_ms(&inv["Date"]),
                    "{id}: paid after issue"
                );
            }
            if inv["Status"] != "VOIDED" && inv["Status"] != "DELETED" {
                assert_eq!(
                    cents(&inv["AmountDue"]),
                    cents(&inv["Total"]) - sum - cents(&inv["AmountCredited"]),
                    "{id}"
                );
            }
        }
    }
}

#[test]
fn every_journal_balances_and_numbers_run_in_date_order() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    let accounts = m.api(&at, 0, "Accounts").json()["Accounts"].clone();
    let by_id: HashMap<&str, &Value> = accounts
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["AccountID"].as_str().unwrap(), a))
        .collect();
    let js = journals(&m, &at, 0, "");
    assert!(js.len() > 150, "journals: {}", js.len());
    let mut last_date = i64::MIN;
    let mut sources = std::collections::HashSet::new();
    for (i, j) in js.iter().enumerate() {
        assert_eq!(j["JournalNumber"].as_i64(), Some(i as i64 + 1), "no gaps");
        let d = date_ms(&j["JournalDate"]);
        assert!(d >= last_date, "journal {} is out of date order", i + 1);
        last_date = d;
        sources.insert(j["SourceType"].as_str().unwrap().to_string());
        let lines = j["JournalLines"].as_array().unwrap();
        assert!(lines.len() >= 2);
        let sum: i64 = lines.iter().map(|l| cents(&l["NetAmount"])).sum();
        assert_eq!(sum, 0, "journal {} balances", i + 1);
        for l in lines {
            let a = by_id[l["AccountID"].as_str().unwrap()];
            assert_eq!(l["AccountCode"], a["Code"]);
            assert_eq!(l["AccountType"], a["Type"]);
            assert_eq!(
                cents(&l["GrossAmount"]),
                cents(&l["NetAmount"]) + cents(&l["TaxAmount"])
            );
            assert!(l["JournalLineID"].is_string());
        }
    }
    for s in [
        "ACCREC",
        "ACCPAY",
        "ACCRECPAYMENT",
        "ACCPAYPAYMENT",
        "CASHREC",
        "CASHPAID",
        "TRANSFER",
        "MANJOURNAL",
        "ACCRECCREDIT",
    ] {
        assert!(sources.contains(s), "no {s} journal: {sources:?}");
    }
    // Every posted invoice and payment has its journal.
    let invoices = all_pages(&m, &at, 0, "Invoices?Statuses=AUTHORISED,PAID&", "Invoices");
    let payments = all_pages(&m, &at, 0, "Payments?", "Payments");
    let sources: std::collections::HashSet<&str> =
        js.iter().map(|j| j["SourceID"].as_str().unwrap()).collect();
    for inv in &invoices {
        assert!(sources.contains(inv["InvoiceID"].as_str().unwrap()));
    }
    for p in &payments {
        assert!(sources.contains(p["PaymentID"].as_str().unwrap()));
    }
}

#[test]
fn journals_are_deterministic_from_the_seed() {
    let a = Mock::small();
    let b = Mock::small();
    let c = Mock::start(Config {
        seed: 9,
        invoices: 120,
        contacts: 40,
        ..Config::default()
    });
    let (ta, _) = a.tokens();
    let (tb, _) = b.tokens();
    let (tc, _) = c.tokens();
    let ja = journals(&a, &ta, 0, "");
    assert_eq!(ja, journals(&b, &tb, 0, ""));
    assert_ne!(ja, journals(&c, &tc, 0, ""));
    assert_ne!(ja, journals(&a, &ta, 1, ""));
}
