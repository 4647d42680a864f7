//! Xero's `order` for a scan PostgreSQL wants sorted: only where Xero's order is provably
//! PostgreSQL's. Numbers, dates and timestamps compare the same on both sides (a date column
//! cut from a datetime is a monotone image of it, so Xero's order is one of PostgreSQL's);
//! text never goes (collations differ). Where NULLs sort in Xero is not documented, so a key is
//! pushed only when its column can hold no NULL in the rows the scan returns: a field Xero
//! always sets, or a strict condition on the column (pushed or rechecked locally, either way
//! PostgreSQL never sees a NULL). Offset-paged listings (Journals, by JournalNumber) and child
//! rows never take an `order`.

use serde::{Deserialize, Serialize};

use crate::entities::{ColumnType, Entity, FilterKind, Paging, RowShape};
use crate::pushdown::{record_path, table_columns, where_field, Cond, ScanPlan};

/// One key of a pushed `order`: a column of [`table_columns`] and its direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderKey {
    pub column: usize,
    pub desc: bool,
}

/// Fields Xero sets on every record of the endpoint (totals are computed, dates defaulted).
const NEVER_NULL: &[(&str, &[&str])] = &[
    ("Invoices", &["Date", "Total", "SubTotal", "TotalTax", "AmountDue", "AmountPaid", "UpdatedDateUTC"]),
    ("CreditNotes", &["Date", "Total", "SubTotal", "TotalTax", "UpdatedDateUTC"]),
    ("Contacts", &["UpdatedDateUTC"]),
];

/// Whether `conds` (top-level, all rechecked) keep no row whose `column` is NULL.
fn nulls_excluded(column: usize, conds: &[Cond]) -> bool {
    conds.iter().any(|c| match c {
        Cond::Cmp { column: k, .. } | Cond::In { column: k, .. } | Cond::Like { column: k, .. } => *k == column,
        Cond::IsNull { column: k, negated } => *k == column && *negated,
        Cond::And(parts) => nulls_excluded(column, parts),
        Cond::Or(_) => false,
    })
}

/// The `order` term (`Total DESC`) of sorting by `key`, when Xero then returns the rows in an
/// order PostgreSQL's sort could give, whatever its NULL placement (a key goes only when no
/// NULL can be returned; `conds` are the scan's conditions).
pub fn order_term(entity: &'static Entity, key: OrderKey, conds: &[Cond]) -> Option<String> {
    let takes_order = entity.filters.iter().any(|f| f.kind == FilterKind::Query("order"));
    if !takes_order || entity.rows != RowShape::Records || matches!(entity.paging, Paging::Offset { .. }) {
        return None;
    }
    let cols = table_columns(entity);
    let col = cols.get(key.column)?;
    if !matches!(col.ty, ColumnType::Numeric | ColumnType::Integer | ColumnType::BigInt | ColumnType::Date | ColumnType::Timestamptz) {
        return None;
    }
    let name = where_field(entity, col)?;
    let path = record_path(entity, col)?;
    if path.len() != 1 {
        return None;
    }
    let never_null = NEVER_NULL.iter().any(|(e, fields)| *e == entity.endpoint && fields.contains(&path[0]));
    if !never_null && !nulls_excluded(key.column, conds) {
        return None;
    }
    Some(if key.desc { format!("{name} DESC") } else { name })
}

impl ScanPlan {
    /// Sorts the scan's rows by `keys` at Xero; false (and the plan unchanged) when one cannot go.
    pub fn set_order(&mut self, keys: &[OrderKey]) -> bool {
        let Some(entity) = self.entity() else { return false };
        if keys.is_empty() || !keys.iter().all(|k| order_term(entity, *k, &self.conds).is_some()) {
            return false;
        }
        self.order = keys.to_vec();
        true
    }

    /// The `order` parameter, if the plan sorts.
    pub fn order_text(&self) -> Option<String> {
        let entity = self.entity()?;
        let terms = self.order.iter().map(|k| order_term(entity, *k, &self.conds)).collect::<Option<Vec<_>>>()?;
        (!terms.is_empty()).then(|| terms.join(","))
    }
}
