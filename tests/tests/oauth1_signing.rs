//! The OAuth 1.0a signing functions through SQL: RFC 5849's examples and the published vectors
//! reproduced exactly (base string, signature, header, explain and verify), and how the five
//! functions are declared. `oauth1_verify.rs` has `xero_oauth1_verify`'s mistakes,
//! `oauth1_errors_masking.rs` the errors, masking and nonces.

use std::collections::BTreeSet;

use serde_json::{json, Value};
use xero_dbtests::oauth1_vectors::*;
use xero_dbtests::*;

/// The `name="value"` items of an Authorization header, as a set (RFC 5849 fixes no order).
fn header_items(h: &str) -> BTreeSet<String> {
    h.strip_prefix("OAuth ").unwrap_or_else(|| panic!("not an OAuth header: {h}")).split(", ").map(str::to_string).collect()
}

/// RFC 5849 3.4.1.1's example, printed in the RFC: the query string's own parameters are
/// included, `realm` and `oauth_signature` are not, and the body's `a3=2 q` sorts before `a3=a`.
const RFC_3411_BASE: &str = "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7";

const SIGNING_FUNCTIONS: [&str; 5] = [
    "xero_oauth1_signature_base_string",
    "xero_oauth1_signature",
    "xero_oauth1_authorization_header",
    "xero_oauth1_explain",
    "xero_oauth1_verify",
];

#[test]
fn rfc5849_examples_reproduce_exactly() {
    let db = TestDb::new("oauth1_rfc");
    let mut c = db.superuser();

    // 3.4.1.1: form body c2&a3=2+q, the header's protocol parameters (with realm and the
    // signature, which must be left out).
    let params = json!([
        ["c2", ""], ["a3", "2 q"],
        ["realm", "Example"], ["oauth_consumer_key", "9djdj82h48djs9d2"], ["oauth_token", "kkk9d7dh3k39sjv7"],
        ["oauth_signature_method", "HMAC-SHA1"], ["oauth_timestamp", "137131201"], ["oauth_nonce", "7d8f3e4a"],
        ["oauth_signature", "bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"]
    ])
    .to_string();
    let base = text(
        &mut c,
        "SELECT xero_oauth1_signature_base_string('POST', 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b', $1::text::jsonb)",
        &[&params],
    );
    assert_eq!(base, RFC_3411_BASE);
    // The object form gives the same string when names are unique.
    let base = text(
        &mut c,
        "SELECT xero_oauth1_signature_base_string('GET', 'HTTP://Example.COM:80/r%20v/X?id=123', '{\"oauth_nonce\": \"n\", \"a\": 1, \"b\": true}')",
        &[],
    );
    assert_eq!(base, "GET&http%3A%2F%2Fexample.com%2Fr%2520v%2FX&a%3D1%26b%3Dtrue%26id%3D123%26oauth_nonce%3Dn", "3.4.1.2 normalisation");

    // 1.2: the photo request, signed with the client and token secrets of the example.
    let photos_base = text(
        &mut c,
        "SELECT xero_oauth1_signature_base_string('GET', 'http://photos.example.net/photos?file=vacation.jpg&size=original', \
         '[[\"oauth_consumer_key\",\"dpf43f3p2l4k3l03\"],[\"oauth_token\",\"nnch734d00sl2jdk\"],[\"oauth_signature_method\",\"HMAC-SHA1\"],\
           [\"oauth_timestamp\",\"137131202\"],[\"oauth_nonce\",\"chapoH\"]]')",
        &[],
    );
    assert_eq!(
        photos_base,
        "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal"
    );
    let sig = text(&mut c, "SELECT xero_oauth1_signature($1, 'HMAC-SHA1', 'kd94hf93k423kf44', 'pfkkdhi9sl3r4s00')", &[&photos_base]);
    assert_eq!(sig, "MdpQcU8iPSUjWoN/UDMsK2sui9I=", "RFC 5849 1.2 signature");
    let header = Req {
        consumer_key: Some("dpf43f3p2l4k3l03".into()),
        consumer_secret: "kd94hf93k423kf44".into(),
        token: Some("nnch734d00sl2jdk".into()),
        token_secret: "pfkkdhi9sl3r4s00".into(),
        realm: Some("Photos".into()),
        nonce: Some("chapoH".into()),
        timestamp: Some(137131202),
        version: None,
        ..Req::new("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original")
    }
    .header(&mut c);
    assert_eq!(
        header,
        "OAuth realm=\"Photos\", oauth_nonce=\"chapoH\", oauth_timestamp=\"137131202\", oauth_signature_method=\"HMAC-SHA1\", \
         oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature=\"MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D\""
    );
    // 3.4.4 PLAINTEXT and the oauth.net HMAC-SHA1 test case.
    assert_eq!(text(&mut c, "SELECT xero_oauth1_signature('ignored', 'PLAINTEXT', 'kd94hf93k423kf44', 'a b')", &[]), "kd94hf93k423kf44&a%20b");
    assert_eq!(text(&mut c, "SELECT xero_oauth1_signature('bs', 'HMAC-SHA1', 'cs')", &[]), "egQqG5AJep5sJ7anhXju1unge2I=");
    // Immutable and parallel safe where that is true, volatile where a nonce is drawn.
    let vol: Vec<(String, String, bool, bool)> = c
        .query(
            "SELECT proname::text, provolatile::text, proisstrict, proparallel = 's' FROM pg_proc WHERE proname = ANY($1) ORDER BY 1",
            &[&SIGNING_FUNCTIONS.to_vec()],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    let by = |n: &str| vol.iter().find(|v| v.0 == n).cloned().unwrap_or_else(|| panic!("{n} missing: {vol:?}"));
    assert_eq!(by("xero_oauth1_signature_base_string"), ("xero_oauth1_signature_base_string".into(), "i".into(), true, true));
    assert_eq!(by("xero_oauth1_signature").1, "i");
    assert_eq!(by("xero_oauth1_authorization_header").1, "v");
    assert_eq!(by("xero_oauth1_verify").1, "v");
    assert_eq!(vol.len(), SIGNING_FUNCTIONS.len(), "{vol:?}");
    assert!(vol.iter().all(|v| v.3), "all parallel safe: {vol:?}");
    // Every function is documented.
    let undocumented: i64 = c
        .query_one("SELECT count(*) FROM pg_proc WHERE proname = ANY($1) AND obj_description(oid, 'pg_proc') IS NULL", &[&SIGNING_FUNCTIONS.to_vec()])
        .unwrap()
        .get(0);
    assert_eq!(undocumented, 0);
}

#[test]
fn published_vectors_through_sql() {
    let all = vectors();
    let full = all["vectors"].as_array().expect("published_vectors.json has a vectors array");
    assert!(full.len() >= 20, "expected the full request vectors, found {}", full.len());
    let db = TestDb::new("oauth1_vectors");
    let mut c = db.superuser();
    let mut checked_headers = 0;

    for v in full {
        let id = s(&v["id"]).unwrap();
        let method = s(&v["method"]).unwrap();
        let url = s(&v["url"]).unwrap();
        let expected_base = s(&v["expected_base_string"]).unwrap();
        let expected_sig = s(&v["expected_signature"]).unwrap();
        let sm = s(&v["signature_method"]).unwrap();
        let cs = s(&v["consumer_secret"]).unwrap_or("");
        let ts = s(&v["token_secret"]).unwrap_or("");
        let rsa = s(&v["rsa_private_key_pem"]);

        // Base string: body parameters plus the protocol parameters; the URL brings its query.
        let mut signed: Vec<Value> = v["body_params"].as_array().unwrap().clone();
        signed.extend(v["oauth_params"].as_array().unwrap().iter().cloned());
        let base = text(&mut c, "SELECT xero_oauth1_signature_base_string($1, $2, $3::text::jsonb)", &[&method, &url, &Value::Array(signed).to_string()]);
        assert_eq!(base, expected_base, "{id}: base string");

        let sig = text(&mut c, "SELECT xero_oauth1_signature($1, $2, $3, $4, $5)", &[&expected_base, &sm, &cs, &ts, &rsa]);
        assert_eq!(sig, expected_sig, "{id}: signature");

        // The header from the request's own fields.
        let timestamp = s(&v["timestamp"]);
        let nonce = s(&v["nonce"]);
        let req = Req {
            method: method.into(),
            url: url.into(),
            params: v["body_params"].clone(),
            consumer_key: s(&v["consumer_key"]).map(str::to_string),
            consumer_secret: cs.into(),
            token: s(&v["token"]).map(str::to_string),
            token_secret: ts.into(),
            signature_method: sm.into(),
            rsa_private_key: rsa.map(str::to_string),
            callback: s(&v["callback"]).map(str::to_string),
            verifier: s(&v["verifier"]).map(str::to_string),
            session_handle: s(&v["session_handle"]).map(str::to_string),
            realm: s(&v["realm"]).map(str::to_string),
            nonce: nonce.map(str::to_string),
            timestamp: timestamp.and_then(|t| t.parse().ok()),
            version: s(&v["version"]).map(str::to_string),
            timestamp_text: timestamp.filter(|t| t.parse::<i64>().is_err()).map(str::to_string),
            omit_nonce_and_timestamp: nonce.is_none() && timestamp.is_none(),
        };
        let header = req.header(&mut c);
        assert!(header.ends_with(&format!("oauth_signature=\"{}\"", enc(expected_sig))), "{id}: {header}");
        if let Some(expected) = s(&v["expected_authorization_header"]) {
            assert_eq!(header_items(&header), header_items(expected), "{id}: header (as a set)");
            checked_headers += 1;
        }
        if let Some(params) = v["expected_authorization_params"].as_array() {
            let mut expected_items: BTreeSet<String> = params.iter().map(|p| format!("{}=\"{}\"", s(&p[0]).unwrap(), s(&p[1]).unwrap())).collect();
            if let Some(r) = s(&v["realm"]) {
                expected_items.insert(format!("realm=\"{r}\""));
            }
            assert_eq!(header_items(&header), expected_items, "{id}: expected_authorization_params");
        }

        // explain agrees with both.
        let steps = req.explain(&mut c);
        assert_eq!(step(&steps, "base string"), expected_base, "{id}: explain base string");
        assert_eq!(step(&steps, "base string URI"), s(&v["expected_base_string_uri"]).unwrap(), "{id}: explain base URI");
        if sm != "PLAINTEXT" {
            assert_eq!(step(&steps, "signature"), expected_sig, "{id}: explain signature");
            assert_eq!(step(&steps, "authorization header"), header, "{id}: explain header");
        }

        // And the server accepts it (the timestamps are old: allow every second of them).
        let row = c
            .query_one(
                "SELECT valid, mistake, detail FROM xero_oauth1_verify($1, $2, $3::text::jsonb, $4, $5, $6, $7, 2147483647)",
                &[&method, &url, &v["body_params"].to_string(), &header, &cs, &ts, &s(&v["rsa_public_key_pem"])],
            )
            .unwrap();
        let (valid, mistake, detail): (bool, Option<String>, String) = (row.get(0), row.get(1), row.get(2));
        if req.timestamp_text.is_some() {
            // oauthlib's vectors send oauth_timestamp="abc": the signature is right, the timestamp is not.
            assert_eq!((valid, mistake.as_deref()), (false, Some("bad_timestamp")), "{id}: {detail}");
            assert!(detail.starts_with("The signature is valid"), "{id}: {detail}");
        } else {
            assert!(valid, "{id}: {mistake:?} {detail}");
        }
    }
    assert!(checked_headers >= 20, "only {checked_headers} published headers compared");

    // The component vectors too.
    for v in all["raw_signature_vectors"].as_array().unwrap() {
        let sig = text(
            &mut c,
            "SELECT xero_oauth1_signature($1, $2, $3, $4, $5)",
            &[&s(&v["base_string"]).unwrap_or(""), &s(&v["signature_method"]).unwrap(), &s(&v["consumer_secret"]).unwrap_or(""), &s(&v["token_secret"]).unwrap_or(""), &s(&v["rsa_private_key_pem"])],
        );
        assert_eq!(sig, s(&v["expected_signature"]).unwrap(), "{}", v["source"]);
    }
    for v in all["base_string_vectors"].as_array().unwrap() {
        let base = text(
            &mut c,
            "SELECT xero_oauth1_signature_base_string($1, $2, $3::text::jsonb)",
            &[&s(&v["method"]).unwrap(), &s(&v["url"]).unwrap(), &v["params"].to_string()],
        );
        assert_eq!(base, s(&v["expected_base_string"]).unwrap(), "{}", v["source"]);
    }
}

/// `params` scalars are signed as PostgreSQL prints them: numbers keep their jsonb text (`1.50`
/// stays `1.50`, `1e2` is `100`), booleans are `true`/`false`, and both forms give the same pairs.
#[test]
fn params_scalars_are_signed_as_postgresql_prints_them() {
    let db = TestDb::new("oauth1_scalars");
    let mut c = db.superuser();
    let base = |c: &mut postgres::Client, params: &str| -> String {
        c.query_one("SELECT xero_oauth1_signature_base_string('GET', 'https://a.example/', $1::text::jsonb)", &[&params]).unwrap().get(0)
    };
    let want = "GET&https%3A%2F%2Fa.example%2F&a%3D1.50%26b%3Dtrue%26c%3D100%26d%3D-0.000001";
    assert_eq!(base(&mut c, r#"[["a", 1.50], ["b", true], ["c", 1e2], ["d", -0.000001]]"#), want);
    assert_eq!(base(&mut c, r#"{"d": -0.000001, "c": 1e2, "b": true, "a": 1.50}"#), want);
    assert_eq!(base(&mut c, r#"[["a", "1.50"], ["b", "true"], ["c", "100"], ["d", "-0.000001"]]"#), want);
    // Empty and NULL params sign the URL alone.
    for empty in ["[]", "{}"] {
        assert_eq!(base(&mut c, empty), "GET&https%3A%2F%2Fa.example%2F&");
    }
}
