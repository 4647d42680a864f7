//! `unitdp`: unit prices keep Xero's four decimals when a request says `unitdp=4`, and are
//! rounded to two otherwise, on the hand-built invoices and every generic collection that
//! takes the parameter, in JSON and XML.

mod common;

use common::generic::collections;
use common::Mock;
use serde_json::Value;

/// Ten-thousandths of a JSON number or XML text (`12.3456` → 123456), exactly.
fn tt(s: &str) -> i64 {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    assert!(frac.len() <= 4, "more than 4 decimals: {s}");
    let whole: i64 = int.trim_start_matches('-').parse().expect("a number");
    let v = whole * 10_000 + format!("{frac:0<4}").parse::<i64>().unwrap();
    if int.starts_with('-') {
        -v
    } else {
        v
    }
}

/// Every unit price in a JSON body, in document order.
fn prices(v: &Value, out: &mut Vec<i64>) {
    match v {
        Value::Object(m) => m.iter().for_each(|(k, x)| {
            if k == "UnitAmount" || k == "UnitPrice" {
                out.push(tt(&x.to_string()));
            } else {
                prices(x, out);
            }
        }),
        Value::Array(a) => a.iter().for_each(|x| prices(x, out)),
        _ => {}
    }
}

fn xml_prices(body: &str) -> Vec<i64> {
    let mut out = Vec::new();
    for tag in ["<UnitAmount>", "<UnitPrice>"] {
        for part in body.split(tag).skip(1) {
            out.push(tt(part.split('<').next().unwrap()));
        }
    }
    out
}

/// Rounded to two decimals, as Xero's default does (half away from zero).
fn to_two(v: i64) -> i64 {
    (v + 50 * v.signum()) / 100 * 100
}

/// Checks one endpoint both ways and returns how many prices had four decimals.
fn compare(m: &Mock, at: &str, path: &str) -> usize {
    let sep = if path.contains('?') { '&' } else { '?' };
    let (mut four, mut two) = (Vec::new(), Vec::new());
    prices(
        &m.api(at, 0, &format!("{path}{sep}unitdp=4")).json(),
        &mut four,
    );
    prices(&m.api(at, 0, path).json(), &mut two);
    assert!(!four.is_empty(), "{path}: no unit prices");
    assert_eq!(four.len(), two.len(), "{path}");
    for (f, t) in four.iter().zip(&two) {
        assert_eq!(
            *t,
            to_two(*f),
            "{path}: the default rounds {f} to two decimals"
        );
    }
    let xml = |query: &str| {
        let auth = format!("Bearer {at}");
        let headers = [
            ("authorization", auth.as_str()),
            ("xero-tenant-id", &m.tenant(0)),
        ];
        xml_prices(&m.get(&format!("/api.xro/2.0/{path}{query}"), &headers).body)
    };
    assert_eq!(
        xml(&format!("{sep}unitdp=4")),
        four,
        "{path}: XML carries the same four decimals"
    );
    assert_eq!(xml(""), two, "{path}: XML rounds as JSON does");
    four.iter().filter(|&&f| f % 100 != 0).count()
}

#[test]
fn invoices_keep_four_decimals_only_when_asked() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    assert!(compare(&m, &at, "Invoices?page=1") > 10);
    // LineAmount = Quantity × UnitAmount with either price.
    let v = m.api(&at, 0, "Invoices?page=1&unitdp=4").json();
    for inv in v["Invoices"].as_array().unwrap() {
        for l in inv["LineItems"].as_array().unwrap() {
            let q = tt(&l["Quantity"].to_string()) as i128;
            let u = tt(&l["UnitAmount"].to_string()) as i128;
            let line = tt(&l["LineAmount"].to_string()) as i128;
            let exact = q * u; // 10^-8
            let rounded = (exact + 500_000 * exact.signum()) / 1_000_000 * 100;
            assert_eq!(rounded, line, "{l}");
        }
    }
}

#[test]
fn every_collection_that_takes_unitdp_honours_it() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    let mut with_decimals = 0;
    let mut checked = 0;
    for c in collections(&m) {
        let key = c["key"].as_str().unwrap();
        if c["unit_dp"] == true {
            checked += 1;
            with_decimals += usize::from(compare(&m, &at, key) > 0);
        }
    }
    assert_eq!(
        checked, 6,
        "BankTransactions, CreditNotes, Items, Overpayments, Prepayments, Receipts"
    );
    assert_eq!(
        with_decimals, checked,
        "every one has some four-decimal prices"
    );
}
