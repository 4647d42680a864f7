//! xero_fdw: the Xero accounting API as PostgreSQL functions and a foreign-data wrapper.
//!
//! This crate is the thin PostgreSQL layer. Everything that can be plain Rust (entities, HTTP,
//! paging, decoding, OAuth) lives in `xero-core`; here results become rows and errors become
//! `ErrorReport`s (see `report`).

use pgrx::prelude::*;

mod advisory;
mod authorize;
mod catalog;
mod cells;
mod entity_rows;
mod guc;
mod keys;
mod oauth1_auth;
mod oauth1_errors;
mod oauth1_params;
mod oauth1_sql;
mod observe;
mod report;
mod token_status;
mod token_store;
mod tokens;
mod validator;
mod worker;

::pgrx::pg_module_magic!();

#[pg_guard]
pub extern "C-unwind" fn _PG_init() {
    guc::register();
    observe::init();
}

extension_sql_file!("../sql/bootstrap.sql", name = "bootstrap", bootstrap);

/// The set-returning functions of every Xero entity, generated from `xero_core::entities`.
/// cargo-pgrx collects `__pgrx_internals_sql_*` symbols; this one's SQL is computed, not a literal.
#[unsafe(no_mangle)]
#[doc(hidden)]
pub extern "Rust" fn __pgrx_internals_sql_entity_functions() -> ::pgrx::pgrx_sql_entity_graph::SqlGraphEntity {
    let sql: &'static str = Box::leak(xero_core::sql::entity_functions_sql().into_boxed_str());
    ::pgrx::pgrx_sql_entity_graph::SqlGraphEntity::CustomSql(::pgrx::pgrx_sql_entity_graph::ExtensionSqlEntity {
        sql,
        module_path: module_path!(),
        full_path: concat!(file!(), ':', line!()),
        file: file!(),
        line: line!(),
        name: "entity_functions",
        bootstrap: false,
        finalize: true,
        requires: vec![],
        creates: vec![],
    })
}
