//! Writing the chart of accounts: `PUT /Accounts` adds an account, `POST /Accounts/{id}`
//! changes or archives one, `DELETE /Accounts/{id}` deletes one nothing has used (Xero
//! answers the account with `Status: DELETED`; reads no longer list it).
//!
//! Accounts stay in the chart's vector when deleted (documents and journals refer to
//! accounts by position), marked DELETED and left out of reads.

use serde_json::Value;

use crate::intern::intern;
use crate::model::{Account, Tenant};
use crate::writes::{Answer, Cx, Done, Element, Mode};
use crate::writes_target;
use crate::writes_values::{self as wv, Problems};

/// Account types and the class Xero derives from each.
const TYPES: &[(&str, &str)] = &[
    ("BANK", "ASSET"),
    ("CURRENT", "ASSET"),
    ("CURRLIAB", "LIABILITY"),
    ("DEPRECIATN", "EXPENSE"),
    ("DIRECTCOSTS", "EXPENSE"),
    ("EQUITY", "EQUITY"),
    ("EXPENSE", "EXPENSE"),
    ("FIXED", "ASSET"),
    ("INVENTORY", "ASSET"),
    ("LIABILITY", "LIABILITY"),
    ("NONCURRENT", "ASSET"),
    ("OTHERINCOME", "REVENUE"),
    ("OVERHEADS", "EXPENSE"),
    ("PREPAYMENT", "ASSET"),
    ("REVENUE", "REVENUE"),
    ("SALES", "REVENUE"),
    ("TERMLIAB", "LIABILITY"),
];

/// An element's own `AccountID` is not read: only the path names the account changed.
pub fn write(cx: &mut Cx, t: &mut Tenant, sent: Vec<Value>, mode: &Mode) -> Answer {
    let find = |_: &Cx, t: &Tenant, id: &str| find(t, id);
    writes_target::write(cx, t, sent, mode, ("Accounts", "Account"), find, one)
}

fn find(t: &Tenant, id: &str) -> Option<usize> {
    let u = crate::ids::Uuid::parse(id)?;
    t.accounts
        .iter()
        .position(|a| a.account_id == u && a.status != "DELETED")
}

fn one(cx: &mut Cx, t: &mut Tenant, v: &Value, target: Option<usize>) -> Result<Done, Problems> {
    let mut p = Problems::default();
    let region = t.organisation.region;
    let mut a = match target {
        Some(i) => t.accounts[i].clone(),
        None => Account {
            account_id: crate::ids::Uuid(0),
            code: "",
            name: "",
            kind: "",
            class: "",
            status: "ACTIVE",
            description: "",
            tax_type: "",
            system_account: None,
            reporting_code: "",
            reporting_code_name: "",
            bank_account_number: None,
            currency_code: None,
            enable_payments: false,
            show_in_expense_claims: false,
            updated: cx.stamp,
        },
    };
    if let Some(code) = wv::text(v, "Code") {
        a.code = intern(code.trim());
    }
    if let Some(name) = wv::text(v, "Name") {
        a.name = intern(name.trim());
        a.reporting_code_name = a.name;
    }
    if let Some(d) = wv::text(v, "Description") {
        a.description = intern(&d);
    }
    let kinds: Vec<&'static str> = TYPES.iter().map(|(k, _)| *k).collect();
    if let Some(kind) = wv::one_of(v, "Type", &kinds, &mut p) {
        if target.is_some() && kind != a.kind && a.system_account.is_some() {
            p.add("The type of a system account cannot be changed.");
        }
        a.kind = kind;
    }
    a.class = TYPES
        .iter()
        .find(|(k, _)| *k == a.kind)
        .map_or("", |(_, c)| c);
    if let Some(tt) = wv::nonblank(v, "TaxType") {
        match cx.refs.tax_type(&tt) {
            Some(known) => a.tax_type = intern(known),
            None => p.add(format!("The TaxType code '{tt}' does not exist or cannot be used for this type of transaction.")),
        }
    } else if a.tax_type.is_empty() {
        a.tax_type = match a.class {
            "REVENUE" => region.sales_tax_type,
            "EXPENSE" => region.purchase_tax_type,
            _ => region.no_tax_type,
        };
    }
    if let Some(status) = wv::one_of(v, "Status", &["ACTIVE", "ARCHIVED", "DELETED"], &mut p) {
        match status {
            "DELETED" => p.add("An account is deleted with DELETE /Accounts/{AccountID}."),
            "ARCHIVED" if a.system_account.is_some() => {
                p.add("System accounts cannot be archived.")
            }
            s => a.status = s,
        }
    }
    if let Some(n) = wv::nonblank(v, "BankAccountNumber") {
        a.bank_account_number = Some(n);
    }
    if let Some(b) = wv::boolean(v, "EnablePaymentsToAccount", &mut p) {
        a.enable_payments = b;
    }
    if let Some(b) = wv::boolean(v, "ShowInExpenseClaims", &mut p) {
        a.show_in_expense_claims = b;
    }
    if let Some(r) = wv::nonblank(v, "ReportingCode") {
        a.reporting_code = intern(&r);
    }
    if a.kind == "BANK" {
        a.enable_payments = true;
        a.currency_code = a.currency_code.or(Some(region.base_currency));
        if a.bank_account_number.is_none() {
            p.add("Bank Account Number must be specified for a bank account.");
        }
    }
    if a.code.is_empty() && a.kind != "BANK" {
        p.add("Please enter a Code.");
    }
    if a.code.chars().count() > 10 {
        p.add("Account Code is too long. Maximum of 10 characters allowed");
    }
    if a.name.is_empty() {
        p.add("Please enter a Name.");
    }
    if a.kind.is_empty() && !wv::present(v, "Type") {
        p.add("Please select an Account Type.");
    }
    let others = || {
        t.accounts
            .iter()
            .enumerate()
            .filter(|(i, o)| Some(*i) != target && o.status != "DELETED")
    };
    if !a.code.is_empty() && others().any(|(_, o)| o.code.eq_ignore_ascii_case(a.code)) {
        p.add("Please enter a unique Code.");
    }
    if others().any(|(_, o)| o.name.eq_ignore_ascii_case(a.name)) {
        p.add("Please enter a unique Name.");
    }
    if !p.is_empty() {
        return Err(p);
    }
    a.updated = cx.stamp;
    Ok(match target {
        Some(i) => {
            t.accounts[i] = a;
            Done::Account(t.accounts[i].account_id)
        }
        None => {
            a.account_id = cx.new_id();
            let id = a.account_id;
            t.accounts.push(a);
            Done::Account(id)
        }
    })
}

/// `DELETE /Accounts/{id}`: only an account nothing has used.
pub fn delete(cx: &mut Cx, t: &mut Tenant, id: &str) -> Answer {
    let Some(i) = find(t, id) else {
        return Answer::NotFound;
    };
    let mut p = Problems::default();
    let a = &t.accounts[i];
    let used_by_documents = t
        .invoices
        .iter()
        .any(|inv| inv.line_items.iter().any(|l| usize::from(l.account) == i));
    let used_by_journals = cx
        .state
        .ledger(cx.tenant)
        .lines
        .iter()
        .any(|l| usize::from(l.account) == i);
    if a.system_account.is_some() {
        p.add("System accounts cannot be deleted.");
    } else if used_by_documents || used_by_journals {
        p.add(format!(
            "Account code '{}' has been used in transactions and cannot be deleted. Archive it instead.",
            a.code
        ));
    }
    let sent = serde_json::json!({ "AccountID": a.account_id.to_string() });
    let result = if p.is_empty() {
        let a = &mut t.accounts[i];
        a.status = "DELETED";
        a.updated = cx.stamp;
        Ok(Done::Account(a.account_id))
    } else {
        Err(p)
    };
    Answer::Elements {
        key: "Accounts",
        schema: "Account",
        elements: vec![Element { sent, result }],
    }
}
