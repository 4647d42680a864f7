//! The crate's error type.
//!
//! Every message says what was wrong and, where it helps, what to do about it. No message ever
//! contains a consumer secret, a token secret, a private key or a PLAINTEXT signature (which *is*
//! the secrets): errors about headers or PEM text therefore name a position or a parameter, never
//! echo the text itself.

use std::fmt;

/// Which RSA key a [`Error::InvalidRsaKey`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    /// The client's private key (signing).
    Private,
    /// The public key or certificate the server verifies with.
    Public,
}

impl fmt::Display for KeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyKind::Private => "private",
            KeyKind::Public => "public",
        })
    }
}

/// Everything that can go wrong while building, signing, parsing or verifying a request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The URL could not be used as an OAuth base string URI.
    InvalidUrl {
        /// What is wrong with it.
        reason: String,
    },
    /// The URL's scheme is neither `http` nor `https`.
    UnsupportedScheme {
        /// The scheme as given (never a secret: it is the text before `://`).
        scheme: String,
    },
    /// A `%` escape that is not followed by two hexadecimal digits.
    InvalidPercentEncoding {
        /// Where the text came from (`"query string"`, `"Authorization header parameter oauth_nonce"`, …).
        context: String,
        /// Byte offset of the `%` in that text.
        position: usize,
    },
    /// Percent-decoding produced bytes that are not UTF-8. RFC 5849 3.6 encodes UTF-8 only.
    InvalidUtf8 {
        /// Where the text came from.
        context: String,
    },
    /// The HTTP method is empty or contains characters an HTTP method cannot contain.
    InvalidMethod {
        /// The method as given (truncated).
        method: String,
    },
    /// The `oauth_signature_method` is not one of the three RFC 5849 methods.
    UnknownSignatureMethod {
        /// The name as given (truncated).
        given: String,
    },
    /// RSA-SHA1 was asked for but no key was supplied.
    MissingRsaKey {
        /// Which key is missing.
        kind: KeyKind,
    },
    /// A PEM key could not be read.
    InvalidRsaKey {
        /// Which key.
        kind: KeyKind,
        /// What is wrong (never the key text).
        reason: String,
    },
    /// The RSA signing operation itself failed.
    RsaSigning {
        /// The underlying reason.
        reason: String,
    },
    /// The `Authorization` header is not a well-formed `OAuth` header.
    MalformedAuthorizationHeader {
        /// What is wrong, with a byte position.
        reason: String,
    },
    /// The `Authorization` header has no `oauth_signature`.
    MissingSignature,
    /// A protocol parameter that must appear once appears more than once (RFC 5849 3.5).
    DuplicateProtocolParameter {
        /// The parameter name.
        name: String,
    },
    /// A required protocol parameter is absent.
    MissingProtocolParameter {
        /// The parameter name.
        name: String,
    },
    /// A request field holds a value that cannot be sent.
    InvalidParameter {
        /// The parameter or field name.
        name: String,
        /// Why (never the value if it could be secret).
        reason: String,
    },
    /// The operating system's random number generator failed (no nonce could be made).
    Randomness {
        /// The underlying reason.
        reason: String,
    },
    /// The caller passed an `oauth_*` parameter that the request builds itself.
    ReservedParameter {
        /// The parameter name.
        name: String,
    },
}

/// Truncates caller-supplied text that is quoted back in an error message, so a long (or
/// accidentally pasted) value cannot flood a log line.
pub(crate) fn quote_short(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(MAX).collect();
        out.push('…');
        out
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidUrl { reason } => write!(f, "invalid URL: {reason}"),
            Error::UnsupportedScheme { scheme } => write!(
                f,
                "unsupported URL scheme {scheme:?}: OAuth 1.0a base string URIs must be http or https"
            ),
            Error::InvalidPercentEncoding { context, position } => write!(
                f,
                "invalid percent-encoding in {context} at byte {position}: '%' must be followed by two hexadecimal digits (encode a literal '%' as %25)"
            ),
            Error::InvalidUtf8 { context } => write!(
                f,
                "percent-decoded {context} is not valid UTF-8: RFC 5849 3.6 percent-encodes UTF-8 bytes only"
            ),
            Error::InvalidMethod { method } => write!(
                f,
                "invalid HTTP method {method:?}: expected a token such as GET, POST, PUT or DELETE"
            ),
            Error::UnknownSignatureMethod { given } => {
                write!(
                    f,
                    "unknown signature method {given:?}: valid methods are HMAC-SHA1, RSA-SHA1 and PLAINTEXT"
                )?;
                let upper = given.to_ascii_uppercase();
                if given != &upper && ["HMAC-SHA1", "RSA-SHA1", "PLAINTEXT"].contains(&upper.as_str())
                {
                    write!(f, " (the names are case-sensitive: did you mean {upper}?)")?;
                }
                Ok(())
            }
            Error::MissingRsaKey { kind } => write!(
                f,
                "RSA-SHA1 needs an RSA {kind} key in PEM form, but none was given"
            ),
            Error::InvalidRsaKey { kind, reason } => {
                write!(f, "invalid RSA {kind} key: {reason}")
            }
            Error::RsaSigning { reason } => write!(f, "RSA-SHA1 signing failed: {reason}"),
            Error::MalformedAuthorizationHeader { reason } => {
                write!(f, "malformed OAuth Authorization header: {reason}")
            }
            Error::MissingSignature => f.write_str(
                "the Authorization header has no oauth_signature parameter: the request was not signed",
            ),
            Error::DuplicateProtocolParameter { name } => write!(
                f,
                "protocol parameter {name} appears more than once (RFC 5849 3.5 allows each once)"
            ),
            Error::MissingProtocolParameter { name } => {
                write!(f, "required protocol parameter {name} is missing")
            }
            Error::InvalidParameter { name, reason } => write!(f, "invalid {name}: {reason}"),
            Error::Randomness { reason } => write!(
                f,
                "could not read the system random number generator for oauth_nonce: {reason}"
            ),
            Error::ReservedParameter { name } => write!(
                f,
                "parameter {name} is a protocol parameter set from the request's own fields; pass it there, not in params"
            ),
        }
    }
}

impl std::error::Error for Error {}
