//! Writes: rows of a foreign table (or of a staging table, `xero_push`) become Xero's create,
//! update and remove calls, and Xero's answers become returned rows and per-row errors.
//!
//! - `encode`: a row's cells → one element of Xero's JSON (nested fields, jsonb columns as
//!   given, read-only fields left out);
//! - `request`: the calls: a batch of creates (`PUT`, `summarizeErrors=false`), an update
//!   (`POST …/{id}`), a removal (`DELETE …/{id}` or a status, as Xero removes that record),
//!   each with an `Idempotency-Key` derived from what it sends;
//! - `answer`: Xero's answer element by element (done, or rejected with its ValidationErrors);
//! - `outcome`: what a statement did, and the error that names every rejected row and every
//!   record Xero created before it (Xero has no rollback).
//!
//! Which tables can be written, and how, is the generated `entities::WRITES`.

mod answer;
mod encode;
mod outcome;
pub mod push;
mod request;
#[cfg(test)]
mod push_tests;
#[cfg(test)]
mod tests;

pub use answer::{answer_key, answers, returned_row, Answer};
pub use encode::{element, json_of, Op};
pub use outcome::{RowDone, RowRejected, StatementOutcome};
pub use request::{create_batch, create_batch_of_texts, element_text, delete_request, idempotency_key, nonce, salted_key, status_to_remove, update_batch, update_request, WriteCall};

use crate::entities::{Entity, RowShape, Update, Write};
use crate::error::{ErrorKind, Result, XeroError};
use crate::pushdown::table_name;

/// How `entity`'s table is written for `op`, or why it cannot be.
pub fn write_of(entity: &'static Entity, op: Op) -> Result<&'static Write> {
    let table = table_name(entity);
    let Some(write) = entity.write() else {
        let hint = match entity.rows {
            RowShape::Children { key: "LineItems" } => format!(
                "Line items are written with their document: set the line_items jsonb column of {}.",
                table.trim_end_matches("_line_items").to_string() + "s"
            ),
            RowShape::Children { key } => format!("Write the {key} of the parent record through its own table's jsonb column, or with xero_api()."),
            RowShape::Records => "It is read-only in Xero's accounting API (Xero makes these records itself).".to_string(),
        };
        return Err(XeroError::new(ErrorKind::NotSupported, format!("Xero has no way to {} {table} rows", op.verb())).with_hint(hint));
    };
    match op {
        Op::Update if write.update == Update::No => {
            Err(XeroError::new(ErrorKind::NotSupported, format!("Xero cannot change {table} rows once created")).with_hint("Remove the row and insert it again, if Xero allows removing it."))
        }
        _ => Ok(write),
    }
}

/// The error of a DELETE Xero has no way to do (`Delete::Unsupported`).
pub fn delete_unsupported(table: &str, why: &str) -> XeroError {
    XeroError::new(ErrorKind::NotSupported, format!("cannot delete {table} rows: {why}"))
}
