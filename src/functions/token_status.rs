//! What a DBA needs to know about token sets without seeing a token: which organisations are
//! authorized, until when, and which must be authorized again.

use pgrx::prelude::*;
use xero_core::{Result, XeroError};

use crate::pg::catalog::{as_extension_owner, with_latest_snapshot};
use crate::pg::report::OrRaise;

type Row = (
    String,
    Option<String>,
    bool,
    Option<pgrx::datum::TimestampWithTimeZone>,
    bool,
    Option<String>,
    i64,
    Option<pgrx::datum::TimestampWithTimeZone>,
    Option<pgrx::datum::TimestampWithTimeZone>,
);

fn spi_error(e: pgrx::spi::Error) -> XeroError {
    XeroError::internal("xero_fdw could not read its token table").with_detail(e.to_string())
}

/// The token sets of the organisations the current user may use (all of them for a superuser).
#[pg_extern]
fn xero_token_sets() -> TableIterator<
    'static,
    (
        name!(token_set, String),
        name!(client_id, Option<String>),
        name!(has_refresh_token, bool),
        name!(access_token_expires_at, Option<pgrx::datum::TimestampWithTimeZone>),
        name!(needs_reauthorization, bool),
        name!(last_error, Option<String>),
        name!(refresh_count, i64),
        name!(authorized_at, Option<pgrx::datum::TimestampWithTimeZone>),
        name!(refreshed_at, Option<pgrx::datum::TimestampWithTimeZone>),
    ),
> {
    let run = || -> Result<Vec<Row>> {
        // Which token sets the caller may know of: those of xero_fdw servers it has USAGE on,
        // decided as the caller, before reading the private table as the owner.
        let visible: Vec<String> = Spi::connect(|client| {
            let t = client.select(
                "SELECT coalesce((SELECT substr(o, 11) FROM unnest(s.srvoptions) o WHERE o LIKE 'token_set=%'), s.srvname)::text \
                 FROM pg_catalog.pg_foreign_server s JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw \
                 WHERE w.fdwname = 'xero_fdw' AND has_server_privilege(s.oid, 'USAGE')",
                None,
                &[],
            )?;
            t.into_iter().map(|r| r.get::<String>(1).map(Option::unwrap_or_default)).collect::<std::result::Result<Vec<_>, _>>()
        })
        .map_err(spi_error)?;
        as_extension_owner(|| {
            with_latest_snapshot(|| {
                Spi::connect(|client| {
                    let t = client.select(
                        "SELECT name, client_id, refresh_token IS NOT NULL OR session_handle IS NOT NULL, access_token_expires_at, \
                                needs_reauthorization, last_error, refresh_count, authorized_at, refreshed_at \
                         FROM xero_fdw_private.token_sets WHERE name = ANY($1) ORDER BY name",
                        None,
                        &[visible.clone().into()],
                    )?;
                    t.into_iter()
                        .map(|r| {
                            Ok((
                                r.get::<String>(1)?.unwrap_or_default(),
                                r.get::<String>(2)?,
                                r.get::<bool>(3)?.unwrap_or(false),
                                r.get::<pgrx::datum::TimestampWithTimeZone>(4)?,
                                r.get::<bool>(5)?.unwrap_or(false),
                                r.get::<String>(6)?,
                                r.get::<i64>(7)?.unwrap_or(0),
                                r.get::<pgrx::datum::TimestampWithTimeZone>(8)?,
                                r.get::<pgrx::datum::TimestampWithTimeZone>(9)?,
                            ))
                        })
                        .collect::<std::result::Result<Vec<Row>, pgrx::spi::Error>>()
                })
            })
        })
        .map_err(spi_error)
    };
    TableIterator::new(run().or_raise("xero_token_sets"))
}

extension_sql!(
    r#"
COMMENT ON FUNCTION xero_token_sets() IS 'The token sets of the organisations the current user has USAGE on (all for a superuser): client id, whether a refresh token or session handle is held, when the access token expires, whether Xero refused it (needs_reauthorization, last_error), refresh count and times. Never a token.';
"#,
    name = "token_status_comment",
    requires = [xero_token_sets]
);
