//! INSERT, UPDATE and DELETE on a foreign table: the wrapper's modify callbacks.
//!
//! - The planner adds the record's id (and, where needed, its parent's id and its status) to the
//!   rows an UPDATE or DELETE reads, as row-identity columns (`add_row_identity_var`).
//! - An INSERT without RETURNING is sent in batches (`batch_size`, a table or server option,
//!   default 50: PostgreSQL hands over that many rows at a time); with RETURNING, or on a table
//!   whose creates take one element, a row a call. UPDATE and DELETE are a call per row.
//! - Rows Xero rejects do not stop the statement at once: every row is sent, then the statement
//!   fails with one error naming each rejected row and every record Xero created or changed
//!   before it (Xero has no rollback). A call that fails as a whole ends it at once, saying the same.
//! - Writes need the organisation's write grant (`api_write_roles`), checked when the statement
//!   starts; the table's own INSERT/UPDATE/DELETE privilege is PostgreSQL's.

use pgrx::pg_sys;
use pgrx::prelude::*;
use xero_core::decode::Cell;
use xero_core::entities::{Delete, Source, Write};
use xero_core::options::parse_batch_size;
use xero_core::writes::{write_of, Op};
use xero_core::{ErrorKind, Result, XeroError};

use crate::fdw::modify_state::{column_named, Modify, RowIn};
use crate::fdw::report_scan::report_info;
use crate::fdw::scan::store;
use crate::fdw::table::{catalog, table_info, TableInfo};
use crate::pg::catalog::resolve_org;
use crate::pg::{cells, owned};
use crate::pg::report::{raise, raise_for_org, OrRaise};
use crate::tokens::write::may_write;

const ROW_ID: &std::ffi::CStr = c"xero_row_id";
const ROW_PARENT: &std::ffi::CStr = c"xero_row_parent";
const ROW_STATUS: &std::ffi::CStr = c"xero_row_status";

pub(super) fn op_of(cmd: pg_sys::CmdType::Type) -> Op {
    match cmd {
        pg_sys::CmdType::CMD_UPDATE => Op::Update,
        pg_sys::CmdType::CMD_DELETE => Op::Delete,
        _ => Op::Insert,
    }
}

/// The table and how it is written for `op`, or the error saying why it cannot be.
///
/// # Safety
/// `relid` is a foreign table the current statement modifies.
pub(super) unsafe fn writable(relid: pg_sys::Oid, op: Op) -> Result<(TableInfo, &'static Write)> {
    // SAFETY: the caller's contract.
    if let Some(report) = unsafe { report_info(relid) } {
        return Err(XeroError::new(ErrorKind::NotSupported, format!("report tables cannot be written to ({})", report.report.function))
            .with_hint("Reports are computed by Xero from the ledger; write the documents instead."));
    }
    // SAFETY: the caller's contract.
    let info = unsafe { table_info(relid) }?;
    let write = write_of(info.entity, op)?;
    if let (Op::Delete, Delete::Unsupported(why)) = (op, write.delete) {
        return Err(xero_core::writes::delete_unsupported(xero_core::pushdown::table_name(info.entity), why));
    }
    Ok((info, write))
}

/// IsForeignRelUpdatable: every table says yes, so that a statement Xero cannot do reaches
/// PlanForeignModify and fails there with the reason, not PostgreSQL's bare refusal.
#[pg_guard]
pub unsafe extern "C-unwind" fn is_updatable(_rel: pg_sys::Relation) -> i32 {
    (1 << pg_sys::CmdType::CMD_INSERT) | (1 << pg_sys::CmdType::CMD_UPDATE) | (1 << pg_sys::CmdType::CMD_DELETE)
}

/// The 1-based attribute number of the table column `name`, or the error that UPDATE/DELETE
/// cannot find records without it.
///
/// # Safety
/// `relid` is the foreign table of `info`.
unsafe fn attno_of(relid: pg_sys::Oid, info: &TableInfo, name: &str, what: &str) -> Result<i16> {
    let index = info.columns.iter().position(|c| c.name == name);
    match info.attmap.iter().position(|a| a.is_some() && *a == index) {
        Some(att) => Ok(att as i16 + 1),
        None => {
            // SAFETY: the caller's contract.
            let table = unsafe { crate::fdw::table::text_of(pg_sys::get_rel_name(relid)) };
            Err(XeroError::invalid_argument(format!("foreign table \"{table}\" has no column \"{name}\", which {what}"))
                .with_hint("Declare the table with IMPORT FOREIGN SCHEMA, or add the column."))
        }
    }
}

/// AddForeignUpdateTargets: the columns UPDATE and DELETE need to find each record.
///
/// # Safety
/// Called by the planner with its valid arguments.
#[pg_guard]
pub unsafe extern "C-unwind" fn add_targets(root: *mut pg_sys::PlannerInfo, rtindex: pg_sys::Index, _rte: *mut pg_sys::RangeTblEntry, rel: pg_sys::Relation) {
    // SAFETY: the planner's valid structures; the Vars are made in its memory context.
    unsafe {
        let relid = (*rel).rd_id;
        let op = op_of((*(*root).parse).commandType);
        let (info, write) = writable(relid, op).or_raise("xero_fdw");
        let id = column_named(&info, Source::Field(&[]), write.id_field);
        let mut targets = vec![(ROW_ID, id, "finds the record to change")];
        if let Some(parent) = write.parent_field {
            targets.push((ROW_PARENT, column_named(&info, Source::Parent(&[]), parent), "names the record's parent"));
        }
        if op == Op::Delete && matches!(write.delete, Delete::Status(rules) if rules.iter().any(|(from, _)| *from != "*")) {
            targets.push((ROW_STATUS, column_named(&info, Source::Field(&[]), write.status_field), "says how Xero removes the record"));
        }
        for (name, column, why) in targets {
            let column = column.unwrap_or("<none>");
            let att = attno_of(relid, &info, column, why).or_raise("xero_fdw");
            let (mut typid, mut typmod, mut coll) = (pg_sys::InvalidOid, 0, pg_sys::InvalidOid);
            pg_sys::get_atttypetypmodcoll(relid, att, &mut typid, &mut typmod, &mut coll);
            let var = pg_sys::makeVar(rtindex as i32, att, typid, typmod, coll, 0);
            pg_sys::add_row_identity_var(root, var, rtindex, name.as_ptr());
        }
    }
}

/// PlanForeignModify: a statement Xero cannot do fails here, when it is planned.
///
/// # Safety
/// Called by the planner with its valid arguments.
#[pg_guard]
pub unsafe extern "C-unwind" fn plan_modify(root: *mut pg_sys::PlannerInfo, plan: *mut pg_sys::ModifyTable, rti: pg_sys::Index, _subplan: i32) -> *mut pg_sys::List {
    // SAFETY: the planner's valid structures; the range table entry names the table.
    unsafe {
        let rte: *mut pg_sys::RangeTblEntry = *(*root).simple_rte_array.add(rti as usize);
        writable((*rte).relid, op_of((*plan).operation)).or_raise("xero_fdw");
        std::ptr::null_mut()
    }
}

/// The statement state of a result relation.
///
/// # Safety
/// `rinfo` is a result relation begun by [`begin_modify`].
pub(super) unsafe fn state<'a>(rinfo: *mut pg_sys::ResultRelInfo) -> Option<&'a mut Modify> {
    // SAFETY: ri_FdwState is NULL or the cell `begin` made.
    unsafe { owned::get::<Modify>((*rinfo).ri_FdwState) }
}

/// Drops a statement's state (its query's memory going away).
#[pg_guard]
unsafe extern "C-unwind" fn drop_cell(arg: *mut std::ffi::c_void) {
    // SAFETY: the cell `begin` made.
    unsafe { owned::release::<Modify>(arg) }
}

/// The `batch_size` of a table (its own option, else its server's, else 50).
///
/// # Safety
/// `relid` is a foreign table of the statement.
pub(super) unsafe fn batch_size(relid: pg_sys::Oid, server_default: u32) -> u32 {
    // SAFETY: the caller's contract.
    let (_, options, _) = unsafe { catalog(relid) };
    options.iter().find(|(k, _)| k == "batch_size").and_then(|(_, v)| parse_batch_size(v).ok()).unwrap_or(server_default)
}

/// BeginForeignModify: the table, its organisation, the write grant, the row-identity columns.
///
/// # Safety
/// Called by the executor with its valid arguments.
#[pg_guard]
pub unsafe extern "C-unwind" fn begin_modify(mtstate: *mut pg_sys::ModifyTableState, rinfo: *mut pg_sys::ResultRelInfo, _private: *mut pg_sys::List, _subplan: i32, eflags: i32) {
    if eflags & pg_sys::EXEC_FLAG_EXPLAIN_ONLY as i32 != 0 {
        return;
    }
    // SAFETY: the executor's valid structures.
    unsafe { begin(mtstate, rinfo, op_of((*mtstate).operation)) }
}

/// BeginForeignInsert: rows that reach the table without an INSERT's ModifyTable — COPY FROM,
/// or a partition of a partitioned table — are sent as an INSERT's are.
///
/// # Safety
/// Called by the executor (COPY, tuple routing) with its valid arguments; `mtstate` may be NULL.
#[pg_guard]
pub unsafe extern "C-unwind" fn begin_insert(mtstate: *mut pg_sys::ModifyTableState, rinfo: *mut pg_sys::ResultRelInfo) {
    // SAFETY: the executor's valid structures.
    unsafe { begin(mtstate, rinfo, Op::Insert) }
}

/// EndForeignInsert: as EndForeignModify.
///
/// # Safety
/// Called by the executor with its valid arguments.
#[pg_guard]
pub unsafe extern "C-unwind" fn end_insert(estate: *mut pg_sys::EState, rinfo: *mut pg_sys::ResultRelInfo) {
    // SAFETY: the caller's contract.
    unsafe { end_modify(estate, rinfo) }
}

/// The statement's state for `rinfo`: the table, its organisation, the write grant, the
/// row-identity columns (UPDATE, DELETE) and the columns an UPDATE sets.
///
/// # Safety
/// The executor's valid structures; `mtstate` is NULL only for an INSERT (COPY).
unsafe fn begin(mtstate: *mut pg_sys::ModifyTableState, rinfo: *mut pg_sys::ResultRelInfo, op: Op) {
    // SAFETY: the caller's contract; the state's cell and its reset callback live in the
    // query's memory context (COPY: the current one), so the Box is dropped even when the
    // statement fails.
    unsafe {
        let relid = (*(*rinfo).ri_RelationDesc).rd_id;
        let (info, write) = writable(relid, op).or_raise("xero_fdw");
        let server = info.server.clone();
        let org = resolve_org(&server).unwrap_or_else(|e| raise_for_org(e, &server, "xero_fdw"));
        let verb = match op {
            Op::Insert => "INSERT into",
            Op::Update => "UPDATE of",
            Op::Delete => "DELETE from",
        };
        may_write(&org, &format!("{verb} {}", xero_core::pushdown::table_name(info.entity))).unwrap_or_else(|e| raise_for_org(e, &server, "xero_fdw"));
        let size = batch_size(relid, org.config.batch_size);
        let mut m = Modify::new(info, write, op, org, size);
        if op != Op::Insert {
            m.defer = rows_a_call(write, op, rinfo, size) > 1;
            let subplan = (*(*mtstate).ps.lefttree).plan;
            let find = |name: &std::ffi::CStr| pg_sys::ExecFindJunkAttributeInTlist((*subplan).targetlist, name.as_ptr());
            m.id_att = find(ROW_ID);
            m.parent_att = find(ROW_PARENT);
            m.status_att = find(ROW_STATUS);
            if op == Op::Update {
                let estate = (*mtstate).ps.state;
                let updated = pg_sys::ExecGetUpdatedCols(rinfo, estate);
                m.set = (0..m.info.columns.len()).map(|_| false).collect();
                for (att, col) in m.info.attmap.iter().enumerate() {
                    let bit = att as i32 + 1 - pg_sys::FirstLowInvalidHeapAttributeNumber;
                    if let Some(c) = col {
                        if pg_sys::bms_is_member(bit, updated) {
                            m.set[*c] = true;
                        }
                    }
                }
            }
        }
        let cxt = if mtstate.is_null() { pg_sys::CurrentMemoryContext } else { (*(*mtstate).ps.state).es_query_cxt };
        (*rinfo).ri_FdwState = owned::attach(cxt, m, drop_cell);
    }
}

/// GetForeignModifyBatchSize: rows PostgreSQL hands an INSERT at a time. One with RETURNING or
/// row triggers (each row's answer is needed at once), or where Xero creates one element a call.
#[pg_guard]
pub unsafe extern "C-unwind" fn batch_size_of(rinfo: *mut pg_sys::ResultRelInfo) -> i32 {
    // SAFETY: the executor's valid result relation.
    unsafe {
        match state(rinfo) {
            Some(m) => rows_a_call(m.write, Op::Insert, rinfo, m.batch_size) as i32,
            None => 1,
        }
    }
}

/// Rows a call of a statement `op` on `rinfo`: `size` (the table's `batch_size`) where Xero
/// takes many in one call — creates (`Write::inserts_in_batches`), changes and removals by
/// status (`Write::batch_update`) — and nothing needs each row's answer at once (RETURNING, row
/// triggers); else 1. The executor (INSERT), the statement's state (UPDATE, DELETE) and EXPLAIN
/// all ask here.
///
/// # Safety
/// `rinfo` is the statement's valid result relation.
pub(super) unsafe fn rows_a_call(write: &Write, op: Op, rinfo: *mut pg_sys::ResultRelInfo, size: u32) -> u32 {
    // SAFETY: the caller's contract.
    let (returning, t) = unsafe { (!(*rinfo).ri_projectReturning.is_null(), (*rinfo).ri_TrigDesc) };
    // SAFETY: a non-NULL TriggerDesc of the valid result relation.
    let row_triggers = !t.is_null()
        && unsafe {
            match op {
                Op::Insert => (*t).trig_insert_before_row || (*t).trig_insert_after_row,
                Op::Update => (*t).trig_update_before_row || (*t).trig_update_after_row,
                Op::Delete => (*t).trig_delete_before_row || (*t).trig_delete_after_row,
            }
        };
    let takes_many = match op {
        Op::Insert => write.inserts_in_batches(),
        Op::Update | Op::Delete => write.batch_update,
    };
    if takes_many && !returning && !row_triggers {
        size
    } else {
        1
    }
}

/// `slot_getsomeattrs`: deforms the slot's first `n` attributes unless they already are (a
/// virtual slot always is, and refuses to be asked).
///
/// # Safety
/// `slot` is a valid slot with at least `n` attributes.
unsafe fn getsomeattrs(slot: *mut pg_sys::TupleTableSlot, n: i32) {
    // SAFETY: the caller's contract.
    unsafe {
        if i32::from((*slot).tts_nvalid) < n {
            pg_sys::slot_getsomeattrs_int(slot, n);
        }
    }
}

/// A datum of the plan slot's attribute `att` as text (ids and statuses are uuid or text).
///
/// # Safety
/// `slot` is a valid slot with at least `att` attributes.
unsafe fn junk_text(slot: *mut pg_sys::TupleTableSlot, att: i16) -> Option<String> {
    if att <= 0 {
        return None;
    }
    // SAFETY: the caller's contract; the attribute's type is read from the slot's descriptor.
    unsafe {
        getsomeattrs(slot, i32::from(att));
        if *(*slot).tts_isnull.add(att as usize - 1) {
            return None;
        }
        let d = *(*slot).tts_values.add(att as usize - 1);
        let typid = (*(*(*slot).tts_tupleDescriptor).attrs.as_ptr().add(att as usize - 1)).atttypid;
        Some(cells::output_text(d, typid))
    }
}

/// The row of `slot` as the statement gives it.
///
/// # Safety
/// `slot` holds a row of the table of `m`; `plan_slot` the plan's row (UPDATE, DELETE).
unsafe fn row_of(m: &mut Modify, slot: *mut pg_sys::TupleTableSlot, plan_slot: *mut pg_sys::TupleTableSlot) -> RowIn {
    // SAFETY: the caller's contract.
    unsafe {
        let n = m.info.columns.len();
        let mut cells = vec![Cell::Null; n];
        let natts = (*(*slot).tts_tupleDescriptor).natts;
        if m.op != Op::Delete {
            getsomeattrs(slot, natts);
            for (att, col) in m.info.attmap.iter().enumerate() {
                let Some(c) = col else { continue };
                let (d, isnull) = (*(*slot).tts_values.add(att), *(*slot).tts_isnull.add(att));
                cells[*c] = cells::from_datum(d, isnull, m.info.columns[*c].ty);
            }
        }
        let send = match m.op {
            Op::Insert => cells.iter().map(|c| *c != Cell::Null).collect(),
            Op::Update => m.set.clone(),
            Op::Delete => vec![false; n],
        };
        let position = m.rows + 1;
        let parent = if m.op == Op::Insert {
            m.write.parent_field.and_then(|f| column_named(&m.info, Source::Parent(&[]), f)).and_then(|name| {
                let i = m.info.columns.iter().position(|c| c.name == name)?;
                match &cells[i] {
                    Cell::Uuid(b) => Some(xero_core::decode::format_uuid(b)),
                    Cell::Text(t) => Some(t.clone()),
                    _ => None,
                }
            })
        } else {
            junk_text(plan_slot, m.parent_att)
        };
        RowIn { position, cells, send, id: junk_text(plan_slot, m.id_att), parent, status: junk_text(plan_slot, m.status_att) }
    }
}

/// Puts what Xero returned into `slot` (RETURNING sees ids, numbers, totals, status).
///
/// # Safety
/// `slot` is the statement's slot for the table of `m`.
unsafe fn fill(m: &Modify, slot: *mut pg_sys::TupleTableSlot, row: &[Cell]) -> *mut pg_sys::TupleTableSlot {
    // SAFETY: the caller's contract.
    unsafe {
        let clear = (*(*slot).tts_ops).clear.expect("slots can be cleared");
        clear(slot);
        store(slot, &m.info.attmap, |i| (row.get(i), m.info.columns[i].ty))
    }
}

fn fail(m: &Modify, e: XeroError) -> ! {
    raise_for_org(e, &m.info.server, "xero_fdw")
}

/// ExecForeignInsert: one row, one call (RETURNING, or a table created one element a call).
///
/// # Safety
/// Called by the executor with its valid arguments.
#[pg_guard]
pub unsafe extern "C-unwind" fn exec_insert(_estate: *mut pg_sys::EState, rinfo: *mut pg_sys::ResultRelInfo, slot: *mut pg_sys::TupleTableSlot, plan_slot: *mut pg_sys::TupleTableSlot) -> *mut pg_sys::TupleTableSlot {
    // SAFETY: the executor's valid structures.
    unsafe {
        let m = state(rinfo).unwrap_or_else(|| raise(XeroError::internal("a write without its statement state"), "xero_fdw"));
        let row = row_of(m, slot, plan_slot);
        match m.insert(&[row]) {
            Ok(mut r) => match r.pop().flatten() {
                Some(returned) => fill(m, slot, &returned),
                None => std::ptr::null_mut(),
            },
            Err(e) => fail(m, e),
        }
    }
}

/// ExecForeignBatchInsert: the rows PostgreSQL gathered, one call; the rows Xero created are
/// moved to the front and counted.
///
/// # Safety
/// Called by the executor with its valid arguments.
#[pg_guard]
pub unsafe extern "C-unwind" fn exec_batch_insert(
    _estate: *mut pg_sys::EState,
    rinfo: *mut pg_sys::ResultRelInfo,
    slots: *mut *mut pg_sys::TupleTableSlot,
    plan_slots: *mut *mut pg_sys::TupleTableSlot,
    num: *mut i32,
) -> *mut *mut pg_sys::TupleTableSlot {
    // SAFETY: the executor's arrays of `*num` valid slots.
    unsafe {
        let m = state(rinfo).unwrap_or_else(|| raise(XeroError::internal("a write without its statement state"), "xero_fdw"));
        let n = *num as usize;
        let mut rows = Vec::with_capacity(n);
        for i in 0..n {
            let row = row_of(m, *slots.add(i), *plan_slots.add(i));
            let position = row.position + i as u64;
            rows.push(RowIn { position, ..row });
        }
        let results = m.insert(&rows).unwrap_or_else(|e| fail(m, e));
        let mut kept = 0;
        for (i, r) in results.iter().enumerate() {
            if r.is_some() {
                let s = *slots.add(i);
                *slots.add(i) = *slots.add(kept);
                *slots.add(kept) = s;
                kept += 1;
            }
        }
        *num = kept as i32;
        slots
    }
}

/// ExecForeignUpdate: one record, one call; RETURNING sees the record as Xero has it now.
///
/// # Safety
/// Called by the executor with its valid arguments.
#[pg_guard]
pub unsafe extern "C-unwind" fn exec_update(_estate: *mut pg_sys::EState, rinfo: *mut pg_sys::ResultRelInfo, slot: *mut pg_sys::TupleTableSlot, plan_slot: *mut pg_sys::TupleTableSlot) -> *mut pg_sys::TupleTableSlot {
    // SAFETY: the executor's valid structures.
    unsafe {
        let m = state(rinfo).unwrap_or_else(|| raise(XeroError::internal("a write without its statement state"), "xero_fdw"));
        let row = row_of(m, slot, plan_slot);
        match m.update(row) {
            // Gathered for a batch: the row stands as the statement made it.
            Ok(Some(returned)) if returned.is_empty() => slot,
            Ok(Some(returned)) => fill(m, slot, &returned),
            Ok(None) => std::ptr::null_mut(),
            Err(e) => fail(m, e),
        }
    }
}

/// ExecForeignDelete: one record, one call, as Xero removes it.
///
/// # Safety
/// Called by the executor with its valid arguments.
#[pg_guard]
pub unsafe extern "C-unwind" fn exec_delete(_estate: *mut pg_sys::EState, rinfo: *mut pg_sys::ResultRelInfo, slot: *mut pg_sys::TupleTableSlot, plan_slot: *mut pg_sys::TupleTableSlot) -> *mut pg_sys::TupleTableSlot {
    // SAFETY: the executor's valid structures.
    unsafe {
        let m = state(rinfo).unwrap_or_else(|| raise(XeroError::internal("a write without its statement state"), "xero_fdw"));
        let row = row_of(m, slot, plan_slot);
        let id = row.id.clone();
        match m.delete(row) {
            Ok(Some(returned)) if returned.iter().any(|c| *c != Cell::Null) => fill(m, slot, &returned),
            Ok(Some(_)) => {
                // Xero answered without the record (a DELETE endpoint): RETURNING sees its id.
                let mut cells = vec![Cell::Null; m.info.columns.len()];
                if let (Some(i), Some(id)) = (m.info.columns.iter().position(|c| c.name == m.id_column()), id) {
                    cells[i] = match xero_core::decode::parse_uuid(&id) {
                        Some(b) if m.info.columns[i].ty == xero_core::entities::ColumnType::Uuid => Cell::Uuid(b),
                        _ => Cell::Text(id),
                    };
                }
                fill(m, slot, &cells)
            }
            Ok(None) => std::ptr::null_mut(),
            Err(e) => fail(m, e),
        }
    }
}

/// EndForeignModify: the statement fails if Xero rejected any row, naming each of them and
/// what Xero did before.
///
/// # Safety
/// Called by the executor with its valid arguments.
#[pg_guard]
pub unsafe extern "C-unwind" fn end_modify(_estate: *mut pg_sys::EState, rinfo: *mut pg_sys::ResultRelInfo) {
    // SAFETY: the executor's valid result relation.
    let Some(m) = (unsafe { state(rinfo) }) else { return };
    if let Some(e) = m.finish() {
        fail(m, e);
    }
}

/// Where a record is POSTed to be changed: `…/{id}`, or the collection with the id in the
/// element (tax rates).
pub(super) fn post_target(write: &Write) -> String {
    match write.update {
        xero_core::entities::Update::Collection => format!("POST {} with the record's {}", write.path, write.id_field),
        _ => format!("POST {}/{{id}}", write.path),
    }
}
