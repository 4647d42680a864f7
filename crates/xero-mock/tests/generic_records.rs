//! The generic collections' records, for every registry entry: JSON and XML agree,
//! single-record GETs and 404s, references into the hand-built model, determinism, and
//! the same checks (auth, tenant, faults) and labels as the hand-built routes.

mod common;

use std::collections::HashSet;

use common::generic::{collections, everything, fetch_all, get, key, records, text};
use common::xml::{self, Element};
use common::{date_ms, iso, Mock};
use serde_json::{json, Value};
use xero_mock::Config;

/// Asserts that an XML element says what a JSON value says (dates in their XML form;
/// the JSON-only `…String` companions have no element).
fn agree(j: &Value, x: &Element, path: &str) {
    match j {
        Value::Object(map) => {
            let mut matched = 0;
            for (k, v) in map {
                match x.child(k) {
                    Some(child) => {
                        agree(v, child, &format!("{path}.{k}"));
                        matched += 1;
                    }
                    None => assert!(k.ends_with("String"), "{path}.{k} missing from XML"),
                }
            }
            assert_eq!(x.children.len(), matched, "{path}: XML has extra elements");
        }
        Value::Array(items) => {
            assert_eq!(items.len(), x.children.len(), "{path}: list lengths");
            for (i, (v, child)) in items.iter().zip(&x.children).enumerate() {
                agree(v, child, &format!("{path}[{i}]"));
            }
        }
        Value::String(s) if s.starts_with("/Date(") => {
            assert_eq!(x.text, iso(date_ms(j)), "{path}")
        }
        Value::Number(n) => {
            assert_eq!(x.text.parse::<f64>().ok(), n.as_f64(), "{path}");
        }
        other => assert_eq!(x.text, text(other), "{path}"),
    }
}

#[test]
fn json_and_xml_carry_the_same_records() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    for c in collections(&m) {
        let k = key(&c);
        let query = everything(&c).join("&");
        let path = format!("{k}?{query}");
        let j = records(&get(&m, &at, &path, true, &[]), &c);
        let r = get(&m, &at, &path, false, &[]);
        assert_eq!(r.status, 200, "{k}");
        assert!(
            r.header("content-type").unwrap().starts_with("text/xml"),
            "{k}"
        );
        let doc = xml::parse(&r.body);
        assert_eq!(doc.name, "Response");
        let list = doc
            .child(k)
            .unwrap_or_else(|| panic!("{k}: no <{k}> in XML"));
        let schema = c["schema"].as_str().unwrap();
        assert!(
            list.children.iter().all(|e| e.name == schema),
            "{k}: elements are <{schema}>"
        );
        agree(&Value::Array(j), list, k);
    }
}

#[test]
fn single_record_gets_find_each_key_and_404_otherwise() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    for c in collections(&m) {
        let k = key(&c);
        let all = fetch_all(&m, &at, &c, &everything(&c), &[]);
        let by: Vec<&str> = c["by"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b.as_str().unwrap())
            .collect();
        for field in &by {
            let rec = &all[all.len() / 2];
            let got = records(
                &get(&m, &at, &format!("{k}/{}", text(&rec[*field])), true, &[]),
                &c,
            );
            assert_eq!(got.len(), 1, "{k}/{{{field}}}");
            assert_eq!(
                got[0], *rec,
                "{k}/{{{field}}}: the same record as in the list"
            );
        }
        for missing in [
            "00000000-0000-4000-8000-000000000000",
            "999999",
            "NOSUCHKEY",
        ] {
            let r = get(&m, &at, &format!("{k}/{missing}"), true, &[]);
            assert_eq!(r.status, 404, "{k}/{missing}");
        }
        let stats = m.stats();
        assert!(stats[k].as_u64().unwrap() >= 1, "{k}: stats label");
        if !by.is_empty() {
            assert!(
                stats[format!("{k}/{{id}}")].as_u64().unwrap() >= 4,
                "{k}/{{id}}: stats label"
            );
        } else {
            assert!(
                stats.get(format!("{k}/{{id}}")).is_none(),
                "{k}: no single-record route"
            );
        }
    }
}

/// Every reference to a contact, account or invoice names a real one of the tenant.
#[test]
fn references_point_into_the_hand_built_model() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    let set = |path: &str, list: &str, field: &str| -> HashSet<String> {
        let v = m.api(&at, 0, path).json();
        v[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| text(&r[field]))
            .collect()
    };
    let contacts = set("Contacts?includeArchived=true", "Contacts", "ContactID");
    let accounts = set("Accounts", "Accounts", "AccountID");
    let codes = set("Accounts", "Accounts", "Code");
    let invoices = set("Invoices", "Invoices", "InvoiceID");
    let mut hits = std::collections::HashMap::<&str, usize>::new();
    fn walk(v: &Value, check: &mut dyn FnMut(&str, &Value)) {
        match v {
            Value::Object(map) => map.iter().for_each(|(k, x)| {
                check(k, x);
                walk(x, check);
            }),
            Value::Array(items) => items.iter().for_each(|x| walk(x, check)),
            _ => {}
        }
    }
    for c in collections(&m) {
        let k = key(&c);
        for rec in fetch_all(&m, &at, &c, &everything(&c), &[]) {
            walk(&rec, &mut |field, v| {
                let (known, kind) = match field {
                    "ContactID" => (&contacts, "contact"),
                    "AccountID" => (&accounts, "account"),
                    "AccountCode" | "InventoryAssetAccountCode" | "COGSAccountCode" => {
                        (&codes, "account code")
                    }
                    "InvoiceID" | "SourceTransactionID" | "TargetTransactionID" => {
                        (&invoices, "invoice")
                    }
                    _ => return,
                };
                assert!(
                    known.contains(&text(v)),
                    "{k}: {field} {v} is no {kind} of the tenant"
                );
                *hits.entry(kind).or_default() += 1;
            });
        }
    }
    for kind in ["contact", "account", "account code", "invoice"] {
        assert!(
            hits.get(kind).copied().unwrap_or(0) > 20,
            "few {kind} references: {hits:?}"
        );
    }
}

#[test]
fn records_are_deterministic_from_the_seed_and_differ_by_tenant() {
    let first = |m: &Mock, tenant: usize| -> Vec<Value> {
        let (at, _) = m.tokens();
        collections(m)
            .iter()
            .map(|c| m.api(&at, tenant, key(c)).json()[key(c)].clone())
            .collect()
    };
    let a = Mock::small();
    let b = Mock::small();
    let c = Mock::start(Config {
        seed: 7,
        invoices: 120,
        contacts: 40,
        ..Config::default()
    });
    let a0 = first(&a, 0);
    assert_eq!(a0, first(&b, 0), "same seed, same records");
    let other_seed = first(&c, 0);
    let other_tenant = first(&a, 1);
    let names: Vec<String> = collections(&a).iter().map(|c| key(c).to_string()).collect();
    for (i, k) in names.iter().enumerate() {
        assert_ne!(a0[i], other_seed[i], "{k}: another seed, other records");
        assert_ne!(a0[i], other_tenant[i], "{k}: another tenant, other records");
    }
}

#[test]
fn generic_routes_check_auth_tenant_and_faults_like_the_others() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    for c in collections(&m) {
        let k = key(&c);
        let path = format!("/api.xro/2.0/{k}");
        let r = m.get(&path, &[("xero-tenant-id", &m.tenant(0))]);
        assert_eq!(r.status, 401, "{k}: no token");
        let bearer = format!("Bearer {at}");
        let r = m.get(
            &path,
            &[
                ("authorization", &bearer),
                ("xero-tenant-id", "00000000-0000-4000-8000-000000000000"),
            ],
        );
        assert_eq!(r.status, 403, "{k}: unknown tenant");
        m.admin(
            "POST",
            "faults",
            json!({"label": k, "count": 1, "status": 503, "body": "busy"}),
        );
        let r = get(&m, &at, &k.to_lowercase(), true, &[]);
        assert_eq!(
            (r.status, r.body.as_str()),
            (503, "busy"),
            "{k}: injected fault, name ignoring case"
        );
        assert_eq!(get(&m, &at, k, true, &[]).status, 200, "{k}: fault used up");
        assert!(
            r.header("x-minlimit-remaining").is_some(),
            "{k}: rate-limit headers"
        );
    }
    let log = m.admin("GET", "requests", Value::Null);
    assert!(log
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["label"] == "CreditNotes" && e["status"] == 503));
}
