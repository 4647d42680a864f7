//! Executing a scan: the runtime values are evaluated at each (re)scan, the pushdown's calls are
//! read one after the other through the one read path (`tokens::read::start`, one page ahead),
//! and each row goes into the scan slot. Ending the scan (or a satisfied LIMIT, which ends it)
//! drops the reader, which abandons the call under way: no further page is asked for.

use std::collections::VecDeque;

use pgrx::pg_sys;
use pgrx::prelude::*;
use pgrx::PgList;
use xero_core::decode::Cell;
use xero_core::entities::{ColumnType, FilterKind, RowShape};
use xero_core::list::ListPlan;
use xero_core::pages::ListStats;
use xero_core::pushdown::{TableColumnKind, Value};
use xero_core::read::Reader;
use xero_core::{Result, XeroError};

use crate::fdw::plan::{private_of, FdwPrivate};
use crate::fdw::estimates;
use crate::fdw::report_scan::{self, report_info, ReportState};
use crate::fdw::table::{datum_value, table_info, TableInfo};
use crate::pg::catalog::{resolve_org, Org};
use crate::pg::{cells, owned};
use crate::pg::report::{raise_for_org, OrRaise};
use crate::tokens::read;

pub struct Scan {
    pub info: TableInfo,
    pub private: FdwPrivate,
    pub params: Vec<(*mut pg_sys::ExprState, pg_sys::Oid)>,
    org: Option<Org>,
    started: bool,
    plans: VecDeque<ListPlan>,
    reader: Option<Reader>,
    /// Per table column, the value of an option column for this scan.
    options: Vec<Option<Cell>>,
    /// The request of the last (re)scan, as EXPLAIN ANALYZE shows it.
    pub description: Option<String>,
    pub stats: ListStats,
    pub scans: u64,
    /// Rows handed out by this (re)scan, for the row count a complete scan teaches the planner.
    produced: u64,
}

/// What a scan node executes: a collection's listing or a report's call.
pub enum State {
    Collection(Scan),
    Report(ReportState),
}

/// The scan state of a node.
///
/// # Safety
/// `node` is a scan begun by `begin`.
pub unsafe fn any_state<'a>(node: *mut pg_sys::ForeignScanState) -> Option<&'a mut State> {
    // SAFETY: fdw_state is NULL or the cell `begin` made.
    unsafe { owned::get::<State>((*node).fdw_state) }
}

/// Drops the scan behind a cell (the end of the scan, or the query's memory going away after an
/// error, whichever comes first).
#[pg_guard]
unsafe extern "C-unwind" fn drop_cell(arg: *mut std::ffi::c_void) {
    // SAFETY: the cell `begin` made.
    unsafe { owned::release::<State>(arg) }
}

/// BeginForeignScan.
///
/// # Safety
/// Called by the executor with a valid node whose plan `get_plan` made.
#[pg_guard]
pub unsafe extern "C-unwind" fn begin(node: *mut pg_sys::ForeignScanState, eflags: i32) {
    // SAFETY: the executor's valid node, plan and estate; the cell and its reset callback live in
    // the query's memory context, so the Box is dropped even when the query fails.
    unsafe {
        let plan = (*node).ss.ps.plan as *mut pg_sys::ForeignScan;
        let relid = (*(*node).ss.ss_currentRelation).rd_id;
        let executing = eflags & pg_sys::EXEC_FLAG_EXPLAIN_ONLY as i32 == 0;
        let org_of = |server: &str| executing.then(|| resolve_org(server).unwrap_or_else(|e| raise_for_org(e, server, "xero_fdw")));
        let mut state = match report_info(relid) {
            Some(info) => {
                let org = org_of(&info.server);
                State::Report(ReportState::new(info, report_scan::private_of(plan), org))
            }
            None => {
                let info = table_info(relid).or_raise("xero_fdw");
                let org = org_of(&info.server);
                State::Collection(Scan {
                    info,
                    private: private_of(plan),
                    params: Vec::new(),
                    org,
                    started: false,
                    plans: VecDeque::new(),
                    reader: None,
                    options: Vec::new(),
                    description: None,
                    stats: ListStats::default(),
                    scans: 0,
                    produced: 0,
                })
            }
        };
        let params = if executing { init_params(plan, node) } else { Vec::new() };
        match &mut state {
            State::Collection(s) => s.params = params,
            State::Report(r) => r.params = params,
        }
        (*node).fdw_state = owned::attach((*(*node).ss.ps.state).es_query_cxt, state, drop_cell);
    }
}

/// The plan's runtime value expressions, ready to evaluate, with their types.
///
/// # Safety
/// `plan` is the node's ForeignScan, `node` being begun by the executor.
unsafe fn init_params(plan: *mut pg_sys::ForeignScan, node: *mut pg_sys::ForeignScanState) -> Vec<(*mut pg_sys::ExprState, pg_sys::Oid)> {
    // SAFETY: the caller's contract; ExecInitExprList makes the states in the query's context.
    unsafe {
        let exprs: Vec<*mut pg_sys::Node> = PgList::<pg_sys::Node>::from_pg((*plan).fdw_exprs).iter_ptr().collect();
        let states: Vec<*mut pg_sys::ExprState> =
            PgList::<pg_sys::ExprState>::from_pg(pg_sys::ExecInitExprList((*plan).fdw_exprs, node as *mut pg_sys::PlanState)).iter_ptr().collect();
        states.into_iter().zip(exprs.iter().map(|e| pg_sys::exprType(*e))).collect()
    }
}

/// The runtime values, evaluated in `econtext`.
///
/// # Safety
/// `params` were made by [`init_params`] for the node `econtext` belongs to.
pub unsafe fn eval_params(params: &[(*mut pg_sys::ExprState, pg_sys::Oid)], econtext: *mut pg_sys::ExprContext) -> Result<Vec<Value>> {
    let mut values = Vec::with_capacity(params.len());
    for (state, ty) in params {
        let mut isnull = false;
        // SAFETY: an ExprState ExecInitExprList made for this node, evaluated in its context;
        // its result is of the expression's type.
        let v = unsafe {
            let f = (**state).evalfunc.expect("an initialized expression");
            let d = f(*state, econtext, &mut isnull);
            datum_value(d, isnull, *ty)
        };
        values.push(v.ok_or_else(|| XeroError::internal("a runtime value of an unexpected type"))?);
    }
    Ok(values)
}

impl Scan {
    /// Evaluates the runtime values and plans the calls.
    unsafe fn start(&mut self, econtext: *mut pg_sys::ExprContext) -> Result<()> {
        // SAFETY: the node's own parameters and context (the caller's).
        let values = unsafe { eval_params(&self.params, econtext) }?;
        let org = self.org.as_ref().ok_or_else(|| XeroError::internal("scan without organisation"))?;
        let requests = self.private.scan.requests(&org.config.api_url, Some(&values))?;
        self.options = self.option_cells(requests.plans.first());
        self.plans = requests.plans.into();
        self.description = Some(requests.description);
        self.started = true;
        self.scans += 1;
        self.produced = 0;
        Ok(())
    }

    /// What each option column shows: the value the calls were made with, or its default.
    fn option_cells(&self, plan: Option<&ListPlan>) -> Vec<Option<Cell>> {
        self.info
            .columns
            .iter()
            .map(|c| {
                let TableColumnKind::Option(f) = c.kind else { return None };
                let wire = match f.kind {
                    FilterKind::UnitDp => "unitdp",
                    k => k.wire_name().unwrap_or(f.arg),
                };
                let sent = plan.and_then(|p| p.query.iter().find(|(k, _)| k == wire)).map(|(_, v)| v.as_str());
                Some(match (sent, c.ty) {
                    (Some(v), ColumnType::Boolean) => Cell::Bool(v == "true"),
                    (Some(v), ColumnType::Integer) => v.parse().map(Cell::Int).unwrap_or(Cell::Null),
                    (Some(v), ColumnType::Date) => iso_date(v).map(Cell::Date).unwrap_or(Cell::Null),
                    (Some(v), _) => Cell::Text(v.to_string()),
                    (None, _) => match c.default_value() {
                        Value::Bool(b) => Cell::Bool(b),
                        Value::Int(n) => Cell::Int(n),
                        _ => Cell::Null,
                    },
                })
            })
            .collect()
    }

    fn next_row(&mut self) -> Result<Option<Vec<Cell>>> {
        loop {
            if let Some(reader) = &mut self.reader {
                if let Some(row) = reader.next_row()? {
                    self.produced += 1;
                    // The first page's itemCount is the table's size when nothing is pushed
                    // (a LIMIT only shrinks the pages), however few rows the query then takes.
                    if self.produced == 1 && self.info.entity.rows == RowShape::Records && self.private.scan.pushed.iter().all(Option::is_none) {
                        if let Some(n) = reader.stats().item_count {
                            estimates::remember(&self.info.server, self.info.entity, n);
                        }
                    }
                    return Ok(Some(row));
                }
                self.finish_reader();
            }
            let Some(plan) = self.plans.pop_front() else {
                if self.whole_table() && self.private.scan.limit.is_none() {
                    estimates::remember(&self.info.server, self.info.entity, self.produced);
                }
                return Ok(None);
            };
            let org = self.org.as_ref().ok_or_else(|| XeroError::internal("scan without organisation"))?;
            self.reader = Some(read::start(org, self.info.entity, plan)?);
        }
    }

    fn finish_reader(&mut self) {
        if let Some(r) = self.reader.take() {
            let s = r.stats();
            self.stats.calls += s.calls;
            self.stats.records += s.records;
            self.stats.retries += s.retries;
        }
    }

    /// Whether the scan lists the whole table (nothing pushed), so what Xero counts is its size.
    fn whole_table(&self) -> bool {
        self.private.scan.pushed.iter().all(Option::is_none)
    }

    /// Calls made, records read and retries, the call under way included.
    pub fn totals(&self) -> ListStats {
        let mut t = self.stats;
        if let Some(r) = &self.reader {
            let s = r.stats();
            t.calls += s.calls;
            t.records += s.records;
            t.retries += s.retries;
        }
        t
    }

    /// Forgets the calls of the last scan (a rescan, the end).
    pub fn stop(&mut self) {
        self.finish_reader();
        self.plans.clear();
        self.started = false;
    }
}

/// IterateForeignScan.
///
/// # Safety
/// Called by the executor with a node begun by `begin`.
#[pg_guard]
pub unsafe extern "C-unwind" fn iterate(node: *mut pg_sys::ForeignScanState) -> *mut pg_sys::TupleTableSlot {
    // SAFETY: the executor's valid node; the slot's arrays have one entry per attribute.
    unsafe {
        let slot = (*node).ss.ss_ScanTupleSlot;
        let clear = (*(*slot).tts_ops).clear.expect("slots can be cleared");
        clear(slot);
        let econtext = (*node).ss.ps.ps_ExprContext;
        match any_state(node) {
            None => slot,
            Some(State::Collection(scan)) => {
                let server = scan.info.server.clone();
                if !scan.started {
                    scan.start(econtext).unwrap_or_else(|e| raise_for_org(e, &server, "xero_fdw"));
                }
                let Some(row) = scan.next_row().unwrap_or_else(|e| raise_for_org(e, &server, "xero_fdw")) else {
                    return slot;
                };
                store(slot, &scan.info.attmap, |i| {
                    let col = &scan.info.columns[i];
                    let cell = match col.kind {
                        TableColumnKind::Data(_) => row.get(i),
                        TableColumnKind::Option(_) => scan.options.get(i).and_then(Option::as_ref),
                    };
                    (cell, col.ty)
                })
            }
            Some(State::Report(scan)) => {
                let server = scan.info.server.clone();
                if !scan.started {
                    eval_params(&scan.params, econtext).and_then(|values| scan.start(&values)).unwrap_or_else(|e| raise_for_org(e, &server, "xero_fdw"));
                }
                let Some(row) = scan.next_row() else { return slot };
                store(slot, &scan.info.attmap, |i| (row.get(i), scan.info.columns[i].ty))
            }
        }
    }
}

/// Stores a row in the scan slot: attribute `a` gets `cell(attmap[a])` (NULL for an attribute
/// that is no column).
///
/// # Safety
/// `slot` is the node's cleared scan slot, `attmap` has an entry per attribute of its descriptor.
pub unsafe fn store<'c>(slot: *mut pg_sys::TupleTableSlot, attmap: &[Option<usize>], cell: impl Fn(usize) -> (Option<&'c Cell>, ColumnType)) -> *mut pg_sys::TupleTableSlot {
    // SAFETY: the caller's contract; the slot's arrays have one entry per attribute.
    unsafe {
        let natts = (*(*slot).tts_tupleDescriptor).natts as usize;
        for att in 0..natts {
            let (datum, isnull) = match attmap.get(att).copied().flatten().map(&cell) {
                Some((Some(c), ty)) => cells::to_datum(c, ty),
                _ => (pg_sys::Datum::from(0), true),
            };
            *(*slot).tts_values.add(att) = datum;
            *(*slot).tts_isnull.add(att) = isnull;
        }
        pg_sys::ExecStoreVirtualTuple(slot)
    }
}

/// ReScanForeignScan: the runtime values may have changed; the calls are made anew.
///
/// # Safety
/// Called by the executor with a node begun by `begin`.
#[pg_guard]
pub unsafe extern "C-unwind" fn rescan(node: *mut pg_sys::ForeignScanState) {
    // SAFETY: the caller's contract.
    match unsafe { any_state(node) } {
        Some(State::Collection(scan)) => scan.stop(),
        Some(State::Report(scan)) => scan.stop(),
        None => {}
    }
}

/// EndForeignScan: drops the reader (and any call under way).
///
/// # Safety
/// Called by the executor with a node begun by `begin`.
#[pg_guard]
pub unsafe extern "C-unwind" fn end(node: *mut pg_sys::ForeignScanState) {
    // SAFETY: the cell `begin` made; drop_cell takes the Box once.
    unsafe {
        let cell = (*node).fdw_state;
        if !cell.is_null() {
            drop_cell(cell);
        }
    }
}

/// `YYYY-MM-DD` as days since 2000-01-01.
fn iso_date(v: &str) -> Option<i32> {
    let mut parts = v.splitn(3, '-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    i32::try_from(xero_core::dates::days_from_civil(i64::from(y), m, d) - xero_core::dates::PG_EPOCH_DAYS).ok()
}
