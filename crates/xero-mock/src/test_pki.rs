//! Throwaway certificates for tests of the mock's HTTPS: a CA, a server certificate it
//! signed (SANs `127.0.0.1` and `localhost`) and a client certificate it signed, the way a
//! Xero partner app held an Entrust-issued client certificate. Made fresh at test time
//! (ECDSA P-256, quick to generate), never written anywhere unless asked.
//!
//! ```no_run
//! let pki = xero_mock::test_pki::TestPki::generate();
//! let mock = xero_mock::spawn(xero_mock::Config {
//!     tls: Some(pki.tls_config(true)), // true: require a client certificate
//!     ..Default::default()
//! })?;
//! // trust pki.ca_cert_pem; present pki.client_cert_pem + pki.client_key_pem,
//! // or pki.client_p12("password") where a client wants PKCS#12.
//! # Ok::<(), std::io::Error>(())
//! ```

use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SanType,
};

use crate::TlsConfig;

/// One CA with a server and a client certificate, all as PEM (keys are PKCS#8).
#[derive(Clone, Debug)]
pub struct TestPki {
    pub ca_cert_pem: String,
    pub server_cert_pem: String,
    pub server_key_pem: String,
    pub client_cert_pem: String,
    pub client_key_pem: String,
    ca_der: Vec<u8>,
    client_cert_der: Vec<u8>,
    client_key_der: Vec<u8>,
    /// The CA's parameters and key, so that `test_pki_servers` can issue more certificates.
    pub(crate) ca_params: CertificateParams,
    pub(crate) ca_key_pem: String,
}

impl TestPki {
    /// A new CA and certificates; each call makes an unrelated CA, so a second `TestPki`'s
    /// client certificate is an untrusted one for the first.
    pub fn generate() -> TestPki {
        let ca_key = KeyPair::generate().expect("CA key");
        let mut ca = CertificateParams::default();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        // A name of its own (from its key), as unrelated CAs have: with equal names a verifier
        // would take one CA's certificate for the other's and fail on the signature instead.
        let id: String = ca_key
            .public_key_raw()
            .iter()
            .take(4)
            .map(|b| format!("{b:02x}"))
            .collect();
        ca.distinguished_name
            .push(DnType::CommonName, format!("xero-mock test CA {id}"));
        ca.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_cert = ca.self_signed(&ca_key).expect("CA certificate");
        let (ca_params, ca_key_pem) = (ca.clone(), ca_key.serialize_pem());
        let issuer = Issuer::new(ca, ca_key);

        let server_key = KeyPair::generate().expect("server key");
        let mut server = CertificateParams::new(vec!["localhost".to_string()])
            .expect("server certificate parameters");
        server
            .subject_alt_names
            .push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        server
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let server_cert = server
            .signed_by(&server_key, &issuer)
            .expect("server certificate");

        let client_key = KeyPair::generate().expect("client key");
        let mut client = CertificateParams::default();
        client
            .distinguished_name
            .push(DnType::CommonName, "xero-mock test partner app");
        client.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let client_cert = client
            .signed_by(&client_key, &issuer)
            .expect("client certificate");

        TestPki {
            ca_cert_pem: ca_cert.pem(),
            server_cert_pem: server_cert.pem(),
            server_key_pem: server_key.serialize_pem(),
            client_cert_pem: client_cert.pem(),
            client_key_pem: client_key.serialize_pem(),
            ca_der: ca_cert.der().to_vec(),
            client_cert_der: client_cert.der().to_vec(),
            client_key_der: client_key.serialize_der(),
            ca_params,
            ca_key_pem,
        }
    }

    /// The mock's TLS settings: this server certificate, and with `require_client_cert`
    /// a client certificate from this CA.
    pub fn tls_config(&self, require_client_cert: bool) -> TlsConfig {
        TlsConfig {
            cert_pem: self.server_cert_pem.clone(),
            key_pem: self.server_key_pem.clone(),
            client_ca_pem: require_client_cert.then(|| self.ca_cert_pem.clone()),
        }
    }

    /// Client certificate then key, in one PEM (what `curl --cert` and libpq-style
    /// settings take).
    pub fn client_identity_pem(&self) -> String {
        format!("{}{}", self.client_cert_pem, self.client_key_pem)
    }

    /// The client certificate, its key and the CA as PKCS#12 (PBES2 with AES-256 and an
    /// HMAC-SHA256 MAC, which OpenSSL 3 reads without its legacy provider).
    pub fn client_p12(&self, password: &str) -> Vec<u8> {
        let key = p12_keystore::PrivateKey::from_der(&self.client_key_der).expect("PKCS#8 key");
        let chain = [&self.client_cert_der, &self.ca_der]
            .map(|der| p12_keystore::Certificate::from_der(der).expect("DER certificate"));
        let entry = p12_keystore::PrivateKeyChain::new(
            // Ties the key bag to its certificate bag; any bytes do, shared by both.
            b"xero-mock-client".as_slice(),
            key,
            chain,
        );
        let mut store = p12_keystore::KeyStore::new();
        store.add_entry(
            "xero-mock-client",
            p12_keystore::KeyStoreEntry::PrivateKeyChain(entry),
        );
        store.writer(password).write().expect("PKCS#12 encoding")
    }

    /// Writes `ca.pem`, `server.pem`, `server.key`, `client.pem`, `client.key` and
    /// `client.p12` (with `p12_password`) into `dir`, for the binary's `--tls-*` flags and
    /// for clients that read files.
    pub fn write_files(&self, dir: &Path, p12_password: &str) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join("ca.pem"), &self.ca_cert_pem)?;
        std::fs::write(dir.join("server.pem"), &self.server_cert_pem)?;
        std::fs::write(dir.join("server.key"), &self.server_key_pem)?;
        std::fs::write(dir.join("client.pem"), &self.client_cert_pem)?;
        std::fs::write(dir.join("client.key"), &self.client_key_pem)?;
        std::fs::write(dir.join("client.p12"), self.client_p12(p12_password))
    }
}
