//! Authorizing an organisation and listing its tenants: the OAuth 2.0 code flow with PKCE,
//! connecting with a refresh token obtained elsewhere, and `GET /connections`.

use pgrx::prelude::*;
use xero_core::http::Request;
use xero_core::oauth2::{authorize_url, connections_url, parse_connections, parse_redirect, random_token, AuthorizeUrl, Connection, DEFAULT_SCOPES};
use xero_core::options::AuthMode;
use xero_core::{ErrorKind, Result, XeroError};

use crate::pg::catalog::{as_extension_owner, check_reach, resolve_org, with_latest_snapshot, Endpoint, Org};
use crate::pg::http::{http, interrupted};
use crate::pg::report::OrRaise;
use crate::tokens::worker::{self, Job};
use crate::tokens::access as tokens;

// pgrx reads return types syntactically, so #[pg_extern] signatures spell this type out.
type TenantRows = TableIterator<
    'static,
    (
        name!(tenant_id, Option<pgrx::Uuid>),
        name!(tenant_name, Option<String>),
        name!(tenant_type, Option<String>),
        name!(connection_id, Option<pgrx::Uuid>),
    ),
>;

fn uuid(s: Option<&str>) -> Option<pgrx::Uuid> {
    s.and_then(xero_core::decode::parse_uuid).map(pgrx::Uuid::from_bytes)
}

fn tenant_rows(connections: Vec<Connection>) -> TenantRows {
    TableIterator::new(connections.into_iter().map(|c| (uuid(Some(&c.tenant_id)), c.tenant_name, c.tenant_type, uuid(c.connection_id.as_deref()))))
}

fn require_oauth2(org: &Org) -> Result<()> {
    match org.config.auth {
        AuthMode::OAuth2 => Ok(()),
        AuthMode::ClientCredentials => Err(XeroError::invalid_argument(format!(
            "organisation \"{}\" uses auth 'client_credentials', which needs no authorization",
            org.config.server_name
        ))
        .with_hint("Custom connections only need client_id and client_secret in the user mapping.")),
        other => Err(XeroError::invalid_argument(format!("organisation \"{}\" uses auth '{}', an OAuth 1.0a app", org.config.server_name, other.name()))
            .with_hint("OAuth 1.0a apps authorize with xero_oauth1_request_token() and xero_oauth1_access_token().")),
    }
}

fn fetch_connections(org: &Org, access_token: Option<&str>) -> Result<Vec<Connection>> {
    check_reach(&org.config, Endpoint::Api)?;
    let http = http()?;
    let mut request = Request::get(connections_url(&org.config.api_url)?, "GET connections").header("accept", "application/json");
    let client = match access_token {
        Some(token) => {
            request = request.header("authorization", format!("Bearer {token}"));
            http.client_for(&crate::tokens::keys::load(&org.config.server_name, org.config.proxy.as_deref())?.tls)?
        }
        None => {
            let access = tokens::access(org, &http, None, false)?;
            request.headers.extend(access.authorizer.headers("GET", &request.url)?);
            access.client
        }
    };
    parse_connections(&http.execute_with(&client, request, &interrupted)?)
}

/// The consent URL to open in a browser; the state and PKCE verifier wait in a private table.
#[pg_extern]
fn xero_authorize_url(org: &str, redirect_uri: &str, scopes: default!(Option<&str>, "NULL")) -> String {
    let run = || -> Result<String> {
        let org = resolve_org(org)?;
        require_oauth2(&org)?;
        let (client_id, _) = org.config.client_credentials()?;
        check_reach(&org.config, Endpoint::Login)?;
        url::Url::parse(redirect_uri).map_err(|e| XeroError::invalid_argument(format!("redirect_uri is not a valid URL: {e}")))?;
        let state = random_token(16)?;
        let code_verifier = random_token(48)?;
        let scopes = scopes.or(org.config.scopes.as_deref()).unwrap_or(DEFAULT_SCOPES);
        as_extension_owner(|| {
            Spi::run_with_args(
                "DELETE FROM xero_fdw_private.pending_authorizations WHERE created_at < now() - interval '1 hour'; ",
                &[],
            )?;
            Spi::run_with_args(
                "INSERT INTO xero_fdw_private.pending_authorizations (state, server_name, token_set, client_id, redirect_uri, code_verifier) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    state.as_str().into(),
                    org.config.server_name.as_str().into(),
                    org.config.token_set.as_str().into(),
                    client_id.into(),
                    redirect_uri.into(),
                    code_verifier.as_str().into(),
                ],
            )
        })
        .map_err(|e| XeroError::internal("could not record the pending authorization").with_detail(e.to_string()))?;
        authorize_url(&AuthorizeUrl { login_url: &org.config.login_url, client_id, redirect_uri, scopes, state: &state, code_verifier: &code_verifier })
    };
    run().or_raise_for(org, "xero_authorize_url")
}

/// Finishes an authorization: exchanges the code (PKCE), stores the token set and lists its tenants.
#[pg_extern]
fn xero_complete_authorization(org: &str, redirected_url_or_code: &str) -> TableIterator<
    'static,
    (
        name!(tenant_id, Option<pgrx::Uuid>),
        name!(tenant_name, Option<String>),
        name!(tenant_type, Option<String>),
        name!(connection_id, Option<pgrx::Uuid>),
    ),
> {
    let run = || -> Result<TenantRows> {
        let org = resolve_org(org)?;
        require_oauth2(&org)?;
        let redirect = parse_redirect(redirected_url_or_code)?;
        let pending = find_pending(&org, redirect.state.as_deref())?;
        let answer = worker::run(
            &org,
            Job::Exchange { code: redirect.code, code_verifier: pending.code_verifier, redirect_uri: pending.redirect_uri, state: Some(pending.state) },
        )?;
        Ok(tenant_rows(fetch_connections(&org, Some(&answer.access_token))?))
    };
    run().or_raise_for(org, "xero_complete_authorization")
}

struct Pending {
    state: String,
    redirect_uri: String,
    code_verifier: String,
}

fn find_pending(org: &Org, state: Option<&str>) -> Result<Pending> {
    let found: std::result::Result<Option<(String, String, String, String)>, pgrx::spi::Error> = as_extension_owner(|| {
        with_latest_snapshot(|| {
            Spi::connect(|client| {
                let table = client.select(
                    "SELECT state, server_name, redirect_uri, code_verifier FROM xero_fdw_private.pending_authorizations \
                     WHERE ($1::text IS NULL AND server_name = $2) OR state = $1 ORDER BY created_at DESC LIMIT 1",
                    None,
                    &[state.into(), org.config.server_name.as_str().into()],
                )?;
                match table.into_iter().next() {
                    None => Ok(None),
                    Some(t) => Ok(Some((
                        t.get::<String>(1)?.unwrap_or_default(),
                        t.get::<String>(2)?.unwrap_or_default(),
                        t.get::<String>(3)?.unwrap_or_default(),
                        t.get::<String>(4)?.unwrap_or_default(),
                    ))),
                }
            })
        })
    });
    let found = found.map_err(|e| XeroError::internal("could not read pending authorizations").with_detail(e.to_string()))?;
    let name = &org.config.server_name;
    match found {
        None => Err(XeroError::invalid_argument(match state {
            Some(_) => format!("no authorization with that state is pending for organisation \"{name}\""),
            None => format!("no authorization is pending for organisation \"{name}\""),
        })
        .with_detail("Authorizations expire after an hour and can be completed once.")
        .with_hint(format!("Start again with SELECT xero_authorize_url('{name}', '<redirect uri>');"))),
        Some((_, server, _, _)) if &server != name => Err(XeroError::new(
            ErrorKind::InvalidArgument,
            format!("this authorization was started for organisation \"{server}\", not \"{name}\""),
        )),
        Some((state, _, redirect_uri, code_verifier)) => Ok(Pending { state, redirect_uri, code_verifier }),
    }
}

/// Stores a refresh token obtained elsewhere (e.g. from another tool's consent flow), proving it
/// with an immediate refresh, and lists the tenants it covers.
#[pg_extern]
fn xero_connect(org: &str, refresh_token: &str) -> TableIterator<
    'static,
    (
        name!(tenant_id, Option<pgrx::Uuid>),
        name!(tenant_name, Option<String>),
        name!(tenant_type, Option<String>),
        name!(connection_id, Option<pgrx::Uuid>),
    ),
> {
    let run = || -> Result<TenantRows> {
        let org = resolve_org(org)?;
        require_oauth2(&org)?;
        org.config.client_credentials()?;
        crate::pg::report::register_secret(refresh_token.trim());
        if refresh_token.trim().is_empty() {
            return Err(XeroError::invalid_argument("refresh_token is empty"));
        }
        let answer = worker::run(&org, Job::Connect { refresh_token: refresh_token.trim().to_string() })?;
        Ok(tenant_rows(fetch_connections(&org, Some(&answer.access_token))?))
    };
    run().or_raise_for(org, "xero_connect")
}

/// The tenants (organisations) the server's token set may reach.
#[pg_extern]
fn xero_tenants(org: &str) -> TableIterator<
    'static,
    (
        name!(tenant_id, Option<pgrx::Uuid>),
        name!(tenant_name, Option<String>),
        name!(tenant_type, Option<String>),
        name!(connection_id, Option<pgrx::Uuid>),
    ),
> {
    let run = || -> Result<TenantRows> {
        let org = resolve_org(org)?;
        if org.config.auth.is_oauth1() {
            return Err(XeroError::invalid_argument(format!(
                "organisation \"{}\" uses OAuth 1.0a, whose tokens reach one organisation and have no /connections",
                org.config.server_name
            ))
            .with_hint(format!("SELECT * FROM xero_organisation('{}') shows which.", org.config.server_name)));
        }
        Ok(tenant_rows(fetch_connections(&org, None)?))
    };
    run().or_raise_for(org, "xero_tenants")
}

extension_sql!(
    r#"
COMMENT ON FUNCTION xero_authorize_url(text, text, text) IS 'Starts OAuth 2.0 authorization of an organisation: returns Xero''s consent URL (with state and a PKCE challenge) for the given redirect URI and scopes (NULL: the server''s scopes option or read scopes with offline_access).';
COMMENT ON FUNCTION xero_complete_authorization(text, text) IS 'Completes an authorization from the URL Xero redirected to (or its code): exchanges the code, stores the token set durably and returns the tenants it covers.';
COMMENT ON FUNCTION xero_connect(text, text) IS 'Stores a refresh token obtained elsewhere for the organisation''s token set, refreshing it once to prove it, and returns the tenants it covers.';
COMMENT ON FUNCTION xero_tenants(text) IS 'Lists the tenants (Xero organisations) that the organisation''s token set can reach (GET /connections).';
"#,
    name = "authorize_comments",
    requires = [xero_authorize_url, xero_complete_authorization, xero_connect, xero_tenants]
);
