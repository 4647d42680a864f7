//! What the generic write engine (`writes_generic.rs`) cannot read off a schema: the
//! contact, users and accounts a document names, its priced lines and totals (manual
//! journals' lines that balance), and what must happen when it is stored; the
//! particulars of single collections are in `writes_particulars.rs`.

use serde_json::Value;

use crate::collections;
use crate::generic_data::contact_obj;
use crate::generic_model::{GObj, GVal};
use crate::ids::Uuid;
use crate::model::Tenant;
use crate::numbers::div_round;
use crate::spec::{self, Kind};
use crate::writes::Cx;
use crate::writes_contacts::{self as contacts, ContactRef};
use crate::writes_generic::status_of;
use crate::writes_lines::{self as lines, gtext, AccountUse, Amounts, LineRules, Priced};
use crate::writes_payments::{self as payments, Planned};
use crate::writes_rules::{Lines, Rules, Sales};
use crate::writes_values::{self as wv, money_text, Problems};

/// What must happen when the record is stored.
pub enum Extra {
    None,
    /// The document names a contact that does not exist yet.
    Contact(ContactRef),
    /// A batch payment's payments, to be made.
    Batch(Vec<Planned>),
    /// A deleted batch payment's payments, to be deleted.
    Unpay(Vec<Uuid>),
}

/// Fields the engine leaves to this module.
pub fn handled(_key: &str) -> &'static [&'static str] {
    &[
        "Contact",
        "Contacts",
        "LineItems",
        "JournalLines",
        "BankAccount",
        "FromBankAccount",
        "ToBankAccount",
        "Account",
        "User",
        "Receipts",
        "Payments",
        "Allocations",
    ]
}

pub fn set_account(t: &Tenant, o: &mut GObj, field: &str, a: u16) {
    let acc = &t.accounts[usize::from(a)];
    let mut n = GObj::new(spec::schema("Account").expect("Account is generated"));
    n.set("AccountID", GVal::Uuid(acc.account_id));
    n.set("Code", GVal::Const(acc.code));
    n.set("Name", GVal::Const(acc.name));
    o.set(field, GVal::Obj(Box::new(n)));
}

pub fn nested_id(o: &GObj, field: &str, id: &str) -> Option<Uuid> {
    match o.get(field) {
        GVal::Obj(n) => match n.get(id) {
            GVal::Uuid(u) => Some(*u),
            _ => None,
        },
        _ => None,
    }
}

#[allow(clippy::too_many_arguments)]
pub fn apply(
    cx: &mut Cx,
    t: &Tenant,
    key: &str,
    rules: &Rules,
    obj: &mut GObj,
    base: Option<&GObj>,
    v: &Value,
    p: &mut Problems,
) -> Extra {
    let mut extra = Extra::None;
    let creating = base.is_none();
    if obj.has("Contact") {
        if let Some(cv) = wv::field(v, "Contact") {
            match contacts::resolve(t, cv, p) {
                Some(ContactRef::Existing(i)) => obj.set(
                    "Contact",
                    GVal::Obj(Box::new(contact_obj(&t.contacts[i as usize]))),
                ),
                Some(ContactRef::New(name)) => {
                    let mut placeholder =
                        GObj::new(spec::schema("Contact").expect("Contact is generated"));
                    placeholder.set("Name", GVal::Text(name.clone()));
                    obj.set("Contact", GVal::Obj(Box::new(placeholder)));
                    extra = Extra::Contact(ContactRef::New(name));
                }
                None => {}
            }
        }
    }
    if creating
        && obj.has("Date")
        && !rules.required.contains(&"Date")
        && matches!(obj.get("Date"), GVal::Null)
    {
        obj.set("Date", GVal::Day(cx.today));
    }
    if obj.has("CurrencyCode") {
        let region = t.organisation.region;
        match gtext(obj, "CurrencyCode") {
            Some(code) if code != region.base_currency && !cx.refs.has_currency(code) => {
                p.add(format!(
                    "The currency code '{code}' is not valid for this organisation."
                ));
            }
            None if creating => obj.set("CurrencyCode", GVal::Const(region.base_currency)),
            _ => {}
        }
    }
    match rules.lines {
        Some(Lines::Items { sales }) => item_lines(cx, t, rules, sales, obj, base, v, p),
        Some(Lines::Journal) => journal_lines(cx, t, rules, obj, v, p),
        None => {}
    }
    for field in ["User"] {
        if obj.has(field) {
            if let Some(uv) = wv::field(v, field) {
                match find_in(cx, "Users", "UserID", wv::uuid(uv, "UserID", p)) {
                    Some(user) => obj.set(field, GVal::Obj(Box::new(user))),
                    None => p.add("User could not be found"),
                }
            }
        }
    }
    match key {
        "BankTransactions" => crate::writes_particulars::bank_transaction(t, obj, base, v, p),
        "BankTransfers" => crate::writes_particulars::bank_transfer(cx, t, obj, base, v, p),
        "BatchPayments" => extra = crate::writes_particulars::batch_payment(cx, t, obj, base, v, p),
        "ContactGroups" | "TrackingCategories" if creating => {
            let list = if key == "ContactGroups" {
                "Contacts"
            } else {
                "Options"
            };
            obj.set(list, GVal::List(Vec::new()));
        }
        "CreditNotes" => crate::writes_particulars::credit_note(obj, base, p),
        "Currencies" => {
            if matches!(obj.get("Description"), GVal::Null) {
                let code = gtext(obj, "Code").unwrap_or_default().to_string();
                obj.set("Description", GVal::Text(code));
            }
        }
        "ExpenseClaims" => crate::writes_particulars::expense_claim(cx, obj, v, p),
        "Items" => crate::writes_particulars::item(cx, t, obj, v, p),
        "LinkedTransactions" => crate::writes_particulars::linked_transaction(cx, t, obj, p),
        "PaymentServices" if matches!(obj.get("PaymentServiceType"), GVal::Null) => {
            obj.set("PaymentServiceType", GVal::Text("Custom".into()));
        }
        "TaxRates" => crate::writes_particulars::tax_rate(cx, t, obj, base, p),
        _ => {}
    }
    extra
}

pub fn commit(
    cx: &mut Cx,
    t: &mut Tenant,
    key: &str,
    obj: &mut GObj,
    _base: Option<&GObj>,
    extra: Extra,
) {
    match extra {
        Extra::None => {}
        Extra::Contact(r) => {
            let i = r.commit(cx, t);
            obj.set(
                "Contact",
                GVal::Obj(Box::new(contact_obj(&t.contacts[i as usize]))),
            );
        }
        Extra::Batch(planned) => {
            let batch = match obj.get("BatchPaymentID") {
                GVal::Uuid(u) => Some(*u),
                _ => None,
            };
            let made: Vec<GObj> = planned
                .into_iter()
                .map(|mut pl| {
                    pl.batch = batch;
                    payments::commit_planned(cx, t, pl)
                })
                .collect();
            obj.set("Payments", GVal::List(made));
        }
        Extra::Unpay(ids) => {
            let mut undone = Vec::new();
            for id in ids {
                if let Some(k) = payments::position(cx, id) {
                    undone.extend(payments::undo(cx, t, id, k));
                }
            }
            obj.set("Payments", GVal::List(undone));
        }
    }
    if key == "RepeatingInvoices" {
        let id = obj.get("RepeatingInvoiceID").clone();
        obj.set("ID", id);
    }
}

/// The record of collection `key` whose `field` is `id`.
pub fn find_in(cx: &Cx, key: &str, field: &str, id: Option<Uuid>) -> Option<GObj> {
    let id = id?;
    let coll = collections::find(key)?;
    cx.state
        .generic_live(cx.tenant, coll)
        .iter()
        .find(|r| matches!(r.obj.get(field), GVal::Uuid(u) if *u == id))
        .map(|r| r.obj.clone())
}

/// How the document states amounts, spelled as its schema spells it (Quotes: capitals).
fn amounts_of(obj: &mut GObj, default: Amounts, p: &mut Problems) -> Amounts {
    let Some(i) = obj.schema.prop_index("LineAmountTypes") else {
        return default;
    };
    let Kind::Enum(values) = obj.schema.props[i].kind else {
        return default;
    };
    let holder = serde_json::json!({ "LineAmountTypes": gtext(obj, "LineAmountTypes") });
    let a = Amounts::read(&holder, default, p);
    if let Some(spelled) = values.iter().find(|x| x.eq_ignore_ascii_case(a.as_str())) {
        obj.vals[i] = GVal::Const(spelled);
    }
    a
}

#[allow(clippy::too_many_arguments)]
fn item_lines(
    cx: &mut Cx,
    t: &Tenant,
    rules: &Rules,
    sales: Sales,
    obj: &mut GObj,
    base: Option<&GObj>,
    v: &Value,
    p: &mut Problems,
) {
    let sells = match sales {
        Sales::Always => true,
        Sales::Never => false,
        Sales::WhenType(types) => gtext(obj, "Type").is_some_and(|ty| types.contains(&ty)),
    };
    let amounts = amounts_of(obj, Amounts::Exclusive, p);
    let need_account = status_of(obj).is_some_and(|s| rules.posting.contains(&s));
    if wv::present(v, "LineItems") {
        let lr = LineRules {
            amounts,
            sales: sells,
            quantity_decimals: 2,
            need_account,
        };
        let priced: Vec<Priced> = wv::list(v, "LineItems")
            .into_iter()
            .map(|l| lines::price(t, &cx.refs, l, &lr, p))
            .collect();
        let objs = priced.into_iter().map(|l| line_obj(cx, t, l)).collect();
        obj.set("LineItems", GVal::List(objs));
    } else if let Some(b) = base {
        // Kept lines, re-taxed when the element changes how amounts are stated.
        if let GVal::List(kept) = b.get("LineItems") {
            let retaxed = kept
                .iter()
                .map(|l| {
                    let mut l = l.clone();
                    let rate = gtext(&l, "TaxType")
                        .and_then(|tt| cx.refs.rate(tt))
                        .unwrap_or(0);
                    let tax = amounts.tax(l.fixed("LineAmount"), rate);
                    l.set("TaxAmount", GVal::Fixed(tax));
                    l
                })
                .collect();
            obj.set("LineItems", GVal::List(retaxed));
        }
    }
    let GVal::List(ls) = obj.get("LineItems") else {
        return;
    };
    if need_account && ls.iter().any(|l| matches!(l.get("AccountID"), GVal::Null)) {
        p.add("An account code must be specified for every line of an approved document.");
    }
    let amount: i64 = ls.iter().map(|l| l.fixed("LineAmount")).sum();
    let tax: i64 = ls.iter().map(|l| l.fixed("TaxAmount")).sum();
    let totals = lines::Totals::of(amount, tax, amounts);
    lines::check_totals(v, totals, p);
    obj.set("SubTotal", GVal::Fixed(totals.sub));
    obj.set("TotalTax", GVal::Fixed(totals.tax));
    obj.set("Total", GVal::Fixed(totals.total));
    obj.set("TotalDiscount", GVal::Fixed(0));
}

/// A priced line as a `LineItem` record (quantities in the schema's two decimals).
fn line_obj(cx: &mut Cx, t: &Tenant, l: Priced) -> GObj {
    let mut o = GObj::new(spec::schema("LineItem").expect("LineItem is generated"));
    o.set(
        "LineItemID",
        GVal::Uuid(l.line_item_id.unwrap_or_else(|| cx.uuid())),
    );
    o.set("Description", GVal::Text(l.description));
    o.set(
        "Quantity",
        GVal::Fixed(div_round(l.quantity * o.unit("Quantity"), 10_000)),
    );
    o.set("UnitAmount", GVal::Fixed(l.unit));
    if let Some(code) = l.item_code {
        o.set("ItemCode", GVal::Text(code));
    }
    if let Some(a) = l.account {
        let acc = &t.accounts[usize::from(a)];
        o.set("AccountCode", GVal::Const(acc.code));
        o.set("AccountID", GVal::Uuid(acc.account_id));
    }
    o.set("TaxType", GVal::Text(l.tax_type));
    o.set("TaxAmount", GVal::Fixed(l.tax));
    o.set("LineAmount", GVal::Fixed(l.amount));
    if l.discount != 0 {
        o.set("DiscountRate", GVal::Fixed(l.discount));
    }
    o.set("Tracking", GVal::List(Vec::new()));
    o
}

/// A manual journal's lines: signed amounts (debits positive) on accounts, that balance.
fn journal_lines(
    cx: &mut Cx,
    t: &Tenant,
    rules: &Rules,
    obj: &mut GObj,
    v: &Value,
    p: &mut Problems,
) {
    let amounts = amounts_of(obj, Amounts::NoTax, p);
    if wv::present(v, "JournalLines") {
        let schema = spec::schema("ManualJournalLine").expect("ManualJournalLine is generated");
        let mut out = Vec::new();
        for l in wv::list(v, "JournalLines") {
            let mut o = GObj::new(schema);
            let amount = wv::fixed(l, "LineAmount", 2, p);
            if amount.is_none() {
                p.add("LineAmount must be specified for every journal line.");
            }
            let code = wv::nonblank(l, "AccountCode");
            let id = wv::uuid(l, "AccountID", p);
            if code.is_none() && id.is_none() {
                p.add("An account code must be specified for every journal line.");
            }
            let account = lines::account(t, code.as_deref(), id, AccountUse::Journal, p);
            let tt = wv::nonblank(l, "TaxType")
                .or_else(|| account.map(|a| t.accounts[usize::from(a)].tax_type.to_string()));
            let rate = match (&tt, amounts) {
                (_, Amounts::NoTax) | (None, _) => 0,
                (Some(tt), _) => cx.refs.rate(tt).unwrap_or_else(|| {
                    p.add(format!("The TaxType code '{tt}' does not exist or cannot be used for this type of transaction."));
                    0
                }),
            };
            let amount = amount.unwrap_or(0);
            let tax = match amounts {
                Amounts::Exclusive => div_round(amount * rate, 10_000),
                Amounts::Inclusive => div_round(amount * rate, 10_000 + rate),
                Amounts::NoTax => 0,
            };
            o.set("LineAmount", GVal::Fixed(amount));
            if let Some(a) = account {
                let acc = &t.accounts[usize::from(a)];
                o.set("AccountCode", GVal::Const(acc.code));
                o.set("AccountID", GVal::Uuid(acc.account_id));
            }
            if let Some(d) = wv::text(l, "Description") {
                o.set("Description", GVal::Text(d));
            }
            o.set(
                "TaxType",
                GVal::Text(tt.unwrap_or_else(|| t.organisation.region.no_tax_type.to_string())),
            );
            o.set("TaxAmount", GVal::Fixed(tax));
            o.set("IsBlank", GVal::Bool(false));
            o.set("Tracking", GVal::List(Vec::new()));
            out.push(o);
        }
        obj.set("JournalLines", GVal::List(out));
    }
    let GVal::List(ls) = obj.get("JournalLines") else {
        return;
    };
    let debits: i64 = ls
        .iter()
        .map(|l| l.fixed("LineAmount"))
        .filter(|a| *a > 0)
        .sum();
    let credits: i64 = -ls
        .iter()
        .map(|l| l.fixed("LineAmount"))
        .filter(|a| *a < 0)
        .sum::<i64>();
    if debits != credits {
        p.add(format!(
            "The total debits ({}) must equal total credits ({})",
            money_text(debits),
            money_text(credits)
        ));
    }
    if status_of(obj).is_some_and(|s| rules.posting.contains(&s)) && ls.len() < 2 {
        p.add("A posted manual journal must have at least two lines.");
    }
}
