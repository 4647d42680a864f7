//! The write contract: per-element results in order (`summarizeErrors=false`), Xero's 400
//! otherwise with the good elements written all the same, `Idempotency-Key` replay and
//! conflicts, a fault that acts and then loses the answer, labels, `/__mock/writes`.

mod common;

use common::writes::{messages, s, Writer};
use common::Mock;
use serde_json::{json, Value};

fn invoice(contact: &str, n: usize) -> Value {
    json!({
        "Type": "ACCREC",
        "Contact": {"ContactID": contact},
        "Date": "2026-01-15",
        "DueDate": "2026-02-15",
        "Reference": format!("batch {n}"),
        "LineItems": [{"Description": "Widget", "Quantity": 2, "UnitAmount": 10.5, "AccountCode": "200"}]
    })
}

/// Invoices 10, 50 and 119 are bad, each in its own way.
fn batch(contact: &str) -> Vec<Value> {
    let mut all: Vec<Value> = (0..120).map(|n| invoice(contact, n)).collect();
    all[10]["LineItems"][0]["AccountCode"] = json!("999");
    all[50].as_object_mut().unwrap().remove("Type");
    all[119]["Contact"]["ContactID"] = json!("00000000-0000-4000-8000-000000000001");
    all
}

fn invoice_count(w: &Writer) -> usize {
    common::ledger::all_pages(w.m, &w.token, 0, "Invoices?", "Invoices").len()
}

#[test]
fn per_element_results_keep_order_and_good_elements_are_written() {
    let m = Mock::small();
    let w = Writer::new(&m);
    let contact = w.contact_id();
    let before = invoice_count(&w);
    let r = w.put("Invoices?summarizeErrors=false", &json!({"Invoices": batch(&contact)}));
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["Status"], "OK");
    assert!(v["Id"].is_string() && v["ProviderName"].is_string() && v["DateTimeUTC"].is_string());
    let got = v["Invoices"].as_array().unwrap();
    assert_eq!(got.len(), 120);
    for (n, e) in got.iter().enumerate() {
        let bad = [10, 50, 119].contains(&n);
        assert_eq!(e["StatusAttributeString"], if bad { "ERROR" } else { "OK" }, "element {n}: {e}");
        // The element as sent comes back in its place.
        assert_eq!(e["Reference"], format!("batch {n}"));
        if bad {
            assert_eq!(e["HasErrors"], true);
            assert!(!messages(e).is_empty());
        } else {
            assert_eq!(e["Total"], 24.15, "{e}");
            assert_eq!(e["SubTotal"], 21.0);
            assert_eq!(e["TotalTax"], 3.15);
            assert_eq!(e["AmountDue"], 24.15);
            assert_eq!(e["Status"], "DRAFT");
            assert_eq!(e["LineItems"][0]["LineAmount"], 21.0);
            assert_eq!(e["LineItems"][0]["TaxAmount"], 3.15);
            assert!(s(&e["InvoiceNumber"]).starts_with("INV-"));
        }
    }
    assert_eq!(messages(&got[10]), ["Account code '999' is not a valid code for this document."]);
    assert_eq!(messages(&got[50]), ["Invoice Type must be specified"]);
    assert!(messages(&got[119])[0].contains("could not be found"), "{:?}", messages(&got[119]));
    // Numbers follow each other; every written invoice reads back as written.
    let numbers: Vec<&str> = got.iter().filter(|e| e["StatusAttributeString"] == "OK").map(|e| s(&e["InvoiceNumber"])).collect();
    let mut unique = numbers.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 117);
    assert_eq!(invoice_count(&w), before + 117);
    let first = &got[0];
    let read = w.one("Invoices", s(&first["InvoiceID"]));
    for f in ["InvoiceNumber", "Total", "Status", "UpdatedDateUTC", "LineItems", "Contact"] {
        assert_eq!(read[f], first[f], "{f}");
    }
    assert!(read.get("StatusAttributeString").is_none());
}

#[test]
fn without_summarize_errors_a_bad_element_is_a_400_and_the_good_ones_are_written() {
    let m = Mock::small();
    let w = Writer::new(&m);
    let contact = w.contact_id();
    let before = invoice_count(&w);
    let r = w.put("Invoices", &json!({"Invoices": batch(&contact)}));
    assert_eq!(r.status, 400, "{}", r.body);
    let v = r.json();
    assert_eq!(v["ErrorNumber"], 10);
    assert_eq!(v["Type"], "ValidationException");
    assert_eq!(v["Message"], "A validation exception occurred");
    let elements = v["Elements"].as_array().unwrap();
    assert_eq!(elements.len(), 3);
    assert_eq!(messages(&elements[0]), ["Account code '999' is not a valid code for this document."]);
    assert_eq!(elements[1]["Reference"], "batch 50");
    assert_eq!(invoice_count(&w), before + 117);
    let book = m.admin("GET", "writes", Value::Null);
    assert_eq!(book["tenants"][0]["created_without_key"], 117);
    // All good: 200 without summarizeErrors too; a bare element is accepted.
    let r = w.put("Invoices", &invoice(&contact, 500));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["Invoices"].as_array().unwrap().len(), 1);
}

#[test]
fn an_idempotency_key_replays_the_first_answer_and_refuses_another_request() {
    let m = Mock::small();
    let w = Writer::new(&m);
    let contact = w.contact_id();
    let before = invoice_count(&w);
    let body = json!({"Invoices": [invoice(&contact, 1)]});
    let key = [("idempotency-key", "key-1")];
    let first = w.send("PUT", "Invoices", Some(&body), &key);
    let again = w.send("PUT", "Invoices", Some(&body), &key);
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.body, again.body, "the first answer, byte for byte");
    assert_eq!(invoice_count(&w), before + 1);
    // The same key with another body, path or query: refused, nothing written.
    let other = json!({"Invoices": [invoice(&contact, 2)]});
    for (path, b) in [("Invoices", &other), ("Invoices?summarizeErrors=false", &body)] {
        let r = w.send("PUT", path, Some(b), &key);
        assert_eq!(r.status, 400, "{}", r.body);
        assert!(r.body.contains("Idempotency key already used with a different request"), "{}", r.body);
    }
    assert_eq!(invoice_count(&w), before + 1);
    let long = "k".repeat(129);
    let r = w.send("PUT", "Invoices", Some(&body), &[("idempotency-key", &long)]);
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(invoice_count(&w), before + 1);
    let book = m.admin("GET", "writes", Value::Null);
    let k = &book["tenants"][0]["keys"]["key-1"];
    assert_eq!((k["requests"].as_u64(), k["acted"].as_u64()), (Some(4), Some(1)), "{book}");
    assert_eq!(k["created"].as_array().unwrap().len(), 1);
    assert_eq!(k["created"][0], first.json()["Invoices"][0]["InvoiceID"]);
    // Keys are per tenant: the second tenant may use the same key for its own write.
    let w1 = Writer { tenant: 1, ..Writer::new(&m) };
    let c1 = w1.contact_id();
    let r = w1.send("PUT", "Invoices", Some(&json!({"Invoices": [invoice(&c1, 1)]})), &key);
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn a_write_acted_on_and_then_lost_is_done_once_when_retried_with_its_key() {
    let m = Mock::small();
    let w = Writer::new(&m);
    let contact = w.contact_id();
    let before = invoice_count(&w);
    m.admin("POST", "faults", json!({"label": "PUT Invoices", "drop_connection_after_acting": true, "count": 1}));
    let body = json!({"Invoices": [invoice(&contact, 7)]}).to_string();
    let bearer = format!("Bearer {}", w.token);
    let t = m.tenant(0);
    let h = [
        ("authorization", bearer.as_str()),
        ("xero-tenant-id", t.as_str()),
        ("accept", "application/json"),
        ("idempotency-key", "lost-answer"),
    ];
    let lost = m.try_send("PUT", "/api.xro/2.0/Invoices", &h, Some(&body));
    assert!(lost.is_err(), "the answer was lost: {:?}", lost.map(|r| r.status));
    assert_eq!(invoice_count(&w), before + 1, "but the invoice was written");
    let retry = m.send("PUT", "/api.xro/2.0/Invoices", &h, Some(&body));
    assert_eq!(retry.status, 200, "{}", retry.body);
    assert_eq!(invoice_count(&w), before + 1, "and not again");
    let book = m.admin("GET", "writes", Value::Null);
    let k = &book["tenants"][0]["keys"]["lost-answer"];
    assert_eq!((k["requests"].as_u64(), k["acted"].as_u64()), (Some(2), Some(1)), "{book}");
    assert_eq!(k["created"][0], retry.json()["Invoices"][0]["InvoiceID"]);
    // Without a key the retry writes a second invoice: what the key is for.
    m.admin("POST", "faults", json!({"label": "PUT Invoices", "drop_connection_after_acting": true, "count": 1}));
    let unkeyed = &h[..3];
    assert!(m.try_send("PUT", "/api.xro/2.0/Invoices", unkeyed, Some(&body)).is_err());
    assert_eq!(m.send("PUT", "/api.xro/2.0/Invoices", unkeyed, Some(&body)).status, 200);
    assert_eq!(invoice_count(&w), before + 3);
    let stats = m.stats();
    assert_eq!(stats["PUT Invoices"], 4, "{stats}");
}

#[test]
fn writes_are_checked_like_reads_and_labelled_by_route() {
    let m = Mock::small();
    let w = Writer::new(&m);
    let contact = w.contact_id();
    let body = json!({"Invoices": [invoice(&contact, 1)]});
    // No token: 401; a tenant not connected: 403; nothing written either way.
    let r = m.send("PUT", "/api.xro/2.0/Invoices", &[("accept", "application/json")], Some(&body.to_string()));
    assert_eq!(r.status, 401);
    let bearer = format!("Bearer {}", w.token);
    let r = m.send(
        "PUT",
        "/api.xro/2.0/Invoices",
        &[("authorization", &bearer), ("xero-tenant-id", "00000000-0000-4000-8000-000000000000")],
        Some(&body.to_string()),
    );
    assert_eq!(r.status, 403);
    // Quota: a write counts like a read.
    let before: i64 = w.send("GET", "Organisation", None, &[]).header("x-minlimit-remaining").unwrap().parse().unwrap();
    let r = w.put("Invoices", &body);
    let after: i64 = r.header("x-minlimit-remaining").unwrap().parse().unwrap();
    assert_eq!(after, before - 1);
    // Endpoint names ignore case; an injected fault answers instead of the write.
    m.admin("POST", "faults", json!({"label": "POST Invoices/{id}", "status": 503, "count": 1}));
    let id = s(&r.json()["Invoices"][0]["InvoiceID"]).to_string();
    let r = w.post(&format!("invoices/{id}"), &json!({"Invoices": [{"Reference": "changed"}]}));
    assert_eq!(r.status, 503);
    assert_eq!(w.one("Invoices", &id)["Reference"], "batch 1");
    let r = w.post(&format!("invoices/{id}"), &json!({"Invoices": [{"Reference": "changed"}]}));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(w.one("Invoices", &id)["Reference"], "changed");
    // A method the route does not take: 405 with Allow; a body that is not JSON: 400.
    let r = w.send("DELETE", "Invoices", None, &[]);
    assert_eq!(r.status, 405);
    assert!(r.header("allow").unwrap().contains("PUT"), "{:?}", r.header("allow"));
    let r = m.send("PUT", "/api.xro/2.0/Invoices", &[("authorization", &bearer), ("xero-tenant-id", &m.tenant(0)), ("accept", "application/json")], Some("{not json"));
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["Type"], "PostDataInvalidException");
    // Unknown id on the path: Xero's not-found.
    let r = w.post("Invoices/00000000-0000-4000-8000-000000000009", &json!({"Invoices": [{"Reference": "x"}]}));
    assert_eq!(r.status, 404);
    let stats = m.stats();
    for label in ["PUT Invoices", "POST Invoices/{id}"] {
        assert!(stats[label].as_u64().is_some(), "{label}: {stats}");
    }
}

#[test]
fn xml_answers_name_elements_by_schema() {
    let m = Mock::small();
    let w = Writer::new(&m);
    let contact = w.contact_id();
    let bearer = format!("Bearer {}", w.token);
    let t = m.tenant(0);
    let body = json!({"Invoices": [invoice(&contact, 1), {"Type": "ACCREC"}]}).to_string();
    let h = [("authorization", bearer.as_str()), ("xero-tenant-id", t.as_str())];
    let r = m.send("PUT", "/api.xro/2.0/Invoices?summarizeErrors=false", &h, Some(&body));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.starts_with("<Response"), "{}", r.body);
    assert!(r.body.contains("<StatusAttributeString>OK</StatusAttributeString></Invoice>"), "{}", r.body);
    assert!(r.body.contains("<ValidationErrors><ValidationError><Message>A Contact must be specified"), "{}", r.body);
}
