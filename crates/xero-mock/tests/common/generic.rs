//! Walking the generic collections as `GET /__mock/collections` describes them, so the
//! tests cover every registry entry without naming any.

use serde_json::Value;

use super::{Mock, Resp};

pub fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The registry entries.
pub fn collections(m: &Mock) -> Vec<Value> {
    let v = m.admin("GET", "collections", Value::Null);
    let list = v["collections"].as_array().expect("collections").clone();
    assert!(!list.is_empty());
    list
}

pub fn key(c: &Value) -> &str {
    c["key"].as_str().unwrap()
}

pub fn params<'a>(c: &'a Value, kind: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
    c["params"]
        .as_array()
        .unwrap()
        .iter()
        .filter(move |p| p["kind"] == kind)
}

/// `includeArchived=true` and the like, so a list has every record.
pub fn everything(c: &Value) -> Vec<String> {
    params(c, "include")
        .map(|p| format!("{}=true", p["name"].as_str().unwrap()))
        .collect()
}

/// A GET on the Accounting API for tenant 0 with extra headers.
pub fn get(m: &Mock, token: &str, path: &str, json: bool, headers: &[(&str, &str)]) -> Resp {
    let bearer = format!("Bearer {token}");
    let t = m.tenant(0);
    let mut h = vec![
        ("authorization", bearer.as_str()),
        ("xero-tenant-id", t.as_str()),
    ];
    if json {
        h.push(("accept", "application/json"));
    }
    h.extend_from_slice(headers);
    m.get(&format!("/api.xro/2.0/{path}"), &h)
}

fn list_path(c: &Value, query: &[String]) -> String {
    if query.is_empty() {
        key(c).to_string()
    } else {
        format!("{}?{}", key(c), query.join("&"))
    }
}

pub fn records(r: &Resp, c: &Value) -> Vec<Value> {
    assert_eq!(r.status, 200, "{}: {}", key(c), r.body);
    r.json()[key(c)]
        .as_array()
        .unwrap_or_else(|| panic!("{}: no list", key(c)))
        .clone()
}

/// Every record the query selects, following the collection's paging style to the end.
pub fn fetch_all(
    m: &Mock,
    token: &str,
    c: &Value,
    query: &[String],
    headers: &[(&str, &str)],
) -> Vec<Value> {
    let paging = c["paging"].as_str().unwrap();
    let call = |extra: String| {
        let mut q = query.to_vec();
        q.push(extra);
        records(&get(m, token, &list_path(c, &q), true, headers), c)
    };
    let mut all = Vec::new();
    if let Some(field) = paging.strip_prefix("offset:") {
        let mut offset = 0;
        loop {
            let page = call(format!("offset={offset}"));
            let Some(last) = page.last() else { break };
            let next = last[field].as_i64().expect("offset field is a number");
            assert!(
                next > offset,
                "{}: offset={offset} returned up to {next}",
                key(c)
            );
            offset = next;
            all.extend(page);
        }
    } else if paging == "none" {
        all = records(&get(m, token, &list_path(c, query), true, headers), c);
    } else {
        let size = if paging == "page" {
            ""
        } else {
            "&pageSize=100"
        };
        for page in 1.. {
            let got = call(format!("page={page}{size}"));
            let n = got.len();
            all.extend(got);
            if n < 100 {
                break;
            }
        }
    }
    all
}

/// Every record, with one more query parameter.
pub fn fetch_with(m: &Mock, token: &str, c: &Value, extra: &str) -> Vec<Value> {
    let mut query = everything(c);
    query.push(extra.to_string());
    fetch_all(m, token, c, &query, &[])
}

/// The value at a `where`-style path (`Contact.ContactID`).
pub fn at<'a>(rec: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(rec, |v, k| &v[k])
}

/// A scalar as text (`"ab"` → `ab`, `3` → `3`).
pub fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub fn id_of(c: &Value, rec: &Value) -> String {
    text(&rec[c["id"].as_str().unwrap()])
}
