//! Xero's identity endpoints: authorize (auto-consent), token, connections, and the
//! Bearer check every API route shares.

use base64::Engine;

use crate::dates;
use crate::reply::Reply;
use crate::request::Req;
use crate::state::{lock, State};
use crate::tokens::{Access, OAuthError};

/// `GET /identity/connect/authorize`: the user "consents" at once and is sent back.
pub fn authorize(state: &State, req: &Req) -> Reply {
    let missing: Vec<&str> = ["response_type", "client_id", "redirect_uri", "scope"]
        .into_iter()
        .filter(|p| req.param(p).is_none_or(str::is_empty))
        .collect();
    if !missing.is_empty() {
        return Reply::text(
            400,
            format!(
                "Invalid authorization request: missing {}",
                missing.join(", ")
            ),
        );
    }
    let client_id = req.param("client_id").unwrap_or_default();
    if state.client(client_id).is_none() {
        return Reply::text(
            400,
            format!("Invalid authorization request: unknown client_id '{client_id}'"),
        );
    }
    if req.param("response_type") != Some("code") {
        return Reply::text(
            400,
            "Invalid authorization request: response_type must be 'code'",
        );
    }
    let challenge = req.param("code_challenge").filter(|c| !c.is_empty());
    if challenge.is_some() && req.param("code_challenge_method") != Some("S256") {
        return Reply::text(
            400,
            "Invalid authorization request: code_challenge_method must be 'S256'",
        );
    }
    let redirect_uri = req.param("redirect_uri").unwrap_or_default();
    let scope = req.param("scope").unwrap_or_default();
    let now = state.clock.now_ms();
    let code = lock(&state.tokens).new_code(client_id, redirect_uri, scope, challenge, now);
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("code", &code);
    if let Some(st) = req.param("state") {
        query.append_pair("state", st);
    }
    query.append_pair("scope", scope);
    let sep = if redirect_uri.contains('?') { '&' } else { '?' };
    Reply::text(302, "").header("location", format!("{redirect_uri}{sep}{}", query.finish()))
}

/// The stats label of a token request: `token:<grant_type>`.
pub fn token_label(req: &Req) -> String {
    let form = req.form();
    let grant = form
        .iter()
        .find(|(k, _)| k == "grant_type")
        .map_or("", |(_, v)| v.as_str());
    format!("token:{grant}")
}

fn oauth_error(status: u16, error: &str, description: &str) -> Reply {
    let mut v = serde_json::json!({ "error": error });
    if !description.is_empty() {
        v["error_description"] = description.into();
    }
    Reply::json_value(status, &v).header("cache-control", "no-store")
}

/// `POST /connect/token`.
pub fn token(state: &State, req: &Req) -> Reply {
    let form = req.form();
    let field = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let Some((client_id, secret)) = client_credentials(req, &field) else {
        return oauth_error(401, "invalid_client", "client authentication is required");
    };
    match state.client(&client_id) {
        Some(c) if c.secret == secret => {}
        _ => return oauth_error(401, "invalid_client", "unknown client or wrong secret"),
    }
    let now = state.clock.now_ms();
    let result = match field("grant_type") {
        None => Err(OAuthError("invalid_request", "grant_type is required")),
        Some("authorization_code") => match field("code") {
            None => Err(OAuthError("invalid_request", "code is required")),
            Some(code) => lock(&state.tokens).redeem_code(
                code,
                &client_id,
                field("redirect_uri"),
                field("code_verifier"),
                now,
            ),
        },
        Some("refresh_token") => match field("refresh_token") {
            None => Err(OAuthError("invalid_request", "refresh_token is required")),
            Some(rt) => lock(&state.tokens).refresh(rt, &client_id, now),
        },
        Some("client_credentials") => {
            if state
                .client(&client_id)
                .is_some_and(|c| c.custom_connection)
            {
                let requested = field("scope")
                    .unwrap_or("accounting.transactions accounting.contacts accounting.settings");
                // Custom connections never get refresh tokens, whatever was asked for.
                let scope: Vec<&str> = requested
                    .split_whitespace()
                    .filter(|s| *s != "offline_access")
                    .collect();
                let mut tokens = lock(&state.tokens);
                let event = tokens.new_auth_event();
                Ok(tokens.issue(&client_id, &scope.join(" "), Some(0), event, now))
            } else {
                Err(OAuthError(
                    "unauthorized_client",
                    "client_credentials needs a custom connection",
                ))
            }
        }
        Some(_) => Err(OAuthError("unsupported_grant_type", "")),
    };
    match result {
        Ok(set) => Reply::json_value(200, &set.to_json()).header("cache-control", "no-store"),
        Err(OAuthError(error, description)) => oauth_error(400, error, description),
    }
}

/// Client id and secret from HTTP Basic, or else from the form body.
fn client_credentials<'a>(
    req: &Req,
    field: &impl Fn(&str) -> Option<&'a str>,
) -> Option<(String, String)> {
    if let Some(basic) = req
        .header("authorization")
        .and_then(|h| strip_scheme(h, "Basic"))
    {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(basic.trim())
            .ok()?;
        let text = String::from_utf8(decoded).ok()?;
        let (id, secret) = text.split_once(':')?;
        return Some((id.to_string(), secret.to_string()));
    }
    Some((
        field("client_id")?.to_string(),
        field("client_secret")?.to_string(),
    ))
}

fn strip_scheme<'a>(header: &'a str, scheme: &str) -> Option<&'a str> {
    let (s, rest) = header.split_once(' ')?;
    s.eq_ignore_ascii_case(scheme).then_some(rest)
}

/// Checks `Authorization: Bearer …`; the error is the 401 Xero sends.
pub fn authenticate(state: &State, req: &Req) -> Result<Access, Reply> {
    let unauthorized =
        |detail: &str| Reply::problem(401, "Unauthorized", detail, state.next_response_id());
    let token = req
        .header("authorization")
        .and_then(|h| strip_scheme(h, "Bearer"))
        .map(str::trim);
    let access = token.and_then(|t| lock(&state.tokens).access(t).cloned());
    let Some(access) = access else {
        return Err(unauthorized("AuthenticationUnsuccessful"));
    };
    if access.expires_at_ms <= state.clock.now_ms() {
        let detail = format!(
            "TokenExpired: token expired at {}",
            dates::us_datetime(access.expires_at_ms)
        );
        return Err(
            unauthorized(&detail).header("www-authenticate", "Bearer error=\"invalid_token\"")
        );
    }
    Ok(access)
}

/// `GET /connections`: the tenants this token's user connected.
pub fn connections(state: &State, req: &Req) -> Reply {
    let access = match authenticate(state, req) {
        Ok(a) => a,
        Err(reply) => return reply,
    };
    let list: Vec<serde_json::Value> = state
        .tenants()
        .iter()
        .enumerate()
        .filter(|(i, _)| access.tenant.is_none_or(|t| t == *i))
        .map(|(_, t)| {
            let created = t.organisation.created.ms + 86_400_000;
            serde_json::json!({
                "id": t.connection_id.to_string(),
                "authEventId": access.auth_event.to_string(),
                "tenantId": t.tenant_id.to_string(),
                "tenantType": "ORGANISATION",
                "tenantName": t.organisation.name,
                "createdDateUtc": dates::identity_datetime(created),
                "updatedDateUtc": dates::identity_datetime(created),
            })
        })
        .collect();
    Reply::json_value(200, &serde_json::Value::Array(list))
}
