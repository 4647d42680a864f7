//! xero_fdw: the Xero accounting API as PostgreSQL functions and a foreign-data wrapper.
//!
//! This crate is the thin PostgreSQL layer. Everything that can be plain Rust (entities, HTTP,
//! paging, decoding, OAuth) lives in `xero-core`; here results become rows and errors become
//! `ErrorReport`s (see `pg::report`). The rooms:
//!
//! * `functions/`: the SQL surface, the functions and views users call;
//! * `fdw/`: the foreign-data wrapper (validator; scans, pushdown and writes to come);
//! * `tokens/`: token sets, key material, the token worker, credentials for the read path;
//! * `pg/`: PostgreSQL plumbing (catalog, settings, locks, shared memory, datums, HTTP runtime,
//!   errors).

use pgrx::prelude::*;

mod fdw;
mod functions;
mod pg;
mod tokens;

::pgrx::pg_module_magic!();

#[pg_guard]
pub extern "C-unwind" fn _PG_init() {
    pg::guc::register();
    pg::limits::init();
}

extension_sql_file!("../sql/bootstrap.sql", name = "bootstrap", bootstrap);

// The set-returning functions of every Xero entity, generated from `xero_core::entities` into
// `sql/generated_functions.sql` (a test keeps the file equal to what the registry generates), so
// the SQL of every release is a reviewed, versioned file.
extension_sql_file!("../sql/generated_functions.sql", name = "generated_functions", finalize);
