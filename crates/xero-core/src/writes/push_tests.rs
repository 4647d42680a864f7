use serde_json::json;

use super::push::*;
use super::*;
use crate::decode::Cell;
use crate::entities::ColumnType;
use crate::http::{Body, Response};
use crate::pushdown::entity_by_table;

const API: &str = "https://x/api.xro/2.0";

fn staging(extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut cols: Vec<(String, String)> = PUSH_COLUMNS.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
    cols.extend(extra.iter().map(|(n, t)| (n.to_string(), t.to_string())));
    cols
}

#[test]
fn staging_values_become_cells_of_their_columns_type() {
    let c = |ty, v| cell_of_json(ty, &v, "c");
    assert_eq!(c(ColumnType::Numeric, serde_json::from_str("10.1250").unwrap()).unwrap(), Cell::Numeric("10.1250".into()));
    assert_eq!(c(ColumnType::Date, json!("2025-01-01")).unwrap(), Cell::Date(9132));
    // to_jsonb writes the session's offset: the same instant whatever the zone.
    assert_eq!(c(ColumnType::Timestamptz, json!("2000-01-01T13:00:00+13:00")).unwrap(), Cell::Timestamptz(0));
    assert_eq!(c(ColumnType::Uuid, json!("11111111-1111-1111-1111-111111111111")).unwrap(), Cell::Uuid([0x11; 16]));
    assert_eq!(c(ColumnType::Jsonb, json!([{"A": 1}])).unwrap(), Cell::Json(r#"[{"A":1}]"#.into()));
    assert_eq!(c(ColumnType::Integer, json!(4)).unwrap(), Cell::Int(4));
    assert_eq!(c(ColumnType::Boolean, json!(true)).unwrap(), Cell::Bool(true));
    assert_eq!(c(ColumnType::Text, json!(null)).unwrap(), Cell::Null);
    for (ty, v) in [(ColumnType::Uuid, json!("nope")), (ColumnType::Date, json!("2025-13-xx")), (ColumnType::Text, json!(1)), (ColumnType::Integer, json!(1.5))] {
        let e = c(ty, v).unwrap_err();
        assert_eq!(e.kind, crate::ErrorKind::InvalidArgument);
        assert!(e.message.starts_with("column \"c\""), "{e:?}");
    }
}

#[test]
fn a_staging_table_needs_the_push_columns_and_only_the_entitys_columns() {
    let (e, w) = push_target("invoices").unwrap();
    assert_eq!(push_target("xero_invoices").unwrap().0.function, "xero_invoices");
    assert!(push_target("nope").err().unwrap().message.contains("not a Xero table"));
    assert_eq!(push_target("journals").err().unwrap().kind, crate::ErrorKind::NotSupported);
    check_staging(e, w, "s", &staging(&[("type", "text"), ("date", "date"), ("line_items", "jsonb"), ("reference", "character varying")])).unwrap();
    let mut no_errors = staging(&[]);
    no_errors.retain(|(n, _)| n != "push_errors");
    let err = check_staging(e, w, "s", &no_errors).unwrap_err();
    assert!(err.message.contains("no column \"push_errors\"") && err.hint.unwrap().contains("ADD COLUMN xero_id uuid"), "{}", err.message);
    let err = check_staging(e, w, "s", &staging(&[("colour", "text")])).unwrap_err();
    assert_eq!(err.message, "column \"colour\" of staging table s is not a column of invoices");
    let err = check_staging(e, w, "s", &staging(&[("date", "text")])).unwrap_err();
    assert_eq!(err.message, "column \"date\" of staging table s is text; invoices.date is date");
    let mut text_status = staging(&[]);
    text_status[1].1 = "integer".into();
    assert!(check_staging(e, w, "s", &text_status).unwrap_err().message.contains("\"push_status\" of staging table s is integer, not text"));
}

#[test]
fn picked_rows_become_a_batch_of_creates_updates_and_rows_refused_before_sending() {
    let (e, w) = push_target("invoices").unwrap();
    let rows = vec![
        serde_json::from_str(r#"{"xero_id": null, "type": "ACCREC", "reference": "a", "line_items": [{"UnitAmount": 10.1250}], "total": 9, "invoice_id": null}"#).unwrap(),
        json!({"xero_id": "22222222-2222-2222-2222-222222222222", "reference": "b", "date": null}),
        json!({"xero_id": null, "type": "ACCREC", "reference": "c", "date": "bad"}),
        json!({"xero_id": null, "type": "ACCPAY", "reference": "d", "push_status": null}),
    ];
    let (calls, failed) = prepare(API, e, w, &rows, "n1");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].0, 2);
    assert!(failed[0].1.message.contains("column \"date\""), "{:?}", failed[0].1);
    assert_eq!(calls.len(), 2);
    let update = &calls[0];
    assert_eq!((update.rows.clone(), update.id.as_deref()), (vec![1], Some("22222222-2222-2222-2222-222222222222")));
    assert_eq!(update.elements, vec![r#"{"Reference":"b"}"#.to_string()]);
    let create = &calls[1];
    assert_eq!(create.rows, vec![0, 3]);
    // NULLs and read-only columns are not sent; numbers keep their digits.
    assert_eq!(create.elements[0], r#"{"Type":"ACCREC","LineItems":[{"UnitAmount":10.1250}],"Reference":"a"}"#);
    // The texts are the body create_batch makes of the same elements, with its key.
    let maps = create.elements.iter().map(|t| serde_json::from_str(t).unwrap()).collect();
    let batch = create_batch(API, w, None, maps).unwrap();
    assert_eq!(salted_key(batch.clone(), &create.salt).key, create.key);
    let again = push::resend(API, w, &create.key, &create.salt, &create.elements, None, None).unwrap();
    assert_eq!(again.request.body, batch.request.body);
    assert_eq!(again.request.header_value("idempotency-key"), Some(create.key.as_str()));
    assert!(create.key.starts_with("xero_fdw-") && create.key.len() <= 128);
    // The same rows in another push (another nonce) are another call: Xero creates them again.
    let (other, _) = prepare(API, e, w, &rows, "n2");
    assert_eq!(other[1].elements, create.elements);
    assert_ne!(other[1].key, create.key);
    assert_ne!(update.key, other[0].key);
    assert_eq!(again.request.body, Body::Json(format!("{{\"Invoices\":[{}]}}", create.elements.join(",")).into_bytes()));
    let u = push::resend(API, w, &update.key, &update.salt, &update.elements, update.id.as_deref(), None).unwrap();
    assert_eq!(u.request.url, "https://x/api.xro/2.0/Invoices/22222222-2222-2222-2222-222222222222?unitdp=4");
    // Sent elsewhere, or with other bytes, it is not the call in flight: refused, not sent.
    let moved = push::resend("https://y/api.xro/2.0", w, &create.key, &create.salt, &create.elements, None, None).unwrap_err();
    assert!(moved.message.contains("cannot be made again exactly"), "{moved:?}");
    let edited = [create.elements[1].replace("ACCPAY", "ACCREC"), create.elements[0].clone()];
    assert!(push::resend(API, w, &create.key, &create.salt, &edited, None, None).is_err());
}

#[test]
fn tables_that_take_one_element_a_call_get_a_call_per_row_and_children_their_parent() {
    let accounts = entity_by_table("accounts").unwrap();
    let w = write_of(accounts, Op::Insert).unwrap();
    let rows = vec![json!({"code": "901", "name": "A", "type": "EXPENSE"}), json!({"code": "902", "name": "B", "type": "EXPENSE"})];
    let (calls, failed) = prepare(API, accounts, w, &rows, "n1");
    assert!(failed.is_empty());
    assert_eq!(calls.iter().map(|c| c.rows.clone()).collect::<Vec<_>>(), vec![vec![0], vec![1]]);
    assert_ne!(calls[0].key, calls[1].key);
    let opts = entity_by_table("tracking_options").unwrap();
    let w = write_of(opts, Op::Insert).unwrap();
    let rows = vec![json!({"tracking_category_id": "33333333-3333-3333-3333-333333333333", "name": "North"}), json!({"name": "Orphan"})];
    let (calls, failed) = prepare(API, opts, w, &rows, "n1");
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].parent.as_deref(), Some("33333333-3333-3333-3333-333333333333"));
    assert_eq!(failed[0].0, 1);
    assert!(failed[0].1.message.contains("parent"), "{:?}", failed[0].1);
}

#[test]
fn xeros_answer_becomes_one_result_per_row() {
    let (e, w) = push_target("invoices").unwrap();
    let el = |r: &str| serde_json::from_value(json!({"Reference": r})).unwrap();
    let call = create_batch(API, w, None, vec![el("a"), el("b")]).unwrap();
    let body = json!({"Invoices": [
        {"InvoiceID": "11111111-1111-1111-1111-111111111111", "StatusAttributeString": "OK"},
        {"InvoiceID": "00000000-0000-0000-0000-000000000000", "HasErrors": true, "ValidationErrors": [{"Message": "Account code '999' is not a valid code"}]},
    ]});
    let r = Response { status: 200, headers: vec![], body: serde_json::to_vec(&body).unwrap() };
    assert_eq!(
        results(e, w, &call, &r).unwrap(),
        vec![json!({"status": "created", "xero_id": "11111111-1111-1111-1111-111111111111"}), json!({"status": "rejected", "errors": ["Account code '999' is not a valid code"]})]
    );
    let down = Response { status: 503, headers: vec![], body: b"down".to_vec() };
    assert_eq!(results(e, w, &call, &down).unwrap_err().kind, crate::ErrorKind::Unavailable);
}
