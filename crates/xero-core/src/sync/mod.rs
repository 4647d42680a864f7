//! Planning an incremental sync of one entity into a local table, in plain Rust: how the entity
//! is read (by watermark, by offset, or in full), which filters that sets, what the local table
//! looks like (`ddl`), and how rows are written (`ddl::upsert_sql`, `ddl::sweep_sql`). The pgrx
//! layer (`src/functions/sync.rs`) runs the plan in the caller's transaction.

pub mod ddl;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::decode::Cell;
use crate::entities::{Column, ColumnType, Entity, Filter, FilterKind, Paging, RowShape, Source, ENTITIES};
use crate::list::ArgValue;

/// How far before the watermark an incremental read starts: Xero's `If-Modified-Since` is to the
/// second and a record may be saved in the second the last read ended. Re-read records that did
/// not change are not written (the upsert compares them first), so the overlap costs nothing but
/// a few records of the one call.
pub const OVERLAP_MICROS: i64 = 60 * 1_000_000;

/// The name of the hidden column a child listing carries for its parent's `UpdatedDateUTC` (read
/// only to move the watermark; never written).
const PARENT_UPDATED: &str = "parent_updated_date_utc";

/// How an entity is kept in step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `If-Modified-Since` the watermark (less the overlap), rows upserted by key; children of
    /// every changed parent replaced. `watermark` is the index, in the rows read, of the record's
    /// (or the parent's) `UpdatedDateUTC`.
    Incremental { watermark: usize },
    /// Offset paging from the greatest key read (Journals): rows are only ever appended.
    /// `offset` is the index of the offset column (`journal_number`).
    Append { offset: usize },
    /// Xero cannot list changes: every row is read and rows that vanished are deleted.
    Full,
}

/// What a sync remembers of an organisation's entity between runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct State {
    /// Greatest `UpdatedDateUTC` seen (microseconds since 2000-01-01 UTC).
    pub watermark: Option<i64>,
    /// Greatest offset key seen (Journals: `JournalNumber`).
    pub offset: Option<i64>,
}

/// The sync of one entity: the entity read (a child listing with its parent's `UpdatedDateUTC`
/// as a hidden column), the columns written, the key, and how changes are found.
#[derive(Clone)]
pub struct SyncSpec {
    /// The registry entity (its function names the table).
    pub entity: &'static Entity,
    /// What is read: `entity`, or for an incremental child listing a copy with the hidden column.
    pub read: &'static Entity,
    pub mode: Mode,
    /// The columns of the local table after `server_name, tenant_id`, as the function returns them.
    pub columns: Vec<Column>,
    /// Index (in the rows read) of the hidden column, removed before writing.
    pub hidden: Option<usize>,
    /// Indices (in `columns`) of the record key: the first column of a record; the parent's key and
    /// the ordinal of a child.
    pub key: Vec<usize>,
    /// Index (in `columns`) of the parent's key (children only).
    pub parent_key: Option<usize>,
}

/// Every entity a sync keeps: every collection and child collection of the registry.
pub fn syncable() -> impl Iterator<Item = &'static Entity> {
    ENTITIES.iter()
}

/// The local table's name: the function's without `xero_` (`xero_invoices` → `invoices`).
pub fn table_name(entity: &Entity) -> &'static str {
    entity.function.strip_prefix("xero_").unwrap_or(entity.function)
}

/// The entity a name stands for: a function name (`xero_invoices`) or a table name (`invoices`).
pub fn entity_named(name: &str) -> Option<&'static Entity> {
    syncable().find(|e| e.function == name || table_name(e) == name)
}

fn has_modified_since(e: &Entity) -> bool {
    e.filters.iter().any(|f| f.kind == FilterKind::ModifiedSince)
}

/// The records entity a child entity's rows come from (same endpoint).
fn parent_of(e: &Entity) -> Option<&'static Entity> {
    ENTITIES.iter().find(|p| p.endpoint == e.endpoint && p.rows == RowShape::Records)
}

fn updated_column(e: &Entity) -> Option<usize> {
    e.columns().iter().position(|c| c.name == "updated_date_utc" && c.ty == ColumnType::Timestamptz)
}

/// A child entity with its parent's `UpdatedDateUTC` after its parent columns (made once per
/// process: entities are `'static`).
fn with_parent_updated(e: &'static Entity) -> &'static Entity {
    static MADE: OnceLock<HashMap<&'static str, &'static Entity>> = OnceLock::new();
    let made = MADE.get_or_init(|| {
        ENTITIES
            .iter()
            .filter(|e| matches!(e.rows, RowShape::Children { .. }))
            .map(|e| {
                let mut parents = e.parent_columns.to_vec();
                parents.push(Column { name: PARENT_UPDATED, ty: ColumnType::Timestamptz, source: Source::Parent(&["UpdatedDateUTC"]), description: "" });
                let copy = Entity { parent_columns: Box::leak(parents.into_boxed_slice()), ..*e };
                (e.function, &*Box::leak(Box::new(copy)))
            })
            .collect()
    });
    made.get(e.function).copied().unwrap_or(e)
}

impl SyncSpec {
    pub fn new(entity: &'static Entity) -> SyncSpec {
        let columns = entity.columns();
        let children = matches!(entity.rows, RowShape::Children { .. });
        let (key, parent_key) = if children {
            let ordinal = columns.iter().position(|c| c.source == Source::Ordinal);
            (std::iter::once(0).chain(ordinal).collect(), Some(0))
        } else {
            (vec![0], None)
        };
        let (mut read, mut hidden) = (entity, None);
        let mode = match entity.paging {
            Paging::Offset { column, .. } => match columns.iter().position(|c| c.name == column) {
                Some(offset) => Mode::Append { offset },
                None => Mode::Full,
            },
            _ if has_modified_since(entity) && !children => updated_column(entity).map_or(Mode::Full, |watermark| Mode::Incremental { watermark }),
            _ if has_modified_since(entity) && parent_of(entity).and_then(updated_column).is_some() => {
                read = with_parent_updated(entity);
                hidden = Some(entity.parent_columns.len());
                Mode::Incremental { watermark: entity.parent_columns.len() }
            }
            _ => Mode::Full,
        };
        SyncSpec { entity, read, mode, columns, hidden, key, parent_key }
    }

    /// The filter arguments of the read: `If-Modified-Since` the watermark less the overlap, and
    /// the flags that make Xero list what was archived or deleted.
    pub fn filters(&self, state: &State) -> Vec<(&'static Filter, ArgValue)> {
        let mut args = Vec::new();
        for f in self.read.filters {
            match f.kind {
                FilterKind::ModifiedSince => {
                    if let (Mode::Incremental { .. }, Some(w)) = (self.mode, state.watermark) {
                        args.push((f, ArgValue::Timestamptz(w.saturating_sub(OVERLAP_MICROS))));
                    }
                }
                FilterKind::Flag("includeArchived" | "includeDeleted") => args.push((f, ArgValue::Bool(true))),
                _ => {}
            }
        }
        args
    }

    /// Where an offset listing starts: after the greatest key already kept.
    pub fn start_offset(&self, state: &State) -> i64 {
        match self.mode {
            Mode::Append { .. } => state.offset.unwrap_or(0),
            _ => 0,
        }
    }

    /// Whether vanished rows are deleted after the read: every row of a full read; children of the
    /// parents read, in an incremental read of a child collection.
    pub fn sweeps(&self) -> bool {
        match self.mode {
            Mode::Full => true,
            Mode::Incremental { .. } => self.parent_key.is_some(),
            Mode::Append { .. } => false,
        }
    }

    /// The state after a row read: the watermark and the offset only move forward.
    pub fn advance(&self, state: &mut State, row: &[Cell]) {
        let greater = |old: Option<i64>, new: i64| Some(old.map_or(new, |o| o.max(new)));
        match self.mode {
            Mode::Incremental { watermark } => {
                if let Some(Cell::Timestamptz(t)) = row.get(watermark) {
                    state.watermark = greater(state.watermark, *t);
                }
            }
            Mode::Append { offset } => {
                if let Some(Cell::Int(n)) = row.get(offset) {
                    state.offset = greater(state.offset, *n);
                }
            }
            Mode::Full => {}
        }
    }

    /// The row to write: the row read without its hidden column.
    pub fn written<'r>(&self, row: &'r mut Vec<Cell>) -> &'r [Cell] {
        if let Some(i) = self.hidden {
            if i < row.len() {
                row.remove(i);
            }
        }
        row
    }

    /// A key cell as PostgreSQL's text of it (for the sweep's arrays).
    pub fn key_text(cell: &Cell) -> Option<String> {
        Some(match cell {
            Cell::Uuid(b) => crate::decode::format_uuid(b),
            Cell::Int(n) => n.to_string(),
            Cell::Text(s) => s.clone(),
            _ => return None,
        })
    }

    /// A short word for the mode (shown in NOTICEs and `xero_sync_status`).
    pub fn mode_name(&self) -> &'static str {
        match self.mode {
            Mode::Incremental { .. } => "incremental",
            Mode::Append { .. } => "append",
            Mode::Full => "full",
        }
    }
}
