//! The private token tables, through SPI. Callers run these as the extension's owner
//! (`catalog::as_extension_owner`); rows hold secrets, so nothing here formats a row into text.

use pgrx::prelude::*;
use xero_core::oauth2::TokenResponse;
use xero_core::{Result, XeroError};

pub struct TokenRow {
    pub client_id: String,
    pub access_token: Option<String>,
    /// The access token still has more than the requested margin to live.
    pub access_token_fresh: bool,
    pub refresh_token: Option<String>,
    pub token_secret: Option<String>,
    pub session_handle: Option<String>,
    pub needs_reauthorization: bool,
    pub last_error: Option<String>,
}

fn spi_error(e: pgrx::spi::Error) -> XeroError {
    XeroError::internal("xero_fdw could not access its token table").with_detail(e.to_string())
}

const SELECT_ROW: &str = "SELECT client_id, access_token, \
     coalesce(access_token_expires_at > clock_timestamp() + make_interval(secs => $2), false), \
     refresh_token, needs_reauthorization, last_error, token_secret, session_handle \
     FROM xero_fdw_private.token_sets WHERE name = $1";

fn row_from(t: &pgrx::spi::SpiHeapTupleData) -> Result<TokenRow> {
    Ok(TokenRow {
        client_id: t.get::<String>(1).map_err(spi_error)?.unwrap_or_default(),
        access_token: t.get::<String>(2).map_err(spi_error)?,
        access_token_fresh: t.get::<bool>(3).map_err(spi_error)?.unwrap_or(false),
        refresh_token: t.get::<String>(4).map_err(spi_error)?,
        needs_reauthorization: t.get::<bool>(5).map_err(spi_error)?.unwrap_or(false),
        last_error: t.get::<String>(6).map_err(spi_error)?,
        token_secret: t.get::<String>(7).map_err(spi_error)?,
        session_handle: t.get::<String>(8).map_err(spi_error)?,
    })
}

/// The token set `name`, judged fresh if it has more than `margin_seconds` to live.
pub fn read(name: &str, margin_seconds: i32) -> Result<Option<TokenRow>> {
    Spi::connect(|client| {
        let table = client.select(SELECT_ROW, Some(1), &[name.into(), (margin_seconds as f64).into()]).map_err(spi_error)?;
        match table.into_iter().next() {
            Some(t) => Ok(Some(row_from(&t)?)),
            None => Ok(None),
        }
    })
}

/// Like `read`, but locks the row until the transaction ends: concurrent refreshers queue here.
pub fn read_for_update(name: &str, margin_seconds: i32) -> Result<Option<TokenRow>> {
    Spi::connect_mut(|client| {
        let sql = format!("{SELECT_ROW} FOR UPDATE");
        let table = client.update(sql.as_str(), Some(1), &[name.into(), (margin_seconds as f64).into()]).map_err(spi_error)?;
        match table.into_iter().next() {
            Some(t) => Ok(Some(row_from(&t)?)),
            None => Ok(None),
        }
    })
}

/// Stores a token set obtained by authorization (code exchange or a given refresh token),
/// replacing whatever the name held.
pub fn store_authorized(name: &str, client_id: &str, tokens: &TokenResponse) -> Result<()> {
    Spi::connect_mut(|client| {
        client
            .update(
                "INSERT INTO xero_fdw_private.token_sets AS t \
                   (name, client_id, access_token, access_token_expires_at, refresh_token, scopes, authorized_at) \
                 VALUES ($1, $2, $3, clock_timestamp() + make_interval(secs => $4), $5, $6, clock_timestamp()) \
                 ON CONFLICT (name) DO UPDATE SET client_id = excluded.client_id, access_token = excluded.access_token, \
                   access_token_expires_at = excluded.access_token_expires_at, refresh_token = excluded.refresh_token, \
                   scopes = excluded.scopes, authorized_at = excluded.authorized_at, needs_reauthorization = false, last_error = NULL",
                None,
                &[
                    name.into(),
                    client_id.into(),
                    tokens.access_token.as_str().into(),
                    (tokens.expires_in as f64).into(),
                    tokens.refresh_token.as_deref().into(),
                    tokens.scope.as_deref().into(),
                ],
            )
            .map(|_| ())
            .map_err(spi_error)
    })
}

/// Stores the result of a refresh. A response without a refresh token keeps the old one.
pub fn store_refreshed(name: &str, tokens: &TokenResponse) -> Result<()> {
    Spi::connect_mut(|client| {
        client
            .update(
                "UPDATE xero_fdw_private.token_sets SET access_token = $2, \
                   access_token_expires_at = clock_timestamp() + make_interval(secs => $3), \
                   refresh_token = coalesce($4, refresh_token), refresh_count = refresh_count + 1, \
                   refreshed_at = clock_timestamp(), needs_reauthorization = false, last_error = NULL \
                 WHERE name = $1",
                None,
                &[name.into(), tokens.access_token.as_str().into(), (tokens.expires_in as f64).into(), tokens.refresh_token.as_deref().into()],
            )
            .map(|_| ())
            .map_err(spi_error)
    })
}

/// Stores an OAuth 1.0a access token (from the token exchange or a partner renewal). A renewal
/// keeps the session handle it was given when Xero sends none.
pub fn store_oauth1(name: &str, consumer_key: &str, token: &xero_core::oauth1_flow::Token) -> Result<()> {
    Spi::connect_mut(|client| {
        client
            .update(
                "INSERT INTO xero_fdw_private.token_sets AS t \
                   (name, client_id, access_token, token_secret, session_handle, access_token_expires_at, authorized_at) \
                 VALUES ($1, $2, $3, $4, $5, clock_timestamp() + make_interval(secs => coalesce($6, 1800)), clock_timestamp()) \
                 ON CONFLICT (name) DO UPDATE SET client_id = excluded.client_id, access_token = excluded.access_token, \
                   token_secret = excluded.token_secret, session_handle = coalesce(excluded.session_handle, t.session_handle), \
                   access_token_expires_at = excluded.access_token_expires_at, refresh_token = NULL, \
                   refresh_count = t.refresh_count + 1, refreshed_at = clock_timestamp(), needs_reauthorization = false, last_error = NULL",
                None,
                &[
                    name.into(),
                    consumer_key.into(),
                    token.token.as_str().into(),
                    token.secret.as_str().into(),
                    token.session_handle.as_deref().into(),
                    token.expires_in.map(|s| s as f64).into(),
                ],
            )
            .map(|_| ())
            .map_err(spi_error)
    })
}

/// Records that Xero refused the grant: queries fail fast with the reason until re-authorized.
pub fn mark_needs_reauthorization(name: &str, why: &str) -> Result<()> {
    Spi::connect_mut(|client| {
        client
            .update(
                "UPDATE xero_fdw_private.token_sets SET needs_reauthorization = true, last_error = $2, access_token = NULL \
                 WHERE name = $1",
                None,
                &[name.into(), why.into()],
            )
            .map(|_| ())
            .map_err(spi_error)
    })
}

/// No token set: the organisation was never authorized (the steps depend on its app kind).
pub fn not_authorized(config: &xero_core::options::OrgConfig) -> XeroError {
    xero_core::reauthorize::not_authorized(&config.server_name, &config.token_set, config.auth)
}
