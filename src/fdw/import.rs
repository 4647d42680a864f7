//! IMPORT FOREIGN SCHEMA accounting FROM SERVER … INTO …: a foreign table for every collection
//! and child collection, and a report table for every report, named as its function without
//! `xero_`. PostgreSQL applies LIMIT TO and
//! EXCEPT to the statements returned; the table and column comments, which IMPORT cannot run,
//! are kept here and run by the `xero_fdw_import_comments` event trigger at the command's end.

use std::cell::RefCell;
use std::ffi::CString;

use pgrx::pg_sys;
use pgrx::prelude::*;
use pgrx::PgList;
use xero_core::entities::ENTITIES;
use xero_core::pushdown::{foreign_table_sql, report_table_name, report_table_sql, table_name, REMOTE_SCHEMAS};
use xero_core::reports::REPORTS;
use xero_core::XeroError;

use crate::fdw::table::text_of;
use crate::pg::report::raise;

/// The COMMENT statements of the tables the last IMPORT FOREIGN SCHEMA created, with the
/// (sub)transaction it ran in: an IMPORT that failed leaves comments its event trigger never
/// took, and a later IMPORT (of any wrapper) must not run them.
struct Pending {
    lxid: u32,
    subxid: pg_sys::SubTransactionId,
    comments: Vec<String>,
}

thread_local! {
    static PENDING_COMMENTS: RefCell<Option<Pending>> = const { RefCell::new(None) };
}

/// The (local transaction, subtransaction) the backend is in.
fn now() -> (u32, pg_sys::SubTransactionId) {
    // SAFETY: MyProc is this backend's PGPROC, set for the whole life of a backend that runs
    // queries; GetCurrentSubTransactionId reads the transaction state.
    unsafe { ((*pg_sys::MyProc).lxid, pg_sys::GetCurrentSubTransactionId()) }
}

/// # Safety
/// Called by IMPORT FOREIGN SCHEMA with its valid statement and the server's OID.
#[pg_guard]
pub unsafe extern "C-unwind" fn import(stmt: *mut pg_sys::ImportForeignSchemaStmt, server_oid: pg_sys::Oid) -> *mut pg_sys::List {
    // SAFETY: the caller's valid statement; the returned list and strings are palloc'd in the
    // current memory context, as PostgreSQL expects.
    unsafe {
        PENDING_COMMENTS.with(|p| *p.borrow_mut() = None);
        let remote = text_of((*stmt).remote_schema);
        if !REMOTE_SCHEMAS.contains(&remote.as_str()) {
            raise(
                XeroError::new(xero_core::ErrorKind::UndefinedObject, format!("xero_fdw has no remote schema \"{remote}\""))
                    .with_hint(format!("The remote schemas are: {}.", REMOTE_SCHEMAS.join(", "))),
                "xero_fdw",
            );
        }
        let server = text_of((*pg_sys::GetForeignServer(server_oid)).servername);
        let local_schema = text_of((*stmt).local_schema);
        let listed: Vec<String> = PgList::<pg_sys::RangeVar>::from_pg((*stmt).table_list).iter_ptr().map(|r| text_of((*r).relname)).collect();
        let wanted = |name: &str| match (*stmt).list_type {
            pg_sys::ImportForeignSchemaType::FDW_IMPORT_SCHEMA_LIMIT_TO => listed.iter().any(|l| l == name),
            pg_sys::ImportForeignSchemaType::FDW_IMPORT_SCHEMA_EXCEPT => !listed.iter().any(|l| l == name),
            _ => true,
        };
        let mut out = PgList::<std::ffi::c_char>::new();
        let mut comments = Vec::new();
        let tables = ENTITIES
            .iter()
            .map(|e| (table_name(e), foreign_table_sql(e, &server, &local_schema)))
            .chain(REPORTS.iter().map(|r| (report_table_name(r), report_table_sql(r, &server, &local_schema))));
        for (name, sql) in tables {
            let (create, comment) = sql.split_once(";\n").expect("a CREATE then its comments");
            if wanted(name) {
                comments.push(comment.to_string());
            }
            let c = CString::new(format!("{create};")).expect("no NUL");
            out.push(pg_sys::pstrdup(c.as_ptr()));
        }
        let (lxid, subxid) = now();
        PENDING_COMMENTS.with(|p| *p.borrow_mut() = Some(Pending { lxid, subxid, comments }));
        out.into_pg()
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn pg_finfo_xero_fdw_import_comments() -> &'static pg_sys::Pg_finfo_record {
    const V1: pg_sys::Pg_finfo_record = pg_sys::Pg_finfo_record { api_version: 1 };
    &V1
}

/// The event trigger at the end of IMPORT FOREIGN SCHEMA: comments the tables it created.
///
/// # Safety
/// Called by PostgreSQL as an event trigger function.
#[pg_guard]
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn xero_fdw_import_comments(_fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    let Some(pending) = PENDING_COMMENTS.with(|p| p.borrow_mut().take()) else { return pg_sys::Datum::from(0) };
    // Comments of an IMPORT in another (sub)transaction: it failed, its tables are gone.
    if (pending.lxid, pending.subxid) != now() {
        return pg_sys::Datum::from(0);
    }
    for sql in pending.comments {
        Spi::run(&sql).unwrap_or_else(|e| raise(XeroError::internal(format!("commenting the imported tables: {e}")), "xero_fdw_import_comments"));
    }
    pg_sys::Datum::from(0)
}
