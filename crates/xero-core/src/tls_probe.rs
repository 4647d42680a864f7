//! Why an HTTPS connection closed without an answer. Over HTTP/2 the TLS alert that closed it
//! (in TLS 1.3 a server that demands a client certificate says so after the handshake) ends
//! inside the HTTP/2 connection driver, and the request only hears "connection closed". A second,
//! bare TLS connection to the same host reads the alert the server sends and names the cause.
//! It presents no certificate and sends no request — nothing but a handshake — so the server's
//! certificate is not checked (an untrusted one would have failed the first connection already).
//! Skipped for organisations behind a proxy, which a direct connection would bypass.

use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tokio::io::AsyncReadExt;

use crate::tls_failure::{find, TlsFailure};

/// The TLS failure a bare handshake with `url`'s host meets within `timeout`, if any, with
/// rustls's words for it.
pub async fn probe(url: &str, timeout: Duration) -> Option<(TlsFailure, String)> {
    let url = url::Url::parse(url).ok().filter(|u| u.scheme() == "https")?;
    let host = url.host_str()?.trim_start_matches('[').trim_end_matches(']').to_string();
    let port = url.port_or_known_default()?;
    let handshake = async {
        let tcp = tokio::net::TcpStream::connect((host.as_str(), port)).await.ok()?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let schemes = provider.signature_verification_algorithms.supported_schemes();
        let mut config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .ok()?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(NotChecked(schemes)))
            .with_no_client_auth();
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        let name = ServerName::try_from(host.clone()).ok()?;
        let mut tls = match tokio_rustls::TlsConnector::from(Arc::new(config)).connect(name, tcp).await {
            Ok(tls) => tls,
            Err(e) => return find(&e).map(|f| (f, e.to_string())),
        };
        // TLS 1.3: the server judges the (empty) client certificate after the client's Finished,
        // so its alert arrives on the first read.
        let mut byte = [0u8; 1];
        match tls.read(&mut byte).await {
            Err(e) => find(&e).map(|f| (f, e.to_string())),
            Ok(_) => None,
        }
    };
    tokio::time::timeout(timeout, handshake).await.ok().flatten()
}

/// Accepts any server certificate: the probe sends nothing a server could misuse.
#[derive(Debug)]
struct NotChecked(Vec<SignatureScheme>);

impl ServerCertVerifier for NotChecked {
    fn verify_server_cert(&self, _: &CertificateDer<'_>, _: &[CertificateDer<'_>], _: &ServerName<'_>, _: &[u8], _: UnixTime) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(&self, _: &[u8], _: &CertificateDer<'_>, _: &DigitallySignedStruct) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }
    fn verify_tls13_signature(&self, _: &[u8], _: &CertificateDer<'_>, _: &DigitallySignedStruct) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.clone()
    }
}
