//! The foreign-data wrapper: its option validator, and its handler (`handler.rs`): planning with
//! pushdown (`plan.rs`, quals in `quals.rs`, the decision itself in `xero_core::pushdown`), the
//! scan (`scan.rs`), EXPLAIN (`explain.rs`), IMPORT FOREIGN SCHEMA (`import.rs`), and writes:
//! INSERT, UPDATE and DELETE (`modify.rs`, the statement's state in `modify_state.rs`).

mod estimates;
mod explain;
mod handler;
mod import;
mod modify;
mod modify_state;
mod plan;
mod quals;
mod report_scan;
mod scan;
mod sort;
mod table;
mod validator;
