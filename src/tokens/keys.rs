//! Key material of an organisation — the OAuth 1.0a RSA private key, a TLS client certificate,
//! extra trusted roots — stored in the private schema by the server's owner and never shown again.
//! Here: reading it for a call, and writing it for the setter functions (`functions::keys`).

use pgrx::pg_sys;
use pgrx::prelude::*;
use xero_core::tls::TlsMaterial;
use xero_core::{ErrorKind, Result, XeroError};

use crate::pg::catalog::{as_extension_owner, resolve_org, Org};
use crate::pg::report::register_secret;

#[derive(Default)]
pub struct KeyMaterial {
    pub rsa_private_key: Option<String>,
    pub tls: TlsMaterial,
}

fn spi_error(e: pgrx::spi::Error) -> XeroError {
    XeroError::internal("xero_fdw could not access its key table").with_detail(e.to_string())
}

/// Whether the organisation presents a TLS client certificate (without reading it).
pub fn has_client_identity(org_name: &str) -> Result<bool> {
    as_extension_owner(|| {
        Spi::get_one_with_args::<bool>(
            "SELECT EXISTS (SELECT 1 FROM xero_fdw_private.key_material WHERE server_name = $1 AND client_identity IS NOT NULL)",
            &[org_name.into()],
        )
    })
    .map(|b| b.unwrap_or(false))
    .map_err(spi_error)
}

/// The organisation's key material, with its proxy option. Reads as the extension's owner.
pub fn load(org_name: &str, proxy: Option<&str>) -> Result<KeyMaterial> {
    let row = as_extension_owner(|| {
        Spi::connect(|client| {
            let table = client
                .select(
                    "SELECT rsa_private_key, client_identity, trusted_roots FROM xero_fdw_private.key_material WHERE server_name = $1",
                    Some(1),
                    &[org_name.into()],
                )
                .map_err(spi_error)?;
            match table.into_iter().next() {
                None => Ok::<_, XeroError>((None, None, None)),
                Some(t) => Ok((
                    t.get::<String>(1).map_err(spi_error)?,
                    t.get::<String>(2).map_err(spi_error)?,
                    t.get::<String>(3).map_err(spi_error)?,
                )),
            }
        })
    })?;
    if let Some(k) = &row.0 {
        register_secret(k);
    }
    Ok(KeyMaterial {
        rsa_private_key: row.0,
        tls: TlsMaterial { client_identity_pem: row.1, trusted_roots_pem: row.2, proxy: proxy.map(str::to_string) },
    })
}

/// Only the server's owner (or a superuser) may change its keys; USAGE is not enough.
pub fn resolve_owned(org_name: &str) -> Result<Org> {
    let org = resolve_org(org_name)?;
    // SAFETY: a catalog ownership check of a server that exists.
    let owner = unsafe { pg_sys::pg_foreign_server_ownercheck(org.server_oid, pg_sys::GetUserId()) };
    if !owner {
        return Err(XeroError::new(ErrorKind::PermissionDenied, format!("only the owner of organisation \"{org_name}\" may set its keys"))
            .with_hint(format!("Ask the owner of foreign server {org_name}, or a superuser.")));
    }
    Ok(org)
}

pub fn store(org_name: &str, column: &str, value: &str) -> Result<()> {
    let sql = format!(
        "INSERT INTO xero_fdw_private.key_material (server_name, {column}) VALUES ($1, $2) \
         ON CONFLICT (server_name) DO UPDATE SET {column} = excluded.{column}, updated_at = now()"
    );
    as_extension_owner(|| Spi::run_with_args(&sql, &[org_name.into(), value.into()])).map_err(spi_error)
}
