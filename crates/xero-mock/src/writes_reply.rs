//! Answers to writes, in the format the client asked for (`Accept`), shaped as Xero
//! shapes them:
//!
//! - the envelope (`Id`, `Status: OK`, `ProviderName`, `DateTimeUTC`, then the collection
//!   key) with one element per element sent, in order: a written one as a read renders
//!   it plus `"StatusAttributeString": "OK"`; a rejected one as it was sent plus
//!   `"StatusAttributeString": "ERROR"`, `HasErrors: true` (or `HasValidationErrors` where
//!   the schema has that instead) and `ValidationErrors: [{Message}…]`;
//! - without `summarizeErrors=false`, any rejected element makes it Xero's 400
//!   `{"ErrorNumber": 10, "Type": "ValidationException", "Message": "A validation
//!   exception occurred", "Elements": [the rejected elements]}` (the good ones were
//!   written all the same, and their ids are not returned, as in Xero).

use serde_json::Value;

use crate::emit::{self, Detail};
use crate::generic_emit;
use crate::ids::Uuid;
use crate::model::Tenant;
use crate::render_json::JsonSink;
use crate::render_xml::XmlSink;
use crate::reply::{Reply, XML};
use crate::request::Req;
use crate::sink::Sink;
use crate::spec::{self, Kind, Schema};
use crate::state::State;
use crate::unit_dp::UnitDp;
use crate::writes::{Answer, Done, Element};

pub fn render(state: &State, req: &Req, tenant: usize, answer: Answer) -> Reply {
    let json = req.wants_json();
    match answer {
        Answer::NotFound => Reply::not_found(),
        Answer::NoContent => Reply {
            status: 204,
            headers: Vec::new(),
            body: bytes::Bytes::new(),
        },
        Answer::Invalid(message) => {
            Reply::api_exception(400, json, 14, "PostDataInvalidException", &message, None)
        }
        Answer::Bare(done) => {
            let t = state.tenant(tenant);
            let dp = UnitDp::of(req);
            if json {
                let mut s = JsonSink::with_capacity(1024);
                done_record(&mut s, &t, &done, dp);
                Reply::json(200, s.out)
            } else {
                let mut s = XmlSink::with_capacity(1024);
                done_record(&mut s, &t, &done, dp);
                Reply::new(200, XML, s.out)
            }
        }
        Answer::Elements {
            key,
            schema,
            elements,
        } => {
            let per_element = req
                .param("summarizeErrors")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("false"));
            let failed = elements.iter().any(|e| e.result.is_err());
            let t = state.tenant(tenant);
            let dp = UnitDp::of(req);
            if failed && !per_element {
                if json {
                    let mut s = JsonSink::with_capacity(4096);
                    exception(&mut s, schema, &elements);
                    Reply::json(400, s.out)
                } else {
                    let mut s = XmlSink::with_capacity(4096);
                    exception(&mut s, schema, &elements);
                    Reply::new(400, XML, s.out)
                }
            } else {
                let id = state.next_response_id();
                let now = state.clock.now_ms();
                let cap = 512 + elements.len() * 2600;
                if json {
                    let mut s = JsonSink::with_capacity(cap);
                    emit::envelope(&mut s, id, now, None, key, |s| {
                        for e in &elements {
                            element(s, &t, schema, e, dp);
                        }
                    });
                    Reply::json(200, s.out)
                } else {
                    let mut s = XmlSink::with_capacity(cap);
                    emit::envelope(&mut s, id, now, None, key, |s| {
                        for e in &elements {
                            element(s, &t, schema, e, dp);
                        }
                    });
                    Reply::new(200, XML, s.out)
                }
            }
        }
    }
}

fn exception<S: Sink>(s: &mut S, schema: &str, elements: &[Element]) {
    s.open("ApiException");
    s.int("ErrorNumber", 10);
    s.str("Type", "ValidationException");
    s.str("Message", "A validation exception occurred");
    s.open_list("Elements");
    for e in elements {
        if let Err(problems) = &e.result {
            rejected(s, "DataContractBase", schema, &e.sent, &problems.0);
        }
    }
    s.close_list("Elements");
    s.close("ApiException");
}

fn element<S: Sink>(s: &mut S, t: &Tenant, schema: &str, e: &Element, dp: UnitDp) {
    match &e.result {
        Ok(done) => {
            let mut tagged = Tagged { inner: s, depth: 0 };
            done_record(&mut tagged, t, done, dp);
        }
        Err(problems) => rejected(s, schema, schema, &e.sent, &problems.0),
    }
}

/// A written record as a read renders it.
fn done_record<S: Sink>(s: &mut S, t: &Tenant, done: &Done, dp: UnitDp) {
    match done {
        Done::Invoice(id) => {
            if let Some(inv) = t.invoices.iter().rev().find(|i| i.invoice_id == *id) {
                emit::invoice(s, t, inv, Detail::Full, dp);
            }
        }
        Done::Contact(id) => {
            if let Some(c) = t.contacts.iter().rev().find(|c| c.contact_id == *id) {
                emit::contact(s, c);
            }
        }
        Done::Account(id) => {
            if let Some(a) = t.accounts.iter().find(|a| a.account_id == *id) {
                emit::account(s, a);
            }
        }
        Done::Obj(o) => generic_emit::record(s, o, dp),
    }
}

/// The element as sent, with why it was refused.
fn rejected<S: Sink>(s: &mut S, name: &str, schema: &str, sent: &Value, problems: &[String]) {
    let schema = spec::schema(schema);
    s.open(name);
    echo_members(s, sent, schema);
    s.str("StatusAttributeString", "ERROR");
    match schema {
        Some(sc) if sc.prop_index("HasErrors").is_some() => s.bool("HasErrors", true),
        Some(sc) if sc.prop_index("HasValidationErrors").is_some() => {
            s.bool("HasValidationErrors", true)
        }
        _ => {}
    }
    s.open_list("ValidationErrors");
    for m in problems {
        s.open("ValidationError");
        s.str("Message", m);
        s.close("ValidationError");
    }
    s.close_list("ValidationErrors");
    s.close(name);
}

/// Fields the rejection writes itself; a client's own copies of them are not echoed.
const OURS: &[&str] = &[
    "StatusAttributeString",
    "ValidationErrors",
    "HasErrors",
    "HasValidationErrors",
    "Warnings",
];

fn echo_members<S: Sink>(s: &mut S, v: &Value, schema: Option<&'static Schema>) {
    let Some(obj) = v.as_object() else { return };
    for (k, v) in obj {
        if OURS.iter().any(|o| o.eq_ignore_ascii_case(k)) {
            continue;
        }
        let kind = schema.and_then(|sc| {
            sc.props
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(k))
                .map(|p| p.kind)
        });
        echo(s, k, v, kind);
    }
}

fn echo<S: Sink>(s: &mut S, name: &str, v: &Value, kind: Option<Kind>) {
    match v {
        Value::Null => {}
        Value::Bool(b) => s.bool(name, *b),
        Value::Number(n) => s.number_text(name, &n.to_string()),
        Value::String(t) => s.str(name, t),
        Value::Object(_) => {
            let nested = match kind {
                Some(Kind::Object(n)) => spec::schema(n),
                _ => None,
            };
            s.open(name);
            echo_members(s, v, nested);
            s.close(name);
        }
        Value::Array(items) => {
            let (item_name, nested) = match kind {
                Some(Kind::Array(n)) => (n.to_string(), spec::schema(n)),
                _ => (name.strip_suffix('s').unwrap_or(name).to_string(), None),
            };
            s.open_list(name);
            for item in items {
                if item.is_object() {
                    s.open(&item_name);
                    echo_members(s, item, nested);
                    s.close(&item_name);
                }
            }
            s.close_list(name);
        }
    }
}

/// Adds `"StatusAttributeString": "OK"` as the last field of the record it wraps.
struct Tagged<'a, S: Sink> {
    inner: &'a mut S,
    depth: usize,
}

impl<S: Sink> Sink for Tagged<'_, S> {
    fn open(&mut self, name: &str) {
        self.depth += 1;
        self.inner.open(name);
    }

    fn close(&mut self, name: &str) {
        if self.depth == 1 {
            self.inner.str("StatusAttributeString", "OK");
        }
        self.depth -= 1;
        self.inner.close(name);
    }

    fn open_list(&mut self, name: &str) {
        self.depth += 1;
        self.inner.open_list(name);
    }

    fn close_list(&mut self, name: &str) {
        self.depth -= 1;
        self.inner.close_list(name);
    }

    fn str(&mut self, name: &str, v: &str) {
        self.inner.str(name, v);
    }

    fn uuid(&mut self, name: &str, v: Uuid) {
        self.inner.uuid(name, v);
    }

    fn int(&mut self, name: &str, v: i64) {
        self.inner.int(name, v);
    }

    fn fixed(&mut self, name: &str, v: i64, scale: u32) {
        self.inner.fixed(name, v, scale);
    }

    fn bool(&mut self, name: &str, v: bool) {
        self.inner.bool(name, v);
    }

    fn date(&mut self, name: &str, v: crate::dates::XeroDate) {
        self.inner.date(name, v);
    }

    fn date_string(&mut self, name: &str, v: crate::dates::XeroDate) {
        self.inner.date_string(name, v);
    }

    fn number_text(&mut self, name: &str, text: &str) {
        self.inner.number_text(name, text);
    }
}
