//! `POST /__mock/mutate`: changes appear as Xero shows them (If-Modified-Since finds exactly
//! them, archived and deleted records only with their include flag), new journals follow the
//! last JournalNumber, the ledger still balances and nothing journalled before changes.

mod common;

use std::collections::HashSet;

use common::ledger::{all_pages, cents, journals};
use common::{rfc1123, Mock};
use serde_json::{json, Value};

fn ids(v: &Value, key: &str) -> HashSet<String> {
    v[key].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

fn listed(m: &Mock, at: &str, path: &str, list: &str, id: &str, headers: &[(&str, &str)]) -> Vec<Value> {
    let bearer = format!("Bearer {at}");
    let t = m.tenant(0);
    let mut h = vec![("authorization", bearer.as_str()), ("xero-tenant-id", t.as_str()), ("accept", "application/json")];
    h.extend_from_slice(headers);
    let v = m.get(&format!("/api.xro/2.0/{path}"), &h).json();
    let _ = id;
    v[list].as_array().unwrap().clone()
}

#[test]
fn mutations_show_as_xero_shows_changes_and_journals_are_appended() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    let before = journals(&m, &at, 0, "");
    let invoices_before = all_pages(&m, &at, 0, "Invoices?", "Invoices").len();
    m.admin("POST", "clock", json!({"advance_seconds": 120}));
    let now = m.admin("GET", "clock", Value::Null)["now_ms"].as_i64().unwrap();
    let since = rfc1123(now - 1000);
    let changed = m.admin(
        "POST",
        "mutate",
        json!({"create_invoices": 2, "create_contacts": 1, "update_invoices": 1, "void_invoices": 1,
               "empty_invoices": 1, "archive_contacts": 1, "delete_bank_transfers": 1}),
    );

    // Invoices modified since just before: exactly the created, updated, voided and emptied ones.
    let got: HashSet<String> = listed(&m, &at, "Invoices?page=1", "Invoices", "InvoiceID", &[("if-modified-since", &since)])
        .iter()
        .map(|i| i["InvoiceID"].as_str().unwrap().to_string())
        .collect();
    let want: HashSet<String> = ["created_invoices", "updated_invoices", "voided_invoices", "emptied_invoices"]
        .iter()
        .flat_map(|k| ids(&changed, k))
        .collect();
    assert_eq!(got, want);
    assert_eq!(all_pages(&m, &at, 0, "Invoices?", "Invoices").len(), invoices_before + 2);
    let voided = ids(&changed, "voided_invoices").into_iter().next().unwrap();
    let inv = &listed(&m, &at, &format!("Invoices/{voided}"), "Invoices", "", &[])[0];
    assert_eq!((inv["Status"].as_str(), cents(&inv["AmountDue"])), (Some("VOIDED"), 0));
    let emptied = ids(&changed, "emptied_invoices").into_iter().next().unwrap();
    let inv = &listed(&m, &at, &format!("Invoices/{emptied}"), "Invoices", "", &[])[0];
    assert!(inv["LineItems"].as_array().is_none_or(Vec::is_empty), "{inv}");

    // An archived contact only with includeArchived; a deleted bank transfer only with includeDeleted.
    let archived = ids(&changed, "archived_contacts").into_iter().next().unwrap();
    let has = |list: &[Value], key: &str, id: &str| list.iter().any(|r| r[key].as_str() == Some(id));
    assert!(!has(&listed(&m, &at, "Contacts", "Contacts", "", &[]), "ContactID", &archived));
    let all = listed(&m, &at, "Contacts?includeArchived=true", "Contacts", "", &[]);
    let c = all.iter().find(|c| c["ContactID"].as_str() == Some(&archived)).expect("listed with includeArchived");
    assert_eq!(c["ContactStatus"], "ARCHIVED");
    for created in ids(&changed, "created_contacts") {
        assert!(has(&listed(&m, &at, "Contacts", "Contacts", "", &[("if-modified-since", &since)]), "ContactID", &created));
    }
    let deleted = ids(&changed, "deleted_bank_transfers").into_iter().next().unwrap();
    assert!(!has(&listed(&m, &at, "BankTransfers", "BankTransfers", "", &[]), "BankTransferID", &deleted));
    let with = listed(&m, &at, "BankTransfers?includeDeleted=true", "BankTransfers", "", &[]);
    let bt = with.iter().find(|b| b["BankTransferID"].as_str() == Some(&deleted)).expect("listed with includeDeleted");
    assert_eq!(bt["Status"], "DELETED");

    // Journals: the old ones unchanged, the new ones (2 created, 1 voided, 1 deleted transfer)
    // numbered after them, each balanced.
    let after = journals(&m, &at, 0, "");
    assert_eq!(&after[..before.len()], &before[..]);
    let new = &after[before.len()..];
    assert_eq!(new.len() as u64, changed["journals"].as_u64().unwrap());
    assert!(new.len() >= 4, "{}", new.len());
    for (k, j) in new.iter().enumerate() {
        assert_eq!(j["JournalNumber"].as_i64().unwrap(), (before.len() + k + 1) as i64);
        let sum: i64 = j["JournalLines"].as_array().unwrap().iter().map(|l| cents(&l["NetAmount"])).sum();
        assert_eq!(sum, 0, "journal {} balances", j["JournalNumber"]);
    }
    let sources: HashSet<&str> = new.iter().map(|j| j["SourceID"].as_str().unwrap()).collect();
    assert!(sources.contains(voided.as_str()) && sources.contains(deleted.as_str()));
    // Offset paging from the last old journal gives exactly the new ones.
    let tail = journals(&m, &at, 0, &format!("&offset={}", before.len()));
    assert!(tail.len() >= new.len());

    let bad = m.get("/__mock/mutate", &[]);
    assert_ne!(bad.status, 200);
}
