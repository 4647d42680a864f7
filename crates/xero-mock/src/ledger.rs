//! A tenant's general ledger: one balanced journal per posted transaction, numbered
//! 1..N in date order, built the first time Journals or a report is asked for.
//!
//! Kept compact (a journal is a few words, a line an account index and two amounts) so
//! that 200,000 invoices' journals fit in memory; `ledger_journals.rs` turns the 100 a
//! response carries into the `Journal` schema's records. Amounts are base-currency cents,
//! debits positive and credits negative, as Xero's `NetAmount`.

use std::collections::HashMap;

use crate::dates::MS_PER_DAY;
use crate::generic_model::GRecord;
use crate::ids::{Rng, Uuid};
use crate::model::{Invoice, InvoiceType, Status, Tenant};
use crate::numbers::div_round;

#[derive(Clone)]
pub struct Ledger {
    pub journals: Vec<Journal>,
    pub lines: Vec<Line>,
}

#[derive(Clone)]
pub struct Journal {
    pub id: Uuid,
    /// Days since 1970-01-01.
    pub date: i32,
    pub created_ms: i64,
    pub source_id: Uuid,
    pub source: &'static str,
    first_line: u32,
    line_count: u16,
}

#[derive(Clone, Copy)]
pub struct Line {
    pub id: Uuid,
    /// Index into the tenant's `accounts`.
    pub account: u16,
    /// Debit positive, credit negative; a journal's lines sum to zero.
    pub net: i64,
    /// The tax in `net`'s line (the tax itself is posted on the tax account's line).
    pub tax: i64,
    pub tax_type: Option<&'static str>,
}

impl Ledger {
    /// Journal `i` (number `i + 1`)'s lines.
    pub fn lines_of(&self, j: &Journal) -> &[Line] {
        let start = j.first_line as usize;
        &self.lines[start..start + usize::from(j.line_count)]
    }

    /// Appends `postings` after the last journal, created at `created_ms` (a second apart),
    /// as Xero journals a change when it is made; ids come from `rng`.
    pub fn append(&mut self, rng: &mut Rng, created_ms: i64, postings: Vec<Posting>) {
        for (n, p) in postings.into_iter().enumerate() {
            self.journals.push(Journal {
                id: rng.uuid(),
                date: p.date,
                created_ms: created_ms + n as i64 * 1000,
                source_id: p.source_id,
                source: p.source,
                first_line: self.lines.len() as u32,
                line_count: p.lines.len() as u16,
            });
            self.lines.extend(p.lines.into_iter().map(|l| Line { id: rng.uuid(), ..l }));
        }
    }

    /// What reverses every journal `source_id` posted (voiding or deleting it), dated `date`.
    pub fn reversals(&self, source_id: Uuid, date: i32) -> Vec<Posting> {
        self.journals
            .iter()
            .filter(|j| j.source_id == source_id)
            .map(|j| Posting {
                date,
                source: j.source,
                source_id,
                lines: self.lines_of(j).iter().map(|l| Line { id: Uuid(0), net: -l.net, tax: -l.tax, ..*l }).collect(),
            })
            .collect()
    }

    /// Journal number of the journal at index `i`.
    pub fn number(i: usize) -> i64 {
        i as i64 + 1
    }
}

/// The journal source types Xero counts as cash (`paymentsOnly=true`).
pub const PAYMENT_SOURCES: &[&str] = &[
    "ACCRECPAYMENT",
    "ACCPAYPAYMENT",
    "ARCREDITPAYMENT",
    "APCREDITPAYMENT",
    "CASHREC",
    "CASHPAID",
    "EXPPAYMENT",
];

/// A journal before it is dated into the sequence: what posted it and its lines
/// (`id` left for numbering to fill).
pub struct Posting {
    pub date: i32,
    pub source: &'static str,
    pub source_id: Uuid,
    pub lines: Vec<Line>,
}

/// The chart's accounts a posting needs, by role.
pub struct Chart {
    pub receivable: u16,
    pub payable: u16,
    pub tax: u16,
    pub bank: u16,
    by_id: HashMap<u128, u16>,
}

impl Chart {
    pub fn new(t: &Tenant) -> Chart {
        let code = |c: &str| {
            t.accounts
                .iter()
                .position(|a| a.code == c)
                .expect("the chart has the system accounts") as u16
        };
        let system = |s: &str| {
            t.accounts
                .iter()
                .position(|a| a.system_account == Some(s))
                .expect("the chart has the system accounts") as u16
        };
        Chart {
            receivable: system("DEBTORS"),
            payable: system("CREDITORS"),
            tax: system("GST"),
            bank: code("090"),
            by_id: t
                .accounts
                .iter()
                .enumerate()
                .map(|(i, a)| (a.account_id.0, i as u16))
                .collect(),
        }
    }

    pub fn by_id(&self, id: Uuid) -> Option<u16> {
        self.by_id.get(&id.0).copied()
    }
}

pub fn line(account: u16, net: i64) -> Line {
    Line {
        id: Uuid(0),
        account,
        net,
        tax: 0,
        tax_type: None,
    }
}

/// `lines` plus the tax account's line (when there is tax) and the control account's
/// line that balances them.
pub fn balanced(mut lines: Vec<Line>, chart: &Chart, control: u16) -> Vec<Line> {
    let tax: i64 = lines.iter().map(|l| l.tax).sum();
    if tax != 0 {
        lines.push(line(chart.tax, tax));
    }
    let sum: i64 = lines.iter().map(|l| l.net).sum();
    lines.push(line(control, -sum));
    lines
}

/// Base-currency cents of `cents` in a currency at `rate` (millionths, units per base unit).
pub fn to_base(cents: i64, rate: i64) -> i64 {
    if rate == 1_000_000 {
        cents
    } else {
        div_round(cents * 1_000_000, rate)
    }
}

/// The journal an approved invoice posts: its lines (sales credited, purchases debited),
/// their tax and the control account.
pub fn invoice_posting(inv: &Invoice, chart: &Chart) -> Posting {
    let rec = inv.kind == InvoiceType::AccRec;
    // Sales are credits, purchases debits; the control account takes the other side.
    let sign = if rec { -1 } else { 1 };
    let rate = inv.currency_rate;
    let lines = inv
        .line_items
        .iter()
        .map(|li| {
            let net = li.line_amount - if inv.tax_inclusive { li.tax_amount } else { 0 };
            Line {
                id: Uuid(0),
                account: li.account,
                net: sign * to_base(net, rate),
                tax: sign * to_base(li.tax_amount, rate),
                tax_type: Some(li.tax_type),
            }
        })
        .collect();
    let control = if rec { chart.receivable } else { chart.payable };
    Posting {
        date: inv.date,
        source: inv.kind.as_str(),
        source_id: inv.invoice_id,
        lines: balanced(lines, chart, control),
    }
}

/// The journals of the hand-built invoices and their payments.
fn invoice_postings(t: &Tenant, chart: &Chart, out: &mut Vec<Posting>) {
    for inv in &t.invoices {
        if !matches!(inv.status, Status::Authorised | Status::Paid) {
            continue;
        }
        let rec = inv.kind == InvoiceType::AccRec;
        let rate = inv.currency_rate;
        let control = if rec { chart.receivable } else { chart.payable };
        out.push(invoice_posting(inv, chart));
        for p in &inv.payments {
            // Paid at the invoice's rate, so the payment clears what the invoice posted.
            let amount = to_base(p.amount, rate);
            let (source, bank_side) = if rec {
                ("ACCRECPAYMENT", amount)
            } else {
                ("ACCPAYPAYMENT", -amount)
            };
            out.push(Posting {
                date: p.date,
                source,
                source_id: p.payment_id,
                lines: vec![line(chart.bank, bank_side), line(control, -bank_side)],
            });
        }
    }
}

/// Numbers the postings in date order (ties in the order they were posted) and
/// gives every journal and line its id.
fn number(seed: u64, tenant: usize, mut postings: Vec<Posting>) -> Ledger {
    postings.sort_by_key(|p| p.date);
    let mut rng = Rng::new(seed, tenant, "journals");
    let mut journals = Vec::with_capacity(postings.len());
    let mut lines = Vec::with_capacity(postings.len() * 4);
    let mut same_day = 0;
    let mut last_date = i32::MIN;
    for p in postings {
        same_day = if p.date == last_date { same_day + 1 } else { 0 };
        last_date = p.date;
        journals.push(Journal {
            id: rng.uuid(),
            date: p.date,
            // Created in the morning of its date, a second apart, so creation follows number.
            created_ms: i64::from(p.date) * MS_PER_DAY + 8 * 3_600_000 + same_day * 1000,
            source_id: p.source_id,
            source: p.source,
            first_line: lines.len() as u32,
            line_count: p.lines.len() as u16,
        });
        lines.extend(p.lines.into_iter().map(|l| Line {
            id: rng.uuid(),
            ..l
        }));
    }
    Ledger { journals, lines }
}

/// The tenant's ledger; `docs(key)` gives a generic collection's records (bank
/// transactions, transfers, manual journals, credit notes, overpayments, prepayments).
pub fn build<'a>(
    seed: u64,
    tenant: usize,
    t: &'a Tenant,
    docs: impl Fn(&str) -> &'a [GRecord],
) -> Ledger {
    let chart = Chart::new(t);
    let mut postings = Vec::new();
    invoice_postings(t, &chart, &mut postings);
    crate::ledger_docs::postings(&chart, &docs, &mut postings);
    number(seed, tenant, postings)
}
