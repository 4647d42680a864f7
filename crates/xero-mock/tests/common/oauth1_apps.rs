//! The OAuth 1.0a apps the tests register, the three-legged flow, and the shape of a
//! Xero OAuth 1.0a error, on top of the signer in `oauth1.rs`.

use super::oauth1::{
    enc, field, form, Method, Signer, PARTNER_KEY, PARTNER_PUBLIC, PARTNER_RSA_PUBLIC,
    PRIVATE_CERT, PRIVATE_KEY,
};
use super::Mock;

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
