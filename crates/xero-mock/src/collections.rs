//! The registry of generic collections: every Accounting API list the mock serves
//! from the specification's schemas rather than from a hand-built model.
//!
//! Adding an endpoint is one entry here (and its name in `tools/gen_mock_schemas.py` if
//! its schema is not generated yet): routing, records, paging, filters, both formats,
//! single-record GETs, stats labels and the table-driven tests all follow from it.
//! Each entry states the specification's facts about `GET /{key}` (`spec_schemas::ENDPOINTS`);
//! a unit test checks the two agree.

use crate::spec;

/// How a collection's list is cut into calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paging {
    /// `page` (1-based) and `pageSize` (default 100, at most 1000), with Xero's
    /// `pagination` block; no `page` returns everything.
    PageSize,
    /// `page` with Xero's fixed 100 per page and no `pagination` block; no `page`
    /// returns everything.
    Page100,
    /// `offset` = the last value of `field` read: the next 100 records with a greater
    /// value, ascending by it (Journals by JournalNumber).
    Offset { field: &'static str },
    /// Everything in one answer.
    None,
}

/// Fixed page size of [`Paging::Page100`] and [`Paging::Offset`].
pub const FIXED_PAGE: usize = 100;

/// A list parameter and what it filters. Field paths are as in a `where` clause.
#[derive(Clone, Copy, Debug)]
pub enum Param {
    /// `IDs`: comma-separated GUIDs of the id field.
    Ids,
    /// `name=value`: the field equals the value (GUIDs as GUIDs, text ignoring case).
    Equals(&'static str, &'static str),
    /// `name=a,b,c`: the field equals one of the values (ignoring case).
    AnyOf(&'static str, &'static str),
    /// `name=yyyy-MM-dd`: the date field is on or after it.
    From(&'static str, &'static str),
    /// `name=yyyy-MM-dd`: the date field is on or before it.
    To(&'static str, &'static str),
    /// Records whose field has this value are left out unless `name=true`
    /// (`includeArchived`, `includeDeleted`).
    Include(&'static str, &'static str, &'static str),
    /// With `name=true`, only records whose field is one of these values (`paymentsOnly`).
    Only(&'static str, &'static str, &'static [&'static str]),
}

impl Param {
    /// `{name, kind, field, values}` for `GET /__mock/collections`.
    fn describe(&self, c: &Collection) -> serde_json::Value {
        let (kind, field, values): (&str, &str, &[&str]) = match self {
            Param::Ids => ("ids", c.id, &[]),
            Param::Equals(_, f) => ("equals", f, &[]),
            Param::AnyOf(_, f) => ("any_of", f, &[]),
            Param::From(_, f) => ("from", f, &[]),
            Param::To(_, f) => ("to", f, &[]),
            Param::Include(_, f, v) => ("include", f, std::slice::from_ref(v)),
            Param::Only(_, f, v) => ("only", f, v),
        };
        serde_json::json!({ "name": self.name(), "kind": kind, "field": field, "values": values })
    }

    pub fn name(&self) -> &'static str {
        match *self {
            Param::Ids => "IDs",
            Param::Equals(n, _)
            | Param::AnyOf(n, _)
            | Param::From(n, _)
            | Param::To(n, _)
            | Param::Include(n, _, _)
            | Param::Only(n, _, _) => n,
        }
    }
}

#[derive(Debug)]
pub struct Collection {
    /// Endpoint name (matched ignoring case) and the response's list key.
    pub key: &'static str,
    /// The item schema in `spec_schemas.rs`.
    pub schema: &'static str,
    /// The field that identifies a record (`IDs`, uniqueness).
    pub id: &'static str,
    /// Fields a single-record `GET /{key}/{value}` matches, in order; empty: no such route.
    pub by: &'static [&'static str],
    pub paging: Paging,
    /// The field `If-Modified-Since` compares with; `None`: the header is ignored.
    pub modified: Option<&'static str>,
    /// Takes `where` / `order`.
    pub where_: bool,
    pub order: bool,
    pub params: &'static [Param],
    /// Parameters the specification lists that the mock accepts and ignores.
    pub ignored: &'static [&'static str],
    /// Takes `unitdp`: unit prices keep four decimals when it is 4 (two otherwise).
    pub unit_dp: bool,
    /// Records generated per tenant (when not `derived`).
    pub per_tenant: usize,
    /// Made from the hand-built model and the ledger (Payments, Journals), so how many
    /// there are depends on the invoices; `GET /__mock/collections` counts them.
    pub derived: bool,
}

const fn entry(key: &'static str, schema: &'static str, id: &'static str) -> Collection {
    Collection {
        key,
        schema,
        id,
        by: &[],
        paging: Paging::None,
        modified: None,
        where_: false,
        order: false,
        params: &[],
        ignored: &[],
        unit_dp: false,
        per_tenant: 5,
        derived: false,
    }
}

use crate::ledger::PAYMENT_SOURCES;

pub static COLLECTIONS: &[Collection] = &[
    Collection {
        by: &["BankTransactionID"],
        paging: Paging::PageSize,
        modified: Some("UpdatedDateUTC"),
        where_: true,
        order: true,
        unit_dp: true,
        per_tenant: 150,
        ..entry("BankTransactions", "BankTransaction", "BankTransactionID")
    },
    Collection {
        by: &["BankTransferID"],
        modified: Some("CreatedDateUTC"),
        where_: true,
        order: true,
        params: &[Param::Include("includeDeleted", "Status", "DELETED")],
        per_tenant: 20,
        ..entry("BankTransfers", "BankTransfer", "BankTransferID")
    },
    Collection {
        by: &["BatchPaymentID"],
        modified: Some("UpdatedDateUTC"),
        where_: true,
        order: true,
        per_tenant: 10,
        ..entry("BatchPayments", "BatchPayment", "BatchPaymentID")
    },
    Collection {
        by: &["BrandingThemeID"],
        per_tenant: 2,
        ..entry("BrandingThemes", "BrandingTheme", "BrandingThemeID")
    },
    Collection {
        by: &["BudgetID"],
        params: &[Param::Ids],
        // They bound the budget balances' periods, which the mock does not model.
        ignored: &["DateFrom", "DateTo"],
        per_tenant: 3,
        ..entry("Budgets", "Budget", "BudgetID")
    },
    Collection {
        by: &["ContactGroupID"],
        where_: true,
        order: true,
        per_tenant: 4,
        ..entry("ContactGroups", "ContactGroup", "ContactGroupID")
    },
    Collection {
        by: &["CreditNoteID"],
        paging: Paging::PageSize,
        modified: Some("UpdatedDateUTC"),
        where_: true,
        order: true,
        unit_dp: true,
        per_tenant: 150,
        ..entry("CreditNotes", "CreditNote", "CreditNoteID")
    },
    Collection {
        where_: true,
        order: true,
        // The organisation's base currency and its two foreign ones.
        per_tenant: 3,
        ..entry("Currencies", "Currency", "Code")
    },
    Collection {
        by: &["ExpenseClaimID"],
        modified: Some("UpdatedDateUTC"),
        where_: true,
        order: true,
        per_tenant: 15,
        ..entry("ExpenseClaims", "ExpenseClaim", "ExpenseClaimID")
    },
    Collection {
        by: &["ItemID"],
        modified: Some("UpdatedDateUTC"),
        where_: true,
        order: true,
        unit_dp: true,
        per_tenant: 20,
        ..entry("Items", "Item", "ItemID")
    },
    Collection {
        by: &["JournalID", "JournalNumber"],
        paging: Paging::Offset {
            field: "JournalNumber",
        },
        // Journals are never edited; Xero compares the header with their creation.
        modified: Some("CreatedDateUTC"),
        params: &[Param::Only("paymentsOnly", "SourceType", PAYMENT_SOURCES)],
        per_tenant: 0,
        derived: true,
        ..entry("Journals", "Journal", "JournalID")
    },
    Collection {
        by: &["LinkedTransactionID"],
        paging: Paging::Page100,
        params: &[
            Param::Equals("LinkedTransactionID", "LinkedTransactionID"),
            Param::Equals("SourceTransactionID", "SourceTransactionID"),
            Param::Equals("ContactID", "ContactID"),
            Param::Equals("Status", "Status"),
            Param::Equals("TargetTransactionID", "TargetTransactionID"),
        ],
        per_tenant: 120,
        ..entry(
            "LinkedTransactions",
            "LinkedTransaction",
            "LinkedTransactionID",
        )
    },
    Collection {
        by: &["ManualJournalID"],
        paging: Paging::PageSize,
        modified: Some("UpdatedDateUTC"),
        where_: true,
        order: true,
        per_tenant: 150,
        ..entry("ManualJournals", "ManualJournal", "ManualJournalID")
    },
    Collection {
        by: &["OverpaymentID"],
        paging: Paging::PageSize,
        modified: Some("UpdatedDateUTC"),
        where_: true,
        order: true,
        params: &[Param::AnyOf("References", "Reference")],
        unit_dp: true,
        per_tenant: 120,
        ..entry("Overpayments", "Overpayment", "OverpaymentID")
    },
    Collection {
        per_tenant: 2,
        ..entry("PaymentServices", "PaymentService", "PaymentServiceID")
    },
    Collection {
        by: &["PaymentID"],
        paging: Paging::PageSize,
        modified: Some("UpdatedDateUTC"),
        where_: true,
        order: true,
        per_tenant: 0,
        derived: true,
        ..entry("Payments", "Payment", "PaymentID")
    },
    Collection {
        by: &["PrepaymentID"],
        paging: Paging::PageSize,
        modified: Some("UpdatedDateUTC"),
        where_: true,
        order: true,
        params: &[Param::AnyOf("InvoiceNumbers", "InvoiceNumber")],
        unit_dp: true,
        per_tenant: 120,
        ..entry("Prepayments", "Prepayment", "PrepaymentID")
    },
    Collection {
        by: &["PurchaseOrderID", "PurchaseOrderNumber"],
        paging: Paging::PageSize,
        modified: Some("UpdatedDateUTC"),
        order: true,
        params: &[
            Param::Equals("Status", "Status"),
            Param::From("DateFrom", "Date"),
            Param::To("DateTo", "Date"),
        ],
        per_tenant: 150,
        ..entry("PurchaseOrders", "PurchaseOrder", "PurchaseOrderID")
    },
    Collection {
        by: &["QuoteID"],
        paging: Paging::Page100,
        modified: Some("UpdatedDateUTC"),
        order: true,
        params: &[
            Param::From("DateFrom", "Date"),
            Param::To("DateTo", "Date"),
            Param::From("ExpiryDateFrom", "ExpiryDate"),
            Param::To("ExpiryDateTo", "ExpiryDate"),
            Param::Equals("ContactID", "Contact.ContactID"),
            Param::Equals("Status", "Status"),
            Param::Equals("QuoteNumber", "QuoteNumber"),
        ],
        per_tenant: 150,
        ..entry("Quotes", "Quote", "QuoteID")
    },
    Collection {
        by: &["ReceiptID"],
        modified: Some("UpdatedDateUTC"),
        where_: true,
        order: true,
        unit_dp: true,
        per_tenant: 20,
        ..entry("Receipts", "Receipt", "ReceiptID")
    },
    Collection {
        by: &["RepeatingInvoiceID"],
        where_: true,
        order: true,
        per_tenant: 10,
        ..entry(
            "RepeatingInvoices",
            "RepeatingInvoice",
            "RepeatingInvoiceID",
        )
    },
    Collection {
        by: &["TaxType"],
        where_: true,
        order: true,
        // The organisation's sales, purchases and no-tax rates.
        per_tenant: 3,
        ..entry("TaxRates", "TaxRate", "TaxType")
    },
    Collection {
        by: &["TrackingCategoryID"],
        where_: true,
        order: true,
        params: &[Param::Include("includeArchived", "Status", "ARCHIVED")],
        per_tenant: 10,
        ..entry(
            "TrackingCategories",
            "TrackingCategory",
            "TrackingCategoryID",
        )
    },
    Collection {
        by: &["UserID"],
        modified: Some("UpdatedDateUTC"),
        where_: true,
        order: true,
        per_tenant: 5,
        ..entry("Users", "User", "UserID")
    },
];

/// The registry index of an endpoint name, ignoring case as Xero does.
pub fn find(name: &str) -> Option<usize> {
    COLLECTIONS
        .iter()
        .position(|c| c.key.eq_ignore_ascii_case(name))
}

/// `GET /__mock/collections`: the registry as JSON, so clients and the table-driven tests
/// can walk every generic collection without a list of their own.
/// `count(coll)` is how many records the first tenant has.
pub fn describe(count: impl Fn(usize) -> usize) -> serde_json::Value {
    let entries: Vec<serde_json::Value> = COLLECTIONS
        .iter()
        .enumerate()
        .map(|(coll, c)| {
            let paging = match c.paging {
                Paging::PageSize => "page+pageSize".to_string(),
                Paging::Page100 => "page".to_string(),
                Paging::Offset { field } => format!("offset:{field}"),
                Paging::None => "none".to_string(),
            };
            let read_only: Vec<&str> = spec::schema(c.schema)
                .map(|s| {
                    s.props
                        .iter()
                        .filter(|p| p.read_only)
                        .map(|p| p.name)
                        .collect()
                })
                .unwrap_or_default();
            serde_json::json!({
                "key": c.key,
                "schema": c.schema,
                "id": c.id,
                "by": c.by,
                "paging": paging,
                "modified": c.modified,
                "where": c.where_,
                "order": c.order,
                "params": c.params.iter().map(|p| p.describe(c)).collect::<Vec<_>>(),
                "ignored": c.ignored,
                "unit_dp": c.unit_dp,
                "per_tenant": count(coll),
                "derived": c.derived,
                "spec": spec::endpoint(c.key).map(|e| serde_json::json!({
                    "schema": e.schema,
                    "params": e.params,
                    "pagination": e.pagination,
                    "by": e.by,
                })),
                "read_only": read_only,
            })
        })
        .collect();
    serde_json::json!({ "spec_version": spec::SPEC_VERSION, "collections": entries })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_names_a_generated_schema_and_its_fields() {
        for c in COLLECTIONS {
            let schema = spec::schema(c.schema)
                .unwrap_or_else(|| panic!("{}: schema {} not in spec_schemas.rs", c.key, c.schema));
            let fields = [c.id]
                .into_iter()
                .chain(c.by.iter().copied())
                .chain(c.modified);
            for f in fields {
                assert!(schema.prop_index(f).is_some(), "{}: no field {f}", c.key);
            }
        }
    }

    /// The entry's paging, headers, parameters and single-record routes are the spec's.
    #[test]
    fn every_entry_agrees_with_the_specification() {
        for c in COLLECTIONS {
            let e = spec::endpoint(c.key).unwrap_or_else(|| panic!("{}: not in ENDPOINTS", c.key));
            assert_eq!(e.schema, c.schema, "{}", c.key);
            let mut ours: Vec<&str> = c.params.iter().map(Param::name).collect();
            ours.extend(c.ignored);
            ours.extend(c.unit_dp.then_some("unitdp"));
            match c.paging {
                Paging::PageSize => ours.extend(["page", "pageSize"]),
                Paging::Page100 => ours.push("page"),
                Paging::Offset { .. } => ours.push("offset"),
                Paging::None => {}
            }
            ours.extend(c.modified.map(|_| "If-Modified-Since"));
            ours.extend(c.where_.then_some("where"));
            ours.extend(c.order.then_some("order"));
            let mut theirs = e.params.to_vec();
            ours.sort_unstable();
            theirs.sort_unstable();
            assert_eq!(ours, theirs, "{}: parameters", c.key);
            assert_eq!(
                e.pagination,
                c.paging == Paging::PageSize,
                "{}: pagination block",
                c.key
            );
            assert_eq!(e.by, c.by, "{}: single-record routes", c.key);
        }
        assert_eq!(COLLECTIONS.len(), spec::ENDPOINTS.len());
    }
}
