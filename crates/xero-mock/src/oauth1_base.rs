//! The signature base string (RFC 5849 3.4.1), serialized by the `oauth1-request` crate so
//! that the mock shares no signing code with the extension's own signer (`xero-oauth1`).
//!
//! oauth1-request builds base strings for *clients*, and three of its habits would make a
//! server inexact, so this module steers around them:
//! - Its `ParameterList` sorts by the unencoded value; RFC 5849 3.4.1.3.2 sorts by the
//!   encoded name, then the encoded value (`-` sorts after `%2F`). We sort ourselves and
//!   feed its `Authorizer` one pre-sorted, pre-encoded parameter at a time.
//! - It never percent-encodes parameter *names* (they must be URI-safe there). We hand it
//!   the encoded name, and our recording "signature method" encodes it once more for the
//!   base string, as it does with values.
//! - It writes its own `oauth_*` parameters from its options (always a nonce and timestamp,
//!   only `oauth_version="1.0"`, no `oauth_session_handle`). We never ask for those: the
//!   `oauth_*` parameters the client actually sent are fed as ordinary parameters, so what
//!   is signed is exactly what arrived.
//!
//! (Its fourth habit, sending a PLAINTEXT signature unencoded, concerns clients only.)

use std::fmt::{Display, Write};

use oauth1_request::serializer::auth::{Authorizer, Options};
use oauth1_request::serializer::Serializer;
use oauth1_request::signature_method::{Sign, SignatureMethod};
use oauth1_request::Credentials;

use crate::oauth1_params::{encode, Pair};

/// `METHOD&enc(base_uri)&enc(normalized parameters)`.
///
/// `base_uri` is already normalized (scheme and host lower case, default port dropped, no
/// query); `params` are the decoded query, form-body and protocol parameters, without
/// `oauth_signature` and `realm`.
pub fn base_string(method: &str, base_uri: &str, params: &[Pair]) -> String {
    let mut normalized: Vec<(String, String)> =
        params.iter().map(|(n, v)| (encode(n), encode(v))).collect();
    // Byte order of the encoded forms: by name, then by value (RFC 5849 3.4.1.3.2).
    normalized.sort();
    let options = Options::new();
    let mut authorizer = Authorizer::authorization(
        &method.to_ascii_uppercase(),
        base_uri,
        Credentials::new("", ""),
        None,
        &options,
        Recording,
    );
    for (name, value) in &normalized {
        // `_encoded`: the value is already percent-encoded once; the serializer encodes it
        // a second time for the base string (RFC 5849 3.4.1.1, step 3).
        authorizer.serialize_parameter_encoded(name, value);
    }
    // No `serialize_oauth_*` calls, so the header holds nothing but the recorded "signature".
    let header = authorizer.end();
    header
        .strip_prefix("OAuth oauth_signature=\"")
        .and_then(|h| h.strip_suffix('"'))
        .expect("the authorizer wrote only the recorded base string")
        .to_string()
}

/// A signature method whose "signature" is the base string it was fed.
#[derive(Clone, Copy)]
struct Recording;

struct RecordingSign(String);

impl SignatureMethod for Recording {
    type Sign = RecordingSign;

    fn sign_with(self, _consumer_secret: &str, _token_secret: Option<&str>) -> RecordingSign {
        RecordingSign(String::with_capacity(256))
    }
}

impl Sign for RecordingSign {
    type Signature = String;

    fn get_signature_method_name(&self) -> &'static str {
        "BASE-STRING"
    }

    fn request_method(&mut self, method: &str) {
        self.0.push_str(method);
        self.0.push('&');
    }

    fn uri<T: Display>(&mut self, uri: T) {
        // The serializer has percent-encoded the URI already.
        let _ = write!(self.0, "{uri}&");
    }

    fn parameter<V: Display>(&mut self, key: &str, value: V) {
        // `key` is the once-encoded name we passed (the serializer leaves keys alone);
        // `value` arrives encoded twice.
        self.0.push_str(&encode(key.as_bytes()));
        let _ = write!(self.0, "%3D{value}");
    }

    fn delimiter(&mut self) {
        self.0.push_str("%26");
    }

    fn end(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth1_params::form_pairs;

    fn pairs(list: &[(&str, &str)]) -> Vec<Pair> {
        list.iter()
            .map(|(n, v)| (n.as_bytes().to_vec(), v.as_bytes().to_vec()))
            .collect()
    }

    /// RFC 5849 3.4.1.1's worked example, end to end.
    #[test]
    fn rfc_5849_example() {
        let mut params = form_pairs(b"b5=%3D%253D&a3=a&c%40=&a2=r%20b");
        params.extend(form_pairs(b"c2&a3=2+q"));
        params.extend(pairs(&[
            ("oauth_consumer_key", "9djdj82h48djs9d2"),
            ("oauth_token", "kkk9d7dh3k39sjv7"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "137131201"),
            ("oauth_nonce", "7d8f3e4a"),
        ]));
        assert_eq!(
            base_string("post", "http://example.com/request", &params),
            "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q\
             %26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_\
             key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m\
             ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk\
             9d7dh3k39sjv7"
        );
    }

    /// Encoded order, not oauth1-request's unencoded one: `%2F` (for `/`) before `-`.
    #[test]
    fn sorts_by_encoded_value_and_name() {
        let b = base_string("GET", "http://a.b/", &pairs(&[("a", "-"), ("a", "/")]));
        assert_eq!(b, "GET&http%3A%2F%2Fa.b%2F&a%3D%252F%26a%3D-");
        // Names: `a!` encodes to `a%21`, which sorts before `a-`; unencoded it would not.
        let b = base_string("GET", "http://a.b/", &pairs(&[("a-", "1"), ("a!", "2")]));
        assert_eq!(b, "GET&http%3A%2F%2Fa.b%2F&a%2521%3D2%26a-%3D1");
    }

    #[test]
    fn no_parameters_leave_a_trailing_ampersand() {
        assert_eq!(
            base_string("GET", "https://x.y/p", &[]),
            "GET&https%3A%2F%2Fx.y%2Fp&"
        );
    }

    #[test]
    fn non_utf8_and_protocol_parameters_pass_through_exactly() {
        let mut p = pairs(&[("oauth_session_handle", "h a"), ("oauth_version", "2.0")]);
        p.push((b"x".to_vec(), vec![0xff]));
        assert_eq!(
            base_string("POST", "http://h/", &p),
            "POST&http%3A%2F%2Fh%2F&oauth_session_handle%3Dh%2520a%26oauth_version%3D2.0%26x%3D%25FF"
        );
    }
}
