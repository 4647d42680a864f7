//! OAuth 1.0a (RFC 5849) signing as SQL functions: thin wrappers over the `xero-oauth1` crate.
//!
//! * `xero_oauth1_signature_base_string`, `xero_oauth1_signature`: the two halves of a signature.
//! * `xero_oauth1_authorization_header`: a signed `Authorization: OAuth …` header value.
//! * `xero_oauth1_explain`: every intermediate value of that signature, secrets masked.
//! * `xero_oauth1_verify`: the server's view, naming the client's mistake when it fails.
//!
//! Arguments are checked and errors reported (with hints, secrets scrubbed) by `oauth1_errors`;
//! `params jsonb` is read without converting it to text by `oauth1_params`.

use pgrx::prelude::*;
use xero_core::{Result, XeroError};
use xero_oauth1::{AuthorizationRequest, Error as OAuthError};

use super::oauth1_errors::{oauth_error, required, signature_method};
use super::oauth1_params::{read_params, JsonB};
use crate::pg::report::OrRaise;

/// The signature base string `METHOD&enc(base URL)&enc(normalized parameters)` (RFC 5849 3.4.1.1).
#[pg_extern(immutable, strict, parallel_safe)]
fn xero_oauth1_signature_base_string(method: &str, url: &str, params: default!(JsonB, "'[]'")) -> String {
    let run = || -> Result<String> {
        let params = read_params(Some(&params))?;
        xero_oauth1::signature_base_string(method, url, &params).map_err(|e| oauth_error(e, &[]))
    };
    run().or_raise("xero_oauth1_signature_base_string")
}

/// Signs a base string: HMAC-SHA1, RSA-SHA1 or PLAINTEXT (RFC 5849 3.4.2-3.4.4).
#[pg_extern(immutable, parallel_safe)]
fn xero_oauth1_signature(
    base_string: Option<&str>,
    signature_method: Option<&str>,
    consumer_secret: default!(Option<&str>, "''"),
    token_secret: default!(Option<&str>, "''"),
    rsa_private_key: default!(Option<&str>, "NULL"),
) -> String {
    let secrets = [consumer_secret, token_secret, rsa_private_key];
    let run = || -> Result<String> {
        let base_string = required(base_string, "base_string", "the text from xero_oauth1_signature_base_string(…)")?;
        let method = self::signature_method(signature_method, &secrets)?;
        xero_oauth1::sign(base_string, method, consumer_secret.unwrap_or(""), token_secret.unwrap_or(""), rsa_private_key)
            .map_err(|e| oauth_error(e, &secrets))
    };
    run().or_raise("xero_oauth1_signature")
}

/// Arguments shared by `xero_oauth1_authorization_header` and `xero_oauth1_explain`.
struct HeaderArgs<'a> {
    method: Option<&'a str>,
    url: Option<&'a str>,
    params: Option<JsonB>,
    consumer_key: Option<&'a str>,
    consumer_secret: Option<&'a str>,
    token: Option<&'a str>,
    token_secret: Option<&'a str>,
    signature_method: Option<&'a str>,
    rsa_private_key: Option<&'a str>,
    callback: Option<&'a str>,
    verifier: Option<&'a str>,
    session_handle: Option<&'a str>,
    realm: Option<&'a str>,
    nonce: Option<&'a str>,
    timestamp: Option<i64>,
    version: Option<&'a str>,
    timestamp_text: Option<&'a str>,
    omit_nonce_and_timestamp: Option<bool>,
}

impl HeaderArgs<'_> {
    fn secrets(&self) -> [Option<&str>; 3] {
        [self.consumer_secret, self.token_secret, self.rsa_private_key]
    }

    /// Builds the request and hands it to `f`.
    fn with_request<T>(&self, f: impl FnOnce(&AuthorizationRequest<'_>) -> std::result::Result<T, OAuthError>) -> Result<T> {
        let secrets = self.secrets();
        let method = required(self.method, "method", "'GET' or 'POST'")?;
        let url = required(self.url, "url", "'https://api.xero.com/api.xro/2.0/Invoices'")?;
        let consumer_key = required(self.consumer_key, "consumer_key", "the consumer key of the application")?;
        let signature_method = signature_method(self.signature_method, &secrets)?;
        let timestamp = match self.timestamp {
            None => None,
            Some(t) if t >= 0 => Some(t as u64),
            Some(_) => {
                return Err(XeroError::invalid_argument("timestamp must not be negative")
                    .with_hint("Pass \"timestamp\" => seconds since 1970-01-01 UTC, e.g. extract(epoch FROM now())::bigint, or NULL for the current time."))
            }
        };
        if timestamp.is_some() && self.timestamp_text.is_some() {
            return Err(XeroError::invalid_argument("timestamp and timestamp_text are both given")
                .with_hint("Pass \"timestamp\" => (a number of seconds) or timestamp_text => (sent verbatim), not both."));
        }
        let params = read_params(self.params.as_ref())?;
        let req = AuthorizationRequest {
            method,
            url,
            params: &params,
            consumer_key,
            consumer_secret: self.consumer_secret.unwrap_or(""),
            token: self.token,
            token_secret: self.token_secret.unwrap_or(""),
            signature_method,
            rsa_private_key_pem: self.rsa_private_key,
            callback: self.callback,
            verifier: self.verifier,
            session_handle: self.session_handle,
            realm: self.realm,
            nonce: self.nonce,
            timestamp,
            timestamp_text: self.timestamp_text,
            version: self.version,
            omit_nonce_and_timestamp: self.omit_nonce_and_timestamp.unwrap_or(false),
        };
        f(&req).map_err(|e| oauth_error(e, &secrets))
    }
}

/// Declares a `#[pg_extern]` taking the arguments of a request to sign — the same names, types and
/// defaults for `xero_oauth1_authorization_header` and `xero_oauth1_explain`, written once here —
/// whose body is given them as `$args: HeaderArgs`.
macro_rules! request_function {
    ($(#[$($attr:tt)*])* fn $name:ident($args:ident) -> [$($ret:tt)*] { $($body:tt)* }) => {
        $(#[$($attr)*])*
        #[allow(clippy::too_many_arguments)]
        #[pg_extern(volatile, parallel_safe)]
        fn $name(
            method: Option<&str>,
            url: Option<&str>,
            params: default!(Option<JsonB>, "'[]'"),
            consumer_key: default!(Option<&str>, "NULL"),
            consumer_secret: default!(Option<&str>, "''"),
            token: default!(Option<&str>, "NULL"),
            token_secret: default!(Option<&str>, "''"),
            signature_method: default!(Option<&str>, "'HMAC-SHA1'"),
            rsa_private_key: default!(Option<&str>, "NULL"),
            callback: default!(Option<&str>, "NULL"),
            verifier: default!(Option<&str>, "NULL"),
            session_handle: default!(Option<&str>, "NULL"),
            realm: default!(Option<&str>, "NULL"),
            nonce: default!(Option<&str>, "NULL"),
            timestamp: default!(Option<i64>, "NULL"),
            version: default!(Option<&str>, "'1.0'"),
            timestamp_text: default!(Option<&str>, "NULL"),
            omit_nonce_and_timestamp: default!(Option<bool>, "false"),
        ) -> $($ret)* {
            let $args = HeaderArgs {
                method,
                url,
                params,
                consumer_key,
                consumer_secret,
                token,
                token_secret,
                signature_method,
                rsa_private_key,
                callback,
                verifier,
                session_handle,
                realm,
                nonce,
                timestamp,
                version,
                timestamp_text,
                omit_nonce_and_timestamp,
            };
            $($body)*
        }
    };
}

request_function! {
    /// The value of a signed `Authorization: OAuth …` header (RFC 5849 3.5.1).
    fn xero_oauth1_authorization_header(args) -> [String] {
        args.with_request(xero_oauth1::authorization_header).or_raise("xero_oauth1_authorization_header")
    }
}

request_function! {
    /// Every step of the signature `xero_oauth1_authorization_header` makes, secrets masked.
    fn xero_oauth1_explain(args) -> [TableIterator<'static, (name!(step, i32), name!(name, String), name!(value, String))>] {
        let steps = args.with_request(xero_oauth1::explain).or_raise("xero_oauth1_explain");
        TableIterator::new(steps.into_iter().map(|s| (s.step as i32, s.name, s.value)))
    }
}

/// Plays the server: checks a request's `Authorization` header and names the client's mistake.
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
#[pg_extern(volatile, parallel_safe)]
fn xero_oauth1_verify(
    method: Option<&str>,
    url: Option<&str>,
    params: Option<JsonB>,
    authorization_header: Option<&str>,
    consumer_secret: default!(Option<&str>, "''"),
    token_secret: default!(Option<&str>, "''"),
    rsa_public_key: default!(Option<&str>, "NULL"),
    max_skew_seconds: default!(Option<i32>, 300),
) -> TableIterator<
    'static,
    (
        name!(valid, bool),
        name!(mistake, Option<String>),
        name!(hint, Option<String>),
        name!(expected_base_string, String),
        name!(client_base_string, Option<String>),
        name!(received_signature, String),
        name!(expected_signature, Option<String>),
        name!(detail, String),
    ),
> {
    let secrets = [consumer_secret, token_secret];
    let run = || {
        let method = required(method, "method", "'GET' or 'POST'")?;
        let url = required(url, "url", "the request URL as it was received, query included")?;
        let header = required(authorization_header, "authorization_header", "the value of the request's Authorization header")?;
        let skew = match max_skew_seconds {
            None => 300,
            Some(s) if s >= 0 => s as u64,
            Some(_) => {
                return Err(XeroError::invalid_argument("max_skew_seconds must not be negative")
                    .with_hint("Pass max_skew_seconds => the allowed clock difference in seconds (300 by default)."))
            }
        };
        let params = read_params(params.as_ref())?;
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        xero_oauth1::verify(method, url, &params, header, consumer_secret.unwrap_or(""), token_secret.unwrap_or(""), rsa_public_key, now, skew)
            .map_err(|e| oauth_error(e, &secrets))
    };
    let v = run().or_raise("xero_oauth1_verify");
    TableIterator::once((
        v.valid,
        v.mistake.map(|m| m.name().to_string()),
        v.mistake.map(|m| m.hint().to_string()),
        v.expected_base_string,
        v.client_base_string,
        v.received_signature,
        v.expected_signature,
        v.detail,
    ))
}

extension_sql!(
    r#"
COMMENT ON FUNCTION xero_oauth1_signature_base_string(text, text, jsonb) IS 'OAuth 1.0a (RFC 5849 3.4.1.1) signature base string METHOD&enc(base URL)&enc(normalized parameters). params: unencoded [name, value] pairs (or an object) holding the oauth_* protocol parameters and any form-body parameters; the URL''s query parameters are added; oauth_signature and realm are left out.';
COMMENT ON FUNCTION xero_oauth1_signature(text, text, text, text, text) IS 'Signs an OAuth 1.0a base string with HMAC-SHA1 (key enc(consumer_secret)&enc(token_secret)), RSA-SHA1 (rsa_private_key: PEM, PKCS#1 or PKCS#8) or PLAINTEXT. Returns the signature before header encoding. NULL base_string or signature_method is an error.';
COMMENT ON FUNCTION xero_oauth1_authorization_header(text, text, jsonb, text, text, text, text, text, text, text, text, text, text, text, bigint, text, text, boolean) IS 'The value of a signed OAuth 1.0a Authorization header (OAuth realm="…", oauth_nonce="…", …, oauth_signature="…"). Fresh CSPRNG nonce and the current time unless nonce and "timestamp" are given (then deterministic). consumer_key is required; version => NULL leaves oauth_version out; timestamp_text sends oauth_timestamp verbatim; omit_nonce_and_timestamp (PLAINTEXT only) sends neither.';
COMMENT ON FUNCTION xero_oauth1_explain(text, text, jsonb, text, text, text, text, text, text, text, text, text, text, text, bigint, text, text, boolean) IS 'Every step of the signature xero_oauth1_authorization_header makes with the same arguments: collected parameters with their source, encoded and normalized parameters, base string URI, base string, signature method, signing key (secrets masked as their lengths), signature, header.';
COMMENT ON FUNCTION xero_oauth1_verify(text, text, jsonb, text, text, text, text, integer) IS 'Plays the OAuth 1.0a server for one request: checks the Authorization header''s signature (HMAC-SHA1, PLAINTEXT, or RSA-SHA1 with rsa_public_key) and oauth_timestamp against the current time, and when it fails names the client''s mistake (plus_for_space, double_encoding, unsorted_parameters, missing_ampersand_in_key, port_in_url, stale_timestamp, …) with a hint and both base strings.';
"#,
    name = "oauth1_sql_comments",
    requires = [
        xero_oauth1_signature_base_string,
        xero_oauth1_signature,
        xero_oauth1_authorization_header,
        xero_oauth1_explain,
        xero_oauth1_verify
    ]
);
