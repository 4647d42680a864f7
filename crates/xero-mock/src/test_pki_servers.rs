//! More server certificates from a `TestPki`'s CA, for the error paths of clients: one issued
//! for other host names than the one connected to, and one that has expired. Both are signed by
//! the same CA as the good one, so a client that trusts it fails for exactly that one reason.

use rcgen::{date_time_ymd, CertificateParams, DnType, ExtendedKeyUsagePurpose, Issuer, KeyPair};

use crate::test_pki::TestPki;
use crate::TlsConfig;

impl TestPki {
    fn issue_server(&self, names: &[&str], expired: bool, require_client_cert: bool) -> TlsConfig {
        let ca_key = KeyPair::from_pem(&self.ca_key_pem).expect("CA key");
        let issuer = Issuer::new(self.ca_params.clone(), ca_key);
        let key = KeyPair::generate().expect("server key");
        let mut params =
            CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
                .expect("server certificate parameters");
        params.distinguished_name.push(
            DnType::CommonName,
            names.first().copied().unwrap_or("server"),
        );
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        if expired {
            params.not_before = date_time_ymd(2020, 1, 1);
            params.not_after = date_time_ymd(2021, 1, 1);
        }
        let cert = params.signed_by(&key, &issuer).expect("server certificate");
        TlsConfig {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
            client_ca_pem: require_client_cert.then(|| self.ca_cert_pem.clone()),
        }
    }

    /// A server certificate from this CA that names only `names` (e.g. `["xero.example"]`, so
    /// that a client connecting to 127.0.0.1 finds it is for another host).
    pub fn tls_config_for_names(&self, names: &[&str]) -> TlsConfig {
        self.issue_server(names, false, false)
    }

    /// A server certificate from this CA, for `127.0.0.1` and `localhost`, that expired on
    /// 1 January 2021.
    pub fn expired_tls_config(&self) -> TlsConfig {
        self.issue_server(&["localhost", "127.0.0.1"], true, false)
    }
}
