//! The `Payments` collection: the payments of the hand-built invoices (each invoice's
//! `Payments` list and `AmountPaid` name the same payment), as records of the
//! specification's `Payment` schema so paging, `where`, `order` and both formats work
//! as for every generic collection.

use crate::dates::{XeroDate, MS_PER_DAY};
use crate::generic_model::{GObj, GRecord, GVal};
use crate::ids::Rng;
use crate::ledger::{to_base, Chart};
use crate::model::{Account, Invoice, InvoiceType, Payment, Status, Tenant};
use crate::numbers::div_round;
use crate::spec;

pub fn records(seed: u64, tenant: usize, t: &Tenant, coll: usize) -> Vec<GRecord> {
    let bank = &t.accounts[usize::from(Chart::new(t).bank)];
    let mut rng = Rng::new(seed, tenant, "payments");
    let mut out = Vec::new();
    for (inv, p) in t.invoices.iter().flat_map(|inv| inv.payments.iter().map(move |p| (inv, p))) {
        let updated = i64::from(p.date) * MS_PER_DAY + rng.range(3_600_000, 2 * MS_PER_DAY);
        let mut o = record(inv, p, bank, XeroDate::utc(updated));
        o.set("IsReconciled", GVal::Bool(inv.status == Status::Paid));
        if !inv.reference.is_empty() {
            o.set("Reference", GVal::Text(inv.reference.clone()));
        }
        out.push(GRecord {
            coll: coll as u16,
            obj: o,
        });
    }
    out
}

/// Payment `p` of `inv` into `bank` as a record of the `Payment` schema (also what a
/// written payment becomes, `writes_payments.rs`).
pub fn record(inv: &Invoice, p: &Payment, bank: &Account, updated: XeroDate) -> GObj {
    let schema = spec::schema("Payment").expect("Payment is generated");
    let invoice_schema = spec::schema("Invoice").expect("Invoice is generated");
    let account_schema = spec::schema("Account").expect("Account is generated");
    let mut o = GObj::new(schema);
    let mut i = GObj::new(invoice_schema);
    i.set("InvoiceID", GVal::Uuid(inv.invoice_id));
    i.set("InvoiceNumber", GVal::Text(inv.number.clone()));
    i.set("Type", GVal::Const(inv.kind.as_str()));
    o.set("Invoice", GVal::Obj(Box::new(i)));
    let mut a = GObj::new(account_schema);
    a.set("AccountID", GVal::Uuid(bank.account_id));
    a.set("Code", GVal::Const(bank.code));
    a.set("Name", GVal::Const(bank.name));
    o.set("Account", GVal::Obj(Box::new(a)));
    o.set("Date", GVal::Day(p.date));
    // The schema's CurrencyRate is money (two decimals); the invoice's has six.
    o.set(
        "CurrencyRate",
        GVal::Fixed(div_round(inv.currency_rate, 10_000)),
    );
    o.set("Amount", GVal::Fixed(p.amount));
    o.set(
        "BankAmount",
        GVal::Fixed(to_base(p.amount, inv.currency_rate)),
    );
    o.set("IsReconciled", GVal::Bool(false));
    o.set("Status", GVal::Const("AUTHORISED"));
    o.set(
        "PaymentType",
        GVal::Const(match inv.kind {
            InvoiceType::AccRec => "ACCRECPAYMENT",
            InvoiceType::AccPay => "ACCPAYPAYMENT",
        }),
    );
    o.set("UpdatedDateUTC", GVal::Instant(updated));
    o.set("PaymentID", GVal::Uuid(p.payment_id));
    o.set("HasAccount", GVal::Bool(false));
    o.set("HasValidationErrors", GVal::Bool(false));
    o
}
