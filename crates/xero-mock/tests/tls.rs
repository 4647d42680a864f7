//! HTTPS with client certificates, certificates from `xero_mock::test_pki`.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::oauth1::{self as o, field, Method, Signer};
use common::Mock;
use ureq::tls::{Certificate, ClientCert, PrivateKey, RootCerts, TlsConfig};
use xero_mock::test_pki::TestPki;

/// A client trusting `pki`'s CA and presenting `client` (cert PEM, key PEM), if any.
fn agent(pki: &TestPki, client: Option<(&str, &str)>) -> ureq::Agent {
    let ca = Certificate::from_pem(pki.ca_cert_pem.as_bytes()).unwrap();
    let cert = client.map(|(cert, key)| {
        ClientCert::new_with_certs(
            &[Certificate::from_pem(cert.as_bytes()).unwrap()],
            PrivateKey::from_pem(key.as_bytes()).unwrap(),
        )
    });
    let tls = TlsConfig::builder()
        .root_certs(RootCerts::new_with_certs(&[ca]))
        .client_cert(cert)
        .build();
    ureq::Agent::config_builder()
        .tls_config(tls)
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

fn mtls_config(pki: &TestPki) -> xero_mock::Config {
    xero_mock::Config {
        tls: Some(pki.tls_config(true)),
        ..o::config()
    }
}

#[test]
fn client_certificate_required_and_accepted() {
    let pki = TestPki::generate();
    let client = Some((pki.client_cert_pem.as_str(), pki.client_key_pem.as_str()));
    let m = Mock::start_with_agent(mtls_config(&pki), agent(&pki, client));
    assert!(m.base.starts_with("https://127.0.0.1:"), "{}", m.base);
    let (access, _) = m.tokens();
    let r = m.api(&access, 0, "Organisation");
    assert_eq!(r.status, 200, "{}", r.body);

    // The base string starts with https://, and PLAINTEXT is allowed now that TLS hides it.
    let url = format!("{}/oauth/RequestToken", m.base);
    let plain = Signer::new("public-consumer", "public-secret", Method::Plaintext);
    let h = plain.sign(&m, "POST", &url, &[], &[("oauth_callback", "oob")]);
    let r = m.post_form("/oauth/RequestToken", &[("authorization", &h)], &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(field(&r.body, "oauth_token").is_some());
    let wrong = Signer::new("public-consumer", "nope", Method::Plaintext);
    let h = wrong.sign(&m, "POST", &url, &[], &[("oauth_callback", "oob")]);
    let r = m.post_form("/oauth/RequestToken", &[("authorization", &h)], &[]);
    o::assert_problem(&r, "signature_invalid");
    // The partner flow over HTTPS, RSA-SHA1 over an https:// base string.
    let granted = o::three_legged(&m, &o::partner());
    let signer = o::partner().token(&granted.token, &granted.secret);
    assert_eq!(signer.api(&m, "Contacts").status, 200);
}

#[test]
fn handshake_fails_without_a_trusted_client_certificate() {
    let pki = TestPki::generate();
    let m = xero_mock::spawn(mtls_config(&pki)).unwrap();
    let url = format!("{}/__mock/clock", m.base_url());
    let err = agent(&pki, None).get(&url).call();
    // In TLS 1.3 the server's refusal arrives as an alert on the client's first read.
    let e = format!("{:?}", err.expect_err("no client certificate"));
    assert!(e.contains("CertificateRequired"), "{e}");

    let stranger = TestPki::generate();
    let untrusted = Some((
        stranger.client_cert_pem.as_str(),
        stranger.client_key_pem.as_str(),
    ));
    let err = agent(&pki, untrusted).get(&url).call();
    // Same CA name, other key: the chain does not verify, and the handshake ends in an alert.
    let e = format!("{:?}", err.expect_err("untrusted client certificate"));
    assert!(e.contains("AlertReceived"), "{e}");

    // Plain HTTP to the HTTPS port gets no HTTP answer either.
    let plain = url.replacen("https://", "http://", 1);
    let err = common::agent().get(&plain).call();
    assert!(err.is_err(), "plain HTTP: {err:?}");

    // With the right certificate the same server answers.
    let client = Some((pki.client_cert_pem.as_str(), pki.client_key_pem.as_str()));
    let r = agent(&pki, client).get(&url).call().unwrap();
    assert_eq!(r.status(), 200);
}

#[test]
fn server_only_tls_needs_no_client_certificate() {
    let pki = TestPki::generate();
    let mut config = xero_mock::Config {
        tls: Some(pki.tls_config(false)),
        ..o::config()
    };
    config.oauth1_consumers.push(xero_mock::Oauth1Consumer {
        key: "reserved-secret".into(),
        kind: xero_mock::Oauth1AppKind::Public,
        secret: "s+cret/1".into(),
        rsa_public_key_pem: None,
    });
    let m = Mock::start_with_agent(config, agent(&pki, None));
    // `localhost` is in the certificate too.
    let url = m.base.replace("127.0.0.1", "localhost");
    let r = agent(&pki, None)
        .get(format!("{url}/__mock/clock"))
        .call()
        .unwrap();
    assert_eq!(r.status(), 200);
    // The base string uses the host the client addressed (from Host), here localhost.
    let signer = o::private();
    let full = format!("{url}/api.xro/2.0/Organisation");
    let h = signer.sign(&m, "GET", &full, &[], &[]);
    let r = agent(&pki, None)
        .get(&full)
        .header("authorization", &h)
        .call()
        .unwrap();
    assert_eq!(r.status(), 200);

    // PLAINTEXT: the signature `enc(secret)&` is itself percent-encoded in the header (RFC
    // 5849 3.5.1). Sent raw, as oauth1-request does, it decodes to something else.
    let url = format!("{}/oauth/RequestToken", m.base);
    let plain = Signer::new("reserved-secret", "s+cret/1", Method::Plaintext);
    let h = plain.sign(&m, "POST", &url, &[], &[("oauth_callback", "oob")]);
    assert!(h.contains("oauth_signature=\"s%252Bcret%252F1%26\""), "{h}");
    let r = m.post_form("/oauth/RequestToken", &[("authorization", &h)], &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    let h = plain.sign(&m, "POST", &url, &[], &[("oauth_callback", "oob")]);
    let raw = h.replace("s%252Bcret%252F1%26", "s%2Bcret%2F1&");
    let r = m.post_form("/oauth/RequestToken", &[("authorization", &raw)], &[]);
    o::assert_problem(&r, "signature_invalid");
}

#[test]
fn client_p12_holds_the_client_key_and_chain() {
    let pki = TestPki::generate();
    let p12 = pki.client_p12("s3cret pass");
    let store = p12_keystore::KeyStore::from_pkcs12(
        &p12,
        "s3cret pass",
        p12_keystore::Pkcs12ImportPolicy::Strict,
    )
    .expect("reads back");
    let (_, chain) = store.private_key_chain().expect("a key with its chain");
    let client_der = Certificate::from_pem(pki.client_cert_pem.as_bytes()).unwrap();
    let key_der = PrivateKey::from_pem(pki.client_key_pem.as_bytes()).unwrap();
    assert_eq!(chain.certs().len(), 2);
    assert_eq!(chain.certs()[0].as_der(), client_der.der());
    assert_eq!(chain.key().as_der(), key_der.der());
    assert!(p12_keystore::KeyStore::from_pkcs12(
        &p12,
        "wrong",
        p12_keystore::Pkcs12ImportPolicy::Strict
    )
    .is_err());

    // OpenSSL, where installed, reads it too (without its legacy provider).
    let dir = scratch_dir("p12");
    pki.write_files(&dir, "s3cret pass").unwrap();
    match Command::new("openssl")
        .args([
            "pkcs12",
            "-in",
            "client.p12",
            "-passin",
            "pass:s3cret pass",
            "-nodes",
        ])
        .current_dir(&dir)
        .output()
    {
        Ok(out) => {
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(text.contains("xero-mock test partner app"), "{text}");
            assert!(text.contains("PRIVATE KEY"), "{text}");
        }
        Err(e) => eprintln!("openssl not run ({e}); checked with p12-keystore only"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn scratch_dir(tag: &str) -> std::path::PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    std::env::temp_dir().join(format!("xero-mock-{tag}-{}-{nanos}", std::process::id()))
}

#[test]
fn binary_serves_https_from_pem_files() {
    let pki = TestPki::generate();
    let dir = scratch_dir("bin");
    pki.write_files(&dir, "pw").unwrap();
    let path = |f: &str| dir.join(f).to_string_lossy().into_owned();
    let mut child = Command::new(env!("CARGO_BIN_EXE_xero-mock"))
        .args(["--invoices", "10", "--tenants", "1", "--exit-on-stdin-eof"])
        .args([
            "--tls-cert",
            &path("server.pem"),
            "--tls-key",
            &path("server.key"),
        ])
        .args(["--tls-client-ca", &path("ca.pem")])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("XERO_MOCK_URL=")
        .unwrap()
        .to_string();
    assert!(url.starts_with("https://127.0.0.1:"), "{line}");
    let client = Some((pki.client_cert_pem.as_str(), pki.client_key_pem.as_str()));
    let r = agent(&pki, client)
        .get(format!("{url}/__mock/clock"))
        .call()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(agent(&pki, None)
        .get(format!("{url}/__mock/clock"))
        .call()
        .is_err());
    drop(child.stdin.take());
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("xero-mock did not exit after stdin closed");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = std::fs::remove_dir_all(&dir);

    // A key without a certificate is a usage error.
    let out = Command::new(env!("CARGO_BIN_EXE_xero-mock"))
        .args(["--tls-key", "x"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}
