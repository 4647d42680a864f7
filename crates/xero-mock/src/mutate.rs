//! `POST /__mock/mutate`: changes one tenant's records the way Xero would, stamping each
//! changed record's `UpdatedDateUTC` with the mock clock's now, so a sync has something to find:
//!
//! ```json
//! {"tenant": 0, "create_invoices": 2, "create_contacts": 1, "update_invoices": 1,
//!  "void_invoices": 1, "empty_invoices": 1, "archive_contacts": 1, "delete_bank_transfers": 1}
//! ```
//!
//! - created invoices are AUTHORISED copies of an unpaid invoice under a new id and number,
//!   dated today, and post their journal;
//! - an updated invoice gets a new reference; a voided one (AUTHORISED, unpaid, uncredited)
//!   becomes VOIDED with AmountDue 0 and its journal is reversed; an emptied one is a DRAFT
//!   that lost all its line items (totals 0, no journal);
//! - an archived contact is listed only with `includeArchived=true`; a deleted bank transfer
//!   only with `includeDeleted=true`, and its journal is reversed.
//!
//! New journals are appended after the last JournalNumber, so the ledger still balances and
//! what was journalled before is never renumbered. The answer names every record changed.

use serde_json::{json, Value};

use crate::collections;
use crate::dates::{XeroDate, MS_PER_DAY};
use crate::generic_model::GVal;
use crate::ids::{Rng, Uuid};
use crate::ledger::{invoice_posting, Chart, Posting};
use crate::model::{Status, Tenant};
use crate::state::State;

/// What a mutation changed, by kind (ids as text).
#[derive(Default)]
struct Changed {
    created_invoices: Vec<Uuid>,
    created_contacts: Vec<Uuid>,
    updated_invoices: Vec<Uuid>,
    voided_invoices: Vec<Uuid>,
    emptied_invoices: Vec<Uuid>,
    archived_contacts: Vec<Uuid>,
    deleted_bank_transfers: Vec<Uuid>,
}

fn ids(v: &[Uuid]) -> Value {
    v.iter().map(|u| Value::from(u.to_string())).collect()
}

/// How many of `name` the body asks for (0 when absent).
fn n(body: &Value, name: &str) -> Result<usize, String> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(0),
        Some(v) => v.as_u64().map(|n| n as usize).ok_or_else(|| format!("{name} must be a non-negative integer")),
    }
}

pub fn mutate(state: &State, body: &Value) -> Result<Value, String> {
    let tenant = n(body, "tenant")?;
    if tenant >= state.tenants().len() {
        return Err(format!("no tenant {tenant}"));
    }
    let now = state.clock.now_ms();
    let today = now.div_euclid(MS_PER_DAY) as i32;
    let stamp = XeroDate::utc(now);
    let mut rng = Rng::new(state.seed ^ now as u64, tenant, "mutate");
    // The ledger is made from the records as first generated: make it before changing them.
    let ledger = state.ledger(tenant);
    let mut changed = Changed::default();
    let mut postings: Vec<Posting> = Vec::new();
    state.update_tenant(tenant, |t| -> Result<(), String> {
        let chart = Chart::new(t);
        // Unpaid, uncredited AUTHORISED invoices can be voided or edited; newest first.
        let mut open = (0..t.invoices.len())
            .rev()
            .filter(|&i| {
                let inv = &t.invoices[i];
                inv.status == Status::Authorised && inv.payments.is_empty() && inv.credits.is_empty() && !inv.line_items.is_empty()
            })
            .collect::<Vec<_>>()
            .into_iter();
        let template = open.clone().last().ok_or("no unpaid AUTHORISED invoice to copy")?;
        for _ in 0..n(body, "create_invoices")? {
            let mut inv = t.invoices[template].clone();
            inv.invoice_id = rng.uuid();
            inv.number = format!("MUT-{:05}", t.invoices.len() + 1);
            inv.line_items.iter_mut().for_each(|li| li.line_item_id = rng.uuid());
            inv.date = today;
            inv.due_date = today + 30;
            inv.amount_due = inv.total;
            inv.updated = stamp;
            postings.push(invoice_posting(&inv, &chart));
            changed.created_invoices.push(inv.invoice_id);
            t.invoices.push(inv);
        }
        for _ in 0..n(body, "void_invoices")? {
            let inv = &mut t.invoices[open.next().ok_or("no more AUTHORISED invoices to void")?];
            inv.status = Status::Voided;
            inv.amount_due = 0;
            inv.updated = stamp;
            postings.extend(ledger.reversals(inv.invoice_id, today));
            changed.voided_invoices.push(inv.invoice_id);
        }
        for _ in 0..n(body, "update_invoices")? {
            let inv = &mut t.invoices[open.next().ok_or("no more AUTHORISED invoices to update")?];
            inv.reference = format!("{} (changed)", inv.reference);
            inv.updated = stamp;
            changed.updated_invoices.push(inv.invoice_id);
        }
        let mut drafts = (0..t.invoices.len()).filter(|&i| t.invoices[i].status == Status::Draft && !t.invoices[i].line_items.is_empty()).collect::<Vec<_>>().into_iter();
        for _ in 0..n(body, "empty_invoices")? {
            let inv = &mut t.invoices[drafts.next().ok_or("no more DRAFT invoices with line items")?];
            inv.line_items.clear();
            (inv.sub_total, inv.total_tax, inv.total, inv.amount_due) = (0, 0, 0, 0);
            inv.updated = stamp;
            changed.emptied_invoices.push(inv.invoice_id);
        }
        let mut active = (0..t.contacts.len()).rev().filter(|&i| !t.contacts[i].archived).collect::<Vec<_>>().into_iter();
        for _ in 0..n(body, "archive_contacts")? {
            let c = &mut t.contacts[active.next().ok_or("no more active contacts to archive")?];
            c.archived = true;
            c.updated = stamp;
            changed.archived_contacts.push(c.contact_id);
        }
        create_contacts(t, n(body, "create_contacts")?, &mut rng, stamp, &mut changed)?;
        Ok(())
    })?;
    delete_bank_transfers(state, tenant, n(body, "delete_bank_transfers")?, stamp, &mut changed)?;
    for &id in &changed.deleted_bank_transfers {
        postings.extend(ledger.reversals(id, today));
    }
    let journals = postings.len();
    if journals > 0 {
        state.update_ledger(tenant, |l| l.append(&mut rng, now, postings));
    }
    Ok(json!({
        "now_ms": now,
        "created_invoices": ids(&changed.created_invoices),
        "created_contacts": ids(&changed.created_contacts),
        "updated_invoices": ids(&changed.updated_invoices),
        "voided_invoices": ids(&changed.voided_invoices),
        "emptied_invoices": ids(&changed.emptied_invoices),
        "archived_contacts": ids(&changed.archived_contacts),
        "deleted_bank_transfers": ids(&changed.deleted_bank_transfers),
        "journals": journals,
    }))
}

fn create_contacts(t: &mut Tenant, count: usize, rng: &mut Rng, stamp: XeroDate, changed: &mut Changed) -> Result<(), String> {
    for _ in 0..count {
        let mut c = t.contacts.first().ok_or("no contact to copy")?.clone();
        let n = t.contacts.len() + 1;
        c.contact_id = rng.uuid();
        c.contact_number = format!("MUT-{n:05}");
        c.name = format!("New Contact {n}");
        c.archived = false;
        c.updated = stamp;
        changed.created_contacts.push(c.contact_id);
        t.contacts.push(c);
    }
    Ok(())
}

/// Marks bank transfers DELETED (the last ones not deleted yet), laid over the generated records.
fn delete_bank_transfers(state: &State, tenant: usize, count: usize, stamp: XeroDate, changed: &mut Changed) -> Result<(), String> {
    if count == 0 {
        return Ok(());
    }
    let coll = collections::find("BankTransfers").ok_or("BankTransfers is not registered")?;
    state.update_generic(tenant, coll, |recs| {
        let live: Vec<usize> = (0..recs.len()).rev().filter(|&i| !matches!(recs[i].obj.get("Status"), GVal::Const("DELETED"))).take(count).collect();
        for i in live {
            let rec = &mut recs[i];
            rec.obj.set("Status", GVal::Const("DELETED"));
            rec.obj.set("UpdatedDateUTC", GVal::Instant(stamp));
            if let GVal::Uuid(id) = rec.obj.get("BankTransferID") {
                changed.deleted_bank_transfers.push(*id);
            }
        }
    });
    if changed.deleted_bank_transfers.len() < count {
        return Err("no more bank transfers to delete".into());
    }
    Ok(())
}
