//! Executing a scan: the runtime values are evaluated at each (re)scan, the pushdown's calls are
//! read one after the other through the one read path (`tokens::read::start`, one page ahead),
//! and each row goes into the scan slot. Ending the scan (or a satisfied LIMIT, which ends it)
//! drops the reader, which abandons the call under way: no further page is asked for.

use std::collections::VecDeque;

use pgrx::pg_sys;
use pgrx::prelude::*;
use pgrx::PgList;
use xero_core::decode::Cell;
use xero_core::entities::{ColumnType, FilterKind};
use xero_core::list::ListPlan;
use xero_core::pages::ListStats;
use xero_core::pushdown::{TableColumnKind, Value};
use xero_core::read::Reader;
use xero_core::{Result, XeroError};

use crate::fdw::plan::{private_of, FdwPrivate};
use crate::fdw::table::{datum_value, table_info, TableInfo};
use crate::pg::catalog::{resolve_org, Org};
use crate::pg::cells;
use crate::pg::report::{raise_for_org, OrRaise};
use crate::tokens::read;

pub struct Scan {
    pub info: TableInfo,
    pub private: FdwPrivate,
    params: Vec<(*mut pg_sys::ExprState, pg_sys::Oid)>,
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
}

/// The scan state of a node.
///
/// # Safety
/// `node` is a scan begun by `begin`.
pub unsafe fn state<'a>(node: *mut pg_sys::ForeignScanState) -> Option<&'a mut Scan> {
    // SAFETY: fdw_state is NULL or the cell `begin` made, holding NULL or a live Box<Scan>.
    unsafe {
        let cell = (*node).fdw_state as *mut *mut Scan;
        if cell.is_null() || (*cell).is_null() {
            None
        } else {
            Some(&mut **cell)
        }
    }
}

/// Drops the scan behind a cell (the end of the scan, or the query's memory going away after an
/// error, whichever comes first).
#[pg_guard]
unsafe extern "C-unwind" fn drop_cell(arg: *mut std::ffi::c_void) {
    let cell = arg as *mut *mut Scan;
    // SAFETY: the cell `begin` allocated; the Box is taken once (the pointer is nulled).
    unsafe {
        if !(*cell).is_null() {
            drop(Box::from_raw(*cell));
            *cell = std::ptr::null_mut();
        }
    }
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
        let info = table_info(relid).or_raise("xero_fdw");
        let private = private_of(plan);
        let mut params = Vec::new();
        if eflags & pg_sys::EXEC_FLAG_EXPLAIN_ONLY as i32 == 0 {
            let exprs: Vec<*mut pg_sys::Node> = PgList::<pg_sys::Node>::from_pg((*plan).fdw_exprs).iter_ptr().collect();
            let states: Vec<*mut pg_sys::ExprState> =
                PgList::<pg_sys::ExprState>::from_pg(pg_sys::ExecInitExprList((*plan).fdw_exprs, node as *mut pg_sys::PlanState)).iter_ptr().collect();
            params = states.into_iter().zip(exprs.iter().map(|e| pg_sys::exprType(*e))).collect();
        }
        let org = if eflags & pg_sys::EXEC_FLAG_EXPLAIN_ONLY as i32 == 0 {
            Some(resolve_org(&info.server).unwrap_or_else(|e| raise_for_org(e, &info.server, "xero_fdw")))
        } else {
            None
        };
        let scan = Box::new(Scan {
            info,
            private,
            params,
            org,
            started: false,
            plans: VecDeque::new(),
            reader: None,
            options: Vec::new(),
            description: None,
            stats: ListStats::default(),
            scans: 0,
        });
        let cxt = (*(*node).ss.ps.state).es_query_cxt;
        let cell = pg_sys::MemoryContextAlloc(cxt, std::mem::size_of::<*mut Scan>()) as *mut *mut Scan;
        *cell = Box::into_raw(scan);
        let cb = pg_sys::MemoryContextAlloc(cxt, std::mem::size_of::<pg_sys::MemoryContextCallback>()) as *mut pg_sys::MemoryContextCallback;
        (*cb).func = Some(drop_cell);
        (*cb).arg = cell as *mut std::ffi::c_void;
        pg_sys::MemoryContextRegisterResetCallback(cxt, cb);
        (*node).fdw_state = cell as *mut std::ffi::c_void;
    }
}

impl Scan {
    /// Evaluates the runtime values and plans the calls.
    unsafe fn start(&mut self, econtext: *mut pg_sys::ExprContext) -> Result<()> {
        let mut values = Vec::with_capacity(self.params.len());
        for (state, ty) in &self.params {
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
        let org = self.org.as_ref().ok_or_else(|| XeroError::internal("scan without organisation"))?;
        let requests = self.private.scan.requests(&org.config.api_url, Some(&values))?;
        self.options = self.option_cells(requests.plans.first());
        self.plans = requests.plans.into();
        self.description = Some(requests.description);
        self.started = true;
        self.scans += 1;
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
                    return Ok(Some(row));
                }
                self.finish_reader();
            }
            let Some(plan) = self.plans.pop_front() else { return Ok(None) };
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
        let Some(scan) = state(node) else { return slot };
        let server = scan.info.server.clone();
        if !scan.started {
            scan.start((*node).ss.ps.ps_ExprContext).unwrap_or_else(|e| raise_for_org(e, &server, "xero_fdw"));
        }
        let Some(row) = scan.next_row().unwrap_or_else(|e| raise_for_org(e, &server, "xero_fdw")) else {
            return slot;
        };
        let natts = (*(*slot).tts_tupleDescriptor).natts as usize;
        for att in 0..natts {
            let (datum, isnull) = match scan.info.attmap.get(att).copied().flatten() {
                Some(i) => {
                    let col = &scan.info.columns[i];
                    let cell = match col.kind {
                        TableColumnKind::Data(_) => row.get(i),
                        TableColumnKind::Option(_) => scan.options.get(i).and_then(Option::as_ref),
                    };
                    match cell {
                        Some(c) => cells::to_datum(c, col.ty),
                        None => (pg_sys::Datum::from(0), true),
                    }
                }
                None => (pg_sys::Datum::from(0), true),
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
    if let Some(scan) = unsafe { state(node) } {
        scan.stop();
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
