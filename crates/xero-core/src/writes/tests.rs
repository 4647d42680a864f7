use serde_json::json;

use super::*;
use crate::decode::Cell;
use crate::entities::ENTITIES;
use crate::http::{Body, Method, Response};
use crate::pushdown::{entity_by_table, table_columns};

fn entity(table: &str) -> &'static crate::entities::Entity {
    entity_by_table(table).unwrap()
}

fn row(table: &str, values: &[(&str, Cell)]) -> (Vec<Cell>, Vec<bool>) {
    let cols = table_columns(entity(table));
    let mut cells = vec![Cell::Null; cols.len()];
    let mut send = vec![false; cols.len()];
    for (name, v) in values {
        let i = cols.iter().position(|c| c.name == *name).unwrap_or_else(|| panic!("no column {name}"));
        cells[i] = v.clone();
        send[i] = true;
    }
    (cells, send)
}

fn response(status: u16, body: serde_json::Value) -> Response {
    Response { status, headers: vec![], body: serde_json::to_vec(&body).unwrap() }
}

#[test]
fn an_invoice_row_becomes_xeros_nested_json() {
    let e = entity("invoices");
    let w = write_of(e, Op::Insert).unwrap();
    let (cells, send) = row(
        "invoices",
        &[
            ("type", Cell::Text("ACCREC".into())),
            ("contact_id", Cell::Uuid([0x11; 16])),
            ("date", Cell::Date(9132)), // 2025-01-01
            ("line_items", Cell::Json(r#"[{"Description":"x","Quantity":2,"UnitAmount":10.1250,"AccountCode":"200"}]"#.into())),
            ("total", Cell::Numeric("20.25".into())),
            ("updated_date_utc", Cell::Timestamptz(0)),
            ("reference", Cell::Null),
        ],
    );
    let el = element(w, &table_columns(e), &cells, &send, Op::Insert).unwrap();
    // Read-only fields (total, updated_date_utc) are not sent; numbers keep their digits.
    assert_eq!(
        serde_json::to_string(&el).unwrap(),
        r#"{"Type":"ACCREC","Contact":{"ContactID":"11111111-1111-1111-1111-111111111111"},"LineItems":[{"Description":"x","Quantity":2,"UnitAmount":10.1250,"AccountCode":"200"}],"Date":"2025-01-01","Reference":null}"#
    );
}

#[test]
fn an_insert_may_not_set_the_id_and_numbers_stay_exact() {
    let e = entity("invoices");
    let w = write_of(e, Op::Insert).unwrap();
    let (cells, send) = row("invoices", &[("invoice_id", Cell::Uuid([1; 16]))]);
    let err = element(w, &table_columns(e), &cells, &send, Op::Insert).unwrap_err();
    assert!(err.message.contains("assigned by Xero"), "{err:?}");
    assert_eq!(err.kind, crate::ErrorKind::InvalidArgument);
    let v = encode::json_of(&Cell::Numeric("123456789012345678.0001".into()), "x").unwrap();
    assert_eq!(v.to_string(), "123456789012345678.0001");
    assert!(encode::json_of(&Cell::Numeric("NaN".into()), "x").is_err());
    assert!(encode::json_of(&Cell::Json("{bad".into()), "x").is_err());
    // A currency's id is its code, which the INSERT gives.
    let cur = entity("currencies");
    let (cells, send) = row("currencies", &[("code", Cell::Text("JPY".into()))]);
    let el = element(write_of(cur, Op::Insert).unwrap(), &table_columns(cur), &cells, &send, Op::Insert).unwrap();
    assert_eq!(serde_json::to_string(&el).unwrap(), r#"{"Code":"JPY"}"#);
}

#[test]
fn a_batch_is_a_put_with_summarize_errors_false_and_a_key_from_its_content() {
    let w = write_of(entity("invoices"), Op::Insert).unwrap();
    let el = |r: &str| serde_json::from_value(json!({"Reference": r})).unwrap();
    let a = create_batch("https://x/api.xro/2.0", w, None, vec![el("a"), el("b")]).unwrap();
    assert_eq!(a.request.method, Method::Put);
    assert_eq!(a.request.url, "https://x/api.xro/2.0/Invoices?summarizeErrors=false&unitdp=4");
    assert_eq!(a.request.body, Body::Json(br#"{"Invoices":[{"Reference":"a"},{"Reference":"b"}]}"#.to_vec()));
    assert_eq!(a.request.header_value("idempotency-key"), Some(a.key.as_str()));
    assert!(a.key.len() <= 128 && a.request.may_retry());
    // The same rows give the same key (a rerun is recognised); other rows another.
    let again = create_batch("https://x/api.xro/2.0", w, None, vec![el("a"), el("b")]).unwrap();
    let other = create_batch("https://x/api.xro/2.0", w, None, vec![el("a"), el("c")]).unwrap();
    assert_eq!(a.key, again.key);
    assert_ne!(a.key, other.key);
}

#[test]
fn updates_and_removals_follow_what_xero_offers() {
    let api = "https://x/api.xro/2.0";
    let inv = write_of(entity("invoices"), Op::Update).unwrap();
    let u = update_request(api, inv, None, "abc", serde_json::from_value(json!({"Reference": "r"})).unwrap()).unwrap();
    assert_eq!((u.request.method, u.request.url.as_str()), (Method::Post, "https://x/api.xro/2.0/Invoices/abc?unitdp=4"));
    assert_eq!(u.request.body, Body::Json(br#"{"Invoices":[{"Reference":"r","InvoiceID":"abc"}]}"#.to_vec()));
    // Draft → DELETED, authorised → VOIDED, paid → a clear refusal.
    assert_eq!(status_to_remove(inv, "invoices", Some("DRAFT")).unwrap(), Some("DELETED"));
    assert_eq!(status_to_remove(inv, "invoices", Some("AUTHORISED")).unwrap(), Some("VOIDED"));
    let paid = status_to_remove(inv, "invoices", Some("PAID")).unwrap_err();
    assert!(paid.message.contains("status is PAID") && paid.message.contains("payments removed first"), "{paid:?}");
    let contacts = write_of(entity("contacts"), Op::Delete).unwrap();
    assert_eq!(status_to_remove(contacts, "contacts", Some("ACTIVE")).unwrap(), Some("ARCHIVED"));
    // A payment is removed by posting its status alone (the spec's PaymentDelete).
    let pay = write_of(entity("payments"), Op::Delete).unwrap();
    let d = delete_request(api, pay, None, "p1", Some("DELETED")).unwrap();
    assert_eq!(d.request.body, Body::Json(br#"{"Status":"DELETED"}"#.to_vec()));
    assert_eq!((d.request.method, d.request.url.as_str()), (Method::Post, "https://x/api.xro/2.0/Payments/p1"));
    // …which is all Xero lets a payment, a transfer or a batch payment change.
    for table in ["payments", "bank_transfers", "batch_payments"] {
        assert_eq!(write_of(entity(table), Op::Update).unwrap_err().kind, crate::ErrorKind::NotSupported, "{table}");
        let w = write_of(entity(table), Op::Delete).unwrap();
        assert_eq!(delete_request(api, w, None, "x", Some("DELETED")).unwrap().request.method, Method::Post, "{table}");
    }
    // A contact is archived through its own status field.
    let d = delete_request(api, contacts, None, "c1", Some("ARCHIVED")).unwrap();
    assert_eq!(d.request.body, Body::Json(br#"{"Contacts":[{"ContactStatus":"ARCHIVED","ContactID":"c1"}]}"#.to_vec()));
    // Items have a real DELETE.
    let items = write_of(entity("items"), Op::Delete).unwrap();
    let d = delete_request(api, items, None, "i1", None).unwrap();
    assert_eq!((d.request.method, d.request.url.as_str()), (Method::Delete, "https://x/api.xro/2.0/Items/i1"));
    assert!(d.request.may_retry());
    // A child table writes under its parent.
    let opts = write_of(entity("tracking_options"), Op::Insert).unwrap();
    let c = create_batch(api, opts, Some("cat1"), vec![serde_json::from_value(json!({"Name": "n"})).unwrap()]).unwrap();
    assert_eq!(c.request.url, "https://x/api.xro/2.0/TrackingCategories/cat1/Options");
    assert!(create_batch(api, opts, None, vec![Default::default()]).unwrap_err().message.contains("parent"));
    // Currencies cannot be removed, journals not written at all, line items through their document.
    let cur = write_of(entity("currencies"), Op::Delete).unwrap();
    assert_eq!(status_to_remove(cur, "currencies", None).unwrap_err().kind, crate::ErrorKind::NotSupported);
    assert_eq!(write_of(entity("journals"), Op::Insert).unwrap_err().kind, crate::ErrorKind::NotSupported);
    let li = write_of(entity("invoice_line_items"), Op::Insert).unwrap_err();
    assert!(li.hint.unwrap().contains("line_items jsonb column of invoices"));
}

#[test]
fn every_write_names_an_entity_and_real_label_columns() {
    for w in crate::entities::WRITES {
        let e = ENTITIES.iter().find(|e| e.function == w.function).expect("an entity");
        let cols = table_columns(e);
        for l in w.labels {
            assert!(cols.iter().any(|c| c.name == *l), "{}: label {l}", w.function);
        }
    }
    assert!(crate::entities::WRITES.len() >= 20);
}

#[test]
fn answers_are_matched_to_rows_in_order() {
    let r = response(
        200,
        json!({"Status": "OK", "Invoices": [
            {"InvoiceID": "a", "StatusAttributeString": "OK"},
            {"InvoiceID": "00000000-0000-0000-0000-000000000000", "HasErrors": true, "StatusAttributeString": "ERROR",
             "ValidationErrors": [{"Message": "Account code '999' is not a valid code for this document."}, {"Message": "Contact not found"}]},
        ]}),
    );
    let a = answers("PUT Invoices", "Invoices", 2, &r).unwrap();
    assert!(matches!(&a[0], Answer::Done(v) if v["InvoiceID"] == "a"));
    assert_eq!(a[1], Answer::Rejected(vec!["Account code '999' is not a valid code for this document.".into(), "Contact not found".into()]));
    // A count that does not match cannot be matched to rows.
    assert_eq!(answers("PUT Invoices", "Invoices", 3, &r).unwrap_err().kind, crate::ErrorKind::ProtocolViolation);
    // A 400 for one element: its messages.
    let bad = response(400, json!({"ErrorNumber": 10, "Type": "ValidationException", "Message": "A validation exception occurred",
                                   "Elements": [{"ValidationErrors": [{"Message": "Invoice not of valid status for modification"}]}]}));
    assert_eq!(answers("POST Invoices/{id}", "Invoices", 1, &bad).unwrap(), vec![Answer::Rejected(vec!["Invoice not of valid status for modification".into()])]);
    // A DELETE answered 204.
    assert_eq!(answers("DELETE Items/{id}", "Items", 1, &response(204, json!(null)).with_empty()).unwrap(), vec![Answer::Done(serde_json::Value::Null)]);
    // Anything else is the call's error.
    assert_eq!(answers("PUT Invoices", "Invoices", 1, &response(503, json!("down"))).unwrap_err().kind, crate::ErrorKind::Unavailable);
}

trait Empty {
    fn with_empty(self) -> Self;
}
impl Empty for Response {
    fn with_empty(mut self) -> Self {
        self.body.clear();
        self
    }
}

#[test]
fn a_returned_record_becomes_the_tables_row() {
    let e = entity("invoices");
    let cols = e.columns();
    let rec = json!({"InvoiceID": "11111111-1111-1111-1111-111111111111", "InvoiceNumber": "INV-9", "Total": 20.25, "Status": "DRAFT"});
    let row = returned_row(e, &cols, &rec, None).unwrap();
    let at = |n: &str| row[cols.iter().position(|c| c.name == n).unwrap()].clone();
    assert_eq!(at("invoice_number"), Cell::Text("INV-9".into()));
    assert_eq!(at("total"), Cell::Numeric("20.25".into()));
    let opts = entity("tracking_options");
    let cols = opts.columns();
    let row = returned_row(opts, &cols, &json!({"TrackingOptionID": "22222222-2222-2222-2222-222222222222", "Name": "North"}), Some(("TrackingCategoryID", "33333333-3333-3333-3333-333333333333"))).unwrap();
    let at = |n: &str| row[cols.iter().position(|c| c.name == n).unwrap()].clone();
    assert_eq!(at("tracking_category_id"), Cell::Uuid([0x33; 16]));
    assert_eq!(at("name"), Cell::Text("North".into()));
}

#[test]
fn the_statement_error_names_each_rejected_row_and_what_was_created() {
    let mut o = StatementOutcome::default();
    assert!(o.error("invoices", "created").is_none());
    o.done.push(RowDone { position: 1, label: "reference \"A\"".into(), id: "id-1 (INV-1)".into() });
    o.rejected.push(RowRejected { position: 2, label: "reference \"B\"".into(), messages: vec!["Contact not found".into()] });
    let e = o.error("invoices", "created").unwrap();
    assert_eq!(e.kind, crate::ErrorKind::Rejected);
    assert_eq!(e.message, "Xero rejected 1 of 2 rows written to invoices");
    let d = e.detail.unwrap();
    assert!(d.contains("row 2 (reference \"B\"): Contact not found"), "{d}");
    assert!(d.contains("Xero created 1 rows before this error") && d.contains("row 1 (reference \"A\"): id-1 (INV-1)"), "{d}");
}

#[test]
fn an_update_of_a_column_xero_does_not_take_is_an_error_not_a_silent_drop() {
    let e = entity("invoices");
    let w = write_of(e, Op::Update).unwrap();
    for (column, why) in [("total", "Xero computes it"), ("invoice_id", "the record's id"), ("unit_dp", "a filter")] {
        let (cells, send) = row("invoices", &[(column, Cell::Null)]);
        let err = element(w, &table_columns(e), &cells, &send, Op::Update).unwrap_err();
        assert!(err.message.contains(&format!("\"{column}\" cannot be changed")) && err.message.contains(why), "{err:?}");
    }
    // An INSERT of whole rows (copied from a synced table) leaves computed columns out instead.
    let w = write_of(e, Op::Insert).unwrap();
    let (cells, send) = row("invoices", &[("total", Cell::Numeric("1".into())), ("reference", Cell::Text("r".into()))]);
    assert_eq!(serde_json::to_string(&element(w, &table_columns(e), &cells, &send, Op::Insert).unwrap()).unwrap(), r#"{"Reference":"r"}"#);
    let opts = entity("tracking_options");
    let w = write_of(opts, Op::Update).unwrap();
    let (cells, send) = row("tracking_options", &[("tracking_category_name", Cell::Text("x".into()))]);
    assert!(element(w, &table_columns(opts), &cells, &send, Op::Update).unwrap_err().message.contains("parent"));
}

#[test]
fn many_changes_go_in_one_post_to_the_collection_where_xero_takes_them() {
    let api = "https://x/api.xro/2.0";
    let inv = write_of(entity("invoices"), Op::Update).unwrap();
    assert!(inv.batch_update);
    let el = |r: &str| serde_json::from_value(json!({"Reference": r})).unwrap();
    let call = update_batch(api, inv, vec![("a".into(), el("x")), ("b".into(), el("y"))]).unwrap();
    assert_eq!((call.request.method, call.request.url.as_str()), (Method::Post, "https://x/api.xro/2.0/Invoices?summarizeErrors=false&unitdp=4"));
    assert_eq!(call.request.body, Body::Json(br#"{"Invoices":[{"Reference":"x","InvoiceID":"a"},{"Reference":"y","InvoiceID":"b"}]}"#.to_vec()));
    assert!(call.request.may_retry());
    // Not where Xero changes one record a call (accounts), nor payments (changed only to delete).
    for table in ["accounts", "payments", "tracking_options"] {
        let w = crate::entities::WRITES.iter().find(|w| w.function == format!("xero_{table}")).unwrap();
        assert!(!w.batch_update, "{table}");
        assert!(update_batch(api, w, vec![("a".into(), el("x"))]).is_err());
    }
}

