//! The queryable fields of each record type, for `where` and `order`.
//!
//! Each table maps a Xero field path (as written in a `where` clause) to its type and
//! a getter; the parser resolves names once, so evaluation is a function call per row.

use crate::dates::{XeroDate, MS_PER_DAY};
use crate::model::{Account, Contact, Invoice, Tenant};

/// Numbers are compared as fixed-point with six decimals: exact for cents, quantities and rates.
pub const NUM_SCALE: i128 = 1_000_000;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value<'a> {
    Null,
    Str(&'a str),
    Num(i128),
    Bool(bool),
    /// UTC milliseconds.
    Date(i64),
    Guid(u128),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Str,
    Num,
    Bool,
    Date,
    Guid,
}

impl Ty {
    /// The .NET type name Xero's query errors mention.
    pub fn dotnet_name(self) -> &'static str {
        match self {
            Ty::Str => "String",
            Ty::Num => "Decimal",
            Ty::Bool => "Boolean",
            Ty::Date => "DateTime",
            Ty::Guid => "Guid",
        }
    }
}

pub type Getter<R> = for<'a> fn(&'a R, &'a Tenant) -> Value<'a>;

pub struct Field<R: 'static> {
    pub name: &'static str,
    pub ty: Ty,
    pub get: Getter<R>,
}

/// The fields a `where` or `order` resolves names against: a static table for the
/// hand-built record types, one built at run time for each generic collection.
pub struct Table<R: 'static> {
    /// Name used in parse errors ("No property or field 'X' exists in type 'Invoice'").
    pub type_name: &'static str,
    pub fields: &'static [Field<R>],
}

impl<R> Clone for Table<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for Table<R> {}

impl<R> Table<R> {
    /// Case-insensitive lookup, as Xero's (Dynamic LINQ) parser does.
    pub fn field(&self, path: &str) -> Option<&'static Field<R>> {
        self.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(path))
    }
}

/// A hand-built record type that can be filtered and ordered.
pub trait Queryable: Sized + 'static {
    const TYPE_NAME: &'static str;
    fn fields() -> &'static [Field<Self>];

    fn table() -> Table<Self> {
        Table {
            type_name: Self::TYPE_NAME,
            fields: Self::fields(),
        }
    }
}

fn money(cents: i64) -> Value<'static> {
    Value::Num(i128::from(cents) * (NUM_SCALE / 100))
}

fn day(days: i32) -> Value<'static> {
    Value::Date(i64::from(days) * MS_PER_DAY)
}

fn instant(d: XeroDate) -> Value<'static> {
    Value::Date(d.ms)
}

fn opt_str(s: &Option<String>) -> Value<'_> {
    s.as_deref().map_or(Value::Null, Value::Str)
}

impl Queryable for Invoice {
    const TYPE_NAME: &'static str = "Invoice";
    fn fields() -> &'static [Field<Invoice>] {
        INVOICE_FIELDS
    }
}

static INVOICE_FIELDS: &[Field<Invoice>] = &[
    Field {
        name: "InvoiceID",
        ty: Ty::Guid,
        get: |i, _| Value::Guid(i.invoice_id.0),
    },
    Field {
        name: "InvoiceNumber",
        ty: Ty::Str,
        get: |i, _| Value::Str(&i.number),
    },
    Field {
        name: "Reference",
        ty: Ty::Str,
        get: |i, _| Value::Str(&i.reference),
    },
    Field {
        name: "Type",
        ty: Ty::Str,
        get: |i, _| Value::Str(i.kind.as_str()),
    },
    Field {
        name: "Status",
        ty: Ty::Str,
        get: |i, _| Value::Str(i.status.as_str()),
    },
    Field {
        name: "LineAmountTypes",
        ty: Ty::Str,
        get: |i, _| Value::Str(i.line_amount_types()),
    },
    Field {
        name: "Contact.ContactID",
        ty: Ty::Guid,
        get: |i, t| Value::Guid(t.contacts[i.contact as usize].contact_id.0),
    },
    Field {
        name: "Contact.Name",
        ty: Ty::Str,
        get: |i, t| Value::Str(&t.contacts[i.contact as usize].name),
    },
    Field {
        name: "Contact.ContactNumber",
        ty: Ty::Str,
        get: |i, t| Value::Str(&t.contacts[i.contact as usize].contact_number),
    },
    Field {
        name: "Date",
        ty: Ty::Date,
        get: |i, _| day(i.date),
    },
    Field {
        name: "DueDate",
        ty: Ty::Date,
        get: |i, _| day(i.due_date),
    },
    Field {
        name: "FullyPaidOnDate",
        ty: Ty::Date,
        get: |i, _| i.fully_paid_on.map_or(Value::Null, day),
    },
    Field {
        name: "UpdatedDateUTC",
        ty: Ty::Date,
        get: |i, _| instant(i.updated),
    },
    Field {
        name: "SubTotal",
        ty: Ty::Num,
        get: |i, _| money(i.sub_total),
    },
    Field {
        name: "TotalTax",
        ty: Ty::Num,
        get: |i, _| money(i.total_tax),
    },
    Field {
        name: "Total",
        ty: Ty::Num,
        get: |i, _| money(i.total),
    },
    Field {
        name: "AmountDue",
        ty: Ty::Num,
        get: |i, _| money(i.amount_due),
    },
    Field {
        name: "AmountPaid",
        ty: Ty::Num,
        get: |i, _| money(i.amount_paid),
    },
    Field {
        name: "AmountCredited",
        ty: Ty::Num,
        get: |i, _| money(i.amount_credited),
    },
    Field {
        name: "CurrencyCode",
        ty: Ty::Str,
        get: |i, _| Value::Str(i.currency_code),
    },
    Field {
        name: "CurrencyRate",
        ty: Ty::Num,
        get: |i, _| Value::Num(i128::from(i.currency_rate)),
    },
    Field {
        name: "HasAttachments",
        ty: Ty::Bool,
        get: |i, _| Value::Bool(i.has_attachments),
    },
    Field {
        name: "SentToContact",
        ty: Ty::Bool,
        get: |i, _| Value::Bool(i.sent_to_contact),
    },
    Field {
        name: "IsDiscounted",
        ty: Ty::Bool,
        get: |_, _| Value::Bool(false),
    },
    Field {
        name: "BrandingThemeID",
        ty: Ty::Guid,
        get: |i, _| i.branding_theme.map_or(Value::Null, |u| Value::Guid(u.0)),
    },
];

impl Queryable for Contact {
    const TYPE_NAME: &'static str = "Contact";
    fn fields() -> &'static [Field<Contact>] {
        CONTACT_FIELDS
    }
}

static CONTACT_FIELDS: &[Field<Contact>] = &[
    Field {
        name: "ContactID",
        ty: Ty::Guid,
        get: |c, _| Value::Guid(c.contact_id.0),
    },
    Field {
        name: "ContactNumber",
        ty: Ty::Str,
        get: |c, _| Value::Str(&c.contact_number),
    },
    Field {
        name: "AccountNumber",
        ty: Ty::Str,
        get: |c, _| opt_str(&c.account_number),
    },
    Field {
        name: "ContactStatus",
        ty: Ty::Str,
        get: |c, _| Value::Str(if c.archived { "ARCHIVED" } else { "ACTIVE" }),
    },
    Field {
        name: "Name",
        ty: Ty::Str,
        get: |c, _| Value::Str(&c.name),
    },
    Field {
        name: "FirstName",
        ty: Ty::Str,
        get: |c, _| Value::Str(&c.first_name),
    },
    Field {
        name: "LastName",
        ty: Ty::Str,
        get: |c, _| Value::Str(&c.last_name),
    },
    Field {
        name: "EmailAddress",
        ty: Ty::Str,
        get: |c, _| Value::Str(&c.email),
    },
    Field {
        name: "TaxNumber",
        ty: Ty::Str,
        get: |c, _| opt_str(&c.tax_number),
    },
    Field {
        name: "IsCustomer",
        ty: Ty::Bool,
        get: |c, _| Value::Bool(c.is_customer),
    },
    Field {
        name: "IsSupplier",
        ty: Ty::Bool,
        get: |c, _| Value::Bool(c.is_supplier),
    },
    Field {
        name: "DefaultCurrency",
        ty: Ty::Str,
        get: |c, _| c.default_currency.map_or(Value::Null, Value::Str),
    },
    Field {
        name: "HasAttachments",
        ty: Ty::Bool,
        get: |c, _| Value::Bool(c.has_attachments),
    },
    Field {
        name: "UpdatedDateUTC",
        ty: Ty::Date,
        get: |c, _| instant(c.updated),
    },
];

impl Queryable for Account {
    const TYPE_NAME: &'static str = "Account";
    fn fields() -> &'static [Field<Account>] {
        ACCOUNT_FIELDS
    }
}

static ACCOUNT_FIELDS: &[Field<Account>] = &[
    Field {
        name: "AccountID",
        ty: Ty::Guid,
        get: |a, _| Value::Guid(a.account_id.0),
    },
    Field {
        name: "Code",
        ty: Ty::Str,
        get: |a, _| Value::Str(a.code),
    },
    Field {
        name: "Name",
        ty: Ty::Str,
        get: |a, _| Value::Str(a.name),
    },
    Field {
        name: "Type",
        ty: Ty::Str,
        get: |a, _| Value::Str(a.kind),
    },
    Field {
        name: "Class",
        ty: Ty::Str,
        get: |a, _| Value::Str(a.class),
    },
    Field {
        name: "Status",
        ty: Ty::Str,
        get: |a, _| Value::Str(a.status),
    },
    Field {
        name: "TaxType",
        ty: Ty::Str,
        get: |a, _| Value::Str(a.tax_type),
    },
    Field {
        name: "SystemAccount",
        ty: Ty::Str,
        get: |a, _| a.system_account.map_or(Value::Null, Value::Str),
    },
    Field {
        name: "ReportingCode",
        ty: Ty::Str,
        get: |a, _| Value::Str(a.reporting_code),
    },
    Field {
        name: "BankAccountNumber",
        ty: Ty::Str,
        get: |a, _| opt_str(&a.bank_account_number),
    },
    Field {
        name: "CurrencyCode",
        ty: Ty::Str,
        get: |a, _| a.currency_code.map_or(Value::Null, Value::Str),
    },
    Field {
        name: "EnablePaymentsToAccount",
        ty: Ty::Bool,
        get: |a, _| Value::Bool(a.enable_payments),
    },
    Field {
        name: "ShowInExpenseClaims",
        ty: Ty::Bool,
        get: |a, _| Value::Bool(a.show_in_expense_claims),
    },
    Field {
        name: "UpdatedDateUTC",
        ty: Ty::Date,
        get: |a, _| instant(a.updated),
    },
];
