//! The SQL of a synced table: its DDL (typed as the function's columns, the organisation first in
//! the key, indexes on the common join columns, comments), the upsert of one row and the sweep of
//! rows that vanished. Values are never part of this text: they are the statements' parameters.

use super::SyncSpec;
use crate::sql::{ident as quote_ident, literal as quote_literal};

/// Columns joined on often enough to be indexed (with the tenant first) when a table has them.
pub const JOIN_COLUMNS: &[&str] = &["contact_id", "invoice_id", "account_id"];

/// The schema-qualified, quoted table name.
pub fn qualified(schema: &str, spec: &SyncSpec) -> String {
    format!("{}.{}", quote_ident(schema), quote_ident(super::table_name(spec.entity)))
}

/// The statements creating the table, its indexes and comments, each run if the table is new.
pub fn create_table(schema: &str, spec: &SyncSpec) -> Vec<String> {
    let table = qualified(schema, spec);
    let name = super::table_name(spec.entity);
    let mut cols = vec!["server_name text NOT NULL".to_string(), "tenant_id uuid NOT NULL".to_string()];
    cols.extend(spec.columns.iter().map(|c| format!("{} {}", quote_ident(c.name), c.ty.sql())));
    cols.push(format!("PRIMARY KEY ({})", key_list(spec)));
    let mut out = vec![format!("CREATE TABLE {table} (\n    {}\n)", cols.join(",\n    "))];
    for join in JOIN_COLUMNS {
        let Some(i) = spec.columns.iter().position(|c| c.name == *join) else { continue };
        if spec.key.first() == Some(&i) {
            continue; // the primary key's index serves it
        }
        out.push(format!("CREATE INDEX {} ON {table} (tenant_id, {})", quote_ident(&format!("{name}_{join}_idx")), quote_ident(join)));
    }
    let how = match spec.mode {
        super::Mode::Incremental { .. } => "changes read by If-Modified-Since, upserted by key",
        super::Mode::Append { .. } => "appended by offset, never re-read",
        super::Mode::Full => "re-read in full each sync; vanished rows deleted",
    };
    out.push(format!(
        "COMMENT ON TABLE {table} IS {}",
        quote_literal(&format!("{} Kept by xero_sync from {} ({how}); one row set per organisation.", spec.entity.summary, spec.entity.function))
    ));
    out.push(format!("COMMENT ON COLUMN {table}.server_name IS {}", quote_literal("The foreign server (organisation) the row was synced from.")));
    out.push(format!("COMMENT ON COLUMN {table}.tenant_id IS {}", quote_literal("The organisation's Xero tenant id: the first column of the key.")));
    for c in spec.columns.iter().filter(|c| !c.description.is_empty()) {
        out.push(format!("COMMENT ON COLUMN {table}.{} IS {}", quote_ident(c.name), quote_literal(c.description)));
    }
    out
}

/// `tenant_id, <key columns>`, quoted.
pub fn key_list(spec: &SyncSpec) -> String {
    std::iter::once("tenant_id".to_string()).chain(spec.key.iter().map(|&i| quote_ident(spec.columns[i].name))).collect::<Vec<_>>().join(", ")
}

/// The upsert of one row: `$1` server name, `$2` tenant id, then one parameter per column. A row
/// whose values did not change is not written; the statement returns one row, `inserted`, for a
/// row inserted or updated, none for an unchanged one.
pub fn upsert_sql(schema: &str, spec: &SyncSpec) -> String {
    let table = qualified(schema, spec);
    let raw: Vec<&str> = ["server_name", "tenant_id"].into_iter().chain(spec.columns.iter().map(|c| c.name)).collect();
    let key: Vec<&str> = std::iter::once("tenant_id").chain(spec.key.iter().map(|&i| spec.columns[i].name)).collect();
    let names: Vec<String> = raw.iter().map(|n| quote_ident(n)).collect();
    let params: Vec<String> = (1..=raw.len()).map(|i| format!("${i}")).collect();
    let others: Vec<String> = raw.iter().filter(|n| !key.contains(n)).map(|n| quote_ident(n)).collect();
    let list = |f: &dyn Fn(&String) -> String| others.iter().map(f).collect::<Vec<_>>().join(", ");
    format!(
        "INSERT INTO {table} AS t ({}) VALUES ({}) ON CONFLICT ({}) DO UPDATE SET {} WHERE ROW({}) IS DISTINCT FROM ROW({}) RETURNING (t.xmax = 0) AS inserted",
        names.join(", "),
        params.join(", "),
        key_list(spec),
        list(&|n| format!("{n} = EXCLUDED.{n}")),
        list(&|n| format!("t.{n}")),
        list(&|n| format!("EXCLUDED.{n}")),
    )
}

/// The delete of rows that vanished: `$1` tenant id, then one `text[]` per key column holding the
/// keys read (as text), and for a sweep limited to the parents read (an incremental child
/// collection) a last `text[]` of their keys. Returns the SQL and its number of parameters.
pub fn sweep_sql(schema: &str, spec: &SyncSpec, only_parents_read: bool) -> (String, usize) {
    let table = qualified(schema, spec);
    // An anti-join on the unnested key arrays (NOT EXISTS, which the planner hashes), not a
    // row-valued NOT IN, whose subplan stops being hashed past work_mem and turns quadratic
    // (300,000 line items took minutes); the parents read are a semi-join for the same reason.
    let names: Vec<String> = (0..spec.key.len()).map(|i| format!("k{i}")).collect();
    let arrays: Vec<String> = (0..spec.key.len()).map(|i| format!("${}::text[]", i + 2)).collect();
    let equal: Vec<String> = spec
        .key
        .iter()
        .zip(&names)
        .map(|(&i, k)| format!("k.{k} = t.{}::text", quote_ident(spec.columns[i].name)))
        .collect();
    let mut sql = format!("DELETE FROM {table} AS t WHERE t.tenant_id = $1");
    let mut n = 1 + spec.key.len();
    if let (true, Some(p)) = (only_parents_read, spec.parent_key) {
        n += 1;
        sql.push_str(&format!(" AND t.{}::text IN (SELECT unnest(${n}::text[]))", quote_ident(spec.columns[p].name)));
    }
    sql.push_str(&format!(
        " AND NOT EXISTS (SELECT FROM unnest({}) AS k({}) WHERE {})",
        arrays.join(", "),
        names.join(", "),
        equal.join(" AND ")
    ));
    (sql, n)
}
