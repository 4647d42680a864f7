//! Each validation rule, with Xero's words, and every problem of an element at once.

mod common;

use common::writes::{messages, s, Writer};
use common::Mock;
use serde_json::{json, Value};

fn line(extra: Value) -> Value {
    let mut l = json!({"Description": "Widget", "Quantity": 1, "UnitAmount": 10, "AccountCode": "200"});
    for (k, v) in extra.as_object().unwrap() {
        l[k] = v.clone();
    }
    l
}

fn inv(contact: &str, extra: Value) -> Value {
    let mut i = json!({"Type": "ACCREC", "Contact": {"ContactID": contact}, "DueDate": "2030-01-01", "LineItems": [line(json!({}))]});
    for (k, v) in extra.as_object().unwrap() {
        i[k] = v.clone();
    }
    i
}

#[test]
fn invoice_rules() {
    let m = Mock::small();
    let w = Writer::new(&m);
    let c = w.contact_id();
    let refused = |e: Value| w.refused("PUT", "Invoices", "Invoices", e);
    assert_eq!(refused(json!({"Contact": {"ContactID": c}})), ["Invoice Type must be specified"]);
    assert_eq!(refused(json!({"Type": "ACCREC"})), ["A Contact must be specified for this type of transaction"]);
    assert_eq!(refused(inv(&c, json!({"Contact": {"ContactID": "8f9d0f7c-1111-4222-8333-444455556666"}}))), ["Contact with ContactID '8f9d0f7c-1111-4222-8333-444455556666' could not be found."]);
    assert_eq!(refused(inv(&c, json!({"LineItems": [line(json!({"AccountCode": "XYZ"}))]}))), ["Account code 'XYZ' is not a valid code for this document."]);
    // Archived (494) and bank (090) accounts are not valid on an invoice line.
    for code in ["494", "090", "610"] {
        assert_eq!(refused(inv(&c, json!({"LineItems": [line(json!({"AccountCode": code}))]}))), [format!("Account code '{code}' is not a valid code for this document.")]);
    }
    assert_eq!(refused(inv(&c, json!({"LineItems": [line(json!({"TaxType": "BOGUS"}))]}))), ["The TaxType code 'BOGUS' does not exist or cannot be used for this type of transaction."]);
    assert_eq!(refused(inv(&c, json!({"Date": "2024-02-30"}))), ["Date '2024-02-30' is not a valid date."]);
    assert_eq!(refused(inv(&c, json!({"DueDate": "soon"}))), ["DueDate 'soon' is not a valid date."]);
    assert_eq!(
        refused(inv(&c, json!({"LineItems": [line(json!({"Quantity": -1}))]}))),
        ["Quantity must not be negative.", "The total of an invoice cannot be negative."]
    );
    assert_eq!(refused(inv(&c, json!({"LineItems": [line(json!({"Quantity": "two"}))]}))), ["Quantity 'two' is not a valid number."]);
    assert_eq!(refused(inv(&c, json!({"LineItems": [line(json!({"LineAmount": 11}))]}))), ["The line total 11.00 does not match the expected line total 10.00."]);
    assert_eq!(refused(inv(&c, json!({"Total": 12}))), ["The document total does not equal the sum of the lines."]);
    assert_eq!(refused(inv(&c, json!({"Status": "PAID"}))), ["Invoice not of valid status for creation"]);
    assert_eq!(refused(inv(&c, json!({"LineItems": [line(json!({"ItemCode": "NOPE"}))]}))), ["Item code 'NOPE' is not valid."]);
    // Every problem of the element, not just the first.
    let all = refused(json!({"Type": "ACCREC", "Contact": {"ContactID": c}, "DueDate": "x", "LineItems": [line(json!({"AccountCode": "XYZ", "TaxType": "BOGUS"}))]}));
    assert_eq!(all.len(), 3, "{all:?}");
    // A discount and the given amounts that agree with it are accepted.
    let ok = &w.ok("PUT", "Invoices", "Invoices", &json!({"Invoices": [inv(&c, json!({"LineItems": [line(json!({"DiscountRate": 10, "LineAmount": 9, "TaxAmount": 1.35}))], "Total": 10.35}))]}))[0];
    assert_eq!((ok["Total"].as_f64(), ok["LineItems"][0]["DiscountRate"].as_f64()), (Some(10.35), Some(10.0)));
    // Duplicate sales invoice numbers are refused (bills may repeat a supplier's number).
    let number = s(&ok["InvoiceNumber"]).to_string();
    assert_eq!(refused(inv(&c, json!({"InvoiceNumber": number}))), ["Invoice # must be unique."]);
    w.ok("PUT", "Invoices", "Invoices", &json!({"Invoices": [inv(&c, json!({"Type": "ACCPAY", "InvoiceNumber": "SUP-1"})), inv(&c, json!({"Type": "ACCPAY", "InvoiceNumber": "SUP-1"}))]}));
    // A contact named but unknown is created with the invoice, as Xero does.
    let made = &w.ok("PUT", "Invoices", "Invoices", &json!({"Invoices": [inv(&c, json!({"Contact": {"Name": "Brand New Customer Ltd"}}))]}))[0];
    let cid = s(&made["Contact"]["ContactID"]).to_string();
    assert_eq!(w.one("Contacts", &cid)["Name"], "Brand New Customer Ltd");
    // Deleting and voiding follow the status rules.
    let draft = s(&ok["InvoiceID"]).to_string();
    assert_eq!(w.refused("POST", &format!("Invoices/{draft}"), "Invoices", json!({"Status": "VOIDED"})), ["Invoice not of valid status for modification"]);
    let gone = &w.ok("POST", &format!("Invoices/{draft}"), "Invoices", &json!({"Invoices": [{"Status": "DELETED"}]}))[0];
    assert_eq!((gone["Status"].as_str(), gone["AmountDue"].as_f64()), (Some("DELETED"), Some(0.0)));
    assert_eq!(w.refused("POST", &format!("Invoices/{draft}"), "Invoices", json!({"Reference": "again"})), ["Invoice not of valid status for modification"]);
}

#[test]
fn contact_account_item_and_payment_rules() {
    let m = Mock::small();
    let w = Writer::new(&m);
    let taken = s(&w.get("Contacts")["Contacts"][0]["Name"]).to_string();
    assert_eq!(
        w.refused("PUT", "Contacts", "Contacts", json!({"Name": taken})),
        [format!("The contact name {taken} is already assigned to another contact. The contact name must be unique across all active contacts.")]
    );
    assert_eq!(w.refused("PUT", "Contacts", "Contacts", json!({"FirstName": "No"})), ["Contact name must be specified."]);
    assert_eq!(w.refused("PUT", "Contacts", "Contacts", json!({"Name": "Valid Name", "EmailAddress": "not-an-email"})), ["Email address must be valid."]);
    // Accounts: required, unique, valid type.
    assert_eq!(w.refused("PUT", "Accounts", "Accounts", json!({"Code": "200", "Name": "Again", "Type": "REVENUE"})), ["Please enter a unique Code."]);
    assert_eq!(w.refused("PUT", "Accounts", "Accounts", json!({"Code": "201", "Name": "Sales", "Type": "REVENUE"})), ["Please enter a unique Name."]);
    assert_eq!(w.refused("PUT", "Accounts", "Accounts", json!({"Code": "202", "Name": "X", "Type": "NOPE"})), ["'NOPE' is not a valid value for Type."]);
    assert_eq!(w.refused("PUT", "Accounts", "Accounts", json!({"Name": "Nameless"})), ["Please enter a Code.", "Please select an Account Type."]);
    assert_eq!(w.refused("PUT", "Accounts", "Accounts", json!({"Code": "12345678901", "Name": "Long", "Type": "EXPENSE"})), ["Account Code is too long. Maximum of 10 characters allowed"]);
    // Items: a code, unique.
    assert_eq!(w.refused("PUT", "Items", "Items", json!({"Name": "No code"})), ["Code must be specified."]);
    w.ok("PUT", "Items", "Items", &json!({"Items": [{"Code": "W-1", "Name": "Widget"}]}));
    assert_eq!(w.refused("PUT", "Items", "Items", json!({"Code": "w-1"})), ["Item Code 'w-1' already exists."]);
    // Payments: against an approved invoice, within what it owes, from a bank account.
    let draft = w.get("Invoices?Statuses=DRAFT")["Invoices"][0]["InvoiceID"].clone();
    let pay = |inv: &Value, account: &str, amount: f64| json!({"Invoice": {"InvoiceID": inv}, "Account": {"Code": account}, "Amount": amount, "Date": "2026-01-01"});
    assert_eq!(w.refused("PUT", "Payments", "Payments", pay(&draft, "090", 1.0)), ["Payments can only be made against Authorised documents"]);
    assert_eq!(w.refused("PUT", "Payments", "Payments", pay(&draft, "999", 1.0)), ["Account could not be found", "Payments can only be made against Authorised documents"]);
    let open = w.get("Invoices?Statuses=AUTHORISED")["Invoices"][0].clone();
    let due = open["AmountDue"].as_f64().unwrap();
    assert_eq!(w.refused("PUT", "Payments", "Payments", pay(&open["InvoiceID"], "200", 1.0)), ["Account '200' is not a bank account and does not allow payments."]);
    assert_eq!(w.refused("PUT", "Payments", "Payments", pay(&open["InvoiceID"], "090", due + 0.01)), ["Payment amount exceeds the amount outstanding on this document"]);
    assert_eq!(w.refused("PUT", "Payments", "Payments", pay(&open["InvoiceID"], "090", 0.0)), ["Payment amount must be greater than zero."]);
    // Bank transfers need two bank accounts and an amount.
    assert_eq!(
        w.refused("PUT", "BankTransfers", "BankTransfers", json!({"FromBankAccount": {"Code": "090"}, "ToBankAccount": {"Code": "090"}, "Amount": 5})),
        ["The From and To bank accounts must be different."]
    );
    assert_eq!(w.refused("PUT", "BankTransfers", "BankTransfers", json!({"FromBankAccount": {"Code": "090"}})), ["ToBankAccount must be specified.", "Amount must be specified."]);
    let _ = messages;
}
