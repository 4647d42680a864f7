//! Which credit notes, overpayments and prepayments are allocated to which invoices.
//!
//! Decided with the invoices (cheaply: one pass, no documents built), so an invoice's
//! `AmountCredited`, `AmountDue` and its `CreditNotes`/`Overpayments`/`Prepayments` lists
//! are known without generating those collections; each document takes its side of the
//! allocation when its collection is first asked for (`generic_allocations.rs`).
//!
//! Two sources of allocations, each one document to one invoice of the same contact:
//! the invoices generated with part of their total credited (these keep their
//! `AmountCredited`, now backed by a document), then some unpaid AUTHORISED invoices,
//! whose `AmountCredited` grows and `AmountDue` shrinks by the allocation.

use crate::collections::{find, COLLECTIONS};
use crate::dates::MS_PER_DAY;
use crate::ids::Rng;
use crate::model::{Credit, CreditKind, Invoice, Status};

pub fn allocate(seed: u64, tenant: usize, invoices: &mut [Invoice]) {
    let mut rng = Rng::new(seed, tenant, "allocations");
    let mut docs = Docs::new();
    for inv in invoices.iter_mut().filter(|i| i.amount_credited > 0) {
        let amount = inv.amount_credited;
        // Undone, then done again by a document's allocation.
        inv.amount_credited = 0;
        inv.amount_due += amount;
        match docs.next(&mut rng) {
            Some(doc) => credit(inv, doc, amount, &mut rng),
            // A tenant with more credited invoices than documents (hundreds of thousands
            // of invoices): the rest had no credit, so a paid one was paid in full.
            None if inv.status == Status::Paid => {
                inv.amount_paid += amount;
                inv.amount_due -= amount;
                if let Some(p) = inv.payments.first_mut() {
                    p.amount += amount;
                }
            }
            None => {}
        }
    }
    let mut open: Vec<usize> = (0..invoices.len())
        .filter(|&i| {
            let inv = &invoices[i];
            inv.status == Status::Authorised && inv.amount_due > 0 && inv.credits.is_empty()
        })
        .collect();
    // Some, not most, of the open invoices: the aged reports still show whole amounts due.
    for _ in 0..open.len() / 3 {
        let Some(doc) = docs.next(&mut rng) else {
            break;
        };
        let pick = rng.range(0, open.len() as i64 - 1) as usize;
        let inv = &mut invoices[open.swap_remove(pick)];
        let amount = inv.amount_due * rng.range(10, 60) / 100;
        if amount > 0 {
            credit(inv, doc, amount, &mut rng);
        }
    }
}

/// Allocates `amount` of document `doc` to `inv`, dated between the invoice's date and its
/// last change (so `UpdatedDateUTC` stays after every event on it).
fn credit(inv: &mut Invoice, (kind, doc): (CreditKind, u32), amount: i64, rng: &mut Rng) {
    let last = inv
        .payments
        .last()
        .map_or((inv.updated.ms / MS_PER_DAY) as i32, |p| p.date)
        .max(inv.date);
    let date = rng.range(i64::from(inv.date), i64::from(last)) as i32;
    inv.credits.push(Credit {
        kind,
        doc,
        doc_id: rng.uuid(),
        allocation_id: rng.uuid(),
        amount,
        date,
    });
    inv.amount_credited += amount;
    inv.amount_due -= amount;
}

/// The next unallocated document of each kind, up to its collection's size.
struct Docs {
    next: [u32; 3],
    size: [u32; 3],
}

impl Docs {
    fn new() -> Docs {
        let size = CreditKind::ALL.map(|k| {
            let coll = find(k.collection()).expect("credit documents are registered");
            COLLECTIONS[coll].per_tenant as u32
        });
        Docs { next: [0; 3], size }
    }

    /// Mostly credit notes, as in a real ledger; another kind when one runs out.
    fn next(&mut self, rng: &mut Rng) -> Option<(CreditKind, u32)> {
        let first = match rng.range(0, 9) {
            0..=5 => 0,
            6 | 7 => 1,
            _ => 2,
        };
        (0..3).map(|k| (first + k) % 3).find_map(|k| {
            (self.next[k] < self.size[k]).then(|| {
                self.next[k] += 1;
                (CreditKind::ALL[k], self.next[k] - 1)
            })
        })
    }
}
