//! Argument checks and errors of the OAuth 1.0a SQL functions: `xero-oauth1`'s errors as
//! `XeroError`s with a hint saying what to do, and the arguments that must not be NULL.
//!
//! NULL handling, one rule for all five functions: an argument without a default (and
//! `consumer_key`, `signature_method`) must not be NULL — a NULL there is an error (22023), never a
//! NULL header that would go out as an unsigned request (`required`). `params`, `consumer_secret`
//! and `token_secret` treat NULL as empty; every other optional argument treats NULL as "not
//! sent" (`version => NULL` leaves `oauth_version` out).
//!
//! Errors go through `report::OrRaise` only on the error path, where the caller's secrets are also
//! scrubbed from the text (the crate never puts them there; this is defence in depth).

use xero_core::{ErrorKind, Result, XeroError};
use xero_oauth1::{Error as OAuthError, KeyKind, SignatureMethod};

/// An `xero_oauth1::Error` as a `XeroError` with a hint saying what to do. The crate's messages
/// never hold a secret; `secrets` are scrubbed anyway.
pub fn oauth_error(e: OAuthError, secrets: &[Option<&str>]) -> XeroError {
    let hint: &str = match &e {
        OAuthError::InvalidUrl { .. } => "Pass the full request URL as it is sent, e.g. 'https://api.xero.com/api.xro/2.0/Invoices?page=1' (query included, spaces as %20).",
        OAuthError::UnsupportedScheme { .. } => "Pass an absolute http:// or https:// URL.",
        OAuthError::InvalidPercentEncoding { .. } => "Percent-encode a literal '%' as %25 in the URL and in the header.",
        OAuthError::InvalidUtf8 { .. } => "Percent-encode UTF-8 bytes only (RFC 5849 3.6).",
        OAuthError::InvalidMethod { .. } => "Pass the HTTP method the request is sent with, e.g. 'GET' or 'POST'.",
        OAuthError::UnknownSignatureMethod { .. } => "Use 'HMAC-SHA1', 'RSA-SHA1' or 'PLAINTEXT' (exactly, upper case).",
        OAuthError::MissingRsaKey { kind: KeyKind::Private } => "Pass rsa_private_key => the PEM text of the private key ('-----BEGIN RSA PRIVATE KEY-----' PKCS#1 or '-----BEGIN PRIVATE KEY-----' PKCS#8).",
        OAuthError::MissingRsaKey { .. } => "Pass rsa_public_key => the PEM public key or the certificate that was uploaded for the consumer key.",
        OAuthError::InvalidRsaKey { kind: KeyKind::Private, .. } => "Pass the unencrypted PEM text of an RSA private key: PKCS#1 ('-----BEGIN RSA PRIVATE KEY-----') or PKCS#8 ('-----BEGIN PRIVATE KEY-----'), BEGIN and END lines included.",
        OAuthError::InvalidRsaKey { .. } => "Pass the PEM text of the RSA public key ('-----BEGIN PUBLIC KEY-----') or of the X.509 certificate ('-----BEGIN CERTIFICATE-----').",
        OAuthError::MalformedAuthorizationHeader { .. } => "Pass the Authorization header's value as sent: OAuth oauth_consumer_key=\"…\", oauth_signature=\"…\", … (without 'Authorization:').",
        OAuthError::MissingSignature => "Pass the header of a signed request; it must contain oauth_signature=\"…\".",
        OAuthError::DuplicateProtocolParameter { .. } => "Send each oauth_* parameter once in the header.",
        OAuthError::MissingProtocolParameter { .. } => "Send every required oauth_* parameter in the header (oauth_consumer_key, oauth_signature_method, oauth_signature, and oauth_timestamp/oauth_nonce except with PLAINTEXT).",
        OAuthError::ReservedParameter { .. } => "Pass protocol parameters through their own arguments (token =>, callback =>, verifier =>, session_handle =>, nonce =>, \"timestamp\" =>, version =>); params is for form-body parameters (the URL's own query parameters are read from url).",
        OAuthError::Randomness { .. } => "Retry, or pass nonce => and \"timestamp\" => explicitly.",
        _ => "Check the arguments against the function's documentation (\\df+ or docs/oauth1.md).",
    };
    let kind = match &e {
        OAuthError::Randomness { .. } => ErrorKind::ResourceExhausted,
        OAuthError::RsaSigning { .. } => ErrorKind::Internal,
        _ => ErrorKind::InvalidArgument,
    };
    let secrets: Vec<&str> = secrets.iter().flatten().copied().collect();
    XeroError::new(kind, e.to_string()).with_hint(hint).redact(&secrets)
}

pub fn required<T>(value: Option<T>, name: &str, example: &str) -> Result<T> {
    value.ok_or_else(|| XeroError::invalid_argument(format!("{name} must not be NULL")).with_hint(format!("Pass {name} => {example}.")))
}

pub fn signature_method(name: Option<&str>, secrets: &[Option<&str>]) -> Result<SignatureMethod> {
    let name = required(name, "signature_method", "'HMAC-SHA1', 'RSA-SHA1' or 'PLAINTEXT'")?;
    name.parse().map_err(|e| oauth_error(e, secrets))
}
