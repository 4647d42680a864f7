//! The generic collections' list behaviour, for every registry entry (as
//! `GET /__mock/collections` describes them): paging style, If-Modified-Since, the list
//! parameters, `where` and `order`.

mod common;

use std::collections::HashSet;

use common::generic::{
    at, collections, enc, everything, fetch_all, fetch_with, get, id_of, key, records, text,
};
use common::{date_ms, iso, rfc1123, Mock};
use serde_json::Value;

fn ids(c: &Value, recs: &[Value]) -> Vec<String> {
    recs.iter().map(|r| id_of(c, r)).collect()
}

#[test]
fn every_collection_pages_in_its_style() {
    let m = Mock::small();
    let (at_, _) = m.tokens();
    for c in collections(&m) {
        let k = key(&c);
        let n = c["per_tenant"].as_u64().unwrap() as usize;
        let all = fetch_all(&m, &at_, &c, &everything(&c), &[]);
        let unique: HashSet<String> = ids(&c, &all).into_iter().collect();
        assert_eq!((all.len(), unique.len()), (n, n), "{k}: every record once");
        let base = everything(&c)
            .iter()
            .map(|q| format!("&{q}"))
            .collect::<String>();
        match c["paging"].as_str().unwrap() {
            "page+pageSize" => {
                let r = get(&m, &at_, &format!("{k}?page=2&pageSize=7{base}"), true, &[]);
                let v = r.json();
                let p = &v["pagination"];
                assert_eq!(
                    (
                        p["page"].as_u64(),
                        p["pageSize"].as_u64(),
                        p["pageCount"].as_u64(),
                        p["itemCount"].as_u64()
                    ),
                    (Some(2), Some(7), Some(n.div_ceil(7) as u64), Some(n as u64)),
                    "{k}"
                );
                assert_eq!(
                    ids(&c, &records(&r, &c)),
                    ids(&c, &all[7..14]),
                    "{k}: page 2"
                );
                let unpaged = get(&m, &at_, &format!("{k}?{base}"), true, &[]);
                assert!(
                    unpaged.json().get("pagination").is_none(),
                    "{k}: unpaged has no block"
                );
                assert_eq!(records(&unpaged, &c).len(), n, "{k}: unpaged is everything");
            }
            "page" => {
                // Fixed at 100: pageSize is not this endpoint's parameter.
                let r = get(&m, &at_, &format!("{k}?page=1&pageSize=7{base}"), true, &[]);
                assert!(
                    r.json().get("pagination").is_none(),
                    "{k}: no pagination block"
                );
                assert_eq!(records(&r, &c).len(), n.min(100), "{k}: page 1");
                let r = get(&m, &at_, &format!("{k}?page=2{base}"), true, &[]);
                assert_eq!(
                    records(&r, &c).len(),
                    n.saturating_sub(100).min(100),
                    "{k}: page 2"
                );
            }
            offset if offset.starts_with("offset:") => {
                let field = &offset["offset:".len()..];
                let numbers: Vec<i64> = all.iter().map(|r| r[field].as_i64().unwrap()).collect();
                assert!(
                    numbers.windows(2).all(|w| w[0] < w[1]),
                    "{k}: ascending by {field}"
                );
                let first = records(&get(&m, &at_, k, true, &[]), &c);
                assert_eq!(first.len(), n.min(100), "{k}: 100 per call");
                let mid = numbers[n / 2];
                let rest = records(&get(&m, &at_, &format!("{k}?offset={mid}"), true, &[]), &c);
                assert!(
                    rest.iter().all(|r| r[field].as_i64().unwrap() > mid),
                    "{k}: after the offset"
                );
                assert_eq!(
                    rest.len(),
                    numbers.iter().filter(|&&x| x > mid).count().min(100),
                    "{k}"
                );
            }
            "none" => {
                let r = get(&m, &at_, &format!("{k}?page=2&pageSize=1{base}"), true, &[]);
                assert_eq!(
                    records(&r, &c).len(),
                    n,
                    "{k}: paging parameters are not this endpoint's"
                );
            }
            other => panic!("{k}: unknown paging {other}"),
        }
    }
}

#[test]
fn if_modified_since_filters_on_the_registry_field() {
    let m = Mock::small();
    let (at_, _) = m.tokens();
    let mut tested = 0;
    for c in collections(&m) {
        let k = key(&c);
        let all = fetch_all(&m, &at_, &c, &everything(&c), &[]);
        let Some(field) = c["modified"].as_str() else {
            // The header is ignored where the specification does not list it.
            let header = rfc1123(4_102_444_800_000); // 2100
            let got = fetch_all(
                &m,
                &at_,
                &c,
                &everything(&c),
                &[("if-modified-since", &header)],
            );
            assert_eq!(got.len(), all.len(), "{k}: If-Modified-Since ignored");
            continue;
        };
        let mut stamps: Vec<i64> = all.iter().map(|r| date_ms(&r[field])).collect();
        stamps.sort_unstable();
        let since = stamps[stamps.len() / 2] / 1000 * 1000;
        let want = all.iter().filter(|r| date_ms(&r[field]) >= since).count();
        let got = fetch_all(
            &m,
            &at_,
            &c,
            &everything(&c),
            &[("if-modified-since", &rfc1123(since))],
        );
        assert_eq!(got.len(), want, "{k}: modified since {}", iso(since));
        assert!(
            want > 0 && want < all.len(),
            "{k}: the header filters something"
        );
        assert!(got.iter().all(|r| date_ms(&r[field]) >= since), "{k}");
        tested += 1;
    }
    assert!(tested > 10);
}

#[test]
fn list_parameters_select_what_they_name() {
    let m = Mock::small();
    let (at_, _) = m.tokens();
    for c in collections(&m) {
        let k = key(&c);
        let base = everything(&c);
        let all = fetch_all(&m, &at_, &c, &base, &[]);
        let with = |q: String| fetch_with(&m, &at_, &c, &q);
        for p in c["params"].as_array().unwrap() {
            let (name, field) = (p["name"].as_str().unwrap(), p["field"].as_str().unwrap());
            let values = |r: &Value| text(at(r, field));
            match p["kind"].as_str().unwrap() {
                "ids" => {
                    let want = [id_of(&c, &all[0]), id_of(&c, all.last().unwrap())];
                    let got = with(format!("{name}={}", want.join(",")));
                    let got: HashSet<String> = ids(&c, &got).into_iter().collect();
                    assert_eq!(got, want.into_iter().collect(), "{k}: {name}");
                }
                kind @ ("equals" | "any_of") => {
                    let mut want = vec![values(&all[0])];
                    if kind == "any_of" {
                        want.push(values(&all[all.len() / 2]));
                    }
                    let hit = |r: &Value| want.iter().any(|w| w.eq_ignore_ascii_case(&values(r)));
                    let got = with(format!("{name}={}", enc(&want.join(","))));
                    assert!(!got.is_empty() && got.iter().all(hit), "{k}: {name}");
                    assert_eq!(
                        got.len(),
                        all.iter().filter(|r| hit(r)).count(),
                        "{k}: {name}"
                    );
                }
                kind @ ("from" | "to") => {
                    let mut days: Vec<i64> = all.iter().map(|r| date_ms(at(r, field))).collect();
                    days.sort_unstable();
                    let bound = days[days.len() / 2];
                    let hit = |r: &Value| {
                        let d = date_ms(at(r, field));
                        if kind == "from" {
                            d >= bound
                        } else {
                            d <= bound
                        }
                    };
                    let got = with(format!("{name}={}", &iso(bound)[..10]));
                    assert!(got.iter().all(hit), "{k}: {name}");
                    assert_eq!(
                        got.len(),
                        all.iter().filter(|r| hit(r)).count(),
                        "{k}: {name}"
                    );
                }
                "include" => {
                    let hidden = p["values"][0].as_str().unwrap();
                    let without: Vec<String> = base
                        .iter()
                        .filter(|q| !q.starts_with(name))
                        .cloned()
                        .collect();
                    let got = fetch_all(&m, &at_, &c, &without, &[]);
                    let shown = all.iter().filter(|r| values(r) != hidden).count();
                    assert!(shown < all.len(), "{k}: some records are {hidden}");
                    assert_eq!(got.len(), shown, "{k}: {hidden} left out without {name}");
                }
                "only" => {
                    let allowed: Vec<&str> = p["values"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v.as_str().unwrap())
                        .collect();
                    let got = with(format!("{name}=true"));
                    let want = all
                        .iter()
                        .filter(|r| allowed.contains(&values(r).as_str()))
                        .count();
                    assert!(
                        got.iter().all(|r| allowed.contains(&values(r).as_str())),
                        "{k}: {name}"
                    );
                    assert_eq!(got.len(), want, "{k}: {name}");
                    assert!(want < all.len(), "{k}: {name} filters something");
                }
                other => panic!("{k}: unknown parameter kind {other}"),
            }
        }
    }
}

/// A top-level text property to filter and order on: not a GUID, date or `…String`.
fn text_field(rec: &Value) -> Option<(String, String)> {
    rec.as_object()?.iter().find_map(|(k, v)| {
        let s = v.as_str()?;
        let plain = !s.starts_with("/Date(")
            && !k.ends_with("String")
            && !k.ends_with("ID")
            && !s.contains('"');
        plain.then(|| (k.clone(), s.to_string()))
    })
}

#[test]
fn where_and_order_use_the_schema_fields() {
    let m = Mock::small();
    let (at_, _) = m.tokens();
    for c in collections(&m) {
        let k = key(&c);
        let base = everything(&c);
        let all = fetch_all(&m, &at_, &c, &base, &[]);
        let (field, value) = text_field(&all[0]).unwrap_or_else(|| panic!("{k}: no text field"));
        if c["where"] == true {
            let got = fetch_with(
                &m,
                &at_,
                &c,
                &format!("where={}", enc(&format!("{field}==\"{value}\""))),
            );
            let want = all.iter().filter(|r| r[&field] == value.as_str()).count();
            assert!(
                got.iter().all(|r| r[&field] == value.as_str()),
                "{k}: where {field}"
            );
            assert_eq!(got.len(), want, "{k}: where {field}");
            if let Some(contact) = all[0]["Contact"]["ContactID"].as_str() {
                let w = format!("Contact.ContactID==Guid(\"{contact}\")");
                let got = fetch_with(&m, &at_, &c, &format!("where={}", enc(&w)));
                assert!(
                    !got.is_empty() && got.iter().all(|r| r["Contact"]["ContactID"] == contact),
                    "{k}: {w}"
                );
            }
            let r = get(
                &m,
                &at_,
                &format!("{k}?where={}", enc("NoSuchField==1")),
                true,
                &[],
            );
            assert_eq!(
                (r.status, r.json()["Type"].as_str()),
                (400, Some("QueryParseException")),
                "{k}"
            );
        }
        if c["order"] == true {
            let got = fetch_with(
                &m,
                &at_,
                &c,
                &format!("order={}", enc(&format!("{field} DESC"))),
            );
            let keys: Vec<String> = got
                .iter()
                .map(|r| text(&r[&field]).to_lowercase())
                .collect();
            assert_eq!(got.len(), all.len(), "{k}");
            assert!(
                keys.windows(2).all(|w| w[0] >= w[1]),
                "{k}: order {field} DESC: {keys:?}"
            );
        }
    }
}
