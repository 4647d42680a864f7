//! The `params jsonb` argument of the OAuth 1.0a SQL functions, through pgrx's safe `JsonB`
//! (jsonb → text → serde_json, with `preserve_order` and `arbitrary_precision` so pairs keep
//! jsonb's order and numbers PostgreSQL's text). The rules and messages are plain Rust:
//! `xero_core::oauth1_params`.

pub use pgrx::JsonB;
use xero_core::oauth1_params::{self, Pairs};
use xero_core::Result;

/// Reads `params`: `[[name, value], …]` or `{name: value, …}`. NULL and empty give no pairs.
pub fn read_params(arg: Option<&JsonB>) -> Result<Pairs> {
    oauth1_params::read_params(arg.map(|j| &j.0))
}
