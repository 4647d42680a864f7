//! The foreign-data wrapper: its option validator, and its handler (`handler.rs`): planning with
//! pushdown (`plan.rs`, quals in `quals.rs`, the decision itself in `xero_core::pushdown`), the
//! scan (`scan.rs`), EXPLAIN (`explain.rs`) and IMPORT FOREIGN SCHEMA (`import.rs`).

mod estimates;
mod explain;
mod handler;
mod import;
mod plan;
mod quals;
mod report_scan;
mod scan;
mod sort;
mod table;
mod validator;
