//! The columns of an entity's foreign table: the entity's own columns, then one column per
//! filter that is not a column (`include_archived`, `summary_only`, `unit_dp`, `search_term`, …).
//! A condition `include_archived = true` sets the filter; every row then carries the value the
//! call was made with (or the filter's default), so PostgreSQL's recheck of the condition holds.

use crate::entities::{ArgType, ColumnType, Entity, Filter, FilterKind, Source};
use crate::pushdown::Value;

#[derive(Debug, Clone, Copy)]
pub enum TableColumnKind {
    Data(Source),
    Option(&'static Filter),
}

#[derive(Debug, Clone, Copy)]
pub struct TableColumn {
    pub name: &'static str,
    pub ty: ColumnType,
    pub description: &'static str,
    pub kind: TableColumnKind,
}

impl TableColumn {
    /// What an option column holds when no condition sets it: Xero's own default.
    pub fn default_value(&self) -> Value {
        match self.kind {
            TableColumnKind::Option(Filter { kind: FilterKind::Flag(_), .. }) => Value::Bool(false),
            TableColumnKind::Option(Filter { kind: FilterKind::UnitDp, .. }) => Value::Int(4),
            _ => Value::Null,
        }
    }
}

/// The filters that become option columns, with their column type.
fn option_type(f: &Filter) -> Option<ColumnType> {
    match (f.kind, f.ty) {
        (FilterKind::Flag(_), ArgType::Boolean) => Some(ColumnType::Boolean),
        (FilterKind::UnitDp, ArgType::Integer) => Some(ColumnType::Integer),
        (FilterKind::Query("where" | "order"), _) => None,
        (FilterKind::Query(_), ArgType::Text) => Some(ColumnType::Text),
        (FilterKind::Query(_), ArgType::Date) => Some(ColumnType::Date),
        (FilterKind::Query(_), ArgType::Integer) => Some(ColumnType::Integer),
        _ => None,
    }
}

/// Every column of the entity's foreign table, in order.
pub fn table_columns(entity: &'static Entity) -> Vec<TableColumn> {
    let mut out: Vec<TableColumn> = entity
        .columns()
        .into_iter()
        .map(|c| TableColumn { name: c.name, ty: c.ty, description: c.description, kind: TableColumnKind::Data(c.source) })
        .collect();
    for f in entity.filters {
        let Some(ty) = option_type(f) else { continue };
        if out.iter().any(|c| c.name == f.arg) {
            continue;
        }
        out.push(TableColumn { name: f.arg, ty, description: f.description, kind: TableColumnKind::Option(f) });
    }
    out
}

/// The table name of an entity (its function's name without `xero_`).
pub fn table_name(entity: &Entity) -> &'static str {
    entity.function.strip_prefix("xero_").unwrap_or(entity.function)
}

/// A double-quoted SQL identifier.
pub fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// A SQL string literal (standard_conforming_strings, PostgreSQL's default since 9.1).
pub fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// `CREATE FOREIGN TABLE` for the entity in `schema` on `server`, with a comment on the table and
/// on every column (IMPORT FOREIGN SCHEMA).
pub fn foreign_table_sql(entity: &'static Entity, server: &str, schema: &str) -> String {
    let table = format!("{}.{}", quote_ident(schema), quote_ident(table_name(entity)));
    let cols = table_columns(entity);
    let defs: Vec<String> = cols.iter().map(|c| format!("    {} {}", quote_ident(c.name), c.ty.sql())).collect();
    let mut sql = format!(
        "CREATE FOREIGN TABLE {table} (\n{}\n) SERVER {} OPTIONS (entity {});\n",
        defs.join(",\n"),
        quote_ident(server),
        quote_literal(table_name(entity))
    );
    sql.push_str(&format!("COMMENT ON FOREIGN TABLE {table} IS {};\n", quote_literal(&format!("{} GET {} of Xero.", entity.summary, entity.endpoint))));
    for c in &cols {
        let text = match c.kind {
            TableColumnKind::Data(_) => c.description.to_string(),
            TableColumnKind::Option(f) => format!(
                "Filter, not data: {} (a condition `{} = …` sends it to Xero; rows show the value used, default {})",
                f.description,
                f.arg,
                match c.default_value() {
                    Value::Bool(b) => b.to_string(),
                    Value::Int(n) => n.to_string(),
                    _ => "NULL".into(),
                }
            ),
        };
        sql.push_str(&format!("COMMENT ON COLUMN {table}.{} IS {};\n", quote_ident(c.name), quote_literal(&text)));
    }
    sql
}

/// The entity a foreign table reads, by its `entity` option (the table name without `xero_`).
pub fn entity_by_table(name: &str) -> Option<&'static Entity> {
    crate::entities::ENTITIES.iter().find(|e| table_name(e) == name)
}
