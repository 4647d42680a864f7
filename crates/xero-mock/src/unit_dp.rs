//! Unit prices (`UnitAmount`, `UnitPrice`) are kept to four decimals, as Xero keeps them,
//! and sent the way Xero sends them: rounded to two decimals unless the request says
//! `unitdp=4` on an endpoint that takes it.

use crate::numbers::div_round;
use crate::request::Req;
use crate::sink::Sink;

/// Decimal places of the unit prices in one response.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct UnitDp(u32);

impl UnitDp {
    /// Xero's default.
    pub const TWO: UnitDp = UnitDp(2);
    pub const FOUR: UnitDp = UnitDp(4);

    /// What the request asks for; Xero knows only 4 besides its default, so any other
    /// value (`unitdp=2`, `unitdp=3`, junk) gives two decimals.
    pub fn of(req: &Req) -> UnitDp {
        match req.param("unitdp").map(str::trim) {
            Some("4") => UnitDp::FOUR,
            _ => UnitDp::TWO,
        }
    }

    /// Writes a price held in ten-thousandths.
    pub fn write<S: Sink>(self, s: &mut S, name: &str, ten_thousandths: i64) {
        if self == UnitDp::FOUR {
            s.fixed(name, ten_thousandths, 4);
        } else {
            s.money(name, div_round(ten_thousandths, 100));
        }
    }
}

/// Whether a property is a unit price (held in ten-thousandths, sent per [`UnitDp`]).
pub fn is_unit_price(name: &str) -> bool {
    matches!(name, "UnitAmount" | "UnitPrice")
}

/// `cents` with two more decimals; for one key in three a fourth decimal that shows
/// (`12.35` → `12.3456`), at most `max` ten-thousandths off the cent price (at most 49,
/// so the price still rounds to `cents`). `key` spreads which prices get one without
/// drawing from a generator, so adding decimals moves no other value of the seed.
pub fn with_four_decimals(cents: i64, key: u64, max: i64) -> i64 {
    let base = cents * 100;
    let max = max.min(49);
    if key % 3 != 0 || max < 1 {
        return base;
    }
    let mut d = (key / 3 % max as u64) as i64 + 1;
    if d % 10 == 0 {
        d -= 1;
    }
    if (key >> 20) & 1 == 1 && base > d {
        d = -d;
    }
    base + d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render_json::JsonSink;

    fn render(dp: UnitDp, v: i64) -> String {
        let mut s = JsonSink::with_capacity(64);
        s.open("X");
        dp.write(&mut s, "UnitAmount", v);
        s.close("X");
        String::from_utf8(s.out).unwrap()
    }

    #[test]
    fn two_decimals_unless_four_are_asked_for() {
        assert_eq!(render(UnitDp::TWO, 123_456), r#"{"UnitAmount":12.35}"#);
        assert_eq!(render(UnitDp::FOUR, 123_456), r#"{"UnitAmount":12.3456}"#);
        assert_eq!(render(UnitDp::TWO, -123_450), r#"{"UnitAmount":-12.35}"#);
    }

    #[test]
    fn four_decimal_prices_round_back_to_their_cents() {
        let mut shown = 0;
        for key in 0..3000u64 {
            for max in [49, 24, 16, 12] {
                let p = with_four_decimals(1234, key * 7919, max);
                assert_eq!(div_round(p, 100), 1234);
                assert!((p - 123_400).abs() <= max);
                if p % 10 != 0 {
                    shown += 1;
                }
            }
        }
        assert!(shown > 3000, "{shown}");
    }
}
