//! The records the mock serves, typed the way the generator produces them.
//!
//! Amounts are integer cents, quantities ten-thousandths and rates millionths, so
//! every total is exact; strings that come from fixed catalogues are `&'static str`
//! to keep 200,000 invoices cheap in memory.

use crate::dates::XeroDate;
use crate::ids::Uuid;

/// Everything one organisation (tenant) holds.
#[derive(Clone)]
pub struct Tenant {
    pub tenant_id: Uuid,
    pub connection_id: Uuid,
    pub organisation: Organisation,
    pub accounts: Vec<Account>,
    pub contacts: Vec<Contact>,
    pub invoices: Vec<Invoice>,
}

/// Country-specific settings that shape an organisation's data.
pub struct Region {
    pub country_code: &'static str,
    pub country_name: &'static str,
    pub base_currency: &'static str,
    pub foreign_currencies: [(&'static str, i64); 2],
    pub tax_percent: i64,
    pub sales_tax_type: &'static str,
    pub purchase_tax_type: &'static str,
    pub no_tax_type: &'static str,
    pub timezone: &'static str,
    pub year_end: (u32, u32),
    pub cities: &'static [(&'static str, &'static str)],
    pub phone_country_code: &'static str,
    pub email_domain: &'static str,
}

#[derive(Clone)]
pub struct Organisation {
    pub organisation_id: Uuid,
    pub name: String,
    pub legal_name: String,
    pub short_code: String,
    pub registration_number: String,
    pub tax_number: String,
    pub region: &'static Region,
    pub created: XeroDate,
    pub api_key: String,
    pub line_of_business: &'static str,
    pub street: (String, &'static str, &'static str),
}

#[derive(Clone)]
pub struct Account {
    pub account_id: Uuid,
    pub code: &'static str,
    pub name: &'static str,
    pub kind: &'static str,
    pub class: &'static str,
    pub status: &'static str,
    pub description: &'static str,
    pub tax_type: &'static str,
    pub system_account: Option<&'static str>,
    pub reporting_code: &'static str,
    pub reporting_code_name: &'static str,
    pub bank_account_number: Option<String>,
    pub currency_code: Option<&'static str>,
    pub enable_payments: bool,
    pub show_in_expense_claims: bool,
    pub updated: XeroDate,
}

#[derive(Clone)]
pub struct Contact {
    pub contact_id: Uuid,
    pub contact_number: String,
    pub account_number: Option<String>,
    pub archived: bool,
    pub name: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub bank_account: String,
    pub tax_number: Option<String>,
    pub street: Address,
    pub postal: Address,
    pub phones: [Phone; 3],
    pub is_customer: bool,
    pub is_supplier: bool,
    pub default_currency: Option<&'static str>,
    pub website: Option<String>,
    pub has_attachments: bool,
    pub updated: XeroDate,
}

#[derive(Clone)]
pub struct Address {
    pub line1: String,
    pub city: &'static str,
    pub region: &'static str,
    pub postal_code: String,
    pub country: &'static str,
}

#[derive(Clone)]
pub struct Phone {
    pub kind: &'static str,
    pub number: String,
    pub area: String,
    pub country: &'static str,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum InvoiceType {
    AccRec,
    AccPay,
}

impl InvoiceType {
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceType::AccRec => "ACCREC",
            InvoiceType::AccPay => "ACCPAY",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Status {
    Draft,
    Submitted,
    Authorised,
    Paid,
    Voided,
    Deleted,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Draft,
        Status::Submitted,
        Status::Authorised,
        Status::Paid,
        Status::Voided,
        Status::Deleted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "DRAFT",
            Status::Submitted => "SUBMITTED",
            Status::Authorised => "AUTHORISED",
            Status::Paid => "PAID",
            Status::Voided => "VOIDED",
            Status::Deleted => "DELETED",
        }
    }
}

#[derive(Clone)]
pub struct Invoice {
    pub invoice_id: Uuid,
    pub kind: InvoiceType,
    pub number: String,
    pub reference: String,
    /// Index into the tenant's `contacts`.
    pub contact: u32,
    /// Days since 1970-01-01.
    pub date: i32,
    pub due_date: i32,
    pub status: Status,
    /// `true` = `Inclusive` (line amounts include tax), `false` = `Exclusive`.
    pub tax_inclusive: bool,
    /// `NoTax` (only written invoices: the generator makes Inclusive and Exclusive ones).
    pub no_tax: bool,
    pub line_items: Vec<LineItem>,
    pub sub_total: i64,
    pub total_tax: i64,
    pub total: i64,
    pub amount_due: i64,
    pub amount_paid: i64,
    pub amount_credited: i64,
    pub currency_code: &'static str,
    /// Millionths: 1_000_000 is a rate of 1.
    pub currency_rate: i64,
    /// Generated invoices have at most one; written payments add more (`writes_payments.rs`).
    pub payments: Vec<Payment>,
    /// Credit notes, overpayments and prepayments allocated to it (`data_credits.rs`);
    /// `amount_credited` is their sum.
    pub credits: Vec<Credit>,
    pub fully_paid_on: Option<i32>,
    pub updated: XeroDate,
    pub has_attachments: bool,
    pub sent_to_contact: bool,
    pub branding_theme: Option<Uuid>,
}

impl Invoice {
    pub fn line_amount_types(&self) -> &'static str {
        if self.no_tax {
            "NoTax"
        } else if self.tax_inclusive {
            "Inclusive"
        } else {
            "Exclusive"
        }
    }
}

#[derive(Clone)]
pub struct Payment {
    pub payment_id: Uuid,
    pub date: i32,
    pub amount: i64,
}

/// The kinds of document whose credit can be allocated to an invoice.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CreditKind {
    CreditNote,
    Overpayment,
    Prepayment,
}

impl CreditKind {
    pub const ALL: [CreditKind; 3] = [
        CreditKind::CreditNote,
        CreditKind::Overpayment,
        CreditKind::Prepayment,
    ];

    /// The document's schema (`CreditNote`): its id is `{schema}ID`, the invoice's
    /// list of them `{schema}s`.
    pub fn schema(self) -> &'static str {
        match self {
            CreditKind::CreditNote => "CreditNote",
            CreditKind::Overpayment => "Overpayment",
            CreditKind::Prepayment => "Prepayment",
        }
    }

    /// Its generic collection's key (`CreditNotes`), which is also the invoice's list.
    pub fn collection(self) -> &'static str {
        match self {
            CreditKind::CreditNote => "CreditNotes",
            CreditKind::Overpayment => "Overpayments",
            CreditKind::Prepayment => "Prepayments",
        }
    }

    /// The document's `Type` when it credits an invoice of `kind`.
    pub fn doc_type(self, kind: InvoiceType) -> &'static str {
        let rec = kind == InvoiceType::AccRec;
        match self {
            CreditKind::CreditNote if rec => "ACCRECCREDIT",
            CreditKind::CreditNote => "ACCPAYCREDIT",
            CreditKind::Overpayment if rec => "RECEIVE-OVERPAYMENT",
            CreditKind::Overpayment => "SPEND-OVERPAYMENT",
            CreditKind::Prepayment if rec => "RECEIVE-PREPAYMENT",
            CreditKind::Prepayment => "SPEND-PREPAYMENT",
        }
    }
}

/// One allocation of a document's credit to an invoice. The document itself is a generic
/// record, generated later; it takes this id, contact and currency when it is
/// (`generic_allocations.rs`), so both sides name each other without being built together.
#[derive(Clone)]
pub struct Credit {
    pub kind: CreditKind,
    /// Index of the document in its generic collection.
    pub doc: u32,
    pub doc_id: Uuid,
    pub allocation_id: Uuid,
    /// In the invoice's currency, cents.
    pub amount: i64,
    pub date: i32,
}

/// [`LineItem::account`] of a line without an account.
pub const NO_ACCOUNT: u16 = u16::MAX;

#[derive(Clone)]
pub struct LineItem {
    pub line_item_id: Uuid,
    pub description: &'static str,
    /// Ten-thousandths: 10_000 is a quantity of 1.
    pub quantity: i64,
    /// Ten-thousandths: Xero keeps four decimals of a unit price.
    pub unit_amount: i64,
    pub item_code: Option<&'static str>,
    /// Index into the tenant's `accounts`; [`NO_ACCOUNT`] on a written draft's line
    /// that names none (Xero lets drafts leave it out).
    pub account: u16,
    pub tax_type: &'static str,
    /// Hundredths of a percent (`1250` is 12.5%); 0 when there is no discount.
    pub discount_rate: i64,
    pub tax_amount: i64,
    pub line_amount: i64,
}
