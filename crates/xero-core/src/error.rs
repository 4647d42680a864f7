//! The one error type of the core. The pgrx layer turns it into an `ErrorReport` with a SQLSTATE
//! chosen from `kind`; nothing here may carry a secret (tokens, client secrets, keys).

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErrorKind {
    /// A function argument the caller gave is wrong (22023).
    InvalidArgument,
    /// A server or user-mapping option has a bad value or is missing (22023).
    InvalidOption,
    /// An option that does not exist where it was given, e.g. a secret in server options (HV00D).
    UnknownOption,
    /// No usable credentials: never authorized, or the user mapping lacks them (28000).
    NotAuthorized,
    /// The token set was refused (`invalid_grant`) and must be authorized again (28000).
    ReauthorizationNeeded,
    /// The caller may not use the organisation, or Xero refused the tenant or scope (42501).
    PermissionDenied,
    /// No such organisation (foreign server) or user mapping (42704).
    UndefinedObject,
    /// Xero rejected the request as invalid, e.g. a bad `where` (22023).
    Rejected,
    /// Xero (or xero_fdw) has no way to do what was asked, e.g. remove a currency (0A000).
    NotSupported,
    /// Xero has no such record (02000 is not an error state, so P0002 no_data_found).
    NotFound,
    /// A rate limit that cannot be waited out here (53400).
    RateLimited,
    /// Xero answered 5xx or is offline (HV000).
    Unavailable,
    /// No TCP/TLS connection could be made (08001).
    ConnectFailed,
    /// A TLS handshake failed for a reason retrying cannot fix: an untrusted or expired server
    /// certificate, one for another host, a client certificate missing or refused (08001).
    TlsFailed,
    /// The connection broke or timed out mid-request (08006).
    ConnectionLost,
    /// The response is not what the protocol promises: bad JSON, truncated body (08P01).
    ProtocolViolation,
    /// A value in a response does not fit its column (22P02).
    BadValue,
    /// A date in a response is malformed (22007).
    BadDate,
    /// A number in a response is out of range (22003).
    OutOfRange,
    /// The query was cancelled or timed out while waiting; PostgreSQL reports it (57014).
    Interrupted,
    /// A server resource (e.g. a background-worker slot) is unavailable (53000).
    ResourceExhausted,
    /// A bug in xero_fdw (XX000).
    Internal,
}

// Serializable so the token worker can hand an error back to the backend that asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct XeroError {
    pub kind: ErrorKind,
    pub message: String,
    pub detail: Option<String>,
    pub hint: Option<String>,
    /// The HTTP status Xero answered with, when the error is an answer (for the call log).
    #[serde(default)]
    pub status: Option<u16>,
}

/// Stands for the organisation's name in hints written where it is not known (the transport
/// knows hosts, not organisations); `naming_org` fills it in.
pub const ORG_PLACEHOLDER: &str = "<organisation>";

pub type Result<T, E = XeroError> = std::result::Result<T, E>;

impl XeroError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        XeroError { kind, message: message.into(), detail: None, hint: None, status: None }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// Adds a line to the DETAIL (or makes it the DETAIL when there is none).
    pub fn with_detail_line(self, line: impl Into<String>) -> Self {
        let line = line.into();
        let detail = match &self.detail {
            Some(d) => format!("{d}\n{line}"),
            None => line,
        };
        self.with_detail(detail)
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidArgument, message)
    }

    pub fn invalid_option(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidOption, message)
    }

    /// Replaces every occurrence of a secret in the message, detail and hint. Defence in depth:
    /// xero_fdw never formats a secret itself, but Xero (or a proxy) may echo a request back.
    pub fn redact<S: AsRef<str>>(mut self, secrets: &[S]) -> Self {
        let scrub = |text: &mut String| {
            for s in secrets {
                let s = s.as_ref();
                // Short strings would redact ordinary words; real secrets are long.
                if s.len() >= 8 && text.contains(s) {
                    *text = text.replace(s, "<redacted>");
                }
            }
        };
        scrub(&mut self.message);
        if let Some(d) = self.detail.as_mut() {
            scrub(d);
        }
        if let Some(h) = self.hint.as_mut() {
            scrub(h);
        }
        self
    }

    /// Puts the organisation's name where a hint says `ORG_PLACEHOLDER`, as a SQL literal's
    /// content (quotes doubled), since hints quote it inside `'…'`.
    pub fn naming_org(mut self, org: &str) -> Self {
        if let Some(h) = self.hint.as_mut() {
            if h.contains(ORG_PLACEHOLDER) {
                *h = h.replace(ORG_PLACEHOLDER, &org.replace('\'', "''"));
            }
        }
        self
    }

    pub fn interrupted() -> Self {
        Self::new(ErrorKind::Interrupted, "canceling request to Xero")
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }
}

impl fmt::Display for XeroError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(d) = &self.detail {
            write!(f, " (detail: {d})")?;
        }
        if let Some(h) = &self.hint {
            write!(f, " (hint: {h})")?;
        }
        Ok(())
    }
}

impl std::error::Error for XeroError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_scrubs_every_part_but_leaves_short_words() {
        let e = XeroError::new(ErrorKind::Unavailable, "token abcdefgh123 refused")
            .with_detail("echo: Bearer abcdefgh123; secret s3cr3t-value")
            .with_hint("use s3cr3t-value")
            .redact(&["abcdefgh123", "s3cr3t-value", "the"]);
        assert_eq!(e.to_string(), "token <redacted> refused (detail: echo: Bearer <redacted>; secret <redacted>) (hint: use <redacted>)");
    }
}
