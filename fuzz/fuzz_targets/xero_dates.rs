//! `parse_xero_date` over arbitrary text (`/Date(ms±hhmm)/` and ISO-8601 forms come straight
//! from Xero's JSON and XML). Never a panic; a parsed date's `pg_date()` and `pg_timestamptz()`
//! never panic; a parsed offset is a real one (at most ±14:59); the ms form round-trips.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xero_core::dates::parse_xero_date;

fuzz_target!(|text: &str| {
    let Ok(d) = parse_xero_date(text) else { return };
    let _ = d.pg_date();
    let _ = d.pg_timestamptz();
    if let Some(off) = d.offset_minutes {
        assert!(off.abs() <= 14 * 60 + 59, "{text:?} gave offset {off}");
    }
    if text.starts_with("/Date(") {
        let again = match d.offset_minutes {
            None => format!("/Date({})/", d.epoch_ms),
            Some(o) => format!("/Date({}{}{:02}{:02})/", d.epoch_ms, if o < 0 { '-' } else { '+' }, o.abs() / 60, o.abs() % 60),
        };
        // "-0000" and "+0000" are the same offset; both re-parse to the same value.
        assert_eq!(parse_xero_date(&again), Ok(d), "{text:?} -> {again:?}");
    }
});
