//! Deterministic invoices and bills with exact, self-consistent money.
//!
//! Per line: `LineAmount = round(Quantity × UnitAmount)`; tax is the line's rate applied
//! to `LineAmount` (Exclusive) or extracted from it (Inclusive). Per invoice:
//! `Total = SubTotal + TotalTax` and `AmountDue = Total − AmountPaid − AmountCredited`.

use std::collections::HashMap;

use crate::catalog;
use crate::dates::{days_from_civil, XeroDate, MS_PER_DAY};
use crate::ids::{Rng, Uuid};
use crate::model::{Account, Contact, Invoice, InvoiceType, LineItem, Payment, Region, Status};
use crate::numbers::div_round;
use crate::unit_dp::with_four_decimals;

/// First and last possible invoice dates: 2024-01-01 ..= 2026-10-31.
fn date_range() -> (i64, i64) {
    (days_from_civil(2024, 1, 1), days_from_civil(2026, 10, 31))
}

pub fn generate(
    seed: u64,
    tenant: usize,
    region: &'static Region,
    accounts: &[Account],
    contacts: &mut [Contact],
    themes: [Uuid; 2],
    count: usize,
) -> Vec<Invoice> {
    let mut rng = Rng::new(seed, tenant, "invoices");
    let account_index: HashMap<&str, u16> = accounts
        .iter()
        .enumerate()
        .map(|(i, a)| (a.code, i as u16))
        .collect();
    let all: Vec<u32> = (0..contacts.len() as u32).collect();
    let pool = |keep: fn(u32) -> bool| {
        let p: Vec<u32> = all.iter().copied().filter(|&i| keep(i)).collect();
        if p.is_empty() {
            all.clone()
        } else {
            p
        }
    };
    let customers = pool(|i| i % 4 != 3);
    let suppliers = pool(|i| i % 4 == 3 || i % 9 == 0);
    let (first_day, last_day) = date_range();
    let span = last_day - first_day;
    let mut sales_seq = 0;
    let mut bill_seq = 0;
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let kind = if rng.chance(70) {
            InvoiceType::AccRec
        } else {
            InvoiceType::AccPay
        };
        let contact = *rng.pick(if kind == InvoiceType::AccRec {
            &customers
        } else {
            &suppliers
        });
        // Dates advance with the invoice number, as in a real ledger, with a little jitter.
        let base = first_day + (i as i64 * span) / count.max(1) as i64;
        let date = (base + rng.range(-3, 3)).clamp(first_day, last_day) as i32;
        let due_date = date + rng.range(7, 60) as i32;
        let (number, reference) = match kind {
            InvoiceType::AccRec => {
                sales_seq += 1;
                let r = if rng.chance(40) {
                    format!("PO-{}", rng.range(1000, 9999))
                } else {
                    String::new()
                };
                (format!("INV-{sales_seq:06}"), r)
            }
            InvoiceType::AccPay => {
                bill_seq += 1;
                let prefix: String = contacts[contact as usize]
                    .name
                    .chars()
                    .filter(char::is_ascii_alphabetic)
                    .take(3)
                    .collect::<String>()
                    .to_uppercase();
                let r = if rng.chance(40) {
                    format!("Order {}", rng.range(100, 999))
                } else {
                    String::new()
                };
                (format!("{prefix}-{}", 10_000 + bill_seq), r)
            }
        };
        let status = match rng.range(0, 99) {
            0..=47 => Status::Paid,
            48..=79 => Status::Authorised,
            80..=86 => Status::Draft,
            87..=90 => Status::Submitted,
            91..=95 => Status::Voided,
            _ => Status::Deleted,
        };
        let tax_inclusive = rng.chance(20);
        let invoice_id = rng.uuid();
        let lines = rng.range(1, 5);
        let line_items: Vec<LineItem> = (0..lines)
            .map(|_| {
                line_item(
                    &mut rng,
                    kind,
                    tax_inclusive,
                    region,
                    accounts,
                    &account_index,
                )
            })
            .collect();
        let total_tax: i64 = line_items.iter().map(|l| l.tax_amount).sum();
        let lines_sum: i64 = line_items.iter().map(|l| l.line_amount).sum();
        let sub_total = if tax_inclusive {
            lines_sum - total_tax
        } else {
            lines_sum
        };
        let total = sub_total + total_tax;
        let (currency_code, currency_rate) = match rng.range(0, 99) {
            0..=84 => (region.base_currency, 1_000_000),
            n => {
                let (code, nominal) = region.foreign_currencies[usize::from(n >= 95)];
                (code, nominal + rng.range(-nominal / 20, nominal / 20))
            }
        };
        let mut amount_paid = 0;
        let mut amount_credited = 0;
        let mut payment_date = None;
        match status {
            Status::Paid => {
                if rng.chance(5) {
                    amount_credited = total / 10;
                }
                amount_paid = total - amount_credited;
                payment_date = Some(date + rng.range(0, i64::from(due_date - date) + 14) as i32);
            }
            Status::Authorised => {
                if rng.chance(20) {
                    amount_paid = total * rng.range(10, 90) / 100;
                    payment_date = Some(date + rng.range(1, 30) as i32);
                }
                if rng.chance(5) {
                    amount_credited = total / 10;
                }
            }
            _ => {}
        }
        let amount_due = match status {
            Status::Voided | Status::Deleted => 0,
            _ => total - amount_paid - amount_credited,
        };
        let payments: Vec<Payment> = payment_date
            .into_iter()
            .map(|d| Payment {
                payment_id: rng.uuid(),
                date: d,
                amount: amount_paid,
            })
            .collect();
        let last_event = payment_date.unwrap_or(date).max(date);
        let updated_ms = i64::from(last_event) * MS_PER_DAY + rng.range(3_600_000, 3 * MS_PER_DAY);
        let updated = match i {
            6 => XeroDate {
                ms: updated_ms,
                offset: Some(1300),
            },
            8 => XeroDate {
                ms: updated_ms,
                offset: None,
            },
            _ => XeroDate::utc(updated_ms),
        };
        let sent_to_contact = kind == InvoiceType::AccRec
            && matches!(status, Status::Authorised | Status::Paid | Status::Voided)
            && rng.chance(70);
        let branding_theme =
            (kind == InvoiceType::AccRec).then(|| themes[usize::from(rng.chance(15))]);
        out.push(Invoice {
            invoice_id,
            kind,
            number,
            reference,
            contact,
            date,
            due_date,
            status,
            tax_inclusive,
            no_tax: false,
            line_items,
            sub_total,
            total_tax,
            total,
            amount_due,
            amount_paid,
            amount_credited,
            currency_code,
            currency_rate,
            credits: Vec::new(),
            fully_paid_on: (status == Status::Paid).then_some(last_event),
            payments,
            updated,
            has_attachments: rng.chance(10),
            sent_to_contact,
            branding_theme,
        });
    }
    // Xero derives these flags from the contact's transactions.
    for inv in &out {
        let c = &mut contacts[inv.contact as usize];
        match inv.kind {
            InvoiceType::AccRec => c.is_customer = true,
            InvoiceType::AccPay => c.is_supplier = true,
        }
    }
    out
}

fn line_item(
    rng: &mut Rng,
    kind: InvoiceType,
    tax_inclusive: bool,
    region: &Region,
    accounts: &[Account],
    account_index: &HashMap<&str, u16>,
) -> LineItem {
    let (item_code, description, code, (lo, hi)) = match kind {
        InvoiceType::AccRec => *rng.pick(catalog::SALES_LINES),
        InvoiceType::AccPay => {
            let (d, c, range) = *rng.pick(catalog::PURCHASE_LINES);
            (None, d, c, range)
        }
    };
    let account = account_index[code];
    let quantity = match rng.range(0, 9) {
        0..=5 => rng.range(1, 10) * 10_000,
        6 | 7 => rng.range(1, 80) * 5_000,
        8 => rng.range(1, 4) * 2_500,
        _ => rng.range(10_001, 99_999),
    };
    let cents = rng.range(lo, hi);
    // Computed from the cent price; the four-decimal price gives the same line amount.
    let line_amount = div_round(quantity * cents, 10_000);
    let line_item_id = rng.uuid();
    let unit_amount = with_four_decimals(cents, line_item_id.0 as u64, most_extra(quantity));
    // The account's default tax type decides the line's tax, as Xero's UI would.
    let tax_type = accounts[usize::from(account)].tax_type;
    let rate = if tax_type == region.no_tax_type {
        0
    } else {
        region.tax_percent
    };
    let tax_amount = if tax_inclusive {
        div_round(line_amount * rate, 100 + rate)
    } else {
        div_round(line_amount * rate, 100)
    };
    LineItem {
        line_item_id,
        description,
        quantity,
        unit_amount,
        item_code,
        account,
        tax_type,
        discount_rate: 0,
        tax_amount,
        line_amount,
    }
}

/// How far (ten-thousandths) a price may move off its cents with `LineAmount =
/// round(Quantity × UnitAmount)` unchanged: under half a cent over the whole line, so only
/// whole quantities up to 4 get extra decimals.
fn most_extra(quantity: i64) -> i64 {
    match quantity {
        q if q % 10_000 == 0 && (1..=4).contains(&(q / 10_000)) => 49 / (q / 10_000),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{InvoiceType, Status};

    #[test]
    fn money_is_consistent_to_the_cent() {
        let tenants = crate::data::generate(42, 2, 30, 2000);
        for t in &tenants {
            let percent = t.organisation.region.tax_percent;
            let mut saw_inclusive = false;
            let mut four_decimals = 0;
            for inv in &t.invoices {
                let lines: i64 = inv.line_items.iter().map(|l| l.line_amount).sum();
                let tax: i64 = inv.line_items.iter().map(|l| l.tax_amount).sum();
                assert_eq!(inv.total, inv.sub_total + inv.total_tax, "{}", inv.number);
                assert_eq!(inv.total_tax, tax);
                if inv.tax_inclusive {
                    saw_inclusive = true;
                    assert_eq!(inv.total, lines, "{}", inv.number);
                } else {
                    assert_eq!(inv.total, lines + tax, "{}", inv.number);
                }
                for l in &inv.line_items {
                    // Quantity × UnitAmount, with the four-decimal price and with the
                    // two-decimal one Xero sends by default.
                    assert_eq!(
                        l.line_amount,
                        crate::numbers::div_round(l.quantity * l.unit_amount, 1_000_000)
                    );
                    let cents = crate::numbers::div_round(l.unit_amount, 100);
                    assert_eq!(
                        l.line_amount,
                        crate::numbers::div_round(l.quantity * cents, 10_000)
                    );
                    four_decimals += usize::from(l.unit_amount % 10 != 0);
                    let rate = if l.tax_amount == 0 && l.line_amount > 0 {
                        0
                    } else {
                        percent
                    };
                    let want = if inv.tax_inclusive {
                        crate::numbers::div_round(l.line_amount * rate, 100 + rate)
                    } else {
                        crate::numbers::div_round(l.line_amount * rate, 100)
                    };
                    assert_eq!(l.tax_amount, want, "{}", inv.number);
                }
                match inv.status {
                    Status::Voided | Status::Deleted => assert_eq!(inv.amount_due, 0),
                    _ => assert_eq!(
                        inv.amount_due,
                        inv.total - inv.amount_paid - inv.amount_credited
                    ),
                }
                if inv.status == Status::Paid {
                    assert_eq!(inv.amount_due, 0);
                    assert!(inv.fully_paid_on.is_some());
                }
                assert!((1..=5).contains(&inv.line_items.len()));
                assert!(inv.due_date >= inv.date + 7 && inv.due_date <= inv.date + 60);
                assert!(inv.updated.ms > i64::from(inv.date) * crate::dates::MS_PER_DAY);
            }
            assert!(saw_inclusive);
            assert!(four_decimals > 200, "4-decimal prices: {four_decimals}");
            let accrec = t
                .invoices
                .iter()
                .filter(|i| i.kind == InvoiceType::AccRec)
                .count();
            assert!((1200..1600).contains(&accrec), "ACCREC share {accrec}/2000");
            let statuses: std::collections::HashSet<_> =
                t.invoices.iter().map(|i| i.status).collect();
            assert_eq!(statuses.len(), 6);
            let foreign = t
                .invoices
                .iter()
                .filter(|i| i.currency_code != t.organisation.region.base_currency)
                .count();
            assert!(foreign > 100 && foreign < 600);
        }
    }
}
