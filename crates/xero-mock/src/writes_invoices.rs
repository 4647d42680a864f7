//! Writing invoices and bills (the hand-built model): create, update, approve, and the
//! status changes that delete (DRAFT/SUBMITTED → DELETED) or void (AUTHORISED without
//! payments or credits → VOIDED) them.
//!
//! An element is built from the invoice it changes (or nothing) and the fields it sends
//! (absent fields stay as they were; `LineItems`, when sent, replace every line), then
//! checked whole: problems are collected, not stopped at. Only an element without
//! problems changes anything (a contact named by a new `Name` is created with it, as Xero
//! does). Approving posts the invoice's journal; voiding, or editing an approved invoice,
//! appends journals that reverse what it posted (then posts the new version).

use serde_json::Value;

use crate::intern::intern;
use crate::ledger::{invoice_posting, Chart};
use crate::model::{Invoice, InvoiceType, LineItem, Status, Tenant, NO_ACCOUNT};
use crate::writes::{Answer, Cx, Done, Mode};
use crate::writes_contacts::ContactRef;
use crate::writes_lines::{self as lines, Amounts, LineRules, Priced};
use crate::writes_target::{self, OwnId};
use crate::writes_values::{self as wv, Problems};

pub const NOT_EDITABLE: &str =
    "This document cannot be edited as it has a payment or credit note allocated to it.";
pub const BAD_STATUS: &str = "Invoice not of valid status for modification";

pub fn write(cx: &mut Cx, t: &mut Tenant, sent: Vec<Value>, mode: &Mode) -> Answer {
    let find = |_: &Cx, t: &Tenant, id: &str| find(t, id);
    writes_target::write(
        cx,
        t,
        sent,
        mode,
        ("Invoices", "Invoice"),
        find,
        |cx, t, v, path| one(cx, t, v, mode, path),
    )
}

/// An invoice by id, or by number as `GET /Invoices/{number}` finds it.
pub fn find(t: &Tenant, id: &str) -> Option<usize> {
    match crate::ids::Uuid::parse(id) {
        Some(u) => t.invoices.iter().position(|i| i.invoice_id == u),
        None => t.invoices.iter().position(|i| i.number == id),
    }
}

fn one(
    cx: &mut Cx,
    t: &mut Tenant,
    v: &Value,
    mode: &Mode,
    path_target: Option<usize>,
) -> Result<Done, Problems> {
    let mut p = Problems::default();
    let own = OwnId {
        field: "InvoiceID",
        doc: "Invoice",
        sent: wv::uuid(v, "InvoiceID", &mut p),
    };
    let target = own.target(
        path_target,
        mode.put,
        |id| t.invoices.iter().position(|i| i.invoice_id == *id),
        |id| format!("InvoiceID '{id}' cannot be given when creating an invoice (PUT); use POST to update one."),
        &mut p,
    )?;
    let base = target.map(|i| t.invoices[i].clone());
    let built = build(cx, t, base.as_ref(), v, &mut p);
    match built {
        Some((new, contact)) if p.is_empty() => Ok(commit(cx, t, target, base, new, contact)),
        _ => Err(p),
    }
}

/// The invoice as the element would leave it, or `None` when it cannot be built.
fn build(
    cx: &mut Cx,
    t: &Tenant,
    base: Option<&Invoice>,
    v: &Value,
    p: &mut Problems,
) -> Option<(Invoice, Option<ContactRef>)> {
    if let Some(b) = base {
        let paid_or_credited = !b.payments.is_empty() || !b.credits.is_empty();
        match b.status {
            Status::Paid => p.add(NOT_EDITABLE),
            Status::Voided | Status::Deleted => p.add(BAD_STATUS),
            Status::Authorised if paid_or_credited => p.add(NOT_EDITABLE),
            _ => {}
        }
        if !p.is_empty() {
            return None;
        }
    }
    let kind = match wv::text(v, "Type") {
        Some(s) => match s.trim().to_ascii_uppercase().as_str() {
            "ACCREC" => Some(InvoiceType::AccRec),
            "ACCPAY" => Some(InvoiceType::AccPay),
            _ => {
                p.add(format!("'{s}' is not a valid Invoice Type."));
                None
            }
        },
        None => base.map(|b| b.kind).or_else(|| {
            p.add("Invoice Type must be specified");
            None
        }),
    };
    let contact = match wv::field(v, "Contact") {
        Some(c) => crate::writes_contacts::resolve(t, c, p),
        None if base.is_none() => {
            p.add("A Contact must be specified for this type of transaction");
            None
        }
        None => None,
    };
    let date = wv::day(v, "Date", p)
        .or(base.map(|b| b.date))
        .unwrap_or(cx.today);
    let due = wv::day(v, "DueDate", p).or(base.map(|b| b.due_date));
    let status = match wv::one_of(
        v,
        "Status",
        &[
            "DRAFT",
            "SUBMITTED",
            "AUTHORISED",
            "PAID",
            "VOIDED",
            "DELETED",
        ],
        p,
    ) {
        Some(s) => Status::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .unwrap_or(Status::Draft),
        None => base.map_or(Status::Draft, |b| b.status),
    };
    transition(base.map(|b| b.status), status, p);
    let base_amounts = base.map_or(Amounts::Exclusive, |b| {
        if b.no_tax {
            Amounts::NoTax
        } else if b.tax_inclusive {
            Amounts::Inclusive
        } else {
            Amounts::Exclusive
        }
    });
    let amounts = Amounts::read(v, base_amounts, p);
    let kind = kind?;
    let rules = LineRules {
        amounts,
        sales: kind == InvoiceType::AccRec,
        quantity_decimals: 4,
        need_account: false,
    };
    let line_items: Vec<LineItem> = if wv::present(v, "LineItems") {
        let priced: Vec<Priced> = wv::list(v, "LineItems")
            .into_iter()
            .map(|l| lines::price(t, &cx.refs, l, &rules, p))
            .collect();
        priced.into_iter().map(|l| to_line(cx, l)).collect()
    } else {
        // Kept, re-taxed if the element changes how amounts are stated.
        base.map(|b| b.line_items.iter().map(|l| retax(cx, l, amounts)).collect())
            .unwrap_or_default()
    };
    if status == Status::Authorised && line_items.iter().any(|l| l.account == NO_ACCOUNT) {
        p.add("An account code must be specified for every line of an approved document.");
    }
    if matches!(status, Status::Submitted | Status::Authorised) && due.is_none() {
        p.add("Due Date must be specified for an invoice that is not a draft.");
    }
    let number = match wv::text(v, "InvoiceNumber").map(|s| s.trim().to_string()) {
        Some(n) if !n.is_empty() => n,
        _ => match base {
            Some(b) => b.number.clone(),
            None if kind == InvoiceType::AccRec => lines::next_number(
                "INV-",
                6,
                t.invoices
                    .iter()
                    .filter(|i| i.kind == InvoiceType::AccRec)
                    .map(|i| i.number.as_str()),
            ),
            None => String::new(),
        },
    };
    let own_id = base.map(|b| b.invoice_id);
    if kind == InvoiceType::AccRec
        && t.invoices.iter().any(|i| {
            i.kind == InvoiceType::AccRec
                && Some(i.invoice_id) != own_id
                && i.number.eq_ignore_ascii_case(&number)
                && !matches!(i.status, Status::Deleted)
        })
    {
        p.add("Invoice # must be unique.");
    }
    let (currency_code, currency_rate) = currency(cx, t, v, base, p);
    let tax: i64 = line_items.iter().map(|l| l.tax_amount).sum();
    let amount: i64 = line_items.iter().map(|l| l.line_amount).sum();
    let totals = lines::Totals::of(amount, tax, amounts);
    lines::check_totals(v, totals, p);
    let paid: i64 = base.map_or(0, |b| b.amount_paid);
    let credited: i64 = base.map_or(0, |b| b.amount_credited);
    let contact_index = match &contact {
        Some(ContactRef::Existing(i)) => *i,
        Some(ContactRef::New(_)) => u32::MAX, // filled in when committed
        None => base.map_or(0, |b| b.contact),
    };
    let inv = Invoice {
        invoice_id: base.map_or(crate::ids::Uuid(0), |b| b.invoice_id),
        kind,
        number,
        reference: wv::text(v, "Reference")
            .or(base.map(|b| b.reference.clone()))
            .unwrap_or_default(),
        contact: contact_index,
        date,
        due_date: due.unwrap_or(date),
        status,
        tax_inclusive: amounts == Amounts::Inclusive,
        no_tax: amounts == Amounts::NoTax,
        line_items,
        sub_total: totals.sub,
        total_tax: totals.tax,
        total: totals.total,
        amount_due: match status {
            Status::Voided | Status::Deleted => 0,
            _ => totals.total - paid - credited,
        },
        amount_paid: paid,
        amount_credited: credited,
        currency_code,
        currency_rate,
        payments: base.map(|b| b.payments.clone()).unwrap_or_default(),
        credits: base.map(|b| b.credits.clone()).unwrap_or_default(),
        fully_paid_on: base.and_then(|b| b.fully_paid_on),
        updated: cx.stamp,
        has_attachments: base.is_some_and(|b| b.has_attachments),
        sent_to_contact: wv::boolean(v, "SentToContact", p)
            .or(base.map(|b| b.sent_to_contact))
            .unwrap_or(false),
        branding_theme: wv::uuid(v, "BrandingThemeID", p).or(base.and_then(|b| b.branding_theme)),
    };
    if inv.total < 0 {
        p.add("The total of an invoice cannot be negative.");
    }
    Some((inv, contact))
}

/// Xero's rules for moving an invoice between statuses.
fn transition(from: Option<Status>, to: Status, p: &mut Problems) {
    use Status::*;
    let ok = match (from, to) {
        (None, Draft | Submitted | Authorised) => true,
        (None, _) => {
            p.add("Invoice not of valid status for creation");
            return;
        }
        (Some(Draft | Submitted), Draft | Submitted | Authorised | Deleted) => true,
        (Some(Authorised), Authorised | Voided) => true,
        _ => false,
    };
    if !ok {
        p.add(BAD_STATUS);
    }
}

fn currency(
    cx: &Cx,
    t: &Tenant,
    v: &Value,
    base: Option<&Invoice>,
    p: &mut Problems,
) -> (&'static str, i64) {
    let region = t.organisation.region;
    let code = match wv::nonblank(v, "CurrencyCode") {
        Some(c) if c.eq_ignore_ascii_case(region.base_currency) => region.base_currency,
        Some(c) if cx.refs.has_currency(&c) => intern(&c.to_ascii_uppercase()),
        Some(c) => {
            p.add(format!(
                "The currency code '{c}' is not valid for this organisation."
            ));
            region.base_currency
        }
        None => base.map_or(region.base_currency, |b| b.currency_code),
    };
    let given = wv::fixed(v, "CurrencyRate", 6, p).filter(|&r| r > 0);
    let rate = if code == region.base_currency {
        1_000_000
    } else if let Some(r) = given {
        r
    } else if let Some(b) = base.filter(|b| b.currency_code == code) {
        b.currency_rate
    } else {
        region
            .foreign_currencies
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(1_000_000, |(_, r)| *r)
    };
    (code, rate)
}

fn to_line(cx: &mut Cx, l: Priced) -> LineItem {
    LineItem {
        line_item_id: l.line_item_id.unwrap_or_else(|| cx.uuid()),
        description: intern(&l.description),
        quantity: l.quantity,
        unit_amount: l.unit,
        item_code: l.item_code.as_deref().map(intern),
        account: l.account.unwrap_or(NO_ACCOUNT),
        tax_type: intern(&l.tax_type),
        discount_rate: l.discount,
        tax_amount: l.tax,
        line_amount: l.amount,
    }
}

/// A kept line's tax when the invoice's `LineAmountTypes` changes (its amount stays).
fn retax(cx: &Cx, l: &LineItem, amounts: Amounts) -> LineItem {
    let rate = cx.refs.rate(l.tax_type).unwrap_or(0);
    LineItem {
        tax_amount: amounts.tax(l.line_amount, rate),
        ..l.clone()
    }
}

fn posted(s: Status) -> bool {
    matches!(s, Status::Authorised | Status::Paid)
}

fn commit(
    cx: &mut Cx,
    t: &mut Tenant,
    target: Option<usize>,
    base: Option<Invoice>,
    mut inv: Invoice,
    contact: Option<ContactRef>,
) -> Done {
    if let Some(c) = contact {
        inv.contact = c.commit(cx, t);
    }
    let c = &mut t.contacts[inv.contact as usize];
    match inv.kind {
        InvoiceType::AccRec => c.is_customer = true,
        InvoiceType::AccPay => c.is_supplier = true,
    }
    let chart = Chart::new(t);
    match (target, base) {
        (Some(i), Some(b)) => {
            if posted(b.status) {
                cx.reverse(b.invoice_id, cx.today);
            }
            if posted(inv.status) {
                cx.post(invoice_posting(&inv, &chart));
            }
            t.invoices[i] = inv;
            Done::Invoice(t.invoices[i].invoice_id)
        }
        _ => {
            inv.invoice_id = cx.new_id();
            if posted(inv.status) {
                cx.post(invoice_posting(&inv, &chart));
            }
            let id = inv.invoice_id;
            t.invoices.push(inv);
            Done::Invoice(id)
        }
    }
}
