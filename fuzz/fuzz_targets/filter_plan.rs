//! Arbitrary filter arguments (as the SQL functions receive them: any timestamptz including
//! ±infinity, any text, arrays with NULLs, any integer, also of the wrong type) into `plan_list`
//! for each entity, against the default API URL or any `api_url` that `validate_option`
//! accepts. Never a panic; when Ok, the plan's URL parses (the listing code `expect`s it to),
//! and so does every page's URL built from it; header values are valid HTTP header text.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use xero_core::entities::ENTITIES;
use xero_core::list::{plan_list, ArgValue};
use xero_core::options::{validate_option, OptionContext, DEFAULT_API_URL};

#[derive(Arbitrary, Debug)]
enum Value {
    Timestamptz(i64),
    Text(String),
    TextList(Vec<Option<String>>),
    Bool(bool),
    Int(i64),
}

impl From<Value> for ArgValue {
    fn from(v: Value) -> ArgValue {
        match v {
            Value::Timestamptz(t) => ArgValue::Timestamptz(t),
            Value::Text(s) => ArgValue::Text(s),
            Value::TextList(l) => ArgValue::TextList(l),
            Value::Bool(b) => ArgValue::Bool(b),
            Value::Int(n) => ArgValue::Int(n),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum ApiUrl {
    Default,
    Local,
    /// Used only when `validate_option` accepts it, as CREATE SERVER would.
    Custom(String),
}

#[derive(Arbitrary, Debug)]
struct Input {
    entity: u8,
    page: u32,
    api_url: ApiUrl,
    args: Vec<(u8, Value)>,
}

fuzz_target!(|input: Input| {
    let entity = &ENTITIES[usize::from(input.entity) % ENTITIES.len()];
    let api_url = match &input.api_url {
        ApiUrl::Default => DEFAULT_API_URL.to_string(),
        ApiUrl::Local => "http://127.0.0.1:8080/api.xro/2.0/".to_string(),
        ApiUrl::Custom(u) => {
            if validate_option(OptionContext::Server, "api_url", u).is_err() {
                return;
            }
            // OrgConfig::resolve trims the trailing slashes.
            u.trim_end_matches('/').to_string()
        }
    };
    if entity.filters.is_empty() && !input.args.is_empty() {
        return;
    }
    let args: Vec<_> = input
        .args
        .into_iter()
        .map(|(i, v)| (&entity.filters[usize::from(i) % entity.filters.len()], ArgValue::from(v)))
        .collect();
    let Ok(plan) = plan_list(entity, &api_url, &args) else { return };
    // What list::page_url does with it (plan_list parsed the endpoint already).
    let mut url = plan.url.clone();
    {
        let mut q = url.query_pairs_mut();
        for (k, v) in &plan.query {
            q.append_pair(k, v);
        }
        if let Some(size) = plan.page_size {
            q.append_pair("page", &input.page.max(1).to_string());
            q.append_pair("pageSize", &size.to_string());
        }
    }
    let page_url = url.to_string();
    url::Url::parse(&page_url).unwrap_or_else(|e| panic!("page URL {page_url:?}: {e}"));
    for (name, value) in &plan.headers {
        assert!(
            value.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b) || b >= 0x80),
            "header {name}: {value:?} is not valid header text"
        );
    }
    if let Some(m) = plan.max_pages {
        assert!(m >= 1);
    }
});
