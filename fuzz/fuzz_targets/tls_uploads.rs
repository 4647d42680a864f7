//! Uploaded key material: client certificates (`tls::client_identity`: PEM with the key in it
//! or given apart, PKCS#12 with a password), trusted roots (`tls::trusted_roots`: PEM bundle or
//! one DER certificate) and OAuth 1.0a RSA private keys (`xero_oauth1::sign` with RSA-SHA1
//! parses the PEM: PKCS#1/PKCS#8, forgiving whitespace and literal `\n`). Never a panic; an
//! accepted identity is PEM with a certificate and a private key, and its summary never holds
//! the key; accepted roots are a non-empty PEM bundle.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use xero_core::tls::{client_identity, trusted_roots};
use xero_oauth1::{sign, SignatureMethod};

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    password: Option<&'a str>,
    private_key_pem: Option<&'a str>,
    upload: &'a [u8],
}

fuzz_target!(|input: Input| {
    if let Ok((pem, summary)) = client_identity(input.upload, input.password, input.private_key_pem) {
        assert!(pem.contains("-----BEGIN CERTIFICATE-----"));
        assert!(pem.contains("PRIVATE KEY-----"));
        assert!(!summary.contains("PRIVATE KEY"), "{summary}");
    }
    if let Ok((pem, n)) = trusted_roots(input.upload) {
        assert!(n >= 1 && pem.contains("-----BEGIN CERTIFICATE-----"));
    }
    if let Ok(text) = std::str::from_utf8(input.upload) {
        let _ = sign("GET&x&y", SignatureMethod::RsaSha1, "", "", Some(text));
    }
    if let Some(key) = input.private_key_pem {
        let _ = sign("GET&x&y", SignatureMethod::RsaSha1, "", "", Some(key));
    }
});
