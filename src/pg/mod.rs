//! PostgreSQL plumbing that knows nothing of Xero's entities: the catalog (organisations as
//! foreign servers, user mappings, acting as the extension's owner, snapshots), settings,
//! session advisory locks, shared-memory limits, datums, Rust state owned by a memory context, the backend's HTTP runtime and
//! interrupt check, and the one boundary where errors become PostgreSQL errors.

pub mod advisory;
pub mod catalog;
pub mod cells;
pub mod guc;
pub mod http;
pub mod limits;
pub mod owned;
pub mod report;
pub mod srf;
pub mod writer;
