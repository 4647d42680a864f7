//! Credit notes, overpayments and prepayments allocated to invoices, through the API:
//! both sides name each other, a document's allocations and remaining credit add up to
//! its total, an invoice's `AmountCredited` is what was allocated to it, and the
//! receivables still balance.

mod common;

use std::collections::HashMap;

use common::ledger::{all_pages, cents};
use common::{date_ms, Mock};
use serde_json::Value;

/// (collection, id field, the type prefix that credits sales rather than bills)
const DOCS: &[(&str, &str, &str)] = &[
    ("CreditNotes", "CreditNoteID", "ACCREC"),
    ("Overpayments", "OverpaymentID", "RECEIVE"),
    ("Prepayments", "PrepaymentID", "RECEIVE"),
];

#[test]
fn allocations_settle_invoices_from_both_sides() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    for tenant in 0..2 {
        let invoices = all_pages(&m, &at, tenant, "Invoices?", "Invoices");
        let by_id: HashMap<&str, &Value> = invoices
            .iter()
            .map(|i| (i["InvoiceID"].as_str().unwrap(), i))
            .collect();
        // Per invoice: (collection, document id) → amount allocated.
        let mut allocated: HashMap<String, HashMap<(&str, String), i64>> = HashMap::new();
        let mut to_open_invoices = 0;
        for &(key, id_field, sales) in DOCS {
            let docs = all_pages(&m, &at, tenant, &format!("{key}?"), key);
            let mut used = 0;
            for d in &docs {
                let allocs = d["Allocations"].as_array().unwrap();
                let sum: i64 = allocs.iter().map(|a| cents(&a["Amount"])).sum();
                let id = d[id_field].as_str().unwrap().to_string();
                assert_eq!(
                    cents(&d["RemainingCredit"]),
                    cents(&d["Total"]) - sum,
                    "{key} {id}: RemainingCredit = Total − allocated"
                );
                for a in allocs {
                    used += 1;
                    let inv_id = a["Invoice"]["InvoiceID"].as_str().unwrap();
                    let inv = by_id.get(inv_id).expect("allocated to a real invoice");
                    assert_eq!(a["Invoice"]["InvoiceNumber"], inv["InvoiceNumber"]);
                    assert_eq!(
                        d["Contact"]["ContactID"], inv["Contact"]["ContactID"],
                        "{id}"
                    );
                    assert_eq!(d["CurrencyCode"], inv["CurrencyCode"], "{id}");
                    let sale = d["Type"].as_str().unwrap().starts_with(sales);
                    assert_eq!(sale, inv["Type"] == "ACCREC", "{key} {id} credits {inv_id}");
                    assert!(
                        date_ms(&a["Date"]) >= date_ms(&d["Date"]),
                        "{id}: issued first"
                    );
                    assert!(date_ms(&a["Date"]) >= date_ms(&inv["Date"]), "{id}");
                    assert!(a["AllocationID"].is_string());
                    *allocated
                        .entry(inv_id.to_string())
                        .or_default()
                        .entry((key, id.clone()))
                        .or_default() += cents(&a["Amount"]);
                    if inv["Status"] == "AUTHORISED" && cents(&inv["AmountPaid"]) == 0 {
                        to_open_invoices += 1;
                    }
                }
            }
            assert!(used > 0, "tenant {tenant}: no {key} allocated");
            assert!(
                used < docs.len(),
                "tenant {tenant}: every one of {key} allocated"
            );
        }
        assert!(
            to_open_invoices > 0,
            "some allocations are to unpaid invoices"
        );
        for inv in &invoices {
            let id = inv["InvoiceID"].as_str().unwrap();
            let mine = allocated.remove(id).unwrap_or_default();
            assert_eq!(
                cents(&inv["AmountCredited"]),
                mine.values().sum::<i64>(),
                "{id}: AmountCredited = its allocations"
            );
            for &(key, id_field, _) in DOCS {
                let listed: HashMap<(&str, String), i64> = inv[key]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| {
                        (
                            (key, d[id_field].as_str().unwrap().to_string()),
                            cents(&d["AppliedAmount"]),
                        )
                    })
                    .collect();
                let want: HashMap<_, _> = mine
                    .iter()
                    .filter(|(k, _)| k.0 == key)
                    .map(|(k, v)| (k.clone(), *v))
                    .collect();
                assert_eq!(
                    listed, want,
                    "{id}: its {key} list names what was allocated"
                );
            }
            if inv["Status"] != "VOIDED" && inv["Status"] != "DELETED" {
                assert_eq!(
                    cents(&inv["AmountDue"]),
                    cents(&inv["Total"])
                        - cents(&inv["AmountPaid"])
                        - cents(&inv["AmountCredited"]),
                    "{id}"
                );
            }
        }
        assert!(
            allocated.is_empty(),
            "allocations name only invoices the tenant has"
        );
    }
}

#[test]
fn credit_note_numbers_on_invoices_are_the_credit_notes() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    let notes = all_pages(&m, &at, 0, "CreditNotes?", "CreditNotes");
    let numbers: HashMap<&str, &Value> = notes
        .iter()
        .map(|n| (n["CreditNoteID"].as_str().unwrap(), &n["CreditNoteNumber"]))
        .collect();
    let invoices = all_pages(&m, &at, 0, "Invoices?", "Invoices");
    let mut seen = 0;
    for inv in &invoices {
        for cn in inv["CreditNotes"].as_array().unwrap() {
            seen += 1;
            let id = cn["CreditNoteID"].as_str().unwrap();
            assert_eq!(numbers.get(id), Some(&&cn["CreditNoteNumber"]), "{id}");
        }
    }
    assert!(seen > 0);
}
