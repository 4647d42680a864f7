//! Inputs found by the fuzz targets in `fuzz/`, kept as regression tests.

use xero_core::entities::entity_by_function;
use xero_core::list::{plan_list, ArgValue};

/// fuzz/fuzz_targets/filter_plan.rs: `modified_since => 'infinity'` reaches `plan_list` as
/// `i64::MAX` microseconds (PostgreSQL's infinity), and `micros + PG_EPOCH_MICROS` overflows:
/// a panic in debug builds, a wrapped If-Modified-Since date in release builds. `-infinity`
/// (`i64::MIN`) is fine only by luck of the sign.
#[test]
fn modified_since_infinity_does_not_overflow() {
    let e = entity_by_function("xero_invoices").unwrap();
    let f = e.filter("modified_since").unwrap();
    for micros in [i64::MAX, i64::MAX - 8, i64::MIN] {
        match plan_list(e, "https://api.xero.com/api.xro/2.0", &[(f, ArgValue::Timestamptz(micros))]) {
            Ok(plan) => {
                // Whatever is sent must be a real date, not a wrapped one.
                if let Some((_, v)) = plan.headers.iter().find(|(n, _)| n == "if-modified-since") {
                    assert!(micros < 0 || !v.starts_with('-'), "{micros}: {v}");
                }
            }
            Err(err) => assert_eq!(err.kind, xero_core::ErrorKind::InvalidArgument, "{micros}: {err}"),
        }
    }
}
