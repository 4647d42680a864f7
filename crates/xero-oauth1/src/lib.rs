//! OAuth 1.0a (RFC 5849) for the Xero API: signing, header building and parsing, and a verifier
//! that explains *why* a signature fails.
//!
//! Xero's OAuth 1.0a answered every mistake with the same `signature_invalid` ("Failed to
//! validate signature"). This crate signs exactly as RFC 5849 says (section numbers are quoted
//! throughout) and, playing the server, recognises the well-known client mistakes:
//! [`verify`] recomputes the signature for each of them and names the one that matches, and
//! [`explain`] lists every intermediate value of a signature without revealing secrets.
//!
//! Plain Rust, no I/O: the extension's SQL functions are a thin layer over this API.

mod base_string;
mod base_url;
mod encoding;
mod error;
mod explain;
mod header;
mod keys;
mod mistakes;
pub mod problems;
mod request;
mod signing;
mod variants;
mod verify;

pub use base_string::{normalized_parameters, signature_base_string, Source};
pub use base_url::{normalize_url, BaseUrl};
pub use encoding::{form_urlencode, parse_form_urlencoded, percent_decode, percent_encode};
pub use error::{Error, KeyKind};
pub use explain::{explain, Step};
pub use header::{authorization_header, parse_authorization_header};
pub use mistakes::Mistake;
pub use problems::{parse_problem, OAuthProblem, Problem};
pub use request::{signed_parameters, AuthorizationRequest};
pub use signing::{sign, signing_key, SignatureMethod};
pub use verify::{verify, Verification};
