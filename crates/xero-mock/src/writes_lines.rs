//! Line items of written documents, priced the way Xero prices them, and the reference
//! data they are checked against (accounts, tax rates, items, currencies).
//!
//! Per line: `LineAmount = round(Quantity × UnitAmount × (1 − DiscountRate%))`; tax at the
//! line's tax rate, on top of the amount (`Exclusive`, the default) or inside it
//! (`Inclusive`), none with `NoTax`. Per document: `SubTotal` is the lines less any tax
//! inside them, `TotalTax` their tax, `Total = SubTotal + TotalTax`. Amounts the client
//! sends are checked against these, never taken as they are.

use serde_json::Value;

use crate::collections;
use crate::generic_model::{GObj, GVal};
use crate::ids::Uuid;
use crate::model::{Account, Tenant};
use crate::numbers::div_round;
use crate::state::State;
use crate::writes_values::{self as wv, money_text, Problems};

/// The tenant's reference data a write reads besides its hand-built records: tax rates,
/// items and currencies (generic collections, possibly written themselves).
pub struct Refs {
    /// Tax type, rate in hundredths of a percent, usable (ACTIVE).
    tax_rates: Vec<(String, i64, bool)>,
    items: Vec<GObj>,
    currencies: Vec<String>,
}

fn coll(key: &str) -> usize {
    collections::find(key).expect("registered collection")
}

pub fn gtext<'a>(o: &'a GObj, name: &str) -> Option<&'a str> {
    match o.get(name) {
        GVal::Text(s) => Some(s),
        GVal::Const(s) => Some(s),
        _ => None,
    }
}

impl Refs {
    pub fn load(state: &State, tenant: usize) -> Refs {
        let tax_rates = state
            .generic_live(tenant, coll("TaxRates"))
            .iter()
            .filter_map(|r| {
                let tt = gtext(&r.obj, "TaxType")?.to_string();
                let active = gtext(&r.obj, "Status").is_none_or(|s| s == "ACTIVE");
                Some((tt, r.obj.fixed("EffectiveRate"), active))
            })
            .collect();
        let items = state
            .generic_live(tenant, coll("Items"))
            .iter()
            .map(|r| r.obj.clone())
            .collect();
        let currencies = state
            .generic_live(tenant, coll("Currencies"))
            .iter()
            .filter_map(|r| gtext(&r.obj, "Code").map(str::to_string))
            .collect();
        Refs {
            tax_rates,
            items,
            currencies,
        }
    }

    /// The rate of a usable tax type, in hundredths of a percent.
    pub fn rate(&self, tax_type: &str) -> Option<i64> {
        self.tax_rates
            .iter()
            .find(|(tt, _, active)| *active && tt.eq_ignore_ascii_case(tax_type))
            .map(|(_, r, _)| *r)
    }

    /// The tax type as the organisation spells it.
    pub fn tax_type(&self, tax_type: &str) -> Option<&str> {
        self.tax_rates
            .iter()
            .find(|(tt, _, active)| *active && tt.eq_ignore_ascii_case(tax_type))
            .map(|(tt, _, _)| tt.as_str())
    }

    pub fn item(&self, code: &str) -> Option<&GObj> {
        self.items
            .iter()
            .find(|i| gtext(i, "Code").is_some_and(|c| c.eq_ignore_ascii_case(code)))
    }

    pub fn has_currency(&self, code: &str) -> bool {
        self.currencies.iter().any(|c| c.eq_ignore_ascii_case(code))
    }
}

/// What a document's lines may post to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AccountUse {
    /// Invoices, credit notes, bank transactions, orders, quotes: not bank accounts, not
    /// the receivables/payables control accounts.
    Lines,
    /// Manual journals: anything but the control accounts.
    Journal,
    /// Where money is paid from or into: bank accounts (or payments enabled).
    Bank,
}

/// The usable account `code` (or `id`) names, as an index into the chart.
pub fn account(
    t: &Tenant,
    code: Option<&str>,
    id: Option<Uuid>,
    usage: AccountUse,
    p: &mut Problems,
) -> Option<u16> {
    let found = match (code, id) {
        (Some(code), _) => t
            .accounts
            .iter()
            .position(|a| a.code.eq_ignore_ascii_case(code) && a.status != "DELETED"),
        (None, Some(id)) => t
            .accounts
            .iter()
            .position(|a| a.account_id == id && a.status != "DELETED"),
        (None, None) => return None,
    };
    let usable = |a: &Account| {
        a.status == "ACTIVE"
            && match usage {
                AccountUse::Lines => {
                    a.kind != "BANK" && !matches!(a.system_account, Some("DEBTORS" | "CREDITORS"))
                }
                AccountUse::Journal => !matches!(a.system_account, Some("DEBTORS" | "CREDITORS")),
                AccountUse::Bank => a.kind == "BANK" || a.enable_payments,
            }
    };
    match found {
        Some(i) if usable(&t.accounts[i]) => Some(i as u16),
        _ if usage == AccountUse::Bank && found.is_none() => {
            p.add("Account could not be found");
            None
        }
        _ => {
            let shown = code.map_or_else(
                || id.map(|u| u.to_string()).unwrap_or_default(),
                str::to_string,
            );
            p.add(match usage {
                AccountUse::Bank => {
                    format!("Account '{shown}' is not a bank account and does not allow payments.")
                }
                _ => format!("Account code '{shown}' is not a valid code for this document."),
            });
            None
        }
    }
}

/// The account a nested `{"AccountID"…}`/`{"Code"…}` object names (bank accounts,
/// payment accounts).
pub fn nested_account(
    t: &Tenant,
    v: Option<&Value>,
    usage: AccountUse,
    p: &mut Problems,
) -> Option<u16> {
    let v = v?;
    let id = wv::uuid(v, "AccountID", p);
    let code = wv::nonblank(v, "Code").or_else(|| wv::nonblank(v, "AccountCode"));
    account(t, code.as_deref(), id, usage, p)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Amounts {
    Exclusive,
    Inclusive,
    NoTax,
}

impl Amounts {
    /// `LineAmountTypes` (Quotes spell it in capitals); absent: `default`.
    pub fn read(v: &Value, default: Amounts, p: &mut Problems) -> Amounts {
        match wv::text(v, "LineAmountTypes") {
            None => default,
            Some(s) => match s.to_ascii_lowercase().as_str() {
                "exclusive" => Amounts::Exclusive,
                "inclusive" => Amounts::Inclusive,
                "notax" => Amounts::NoTax,
                _ => {
                    p.add(format!("'{s}' is not a valid value for LineAmountTypes."));
                    default
                }
            },
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Amounts::Exclusive => "Exclusive",
            Amounts::Inclusive => "Inclusive",
            Amounts::NoTax => "NoTax",
        }
    }

    /// The tax on a line of `amount` cents at `rate` hundredths of a percent, as the
    /// amount is stated (an inclusive amount already holds its tax).
    pub fn tax(self, amount: i64, rate: i64) -> i64 {
        match self {
            Amounts::Exclusive => div_round(amount * rate, 10_000),
            Amounts::Inclusive => div_round(amount * rate, 10_000 + rate),
            Amounts::NoTax => 0,
        }
    }
}

/// How a document prices its lines.
pub struct LineRules {
    pub amounts: Amounts,
    /// Sales documents take an item's sales details, purchases its purchase details.
    pub sales: bool,
    /// Decimals the document keeps of a quantity (4 on invoices; 2 where the
    /// specification's `Quantity` is money, the generic documents).
    pub quantity_decimals: u32,
    /// Every line must name an account (documents that post).
    pub need_account: bool,
}

/// One line as written: checked, priced, and ready to store.
#[derive(Clone, Debug)]
pub struct Priced {
    pub line_item_id: Option<Uuid>,
    pub description: String,
    /// Ten-thousandths.
    pub quantity: i64,
    /// Ten-thousandths.
    pub unit: i64,
    /// Hundredths of a percent.
    pub discount: i64,
    pub item_code: Option<String>,
    pub account: Option<u16>,
    pub tax_type: String,
    pub tax: i64,
    pub amount: i64,
}

pub fn price(t: &Tenant, refs: &Refs, v: &Value, rules: &LineRules, p: &mut Problems) -> Priced {
    let region = t.organisation.region;
    let item_code = wv::nonblank(v, "ItemCode");
    let item = item_code.as_deref().and_then(|code| {
        let item = refs.item(code);
        if item.is_none() {
            p.add(format!("Item code '{code}' is not valid."));
        }
        item
    });
    let details = item.and_then(|i| {
        match i.get(if rules.sales {
            "SalesDetails"
        } else {
            "PurchaseDetails"
        }) {
            GVal::Obj(d) => Some(&**d),
            _ => None,
        }
    });
    let description = wv::text(v, "Description")
        .or_else(|| {
            let i = item?;
            let d = if rules.sales {
                "Description"
            } else {
                "PurchaseDescription"
            };
            gtext(i, d).or_else(|| gtext(i, "Name")).map(str::to_string)
        })
        .unwrap_or_default();
    let mut quantity = wv::fixed(v, "Quantity", 4, p);
    if let Some(q) = quantity {
        if q < 0 {
            p.add("Quantity must not be negative.");
        }
        if rules.quantity_decimals < 4 {
            quantity = Some(
                div_round(q, 10i64.pow(4 - rules.quantity_decimals))
                    * 10i64.pow(4 - rules.quantity_decimals),
            );
        }
    }
    let unit = wv::fixed(v, "UnitAmount", 4, p);
    let discount = wv::fixed(v, "DiscountRate", 2, p).unwrap_or(0);
    if !(0..=10_000).contains(&discount) {
        p.add("DiscountRate must be between 0 and 100.");
    }
    let given_amount = wv::fixed(v, "LineAmount", 2, p);
    // A line that gives only its amount is one of that amount.
    let (quantity, unit) = match (quantity, unit, given_amount) {
        (None, None, Some(a)) => (10_000, a * 100),
        (q, u, _) => (
            q.unwrap_or(10_000),
            u.or_else(|| details.map(|d| d.fixed("UnitPrice")))
                .unwrap_or(0),
        ),
    };
    let amount = line_amount(quantity, unit, discount);
    if let Some(given) = given_amount {
        if given != amount {
            p.add(format!(
                "The line total {} does not match the expected line total {}.",
                money_text(given),
                money_text(amount)
            ));
        }
    }
    let code = wv::nonblank(v, "AccountCode").or_else(|| {
        details
            .and_then(|d| gtext(d, "AccountCode"))
            .map(str::to_string)
    });
    let id = wv::uuid(v, "AccountID", p);
    let account = account(t, code.as_deref(), id, AccountUse::Lines, p);
    if rules.need_account && code.is_none() && id.is_none() {
        p.add("An account code must be specified for every line of an approved document.");
    }
    let given_tax = wv::nonblank(v, "TaxType").or_else(|| {
        details
            .and_then(|d| gtext(d, "TaxType"))
            .map(str::to_string)
    });
    let (tax_type, rate) = match (rules.amounts, given_tax) {
        (Amounts::NoTax, given) => (given.unwrap_or_else(|| region.no_tax_type.to_string()), 0),
        (_, Some(tt)) => match (refs.tax_type(&tt), refs.rate(&tt)) {
            (Some(name), Some(rate)) => (name.to_string(), rate),
            _ => {
                p.add(format!("The TaxType code '{tt}' does not exist or cannot be used for this type of transaction."));
                (tt, 0)
            }
        },
        (_, None) => {
            let tt = account.map_or(region.no_tax_type, |a| t.accounts[usize::from(a)].tax_type);
            (tt.to_string(), refs.rate(tt).unwrap_or(0))
        }
    };
    let tax = rules.amounts.tax(amount, rate);
    if let Some(given) = wv::fixed(v, "TaxAmount", 2, p) {
        if (given - tax).abs() > 1 {
            p.add(format!(
                "The tax amount {} does not match the tax calculated for the line ({}).",
                money_text(given),
                money_text(tax)
            ));
        }
    }
    Priced {
        line_item_id: wv::uuid(v, "LineItemID", p),
        description,
        quantity,
        unit,
        discount,
        item_code: item
            .and_then(|i| gtext(i, "Code"))
            .map(str::to_string)
            .or(item_code),
        account,
        tax_type,
        tax,
        amount,
    }
}

/// `round(Quantity × UnitAmount × (1 − discount))` in cents; quantity and price in
/// ten-thousandths, the discount in hundredths of a percent.
pub fn line_amount(quantity: i64, unit: i64, discount: i64) -> i64 {
    let num = i128::from(quantity) * i128::from(unit) * i128::from(10_000 - discount);
    let den: i128 = 1_000_000 * 10_000;
    let q = num / den;
    let r = num % den;
    let rounded = if 2 * r.abs() >= den {
        q + num.signum()
    } else {
        q
    };
    rounded as i64
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Totals {
    pub sub: i64,
    pub tax: i64,
    pub total: i64,
}

impl Totals {
    /// A document's totals from the sums of its lines' amounts and taxes; inclusive line
    /// amounts hold their tax, so the subtotal is what is left without it.
    pub fn of(amount: i64, tax: i64, amounts: Amounts) -> Totals {
        let sub = if amounts == Amounts::Inclusive {
            amount - tax
        } else {
            amount
        };
        Totals {
            sub,
            tax,
            total: sub + tax,
        }
    }
}

/// Totals the client sent must be the lines' totals.
pub fn check_totals(v: &Value, t: Totals, p: &mut Problems) {
    for (name, want) in [("SubTotal", t.sub), ("TotalTax", t.tax), ("Total", t.total)] {
        if wv::fixed(v, name, 2, p).is_some_and(|given| given != want) {
            p.add("The document total does not equal the sum of the lines.");
        }
    }
}

/// The next document number after the highest `{prefix}{n}` among `numbers`, with at
/// least `width` digits (`INV-000501`, `CN-00151`).
pub fn next_number<'a>(
    prefix: &str,
    width: usize,
    numbers: impl Iterator<Item = &'a str>,
) -> String {
    let highest = numbers
        .filter_map(|n| n.strip_prefix(prefix)?.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    format!("{prefix}{:0width$}", highest + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_amounts_round_half_away_from_zero() {
        assert_eq!(line_amount(10_000, 123_456, 0), 1235);
        assert_eq!(line_amount(25_000, 100_000, 0), 2500);
        assert_eq!(line_amount(10_000, 100_000, 1_000), 900);
        assert_eq!(line_amount(30_000, 33_333, 0), 1000);
        assert_eq!(line_amount(10_000, -123_456, 0), -1235);
    }

    #[test]
    fn numbers_follow_the_highest() {
        let ns = ["INV-000009", "INV-000010", "ABC-1", "INV-x"];
        assert_eq!(next_number("INV-", 6, ns.iter().copied()), "INV-000011");
        assert_eq!(next_number("CN-", 5, std::iter::empty()), "CN-00001");
    }
}
