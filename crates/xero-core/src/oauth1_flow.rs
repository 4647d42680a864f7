//! Xero's OAuth 1.0a apps (public, private, partner) as a client: signing every call, the
//! three-legged token flow and partner renewal with `oauth_session_handle`. Signing itself is
//! `xero_oauth1` (RFC 5849).

use xero_oauth1::{authorization_header, AuthorizationRequest, SignatureMethod};

use crate::error::{ErrorKind, Result, XeroError, ORG_PLACEHOLDER};
use crate::http::{Request, Response};
use crate::transport::Authorizer;
use crate::options::AuthMode;
use crate::responses::api_error;

/// Credentials that sign a request: the consumer's, and the token's once there is one.
#[derive(Clone)]
pub struct Signer {
    pub consumer_key: String,
    pub consumer_secret: String,
    pub rsa_private_key_pem: Option<String>,
    pub method: SignatureMethod,
    pub token: Option<String>,
    pub token_secret: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer").field("consumer_key", &self.consumer_key).field("method", &self.method).finish_non_exhaustive()
    }
}

impl Signer {
    /// The consumer alone: public and partner apps before they hold a token; private apps
    /// always sign with their consumer key as the token.
    pub fn for_app(auth: AuthMode, consumer_key: &str, consumer_secret: &str, rsa_private_key_pem: Option<&str>) -> Result<Signer> {
        let method = match auth {
            AuthMode::OAuth1Public => SignatureMethod::HmacSha1,
            AuthMode::OAuth1Private | AuthMode::OAuth1Partner => SignatureMethod::RsaSha1,
            _ => return Err(XeroError::internal("not an OAuth 1.0a app")),
        };
        if method == SignatureMethod::RsaSha1 && rsa_private_key_pem.is_none() {
            return Err(XeroError::new(ErrorKind::NotAuthorized, format!("the {} app has no RSA private key", auth.name()))
                .with_hint(format!("Store the app's private key with SELECT xero_oauth1_set_rsa_key('{ORG_PLACEHOLDER}', $1); ($1: its PEM text).")));
        }
        Ok(Signer {
            consumer_key: consumer_key.to_string(),
            consumer_secret: consumer_secret.to_string(),
            rsa_private_key_pem: rsa_private_key_pem.map(str::to_string),
            method,
            token: (auth == AuthMode::OAuth1Private).then(|| consumer_key.to_string()),
            token_secret: String::new(),
        })
    }

    pub fn with_token(mut self, token: &str, token_secret: &str) -> Signer {
        self.token = Some(token.to_string());
        self.token_secret = token_secret.to_string();
        self
    }

    fn header<'a>(&'a self, method: &'a str, url: &'a str, extra: impl FnOnce(&mut AuthorizationRequest<'a>)) -> Result<String> {
        let mut req = AuthorizationRequest {
            method,
            url,
            consumer_key: &self.consumer_key,
            consumer_secret: &self.consumer_secret,
            token: self.token.as_deref(),
            token_secret: &self.token_secret,
            signature_method: self.method,
            rsa_private_key_pem: self.rsa_private_key_pem.as_deref(),
            ..AuthorizationRequest::default()
        };
        extra(&mut req);
        authorization_header(&req).map_err(|e| XeroError::new(ErrorKind::InvalidArgument, format!("could not sign the OAuth 1.0a request: {e}")))
    }
}

impl Authorizer for Signer {
    fn headers(&self, method: &str, url: &str) -> Result<Vec<(String, String)>> {
        Ok(vec![("authorization".into(), self.header(method, url, |_| {})?)])
    }
}

/// `POST /oauth/RequestToken` with the callback the user's browser returns to (`oob`: none).
pub fn request_token_request(endpoint: &str, signer: &Signer, callback: &str) -> Result<Request> {
    let header = signer.header("POST", endpoint, |r| r.callback = Some(callback))?;
    Ok(Request::post_form(endpoint, Vec::new(), "POST oauth/RequestToken").header("authorization", header))
}

/// `POST /oauth/AccessToken` exchanging the authorized request token and its verifier.
pub fn access_token_request(endpoint: &str, signer: &Signer, verifier: &str) -> Result<Request> {
    let header = signer.header("POST", endpoint, |r| r.verifier = Some(verifier))?;
    Ok(Request::post_form(endpoint, Vec::new(), "POST oauth/AccessToken").header("authorization", header))
}

/// `POST /oauth/AccessToken` renewing a partner app's token with its session handle.
pub fn renew_request(endpoint: &str, signer: &Signer, session_handle: &str) -> Result<Request> {
    let header = signer.header("POST", endpoint, |r| r.session_handle = Some(session_handle))?;
    Ok(Request::post_form(endpoint, Vec::new(), "POST oauth/AccessToken (renewal)").header("authorization", header))
}

#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    pub token: String,
    pub secret: String,
    pub expires_in: Option<i64>,
    pub session_handle: Option<String>,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token").field("expires_in", &self.expires_in).field("has_session_handle", &self.session_handle.is_some()).finish()
    }
}

/// Reads a form-encoded token answer (`oauth_token=…&oauth_token_secret=…`), or the error Xero gave.
pub fn parse_token(label: &str, response: &Response) -> Result<Token> {
    if response.status != 200 {
        return Err(api_error(label, response));
    }
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&response.body).into_owned().collect();
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    match (get("oauth_token"), get("oauth_token_secret")) {
        (Some(token), Some(secret)) => Ok(Token {
            token,
            secret,
            expires_in: get("oauth_expires_in").and_then(|s| s.parse().ok()),
            session_handle: get("oauth_session_handle"),
        }),
        _ => Err(XeroError::new(ErrorKind::ProtocolViolation, format!("{label}: Xero's answer has no oauth_token/oauth_token_secret"))
            .with_detail(format!("{} bytes: {}", response.body.len(), crate::decode::preview(&response.body).split('&').map(|kv| kv.split('=').next().unwrap_or("")).collect::<Vec<_>>().join(", ")))),
    }
}

/// Whether Xero's answer to a partner renewal means the authorization is gone: the session
/// handle rejected or revoked, or the authorization expired (`token_expired` on a renewal is the
/// session's end, since renewing is what an expired token is for). Anything else — a bad
/// signature, a clock, a 5xx — may be fixed without the user.
pub fn renewal_refused_for_good(e: &XeroError) -> bool {
    e.kind == ErrorKind::NotAuthorized
        && ["token_rejected", "token_revoked", "token_expired", "permission_denied"]
            .iter()
            .any(|p| e.message.ends_with(&format!("({p})")))
}

/// The page the user opens to authorize a request token.
pub fn authorize_url(endpoint: &str, request_token: &str) -> Result<String> {
    let mut url = url::Url::parse(endpoint).map_err(|e| XeroError::invalid_option(format!("bad OAuth 1.0a endpoint: {e}")))?;
    url.query_pairs_mut().append_pair("oauth_token", request_token);
    Ok(url.into())
}

/// Parses what the user pastes back: the redirected URL (oauth_token, oauth_verifier) or the bare verifier.
pub fn parse_verifier(input: &str) -> Result<(Option<String>, String)> {
    let input = input.trim();
    if input.is_empty() {
        return Err(XeroError::invalid_argument("the verifier is empty"));
    }
    if !input.contains('=') {
        return Ok((None, input.to_string()));
    }
    let query = input.split_once('?').map(|(_, q)| q).unwrap_or(input);
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let verifier = get("oauth_verifier").ok_or_else(|| {
        XeroError::invalid_argument("the redirected URL has no oauth_verifier").with_hint("Paste the full URL Xero redirected to, or just the verifier.")
    })?;
    Ok((get("oauth_token"), verifier))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str) -> Response {
        Response { status, headers: vec![], body: body.as_bytes().to_vec() }
    }

    #[test]
    fn token_answers_and_problems_are_read() {
        let t = parse_token("x", &response(200, "oauth_token=T&oauth_token_secret=SECRETVALUE&oauth_expires_in=1800&oauth_session_handle=H")).unwrap();
        assert_eq!((t.token.as_str(), t.secret.as_str(), t.expires_in, t.session_handle.as_deref()), ("T", "SECRETVALUE", Some(1800), Some("H")));
        assert!(!format!("{t:?}").contains("SECRETVALUE"));
        let e = parse_token("POST oauth/AccessToken", &response(401, "oauth_problem=token_expired&oauth_problem_advice=expired")).unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotAuthorized);
        assert!(e.message.contains("token_expired"), "{e}");
        assert!(e.hint.is_some());
        let e = parse_token("x", &response(200, "oauth_token=T")).unwrap_err();
        assert_eq!(e.kind, ErrorKind::ProtocolViolation);
    }

    #[test]
    fn only_a_refused_session_ends_a_partner_authorization() {
        let renewal = |body: &str| parse_token("POST oauth/AccessToken (renewal)", &response(401, body)).unwrap_err();
        for problem in ["token_rejected", "token_revoked", "token_expired", "permission_denied"] {
            assert!(renewal_refused_for_good(&renewal(&format!("oauth_problem={problem}"))), "{problem}");
        }
        for problem in ["signature_invalid", "timestamp_refused", "nonce_used"] {
            assert!(!renewal_refused_for_good(&renewal(&format!("oauth_problem={problem}"))), "{problem}");
        }
        assert!(!renewal_refused_for_good(&parse_token("x", &response(503, "offline")).unwrap_err()));
    }

    #[test]
    fn requests_are_signed_for_each_app_type() {
        let public = Signer::for_app(AuthMode::OAuth1Public, "ck", "cs", None).unwrap();
        let req = request_token_request("https://api.xero.com/oauth/RequestToken", &public, "oob").unwrap();
        let auth = &req.headers.iter().find(|(n, _)| n == "authorization").unwrap().1;
        assert!(auth.starts_with("OAuth ") && auth.contains("oauth_callback=\"oob\"") && auth.contains("HMAC-SHA1"), "{auth}");
        assert!(!auth.contains("oauth_token="), "no token before the request token exists");
        let e = Signer::for_app(AuthMode::OAuth1Private, "ck", "", None).unwrap_err();
        assert!(e.hint.unwrap().contains("xero_oauth1_set_rsa_key"));
        let h = public.clone().with_token("tok", "ts").headers("GET", "https://api.xero.com/api.xro/2.0/Invoices?page=1").unwrap();
        assert!(h[0].1.contains("oauth_token=\"tok\""));
        let h2 = public.with_token("tok", "ts").headers("GET", "https://api.xero.com/api.xro/2.0/Invoices?page=1").unwrap();
        assert_ne!(h[0].1, h2[0].1, "every call gets its own nonce");
    }

    #[test]
    fn verifiers_are_taken_from_urls_or_bare() {
        assert_eq!(parse_verifier("123456").unwrap(), (None, "123456".into()));
        assert_eq!(parse_verifier("http://cb/?oauth_token=rt&oauth_verifier=v%2B1").unwrap(), (Some("rt".into()), "v+1".into()));
        assert!(parse_verifier("http://cb/?x=1").is_err());
    }
}
