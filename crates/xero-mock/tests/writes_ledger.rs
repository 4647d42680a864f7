//! The ledger follows writes: approving posts the document's journal, a payment pays the
//! invoice (PAID when nothing is left) and posts bank against receivables, deleting the
//! payment and voiding the invoice append journals that reverse them; the trial balance,
//! computed from the journals, follows.

mod common;

use common::ledger::{cents, journals};
use common::reports::{amount, report, rows};
use common::writes::{messages, s, Writer};
use common::Mock;
use serde_json::{json, Value};

/// YTD debit minus YTD credit of an account in today's trial balance.
fn balance(w: &Writer, account_id: &str) -> i64 {
    let rep = report(w.m, &w.token, 0, "TrialBalance");
    rows(&rep)
        .iter()
        .find(|(_, r)| r["Cells"][0]["Attributes"][0]["Value"] == account_id)
        .map_or(0, |(_, r)| amount(r, 3) - amount(r, 4))
}

fn account_id(w: &Writer, code: &str) -> String {
    let accounts = w.get("Accounts");
    let a = accounts["Accounts"].as_array().unwrap().iter().find(|a| a["Code"] == code).unwrap().clone();
    s(&a["AccountID"]).to_string()
}

/// Journals whose source is `id`, as (SourceType, lines by account code → net cents).
fn journals_of(w: &Writer, id: &str) -> Vec<(String, Vec<(String, i64)>)> {
    journals(w.m, &w.token, 0, "")
        .iter()
        .filter(|j| j["SourceID"] == id)
        .map(|j| {
            let lines = j["JournalLines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| (s(&l["AccountCode"]).to_string(), cents(&l["NetAmount"])))
                .collect();
            (s(&j["SourceType"]).to_string(), lines)
        })
        .collect()
}

fn net(lines: &[(String, i64)], code: &str) -> i64 {
    lines.iter().filter(|(c, _)| c == code).map(|(_, n)| n).sum()
}

#[test]
fn approving_paying_unpaying_and_voiding_an_invoice_moves_the_ledger() {
    let m = Mock::small();
    let w = Writer::new(&m);
    let contact = w.contact_id();
    let (ar, bank, sales) = (account_id(&w, "610"), account_id(&w, "090"), account_id(&w, "200"));
    let ar0 = balance(&w, &ar);
    let bank0 = balance(&w, &bank);
    let inv = &w.ok("PUT", "Invoices", "Invoices", &json!({"Invoices": [{
        "Type": "ACCREC", "Contact": {"ContactID": contact}, "DueDate": "2030-01-31", "Status": "AUTHORISED",
        "LineItems": [{"Description": "Consulting", "Quantity": 3, "UnitAmount": 100, "AccountCode": "200"}]
    }]}))[0];
    let id = s(&inv["InvoiceID"]).to_string();
    assert_eq!((inv["Total"].as_f64(), inv["Status"].as_str()), (Some(345.0), Some("AUTHORISED")));
    let js = journals_of(&w, &id);
    assert_eq!(js.len(), 1);
    assert_eq!(js[0].0, "ACCREC");
    assert_eq!((net(&js[0].1, "200"), net(&js[0].1, "820"), net(&js[0].1, "610")), (-30_000, -4_500, 34_500));
    assert_eq!(balance(&w, &ar), ar0 + 34_500);
    let _ = sales;

    // A payment larger than what is due is refused; one of all of it pays the invoice.
    let pay = |amount: f64| json!({"Payments": [{"Invoice": {"InvoiceID": id}, "Account": {"Code": "090"}, "Amount": amount}]});
    let r = w.put("Payments?summarizeErrors=false", &pay(400.0));
    assert_eq!(messages(&r.json()["Payments"][0]), ["Payment amount exceeds the amount outstanding on this document"]);
    let p1 = w.ok("PUT", "Payments", "Payments", &pay(45.0))[0].clone();
    let read = w.one("Invoices", &id);
    assert_eq!((read["AmountDue"].as_f64(), read["AmountPaid"].as_f64(), read["Status"].as_str()), (Some(300.0), Some(45.0), Some("AUTHORISED")));
    let p2 = w.ok("PUT", "Payments", "Payments", &pay(300.0))[0].clone();
    assert_eq!(p2["PaymentType"], "ACCRECPAYMENT");
    let read = w.one("Invoices", &id);
    assert_eq!((read["AmountDue"].as_f64(), read["AmountPaid"].as_f64(), read["Status"].as_str()), (Some(0.0), Some(345.0), Some("PAID")));
    assert!(read["FullyPaidOnDate"].is_string());
    assert_eq!(read["Payments"].as_array().unwrap().len(), 2);
    assert_eq!(balance(&w, &ar), ar0);
    assert_eq!(balance(&w, &bank), bank0 + 34_500);
    let filter = common::generic::enc(&format!("Invoice.InvoiceID==Guid(\"{id}\")"));
    let listed = w.get(&format!("Payments?where={filter}"));
    assert_eq!(listed["Payments"].as_array().unwrap().len(), 2, "{listed}");
    // A PAID invoice cannot be edited, voided or deleted.
    for change in [json!({"Reference": "x"}), json!({"Status": "VOIDED"}), json!({"Status": "DELETED"})] {
        let msgs = w.refused("POST", &format!("Invoices/{id}"), "Invoices", change);
        assert_eq!(msgs, ["This document cannot be edited as it has a payment or credit note allocated to it."]);
    }

    // Deleting the payments: the invoice owes again, the bank journal is reversed.
    for p in [&p1, &p2] {
        let pid = s(&p["PaymentID"]);
        let gone = w.ok("POST", &format!("Payments/{pid}"), "Payments", &json!({"Payments": [{"Status": "DELETED"}]}))[0].clone();
        assert_eq!(gone["Status"], "DELETED");
        let js = journals_of(&w, pid);
        assert_eq!(js.len(), 2, "posted then reversed");
        assert_eq!(net(&js[0].1, "090") + net(&js[1].1, "090"), 0);
    }
    let read = w.one("Invoices", &id);
    assert_eq!((read["AmountDue"].as_f64(), read["Status"].as_str()), (Some(345.0), Some("AUTHORISED")));
    assert_eq!(balance(&w, &bank), bank0);
    assert_eq!(balance(&w, &ar), ar0 + 34_500);

    // Voiding it (no payments left): VOIDED, nothing due, its journal reversed.
    let voided = w.ok("POST", &format!("Invoices/{id}"), "Invoices", &json!({"Invoices": [{"InvoiceID": id, "Status": "VOIDED"}]}))[0].clone();
    assert_eq!((voided["Status"].as_str(), voided["AmountDue"].as_f64()), (Some("VOIDED"), Some(0.0)));
    let js = journals_of(&w, &id);
    assert_eq!(js.len(), 2);
    assert_eq!(net(&js[1].1, "610"), -34_500);
    assert_eq!(balance(&w, &ar), ar0);
    // Every journal still balances.
    for j in journals(&m, &w.token, 0, "") {
        let sum: i64 = j["JournalLines"].as_array().unwrap().iter().map(|l| cents(&l["NetAmount"])).sum();
        assert_eq!(sum, 0, "{j}");
    }
}

#[test]
fn editing_an_approved_invoice_reposts_it_and_drafts_post_nothing() {
    let m = Mock::small();
    let w = Writer::new(&m);
    let contact = w.contact_id();
    let ar = account_id(&w, "610");
    let ar0 = balance(&w, &ar);
    let draft = &w.ok("PUT", "Invoices", "Invoices", &json!({"Invoices": [{
        "Type": "ACCREC", "Contact": {"ContactID": contact},
        "LineItems": [{"Description": "A", "Quantity": 1, "UnitAmount": 100, "AccountCode": "200"}]
    }]}))[0];
    let id = s(&draft["InvoiceID"]).to_string();
    assert!(journals_of(&w, &id).is_empty());
    // An approved invoice needs a due date (a draft's defaults to its date).
    let msgs = w.refused("PUT", "Invoices", "Invoices", json!({"Type": "ACCREC", "Contact": {"ContactID": contact}, "Status": "AUTHORISED"}));
    assert_eq!(msgs, ["Due Date must be specified for an invoice that is not a draft."]);
    w.ok("POST", &format!("Invoices/{id}"), "Invoices", &json!({"Invoices": [{"Status": "AUTHORISED", "DueDate": "2030-01-01"}]}));
    assert_eq!(balance(&w, &ar), ar0 + 11_500);
    // New lines on the approved invoice: reversed and posted again at the new amount.
    let edited = &w.ok("POST", &format!("Invoices/{id}"), "Invoices", &json!({"Invoices": [{
        "LineItems": [{"Description": "B", "Quantity": 2, "UnitAmount": 100, "AccountCode": "200"}], "LineAmountTypes": "Inclusive"
    }]}))[0];
    assert_eq!((edited["Total"].as_f64(), edited["TotalTax"].as_f64(), edited["SubTotal"].as_f64()), (Some(200.0), Some(26.09), Some(173.91)));
    assert_eq!(journals_of(&w, &id).len(), 3);
    assert_eq!(balance(&w, &ar), ar0 + 20_000);
    // Deleting a draft needs no journal; an approved one cannot be deleted, only voided.
    let msgs = w.refused("POST", &format!("Invoices/{id}"), "Invoices", json!({"Status": "DELETED"}));
    assert_eq!(msgs, ["Invoice not of valid status for modification"]);
}

#[test]
fn documents_of_the_generic_collections_journal_too() {
    let m = Mock::small();
    let w = Writer::new(&m);
    let contact = w.contact_id();
    let bank = account_id(&w, "090");
    let bank0 = balance(&w, &bank);
    // A bank transaction (AUTHORISED by default) posts cash against its lines.
    let bt = &w.ok("PUT", "BankTransactions", "BankTransactions", &json!({"BankTransactions": [{
        "Type": "SPEND", "Contact": {"ContactID": contact}, "BankAccount": {"Code": "090"},
        "LineItems": [{"Description": "Paper", "Quantity": 1, "UnitAmount": 50, "AccountCode": "461"}]
    }]}))[0];
    let bt_id = s(&bt["BankTransactionID"]).to_string();
    assert_eq!((bt["Status"].as_str(), bt["Total"].as_f64()), (Some("AUTHORISED"), Some(57.5)));
    assert_eq!(balance(&w, &bank), bank0 - 5_750);
    let js = journals_of(&w, &bt_id);
    assert_eq!(js[0].0, "CASHPAID");
    // Deleted: reversed.
    w.ok("POST", &format!("BankTransactions/{bt_id}"), "BankTransactions", &json!({"BankTransactions": [{"Status": "DELETED"}]}));
    assert_eq!(balance(&w, &bank), bank0);
    // A manual journal posts when POSTED, must balance, and is voided when POSTED.
    let unbalanced = json!({"Narration": "x", "Status": "POSTED", "JournalLines": [
        {"LineAmount": 100, "AccountCode": "400"}, {"LineAmount": -90, "AccountCode": "090"}]});
    let msgs = w.refused("PUT", "ManualJournals", "ManualJournals", unbalanced);
    assert_eq!(msgs, ["The total debits (100.00) must equal total credits (90.00)"]);
    let mj = &w.ok("PUT", "ManualJournals", "ManualJournals", &json!({"ManualJournals": [{"Narration": "Owner drawings", "Status": "POSTED", "JournalLines": [
        {"LineAmount": 100, "AccountCode": "400"}, {"LineAmount": -100, "AccountCode": "090"}]}]}))[0];
    let mj_id = s(&mj["ManualJournalID"]).to_string();
    assert_eq!(balance(&w, &bank), bank0 - 10_000);
    let msgs = w.refused("POST", &format!("ManualJournals/{mj_id}"), "ManualJournals", json!({"Status": "DELETED"}));
    assert_eq!(msgs, ["Manual Journal not of valid status for modification"]);
    w.ok("POST", &format!("ManualJournals/{mj_id}"), "ManualJournals", &json!({"ManualJournals": [{"Status": "VOIDED"}]}));
    assert_eq!(balance(&w, &bank), bank0);
    // A bank transfer moves money between two bank accounts; deleting it moves it back.
    let savings = account_id(&w, "091");
    let s0 = balance(&w, &savings);
    let tr = &w.ok("PUT", "BankTransfers", "BankTransfers", &json!({"BankTransfers": [{
        "FromBankAccount": {"Code": "090"}, "ToBankAccount": {"Code": "091"}, "Amount": 250}]}))[0];
    assert_eq!((balance(&w, &bank), balance(&w, &savings)), (bank0 - 25_000, s0 + 25_000));
    let tid = s(&tr["BankTransferID"]).to_string();
    w.ok("POST", &format!("BankTransfers/{tid}"), "BankTransfers", &json!({"BankTransfers": [{"BankTransferID": tid, "Status": "DELETED"}]}));
    assert_eq!((balance(&w, &bank), balance(&w, &savings)), (bank0, s0));
    let listed = w.get("BankTransfers?includeDeleted=true");
    assert!(listed["BankTransfers"].as_array().unwrap().iter().any(|b| b["BankTransferID"] == tid.as_str() && b["Status"] == "DELETED"));
    // A credit note posts when approved and is voided (reversed) while nothing is allocated.
    let ar = account_id(&w, "610");
    let ar0 = balance(&w, &ar);
    let cn = &w.ok("PUT", "CreditNotes", "CreditNotes", &json!({"CreditNotes": [{
        "Type": "ACCRECCREDIT", "Contact": {"ContactID": contact}, "Status": "AUTHORISED",
        "LineItems": [{"Description": "Refund", "Quantity": 1, "UnitAmount": 20, "AccountCode": "200"}]}]}))[0];
    assert_eq!((cn["Total"].as_f64(), cn["RemainingCredit"].as_f64()), (Some(23.0), Some(23.0)));
    assert!(s(&cn["CreditNoteNumber"]).starts_with("CN-"));
    assert_eq!(balance(&w, &ar), ar0 - 2_300);
    let cn_id = s(&cn["CreditNoteID"]).to_string();
    w.ok("POST", &format!("CreditNotes/{cn_id}"), "CreditNotes", &json!({"CreditNotes": [{"Status": "VOIDED"}]}));
    assert_eq!(balance(&w, &ar), ar0);
    let _: Value = Value::Null;
}
