//! The document side of the allocations decided in `data_credits.rs`: when CreditNotes,
//! Overpayments or Prepayments are generated, each allocated record becomes the document
//! its invoice names (its id, the invoice's contact, type and currency), covers what it
//! allocates, and lists the allocation; `RemainingCredit = Total − allocated`. Records
//! allocated to nothing keep all their credit and list no allocations.

use crate::dates::{days_from_civil, XeroDate, MS_PER_DAY};
use crate::generic_data::contact_obj;
use crate::generic_model::{GObj, GRecord, GVal};
use crate::generic_settle::{amounts, dates};
use crate::ids::Rng;
use crate::ledger::Chart;
use crate::model::{Credit, CreditKind, Invoice, InvoiceType, Region, Tenant};
use crate::spec;

pub fn apply(seed: u64, tenant: usize, t: &Tenant, kind: CreditKind, recs: &mut [GRecord]) {
    let mut rng = Rng::new(seed, tenant, &format!("allocated:{}", kind.collection()));
    for r in recs.iter_mut() {
        // The generator fills lists with invented entries; an allocation must be a real one.
        r.obj.set("Allocations", GVal::List(Vec::new()));
    }
    let chart = Chart::new(t);
    for inv in &t.invoices {
        for c in inv.credits.iter().filter(|c| c.kind == kind) {
            let doc = &mut recs[c.doc as usize].obj;
            become_credit(doc, t, inv, c, &chart, &mut rng);
        }
    }
}

fn become_credit(
    doc: &mut GObj,
    t: &Tenant,
    inv: &Invoice,
    c: &Credit,
    chart: &Chart,
    rng: &mut Rng,
) {
    let region = t.organisation.region;
    doc.set(&format!("{}ID", c.kind.schema()), GVal::Uuid(c.doc_id));
    doc.set("Type", GVal::Const(c.kind.doc_type(inv.kind)));
    doc.set(
        "Contact",
        GVal::Obj(Box::new(contact_obj(&t.contacts[inv.contact as usize]))),
    );
    doc.set("CurrencyCode", GVal::Const(inv.currency_code));
    doc.set("InvoiceNumber", GVal::Text(inv.number.clone()));
    doc.set("Status", GVal::Const("AUTHORISED"));
    if c.kind == CreditKind::Overpayment {
        // Xero holds an overpayment on the control account until it is allocated, so
        // receiving it and allocating it keep receivables (payables) equal to what is due.
        let control = match inv.kind {
            InvoiceType::AccRec => chart.receivable,
            InvoiceType::AccPay => chart.payable,
        };
        let account = &t.accounts[usize::from(control)];
        for_lines(doc, |l| {
            l.set("AccountID", GVal::Uuid(account.account_id));
            l.set("AccountCode", GVal::Const(account.code));
            l.set("TaxType", GVal::Const(region.no_tax_type));
        });
    }
    cover(doc, c.amount, region);
    let total = doc.fixed("Total");
    if total == c.amount {
        doc.set("Status", GVal::Const("PAID"));
    }
    set_money(doc, "RemainingCredit", total - c.amount);
    set_money(doc, "AppliedAmount", c.amount);
    doc.set("Allocations", GVal::List(vec![allocation(inv, c)]));
    // Issued up to ten days before it was allocated, changed no earlier than that.
    let first = days_from_civil(2024, 1, 1) as i32;
    doc.set(
        "Date",
        GVal::Day((c.date - rng.range(0, 10) as i32).max(first)),
    );
    dates(doc, rng);
    if let GVal::Instant(u) = *doc.get("UpdatedDateUTC") {
        let allocated = i64::from(c.date) * MS_PER_DAY + 9 * 3_600_000;
        doc.set(
            "UpdatedDateUTC",
            GVal::Instant(XeroDate::utc(u.ms.max(allocated))),
        );
    }
}

/// Raises the first line's quantity (a whole multiple, as a person would type) until the
/// document's total covers `amount`; four-decimal prices round each line, so the first
/// multiple can fall a cent short and is checked again.
fn cover(doc: &mut GObj, amount: i64, region: &Region) {
    amounts(doc, region);
    while doc.fixed("Total") < amount {
        let GVal::List(lines) = doc.get("LineItems") else {
            return;
        };
        let Some(first) = lines
            .first()
            .map(|l| l.fixed("LineAmount"))
            .filter(|&a| a > 0)
        else {
            return;
        };
        let short = amount - doc.fixed("Total");
        let times = 1 + (short + first - 1) / first;
        let mut once = true;
        for_lines(doc, |l| {
            if std::mem::take(&mut once) {
                let q = l.fixed("Quantity");
                l.set("Quantity", GVal::Fixed(q * times));
            }
        });
        amounts(doc, region);
    }
}

fn for_lines(doc: &mut GObj, mut f: impl FnMut(&mut GObj)) {
    if let Some(i) = doc.schema.prop_index("LineItems") {
        if let GVal::List(lines) = &mut doc.vals[i] {
            lines.iter_mut().for_each(&mut f);
        }
    }
}

/// Cents into the property's fixed point (`AppliedAmount` is a number on some schemas).
pub fn set_money(o: &mut GObj, name: &str, cents: i64) {
    let v = cents * o.unit(name) / 100;
    o.set(name, GVal::Fixed(v));
}

pub fn allocation(inv: &Invoice, c: &Credit) -> GObj {
    let mut a = GObj::new(spec::schema("Allocation").expect("Allocation is generated"));
    let mut i = GObj::new(spec::schema("Invoice").expect("Invoice is generated"));
    i.set("InvoiceID", GVal::Uuid(inv.invoice_id));
    i.set("InvoiceNumber", GVal::Text(inv.number.clone()));
    a.set("AllocationID", GVal::Uuid(c.allocation_id));
    a.set("Invoice", GVal::Obj(Box::new(i)));
    a.set("Amount", GVal::Fixed(c.amount));
    a.set("Date", GVal::Day(c.date));
    a.set("IsDeleted", GVal::Bool(false));
    a
}
