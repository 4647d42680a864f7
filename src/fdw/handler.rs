//! `xero_fdw_handler`: the wrapper's callbacks (scan, EXPLAIN, IMPORT FOREIGN SCHEMA, writes).

use pgrx::pg_sys;
use pgrx::prelude::*;
use pgrx::PgBox;

use crate::fdw::{explain, import, modify, plan, scan};

#[unsafe(no_mangle)]
pub extern "C" fn pg_finfo_xero_fdw_handler() -> &'static pg_sys::Pg_finfo_record {
    const V1: pg_sys::Pg_finfo_record = pg_sys::Pg_finfo_record { api_version: 1 };
    &V1
}

/// The C function behind `xero_fdw_handler()`: a palloc'd FdwRoutine.
///
/// # Safety
/// Called by PostgreSQL's function manager (it takes no arguments).
#[pg_guard]
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn xero_fdw_handler(_fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    // SAFETY: alloc_node pallocs a zeroed node of the tag's type in the current context.
    let mut routine = unsafe { PgBox::<pg_sys::FdwRoutine>::alloc_node(pg_sys::NodeTag::T_FdwRoutine) };
    routine.GetForeignRelSize = Some(plan::get_rel_size);
    routine.GetForeignPaths = Some(plan::get_paths);
    routine.GetForeignPlan = Some(plan::get_plan);
    routine.BeginForeignScan = Some(scan::begin);
    routine.IterateForeignScan = Some(scan::iterate);
    routine.ReScanForeignScan = Some(scan::rescan);
    routine.EndForeignScan = Some(scan::end);
    routine.ExplainForeignScan = Some(explain::explain);
    routine.ImportForeignSchema = Some(import::import);
    routine.IsForeignRelUpdatable = Some(modify::is_updatable);
    routine.AddForeignUpdateTargets = Some(modify::add_targets);
    routine.PlanForeignModify = Some(modify::plan_modify);
    routine.BeginForeignModify = Some(modify::begin_modify);
    routine.GetForeignModifyBatchSize = Some(modify::batch_size_of);
    routine.ExecForeignInsert = Some(modify::exec_insert);
    routine.ExecForeignBatchInsert = Some(modify::exec_batch_insert);
    routine.ExecForeignUpdate = Some(modify::exec_update);
    routine.ExecForeignDelete = Some(modify::exec_delete);
    routine.EndForeignModify = Some(modify::end_modify);
    routine.BeginForeignInsert = Some(modify::begin_insert);
    routine.EndForeignInsert = Some(modify::end_insert);
    routine.ExplainForeignModify = Some(explain::explain_modify);
    pg_sys::Datum::from(routine.into_pg())
}
