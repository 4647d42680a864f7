//! What each generic collection requires of a write, as data: required fields, the
//! field that must be unique, its document number, whether it has priced lines, and how
//! its status may move (Xero deletes most records by moving them to DELETED or VOIDED).

/// How a status may change: `moves` lists, per current status, where it may go (itself
/// included when the record may be edited there); a status not listed is final.
pub struct Statuses {
    pub default: &'static str,
    pub create: &'static [&'static str],
    pub moves: &'static [(&'static str, &'static [&'static str])],
}

/// A document's priced lines.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lines {
    /// `LineItems`; `sales` says which of an item's details apply.
    Items { sales: Sales },
    /// `JournalLines` of a manual journal: signed amounts that balance.
    Journal,
}

/// Whether a document with line items sells or buys.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Sales {
    Always,
    Never,
    /// Sells when its `Type` is one of these.
    WhenType(&'static [&'static str]),
}

pub struct Rules {
    pub key: &'static str,
    /// Top-level fields a record must have once written.
    pub required: &'static [&'static str],
    /// A field no two live records share (ignoring case).
    pub unique: Option<&'static str>,
    /// `(field, prefix, digits)`: the number a new record gets when it sends none.
    pub number: Option<(&'static str, &'static str, usize)>,
    pub lines: Option<Lines>,
    pub statuses: Option<Statuses>,
    /// Statuses that post journals (lines then need accounts).
    pub posting: &'static [&'static str],
    /// Fields the client may not set (the mock fills them).
    pub assigned: &'static [&'static str],
}

const fn rules(key: &'static str) -> Rules {
    Rules {
        key,
        required: &[],
        unique: None,
        number: None,
        lines: None,
        statuses: None,
        posting: &[],
        assigned: &[],
    }
}

pub static RULES: &[Rules] = &[
    Rules {
        required: &["Type", "Contact", "LineItems", "BankAccount"],
        lines: Some(Lines::Items {
            sales: Sales::WhenType(&["RECEIVE"]),
        }),
        statuses: Some(Statuses {
            default: "AUTHORISED",
            create: &["AUTHORISED"],
            moves: &[("AUTHORISED", &["AUTHORISED", "DELETED"])],
        }),
        posting: &["AUTHORISED"],
        ..rules("BankTransactions")
    },
    Rules {
        required: &["FromBankAccount", "ToBankAccount", "Amount"],
        statuses: Some(Statuses {
            default: "AUTHORISED",
            create: &["AUTHORISED"],
            moves: &[("AUTHORISED", &["DELETED"])],
        }),
        posting: &["AUTHORISED"],
        assigned: &[
            "FromBankTransactionID",
            "ToBankTransactionID",
            "CreatedDateUTC",
            "CurrencyRate",
        ],
        ..rules("BankTransfers")
    },
    Rules {
        required: &["Account", "Payments"],
        statuses: Some(Statuses {
            default: "AUTHORISED",
            create: &["AUTHORISED"],
            moves: &[("AUTHORISED", &["DELETED"])],
        }),
        assigned: &["Type", "TotalAmount", "IsReconciled"],
        ..rules("BatchPayments")
    },
    Rules {
        required: &["Name"],
        unique: Some("Name"),
        statuses: Some(Statuses {
            default: "ACTIVE",
            create: &["ACTIVE"],
            moves: &[("ACTIVE", &["ACTIVE", "DELETED"])],
        }),
        ..rules("ContactGroups")
    },
    Rules {
        required: &["Type", "Contact"],
        number: Some(("CreditNoteNumber", "CN-", 5)),
        lines: Some(Lines::Items {
            sales: Sales::WhenType(&["ACCRECCREDIT"]),
        }),
        statuses: Some(Statuses {
            default: "DRAFT",
            create: &["DRAFT", "SUBMITTED", "AUTHORISED"],
            moves: &[
                ("DRAFT", &["DRAFT", "SUBMITTED", "AUTHORISED", "DELETED"]),
                (
                    "SUBMITTED",
                    &["DRAFT", "SUBMITTED", "AUTHORISED", "DELETED"],
                ),
                ("AUTHORISED", &["AUTHORISED", "VOIDED"]),
            ],
        }),
        posting: &["AUTHORISED", "PAID"],
        assigned: &[
            "RemainingCredit",
            "AppliedAmount",
            "Allocations",
            "Payments",
            "FullyPaidOnDate",
        ],
        ..rules("CreditNotes")
    },
    Rules {
        required: &["Code"],
        unique: Some("Code"),
        ..rules("Currencies")
    },
    Rules {
        required: &["User", "Receipts"],
        statuses: Some(Statuses {
            default: "SUBMITTED",
            create: &["SUBMITTED"],
            moves: &[
                ("SUBMITTED", &["SUBMITTED", "AUTHORISED", "VOIDED"]),
                ("AUTHORISED", &["AUTHORISED", "VOIDED"]),
            ],
        }),
        assigned: &["Payments"],
        ..rules("ExpenseClaims")
    },
    Rules {
        required: &["Code"],
        unique: Some("Code"),
        ..rules("Items")
    },
    Rules {
        required: &["SourceTransactionID", "SourceLineItemID"],
        assigned: &["Status", "Type", "SourceTransactionTypeCode"],
        ..rules("LinkedTransactions")
    },
    Rules {
        required: &["Narration", "JournalLines"],
        lines: Some(Lines::Journal),
        statuses: Some(Statuses {
            default: "DRAFT",
            create: &["DRAFT", "POSTED"],
            moves: &[
                ("DRAFT", &["DRAFT", "POSTED", "DELETED"]),
                ("POSTED", &["POSTED", "VOIDED"]),
            ],
        }),
        posting: &["POSTED"],
        ..rules("ManualJournals")
    },
    Rules {
        required: &["PaymentServiceName", "PaymentServiceUrl"],
        unique: Some("PaymentServiceName"),
        ..rules("PaymentServices")
    },
    Rules {
        required: &["Contact", "LineItems"],
        number: Some(("PurchaseOrderNumber", "PO-", 5)),
        lines: Some(Lines::Items {
            sales: Sales::Never,
        }),
        statuses: Some(Statuses {
            default: "DRAFT",
            create: &["DRAFT", "SUBMITTED", "AUTHORISED"],
            moves: &[
                ("DRAFT", &["DRAFT", "SUBMITTED", "AUTHORISED", "DELETED"]),
                (
                    "SUBMITTED",
                    &["DRAFT", "SUBMITTED", "AUTHORISED", "DELETED"],
                ),
                ("AUTHORISED", &["AUTHORISED", "BILLED", "DELETED"]),
            ],
        }),
        ..rules("PurchaseOrders")
    },
    Rules {
        required: &["Contact", "Date", "LineItems"],
        number: Some(("QuoteNumber", "QU-", 5)),
        lines: Some(Lines::Items {
            sales: Sales::Always,
        }),
        statuses: Some(Statuses {
            default: "DRAFT",
            create: &["DRAFT", "SENT"],
            moves: &[
                ("DRAFT", &["DRAFT", "SENT", "DELETED"]),
                ("SENT", &["SENT", "ACCEPTED", "DECLINED", "DELETED"]),
                ("ACCEPTED", &["ACCEPTED", "INVOICED", "DELETED"]),
                ("DECLINED", &["DECLINED", "DELETED"]),
            ],
        }),
        ..rules("Quotes")
    },
    Rules {
        required: &["Contact", "User", "Date", "LineItems"],
        lines: Some(Lines::Items {
            sales: Sales::Never,
        }),
        statuses: Some(Statuses {
            default: "DRAFT",
            create: &["DRAFT"],
            moves: &[
                ("DRAFT", &["DRAFT", "SUBMITTED", "VOIDED"]),
                (
                    "SUBMITTED",
                    &["SUBMITTED", "AUTHORISED", "DECLINED", "VOIDED"],
                ),
                ("DECLINED", &["DECLINED", "VOIDED"]),
            ],
        }),
        number: Some(("ReceiptNumber", "RE-", 5)),
        ..rules("Receipts")
    },
    Rules {
        required: &["Type", "Contact", "Schedule", "LineItems"],
        lines: Some(Lines::Items {
            sales: Sales::WhenType(&["ACCREC"]),
        }),
        statuses: Some(Statuses {
            default: "DRAFT",
            create: &["DRAFT", "AUTHORISED"],
            moves: &[
                ("DRAFT", &["DRAFT", "AUTHORISED", "DELETED"]),
                ("AUTHORISED", &["AUTHORISED", "DELETED"]),
            ],
        }),
        assigned: &["ID"],
        ..rules("RepeatingInvoices")
    },
    Rules {
        required: &["Name", "TaxComponents"],
        unique: Some("Name"),
        statuses: Some(Statuses {
            default: "ACTIVE",
            create: &["ACTIVE"],
            moves: &[
                ("ACTIVE", &["ACTIVE", "ARCHIVED", "DELETED"]),
                ("ARCHIVED", &["ACTIVE", "ARCHIVED", "DELETED"]),
            ],
        }),
        assigned: &["EffectiveRate", "DisplayTaxRate"],
        ..rules("TaxRates")
    },
    Rules {
        required: &["Name"],
        unique: Some("Name"),
        statuses: Some(Statuses {
            default: "ACTIVE",
            create: &["ACTIVE"],
            moves: &[
                ("ACTIVE", &["ACTIVE", "ARCHIVED"]),
                ("ARCHIVED", &["ACTIVE", "ARCHIVED"]),
            ],
        }),
        assigned: &["Options", "TrackingOptionID", "Option"],
        ..rules("TrackingCategories")
    },
];

pub fn of(key: &str) -> Option<&'static Rules> {
    RULES.iter().find(|r| r.key == key)
}

#[cfg(test)]
mod tests {
    use crate::collections::{find, COLLECTIONS};
    use crate::spec;

    /// Every rule names a registered collection and fields and statuses its schema has.
    #[test]
    fn rules_agree_with_the_schemas() {
        for r in super::RULES {
            let coll = find(r.key).unwrap_or_else(|| panic!("{} is not registered", r.key));
            let schema = spec::schema(COLLECTIONS[coll].schema).unwrap();
            let fields = r
                .required
                .iter()
                .chain(r.unique.iter())
                .chain(r.number.iter().map(|(f, _, _)| f))
                .chain(r.assigned);
            for f in fields {
                assert!(schema.prop_index(f).is_some(), "{}: no field {f}", r.key);
            }
            if let Some(st) = &r.statuses {
                let spec::Kind::Enum(values) =
                    schema.props[schema.prop_index("Status").unwrap()].kind
                else {
                    panic!("{}: Status is not an enum", r.key)
                };
                let all = st.create.iter().chain(
                    st.moves
                        .iter()
                        .flat_map(|(f, to)| std::iter::once(f).chain(to.iter())),
                );
                for s in all.chain([&st.default]) {
                    assert!(
                        values.contains(s),
                        "{}: status {s} not in the schema",
                        r.key
                    );
                }
            }
        }
    }
}
