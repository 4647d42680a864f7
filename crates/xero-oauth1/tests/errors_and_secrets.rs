//! Error cases, and that no secret ever appears in an error message, in `explain` output, in a
//! `Verification` or in a request's `Debug` output.

mod common;

use common::{load_vectors, owned};
use xero_oauth1::*;

const CS: &str = "ConsumerS3cret";
const TS: &str = "TokenS3cret";
const URL: &str = "https://api.xero.com/api.xro/2.0/Contacts?page=1";

fn vector(id: &str) -> serde_json::Value {
    load_vectors()["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == id)
        .unwrap_or_else(|| panic!("vector {id}"))
        .clone()
}

fn private_pem() -> String {
    vector("pub-oauthlib-client-rsa")["rsa_private_key_pem"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A slice of the key's base64 body, to check messages never quote the key.
fn pem_fragment(pem: &str) -> String {
    pem.lines().nth(2).unwrap().chars().take(24).collect()
}

fn assert_clean(text: &str, what: &str, extra: &[&str]) {
    for secret in [CS, TS, "ConsumerS3cret&TokenS3cret"].iter().chain(extra) {
        assert!(!text.contains(secret), "{what} reveals {secret:?}: {text}");
    }
}

#[test]
fn bad_pem_keys_are_explained_without_quoting_the_key() {
    let good = private_pem();
    let fragment = pem_fragment(&good);
    let body: String = good.lines().filter(|l| !l.starts_with("-----")).collect();
    let cases: Vec<(&str, String, &str)> = vec![
        ("empty", String::new(), "no '-----BEGIN"),
        ("raw base64", body.clone(), "no '-----BEGIN"),
        (
            "binary pfx",
            "0\u{82}\u{5}\u{1}\u{2}\u{1}\u{3}".to_string(),
            "pkcs12",
        ),
        (
            "unterminated",
            good.replace("-----END RSA PRIVATE KEY-----", ""),
            "no matching",
        ),
        (
            "bad base64",
            good.replacen(&fragment, "!!!!", 1),
            "not valid base64",
        ),
        ("truncated DER", good.replacen(&fragment, "", 1), "PKCS#1"),
        (
            "certificate",
            good.replace("RSA PRIVATE KEY", "CERTIFICATE"),
            "private key",
        ),
        (
            "encrypted pkcs8",
            good.replace("RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY"),
            "encrypted",
        ),
        (
            "encrypted pkcs1",
            good.replacen(
                "\n",
                "\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n",
                1,
            ),
            "passphrase",
        ),
        (
            "other label",
            good.replace("RSA PRIVATE KEY", "EC PRIVATE KEY"),
            "unsupported PEM block",
        ),
    ];
    for (what, pem, expect) in cases {
        let err = sign("base", SignatureMethod::RsaSha1, "", "", Some(&pem)).unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidRsaKey {
                    kind: KeyKind::Private,
                    ..
                }
            ),
            "{what}: {err:?}"
        );
        let msg = err.to_string();
        assert!(msg.contains(expect), "{what}: {msg}");
        assert!(
            !msg.contains(&fragment),
            "{what}: message quotes the key: {msg}"
        );
    }
    let err = RsaSha1Probe::verify_with("not a key");
    assert!(
        matches!(
            err,
            Error::InvalidRsaKey {
                kind: KeyKind::Public,
                ..
            }
        ),
        "{err:?}"
    );
}

/// Calls `verify` with an RSA header and the given public key text, expecting an error.
struct RsaSha1Probe;
impl RsaSha1Probe {
    fn verify_with(public: &str) -> Error {
        let h = "OAuth oauth_signature_method=\"RSA-SHA1\", oauth_signature=\"eA%3D%3D\"";
        verify("GET", URL, &[], h, "", "", Some(public), 0, 0).unwrap_err()
    }
}

#[test]
fn forgiving_pem_input_still_signs_exactly() {
    let v = vector("pub-oauthlib-client-rsa");
    let pem = private_pem();
    let base = v["expected_base_string"].as_str().unwrap();
    let expected = v["expected_signature"].as_str().unwrap();
    for (what, variant) in [
        ("CRLF", pem.replace('\n', "\r\n")),
        ("literal \\n", pem.replace('\n', "\\n")),
        ("indented", format!("  {}  ", pem.replace('\n', "\n    "))),
        ("one line", pem.replace('\n', " ")),
    ] {
        let sig = sign(base, SignatureMethod::RsaSha1, "", "", Some(&variant));
        assert_eq!(sig.as_deref(), Ok(expected), "{what}");
    }
    // Public key from a private key, and from PKCS#1 `RSA PUBLIC KEY` is not in the vectors;
    // the private key standing in for the public one must verify.
    let req = AuthorizationRequest {
        signature_method: SignatureMethod::RsaSha1,
        rsa_private_key_pem: Some(&pem),
        timestamp: Some(100),
        ..AuthorizationRequest::new("GET", URL, "ck", "")
    };
    let h = authorization_header(&req).unwrap();
    assert!(
        verify("GET", URL, &[], &h, "", "", Some(&pem), 100, 0)
            .unwrap()
            .valid
    );
}

#[test]
fn bad_urls_methods_and_names() {
    let base = |url: &str| signature_base_string("GET", url, &[]).unwrap_err();
    assert!(matches!(base("api.xero.com/x"), Error::InvalidUrl { .. }));
    assert!(matches!(
        base("ftp://api.xero.com/x"),
        Error::UnsupportedScheme { .. }
    ));
    assert!(matches!(
        base("https://api.xero.com:http/x"),
        Error::InvalidUrl { .. }
    ));
    assert!(matches!(
        base("https://api.xero.com/a b"),
        Error::InvalidUrl { .. }
    ));
    assert!(matches!(
        base("https://api.xero.com/?a=%E2%82"),
        Error::InvalidUtf8 { .. }
    ));
    assert!(matches!(
        signature_base_string("", URL, &[]),
        Err(Error::InvalidMethod { .. })
    ));
    assert!(matches!(
        signature_base_string("GET /x", URL, &[]),
        Err(Error::InvalidMethod { .. })
    ));
    assert!(matches!(
        "SHA1".parse::<SignatureMethod>(),
        Err(Error::UnknownSignatureMethod { .. })
    ));

    let body = owned(&[("oauth_token", "smuggled")]);
    let req = AuthorizationRequest {
        params: &body,
        ..AuthorizationRequest::new("POST", URL, "ck", CS)
    };
    assert!(matches!(
        authorization_header(&req),
        Err(Error::ReservedParameter { .. })
    ));
    let req = AuthorizationRequest {
        omit_nonce_and_timestamp: true,
        ..AuthorizationRequest::new("POST", URL, "ck", CS)
    };
    assert!(matches!(
        authorization_header(&req),
        Err(Error::InvalidParameter { .. })
    ));
    let req = AuthorizationRequest {
        signature_method: SignatureMethod::RsaSha1,
        ..AuthorizationRequest::new("POST", URL, "ck", CS)
    };
    assert_eq!(
        authorization_header(&req),
        Err(Error::MissingRsaKey {
            kind: KeyKind::Private
        })
    );
    // Every message is a full sentence fragment, not a debug dump.
    for e in [
        Error::MissingSignature,
        Error::MissingRsaKey {
            kind: KeyKind::Public,
        },
        Error::DuplicateProtocolParameter {
            name: "oauth_nonce".into(),
        },
    ] {
        assert!(e.to_string().len() > 20, "{e}");
    }
}

#[test]
fn no_secret_in_error_messages() {
    // A PLAINTEXT signature is the secrets: a broken one must not be echoed.
    let h =
        format!("OAuth oauth_signature_method=\"PLAINTEXT\", oauth_signature=\"{CS}%26{TS}%2\"");
    let e = parse_authorization_header(&h).unwrap_err();
    assert_clean(&e.to_string(), "header error", &[]);
    let e = verify("GET", URL, &[], &h, CS, TS, None, 0, 0).unwrap_err();
    assert_clean(&e.to_string(), "verify error", &[]);
    let h = format!("OAuth oauth_signature=\"{CS}&{TS}");
    assert_clean(
        &parse_authorization_header(&h).unwrap_err().to_string(),
        "unterminated",
        &[],
    );
    let h = format!("OAuth oauth_signature={CS}");
    assert_clean(
        &parse_authorization_header(&h).unwrap_err().to_string(),
        "unquoted",
        &[],
    );
    let e = percent_decode(&format!("{CS}%zz")).unwrap_err();
    assert_clean(&e.to_string(), "percent_decode", &[]);
}

fn requests<'a>(body: &'a [(String, String)], pem: &'a str) -> Vec<AuthorizationRequest<'a>> {
    SignatureMethod::ALL
        .iter()
        .map(|&m| AuthorizationRequest {
            params: body,
            token: Some("tok"),
            token_secret: TS,
            signature_method: m,
            rsa_private_key_pem: Some(pem),
            realm: Some("Xero"),
            ..AuthorizationRequest::new("POST", URL, "ck", CS)
        })
        .collect()
}

#[test]
fn explain_masks_secrets_and_shows_every_stage() {
    let pem = private_pem();
    let fragment = pem_fragment(&pem);
    let body = owned(&[("Name", "A & B")]);
    for req in requests(&body, &pem) {
        let steps = explain(&req).unwrap();
        for st in &steps {
            assert_clean(
                &st.value,
                &format!("explain step {} ({})", st.step, st.name),
                &[&fragment],
            );
        }
        let names: Vec<(u32, &str)> = steps.iter().map(|s| (s.step, s.name.as_str())).collect();
        let stage = |n: &str| names.iter().find(|(_, name)| *name == n).map(|(s, _)| *s);
        assert_eq!(stage("parameter (query)"), Some(1));
        assert_eq!(stage("parameter (body)"), Some(1));
        assert_eq!(stage("parameter (oauth)"), Some(1));
        assert_eq!(stage("encoded parameter"), Some(2));
        assert_eq!(stage("normalized parameters"), Some(3));
        assert_eq!(stage("base string URI"), Some(4));
        assert_eq!(stage("base string"), Some(5));
        assert_eq!(stage("signature method"), Some(6));
        assert_eq!(stage("signing key"), Some(7));
        assert_eq!(stage("signature"), Some(8));
        assert_eq!(stage("authorization header"), Some(9));
        assert!(
            names.windows(2).all(|w| w[0].0 <= w[1].0),
            "stages out of order"
        );
        let get = |n: &str| steps.iter().find(|s| s.name == n).unwrap().value.clone();
        assert!(steps
            .iter()
            .any(|s| s.name == "parameter (body)" && s.value == "Name=A & B"));
        assert!(steps
            .iter()
            .any(|s| s.name == "encoded parameter" && s.value == "Name=A%20%26%20B"));
        assert_eq!(
            get("base string URI"),
            "https://api.xero.com/api.xro/2.0/Contacts"
        );
        match req.signature_method {
            SignatureMethod::RsaSha1 => {
                assert_eq!(get("signing key"), "<RSA private key:1024 bits>")
            }
            _ => assert_eq!(
                get("signing key"),
                "<consumer_secret:14 chars>&<token_secret:11 chars>"
            ),
        }
        // The header row is the header that would be sent (masked for PLAINTEXT) and its
        // signature verifies against the shown base string.
        let header = get("authorization header");
        if req.signature_method == SignatureMethod::HmacSha1 {
            let v = verify("POST", URL, &body, &header, CS, TS, None, 0, u64::MAX).unwrap();
            assert!(v.valid, "{}", v.detail);
            assert_eq!(v.expected_base_string, get("base string"));
            assert_eq!(v.expected_signature.unwrap(), get("signature"));
        }
    }
}

#[test]
fn verification_and_debug_never_reveal_secrets() {
    let pem = private_pem();
    let body = owned(&[("Name", "x")]);
    for req in requests(&body, &pem) {
        let dbg = format!("{req:?}");
        assert_clean(&dbg, "Debug", &[&pem_fragment(&pem)]);
        let h = authorization_header(&req).unwrap();
        let public = (req.signature_method == SignatureMethod::RsaSha1).then_some(pem.as_str());
        for (cs, ts) in [(CS, TS), ("wrong", TS), (CS, "wrong")] {
            let v = verify("POST", URL, &body, &h, cs, ts, public, 0, u64::MAX).unwrap();
            let text = format!("{v:?}");
            assert_clean(
                &text,
                &format!("Verification for {} with {cs}/{ts}", req.signature_method),
                &[],
            );
        }
    }
}
