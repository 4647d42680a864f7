//! Table-driven tests of the `where` parser and evaluator against generated data.

use super::*;
use crate::model::{Contact, Invoice, Status};

fn tenant() -> Tenant {
    crate::data::generate(7, 1, 12, 300).remove(0)
}

/// Parses `expr` for invoices and returns the numbers of the matching invoices.
fn select(t: &Tenant, expr: &str) -> Vec<String> {
    let f = parse::<Invoice>(expr).unwrap_or_else(|e| panic!("{expr}: {e}"));
    t.invoices
        .iter()
        .filter(|i| f.matches(i, t))
        .map(|i| i.number.clone())
        .collect()
}

fn expect(t: &Tenant, pred: impl Fn(&Invoice) -> bool) -> Vec<String> {
    t.invoices
        .iter()
        .filter(|i| pred(i))
        .map(|i| i.number.clone())
        .collect()
}

/// A `where` expression and the Rust predicate it must agree with.
type Case = (String, Box<dyn Fn(&Invoice) -> bool>);

#[test]
fn expressions_match_the_same_records_as_rust_predicates() {
    let t = tenant();
    let cidx = t.invoices[0].contact;
    let contact = &t.contacts[cidx as usize];
    let cid = contact.contact_id;
    let cname = contact.name.clone();
    let jan = crate::dates::days_from_civil(2025, 1, 31) as i32;
    let jan_ms = i64::from(jan) * crate::dates::MS_PER_DAY;
    let cases: Vec<Case> = vec![
        (
            r#"Status=="PAID""#.into(),
            Box::new(|i| i.status == Status::Paid),
        ),
        (
            r#"Status = "PAID""#.into(),
            Box::new(|i| i.status == Status::Paid),
        ),
        (
            r#"Status!="PAID""#.into(),
            Box::new(|i| i.status != Status::Paid),
        ),
        (
            r#"status <> "PAID""#.into(),
            Box::new(|i| i.status != Status::Paid),
        ),
        (
            r#"Type=="ACCREC" AND Status=="AUTHORISED""#.into(),
            Box::new(|i| i.kind.as_str() == "ACCREC" && i.status == Status::Authorised),
        ),
        (
            r#"Type=="ACCPAY" && (Status=="PAID" || Status=="VOIDED")"#.into(),
            Box::new(|i| {
                i.kind.as_str() == "ACCPAY" && matches!(i.status, Status::Paid | Status::Voided)
            }),
        ),
        (
            r#"Status=="DRAFT" OR Status=="SUBMITTED" AND Type=="ACCPAY""#.into(),
            // AND binds tighter than OR.
            Box::new(|i| {
                i.status == Status::Draft
                    || (i.status == Status::Submitted && i.kind.as_str() == "ACCPAY")
            }),
        ),
        (
            r#"NOT (Status=="PAID")"#.into(),
            Box::new(|i| i.status != Status::Paid),
        ),
        (
            "AmountDue > 1000".into(),
            Box::new(|i| i.amount_due > 100_000),
        ),
        (
            "AmountDue >= 1000.50".into(),
            Box::new(|i| i.amount_due >= 100_050),
        ),
        (
            "Total < 250.5 AND Total <= 250.50".into(),
            Box::new(|i| i.total < 25_050),
        ),
        ("AmountPaid == 0".into(), Box::new(|i| i.amount_paid == 0)),
        (
            "Date >= DateTime(2025,01,31)".into(),
            Box::new(move |i| i.date >= jan),
        ),
        (
            "Date < DateTime(2025-01-31)".into(),
            Box::new(move |i| i.date < jan),
        ),
        (
            "Date == DateTime(2025, 1, 31, 0, 0, 0)".into(),
            Box::new(move |i| i.date == jan),
        ),
        (
            "UpdatedDateUTC >= DateTime(\"2025-01-31T00:00:00\")".into(),
            Box::new(move |i| i.updated.ms >= jan_ms),
        ),
        (
            format!("Contact.ContactID == Guid(\"{cid}\")"),
            Box::new(move |i| i.contact == cidx),
        ),
        (
            format!(
                "Contact.ContactID == \"{}\"",
                cid.to_string().to_uppercase()
            ),
            Box::new(move |i| i.contact == cidx),
        ),
        (
            format!("Contact.Name == \"{cname}\""),
            Box::new(move |i| i.contact == cidx),
        ),
        (
            r#"InvoiceNumber.StartsWith("INV-00001")"#.into(),
            Box::new(|i| i.number.starts_with("INV-00001")),
        ),
        (
            r#"InvoiceNumber.EndsWith("7")"#.into(),
            Box::new(|i| i.number.ends_with('7')),
        ),
        (
            r#"Reference.Contains("PO-1")"#.into(),
            Box::new(|i| i.reference.contains("PO-1")),
        ),
        (
            r#"Reference.ToLower().Contains("po-1")"#.into(),
            Box::new(|i| i.reference.contains("PO-1")),
        ),
        (
            r#"Reference.ToUpper() == "" "#.into(),
            Box::new(|i| i.reference.is_empty()),
        ),
        (r#"Reference.Contains("po-1")"#.into(), Box::new(|_| false)),
        (
            "FullyPaidOnDate == null".into(),
            Box::new(|i| i.fully_paid_on.is_none()),
        ),
        (
            "FullyPaidOnDate != null".into(),
            Box::new(|i| i.fully_paid_on.is_some()),
        ),
        ("HasAttachments".into(), Box::new(|i| i.has_attachments)),
        (
            "!HasAttachments && SentToContact == true".into(),
            Box::new(|i| !i.has_attachments && i.sent_to_contact),
        ),
        (
            "CurrencyRate > 1".into(),
            Box::new(|i| i.currency_rate > 1_000_000),
        ),
    ];
    for (expr, pred) in &cases {
        let got = select(&t, expr);
        assert_eq!(got, expect(&t, pred), "{expr}");
    }
    // The table is meaningful only if the filters actually discriminate.
    assert!(!select(&t, r#"Status=="PAID""#).is_empty());
    assert!(select(&t, r#"Status=="PAID""#).len() < t.invoices.len());
}

#[test]
fn errors_name_the_problem() {
    let cases = [
        (
            "Foo == 1",
            "No property or field 'Foo' exists in type 'Invoice'",
        ),
        (
            "Contact.Foo == \"x\"",
            "No property or field 'Contact.Foo' exists in type 'Invoice'",
        ),
        ("Status == ", "Expression expected"),
        ("Status == \"PAID", "Unterminated string literal"),
        ("(Status == \"PAID\"", "')' or operator expected"),
        ("Status == \"PAID\")", "')' or operator expected"),
        ("Status \"PAID\"", "Expression of type 'Boolean' expected"),
        (
            "Total == \"10\"",
            "Operator '==' incompatible with operand types 'Decimal' and 'String'",
        ),
        (
            "Date > \"2024-01-01\"",
            "Operator '>' incompatible with operand types 'DateTime' and 'String'",
        ),
        (
            "Status == 5",
            "Operator '==' incompatible with operand types 'String' and 'Decimal'",
        ),
        (
            "Contact.ContactID == Guid(\"nope\")",
            "Guid should contain 32 digits",
        ),
        (
            "Contact.ContactID == \"nope\"",
            "incompatible with operand types 'Guid' and 'String'",
        ),
        ("Date == DateTime(2024,02,30)", "Invalid DateTime literal"),
        ("Date == DateTime(2024,02)", "Invalid DateTime literal"),
        (
            "Total.Contains(\"1\")",
            "No applicable method 'Contains' exists in type 'Decimal'",
        ),
        (
            "Status.Frobnicate(\"1\")",
            "No applicable method 'Frobnicate' exists in type 'String'",
        ),
        ("Status.Contains(5)", "for these arguments"),
        ("Status == PAID", "Unknown identifier 'PAID'"),
        ("Total > 1.1234567", "Invalid numeric literal"),
        ("", "Expression expected"),
        ("Status == \"PAID\" AND", "Expression expected"),
        ("Status # 1", "Syntax error"),
    ];
    for (expr, want) in cases {
        let err = parse::<Invoice>(expr)
            .err()
            .unwrap_or_else(|| panic!("{expr} should fail"));
        assert!(err.contains(want), "{expr}: got {err:?}, want {want:?}");
    }
}

#[test]
fn contacts_have_their_own_fields() {
    let t = tenant();
    let f = parse::<Contact>(r#"ContactStatus=="ARCHIVED" OR Name.StartsWith("A")"#).unwrap();
    let n = t.contacts.iter().filter(|c| f.matches(c, &t)).count();
    let want = t
        .contacts
        .iter()
        .filter(|c| c.archived || c.name.starts_with('A'))
        .count();
    assert_eq!(n, want);
    assert!(parse::<Contact>("Status == \"PAID\"")
        .err()
        .unwrap()
        .contains("type 'Contact'"));
}
