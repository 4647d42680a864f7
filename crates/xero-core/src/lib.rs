//! The plain-Rust core of xero_fdw. Nothing here knows PostgreSQL: the extension crate turns
//! these results into rows and these errors into `ErrorReport`s at one boundary.
//!
//! A read goes `list` (plan) → `pages` (fetch, pages side by side) → `read` (rows, token renewal);
//! every call goes through `transport` (authorization, retries) and `http` (the runtime).

pub mod dates;
pub mod decode;
pub mod entities;
pub mod error;
pub mod http;
pub mod list;
pub mod net_policy;
pub mod oauth1_flow;
pub mod oauth1_params;
pub mod oauth2;
mod page_call;
pub mod options;
pub mod pushdown;
pub mod pages;
pub mod raw;
pub mod read;
pub mod reports;
pub mod reauthorize;
pub mod responses;
pub mod sql;
pub mod sync;
pub mod tls;
pub mod tls_failure;
pub mod tls_probe;
pub mod transport;
pub mod writes;

pub use error::{ErrorKind, Result, XeroError};
