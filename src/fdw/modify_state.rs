//! What a write statement on a foreign table keeps while it runs: the table, its organisation,
//! the rows sent so far (their positions and what Xero did with each), and the calls. Rows go
//! through the core (`xero_core::writes`): cells → elements → keyed calls → answers; this file
//! only adds the organisation and the statement's bookkeeping.

use serde_json::Value;
use xero_core::decode::Cell;
use xero_core::entities::{Column, Source, Write};
use xero_core::pushdown::{table_name, TableColumnKind};
use xero_core::writes::{self, Answer, Op, RowDone, RowRejected, StatementOutcome, WriteCall};
use xero_core::{Result, XeroError};

use crate::fdw::table::TableInfo;
use crate::pg::catalog::Org;
use crate::tokens::write::send;

/// One row of the statement, read from its slot.
pub struct RowIn {
    /// 1-based position in the statement.
    pub position: u64,
    /// Per table column (`info.columns`): its value, and whether the statement gives it.
    pub cells: Vec<Cell>,
    pub send: Vec<bool>,
    /// The record's id (UPDATE, DELETE), its parent's id (child tables), its status (DELETE).
    pub id: Option<String>,
    pub parent: Option<String>,
    pub status: Option<String>,
}

/// A row Xero acted on: the table row of what it returned (for RETURNING).
pub type Returned = Option<Vec<Cell>>;

pub struct Modify {
    pub info: TableInfo,
    pub write: &'static Write,
    pub op: Op,
    pub org: Org,
    pub batch_size: u32,
    /// Attribute numbers of the row-identity columns in the plan's output.
    pub id_att: i16,
    pub parent_att: i16,
    pub status_att: i16,
    /// For UPDATE: per table column, whether the statement sets it.
    pub set: Vec<bool>,
    pub rows: u64,
    pub calls: u64,
    pub outcome: StatementOutcome,
    columns: Vec<Column>,
    /// Whether UPDATE and DELETE rows are gathered and sent `batch_size` a call (no RETURNING
    /// and no row triggers need each row's answer at once, and Xero takes many changes a call).
    pub defer: bool,
    /// The gathered rows: each with its record's id and element.
    pending: Vec<(RowIn, String, serde_json::Map<String, Value>)>,
    /// Salts the keys of this statement's calls: two calls never share a key, even when they
    /// send the same bytes (two identical rows are two records).
    nonce: String,
}

impl Modify {
    pub fn new(info: TableInfo, write: &'static Write, op: Op, org: Org, batch_size: u32) -> Modify {
        let columns = info.entity.columns();
        Modify {
            info,
            write,
            op,
            org,
            batch_size,
            id_att: 0,
            parent_att: 0,
            status_att: 0,
            set: Vec::new(),
            rows: 0,
            calls: 0,
            outcome: StatementOutcome::default(),
            columns,
            defer: false,
            pending: Vec::new(),
            nonce: writes::nonce(),
        }
    }

    pub fn table(&self) -> &'static str {
        table_name(self.info.entity)
    }

    /// The values that name a row for a person: its label columns (and id), as given.
    fn label(&self, row: &RowIn) -> String {
        self.label_with(row, true)
    }

    /// The label, with the record's id or without it (a done row's DETAIL line shows the id
    /// Xero returned anyway).
    fn label_with(&self, row: &RowIn, with_id: bool) -> String {
        let mut parts = Vec::new();
        for name in self.write.labels {
            let Some(i) = self.info.columns.iter().position(|c| c.name == *name) else { continue };
            match row.cells.get(i) {
                Some(Cell::Text(t)) => parts.push(format!("{name} {t:?}")),
                Some(Cell::Numeric(n)) => parts.push(format!("{name} {n}")),
                _ => {}
            }
        }
        if let (Some(id), true) = (&row.id, with_id) {
            parts.push(format!("{} {id}", self.id_column()));
        }
        parts.join(", ")
    }

    /// The table column of the record's id.
    pub fn id_column(&self) -> &'static str {
        column_named(&self.info, Source::Field(&[]), self.write.id_field).unwrap_or("id")
    }

    /// What the DETAIL says of a record Xero acted on: its id and, if Xero numbered it, the number.
    fn done_text(&self, record: &Value, row: &RowIn) -> String {
        let id = record.get(self.write.id_field).and_then(Value::as_str).map(str::to_string).or_else(|| row.id.clone()).unwrap_or_default();
        let mut text = format!("{} {id}", self.id_column());
        for name in self.write.labels {
            let Some(TableColumnKind::Data(Source::Field(path))) = self.info.columns.iter().find(|c| c.name == *name).map(|c| c.kind) else { continue };
            if let Some(v) = path.iter().try_fold(record, |v, k| v.get(*k)).and_then(Value::as_str) {
                text.push_str(&format!(", {name} {v:?}"));
                break;
            }
        }
        text
    }

    fn reject(&mut self, row: &RowIn, messages: Vec<String>) {
        let label = self.label(row);
        self.outcome.rejected.push(RowRejected { position: row.position, label, messages });
    }

    /// Sends one call and matches its answers to `rows`; the rows Xero acted on come back as the
    /// table rows of what it returned, the others are recorded as rejected.
    fn exchange(&mut self, call: WriteCall, rows: &[&RowIn]) -> Result<Vec<Returned>> {
        self.calls += 1;
        let call = writes::salted_key(call, &format!("{}/{}", self.nonce, self.calls));
        let in_flight = |e: XeroError| {
            // Only a call whose answer was lost or garbled may have been acted on.
            if !matches!(e.kind, xero_core::ErrorKind::ConnectionLost | xero_core::ErrorKind::Unavailable | xero_core::ErrorKind::ProtocolViolation) {
                return self.with_done(e);
            }
            let (first, last) = (rows.first().map_or(0, |r| r.position), rows.last().map_or(0, |r| r.position));
            let which = if first == last { format!("Row {first} was") } else { format!("Rows {first} to {last} were") };
            let note = format!(
                "{which} in the call that failed after its retries: Xero may have acted on it, at most once (every attempt carried Idempotency-Key {}). Check for those records before writing them again; CALL xero_push(…) keeps a call in flight and resends it with its key.",
                call.key
            );
            self.with_done(e.with_detail_line(note))
        };
        let response = send(&self.org, &call).map_err(in_flight)?;
        let key = writes::answer_key(self.info.entity, self.write);
        let answers = writes::answers(&call.request.label, key, rows.len(), &response).map_err(in_flight)?;
        let mut out = Vec::with_capacity(rows.len());
        for (row, answer) in rows.iter().zip(answers) {
            match answer {
                Answer::Done(record) => {
                    let text = self.done_text(&record, row);
                    self.outcome.done.push(RowDone { position: row.position, label: self.label_with(row, false), id: text });
                    let parent = match (self.write.parent_field, &row.parent) {
                        (Some(f), Some(p)) => Some((f, p.as_str())),
                        _ => None,
                    };
                    let returned = writes::returned_row(self.info.entity, &self.columns, &record, parent)?;
                    out.push(Some(returned));
                }
                Answer::Rejected(messages) => {
                    self.reject(row, messages);
                    out.push(None);
                }
            }
        }
        Ok(out)
    }

    /// An error that ends the statement, saying what Xero already did (it has no rollback).
    pub fn with_done(&self, err: XeroError) -> XeroError {
        if self.outcome.done.is_empty() {
            return err;
        }
        let done: Vec<String> = self.outcome.done.iter().map(|d| format!("row {}: {}", d.position, d.id)).collect();
        err.with_detail_line(format!("Before this error Xero {} {} rows of {}, which a ROLLBACK does not undo: {}", past(self.op), done.len(), self.table(), done.join("; ")))
    }

    /// INSERT: creates `rows` in one call (a batch, or one row); None for a rejected row.
    pub fn insert(&mut self, rows: &[RowIn]) -> Result<Vec<Returned>> {
        self.rows += rows.len() as u64;
        let mut elements = Vec::new();
        for row in rows {
            match writes::element(self.write, &self.info.columns, &row.cells, &row.send, Op::Insert) {
                Ok(el) => elements.push(el),
                Err(e) => {
                    let at = format!("in row {} of the statement", row.position);
                    let detail = match &e.detail {
                        Some(d) => format!("{d} ({at})"),
                        None => at,
                    };
                    return Err(self.with_done(e.with_detail(detail)));
                }
            }
        }
        if elements.is_empty() {
            return Ok(Vec::new());
        }
        let parent = rows[0].parent.clone();
        let call = writes::create_batch(&self.org.config.api_url, self.write, parent.as_deref(), elements).map_err(|e| self.with_done(e))?;
        let rows: Vec<&RowIn> = rows.iter().collect();
        self.exchange(call, &rows)
    }

    /// UPDATE: changes one record to the columns the statement sets.
    pub fn update(&mut self, row: RowIn) -> Result<Returned> {
        self.rows += 1;
        let id = row.id.clone().ok_or_else(|| XeroError::internal("UPDATE without the record's id"))?;
        let element = writes::element(self.write, &self.info.columns, &row.cells, &row.send, Op::Update).map_err(|e| self.with_done(e))?;
        if self.defer {
            return self.gather(row, id, element);
        }
        let call = writes::update_request(&self.org.config.api_url, self.write, row.parent.as_deref(), &id, element).map_err(|e| self.with_done(e))?;
        Ok(self.exchange(call, &[&row])?.pop().flatten())
    }

    /// Keeps a change for the next batch, sending the batch when it is full. What it returns,
    /// an empty row, tells the executor the row is accepted as it stands (the batch's rejections
    /// end the statement at its end).
    fn gather(&mut self, row: RowIn, id: String, element: serde_json::Map<String, Value>) -> Result<Returned> {
        self.pending.push((row, id, element));
        if self.pending.len() >= self.batch_size as usize {
            self.flush()?;
        }
        Ok(Some(Vec::new()))
    }

    /// Sends the gathered changes in one call (`POST <collection>?summarizeErrors=false`).
    pub fn flush(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.pending);
        let mut rows = Vec::with_capacity(batch.len());
        let mut elements = Vec::with_capacity(batch.len());
        for (row, id, element) in batch {
            rows.push(row);
            elements.push((id, element));
        }
        let call = writes::update_batch(&self.org.config.api_url, self.write, elements).map_err(|e| self.with_done(e))?;
        let rows: Vec<&RowIn> = rows.iter().collect();
        self.exchange(call, &rows).map(|_| ())
    }

    /// The end of the statement: the last batch is sent, then the error naming every rejected
    /// row, if Xero rejected any.
    pub fn finish(&mut self) -> Option<XeroError> {
        if let Err(e) = self.flush() {
            return Some(e);
        }
        self.final_error()
    }

    /// DELETE: removes one record the way Xero removes it (an endpoint, or a status).
    pub fn delete(&mut self, row: RowIn) -> Result<Returned> {
        self.rows += 1;
        let id = row.id.clone().ok_or_else(|| XeroError::internal("DELETE without the record's id"))?;
        let to = match writes::status_to_remove(self.write, self.table(), row.status.as_deref()) {
            Ok(to) => to,
            Err(e) if e.kind == xero_core::ErrorKind::Rejected => {
                self.reject(&row, vec![e.message]);
                return Ok(None);
            }
            Err(e) => return Err(self.with_done(e)),
        };
        if let (true, Some(status)) = (self.defer, to) {
            let mut element = serde_json::Map::new();
            element.insert(self.write.status_field.to_string(), Value::String(status.to_string()));
            return self.gather(row, id, element);
        }
        let call = writes::delete_request(&self.org.config.api_url, self.write, row.parent.as_deref(), &id, to).map_err(|e| self.with_done(e))?;
        Ok(self.exchange(call, &[&row])?.pop().flatten())
    }

    /// The error that ends a statement some of whose rows Xero rejected.
    pub fn final_error(&self) -> Option<XeroError> {
        self.outcome.error(self.table(), past(self.op))
    }
}

/// The table column fed by the record's `field` (or, for `Source::Parent`, its parent's).
pub fn column_named(info: &TableInfo, kind: Source, field: &str) -> Option<&'static str> {
    info.columns.iter().find_map(|c| match (c.kind, kind) {
        (TableColumnKind::Data(Source::Field(p)), Source::Field(_)) if p == [field] => Some(c.name),
        (TableColumnKind::Data(Source::Parent(p)), Source::Parent(_)) if p == [field] => Some(c.name),
        _ => None,
    })
}

fn past(op: Op) -> &'static str {
    match op {
        Op::Insert => "created",
        Op::Update => "changed",
        Op::Delete => "removed",
    }
}
