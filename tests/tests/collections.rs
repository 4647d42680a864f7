//! Every collection of the Accounting API through its set-returning function, table-driven over
//! the bundled server's registry (`GET /__mock/collections`), so a new collection is tested
//! without new test code: each function returns exactly the records the server lists (read here
//! independently, page by page, the way its paging style says), Journals come complete by offset
//! in ⌈N/100⌉ + 1 calls at most, and unit amounts are asked for with 4 decimals.

use std::collections::BTreeSet;

use serde_json::Value;
use xero_dbtests::*;

/// CamelCase to snake_case the way the registry's generator does it (`BankTransactionID` →
/// `bank_transaction_id`).
fn snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &ch) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let boundary = ch.is_ascii_uppercase()
            && prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit() || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase())));
        if boundary {
            out.push('_');
        }
        out.push(ch.to_ascii_lowercase());
    }
    out
}

/// The server's records of `key`, read without xero_fdw: every page, by the collection's own
/// paging style (with `unitdp=4`, as the functions ask).
fn server_records(m: &MockHandle, token: &str, key: &str, paging: &str) -> Vec<Value> {
    let tenant = &m.tenant_ids()[0];
    let get = |query: String| -> Value {
        let sep = if query.is_empty() { "?" } else { "&" };
        let url = format!("{}/api.xro/2.0/{key}{query}{sep}unitdp=4", m.base_url());
        ureq::get(&url)
            .set("authorization", &format!("Bearer {token}"))
            .set("xero-tenant-id", tenant)
            .set("accept", "application/json")
            .call()
            .unwrap_or_else(|e| panic!("GET {url}: {e}"))
            .into_json()
            .unwrap()
    };
    let records = |v: &Value| v[key].as_array().cloned().unwrap_or_default();
    let mut all = Vec::new();
    match paging {
        "none" => all = records(&get(String::new())),
        "page" | "page+pageSize" => {
            let size = if paging == "page" { 100 } else { 1000 };
            for page in 1.. {
                let query = if paging == "page" { format!("?page={page}") } else { format!("?page={page}&pageSize={size}") };
                let got = records(&get(query));
                let n = got.len();
                all.extend(got);
                if n < size {
                    break;
                }
            }
        }
        offset => {
            let field = offset.strip_prefix("offset:").unwrap();
            let mut from = 0;
            loop {
                let got = records(&get(format!("?offset={from}")));
                let n = got.len();
                if let Some(last) = got.last() {
                    from = last[field].as_i64().unwrap();
                }
                all.extend(got);
                if n < 100 {
                    break;
                }
            }
        }
    }
    all
}

fn text_of(v: &Value) -> String {
    v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()).to_lowercase()
}

/// Xero's `/Date(ms±hhmm)/`: the instant (milliseconds since the epoch) and the same in the
/// offset's local time (what its calendar date is read from).
fn ms_date(v: &Value) -> Option<(i64, i64)> {
    let inner = v.as_str()?.strip_prefix("/Date(")?.strip_suffix(")/")?;
    let cut = inner[1..].find(['+', '-']).map(|i| i + 1).unwrap_or(inner.len());
    let ms: i64 = inner[..cut].parse().ok()?;
    let offset = inner[cut..].parse::<i64>().map(|hhmm| (hhmm / 100 * 60 + hhmm % 100) * 60_000).unwrap_or(0);
    Some((ms, ms + offset))
}

/// Compares one column of each type of `function` with the server's own field, record by record:
/// the decoding of numbers, dates, times and booleans, independent of the extension's decoder.
fn one_column_of_each_type(c: &mut postgres::Client, function: &str, id_column: &str, id: &str, records: &[Value]) -> usize {
    let statement = c.prepare(&format!("SELECT * FROM {function}('acme') LIMIT 0")).unwrap();
    let columns: Vec<(String, String)> = statement.columns().iter().map(|col| (col.name().to_string(), col.type_().name().to_string())).collect();
    let mut chosen: Vec<(String, String)> = Vec::new();
    for ty in ["numeric", "date", "timestamptz", "bool", "int4", "int8"] {
        if let Some((name, _)) = columns.iter().find(|(name, t)| t == ty && name != id_column) {
            chosen.push((name.clone(), ty.to_string()));
        }
    }
    if chosen.is_empty() {
        return 0;
    }
    // Timestamps as epoch milliseconds and dates as days, so no time zone setting matters.
    let select: Vec<String> = chosen
        .iter()
        .map(|(n, ty)| match ty.as_str() {
            "timestamptz" => format!("(extract(epoch FROM {n}) * 1000)::bigint::text"),
            "date" => format!("({n} - DATE '1970-01-01')::text"),
            _ => format!("{n}::text"),
        })
        .collect();
    let sql = format!("SELECT {id_column}::text, {} FROM {function}('acme')", select.join(", "));
    let by_id: std::collections::HashMap<String, &Value> = records.iter().map(|r| (text_of(&r[id]), r)).collect();
    let mut compared = 0;
    for row in c.query(&sql, &[]).unwrap() {
        let key: Option<String> = row.get(0);
        let Some(record) = key.and_then(|k| by_id.get(&k.to_lowercase()).copied()) else { continue };
        let fields: std::collections::HashMap<String, &Value> = record.as_object().unwrap().iter().map(|(k, v)| (snake(k), v)).collect();
        for (i, (name, ty)) in chosen.iter().enumerate() {
            let got: Option<String> = row.get(i + 1);
            let want = fields.get(name).copied().filter(|v| !v.is_null());
            let same = match (ty.as_str(), &got, want) {
                (_, None, None) => true,
                ("numeric", Some(g), Some(w)) => g.parse::<f64>().ok() == text_of(w).parse::<f64>().ok(),
                ("bool" | "int4" | "int8", Some(g), Some(w)) => *g == text_of(w),
                ("timestamptz", Some(g), Some(w)) => ms_date(w).map(|(instant, _)| instant.to_string()) == Some(g.clone()),
                ("date", Some(g), Some(w)) => ms_date(w).map(|(_, local)| local.div_euclid(86_400_000).to_string()) == Some(g.clone()),
                (_, None, Some(w)) => w.as_str() == Some(""),
                _ => false,
            };
            assert!(same, "{function}.{name}: SQL has {got:?}, the server {want:?}");
            compared += 1;
        }
    }
    compared
}

#[test]
fn every_collection_function_returns_the_servers_records() {
    let m = small_mock();
    let db = TestDb::new("coll");
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    let token = admin_post(&m, "tokens/issue", serde_json::json!({"client_id": CLIENT_ID}))["access_token"].as_str().unwrap().to_string();
    let registry = admin_get(&m, "collections");
    let collections = registry["collections"].as_array().unwrap();
    assert!(collections.len() >= 24, "{registry}");
    let mut checked = Vec::new();
    let mut compared = 0;
    for col in collections {
        let (key, id, paging) = (col["key"].as_str().unwrap(), col["id"].as_str().unwrap(), col["paging"].as_str().unwrap());
        let (function, id_column) = (format!("xero_{}", snake(key)), snake(id));
        let records = server_records(&m, &token, key, paging);
        let want: Vec<String> = records.iter().map(|r| text_of(&r[id])).collect();
        let rows = c
            .query(&format!("SELECT {id_column}::text FROM {function}('acme')"), &[])
            .unwrap_or_else(|e| panic!("{function}: {:?}", e.as_db_error()));
        let got: Vec<String> = rows.iter().map(|r| r.get::<_, Option<String>>(0).unwrap_or_default().to_lowercase()).collect();
        assert_eq!(got.len(), want.len(), "{function}: as many rows as the server lists");
        assert_eq!(got.iter().collect::<BTreeSet<_>>(), want.iter().collect::<BTreeSet<_>>(), "{function}: the same records");
        assert_eq!(got.iter().collect::<BTreeSet<_>>().len(), got.len(), "{function}: each record once");
        assert!(!got.is_empty(), "{function}: the server has records of {key}");
        compared += one_column_of_each_type(&mut c, &function, &id_column, id, &records);
        checked.push(function);
    }
    assert!(compared > 1000, "typed values compared: {compared}");
    // And every generated function is covered: the registry and the server agree on the list.
    let functions: BTreeSet<String> = c
        .query("SELECT proname::text FROM pg_proc WHERE prosrc = 'xero_entity_rows'", &[])
        .unwrap()
        .into_iter()
        .map(|r| r.get::<_, String>(0))
        .filter(|f| !CHILDREN.iter().any(|c| c.0 == f))
        .collect();
    let hand_built: BTreeSet<String> = ["xero_invoices", "xero_contacts", "xero_accounts", "xero_organisation"].map(String::from).into();
    let covered: BTreeSet<String> = checked.into_iter().chain(hand_built).collect();
    assert_eq!(functions, covered, "every xero_<collection> function is checked against the server");
}

#[test]
fn journals_come_complete_by_offset_in_the_fewest_calls() {
    let m = small_mock();
    let db = TestDb::new("journals");
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    reset(&m);
    let row = c
        .query_one(
            "SELECT count(*), count(DISTINCT journal_number), min(journal_number), max(journal_number), \
                    bool_and(journal_number > lag) FROM (SELECT journal_number, lag(journal_number, 1, -1::bigint) OVER () AS lag FROM xero_journals('acme')) j",
            &[],
        )
        .unwrap();
    let n: i64 = row.get(0);
    assert!(n > 100, "enough journals to need several calls: {n}");
    assert_eq!(row.get::<_, i64>(1), n, "every journal once");
    assert!(row.get::<_, bool>(4), "in ascending JournalNumber order");
    let calls = requests(&m, "Journals");
    assert!(calls.len() as i64 <= (n + 99) / 100 + 1, "{} calls for {n} journals", calls.len());
    let offsets: Vec<String> = calls.iter().map(|r| query_param(r, "offset").unwrap_or_default()).collect();
    assert_eq!(offsets[0], "0");
    // max_pages caps the calls, and modified_since / payments_only reach Xero.
    reset(&m);
    let capped: i64 = c.query_one("SELECT count(*) FROM xero_journals('acme', max_pages => 1)", &[]).unwrap().get(0);
    assert_eq!((capped, requests(&m, "Journals").len()), (100, 1));
    reset(&m);
    c.query("SELECT * FROM xero_journals('acme', payments_only => true, modified_since => now() - interval '30 days')", &[]).unwrap();
    let sent = &requests(&m, "Journals")[0];
    assert_eq!(query_param(sent, "paymentsOnly").as_deref(), Some("true"));
    assert!(sent["headers"]["if-modified-since"].is_string(), "{sent}");
}

#[test]
fn unit_amounts_are_asked_for_with_four_decimals_by_default() {
    let m = small_mock();
    let db = TestDb::new("unitdp");
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    reset(&m);
    c.query("SELECT * FROM xero_bank_transactions('acme')", &[]).unwrap();
    c.query("SELECT * FROM xero_invoices('acme', unit_dp => 2)", &[]).unwrap();
    c.query("SELECT * FROM xero_payments('acme')", &[]).unwrap();
    assert_eq!(query_param(&requests(&m, "BankTransactions")[0], "unitdp").as_deref(), Some("4"));
    assert_eq!(query_param(&requests(&m, "Invoices")[0], "unitdp").as_deref(), Some("2"));
    assert_eq!(query_param(&requests(&m, "Payments")[0], "unitdp"), None, "Payments takes no unitdp");
    let err = expect_error(c.query("SELECT * FROM xero_items('acme', unit_dp => 6)", &[]));
    assert_eq!(err.code, SqlState::INVALID_PARAMETER_VALUE, "{}", err.all_text());
    assert!(err.message.contains("unit_dp must be between 0 and 4"), "{}", err.all_text());
}

/// (child function, parent function, the parent's array column, the parent's key column)
const CHILDREN: &[(&str, &str, &str, &str)] = &[
    ("xero_invoice_line_items", "xero_invoices", "line_items", "invoice_id"),
    ("xero_contact_persons", "xero_contacts", "contact_persons", "contact_id"),
    ("xero_contact_addresses", "xero_contacts", "addresses", "contact_id"),
    ("xero_bank_transaction_line_items", "xero_bank_transactions", "line_items", "bank_transaction_id"),
    ("xero_budget_lines", "xero_budgets", "budget_lines", "budget_id"),
    ("xero_credit_note_line_items", "xero_credit_notes", "line_items", "credit_note_id"),
    ("xero_credit_note_allocations", "xero_credit_notes", "allocations", "credit_note_id"),
    ("xero_journal_lines", "xero_journals", "journal_lines", "journal_id"),
    ("xero_manual_journal_lines", "xero_manual_journals", "journal_lines", "manual_journal_id"),
    ("xero_overpayment_line_items", "xero_overpayments", "line_items", "overpayment_id"),
    ("xero_overpayment_allocations", "xero_overpayments", "allocations", "overpayment_id"),
    ("xero_prepayment_line_items", "xero_prepayments", "line_items", "prepayment_id"),
    ("xero_prepayment_allocations", "xero_prepayments", "allocations", "prepayment_id"),
    ("xero_purchase_order_line_items", "xero_purchase_orders", "line_items", "purchase_order_id"),
    ("xero_quote_line_items", "xero_quotes", "line_items", "quote_id"),
    ("xero_receipt_line_items", "xero_receipts", "line_items", "receipt_id"),
    ("xero_repeating_invoice_line_items", "xero_repeating_invoices", "line_items", "repeating_invoice_id"),
    ("xero_batch_payment_payments", "xero_batch_payments", "payments", "batch_payment_id"),
    ("xero_tracking_options", "xero_tracking_categories", "options", "tracking_category_id"),
];

#[test]
fn child_rows_are_their_parents_arrays_one_row_each() {
    let m = small_mock();
    let db = TestDb::new("children");
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    let listed: BTreeSet<String> = c
        .query("SELECT proname::text FROM pg_proc WHERE prosrc = 'xero_entity_rows' AND pg_get_function_result(oid) ~ '(line_number|\"position\") integer'", &[])
        .unwrap()
        .into_iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(listed, CHILDREN.iter().map(|c| c.0.to_string()).collect(), "every child function is in the table above");
    for (child, parent, array, key) in CHILDREN {
        let sql = format!(
            "WITH p AS (SELECT {key} AS k, {array} AS a FROM {parent}('acme')), ch AS (SELECT * FROM {child}('acme')) \
             SELECT (SELECT count(*) FROM ch), \
                    (SELECT coalesce(sum(jsonb_array_length(a)), 0) FROM p WHERE jsonb_typeof(a) = 'array'), \
                    (SELECT count(*) FROM ch LEFT JOIN p ON p.k = ch.{key} WHERE p.k IS NULL), \
                    (SELECT count(*) FROM (SELECT {key}, count(*) n, max(ch.*::text) FROM ch GROUP BY 1) g)"
        );
        let row = c.query_one(&sql, &[]).unwrap_or_else(|e| panic!("{child}: {:?}", e.as_db_error()));
        let (rows, elements, orphans): (i64, i64, i64) = (row.get(0), row.get::<_, i64>(1), row.get(2));
        assert_eq!(rows, elements, "{child}: one row per element of {parent}.{array}");
        assert_eq!(orphans, 0, "{child}: every row's {key} is a {parent} record");
    }
    // The positions count 1.. within each parent, and line items are there to count.
    let gaps: i64 = c
        .query_one("SELECT count(*) FROM (SELECT bank_transaction_id, max(line_number) m, count(*) n FROM xero_bank_transaction_line_items('acme') GROUP BY 1) g WHERE m <> n", &[])
        .unwrap()
        .get(0);
    assert_eq!(gaps, 0);
    let lines: i64 = c.query_one("SELECT count(*) FROM xero_journal_lines('acme')", &[]).unwrap().get(0);
    assert!(lines > 0);
    // Ledger identity: every journal balances.
    let unbalanced: i64 = c
        .query_one("SELECT count(*) FROM (SELECT journal_id FROM xero_journal_lines('acme') GROUP BY 1 HAVING sum(net_amount) <> 0) j", &[])
        .unwrap()
        .get(0);
    assert_eq!(unbalanced, 0, "journal lines sum to zero per journal");
}
