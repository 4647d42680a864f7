//! TLS the way Xero partner apps needed it: a client certificate (PEM, or PKCS#12 .p12/.pfx with
//! its password), extra trusted roots (PEM or DER), and an HTTPS proxy, per organisation. Uploads
//! are normalised to PEM here so the HTTP client has one form to load.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::error::{ErrorKind, Result, XeroError};

/// What an organisation's HTTP client needs beyond the defaults.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct TlsMaterial {
    /// Client certificate chain and private key, PEM.
    pub client_identity_pem: Option<String>,
    /// Extra trusted root certificates, PEM.
    pub trusted_roots_pem: Option<String>,
    /// An http(s) proxy URL.
    pub proxy: Option<String>,
}

impl std::fmt::Debug for TlsMaterial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsMaterial")
            .field("client_identity", &self.client_identity_pem.as_ref().map(|_| "<set>"))
            .field("trusted_roots", &self.trusted_roots_pem.as_ref().map(|r| pem_blocks(r, "CERTIFICATE")))
            .field("proxy", &self.proxy)
            .finish()
    }
}

impl TlsMaterial {
    pub fn is_default(&self) -> bool {
        *self == TlsMaterial::default()
    }
}

fn pem(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn pem_blocks(text: &str, label: &str) -> usize {
    text.matches(&format!("-----BEGIN {label}-----")).count()
}

fn has_private_key(text: &str) -> bool {
    ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"].iter().any(|l| pem_blocks(text, l) > 0)
}

fn bad_certificate(message: impl Into<String>) -> XeroError {
    XeroError::new(ErrorKind::InvalidArgument, message)
}

/// A client identity from what the user uploaded: PEM (certificate, and the key either in it or
/// given apart) or PKCS#12 DER with its password. Returns the PEM and a summary without the key.
pub fn client_identity(upload: &[u8], password: Option<&str>, private_key_pem: Option<&str>) -> Result<(String, String)> {
    let as_text = std::str::from_utf8(upload).ok().filter(|t| t.contains("-----BEGIN "));
    let identity = match as_text {
        Some(text) => {
            let mut pem_text = text.to_string();
            if let Some(key) = private_key_pem {
                pem_text.push('\n');
                pem_text.push_str(key);
            }
            if !has_private_key(&pem_text) {
                return Err(bad_certificate("the PEM client certificate comes without its private key")
                    .with_hint("Pass the key as private_key_pem, or upload a PKCS#12 (.p12/.pfx) file with its password."));
            }
            pem_text
        }
        None => {
            let store = p12_keystore::KeyStore::from_pkcs12(upload, password.unwrap_or(""), p12_keystore::Pkcs12ImportPolicy::Relaxed)
                .map_err(|e| {
                    bad_certificate(format!("the client certificate is neither PEM nor a readable PKCS#12 file: {e}"))
                        .with_hint("Check the password; a .p12/.pfx must hold the certificate and its private key.")
                })?;
            let (_, chain) = store.private_key_chain().ok_or_else(|| bad_certificate("the PKCS#12 file holds no private key with a certificate"))?;
            let mut out = String::new();
            for cert in chain.certs() {
                out.push_str(&pem("CERTIFICATE", cert.as_der()));
            }
            out.push_str(&pem("PRIVATE KEY", chain.key().as_der()));
            out
        }
    };
    let certificates = pem_blocks(&identity, "CERTIFICATE");
    if certificates == 0 {
        return Err(bad_certificate("no certificate found in the client certificate upload"));
    }
    reqwest::Identity::from_pem(identity.as_bytes())
        .map_err(|e| bad_certificate(format!("the client certificate and key do not form a usable TLS identity: {e}")))?;
    let subject = first_certificate_der(&identity)
        .and_then(|der| p12_keystore::Certificate::from_der(&der).ok())
        .map(|c| c.subject().to_string())
        .ok_or_else(|| bad_certificate("the client certificate is not a valid X.509 certificate"))?;
    Ok((identity, format!("client certificate for {subject} stored ({certificates} certificate(s) and a private key)")))
}

fn first_certificate_der(pem_text: &str) -> Option<Vec<u8>> {
    let body: String = pem_text.split("-----BEGIN CERTIFICATE-----").nth(1)?.split("-----END CERTIFICATE-----").next()?.split_whitespace().collect();
    STANDARD.decode(body).ok()
}

/// Extra trusted roots from PEM (one or more) or a single DER certificate (.cer).
pub fn trusted_roots(upload: &[u8]) -> Result<(String, usize)> {
    let text = match std::str::from_utf8(upload).ok().filter(|t| t.contains("-----BEGIN CERTIFICATE-----")) {
        Some(t) => t.to_string(),
        None => pem("CERTIFICATE", upload),
    };
    let certs = reqwest::Certificate::from_pem_bundle(text.as_bytes())
        .map_err(|e| bad_certificate(format!("the trusted roots are neither PEM nor a DER certificate: {e}")))?;
    if certs.is_empty() {
        return Err(bad_certificate("no certificate found in the trusted roots upload"));
    }
    // from_pem_bundle is lenient; check each certificate parses as DER too.
    for block in text.split("-----END CERTIFICATE-----").filter(|b| b.contains("-----BEGIN CERTIFICATE-----")) {
        let body: String = block.split("-----BEGIN CERTIFICATE-----").nth(1).unwrap_or("").split_whitespace().collect();
        let der = STANDARD.decode(body).map_err(|_| bad_certificate("a trusted root is not valid base64"))?;
        p12_keystore::Certificate::from_der(&der).map_err(|e| bad_certificate(format!("a trusted root is not an X.509 certificate: {e}")))?;
    }
    Ok((text, certs.len()))
}

/// Builds an HTTP client with the organisation's TLS material on top of `builder`.
pub fn apply(mut builder: reqwest::ClientBuilder, tls: &TlsMaterial) -> Result<reqwest::ClientBuilder> {
    if let Some(identity) = &tls.client_identity_pem {
        let id = reqwest::Identity::from_pem(identity.as_bytes())
            .map_err(|e| XeroError::new(ErrorKind::InvalidOption, format!("the stored client certificate is unusable: {e}")))?;
        builder = builder.identity(id);
    }
    if let Some(roots) = &tls.trusted_roots_pem {
        for cert in reqwest::Certificate::from_pem_bundle(roots.as_bytes())
            .map_err(|e| XeroError::new(ErrorKind::InvalidOption, format!("the stored trusted roots are unusable: {e}")))?
        {
            builder = builder.add_root_certificate(cert);
        }
    }
    if let Some(proxy) = &tls.proxy {
        let p = reqwest::Proxy::all(proxy).map_err(|e| XeroError::invalid_option(format!("proxy {proxy:?} is not usable: {e}")))?;
        builder = builder.proxy(p);
    } else {
        // Predictable: only the server's proxy option, never the environment of the postmaster.
        builder = builder.no_proxy();
    }
    Ok(builder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_uploads_are_refused_with_a_reason() {
        let e = client_identity(b"not a certificate", Some("pw"), None).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidArgument);
        assert!(e.message.contains("neither PEM nor a readable PKCS#12"), "{e}");
        let e = client_identity(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", None, None).unwrap_err();
        assert!(e.message.contains("without its private key"), "{e}");
        assert!(trusted_roots(b"\x30\x03\x02\x01\x01").is_err());
        assert!(trusted_roots(b"").is_err());
    }

    #[test]
    fn debug_never_shows_the_key() {
        let t = TlsMaterial { client_identity_pem: Some("-----BEGIN PRIVATE KEY-----SECRET".into()), ..TlsMaterial::default() };
        assert!(!format!("{t:?}").contains("SECRET"));
    }
}
