//! Key material of an organisation — the OAuth 1.0a RSA private key, a TLS client certificate,
//! extra trusted roots — stored in the private schema by the server's owner and never shown again.

use pgrx::pg_sys;
use pgrx::prelude::*;
use xero_core::tls::{client_identity, trusted_roots, TlsMaterial};
use xero_core::{ErrorKind, Result, XeroError};

use crate::catalog::{as_extension_owner, resolve_org, Org};
use crate::report::{register_secret, OrRaise};

#[derive(Default)]
pub struct KeyMaterial {
    pub rsa_private_key: Option<String>,
    pub tls: TlsMaterial,
}

fn spi_error(e: pgrx::spi::Error) -> XeroError {
    XeroError::internal("xero_fdw could not access its key table").with_detail(e.to_string())
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
fn resolve_owned(org_name: &str) -> Result<Org> {
    let org = resolve_org(org_name)?;
    // SAFETY: a catalog ownership check of a server that exists.
    let owner = unsafe { pg_sys::pg_foreign_server_ownercheck(org.server_oid, pg_sys::GetUserId()) };
    if !owner {
        return Err(XeroError::new(ErrorKind::PermissionDenied, format!("only the owner of organisation \"{org_name}\" may set its keys"))
            .with_hint(format!("Ask the owner of foreign server {org_name}, or a superuser.")));
    }
    Ok(org)
}

fn store(org_name: &str, column: &str, value: &str) -> Result<()> {
    let sql = format!(
        "INSERT INTO xero_fdw_private.key_material (server_name, {column}) VALUES ($1, $2) \
         ON CONFLICT (server_name) DO UPDATE SET {column} = excluded.{column}, updated_at = now()"
    );
    as_extension_owner(|| Spi::run_with_args(&sql, &[org_name.into(), value.into()])).map_err(spi_error)
}

/// Stores the RSA private key an OAuth 1.0a private or partner app signs with.
#[pg_extern]
fn xero_oauth1_set_rsa_key(org: &str, private_key_pem: &str) -> String {
    let run = || -> Result<String> {
        register_secret(private_key_pem);
        resolve_owned(org)?;
        // Signing once proves the key is a usable RSA private key before anything is stored.
        xero_oauth1::sign("probe", xero_oauth1::SignatureMethod::RsaSha1, "", "", Some(private_key_pem))
            .map_err(|e| XeroError::invalid_argument(format!("not a usable RSA private key: {e}")).with_hint("Give the PEM (PKCS#1 or PKCS#8) of the app's private key."))?;
        store(org, "rsa_private_key", private_key_pem)?;
        Ok(format!("RSA private key stored for organisation \"{org}\""))
    };
    run().or_raise("xero_oauth1_set_rsa_key")
}

/// Stores the TLS client certificate the organisation's calls present: PEM (with its key, or the
/// key given apart), or PKCS#12 (.p12/.pfx) with its password.
#[pg_extern]
fn xero_set_client_certificate(
    org: &str,
    certificate: &[u8],
    password: default!(Option<&str>, "NULL"),
    private_key_pem: default!(Option<&str>, "NULL"),
) -> String {
    let run = || -> Result<String> {
        if let Some(p) = password {
            register_secret(p);
        }
        if let Some(k) = private_key_pem {
            register_secret(k);
        }
        resolve_owned(org)?;
        let (identity, summary) = client_identity(certificate, password, private_key_pem)?;
        store(org, "client_identity", &identity)?;
        Ok(summary)
    };
    run().or_raise("xero_set_client_certificate")
}

/// Adds certificates the organisation's TLS connections trust besides the system's roots
/// (PEM, one or more; or one DER .cer). Replaces any stored before.
#[pg_extern]
fn xero_set_trusted_roots(org: &str, certificates: &[u8]) -> String {
    let run = || -> Result<String> {
        resolve_owned(org)?;
        let (pem, n) = trusted_roots(certificates)?;
        store(org, "trusted_roots", &pem)?;
        Ok(format!("{n} trusted root certificate(s) stored for organisation \"{org}\""))
    };
    run().or_raise("xero_set_trusted_roots")
}

extension_sql!(
    r#"
COMMENT ON FUNCTION xero_oauth1_set_rsa_key(text, text) IS 'Stores the RSA private key (PEM, PKCS#1 or PKCS#8) an OAuth 1.0a private or partner app signs with, in xero_fdw''s private schema. Owner of the server only; the key is never shown again.';
COMMENT ON FUNCTION xero_set_client_certificate(text, bytea, text, text) IS 'Stores the TLS client certificate the organisation''s calls present: PEM with its key (or the key as private_key_pem), or PKCS#12 (.p12/.pfx) with its password. Owner of the server only; never shown again.';
COMMENT ON FUNCTION xero_set_trusted_roots(text, bytea) IS 'Stores extra root certificates (PEM bundle or one DER .cer) the organisation''s TLS connections trust besides the system roots. Owner of the server only.';
"#,
    name = "keys_comments",
    requires = [xero_oauth1_set_rsa_key, xero_set_client_certificate, xero_set_trusted_roots]
);
