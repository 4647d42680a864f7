//! Xero's real deletes and the routes below a record:
//!
//! - `DELETE /Accounts/{id}` (`writes_accounts.rs`), `/Items/{id}` and
//!   `/LinkedTransactions/{id}` (204), `/TrackingCategories/{id}` (200, the category with
//!   `Status: DELETED`): the record is gone from reads;
//! - `PUT /TrackingCategories/{id}/Options`, `POST` and `DELETE …/Options/{optionId}`;
//! - `PUT /CreditNotes|Overpayments|Prepayments/{id}/Allocations` allocates credit to an
//!   invoice of the same contact (its `AmountDue` falls, `AmountCredited` rises, PAID when
//!   nothing is left; the document's `RemainingCredit` falls) and `DELETE …/{allocationId}`
//!   undoes it, answering the allocation with `IsDeleted: true`. Allocations post no
//!   journal, as in the ledger (`README.md`);
//! - `PUT /ContactGroups/{id}/Contacts` adds members, `DELETE …/Contacts[/{contactId}]`
//!   removes one or all (204).

use hyper::Method;
use serde_json::Value;

use crate::collections::{self, COLLECTIONS};
use crate::generic_allocations::{allocation, set_money};
use crate::generic_data::contact_obj;
use crate::generic_model::{GObj, GVal};
use crate::ids::Uuid;
use crate::model::{Credit, CreditKind, InvoiceType, Status, Tenant};
use crate::spec;
use crate::writes::{elements, Answer, Child, Cx, Done, Element, Target};
use crate::writes_generic::{find, status_of};
use crate::writes_lines::gtext;
use crate::writes_values::{self as wv, Problems};

pub fn delete(cx: &mut Cx, t: &mut Tenant, target: Target, id: &str) -> Answer {
    let coll = match target {
        Target::Accounts => return crate::writes_accounts::delete(cx, t, id),
        Target::Generic(coll) => coll,
        _ => return Answer::NotFound,
    };
    let Some(i) = find(cx, coll, id) else {
        return Answer::NotFound;
    };
    let c = &COLLECTIONS[coll];
    let mut removed = cx
        .state
        .update_generic(cx.tenant, coll, |recs| recs.remove(i).obj);
    if c.key != "TrackingCategories" {
        return Answer::NoContent;
    }
    removed.set("Status", GVal::Const("DELETED"));
    Answer::Elements {
        key: c.key,
        schema: c.schema,
        elements: vec![Element {
            sent: serde_json::json!({ c.id: id }),
            result: Ok(Done::Obj(removed)),
        }],
    }
}

/// A record's children (`Options`, `Contacts`, `Allocations`), to change and store back.
fn list_of(o: &GObj, field: &str) -> Vec<GObj> {
    match o.get(field) {
        GVal::List(l) => l.clone(),
        _ => Vec::new(),
    }
}

/// Stores record `i`'s changed children.
fn store_list(cx: &Cx, coll: usize, i: usize, field: &str, list: Vec<GObj>) {
    cx.state.update_generic(cx.tenant, coll, |recs| {
        recs[i].obj.set(field, GVal::List(list))
    });
}

#[allow(clippy::too_many_arguments)] // the route's parts, as parsed
pub fn child(
    cx: &mut Cx,
    t: &mut Tenant,
    key: &str,
    id: &str,
    child: Child,
    child_id: Option<&str>,
    method: &Method,
    body: &[u8],
) -> Answer {
    let coll = collections::find(key).expect("child routes are on registered collections");
    let Some(i) = find(cx, coll, id) else {
        return Answer::NotFound;
    };
    let sent = |name: &str| {
        if *method == Method::DELETE {
            Ok(Vec::new())
        } else {
            elements(body, name)
        }
    };
    match child {
        Child::Options => match sent("Options") {
            Err(e) => Answer::Invalid(e),
            Ok(sent) => options(cx, coll, i, child_id, method, sent),
        },
        Child::Members => match sent("Contacts") {
            Err(e) => Answer::Invalid(e),
            Ok(sent) => members(cx, t, coll, i, child_id, sent),
        },
        Child::Allocations => match sent("Allocations") {
            Err(e) => Answer::Invalid(e),
            Ok(sent) => {
                let kind = CreditKind::ALL
                    .into_iter()
                    .find(|k| k.collection() == key)
                    .expect("allocations are on credit documents");
                match child_id {
                    None => allocate(cx, t, coll, i, kind, sent),
                    Some(aid) => unallocate(cx, t, coll, i, kind, aid),
                }
            }
        },
    }
}

fn options(
    cx: &mut Cx,
    coll: usize,
    i: usize,
    option_id: Option<&str>,
    method: &Method,
    sent: Vec<Value>,
) -> Answer {
    let category = cx.state.generic_live(cx.tenant, coll)[i].obj.clone();
    let GVal::Uuid(category_id) = *category.get("TrackingCategoryID") else {
        return Answer::NotFound;
    };
    let mut options = list_of(&category, "Options");
    let position = |options: &[GObj], oid: &str| {
        let wanted = Uuid::parse(oid)?;
        options
            .iter()
            .position(|o| matches!(o.get("TrackingOptionID"), GVal::Uuid(u) if *u == wanted))
    };
    let target = match option_id {
        Some(oid) => match position(&options, oid) {
            Some(k) => Some(k),
            None => return Answer::NotFound,
        },
        None => None,
    };
    let schema = spec::schema("TrackingOption").expect("TrackingOption is generated");
    let mut out = Vec::new();
    if *method == Method::DELETE {
        let k = target.expect("DELETE names its option");
        let mut gone = options.remove(k);
        gone.set("Status", GVal::Const("DELETED"));
        out.push(Element {
            sent: serde_json::json!({ "TrackingOptionID": option_id }),
            result: Ok(Done::Obj(gone)),
        });
    } else {
        for v in sent {
            let mut p = Problems::default();
            let mut o = match target {
                Some(k) => options[k].clone(),
                None => GObj::new(schema),
            };
            if let Some(name) = wv::text(&v, "Name") {
                o.set("Name", GVal::Text(name.trim().to_string()));
            }
            if let Some(s) = wv::one_of(&v, "Status", &["ACTIVE", "ARCHIVED"], &mut p) {
                o.set("Status", GVal::Const(s));
            }
            match gtext(&o, "Name").filter(|n| !n.is_empty()) {
                None => p.add("Name must be specified."),
                Some(name) => {
                    if options.iter().enumerate().any(|(k, x)| {
                        Some(k) != target
                            && gtext(x, "Name").is_some_and(|n| n.eq_ignore_ascii_case(name))
                    }) {
                        p.add(format!("A tracking option with the name '{name}' already exists in this category."));
                    }
                }
            }
            let result = if p.is_empty() {
                match target {
                    Some(k) => options[k] = o.clone(),
                    None => {
                        o.set("TrackingOptionID", GVal::Uuid(cx.new_id()));
                        o.set("Status", GVal::Const("ACTIVE"));
                        o.set("TrackingCategoryID", GVal::Uuid(category_id));
                        options.push(o.clone());
                    }
                }
                Ok(Done::Obj(o))
            } else {
                Err(p)
            };
            out.push(Element { sent: v, result });
        }
    }
    store_list(cx, coll, i, "Options", options);
    Answer::Elements {
        key: "Options",
        schema: "TrackingOption",
        elements: out,
    }
}

fn members(
    cx: &mut Cx,
    t: &Tenant,
    coll: usize,
    i: usize,
    contact_id: Option<&str>,
    sent: Vec<Value>,
) -> Answer {
    let group = cx.state.generic_live(cx.tenant, coll)[i].obj.clone();
    let mut list = list_of(&group, "Contacts");
    let id_of = |o: &GObj| match o.get("ContactID") {
        GVal::Uuid(u) => Some(*u),
        _ => None,
    };
    if sent.is_empty() {
        // DELETE: one member, or all of them.
        match contact_id {
            Some(cid) => {
                let wanted = Uuid::parse(cid);
                let before = list.len();
                list.retain(|o| wanted.is_none() || id_of(o) != wanted);
                if list.len() == before {
                    return Answer::NotFound;
                }
            }
            None => list.clear(),
        }
        store_list(cx, coll, i, "Contacts", list);
        return Answer::NoContent;
    }
    let mut out = Vec::new();
    for v in sent {
        let mut p = Problems::default();
        let result = match wv::uuid(&v, "ContactID", &mut p)
            .and_then(|id| t.contacts.iter().find(|c| c.contact_id == id))
        {
            Some(c) => {
                if !list.iter().any(|o| id_of(o) == Some(c.contact_id)) {
                    list.push(contact_obj(c));
                }
                Ok(Done::Contact(c.contact_id))
            }
            None => {
                if p.is_empty() {
                    p.add("A ContactID of an existing contact must be given.");
                }
                Err(p)
            }
        };
        out.push(Element { sent: v, result });
    }
    store_list(cx, coll, i, "Contacts", list);
    Answer::Elements {
        key: "Contacts",
        schema: "Contact",
        elements: out,
    }
}

/// Invoices a document of this type may be allocated to.
fn pairs(doc_type: &str) -> Option<InvoiceType> {
    match doc_type {
        "ACCRECCREDIT"
        | "RECEIVE-OVERPAYMENT"
        | "RECEIVE-PREPAYMENT"
        | "AROVERPAYMENT"
        | "ARPREPAYMENT" => Some(InvoiceType::AccRec),
        "ACCPAYCREDIT" | "SPEND-OVERPAYMENT" | "SPEND-PREPAYMENT" | "APOVERPAYMENT"
        | "APPREPAYMENT" => Some(InvoiceType::AccPay),
        _ => None,
    }
}

fn allocate(
    cx: &mut Cx,
    t: &mut Tenant,
    coll: usize,
    i: usize,
    kind: CreditKind,
    sent: Vec<Value>,
) -> Answer {
    let mut doc = cx.state.generic_live(cx.tenant, coll)[i].obj.clone();
    let id_field = format!("{}ID", kind.schema());
    let GVal::Uuid(doc_id) = *doc.get(&id_field) else {
        return Answer::NotFound;
    };
    let doc_contact = match doc.get("Contact") {
        GVal::Obj(c) => match c.get("ContactID") {
            GVal::Uuid(u) => Some(*u),
            _ => None,
        },
        _ => None,
    };
    let mut out = Vec::new();
    for v in sent {
        let mut p = Problems::default();
        if !matches!(status_of(&doc), Some("AUTHORISED")) {
            p.add(format!(
                "Only an authorised {} with remaining credit can be allocated.",
                kind.schema()
            ));
        }
        let invoice = match wv::field(&v, "Invoice") {
            Some(iv) => {
                let found = wv::uuid(iv, "InvoiceID", &mut p)
                    .and_then(|id| t.invoices.iter().position(|x| x.invoice_id == id));
                if found.is_none() {
                    p.add("Invoice could not be found");
                }
                found
            }
            None => {
                p.add("Invoice must be specified.");
                None
            }
        };
        let amount = match wv::fixed(&v, "Amount", 2, &mut p) {
            Some(a) if a > 0 => Some(a),
            _ => {
                p.add("Amount must be specified and greater than zero.");
                None
            }
        };
        let date = wv::day(&v, "Date", &mut p);
        if date.is_none() && wv::field(&v, "Date").is_none() {
            p.add("Date must be specified.");
        }
        let remaining = doc.fixed("RemainingCredit");
        if let (Some(k), Some(amount)) = (invoice, amount) {
            let inv = &t.invoices[k];
            if inv.status != Status::Authorised {
                p.add("Credit can only be allocated to an authorised invoice with an amount due.");
            }
            if pairs(gtext(&doc, "Type").unwrap_or_default()) != Some(inv.kind) {
                p.add(format!(
                    "This {} cannot be allocated to an invoice of type {}.",
                    kind.schema(),
                    inv.kind.as_str()
                ));
            }
            if doc_contact.is_some_and(|c| c != t.contacts[inv.contact as usize].contact_id) {
                p.add(format!(
                    "The {} and the invoice must be for the same contact.",
                    kind.schema()
                ));
            }
            if gtext(&doc, "CurrencyCode").is_some_and(|cur| cur != inv.currency_code) {
                p.add(format!(
                    "The {} and the invoice must be in the same currency.",
                    kind.schema()
                ));
            }
            if amount > remaining {
                p.add("The amount allocated exceeds the remaining credit on this document.");
            }
            if amount > inv.amount_due {
                p.add("The amount allocated exceeds the amount due on the invoice.");
            }
        }
        let result = match (invoice, amount, date) {
            (Some(k), Some(amount), Some(date)) if p.is_empty() => {
                let credit = Credit {
                    kind,
                    doc: i as u32,
                    doc_id,
                    allocation_id: cx.new_id(),
                    amount,
                    date,
                };
                let inv = &mut t.invoices[k];
                inv.credits.push(credit.clone());
                inv.amount_credited += amount;
                inv.amount_due -= amount;
                if inv.amount_due == 0 {
                    inv.status = Status::Paid;
                    inv.fully_paid_on = Some(date);
                }
                inv.updated = cx.stamp;
                let a = allocation(inv, &credit);
                let mut list = list_of(&doc, "Allocations");
                list.push(a.clone());
                doc.set("Allocations", GVal::List(list));
                let applied = doc.fixed("AppliedAmount") * 100 / doc.unit("AppliedAmount");
                set_money(&mut doc, "AppliedAmount", applied + amount);
                doc.set("RemainingCredit", GVal::Fixed(remaining - amount));
                if remaining == amount {
                    doc.set("Status", GVal::Const("PAID"));
                }
                doc.set("UpdatedDateUTC", GVal::Instant(cx.stamp));
                Ok(Done::Obj(a))
            }
            _ => Err(p),
        };
        out.push(Element { sent: v, result });
    }
    cx.state
        .update_generic(cx.tenant, coll, |recs| recs[i].obj = doc);
    Answer::Elements {
        key: "Allocations",
        schema: "Allocation",
        elements: out,
    }
}

fn unallocate(
    cx: &mut Cx,
    t: &mut Tenant,
    coll: usize,
    i: usize,
    kind: CreditKind,
    aid: &str,
) -> Answer {
    let Some(aid) = Uuid::parse(aid) else {
        return Answer::NotFound;
    };
    let mut doc = cx.state.generic_live(cx.tenant, coll)[i].obj.clone();
    let mut list = list_of(&doc, "Allocations");
    let Some(k) = list
        .iter()
        .position(|a| matches!(a.get("AllocationID"), GVal::Uuid(u) if *u == aid))
    else {
        return Answer::NotFound;
    };
    let mut gone = list.remove(k);
    let amount = gone.fixed("Amount");
    if let Some((n, c)) = t.invoices.iter().enumerate().find_map(|(n, inv)| {
        inv.credits
            .iter()
            .position(|c| c.allocation_id == aid && c.kind == kind)
            .map(|c| (n, c))
    }) {
        let inv = &mut t.invoices[n];
        inv.credits.remove(c);
        inv.amount_credited -= amount;
        inv.amount_due += amount;
        if inv.status == Status::Paid {
            inv.status = Status::Authorised;
            inv.fully_paid_on = None;
        }
        inv.updated = cx.stamp;
    }
    doc.set("Allocations", GVal::List(list));
    let applied = doc.fixed("AppliedAmount") * 100 / doc.unit("AppliedAmount");
    set_money(&mut doc, "AppliedAmount", applied - amount);
    doc.set(
        "RemainingCredit",
        GVal::Fixed(doc.fixed("RemainingCredit") + amount),
    );
    if status_of(&doc) == Some("PAID") {
        doc.set("Status", GVal::Const("AUTHORISED"));
    }
    doc.set("UpdatedDateUTC", GVal::Instant(cx.stamp));
    cx.state
        .update_generic(cx.tenant, coll, |recs| recs[i].obj = doc);
    gone.set("IsDeleted", GVal::Bool(true));
    Answer::Bare(Done::Obj(gone))
}
