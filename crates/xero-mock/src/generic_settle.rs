//! Makes a freshly generated generic record add up where that is cheap: line amounts
//! from quantity and price, tax at the region's rate (none on the no-tax type), totals
//! from the lines, journal lines in pairs that cancel, amounts due after payment, and
//! dates that follow each other (due after issued, updated after issued).

use crate::dates::{days_from_civil, XeroDate, MS_PER_DAY};
use crate::generic_model::{GObj, GVal};
use crate::ids::Rng;
use crate::model::Region;
use crate::numbers::div_round;

/// Fields a balancing journal line negates from its partner.
const SIGNED: &[&str] = &["LineAmount", "NetAmount", "TaxAmount", "GrossAmount"];

pub fn settle(obj: &mut GObj, region: &Region, rng: &mut Rng) {
    amounts(obj, region);
    dates(obj, rng);
}

/// The money half of [`settle`]: lines, then totals from them (again after a record's
/// lines change, as when a document is made to cover what it allocates).
pub fn amounts(obj: &mut GObj, region: &Region) {
    for v in obj.vals.iter_mut() {
        if let GVal::List(items) = v {
            for item in items.iter_mut() {
                settle_line(item, region);
            }
            if items
                .first()
                .is_some_and(|l| l.schema.name.ends_with("JournalLine"))
            {
                balance(items);
            }
        }
    }
    totals(obj, region);
}

fn tax_of(obj: &GObj, region: &Region, amount: i64) -> i64 {
    match obj.get("TaxType") {
        GVal::Const(t) if *t == region.no_tax_type => 0,
        _ => div_round(amount * region.tax_percent, 100),
    }
}

fn settle_line(line: &mut GObj, region: &Region) {
    if line.has("Quantity") && line.has("UnitAmount") && line.has("LineAmount") {
        // Quantity × price, each in its own fixed point, to the line amount's.
        let amount = div_round(
            line.fixed("Quantity") * line.fixed("UnitAmount") * line.unit("LineAmount"),
            line.unit("Quantity") * line.unit("UnitAmount"),
        );
        line.set("LineAmount", GVal::Fixed(amount));
    }
    let net = if line.has("NetAmount") {
        "NetAmount"
    } else {
        "LineAmount"
    };
    if line.has(net) && line.has("TaxAmount") {
        let tax = tax_of(line, region, line.fixed(net));
        line.set("TaxAmount", GVal::Fixed(tax));
        if line.has("GrossAmount") {
            line.set("GrossAmount", GVal::Fixed(line.fixed(net) + tax));
        }
    }
}

/// Every odd line takes the negated amounts of the line before it, so a journal balances.
fn balance(lines: &mut [GObj]) {
    for pair in lines.chunks_exact_mut(2) {
        let [debit, credit] = pair else { continue };
        for f in SIGNED {
            if debit.has(f) {
                credit.set(f, GVal::Fixed(-debit.fixed(f)));
            }
        }
    }
}

fn totals(obj: &mut GObj, region: &Region) {
    let lines: Option<(i64, i64)> = match obj.get("LineItems") {
        GVal::List(items) if !items.is_empty() => Some(items.iter().fold((0, 0), |(s, t), l| {
            (s + l.fixed("LineAmount"), t + l.fixed("TaxAmount"))
        })),
        _ => None,
    };
    if obj.has("SubTotal") {
        let (sub, tax) = lines.unwrap_or_else(|| {
            let sub = obj.fixed("SubTotal");
            (sub, tax_of(obj, region, sub))
        });
        obj.set("SubTotal", GVal::Fixed(sub));
        obj.set("TotalTax", GVal::Fixed(tax));
        obj.set("Total", GVal::Fixed(sub + tax));
        obj.set("TotalDiscount", GVal::Fixed(0));
    }
    let total = obj.fixed("Total");
    if obj.has("AmountPaid") {
        let paid = if matches!(obj.get("Status"), GVal::Const("PAID")) {
            total
        } else {
            0
        };
        obj.set("AmountPaid", GVal::Fixed(paid));
        obj.set("AmountDue", GVal::Fixed(total - paid));
    }
    if obj.has("RemainingCredit") {
        obj.set("AppliedAmount", GVal::Fixed(0));
        obj.set("RemainingCredit", GVal::Fixed(total));
    }
}

/// Later dates (due, expiry, delivery) follow `Date`; `UpdatedDateUTC` is within 30 days
/// after it; `CreatedDateUTC` is not after `UpdatedDateUTC`.
pub fn dates(obj: &mut GObj, rng: &mut Rng) {
    let GVal::Day(date) = *obj.get("Date") else {
        return;
    };
    for k in 0..obj.vals.len() {
        if obj.schema.props[k].name != "Date" && matches!(obj.vals[k], GVal::Day(_)) {
            obj.vals[k] = GVal::Day(date + rng.range(7, 60) as i32);
        }
    }
    let last_ms = (days_from_civil(2026, 10, 31) + 1) * MS_PER_DAY - 1;
    if obj.has("UpdatedDateUTC") {
        let ms = (i64::from(date) * MS_PER_DAY + rng.range(0, 30 * MS_PER_DAY)).min(last_ms);
        obj.set("UpdatedDateUTC", GVal::Instant(XeroDate::utc(ms)));
        if let GVal::Instant(created) = *obj.get("CreatedDateUTC") {
            obj.set(
                "CreatedDateUTC",
                GVal::Instant(XeroDate::utc(created.ms.min(ms))),
            );
        }
    }
}
