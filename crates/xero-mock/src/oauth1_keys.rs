//! The RSA public keys of private and partner apps, read once at start-up so that a bad
//! key fails `spawn` rather than every request.
//!
//! Xero had developers upload an X.509 certificate (`publickey.cer`); a bare public key is
//! accepted too, in either SPKI (`PUBLIC KEY`) or PKCS#1 (`RSA PUBLIC KEY`) form.

use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use rsa::PublicKey;
use x509_cert::der::{DecodePem, Encode};

use crate::Oauth1Consumer;

/// One entry per consumer, in order: `Some(key)` where a PEM was given.
pub fn parse_consumers(consumers: &[Oauth1Consumer]) -> Result<Vec<Option<PublicKey>>, String> {
    consumers
        .iter()
        .map(|c| match &c.rsa_public_key_pem {
            Some(pem) => parse_public_key(pem)
                .map(Some)
                .map_err(|e| format!("OAuth 1.0a consumer '{}': {e}", c.key)),
            // A private or partner app without a key is allowed: Xero then answered its
            // calls with signature_method_rejected, and so does the mock.
            None => Ok(None),
        })
        .collect()
}

pub fn parse_public_key(pem: &str) -> Result<PublicKey, String> {
    let label = pem
        .split("-----BEGIN ")
        .nth(1)
        .and_then(|rest| rest.split_once("-----"))
        .map(|(label, _)| label)
        .ok_or("no PEM block found")?;
    match label {
        "CERTIFICATE" => {
            let cert = x509_cert::Certificate::from_pem(pem.trim())
                .map_err(|e| format!("bad certificate: {e}"))?;
            let spki = cert
                .tbs_certificate()
                .subject_public_key_info()
                .to_der()
                .map_err(|e| format!("bad certificate key: {e}"))?;
            PublicKey::from_public_key_der(&spki)
                .map_err(|e| format!("certificate key is not RSA: {e}"))
        }
        "PUBLIC KEY" => {
            PublicKey::from_public_key_pem(pem.trim()).map_err(|e| format!("bad public key: {e}"))
        }
        "RSA PUBLIC KEY" => {
            PublicKey::from_pkcs1_pem(pem.trim()).map_err(|e| format!("bad RSA public key: {e}"))
        }
        other => Err(format!(
            "expected CERTIFICATE, PUBLIC KEY or RSA PUBLIC KEY, found {other}"
        )),
    }
}
