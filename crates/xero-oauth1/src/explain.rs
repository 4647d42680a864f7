//! Every intermediate value of a signature, for comparing with a client's debug output, with
//! secrets masked.

use crate::encoding::percent_encode;
use crate::error::{Error, KeyKind};
use crate::header::format_header;
use crate::keys;
use crate::request::{mask_secret, prepare, AuthorizationRequest, Scratch};
use crate::signing::SignatureMethod;

/// One row of an explanation. `step` numbers the stage (several rows can share one: one per
/// parameter in stages 1 and 2); `name` says what the row holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The stage: 1 collected parameters, 2 encoded parameters, 3 normalized parameters,
    /// 4 base string URI, 5 base string, 6 signature method, 7 signing key, 8 signature,
    /// 9 Authorization header.
    pub step: u32,
    /// What the row holds (`parameter (query)`, `base string`, …).
    pub name: String,
    /// The value.
    pub value: String,
}

fn row(step: u32, name: impl Into<String>, value: impl Into<String>) -> Step {
    Step {
        step,
        name: name.into(),
        value: value.into(),
    }
}

/// Signs `req` as [`crate::authorization_header`] does and returns every stage of it.
///
/// Secrets never appear: the signing key is shown as `<consumer_secret:N chars>&<token_secret:M
/// chars>` (lengths only, enough to spot an empty or truncated secret), an RSA key as its size,
/// and for PLAINTEXT the signature, which *is* the key, is masked the same way in the signature
/// and header rows. A generated nonce and timestamp are shown as generated, and the header row
/// matches them.
pub fn explain(req: &AuthorizationRequest<'_>) -> Result<Vec<Step>, Error> {
    let mut scratch = Scratch::default();
    let p = prepare(req, &mut scratch)?;
    let mut steps = Vec::with_capacity(p.collected.len() * 2 + 8);
    for param in &p.collected {
        steps.push(row(
            1,
            format!("parameter ({})", param.source),
            format!("{}={}", param.name, param.value),
        ));
    }
    for param in &p.collected {
        steps.push(row(
            2,
            "encoded parameter",
            format!(
                "{}={}",
                percent_encode(&param.name),
                percent_encode(&param.value)
            ),
        ));
    }
    let mut normalized = String::new();
    p.encoded.write_normalized(&mut normalized);
    steps.push(row(3, "normalized parameters", normalized));
    steps.push(row(4, "base string URI", p.base_url.clone()));
    steps.push(row(5, "base string", p.base_string.clone()));
    steps.push(row(6, "signature method", req.signature_method.as_str()));
    let masked_key = format!(
        "{}&{}",
        mask_secret("consumer_secret", req.consumer_secret),
        mask_secret("token_secret", req.token_secret)
    );
    let key_row = match req.signature_method {
        SignatureMethod::RsaSha1 => {
            let pem = req.rsa_private_key_pem.ok_or(Error::MissingRsaKey {
                kind: KeyKind::Private,
            })?;
            let signer = keys::signing_key_for(pem)?;
            let private: &rsa::PrivateKey = (*signer).as_ref();
            let bits = keys::key_bits(&rsa::PublicKey::from(private));
            format!("<RSA private key:{bits} bits>")
        }
        _ => masked_key.clone(),
    };
    steps.push(row(7, "signing key", key_row));
    let shown_signature = match req.signature_method {
        SignatureMethod::Plaintext => masked_key,
        _ => p.signature.as_str().to_string(),
    };
    steps.push(row(8, "signature", shown_signature.clone()));
    let header = match req.signature_method {
        // Masks would be percent-encoded into the header; write the real header and swap the
        // encoded signature for the mask.
        SignatureMethod::Plaintext => {
            let real = format_header(req.realm, &p, p.signature.as_str());
            let encoded_sig = percent_encode(p.signature.as_str());
            let cut = real
                .rfind(&format!("oauth_signature=\"{encoded_sig}\""))
                .unwrap_or(real.len());
            format!("{}oauth_signature=\"{shown_signature}\"", &real[..cut])
        }
        _ => format_header(req.realm, &p, p.signature.as_str()),
    };
    steps.push(row(9, "authorization header", header));
    Ok(steps)
}
