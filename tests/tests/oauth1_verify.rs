//! `xero_oauth1_verify` through SQL: one deliberately made mistake per row, each named with a
//! hint and what the client signed; valid requests accepted for all three signature methods.

use std::collections::BTreeSet;

use postgres::Client;
use serde_json::{json, Value};
use xero_dbtests::oauth1_vectors::*;
use xero_dbtests::*;

/// How a (mistaken) client builds its base string; `Default` is RFC 5849.
#[derive(Clone, Copy, Default)]
struct Style {
    plus_for_space: bool,
    lower_hex: bool,
    double_encode: bool,
    no_encode: bool,
    unsorted: bool,
    sort_decoded: bool,
}

fn enc_styled(s: &str, st: Style) -> String {
    let e = enc(s);
    let e = if st.plus_for_space { e.replace("%20", "+") } else { e };
    if st.lower_hex {
        // Lower-case the two hex digits after each '%'.
        let mut out = String::new();
        let mut left = 0;
        for ch in e.chars() {
            if ch == '%' {
                left = 2;
                out.push(ch);
            } else if left > 0 {
                left -= 1;
                out.push(ch.to_ascii_lowercase());
            } else {
                out.push(ch);
            }
        }
        out
    } else {
        e
    }
}

fn client_base_string(method: &str, base_url: &str, params: &[(String, String)], st: Style) -> String {
    let mut pairs: Vec<(String, String)> = params.to_vec();
    if st.sort_decoded {
        pairs.sort();
    }
    let mut pairs: Vec<(String, String)> = pairs
        .into_iter()
        .map(|(n, v)| {
            if st.no_encode {
                (n, v)
            } else if st.double_encode {
                (enc_styled(&enc_styled(&n, st), st), enc_styled(&enc_styled(&v, st), st))
            } else {
                (enc_styled(&n, st), enc_styled(&v, st))
            }
        })
        .collect();
    if !st.unsorted && !st.sort_decoded {
        pairs.sort();
    }
    let normalized = pairs.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join("&");
    format!("{}&{}&{}", enc_styled(method, st), enc_styled(base_url, st), enc_styled(&normalized, st))
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

/// One request as a client sends it and what the server is given.
struct Case {
    mistake: &'static str,
    /// What the server sees.
    method: &'static str,
    url: String,
    body: Vec<(String, String)>,
    /// What the client signed.
    client_base: String,
    signature: String,
    header_params: Vec<(String, String)>,
    realm: Option<&'static str>,
    consumer_secret: &'static str,
    token_secret: &'static str,
    /// The signature as written into the header (already encoded).
    header_signature: Option<String>,
}

fn header_of(case: &Case) -> String {
    let mut items: Vec<String> = Vec::new();
    if let Some(r) = case.realm {
        items.push(format!("realm=\"{r}\""));
    }
    for (n, v) in &case.header_params {
        items.push(format!("{n}=\"{}\"", enc(v)));
    }
    items.push(format!("oauth_signature=\"{}\"", case.header_signature.clone().unwrap_or_else(|| enc(&case.signature))));
    format!("OAuth {}", items.join(", "))
}

#[test]
fn verify_names_each_common_mistake() {
    let db = TestDb::new("oauth1_verify");
    let mut c = db.superuser();
    c.batch_execute("CREATE EXTENSION IF NOT EXISTS pgcrypto").expect("pgcrypto (postgresql-contrib) is needed to sign with raw keys");
    let now: i64 = c.query_one("SELECT extract(epoch FROM now())::bigint", &[]).unwrap().get(0);
    let now_s = now.to_string();

    const CS: &str = "consumer secret/1";
    const TS: &str = "token secret+2";
    let host = "api.xero.com";
    let path = "/api.xro/2.0/Contacts";
    let query = "where=Name%20%3D%3D%20%22A%20B%22&page=1";
    let query_pairs = pairs(&[("where", "Name == \"A B\""), ("page", "1")]);
    let body = pairs(&[("Name", "Ladies Gentlemen"), ("a/", "1"), ("a-", "2")]);
    let oauth = |token: bool, sm: &str, ts: &str| -> Vec<(String, String)> {
        let mut p = pairs(&[("oauth_consumer_key", "ck-1234"), ("oauth_nonce", "n0nce"), ("oauth_timestamp", ts), ("oauth_version", "1.0"), ("oauth_signature_method", sm)]);
        if token {
            p.push(("oauth_token".into(), "tok-5678".into()));
        }
        p
    };
    let url = format!("https://{host}{path}?{query}");
    let base_url = format!("https://{host}{path}");
    // Everything a correct client signs, in collection order (query, body, oauth).
    let all = |token: bool, sm: &str, ts: &str| -> Vec<(String, String)> {
        query_pairs.iter().chain(&body).cloned().chain(oauth(token, sm, ts)).collect()
    };
    let hmac_key = |key: &str, base: &str, c: &mut Client| -> String { text(c, "SELECT encode(hmac($2, $1, 'sha1'), 'base64')", &[&key, &base]) };
    let sign = |base: &str, cs: &str, ts: &str, c: &mut Client| -> String { text(c, "SELECT xero_oauth1_signature($1, 'HMAC-SHA1', $2, $3)", &[&base, &cs, &ts]) };

    let rfc = Style::default();
    let mut cases: Vec<Case> = Vec::new();
    let case = |mistake: &'static str, client_base: String, signature: String| Case {
        mistake,
        method: "POST",
        url: url.clone(),
        body: body.clone(),
        client_base,
        signature,
        header_params: oauth(true, "HMAC-SHA1", &now_s),
        realm: None,
        consumer_secret: CS,
        token_secret: TS,
        header_signature: None,
    };
    let signed = |st: Style, method: &str, base_url: &str, params: &[(String, String)], c: &mut Client| -> (String, String) {
        let b = client_base_string(method, base_url, params, st);
        let sig = sign(&b, CS, TS, c);
        (b, sig)
    };
    let every = all(true, "HMAC-SHA1", &now_s);
    let without = |drop: &[(String, String)]| -> Vec<(String, String)> { every.iter().filter(|p| !drop.contains(p)).cloned().collect() };

    // Encoding mistakes.
    let (b, sig) = signed(Style { plus_for_space: true, ..rfc }, "POST", &base_url, &every, &mut c);
    cases.push(case("plus_for_space", b, sig));
    let (b, sig) = signed(Style { lower_hex: true, ..rfc }, "POST", &base_url, &every, &mut c);
    cases.push(case("lower_case_hex", b, sig));
    let (b, sig) = signed(Style { double_encode: true, ..rfc }, "POST", &base_url, &every, &mut c);
    cases.push(case("double_encoding", b, sig));
    let (b, sig) = signed(Style { no_encode: true, ..rfc }, "POST", &base_url, &every, &mut c);
    cases.push(case("parameters_not_encoded", b, sig));
    // Order mistakes.
    let (b, sig) = signed(Style { unsorted: true, ..rfc }, "POST", &base_url, &every, &mut c);
    cases.push(case("unsorted_parameters", b, sig));
    let (b, sig) = signed(Style { sort_decoded: true, ..rfc }, "POST", &base_url, &every, &mut c);
    cases.push(case("sorted_before_encoding", b, sig));
    // Parameters left out.
    let (b, sig) = signed(rfc, "POST", &base_url, &without(&query_pairs), &mut c);
    cases.push(case("missing_query_parameters", b, sig));
    let (b, sig) = signed(rfc, "POST", &base_url, &without(&body), &mut c);
    cases.push(case("missing_body_parameters", b, sig));
    // The base string URI.
    let (b, sig) = signed(rfc, "POST", &format!("https://{host}:443{path}"), &every, &mut c);
    cases.push(case("port_in_url", b, sig));
    let (b, sig) = signed(rfc, "POST", &format!("https://API.Xero.com{path}"), &every, &mut c);
    cases.push(Case { url: format!("https://API.Xero.com{path}?{query}"), ..case("upper_case_host", b, sig) });
    let (b, sig) = signed(rfc, "POST", &format!("http://{host}{path}"), &every, &mut c);
    cases.push(case("wrong_scheme", b, sig));
    let (b, sig) = signed(rfc, "POST", &format!("https://{host}{path}/"), &every, &mut c);
    cases.push(case("trailing_slash", b, sig));
    let (b, sig) = signed(rfc, "POST", &url, &every, &mut c);
    cases.push(case("query_in_base_url", b, sig));
    // The method.
    let (b, sig) = signed(rfc, "GET", &base_url, &every, &mut c);
    cases.push(case("wrong_method", b, sig));
    let (b, sig) = signed(rfc, "post", &base_url, &every, &mut c);
    cases.push(case("lower_case_method", b, sig));
    // realm signed.
    let mut with_realm = every.clone();
    with_realm.push(("realm".into(), "Xero".into()));
    let (b, sig) = signed(rfc, "POST", &base_url, &with_realm, &mut c);
    cases.push(Case { realm: Some("Xero"), ..case("realm_signed", b, sig) });

    // Signing-key mistakes (the right base string, the wrong key).
    let right = client_base_string("POST", &base_url, &every, rfc);
    let two_legged = client_base_string("POST", &base_url, &all(false, "HMAC-SHA1", &now_s), rfc);
    let sig = hmac_key(&enc(CS), &two_legged, &mut c);
    cases.push(Case { header_params: oauth(false, "HMAC-SHA1", &now_s), token_secret: "", ..case("missing_ampersand_in_key", two_legged.clone(), sig) });
    let sig = hmac_key(&format!("{CS}&{TS}"), &right, &mut c);
    cases.push(case("signing_key_not_encoded", right.clone(), sig));
    let sig = sign(&right, CS, "", &mut c);
    cases.push(case("missing_token_secret", right.clone(), sig));
    // The signature itself.
    let sig = sign(&right, CS, TS, &mut c);
    cases.push(Case { header_signature: Some(enc(&enc(&sig))), ..case("signature_encoded_twice", right.clone(), sig.clone()) });
    let plaintext_base = client_base_string("POST", &base_url, &every, rfc);
    cases.push(case("signature_method_mismatch", plaintext_base, format!("{}&{}", enc(CS), enc(TS))));
    // PLAINTEXT lets the server tell which secret is wrong.
    let pt = all(true, "PLAINTEXT", &now_s);
    let pt_base = client_base_string("POST", &base_url, &pt, rfc);
    cases.push(Case { header_params: oauth(true, "PLAINTEXT", &now_s), ..case("wrong_consumer_secret", pt_base.clone(), format!("wrong&{}", enc(TS))) });
    cases.push(Case { header_params: oauth(true, "PLAINTEXT", &now_s), ..case("wrong_token_secret", pt_base, format!("{}&wrong", enc(CS))) });
    // Timestamps: right signature, wrong time.
    let stale = (now - 3600).to_string();
    let stale_base = client_base_string("POST", &base_url, &all(true, "HMAC-SHA1", &stale), rfc);
    let sig = sign(&stale_base, CS, TS, &mut c);
    cases.push(Case { header_params: oauth(true, "HMAC-SHA1", &stale), ..case("stale_timestamp", stale_base, sig) });
    let bad_base = client_base_string("POST", &base_url, &all(true, "HMAC-SHA1", "yesterday"), rfc);
    let sig = sign(&bad_base, CS, TS, &mut c);
    cases.push(Case { header_params: oauth(true, "HMAC-SHA1", "yesterday"), ..case("bad_timestamp", bad_base, sig) });
    // Nothing known reproduces a wrong secret with HMAC-SHA1.
    let sig = sign(&right, "another secret", TS, &mut c);
    cases.push(case("unknown", right.clone(), sig));
    assert!(cases.len() >= 25);

    let mut seen = BTreeSet::new();
    for case in &cases {
        let header = header_of(case);
        let body = Value::Array(case.body.iter().map(|(n, v)| json!([n, v])).collect()).to_string();
        let row = c
            .query_one(
                "SELECT valid, mistake, hint, expected_base_string, client_base_string, received_signature, expected_signature, detail \
                 FROM xero_oauth1_verify($1, $2, $3::text::jsonb, $4, $5, $6)",
                &[&case.method, &case.url, &body, &header, &case.consumer_secret, &case.token_secret],
            )
            .unwrap_or_else(|e| panic!("{}: {e}", case.mistake));
        let valid: bool = row.get(0);
        let mistake: Option<String> = row.get(1);
        let hint: Option<String> = row.get(2);
        let client_base: Option<String> = row.get(4);
        let detail: String = row.get(7);
        assert!(!valid, "{}: a broken request verified: {detail}", case.mistake);
        assert_eq!(mistake.as_deref(), Some(case.mistake), "{}: {detail}\nclient signed: {}", case.mistake, case.client_base);
        assert!(hint.as_deref().is_some_and(|h| h.len() > 20), "{}: no hint", case.mistake);
        if let Some(cb) = client_base {
            assert_eq!(cb, case.client_base, "{}: client_base_string is not what the client signed", case.mistake);
        }
        for secret in [CS, TS, &enc(CS), &enc(TS)] {
            assert!(!detail.contains(secret), "{}: detail shows a secret: {detail}", case.mistake);
        }
        seen.insert(case.mistake);
    }
    // The base-string mistakes say what the client signed.
    let row = c
        .query_one(
            "SELECT client_base_string, expected_base_string FROM xero_oauth1_verify($1, $2, $3::text::jsonb, $4, $5, $6)",
            &[&"POST", &url, &Value::Array(body.iter().map(|(n, v)| json!([n, v])).collect()).to_string(), &header_of(&cases[0]), &CS, &TS],
        )
        .unwrap();
    assert_eq!(row.get::<_, Option<String>>(0).as_deref(), Some(cases[0].client_base.as_str()), "plus_for_space: client_base_string");
    assert_eq!(row.get::<_, String>(1), right, "expected_base_string is RFC 5849's");
    assert_eq!(seen.len(), cases.len(), "one row per mistake");
}

#[test]
fn verify_accepts_valid_requests_for_all_three_methods() {
    let all = vectors();
    let rsa = all["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| s(&v["id"]) == Some("pub-testcases-rsa-sha1"))
        .expect("the oauth.net RSA-SHA1 test case (its key pair) in published_vectors.json");
    let (private, public) = (s(&rsa["rsa_private_key_pem"]).unwrap(), s(&rsa["rsa_public_key_pem"]).unwrap());
    let db = TestDb::new("oauth1_valid");
    let mut c = db.superuser();
    let url = "https://api.xero.com/api.xro/2.0/Invoices?where=Status%3D%3D%22PAID%22&page=2";
    let body = json!([["Name", "Ladies + Gentlemen"], ["Emoji", "é ☃"]]);

    for sm in ["HMAC-SHA1", "PLAINTEXT", "RSA-SHA1"] {
        let req = Req {
            params: body.clone(),
            consumer_secret: "cs-abc".into(),
            token: Some("tok".into()),
            token_secret: "ts-def".into(),
            signature_method: sm.into(),
            rsa_private_key: (sm == "RSA-SHA1").then(|| private.to_string()),
            ..Req::new("POST", url)
        };
        let header = req.header(&mut c);
        let public_key = (sm == "RSA-SHA1").then_some(public);
        let row = c
            .query_one(
                "SELECT valid, mistake, detail, expected_signature, received_signature FROM xero_oauth1_verify('POST', $1, $2::text::jsonb, $3, $4, $5, $6)",
                &[&url, &body.to_string(), &header, &if sm == "RSA-SHA1" { "" } else { "cs-abc" }, &"ts-def", &public_key],
            )
            .unwrap();
        let (valid, mistake, detail): (bool, Option<String>, String) = (row.get(0), row.get(1), row.get(2));
        assert!(valid && mistake.is_none(), "{sm}: {mistake:?} {detail}");
        if sm == "HMAC-SHA1" {
            assert_eq!(row.get::<_, Option<String>>(3), Some(row.get::<_, String>(4)));
        } else {
            assert_eq!(row.get::<_, Option<String>>(3), None, "{sm}: no expected signature shown");
        }
        if sm == "PLAINTEXT" {
            let received: String = row.get(4);
            assert!(!received.contains("cs-abc"), "PLAINTEXT signature (the secrets) shown: {received}");
        }
        if sm == "PLAINTEXT" {
            continue; // PLAINTEXT signs no request data
        }
        // The same header fails when the body is not what was signed.
        let row = c.query_one("SELECT valid FROM xero_oauth1_verify('POST', $1, '[]', $2, $3, 'ts-def', $4)", &[&url, &header, &if sm == "RSA-SHA1" { "" } else { "cs-abc" }, &public_key]).unwrap();
        assert!(!row.get::<_, bool>(0), "{sm}: verified without its body");
    }
}
