//! OAuth 1.0a (RFC 5849) signing as SQL functions: thin wrappers over the `xero-oauth1` crate.
//!
//! * `xero_oauth1_signature_base_string`, `xero_oauth1_signature`: the two halves of a signature.
//! * `xero_oauth1_authorization_header`: a signed `Authorization: OAuth …` header value.
//! * `xero_oauth1_explain`: every intermediate value of that signature, secrets masked.
//! * `xero_oauth1_verify`: the server's view, naming the client's mistake when it fails.
//!
//! NULL handling, one rule for all five: an argument without a default (and `consumer_key`,
//! `signature_method`) must not be NULL — a NULL there is an error (22023), never a NULL header
//! that would go out as an unsigned request. `params`, `consumer_secret` and `token_secret`
//! treat NULL as empty; every other optional argument treats NULL as "not sent" (`version =>
//! NULL` leaves `oauth_version` out).
//!
//! Cost: `params` is read straight from the jsonb binary form with PostgreSQL's iterator
//! (strings are borrowed, no jsonb → text → serde_json round trip), and the empty default skips
//! even that. Errors go through `report::OrRaise` only on the error path, where the caller's
//! secrets are also scrubbed from the text (the crate never puts them there; this is defence in
//! depth).

use pgrx::callconv::{Arg, ArgAbi};
use pgrx::nullable::Nullable;
use pgrx::pgrx_sql_entity_graph::metadata::{ArgumentError, Returns, ReturnsError, SqlMapping, SqlTranslatable};
use pgrx::prelude::*;
use xero_core::{ErrorKind, Result, XeroError};
use xero_oauth1::{AuthorizationRequest, Error as OAuthError, KeyKind, SignatureMethod};

use crate::report::OrRaise;

// ---------------------------------------------------------------------------------------------
// `params jsonb`, read without converting it to text.

/// A `jsonb` argument, kept as the raw datum until it is walked.
pub struct JsonbArg(pg_sys::Datum);

impl FromDatum for JsonbArg {
    unsafe fn from_polymorphic_datum(datum: pg_sys::Datum, is_null: bool, _: pg_sys::Oid) -> Option<Self> {
        if is_null || datum.is_null() {
            None
        } else {
            Some(JsonbArg(datum))
        }
    }
}

unsafe impl<'fcx> ArgAbi<'fcx> for JsonbArg {
    unsafe fn unbox_arg_unchecked(arg: Arg<'_, 'fcx>) -> Self {
        let index = arg.index();
        unsafe { arg.unbox_arg_using_from_datum().unwrap_or_else(|| panic!("argument {index} must not be null")) }
    }

    unsafe fn unbox_nullable_arg(arg: Arg<'_, 'fcx>) -> Nullable<Self> {
        unsafe { arg.unbox_arg_using_from_datum::<JsonbArg>().into() }
    }
}

unsafe impl SqlTranslatable for JsonbArg {
    fn argument_sql() -> std::result::Result<SqlMapping, ArgumentError> {
        Ok(SqlMapping::literal("jsonb"))
    }
    fn return_sql() -> std::result::Result<Returns, ReturnsError> {
        Ok(Returns::One(SqlMapping::literal("jsonb")))
    }
}

type Pairs = Vec<(String, String)>;

const PARAMS_HINT: &str = "Pass params as a JSON array of [name, value] pairs, e.g. '[[\"page\", \"1\"], [\"where\", \"Status == \\\"PAID\\\"\"]]', \
or as an object, e.g. '{\"page\": \"1\"}'; names and values unencoded, values strings, numbers or booleans. Use the array form for repeated names.";

fn params_error(message: String) -> XeroError {
    XeroError::invalid_argument(message).with_hint(PARAMS_HINT)
}

/// JSON type names for messages (never the value itself: it could be a secret).
fn jbv_kind(v: &pg_sys::JsonbValue) -> &'static str {
    match v.type_ {
        pg_sys::jbvType::jbvNull => "null",
        pg_sys::jbvType::jbvString => "a string",
        pg_sys::jbvType::jbvNumeric => "a number",
        pg_sys::jbvType::jbvBool => "a boolean",
        pg_sys::jbvType::jbvArray => "an array",
        pg_sys::jbvType::jbvObject => "an object",
        _ => "a non-scalar value",
    }
}

fn token_kind(tok: pg_sys::JsonbIteratorToken::Type) -> &'static str {
    match tok {
        pg_sys::JsonbIteratorToken::WJB_BEGIN_ARRAY => "an array",
        pg_sys::JsonbIteratorToken::WJB_BEGIN_OBJECT => "an object",
        _ => "not a scalar",
    }
}

/// The text of a scalar: strings as they are, numbers as PostgreSQL prints them, booleans as
/// `true`/`false`. `what` names the position for the error message.
unsafe fn scalar_text(v: &pg_sys::JsonbValue, what: &dyn Fn() -> String) -> Result<String> {
    unsafe {
        match v.type_ {
            pg_sys::jbvType::jbvString => {
                let s = v.val.string;
                let bytes = std::slice::from_raw_parts(s.val as *const u8, s.len.max(0) as usize);
                std::str::from_utf8(bytes)
                    .map(str::to_owned)
                    .map_err(|_| params_error(format!("{} is not valid UTF-8", what())))
            }
            pg_sys::jbvType::jbvNumeric => {
                let text = pgrx::direct_function_call::<&core::ffi::CStr>(pg_sys::numeric_out, &[Some(pg_sys::Datum::from(v.val.numeric))])
                    .ok_or_else(|| XeroError::internal("numeric_out returned NULL"))?;
                Ok(text.to_string_lossy().into_owned())
            }
            pg_sys::jbvType::jbvBool => Ok(if v.val.boolean { "true" } else { "false" }.to_string()),
            _ => Err(params_error(format!("{} is {}; expected a string, a number or a boolean", what(), jbv_kind(v)))),
        }
    }
}

/// Reads `params`: `[[name, value], …]` or `{name: value, …}`. NULL and empty give no pairs.
fn read_params(arg: Option<&JsonbArg>) -> Result<Pairs> {
    use pg_sys::JsonbIteratorToken::*;
    let Some(arg) = arg else { return Ok(Vec::new()) };
    unsafe {
        let jb = pg_sys::pg_detoast_datum(arg.0.cast_mut_ptr()) as *mut pg_sys::Jsonb;
        // JsonbContainer header: count in the low 28 bits, then flags (scalar, object, array).
        const JB_CMASK: u32 = 0x0FFF_FFFF;
        const JB_FSCALAR: u32 = 0x1000_0000;
        let header = (*jb).root.header;
        if header & JB_CMASK == 0 && header & JB_FSCALAR == 0 {
            return Ok(Vec::new()); // [] or {}
        }
        let mut it = pg_sys::JsonbIteratorInit(&mut (*jb).root);
        let mut v: pg_sys::JsonbValue = std::mem::zeroed();
        let mut next = |v: &mut pg_sys::JsonbValue| pg_sys::JsonbIteratorNext(&mut it, v, false);
        let mut out = Vec::with_capacity((header & JB_CMASK) as usize);
        match next(&mut v) {
            WJB_BEGIN_ARRAY if v.val.array.rawScalar => {
                next(&mut v);
                Err(params_error(format!("params is {}, not an array of [name, value] pairs or an object", jbv_kind(&v))))
            }
            WJB_BEGIN_OBJECT => loop {
                match next(&mut v) {
                    WJB_KEY => {
                        let name = scalar_text(&v, &|| "a key of params".to_string())?;
                        let tok = next(&mut v);
                        if tok != WJB_VALUE {
                            return Err(params_error(format!(
                                "the value of params key {:?} is {}; expected a string, a number or a boolean (use the array form [[name, value], …] for repeated names)",
                                short(&name),
                                token_kind(tok)
                            )));
                        }
                        let value = scalar_text(&v, &|| format!("the value of params key {:?}", short(&name)))?;
                        out.push((name, value));
                    }
                    _ => return Ok(out),
                }
            },
            WJB_BEGIN_ARRAY => {
                let mut i = 0usize;
                loop {
                    i += 1;
                    let pos = |i: usize| format!("params element {i}");
                    match next(&mut v) {
                        WJB_END_ARRAY | WJB_DONE => return Ok(out),
                        WJB_BEGIN_ARRAY => {}
                        WJB_ELEM => return Err(params_error(format!("{} is {}; expected a [name, value] pair", pos(i), jbv_kind(&v)))),
                        tok => return Err(params_error(format!("{} is {}; expected a [name, value] pair", pos(i), token_kind(tok)))),
                    }
                    let mut pair: [Option<String>; 2] = [None, None];
                    let mut n = 0usize;
                    loop {
                        match next(&mut v) {
                            WJB_END_ARRAY => break,
                            WJB_ELEM if n < 2 => {
                                let which = if n == 0 { "name" } else { "value" };
                                pair[n] = Some(scalar_text(&v, &|| format!("the {which} in {}", pos(i)))?);
                                n += 1;
                            }
                            WJB_ELEM | WJB_BEGIN_ARRAY | WJB_BEGIN_OBJECT if n >= 2 => {
                                return Err(params_error(format!("{} has more than two elements; expected a [name, value] pair", pos(i))))
                            }
                            tok => {
                                let which = if n == 0 { "name" } else { "value" };
                                return Err(params_error(format!(
                                    "the {which} in {} is {}; expected a string, a number or a boolean",
                                    pos(i),
                                    token_kind(tok)
                                )));
                            }
                        }
                    }
                    match pair {
                        [Some(name), Some(value)] => out.push((name, value)),
                        _ => {
                            return Err(params_error(format!(
                                "{} has {n} element{}; expected a [name, value] pair",
                                pos(i),
                                if n == 1 { "" } else { "s" }
                            )))
                        }
                    }
                }
            }
            _ => Err(params_error("params is not a JSON array or object".to_string())),
        }
    }
}

fn short(s: &str) -> String {
    if s.chars().count() <= 40 {
        s.to_string()
    } else {
        s.chars().take(40).chain(std::iter::once('…')).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Errors.

/// An `xero_oauth1::Error` as a `XeroError` with a hint saying what to do. The crate's messages
/// never hold a secret; `secrets` are scrubbed anyway.
fn oauth_error(e: OAuthError, secrets: &[Option<&str>]) -> XeroError {
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

fn required<T>(value: Option<T>, name: &str, example: &str) -> Result<T> {
    value.ok_or_else(|| XeroError::invalid_argument(format!("{name} must not be NULL")).with_hint(format!("Pass {name} => {example}.")))
}

fn signature_method(name: Option<&str>, secrets: &[Option<&str>]) -> Result<SignatureMethod> {
    let name = required(name, "signature_method", "'HMAC-SHA1', 'RSA-SHA1' or 'PLAINTEXT'")?;
    name.parse().map_err(|e| oauth_error(e, secrets))
}

// ---------------------------------------------------------------------------------------------
// The functions.

/// The signature base string `METHOD&enc(base URL)&enc(normalized parameters)` (RFC 5849 3.4.1.1).
#[pg_extern(immutable, strict, parallel_safe)]
fn xero_oauth1_signature_base_string(method: &str, url: &str, params: default!(JsonbArg, "'[]'")) -> String {
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
    params: Option<JsonbArg>,
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

/// The value of a signed `Authorization: OAuth …` header (RFC 5849 3.5.1).
#[allow(clippy::too_many_arguments)]
#[pg_extern(volatile, parallel_safe)]
fn xero_oauth1_authorization_header(
    method: Option<&str>,
    url: Option<&str>,
    params: default!(Option<JsonbArg>, "'[]'"),
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
) -> String {
    let args = HeaderArgs {
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
    args.with_request(xero_oauth1::authorization_header).or_raise("xero_oauth1_authorization_header")
}

/// Every step of the signature `xero_oauth1_authorization_header` makes, secrets masked.
#[allow(clippy::too_many_arguments)]
#[pg_extern(volatile, parallel_safe)]
fn xero_oauth1_explain(
    method: Option<&str>,
    url: Option<&str>,
    params: default!(Option<JsonbArg>, "'[]'"),
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
) -> TableIterator<'static, (name!(step, i32), name!(name, String), name!(value, String))> {
    let args = HeaderArgs {
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
    let steps = args.with_request(xero_oauth1::explain).or_raise("xero_oauth1_explain");
    TableIterator::new(steps.into_iter().map(|s| (s.step as i32, s.name, s.value)))
}

/// Plays the server: checks a request's `Authorization` header and names the client's mistake.
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
#[pg_extern(volatile, parallel_safe)]
fn xero_oauth1_verify(
    method: Option<&str>,
    url: Option<&str>,
    params: Option<JsonbArg>,
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
