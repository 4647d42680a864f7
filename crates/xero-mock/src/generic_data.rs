//! Records of a generic collection, made from its schema: deterministic from the seed,
//! the tenant and the collection, so a collection can be generated when first asked for.
//!
//! Values follow the property's kind (enums from the specification), with a few rules by
//! property name so the ledger joins: `Contact`/`ContactID` is a contact of the tenant,
//! `Account`/`AccountID`/`AccountCode` an account of its chart, `Invoice`/`InvoiceID` one of
//! its invoices, `TaxType` and currency codes its region's; then amounts are made to add
//! up (`LineAmount = Quantity × UnitAmount`, `Total = SubTotal + TotalTax`, journal lines
//! that balance) in `generic_settle.rs`.

use crate::catalog;
use crate::collections::{Collection, COLLECTIONS};
use crate::dates::{days_from_civil, XeroDate, MS_PER_DAY};
use crate::generic_model::{unit, GObj, GRecord, GVal};
use crate::generic_settle::settle;
use crate::ids::Rng;
use crate::model::{Contact, Region, Tenant};
use crate::spec::{self, Kind, Prop, Schema};
use crate::unit_dp::{is_unit_price, with_four_decimals};

/// Schemas whose objects are taken from the hand-built model instead of invented.
const FROM_MODEL: &[&str] = &["Contact", "Account", "Invoice"];
/// Nested schemas never filled in (Xero leaves them out of lists, or they are write-only).
const LEFT_OUT: &[&str] = &["Attachment", "ValidationError", "TaxBreakdownComponent"];
/// Properties left empty: discounts, and what only UK (CIS) or US (sales tax)
/// organisations have, which the NZ and AU demo companies are not.
const NOT_FILLED: &[&str] = &[
    "DiscountRate",
    "DiscountAmount",
    "CISDeduction",
    "CISRate",
    "SalesTaxCodeId",
    "Taxability",
    "TaxBreakdown",
    "RepeatingInvoiceID",
];

/// Records of `COLLECTIONS[coll]` for tenant number `tenant`.
pub fn generate(seed: u64, tenant: usize, t: &Tenant, coll: usize) -> Vec<GRecord> {
    let c = &COLLECTIONS[coll];
    let schema = spec::schema(c.schema).expect("registry schemas are generated");
    let mut g = Gen {
        rng: Rng::new(seed, tenant, &format!("generic:{}", c.key)),
        t,
        region: t.organisation.region,
        picked: Picked::default(),
    };
    (0..c.per_tenant)
        .map(|i| {
            let mut obj = g.object(schema, 0, i);
            identity(&mut obj, c, g.region, i);
            settle(&mut obj, g.region, &mut g.rng);
            GRecord {
                coll: coll as u16,
                obj,
            }
        })
        .collect()
}

/// Identity fields that are text or numbers are made unique by the record's position.
fn identity(obj: &mut GObj, c: &Collection, region: &Region, i: usize) {
    match c.id {
        "Code" => {
            let codes = [
                region.base_currency,
                region.foreign_currencies[0].0,
                region.foreign_currencies[1].0,
            ];
            obj.set("Code", GVal::Const(codes[i % codes.len()]));
        }
        "TaxType" => {
            let types = tax_types(region);
            let tax_type = types[i % types.len()];
            obj.set("TaxType", GVal::Const(tax_type));
            // The organisation's own rates are in use (writes price lines with them).
            obj.set("Status", GVal::Const("ACTIVE"));
            let percent = if tax_type == region.no_tax_type {
                0
            } else {
                region.tax_percent
            };
            for f in ["EffectiveRate", "DisplayTaxRate"] {
                obj.set(f, GVal::Fixed(percent * obj.unit(f)));
            }
        }
        _ => {}
    }
}

fn tax_types(region: &Region) -> [&'static str; 3] {
    [
        region.sales_tax_type,
        region.purchase_tax_type,
        region.no_tax_type,
    ]
}

/// The contact, account and invoice one object refers to, so that e.g. its `AccountID`
/// and `AccountCode` name the same account.
#[derive(Default)]
struct Picked {
    contact: Option<usize>,
    account: Option<usize>,
    invoice: Option<usize>,
}

struct Gen<'a> {
    rng: Rng,
    t: &'a Tenant,
    region: &'static Region,
    picked: Picked,
}

/// First and last day (inclusive) of the model's date range, as days since 1970-01-01.
fn date_range() -> (i64, i64) {
    (days_from_civil(2024, 1, 1), days_from_civil(2026, 10, 31))
}

impl Gen<'_> {
    /// An object of `schema`; `depth` 0 is the record itself, whose nested objects and
    /// lists are filled one level down (deeper ones are left out, as Xero's lists do).
    fn object(&mut self, schema: &'static Schema, depth: usize, i: usize) -> GObj {
        let saved = std::mem::take(&mut self.picked);
        let mut obj = GObj::new(schema);
        for (k, p) in schema.props.iter().enumerate() {
            obj.vals[k] = self.value(schema, p, depth, i);
        }
        self.picked = saved;
        obj
    }

    fn value(&mut self, schema: &Schema, p: &Prop, depth: usize, i: usize) -> GVal {
        if let Some(v) = self.by_name(schema, p, i) {
            return v;
        }
        let (lo, hi) = date_range();
        match p.kind {
            Kind::Str => GVal::Text(format!("{} {}", p.name, self.rng.range(1, 999))),
            Kind::Uuid => GVal::Uuid(self.rng.uuid()),
            Kind::Date => GVal::Day(self.rng.range(lo, hi) as i32),
            Kind::DateTime => GVal::Instant(XeroDate::utc(
                self.rng.range(lo * MS_PER_DAY, (hi + 1) * MS_PER_DAY - 1),
            )),
            Kind::Money => GVal::Fixed(self.rng.range(1_000, 500_000)),
            Kind::Number => GVal::Fixed(self.rng.range(1, 10) * 10_000),
            Kind::Integer => GVal::Int(self.rng.range(1, 12)),
            Kind::Boolean => GVal::Bool(self.rng.chance(30)),
            Kind::Enum(values) => GVal::Const(*self.rng.pick(values)),
            Kind::DateText(_) => GVal::Null, // rendered from the date it accompanies
            Kind::Object(name) => self.nested(name, depth, i),
            Kind::Array(name) => self.list(name, depth, i),
        }
    }

    fn nested(&mut self, name: &'static str, depth: usize, i: usize) -> GVal {
        if FROM_MODEL.contains(&name) {
            return GVal::Obj(Box::new(self.from_model(name)));
        }
        if depth > 0 || LEFT_OUT.contains(&name) || served_elsewhere(name) {
            return GVal::Null;
        }
        let schema = spec::schema(name).expect("nested schemas are generated");
        GVal::Obj(Box::new(self.object(schema, depth + 1, i)))
    }

    fn list(&mut self, name: &'static str, depth: usize, i: usize) -> GVal {
        if depth > 0 || LEFT_OUT.contains(&name) {
            return GVal::Null;
        }
        // Other collections' records (a credit note's Payments, a claim's Receipts) would
        // have to agree with those collections; the mock sends such lists empty.
        if served_elsewhere(name) || (FROM_MODEL.contains(&name) && name != "Contact") {
            return GVal::List(Vec::new());
        }
        let schema = spec::schema(name).expect("nested schemas are generated");
        let n = if schema.name.ends_with("JournalLine") {
            2 * self.rng.range(1, 2) // lines come in balancing pairs
        } else {
            self.rng.range(1, 3)
        };
        let items = (0..n)
            .map(|_| {
                if name == "Contact" {
                    self.from_model(name)
                } else {
                    self.object(schema, depth + 1, i)
                }
            })
            .collect();
        GVal::List(items)
    }

    /// Values decided by the property's name rather than its kind.
    fn by_name(&mut self, schema: &Schema, p: &Prop, i: usize) -> Option<GVal> {
        let t = self.t;
        // `RepeatingInvoiceID` is empty on a line item, but a repeating invoice's own id.
        let own_id = p.name.strip_suffix("ID") == Some(schema.name);
        if NOT_FILLED.contains(&p.name) && !own_id {
            return Some(GVal::Null);
        }
        let v = match (p.name, p.kind) {
            ("ContactID", Kind::Uuid) => GVal::Uuid(t.contacts[self.contact()?].contact_id),
            ("ContactName", _) => GVal::Text(t.contacts[self.contact()?].name.clone()),
            ("AccountID", Kind::Uuid) => GVal::Uuid(t.accounts[self.account()?].account_id),
            ("AccountCode" | "InventoryAssetAccountCode" | "COGSAccountCode", _) => {
                GVal::Const(t.accounts[self.account()?].code)
            }
            ("AccountName", _) => GVal::Const(t.accounts[self.account()?].name),
            ("AccountType", _) => GVal::Const(t.accounts[self.account()?].kind),
            ("InvoiceID" | "SourceID" | "SourceTransactionID", Kind::Uuid) => {
                GVal::Uuid(t.invoices[self.invoice()?].invoice_id)
            }
            ("TargetTransactionID", Kind::Uuid) => {
                let n = t.invoices.len();
                (n > 0).then_some(())?;
                GVal::Uuid(t.invoices[self.rng.range(0, n as i64 - 1) as usize].invoice_id)
            }
            ("InvoiceNumber", _) => GVal::Text(t.invoices[self.invoice()?].number.clone()),
            ("TaxType", _) => GVal::Const(*self.rng.pick(&tax_types(self.region))),
            ("CurrencyCode", _) => GVal::Const(if self.rng.chance(80) {
                self.region.base_currency
            } else {
                self.rng.pick(&self.region.foreign_currencies).0
            }),
            ("CurrencyRate", k) => GVal::Fixed(unit(k)),
            ("Quantity", k) => GVal::Fixed(self.rng.range(1, 10) * unit(k)),
            // The same draw as any money, with a fourth decimal on some.
            (n, Kind::Money) if is_unit_price(n) => {
                let cents = self.rng.range(1_000, 500_000);
                GVal::Fixed(with_four_decimals(cents, cents as u64 * 7919, 49))
            }
            ("Rate", k) => GVal::Fixed(self.region.tax_percent * unit(k)),
            ("ItemCode", _) => self
                .rng
                .pick(catalog::SALES_LINES)
                .0
                .map_or(GVal::Null, GVal::Const),
            ("Description", Kind::Str) => GVal::Const(self.rng.pick(catalog::SALES_LINES).1),
            ("FirstName", Kind::Str) => GVal::Const(*self.rng.pick(catalog::FIRST_NAMES)),
            ("LastName", Kind::Str) => GVal::Const(*self.rng.pick(catalog::LAST_NAMES)),
            ("Name", Kind::Str) => GVal::Text(format!(
                "{} {}",
                self.rng.pick(catalog::COMPANY_WORDS),
                self.rng.pick(catalog::COMPANY_TRADES)
            )),
            ("Reference", Kind::Str) => GVal::Text(format!("Ref {:05}", self.rng.range(1, 99_999))),
            ("BankAccountNumber", _) => GVal::Text(format!(
                "{:02}-{:04}-{:07}-00",
                self.rng.range(1, 38),
                self.rng.range(1, 9999),
                self.rng.range(0, 9_999_999)
            )),
            (n, Kind::Str) if n.ends_with("Url") => GVal::Text(format!(
                "https://example.{}/{}/{}",
                self.region.email_domain,
                schema.name.to_lowercase(),
                i + 1
            )),
            // Document numbers (QuoteNumber, PurchaseOrderNumber…) are unique and sequential.
            (n, Kind::Str) if n.ends_with("Number") => GVal::Text(document_number(n, i)),
            (n, Kind::Integer) if n.ends_with("Number") => GVal::Int(i as i64 + 1),
            _ => return None,
        };
        Some(v)
    }

    /// A nested Contact, Account or Invoice: the identifying fields of a real one.
    fn from_model(&mut self, name: &str) -> GObj {
        let schema = spec::schema(name).expect("model schemas are generated");
        let mut o = GObj::new(schema);
        let t = self.t;
        match name {
            "Contact" => {
                if let Some(c) = self.contact() {
                    o = contact_obj(&t.contacts[c]);
                }
            }
            "Account" => {
                // Nested accounts are where money moves through: the bank accounts.
                let banks: Vec<usize> = (0..t.accounts.len())
                    .filter(|&a| t.accounts[a].kind == "BANK")
                    .collect();
                if !banks.is_empty() {
                    let a = &t.accounts[*self.rng.pick(&banks)];
                    o.set("AccountID", GVal::Uuid(a.account_id));
                    o.set("Code", GVal::Const(a.code));
                    o.set("Name", GVal::Const(a.name));
                }
            }
            _ => {
                if let Some(inv) = self.invoice() {
                    let inv = &t.invoices[inv];
                    o.set("InvoiceID", GVal::Uuid(inv.invoice_id));
                    o.set("InvoiceNumber", GVal::Text(inv.number.clone()));
                    o.set("Type", GVal::Const(inv.kind.as_str()));
                }
            }
        }
        o
    }

    fn contact(&mut self) -> Option<usize> {
        let n = self.t.contacts.len();
        pick_once(&mut self.picked.contact, &mut self.rng, n)
    }

    fn account(&mut self) -> Option<usize> {
        let n = self.t.accounts.len();
        pick_once(&mut self.picked.account, &mut self.rng, n)
    }

    fn invoice(&mut self) -> Option<usize> {
        let n = self.t.invoices.len();
        pick_once(&mut self.picked.invoice, &mut self.rng, n)
    }
}

/// A nested `Contact`: the identifying fields of a real one.
pub fn contact_obj(c: &Contact) -> GObj {
    let mut o = GObj::new(spec::schema("Contact").expect("model schemas are generated"));
    o.set("ContactID", GVal::Uuid(c.contact_id));
    o.set("ContactNumber", GVal::Text(c.contact_number.clone()));
    o.set("Name", GVal::Text(c.name.clone()));
    o.set("EmailAddress", GVal::Text(c.email.clone()));
    o
}

fn pick_once(slot: &mut Option<usize>, rng: &mut Rng, n: usize) -> Option<usize> {
    if slot.is_none() && n > 0 {
        *slot = Some(rng.range(0, n as i64 - 1) as usize);
    }
    *slot
}

/// Whether records of this schema are another generic collection's.
fn served_elsewhere(schema: &str) -> bool {
    COLLECTIONS.iter().any(|c| c.schema == schema)
}

/// The number of the `i`th record's `field` (`CreditNoteNumber` of the first: `CN-00001`);
/// invoices name the credit notes allocated to them by it.
pub fn document_number(field: &str, i: usize) -> String {
    format!("{}-{:05}", initials(field), i + 1)
}

/// `PurchaseOrderNumber` → `PO`, `QuoteNumber` → `QU`: a document number's prefix.
fn initials(field: &str) -> String {
    let stem = field.trim_end_matches("Number");
    let caps: String = stem.chars().filter(char::is_ascii_uppercase).collect();
    if caps.len() > 1 {
        caps
    } else {
        stem.chars().take(2).collect::<String>().to_uppercase()
    }
}
