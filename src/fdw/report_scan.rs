//! Report tables (`report_trial_balance`, …): planning and executing a scan. A `=` condition on a
//! parameter column (`report_date`, `contact_id`, …) sets the report's parameter — a constant, a
//! parameter, or an outer row's column in a parameterized (LATERAL or `=`) join; the scan makes
//! the report's one call per (re)scan and yields its tidy rows, each with the parameter values
//! used, so PostgreSQL's recheck of every condition holds.

use std::collections::VecDeque;

use pgrx::pg_sys;
use pgrx::PgList;
use serde::{Deserialize, Serialize};
use xero_core::decode::{parse_uuid, Cell};
use xero_core::entities::ColumnType;
use xero_core::pushdown::{plan_report, report_by_table, report_table_columns, ReportColumn, ReportScan, Value};
use xero_core::reports::Report;
use xero_core::Result;

use crate::fdw::plan::{add_foreign_path, add_parameterized_paths, conds_of, local_quals, make_plan};
use crate::fdw::quals::QualContext;
use crate::fdw::table::{attribute_map, catalog, rows_option};
use crate::functions::report_rows::fetch_tidy;
use crate::pg::catalog::Org;
use crate::pg::report::OrRaise;

pub struct ReportInfo {
    pub report: &'static Report,
    pub columns: Vec<ReportColumn>,
    pub attmap: Vec<Option<usize>>,
    pub server: String,
    pub rows: Option<f64>,
}

/// The report table `relid` is, if it is one (its `report` option, else its name when it has no
/// `entity` option).
///
/// # Safety
/// Called in a transaction, with `relid` a foreign table the current query references.
pub unsafe fn report_info(relid: pg_sys::Oid) -> Option<ReportInfo> {
    // SAFETY: the caller's contract.
    let (server, options, relname) = unsafe { catalog(relid) };
    let option = |name: &str| options.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let report = match (option("report"), option("entity")) {
        (Some(r), _) => report_by_table(&r),
        (None, None) => report_by_table(&relname),
        (None, Some(_)) => None,
    }?;
    let columns = report_table_columns(report);
    let names: Vec<(&str, ColumnType)> = columns.iter().map(|c| (c.name.as_str(), c.ty)).collect();
    // SAFETY: the caller's contract.
    let attmap = unsafe { attribute_map(relid, &relname, &names) }.or_raise("xero_fdw");
    Some(ReportInfo { report, columns, attmap, server, rows: rows_option(&options) })
}

/// A report's tidy rows for a modest organisation, when the table has no `rows` option.
const DEFAULT_ROWS: f64 = 200.0;
const CALL_COST: f64 = 100.0;
/// A path that cannot give a required parameter fails at run time: never choose it if another exists.
const MISSING_PARAMETER_COST: f64 = 1.0e10;

/// What the plan carries (`fdw_private`, as JSON).
#[derive(Serialize, Deserialize)]
pub struct ReportPrivate {
    pub scan: ReportScan,
    pub local: Vec<usize>,
}

fn context<'a>(root: *mut pg_sys::PlannerInfo, baserel: *mut pg_sys::RelOptInfo, info: &'a ReportInfo) -> QualContext<'a> {
    // SAFETY: the planner's valid RelOptInfo.
    let varno = unsafe { (*baserel).relid } as i32;
    QualContext::new(root, varno, &info.attmap, info.columns.iter().map(|c| c.ty).collect())
}

/// GetForeignRelSize of a report table.
///
/// # Safety
/// The planner's valid structures.
pub unsafe fn rel_size(root: *mut pg_sys::PlannerInfo, baserel: *mut pg_sys::RelOptInfo, info: &ReportInfo) {
    // SAFETY: the caller's contract.
    unsafe {
        let total = info.rows.unwrap_or(DEFAULT_ROWS);
        // Every row carries the parameters' values: `report_date = …` selects them all.
        let mut data = PgList::<pg_sys::RestrictInfo>::new();
        for r in PgList::<pg_sys::RestrictInfo>::from_pg((*baserel).baserestrictinfo).iter_ptr() {
            if !references_parameter((*r).clause as *mut pg_sys::Node, (*baserel).relid, info) {
                data.push(r);
            }
        }
        let sel = pg_sys::clauselist_selectivity(root, data.into_pg(), 0, pg_sys::JoinType::JOIN_INNER, std::ptr::null_mut());
        (*baserel).tuples = total;
        (*baserel).rows = (total * sel).max(1.0).round();
    }
}

/// Whether `clause` reads a parameter column of the report table `relid` (its range-table index).
///
/// # Safety
/// `clause` is a valid expression of the query being planned.
unsafe fn references_parameter(clause: *mut pg_sys::Node, relid: pg_sys::Index, info: &ReportInfo) -> bool {
    // SAFETY: the caller's contract; pull_varattnos builds a palloc'd set in the planner's context.
    unsafe {
        let mut attnos: *mut pg_sys::Bitmapset = std::ptr::null_mut();
        pg_sys::pull_varattnos(clause, relid, &mut attnos);
        info.attmap.iter().enumerate().any(|(att, m)| {
            m.is_some_and(|i| info.columns[i].param.is_some()) && pg_sys::bms_is_member(att as i32 + 1 - pg_sys::FirstLowInvalidHeapAttributeNumber, attnos)
        })
    }
}

/// GetForeignPaths of a report table: the plain scan (one call), and a parameterized scan per join
/// clause on a parameter column. A path that leaves a required parameter unset costs so much
/// that it is chosen only when there is no other (and then fails, naming the column).
///
/// # Safety
/// The planner's valid structures.
pub unsafe fn paths(root: *mut pg_sys::PlannerInfo, baserel: *mut pg_sys::RelOptInfo, info: &ReportInfo) {
    // SAFETY: the caller's contract; paths are made in the planner's memory context.
    unsafe {
        let mut cx = context(root, baserel, info);
        let conds: Vec<_> = PgList::<pg_sys::RestrictInfo>::from_pg((*baserel).baserestrictinfo)
            .iter_ptr()
            .filter_map(|r| cx.cond((*r).clause as *mut pg_sys::Node))
            .collect();
        let scan = plan_report(info.report, &conds);
        let given: Vec<usize> = scan.args.iter().map(|(p, _)| *p).collect();
        let cost = |also: Option<usize>, rows: f64| {
            let missing = info.report.params.iter().enumerate().any(|(i, p)| p.required && !given.contains(&i) && also != Some(i));
            let startup = if missing { MISSING_PARAMETER_COST } else { CALL_COST };
            (startup, startup + rows * pg_sys::cpu_tuple_cost)
        };
        let rows = (*baserel).rows;
        let (startup, total) = cost(None, rows);
        add_foreign_path(root, baserel, rows, startup, total, std::ptr::null_mut(), std::ptr::null_mut());
        let columns: Vec<i16> = info
            .attmap
            .iter()
            .enumerate()
            .filter_map(|(att, m)| m.filter(|i| info.columns[*i].param.is_some()).map(|_| att as i16 + 1))
            .collect();
        let param_of = |attno: i16| info.attmap[attno as usize - 1].and_then(|i| info.columns[i].param);
        add_parameterized_paths(root, baserel, &columns, Some(rows), &|attno, rows| cost(param_of(attno), rows));
    }
}

/// GetForeignPlan of a report table.
///
/// # Safety
/// The planner's valid structures.
pub unsafe fn plan(
    root: *mut pg_sys::PlannerInfo,
    baserel: *mut pg_sys::RelOptInfo,
    info: &ReportInfo,
    tlist: *mut pg_sys::List,
    scan_clauses: *mut pg_sys::List,
    outer_plan: *mut pg_sys::Plan,
) -> *mut pg_sys::ForeignScan {
    // SAFETY: the caller's contract.
    unsafe {
        let quals = pg_sys::extract_actual_clauses(scan_clauses, false);
        let nodes: Vec<*mut pg_sys::Node> = PgList::<pg_sys::Node>::from_pg(quals).iter_ptr().collect();
        let mut cx = context(root, baserel, info);
        let (conds, qual_of_cond) = conds_of(&mut cx, &nodes);
        let scan = plan_report(info.report, &conds);
        let local = local_quals(nodes.len(), &qual_of_cond, |k| scan.is_pushed(k));
        let json = serde_json::to_string(&ReportPrivate { scan, local }).expect("a plan serializes");
        make_plan(baserel, tlist, quals, &json, cx.params, outer_plan)
    }
}

/// A report plan's `fdw_private`.
///
/// # Safety
/// `plan` is a ForeignScan made by [`plan`].
pub unsafe fn private_of(plan: *mut pg_sys::ForeignScan) -> ReportPrivate {
    // SAFETY: the caller's contract: a list of one String node holding JSON.
    let json = unsafe { crate::fdw::plan::private_json(plan) };
    serde_json::from_str(&json).unwrap_or_else(|e| crate::pg::report::raise(xero_core::XeroError::internal(format!("xero_fdw report plan: {e}")), "xero_fdw"))
}

/// The executing scan of a report table.
pub struct ReportState {
    pub info: ReportInfo,
    pub private: ReportPrivate,
    pub org: Option<Org>,
    /// The runtime value expressions and their types.
    pub params: Vec<(*mut pg_sys::ExprState, pg_sys::Oid)>,
    pub started: bool,
    rows: VecDeque<Vec<Cell>>,
    /// Per table column, what a parameter column shows in this scan.
    values: Vec<Cell>,
    pub description: Option<String>,
    pub calls: u32,
    pub records: u64,
}

fn cell_of(v: &Value) -> Cell {
    match v {
        Value::Text(s) => Cell::Text(s.clone()),
        Value::Uuid(s) => parse_uuid(s).map(Cell::Uuid).unwrap_or(Cell::Null),
        Value::Date(d) => Cell::Date(*d),
        Value::Int(n) => Cell::Int(*n),
        Value::Bool(b) => Cell::Bool(*b),
        Value::Timestamptz(t) => Cell::Timestamptz(*t),
        Value::Numeric(n) => Cell::Numeric(n.clone()),
        Value::Null | Value::List(_) => Cell::Null,
    }
}

impl ReportState {
    pub fn new(info: ReportInfo, private: ReportPrivate, org: Option<Org>) -> Self {
        ReportState { info, private, org, params: Vec::new(), started: false, rows: VecDeque::new(), values: Vec::new(), description: None, calls: 0, records: 0 }
    }

    /// Makes the call with the runtime values `params`.
    pub fn start(&mut self, params: &[Value]) -> Result<()> {
        let org = self.org.as_ref().ok_or_else(|| xero_core::XeroError::internal("scan without organisation"))?;
        let request = self.private.scan.request(&org.config.api_url, Some(params))?;
        self.values = self.info.columns.iter().map(|c| c.param.and_then(|p| request.values[p].as_ref()).map(cell_of).unwrap_or(Cell::Null)).collect();
        self.description = Some(request.description);
        self.rows.clear();
        if let Some(url) = request.url {
            self.calls += 1;
            let rows = fetch_tidy(org, self.info.report, &url)?;
            self.records += rows.len() as u64;
            self.rows = rows.into();
        }
        self.started = true;
        Ok(())
    }

    /// The next row: the tidy cells, then the parameter columns' values.
    pub fn next_row(&mut self) -> Option<Vec<Cell>> {
        let mut row = self.rows.pop_front()?;
        row.extend(self.values.iter().skip(row.len()).cloned());
        Some(row)
    }

    pub fn stop(&mut self) {
        self.rows.clear();
        self.started = false;
    }
}
