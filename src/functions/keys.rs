//! Setting an organisation's key material: the OAuth 1.0a RSA key, a TLS client certificate,
//! extra trusted roots. Owner of the server only; what is stored is never returned
//! (`tokens::keys` stores and loads it).

use pgrx::prelude::*;
use xero_core::tls::{client_identity, trusted_roots};
use xero_core::{Result, XeroError};

use crate::pg::report::{register_secret, OrRaise};
use crate::tokens::keys::{resolve_owned, store};

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
