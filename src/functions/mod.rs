//! The SQL surface: the functions and views users call. Each file turns SQL arguments into calls
//! of the plain-Rust core or of `tokens`, and results into rows; errors leave through
//! `pg::report`.

mod authorize;
mod entity_rows;
mod keys;
mod oauth1_authorize;
mod oauth1_errors;
mod oauth1_params;
mod oauth1_signing;
mod operator_views;
mod push;
mod raw_api;
pub(crate) mod report_rows;
mod sync;
mod token_status;
