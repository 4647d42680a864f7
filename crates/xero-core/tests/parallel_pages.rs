//! Pages side by side (`xero_core::pages::PageStream` through `read::Reader`): once the first
//! page gives the page count, the rest are requested concurrently within the hooks' slots, and
//! the rows still come out in Xero's order, with the calls, errors and cancellation of a
//! sequential read.

mod common;

use std::cell::Cell;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::concurrent::{Answer, PageServer};
use xero_core::decode::Cell as Value;
use xero_core::entities::entity_by_function;
use xero_core::http::{Http, HttpSettings};
use xero_core::list::{plan_list, ArgValue};
use xero_core::pages::CallHooks;
use xero_core::read::{Access, Credentials, ReadContext, Reader};
use xero_core::transport::{CallReport, RetryPolicy, StaticHeaders};
use xero_core::{ErrorKind, Result, XeroError};

/// `slots` call slots; counts the permits held at once, the most ever held, and the reports.
/// A lenient one grants every extra call asked for, so only the stream's own window bounds them.
struct Slots {
    slots: usize,
    lenient: bool,
    held: Rc<Cell<usize>>,
    most: Rc<Cell<usize>>,
    reports: Rc<Cell<usize>>,
}

impl Slots {
    fn new(slots: usize) -> Rc<Slots> {
        Rc::new(Slots { slots, lenient: false, held: Rc::default(), most: Rc::default(), reports: Rc::default() })
    }

    fn lenient(slots: usize) -> Rc<Slots> {
        Rc::new(Slots { slots, lenient: true, held: Rc::default(), most: Rc::default(), reports: Rc::default() })
    }

    fn take(&self) -> Box<dyn std::any::Any> {
        self.held.set(self.held.get() + 1);
        self.most.set(self.most.get().max(self.held.get()));
        Box::new(Permit(self.held.clone()))
    }
}

struct Permit(Rc<Cell<usize>>);

impl Drop for Permit {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
    }
}

impl CallHooks for Slots {
    fn before(&self, _label: &str) -> Result<Box<dyn std::any::Any>> {
        assert!(self.held.get() < self.slots, "the call in order was started without a free slot");
        Ok(self.take())
    }
    fn try_before(&self, _label: &str) -> Option<Box<dyn std::any::Any>> {
        (self.lenient || self.held.get() < self.slots).then(|| self.take())
    }
    fn max_in_flight(&self) -> usize {
        self.slots
    }
    fn after(&self, _report: &CallReport) {
        self.reports.set(self.reports.get() + 1);
    }
}

struct Fixed(Rc<Http>);

impl Credentials for Fixed {
    fn access(&self, _stale: Option<&str>) -> Result<Access> {
        let headers = vec![("authorization".into(), "Bearer t".into())];
        Ok(Access { client: self.0.client(), authorizer: Arc::new(StaticHeaders(headers)), token: "t".into() })
    }
}

/// Page `page` of `count`, three invoices numbered `P<page>-<i>`.
fn page_body(page: u32, count: u32) -> String {
    let records: Vec<String> = (0..3)
        .map(|i| format!(r#"{{"InvoiceID":"00000000-0000-0000-0000-{:012}","InvoiceNumber":"P{page}-{i}"}}"#, page * 10 + i))
        .collect();
    format!(r#"{{"pagination":{{"page":{page},"pageSize":1000,"pageCount":{count},"itemCount":{}}},"Invoices":[{}]}}"#, count * 3, records.join(","))
}

fn ok(page: u32, count: u32, delay_ms: u64) -> Answer {
    Answer { delay: Duration::from_millis(delay_ms), status: 200, body: page_body(page, count) }
}

fn start(server: &PageServer, hooks: Rc<dyn CallHooks>, max_pages: Option<i64>, interrupted: fn() -> bool) -> Reader {
    let http = Rc::new(Http::new(HttpSettings::default()).unwrap());
    let entity = entity_by_function("xero_invoices").unwrap();
    let args: Vec<_> = max_pages.map(|n| (entity.filter("max_pages").unwrap(), ArgValue::Int(n))).into_iter().collect();
    let plan = plan_list(entity, &format!("{}/api.xro/2.0", server.base), &args).unwrap();
    let cx = ReadContext { http: http.clone(), policy: RetryPolicy::default(), hooks, interrupted };
    Reader::start(cx, entity, plan, Box::new(Fixed(http))).unwrap()
}

fn number(reader: &Reader, row: &[Value]) -> String {
    let i = reader.columns().iter().position(|c| c.name == "invoice_number").unwrap();
    match &row[i] {
        Value::Text(s) => s.clone(),
        other => panic!("invoice_number is {other:?}"),
    }
}

/// Every invoice number, in the order the reader hands them out, or the first error.
fn read_all(reader: &mut Reader) -> std::result::Result<Vec<String>, (Vec<String>, XeroError)> {
    let mut out = Vec::new();
    loop {
        match reader.next_row() {
            Ok(Some(row)) => out.push(number(reader, &row)),
            Ok(None) => return Ok(out),
            Err(e) => return Err((out, e)),
        }
    }
}

fn expected(pages: u32) -> Vec<String> {
    (1..=pages).flat_map(|p| (0..3).map(move |i| format!("P{p}-{i}"))).collect()
}

fn never() -> bool {
    false
}

#[test]
fn rows_keep_xeros_order_when_later_pages_arrive_first() {
    // Page 2 is the slowest, page 12 the fastest: completion order is nearly reversed.
    let server = PageServer::start(|p| ok(p, 12, if p == 1 { 0 } else { 20 * (14 - p as u64) }));
    let slots = Slots::new(5);
    let mut reader = start(&server, slots.clone(), None, never);
    assert_eq!(read_all(&mut reader).unwrap(), expected(12));
    assert_eq!(reader.stats().calls, 12);
    let mut pages = server.pages();
    pages.sort_unstable();
    assert_eq!(pages, (1..=12).collect::<Vec<_>>(), "every page asked for once");
    assert!(server.max_in_flight() >= 3, "pages were not fetched side by side: {}", server.max_in_flight());
    assert!(server.max_in_flight() <= 5, "more than five calls in flight: {}", server.max_in_flight());
    assert_eq!(slots.most.get(), 5, "the window was not filled");
    assert_eq!(slots.held.get(), 0, "a slot is still held after the listing");
    assert_eq!(slots.reports.get(), 12);
}

#[test]
fn never_more_in_flight_than_the_slots_allow() {
    for (n, slots) in [1, 2, 3, 5].into_iter().flat_map(|n| [(n, Slots::new(n)), (n, Slots::lenient(n))]) {
        let server = PageServer::start(|p| ok(p, 9, 30));
        let mut reader = start(&server, slots.clone(), None, never);
        assert_eq!(read_all(&mut reader).unwrap(), expected(9));
        assert!(server.max_in_flight() <= n, "{} in flight with {n} slots", server.max_in_flight());
        assert_eq!(slots.most.get(), n, "slots held at once (pages held = slots + the one being read)");
    }
}

#[test]
fn the_parallel_read_is_the_sequential_read() {
    for max_pages in [None, Some(1), Some(4), Some(40)] {
        let read = |n: usize| {
            let server = PageServer::start(|p| ok(p, 7, (p as u64 * 7) % 5 * 10));
            let mut reader = start(&server, Slots::new(n), max_pages, never);
            let rows = read_all(&mut reader).unwrap();
            let mut pages = server.pages();
            pages.sort_unstable();
            (rows, pages, reader.stats())
        };
        assert_eq!(read(1), read(5), "max_pages {max_pages:?}");
    }
}

#[test]
fn the_first_failing_page_in_order_fails_the_read_with_its_error() {
    // Page 4 fails with a different error, faster than page 3: page 3's error must win.
    let answer = |p| match p {
        3 => Answer { delay: Duration::from_millis(150), status: 400, body: r#"{"Type":"ValidationException","Message":"page three is bad"}"#.into() },
        4 => Answer { delay: Duration::ZERO, status: 404, body: "{}".into() },
        p => ok(p, 6, 20),
    };
    let outcome = |n: usize| {
        let server = PageServer::start(answer);
        let mut reader = start(&server, Slots::new(n), None, never);
        let (rows, err) = read_all(&mut reader).unwrap_err();
        (rows, err.kind, err.message, err.detail)
    };
    let sequential = outcome(1);
    assert_eq!(sequential.0, expected(2), "rows of the pages before the failing one");
    assert!(sequential.2.contains("page 3"), "{sequential:?}");
    assert_eq!(outcome(5), sequential);
}

#[test]
fn dropping_the_reader_abandons_every_outstanding_call() {
    let server = PageServer::start(|p| ok(p, 20, if p == 1 { 0 } else { 5_000 }));
    let slots = Slots::new(5);
    let mut reader = start(&server, slots.clone(), None, never);
    reader.next_row().unwrap().unwrap(); // page 1 taken, pages 2..6 now in flight
    let deadline = Instant::now() + Duration::from_secs(2);
    while server.in_flight() < 5 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(server.in_flight(), 5);
    let dropped = Instant::now();
    drop(reader); // what a satisfied LIMIT does
    while server.abandoned() < 5 && dropped.elapsed() < Duration::from_secs(3) {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(server.abandoned(), 5, "calls still open after the reader was dropped");
    assert!(dropped.elapsed() < Duration::from_secs(1), "abandoning took {:?}", dropped.elapsed());
    assert_eq!(slots.held.get(), 0, "slots still held");
    assert_eq!(server.pages().len(), 6, "no call started after the drop");
}

static CANCEL: AtomicBool = AtomicBool::new(false);

fn cancelled() -> bool {
    CANCEL.load(Ordering::SeqCst)
}

#[test]
fn a_cancel_stops_a_read_waiting_on_many_pages_within_a_second() {
    let server = PageServer::start(|p| ok(p, 20, if p == 1 { 0 } else { 30_000 }));
    let mut reader = start(&server, Slots::new(5), None, cancelled);
    for _ in 0..3 {
        reader.next_row().unwrap().unwrap();
    }
    std::thread::spawn(|| {
        std::thread::sleep(Duration::from_millis(300));
        CANCEL.store(true, Ordering::SeqCst);
    });
    let waiting = Instant::now();
    let err = reader.next_row().unwrap_err();
    assert_eq!(err.kind, ErrorKind::Interrupted, "{err}");
    assert!(waiting.elapsed() < Duration::from_millis(1_300), "took {:?}", waiting.elapsed());
    drop(reader);
    let deadline = Instant::now() + Duration::from_secs(1);
    while server.in_flight() > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(server.in_flight(), 0, "calls still open after the cancel");
}
