//! Xero's OAuth 1.0a (retired in 2021): `/oauth/RequestToken`, `/oauth/Authorize`
//! (auto-consent), `/oauth/AccessToken` (exchange, and renewal for partner apps), and the
//! signed-request check the Accounting API routes use in place of a Bearer token.
//!
//! Public apps: HMAC-SHA1, three-legged, tokens for `oauth1_token_lifetime_secs`, no
//! renewal. Private apps: RSA-SHA1, two-legged, `oauth_token` is the consumer key, never
//! expires. Partner apps: RSA-SHA1, three-legged, renewed with `oauth_session_handle`.
//! Every OAuth 1.0a connection is bound to the first tenant.

use crate::ids::Rng;
use crate::oauth1_check::{self as check, Problem, Signed, FORM_AS_HTML};
use crate::oauth1_params::{encode, form_pairs, parse_header, Pair};
use crate::oauth1_store::{Issued, AUTHORIZATION_SECS};
use crate::reply::Reply;
use crate::request::Req;
use crate::state::{lock, State};
use crate::tokens::Access;
use crate::Oauth1AppKind;

/// The stats label of an `/oauth/AccessToken` request: a renewal carries a session handle.
pub fn access_token_label(req: &Req) -> &'static str {
    if session_handle(req).is_some() {
        "oauth1:renew"
    } else {
        "oauth1:access_token"
    }
}

/// `oauth_session_handle` from the `Authorization` header, else the query or form body
/// (clients differed on where to put it; it is signed wherever it is).
fn session_handle(req: &Req) -> Option<String> {
    let find = |pairs: Vec<Pair>| {
        pairs
            .into_iter()
            .find(|(n, _)| n == b"oauth_session_handle")
            .map(|(_, v)| String::from_utf8_lossy(&v).into_owned())
    };
    req.header("authorization")
        .and_then(parse_header)
        .and_then(find)
        .or_else(|| find(form_pairs(req.raw_query.as_bytes())))
        .or_else(|| find(form_pairs(&req.body)))
        .filter(|h| !h.is_empty())
}

fn form_reply(pairs: &[(&str, &str)]) -> Reply {
    let body: Vec<String> = pairs
        .iter()
        .map(|(n, v)| format!("{n}={}", encode(v.as_bytes())))
        .collect();
    Reply::new(200, FORM_AS_HTML, body.join("&"))
}

fn lifetime_ms(state: &State) -> i64 {
    state.oauth1_token_lifetime_secs * 1000
}

fn answer(result: Result<Reply, Problem>) -> Reply {
    result.unwrap_or_else(Problem::reply)
}

/// `GET|POST /oauth/RequestToken`, signed with the consumer's credentials only.
pub fn request_token(state: &State, req: &Req) -> Reply {
    answer((|| {
        let signed = check::parse(req, &["oauth_callback"])?;
        let (ci, consumer) = check::consumer(state, &signed)?;
        if consumer.kind == Oauth1AppKind::Private {
            return Err(Problem::PermissionDenied(
                "Private applications are two-legged: use the consumer key as the token",
            ));
        }
        check::precheck(state, &signed, ci)?;
        check::check_signature(state, req, &signed, ci, "", true)?;
        let callback = signed.get("oauth_callback").unwrap_or_default();
        let expires = state.clock.now_ms() + lifetime_ms(state);
        let (token, secret) =
            lock(&state.oauth1).issue_request_token(&consumer.key, &callback, expires);
        Ok(form_reply(&[
            ("oauth_token", &token),
            ("oauth_token_secret", &secret),
            ("oauth_callback_confirmed", "true"),
        ]))
    })())
}

/// `GET /oauth/Authorize?oauth_token=…`: the user consents at once. Back to the callback
/// with the token and verifier, or for `oob` a page showing just the verifier.
pub fn authorize(state: &State, req: &Req) -> Reply {
    let Some(token) = req.param("oauth_token").filter(|t| !t.is_empty()) else {
        return Problem::ParameterAbsent(vec!["oauth_token".into()]).reply();
    };
    let now = state.clock.now_ms();
    let mut store = lock(&state.oauth1);
    match store.request_token(token) {
        None => {
            return Problem::TokenRejected("Token does not match an expected REQUEST token").reply()
        }
        Some(rt) if rt.expires_at_ms <= now => {
            return Problem::TokenExpired("The request token has expired").reply()
        }
        Some(_) => {}
    }
    let Some((verifier, callback)) = store.authorize(token) else {
        return Problem::TokenRejected("Token does not match an expected REQUEST token").reply();
    };
    if callback == "oob" {
        return Reply::text(200, verifier);
    }
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("oauth_token", token);
    query.append_pair("oauth_verifier", &verifier);
    let sep = if callback.contains('?') { '&' } else { '?' };
    Reply::text(302, "").header("location", format!("{callback}{sep}{}", query.finish()))
}

/// `GET|POST /oauth/AccessToken`: a request token and verifier for an access token, or
/// (partner apps) the current access token and session handle for a new one.
pub fn access_token(state: &State, req: &Req) -> Reply {
    answer((|| {
        if let Some(handle) = session_handle(req) {
            let signed = check::parse(req, &["oauth_token"])?;
            return renew(state, req, &signed, &handle);
        }
        let signed = check::parse(req, &["oauth_token", "oauth_verifier"])?;
        let (ci, consumer) = check::consumer(state, &signed)?;
        if consumer.kind == Oauth1AppKind::Private {
            return Err(Problem::PermissionDenied(
                "Private applications are two-legged: use the consumer key as the token",
            ));
        }
        check::precheck(state, &signed, ci)?;
        let token = signed.get("oauth_token").unwrap_or_default();
        let rejected = Problem::TokenRejected("Token does not match an expected REQUEST token");
        let (secret, verifier, expires_at) = match lock(&state.oauth1).request_token(&token) {
            Some(rt) if rt.consumer == consumer.key => {
                (rt.secret.clone(), rt.verifier.clone(), rt.expires_at_ms)
            }
            _ => return Err(rejected),
        };
        check::check_signature(state, req, &signed, ci, &secret, true)?;
        let now = state.clock.now_ms();
        if expires_at <= now {
            return Err(Problem::TokenExpired("The request token has expired"));
        }
        match verifier {
            None => return Err(Problem::PermissionUnknown),
            Some(v) if Some(v.as_str()) != signed.get("oauth_verifier").as_deref() => {
                return Err(Problem::ParameterRejected(
                    vec!["oauth_verifier".into()],
                    "The verifier does not match the request token",
                ))
            }
            Some(_) => {}
        }
        let partner = consumer.kind == Oauth1AppKind::Partner;
        let issued = {
            let mut store = lock(&state.oauth1);
            store.take_request_token(&token);
            store.issue_access(&consumer.key, partner, now, lifetime_ms(state))
        };
        Ok(token_reply(state, &issued, AUTHORIZATION_SECS))
    })())
}

fn token_reply(state: &State, issued: &Issued, authorization_secs: i64) -> Reply {
    let expires_in = state.oauth1_token_lifetime_secs.to_string();
    let authorization = authorization_secs.max(0).to_string();
    let mut pairs = vec![
        ("oauth_token", issued.token.as_str()),
        ("oauth_token_secret", issued.secret.as_str()),
        ("oauth_expires_in", expires_in.as_str()),
        ("oauth_authorization_expires_in", authorization.as_str()),
    ];
    if let Some(h) = &issued.session_handle {
        pairs.push(("oauth_session_handle", h));
    }
    form_reply(&pairs)
}

/// Partner renewal, signed with the current (possibly expired) access token's secret.
fn renew(state: &State, req: &Req, signed: &Signed, handle: &str) -> Result<Reply, Problem> {
    let (ci, consumer) = check::consumer(state, signed)?;
    if consumer.kind != Oauth1AppKind::Partner {
        return Err(Problem::PermissionDenied(
            "Only partner applications can renew access tokens",
        ));
    }
    check::precheck(state, signed, ci)?;
    let token = signed.get("oauth_token").unwrap_or_default();
    let rejected = Problem::TokenRejected("Token does not match an expected ACCESS token");
    let secret = match lock(&state.oauth1).access(&token) {
        Some(at) if at.consumer == consumer.key => at.secret.clone(),
        _ => return Err(rejected),
    };
    check::check_signature(state, req, signed, ci, &secret, true)?;
    let now = state.clock.now_ms();
    let mut store = lock(&state.oauth1);
    let Some(session_expires) = store.session_expiry(handle, &token) else {
        return Err(Problem::TokenRejected(
            "The session handle does not belong to this access token",
        ));
    };
    if session_expires <= now {
        return Err(Problem::TokenExpired("The authorisation has expired"));
    }
    let issued = store
        .renew(&token, now, lifetime_ms(state))
        .ok_or(Problem::TokenRejected(
            "Token does not match an expected ACCESS token",
        ))?;
    Ok(token_reply(state, &issued, (session_expires - now) / 1000))
}

/// An Accounting API call signed with OAuth 1.0a; bound to the first tenant.
pub fn authenticate(state: &State, req: &Req) -> Result<Access, Reply> {
    authenticate_signed(state, req).map_err(Problem::reply)
}

fn authenticate_signed(state: &State, req: &Req) -> Result<Access, Problem> {
    let signed = check::parse(req, &["oauth_token"])?;
    let (ci, consumer) = check::consumer(state, &signed)?;
    check::precheck(state, &signed, ci)?;
    let token = signed.get("oauth_token").unwrap_or_default();
    let rejected = Problem::TokenRejected("Token does not match an expected ACCESS token");
    if consumer.kind == Oauth1AppKind::Private {
        if token != consumer.key {
            return Err(rejected);
        }
        // Private apps have no token secret; RSA-SHA1 does not use one.
        check::check_signature(state, req, &signed, ci, "", false)?;
        return Ok(Access {
            expires_at_ms: i64::MAX,
            tenant: Some(0),
            auth_event: Rng::new(state.seed, ci, "oauth1-private").uuid(),
        });
    }
    let access = match lock(&state.oauth1).access(&token) {
        Some(at) if at.consumer == consumer.key => at.clone(),
        _ => return Err(rejected),
    };
    check::check_signature(state, req, &signed, ci, &access.secret, false)?;
    if access.expires_at_ms <= state.clock.now_ms() {
        return Err(Problem::TokenExpired("The access token has expired"));
    }
    Ok(Access {
        expires_at_ms: access.expires_at_ms,
        tenant: Some(0),
        auth_event: access.auth_event,
    })
}
