//! The `Authorization: OAuth …` header (RFC 5849 3.5.1): building and parsing.

use crate::encoding::{decode, encode_into};
use crate::error::Error;
use crate::request::{prepare, AuthorizationRequest, Prepared, Scratch};

/// Signs `req` and returns the value of its `Authorization` header:
/// `OAuth realm="…", oauth_nonce="…", …, oauth_signature="…"`.
///
/// Values are percent-encoded (RFC 5849 3.6) inside double quotes; `realm` is written as a plain
/// quoted string, as RFC 2617 has it. With both `nonce` and `timestamp` given the result is
/// deterministic; otherwise a 128-bit nonce comes from the OS CSPRNG and the timestamp is now.
pub fn authorization_header(req: &AuthorizationRequest<'_>) -> Result<String, Error> {
    let mut scratch = Scratch::default();
    let p = prepare(req, &mut scratch)?;
    Ok(format_header(req.realm, &p, p.signature.as_str()))
}

/// Writes the header for a prepared request with the given (possibly masked) signature text.
pub(crate) fn format_header(realm: Option<&str>, p: &Prepared<'_>, signature: &str) -> String {
    let len = p
        .oauth
        .iter()
        .map(|(n, v)| n.len() + v.len() * 3 + 5)
        .sum::<usize>()
        + realm.map_or(0, |r| r.len() + 12)
        + signature.len() * 3 / 2
        + 32;
    let mut h = String::with_capacity(len);
    h.push_str("OAuth ");
    if let Some(realm) = realm {
        h.push_str("realm=\"");
        for c in realm.chars() {
            if c == '"' || c == '\\' {
                h.push('\\');
            }
            h.push(c);
        }
        h.push_str("\", ");
    }
    for (name, value) in &p.oauth {
        h.push_str(name);
        h.push_str("=\"");
        encode_into(&mut h, value);
        h.push_str("\", ");
    }
    h.push_str("oauth_signature=\"");
    encode_into(&mut h, signature);
    h.push('"');
    h
}

fn malformed(reason: String) -> Error {
    Error::MalformedAuthorizationHeader { reason }
}

/// Parses an `Authorization` header value (`OAuth realm="…", oauth_…="…"`) into decoded
/// name/value pairs in header order, `realm` included.
///
/// The scheme name is matched case-insensitively (RFC 2617 1.2). Each value must be a quoted
/// string; values other than `realm` are percent-decoded strictly (a `+` stays a `+`: see
/// [`crate::percent_decode`]). Duplicates are returned as they are, for the caller to judge.
/// Error messages give byte positions and parameter names but never values (a PLAINTEXT
/// signature is the secrets).
pub fn parse_authorization_header(h: &str) -> Result<Vec<(String, String)>, Error> {
    let s = h.trim();
    let scheme_end = s.find(|c: char| c.is_ascii_whitespace()).unwrap_or(s.len());
    if !s[..scheme_end].eq_ignore_ascii_case("OAuth") {
        return Err(malformed(format!(
            "expected the scheme 'OAuth' at the start, found {:?}",
            crate::error::quote_short(&s[..scheme_end])
        )));
    }
    let bytes = s.as_bytes();
    let mut i = scheme_end;
    let mut out = Vec::new();
    let skip_ws = |i: &mut usize| {
        while *i < bytes.len() && bytes[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    loop {
        skip_ws(&mut i);
        // Tolerate empty list elements (`a="1", , b="2"`), as HTTP list syntax does.
        while i < bytes.len() && bytes[i] == b',' {
            i += 1;
            skip_ws(&mut i);
        }
        if i >= bytes.len() {
            break;
        }
        let name_start = i;
        while i < bytes.len() && !matches!(bytes[i], b'=' | b',' | b' ' | b'\t') {
            i += 1;
        }
        let name = &s[name_start..i];
        if name.is_empty() {
            return Err(malformed(format!(
                "expected a parameter name at byte {name_start}"
            )));
        }
        skip_ws(&mut i);
        if i >= bytes.len() || bytes[i] != b'=' {
            return Err(malformed(format!(
                "parameter {name} at byte {name_start} has no '=\"…\"' value"
            )));
        }
        i += 1;
        skip_ws(&mut i);
        if i >= bytes.len() || bytes[i] != b'"' {
            return Err(malformed(format!(
                "the value of {name} at byte {i} is not in double quotes (RFC 5849 3.5.1 requires name=\"value\")"
            )));
        }
        i += 1;
        let mut raw = String::new();
        let mut closed = false;
        while i < bytes.len() {
            match bytes[i] {
                b'"' => {
                    closed = true;
                    i += 1;
                    break;
                }
                b'\\' if i + 1 < bytes.len() => {
                    // quoted-pair (RFC 2616 2.2); only realm should ever need it.
                    let c = s[i + 1..].chars().next().unwrap_or('\\');
                    raw.push(c);
                    i += 1 + c.len_utf8();
                }
                _ => {
                    let c = s[i..].chars().next().unwrap_or('\\');
                    raw.push(c);
                    i += c.len_utf8();
                }
            }
        }
        if !closed {
            return Err(malformed(format!(
                "the value of {name} is missing its closing double quote"
            )));
        }
        let value = if name == "realm" {
            raw
        } else {
            let ctx = || format!("Authorization header parameter {name}");
            decode(&raw, false, &ctx)?.into_owned()
        };
        let ctx = || "an Authorization header parameter name".to_string();
        out.push((decode(name, false, &ctx)?.into_owned(), value));
        skip_ws(&mut i);
        if i < bytes.len() {
            if bytes[i] != b',' {
                return Err(malformed(format!(
                    "expected ',' after the value of {name} at byte {i}"
                )));
            }
            i += 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SignatureMethod;

    fn owned(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn parses_rfc_header_variants() {
        let h = "OAuth realm=\"Photos\",\n  oauth_consumer_key=\"dpf43f3p2l4k3l03\",oauth_signature=\"74KNZJeDHnMBp0EMJ9ZHt%2FXKycU%3D\"";
        assert_eq!(
            parse_authorization_header(h).unwrap(),
            owned(&[
                ("realm", "Photos"),
                ("oauth_consumer_key", "dpf43f3p2l4k3l03"),
                ("oauth_signature", "74KNZJeDHnMBp0EMJ9ZHt/XKycU="),
            ])
        );
        // Lower-case scheme, unencoded base64 signature ('+' is kept), escaped realm.
        let h = r#"oauth realm="a \"b\"", oauth_signature="ab+c/d=""#;
        assert_eq!(
            parse_authorization_header(h).unwrap(),
            owned(&[("realm", "a \"b\""), ("oauth_signature", "ab+c/d=")])
        );
        assert_eq!(parse_authorization_header("OAuth").unwrap(), owned(&[]));
    }

    #[test]
    fn malformed_headers_are_errors_without_values() {
        for h in [
            "Bearer abc",
            "OAuth oauth_nonce=abc",
            "OAuth oauth_nonce=\"abc",
            "OAuth oauth_nonce=\"a\" oauth_token=\"b\"",
            "OAuth =\"x\"",
            "OAuth oauth_signature=\"secret%2\"",
        ] {
            let e = parse_authorization_header(h).unwrap_err();
            assert!(!e.to_string().contains("secret"), "{e}");
        }
    }

    #[test]
    fn header_round_trips_and_escapes_realm() {
        let req = AuthorizationRequest {
            realm: Some("say \"hi\""),
            nonce: Some("n o+n/ce"),
            timestamp: Some(1),
            callback: Some("http://x/cb?a=1&b=2"),
            signature_method: SignatureMethod::HmacSha1,
            ..AuthorizationRequest::new("GET", "http://x.y/z", "ck", "cs")
        };
        let h = authorization_header(&req).unwrap();
        let parsed = parse_authorization_header(&h).unwrap();
        assert_eq!(parsed[0], ("realm".to_string(), "say \"hi\"".to_string()));
        assert!(parsed.contains(&("oauth_nonce".to_string(), "n o+n/ce".to_string())));
        assert!(parsed.contains(&(
            "oauth_callback".to_string(),
            "http://x/cb?a=1&b=2".to_string()
        )));
        assert!(h.contains("oauth_nonce=\"n%20o%2Bn%2Fce\""), "{h}");
    }

    #[test]
    fn session_handle_and_verifier_are_signed() {
        let req = AuthorizationRequest {
            token: Some("t"),
            verifier: Some("v 1"),
            session_handle: Some("h/2"),
            nonce: Some("n"),
            timestamp: Some(5),
            version: None,
            ..AuthorizationRequest::new(
                "POST",
                "https://api.xero.com/oauth/AccessToken",
                "ck",
                "cs",
            )
        };
        let steps = crate::explain(&req).unwrap();
        let normalized = &steps
            .iter()
            .find(|s| s.name == "normalized parameters")
            .unwrap()
            .value;
        assert_eq!(
            normalized,
            "oauth_consumer_key=ck&oauth_nonce=n&oauth_session_handle=h%2F2&oauth_signature_method=HMAC-SHA1&oauth_timestamp=5&oauth_token=t&oauth_verifier=v%201"
        );
        let h = authorization_header(&req).unwrap();
        assert!(h.contains("oauth_session_handle=\"h%2F2\""), "{h}");
        assert!(!h.contains("oauth_version"), "{h}");
    }

    #[test]
    fn realm_with_newline_is_rejected() {
        let req = AuthorizationRequest {
            realm: Some("a\r\nX-Evil: 1"),
            ..AuthorizationRequest::new("GET", "http://x.y/z", "ck", "cs")
        };
        assert!(matches!(
            authorization_header(&req),
            Err(Error::InvalidParameter { .. })
        ));
    }
}
