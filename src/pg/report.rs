//! The one boundary where core errors become PostgreSQL errors.

use pgrx::pg_sys::panic::ErrorReport;
use pgrx::{PgLogLevel, PgSqlErrorCode};
use xero_core::{ErrorKind, XeroError};

fn sqlstate(kind: ErrorKind) -> PgSqlErrorCode {
    use PgSqlErrorCode::*;
    match kind {
        ErrorKind::InvalidArgument | ErrorKind::Rejected => ERRCODE_INVALID_PARAMETER_VALUE,
        ErrorKind::InvalidOption => ERRCODE_INVALID_PARAMETER_VALUE,
        ErrorKind::UnknownOption => ERRCODE_FDW_INVALID_OPTION_NAME,
        ErrorKind::NotAuthorized | ErrorKind::ReauthorizationNeeded => ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION,
        ErrorKind::PermissionDenied => ERRCODE_INSUFFICIENT_PRIVILEGE,
        ErrorKind::UndefinedObject => ERRCODE_UNDEFINED_OBJECT,
        ErrorKind::NotFound => ERRCODE_NO_DATA_FOUND,
        ErrorKind::NotSupported => ERRCODE_FEATURE_NOT_SUPPORTED,
        ErrorKind::RateLimited => ERRCODE_CONFIGURATION_LIMIT_EXCEEDED,
        ErrorKind::Unavailable => ERRCODE_FDW_ERROR,
        ErrorKind::ConnectFailed | ErrorKind::TlsFailed => ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
        ErrorKind::ConnectionLost => ERRCODE_CONNECTION_FAILURE,
        ErrorKind::ProtocolViolation => ERRCODE_PROTOCOL_VIOLATION,
        ErrorKind::BadValue => ERRCODE_INVALID_TEXT_REPRESENTATION,
        ErrorKind::BadDate => ERRCODE_INVALID_DATETIME_FORMAT,
        ErrorKind::OutOfRange => ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
        ErrorKind::Interrupted => ERRCODE_QUERY_CANCELED,
        ErrorKind::ResourceExhausted => ERRCODE_INSUFFICIENT_RESOURCES,
        ErrorKind::Internal => ERRCODE_INTERNAL_ERROR,
    }
}

thread_local! {
    /// Secrets this backend has handled recently, scrubbed from every error it raises.
    static KNOWN_SECRETS: std::cell::RefCell<std::collections::VecDeque<String>> = const { std::cell::RefCell::new(std::collections::VecDeque::new()) };
}

/// Remembers a secret (token, client secret) so that no error can show it.
pub fn register_secret(secret: &str) {
    KNOWN_SECRETS.with(|k| {
        let mut k = k.borrow_mut();
        if !k.iter().any(|s| s == secret) {
            if k.len() >= 32 {
                k.pop_front();
            }
            k.push_back(secret.to_string());
        }
    });
}

/// Raises `err` as an ERROR. Interrupts are left to PostgreSQL so the user sees its own
/// "canceling statement due to …" message.
pub fn raise(err: XeroError, function: &'static str) -> ! {
    if err.kind == ErrorKind::Interrupted {
        pgrx::check_for_interrupts!();
    }
    let err = KNOWN_SECRETS.with(|k| err.redact(k.borrow_mut().make_contiguous()));
    let mut report = ErrorReport::new(sqlstate(err.kind), err.message, function);
    if let Some(d) = err.detail {
        report = report.set_detail(d);
    }
    if let Some(h) = err.hint {
        report = report.set_hint(h);
    }
    report.report(PgLogLevel::ERROR);
    unreachable!("ERROR does not return")
}

/// Raises `err` from a function of organisation `org`: hints the core wrote without knowing the
/// organisation (TLS failures, Xero refusing a token) get its name and its app kind's steps.
pub fn raise_for_org(err: XeroError, org: &str, function: &'static str) -> ! {
    let auth = crate::pg::catalog::auth_of(org);
    raise(err.for_org(org, auth), function)
}

pub trait OrRaise<T> {
    fn or_raise(self, function: &'static str) -> T;
    /// `or_raise` for a function called for organisation `org` (see `raise_for_org`).
    fn or_raise_for(self, org: &str, function: &'static str) -> T;
}

impl<T> OrRaise<T> for Result<T, XeroError> {
    fn or_raise(self, function: &'static str) -> T {
        match self {
            Ok(v) => v,
            Err(e) => raise(e, function),
        }
    }

    fn or_raise_for(self, org: &str, function: &'static str) -> T {
        match self {
            Ok(v) => v,
            Err(e) => raise_for_org(e, org, function),
        }
    }
}
