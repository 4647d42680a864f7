//! Every writable table, end to end: a row is created (INSERT … RETURNING what Xero assigned),
//! read back by its id, changed (UPDATE … RETURNING, or refused where Xero cannot change the
//! record), and removed (DELETE), and the bundled Xero server is then asked what it has: a
//! status such as DELETED, VOIDED or ARCHIVED, no record, or (where Xero has no way to remove
//! one) the record still there after a 0A000 refusal.
//!
//! A case (or more, where Xero removes records by their status) for every table of
//! `xero_core::entities::WRITES`; a writable table without a case fails the test. All cases
//! share one bundled server and one database and run in order.

use xero_dbtests::*;

#[path = "write_entities/cases.rs"]
mod cases;
use cases::{cases, Case, Gone};

fn org() -> (MockHandle, TestDb, postgres::Client) {
    let m = small_mock();
    let db = TestDb::new("went");
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    c.batch_execute("CREATE SCHEMA acme; IMPORT FOREIGN SCHEMA accounting FROM SERVER acme INTO acme;").unwrap();
    (m, db, c)
}

fn text(row: &postgres::Row, i: usize) -> Option<String> {
    row.get::<_, Option<String>>(i)
}

/// Runs one case; the error names the step that failed.
fn run(c: &mut postgres::Client, case: &Case) -> Result<(), String> {
    let t = case.table;
    let (id_col, id_ty) = case.id;
    let (check, inserted) = case.check;
    let by_id = format!("{id_col} = $1::text::{id_ty}");
    for s in &case.setup {
        c.batch_execute(s).map_err(|e| format!("setup {s}: {}", describe(&e)))?;
    }

    // INSERT … RETURNING the id, the check column and what Xero assigned.
    let returning: Vec<String> = case.assigned.iter().chain(case.returns.iter().map(|(e, _)| e)).map(|a| format!("({a})::text")).collect();
    let insert = format!("INSERT INTO acme.{t} {} RETURNING {id_col}::text, ({check})::text, {}", case.insert, returning.join(", "));
    let row = c.query_one(&insert, &[]).map_err(|e| format!("INSERT: {}", describe(&e)))?;
    let id = text(&row, 0).ok_or("INSERT … RETURNING gave no id")?;
    if text(&row, 1).as_deref() != Some(inserted) {
        return Err(format!("INSERT … RETURNING {check}: {:?}, not {inserted:?}", text(&row, 1)));
    }
    for (i, a) in case.assigned.iter().enumerate() {
        if text(&row, i + 2).is_none_or(|v| v.is_empty()) {
            return Err(format!("INSERT … RETURNING {a}: not set by Xero"));
        }
    }
    for (i, (e, value)) in case.returns.iter().enumerate() {
        let got = text(&row, i + 2 + case.assigned.len());
        if got.as_deref() != Some(*value) {
            return Err(format!("INSERT … RETURNING {e}: {got:?}, not {value:?}"));
        }
    }
    effects(c, &case.after_insert, "INSERT")?;

    // Read back through the foreign table, by id.
    let read = format!("SELECT ({check})::text FROM acme.{t} WHERE {by_id}");
    let seen = c.query(&read, &[&id]).map_err(|e| format!("read back: {}", describe(&e)))?;
    if seen.len() != 1 || text(&seen[0], 0).as_deref() != Some(inserted) {
        return Err(format!("read back {id}: {:?}, not one row with {check} {inserted:?}", seen.iter().map(|r| text(r, 0)).collect::<Vec<_>>()));
    }

    // UPDATE … RETURNING, and the change is what Xero now has; or Xero cannot change it.
    match &case.update {
        Some((set, expected)) => {
            let update = format!("UPDATE acme.{t} SET {set} WHERE {by_id} RETURNING ({check})::text");
            let rows = c.query(&update, &[&id]).map_err(|e| format!("UPDATE: {}", describe(&e)))?;
            if rows.len() != 1 || text(&rows[0], 0).as_deref() != Some(*expected) {
                return Err(format!("UPDATE … RETURNING {check}: {:?}, not one row with {expected:?}", rows.iter().map(|r| text(r, 0)).collect::<Vec<_>>()));
            }
            let seen = c.query(&read, &[&id]).map_err(|e| format!("read after UPDATE: {}", describe(&e)))?;
            if seen.len() != 1 || text(&seen[0], 0).as_deref() != Some(*expected) {
                return Err(format!("read after UPDATE: {:?}, not {expected:?}", seen.iter().map(|r| text(r, 0)).collect::<Vec<_>>()));
            }
        }
        None => {
            let update = format!("UPDATE acme.{t} SET {check} = {check} WHERE {by_id}");
            match c.execute(&update, &[&id]) {
                Err(e) if e.code() == Some(&SqlState::FEATURE_NOT_SUPPORTED) => {}
                other => return Err(format!("UPDATE should fail with 0A000 (Xero cannot change {t}), got {other:?}")),
            }
        }
    }

    // DELETE, and what Xero then has.
    let delete = format!("DELETE FROM acme.{t} WHERE {by_id} RETURNING {id_col}::text");
    match &case.gone {
        Gone::Refused => {
            match c.query(&delete, &[&id]) {
                Err(e) if e.code() == Some(&SqlState::FEATURE_NOT_SUPPORTED) => {}
                other => return Err(format!("DELETE should fail with 0A000 (Xero cannot remove {t}), got {other:?}")),
            }
            let still = c.query(&read, &[&id]).map_err(|e| format!("read after DELETE: {}", describe(&e)))?;
            if still.len() != 1 {
                return Err(format!("after the refused DELETE, {} rows with {id_col} {id}", still.len()));
            }
        }
        Gone::Status(..) | Gone::Removed(_) => {
            let rows = c.query(&delete, &[&id]).map_err(|e| format!("DELETE: {}", describe(&e)))?;
            if rows.len() != 1 || text(&rows[0], 0).as_deref() != Some(id.as_str()) {
                return Err(format!("DELETE … RETURNING {id_col}: {:?}, not {id}", rows.iter().map(|r| text(r, 0)).collect::<Vec<_>>()));
            }
        }
    }
    match &case.gone {
        Gone::Status(status, query) => {
            let rows = c.query(query.as_str(), &[&id]).map_err(|e| format!("read after DELETE: {}", describe(&e)))?;
            let got: Vec<Option<String>> = rows.iter().map(|r| text(r, 0)).collect();
            if got != vec![Some(status.to_string())] {
                return Err(format!("after DELETE, {query} gave {got:?}, not [{status}]"));
            }
        }
        Gone::Removed(query) => {
            let rows = c.query(query.as_str(), &[&id]).map_err(|e| format!("read after DELETE: {}", describe(&e)))?;
            if !rows.is_empty() {
                return Err(format!("after DELETE, {query} still finds the record"));
            }
        }
        Gone::Refused => {}
    }
    effects(c, &case.after_delete, "DELETE")
}

/// Each query's one value is the one expected after `what`.
fn effects(c: &mut postgres::Client, expected: &[(String, &str)], what: &str) -> Result<(), String> {
    for (query, value) in expected {
        let got = c.query_one(query.as_str(), &[]).map_err(|e| format!("{query} after {what}: {}", describe(&e)))?;
        if text(&got, 0).as_deref() != Some(*value) {
            return Err(format!("after {what}, {query} gave {:?}, not {value:?}", text(&got, 0)));
        }
    }
    Ok(())
}

fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => format!("{} {} | {} | {}", d.code().code(), d.message(), d.detail().unwrap_or(""), d.hint().unwrap_or("")),
        None => e.to_string(),
    }
}

#[test]
fn every_writable_table_creates_changes_and_removes_a_row() {
    let cases = cases();
    // Every table Xero can write has a case, and no case names a table that is not writable.
    let mut writable: Vec<&str> = xero_core::entities::WRITES.iter().map(|w| w.function.trim_start_matches("xero_")).collect();
    let mut covered: Vec<&str> = cases.iter().map(|c| c.table).collect();
    writable.sort();
    covered.sort();
    covered.dedup();
    assert_eq!(covered, writable, "every writable table (xero_core::entities::WRITES) needs a case here");

    let (_m, _db, mut c) = org();
    let mut failures = Vec::new();
    for case in &cases {
        if let Err(e) = run(&mut c, case) {
            failures.push(format!("{}: {e}", case.table));
        }
    }
    assert!(failures.is_empty(), "{} of {} tables failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn explain_names_the_call_each_table_is_changed_and_removed_with() {
    let (_m, _db, mut c) = org();
    let plan = |c: &mut postgres::Client, sql: &str| -> String {
        c.query(&format!("EXPLAIN {sql}"), &[]).unwrap().iter().map(|r| r.get::<_, String>(0)).collect::<Vec<_>>().join("\n")
    };
    // Tax rates have no `TaxRates/{id}`: they are POSTed to the collection with their TaxType.
    let p = plan(&mut c, "UPDATE acme.tax_rates SET name = 'x' WHERE tax_type = 'TAX001'");
    assert!(p.contains("Xero calls: POST TaxRates with the record's TaxType, a row a call"), "{p}");
    let p = plan(&mut c, "DELETE FROM acme.tax_rates WHERE tax_type = 'TAX001'");
    assert!(p.contains("Xero calls: POST TaxRates with the record's TaxType setting Status (DELETED)"), "{p}");
    // A contact is archived through its ContactStatus (many a call; with RETURNING, one by one
    // at its own URL); a payment is removed at its own URL.
    let p = plan(&mut c, "DELETE FROM acme.contacts WHERE name = 'x'");
    assert!(p.contains("Xero calls: POST Contacts with summarizeErrors=false setting ContactStatus (ARCHIVED), up to 50 rows a call"), "{p}");
    let p = plan(&mut c, "DELETE FROM acme.contacts WHERE name = 'x' RETURNING contact_id");
    assert!(p.contains("Xero calls: POST Contacts/{id} setting ContactStatus (ARCHIVED), a row a call"), "{p}");
    let p = plan(&mut c, "DELETE FROM acme.payments WHERE reference = 'x'");
    assert!(p.contains("Xero calls: POST Payments/{id} setting Status (DELETED)"), "{p}");
}
