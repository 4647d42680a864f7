//! Helpers for the tests of the OAuth 1.0a signing functions: the published vectors
//! (`spec/oauth1-vectors/published_vectors.json`, a pinned copy), an independent RFC 5849 3.6 encoder, and
//! `Req`, every argument of `xero_oauth1_authorization_header` / `xero_oauth1_explain` by name.

use std::path::PathBuf;

use postgres::Client;
use serde_json::{json, Value};

/// `published_vectors.json` from the repository's pinned copy (`spec/oauth1-vectors/`).
pub fn vectors() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/oauth1-vectors/published_vectors.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the published OAuth 1.0a vectors at {}: {e}. The repository keeps a pinned copy under spec/oauth1-vectors/.",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

/// A JSON string's text; `None` for anything else (absent fields included).
pub fn s(v: &Value) -> Option<&str> {
    v.as_str()
}

/// The one text value a query returns.
pub fn text(c: &mut Client, sql: &str, params: &[&(dyn postgres::types::ToSql + Sync)]) -> String {
    c.query_one(sql, params).unwrap_or_else(|e| panic!("{sql}: {e}")).get(0)
}

/// RFC 5849 3.6 percent-encoding, written independently of the extension.
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

/// All arguments of `xero_oauth1_authorization_header` / `xero_oauth1_explain`, by name.
#[derive(Clone, Default)]
pub struct Req {
    pub method: String,
    pub url: String,
    pub params: Value,
    pub consumer_key: Option<String>,
    pub consumer_secret: String,
    pub token: Option<String>,
    pub token_secret: String,
    pub signature_method: String,
    pub rsa_private_key: Option<String>,
    pub callback: Option<String>,
    pub verifier: Option<String>,
    pub session_handle: Option<String>,
    pub realm: Option<String>,
    pub nonce: Option<String>,
    pub timestamp: Option<i64>,
    pub version: Option<String>,
    pub timestamp_text: Option<String>,
    pub omit_nonce_and_timestamp: bool,
}

pub const ARGS: &str = "method => $1, url => $2, params => $3::text::jsonb, consumer_key => $4, consumer_secret => $5, token => $6, \
     token_secret => $7, signature_method => $8, rsa_private_key => $9, callback => $10, verifier => $11, session_handle => $12, \
     realm => $13, nonce => $14, \"timestamp\" => $15, version => $16, timestamp_text => $17, omit_nonce_and_timestamp => $18";

impl Req {
    pub fn new(method: &str, url: &str) -> Req {
        Req {
            method: method.into(),
            url: url.into(),
            params: json!([]),
            consumer_key: Some("ck-1234".into()),
            signature_method: "HMAC-SHA1".into(),
            version: Some("1.0".into()),
            ..Req::default()
        }
    }

    fn query<T>(&self, c: &mut Client, sql: &str, f: impl FnOnce(&mut Client, &str, &[&(dyn postgres::types::ToSql + Sync)]) -> T) -> T {
        let params = self.params.to_string();
        f(
            c,
            sql,
            &[
                &self.method,
                &self.url,
                &params,
                &self.consumer_key,
                &self.consumer_secret,
                &self.token,
                &self.token_secret,
                &self.signature_method,
                &self.rsa_private_key,
                &self.callback,
                &self.verifier,
                &self.session_handle,
                &self.realm,
                &self.nonce,
                &self.timestamp,
                &self.version,
                &self.timestamp_text,
                &self.omit_nonce_and_timestamp,
            ],
        )
    }

    pub fn header(&self, c: &mut Client) -> String {
        self.try_header(c).unwrap_or_else(|e| panic!("xero_oauth1_authorization_header: {e}"))
    }

    pub fn try_header(&self, c: &mut Client) -> Result<String, postgres::Error> {
        let sql = format!("SELECT xero_oauth1_authorization_header({ARGS})");
        self.query(c, &sql, |c, sql, p| c.query_one(sql, p).map(|r| r.get(0)))
    }

    pub fn explain(&self, c: &mut Client) -> Vec<(i32, String, String)> {
        let sql = format!("SELECT step, name, value FROM xero_oauth1_explain({ARGS})");
        self.query(c, &sql, |c, sql, p| c.query(sql, p))
            .unwrap_or_else(|e| panic!("xero_oauth1_explain: {e}"))
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect()
    }
}

/// The value of the `xero_oauth1_explain` step called `name`.
pub fn step(steps: &[(i32, String, String)], name: &str) -> String {
    steps.iter().find(|s| s.1 == name).unwrap_or_else(|| panic!("no step {name:?} in {steps:?}")).2.clone()
}
