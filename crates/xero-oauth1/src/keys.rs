//! Reading RSA keys from PEM text, forgivingly where that is safe and with pointed messages where
//! it is not (Xero private and partner apps shipped keys as `.pem`, `.cer` and `.pfx` files, and
//! keys pasted into SQL often lose their newlines).

use std::cell::RefCell;
use std::rc::Rc;

use base64::Engine as _;
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::sha2::{Digest, Sha256};
use rsa::traits::PublicKeyParts;
use rsa::{PrivateKey, PublicKey};

use crate::error::{Error, KeyKind};

/// A decoded PEM block.
struct Pem {
    label: String,
    der: Vec<u8>,
}

fn invalid(kind: KeyKind, reason: impl Into<String>) -> Error {
    Error::InvalidRsaKey {
        kind,
        reason: reason.into(),
    }
}

/// Finds the first `-----BEGIN …-----` block and base64-decodes its body. Whitespace anywhere
/// in the body is ignored, and so are literal `\n` sequences: a PEM that went through JSON or an
/// SQL string literal often arrives as one line with backslash-n in it.
fn parse_pem(text: &str, kind: KeyKind) -> Result<Pem, Error> {
    let text = text.replace("\\r", "").replace("\\n", "\n");
    let begin = text.find("-----BEGIN ").ok_or_else(|| {
        invalid(
            kind,
            "no '-----BEGIN …-----' line found: expected PEM text (a binary .pfx/.p12 file must first be converted, e.g. `openssl pkcs12 -in key.pfx -nocerts -nodes`)",
        )
    })?;
    let after = &text[begin + "-----BEGIN ".len()..];
    let label_end = after
        .find("-----")
        .ok_or_else(|| invalid(kind, "the BEGIN line is not closed with '-----'"))?;
    let label = after[..label_end].trim().to_string();
    let body_and_rest = &after[label_end + 5..];
    let end_marker = format!("-----END {label}-----");
    let body_end = body_and_rest
        .find(&end_marker)
        .ok_or_else(|| invalid(kind, format!("no matching '-----END {label}-----' line")))?;
    let body = &body_and_rest[..body_end];
    if body.contains("Proc-Type:") || body.contains("DEK-Info:") {
        return Err(invalid(
            kind,
            "the key is encrypted with a passphrase; decrypt it first (e.g. `openssl rsa -in key.pem -out plain.pem`)",
        ));
    }
    let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|_| {
            invalid(
                kind,
                format!("the body of the {label} block is not valid base64"),
            )
        })?;
    Ok(Pem { label, der })
}

/// Reads a private key: PKCS#1 (`RSA PRIVATE KEY`) or PKCS#8 (`PRIVATE KEY`).
pub(crate) fn parse_private_key(pem: &str) -> Result<PrivateKey, Error> {
    let kind = KeyKind::Private;
    let pem = parse_pem(pem, kind)?;
    let key = match pem.label.as_str() {
        "RSA PRIVATE KEY" => PrivateKey::from_pkcs1_der(&pem.der)
            .map_err(|e| invalid(kind, format!("not a valid PKCS#1 RSA private key ({e})")))?,
        "PRIVATE KEY" => PrivateKey::from_pkcs8_der(&pem.der)
            .map_err(|e| invalid(kind, format!("not a valid PKCS#8 RSA private key ({e})")))?,
        "ENCRYPTED PRIVATE KEY" => {
            return Err(invalid(
                kind,
                "the PKCS#8 key is encrypted; decrypt it first (e.g. `openssl pkcs8 -in key.pem -out plain.pem`)",
            ))
        }
        "CERTIFICATE" | "PUBLIC KEY" | "RSA PUBLIC KEY" => {
            return Err(invalid(
                kind,
                format!("this is a {label} (public); signing needs the private key (the privatekey.pem that went with the certificate uploaded to Xero)", label = pem.label),
            ))
        }
        other => {
            return Err(invalid(
                kind,
                format!("unsupported PEM block '{other}': expected 'RSA PRIVATE KEY' or 'PRIVATE KEY'"),
            ))
        }
    };
    Ok(key)
}

/// Reads a public key: SPKI (`PUBLIC KEY`), PKCS#1 (`RSA PUBLIC KEY`), an X.509 `CERTIFICATE`
/// (the `.cer` uploaded to Xero), or a private key (its public half).
pub(crate) fn parse_public_key(pem: &str) -> Result<PublicKey, Error> {
    let kind = KeyKind::Public;
    let block = parse_pem(pem, kind)?;
    match block.label.as_str() {
        "PUBLIC KEY" => PublicKey::from_public_key_der(&block.der)
            .map_err(|e| invalid(kind, format!("not a valid RSA SubjectPublicKeyInfo ({e})"))),
        "RSA PUBLIC KEY" => PublicKey::from_pkcs1_der(&block.der)
            .map_err(|e| invalid(kind, format!("not a valid PKCS#1 RSA public key ({e})"))),
        "CERTIFICATE" => {
            let spki = certificate_spki(&block.der).ok_or_else(|| {
                invalid(kind, "the certificate's DER structure could not be read")
            })?;
            PublicKey::from_public_key_der(spki)
                .map_err(|e| invalid(kind, format!("the certificate does not hold an RSA key ({e})")))
        }
        "RSA PRIVATE KEY" | "PRIVATE KEY" => parse_private_key(pem).map(|k| PublicKey::from(&k)),
        other => Err(invalid(
            kind,
            format!("unsupported PEM block '{other}': expected 'PUBLIC KEY', 'RSA PUBLIC KEY' or 'CERTIFICATE'"),
        )),
    }
}

/// One DER TLV: (tag, contents, total length). Definite lengths only, as DER requires.
fn der_tlv(input: &[u8]) -> Option<(u8, &[u8], usize)> {
    let tag = *input.first()?;
    let first = *input.get(1)? as usize;
    let (len, header) = if first < 0x80 {
        (first, 2)
    } else {
        let n = first & 0x7F;
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | *input.get(2 + i)? as usize;
        }
        (len, 2 + n)
    };
    let contents = input.get(header..header.checked_add(len)?)?;
    Some((tag, contents, header + len))
}

/// Returns the DER of `subjectPublicKeyInfo` inside an X.509 certificate:
/// Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber,
/// signature, issuer, validity, subject, subjectPublicKeyInfo, … }, … } (RFC 5280 4.1).
fn certificate_spki(der: &[u8]) -> Option<&[u8]> {
    let (tag, cert, _) = der_tlv(der)?;
    if tag != 0x30 {
        return None;
    }
    let (tag, tbs, _) = der_tlv(cert)?;
    if tag != 0x30 {
        return None;
    }
    let mut rest = tbs;
    if rest.first() == Some(&0xA0) {
        let (_, _, n) = der_tlv(rest)?;
        rest = &rest[n..];
    }
    // serialNumber, signature, issuer, validity, subject
    for _ in 0..5 {
        let (_, _, n) = der_tlv(rest)?;
        rest = &rest[n..];
    }
    let (tag, _, n) = der_tlv(rest)?;
    (tag == 0x30).then(|| &rest[..n])
}

pub(crate) type SigningKey = rsa::pkcs1v15::SigningKey<sha1::Sha1>;

thread_local! {
    /// One parsed key per thread, keyed by a SHA-256 of the PEM text. Parsing and validating an
    /// RSA key costs about as much as signing with it, and a PostgreSQL backend signs every
    /// request with the same key; keeping a digest rather than the PEM avoids holding a second
    /// plaintext copy of the key (the parsed key zeroizes itself when dropped).
    static SIGNING_KEY_CACHE: RefCell<Option<([u8; 32], Rc<SigningKey>)>> = const { RefCell::new(None) };
}

/// The signing key for `pem`, parsed once per thread.
pub(crate) fn signing_key_for(pem: &str) -> Result<Rc<SigningKey>, Error> {
    let digest: [u8; 32] = Sha256::digest(pem.as_bytes()).into();
    if let Some(hit) = SIGNING_KEY_CACHE.with(|c| {
        c.borrow()
            .as_ref()
            .filter(|(d, _)| *d == digest)
            .map(|(_, k)| Rc::clone(k))
    }) {
        return Ok(hit);
    }
    let key = Rc::new(SigningKey::new(parse_private_key(pem)?));
    SIGNING_KEY_CACHE.with(|c| *c.borrow_mut() = Some((digest, Rc::clone(&key))));
    Ok(key)
}

/// Modulus size in bits, for messages (`<RSA private key: 1024 bits>`).
pub(crate) fn key_bits(key: &PublicKey) -> usize {
    key.size() * 8
}
