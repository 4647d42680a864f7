//! Reading the ledger through the API: exact cents, every journal, every page.

use serde_json::Value;

use super::Mock;

/// Cents of a JSON number (`12.5` → 1250), exactly.
pub fn cents(v: &Value) -> i64 {
    let s = v.to_string();
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let neg = int.starts_with('-');
    let whole: i64 = int.trim_start_matches('-').parse().expect("a number");
    let frac: i64 = format!("{frac:0<2}")[..2].parse().unwrap();
    let c = whole * 100 + frac;
    if neg {
        -c
    } else {
        c
    }
}

pub fn all_pages(m: &Mock, at: &str, tenant: usize, path: &str, list: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for page in 1.. {
        let v = m
            .api(at, tenant, &format!("{path}page={page}&pageSize=1000"))
            .json();
        let got = v[list].as_array().unwrap().clone();
        let n = got.len();
        out.extend(got);
        if n < 1000 {
            break;
        }
    }
    out
}

/// Every journal of a tenant, following `offset` to the end.
pub fn journals(m: &Mock, at: &str, tenant: usize, extra: &str) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let mut offset = 0;
    loop {
        let v = m
            .api(at, tenant, &format!("Journals?offset={offset}{extra}"))
            .json();
        let page = v["Journals"].as_array().unwrap().clone();
        let Some(last) = page.last() else { break };
        offset = last["JournalNumber"].as_i64().unwrap();
        out.extend(page);
    }
    out
}
