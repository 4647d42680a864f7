//! What of a foreign-table scan's conditions Xero can answer. The PostgreSQL layer turns the
//! quals it understands into [`Cond`]s (a column, an operator, a constant or a runtime value);
//! [`plan`] decides, from their shape alone, which become Xero parameters (`IDs`, `Statuses`,
//! `InvoiceNumbers`, `ContactIDs`, `If-Modified-Since`, a `where` expression, option columns such
//! as `include_archived`) and which stay local; [`ScanPlan::requests`] then renders the calls once
//! the runtime values are known.
//!
//! Pushing is an optimisation, never a replacement: the PostgreSQL layer rechecks every condition
//! locally, so a pushed condition need only let through at least the rows PostgreSQL keeps. A
//! condition is *exact* when Xero keeps exactly those rows; only when every condition is exact
//! may a `LIMIT` shrink the pages (a superset page could hide rows behind rows rechecked away).

mod columns;
mod order;
mod render;
mod report_table;

pub use report_table::{param_column_name, plan_report, report_by_table, report_table_columns, report_table_name, report_table_sql, ReportColumn, ReportRequest, ReportScan};
pub use order::{order_term, OrderKey};
pub use columns::{entity_by_table, foreign_table_sql, quote_ident, quote_literal, table_columns, table_name, TableColumn, TableColumnKind};

use serde::{Deserialize, Serialize};

use crate::entities::{ColumnType, Entity, FilterKind, Paging, RowShape, Source};

/// A constant or runtime value, in the column's type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Value {
    Null,
    Text(String),
    /// Canonical text, `xxxxxxxx-xxxx-…`.
    Uuid(String),
    /// PostgreSQL's text of the number.
    Numeric(String),
    /// Days since 2000-01-01.
    Date(i32),
    /// Microseconds since 2000-01-01 UTC.
    Timestamptz(i64),
    Bool(bool),
    Int(i64),
    /// The elements of an array (`= ANY(…)`, `IN (…)`).
    List(Vec<Value>),
}

/// The right-hand side of a condition: known when planning, or the scan's `n`-th runtime value
/// (a parameter, an outer row's column in a parameterized join, a subquery's result).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Operand {
    Const(Value),
    Param(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A condition on the table's columns (`column` indexes [`table_columns`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cond {
    Cmp { column: usize, op: Op, value: Operand },
    /// `column = ANY(list)` / `column IN (…)`.
    In { column: usize, values: Operand },
    IsNull { column: usize, negated: bool },
    /// `column LIKE pattern`.
    Like { column: usize, pattern: Operand },
    And(Vec<Cond>),
    Or(Vec<Cond>),
}

/// How a top-level condition reaches Xero.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Push {
    /// A comma-separated list parameter (`IDs`, `Statuses`, `InvoiceNumbers`, `ContactIDs`).
    List(String),
    ModifiedSince,
    /// A term of the `where` expression.
    Where,
    /// An option column (`include_archived`, `unit_dp`, …): the filter argument it sets.
    Option(String),
}

/// The planned scan: the conditions, how each top-level one is pushed (or not), and the row
/// limit when every condition is pushed exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanPlan {
    pub entity: String,
    pub conds: Vec<Cond>,
    /// One per condition: how it is pushed, or None when it stays local only.
    pub pushed: Vec<Option<Push>>,
    /// Fetch at most this many records (a pushed `LIMIT`; with `order`, the first in that order).
    pub limit: Option<u64>,
    /// Xero's `order`, when PostgreSQL wants the rows sorted and Xero's order is provably its.
    #[serde(default)]
    pub order: Vec<OrderKey>,
}

/// The remote schema IMPORT FOREIGN SCHEMA knows.
pub const REMOTE_SCHEMAS: &[&str] = &["accounting"];

/// Xero takes at most this many ids a call (its URL length limit).
pub const IDS_PER_CALL: usize = 50;

/// The list parameters and the record field each filters.
fn list_param_path(entity: &Entity, name: &str) -> Option<Vec<&'static str>> {
    Some(match name {
        "IDs" => key_path(entity)?.to_vec(),
        "Statuses" => vec!["Status"],
        "InvoiceNumbers" => vec!["InvoiceNumber"],
        "ContactIDs" => vec!["Contact", "ContactID"],
        _ => return None,
    })
}

/// The record's key: its first uuid field (a child table's: its parent's).
fn key_path(entity: &Entity) -> Option<&'static [&'static str]> {
    match entity.rows {
        RowShape::Records => entity.fields.first().filter(|f| f.ty == ColumnType::Uuid).map(|f| f.path),
        RowShape::Children { .. } => entity.parent_columns.iter().find_map(|c| match c.source {
            Source::Parent(p) if c.ty == ColumnType::Uuid => Some(p),
            _ => None,
        }),
    }
}

/// The record-level JSON path of a column (a field of the record a call returns), if any.
pub(crate) fn record_path(entity: &Entity, col: &TableColumn) -> Option<&'static [&'static str]> {
    match (entity.rows, col.kind) {
        (RowShape::Records, TableColumnKind::Data(Source::Field(p))) => Some(p),
        (RowShape::Children { .. }, TableColumnKind::Data(Source::Parent(p))) => Some(p),
        _ => None,
    }
}

/// Fields Xero's `where` filters on the endpoints whose records have many computed fields; on
/// the others every scalar field of the record itself (and its contact's id).
const WHERE_FIELDS: &[(&str, &[&str])] = &[
    (
        "Invoices",
        &[
            "InvoiceID", "InvoiceNumber", "Reference", "Type", "Status", "LineAmountTypes", "Contact.ContactID", "Date", "DueDate",
            "FullyPaidOnDate", "UpdatedDateUTC", "SubTotal", "TotalTax", "Total", "AmountDue", "AmountPaid", "AmountCredited",
            "CurrencyCode", "CurrencyRate", "HasAttachments", "SentToContact", "IsDiscounted", "BrandingThemeID",
        ],
    ),
    (
        "Contacts",
        &[
            "ContactID", "ContactNumber", "AccountNumber", "ContactStatus", "Name", "FirstName", "LastName", "EmailAddress",
            "TaxNumber", "IsCustomer", "IsSupplier", "DefaultCurrency", "HasAttachments", "UpdatedDateUTC",
        ],
    ),
];

/// The `where` name of a column Xero's `where` can filter, if any.
pub(crate) fn where_field(entity: &Entity, col: &TableColumn) -> Option<String> {
    if !entity.filters.iter().any(|f| f.kind == FilterKind::Query("where")) || col.ty == ColumnType::Jsonb {
        return None;
    }
    let path = record_path(entity, col)?;
    if path.len() != 1 && path != ["Contact", "ContactID"] {
        return None;
    }
    let name = path.join(".");
    match WHERE_FIELDS.iter().find(|(e, _)| *e == entity.endpoint) {
        Some((_, fields)) => fields.contains(&name.as_str()).then_some(name),
        None => Some(name),
    }
}

/// Decides how each condition reaches Xero. `limit` is the query's `LIMIT` (plus `OFFSET`) when
/// the scan is the whole query and nothing reorders or aggregates its rows.
pub fn plan(entity: &'static Entity, conds: Vec<Cond>, limit: Option<u64>) -> ScanPlan {
    let cols = table_columns(entity);
    let mut pushed: Vec<Option<Push>> = Vec::with_capacity(conds.len());
    let mut all_exact = true;
    for cond in &conds {
        let taken = |p: &Push| pushed.iter().flatten().any(|q| q == p);
        let (push, exact) = classify(entity, &cols, cond, &taken);
        all_exact &= push.is_some() && exact;
        pushed.push(push);
    }
    let limit = limit.filter(|_| all_exact && entity.rows == RowShape::Records && entity.paging.is_paged());
    ScanPlan { entity: entity.function.to_string(), conds, pushed, limit, order: Vec::new() }
}

/// How one top-level condition is pushed, and whether Xero then keeps exactly PostgreSQL's rows.
fn classify(entity: &Entity, cols: &[TableColumn], cond: &Cond, taken: &dyn Fn(&Push) -> bool) -> (Option<Push>, bool) {
    let col_of = |c: &Cond| match c {
        Cond::Cmp { column, .. } | Cond::In { column, .. } | Cond::IsNull { column, .. } | Cond::Like { column, .. } => cols.get(*column),
        _ => None,
    };
    if let Some(col) = col_of(cond) {
        // Option columns: `include_archived = true`, `unit_dp = 2`, `search_term = 'x'`.
        if let (TableColumnKind::Option(filter), Cond::Cmp { op: Op::Eq, .. }) = (col.kind, cond) {
            let p = Push::Option(filter.arg.to_string());
            return if taken(&p) { (None, false) } else { (Some(p), true) };
        }
        if let (Some(path), Cond::Cmp { op: Op::Eq, .. } | Cond::In { .. }) = (record_path(entity, col), cond) {
            for f in entity.filters {
                let FilterKind::List(name) = f.kind else { continue };
                if list_param_path(entity, name).as_deref() == Some(path) {
                    let p = Push::List(name.to_string());
                    if !taken(&p) {
                        // Uuids compare exactly; statuses and numbers are checked per value (render).
                        return (Some(p), col.ty == ColumnType::Uuid || name == "Statuses");
                    }
                }
            }
        }
        if let (Some(["UpdatedDateUTC"]), Cond::Cmp { op: Op::Ge | Op::Gt, .. }) = (record_path(entity, col), cond) {
            if entity.filters.iter().any(|f| f.kind == FilterKind::ModifiedSince) && !taken(&Push::ModifiedSince) {
                return (Some(Push::ModifiedSince), false);
            }
        }
    }
    match render::where_shape(entity, cols, cond) {
        Some(exact) => (Some(Push::Where), exact),
        None => (None, false),
    }
}

/// One call sequence of a scan (a listing) and how it reads in EXPLAIN.
#[derive(Debug, Clone)]
pub struct Requests {
    /// The listings to read one after the other (several for more than 50 ids); none when a
    /// pushed condition can match nothing (`invoice_id = NULL`).
    pub plans: Vec<crate::list::ListPlan>,
    /// `GET Invoices?Statuses=AUTHORISED&where=…`, as EXPLAIN shows it.
    pub description: String,
}

impl ScanPlan {
    pub fn entity(&self) -> Option<&'static Entity> {
        crate::entities::entity_by_function(&self.entity)
    }

    /// The calls, with the runtime values (`params[n]` for `Operand::Param(n)`); without them
    /// (EXPLAIN before execution) runtime values show as `$n`.
    pub fn requests(&self, api_url: &str, params: Option<&[Value]>) -> crate::Result<Requests> {
        render::requests(self, api_url, params)
    }

    /// Whether the top-level condition `i` is pushed.
    pub fn is_pushed(&self, i: usize) -> bool {
        self.pushed.get(i).is_some_and(Option::is_some)
    }
}

/// A default row estimate for a table without a `rows` option: what an organisation of modest
/// size has (paged endpoints: a few pages; unpaged ones: settings-like lists).
pub fn default_rows(entity: &Entity) -> f64 {
    match (entity.paging, entity.rows) {
        (Paging::Unpaged, _) => 100.0,
        (_, RowShape::Records) => 5_000.0,
        (_, RowShape::Children { .. }) => 15_000.0,
    }
}

/// Records one call returns at most (the page size; unpaged: everything).
pub fn records_per_call(entity: &Entity) -> Option<u32> {
    match entity.paging {
        Paging::Pages { max_page_size } => Some(max_page_size),
        Paging::FixedPages { size } => Some(size),
        Paging::Offset { batch, .. } => Some(batch),
        Paging::Unpaged => None,
    }
}

#[cfg(test)]
mod tests;
