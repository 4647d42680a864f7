//! Walks a generic record into a [`Sink`] in its schema's property order (the order of
//! Xero's specification), leaving out properties without a value.

use crate::dates::XeroDate;
use crate::generic_model::{GObj, GVal};
use crate::sink::Sink;
use crate::spec::Kind;
use crate::unit_dp::{is_unit_price, UnitDp};

/// A top-level record, element named after its schema (`<CreditNote>` in XML).
pub fn record<S: Sink>(s: &mut S, obj: &GObj, dp: UnitDp) {
    object(s, obj.schema.name, obj, dp);
}

fn object<S: Sink>(s: &mut S, name: &str, obj: &GObj, dp: UnitDp) {
    s.open(name);
    for (p, v) in obj.schema.props.iter().zip(&obj.vals) {
        let n = p.name;
        match (v, p.kind) {
            (GVal::Null, Kind::DateText(of)) => {
                if let Some(d) = date_of(obj.get(of)) {
                    s.date_string(n, d);
                }
            }
            (GVal::Null, _) => {}
            (GVal::Text(t), _) => s.str(n, t),
            (GVal::Const(t), _) => s.str(n, t),
            (GVal::Uuid(u), _) => s.uuid(n, *u),
            (GVal::Day(_) | GVal::Instant(_), _) => s.date(n, date_of(v).expect("a date")),
            (GVal::Fixed(x), _) if is_unit_price(n) => dp.write(s, n, *x),
            (GVal::Fixed(x), Kind::Money) => s.money(n, *x),
            (GVal::Fixed(x), _) => s.fixed(n, *x, 4),
            (GVal::Int(x), _) => s.int(n, *x),
            (GVal::Bool(b), _) => s.bool(n, *b),
            (GVal::Obj(o), _) => object(s, n, o, dp),
            (GVal::List(items), _) => {
                s.open_list(n);
                for item in items {
                    object(s, item.schema.name, item, dp);
                }
                s.close_list(n);
            }
        }
    }
    s.close(name);
}

fn date_of(v: &GVal) -> Option<XeroDate> {
    match v {
        GVal::Day(d) => Some(XeroDate::day(*d)),
        GVal::Instant(d) => Some(*d),
        _ => None,
    }
}
