//! Planning a scan: row estimates from the table's `rows` option (else the count a scan of this
//! session learned, `estimates.rs`, else the entity's default) and
//! the selectivity of its conditions; costs from the calls and records Xero is asked for; a
//! parameterized path for joins on the record's key or contact (a key lookup per outer row instead
//! of a full listing); a sorted path when Xero can sort as the query wants (`sort.rs`); and the
//! plan itself, whose quals are all kept for the local recheck.

use std::ffi::CString;

use pgrx::pg_sys;
use pgrx::prelude::*;
use pgrx::PgList;
use serde::{Deserialize, Serialize};
use xero_core::entities::ColumnType;
use xero_core::pushdown::{default_rows, plan, records_per_call, Push, ScanPlan};

use crate::fdw::quals::QualContext;
use crate::fdw::estimates;
use crate::fdw::report_scan::{self, report_info};
use crate::fdw::sort::{order_keys, pushable_limit};
use crate::fdw::table::{table_info, TableInfo};
use crate::pg::report::OrRaise;

/// What the plan carries to the executor and EXPLAIN (`fdw_private`, as JSON).
#[derive(Serialize, Deserialize)]
pub struct FdwPrivate {
    pub scan: ScanPlan,
    /// Indexes in the plan's qual list of the conditions Xero is not asked to apply.
    pub local: Vec<usize>,
}

/// Seconds-scale latency of a call, and the transfer and decoding of a record, in planner units.
const CALL_COST: f64 = 100.0;
const RECORD_COST: f64 = 0.5;

fn scan_cost(info: &TableInfo, fetched: f64) -> (f64, f64) {
    let calls = match records_per_call(info.entity) {
        Some(per) => (fetched / f64::from(per)).ceil().max(1.0),
        None => 1.0,
    };
    (CALL_COST, calls * CALL_COST + fetched * RECORD_COST)
}

/// # Safety
/// `relid` is a foreign table the query being planned references.
unsafe fn rel_info(relid: pg_sys::Oid) -> TableInfo {
    // SAFETY: the planner holds a lock on the foreign table being planned.
    unsafe { table_info(relid) }.or_raise("xero_fdw")
}

/// GetForeignRelSize.
///
/// # Safety
/// Called by the planner with its valid arguments.
#[pg_guard]
pub unsafe extern "C-unwind" fn get_rel_size(root: *mut pg_sys::PlannerInfo, baserel: *mut pg_sys::RelOptInfo, relid: pg_sys::Oid) {
    // SAFETY: the planner's valid structures; clauselist_selectivity reads the restrictions.
    unsafe {
        if let Some(report) = report_info(relid) {
            return report_scan::rel_size(root, baserel, &report);
        }
        let info = rel_info(relid);
        let total = info.rows.or_else(|| estimates::remembered(&info.server, info.entity)).unwrap_or_else(|| default_rows(info.entity));
        let sel = pg_sys::clauselist_selectivity(root, (*baserel).baserestrictinfo, 0, pg_sys::JoinType::JOIN_INNER, std::ptr::null_mut());
        (*baserel).tuples = total;
        (*baserel).rows = (total * sel).max(1.0).round();
    }
}

/// GetForeignPaths: the plain scan, and a parameterized scan per join on a key or contact.
///
/// # Safety
/// Called by the planner with its valid arguments.
#[pg_guard]
pub unsafe extern "C-unwind" fn get_paths(root: *mut pg_sys::PlannerInfo, baserel: *mut pg_sys::RelOptInfo, relid: pg_sys::Oid) {
    // SAFETY: the planner's valid structures; paths are made in its memory context.
    unsafe {
        if let Some(report) = report_info(relid) {
            return report_scan::paths(root, baserel, &report);
        }
        let info = rel_info(relid);
        let varno = (*baserel).relid as i32;
        let total = (*baserel).tuples;
        // What Xero is asked to filter decides what it sends: estimate the records fetched from
        // the pushed restrictions only.
        let rinfos: Vec<*mut pg_sys::RestrictInfo> = PgList::<pg_sys::RestrictInfo>::from_pg((*baserel).baserestrictinfo).iter_ptr().collect();
        let mut cx = QualContext::for_table(root, varno, &info);
        let conds: Vec<_> = rinfos.iter().map(|r| cx.cond((**r).clause as *mut pg_sys::Node)).collect();
        let scan = plan(info.entity, conds.iter().flatten().cloned().collect(), None);
        let mut pushed = PgList::<pg_sys::RestrictInfo>::new();
        let mut k = 0;
        for (r, c) in rinfos.iter().zip(&conds) {
            if c.is_some() {
                if scan.is_pushed(k) {
                    pushed.push(*r);
                }
                k += 1;
            }
        }
        let sel = pg_sys::clauselist_selectivity(root, pushed.into_pg(), 0, pg_sys::JoinType::JOIN_INNER, std::ptr::null_mut());
        let (startup, cost) = scan_cost(&info, (total * sel).max(1.0));
        let run = cost + (*baserel).rows * pg_sys::cpu_tuple_cost;
        add_foreign_path(root, baserel, (*baserel).rows, startup, run, std::ptr::null_mut(), std::ptr::null_mut());
        // The rows in the query's order, when Xero sorts them as PostgreSQL would: no Sort, and
        // an ORDER BY … LIMIT reads only the first page(s).
        let wanted = (*root).query_pathkeys;
        if !wanted.is_null() && order_keys(baserel, &info, wanted, &scan.conds).is_some() {
            add_foreign_path(root, baserel, (*baserel).rows, startup, run, std::ptr::null_mut(), wanted);
        }
        let columns: Vec<i16> = lookup_columns(&info).into_iter().map(|(att, _)| att).collect();
        add_parameterized_paths(root, baserel, &columns, None, &|_, rows| scan_cost(&info, rows));
    }
}

/// The columns a join can look up by: those a `=` pushes as a list parameter — the key and the
/// contact (uuids), the invoice number (`InvoiceNumbers`; Xero may match it more loosely than
/// PostgreSQL, the recheck keeps PostgreSQL's rows).
fn lookup_columns(info: &TableInfo) -> Vec<(i16, usize)> {
    let entity = info.entity;
    let mut out = Vec::new();
    for (i, col) in info.columns.iter().enumerate() {
        let probe = plan(entity, vec![xero_core::pushdown::Cond::Cmp { column: i, op: xero_core::pushdown::Op::Eq, value: xero_core::pushdown::Operand::Param(0) }], None);
        match (col.ty, probe.pushed.first()) {
            (ColumnType::Uuid, Some(Some(Push::List(_)))) => {}
            (ColumnType::Text, Some(Some(Push::List(name)))) if name == "InvoiceNumbers" => {}
            _ => continue,
        }
        if let Some(att) = info.attmap.iter().position(|m| *m == Some(i)) {
            out.push((att as i16 + 1, i));
        }
    }
    out
}

#[pg_guard]
unsafe extern "C-unwind" fn member_is_var(
    _root: *mut pg_sys::PlannerInfo,
    _rel: *mut pg_sys::RelOptInfo,
    _ec: *mut pg_sys::EquivalenceClass,
    em: *mut pg_sys::EquivalenceMember,
    arg: *mut std::ffi::c_void,
) -> bool {
    // SAFETY: `arg` is the Var passed to generate_implied_equalities_for_column below; `em` the
    // planner's member.
    unsafe { pg_sys::equal((*em).em_expr as *const std::ffi::c_void, arg) }
}

/// Adds a foreign-scan path (parameterized by `outer`, or not when NULL; sorted by `pathkeys`, or
/// not when NIL).
///
/// # Safety
/// The planner's valid structures.
pub unsafe fn add_foreign_path(
    root: *mut pg_sys::PlannerInfo,
    baserel: *mut pg_sys::RelOptInfo,
    rows: f64,
    startup: f64,
    total: f64,
    outer: pg_sys::Relids,
    pathkeys: *mut pg_sys::List,
) {
    // SAFETY: the caller's contract; the path is made in the planner's memory context.
    unsafe {
        let path = pg_sys::create_foreignscan_path(
            root,
            baserel,
            std::ptr::null_mut(),
            rows,
            startup,
            total,
            pathkeys,
            outer,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        );
        pg_sys::add_path(baserel, path as *mut pg_sys::Path);
    }
}

/// A parameterized path per join clause that sets one of `columns` (attribute numbers) from
/// other relations: the scan is then made per outer row with the value (returning `rows` rows
/// when given — a report's rows all carry it — else the join clause's selectivity). `cost` gives the
/// (startup, run) cost of a scan on that attribute returning `rows`.
///
/// # Safety
/// The planner's valid structures.
pub unsafe fn add_parameterized_paths(
    root: *mut pg_sys::PlannerInfo,
    baserel: *mut pg_sys::RelOptInfo,
    columns: &[i16],
    rows: Option<f64>,
    cost: &dyn Fn(i16, f64) -> (f64, f64),
) {
    // SAFETY: as the caller's; the Var lives in the planner's memory context for the call.
    unsafe {
        if !(*baserel).has_eclass_joins {
            return;
        }
        let relid = (*(*(*root).simple_rte_array.add((*baserel).relid as usize))).relid;
        for &attno in columns {
            // The Var as the query has it (type, typmod and collation: a text key's collation too).
            let (mut ty, mut typmod, mut coll) = (pg_sys::InvalidOid, -1, pg_sys::InvalidOid);
            pg_sys::get_atttypetypmodcoll(relid, attno, &mut ty, &mut typmod, &mut coll);
            let var = pg_sys::makeVar((*baserel).relid as i32, attno, ty, typmod, coll, 0);
            let clauses = pg_sys::generate_implied_equalities_for_column(root, baserel, Some(member_is_var), var as *mut std::ffi::c_void, (*baserel).lateral_referencers);
            for rinfo in PgList::<pg_sys::RestrictInfo>::from_pg(clauses).iter_ptr() {
                if !pg_sys::join_clause_is_movable_to(rinfo, baserel) {
                    continue;
                }
                let outer = pg_sys::bms_difference(pg_sys::bms_union((*rinfo).clause_relids, (*baserel).lateral_relids), (*baserel).relids);
                if pg_sys::bms_is_empty(outer) {
                    continue;
                }
                let ppi = pg_sys::get_baserel_parampathinfo(root, baserel, outer);
                let rows = rows.unwrap_or((*ppi).ppi_rows).max(1.0);
                let (startup, total) = cost(attno, rows);
                add_foreign_path(root, baserel, rows, startup, total + rows * pg_sys::cpu_tuple_cost, outer, std::ptr::null_mut());
            }
        }
    }
}

/// GetForeignPlan: every qual stays in the plan (the local recheck); the pushdown decision and
/// the runtime value expressions travel in `fdw_private` / `fdw_exprs`.
///
/// # Safety
/// Called by the planner with its valid arguments.
#[pg_guard]
pub unsafe extern "C-unwind" fn get_plan(
    root: *mut pg_sys::PlannerInfo,
    baserel: *mut pg_sys::RelOptInfo,
    relid: pg_sys::Oid,
    best_path: *mut pg_sys::ForeignPath,
    tlist: *mut pg_sys::List,
    scan_clauses: *mut pg_sys::List,
    outer_plan: *mut pg_sys::Plan,
) -> *mut pg_sys::ForeignScan {
    // SAFETY: the planner's valid structures; the lists and strings made here are palloc'd in
    // its memory context, as a plan's must be.
    unsafe {
        if let Some(report) = report_info(relid) {
            return report_scan::plan(root, baserel, &report, tlist, scan_clauses, outer_plan);
        }
        let info = rel_info(relid);
        let varno = (*baserel).relid as i32;
        let quals = pg_sys::extract_actual_clauses(scan_clauses, false);
        let nodes: Vec<*mut pg_sys::Node> = PgList::<pg_sys::Node>::from_pg(quals).iter_ptr().collect();
        let mut cx = QualContext::for_table(root, varno, &info);
        let (conds, qual_of_cond) = conds_of(&mut cx, &nodes);
        let pathkeys = (*best_path).path.pathkeys;
        let order = if pathkeys.is_null() { None } else { order_keys(baserel, &info, pathkeys, &conds) };
        if !pathkeys.is_null() && order.is_none() {
            crate::pg::report::raise(xero_core::XeroError::internal("xero_fdw: a sorted path whose order Xero cannot give"), "xero_fdw");
        }
        let sorted = order.is_some() && pg_sys::pathkeys_contained_in((*root).sort_pathkeys, pathkeys);
        let limit = if conds.len() == nodes.len() { pushable_limit(root, sorted) } else { None };
        let mut scan = plan(info.entity, conds, limit);
        if let Some(keys) = &order {
            scan.set_order(keys);
        }
        let local = local_quals(nodes.len(), &qual_of_cond, |k| scan.is_pushed(k));
        let json = serde_json::to_string(&FdwPrivate { scan, local }).expect("a plan serializes");
        make_plan(baserel, tlist, quals, &json, cx.params, outer_plan)
    }
}

/// The quals the pushdown understands, as conditions, and the index of each one's qual.
///
/// # Safety
/// `nodes` are valid expressions of the query being planned.
pub unsafe fn conds_of(cx: &mut QualContext, nodes: &[*mut pg_sys::Node]) -> (Vec<xero_core::pushdown::Cond>, Vec<usize>) {
    let mut conds = Vec::new();
    let mut qual_of_cond = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        // SAFETY: the caller's contract.
        if let Some(c) = unsafe { cx.cond(*n) } {
            conds.push(c);
            qual_of_cond.push(i);
        }
    }
    (conds, qual_of_cond)
}

/// The indexes of the quals Xero is not asked to apply (condition `k` being pushed or not).
pub fn local_quals(quals: usize, qual_of_cond: &[usize], pushed: impl Fn(usize) -> bool) -> Vec<usize> {
    (0..quals).filter(|i| !qual_of_cond.iter().position(|q| q == i).is_some_and(&pushed)).collect()
}

/// The ForeignScan: every qual kept for the local recheck, the plan's JSON in `fdw_private`, the
/// runtime value expressions in `fdw_exprs`.
///
/// # Safety
/// The planner's valid structures; the lists and strings are palloc'd in its memory context.
pub unsafe fn make_plan(
    baserel: *mut pg_sys::RelOptInfo,
    tlist: *mut pg_sys::List,
    quals: *mut pg_sys::List,
    json: &str,
    params: Vec<*mut pg_sys::Expr>,
    outer_plan: *mut pg_sys::Plan,
) -> *mut pg_sys::ForeignScan {
    // SAFETY: the caller's contract.
    unsafe {
        let c = CString::new(json).expect("JSON has no NUL");
        let mut private = PgList::<pg_sys::Node>::new();
        private.push(pg_sys::makeString(pg_sys::pstrdup(c.as_ptr())) as *mut pg_sys::Node);
        let mut exprs = PgList::<pg_sys::Expr>::new();
        for e in params {
            exprs.push(e);
        }
        pg_sys::make_foreignscan(tlist, quals, (*baserel).relid, exprs.into_pg(), private.into_pg(), std::ptr::null_mut(), std::ptr::null_mut(), outer_plan)
    }
}

/// The plan's `fdw_private`.
///
/// # Safety
/// `plan` is a ForeignScan made by `get_plan`.
pub unsafe fn private_of(plan: *mut pg_sys::ForeignScan) -> FdwPrivate {
    // SAFETY: the caller's contract.
    let json = unsafe { private_json(plan) };
    serde_json::from_str(&json).unwrap_or_else(|e| crate::pg::report::raise(xero_core::XeroError::internal(format!("xero_fdw plan: {e}")), "xero_fdw"))
}

/// The JSON a plan of this wrapper carries.
///
/// # Safety
/// `plan` is a ForeignScan made by `get_plan` or `report_scan::plan`: a list of one String node.
pub unsafe fn private_json(plan: *mut pg_sys::ForeignScan) -> String {
    // SAFETY: the caller's contract.
    unsafe {
        let list = PgList::<pg_sys::String>::from_pg((*plan).fdw_private);
        let s = list.get_ptr(0).expect("fdw_private has the plan");
        crate::fdw::table::text_of((*s).sval)
    }
}
