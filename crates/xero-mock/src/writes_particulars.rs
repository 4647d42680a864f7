//! The particulars of single collections for the generic write engine: bank
//! transactions and transfers between bank accounts, batch payments that pay invoices,
//! credit notes' remaining credit, expense claims' receipts, items' details, linked
//! transactions' source and target, tax rates' components.

use serde_json::Value;

use crate::collections;
use crate::generic_model::{GObj, GVal};
use crate::model::{InvoiceType, Tenant};
use crate::spec;
use crate::writes::Cx;
use crate::writes_generic::{status_of, NOT_EDITABLE};
use crate::writes_lines::{self as lines, gtext, AccountUse};
use crate::writes_payments::{self as payments, Planned};
use crate::writes_special::{find_in, nested_id, set_account, Extra};
use crate::writes_target;
use crate::writes_values::{self as wv, Problems};

pub fn bank_transaction(
    t: &Tenant,
    obj: &mut GObj,
    base: Option<&GObj>,
    v: &Value,
    p: &mut Problems,
) {
    if let Some(ty) = gtext(obj, "Type") {
        if !matches!(ty, "RECEIVE" | "SPEND") {
            p.add(format!("Bank transactions of Type {ty} are not modelled by the mock (RECEIVE and SPEND are)."));
        }
    }
    if let Some(bv) = wv::field(v, "BankAccount") {
        match lines::nested_account(t, Some(bv), AccountUse::Bank, p) {
            Some(a) if t.accounts[usize::from(a)].kind == "BANK" => {
                set_account(t, obj, "BankAccount", a)
            }
            Some(_) => p.add("BankAccount must be a bank account."),
            None => {}
        }
    }
    if base.is_none() && matches!(obj.get("IsReconciled"), GVal::Null) {
        obj.set("IsReconciled", GVal::Bool(false));
    }
    if base.is_some_and(|b| matches!(b.get("IsReconciled"), GVal::Bool(true))) {
        if status_of(obj) == Some("DELETED") {
            p.add("This Bank Transaction cannot be deleted as it has been reconciled.");
        } else if wv::present(v, "LineItems") {
            p.add("This Bank Transaction cannot be edited as it has been reconciled.");
        }
    }
}

pub fn bank_transfer(
    cx: &mut Cx,
    t: &Tenant,
    obj: &mut GObj,
    base: Option<&GObj>,
    v: &Value,
    p: &mut Problems,
) {
    if base.is_some() {
        if ["FromBankAccount", "ToBankAccount", "Amount", "Date"]
            .iter()
            .any(|f| wv::present(v, f))
        {
            p.add("A bank transfer cannot be edited; it can only be deleted.");
        }
        return;
    }
    for field in ["FromBankAccount", "ToBankAccount"] {
        if let Some(a) = wv::field(v, field) {
            match lines::nested_account(t, Some(a), AccountUse::Bank, p) {
                Some(a) if t.accounts[usize::from(a)].kind == "BANK" => {
                    set_account(t, obj, field, a)
                }
                Some(_) => p.add(format!("{field} must be a bank account.")),
                None => {}
            }
        }
    }
    if let (Some(from), Some(to)) = (
        nested_id(obj, "FromBankAccount", "AccountID"),
        nested_id(obj, "ToBankAccount", "AccountID"),
    ) {
        if from == to {
            p.add("The From and To bank accounts must be different.");
        }
    }
    if matches!(obj.get("Amount"), GVal::Fixed(a) if *a <= 0) {
        p.add("Amount must be greater than zero.");
    }
    obj.set("CurrencyRate", GVal::Fixed(100));
    obj.set("CreatedDateUTC", GVal::Instant(cx.stamp));
    obj.set("FromBankTransactionID", GVal::Uuid(cx.uuid()));
    obj.set("ToBankTransactionID", GVal::Uuid(cx.uuid()));
    obj.set("HasAttachments", GVal::Bool(false));
    for f in ["FromIsReconciled", "ToIsReconciled"] {
        if matches!(obj.get(f), GVal::Null) {
            obj.set(f, GVal::Bool(false));
        }
    }
}

pub fn batch_payment(
    cx: &mut Cx,
    t: &Tenant,
    obj: &mut GObj,
    base: Option<&GObj>,
    v: &Value,
    p: &mut Problems,
) -> Extra {
    if let Some(b) = base {
        // Deleting the batch deletes its payments.
        if status_of(obj) == Some("DELETED") && status_of(b) != Some("DELETED") {
            let ids = match b.get("Payments") {
                GVal::List(ps) => ps
                    .iter()
                    .filter_map(|x| match x.get("PaymentID") {
                        GVal::Uuid(u) => Some(*u),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            return Extra::Unpay(ids);
        }
        return Extra::None;
    }
    let account = wv::field(v, "Account")
        .and_then(|a| lines::nested_account(t, Some(a), AccountUse::Bank, p));
    if let Some(a) = account {
        set_account(t, obj, "Account", a);
    }
    let date = match obj.get("Date") {
        GVal::Day(d) => *d,
        _ => cx.today,
    };
    let mut planned: Vec<Planned> = Vec::new();
    for (n, pv) in wv::list(v, "Payments").into_iter().enumerate() {
        let mut pv = pv.clone();
        if let (Some(o), Some(acc)) = (pv.as_object_mut(), account) {
            // Every payment of a batch is from its account, on its date.
            o.insert("Account".into(), serde_json::json!({ "AccountID": t.accounts[usize::from(acc)].account_id.to_string() }));
            o.insert(
                "Date".into(),
                serde_json::json!(format!(
                    "/Date({})/",
                    i64::from(date) * crate::dates::MS_PER_DAY
                )),
            );
        }
        let mut own = Problems::default();
        if let Some(pl) = payments::plan(cx, t, &pv, &planned, &mut own) {
            planned.push(pl);
        }
        for m in own.0 {
            p.add(format!("Payment {}: {m}", n + 1));
        }
    }
    let kinds: Vec<InvoiceType> = planned
        .iter()
        .map(|pl| t.invoices[pl.invoice()].kind)
        .collect();
    if kinds.windows(2).any(|w| w[0] != w[1]) {
        p.add("The payments of a batch must all be for sales invoices or all for bills.");
    }
    let total: i64 = planned.iter().map(|pl| pl.amount).sum();
    obj.set(
        "Type",
        GVal::Const(if kinds.first() == Some(&InvoiceType::AccPay) {
            "PAYBATCH"
        } else {
            "RECBATCH"
        }),
    );
    obj.set("TotalAmount", GVal::Fixed(total));
    obj.set("Amount", GVal::Fixed(total));
    obj.set("IsReconciled", GVal::Bool(false));
    obj.set("Date", GVal::Day(date));
    // `required` sees the payments planned, not the ones sent.
    obj.set(
        "Payments",
        GVal::List(
            planned
                .iter()
                .map(|_| GObj::new(spec::schema("Payment").expect("Payment")))
                .collect(),
        ),
    );
    Extra::Batch(planned)
}

pub fn credit_note(obj: &mut GObj, base: Option<&GObj>, p: &mut Problems) {
    let applied = base.map_or(0, |b| b.fixed("AppliedAmount"));
    if applied > 0 {
        p.add(NOT_EDITABLE);
    }
    if base.is_none() {
        obj.set("Allocations", GVal::List(Vec::new()));
        obj.set("Payments", GVal::List(Vec::new()));
        obj.set("AppliedAmount", GVal::Fixed(0));
    }
    let total = obj.fixed("Total");
    obj.set(
        "RemainingCredit",
        GVal::Fixed(if status_of(obj) == Some("VOIDED") {
            0
        } else {
            total - applied
        }),
    );
}

pub fn expense_claim(cx: &Cx, obj: &mut GObj, v: &Value, p: &mut Problems) {
    if wv::present(v, "Receipts") {
        let mut found = Vec::new();
        for r in wv::list(v, "Receipts") {
            match find_in(cx, "Receipts", "ReceiptID", wv::uuid(r, "ReceiptID", p)) {
                Some(rec) => found.push(rec),
                None => p.add("Receipt could not be found"),
            }
        }
        obj.set("Receipts", GVal::List(found));
    }
    let total: i64 = match obj.get("Receipts") {
        GVal::List(rs) => rs.iter().map(|r| r.fixed("Total")).sum(),
        _ => 0,
    };
    let paid = obj.fixed("AmountPaid");
    obj.set("Total", GVal::Fixed(total));
    obj.set("AmountPaid", GVal::Fixed(paid));
    obj.set(
        "AmountDue",
        GVal::Fixed(if status_of(obj) == Some("VOIDED") {
            0
        } else {
            total - paid
        }),
    );
    if paid > 0 && status_of(obj) == Some("VOIDED") {
        p.add(NOT_EDITABLE);
    }
}

pub fn item(cx: &Cx, t: &Tenant, obj: &mut GObj, v: &Value, p: &mut Problems) {
    for (details, flag) in [
        ("SalesDetails", "IsSold"),
        ("PurchaseDetails", "IsPurchased"),
    ] {
        if let GVal::Obj(d) = obj.get(details) {
            for f in ["AccountCode", "COGSAccountCode"] {
                if let Some(code) = gtext(d, f) {
                    lines::account(t, Some(code), None, AccountUse::Journal, p);
                }
            }
        }
        if let Some(tt) = wv::field(v, details).and_then(|dv| wv::nonblank(dv, "TaxType")) {
            if cx.refs.rate(&tt).is_none() {
                p.add(format!("The TaxType code '{tt}' does not exist or cannot be used for this type of transaction."));
            }
        }
        if !wv::present(v, flag) && matches!(obj.get(flag), GVal::Null) {
            let has = !matches!(obj.get(details), GVal::Null);
            obj.set(flag, GVal::Bool(has));
        }
    }
    if matches!(obj.get("IsTrackedAsInventory"), GVal::Bool(true)) {
        match gtext(obj, "InventoryAssetAccountCode") {
            Some(code) => {
                lines::account(t, Some(code), None, AccountUse::Journal, p);
            }
            None => p.add("InventoryAssetAccountCode must be specified for a tracked item."),
        }
    } else if matches!(obj.get("IsTrackedAsInventory"), GVal::Null) {
        obj.set("IsTrackedAsInventory", GVal::Bool(false));
    }
}

pub fn linked_transaction(cx: &Cx, t: &Tenant, obj: &mut GObj, p: &mut Problems) {
    let id = |o: &GObj, f: &str| match o.get(f) {
        GVal::Uuid(u) => Some(*u),
        _ => None,
    };
    let (source, source_line, target) = (
        id(obj, "SourceTransactionID"),
        id(obj, "SourceLineItemID"),
        id(obj, "TargetTransactionID"),
    );
    if let Some(s) = source {
        if let Some(inv) = t.invoices.iter().find(|i| i.invoice_id == s) {
            if inv.kind != InvoiceType::AccPay {
                p.add("The source of a linked transaction must be a bill (ACCPAY) or a SPEND bank transaction.");
            }
            if source_line.is_some_and(|l| !inv.line_items.iter().any(|li| li.line_item_id == l)) {
                p.add("SourceLineItemID is not a line of the source transaction.");
            }
            obj.set("SourceTransactionTypeCode", GVal::Const("ACCPAY"));
        } else if let Some(bt) = find_in(cx, "BankTransactions", "BankTransactionID", Some(s)) {
            if gtext(&bt, "Type") != Some("SPEND") {
                p.add("The source of a linked transaction must be a bill (ACCPAY) or a SPEND bank transaction.");
            }
            obj.set("SourceTransactionTypeCode", GVal::Const("SPEND"));
        } else {
            p.add("The source transaction could not be found.");
        }
    }
    let mut status = "DRAFT";
    if let Some(tg) = target {
        match t.invoices.iter().find(|i| i.invoice_id == tg) {
            Some(inv) if inv.kind == InvoiceType::AccRec => {
                status = if matches!(inv.status, crate::model::Status::Draft) {
                    "ONDRAFT"
                } else {
                    "APPROVED"
                };
                if id(obj, "ContactID").is_none() {
                    obj.set(
                        "ContactID",
                        GVal::Uuid(t.contacts[inv.contact as usize].contact_id),
                    );
                }
            }
            _ => p.add("The target transaction must be a sales invoice (ACCREC)."),
        }
    }
    if let Some(c) = id(obj, "ContactID") {
        if !t.contacts.iter().any(|x| x.contact_id == c) {
            p.add(writes_target::not_found("Contact", "ContactID", c));
        }
    }
    obj.set("Status", GVal::Const(status));
    obj.set("Type", GVal::Const("BILLABLEEXPENSE"));
}

pub fn tax_rate(cx: &Cx, t: &Tenant, obj: &mut GObj, base: Option<&GObj>, p: &mut Problems) {
    let region = t.organisation.region;
    if let Some(b) = base {
        let tt = gtext(b, "TaxType").unwrap_or_default();
        if [
            region.sales_tax_type,
            region.purchase_tax_type,
            region.no_tax_type,
        ]
        .contains(&tt)
        {
            p.add(format!("The system tax rate {tt} cannot be changed."));
        }
    }
    let mut rate = 0;
    if let GVal::List(components) = obj.get("TaxComponents") {
        for c in components {
            if gtext(c, "Name").is_none() {
                p.add("Each tax component must have a Name.");
            }
            match c.get("Rate") {
                GVal::Fixed(r) if *r >= 0 => rate += r,
                _ => p.add("Each tax component must have a Rate that is not negative."),
            }
        }
    }
    obj.set("EffectiveRate", GVal::Fixed(rate));
    obj.set("DisplayTaxRate", GVal::Fixed(rate));
    if base.is_none() {
        let coll = collections::find("TaxRates").expect("TaxRates is registered");
        let live = cx.state.generic_live(cx.tenant, coll);
        let next = lines::next_number(
            "TAX",
            3,
            live.iter().filter_map(|r| gtext(&r.obj, "TaxType")),
        );
        obj.set("TaxType", GVal::Text(next));
        for f in [
            "CanApplyToAssets",
            "CanApplyToEquity",
            "CanApplyToExpenses",
            "CanApplyToLiabilities",
            "CanApplyToRevenue",
        ] {
            obj.set(f, GVal::Bool(true));
        }
    }
}
