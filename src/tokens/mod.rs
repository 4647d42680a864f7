//! The token machinery: how a call to Xero is authenticated. Token sets and key material live
//! in the private schema (`store`, `keys`); every call to a token endpoint runs in the token
//! worker, which commits what Xero returns in its own transaction (`worker`); `access` gives a
//! call its credentials, refreshing or renewing once per token set at a time; `read` hands them
//! to the core's read path; `write` checks who may write and sends write calls.

pub mod access;
pub mod keys;
pub mod read;
pub mod store;
pub mod worker;
pub mod write;
