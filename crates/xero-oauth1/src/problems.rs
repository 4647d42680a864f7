//! OAuth 1.0a error bodies (`oauth_problem=signature_invalid&oauth_problem_advice=…`), as Xero
//! sent them, following the OAuth Problem Reporting extension, with what to check for each.

use std::fmt;

use crate::encoding::parse_form_urlencoded;
use crate::error::Error;

/// A known `oauth_problem` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Problem {
    /// `signature_invalid`: Xero's "Failed to validate signature".
    SignatureInvalid,
    /// `nonce_used`: the nonce was seen before.
    NonceUsed,
    /// `timestamp_refused`: the timestamp is outside the server's window.
    TimestampRefused,
    /// `token_expired`.
    TokenExpired,
    /// `token_rejected`.
    TokenRejected,
    /// `token_revoked`.
    TokenRevoked,
    /// `token_used`.
    TokenUsed,
    /// `signature_method_rejected`.
    SignatureMethodRejected,
    /// `consumer_key_unknown`.
    ConsumerKeyUnknown,
    /// `consumer_key_rejected`.
    ConsumerKeyRejected,
    /// `consumer_key_refused`.
    ConsumerKeyRefused,
    /// `permission_denied`.
    PermissionDenied,
    /// `permission_unknown`.
    PermissionUnknown,
    /// `parameter_absent`.
    ParameterAbsent,
    /// `parameter_rejected`.
    ParameterRejected,
    /// `version_rejected`.
    VersionRejected,
    /// `additional_authorization_required`.
    AdditionalAuthorizationRequired,
    /// `user_refused`.
    UserRefused,
    /// `rate limit exceeded` (Xero's own, with spaces).
    RateLimitExceeded,
}

impl Problem {
    const TABLE: [(Problem, &'static str); 19] = [
        (Problem::SignatureInvalid, "signature_invalid"),
        (Problem::NonceUsed, "nonce_used"),
        (Problem::TimestampRefused, "timestamp_refused"),
        (Problem::TokenExpired, "token_expired"),
        (Problem::TokenRejected, "token_rejected"),
        (Problem::TokenRevoked, "token_revoked"),
        (Problem::TokenUsed, "token_used"),
        (
            Problem::SignatureMethodRejected,
            "signature_method_rejected",
        ),
        (Problem::ConsumerKeyUnknown, "consumer_key_unknown"),
        (Problem::ConsumerKeyRejected, "consumer_key_rejected"),
        (Problem::ConsumerKeyRefused, "consumer_key_refused"),
        (Problem::PermissionDenied, "permission_denied"),
        (Problem::PermissionUnknown, "permission_unknown"),
        (Problem::ParameterAbsent, "parameter_absent"),
        (Problem::ParameterRejected, "parameter_rejected"),
        (Problem::VersionRejected, "version_rejected"),
        (
            Problem::AdditionalAuthorizationRequired,
            "additional_authorization_required",
        ),
        (Problem::UserRefused, "user_refused"),
        (Problem::RateLimitExceeded, "rate limit exceeded"),
    ];

    /// The `oauth_problem` text.
    pub fn name(self) -> &'static str {
        Self::TABLE
            .iter()
            .find(|(p, _)| *p == self)
            .map_or("", |(_, n)| n)
    }

    /// Looks a problem up by its `oauth_problem` text (exact, as servers send it).
    pub fn from_name(name: &str) -> Option<Problem> {
        Self::TABLE
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(p, _)| *p)
    }

    /// What to check.
    pub fn hint(self) -> &'static str {
        match self {
            Problem::SignatureInvalid => "The server computed a different signature. Run explain() on the request and verify() with the same secrets: usual causes are '+' for spaces, double encoding, unsorted or missing query/body parameters, a port or upper-case host in the base string URI, a missing '&' in the key, or the wrong secret/RSA key.",
            Problem::NonceUsed => "oauth_nonce was already used with this timestamp: generate a fresh random nonce for every request and never retry a request with the same Authorization header.",
            Problem::TimestampRefused => "oauth_timestamp is too far from the server's clock: synchronise the client's clock (NTP) and send the current Unix time in seconds.",
            Problem::TokenExpired => "The access token has expired (Xero public and partner tokens last 30 minutes): partner apps renew with oauth_session_handle at /oauth/AccessToken, public apps must authorise again.",
            Problem::TokenRejected => "The token is not valid for this consumer key: check that oauth_token is the current access token (private apps use the consumer key as token) and that it was issued to this application.",
            Problem::TokenRevoked => "The user or organisation revoked the application's access: authorise again.",
            Problem::TokenUsed => "The request token was already exchanged: start the authorisation flow again.",
            Problem::SignatureMethodRejected => "The application type fixes the method: Xero public apps sign with HMAC-SHA1, private and partner apps with RSA-SHA1.",
            Problem::ConsumerKeyUnknown => "The consumer key is not registered: copy it again from the developer portal (no spaces, right environment).",
            Problem::ConsumerKeyRejected => "The consumer key is blocked or the application is disabled: check the application in the developer portal.",
            Problem::ConsumerKeyRefused => "The consumer key is temporarily refused (for example rate limiting): wait and retry.",
            Problem::PermissionDenied => "The token does not grant access to this resource: check the organisation the token was authorised for and the application's permissions.",
            Problem::PermissionUnknown => "The requested permission is not known to the server.",
            Problem::ParameterAbsent => "A required parameter is missing (see oauth_parameters_absent): typically oauth_callback on the request token or oauth_verifier on the access token.",
            Problem::ParameterRejected => "A parameter was not accepted (see oauth_parameters_rejected): check its value and that it is sent once.",
            Problem::VersionRejected => "oauth_version must be 1.0 (or be left out).",
            Problem::AdditionalAuthorizationRequired => "The token needs more authorisation: send the user through the authorisation step again.",
            Problem::UserRefused => "The user declined to authorise the application.",
            Problem::RateLimitExceeded => "Xero's API rate limit was hit: wait before retrying (limits are per minute and per day).",
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A parsed OAuth 1.0a error body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthProblem {
    /// `oauth_problem` as sent.
    pub problem: String,
    /// The problem, when it is a known one.
    pub known: Option<Problem>,
    /// `oauth_problem_advice`.
    pub advice: Option<String>,
    /// `oauth_parameters_absent`, split at `&`.
    pub parameters_absent: Vec<String>,
    /// `oauth_parameters_rejected`, split at `&`.
    pub parameters_rejected: Vec<String>,
    /// `oauth_acceptable_versions` (`min-max`).
    pub acceptable_versions: Option<String>,
    /// `oauth_acceptable_timestamps` (`min-max`, Unix seconds).
    pub acceptable_timestamps: Option<(u64, u64)>,
    /// Any other parameters in the body.
    pub other: Vec<(String, String)>,
    /// What to check, with the details above worked in.
    pub hint: String,
}

/// Parses a form-encoded OAuth error body. Returns `Ok(None)` when the body has no
/// `oauth_problem` (it is then some other kind of error). Xero's bodies sometimes carry spaces
/// instead of `%20`; form decoding accepts those as they are.
pub fn parse_problem(body: &str) -> Result<Option<OAuthProblem>, Error> {
    let body = body.trim();
    if !body.contains("oauth_problem=") {
        return Ok(None);
    }
    let pairs = parse_form_urlencoded(body)?;
    let mut problem = None;
    let mut p = OAuthProblem {
        problem: String::new(),
        known: None,
        advice: None,
        parameters_absent: Vec::new(),
        parameters_rejected: Vec::new(),
        acceptable_versions: None,
        acceptable_timestamps: None,
        other: Vec::new(),
        hint: String::new(),
    };
    let split = |v: &str| {
        v.split('&')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    for (name, value) in pairs {
        match name.as_str() {
            "oauth_problem" => problem = Some(value),
            "oauth_problem_advice" => p.advice = Some(value),
            "oauth_parameters_absent" => p.parameters_absent = split(&value),
            "oauth_parameters_rejected" => p.parameters_rejected = split(&value),
            "oauth_acceptable_versions" => p.acceptable_versions = Some(value),
            "oauth_acceptable_timestamps" => {
                p.acceptable_timestamps = value
                    .split_once('-')
                    .and_then(|(a, b)| Some((a.trim().parse().ok()?, b.trim().parse().ok()?)));
            }
            _ => p.other.push((name, value)),
        }
    }
    let Some(problem) = problem else {
        return Ok(None);
    };
    p.known = Problem::from_name(problem.trim());
    p.problem = problem;
    let mut hint = match p.known {
        Some(k) => k.hint().to_string(),
        None => format!(
            "Unrecognised oauth_problem {:?}: read oauth_problem_advice.",
            crate::error::quote_short(&p.problem)
        ),
    };
    if !p.parameters_absent.is_empty() {
        hint.push_str(&format!(" Missing: {}.", p.parameters_absent.join(", ")));
    }
    if !p.parameters_rejected.is_empty() {
        hint.push_str(&format!(" Rejected: {}.", p.parameters_rejected.join(", ")));
    }
    if let Some((lo, hi)) = p.acceptable_timestamps {
        hint.push_str(&format!(
            " The server accepts timestamps from {lo} to {hi}."
        ));
    }
    if let Some(v) = &p.acceptable_versions {
        hint.push_str(&format!(" Acceptable versions: {v}."));
    }
    p.hint = hint;
    Ok(Some(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xero_signature_invalid() {
        let p = parse_problem("oauth_problem=signature_invalid&oauth_problem_advice=Failed%20to%20validate%20signature")
            .unwrap()
            .unwrap();
        assert_eq!(p.known, Some(Problem::SignatureInvalid));
        assert_eq!(p.advice.as_deref(), Some("Failed to validate signature"));
        assert!(p.hint.contains("explain()"));
    }

    #[test]
    fn every_listed_problem_is_known_with_a_hint() {
        for name in [
            "signature_invalid",
            "nonce_used",
            "timestamp_refused",
            "token_expired",
            "token_rejected",
            "signature_method_rejected",
            "consumer_key_unknown",
            "permission_denied",
            "parameter_absent",
            "parameter_rejected",
            "version_rejected",
        ] {
            let p = parse_problem(&format!("oauth_problem={name}"))
                .unwrap()
                .unwrap();
            let known = p.known.unwrap_or_else(|| panic!("{name} not known"));
            assert_eq!(known.name(), name);
            assert!(!p.hint.is_empty());
        }
    }

    #[test]
    fn details_are_worked_into_the_hint() {
        let p = parse_problem(
            "oauth_problem=parameter_absent&oauth_parameters_absent=oauth_verifier%26oauth_token",
        )
        .unwrap()
        .unwrap();
        assert_eq!(p.parameters_absent, vec!["oauth_verifier", "oauth_token"]);
        assert!(p.hint.contains("oauth_verifier, oauth_token"));
        let p = parse_problem(
            "oauth_problem=timestamp_refused&oauth_acceptable_timestamps=100-200&x=y",
        )
        .unwrap()
        .unwrap();
        assert_eq!(p.acceptable_timestamps, Some((100, 200)));
        assert_eq!(p.other, vec![("x".to_string(), "y".to_string())]);
        assert!(p.hint.contains("from 100 to 200"));
        let p = parse_problem("oauth_problem=rate limit exceeded&oauth_problem_advice=please wait before retrying the xero api")
            .unwrap()
            .unwrap();
        assert_eq!(p.known, Some(Problem::RateLimitExceeded));
        let p = parse_problem("oauth_problem=something_new")
            .unwrap()
            .unwrap();
        assert_eq!(p.known, None);
        assert!(p.hint.contains("something_new"));
    }

    #[test]
    fn other_bodies_are_not_problems() {
        assert_eq!(parse_problem("{\"Title\":\"Unauthorized\"}").unwrap(), None);
        assert_eq!(parse_problem("").unwrap(), None);
    }
}
