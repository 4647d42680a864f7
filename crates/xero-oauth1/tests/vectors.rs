//! Every published vector in shared/oauth1-vectors/published_vectors.json, table-driven.
//! Each failure names the vector's id (or source) so it can be looked up.

mod common;

use common::{load_vectors, pairs, s, sorted};
use serde_json::Value;
use xero_oauth1::*;

fn section<'a>(all: &'a Value, name: &str) -> &'a Vec<Value> {
    let v = all[name]
        .as_array()
        .unwrap_or_else(|| panic!("published_vectors.json has no array {name:?}"));
    assert!(!v.is_empty(), "section {name} is empty");
    if let Some(count) = all["meta"]["counts"][name].as_u64() {
        assert_eq!(
            v.len() as u64,
            count,
            "section {name}: meta.counts disagrees with the data"
        );
    }
    v
}

#[test]
fn percent_encoding_vectors() {
    let all = load_vectors();
    for v in section(&all, "percent_encoding_vectors") {
        let input = s(&v["input"]).unwrap();
        let expected = s(&v["expected"]).unwrap();
        assert_eq!(
            percent_encode(input),
            expected,
            "encoding {input:?} ({})",
            v["source"]
        );
        assert_eq!(
            percent_decode(expected).unwrap(),
            input,
            "decoding {expected:?}"
        );
    }
}

#[test]
fn normalization_vectors() {
    let all = load_vectors();
    for v in section(&all, "normalization_vectors") {
        let params = pairs(&v["params"]);
        assert_eq!(
            normalized_parameters(&params),
            s(&v["expected"]).unwrap(),
            "{}",
            v["source"]
        );
        if let Some(form) = s(&v["input_form_encoded"]) {
            assert_eq!(
                parse_form_urlencoded(form).unwrap(),
                params,
                "parsing {form:?}"
            );
        }
    }
}

#[test]
fn base_string_vectors() {
    let all = load_vectors();
    for v in section(&all, "base_string_vectors") {
        let params = pairs(&v["params"]);
        let got = signature_base_string(s(&v["method"]).unwrap(), s(&v["url"]).unwrap(), &params)
            .unwrap();
        assert_eq!(
            got,
            s(&v["expected_base_string"]).unwrap(),
            "{}",
            v["source"]
        );
        if let Some(form) = s(&v["parameters_form_encoded"]) {
            assert_eq!(parse_form_urlencoded(form).unwrap(), params);
        }
    }
}

#[test]
fn base_string_uri_vectors() {
    let all = load_vectors();
    for v in section(&all, "base_string_uri_vectors") {
        let got = normalize_url(s(&v["url"]).unwrap()).unwrap();
        assert_eq!(
            got.base_url,
            s(&v["expected_base_string_uri"]).unwrap(),
            "{}",
            v["source"]
        );
    }
}

#[test]
fn raw_signature_vectors() {
    let all = load_vectors();
    for v in section(&all, "raw_signature_vectors") {
        let method: SignatureMethod = s(&v["signature_method"]).unwrap().parse().unwrap();
        let got = sign(
            s(&v["base_string"]).unwrap_or(""),
            method,
            s(&v["consumer_secret"]).unwrap_or(""),
            s(&v["token_secret"]).unwrap_or(""),
            s(&v["rsa_private_key_pem"]),
        )
        .unwrap();
        assert_eq!(got, s(&v["expected_signature"]).unwrap(), "{}", v["source"]);
    }
}

/// Builds the request a full vector describes.
fn request_for<'a>(v: &'a Value, body: &'a [(String, String)]) -> AuthorizationRequest<'a> {
    let timestamp = s(&v["timestamp"]);
    let nonce = s(&v["nonce"]);
    AuthorizationRequest {
        method: s(&v["method"]).unwrap(),
        url: s(&v["url"]).unwrap(),
        params: body,
        consumer_key: s(&v["consumer_key"]).unwrap(),
        consumer_secret: s(&v["consumer_secret"]).unwrap_or(""),
        token: s(&v["token"]),
        token_secret: s(&v["token_secret"]).unwrap_or(""),
        signature_method: s(&v["signature_method"]).unwrap().parse().unwrap(),
        rsa_private_key_pem: s(&v["rsa_private_key_pem"]),
        callback: s(&v["callback"]),
        verifier: s(&v["verifier"]),
        session_handle: s(&v["session_handle"]),
        realm: s(&v["realm"]),
        nonce,
        timestamp: timestamp.and_then(|t| t.parse().ok()),
        timestamp_text: timestamp.filter(|t| t.parse::<u64>().is_err()),
        version: s(&v["version"]),
        omit_nonce_and_timestamp: nonce.is_none() && timestamp.is_none(),
    }
}

/// Header parameters decoded from the vector's `expected_authorization_params` (header-encoded).
fn decoded(v: &Value) -> Vec<(String, String)> {
    pairs(v)
        .into_iter()
        .map(|(n, val)| (n, percent_decode(&val).unwrap()))
        .collect()
}

fn check_full_vector(v: &Value) {
    let id = s(&v["id"]).unwrap();
    let url = s(&v["url"]).unwrap();
    let method = s(&v["method"]).unwrap();

    let base = normalize_url(url).unwrap();
    assert_eq!(
        base.base_url,
        s(&v["expected_base_string_uri"]).unwrap(),
        "{id}: base string URI"
    );
    assert_eq!(
        base.query,
        pairs(&v["query_params"]),
        "{id}: query parameters"
    );

    let body = pairs(&v["body_params"]);
    if let (Some(raw), Some("application/x-www-form-urlencoded")) =
        (s(&v["body"]), s(&v["content_type"]))
    {
        assert_eq!(parse_form_urlencoded(raw).unwrap(), body, "{id}: form body");
    }

    // The base string from the documented parameter set, then from the request itself.
    let expected_base = s(&v["expected_base_string"]).unwrap();
    let mut signed = body.clone();
    signed.extend(pairs(&v["oauth_params"]));
    assert_eq!(
        signature_base_string(method, url, &signed).unwrap(),
        expected_base,
        "{id}: base string"
    );

    let req = request_for(v, &body);
    let method_kind = req.signature_method;
    let expected_sig = s(&v["expected_signature"]).unwrap();
    let sig = sign(
        expected_base,
        method_kind,
        req.consumer_secret,
        req.token_secret,
        req.rsa_private_key_pem,
    )
    .unwrap();
    assert_eq!(sig, expected_sig, "{id}: signature");

    let steps = explain(&req).unwrap();
    let step = |name: &str| {
        steps
            .iter()
            .find(|st| st.name == name)
            .unwrap_or_else(|| panic!("{id}: explain has no step {name:?}"))
            .value
            .clone()
    };
    assert_eq!(
        step("base string"),
        expected_base,
        "{id}: explain base string"
    );

    // The protocol parameters as sent, wherever they travel.
    let signed_params = signed_parameters(&req).unwrap();
    let mut expected_oauth = pairs(&v["oauth_params"]);
    expected_oauth.push(("oauth_signature".to_string(), expected_sig.to_string()));
    assert_eq!(
        sorted(signed_params.clone()),
        sorted(expected_oauth.clone()),
        "{id}: protocol parameters"
    );

    match s(&v["oauth_transmission"]).unwrap() {
        "header" => {
            let header = authorization_header(&req).unwrap();
            let parsed = parse_authorization_header(&header).unwrap();
            let (realm, params): (Vec<_>, Vec<_>) =
                parsed.into_iter().partition(|(n, _)| n == "realm");
            let expected = decoded(&v["expected_authorization_params"]);
            assert_eq!(
                sorted(params),
                sorted(expected),
                "{id}: Authorization parameters (as a set)"
            );
            assert_eq!(
                realm.first().map(|r| r.1.as_str()),
                s(&v["realm"]),
                "{id}: realm"
            );
            // Encoded values too: the header must carry exactly the published encoding.
            let mut raw_expected = pairs(&v["expected_authorization_params"]);
            if let Some(r) = s(&v["realm"]) {
                raw_expected.push(("realm".into(), r.into()));
            }
            for (n, val) in &raw_expected {
                assert!(
                    header.contains(&format!("{n}=\"{val}\"")),
                    "{id}: header lacks {n}=\"{val}\": {header}"
                );
            }
            for key in [
                "expected_authorization_header",
                "published_authorization_header",
            ] {
                if let Some(h) = s(&v[key]) {
                    let theirs = parse_authorization_header(h).unwrap();
                    let ours = parse_authorization_header(&header).unwrap();
                    assert_eq!(
                        sorted(theirs),
                        sorted(ours),
                        "{id}: {key} differs (as a set)"
                    );
                }
            }
            check_verifies(v, &req, &body, &header);
        }
        "body" => {
            let mut all = body.clone();
            all.extend(signed_params);
            let ours = parse_form_urlencoded(&form_urlencode(&all)).unwrap();
            let theirs =
                parse_form_urlencoded(s(&v["published_extra"]["signed_body"]).unwrap()).unwrap();
            assert_eq!(sorted(ours), sorted(theirs), "{id}: signed body");
        }
        "query" => {
            let ours = format!("{url}?{}", form_urlencode(&signed_params));
            let theirs = s(&v["published_extra"]["signed_uri"]).unwrap();
            let split = |u: &str| {
                let (b, q) = u.split_once('?').unwrap();
                (b.to_string(), sorted(parse_form_urlencoded(q).unwrap()))
            };
            assert_eq!(split(&ours), split(theirs), "{id}: signed URI");
        }
        other => panic!("{id}: unknown oauth_transmission {other}"),
    }
}

/// The server side: the header we built verifies with the secrets / the public key.
fn check_verifies(
    v: &Value,
    req: &AuthorizationRequest<'_>,
    body: &[(String, String)],
    header: &str,
) {
    let id = s(&v["id"]).unwrap();
    let now = req.timestamp.unwrap_or(0);
    let result = verify(
        req.method,
        req.url,
        body,
        header,
        req.consumer_secret,
        req.token_secret,
        s(&v["rsa_public_key_pem"]),
        now,
        300,
    )
    .unwrap();
    if req.timestamp.is_some() || req.omit_nonce_and_timestamp {
        assert!(
            result.valid,
            "{id}: own header does not verify: {}",
            result.detail
        );
        assert_eq!(
            result.expected_base_string,
            s(&v["expected_base_string"]).unwrap()
        );
    } else {
        // oauthlib's tests use the timestamp "abc": the signature is right, the timestamp is not.
        assert!(!result.valid, "{id}");
        assert_eq!(
            result.mistake,
            Some(Mistake::BadTimestamp),
            "{id}: {}",
            result.detail
        );
    }
    if let Some(cert) = s(&v["published_extra"]["certificate_pem"]) {
        let by_cert = verify(
            req.method,
            req.url,
            body,
            header,
            "",
            "",
            Some(cert),
            now,
            300,
        )
        .unwrap();
        assert!(
            by_cert.valid,
            "{id}: does not verify with the published certificate: {}",
            by_cert.detail
        );
    }
}

#[test]
fn full_request_vectors() {
    let all = load_vectors();
    for v in section(&all, "vectors") {
        check_full_vector(v);
    }
}

/// The two published values that are wrong at their source: the base string is reproduced, the
/// published signature is not, and what we compute is what oauthlib computes.
#[test]
fn not_reproduced_vectors_stay_not_reproduced() {
    let all = load_vectors();
    for v in section(&all, "not_reproduced") {
        let id = s(&v["id"]).unwrap();
        let body = pairs(&v["body_params"]);
        let mut signed = body.clone();
        signed.extend(pairs(&v["oauth_params"]));
        let base = signature_base_string(s(&v["method"]).unwrap(), s(&v["url"]).unwrap(), &signed)
            .unwrap();
        assert_eq!(
            base,
            s(&v["expected_base_string"]).unwrap(),
            "{id}: base string"
        );
        let req = request_for(v, &body);
        let ours = sign(
            &base,
            req.signature_method,
            req.consumer_secret,
            req.token_secret,
            None,
        )
        .unwrap();
        assert_eq!(
            ours,
            s(&v["verification"]["oauthlib_signature"]).unwrap(),
            "{id}: oauthlib agreement"
        );
        assert_ne!(
            ours,
            s(&v["expected_signature"]).unwrap(),
            "{id}: the published value was expected to be wrong"
        );
        let header = authorization_header(&req).unwrap();
        let parsed = parse_authorization_header(&header).unwrap();
        assert!(
            parsed.contains(&("oauth_signature".to_string(), ours.clone())),
            "{id}"
        );
    }
}
