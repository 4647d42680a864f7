use super::ddl::{create_table, sweep_sql, upsert_sql};
use super::*;
use crate::entities::entity_by_function;
use crate::list::{page_url, plan_list};

fn spec(function: &str) -> SyncSpec {
    SyncSpec::new(entity_by_function(function).unwrap())
}

fn args(spec: &SyncSpec, state: &State) -> Vec<(&'static str, ArgValue)> {
    spec.filters(state).into_iter().map(|(f, v)| (f.arg, v)).collect()
}

#[test]
fn every_entity_has_a_mode_and_a_key() {
    for e in syncable() {
        let s = SyncSpec::new(e);
        assert!(!s.key.is_empty(), "{}", e.function);
        if matches!(e.rows, RowShape::Children { .. }) {
            assert_eq!(s.key.len(), 2, "{}: a child's key is its parent's key and its ordinal", e.function);
            assert_eq!(s.columns[s.key[1]].source, Source::Ordinal, "{}", e.function);
        }
        assert_eq!(entity_named(table_name(e)).unwrap().function, e.function);
    }
    assert_eq!(spec("xero_invoices").mode_name(), "incremental");
    assert_eq!(spec("xero_invoice_line_items").mode_name(), "incremental");
    assert_eq!(spec("xero_contacts").mode_name(), "incremental");
    // Bank transfers have no UpdatedDateUTC to keep a watermark by: read in full (with the deleted).
    assert_eq!(spec("xero_bank_transfers").mode_name(), "full");
    assert_eq!(spec("xero_journals").mode_name(), "append");
    assert_eq!(spec("xero_journal_lines").mode_name(), "append");
    assert_eq!(spec("xero_tax_rates").mode_name(), "full");
    assert_eq!(spec("xero_budgets").mode_name(), "full");
}

#[test]
fn incremental_reads_start_before_the_watermark_and_ask_for_archived_and_deleted_records() {
    let contacts = spec("xero_contacts");
    assert_eq!(args(&contacts, &State::default()), vec![("include_archived", ArgValue::Bool(true))], "a first sync reads everything");
    let w = 800_000_000_000_000;
    let later = args(&contacts, &State { watermark: Some(w), offset: None });
    assert!(later.contains(&("modified_since", ArgValue::Timestamptz(w - OVERLAP_MICROS))));
    assert!(later.contains(&("include_archived", ArgValue::Bool(true))));
    let transfers = spec("xero_bank_transfers");
    assert!(args(&transfers, &State::default()).contains(&("include_deleted", ArgValue::Bool(true))));
    // Full re-reads and offsets never send If-Modified-Since.
    assert!(args(&spec("xero_journals"), &State { watermark: Some(w), offset: Some(7) }).is_empty());
    assert!(args(&spec("xero_tax_rates"), &State { watermark: Some(w), offset: None }).is_empty());
}

#[test]
fn the_watermark_and_the_offset_only_move_forward() {
    let invoices = spec("xero_invoices");
    let Mode::Incremental { watermark } = invoices.mode else { panic!() };
    let mut row = vec![Cell::Null; invoices.columns.len()];
    let mut state = State { watermark: Some(100), offset: None };
    row[watermark] = Cell::Timestamptz(50);
    invoices.advance(&mut state, &row);
    assert_eq!(state.watermark, Some(100));
    row[watermark] = Cell::Timestamptz(150);
    invoices.advance(&mut state, &row);
    assert_eq!(state.watermark, Some(150));

    let journals = spec("xero_journals");
    let Mode::Append { offset } = journals.mode else { panic!() };
    let mut state = State::default();
    for n in [3, 9, 4] {
        row = vec![Cell::Null; journals.columns.len()];
        row[offset] = Cell::Int(n);
        journals.advance(&mut state, &row);
    }
    assert_eq!(state.offset, Some(9));
    assert_eq!(journals.start_offset(&state), 9);
    let plan = {
        let mut p = plan_list(journals.read, "https://x", &[]).unwrap();
        p.start_offset = journals.start_offset(&state);
        p
    };
    assert_eq!(page_url(&plan, plan.first_cursor()), "https://x/Journals?offset=9");
}

#[test]
fn child_listings_carry_their_parents_update_time_hidden() {
    let lines = spec("xero_invoice_line_items");
    let read = lines.read.columns();
    let h = lines.hidden.unwrap();
    assert_eq!(read.len(), lines.columns.len() + 1);
    assert_eq!(read[h].source, Source::Parent(&["UpdatedDateUTC"]));
    assert_eq!(lines.mode, Mode::Incremental { watermark: h });
    let mut row: Vec<Cell> = (0..read.len() as i64).map(Cell::Int).collect();
    let written = lines.written(&mut row).to_vec();
    assert_eq!(written.len(), lines.columns.len());
    assert!(!written.contains(&Cell::Int(h as i64)));
    assert!(lines.sweeps(), "children of changed parents are replaced");
    assert!(!spec("xero_invoices").sweeps());
    assert!(spec("xero_tax_rates").sweeps() && !spec("xero_accounts").sweeps() && !spec("xero_journal_lines").sweeps());
}

#[test]
fn tables_are_typed_keyed_by_tenant_indexed_and_commented() {
    let ddl = create_table("local x", &spec("xero_invoice_line_items"));
    assert!(ddl[0].starts_with("CREATE TABLE \"local x\".\"invoice_line_items\" (\n    server_name text NOT NULL,\n    tenant_id uuid NOT NULL,\n    \"invoice_id\" uuid,"), "{}", ddl[0]);
    assert!(ddl[0].ends_with("PRIMARY KEY (tenant_id, \"invoice_id\", \"line_number\")\n)"), "{}", ddl[0]);
    assert!(ddl.iter().any(|s| s == "CREATE INDEX \"invoice_line_items_account_id_idx\" ON \"local x\".\"invoice_line_items\" (tenant_id, \"account_id\")"), "{ddl:#?}");
    assert!(!ddl.iter().any(|s| s.contains("invoice_line_items_invoice_id_idx")), "the key's index serves the parent");
    assert!(ddl.iter().any(|s| s.starts_with("COMMENT ON TABLE") && s.contains("If-Modified-Since")));
    assert!(ddl.iter().any(|s| s.starts_with("COMMENT ON COLUMN \"local x\".\"invoice_line_items\".\"quantity\"")));
    let invoices = create_table("s", &spec("xero_invoices"));
    assert!(invoices[0].contains("PRIMARY KEY (tenant_id, \"invoice_id\")"));
    assert!(invoices.iter().any(|s| s.contains("\"invoices_contact_id_idx\"")));
}

#[test]
fn upserts_skip_unchanged_rows_and_sweeps_take_arrays() {
    let accounts = spec("xero_accounts");
    let sql = upsert_sql("s", &accounts);
    let n = accounts.columns.len() + 2;
    assert!(sql.starts_with("INSERT INTO \"s\".\"accounts\" AS t (\"server_name\", \"tenant_id\", \"account_id\", "), "{sql}");
    assert!(sql.contains(&format!("${n})")) && !sql.contains(&format!("${}", n + 1)), "{sql}");
    assert!(sql.contains("ON CONFLICT (tenant_id, \"account_id\") DO UPDATE SET \"server_name\" = EXCLUDED.\"server_name\", \"code\" = EXCLUDED.\"code\""), "{sql}");
    assert!(sql.contains("WHERE ROW(t.\"server_name\", t.\"code\""), "{sql}");
    assert!(!sql.contains("\"account_id\" = EXCLUDED"), "keys are not updated: {sql}");
    assert_eq!(
        sweep_sql("s", &accounts, false),
        ("DELETE FROM \"s\".\"accounts\" AS t WHERE t.tenant_id = $1 AND NOT EXISTS (SELECT FROM unnest($2::text[]) AS k(k0) WHERE k.k0 = t.\"account_id\"::text)".to_string(), 2)
    );
    let (sql, n) = sweep_sql("s", &spec("xero_contact_persons"), true);
    assert_eq!(n, 4);
    assert!(sql.ends_with("t.\"contact_id\"::text IN (SELECT unnest($4::text[])) AND NOT EXISTS (SELECT FROM unnest($2::text[], $3::text[]) AS k(k0, k1) WHERE k.k0 = t.\"contact_id\"::text AND k.k1 = t.\"position\"::text)"), "{sql}");
}

#[test]
fn key_cells_read_as_postgresql_prints_them() {
    let u = crate::decode::parse_uuid("0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9").unwrap();
    assert_eq!(SyncSpec::key_text(&Cell::Uuid(u)).unwrap(), "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9");
    assert_eq!(SyncSpec::key_text(&Cell::Int(42)).unwrap(), "42");
    assert_eq!(SyncSpec::key_text(&Cell::Null), None);
}


#[test]
fn the_upgrade_script_carries_the_sync_sql_unchanged() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../sql/");
    let sync = std::fs::read_to_string(format!("{root}sync.sql")).unwrap();
    let upgrade = std::fs::read_to_string(format!("{root}xero_fdw--0.1.0--0.2.0.sql")).unwrap();
    let at = upgrade.find(&sync).expect("sql/sync.sql is part of the upgrade script, verbatim");
    assert!(at < upgrade.find("-- The generated functions of this release").unwrap());
}
