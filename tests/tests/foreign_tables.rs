//! Foreign tables: IMPORT FOREIGN SCHEMA, pushdown (call counts, the requests Xero gets),
//! EXPLAIN, parameterized joins, and a differential test against a local copy of the same data.

use serde_json::Value;
use xero_dbtests::*;

fn org(invoices: usize) -> (MockHandle, TestDb, postgres::Client) {
    let m = mock(Config { invoices, contacts: 20, ..Config::default() });
    let db = TestDb::new("ft");
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    c.batch_execute("CREATE SCHEMA acme; IMPORT FOREIGN SCHEMA accounting FROM SERVER acme INTO acme;").unwrap();
    (m, db, c)
}

fn explain_json(c: &mut postgres::Client, sql: &str) -> Value {
    let text = c
        .simple_query(&format!("EXPLAIN (ANALYZE, FORMAT JSON) {sql}"))
        .unwrap()
        .into_iter()
        .find_map(|m| match m {
            postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
            _ => None,
        })
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn explain_text(c: &mut postgres::Client, sql: &str) -> String {
    c.query(&format!("EXPLAIN {sql}"), &[]).unwrap().iter().map(|r| r.get::<_, String>(0)).collect::<Vec<_>>().join("\n")
}

/// The first Foreign Scan node of a JSON plan.
fn foreign_scan(plan: &Value) -> Option<Value> {
    if plan["Node Type"] == "Foreign Scan" {
        return Some(plan.clone());
    }
    plan["Plans"].as_array()?.iter().find_map(foreign_scan)
}

#[test]
fn import_creates_typed_commented_tables_and_scans_return_the_functions_rows() {
    let (_m, _db, mut c) = org(150);
    let n: i64 = c.query_one("SELECT count(*) FROM information_schema.foreign_tables WHERE foreign_table_schema = 'acme'", &[]).unwrap().get(0);
    assert!(n > 40, "a table per collection and child collection, got {n}");
    let uncommented: i64 = c
        .query_one(
            "SELECT count(*) FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid JOIN pg_namespace s ON s.oid = r.relnamespace \
             WHERE s.nspname = 'acme' AND a.attnum > 0 AND col_description(r.oid, a.attnum) IS NULL",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(uncommented, 0, "every column has a comment");
    let row = c.query_one("SELECT obj_description('acme.invoices'::regclass, 'pg_class') IS NOT NULL, pg_typeof(total)::text FROM acme.invoices LIMIT 1", &[]).unwrap();
    assert!(row.get::<_, bool>(0));
    assert_eq!(row.get::<_, String>(1), "numeric");
    let same: bool = c
        .query_one(
            "SELECT (SELECT array_agg(invoice_id ORDER BY invoice_id) FROM acme.invoices) = (SELECT array_agg(invoice_id ORDER BY invoice_id) FROM xero_invoices('acme')) \
                AND (SELECT count(*) FROM acme.invoice_line_items) = (SELECT count(*) FROM xero_invoice_line_items('acme'))",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(same);
    // LIMIT TO / EXCEPT, and an unknown remote schema.
    c.batch_execute("CREATE SCHEMA a2; IMPORT FOREIGN SCHEMA accounting LIMIT TO (invoices, contacts) FROM SERVER acme INTO a2;").unwrap();
    c.batch_execute("CREATE SCHEMA a3; IMPORT FOREIGN SCHEMA accounting EXCEPT (invoices) FROM SERVER acme INTO a3;").unwrap();
    let names = |c: &mut postgres::Client, s: &str| -> Vec<String> {
        c.query("SELECT foreign_table_name::text FROM information_schema.foreign_tables WHERE foreign_table_schema = $1 ORDER BY 1", &[&s]).unwrap().iter().map(|r| r.get(0)).collect()
    };
    assert_eq!(names(&mut c, "a2"), ["contacts", "invoices"]);
    let a3 = names(&mut c, "a3");
    assert!(!a3.contains(&"invoices".to_string()) && a3.contains(&"invoice_line_items".to_string()));
    let e = expect_error(c.batch_execute("IMPORT FOREIGN SCHEMA payroll FROM SERVER acme INTO a2"));
    assert!(e.message.contains("no remote schema \"payroll\"") && e.all_text().contains("accounting"), "{}", e.all_text());
    // Option columns: include_archived reaches Xero and rows show it.
    let m2: Vec<bool> = c.query("SELECT DISTINCT include_archived FROM acme.invoices WHERE include_archived", &[]).unwrap().iter().map(|r| r.get(0)).collect();
    assert_eq!(m2, [true]);
}

#[test]
fn pushed_conditions_make_few_small_calls() {
    let (m, _db, mut c) = org(300);
    let ids: Vec<String> = c.query("SELECT invoice_id::text FROM xero_invoices('acme') ORDER BY 1 LIMIT 120", &[]).unwrap().iter().map(|r| r.get(0)).collect();
    reset(&m);
    let n: i64 = c.query_one(&format!("SELECT count(*) FROM acme.invoices WHERE invoice_id = '{}'", ids[0]), &[]).unwrap().get(0);
    assert_eq!(n, 1);
    let r = requests(&m, "Invoices");
    assert_eq!(r.len(), 1, "a key lookup is one call");
    assert_eq!(query_param(&r[0], "IDs").as_deref(), Some(ids[0].as_str()));

    reset(&m);
    let list = ids.iter().map(|i| format!("'{i}'")).collect::<Vec<_>>().join(",");
    let n: i64 = c.query_one(&format!("SELECT count(*) FROM acme.invoices WHERE invoice_id IN ({list})"), &[]).unwrap().get(0);
    assert_eq!(n, 120);
    assert_eq!(requests(&m, "Invoices").len(), 3, "IN of 120 ids is 3 calls");

    reset(&m);
    let rows = c.query("SELECT invoice_id FROM acme.invoices WHERE total > 100 LIMIT 5", &[]).unwrap();
    assert_eq!(rows.len(), 5);
    let r = requests(&m, "Invoices");
    assert_eq!(r.len(), 1, "LIMIT 5 with pushed filters is one small page");
    assert_eq!(query_param(&r[0], "pageSize").as_deref(), Some("5"));
    assert_eq!(query_param(&r[0], "where").as_deref(), Some("Total>100"));

    // A prepared statement with = ANY($1) goes as IDs.
    reset(&m);
    let some: Vec<String> = ids[..7].to_vec();
    let n: i64 = c.query_one("SELECT count(*) FROM acme.invoices WHERE invoice_id = ANY($1::text[]::uuid[])", &[&some]).unwrap().get(0);
    assert_eq!(n, 7);
    let r = requests(&m, "Invoices");
    assert_eq!(r.len(), 1);
    assert_eq!(query_param(&r[0], "IDs").map(|s| s.split(',').count()), Some(7));
    // Statuses and ContactIDs.
    let contact: String = c.query_one("SELECT contact_id::text FROM xero_invoices('acme') LIMIT 1", &[]).unwrap().get(0);
    reset(&m);
    let n: i64 = c.query_one(&format!("SELECT count(*) FROM acme.invoices WHERE status = 'PAID' AND contact_id = '{contact}'"), &[]).unwrap().get(0);
    let r = requests(&m, "Invoices");
    assert_eq!(query_param(&r[0], "Statuses").as_deref(), Some("PAID"));
    assert_eq!(query_param(&r[0], "ContactIDs").as_deref(), Some(contact.as_str()));
    let expected: i64 = c.query_one(&format!("SELECT count(*) FROM xero_invoices('acme') WHERE status = 'PAID' AND contact_id = '{contact}'"), &[]).unwrap().get(0);
    assert_eq!(n, expected);
}

#[test]
fn explain_shows_the_request_and_what_stays_local() {
    let (_m, _db, mut c) = org(100);
    let sql = "SELECT invoice_number FROM acme.invoices WHERE status = 'AUTHORISED' AND total >= 10 AND reference ~ 'x'";
    let text = explain_text(&mut c, sql);
    println!("{text}");
    assert!(text.contains("Xero Request: GET Invoices?Statuses=AUTHORISED&where=Total>=10&unitdp=4&pageSize=1000"), "{text}");
    assert!(text.contains("Xero Local Filter: (reference ~ 'x'::text)"), "{text}");
    let plan = explain_json(&mut c, sql);
    let scan = foreign_scan(&plan[0]["Plan"]).unwrap();
    assert_eq!(scan["Xero Request"], "GET Invoices?Statuses=AUTHORISED&where=Total>=10&unitdp=4&pageSize=1000");
    assert_eq!(scan["Xero Calls"], 1);
    assert!(scan["Xero Records"].as_i64().unwrap() > 0);
    assert_eq!(scan["Xero Retries"], 0);
}

#[test]
fn joins_with_local_rows_look_up_by_key() {
    let (m, _db, mut c) = org(400);
    c.batch_execute("CREATE TABLE wanted AS SELECT invoice_id AS id FROM xero_invoices('acme') ORDER BY invoice_number LIMIT 10; ANALYZE wanted;").unwrap();
    reset(&m);
    let sql = "SELECT w.id, i.total FROM wanted w JOIN acme.invoices i ON i.invoice_id = w.id";
    let n = c.query(sql, &[]).unwrap().len();
    assert_eq!(n, 10);
    let r = requests(&m, "Invoices");
    assert!(r.len() <= 10, "{} calls", r.len());
    assert!(r.iter().all(|q| query_param(q, "IDs").is_some()), "never a full scan");
    // Rescans return each outer row's own invoice.
    let bad: i64 = c
        .query_one("SELECT count(*) FROM wanted w JOIN acme.invoices i ON i.invoice_id = w.id JOIN xero_invoices('acme') x ON x.invoice_id = w.id WHERE x.total <> i.total", &[])
        .unwrap()
        .get(0);
    assert_eq!(bad, 0);
    // Invoice numbers go as InvoiceNumbers, and each outer row gets its own invoice.
    c.batch_execute("CREATE TABLE wanted_numbers AS SELECT invoice_number AS num FROM xero_invoices('acme') ORDER BY invoice_id LIMIT 10; ANALYZE wanted_numbers;").unwrap();
    reset(&m);
    let sql = "SELECT w.num, i.invoice_number FROM wanted_numbers w JOIN acme.invoices i ON i.invoice_number = w.num";
    let rows = c.query(sql, &[]).unwrap();
    assert_eq!(rows.len(), 10);
    assert!(rows.iter().all(|r| r.get::<_, String>(0) == r.get::<_, String>(1)));
    let r = requests(&m, "Invoices");
    assert!(!r.is_empty() && r.len() <= 10, "{} calls", r.len());
    assert!(r.iter().all(|q| query_param(q, "InvoiceNumbers").is_some()), "never a full scan: {r:?}");
}

#[test]
fn order_by_limit_is_sorted_and_cut_at_xero() {
    let (m, _db, mut c) = org(300);
    let sql = "SELECT invoice_number, total FROM acme.invoices ORDER BY total DESC LIMIT 5";
    let text = explain_text(&mut c, sql);
    println!("{text}");
    assert!(text.contains("Xero Request: GET Invoices?order=Total DESC&unitdp=4&pageSize=5 (at most 1 page)"), "{text}");
    assert!(!text.contains("Sort"), "PostgreSQL does not sort again: {text}");
    reset(&m);
    let got: Vec<String> = c.query(&format!("SELECT total::text FROM ({sql}) s"), &[]).unwrap().iter().map(|r| r.get(0)).collect();
    let r = requests(&m, "Invoices");
    let want: Vec<String> = c.query("SELECT total::text FROM (SELECT total FROM xero_invoices('acme') ORDER BY total DESC LIMIT 5) s", &[]).unwrap().iter().map(|r| r.get(0)).collect();
    assert_eq!(got, want);
    assert_eq!(r.len(), 1, "one page of 5");
    assert_eq!(query_param(&r[0], "order").as_deref(), Some("Total DESC"));
    assert_eq!(query_param(&r[0], "pageSize").as_deref(), Some("5"));
    // Text (collations differ), a nullable column without a condition excluding NULLs, and
    // Journals (offset-paged by JournalNumber) are sorted by PostgreSQL.
    for (sql, endpoint) in [
        ("SELECT * FROM acme.invoices ORDER BY invoice_number LIMIT 3", "Invoices"),
        ("SELECT * FROM acme.invoices ORDER BY due_date LIMIT 3", "Invoices"),
        ("SELECT * FROM acme.journals ORDER BY journal_date DESC LIMIT 3", "Journals"),
    ] {
        reset(&m);
        assert_eq!(c.query(sql, &[]).unwrap().len(), 3, "{sql}");
        assert!(requests(&m, endpoint).iter().all(|r| query_param(r, "order").is_none() && query_param(r, "pageSize").is_none_or(|s| s != "3")), "{sql}");
    }
    // A condition excluding NULLs lets a nullable date go; a local-only condition keeps the order
    // but not the LIMIT.
    reset(&m);
    let n = c.query("SELECT * FROM acme.invoices WHERE due_date IS NOT NULL AND reference ~ '.' ORDER BY due_date DESC LIMIT 3", &[]).unwrap().len();
    assert!(n <= 3);
    let r = requests(&m, "Invoices");
    assert_eq!(query_param(&r[0], "order").as_deref(), Some("DueDate DESC"));
    assert_ne!(query_param(&r[0], "pageSize").as_deref(), Some("3"));
}

#[test]
fn row_estimates_come_from_what_this_session_counted() {
    let (_m, _db, mut c) = org(2500);
    c.batch_execute(
        "CREATE TABLE few AS SELECT invoice_id AS id FROM xero_invoices('acme') LIMIT 10; ANALYZE few; \
         CREATE TABLE few_contacts AS SELECT contact_id AS id FROM xero_contacts('acme') LIMIT 10; ANALYZE few_contacts;",
    )
    .unwrap();
    let plan = explain_text;
    let invoices_join = "SELECT * FROM few f JOIN acme.invoices i ON i.invoice_id = f.id";
    let contacts_join = "SELECT * FROM few_contacts f JOIN acme.contacts k ON k.contact_id = f.id";
    assert!(plan(&mut c, "SELECT * FROM acme.invoices").contains("rows=5000 "), "the default before any scan");
    // A LIMIT 1 listing with nothing else pushed learns Xero's itemCount: 2,500 invoices, so
    // ten lookups by key beat reading them all.
    assert_eq!(c.query("SELECT * FROM acme.invoices LIMIT 1", &[]).unwrap().len(), 1);
    assert!(plan(&mut c, "SELECT * FROM acme.invoices").contains("rows=2500 "), "{}", plan(&mut c, "SELECT * FROM acme.invoices"));
    let p = plan(&mut c, invoices_join);
    assert!(p.contains("Nested Loop") && p.contains("IDs=$1"), "parameterized: {p}");
    // Twenty contacts (some archived): before a scan the default makes lookups by key look cheaper; once a full
    // scan counted them, one listing and a hash join win.
    let p = plan(&mut c, contacts_join);
    assert!(p.contains("IDs=$1"), "parameterized on the default estimate: {p}");
    let n = c.query("SELECT * FROM acme.contacts", &[]).unwrap().len();
    assert!(n > 10);
    let p = plan(&mut c, contacts_join);
    assert!(p.contains(&format!("rows={n} ")) && !p.contains("IDs=$1"), "one listing: {p}");
    // The table's rows option comes first.
    c.batch_execute("ALTER FOREIGN TABLE acme.contacts OPTIONS (ADD rows '7000')").unwrap();
    assert!(plan(&mut c, "SELECT * FROM acme.contacts").contains("rows=7000 "));
}

#[test]
fn errors_and_privileges_are_the_functions() {
    let (_m, db, mut c) = org(20);
    let role = db.role("reader");
    let mut r = db.connect(&role);
    let e = expect_error(r.query("SELECT * FROM acme.invoices", &[]));
    assert_eq!(e.code, SqlState::INSUFFICIENT_PRIVILEGE, "{}", e.all_text());
    c.batch_execute(&format!("GRANT USAGE ON SCHEMA acme TO {role}; GRANT SELECT ON acme.invoices TO {role};")).unwrap();
    let e = expect_error(r.query("SELECT * FROM acme.invoices", &[]));
    assert_eq!(e.code, SqlState::INSUFFICIENT_PRIVILEGE, "USAGE on the server is needed too: {}", e.all_text());
    c.batch_execute(&format!("GRANT USAGE ON FOREIGN SERVER acme TO {role};")).unwrap();
    assert_eq!(r.query("SELECT * FROM acme.invoices", &[]).unwrap().len(), 20);
    let e = expect_error(c.batch_execute("CREATE FOREIGN TABLE acme.bogus (x int) SERVER acme OPTIONS (entity 'nothing')"));
    assert!(e.message.contains("not a Xero collection"), "{}", e.all_text());
}

/// xorshift64*: reproducible queries without a dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// One random condition over the invoice columns, with values taken from the data.
fn condition(rng: &mut Rng, samples: &[Vec<Option<String>>], cols: &[(&str, &str)], depth: u32) -> String {
    if depth < 2 && rng.below(5) == 0 {
        let a = condition(rng, samples, cols, depth + 1);
        let b = condition(rng, samples, cols, depth + 1);
        return format!("({a} {} {b})", if rng.below(2) == 0 { "AND" } else { "OR" });
    }
    let k = rng.below(cols.len());
    let (name, ty) = cols[k];
    let value = samples[rng.below(samples.len())][k].clone();
    let lit = |v: &Option<String>| match v {
        Some(v) => format!("'{}'::{ty}", v.replace('\'', "''")),
        None => "NULL".into(),
    };
    match rng.below(10) {
        0 => format!("{name} IS {}NULL", if rng.below(2) == 0 { "" } else { "NOT " }),
        1 if ty == "text" => {
            let v = value.unwrap_or_default();
            let cut: String = v.chars().take(3).collect();
            format!("{name} LIKE '{}{}%'", if rng.below(2) == 0 { "%" } else { "" }, cut.replace('\'', "''").replace('%', "").replace('_', ""))
        }
        2 => {
            let vs: Vec<String> = (0..1 + rng.below(4)).map(|_| lit(&samples[rng.below(samples.len())][k])).collect();
            format!("{name} IN ({})", vs.join(", "))
        }
        _ => format!("{name} {} {}", rng.pick(&["=", "=", "<>", "<", "<=", ">", ">="]), lit(&value)),
    }
}

#[test]
fn differential_queries_return_what_a_local_copy_returns() {
    let (m, _db, mut c) = org(250);
    c.batch_execute("CREATE TABLE local_invoices AS SELECT * FROM acme.invoices; CREATE TABLE picks AS SELECT invoice_id AS pick_id, contact_id AS pick_contact FROM local_invoices ORDER BY invoice_number LIMIT 6; ANALYZE picks;").unwrap();
    let cols: &[(&str, &str)] = &[
        ("invoice_id", "uuid"),
        ("contact_id", "uuid"),
        ("status", "text"),
        ("type", "text"),
        ("invoice_number", "text"),
        ("reference", "text"),
        ("total", "numeric"),
        ("amount_due", "numeric"),
        ("date", "date"),
        ("due_date", "date"),
        ("updated_date_utc", "timestamptz"),
        ("has_attachments", "boolean"),
    ];
    let select = cols.iter().map(|(n, _)| format!("{n}::text")).collect::<Vec<_>>().join(", ");
    let samples: Vec<Vec<Option<String>>> =
        c.query(&format!("SELECT {select} FROM local_invoices"), &[]).unwrap().iter().map(|r| (0..cols.len()).map(|i| r.get(i)).collect()).collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut orng = Rng(0x2545_F491_4F6C_DD1D);
    let mut pushed_some = 0;
    let mut ordered_pushed = 0;
    for q in 0..300 {
        if q % 2 == 0 {
            ordered_pushed += ordered_query(&m, &mut c, &mut orng, &samples, cols, q);
        }
        let n = 1 + rng.below(3);
        let pred = (0..n).map(|_| condition(&mut rng, &samples, cols, 0)).collect::<Vec<_>>().join(" AND ");
        let shape = rng.below(5);
        let (remote, local) = match shape {
            0 => (
                format!("SELECT i.invoice_id::text FROM picks p JOIN acme.invoices i ON i.contact_id = p.pick_contact WHERE {pred} ORDER BY 1"),
                format!("SELECT i.invoice_id::text FROM picks p JOIN local_invoices i ON i.contact_id = p.pick_contact WHERE {pred} ORDER BY 1"),
            ),
            1 => {
                let lim = 1 + rng.below(20);
                (
                    format!("SELECT invoice_id::text FROM acme.invoices WHERE {pred} ORDER BY total, invoice_id LIMIT {lim}"),
                    format!("SELECT invoice_id::text FROM local_invoices WHERE {pred} ORDER BY total, invoice_id LIMIT {lim}"),
                )
            }
            2 => {
                // LIMIT without ORDER BY: any rows that match, as many as the local copy has.
                let lim = 1 + rng.below(20);
                (
                    format!("SELECT count(*)::text FROM (SELECT * FROM acme.invoices WHERE {pred} LIMIT {lim}) s WHERE invoice_id IN (SELECT invoice_id FROM local_invoices WHERE {pred})"),
                    format!("SELECT count(*)::text FROM (SELECT * FROM local_invoices WHERE {pred} LIMIT {lim}) s"),
                )
            }
            _ => (
                format!("SELECT invoice_id::text FROM acme.invoices WHERE {pred} ORDER BY 1"),
                format!("SELECT invoice_id::text FROM local_invoices WHERE {pred} ORDER BY 1"),
            ),
        };
        let got: Vec<String> = c.query(&remote, &[]).unwrap_or_else(|e| panic!("query {q}: {remote}: {e}")).iter().map(|r| r.get(0)).collect();
        let want: Vec<String> = c.query(&local, &[]).unwrap().iter().map(|r| r.get(0)).collect();
        assert_eq!(got, want, "query {q}: {remote}");
        // The request EXPLAIN shows is the one the bundled server received.
        if shape == 3 {
            reset(&m);
            let plan = explain_json(&mut c, &remote);
            let scan = foreign_scan(&plan[0]["Plan"]).unwrap();
            let shown = scan["Xero Request"].as_str().unwrap().to_string();
            let log = requests(&m, "Invoices");
            if shown.starts_with("none") {
                assert!(log.is_empty(), "{shown}");
                continue;
            }
            let first = &log[0];
            let query = shown.split(' ').nth(1).unwrap().split_once('?').map(|(_, q)| q.to_string()).unwrap_or_default();
            for pair in query.split('&').filter(|p| !p.is_empty()) {
                let (k, v) = pair.split_once('=').unwrap();
                if k == "where" {
                    // The where text may hold '&'; compare its start.
                    let sent = query_param(first, "where").unwrap_or_default();
                    assert!(sent.starts_with(v), "query {q}: {shown} vs {sent}");
                    pushed_some += 1;
                    break;
                }
                if k == "IDs" && shown.contains(" ids in ") {
                    continue;
                }
                assert_eq!(query_param(first, k).as_deref(), Some(v), "query {q}: {k} of {shown}");
            }
        }
        // Prepared parameters now and then.
        if q % 10 == 0 {
            let (name, ty) = cols[rng.below(cols.len())];
            let v = samples[rng.below(samples.len())][cols.iter().position(|c| c.0 == name).unwrap()].clone();
            let sql = |t: &str| format!("SELECT invoice_id::text FROM {t} WHERE {name} >= $1::text::{ty} ORDER BY 1");
            let got: Vec<String> = c.query(&sql("acme.invoices"), &[&v]).unwrap().iter().map(|r| r.get(0)).collect();
            let want: Vec<String> = c.query(&sql("local_invoices"), &[&v]).unwrap().iter().map(|r| r.get(0)).collect();
            assert_eq!(got, want, "prepared {name} >= {v:?}");
        }
    }
    assert!(pushed_some > 10, "where expressions were pushed ({pushed_some})");
    assert!(ordered_pushed > 30, "orders were pushed ({ordered_pushed})");
}

/// A random `ORDER BY key LIMIT n` against the foreign table and the local copy: the same key
/// values in the same order, and distinct rows that match and carry those values (rows tied on
/// the key may differ, as either is a valid answer). Returns 1 when an `order` reached Xero.
fn ordered_query(m: &MockHandle, c: &mut postgres::Client, rng: &mut Rng, samples: &[Vec<Option<String>>], cols: &[(&str, &str)], q: usize) -> usize {
    let n = 1 + rng.below(2);
    let pred = (0..n).map(|_| condition(rng, samples, cols, 0)).collect::<Vec<_>>().join(" AND ");
    let (key, term) = *rng.pick(&[("total", "Total"), ("amount_due", "AmountDue"), ("date", "Date"), ("updated_date_utc", "UpdatedDateUTC"), ("due_date", "DueDate")]);
    let (dir, desc) = *rng.pick(&[("", false), ("DESC", true), ("ASC NULLS FIRST", false), ("DESC NULLS LAST", true)]);
    let lim = 1 + rng.below(30);
    let sql = |t: &str| format!("SELECT invoice_id::text, {key}::text FROM {t} i WHERE {pred} ORDER BY i.{key} {dir} LIMIT {lim}");
    reset(m);
    let got: Vec<(String, Option<String>)> = c.query(&sql("acme.invoices"), &[]).unwrap_or_else(|e| panic!("ordered {q}: {}: {e}", sql("acme.invoices"))).iter().map(|r| (r.get(0), r.get(1))).collect();
    let log = requests(m, "Invoices");
    let want: Vec<Option<String>> = c.query(&sql("local_invoices"), &[]).unwrap().iter().map(|r| r.get(1)).collect();
    let keys: Vec<Option<String>> = got.iter().map(|g| g.1.clone()).collect();
    assert_eq!(keys, want, "ordered {q}: {}", sql("acme.invoices"));
    let ids: Vec<String> = got.iter().map(|g| g.0.clone()).collect();
    let vals: Vec<Option<String>> = keys;
    let matching: i64 = c
        .query_one(
            &format!("SELECT count(DISTINCT invoice_id) FROM local_invoices i JOIN unnest($1::text[], $2::text[]) g(id, v) ON i.invoice_id = g.id::uuid AND {key}::text IS NOT DISTINCT FROM g.v WHERE {pred}"),
            &[&ids, &vals],
        )
        .unwrap()
        .get(0);
    assert_eq!(matching as usize, ids.len(), "ordered {q}: distinct matching rows with those values: {}", sql("acme.invoices"));
    match log.first().and_then(|r| query_param(r, "order")) {
        Some(order) => {
            assert_eq!(order, if desc { format!("{term} DESC") } else { term.to_string() }, "ordered {q}");
            1
        }
        None => 0,
    }
}
