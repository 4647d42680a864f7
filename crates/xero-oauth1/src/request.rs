//! A request to sign, and the shared work of signing it (used by the header builder and by
//! `explain`, so both always agree).

use std::fmt;

use crate::base_string::{
    checked_method, collect, encode_params, write_base_string, EncodedParams, Param, Source,
};
use crate::base_url::{UrlParts, UrlStyle};
use crate::error::{Error, KeyKind};
use crate::signing::{hmac_sha1, rsa_sha1_sign, write_signing_key, HmacSignature, SignatureMethod};

/// Everything needed to sign one request.
///
/// Build it with struct-update syntax from [`AuthorizationRequest::new`] or `Default`:
/// `AuthorizationRequest { token: Some("…"), token_secret: "…", ..AuthorizationRequest::new("GET", url, key, secret) }`.
#[derive(Clone, Copy)]
pub struct AuthorizationRequest<'a> {
    /// HTTP method; upper-cased for the base string.
    pub method: &'a str,
    /// The full request URL, query included (its parameters are signed).
    pub url: &'a str,
    /// Decoded `application/x-www-form-urlencoded` body parameters (leave empty for any other
    /// body type: JSON and XML bodies are not signed).
    pub params: &'a [(String, String)],
    /// `oauth_consumer_key`.
    pub consumer_key: &'a str,
    /// Consumer secret (HMAC-SHA1, PLAINTEXT).
    pub consumer_secret: &'a str,
    /// `oauth_token`; `None` sends no token (temporary-credential and two-legged requests).
    pub token: Option<&'a str>,
    /// Token secret; empty when there is none (the key's `&` stays).
    pub token_secret: &'a str,
    /// The signature method.
    pub signature_method: SignatureMethod,
    /// PEM private key (PKCS#1 or PKCS#8) for RSA-SHA1.
    pub rsa_private_key_pem: Option<&'a str>,
    /// `oauth_callback` (temporary-credential request; `oob` for out-of-band).
    pub callback: Option<&'a str>,
    /// `oauth_verifier` (token request).
    pub verifier: Option<&'a str>,
    /// `oauth_session_handle` (Xero partner apps renewing an access token).
    pub session_handle: Option<&'a str>,
    /// `realm` in the header; never signed.
    pub realm: Option<&'a str>,
    /// `oauth_nonce`; `None` draws 32 hex characters (128 bits) from the OS CSPRNG.
    pub nonce: Option<&'a str>,
    /// `oauth_timestamp`; `None` uses the current time.
    pub timestamp: Option<u64>,
    /// `oauth_timestamp` sent verbatim, overriding `timestamp`: for replaying a captured request
    /// or reproducing published vectors that use non-numeric timestamps.
    pub timestamp_text: Option<&'a str>,
    /// `oauth_version`; `Some("1.0")` by default as the Xero SDKs sent it, `None` omits it
    /// (RFC 5849 makes it optional).
    pub version: Option<&'a str>,
    /// Send neither `oauth_nonce` nor `oauth_timestamp` (RFC 5849 3.1 allows this for PLAINTEXT
    /// only; an error for the other methods).
    pub omit_nonce_and_timestamp: bool,
}

impl Default for AuthorizationRequest<'_> {
    fn default() -> Self {
        AuthorizationRequest {
            method: "GET",
            url: "",
            params: &[],
            consumer_key: "",
            consumer_secret: "",
            token: None,
            token_secret: "",
            signature_method: SignatureMethod::HmacSha1,
            rsa_private_key_pem: None,
            callback: None,
            verifier: None,
            session_handle: None,
            realm: None,
            nonce: None,
            timestamp: None,
            timestamp_text: None,
            version: Some("1.0"),
            omit_nonce_and_timestamp: false,
        }
    }
}

impl<'a> AuthorizationRequest<'a> {
    /// A request with the given method, URL and consumer credentials; everything else default
    /// (HMAC-SHA1, no token, `oauth_version="1.0"`, fresh nonce and timestamp).
    pub fn new(
        method: &'a str,
        url: &'a str,
        consumer_key: &'a str,
        consumer_secret: &'a str,
    ) -> Self {
        AuthorizationRequest {
            method,
            url,
            consumer_key,
            consumer_secret,
            ..Default::default()
        }
    }
}

/// Secrets and the private key are masked so that a request can be logged.
impl fmt::Debug for AuthorizationRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("params", &self.params)
            .field("consumer_key", &self.consumer_key)
            .field(
                "consumer_secret",
                &mask_secret("consumer_secret", self.consumer_secret),
            )
            .field("token", &self.token)
            .field(
                "token_secret",
                &mask_secret("token_secret", self.token_secret),
            )
            .field("signature_method", &self.signature_method)
            .field(
                "rsa_private_key_pem",
                &self.rsa_private_key_pem.map(|_| "<private key>"),
            )
            .field("callback", &self.callback)
            .field("verifier", &self.verifier)
            .field("session_handle", &self.session_handle)
            .field("realm", &self.realm)
            .field("nonce", &self.nonce)
            .field("timestamp", &self.timestamp)
            .field("timestamp_text", &self.timestamp_text)
            .field("version", &self.version)
            .field("omit_nonce_and_timestamp", &self.omit_nonce_and_timestamp)
            .finish()
    }
}

/// `<consumer_secret:6 chars>`: enough to spot an empty or truncated secret, nothing more.
pub(crate) fn mask_secret(label: &str, secret: &str) -> String {
    format!("<{label}:{} chars>", secret.chars().count())
}

/// Stack space for generated values, so that the protocol parameters can borrow them.
#[derive(Default)]
pub(crate) struct Scratch {
    nonce: [u8; 32],
    timestamp: [u8; 20],
}

/// Names of the protocol parameters a request sets itself; callers may not pass them in
/// `params` (they would be signed twice).
pub(crate) const OWN_PROTOCOL_PARAMS: [&str; 10] = [
    "oauth_consumer_key",
    "oauth_token",
    "oauth_signature_method",
    "oauth_signature",
    "oauth_timestamp",
    "oauth_nonce",
    "oauth_version",
    "oauth_callback",
    "oauth_verifier",
    "oauth_session_handle",
];

/// A signature: base64 of an HMAC on the stack, or an owned string (RSA, PLAINTEXT).
pub(crate) enum Signature {
    Hmac(HmacSignature),
    Owned(String),
}

impl Signature {
    pub fn as_str(&self) -> &str {
        match self {
            Signature::Hmac(h) => h.as_str(),
            Signature::Owned(s) => s,
        }
    }
}

/// The signed request: everything `authorization_header` and `explain` report.
pub(crate) struct Prepared<'s> {
    /// Protocol parameters in header order (unencoded), without the signature.
    pub oauth: Vec<(&'static str, &'s str)>,
    pub collected: Vec<Param<'s>>,
    pub encoded: EncodedParams,
    pub base_url: String,
    pub base_string: String,
    pub signature: Signature,
}

fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn write_u64(buf: &mut [u8; 20], mut n: u64) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[i..]).unwrap_or("0")
}

fn random_nonce(buf: &mut [u8; 32]) -> Result<&str, Error> {
    let mut raw = [0u8; 16];
    getrandom::fill(&mut raw).map_err(|e| Error::Randomness {
        reason: e.to_string(),
    })?;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for (i, b) in raw.iter().enumerate() {
        buf[2 * i] = HEX[(b >> 4) as usize];
        buf[2 * i + 1] = HEX[(b & 0xF) as usize];
    }
    Ok(std::str::from_utf8(&buf[..]).unwrap_or(""))
}

/// Collects, normalises, builds the base string and signs.
pub(crate) fn prepare<'s>(
    req: &AuthorizationRequest<'s>,
    scratch: &'s mut Scratch,
) -> Result<Prepared<'s>, Error> {
    let method = checked_method(req.method)?;
    let url = UrlParts::parse(req.url)?;
    if let Some((name, _)) = req
        .params
        .iter()
        .find(|(n, _)| OWN_PROTOCOL_PARAMS.contains(&n.as_str()))
    {
        return Err(Error::ReservedParameter { name: name.clone() });
    }
    if let Some(realm) = req.realm {
        if realm.chars().any(|c| c.is_control()) {
            return Err(Error::InvalidParameter {
                name: "realm".into(),
                reason:
                    "it contains a control character (it is sent as a quoted string, unencoded)"
                        .into(),
            });
        }
    }

    let Scratch {
        nonce: nonce_buf,
        timestamp: ts_buf,
    } = scratch;
    let mut oauth: Vec<(&'static str, &'s str)> = Vec::with_capacity(10);
    if req.omit_nonce_and_timestamp {
        if req.signature_method != SignatureMethod::Plaintext {
            return Err(Error::InvalidParameter {
                name: "omit_nonce_and_timestamp".into(),
                reason: format!(
                    "oauth_nonce and oauth_timestamp may be left out with PLAINTEXT only (RFC 5849 3.1), not {}",
                    req.signature_method
                ),
            });
        }
    } else {
        let nonce = match req.nonce {
            Some(n) => n,
            None => random_nonce(nonce_buf)?,
        };
        let timestamp = match (req.timestamp_text, req.timestamp) {
            (Some(t), _) => t,
            (None, Some(t)) => write_u64(ts_buf, t),
            (None, None) => write_u64(ts_buf, now_unix()),
        };
        oauth.push(("oauth_nonce", nonce));
        oauth.push(("oauth_timestamp", timestamp));
    }
    if let Some(v) = req.version {
        oauth.push(("oauth_version", v));
    }
    oauth.push(("oauth_signature_method", req.signature_method.as_str()));
    oauth.push(("oauth_consumer_key", req.consumer_key));
    let optional = [
        ("oauth_token", req.token),
        ("oauth_callback", req.callback),
        ("oauth_verifier", req.verifier),
        ("oauth_session_handle", req.session_handle),
    ];
    oauth.extend(optional.into_iter().filter_map(|(n, v)| v.map(|v| (n, v))));

    let collected = collect(
        &url,
        req.params,
        oauth.iter().map(|&(n, v)| Param::new(n, v, Source::OAuth)),
    )?;
    let encoded = encode_params(&collected);
    let mut base_url = String::with_capacity(url.host.len() + url.path.len() + 16);
    url.write_base(&mut base_url, UrlStyle::default());
    let mut base_string =
        String::with_capacity(method.len() + base_url.len() * 2 + encoded_len(&encoded) + 16);
    write_base_string(&mut base_string, &method, &base_url, &encoded);

    let signature = match req.signature_method {
        SignatureMethod::HmacSha1 => {
            let mut key =
                String::with_capacity(req.consumer_secret.len() + req.token_secret.len() + 8);
            write_signing_key(&mut key, req.consumer_secret, req.token_secret);
            Signature::Hmac(hmac_sha1(key.as_bytes(), base_string.as_bytes()))
        }
        SignatureMethod::RsaSha1 => {
            let pem = req.rsa_private_key_pem.ok_or(Error::MissingRsaKey {
                kind: KeyKind::Private,
            })?;
            Signature::Owned(rsa_sha1_sign(pem, base_string.as_bytes())?)
        }
        SignatureMethod::Plaintext => {
            let mut key = String::new();
            write_signing_key(&mut key, req.consumer_secret, req.token_secret);
            Signature::Owned(key)
        }
    };
    Ok(Prepared {
        oauth,
        collected,
        encoded,
        base_url,
        base_string,
        signature,
    })
}

fn encoded_len(e: &EncodedParams) -> usize {
    e.pairs().map(|(n, v)| n.len() + v.len() + 6).sum::<usize>() * 5 / 4
}

/// The protocol parameters of the signed request, `oauth_signature` last, unencoded and without
/// `realm`: for sending them in a form body (RFC 5849 3.5.2) or the query string (3.5.3) with
/// [`crate::form_urlencode`] instead of in an `Authorization` header.
pub fn signed_parameters(req: &AuthorizationRequest<'_>) -> Result<Vec<(String, String)>, Error> {
    let mut scratch = Scratch::default();
    let p = prepare(req, &mut scratch)?;
    let mut out: Vec<(String, String)> = p
        .oauth
        .iter()
        .map(|&(n, v)| (n.to_string(), v.to_string()))
        .collect();
    out.push((
        "oauth_signature".to_string(),
        p.signature.as_str().to_string(),
    ));
    Ok(out)
}
