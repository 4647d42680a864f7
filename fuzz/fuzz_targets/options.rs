//! `validate_option` over any context, option name and value (CREATE/ALTER SERVER and USER
//! MAPPING options are typed by users). Never a panic; a refusal never echoes the value of a
//! secret option (its text is the same for any other value); an accepted api_url/identity_url/login_url/proxy is an http(s) URL with a host
//! and no credentials, query or fragment.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use xero_core::options::{validate_option, OptionContext};

const NAMES: &[&str] = &[
    "auth", "tenant_id", "api_url", "identity_url", "login_url", "token_set", "scopes", "proxy", "client_id", "client_secret",
    "consumer_key", "consumer_secret", "refresh_token", "access_token", "private_key", "rsa_private_key", "password", "token_secret",
];
const SECRETS: &[&str] = &["client_secret", "refresh_token", "access_token", "consumer_secret", "private_key", "rsa_private_key", "password", "token_secret"];

#[derive(Arbitrary, Debug)]
enum Name<'a> {
    Known(u8),
    Any(&'a str),
}

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    context: u8,
    name: Name<'a>,
    value: &'a str,
}

fuzz_target!(|input: Input| {
    let context = [OptionContext::Wrapper, OptionContext::Server, OptionContext::UserMapping, OptionContext::ForeignTable, OptionContext::Column]
        [usize::from(input.context) % 5];
    let name = match input.name {
        Name::Known(i) => NAMES[usize::from(i) % NAMES.len()],
        Name::Any(s) => s,
    };
    let text = |r: &xero_core::Result<()>| r.as_ref().err().map(|e| format!("{e} {:?} {:?}", e.detail, e.hint));
    let result = validate_option(context, name, input.value);
    if SECRETS.contains(&name) {
        // What a refusal says must not depend on the secret's value (beyond it being blank).
        let other = if input.value.trim().is_empty() { "" } else { "an-other-secret" };
        let (a, b) = (text(&result), text(&validate_option(context, name, other)));
        if a.is_some() && b.is_some() {
            assert_eq!(a, b, "secret {name} echoed");
        }
    }
    if result.is_ok() && ["api_url", "identity_url", "login_url", "proxy"].contains(&name) {
        let u = url::Url::parse(input.value).expect("accepted URL parses");
        assert!(matches!(u.scheme(), "http" | "https") && u.host_str().is_some(), "{u}");
        assert!(u.username().is_empty() && u.password().is_none() && u.query().is_none() && u.fragment().is_none(), "{u}");
    }
});
