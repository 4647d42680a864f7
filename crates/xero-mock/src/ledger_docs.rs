//! Journals of the generic collections' transactions: bank transactions, bank transfers,
//! manual journals, credit notes, overpayments and prepayments, read from their
//! generated records (which already add up: `Total = SubTotal + TotalTax`, manual
//! journal lines in pairs that cancel).

use crate::generic_model::{GObj, GRecord, GVal};
use crate::ids::Uuid;
use crate::ledger::{balanced, line, Chart, Line, Posting};

/// One kind of generic transaction: the collection, its id field, the statuses that
/// post, and how it posts.
struct DocKind {
    key: &'static str,
    id: &'static str,
    posted: &'static [&'static str],
    post: fn(&GObj, &Chart) -> Option<(&'static str, Vec<Line>)>,
}

const DOCS: &[DocKind] = &[
    DocKind {
        key: "BankTransactions",
        id: "BankTransactionID",
        posted: &["AUTHORISED"],
        post: bank_transaction,
    },
    DocKind {
        key: "BankTransfers",
        id: "BankTransferID",
        posted: &["AUTHORISED"],
        post: bank_transfer,
    },
    DocKind {
        key: "ManualJournals",
        id: "ManualJournalID",
        posted: &["POSTED"],
        post: manual_journal,
    },
    DocKind {
        key: "CreditNotes",
        id: "CreditNoteID",
        posted: &["AUTHORISED", "PAID"],
        post: credit_note,
    },
    DocKind {
        key: "Overpayments",
        id: "OverpaymentID",
        posted: &["AUTHORISED", "PAID"],
        post: overpayment,
    },
    DocKind {
        key: "Prepayments",
        id: "PrepaymentID",
        posted: &["AUTHORISED", "PAID"],
        post: prepayment,
    },
];

pub fn postings<'a>(chart: &Chart, docs: &impl Fn(&str) -> &'a [GRecord], out: &mut Vec<Posting>) {
    for kind in DOCS {
        for r in docs(kind.key) {
            let o = &r.obj;
            // Transfers have a read-only status that may be absent: absent means posted.
            let posted = match o.get("Status") {
                GVal::Const(s) => kind.posted.contains(s),
                _ => true,
            };
            let (GVal::Day(date), GVal::Uuid(id)) = (o.get("Date"), o.get(kind.id)) else {
                continue;
            };
            if !posted {
                continue;
            }
            if let Some((source, lines)) = (kind.post)(o, chart) {
                out.push(Posting {
                    date: *date,
                    source,
                    source_id: *id,
                    lines,
                });
            }
        }
    }
}

/// The journal record `o` of collection `key` posts as it stands (None when its status
/// does not post, or the collection posts nothing): how writes journal their documents.
pub fn posting_of(key: &str, o: &GObj, chart: &Chart) -> Option<Posting> {
    let kind = DOCS.iter().find(|k| k.key == key)?;
    let posted = match o.get("Status") {
        GVal::Const(s) => kind.posted.contains(s),
        _ => true,
    };
    let (GVal::Day(date), GVal::Uuid(id)) = (o.get("Date"), o.get(kind.id)) else {
        return None;
    };
    if !posted {
        return None;
    }
    let (source, lines) = (kind.post)(o, chart)?;
    Some(Posting {
        date: *date,
        source,
        source_id: *id,
        lines,
    })
}

fn text(o: &GObj, name: &str) -> &'static str {
    match o.get(name) {
        GVal::Const(s) => s,
        _ => "",
    }
}

/// The account a nested `Account` object (or a line's `AccountID`) names.
fn account_of(o: &GObj, field: &str, chart: &Chart) -> Option<u16> {
    match o.get(field) {
        GVal::Obj(inner) => account_of(inner, "AccountID", chart),
        GVal::Uuid(u) => chart.by_id(*u),
        _ => None,
    }
}

/// The document's lines with `sign` (+1 debit, −1 credit) on their accounts.
fn lines(o: &GObj, list: &str, sign: i64, chart: &Chart) -> Vec<Line> {
    let GVal::List(items) = o.get(list) else {
        return Vec::new();
    };
    // Line amounts include their tax when the totals say so (a written `Inclusive`
    // document: SubTotal + TotalTax is the lines' sum); generated documents' totals
    // always put the tax on top.
    let sum: i64 = items.iter().map(|li| li.fixed("LineAmount")).sum();
    let inclusive = o.fixed("TotalTax") != 0 && o.fixed("SubTotal") + o.fixed("TotalTax") == sum;
    items
        .iter()
        .filter_map(|li| {
            let account = account_of(li, "AccountID", chart)?;
            let tax_type = match li.get("TaxType") {
                GVal::Const(t) => Some(*t),
                _ => None,
            };
            let tax_inside = if inclusive { li.fixed("TaxAmount") } else { 0 };
            Some(Line {
                id: Uuid(0),
                account,
                net: sign * (li.fixed("LineAmount") - tax_inside),
                tax: sign * li.fixed("TaxAmount"),
                tax_type,
            })
        })
        .collect()
}

/// Money in (`RECEIVE…`, AR types) credits the lines and debits the bank; money out the reverse.
fn cash(o: &GObj, chart: &Chart, sources: [&'static str; 2]) -> Option<(&'static str, Vec<Line>)> {
    let kind = text(o, "Type");
    let money_in = kind.starts_with("RECEIVE") || kind.starts_with("AR");
    let bank = account_of(o, "BankAccount", chart).unwrap_or(chart.bank);
    let sign = if money_in { -1 } else { 1 };
    let source = sources[usize::from(!money_in)];
    Some((
        source,
        balanced(lines(o, "LineItems", sign, chart), chart, bank),
    ))
}

fn bank_transaction(o: &GObj, chart: &Chart) -> Option<(&'static str, Vec<Line>)> {
    cash(o, chart, ["CASHREC", "CASHPAID"])
}

fn overpayment(o: &GObj, chart: &Chart) -> Option<(&'static str, Vec<Line>)> {
    cash(o, chart, ["AROVERPAYMENT", "APOVERPAYMENT"])
}

fn prepayment(o: &GObj, chart: &Chart) -> Option<(&'static str, Vec<Line>)> {
    cash(o, chart, ["ARPREPAYMENT", "APPREPAYMENT"])
}

fn bank_transfer(o: &GObj, chart: &Chart) -> Option<(&'static str, Vec<Line>)> {
    let from = account_of(o, "FromBankAccount", chart)?;
    let to = account_of(o, "ToBankAccount", chart)?;
    let amount = o.fixed("Amount");
    Some(("TRANSFER", vec![line(to, amount), line(from, -amount)]))
}

fn manual_journal(o: &GObj, chart: &Chart) -> Option<(&'static str, Vec<Line>)> {
    let mut ls = lines(o, "JournalLines", 1, chart);
    // The lines cancel in pairs (tax included), so the balancing line is zero and left out.
    let tax: i64 = ls.iter().map(|l| l.tax).sum();
    let net: i64 = ls.iter().map(|l| l.net).sum();
    if tax != 0 {
        ls.push(line(chart.tax, tax));
    }
    if net + tax != 0 {
        ls.push(line(chart.tax, -(net + tax)));
    }
    Some(("MANJOURNAL", ls))
}

/// A sales credit note reverses a sale (debits revenue, credits receivables); a
/// purchase credit note reverses a bill.
fn credit_note(o: &GObj, chart: &Chart) -> Option<(&'static str, Vec<Line>)> {
    let (source, sign, control) = match text(o, "Type") {
        "ACCRECCREDIT" => ("ACCRECCREDIT", 1, chart.receivable),
        _ => ("ACCPAYCREDIT", -1, chart.payable),
    };
    Some((
        source,
        balanced(lines(o, "LineItems", sign, chart), chart, control),
    ))
}
