//! Unit tests of `decode` (pages, cells, dates, UUIDs, malformed answers).

use super::*;
use crate::dates::{days_from_civil, PG_EPOCH_DAYS};
use crate::entities::entity_by_function;

const PAGE: &str = r#"{"Id":"x","Status":"OK","pagination":{"page":1,"pageSize":1000,"pageCount":1,"itemCount":2},
  "Invoices":[
    {"InvoiceID":"0b8f0f0e-8f3c-4d3e-9c7a-3f1e2d4c5b6a","Type":"ACCREC","InvoiceNumber":"INV-1",
     "Contact":{"ContactID":"11111111-2222-3333-4444-555555555555","Name":"Acme"},
     "Date":"/Date(1419937200000+1300)/","DueDate":"/Date(-86400000+0000)/","Total":1234.50,"AmountDue":0.10,
     "UpdatedDateUTC":"/Date(1439434356790)/","HasAttachments":false,
     "LineItems":[{"LineItemID":"aaaaaaaa-0000-0000-0000-000000000001","Description":"Widgets","Quantity":3.0000,"LineAmount":1234.5},
                  {"LineItemID":"aaaaaaaa-0000-0000-0000-000000000002","Description":"Freight","LineAmount":0}]},
    {"InvoiceID":"0b8f0f0e-8f3c-4d3e-9c7a-3f1e2d4c5b6b","Type":"ACCPAY","Contact":{"ContactID":"11111111-2222-3333-4444-555555555555"},
     "Date":"/Date(0+0000)/","Total":-0.01,"LineItems":[]}
  ]}"#;

fn col<'a>(e: &Entity, row: &'a [Cell], name: &str) -> &'a Cell {
    let i = e.columns().iter().position(|c| c.name == name).unwrap_or_else(|| panic!("no column {name}"));
    &row[i]
}

#[test]
fn invoices_decode_to_typed_cells() {
    let e = entity_by_function("xero_invoices").unwrap();
    let page = decode_page(e, &e.columns(), PAGE.as_bytes()).unwrap();
    assert_eq!(page.records, 2);
    assert_eq!(page.pagination.unwrap().page_count, 1);
    let r = &page.rows[0];
    assert_eq!(col(e, r, "invoice_number"), &Cell::Text("INV-1".into()));
    assert_eq!(col(e, r, "contact_name"), &Cell::Text("Acme".into()));
    assert_eq!(col(e, r, "total"), &Cell::Numeric("1234.50".into()), "money keeps Xero's exact digits");
    assert_eq!(col(e, r, "amount_due"), &Cell::Numeric("0.10".into()));
    assert_eq!(col(e, r, "date"), &Cell::Date((days_from_civil(2014, 12, 31) - PG_EPOCH_DAYS) as i32));
    assert_eq!(col(e, r, "due_date"), &Cell::Date((days_from_civil(1969, 12, 31) - PG_EPOCH_DAYS) as i32));
    assert_eq!(col(e, r, "has_attachments"), &Cell::Bool(false));
    assert_eq!(col(e, r, "reference"), &Cell::Null);
    let Cell::Json(lines) = col(e, r, "line_items") else { panic!() };
    assert!(lines.contains("\"Quantity\":3.0000"), "{lines}");
    assert_eq!(col(e, &page.rows[1], "date"), &Cell::Date(-(PG_EPOCH_DAYS as i32)));
    assert_eq!(col(e, &page.rows[1], "contact_name"), &Cell::Null);
}

#[test]
fn line_items_become_one_row_each_with_their_invoice() {
    let e = entity_by_function("xero_invoice_line_items").unwrap();
    let page = decode_page(e, &e.columns(), PAGE.as_bytes()).unwrap();
    assert_eq!(page.rows.len(), 2);
    assert_eq!(col(e, &page.rows[1], "line_number"), &Cell::Int(2));
    assert_eq!(col(e, &page.rows[1], "invoice_number"), &Cell::Text("INV-1".into()));
    assert_eq!(col(e, &page.rows[1], "line_amount"), &Cell::Numeric("0".into()));
    assert_eq!(col(e, &page.rows[0], "invoice_id"), &Cell::Uuid(parse_uuid("0b8f0f0e-8f3c-4d3e-9c7a-3f1e2d4c5b6a").unwrap()));
}

#[test]
fn bad_responses_say_what_is_wrong() {
    let e = entity_by_function("xero_invoices").unwrap();
    let cols = e.columns();
    let cases: &[(&str, ErrorKind, &str)] = &[
        ("{\"Invoices\":[", ErrorKind::ProtocolViolation, "not valid JSON"),
        ("<html>oops</html>", ErrorKind::ProtocolViolation, "not valid JSON"),
        ("[]", ErrorKind::ProtocolViolation, "not a JSON object"),
        ("{\"Status\":\"OK\"}", ErrorKind::ProtocolViolation, "no \"Invoices\" array"),
        ("{\"Invoices\":{}}", ErrorKind::ProtocolViolation, "where an array was expected"),
        ("{\"ErrorNumber\":10,\"Type\":\"ValidationException\",\"Message\":\"A validation exception occurred\"}", ErrorKind::Rejected, "ValidationException"),
        ("{\"Invoices\":[{\"InvoiceID\":\"x\"", ErrorKind::ProtocolViolation, "not valid JSON"),
        ("{\"Invoices\":[{\"InvoiceID\":\"not-a-uuid\"}]}", ErrorKind::BadValue, "\"invoice_id\", which is not a UUID"),
        ("{\"Invoices\":[{\"Total\":\"abc\"}]}", ErrorKind::BadValue, "\"total\", which is not a number"),
        ("{\"Invoices\":[{\"Date\":\"/Date(x)/\"}]}", ErrorKind::BadDate, "malformed date for column \"date\""),
        ("{\"Invoices\":[{\"HasAttachments\":\"maybe\"}]}", ErrorKind::BadValue, "not a boolean"),
    ];
    for (body, kind, text) in cases {
        let err = decode_page(e, &cols, body.as_bytes()).expect_err(body);
        assert_eq!(err.kind, *kind, "{body}: {err}");
        assert!(err.to_string().contains(text), "{body}: {err}");
    }
}

#[test]
fn invalid_utf8_is_a_protocol_error() {
    let e = entity_by_function("xero_accounts").unwrap();
    let err = decode_page(e, &e.columns(), b"{\"Accounts\":[{\"Name\":\"\xff\xfe\"}]}").unwrap_err();
    assert_eq!(err.kind, ErrorKind::ProtocolViolation);
    assert!(err.message.contains("not UTF-8"), "{err}");
}

#[test]
fn integers_out_of_range_are_errors_not_wraps() {
    let e = entity_by_function("xero_organisation").unwrap();
    let body = r#"{"Organisations":[{"FinancialYearEndDay":99999999999}]}"#;
    let err = decode_page(e, &e.columns(), body.as_bytes()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::OutOfRange, "{err}");
}

#[test]
fn dates_postgresql_cannot_hold_are_out_of_range() {
    let e = entity_by_function("xero_invoices").unwrap();
    for field in ["Date", "UpdatedDateUTC"] {
        let body = format!(r#"{{"Invoices":[{{"{field}":"/Date(-300000000000000)/"}}]}}"#);
        let err = decode_page(e, &e.columns(), body.as_bytes()).unwrap_err();
        assert_eq!(err.kind, ErrorKind::OutOfRange, "{field}: {err}");
    }
}

#[test]
fn uuids_parse_strictly() {
    assert!(parse_uuid("0B8F0F0E-8F3C-4D3E-9C7A-3F1E2D4C5B6A").is_some());
    for bad in ["", "0b8f0f0e8f3c4d3e9c7a3f1e2d4c5b6a", "0b8f0f0e-8f3c-4d3e-9c7a-3f1e2d4c5b6g", "{0b8f0f0e-8f3c-4d3e-9c7a-3f1e2d4c5b6}"] {
        assert!(parse_uuid(bad).is_none(), "{bad}");
    }
    assert_eq!(parse_uuid("0b8f0f0e-8f3c-4d3e-9c7a-3f1e2d4c5b6a").unwrap()[15], 0x6a);
    // Found by fuzz/fuzz_targets/decode_page.rs: a fifth dash used to shift the hex pairs
    // and index past the end (a panic while decoding Xero's answer).
    for bad in ["b2c885a9-4bb9-4a00-9b6e-6c2bf6-b1a65", "0b8f0f0e-8f3c-4d3e-9c7a-3f1e2d4c5b6-", "-b8f0f0e-8f3c-4d3e-9c7a-3f1e2d4c5b6a"] {
        assert!(parse_uuid(bad).is_none(), "{bad}");
    }
    let e = entity_by_function("xero_organisation").unwrap();
    let body = r#"{"Organisations":[{"OrganisationID":"b2c885a9-4bb9-4a00-9b6e-6c2bf6-b1a65","l":true}]}"#;
    assert_eq!(decode_page(e, &e.columns(), body.as_bytes()).unwrap_err().kind, ErrorKind::BadValue);
}

#[test]
fn uuids_format_as_they_parse() {
    let text = "4ba591a3-5103-4bee-89dd-149eef3a7326";
    let bytes = parse_uuid(text).unwrap();
    assert_eq!(format_uuid(&bytes), text);
    assert_eq!(format_uuid(&[0; 16]), "00000000-0000-0000-0000-000000000000");
}

