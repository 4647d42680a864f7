//! What a write statement did, row by row, and the error that ends it when Xero rejected rows:
//! Xero has no rollback, so the error lists what Xero created before it as well as each
//! rejected row (its position in the statement, the values that name it, Xero's messages).

use crate::error::{ErrorKind, XeroError};

/// A row Xero acted on.
#[derive(Debug, Clone, PartialEq)]
pub struct RowDone {
    /// 1-based position of the row in the statement.
    pub position: u64,
    pub label: String,
    /// The record's id (and number, if it has one).
    pub id: String,
}

/// A row Xero refused.
#[derive(Debug, Clone, PartialEq)]
pub struct RowRejected {
    pub position: u64,
    pub label: String,
    pub messages: Vec<String>,
}

/// Everything a statement sent, for its final error.
#[derive(Debug, Default)]
pub struct StatementOutcome {
    pub done: Vec<RowDone>,
    pub rejected: Vec<RowRejected>,
}

/// How many rows the DETAIL lists one by one; the rest are counted (an error message is not a
/// report; `xero_push` keeps every row's result in its staging table).
const LISTED: usize = 1000;

impl StatementOutcome {
    /// The error ending a statement some of whose rows Xero rejected (None: none was).
    pub fn error(&self, table: &str, verb: &str) -> Option<XeroError> {
        if self.rejected.is_empty() {
            return None;
        }
        let total = self.done.len() + self.rejected.len();
        let mut detail = format!("Xero rejected {} of the {total} rows sent:", self.rejected.len());
        for r in self.rejected.iter().take(LISTED) {
            detail.push_str(&format!("\n  row {}{}: {}", r.position, label(&r.label), r.messages.join("; ")));
        }
        if self.rejected.len() > LISTED {
            detail.push_str(&format!("\n  … and {} more rejected rows", self.rejected.len() - LISTED));
        }
        if self.done.is_empty() {
            detail.push_str("\nXero acted on none of the rows.");
        } else {
            detail.push_str(&format!("\nXero {verb} {} rows before this error, which a ROLLBACK does not undo:", self.done.len()));
            for d in self.done.iter().take(LISTED) {
                detail.push_str(&format!("\n  row {}{}: {}", d.position, label(&d.label), d.id));
            }
            if self.done.len() > LISTED {
                detail.push_str(&format!("\n  … and {} more", self.done.len() - LISTED));
            }
        }
        Some(
            XeroError::new(ErrorKind::Rejected, format!("Xero rejected {} of {total} rows written to {table}", self.rejected.len()))
                .with_detail(detail)
                .with_hint(if self.done.is_empty() {
                    "Fix the rejected rows and run the statement again.".to_string()
                } else {
                    "Fix the rejected rows and write only those again: the others are in Xero already (listed above). For a push that keeps each row's result, use CALL xero_push(…).".to_string()
                }),
        )
    }
}

fn label(l: &str) -> String {
    if l.is_empty() {
        String::new()
    } else {
        format!(" ({l})")
    }
}
