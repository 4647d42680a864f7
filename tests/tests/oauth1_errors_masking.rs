//! The OAuth 1.0a signing functions' errors, masking and nonces: bad input is 22023 with a hint
//! and without a secret, `xero_oauth1_explain` masks secrets and keys, nonces are fresh unless
//! given.

use std::collections::BTreeSet;

use serde_json::json;
use xero_dbtests::oauth1_vectors::*;
use xero_dbtests::*;

#[test]
fn bad_input_is_22023_with_a_hint_and_no_secret() {
    let db = TestDb::new("oauth1_errors");
    let mut c = db.superuser();
    let cs = "TopSecretConsumer-9f8e7d";
    let ts = "TopSecretToken-1a2b3c";
    let key_body = "MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu";
    let bad_pem = format!("-----BEGIN RSA PRIVATE KEY-----\n{key_body}\n-----END RSA PRIVATE KEY-----");
    let bad_public = format!("-----BEGIN PUBLIC KEY-----\n{key_body}\n-----END PUBLIC KEY-----");
    let h = "OAuth oauth_consumer_key=\"ck\", oauth_signature_method=\"HMAC-SHA1\", oauth_signature=\"x\"";
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        ("unknown signature method", format!("SELECT xero_oauth1_signature('bs', 'HMAC-SHA256', '{cs}', '{ts}')"), vec!["unknown signature method", "HMAC-SHA1"]),
        ("case of the method name", format!("SELECT xero_oauth1_signature('bs', 'hmac-sha1', '{cs}')"), vec!["did you mean HMAC-SHA1"]),
        ("unknown method in the header fn", format!("SELECT xero_oauth1_authorization_header('GET', 'https://a.example/', consumer_key => 'ck', consumer_secret => '{cs}', signature_method => 'SHA1')"), vec!["unknown signature method"]),
        ("bad PEM", format!("SELECT xero_oauth1_signature('bs', 'RSA-SHA1', rsa_private_key => '{bad_pem}')"), vec!["invalid RSA private key"]),
        ("not PEM at all", format!("SELECT xero_oauth1_authorization_header('GET', 'https://a.example/', consumer_key => 'ck', signature_method => 'RSA-SHA1', rsa_private_key => '{key_body}')"), vec!["BEGIN"]),
        ("RSA without a key", "SELECT xero_oauth1_signature('bs', 'RSA-SHA1')".into(), vec!["needs an RSA private key"]),
        ("bad public key", format!("SELECT * FROM xero_oauth1_verify('GET', 'https://a.example/', '[]', '{h}', rsa_public_key => '{bad_public}')"), vec!["invalid RSA public key"]),
        ("relative URL", format!("SELECT xero_oauth1_authorization_header('GET', '/api.xro/2.0/Invoices', consumer_key => 'ck', consumer_secret => '{cs}', token_secret => '{ts}')"), vec!["invalid URL"]),
        ("URL with a space", "SELECT xero_oauth1_signature_base_string('GET', 'https://a.example/a b')".into(), vec!["space"]),
        ("ftp URL", "SELECT xero_oauth1_signature_base_string('GET', 'ftp://a.example/')".into(), vec!["scheme"]),
        ("bad method", "SELECT xero_oauth1_signature_base_string('GE T', 'https://a.example/')".into(), vec!["invalid HTTP method"]),
        ("params a string", "SELECT xero_oauth1_signature_base_string('GET', 'https://a.example/', '\"page=1\"')".into(), vec!["params is a string"]),
        ("params a number", "SELECT xero_oauth1_signature_base_string('GET', 'https://a.example/', '42')".into(), vec!["params is a number"]),
        ("params elements not pairs", "SELECT xero_oauth1_signature_base_string('GET', 'https://a.example/', '[\"a\", \"b\"]')".into(), vec!["params element 1", "[name, value]"]),
        ("a pair of three", "SELECT xero_oauth1_signature_base_string('GET', 'https://a.example/', '[[\"a\", \"b\", \"c\"]]')".into(), vec!["more than two"]),
        ("a null value", format!("SELECT xero_oauth1_authorization_header('GET', 'https://a.example/', '[[\"a\", null]]', 'ck', '{cs}')"), vec!["is null"]),
        ("an object value", "SELECT xero_oauth1_signature_base_string('GET', 'https://a.example/', '{\"a\": {\"b\": 1}}')".into(), vec!["params key \"a\" is an object"]),
        ("reserved parameter", format!("SELECT xero_oauth1_authorization_header('GET', 'https://a.example/', '[[\"oauth_token\", \"{ts}\"]]', 'ck', '{cs}')"), vec!["oauth_token"]),
        ("NULL consumer_key", format!("SELECT xero_oauth1_authorization_header('GET', 'https://a.example/', consumer_secret => '{cs}')"), vec!["consumer_key must not be NULL"]),
        ("NULL base string", "SELECT xero_oauth1_signature(NULL, 'HMAC-SHA1')".into(), vec!["base_string must not be NULL"]),
        ("negative timestamp", "SELECT xero_oauth1_authorization_header('GET', 'https://a.example/', consumer_key => 'ck', \"timestamp\" => -1)".into(), vec!["timestamp"]),
        ("nonce omitted with HMAC", "SELECT xero_oauth1_authorization_header('GET', 'https://a.example/', consumer_key => 'ck', omit_nonce_and_timestamp => true)".into(), vec!["PLAINTEXT only"]),
        ("malformed header", format!("SELECT * FROM xero_oauth1_verify('GET', 'https://a.example/', '[]', 'Bearer {ts}', '{cs}', '{ts}')"), vec!["malformed OAuth Authorization header"]),
        ("unsigned header", format!("SELECT * FROM xero_oauth1_verify('GET', 'https://a.example/', '[]', 'OAuth oauth_consumer_key=\"ck\"', '{cs}', '{ts}')"), vec!["no oauth_signature"]),
        ("negative skew", format!("SELECT * FROM xero_oauth1_verify('GET', 'https://a.example/', '[]', '{h}', max_skew_seconds => -5)"), vec!["max_skew_seconds"]),
    ];
    for (what, sql, needles) in cases {
        let e = expect_error(c.query(&sql, &[]));
        assert_eq!(e.code, SqlState::INVALID_PARAMETER_VALUE, "{what}: {}", e.all_text());
        let all = e.all_text();
        for n in needles {
            assert!(all.contains(n), "{what}: {n:?} not in {all}");
        }
        assert!(e.hint.as_deref().is_some_and(|h| !h.is_empty()), "{what}: no HINT: {all}");
        for secret in [cs, ts, key_body] {
            assert!(!all.contains(secret), "{what}: the error shows a secret: {all}");
        }
    }
}

#[test]
fn explain_masks_secrets_and_matches_the_header() {
    let db = TestDb::new("oauth1_explain");
    let mut c = db.superuser();
    for sm in ["HMAC-SHA1", "PLAINTEXT"] {
        let req = Req {
            params: json!({"Name": "Ladies + Gentlemen"}),
            consumer_secret: "SecretConsumerValue".into(),
            token: Some("tok".into()),
            token_secret: "SecretTokenValue".into(),
            signature_method: sm.into(),
            nonce: Some("n0nce".into()),
            timestamp: Some(1_700_000_000),
            realm: Some("Xero".into()),
            ..Req::new("POST", "https://api.xero.com/api.xro/2.0/Contacts?page=1")
        };
        let steps = req.explain(&mut c);
        let header = req.header(&mut c);
        for (_, name, value) in &steps {
            for secret in ["SecretConsumerValue", "SecretTokenValue"] {
                assert!(!value.contains(secret), "{sm}: step {name} shows a secret: {value}");
            }
        }
        assert_eq!(step(&steps, "signing key"), "<consumer_secret:19 chars>&<token_secret:16 chars>", "{sm}");
        let sources: Vec<&str> = steps.iter().filter(|s| s.0 == 1).map(|s| s.1.as_str()).collect();
        for src in ["parameter (query)", "parameter (body)", "parameter (oauth)"] {
            assert!(sources.contains(&src), "{sm}: no {src} row: {sources:?}");
        }
        assert!(steps.iter().any(|s| s.1 == "encoded parameter" && s.2 == "Name=Ladies%20%2B%20Gentlemen"), "{sm}: {steps:?}");
        assert_eq!(step(&steps, "base string URI"), "https://api.xero.com/api.xro/2.0/Contacts");
        assert_eq!(step(&steps, "normalized parameters").split('&').next(), Some("Name=Ladies%20%2B%20Gentlemen"));
        let steps_in_order: Vec<i32> = steps.iter().map(|s| s.0).collect();
        assert!(steps_in_order.windows(2).all(|w| w[0] <= w[1]) && steps_in_order.last() == Some(&9), "{steps_in_order:?}");
        if sm == "HMAC-SHA1" {
            assert_eq!(step(&steps, "authorization header"), header);
            let sig = text(&mut c, "SELECT xero_oauth1_signature($1, 'HMAC-SHA1', 'SecretConsumerValue', 'SecretTokenValue')", &[&step(&steps, "base string")]);
            assert_eq!(step(&steps, "signature"), sig);
        } else {
            assert!(header.contains("SecretConsumerValue"), "PLAINTEXT sends the secrets: {header}");
            assert!(step(&steps, "authorization header").ends_with("oauth_signature=\"<consumer_secret:19 chars>&<token_secret:16 chars>\""));
            assert_eq!(step(&steps, "signature"), "<consumer_secret:19 chars>&<token_secret:16 chars>");
        }
    }
    // RSA keys are shown as their size.
    let all = vectors();
    let v = all["vectors"].as_array().unwrap().iter().find(|v| s(&v["id"]) == Some("pub-xero-net-request-token-rsa2048")).expect("the XeroAPI.Net 2048-bit vector");
    let key = s(&v["rsa_private_key_pem"]).unwrap();
    let steps = Req { signature_method: "RSA-SHA1".into(), rsa_private_key: Some(key.into()), ..Req::new("GET", "https://api.xero.com/api.xro/2.0/Invoices") }.explain(&mut c);
    assert_eq!(step(&steps, "signing key"), "<RSA private key:2048 bits>");
    let body: String = key.lines().nth(1).unwrap().to_string();
    assert!(steps.iter().all(|s| !s.2.contains(&body)), "the key shows");
}

#[test]
fn nonces_are_fresh_unless_given() {
    let db = TestDb::new("oauth1_nonce");
    let mut c = db.superuser();
    let nonce_of = |h: &str| -> String { h.split("oauth_nonce=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or_else(|| panic!("no nonce: {h}")).to_string() };
    let rows = c
        .query(
            "SELECT xero_oauth1_authorization_header('GET', 'https://api.xero.com/api.xro/2.0/Invoices', consumer_key => 'ck', consumer_secret => 'cs') FROM generate_series(1, 200)",
            &[],
        )
        .unwrap();
    let nonces: BTreeSet<String> = rows.iter().map(|r| nonce_of(&r.get::<_, String>(0))).collect();
    assert_eq!(nonces.len(), 200, "a NULL nonce must be fresh on every call");
    assert!(nonces.iter().all(|n| n.len() == 32 && n.bytes().all(|b| b.is_ascii_hexdigit())), "{nonces:?}");
    // The timestamp is now.
    let h: String = rows[0].get(0);
    let ts: i64 = h.split("oauth_timestamp=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
    let now: i64 = c.query_one("SELECT extract(epoch FROM clock_timestamp())::bigint", &[]).unwrap().get(0);
    assert!((now - ts).abs() <= 5, "timestamp {ts} is not now ({now})");
    // Given both, the header is deterministic.
    let sql = "SELECT xero_oauth1_authorization_header('GET', 'https://api.xero.com/api.xro/2.0/Invoices', consumer_key => 'ck', consumer_secret => 'cs', nonce => 'abc', \"timestamp\" => 1700000000) FROM generate_series(1, 3)";
    let fixed: BTreeSet<String> = c.query(sql, &[]).unwrap().iter().map(|r| r.get(0)).collect();
    assert_eq!(fixed.len(), 1);
    assert!(fixed.iter().next().unwrap().contains("oauth_nonce=\"abc\", oauth_timestamp=\"1700000000\""));
    // explain draws its own nonce and shows it consistently.
    let steps = Req::new("GET", "https://api.xero.com/api.xro/2.0/Invoices").explain(&mut c);
    let n = steps.iter().find(|s| s.2.starts_with("oauth_nonce=")).unwrap().2.trim_start_matches("oauth_nonce=").to_string();
    assert!(step(&steps, "authorization header").contains(&format!("oauth_nonce=\"{n}\"")));
}
