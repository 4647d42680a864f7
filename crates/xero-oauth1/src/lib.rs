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
//!
//! ```
//! use xero_oauth1::*;
//!
//! let body = vec![("Name".to_string(), "Ladies + Gentlemen".to_string())];
//! let req = AuthorizationRequest {
//!     params: &body,
//!     token: Some("access-token"),
//!     token_secret: "token-secret",
//!     nonce: Some("n0nce"),      // omit both for a fresh CSPRNG nonce and the current time
//!     timestamp: Some(1_700_000_000),
//!     ..AuthorizationRequest::new("POST", "https://api.xero.com/api.xro/2.0/Contacts?page=1", "consumer-key", "consumer-secret")
//! };
//! let header = authorization_header(&req)?;
//! assert!(header.starts_with("OAuth oauth_nonce=\"n0nce\", oauth_timestamp=\"1700000000\""));
//!
//! // The server's view: valid, and if not, which mistake the client made.
//! let v = verify("POST", req.url, &body, &header, "consumer-secret", "token-secret", None, 1_700_000_010, 300)?;
//! assert!(v.valid, "{}", v.detail);
//! let forgot_body = AuthorizationRequest { params: &[], ..req };
//! let v = verify("POST", req.url, &body, &authorization_header(&forgot_body)?, "consumer-secret", "token-secret", None, 1_700_000_010, 300)?;
//! assert_eq!(v.mistake, Some(Mistake::MissingBodyParameters));
//!
//! // Every intermediate value, secrets masked.
//! let steps = explain(&req)?;
//! assert!(steps.iter().any(|s| s.name == "signing key" && s.value == "<consumer_secret:15 chars>&<token_secret:12 chars>"));
//!
//! // Xero's error bodies.
//! let p = parse_problem("oauth_problem=signature_invalid&oauth_problem_advice=Failed%20to%20validate%20signature")?.unwrap();
//! assert_eq!(p.known, Some(Problem::SignatureInvalid));
//! # Ok::<(), Error>(())
//! ```
//!
//! RSA-SHA1 keys are parsed once per thread and cached (keyed by a SHA-256 of the PEM text), as a
//! PostgreSQL backend signs every request with the same key.

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
