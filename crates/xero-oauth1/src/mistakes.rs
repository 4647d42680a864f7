//! The well-known client mistakes behind "Failed to validate signature", each with a stable name
//! and a hint saying what to fix.

use std::fmt;

/// A client mistake that [`crate::verify`] can recognise by reproducing the client's signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Mistake {
    /// Spaces encoded as `+` (form encoding) instead of `%20`.
    PlusForSpace,
    /// Lower-case hex digits in percent-escapes (`%2f` instead of `%2F`).
    LowerCaseHex,
    /// Names/values percent-encoded twice (often: query values taken from the URL still encoded).
    DoubleEncoding,
    /// Names/values not percent-encoded before they were joined.
    ParametersNotEncoded,
    /// Parameters not sorted.
    UnsortedParameters,
    /// Parameters sorted before encoding instead of after.
    SortedBeforeEncoding,
    /// Query-string parameters left out of the signature.
    MissingQueryParameters,
    /// Form-body parameters left out of the signature.
    MissingBodyParameters,
    /// The query string kept in the base string URI.
    QueryInBaseUrl,
    /// The default port (`:443`, `:80`) kept in the base string URI.
    PortInUrl,
    /// Upper-case letters kept in the scheme or host.
    UpperCaseHost,
    /// Signed with `http` for an `https` request or the other way round.
    WrongScheme,
    /// The path signed with a trailing `/` the request does not have, or without one it has.
    TrailingSlash,
    /// Signed with another HTTP method.
    WrongMethod,
    /// The HTTP method signed in lower case.
    LowerCaseMethod,
    /// The header's `realm` included in the signature.
    RealmSigned,
    /// HMAC/PLAINTEXT key without its trailing `&` when there is no token secret.
    MissingAmpersandInKey,
    /// Secrets not percent-encoded in the signing key.
    SigningKeyNotEncoded,
    /// The token secret left out of the signing key.
    MissingTokenSecret,
    /// The consumer secret is wrong (detectable with PLAINTEXT only).
    WrongConsumerSecret,
    /// The token secret is wrong (detectable with PLAINTEXT only).
    WrongTokenSecret,
    /// `oauth_signature` percent-encoded twice in the header.
    SignatureEncodedTwice,
    /// The signature was made with another method than `oauth_signature_method` says, or the
    /// server is not set up for that method.
    SignatureMethodMismatch,
    /// The signature is right but `oauth_timestamp` is outside the allowed window.
    StaleTimestamp,
    /// `oauth_timestamp` is missing or not a whole number of seconds.
    BadTimestamp,
    /// None of the known mistakes reproduces the signature.
    Unknown,
}

impl Mistake {
    /// Every variant, in the order `verify` tries them.
    pub const ALL: [Mistake; 26] = [
        Mistake::SignatureEncodedTwice,
        Mistake::SignatureMethodMismatch,
        Mistake::MissingAmpersandInKey,
        Mistake::SigningKeyNotEncoded,
        Mistake::MissingTokenSecret,
        Mistake::WrongConsumerSecret,
        Mistake::WrongTokenSecret,
        Mistake::PlusForSpace,
        Mistake::LowerCaseHex,
        Mistake::DoubleEncoding,
        Mistake::ParametersNotEncoded,
        Mistake::UnsortedParameters,
        Mistake::SortedBeforeEncoding,
        Mistake::MissingQueryParameters,
        Mistake::MissingBodyParameters,
        Mistake::QueryInBaseUrl,
        Mistake::PortInUrl,
        Mistake::UpperCaseHost,
        Mistake::WrongScheme,
        Mistake::TrailingSlash,
        Mistake::LowerCaseMethod,
        Mistake::WrongMethod,
        Mistake::RealmSigned,
        Mistake::StaleTimestamp,
        Mistake::BadTimestamp,
        Mistake::Unknown,
    ];

    /// A stable snake_case name (for SQL results and logs).
    pub fn name(self) -> &'static str {
        match self {
            Mistake::PlusForSpace => "plus_for_space",
            Mistake::LowerCaseHex => "lower_case_hex",
            Mistake::DoubleEncoding => "double_encoding",
            Mistake::ParametersNotEncoded => "parameters_not_encoded",
            Mistake::UnsortedParameters => "unsorted_parameters",
            Mistake::SortedBeforeEncoding => "sorted_before_encoding",
            Mistake::MissingQueryParameters => "missing_query_parameters",
            Mistake::MissingBodyParameters => "missing_body_parameters",
            Mistake::QueryInBaseUrl => "query_in_base_url",
            Mistake::PortInUrl => "port_in_url",
            Mistake::UpperCaseHost => "upper_case_host",
            Mistake::WrongScheme => "wrong_scheme",
            Mistake::TrailingSlash => "trailing_slash",
            Mistake::WrongMethod => "wrong_method",
            Mistake::LowerCaseMethod => "lower_case_method",
            Mistake::RealmSigned => "realm_signed",
            Mistake::MissingAmpersandInKey => "missing_ampersand_in_key",
            Mistake::SigningKeyNotEncoded => "signing_key_not_encoded",
            Mistake::MissingTokenSecret => "missing_token_secret",
            Mistake::WrongConsumerSecret => "wrong_consumer_secret",
            Mistake::WrongTokenSecret => "wrong_token_secret",
            Mistake::SignatureEncodedTwice => "signature_encoded_twice",
            Mistake::SignatureMethodMismatch => "signature_method_mismatch",
            Mistake::StaleTimestamp => "stale_timestamp",
            Mistake::BadTimestamp => "bad_timestamp",
            Mistake::Unknown => "unknown",
        }
    }

    /// What the client should fix.
    pub fn hint(self) -> &'static str {
        match self {
            Mistake::PlusForSpace => "Percent-encode with RFC 5849 3.6 rules, not a form/URL encoder: a space is %20, never '+' (and '*' is %2A, '~' stays '~').",
            Mistake::LowerCaseHex => "Use upper-case hex digits in percent-escapes (%2F, not %2f); .NET's HttpUtility.UrlEncode produces lower case.",
            Mistake::DoubleEncoding => "Encode each name and value exactly once, from its decoded form: decode query parameters taken from the URL (and values you already encoded) before signing.",
            Mistake::ParametersNotEncoded => "Percent-encode each name and value before joining them with '=' and '&'; the joined string is then encoded once more as a whole.",
            Mistake::UnsortedParameters => "Sort all parameters (query, form body and oauth_*) by encoded name, then by encoded value, before joining them.",
            Mistake::SortedBeforeEncoding => "Sort after percent-encoding (byte order of the encoded names and values), not before.",
            Mistake::MissingQueryParameters => "Include every query-string parameter of the request URL in the signature (decoded, then encoded like the others).",
            Mistake::MissingBodyParameters => "Include the form-body parameters (Content-Type application/x-www-form-urlencoded) in the signature.",
            Mistake::QueryInBaseUrl => "Strip the query string from the URL in the base string; its parameters go into the parameter list instead.",
            Mistake::PortInUrl => "Drop the default port from the base string URI (:443 for https, :80 for http).",
            Mistake::UpperCaseHost => "Lower-case the scheme and host in the base string URI (the path keeps its case).",
            Mistake::WrongScheme => "Sign the scheme the server sees (https for api.xero.com); behind a TLS-terminating proxy, use the public URL.",
            Mistake::TrailingSlash => "Sign exactly the path that is requested: a trailing '/' makes a different base string.",
            Mistake::WrongMethod => "Sign with the HTTP method the request is actually sent with.",
            Mistake::LowerCaseMethod => "Upper-case the HTTP method in the base string (GET, not get).",
            Mistake::RealmSigned => "Leave realm out of the signature: it is sent in the header but never signed.",
            Mistake::MissingAmpersandInKey => "The signing key is enc(consumer_secret) + '&' + enc(token_secret): keep the '&' even when there is no token secret.",
            Mistake::SigningKeyNotEncoded => "Percent-encode the consumer secret and the token secret before joining them with '&'.",
            Mistake::MissingTokenSecret => "Put the token secret (from the RequestToken/AccessToken response) after the '&' of the signing key.",
            Mistake::WrongConsumerSecret => "The consumer secret does not match the one registered for this consumer key: copy it again from the developer portal.",
            Mistake::WrongTokenSecret => "The token secret does not belong to this token: use the oauth_token_secret returned with that oauth_token.",
            Mistake::SignatureEncodedTwice => "Percent-encode oauth_signature once in the header (%2B for '+', %2F for '/', %3D for '=').",
            Mistake::SignatureMethodMismatch => "Send the oauth_signature_method you signed with; Xero public apps use HMAC-SHA1, private and partner apps RSA-SHA1 with the key whose certificate was uploaded.",
            Mistake::StaleTimestamp => "Synchronise the client's clock (NTP) and send oauth_timestamp as the current Unix time in seconds; do not reuse old requests.",
            Mistake::BadTimestamp => "Send oauth_timestamp as a whole number of seconds since 1970-01-01T00:00:00Z.",
            Mistake::Unknown => "No single well-known mistake reproduces the signature: check the consumer secret, token secret or RSA key first, then compare the client's base string with expected_base_string character by character.",
        }
    }
}

impl fmt::Display for Mistake {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for m in Mistake::ALL {
            assert!(seen.insert(m.name()), "duplicate {}", m.name());
            assert!(m
                .name()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_'));
            assert!(!m.hint().is_empty());
        }
    }
}
