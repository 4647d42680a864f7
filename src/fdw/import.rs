//! IMPORT FOREIGN SCHEMA accounting FROM SERVER … INTO …: a foreign table for every collection
//! and child collection, named as its function without `xero_`. PostgreSQL applies LIMIT TO and
//! EXCEPT to the statements returned; the table and column comments, which IMPORT cannot run,
//! are kept here and run by the `xero_fdw_import_comments` event trigger at the command's end.

use std::cell::RefCell;
use std::ffi::CString;

use pgrx::pg_sys;
use pgrx::prelude::*;
use pgrx::PgList;
use xero_core::entities::ENTITIES;
use xero_core::pushdown::{foreign_table_sql, table_name, REMOTE_SCHEMAS};
use xero_core::XeroError;

use crate::fdw::table::text_of;
use crate::pg::report::raise;

thread_local! {
    /// The COMMENT statements of the tables the last IMPORT FOREIGN SCHEMA created.
    static PENDING_COMMENTS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// # Safety
/// Called by IMPORT FOREIGN SCHEMA with its valid statement and the server's OID.
#[pg_guard]
pub unsafe extern "C-unwind" fn import(stmt: *mut pg_sys::ImportForeignSchemaStmt, server_oid: pg_sys::Oid) -> *mut pg_sys::List {
    // SAFETY: the caller's valid statement; the returned list and strings are palloc'd in the
    // current memory context, as PostgreSQL expects.
    unsafe {
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
        for e in ENTITIES {
            let sql = foreign_table_sql(e, &server, &local_schema);
            let (create, comment) = sql.split_once(";\n").expect("a CREATE then its comments");
            if wanted(table_name(e)) {
                comments.push(comment.to_string());
            }
            let c = CString::new(format!("{create};")).expect("no NUL");
            out.push(pg_sys::pstrdup(c.as_ptr()));
        }
        PENDING_COMMENTS.with(|p| *p.borrow_mut() = comments);
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
    let pending = PENDING_COMMENTS.with(|p| std::mem::take(&mut *p.borrow_mut()));
    for sql in pending {
        Spi::run(&sql).unwrap_or_else(|e| raise(XeroError::internal(format!("commenting the imported tables: {e}")), "xero_fdw_import_comments"));
    }
    pg_sys::Datum::from(0)
}
