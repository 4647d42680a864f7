//! OAuth 1.0a organisations against the bundled server: its consumers (public, private and
//! partner apps), a server and user mapping per app, the user's consent in a "browser", and a
//! partner organisation authorized over mutual TLS.

use std::path::Path;
use std::sync::Arc;

use xero_mock::test_pki::TestPki;
use xero_mock::{Config, MockHandle, Oauth1AppKind, Oauth1Consumer};

use crate::{mock, use_client_certificate, TestDb};

/// A key or certificate of the bundled server's test apps.
pub fn key(name: &str) -> String {
    std::fs::read_to_string(format!("{}/../crates/xero-mock/tests/keys/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

pub fn consumers() -> Vec<Oauth1Consumer> {
    let mut c = Config::default().oauth1_consumers;
    c.push(Oauth1Consumer { key: "private-consumer".into(), kind: Oauth1AppKind::Private, secret: String::new(), rsa_public_key_pem: Some(key("private_app.cer")) });
    c.push(Oauth1Consumer { key: "partner-consumer".into(), kind: Oauth1AppKind::Partner, secret: String::new(), rsa_public_key_pem: Some(key("partner_app.pub.pem")) });
    c
}

/// The bundled server with the OAuth 1.0a apps, over HTTPS requiring `pki`'s client certificate
/// when given.
pub fn oauth1_mock(tls: Option<&TestPki>) -> MockHandle {
    oauth1_mock_with(tls.map(|p| p.tls_config(true)))
}

pub fn oauth1_mock_with(tls: Option<xero_mock::TlsConfig>) -> MockHandle {
    mock(Config { invoices: 120, contacts: 20, oauth1_consumers: consumers(), tls, ..Config::default() })
}

/// An organisation `name` of app kind `auth` (`oauth1_public` …) with a PUBLIC user mapping.
pub fn server(c: &mut postgres::Client, m: &MockHandle, name: &str, auth: &str, consumer: &str, secret: &str) {
    let base = m.base_url();
    c.batch_execute(&format!(
        "CREATE SERVER {name} FOREIGN DATA WRAPPER xero_fdw OPTIONS (auth '{auth}', api_url '{base}/api.xro/2.0');
         CREATE USER MAPPING FOR PUBLIC SERVER {name} OPTIONS (consumer_key '{consumer}'{});",
        if secret.is_empty() { String::new() } else { format!(", consumer_secret '{secret}'") }
    ))
    .unwrap();
}

/// A private or partner organisation `name` (`auth`), with the bundled app's RSA key stored.
pub fn rsa_server(c: &mut postgres::Client, m: &MockHandle, name: &str, auth: &str, consumer: &str) {
    server(c, m, name, auth, consumer, "");
    let file = if auth == "oauth1_private" { "private_app.key" } else { "partner_app.key" };
    c.query(&format!("SELECT xero_oauth1_set_rsa_key('{name}', $1)"), &[&key(file)]).unwrap();
}

/// The user's browser: follows the authorize URL, returns where Xero redirected (with the verifier).
pub fn consent(url: &str, pki_dir: Option<&Path>) -> String {
    let mut cmd = std::process::Command::new("curl");
    cmd.args(["-s", "-o", "/dev/null", "-w", "%{redirect_url}", "--max-time", "10"]);
    if let Some(dir) = pki_dir {
        cmd.arg("--cacert").arg(dir.join("ca.pem")).arg("--cert").arg(dir.join("client.pem")).arg("--key").arg(dir.join("client.key"));
    }
    let out = cmd.arg(url).output().expect("curl");
    let location = String::from_utf8(out.stdout).unwrap();
    assert!(location.contains("oauth_verifier="), "no verifier in redirect: {location:?}");
    location
}

/// A public organisation "pub", authorized three-legged.
pub fn authorized_public(c: &mut postgres::Client, m: &MockHandle) {
    server(c, m, "pub", "oauth1_public", "public-consumer", "public-secret");
    let url: String = c.query_one("SELECT xero_oauth1_request_token('pub', 'http://127.0.0.1:9/callback')", &[]).unwrap().get(0);
    c.query("SELECT xero_oauth1_access_token('pub', $1)", &[&consent(&url, None)]).unwrap();
}

/// A partner organisation "partner" over mutual TLS, authorized three-legged.
pub fn partner(pki: &TestPki, test: &str) -> (MockHandle, Arc<TestDb>, postgres::Client) {
    let m = oauth1_mock(Some(pki));
    let pki_dir = use_client_certificate(&m, pki);
    let db = Arc::new(TestDb::new(test));
    let mut c = db.superuser();
    rsa_server(&mut c, &m, "partner", "oauth1_partner", "partner-consumer");
    c.query("SELECT xero_set_trusted_roots('partner', $1)", &[&pki.ca_cert_pem.as_bytes()]).unwrap();
    let summary: String = c.query_one("SELECT xero_set_client_certificate('partner', $1, 'p12-password')", &[&pki.client_p12("p12-password")]).unwrap().get(0);
    assert!(summary.contains("client certificate for"), "{summary}");
    let url: String = c.query_one("SELECT xero_oauth1_request_token('partner', 'http://127.0.0.1:9/cb')", &[]).unwrap().get(0);
    let redirected = consent(&url, Some(&pki_dir));
    c.query("SELECT xero_oauth1_access_token('partner', $1)", &[&redirected]).unwrap();
    (m, db, c)
}
