//! Server-side verification that says *why* a signature fails.

use crate::base_string::{base_string_from, checked_method, collect, Param, Source};
use crate::base_url::UrlParts;
use crate::encoding::{encode_into, percent_decode};
use crate::error::Error;
use crate::header::parse_authorization_header;
use crate::mistakes::Mistake;
use crate::request::mask_secret;
use crate::signing::{constant_time_eq, hmac_sha1, signing_key, RsaVerifier, SignatureMethod};
use crate::variants::base_string_variants;

/// The outcome of [`verify`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    /// The signature is right and the timestamp is within the window.
    pub valid: bool,
    /// What is wrong, when something is.
    pub mistake: Option<Mistake>,
    /// `oauth_signature_method` as received.
    pub signature_method: SignatureMethod,
    /// The base string a correct client signs for this request.
    pub expected_base_string: String,
    /// The base string the client evidently signed, when a base-string mistake was recognised.
    pub client_base_string: Option<String>,
    /// `oauth_signature` as received (decoded). Masked for PLAINTEXT, whose signature is the
    /// secrets.
    pub received_signature: String,
    /// The correct HMAC-SHA1 signature. `None` for RSA-SHA1 (only the private key can make it)
    /// and for PLAINTEXT (it would reveal the secrets).
    pub expected_signature: Option<String>,
    /// A human explanation: what was found and what to fix.
    pub detail: String,
}

/// How the received signature is checked against a candidate base string.
enum Checker {
    Hmac(String),
    Plaintext(String),
    Rsa(RsaVerifier),
}

impl Checker {
    fn matches(&self, base_string: &str, signature: &str) -> bool {
        match self {
            Checker::Hmac(key) => constant_time_eq(
                hmac_sha1(key.as_bytes(), base_string.as_bytes())
                    .as_str()
                    .as_bytes(),
                signature.as_bytes(),
            ),
            Checker::Plaintext(key) => constant_time_eq(key.as_bytes(), signature.as_bytes()),
            Checker::Rsa(v) => v.verifies(base_string, signature),
        }
    }
}

/// Plays the server for one request: rebuilds the base string from what was received, checks the
/// `Authorization` header's signature (HMAC-SHA1 and PLAINTEXT by recomputation with a
/// constant-time comparison, RSA-SHA1 with the public key, a certificate or the private key),
/// then checks `oauth_timestamp` against `now_unix ± max_skew_seconds`.
///
/// `params` are the decoded form-body parameters (empty for other bodies). When the signature
/// does not match, the signature of each well-known client mistake is recomputed and the first
/// that matches is reported in `mistake` and `detail`. Errors are for input that cannot be
/// judged at all: a malformed URL or header, no `oauth_signature`, an unknown signature method,
/// duplicated protocol parameters, an unreadable public key.
#[allow(clippy::too_many_arguments)]
pub fn verify(
    method: &str,
    url: &str,
    params: &[(String, String)],
    authorization_header: &str,
    consumer_secret: &str,
    token_secret: &str,
    rsa_public_key_pem: Option<&str>,
    now_unix: u64,
    max_skew_seconds: u64,
) -> Result<Verification, Error> {
    let mut v = verify_signature(
        method,
        url,
        params,
        authorization_header,
        consumer_secret,
        token_secret,
        rsa_public_key_pem,
        now_unix,
        max_skew_seconds,
    )?;
    if v.signature_method == SignatureMethod::Plaintext && !UrlParts::parse(url)?.https {
        v.detail.push_str(
            " Warning: PLAINTEXT over http sends the secrets in clear; RFC 5849 3.4.4 requires TLS.",
        );
    }
    Ok(v)
}

#[allow(clippy::too_many_arguments)]
fn verify_signature(
    method: &str,
    url: &str,
    params: &[(String, String)],
    authorization_header: &str,
    consumer_secret: &str,
    token_secret: &str,
    rsa_public_key_pem: Option<&str>,
    now_unix: u64,
    max_skew_seconds: u64,
) -> Result<Verification, Error> {
    let method = checked_method(method)?;
    let url_parts = UrlParts::parse(url)?;
    let header = parse_authorization_header(authorization_header)?;

    let mut realm = None;
    let mut header_params: Vec<(String, String)> = Vec::with_capacity(header.len());
    for (name, value) in header {
        if name == "realm" {
            realm = Some(value);
            continue;
        }
        if name.starts_with("oauth_") && header_params.iter().any(|(n, _)| *n == name) {
            return Err(Error::DuplicateProtocolParameter { name });
        }
        header_params.push((name, value));
    }
    let get = |name: &str| {
        header_params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let received = get("oauth_signature")
        .ok_or(Error::MissingSignature)?
        .to_string();
    let sm: SignatureMethod = get("oauth_signature_method")
        .ok_or_else(|| Error::MissingProtocolParameter {
            name: "oauth_signature_method".into(),
        })?
        .parse()?;
    let timestamp = get("oauth_timestamp").map(str::to_string);

    let collected: Vec<Param<'_>> = collect(
        &url_parts,
        params,
        header_params
            .iter()
            .map(|(n, v)| Param::new(n.as_str(), v.as_str(), Source::OAuth)),
    )?;
    let expected_base = base_string_from(&method, &url_parts, &collected)?;
    let rsa = rsa_public_key_pem.map(RsaVerifier::new).transpose()?;

    let key = signing_key(consumer_secret, token_secret);
    let v = Verification {
        valid: false,
        mistake: None,
        signature_method: sm,
        expected_base_string: expected_base.clone(),
        client_base_string: None,
        received_signature: if sm == SignatureMethod::Plaintext {
            format!("<plaintext signature:{} chars>", received.chars().count())
        } else {
            received.clone()
        },
        expected_signature: (sm == SignatureMethod::HmacSha1).then(|| {
            hmac_sha1(key.as_bytes(), expected_base.as_bytes())
                .as_str()
                .to_string()
        }),
        detail: String::new(),
    };
    let fail = |mut v: Verification, mistake: Mistake, what: String| {
        v.detail = format!("{what}. {}", mistake.hint());
        v.mistake = Some(mistake);
        v
    };

    // The server's own set-up decides which methods it can check at all.
    let checker = match (sm, rsa) {
        (SignatureMethod::RsaSha1, Some(r)) => Checker::Rsa(r),
        (SignatureMethod::RsaSha1, None) => {
            return Ok(fail(v, Mistake::SignatureMethodMismatch, "The request is signed with RSA-SHA1, but no public key or certificate was given to verify it (HMAC-SHA1 and PLAINTEXT use the consumer secret instead)".into()));
        }
        (_, Some(r)) if consumer_secret.is_empty() => {
            let what = if r.verifies(&expected_base, &received) {
                format!(
                    "oauth_signature_method says {sm}, but the signature is an RSA-SHA1 signature"
                )
            } else {
                format!("The request is signed with {sm}, but only an RSA public key was given (the server expects RSA-SHA1)")
            };
            return Ok(fail(v, Mistake::SignatureMethodMismatch, what));
        }
        (SignatureMethod::HmacSha1, _) => Checker::Hmac(key.clone()),
        (_, _) => Checker::Plaintext(key.clone()),
    };

    if checker.matches(&expected_base, &received) {
        return Ok(check_timestamp(
            v,
            sm,
            timestamp.as_deref(),
            now_unix,
            max_skew_seconds,
        ));
    }

    let stale_note = timestamp_note(sm, timestamp.as_deref(), now_unix, max_skew_seconds);
    let with_note = |mut v: Verification| {
        if let Some(n) = &stale_note {
            v.detail.push(' ');
            v.detail.push_str(n);
        }
        v
    };

    // The header value itself.
    if received.contains('%') {
        if let Ok(once_more) = percent_decode(&received) {
            if checker.matches(&expected_base, &once_more) {
                return Ok(with_note(fail(
                    v,
                    Mistake::SignatureEncodedTwice,
                    "The signature is right but was percent-encoded twice in the header".into(),
                )));
            }
        }
    }

    // Signed with another method than declared.
    if let Checker::Hmac(k) | Checker::Plaintext(k) = &checker {
        let as_plaintext = constant_time_eq(k.as_bytes(), received.as_bytes());
        let as_hmac = constant_time_eq(
            hmac_sha1(k.as_bytes(), expected_base.as_bytes())
                .as_str()
                .as_bytes(),
            received.as_bytes(),
        );
        let other = match sm {
            SignatureMethod::HmacSha1 if as_plaintext => Some(SignatureMethod::Plaintext),
            SignatureMethod::Plaintext if as_hmac => Some(SignatureMethod::HmacSha1),
            _ => None,
        };
        if let Some(other) = other {
            return Ok(with_note(fail(
                v,
                Mistake::SignatureMethodMismatch,
                format!(
                    "oauth_signature_method says {sm}, but the signature was made with {other}"
                ),
            )));
        }
    }

    // Signing-key mistakes (HMAC-SHA1 and PLAINTEXT).
    if !matches!(checker, Checker::Rsa(_)) {
        let mut keys: Vec<(Mistake, &str, String)> = Vec::new();
        if token_secret.is_empty() {
            let mut k = String::new();
            encode_into(&mut k, consumer_secret);
            keys.push((
                Mistake::MissingAmpersandInKey,
                "The client's signing key lacks the trailing '&' (there is no token secret)",
                k,
            ));
        }
        let raw = format!("{consumer_secret}&{token_secret}");
        if raw != key {
            keys.push((
                Mistake::SigningKeyNotEncoded,
                "The client did not percent-encode the secrets in the signing key",
                raw,
            ));
        }
        if !token_secret.is_empty() {
            keys.push((
                Mistake::MissingTokenSecret,
                "The client signed without the token secret",
                signing_key(consumer_secret, ""),
            ));
        }
        for (mistake, what, k) in keys {
            let candidate = match sm {
                SignatureMethod::HmacSha1 => Checker::Hmac(k),
                _ => Checker::Plaintext(k),
            };
            if candidate.matches(&expected_base, &received) {
                return Ok(with_note(fail(v, mistake, what.into())));
            }
        }
    }
    if sm == SignatureMethod::Plaintext {
        if let Some((cs_part, ts_part)) = received.split_once('&') {
            let (cs_want, ts_want) = key.split_once('&').unwrap_or((&key, ""));
            let cs_ok = constant_time_eq(cs_part.as_bytes(), cs_want.as_bytes());
            let ts_ok = constant_time_eq(ts_part.as_bytes(), ts_want.as_bytes());
            let found = match (cs_ok, ts_ok) {
                (false, true) => Some((Mistake::WrongConsumerSecret, format!("The consumer-secret half of the PLAINTEXT signature is wrong ({} expected)", mask_secret("consumer_secret", consumer_secret)))),
                (true, false) => Some((Mistake::WrongTokenSecret, format!("The token-secret half of the PLAINTEXT signature is wrong ({} expected)", mask_secret("token_secret", token_secret)))),
                _ => None,
            };
            if let Some((mistake, what)) = found {
                return Ok(with_note(fail(v, mistake, what)));
            }
        }
    } else {
        // Base-string mistakes. PLAINTEXT signs no base string, so they cannot apply to it.
        for variant in base_string_variants(
            &method,
            &url_parts,
            &collected,
            realm.as_deref(),
            &expected_base,
        ) {
            if checker.matches(&variant.base_string, &received) {
                let what = format!("Signature mismatch: {}", variant.note);
                let mut out = fail(v, variant.mistake, what);
                let at = first_difference(&variant.base_string, &expected_base);
                out.detail.push_str(&format!(
                    "\nclient signed: {}\nexpected:      {}\n(first difference at character {at})",
                    variant.base_string, expected_base
                ));
                out.client_base_string = Some(variant.base_string);
                return Ok(with_note(out));
            }
        }
    }

    let what = match sm {
        SignatureMethod::RsaSha1 => format!(
            "The RSA-SHA1 signature does not verify with this {}-bit public key; check that the client's private key belongs to this certificate",
            match &checker {
                Checker::Rsa(r) => r.bits(),
                _ => 0,
            }
        ),
        _ => format!(
            "The signature does not match (verified with {}&{})",
            mask_secret("consumer_secret", consumer_secret),
            mask_secret("token_secret", token_secret)
        ),
    };
    Ok(with_note(fail(v, Mistake::Unknown, what)))
}

/// 0-based character index where two base strings first differ.
fn first_difference(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// A valid signature still fails when its timestamp is missing, malformed or outside the window.
fn check_timestamp(
    mut v: Verification,
    sm: SignatureMethod,
    ts: Option<&str>,
    now: u64,
    skew: u64,
) -> Verification {
    match timestamp_problem(sm, ts, now, skew) {
        None => {
            v.valid = true;
            v.detail = format!("The {sm} signature is valid.");
        }
        Some((mistake, what)) => {
            v.detail = format!("The signature is valid, but {what}. {}", mistake.hint());
            v.mistake = Some(mistake);
        }
    }
    v
}

fn timestamp_problem(
    sm: SignatureMethod,
    ts: Option<&str>,
    now: u64,
    skew: u64,
) -> Option<(Mistake, String)> {
    let Some(ts) = ts else {
        return (sm != SignatureMethod::Plaintext).then(|| {
            (
                Mistake::BadTimestamp,
                format!("oauth_timestamp is missing ({sm} requires it, RFC 5849 3.1)"),
            )
        });
    };
    let Ok(t) = ts.parse::<u64>() else {
        return Some((
            Mistake::BadTimestamp,
            format!(
                "oauth_timestamp {:?} is not a whole number of seconds",
                crate::error::quote_short(ts)
            ),
        ));
    };
    let diff = now.abs_diff(t);
    (diff > skew).then(|| {
        let dir = if t < now { "behind" } else { "ahead of" };
        (
            Mistake::StaleTimestamp,
            format!("oauth_timestamp {t} is {diff} s {dir} the server clock ({now}); at most {skew} s is allowed"),
        )
    })
}

fn timestamp_note(sm: SignatureMethod, ts: Option<&str>, now: u64, skew: u64) -> Option<String> {
    timestamp_problem(sm, ts, now, skew).map(|(_, what)| format!("Also: {what}."))
}
