//! The three RFC 5849 signature methods (3.4.2 HMAC-SHA1, 3.4.3 RSA-SHA1, 3.4.4 PLAINTEXT).

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use sha1::Sha1;

use crate::encoding::encode_into;
use crate::error::{quote_short, Error, KeyKind};
use crate::keys;

/// An RFC 5849 signature method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum SignatureMethod {
    /// HMAC-SHA1 keyed with `enc(consumer secret)&enc(token secret)` (3.4.2). Xero public apps.
    #[default]
    HmacSha1,
    /// RSASSA-PKCS1-v1_5 with SHA-1 (3.4.3). Xero private and partner apps.
    RsaSha1,
    /// The signing key itself, for use over TLS only (3.4.4).
    Plaintext,
}

impl SignatureMethod {
    /// The name as sent in `oauth_signature_method`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureMethod::HmacSha1 => "HMAC-SHA1",
            SignatureMethod::RsaSha1 => "RSA-SHA1",
            SignatureMethod::Plaintext => "PLAINTEXT",
        }
    }

    /// All three, in a fixed order.
    pub const ALL: [SignatureMethod; 3] = [
        SignatureMethod::HmacSha1,
        SignatureMethod::RsaSha1,
        SignatureMethod::Plaintext,
    ];
}

impl fmt::Display for SignatureMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SignatureMethod {
    type Err = Error;

    /// Exact match only: RFC 5849 parameter values are case-sensitive, and a server compares
    /// `oauth_signature_method` byte for byte, so accepting `hmac-sha1` here would only move the
    /// failure to the server. The error suggests the right spelling.
    fn from_str(s: &str) -> Result<Self, Error> {
        SignatureMethod::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| Error::UnknownSignatureMethod {
                given: quote_short(s),
            })
    }
}

/// The HMAC-SHA1 / PLAINTEXT key `enc(consumer_secret)&enc(token_secret)` (RFC 5849 3.4.2). The
/// `&` is always there, also when there is no token secret yet (temporary-credential requests,
/// two-legged requests).
pub fn signing_key(consumer_secret: &str, token_secret: &str) -> String {
    let mut key = String::with_capacity(consumer_secret.len() + token_secret.len() + 8);
    write_signing_key(&mut key, consumer_secret, token_secret);
    key
}

pub(crate) fn write_signing_key(out: &mut String, consumer_secret: &str, token_secret: &str) {
    encode_into(out, consumer_secret);
    out.push('&');
    encode_into(out, token_secret);
}

/// Base64 of an HMAC-SHA1 is always 28 characters.
pub(crate) struct HmacSignature([u8; 28]);

impl HmacSignature {
    pub fn as_str(&self) -> &str {
        // base64 output is ASCII.
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

/// HMAC-SHA1 of `base_string` under `key`, base64-encoded, without heap allocation.
pub(crate) fn hmac_sha1(key: &[u8], base_string: &[u8]) -> HmacSignature {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac =
        <Hmac<Sha1> as KeyInit>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(base_string);
    let digest = mac.finalize().into_bytes();
    let mut out = [0u8; 28];
    let n = base64::engine::general_purpose::STANDARD
        .encode_slice(digest.as_slice(), &mut out)
        .unwrap_or(0);
    debug_assert_eq!(n, 28);
    HmacSignature(out)
}

pub(crate) fn rsa_sha1_sign(pem: &str, base_string: &[u8]) -> Result<String, Error> {
    let key = keys::signing_key_for(pem)?;
    let sig = key.try_sign(base_string).map_err(|e| Error::RsaSigning {
        reason: e.to_string(),
    })?;
    Ok(base64::engine::general_purpose::STANDARD.encode(sig.to_bytes()))
}

/// A parsed public key for repeated verification (`verify` checks many candidate base strings).
pub(crate) struct RsaVerifier(rsa::pkcs1v15::VerifyingKey<Sha1>, usize);

impl RsaVerifier {
    pub fn new(pem: &str) -> Result<Self, Error> {
        let key = keys::parse_public_key(pem)?;
        let bits = keys::key_bits(&key);
        Ok(RsaVerifier(rsa::pkcs1v15::VerifyingKey::new(key), bits))
    }

    /// Checks a base64 signature over `base_string`. Bad base64 simply does not verify.
    pub fn verifies(&self, base_string: &str, signature_b64: &str) -> bool {
        let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(signature_b64.trim()) else {
            return false;
        };
        let Ok(sig) = rsa::pkcs1v15::Signature::try_from(raw.as_slice()) else {
            return false;
        };
        self.0.verify(base_string.as_bytes(), &sig).is_ok()
    }

    pub fn bits(&self) -> usize {
        self.1
    }
}

/// Signs a base string (RFC 5849 3.4.2-3.4.4) and returns the signature before any header
/// encoding: base64 for HMAC-SHA1 and RSA-SHA1, the signing key itself for PLAINTEXT.
/// RSA-SHA1 needs `rsa_private_key_pem` (PKCS#1 or PKCS#8) and ignores the secrets.
pub fn sign(
    base_string: &str,
    method: SignatureMethod,
    consumer_secret: &str,
    token_secret: &str,
    rsa_private_key_pem: Option<&str>,
) -> Result<String, Error> {
    match method {
        SignatureMethod::HmacSha1 => {
            let key = signing_key(consumer_secret, token_secret);
            Ok(hmac_sha1(key.as_bytes(), base_string.as_bytes())
                .as_str()
                .to_string())
        }
        SignatureMethod::RsaSha1 => {
            let pem = rsa_private_key_pem.ok_or(Error::MissingRsaKey {
                kind: KeyKind::Private,
            })?;
            rsa_sha1_sign(pem, base_string.as_bytes())
        }
        SignatureMethod::Plaintext => Ok(signing_key(consumer_secret, token_secret)),
    }
}

/// Compares two byte strings in time that depends only on their lengths, so a server does not
/// leak how many leading bytes of a forged signature were right.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    // black_box keeps the optimiser from turning the fold into an early-exit comparison.
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names_are_exact() {
        for m in SignatureMethod::ALL {
            assert_eq!(m.as_str().parse::<SignatureMethod>().unwrap(), m);
        }
        let e = "hmac-sha1"
            .parse::<SignatureMethod>()
            .unwrap_err()
            .to_string();
        assert!(e.contains("HMAC-SHA1, RSA-SHA1 and PLAINTEXT"), "{e}");
        assert!(e.contains("did you mean HMAC-SHA1"), "{e}");
        let e = "HMAC-SHA256"
            .parse::<SignatureMethod>()
            .unwrap_err()
            .to_string();
        assert!(!e.contains("did you mean"), "{e}");
    }

    #[test]
    fn key_keeps_trailing_ampersand_and_encodes() {
        assert_eq!(signing_key("cs", ""), "cs&");
        assert_eq!(signing_key("", ""), "&");
        assert_eq!(signing_key("a b&c", "d+e"), "a%20b%26c&d%2Be");
    }

    #[test]
    fn constant_time_eq_works() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }

    #[test]
    fn rsa_without_key_is_an_error() {
        assert_eq!(
            sign("x", SignatureMethod::RsaSha1, "", "", None),
            Err(Error::MissingRsaKey {
                kind: KeyKind::Private
            })
        );
    }
}
