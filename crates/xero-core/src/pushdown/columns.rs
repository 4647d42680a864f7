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
