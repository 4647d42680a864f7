//! Pages side by side over SQL: the parallel read (`xero_fdw.max_concurrent_calls = 5`) lands
//! exactly the rows, in exactly the order, of the sequential one (`= 1`), with the same calls,
//! and several sessions reading one tenant never have more than five calls in flight between
//! them by the bundled server's own count.

use std::sync::Arc;

use serde_json::json;
use xero_dbtests::*;

/// 5,500 invoices: six pages, the last one short.
fn org() -> (MockHandle, Arc<TestDb>, postgres::Client) {
    let m = mock(Config { invoices: 5_500, contacts: 50, ..Config::default() });
    let db = Arc::new(TestDb::new("inflight"));
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    reset(&m);
    (m, db, c)
}

/// A digest of every row in the order the function returned them, and the row count.
const DIGEST: &str = "SELECT md5(string_agg(i::text, '|' ORDER BY n)), count(*) FROM xero_invoices('acme', max_pages => $1) WITH ORDINALITY AS i(n)";

fn digest(c: &mut postgres::Client, slots: i32, max_pages: Option<i32>) -> (String, i64) {
    c.batch_execute(&format!("SET xero_fdw.max_concurrent_calls = {slots}")).unwrap();
    let row = c.query_one(DIGEST, &[&max_pages]).unwrap();
    (row.get(0), row.get(1))
}

#[test]
fn the_parallel_read_lands_what_the_sequential_read_lands() {
    let (m, _db, mut c) = org();
    for max_pages in [None, Some(1), Some(3)] {
        reset(&m);
        let (seq, n_seq) = digest(&mut c, 1, max_pages);
        let seq_calls = count(&m, "Invoices");
        let seq_pages: Vec<_> = requests(&m, "Invoices").iter().map(|r| query_param(r, "page")).collect();
        reset(&m);
        let (par, n_par) = digest(&mut c, 5, max_pages);
        let mut par_pages: Vec<_> = requests(&m, "Invoices").iter().map(|r| query_param(r, "page")).collect();
        par_pages.sort_by_key(|p| p.as_deref().and_then(|p| p.parse::<u32>().ok()));
        assert_eq!((&par, n_par), (&seq, n_seq), "max_pages {max_pages:?}: same rows in the same order");
        assert_eq!(count(&m, "Invoices"), seq_calls, "max_pages {max_pages:?}: the same number of calls");
        assert_eq!(par_pages, seq_pages, "max_pages {max_pages:?}: the same pages asked for");
    }
    reset(&m);
    assert_eq!(digest(&mut c, 5, None).1, 5_500);
    assert_eq!(count(&m, "Invoices"), 6, "⌈5500/1000⌉ calls");
}

#[test]
fn pages_are_fetched_side_by_side_within_the_slots() {
    let (m, db, mut c) = org();
    admin_post(&m, "faults", json!({"label": "Invoices", "latency_ms": 200}));
    let n: i64 = c.query_one("SELECT count(*) FROM xero_invoices('acme')", &[]).unwrap().get(0);
    assert_eq!(n, 5_500);
    assert_eq!(admin_get(&m, "stats")["max_in_flight"].as_u64(), Some(5), "one session used all five slots");

    // Three sessions at once, each wanting five: together never more than five.
    reset(&m);
    admin_post(&m, "faults", json!({"label": "Invoices", "latency_ms": 200}));
    for n in concurrently(&db, 3, "SELECT count(*) FROM xero_invoices('acme')") {
        assert_eq!(n.unwrap(), 5_500);
    }
    let stats = admin_get(&m, "stats");
    assert_eq!(stats["requests"]["Invoices"].as_u64(), Some(18));
    assert_eq!(stats["max_in_flight"].as_u64(), Some(5), "at most five calls in flight for one tenant, across sessions");
    let statuses: Vec<u64> = requests(&m, "Invoices").iter().map(|r| r["status"].as_u64().unwrap_or(0)).collect();
    assert!(!statuses.contains(&429), "Xero never had to refuse a call: {statuses:?}");
}
