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

pub const CALLBACK: &str = "http://localhost:8765/cb?app=x%20y";

/// Small data, the default public app, a private app (key given as a certificate), a
/// partner app (SPKI public key), a partner app with a PKCS#1 public key and a partner
/// app that never registered a key.
pub fn config() -> xero_mock::Config {
    use xero_mock::{Oauth1AppKind, Oauth1Consumer};
    let rsa = |key: &str, kind, pem: Option<&str>| Oauth1Consumer {
        key: key.into(),
        kind,
        secret: String::new(),
        rsa_public_key_pem: pem.map(str::to_string),
    };
    let mut c = xero_mock::Config {
        invoices: 30,
        contacts: 10,
        ..xero_mock::Config::default()
    };
    c.oauth1_consumers.extend([
        rsa(
            "private-consumer",
            Oauth1AppKind::Private,
            Some(PRIVATE_CERT),
        ),
        rsa(
            "partner-consumer",
            Oauth1AppKind::Partner,
            Some(PARTNER_PUBLIC),
        ),
        rsa(
            "partner-pkcs1",
            Oauth1AppKind::Partner,
            Some(PARTNER_RSA_PUBLIC),
        ),
        rsa("partner-nokey", Oauth1AppKind::Partner, None),
    ]);
    c
}

pub fn public() -> Signer {
    Signer::new("public-consumer", "public-secret", Method::HmacSha1)
}

pub fn private() -> Signer {
    // Two-legged: the consumer key doubles as the token, with no token secret.
    Signer::new("private-consumer", "", Method::rsa(PRIVATE_KEY)).with_token("private-consumer", "")
}

pub fn partner() -> Signer {
    Signer::new("partner-consumer", "", Method::rsa(PARTNER_KEY))
}

/// Credentials from `/oauth/AccessToken`.
pub struct Granted {
    pub token: String,
    pub secret: String,
    pub session_handle: Option<String>,
    pub body: String,
}

/// RequestToken → Authorize (auto-consent) → AccessToken, asserting each step.
pub fn three_legged(m: &Mock, consumer: &Signer) -> Granted {
    let url = format!("{}/oauth/RequestToken", m.base);
    let h = consumer.sign(m, "POST", &url, &[], &[("oauth_callback", CALLBACK)]);
    let r = m.post_form("/oauth/RequestToken", &[("authorization", &h)], &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        field(&r.body, "oauth_callback_confirmed").as_deref(),
        Some("true")
    );
    let request_token = field(&r.body, "oauth_token").expect("request token");
    let request_secret = field(&r.body, "oauth_token_secret").expect("request secret");

    let r = m.get(
        &format!("/oauth/Authorize?oauth_token={}", enc(&request_token)),
        &[],
    );
    assert_eq!(r.status, 302, "{}", r.body);
    let location = r.header("location").unwrap().to_string();
    let (target, query) = location
        .split_once("&oauth_token=")
        .expect("callback keeps its query");
    assert_eq!(target, CALLBACK);
    let back = form(&format!("oauth_token={query}"));
    assert_eq!(back[0], ("oauth_token".to_string(), request_token.clone()));
    let verifier = back[1].1.clone();
    assert_eq!(back[1].0, "oauth_verifier");

    let url = format!("{}/oauth/AccessToken", m.base);
    let signer = Signer {
        consumer_key: consumer.consumer_key.clone(),
        consumer_secret: consumer.consumer_secret.clone(),
        method: clone_method(&consumer.method),
        token: Some((request_token, request_secret)),
    };
    let h = signer.sign(m, "POST", &url, &[], &[("oauth_verifier", &verifier)]);
    let r = m.post_form("/oauth/AccessToken", &[("authorization", &h)], &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    Granted {
        token: field(&r.body, "oauth_token").expect("access token"),
        secret: field(&r.body, "oauth_token_secret").expect("access secret"),
        session_handle: field(&r.body, "oauth_session_handle"),
        body: r.body,
    }
}

pub fn clone_method(m: &Method) -> Method {
    match m {
        Method::HmacSha1 => Method::HmacSha1,
        Method::RsaSha1(k) => Method::RsaSha1(k.clone()),
        Method::Plaintext => Method::Plaintext,
    }
}

impl Signer {
    /// The same consumer with other token credentials.
    pub fn token(&self, token: &str, secret: &str) -> Signer {
        Signer {
            consumer_key: self.consumer_key.clone(),
            consumer_secret: self.consumer_secret.clone(),
            method: clone_method(&self.method),
            token: Some((token.into(), secret.into())),
        }
    }

    /// A signed GET on the Accounting API (`path` below `/api.xro/2.0/`, query included).
    pub fn api(&self, m: &Mock, path: &str) -> super::Resp {
        let url = format!("{}/api.xro/2.0/{path}", m.base);
        let h = self.sign(m, "GET", &url, &[], &[]);
        m.get(
            &format!("/api.xro/2.0/{path}"),
            &[("authorization", &h), ("accept", "application/json")],
        )
    }
}

/// Asserts a 401 with this `oauth_problem`, in Xero's form-encoded shape; the body.
pub fn assert_problem(r: &super::Resp, problem: &str) -> String {
    assert_eq!(r.status, 401, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(
        field(&r.body, "oauth_problem").as_deref(),
        Some(problem),
        "{}",
        r.body
    );
    assert!(
        field(&r.body, "oauth_problem_advice").is_some(),
        "{}",
        r.body
    );
    r.body.clone()
}
