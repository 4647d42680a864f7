//! A small, deliberately configurable OAuth client for the `verify` tests: it builds base
//! strings the way broken clients do, independently of the library's own variant builder.

#![allow(dead_code)]

use super::{load_vectors, owned};
use xero_oauth1::*;

pub const NOW: u64 = 1_700_000_000;
pub const SKEW: u64 = 300;
pub const CS: &str = "c s&1";
pub const TS: &str = "t/s";
pub const URL: &str =
    "https://api.xero.com/api.xro/2.0/Invoices?where=Status%3D%3D%22DRAFT%22&page=2";
pub const BASE_URL: &str = "https://api.xero.com/api.xro/2.0/Invoices";

pub fn query() -> Vec<(String, String)> {
    owned(&[("where", "Status==\"DRAFT\""), ("page", "2")])
}

/// `a-b` and `a/b` sort one way decoded and the other way encoded; the spaces, `*` and `~`
/// tell the encoders apart.
pub fn body() -> Vec<(String, String)> {
    owned(&[
        ("Name", "Ladies + Gentlemen"),
        ("Note", "a*b~c"),
        ("a-b", "1"),
        ("a/b", "2"),
    ])
}

pub fn oauth(method: &str, token: bool, timestamp: &str) -> Vec<(String, String)> {
    let mut v = owned(&[
        ("oauth_consumer_key", "ck"),
        ("oauth_signature_method", method),
        ("oauth_timestamp", timestamp),
        ("oauth_nonce", "n0nce"),
        ("oauth_version", "1.0"),
    ]);
    if token {
        v.push(("oauth_token".to_string(), "tok".to_string()));
    }
    v
}

/// The client's percent-encoder.
#[derive(Clone, Copy, PartialEq)]
pub enum Enc {
    Rfc,
    Plus,
    LowerHex,
}

pub fn enc(s: &str, e: Enc) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else if b == b' ' && e == Enc::Plus {
            out.push('+');
        } else if e == Enc::LowerHex {
            out.push_str(&format!("%{b:02x}"));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A small, deliberately configurable client-side base string builder.
#[derive(Clone)]
pub struct Client {
    pub method: String,
    pub base_url: String,
    pub params: Vec<(String, String)>,
    pub enc: Enc,
    pub sort: bool,
    pub sort_decoded: bool,
    pub inner_encodings: usize,
}

impl Client {
    pub fn new(params: Vec<(String, String)>) -> Self {
        Client {
            method: "POST".into(),
            base_url: BASE_URL.into(),
            params,
            enc: Enc::Rfc,
            sort: true,
            sort_decoded: false,
            inner_encodings: 1,
        }
    }

    pub fn base_string(&self) -> String {
        let mut params = self.params.clone();
        if self.sort_decoded {
            params.sort();
        }
        let mut pairs: Vec<(String, String)> = params
            .iter()
            .map(|(n, v)| {
                let (mut n, mut v) = (n.clone(), v.clone());
                for _ in 0..self.inner_encodings {
                    n = enc(&n, self.enc);
                    v = enc(&v, self.enc);
                }
                (n, v)
            })
            .collect();
        if self.sort && !self.sort_decoded {
            pairs.sort();
        }
        let joined: Vec<String> = pairs.iter().map(|(n, v)| format!("{n}={v}")).collect();
        format!(
            "{}&{}&{}",
            enc(&self.method, self.enc),
            enc(&self.base_url, self.enc),
            enc(&joined.join("&"), self.enc)
        )
    }
}

pub fn all_params(oauth: &[(String, String)]) -> Vec<(String, String)> {
    let mut p = query();
    p.extend(body());
    p.extend(oauth.iter().cloned());
    p
}

pub fn header(realm: Option<&str>, oauth: &[(String, String)], signature: &str) -> String {
    let mut parts = Vec::new();
    if let Some(r) = realm {
        parts.push(format!("realm=\"{r}\""));
    }
    for (n, v) in oauth {
        parts.push(format!("{n}=\"{}\"", percent_encode(v)));
    }
    parts.push(format!("oauth_signature=\"{}\"", percent_encode(signature)));
    format!("OAuth {}", parts.join(", "))
}

pub fn hmac(base: &str, cs: &str, ts: &str) -> String {
    sign(base, SignatureMethod::HmacSha1, cs, ts, None).unwrap()
}

/// The oauth.net RSA test key pair from the published vectors.
pub fn rsa_keys() -> (String, String) {
    let all = load_vectors();
    let v = all["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == "pub-testcases-rsa-sha1")
        .expect("pub-testcases-rsa-sha1 vector");
    (
        v["rsa_private_key_pem"].as_str().unwrap().to_string(),
        v["rsa_public_key_pem"].as_str().unwrap().to_string(),
    )
}

/// HMAC-SHA1 with an arbitrary key, computed with the `hmac` crate directly.
pub fn hmac_raw_key(base: &str, key: &str) -> String {
    use base64::Engine as _;
    use hmac::{KeyInit, Mac};
    let mut mac = <hmac::Hmac<sha1::Sha1> as KeyInit>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(base.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}
