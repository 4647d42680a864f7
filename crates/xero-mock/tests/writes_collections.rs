//! Every writable collection end to end: created (and read back), changed, and deleted
//! the way Xero deletes it (a status, or a real DELETE), plus the child routes.

mod common;

use common::writes::{s, Writer};
use common::{rfc1123, Mock};
use serde_json::{json, Value};

fn sale_line(amount: f64) -> Value {
    json!({"Description": "Thing", "Quantity": 1, "UnitAmount": amount, "AccountCode": "200"})
}

fn id<'a>(v: &'a Value, field: &str) -> &'a str {
    s(&v[field])
}

#[test]
fn contacts_accounts_and_items() {
    let m = Mock::small();
    let w = Writer::new(&m);
    m.admin("POST", "clock", json!({"advance_seconds": 5}));
    let since = rfc1123(m.admin("GET", "clock", Value::Null)["now_ms"].as_i64().unwrap() - 1000);
    // Contacts: create, change, archive (listed only with includeArchived), restore.
    let c = w.ok("PUT", "Contacts", "Contacts", &json!({"Contacts": [{"Name": "Kiwi Widgets", "EmailAddress": "a@kiwi.co.nz",
        "Addresses": [{"AddressType": "STREET", "City": "Nelson"}], "Phones": [{"PhoneType": "MOBILE", "PhoneNumber": "555 1234"}]}]}))[0].clone();
    let cid = id(&c, "ContactID").to_string();
    let read = w.one("Contacts", &cid);
    assert_eq!((read["Name"].as_str(), read["ContactStatus"].as_str()), (Some("Kiwi Widgets"), Some("ACTIVE")));
    assert!(read["Addresses"].as_array().unwrap().iter().any(|a| a["City"] == "Nelson"));
    let modified = w.send("GET", "Contacts", None, &[("if-modified-since", &since)]).json();
    assert!(modified["Contacts"].as_array().unwrap().iter().any(|x| x["ContactID"] == cid.as_str()));
    w.ok("POST", &format!("Contacts/{cid}"), "Contacts", &json!({"Contacts": [{"EmailAddress": "b@kiwi.co.nz"}]}));
    assert_eq!(w.one("Contacts", &cid)["EmailAddress"], "b@kiwi.co.nz");
    w.ok("POST", "Contacts", "Contacts", &json!({"Contacts": [{"ContactID": cid, "ContactStatus": "ARCHIVED"}]}));
    let listed = |q: &str| w.get(&format!("Contacts{q}"))["Contacts"].as_array().unwrap().iter().any(|x| x["ContactID"] == cid.as_str());
    assert!(!listed(""));
    assert!(listed("?includeArchived=true"));
    // An archived contact's name is free again.
    w.ok("PUT", "Contacts", "Contacts", &json!({"Contacts": [{"Name": "Kiwi Widgets"}]}));

    // Accounts: create, archive, delete an unused one (gone from reads); a used one cannot go.
    let a = w.ok("PUT", "Accounts", "Accounts", &json!({"Code": "299", "Name": "Other Sales", "Type": "REVENUE"}))[0].clone();
    let aid = id(&a, "AccountID").to_string();
    assert_eq!((a["Class"].as_str(), a["TaxType"].as_str(), a["Status"].as_str()), (Some("REVENUE"), Some("OUTPUT2"), Some("ACTIVE")));
    w.ok("POST", &format!("Accounts/{aid}"), "Accounts", &json!({"Accounts": [{"Status": "ARCHIVED"}]}));
    assert_eq!(w.one("Accounts", &aid)["Status"], "ARCHIVED");
    let gone = w.ok("DELETE", &format!("Accounts/{aid}"), "Accounts", &Value::Null)[0].clone();
    assert_eq!(gone["Status"], "DELETED");
    assert_eq!(m.api(&w.token, 0, &format!("Accounts/{aid}")).status, 404);
    assert!(!w.get("Accounts")["Accounts"].as_array().unwrap().iter().any(|x| x["AccountID"] == aid.as_str()));
    let sales = w.get("Accounts")["Accounts"].as_array().unwrap().iter().find(|x| x["Code"] == "200").unwrap()["AccountID"].clone();
    let r = w.delete(&format!("Accounts/{}", s(&sales)));
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("has been used in transactions"), "{}", r.body);

    // Items: create, use on an invoice line (its details fill the line), change, delete (204).
    let item = w.ok("PUT", "Items", "Items", &json!({"Items": [{"Code": "T-1", "Name": "Tee", "Description": "Cotton tee",
        "SalesDetails": {"UnitPrice": 12.3456, "AccountCode": "200", "TaxType": "OUTPUT2"}}]}))[0].clone();
    let iid = id(&item, "ItemID").to_string();
    assert_eq!((item["IsSold"].as_bool(), item["IsPurchased"].as_bool()), (Some(true), Some(false)));
    assert_eq!(w.get(&format!("Items/{iid}?unitdp=4"))["Items"][0]["SalesDetails"]["UnitPrice"], 12.3456);
    let inv = w.ok("PUT", "Invoices?unitdp=4", "Invoices", &json!({"Invoices": [{"Type": "ACCREC", "Contact": {"ContactID": cid},
        "LineItems": [{"ItemCode": "T-1", "Quantity": 2}]}]}))[0].clone();
    let l = &inv["LineItems"][0];
    assert_eq!((l["Description"].as_str(), l["UnitAmount"].as_f64(), l["LineAmount"].as_f64(), l["AccountCode"].as_str()), (Some("Cotton tee"), Some(12.3456), Some(24.69), Some("200")));
    w.ok("POST", &format!("Items/{iid}"), "Items", &json!({"Items": [{"Name": "Tee shirt"}]}));
    assert_eq!(w.one("Items", &iid)["Name"], "Tee shirt");
    assert_eq!(w.delete(&format!("Items/{iid}")).status, 204);
    assert_eq!(m.api(&w.token, 0, &format!("Items/{iid}")).status, 404);
}

#[test]
fn documents_numbered_and_deleted_by_status() {
    let m = Mock::small();
    let w = Writer::new(&m);
    let cid = w.contact_id();
    let contact = json!({"ContactID": cid});
    let user = w.get("Users")["Users"][0]["UserID"].clone();
    // (collection, id field, element, status that deletes it, first status, number field and prefix)
    type Case<'a> = (&'a str, &'a str, Value, &'a str, &'a str, Option<(&'a str, &'a str)>);
    let cases: Vec<Case> = vec![
        ("PurchaseOrders", "PurchaseOrderID", json!({"Contact": contact, "LineItems": [sale_line(10.0)]}), "DELETED", "DRAFT", Some(("PurchaseOrderNumber", "PO-"))),
        ("Quotes", "QuoteID", json!({"Contact": contact, "Date": "2026-01-10", "LineItems": [sale_line(10.0)]}), "DELETED", "DRAFT", Some(("QuoteNumber", "QU-"))),
        ("Receipts", "ReceiptID", json!({"Contact": contact, "User": {"UserID": user}, "Date": "2026-01-10", "LineItems": [sale_line(10.0)]}), "VOIDED", "DRAFT", Some(("ReceiptNumber", "RE-"))),
        ("RepeatingInvoices", "RepeatingInvoiceID", json!({"Type": "ACCREC", "Contact": contact, "LineItems": [sale_line(10.0)],
            "Schedule": {"Period": 1, "Unit": "MONTHLY", "DueDate": 20, "DueDateType": "OFFOLLOWINGMONTH", "StartDate": "2026-02-01"}}), "DELETED", "DRAFT", None),
        ("ContactGroups", "ContactGroupID", json!({"Name": "VIPs"}), "DELETED", "ACTIVE", None),
        ("CreditNotes", "CreditNoteID", json!({"Type": "ACCPAYCREDIT", "Contact": contact, "LineItems": [sale_line(10.0)]}), "DELETED", "DRAFT", Some(("CreditNoteNumber", "CN-"))),
    ];
    for (key, idf, body, deleted, initial, number) in cases {
        let e = w.ok("PUT", key, key, &json!({ key: [body] }))[0].clone();
        let rid = id(&e, idf).to_string();
        assert_eq!(e["Status"], initial, "{key}: {e}");
        if let Some((field, prefix)) = number {
            assert!(s(&e[field]).starts_with(prefix), "{key}: {e}");
        }
        if e.get("Total").is_some() && key != "ContactGroups" {
            assert_eq!(e["Total"], 11.5, "{key}: {e}");
        }
        let read = w.one(key, &rid);
        assert_eq!(read[idf], rid.as_str(), "{key}");
        let changed = w.ok("POST", &format!("{key}/{rid}"), key, &json!({ key: [{"Reference": "changed", "Name": "VIP customers"}] }))[0].clone();
        assert!(changed["UpdatedDateUTC"].is_string() || key == "ContactGroups" || key == "RepeatingInvoices", "{key}: {changed}");
        let gone = w.ok("POST", &format!("{key}/{rid}"), key, &json!({ key: [{ idf: rid, "Status": deleted }] }))[0].clone();
        assert_eq!(gone["Status"], deleted, "{key}");
        assert_eq!(w.one(key, &rid)["Status"], deleted, "{key}");
        // Final: no more changes.
        let again = w.refused("POST", &format!("{key}/{rid}"), key, json!({"Status": initial}));
        assert!(again[0].contains("not of valid status for modification"), "{key}: {again:?}");
    }
    // Expense claims gather receipts; voided.
    let receipt = w.ok("PUT", "Receipts", "Receipts", &json!({"Receipts": [{"Contact": contact, "User": {"UserID": user}, "Date": "2026-01-10", "LineItems": [sale_line(20.0)]}]}))[0].clone();
    let claim = w.ok("PUT", "ExpenseClaims", "ExpenseClaims", &json!({"ExpenseClaims": [{"User": {"UserID": user}, "Receipts": [{"ReceiptID": receipt["ReceiptID"]}]}]}))[0].clone();
    assert_eq!((claim["Status"].as_str(), claim["Total"].as_f64(), claim["AmountDue"].as_f64()), (Some("SUBMITTED"), Some(23.0), Some(23.0)));
    let ecid = id(&claim, "ExpenseClaimID").to_string();
    w.ok("POST", &format!("ExpenseClaims/{ecid}"), "ExpenseClaims", &json!({"ExpenseClaims": [{"Status": "VOIDED"}]}));
    assert_eq!(w.one("ExpenseClaims", &ecid)["Status"], "VOIDED");
}

#[test]
fn settings_collections_and_child_routes() {
    let m = Mock::small();
    let w = Writer::new(&m);
    let cid = w.contact_id();
    // A tax rate of its own, usable on lines at once; then deleted.
    let tr = w.ok("PUT", "TaxRates", "TaxRates", &json!({"TaxRates": [{"Name": "Half GST", "TaxComponents": [{"Name": "GST", "Rate": 7.5}]}]}))[0].clone();
    assert_eq!((tr["TaxType"].as_str(), tr["EffectiveRate"].as_f64(), tr["Status"].as_str()), (Some("TAX001"), Some(7.5), Some("ACTIVE")));
    let inv = w.ok("PUT", "Invoices", "Invoices", &json!({"Invoices": [{"Type": "ACCREC", "Contact": {"ContactID": cid},
        "LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": 100, "AccountCode": "200", "TaxType": "TAX001"}]}]}))[0].clone();
    assert_eq!(inv["TotalTax"], 7.5);
    w.ok("POST", "TaxRates", "TaxRates", &json!({"TaxRates": [{"TaxType": "TAX001", "Status": "DELETED"}]}));
    assert_eq!(w.get("TaxRates/TAX001")["TaxRates"][0]["Status"], "DELETED");
    // A currency (PUT only), then documents in it.
    w.ok("PUT", "Currencies", "Currencies", &json!({"Code": "EUR", "Description": "Euro"}));
    assert!(w.get("Currencies")["Currencies"].as_array().unwrap().iter().any(|c| c["Code"] == "EUR"));
    w.ok("PUT", "Invoices", "Invoices", &json!({"Invoices": [{"Type": "ACCREC", "Contact": {"ContactID": cid}, "CurrencyCode": "EUR", "CurrencyRate": 0.55, "LineItems": [sale_line(1.0)]}]}));
    // A payment service (PUT only).
    w.ok("PUT", "PaymentServices", "PaymentServices", &json!({"PaymentServices": [{"PaymentServiceName": "PayNow", "PaymentServiceUrl": "https://pay.example/", "PayNowText": "Pay"}]}));
    assert!(w.get("PaymentServices")["PaymentServices"].as_array().unwrap().iter().any(|p| p["PaymentServiceName"] == "PayNow"));

    // Tracking categories and their options; real DELETEs answer the deleted record.
    let cat = w.ok("PUT", "TrackingCategories", "TrackingCategories", &json!({"Name": "Region"}))[0].clone();
    let cat_id = id(&cat, "TrackingCategoryID").to_string();
    let opts = w.ok("PUT", &format!("TrackingCategories/{cat_id}/Options"), "Options", &json!({"Options": [{"Name": "North"}, {"Name": "South"}]}));
    assert_eq!(opts.len(), 2);
    let north = id(&opts[0], "TrackingOptionID").to_string();
    w.ok("POST", &format!("TrackingCategories/{cat_id}/Options/{north}"), "Options", &json!({"Options": [{"Name": "Nord"}]}));
    let dup = w.refused("PUT", &format!("TrackingCategories/{cat_id}/Options"), "Options", json!({"Name": "south"}));
    assert_eq!(dup, ["A tracking option with the name 'south' already exists in this category."]);
    let deleted = w.ok("DELETE", &format!("TrackingCategories/{cat_id}/Options/{north}"), "Options", &Value::Null);
    assert_eq!(deleted[0]["Status"], "DELETED");
    let options = w.one("TrackingCategories", &cat_id)["Options"].clone();
    assert_eq!(options.as_array().unwrap().len(), 1);
    assert_eq!(options[0]["Name"], "South");
    let gone = w.ok("DELETE", &format!("TrackingCategories/{cat_id}"), "TrackingCategories", &Value::Null);
    assert_eq!(gone[0]["Status"], "DELETED");
    assert_eq!(m.api(&w.token, 0, &format!("TrackingCategories/{cat_id}")).status, 404);

    // Contact group members.
    let group = w.ok("PUT", "ContactGroups", "ContactGroups", &json!({"ContactGroups": [{"Name": "Members"}]}))[0].clone();
    let gid = id(&group, "ContactGroupID").to_string();
    let added = w.ok("PUT", &format!("ContactGroups/{gid}/Contacts"), "Contacts", &json!({"Contacts": [{"ContactID": cid}]}));
    assert_eq!(added[0]["ContactID"], cid.as_str());
    assert_eq!(w.one("ContactGroups", &gid)["Contacts"][0]["ContactID"], cid.as_str());
    assert_eq!(w.delete(&format!("ContactGroups/{gid}/Contacts/{cid}")).status, 204);
    assert!(w.one("ContactGroups", &gid)["Contacts"].as_array().is_none_or(Vec::is_empty));

    // Linked transactions: a bill's line, then billed to a sale; deleted for real.
    let bills = w.get("Invoices?Statuses=AUTHORISED&page=1&pageSize=200");
    let bill = bills["Invoices"].as_array().unwrap().iter().find(|i| i["Type"] == "ACCPAY").unwrap().clone();
    let sale = bills["Invoices"].as_array().unwrap().iter().find(|i| i["Type"] == "ACCREC").unwrap().clone();
    let lt = w.ok("PUT", "LinkedTransactions", "LinkedTransactions", &json!({"LinkedTransactions": [{
        "SourceTransactionID": bill["InvoiceID"], "SourceLineItemID": bill["LineItems"][0]["LineItemID"], "ContactID": cid}]}))[0].clone();
    assert_eq!((lt["Status"].as_str(), lt["Type"].as_str(), lt["SourceTransactionTypeCode"].as_str()), (Some("DRAFT"), Some("BILLABLEEXPENSE"), Some("ACCPAY")));
    let ltid = id(&lt, "LinkedTransactionID").to_string();
    let billed = w.ok("POST", &format!("LinkedTransactions/{ltid}"), "LinkedTransactions", &json!({"LinkedTransactions": [{"TargetTransactionID": sale["InvoiceID"]}]}))[0].clone();
    assert_eq!(billed["Status"], "APPROVED");
    assert_eq!(w.delete(&format!("LinkedTransactions/{ltid}")).status, 204);
    assert_eq!(m.api(&w.token, 0, &format!("LinkedTransactions/{ltid}")).status, 404);
}

#[test]
fn allocations_and_batch_payments() {
    let m = Mock::small();
    let w = Writer::new(&m);
    let cid = w.contact_id();
    let contact = json!({"ContactID": cid});
    let invs = w.ok("PUT", "Invoices", "Invoices", &json!({"Invoices": [
        {"Type": "ACCREC", "Contact": contact, "Status": "AUTHORISED", "DueDate": "2030-01-01", "LineItems": [sale_line(100.0)]},
        {"Type": "ACCREC", "Contact": contact, "Status": "AUTHORISED", "DueDate": "2030-01-01", "LineItems": [sale_line(200.0)]}
    ]}));
    let (a, b) = (id(&invs[0], "InvoiceID").to_string(), id(&invs[1], "InvoiceID").to_string());
    let cn = w.ok("PUT", "CreditNotes", "CreditNotes", &json!({"CreditNotes": [{"Type": "ACCRECCREDIT", "Contact": contact, "Status": "AUTHORISED", "LineItems": [sale_line(20.0)]}]}))[0].clone();
    let cn_id = id(&cn, "CreditNoteID").to_string();
    let too_much = w.refused("PUT", &format!("CreditNotes/{cn_id}/Allocations"), "Allocations", json!({"Invoice": {"InvoiceID": a}, "Amount": 50, "Date": "2026-01-05"}));
    assert_eq!(too_much, ["The amount allocated exceeds the remaining credit on this document."]);
    let alloc = w.ok("PUT", &format!("CreditNotes/{cn_id}/Allocations"), "Allocations", &json!({"Allocations": [{"Invoice": {"InvoiceID": a}, "Amount": 23, "Date": "2026-01-05"}]}))[0].clone();
    let read = w.one("Invoices", &a);
    assert_eq!((read["AmountCredited"].as_f64(), read["AmountDue"].as_f64()), (Some(23.0), Some(92.0)));
    assert_eq!(read["CreditNotes"][0]["CreditNoteID"], cn_id.as_str());
    let doc = w.one("CreditNotes", &cn_id);
    assert_eq!((doc["RemainingCredit"].as_f64(), doc["Status"].as_str()), (Some(0.0), Some("PAID")));
    // A credit note with allocations cannot be voided.
    let msgs = w.refused("POST", &format!("CreditNotes/{cn_id}"), "CreditNotes", json!({"Status": "VOIDED"}));
    assert_eq!(msgs, ["This document cannot be edited as it has a payment or credit note allocated to it."]);
    let aid = id(&alloc, "AllocationID").to_string();
    let r = w.delete(&format!("CreditNotes/{cn_id}/Allocations/{aid}"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["IsDeleted"], true);
    assert_eq!(w.one("Invoices", &a)["AmountDue"], 115.0);
    assert_eq!(w.one("CreditNotes", &cn_id)["RemainingCredit"], 23.0);

    // A batch payment pays several invoices; deleting it unpays them.
    let batch = w.ok("PUT", "BatchPayments", "BatchPayments", &json!({"BatchPayments": [{"Account": {"Code": "090"}, "Date": "2026-01-06", "Reference": "batch",
        "Payments": [{"Invoice": {"InvoiceID": a}, "Amount": 115}, {"Invoice": {"InvoiceID": b}, "Amount": 100}]}]}))[0].clone();
    assert_eq!((batch["Type"].as_str(), batch["TotalAmount"].as_f64()), (Some("RECBATCH"), Some(215.0)));
    assert_eq!(w.one("Invoices", &a)["Status"], "PAID");
    assert_eq!(w.one("Invoices", &b)["AmountDue"], 130.0);
    let bid = id(&batch, "BatchPaymentID").to_string();
    w.ok("POST", &format!("BatchPayments/{bid}"), "BatchPayments", &json!({"BatchPayments": [{"Status": "DELETED"}]}));
    assert_eq!((w.one("Invoices", &a)["AmountDue"].as_f64(), w.one("Invoices", &a)["Status"].as_str()), (Some(115.0), Some("AUTHORISED")));
    assert_eq!(w.one("Invoices", &b)["AmountDue"], 230.0);
    // Paying more than is due across the batch is refused whole.
    let over = w.refused("PUT", "BatchPayments", "BatchPayments", json!({"Account": {"Code": "090"}, "Date": "2026-01-06",
        "Payments": [{"Invoice": {"InvoiceID": a}, "Amount": 100}, {"Invoice": {"InvoiceID": a}, "Amount": 100}]}));
    assert_eq!(over, ["Payment 2: Payment amount exceeds the amount outstanding on this document"]);
}
