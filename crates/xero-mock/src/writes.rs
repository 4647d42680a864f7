//! Writes to the Accounting API: `PUT` creates, `POST` creates or updates (an element
//! with its id, or `POST /{Endpoint}/{id}`), deletion is a status change except on the
//! few routes where Xero has a real `DELETE`, and child routes add and remove tracking
//! options, allocations and contact-group members.
//!
//! A write passes the same checks as a read (`accounting::guarded`: 401 → 403 → 429 →
//! fault, using quota like a read), then its `Idempotency-Key` (`idempotency.rs`), then
//! acts. Every element of a batch is checked on its own: good ones are written even when
//! others fail, and the answer has one element per element sent, in order
//! (`summarizeErrors=false`: 200 with `StatusAttributeString` OK/ERROR and
//! `ValidationErrors`; otherwise 200 when all are good, else Xero's 400
//! `ValidationException` naming the failed ones). Rendering is in `writes_reply.rs`; the
//! collections in `writes_invoices.rs`, `writes_contacts.rs`, `writes_accounts.rs`,
//! `writes_payments.rs`, `writes_generic.rs` (schema-driven, with per-collection rules in
//! `writes_rules.rs` and particulars in `writes_special.rs`, `writes_particulars.rs`) and
//! `writes_children.rs`; what the collections share (the record a path or an element's own
//! id names, and the answer's elements) in `writes_target.rs`.

use std::sync::{Arc, MutexGuard};

use hyper::Method;
use serde_json::Value;

use crate::accounting;
use crate::collections::{self, COLLECTIONS};
use crate::dates::{XeroDate, MS_PER_DAY};
use crate::faults::Outcome;
use crate::generic_model::GObj;
use crate::idempotency::{Seen, MAX_KEY_LEN};
use crate::ids::{Rng, Uuid};
use crate::ledger::{Line, Posting};
use crate::reply::Reply;
use crate::request::Req;
use crate::state::{lock, State};
use crate::writes_lines::Refs;
use crate::writes_values::Problems;

/// What a written collection is kept as.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Target {
    Invoices,
    Contacts,
    Accounts,
    Generic(usize),
}

/// Routes below a record.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Child {
    /// `TrackingCategories/{id}/Options`
    Options,
    /// `CreditNotes|Overpayments|Prepayments/{id}/Allocations`
    Allocations,
    /// `ContactGroups/{id}/Contacts`
    Members,
}

impl Child {
    fn name(self) -> &'static str {
        match self {
            Child::Options => "Options",
            Child::Allocations => "Allocations",
            Child::Members => "Contacts",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Shape {
    Base,
    Record,
    ChildList(Child),
    ChildRecord(Child),
}

pub struct Route {
    pub method: Method,
    pub target: Target,
    /// The endpoint's canonical name (`Invoices`).
    pub key: &'static str,
    pub id: Option<String>,
    pub child: Option<(Child, Option<String>)>,
}

/// The write methods the specification gives each endpoint and shape.
fn allowed(key: &str, shape: Shape) -> &'static [Method] {
    const PUT: &[Method] = &[Method::PUT];
    const POST: &[Method] = &[Method::POST];
    const PUT_POST: &[Method] = &[Method::PUT, Method::POST];
    const POST_DELETE: &[Method] = &[Method::POST, Method::DELETE];
    const PUT_DELETE: &[Method] = &[Method::PUT, Method::DELETE];
    const DELETE: &[Method] = &[Method::DELETE];
    match (key, shape) {
        (
            "Invoices" | "Contacts" | "BankTransactions" | "BankTransfers" | "BatchPayments"
            | "CreditNotes" | "ManualJournals" | "Payments" | "PurchaseOrders" | "Quotes"
            | "RepeatingInvoices",
            Shape::Base,
        ) => PUT_POST,
        (
            "Invoices" | "Contacts" | "BankTransactions" | "BankTransfers" | "BatchPayments"
            | "CreditNotes" | "ManualJournals" | "Payments" | "PurchaseOrders" | "Quotes"
            | "RepeatingInvoices" | "ContactGroups" | "ExpenseClaims" | "Receipts",
            Shape::Record,
        ) => POST,
        ("Items" | "TaxRates", Shape::Base) => PUT_POST,
        (
            "Accounts" | "ContactGroups" | "Currencies" | "PaymentServices" | "ExpenseClaims"
            | "Receipts" | "LinkedTransactions" | "TrackingCategories",
            Shape::Base,
        ) => PUT,
        ("Accounts" | "Items" | "LinkedTransactions" | "TrackingCategories", Shape::Record) => {
            POST_DELETE
        }
        ("TrackingCategories", Shape::ChildList(Child::Options)) => PUT,
        ("TrackingCategories", Shape::ChildRecord(Child::Options)) => POST_DELETE,
        ("CreditNotes" | "Overpayments" | "Prepayments", Shape::ChildList(Child::Allocations)) => {
            PUT
        }
        (
            "CreditNotes" | "Overpayments" | "Prepayments",
            Shape::ChildRecord(Child::Allocations),
        ) => DELETE,
        ("ContactGroups", Shape::ChildList(Child::Members)) => PUT_DELETE,
        ("ContactGroups", Shape::ChildRecord(Child::Members)) => DELETE,
        _ => &[],
    }
}

/// Splits `Name[/id[/Child[/childId]]]`; endpoint and child names ignore case.
fn split(rest: &str) -> Option<(Target, &'static str, Shape, Vec<&str>)> {
    let parts: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    if parts.iter().any(|p| p.is_empty()) || parts.len() > 4 {
        return None;
    }
    let (target, key) = match parts[0].to_ascii_lowercase().as_str() {
        "invoices" => (Target::Invoices, "Invoices"),
        "contacts" => (Target::Contacts, "Contacts"),
        "accounts" => (Target::Accounts, "Accounts"),
        other => {
            let coll = collections::find(other)?;
            (Target::Generic(coll), COLLECTIONS[coll].key)
        }
    };
    let child = |name: &str| match name.to_ascii_lowercase().as_str() {
        "options" => Some(Child::Options),
        "allocations" => Some(Child::Allocations),
        "contacts" => Some(Child::Members),
        _ => None,
    };
    let shape = match parts.len() {
        1 => Shape::Base,
        2 => Shape::Record,
        3 => Shape::ChildList(child(parts[2])?),
        _ => Shape::ChildRecord(child(parts[2])?),
    };
    Some((target, key, shape, parts))
}

impl Route {
    /// A write route of the Accounting API, or `None` (then the path is a read's, or unknown).
    pub fn parse(method: &Method, rest: &str) -> Option<Route> {
        let (target, key, shape, parts) = split(rest)?;
        if !allowed(key, shape).contains(method) {
            return None;
        }
        let child = match shape {
            Shape::ChildList(c) => Some((c, None)),
            Shape::ChildRecord(c) => Some((c, Some(parts[3].to_string()))),
            _ => None,
        };
        Some(Route {
            method: method.clone(),
            target,
            key,
            id: parts.get(1).map(|s| s.to_string()),
            child,
        })
    }

    /// The methods a path answers (for `Allow` on a 405): GET where a read exists, and the
    /// writes above.
    pub fn methods(rest: &str) -> Vec<Method> {
        let mut out = Vec::new();
        if accounting::Resource::parse(rest).is_some() {
            out.push(Method::GET);
        }
        if let Some((_, key, shape, _)) = split(rest) {
            out.extend(allowed(key, shape).iter().cloned());
        }
        out
    }

    /// Stats, request-log and fault label: `PUT Invoices`, `POST Invoices/{id}`,
    /// `DELETE TrackingCategories/{id}/Options/{id}`.
    pub fn label(&self) -> String {
        let mut l = format!("{} {}", self.method, self.key);
        if self.id.is_some() {
            l.push_str("/{id}");
        }
        if let Some((c, id)) = &self.child {
            l.push('/');
            l.push_str(c.name());
            if id.is_some() {
                l.push_str("/{id}");
            }
        }
        l
    }
}

pub async fn handle(state: &Arc<State>, req: &Req, route: Route) -> Outcome {
    let label = route.label();
    accounting::guarded(state, req, &label, |tenant| run(state, req, tenant, &route)).await
}

/// The key first, then the write.
fn run(state: &State, req: &Req, tenant: usize, route: &Route) -> Reply {
    let json = req.wants_json();
    let key = req
        .header("idempotency-key")
        .map(str::trim)
        .filter(|k| !k.is_empty());
    if let Some(k) = key {
        if k.chars().count() > MAX_KEY_LEN {
            return Reply::validation_error(
                json,
                &format!(
                    "The Idempotency-Key header must be at most {MAX_KEY_LEN} characters long"
                ),
            );
        }
        match lock(&state.writes).check(tenant, k, req) {
            Seen::New => {}
            Seen::Replay(answer) => return answer,
            Seen::Conflict => {
                return Reply::validation_error(
                    json,
                    "Idempotency key already used with a different request (method, path, query and body must be the same)",
                )
            }
        }
    }
    state.prepare_for_writes(tenant);
    let (reply, created) = act(state, req, tenant, route);
    lock(&state.writes).remember(tenant, key, req, &reply, created);
    reply
}

/// How a write request came: `PUT` creates only; `POST /{Endpoint}/{id}` names its record.
pub struct Mode {
    pub put: bool,
    pub path_id: Option<String>,
}

/// A record a write produced, rendered as a read would render it.
pub enum Done {
    Invoice(Uuid),
    Contact(Uuid),
    Account(Uuid),
    /// A generic record (or a child such as an allocation) as it was after the write.
    Obj(GObj),
}

/// One element of the request and what became of it.
pub struct Element {
    pub sent: Value,
    pub result: Result<Done, Problems>,
}

pub enum Answer {
    /// Xero's envelope around `key` (`Invoices`), elements named `schema` in XML.
    Elements {
        key: &'static str,
        schema: &'static str,
        elements: Vec<Element>,
    },
    /// The record a path names does not exist.
    NotFound,
    /// 204, as the specification answers some DELETEs.
    NoContent,
    /// A bare object (the allocation a DELETE removed).
    Bare(Done),
    /// The whole request is unusable (a body that is not JSON): 400.
    Invalid(String),
}

/// Shared by every write of one request: the tenant, the clock, ids, reference data and
/// the journals to append.
pub struct Cx<'a> {
    pub state: &'a State,
    pub tenant: usize,
    pub now: i64,
    pub today: i32,
    pub stamp: XeroDate,
    rng: MutexGuard<'a, Rng>,
    pub refs: Refs,
    ledger: Vec<LedgerOp>,
    /// Ids of the records created (for `GET /__mock/writes`).
    pub created: Vec<Uuid>,
}

enum LedgerOp {
    Post(Posting),
    /// Reverse everything `source_id` has journalled so far, dated `date`.
    Reverse(Uuid, i32),
}

impl<'a> Cx<'a> {
    fn new(state: &'a State, tenant: usize) -> Cx<'a> {
        let now = state.clock.now_ms();
        Cx {
            state,
            tenant,
            now,
            today: now.div_euclid(MS_PER_DAY) as i32,
            stamp: XeroDate::utc(now),
            rng: lock(&state.write_rng[tenant]),
            refs: Refs::load(state, tenant),
            ledger: Vec::new(),
            created: Vec::new(),
        }
    }

    pub fn uuid(&mut self) -> Uuid {
        self.rng.uuid()
    }

    /// A fresh id for a created record, counted as created.
    pub fn new_id(&mut self) -> Uuid {
        let id = self.rng.uuid();
        self.created.push(id);
        id
    }

    pub fn post(&mut self, p: Posting) {
        self.ledger.push(LedgerOp::Post(p));
    }

    pub fn reverse(&mut self, source_id: Uuid, date: i32) {
        self.ledger.push(LedgerOp::Reverse(source_id, date));
    }

    /// Appends this request's journals after the last one, in the order they were made.
    fn finish(mut self) -> Vec<Uuid> {
        let ops = std::mem::take(&mut self.ledger);
        if !ops.is_empty() {
            let (rng, now) = (&mut *self.rng, self.now);
            self.state.update_ledger(self.tenant, |l| {
                let mut out: Vec<Posting> = Vec::new();
                for op in ops {
                    match op {
                        LedgerOp::Post(p) => out.push(p),
                        LedgerOp::Reverse(id, date) => {
                            let mut undo = l.reversals(id, date);
                            undo.extend(
                                out.iter()
                                    .filter(|p| p.source_id == id)
                                    .map(|p| negated(p, date)),
                            );
                            out.extend(undo);
                        }
                    }
                }
                l.append(rng, now, out);
            });
        }
        self.created
    }
}

fn negated(p: &Posting, date: i32) -> Posting {
    Posting {
        date,
        source: p.source,
        source_id: p.source_id,
        lines: p
            .lines
            .iter()
            .map(|l| Line {
                net: -l.net,
                tax: -l.tax,
                ..*l
            })
            .collect(),
    }
}

/// The elements of a write body: `{"<Key>": [ … ]}`, `{"<Key>": { … }}`, a bare element or
/// a bare list.
pub fn elements(body: &[u8], key: &str) -> Result<Vec<Value>, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err("The request body is empty".into());
    }
    let v: Value = serde_json::from_slice(body).map_err(|e| format!("Invalid JSON: {e}"))?;
    let inner = v.as_object().and_then(|o| {
        o.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.clone())
    });
    match inner.unwrap_or(v) {
        Value::Array(items) => items
            .into_iter()
            .map(|i| match i {
                Value::Object(_) => Ok(i),
                other => Err(format!(
                    "Each element of {key} must be an object, not {other}"
                )),
            })
            .collect(),
        obj @ Value::Object(_) => Ok(vec![obj]),
        other => Err(format!(
            "{key} must be an object or a list of objects, not {other}"
        )),
    }
}

fn act(state: &State, req: &Req, tenant: usize, route: &Route) -> (Reply, Vec<Uuid>) {
    let mut cx = Cx::new(state, tenant);
    let mode = Mode {
        put: route.method == Method::PUT,
        path_id: route.id.clone(),
    };
    let body_key = match &route.child {
        Some((c, _)) => c.name(),
        None => route.key,
    };
    // The whole write holds the tenant (the runtime is single-threaded, so no reader
    // waits); generic collections and the ledger are changed under it, never the reverse.
    let answer = state.update_tenant(tenant, |t| {
        let cx = &mut cx;
        let id = route.id.as_deref().unwrap_or_default();
        match (&route.child, &route.method, route.target) {
            (Some((child, child_id)), method, _) => crate::writes_children::child(
                cx,
                t,
                route.key,
                id,
                *child,
                child_id.as_deref(),
                method,
                &req.body,
            ),
            (None, &Method::DELETE, target) => crate::writes_children::delete(cx, t, target, id),
            (None, _, target) => match elements(&req.body, body_key) {
                Err(e) => Answer::Invalid(e),
                Ok(sent) => match target {
                    Target::Invoices => crate::writes_invoices::write(cx, t, sent, &mode),
                    Target::Contacts => crate::writes_contacts::write(cx, t, sent, &mode),
                    Target::Accounts => crate::writes_accounts::write(cx, t, sent, &mode),
                    Target::Generic(coll) if COLLECTIONS[coll].key == "Payments" => {
                        crate::writes_payments::write(cx, t, sent, &mode)
                    }
                    Target::Generic(coll) => crate::writes_generic::write(cx, t, coll, sent, &mode),
                },
            },
        }
    });
    let created = cx.finish();
    (
        crate::writes_reply::render(state, req, tenant, answer),
        created,
    )
}
