//! Authorizing an OAuth 1.0a public or partner app, the three-legged way Xero had it:
//! a request token, the user's consent, the verifier exchanged for an access token.

use pgrx::prelude::*;
use xero_core::oauth1_flow::{authorize_url, parse_token, parse_verifier, request_token_request};
use xero_core::options::AuthMode;
use xero_core::{Result, XeroError};

use crate::pg::catalog::{as_extension_owner, check_reach, resolve_org, with_latest_snapshot, Endpoint, Org};
use crate::pg::http::{http, interrupted};
use crate::pg::report::{register_secret, OrRaise};
use crate::tokens::access::oauth1_signer;
use crate::tokens::worker::{self, Job};

fn require_three_legged(org: &Org) -> Result<()> {
    match org.config.auth {
        AuthMode::OAuth1Public | AuthMode::OAuth1Partner => Ok(()),
        AuthMode::OAuth1Private => Err(XeroError::invalid_argument(format!(
            "organisation \"{}\" is an OAuth 1.0a private app, which needs no authorization",
            org.config.server_name
        ))
        .with_hint("Private apps sign with their RSA key and consumer key alone: xero_oauth1_set_rsa_key() and the user mapping's consumer_key.")),
        other => Err(XeroError::invalid_argument(format!("organisation \"{}\" uses auth '{}', not an OAuth 1.0a app", org.config.server_name, other.name()))
            .with_hint("OAuth 2.0 organisations authorize with xero_authorize_url() and xero_complete_authorization().")),
    }
}

/// Gets a request token and returns the URL where the user approves it.
#[pg_extern]
fn xero_oauth1_request_token(org: &str, callback: default!(&str, "'oob'")) -> String {
    let run = || -> Result<String> {
        let org = resolve_org(org)?;
        require_three_legged(&org)?;
        check_reach(&org.config, Endpoint::Api)?;
        let http = http()?;
        let keys = crate::tokens::keys::load(&org.config.server_name, org.config.proxy.as_deref())?;
        let client = http.client_for(&keys.tls)?;
        let signer = oauth1_signer(&org, &keys)?;
        let request = request_token_request(&org.config.oauth1_endpoint("RequestToken")?, &signer, callback)?;
        let token = parse_token("POST oauth/RequestToken", &http.execute_with(&client, request, &interrupted)?)?;
        register_secret(&token.secret);
        as_extension_owner(|| {
            Spi::run_with_args(
                "INSERT INTO xero_fdw_private.pending_authorizations (state, server_name, token_set, client_id, redirect_uri, code_verifier) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    token.token.as_str().into(),
                    org.config.server_name.as_str().into(),
                    org.config.token_set.as_str().into(),
                    signer.consumer_key.as_str().into(),
                    callback.into(),
                    token.secret.as_str().into(),
                ],
            )
        })
        .map_err(|e| XeroError::internal("could not record the request token").with_detail(e.to_string()))?;
        authorize_url(&org.config.oauth1_endpoint("Authorize")?, &token.token)
    };
    run().or_raise_for(org, "xero_oauth1_request_token")
}

/// Exchanges the verifier (or the URL Xero redirected to) for an access token, stored durably;
/// returns when that token expires.
#[pg_extern]
fn xero_oauth1_access_token(org: &str, verifier_or_redirected_url: &str) -> pgrx::datum::TimestampWithTimeZone {
    let run = || -> Result<pgrx::datum::TimestampWithTimeZone> {
        let org = resolve_org(org)?;
        require_three_legged(&org)?;
        let (token, verifier) = parse_verifier(verifier_or_redirected_url)?;
        let pending: std::result::Result<Option<(String, String)>, pgrx::spi::Error> = as_extension_owner(|| {
            with_latest_snapshot(|| {
                Spi::connect(|client| {
                    let t = client.select(
                        "SELECT state, code_verifier FROM xero_fdw_private.pending_authorizations \
                         WHERE server_name = $1 AND ($2::text IS NULL OR state = $2) ORDER BY created_at DESC LIMIT 1",
                        None,
                        &[org.config.server_name.as_str().into(), token.as_deref().into()],
                    )?;
                    Ok(match t.into_iter().next() {
                        Some(r) => Some((r.get::<String>(1)?.unwrap_or_default(), r.get::<String>(2)?.unwrap_or_default())),
                        None => None,
                    })
                })
            })
        });
        let (request_token, request_token_secret) = pending
            .map_err(|e| XeroError::internal("could not read pending authorizations").with_detail(e.to_string()))?
            .ok_or_else(|| {
                XeroError::invalid_argument(format!("no OAuth 1.0a authorization is pending for organisation \"{}\"", org.config.server_name))
                    .with_hint(format!("Start with SELECT xero_oauth1_request_token('{}', '<callback or oob>');", org.config.server_name))
            })?;
        worker::run(&org, Job::Oauth1Exchange { request_token: request_token.clone(), request_token_secret, verifier })?;
        let _ = as_extension_owner(|| Spi::run_with_args("DELETE FROM xero_fdw_private.pending_authorizations WHERE state = $1", &[request_token.as_str().into()]));
        as_extension_owner(|| {
            with_latest_snapshot(|| {
                Spi::get_one_with_args::<pgrx::datum::TimestampWithTimeZone>(
                    "SELECT access_token_expires_at FROM xero_fdw_private.token_sets WHERE name = $1",
                    &[org.config.token_set.as_str().into()],
                )
            })
        })
        .ok()
        .flatten()
        .ok_or_else(|| XeroError::internal("the access token was not stored"))
    };
    run().or_raise_for(org, "xero_oauth1_access_token")
}

extension_sql!(
    r#"
COMMENT ON FUNCTION xero_oauth1_request_token(text, text) IS 'OAuth 1.0a public and partner apps: gets a request token (signed with the consumer credentials and the callback, ''oob'' for none) and returns the URL where the user approves it.';
COMMENT ON FUNCTION xero_oauth1_access_token(text, text) IS 'OAuth 1.0a public and partner apps: exchanges the verifier (or the URL Xero redirected to) for an access token, stored durably by the token worker; returns when it expires (partner tokens are then renewed automatically).';
"#,
    name = "oauth1_auth_comments",
    requires = [xero_oauth1_request_token, xero_oauth1_access_token]
);
