//! Writing payments: `PUT`/`POST /Payments` pays an AUTHORISED invoice or bill from a
//! bank account (or an account with payments enabled); `POST /Payments/{id}` with
//! `Status: DELETED` deletes one, the only change Xero allows.
//!
//! A payment lowers the invoice's `AmountDue`, raises its `AmountPaid`, lists itself in
//! its `Payments`, makes it PAID (with `FullyPaidOnDate`) when nothing is left, and posts
//! bank against receivables (payables) at the invoice's rate. Deleting it undoes all of
//! that and reverses its journal; the payment stays listed with `Status: DELETED`.

use serde_json::Value;

use crate::collections;
use crate::generic_model::{GObj, GRecord, GVal};
use crate::ids::Uuid;
use crate::ledger::{line, to_base, Chart, Posting};
use crate::ledger_payments;
use crate::model::{InvoiceType, Payment, Status, Tenant};
use crate::writes::{Answer, Cx, Done, Mode};
use crate::writes_lines::{self as lines, AccountUse};
use crate::writes_target;
use crate::writes_values::{self as wv, Problems};

fn payments_coll() -> usize {
    collections::find("Payments").expect("Payments is registered")
}

fn payment_id(r: &GRecord) -> Option<Uuid> {
    match r.obj.get("PaymentID") {
        GVal::Uuid(u) => Some(*u),
        _ => None,
    }
}

pub fn write(cx: &mut Cx, t: &mut Tenant, sent: Vec<Value>, mode: &Mode) -> Answer {
    let find = |cx: &Cx, _: &Tenant, id: &str| {
        let wanted = Uuid::parse(id)?;
        let live = cx.state.generic_live(cx.tenant, payments_coll());
        let found = live.iter().any(|r| payment_id(r) == Some(wanted));
        found.then_some(wanted)
    };
    writes_target::write(
        cx,
        t,
        sent,
        mode,
        ("Payments", "Payment"),
        find,
        |cx, t, v, path| one(cx, t, v, mode, path),
    )
}

fn one(
    cx: &mut Cx,
    t: &mut Tenant,
    v: &Value,
    mode: &Mode,
    path_target: Option<Uuid>,
) -> Result<Done, Problems> {
    let mut p = Problems::default();
    let target = path_target.or(wv::uuid(v, "PaymentID", &mut p));
    match target {
        Some(_) if mode.put => {
            p.add("PaymentID cannot be given when creating a payment (PUT).");
            Err(p)
        }
        Some(id) => delete(cx, t, v, id, p),
        None => create(cx, t, v, p),
    }
}

fn create(cx: &mut Cx, t: &mut Tenant, v: &Value, mut p: Problems) -> Result<Done, Problems> {
    match plan(cx, t, v, &[], &mut p) {
        Some(pl) if p.is_empty() => Ok(Done::Obj(commit_planned(cx, t, pl))),
        _ => Err(p),
    }
}

/// A payment checked and ready to make.
pub struct Planned {
    invoice: usize,
    account: u16,
    date: i32,
    pub amount: i64,
    reconciled: bool,
    reference: Option<String>,
    pub batch: Option<Uuid>,
}

impl Planned {
    pub fn invoice(&self) -> usize {
        self.invoice
    }
}

/// Checks payment `v`; `earlier` are payments planned before it in the same request
/// (a batch), which the invoice's amount due must also cover.
pub fn plan(
    cx: &Cx,
    t: &Tenant,
    v: &Value,
    earlier: &[Planned],
    p: &mut Problems,
) -> Option<Planned> {
    let invoice = match wv::field(v, "Invoice") {
        Some(iv) => {
            let id = wv::uuid(iv, "InvoiceID", p);
            let number = wv::nonblank(iv, "InvoiceNumber");
            let found = match (id, &number) {
                (Some(id), _) => t.invoices.iter().position(|i| i.invoice_id == id),
                (None, Some(n)) => t.invoices.iter().position(|i| &i.number == n),
                (None, None) => None,
            };
            if found.is_none() {
                p.add("Invoice could not be found");
            }
            found
        }
        None if wv::field(v, "CreditNote").is_some()
            || wv::field(v, "Prepayment").is_some()
            || wv::field(v, "Overpayment").is_some() =>
        {
            p.add("The mock pays invoices only; refunds of credit notes, prepayments and overpayments are not modelled.");
            None
        }
        None => {
            p.add("An Invoice or CreditNote must be specified for a payment.");
            None
        }
    };
    let account = match wv::field(v, "Account") {
        Some(a) => lines::nested_account(t, Some(a), AccountUse::Bank, p),
        None => {
            p.add("An Account must be specified for a payment.");
            None
        }
    };
    let date = wv::day(v, "Date", p).unwrap_or(cx.today);
    let amount = match wv::fixed(v, "Amount", 2, p) {
        Some(a) if a > 0 => Some(a),
        Some(_) => {
            p.add("Payment amount must be greater than zero.");
            None
        }
        None => {
            p.add("Payment amount must be specified.");
            None
        }
    };
    if let (Some(i), Some(amount)) = (invoice, amount) {
        let inv = &t.invoices[i];
        let planned: i64 = earlier
            .iter()
            .filter(|e| e.invoice == i)
            .map(|e| e.amount)
            .sum();
        if inv.status != Status::Authorised {
            p.add("Payments can only be made against Authorised documents");
        } else if amount + planned > inv.amount_due {
            p.add("Payment amount exceeds the amount outstanding on this document");
        }
    }
    let reconciled = wv::boolean(v, "IsReconciled", p).unwrap_or(false);
    Some(Planned {
        invoice: invoice?,
        account: account?,
        date,
        amount: amount?,
        reconciled,
        reference: wv::text(v, "Reference"),
        batch: None,
    })
}

/// Makes a planned payment: the invoice, the journal and the `Payments` record.
pub fn commit_planned(cx: &mut Cx, t: &mut Tenant, pl: Planned) -> GObj {
    let payment = Payment {
        payment_id: cx.new_id(),
        date: pl.date,
        amount: pl.amount,
    };
    let chart = Chart::new(t);
    let inv = &mut t.invoices[pl.invoice];
    inv.payments.push(payment.clone());
    inv.amount_paid += pl.amount;
    inv.amount_due -= pl.amount;
    if inv.amount_due == 0 {
        inv.status = Status::Paid;
        inv.fully_paid_on = Some(pl.date);
    }
    inv.updated = cx.stamp;
    let rec = inv.kind == InvoiceType::AccRec;
    let control = if rec { chart.receivable } else { chart.payable };
    let base = to_base(pl.amount, inv.currency_rate);
    let (source, bank_side) = if rec {
        ("ACCRECPAYMENT", base)
    } else {
        ("ACCPAYPAYMENT", -base)
    };
    cx.post(Posting {
        date: pl.date,
        source,
        source_id: payment.payment_id,
        lines: vec![line(pl.account, bank_side), line(control, -bank_side)],
    });
    let inv = &t.invoices[pl.invoice];
    let mut o = ledger_payments::record(
        inv,
        &payment,
        &t.accounts[usize::from(pl.account)],
        cx.stamp,
    );
    o.set("IsReconciled", GVal::Bool(pl.reconciled));
    if let Some(r) = pl.reference {
        o.set("Reference", GVal::Text(r));
    }
    if let Some(b) = pl.batch {
        o.set("BatchPaymentID", GVal::Uuid(b));
    }
    let coll = payments_coll();
    let stored = o.clone();
    cx.state.update_generic(cx.tenant, coll, |recs| {
        recs.push(GRecord {
            coll: coll as u16,
            obj: stored,
        })
    });
    o
}

/// `Status: DELETED`, the one change Xero allows to a payment.
fn delete(
    cx: &mut Cx,
    t: &mut Tenant,
    v: &Value,
    id: Uuid,
    mut p: Problems,
) -> Result<Done, Problems> {
    let coll = payments_coll();
    match wv::one_of(v, "Status", &["AUTHORISED", "DELETED"], &mut p) {
        Some("DELETED") => {}
        _ => {
            p.add("A payment can only be deleted (Status DELETED); other changes are not allowed.")
        }
    }
    let live = cx.state.generic_live(cx.tenant, coll);
    let Some(k) = live.iter().position(|r| payment_id(r) == Some(id)) else {
        p.add(writes_target::not_found("Payment", "PaymentID", id));
        return Err(p);
    };
    if matches!(live[k].obj.get("Status"), GVal::Const("DELETED")) {
        p.add("This payment has already been deleted.");
    }
    drop(live);
    if !p.is_empty() {
        return Err(p);
    }
    match undo(cx, t, id, k) {
        Some(done) => Ok(Done::Obj(done)),
        None => {
            p.add("The invoice this payment was made against could not be found.");
            Err(p)
        }
    }
}

/// Deletes payment `id` (record `k` of Payments): the invoice owes it again, its journal
/// is reversed, the record says DELETED.
pub fn undo(cx: &mut Cx, t: &mut Tenant, id: Uuid, k: usize) -> Option<GObj> {
    let coll = payments_coll();
    let (i, j) = t.invoices.iter().enumerate().find_map(|(i, inv)| {
        inv.payments
            .iter()
            .position(|x| x.payment_id == id)
            .map(|j| (i, j))
    })?;
    let inv = &mut t.invoices[i];
    let payment = inv.payments.remove(j);
    inv.amount_paid -= payment.amount;
    inv.amount_due += payment.amount;
    if inv.status == Status::Paid {
        inv.status = Status::Authorised;
        inv.fully_paid_on = None;
    }
    inv.updated = cx.stamp;
    cx.reverse(id, cx.today);
    let stamp = cx.stamp;
    Some(cx.state.update_generic(cx.tenant, coll, |recs| {
        let o = &mut recs[k].obj;
        o.set("Status", GVal::Const("DELETED"));
        o.set("UpdatedDateUTC", GVal::Instant(stamp));
        o.clone()
    }))
}

/// The position of payment `id` in the Payments collection.
pub fn position(cx: &Cx, id: Uuid) -> Option<usize> {
    cx.state
        .generic_live(cx.tenant, payments_coll())
        .iter()
        .position(|r| payment_id(r) == Some(id))
}
