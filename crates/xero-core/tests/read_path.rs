//! The one read path (`xero_core::read::Reader`): rows pulled in Xero's order across pages, and
//! a token Xero refuses before any page renewed exactly once through the `Credentials` seam.

mod common;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use common::{reply, Scripted};
use xero_core::decode::Cell;
use xero_core::entities::entity_by_function;
use xero_core::http::{Http, HttpSettings};
use xero_core::list::plan_list;
use xero_core::pages::NoHooks;
use xero_core::read::{Access, Credentials, ReadContext, Reader};
use xero_core::transport::{RetryPolicy, StaticHeaders};
use xero_core::{ErrorKind, Result};

/// Hands out tok-1, tok-2, … and remembers which token each call named stale.
struct Counting {
    http: Rc<Http>,
    asked: Rc<RefCell<Vec<Option<String>>>>,
}

impl Credentials for Counting {
    fn access(&self, stale: Option<&str>) -> Result<Access> {
        let mut asked = self.asked.borrow_mut();
        asked.push(stale.map(str::to_string));
        let token = format!("tok-{}", asked.len());
        let headers = vec![("authorization".into(), format!("Bearer {token}"))];
        Ok(Access { client: self.http.client(), authorizer: Arc::new(StaticHeaders(headers)), token })
    }
}

fn invoices_page(page: u32, page_count: u32, numbers: &[&str]) -> String {
    let records: Vec<String> = numbers
        .iter()
        .enumerate()
        .map(|(i, n)| format!(r#"{{"InvoiceID":"00000000-0000-0000-0000-{:012}","InvoiceNumber":"{n}"}}"#, page * 100 + i as u32))
        .collect();
    format!(r#"{{"pagination":{{"page":{page},"pageSize":1000,"pageCount":{page_count},"itemCount":9}},"Invoices":[{}]}}"#, records.join(","))
}

fn reader(server: &Scripted) -> (Reader, Rc<RefCell<Vec<Option<String>>>>) {
    let http = Rc::new(Http::new(HttpSettings::default()).unwrap());
    let entity = entity_by_function("xero_invoices").unwrap();
    let plan = plan_list(entity, &format!("{}/api.xro/2.0", server.base), &[]).unwrap();
    let asked = Rc::new(RefCell::new(Vec::new()));
    let cx = ReadContext { http: http.clone(), policy: RetryPolicy::default(), hooks: Rc::new(NoHooks), interrupted: || false };
    let reader = Reader::start(cx, entity, plan, Box::new(Counting { http, asked: asked.clone() })).unwrap();
    (reader, asked)
}

fn invoice_number(reader: &Reader, row: &[Cell]) -> String {
    let i = reader.columns().iter().position(|c| c.name == "invoice_number").unwrap();
    match &row[i] {
        Cell::Text(s) => s.clone(),
        other => panic!("invoice_number is {other:?}"),
    }
}

#[test]
fn rows_come_in_order_across_pages() {
    let server = Scripted::start(vec![reply(200, &invoices_page(1, 2, &["A", "B"])), reply(200, &invoices_page(2, 2, &["C"]))]);
    let (mut reader, asked) = reader(&server);
    let mut numbers = Vec::new();
    while let Some(row) = reader.next_row().unwrap() {
        numbers.push(invoice_number(&reader, &row));
    }
    assert_eq!(numbers, ["A", "B", "C"]);
    assert_eq!(reader.stats().calls, 2);
    assert_eq!(*asked.borrow(), [None]);
    let paths: Vec<String> = server.received().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/api.xro/2.0/Invoices?unitdp=4&page=1&pageSize=1000", "/api.xro/2.0/Invoices?unitdp=4&page=2&pageSize=1000"]);
}

#[test]
fn a_refused_token_is_renewed_once_and_the_listing_starts_again() {
    let server = Scripted::start(vec![reply(401, r#"{"Title":"Unauthorized","Status":401}"#), reply(200, &invoices_page(1, 1, &["A"]))]);
    let (reader, asked) = reader(&server);
    let rows: Vec<_> = reader.collect::<Result<Vec<_>>>().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(*asked.borrow(), [None, Some("tok-1".to_string())], "the refused token is named stale");
    let auth: Vec<String> = server.received().iter().map(|r| r.header("authorization").unwrap().to_string()).collect();
    assert_eq!(auth, ["Bearer tok-1", "Bearer tok-2"]);
}

#[test]
fn a_second_refusal_is_an_error_not_a_loop() {
    let refused = r#"{"Title":"Unauthorized","Status":401}"#;
    let server = Scripted::start(vec![reply(401, refused), reply(401, refused), reply(200, &invoices_page(1, 1, &["A"]))]);
    let (mut reader, asked) = reader(&server);
    let err = reader.next_row().unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotAuthorized, "{err}");
    assert_eq!(asked.borrow().len(), 2);
    assert_eq!(server.received().len(), 2);
}

#[test]
fn a_refusal_after_rows_were_produced_is_an_error() {
    let refused = r#"{"Title":"Unauthorized","Status":401}"#;
    let server = Scripted::start(vec![reply(200, &invoices_page(1, 2, &["A"])), reply(401, refused), reply(200, &invoices_page(1, 2, &["A"]))]);
    let (mut reader, asked) = reader(&server);
    let first = reader.next_row().unwrap().unwrap();
    assert_eq!(invoice_number(&reader, &first), "A");
    let err = reader.next_row().unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotAuthorized, "{err}");
    assert_eq!(asked.borrow().len(), 1, "starting again would hand out row A twice");
}

fn context() -> (ReadContext, Rc<Http>) {
    let http = Rc::new(Http::new(HttpSettings::default()).unwrap());
    (ReadContext { http: http.clone(), policy: RetryPolicy::default(), hooks: Rc::new(NoHooks), interrupted: || false }, http)
}

#[test]
fn a_single_call_renews_a_refused_token_once() {
    let server = Scripted::start(vec![reply(401, r#"{"Title":"Unauthorized"}"#), reply(200, r#"{"Reports":[]}"#)]);
    let (cx, http) = context();
    let asked = Rc::new(RefCell::new(Vec::new()));
    let credentials = Counting { http, asked: asked.clone() };
    let request = xero_core::http::Request::get(format!("{}/Reports/TrialBalance", server.base), "GET Reports/TrialBalance");
    let response = xero_core::read::call(&cx, &credentials, request, xero_core::read::Answer::Success).unwrap();
    assert_eq!((response.status, response.body.as_slice()), (200, &br#"{"Reports":[]}"#[..]));
    assert_eq!(*asked.borrow(), [None, Some("tok-1".to_string())]);
}

#[test]
fn a_single_call_gives_xeros_answer_as_is_or_as_an_error() {
    use xero_core::read::{call, Answer};
    let (cx, http) = context();
    let credentials = Counting { http, asked: Rc::new(RefCell::new(Vec::new())) };
    let body = r#"{"Type":"ValidationException","Message":"A validation exception occurred","Elements":[]}"#;
    let server = Scripted::start(vec![reply(400, body), reply(400, body)]);
    let get = || xero_core::http::Request::get(format!("{}/Items/x", server.base), "GET Items/x");
    let raw = call(&cx, &credentials, get(), Answer::AsIs).unwrap();
    assert_eq!((raw.status, String::from_utf8_lossy(&raw.body).into_owned()), (400, body.to_string()));
    let err = call(&cx, &credentials, get(), Answer::Success).unwrap_err();
    assert_eq!(err.status, Some(400));
    assert!(err.detail.unwrap_or_default().contains("A validation exception occurred"));
}
