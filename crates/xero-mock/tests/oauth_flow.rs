//! OAuth 2.0 and Identity behaviour through real HTTP.

mod common;

use common::Mock;
use serde_json::json;

const BASIC_DEMO: &str = "Basic ZGVtby1jbGllbnQ6ZGVtby1zZWNyZXQ="; // demo-client:demo-secret
const REDIRECT: &str = "http://localhost:8765/callback";

fn authorize(m: &Mock, challenge: Option<&str>) -> String {
    let mut q = form_query(&[
        ("response_type", "code"),
        ("client_id", "demo-client"),
        ("redirect_uri", REDIRECT),
        ("scope", "openid offline_access accounting.transactions"),
        ("state", "xyz 1"),
    ]);
    if let Some(c) = challenge {
        q.push_str(&format!("&code_challenge={c}&code_challenge_method=S256"));
    }
    let r = m.get(&format!("/identity/connect/authorize?{q}"), &[]);
    assert_eq!(r.status, 302, "{}", r.body);
    let location = r.header("location").expect("redirect").to_string();
    let (target, query) = location.split_once('?').unwrap();
    assert_eq!(target, REDIRECT);
    let params: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    assert!(
        params.contains(&("state".into(), "xyz 1".into())),
        "{location}"
    );
    params
        .into_iter()
        .find(|(k, _)| k == "code")
        .expect("code")
        .1
}

fn form_query(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

fn exchange(m: &Mock, code: &str, verifier: Option<&str>, redirect: &str) -> common::Resp {
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect),
    ];
    if let Some(v) = verifier {
        form.push(("code_verifier", v));
    }
    m.post_form("/connect/token", &[("authorization", BASIC_DEMO)], &form)
}

#[test]
fn authorization_code_with_pkce() {
    let m = Mock::small();
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    // Wrong verifier: invalid_grant, and the code is spent.
    let code = authorize(&m, Some(challenge));
    let r = exchange(&m, &code, Some("wrong-verifier"), REDIRECT);
    assert_eq!(
        (r.status, r.json()["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert_eq!(
        exchange(&m, &code, Some(verifier), REDIRECT).json()["error"],
        "invalid_grant"
    );

    // Missing verifier when a challenge was given.
    let code = authorize(&m, Some(challenge));
    assert_eq!(
        exchange(&m, &code, None, REDIRECT).json()["error"],
        "invalid_grant"
    );

    // redirect_uri must match.
    let code = authorize(&m, Some(challenge));
    assert_eq!(
        exchange(&m, &code, Some(verifier), "http://evil/cb").json()["error"],
        "invalid_grant"
    );

    let code = authorize(&m, Some(challenge));
    let r = exchange(&m, &code, Some(verifier), REDIRECT);
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["expires_in"], 1800);
    assert_eq!(v["scope"], "openid offline_access accounting.transactions");
    assert!(v["refresh_token"].as_str().is_some_and(|t| !t.is_empty()));
    // Single use.
    assert_eq!(
        exchange(&m, &code, Some(verifier), REDIRECT).json()["error"],
        "invalid_grant"
    );

    // The token works on /connections and lists every tenant.
    let bearer = format!("Bearer {}", v["access_token"].as_str().unwrap());
    let conns = m.get("/connections", &[("authorization", &bearer)]).json();
    let conns = conns.as_array().unwrap();
    assert_eq!(conns.len(), 2);
    assert_eq!(conns[0]["tenantName"], "Demo Company (NZ)");
    assert_eq!(conns[1]["tenantName"], "Demo Company 2 (AU)");
    assert_eq!(conns[0]["tenantType"], "ORGANISATION");
    assert_eq!(conns[0]["tenantId"], m.tenant(0));
    assert!(conns[0]["authEventId"].is_string() && conns[0]["createdDateUtc"].is_string());
    assert_eq!(m.get("/connections", &[]).status, 401);

    // Without PKCE and with client credentials in the form body.
    let code = authorize(&m, None);
    let r = m.post_form(
        "/connect/token",
        &[],
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("client_id", "demo-client"),
            ("client_secret", "demo-secret"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let stats = m.stats();
    assert_eq!(stats["authorize"], 5);
    assert_eq!(stats["token:authorization_code"], 7);
    assert_eq!(stats["connections"], 2);
}

#[test]
fn token_endpoint_errors() {
    let m = Mock::small();
    let post = |headers: &[(&str, &str)], form: &[(&str, &str)]| {
        m.post_form("/connect/token", headers, form)
    };
    let r = post(
        &[("authorization", "Basic ZGVtby1jbGllbnQ6bm9wZQ==")],
        &[("grant_type", "refresh_token"), ("refresh_token", "x")],
    );
    assert_eq!(
        (r.status, r.json()["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let r = post(
        &[],
        &[("grant_type", "refresh_token"), ("refresh_token", "x")],
    );
    assert_eq!(r.json()["error"], "invalid_client");
    let r = post(
        &[("authorization", BASIC_DEMO)],
        &[("grant_type", "password")],
    );
    assert_eq!(
        (r.status, r.json()["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
    let r = post(&[("authorization", BASIC_DEMO)], &[("refresh_token", "x")]);
    assert_eq!(r.json()["error"], "invalid_request");
    let r = post(
        &[("authorization", BASIC_DEMO)],
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", "unknown"),
        ],
    );
    assert_eq!(
        (r.status, r.json()["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    // authorize: unknown client and missing parameters are readable 400s.
    let r = m.get("/identity/connect/authorize?response_type=code&client_id=nobody&redirect_uri=http://x/&scope=openid", &[]);
    assert_eq!(r.status, 400);
    assert!(r.body.contains("unknown client_id"), "{}", r.body);
    let r = m.get(
        "/identity/connect/authorize?response_type=code&client_id=demo-client&scope=openid",
        &[],
    );
    assert_eq!(r.status, 400);
    assert!(r.body.contains("redirect_uri"), "{}", r.body);
    let stats = m.stats();
    assert_eq!(stats["token:refresh_token"], 3);
    assert_eq!(stats["token:"], 1);
    assert_eq!(stats["token:password"], 1);
    assert_eq!(stats["authorize"], 2);
}

#[test]
fn refresh_rotation_grace_and_revocation() {
    let m = Mock::small();
    let (_, rt1) = m.tokens();
    let refresh = |rt: &str| {
        m.post_form(
            "/connect/token",
            &[("authorization", BASIC_DEMO)],
            &[("grant_type", "refresh_token"), ("refresh_token", rt)],
        )
    };
    let r = refresh(&rt1);
    assert_eq!(r.status, 200, "{}", r.body);
    let rt2 = r.json()["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(rt1, rt2);
    // The rotated token still works within the 30-minute grace and yields a fresh set.
    m.admin("POST", "clock", json!({"advance_seconds": 29 * 60}));
    let r = refresh(&rt1);
    assert_eq!(r.status, 200, "{}", r.body);
    let rt3 = r.json()["refresh_token"].as_str().unwrap().to_string();
    assert!(rt3 != rt1 && rt3 != rt2);
    m.admin("POST", "clock", json!({"advance_seconds": 2 * 60}));
    let r = refresh(&rt1);
    assert_eq!(
        (r.status, r.json()["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    // Tokens issued from it were never rotated, so they still work.
    assert_eq!(refresh(&rt2).status, 200);
    // Revocation.
    m.admin("POST", "tokens/revoke", json!({"refresh_token": rt3}));
    assert_eq!(refresh(&rt3).json()["error"], "invalid_grant");
    let (_, rt4) = m.tokens();
    m.admin("POST", "tokens/revoke", json!({"all": true}));
    assert_eq!(refresh(&rt4).json()["error"], "invalid_grant");
}

#[test]
fn access_tokens_expire_after_30_minutes_of_mock_time() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    assert_eq!(m.api(&at, 0, "Organisation").status, 200);
    m.admin("POST", "clock", json!({"advance_seconds": 1801}));
    let r = m.api(&at, 0, "Organisation");
    assert_eq!(r.status, 401);
    let v = r.json();
    assert_eq!(v["Title"], "Unauthorized");
    assert!(
        v["Detail"]
            .as_str()
            .unwrap()
            .starts_with("TokenExpired: token expired at "),
        "{v}"
    );
    assert_eq!(
        r.header("www-authenticate"),
        Some("Bearer error=\"invalid_token\"")
    );
    let r = m.api("not-a-token", 0, "Organisation");
    assert_eq!(
        (r.status, r.json()["Detail"].as_str()),
        (401, Some("AuthenticationUnsuccessful"))
    );
    assert!(r.json()["Instance"].is_string());
}

#[test]
fn client_credentials_bind_to_the_first_tenant() {
    let m = Mock::small();
    let r = m.post_form(
        "/connect/token",
        &[],
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "custom-client"),
            ("client_secret", "custom-secret"),
            ("scope", "accounting.transactions offline_access"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert!(v.get("refresh_token").is_none(), "{v}");
    assert_eq!(v["scope"], "accounting.transactions");
    let bearer = format!("Bearer {}", v["access_token"].as_str().unwrap());
    let accept = ("accept", "application/json");
    let org = m.get(
        "/api.xro/2.0/Organisation",
        &[("authorization", &bearer), accept],
    );
    assert_eq!(org.status, 200, "{}", org.body);
    assert_eq!(org.json()["Organisations"][0]["Name"], "Demo Company (NZ)");
    let other = m.tenant(1);
    let r = m.get(
        "/api.xro/2.0/Organisation",
        &[
            ("authorization", &bearer),
            ("xero-tenant-id", &other),
            accept,
        ],
    );
    assert_eq!(r.status, 403);
    let conns = m.get("/connections", &[("authorization", &bearer)]).json();
    assert_eq!(conns.as_array().unwrap().len(), 1);
    // A normal app may not use client_credentials.
    let r = m.post_form(
        "/connect/token",
        &[("authorization", BASIC_DEMO)],
        &[("grant_type", "client_credentials")],
    );
    assert_eq!(
        (r.status, r.json()["error"].as_str()),
        (400, Some("unauthorized_client"))
    );
    assert_eq!(m.stats()["token:client_credentials"], 2);
}

#[test]
fn tenant_header_is_required_for_user_tokens() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    let bearer = format!("Bearer {at}");
    let r = m.get(
        "/api.xro/2.0/Organisation",
        &[("authorization", &bearer), ("accept", "application/json")],
    );
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["Title"], "Forbidden");
    assert_eq!(r.json()["Detail"], "AuthenticationUnsuccessful");
    let r = m.get(
        "/api.xro/2.0/Organisation",
        &[
            ("authorization", &bearer),
            ("xero-tenant-id", "00000000-0000-0000-0000-000000000000"),
        ],
    );
    assert_eq!(r.status, 403);
    let org = m.api(&at, 1, "Organisation").json();
    let org = &org["Organisations"][0];
    assert_eq!(org["Name"], "Demo Company 2 (AU)");
    assert_eq!(org["BaseCurrency"], "AUD");
    assert_eq!(org["CountryCode"], "AU");
    let nz = m.api(&at, 0, "Organisation").json();
    let nz = &nz["Organisations"][0];
    assert_eq!(
        (nz["Version"].as_str(), nz["OrganisationType"].as_str()),
        (Some("NZ"), Some("COMPANY"))
    );
    assert_eq!(
        (
            nz["FinancialYearEndDay"].as_i64(),
            nz["FinancialYearEndMonth"].as_i64()
        ),
        (Some(31), Some(3))
    );
    assert!(nz["ShortCode"].as_str().unwrap().starts_with('!'));
}
