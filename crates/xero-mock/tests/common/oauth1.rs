//! A small OAuth 1.0a client signer for the tests, written apart from both the server's
//! checker and the extension's `xero-oauth1`: its own encoding, URL splitting and sorting
//! (RFC 5849 3.4.1, 3.6), with the `hmac`, `sha1` and `rsa` crates for the digests.

use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer as _};
use sha1::Sha1;

use super::Mock;

pub enum Method {
    HmacSha1,
    RsaSha1(Box<rsa::PrivateKey>),
    Plaintext,
}

impl Method {
    fn name(&self) -> &'static str {
        match self {
            Method::HmacSha1 => "HMAC-SHA1",
            Method::RsaSha1(_) => "RSA-SHA1",
            Method::Plaintext => "PLAINTEXT",
        }
    }

    pub fn rsa(pem: &str) -> Method {
        Method::RsaSha1(Box::new(
            rsa::PrivateKey::from_pkcs8_pem(pem).expect("PKCS#8 test key"),
        ))
    }
}

pub struct Signer {
    pub consumer_key: String,
    pub consumer_secret: String,
    pub method: Method,
    /// (token, token secret)
    pub token: Option<(String, String)>,
}

/// One signing: the header to send and the base string it signed.
pub struct Signature {
    pub header: String,
    pub base: String,
}

/// RFC 5849 3.6: all but `A-Z a-z 0-9 - . _ ~`, upper-case hex.
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn dec(s: &str) -> String {
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16);
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).expect("UTF-8 test data")
}

/// A nonce no other request in this process has used.
pub fn fresh_nonce() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("n{t:x}{}", N.fetch_add(1, Ordering::Relaxed))
}

/// The mock's clock in seconds (tests move it, so the wall clock will not do).
pub fn mock_now(m: &Mock) -> i64 {
    m.admin("GET", "clock", serde_json::Value::Null)["now_ms"]
        .as_i64()
        .unwrap()
        / 1000
}

/// `scheme://host[:port]/path` normalised (lower case, default port dropped), and the
/// decoded query pairs.
fn split_url(url: &str) -> (String, Vec<(String, String)>) {
    let (scheme, rest) = url.split_once("://").unwrap();
    let scheme = scheme.to_ascii_lowercase();
    let (authority, path_query) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut authority = authority.to_ascii_lowercase();
    for (s, port) in [("http", ":80"), ("https", ":443")] {
        if scheme == s && authority.ends_with(port) {
            authority.truncate(authority.len() - port.len());
        }
    }
    let (path, query) = path_query.split_once('?').unwrap_or((path_query, ""));
    let path = if path.is_empty() { "/" } else { path };
    let pairs = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            (dec(n), dec(v))
        })
        .collect();
    (format!("{scheme}://{authority}{path}"), pairs)
}

impl Signer {
    pub fn new(key: &str, secret: &str, method: Method) -> Signer {
        Signer {
            consumer_key: key.into(),
            consumer_secret: secret.into(),
            method,
            token: None,
        }
    }

    pub fn with_token(mut self, token: &str, secret: &str) -> Signer {
        self.token = Some((token.into(), secret.into()));
        self
    }

    /// Signs with a fresh nonce at the mock's current time.
    pub fn sign(
        &self,
        m: &Mock,
        method: &str,
        url: &str,
        body: &[(&str, &str)],
        extra: &[(&str, &str)],
    ) -> String {
        self.sign_at(method, url, body, extra, &fresh_nonce(), mock_now(m))
            .header
    }

    /// `extra`: protocol parameters besides the standard ones (`oauth_callback`,
    /// `oauth_verifier`, `oauth_session_handle`, …), sent in the header and signed.
    pub fn sign_at(
        &self,
        method: &str,
        url: &str,
        body: &[(&str, &str)],
        extra: &[(&str, &str)],
        nonce: &str,
        timestamp: i64,
    ) -> Signature {
        let mut protocol: Vec<(String, String)> = vec![
            ("oauth_consumer_key".into(), self.consumer_key.clone()),
            ("oauth_signature_method".into(), self.method.name().into()),
            ("oauth_timestamp".into(), timestamp.to_string()),
            ("oauth_nonce".into(), nonce.into()),
            ("oauth_version".into(), "1.0".into()),
        ];
        if let Some((t, _)) = &self.token {
            protocol.push(("oauth_token".into(), t.clone()));
        }
        protocol.extend(extra.iter().map(|(n, v)| (n.to_string(), v.to_string())));
        let (base_uri, query) = split_url(url);
        let mut all: Vec<(String, String)> = query
            .into_iter()
            .chain(body.iter().map(|(n, v)| (n.to_string(), v.to_string())))
            .chain(protocol.iter().cloned())
            .map(|(n, v)| (enc(&n), enc(&v)))
            .collect();
        all.sort();
        let normalized: Vec<String> = all.iter().map(|(n, v)| format!("{n}={v}")).collect();
        let base = format!(
            "{}&{}&{}",
            method.to_ascii_uppercase(),
            enc(&base_uri),
            enc(&normalized.join("&"))
        );
        let token_secret = self.token.as_ref().map_or("", |t| t.1.as_str());
        let key = format!("{}&{}", enc(&self.consumer_secret), enc(token_secret));
        let signature = match &self.method {
            Method::HmacSha1 => {
                let mac = Hmac::<Sha1>::new_from_slice(key.as_bytes())
                    .unwrap()
                    .chain_update(base.as_bytes());
                base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
            }
            Method::RsaSha1(private) => {
                let signer = SigningKey::<Sha1>::new((**private).clone());
                base64::engine::general_purpose::STANDARD
                    .encode(signer.sign(base.as_bytes()).to_bytes())
            }
            Method::Plaintext => key,
        };
        protocol.push(("oauth_signature".into(), signature));
        let fields: Vec<String> = protocol
            .iter()
            .map(|(n, v)| format!("{n}=\"{}\"", enc(v)))
            .collect();
        Signature {
            header: format!("OAuth realm=\"Xero\", {}", fields.join(", ")),
            base,
        }
    }
}

/// Pairs of a form-encoded answer (`oauth_token=…&…`).
pub fn form(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            (dec(n), dec(v))
        })
        .collect()
}

pub fn field(body: &str, name: &str) -> Option<String> {
    form(body)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

pub const PRIVATE_KEY: &str = include_str!("../keys/private_app.key");
pub const PRIVATE_CERT: &str = include_str!("../keys/private_app.cer");
pub const PARTNER_KEY: &str = include_str!("../keys/partner_app.key");
pub const PARTNER_PUBLIC: &str = include_str!("../keys/partner_app.pub.pem");
pub const PARTNER_RSA_PUBLIC: &str = include_str!("../keys/partner_app.rsapub.pem");

// The apps, flows and assertions the OAuth 1.0a tests share (unused by the other tests).
#[allow(unused_imports)]
pub use super::oauth1_apps::*;
