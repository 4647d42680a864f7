//! `verify`, table-driven: one deliberately broken request per `Mistake`, each built by the
//! independent client in `common/client.rs`.

mod common;

use common::client::*;
use xero_oauth1::*;

struct Case {
    mistake: Mistake,
    method: &'static str,
    url: &'static str,
    header: String,
    token_secret: &'static str,
    /// The base string the broken client signed, when the mistake is in the base string.
    client_base: Option<String>,
    public_key: Option<String>,
}

fn hmac_case(mistake: Mistake, client: Client, oauth: &[(String, String)]) -> Case {
    let base = client.base_string();
    Case {
        mistake,
        method: "POST",
        url: URL,
        header: header(None, oauth, &hmac(&base, CS, TS)),
        token_secret: TS,
        client_base: Some(base),
        public_key: None,
    }
}

fn cases() -> Vec<Case> {
    let ts = NOW.to_string();
    let o = oauth("HMAC-SHA1", true, &ts);
    let full = Client::new(all_params(&o));
    let correct = full.base_string();
    let with = |f: &dyn Fn(&mut Client)| {
        let mut c = full.clone();
        f(&mut c);
        c
    };
    let mut v = vec![
        hmac_case(Mistake::PlusForSpace, with(&|c| c.enc = Enc::Plus), &o),
        hmac_case(Mistake::LowerCaseHex, with(&|c| c.enc = Enc::LowerHex), &o),
        hmac_case(
            Mistake::DoubleEncoding,
            with(&|c| c.inner_encodings = 2),
            &o,
        ),
        hmac_case(
            Mistake::ParametersNotEncoded,
            with(&|c| c.inner_encodings = 0),
            &o,
        ),
        hmac_case(Mistake::UnsortedParameters, with(&|c| c.sort = false), &o),
        hmac_case(
            Mistake::SortedBeforeEncoding,
            with(&|c| c.sort_decoded = true),
            &o,
        ),
        hmac_case(
            Mistake::MissingQueryParameters,
            with(&|c| c.params.retain(|(n, _)| n != "where" && n != "page")),
            &o,
        ),
        hmac_case(
            Mistake::MissingBodyParameters,
            with(&|c| c.params.retain(|p| !body().contains(p))),
            &o,
        ),
        hmac_case(
            Mistake::QueryInBaseUrl,
            with(&|c| c.base_url = URL.to_string()),
            &o,
        ),
        hmac_case(
            Mistake::PortInUrl,
            with(&|c| c.base_url = BASE_URL.replace(".com/", ".com:443/")),
            &o,
        ),
        hmac_case(
            Mistake::WrongScheme,
            with(&|c| c.base_url = BASE_URL.replace("https", "http")),
            &o,
        ),
        hmac_case(
            Mistake::TrailingSlash,
            with(&|c| c.base_url = format!("{BASE_URL}/")),
            &o,
        ),
        hmac_case(Mistake::WrongMethod, with(&|c| c.method = "PUT".into()), &o),
        hmac_case(
            Mistake::LowerCaseMethod,
            with(&|c| c.method = "post".into()),
            &o,
        ),
    ];
    // Upper-case host: the request line carries it, the client signed it as is.
    let mut upper = hmac_case(
        Mistake::UpperCaseHost,
        with(&|c| c.base_url = BASE_URL.replace("api.xero.com", "API.Xero.com")),
        &o,
    );
    upper.url = "https://API.Xero.com/api.xro/2.0/Invoices?where=Status%3D%3D%22DRAFT%22&page=2";
    v.push(upper);

    let mut realm_params = all_params(&o);
    realm_params.push(("realm".into(), "Xero".into()));
    let realm_base = Client::new(realm_params).base_string();
    v.push(Case {
        header: header(Some("Xero"), &o, &hmac(&realm_base, CS, TS)),
        client_base: Some(realm_base),
        ..hmac_case(Mistake::RealmSigned, full.clone(), &o)
    });

    // Signing-key mistakes.
    let key_case = |mistake, header: String, token_secret| Case {
        mistake,
        method: "POST",
        url: URL,
        header,
        token_secret,
        client_base: None,
        public_key: None,
    };
    let two_legged = oauth("HMAC-SHA1", false, &ts);
    let two_legged_base = Client::new(all_params(&two_legged)).base_string();
    v.push(key_case(
        Mistake::MissingAmpersandInKey,
        header(
            None,
            &two_legged,
            &hmac_raw_key(&two_legged_base, &percent_encode(CS)),
        ),
        "",
    ));
    v.push(key_case(
        Mistake::SigningKeyNotEncoded,
        header(None, &o, &hmac_raw_key(&correct, &format!("{CS}&{TS}"))),
        TS,
    ));
    v.push(key_case(
        Mistake::MissingTokenSecret,
        header(None, &o, &hmac(&correct, CS, "")),
        TS,
    ));
    let p = oauth("PLAINTEXT", true, &ts);
    v.push(key_case(
        Mistake::WrongConsumerSecret,
        header(None, &p, &format!("wrong&{}", percent_encode(TS))),
        TS,
    ));
    v.push(key_case(
        Mistake::WrongTokenSecret,
        header(None, &p, &format!("{}&wrong", percent_encode(CS))),
        TS,
    ));
    // The header carries the signature encoded twice.
    let good = hmac(&correct, CS, TS);
    v.push(key_case(
        Mistake::SignatureEncodedTwice,
        header(None, &o, &percent_encode(&good)),
        TS,
    ));
    // Declared HMAC-SHA1, sent the PLAINTEXT signature.
    v.push(key_case(
        Mistake::SignatureMethodMismatch,
        header(None, &o, &signing_key(CS, TS)),
        TS,
    ));
    // Right signature, old timestamp.
    let old = oauth("HMAC-SHA1", true, &(NOW - 3600).to_string());
    let old_base = Client::new(all_params(&old)).base_string();
    v.push(key_case(
        Mistake::StaleTimestamp,
        header(None, &old, &hmac(&old_base, CS, TS)),
        TS,
    ));
    let bad = oauth("HMAC-SHA1", true, "soon");
    let bad_base = Client::new(all_params(&bad)).base_string();
    v.push(key_case(
        Mistake::BadTimestamp,
        header(None, &bad, &hmac(&bad_base, CS, TS)),
        TS,
    ));
    // Wrong consumer secret with HMAC: not something a single known mistake reproduces.
    v.push(key_case(
        Mistake::Unknown,
        header(None, &o, &hmac(&correct, "other", TS)),
        TS,
    ));
    v
}

fn run(case: &Case) -> Verification {
    verify(
        case.method,
        case.url,
        &body(),
        &case.header,
        CS,
        case.token_secret,
        case.public_key.as_deref(),
        NOW,
        SKEW,
    )
    .unwrap_or_else(|e| panic!("{}: verify failed: {e}", case.mistake))
}

#[test]
fn every_mistake_is_recognised() {
    let cases = cases();
    let mut covered: Vec<Mistake> = cases.iter().map(|c| c.mistake).collect();
    for case in &cases {
        let r = run(case);
        assert!(!r.valid, "{}: should not verify", case.mistake);
        assert_eq!(
            r.mistake,
            Some(case.mistake),
            "{}: detail: {}",
            case.mistake,
            r.detail
        );
        assert!(
            r.detail.contains(case.mistake.hint()),
            "{}: hint missing",
            case.mistake
        );
        if let Some(base) = &case.client_base {
            if !matches!(
                case.mistake,
                Mistake::StaleTimestamp | Mistake::BadTimestamp
            ) {
                assert_eq!(
                    r.client_base_string.as_ref(),
                    Some(base),
                    "{}",
                    case.mistake
                );
            }
        }
        for secret in [CS, TS, "c%20s%261"] {
            assert!(
                !r.detail.contains(secret),
                "{}: detail reveals a secret: {}",
                case.mistake,
                r.detail
            );
        }
    }
    // RSA-specific mismatch is covered below; every other variant needs a case here.
    covered.push(Mistake::SignatureMethodMismatch);
    for m in Mistake::ALL {
        assert!(covered.contains(&m), "no broken request for {m}");
    }
}

#[test]
fn stale_timestamp_is_reported_with_its_distance() {
    let body = body();
    let req = AuthorizationRequest {
        params: &body,
        nonce: Some("x"),
        timestamp: Some(NOW + 1000),
        ..AuthorizationRequest::new("POST", URL, "ck", CS)
    };
    let h = authorization_header(&req).unwrap();
    let r = verify("POST", URL, &body, &h, CS, "", None, NOW, SKEW).unwrap();
    assert!(!r.valid);
    assert_eq!(r.mistake, Some(Mistake::StaleTimestamp));
    assert!(r.detail.contains("1000 s ahead of"), "{}", r.detail);
    // Inside the window it is fine.
    assert!(
        verify("POST", URL, &body, &h, CS, "", None, NOW + 900, SKEW)
            .unwrap()
            .valid
    );
}

#[test]
fn inputs_that_cannot_be_judged_are_errors() {
    let h = "OAuth oauth_consumer_key=\"ck\", oauth_signature_method=\"HMAC-SHA1\"";
    assert_eq!(
        verify("GET", URL, &[], h, CS, "", None, NOW, SKEW),
        Err(Error::MissingSignature)
    );
    let h = "OAuth oauth_signature_method=\"HMAC-SHA256\", oauth_signature=\"x\"";
    assert!(matches!(
        verify("GET", URL, &[], h, CS, "", None, NOW, SKEW),
        Err(Error::UnknownSignatureMethod { .. })
    ));
    let h = "OAuth oauth_nonce=\"a\", oauth_nonce=\"b\", oauth_signature_method=\"HMAC-SHA1\", oauth_signature=\"x\"";
    assert!(matches!(
        verify("GET", URL, &[], h, CS, "", None, NOW, SKEW),
        Err(Error::DuplicateProtocolParameter { .. })
    ));
    let h = "OAuth oauth_signature_method=\"RSA-SHA1\", oauth_signature=\"x\"";
    assert!(matches!(
        verify("GET", URL, &[], h, "", "", Some("not a key"), NOW, SKEW),
        Err(Error::InvalidRsaKey { .. })
    ));
    assert!(matches!(
        verify("GET", "ftp://x/", &[], h, "", "", None, NOW, SKEW),
        Err(Error::UnsupportedScheme { .. })
    ));
}
