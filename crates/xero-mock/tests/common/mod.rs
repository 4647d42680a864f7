//! Helpers shared by the HTTP-level tests: a mock plus a blocking client with timeouts.
#![allow(dead_code)] // each test binary uses a different subset

pub mod generic;
pub mod ledger;
pub mod oauth1;
pub mod oauth1_apps;
pub mod reports;
pub mod writes;
pub mod xml;

use std::collections::HashMap;
use std::time::Duration;

use serde_json::Value;
use xero_mock::{Config, MockHandle};

pub struct Mock {
    pub handle: MockHandle,
    pub base: String,
    agent: ureq::Agent,
}

pub struct Resp {
    pub status: u16,
    pub headers: HashMap<String, String>,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

fn collect(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Resp {
    let mut r = r.expect("HTTP request failed");
    let headers = r
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                v.to_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let body = r
        .body_mut()
        .with_config()
        .limit(1 << 30)
        .read_to_string()
        .expect("read body");
    Resp {
        status: r.status().as_u16(),
        headers,
        body,
    }
}

impl Mock {
    pub fn start(config: Config) -> Mock {
        Mock::start_with_agent(config, agent())
    }

    /// With a client of the test's making (HTTPS tests bring their TLS settings).
    pub fn start_with_agent(config: Config, agent: ureq::Agent) -> Mock {
        let handle = xero_mock::spawn(config).expect("mock starts");
        let base = handle.base_url();
        Mock {
            handle,
            base,
            agent,
        }
    }

    pub fn small() -> Mock {
        Mock::start(Config {
            invoices: 120,
            contacts: 40,
            ..Config::default()
        })
    }

    pub fn tenant(&self, i: usize) -> String {
        self.handle.tenant_ids()[i].clone()
    }

    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        let mut req = self.agent.get(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        collect(req.call())
    }

    /// Any method with an optional body (the write routes).
    pub fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> Resp {
        self.try_send(method, path, headers, body).expect("HTTP request failed")
    }

    /// Like [`Mock::send`], but a connection the server dropped is an `Err`.
    pub fn try_send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Result<Resp, String> {
        let url = format!("{}{path}", self.base);
        macro_rules! with_headers {
            ($req:expr) => {{
                let mut req = $req;
                for (k, v) in headers {
                    req = req.header(*k, *v);
                }
                req
            }};
        }
        let r = match (method, body) {
            ("GET", _) => with_headers!(self.agent.get(url)).call(),
            ("DELETE", _) => with_headers!(self.agent.delete(url)).call(),
            ("PUT", b) => with_headers!(self.agent.put(url)).send(b.unwrap_or_default().to_string()),
            (_, b) => with_headers!(self.agent.post(url)).send(b.unwrap_or_default().to_string()),
        };
        match r {
            Ok(_) => Ok(collect(r)),
            Err(e) => Err(e.to_string()),
        }
    }

    pub fn post_form(&self, path: &str, headers: &[(&str, &str)], form: &[(&str, &str)]) -> Resp {
        let mut req = self.agent.post(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        collect(req.send_form(form.iter().copied()))
    }

    /// A test control; panics unless it answers 200.
    pub fn admin(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}/__mock/{path}", self.base);
        let r = match method {
            "GET" => collect(self.agent.get(url).call()),
            "DELETE" => collect(self.agent.delete(url).call()),
            _ => collect(
                self.agent
                    .post(url)
                    .content_type("application/json")
                    .send(body.to_string()),
            ),
        };
        assert_eq!(r.status, 200, "{method} {path}: {}", r.body);
        r.json()
    }

    /// A consented token set for demo-client: (access_token, refresh_token).
    pub fn tokens(&self) -> (String, String) {
        let v = self.admin(
            "POST",
            "tokens/issue",
            serde_json::json!({"client_id": "demo-client"}),
        );
        (
            v["access_token"].as_str().unwrap().to_string(),
            v["refresh_token"].as_str().unwrap().to_string(),
        )
    }

    /// GET on the Accounting API as tenant `tenant`, asking for JSON.
    pub fn api(&self, token: &str, tenant: usize, path: &str) -> Resp {
        let bearer = format!("Bearer {token}");
        let t = self.tenant(tenant);
        self.get(
            &format!("/api.xro/2.0/{path}"),
            &[
                ("authorization", &bearer),
                ("xero-tenant-id", &t),
                ("accept", "application/json"),
            ],
        )
    }

    pub fn stats(&self) -> Value {
        self.admin("GET", "stats", Value::Null)["requests"].clone()
    }
}

/// Milliseconds inside `/Date(ms±hhmm)/`.
pub fn date_ms(v: &Value) -> i64 {
    let s = v.as_str().expect("date string");
    let inner = s
        .strip_prefix("/Date(")
        .and_then(|x| x.strip_suffix(")/"))
        .expect("/Date()/ form");
    let digits_end = inner[1..].find(['+', '-']).map_or(inner.len(), |i| i + 1);
    inner[..digits_end].parse().expect("milliseconds")
}

/// RFC 1123 form of UTC milliseconds, for If-Modified-Since.
pub fn rfc1123(ms: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, mo, d, h, mi, s) = civil(ms);
    let wd = DAYS[(ms.div_euclid(86_400_000) % 7) as usize];
    format!(
        "{wd}, {d:02} {} {y} {h:02}:{mi:02}:{s:02} GMT",
        MONTHS[mo as usize - 1]
    )
}

/// `yyyy-MM-ddTHH:mm:ss` form of UTC milliseconds.
pub fn iso(ms: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(ms);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
}

/// Calendar fields of UTC milliseconds (days-to-civil, independent of the crate's code).
fn civil(ms: i64) -> (i64, i64, i64, i64, i64, i64) {
    let days = ms.div_euclid(86_400_000);
    let secs = ms.rem_euclid(86_400_000) / 1000;
    let (mut y, mut rem) = (1970, days);
    loop {
        let len = if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
            366
        } else {
            365
        };
        if rem < len {
            break;
        }
        rem -= len;
        y += 1;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let lens = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let mut mo = 0;
    while rem >= lens[mo] {
        rem -= lens[mo];
        mo += 1;
    }
    (
        y,
        mo as i64 + 1,
        rem + 1,
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
    )
}
