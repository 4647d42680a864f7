//! OAuth 2.0 as Xero does it: the authorization-code flow with PKCE, refresh-token rotation and
//! client credentials (custom connections). Pure request building and response parsing; the
//! caller decides where tokens are stored.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::{ErrorKind, Result, XeroError};
use crate::http::{Request, Response};
use crate::responses::describe_body;

/// Scopes asked for when the caller names none: read access to what the tables show, and
/// `offline_access` so a refresh token is issued.
pub const DEFAULT_SCOPES: &str = "openid profile email offline_access accounting.transactions.read accounting.contacts.read accounting.settings.read";

/// Random URL-safe text from the operating system's CSPRNG.
pub fn random_token(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::getrandom(&mut buf).map_err(|e| XeroError::internal("the system random generator failed").with_detail(e.to_string()))?;
    Ok(URL_SAFE_NO_PAD.encode(buf))
}

/// RFC 7636 S256 challenge of a code verifier.
pub fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

pub struct AuthorizeUrl<'a> {
    pub login_url: &'a str,
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub scopes: &'a str,
    pub state: &'a str,
    pub code_verifier: &'a str,
}

pub fn authorize_url(a: &AuthorizeUrl) -> Result<String> {
    let mut url = url::Url::parse(&format!("{}/identity/connect/authorize", a.login_url.trim_end_matches('/')))
        .map_err(|e| XeroError::invalid_option(format!("login_url is not a valid URL: {e}")))?;
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", a.client_id)
        .append_pair("redirect_uri", a.redirect_uri)
        .append_pair("scope", a.scopes)
        .append_pair("state", a.state)
        .append_pair("code_challenge", &pkce_challenge(a.code_verifier))
        .append_pair("code_challenge_method", "S256");
    Ok(url.into())
}

/// What the user pasted back: the whole redirected URL, or just the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub code: String,
    pub state: Option<String>,
}

pub fn parse_redirect(input: &str) -> Result<Redirect> {
    let input = input.trim();
    if input.is_empty() {
        return Err(XeroError::invalid_argument("the redirected URL or code is empty"));
    }
    if !input.contains("://") && !input.contains('?') && !input.contains('=') {
        return Ok(Redirect { code: input.to_string(), state: None });
    }
    let query = input.split_once('?').map(|(_, q)| q).unwrap_or(input);
    let query = query.split('#').next().unwrap_or(query);
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    if let Some(error) = get("error") {
        return Err(XeroError::new(ErrorKind::NotAuthorized, "Xero did not authorize the app")
            .with_detail(format!("the redirect carried error={error}{}", get("error_description").map(|d| format!(": {d}")).unwrap_or_default()))
            .with_hint("Start again with xero_authorize_url() and approve the consent screen."));
    }
    let code = get("code").ok_or_else(|| {
        XeroError::invalid_argument("the redirected URL has no code parameter").with_hint("Paste the full URL Xero redirected the browser to, or just its code.")
    })?;
    Ok(Redirect { code, state: get("state") })
}

pub enum Grant<'a> {
    AuthorizationCode { code: &'a str, redirect_uri: &'a str, code_verifier: &'a str },
    RefreshToken { refresh_token: &'a str },
    ClientCredentials { scopes: Option<&'a str> },
}

impl Grant<'_> {
    pub fn name(&self) -> &'static str {
        match self {
            Grant::AuthorizationCode { .. } => "authorization_code",
            Grant::RefreshToken { .. } => "refresh_token",
            Grant::ClientCredentials { .. } => "client_credentials",
        }
    }
}

/// The token-endpoint request, client authenticated by HTTP Basic as Xero documents.
pub fn token_request(identity_url: &str, client_id: &str, client_secret: &str, grant: &Grant) -> Request {
    let mut form = vec![("grant_type".to_string(), grant.name().to_string())];
    match grant {
        Grant::AuthorizationCode { code, redirect_uri, code_verifier } => {
            form.push(("code".into(), code.to_string()));
            form.push(("redirect_uri".into(), redirect_uri.to_string()));
            form.push(("code_verifier".into(), code_verifier.to_string()));
        }
        Grant::RefreshToken { refresh_token } => form.push(("refresh_token".into(), refresh_token.to_string())),
        Grant::ClientCredentials { scopes } => {
            if let Some(s) = scopes {
                form.push(("scope".into(), s.to_string()));
            }
        }
    }
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{client_id}:{client_secret}"));
    Request::post_form(
        format!("{}/connect/token", identity_url.trim_end_matches('/')),
        form,
        format!("POST connect/token ({})", grant.name()),
    )
    .header("authorization", format!("Basic {basic}"))
    .header("accept", "application/json")
}

#[derive(Clone, Deserialize, PartialEq, Eq)]
pub struct TokenResponse {
    pub access_token: String,
    pub expires_in: i64,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub token_type: Option<String>,
}

// Tokens must never reach a log line through a stray {:?}.
impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenResponse")
            .field("expires_in", &self.expires_in)
            .field("has_refresh_token", &self.refresh_token.is_some())
            .field("scope", &self.scope)
            .finish()
    }
}

/// Reads the token endpoint's answer. `invalid_grant` means the token set must be authorized
/// again; it is reported as `ReauthorizationNeeded` so the caller can record that.
pub fn parse_token_response(grant: &str, response: &Response) -> Result<TokenResponse> {
    if response.status == 200 {
        return serde_json::from_slice(&response.body).map_err(|e| {
            XeroError::new(ErrorKind::ProtocolViolation, "Xero's token endpoint returned an unreadable answer")
                .with_detail(format!("{e} ({} bytes)", response.body.len()))
        });
    }
    let said = describe_body(&response.body);
    let code = serde_json::from_slice::<serde_json::Value>(&response.body)
        .ok()
        .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_string))
        .unwrap_or_default();
    let detail = format!("the token endpoint answered HTTP {} to the {grant} grant: {said}", response.status);
    let (kind, message, hint) = match code.as_str() {
        "invalid_grant" => (
            ErrorKind::ReauthorizationNeeded,
            "Xero refused the stored grant (invalid_grant)",
            "The refresh token was revoked, expired (60 days unused) or already rotated elsewhere. Authorize again: \
             SELECT xero_authorize_url(...), then xero_complete_authorization(...), or xero_connect() with a new refresh token.",
        ),
        "invalid_client" | "unauthorized_client" => (
            ErrorKind::NotAuthorized,
            "Xero did not accept the app's client credentials",
            "Check client_id and client_secret in the user mapping (ALTER USER MAPPING … OPTIONS (SET client_secret '…')).",
        ),
        "unsupported_grant_type" => (
            ErrorKind::NotAuthorized,
            "Xero does not allow this grant for the app",
            "client_credentials needs a Xero custom connection; other apps use auth 'oauth2'.",
        ),
        _ if response.status >= 500 => (ErrorKind::Unavailable, "Xero's token endpoint is unavailable", "Try again later."),
        _ => (ErrorKind::NotAuthorized, "Xero's token endpoint refused the request", "Check the identity_url option and the user mapping's client_id."),
    };
    Err(XeroError::new(kind, message).with_detail(detail).with_hint(hint))
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Connection {
    #[serde(rename = "tenantId")]
    pub tenant_id: String,
    #[serde(rename = "tenantName", default)]
    pub tenant_name: Option<String>,
    #[serde(rename = "tenantType", default)]
    pub tenant_type: Option<String>,
    #[serde(rename = "id", default)]
    pub connection_id: Option<String>,
    #[serde(rename = "createdDateUtc", default)]
    pub created: Option<String>,
    #[serde(rename = "updatedDateUtc", default)]
    pub updated: Option<String>,
}

/// `GET /connections` lives at the root of the API host, beside `/api.xro/2.0`.
pub fn connections_url(api_url: &str) -> Result<String> {
    let url = url::Url::parse(api_url).map_err(|e| XeroError::invalid_option(format!("api_url is not a valid URL: {e}")))?;
    let mut root = url.clone();
    root.set_path("/connections");
    root.set_query(None);
    Ok(root.into())
}

pub fn parse_connections(response: &Response) -> Result<Vec<Connection>> {
    if response.status != 200 {
        return Err(crate::responses::api_error("GET connections", response));
    }
    serde_json::from_slice(&response.body).map_err(|e| {
        XeroError::new(ErrorKind::ProtocolViolation, "Xero's /connections answer is not a list of tenants").with_detail(e.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_matches_rfc7636_appendix_b() {
        assert_eq!(pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    #[test]
    fn authorize_url_carries_state_and_challenge() {
        let url = authorize_url(&AuthorizeUrl {
            login_url: "https://login.xero.com/",
            client_id: "abc",
            redirect_uri: "https://example.com/cb",
            scopes: "openid offline_access",
            state: "st8",
            code_verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
        })
        .unwrap();
        assert_eq!(
            url,
            "https://login.xero.com/identity/connect/authorize?response_type=code&client_id=abc&redirect_uri=https%3A%2F%2Fexample.com%2Fcb\
             &scope=openid+offline_access&state=st8&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
        );
    }

    #[test]
    fn redirects_and_bare_codes_are_understood() {
        assert_eq!(parse_redirect(" abc123 ").unwrap(), Redirect { code: "abc123".into(), state: None });
        assert_eq!(
            parse_redirect("https://example.com/cb?code=a%2Bb&state=xyz#frag").unwrap(),
            Redirect { code: "a+b".into(), state: Some("xyz".into()) }
        );
        let e = parse_redirect("https://example.com/cb?error=access_denied&state=xyz").unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotAuthorized);
        assert!(e.detail.unwrap().contains("access_denied"));
        assert_eq!(parse_redirect("https://example.com/cb?state=1").unwrap_err().kind, ErrorKind::InvalidArgument);
        assert_eq!(parse_redirect("").unwrap_err().kind, ErrorKind::InvalidArgument);
    }

    #[test]
    fn token_errors_are_classified_without_echoing_secrets() {
        let resp = |status: u16, body: &str| Response { status, headers: vec![], body: body.as_bytes().to_vec() };
        let e = parse_token_response("refresh_token", &resp(400, r#"{"error":"invalid_grant"}"#)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::ReauthorizationNeeded);
        assert!(e.hint.unwrap().contains("xero_authorize_url"));
        let e = parse_token_response("refresh_token", &resp(401, r#"{"error":"invalid_client"}"#)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotAuthorized);
        assert_eq!(parse_token_response("x", &resp(503, "down")).unwrap_err().kind, ErrorKind::Unavailable);
        let ok = parse_token_response("x", &resp(200, r#"{"access_token":"SECRET-AT","expires_in":1800,"refresh_token":"SECRET-RT"}"#)).unwrap();
        assert_eq!(ok.expires_in, 1800);
        assert!(!format!("{ok:?}").contains("SECRET"));
        let req = token_request("https://identity.xero.com", "id", "SECRET-CS", &Grant::RefreshToken { refresh_token: "SECRET-RT" });
        assert!(!req.label.contains("SECRET") && req.url == "https://identity.xero.com/connect/token");
    }

    #[test]
    fn connections_live_at_the_api_host_root() {
        assert_eq!(connections_url("https://api.xero.com/api.xro/2.0").unwrap(), "https://api.xero.com/connections");
        assert_eq!(connections_url("http://127.0.0.1:8080/api.xro/2.0/").unwrap(), "http://127.0.0.1:8080/connections");
    }
}
