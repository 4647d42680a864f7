//! Writing through the Accounting API as one tenant, JSON in and out.

use serde_json::Value;

use super::{Mock, Resp};

pub struct Writer<'a> {
    pub m: &'a Mock,
    pub token: String,
    pub tenant: usize,
}

impl<'a> Writer<'a> {
    pub fn new(m: &'a Mock) -> Writer<'a> {
        Writer {
            m,
            token: m.tokens().0,
            tenant: 0,
        }
    }

    /// `method /api.xro/2.0/{path}` with `body`, plus `extra` headers.
    pub fn send(&self, method: &str, path: &str, body: Option<&Value>, extra: &[(&str, &str)]) -> Resp {
        let bearer = format!("Bearer {}", self.token);
        let t = self.m.tenant(self.tenant);
        let mut h = vec![
            ("authorization", bearer.as_str()),
            ("xero-tenant-id", t.as_str()),
            ("accept", "application/json"),
            ("content-type", "application/json"),
        ];
        h.extend_from_slice(extra);
        let body = body.map(Value::to_string);
        self.m.send(method, &format!("/api.xro/2.0/{path}"), &h, body.as_deref())
    }

    pub fn put(&self, path: &str, body: &Value) -> Resp {
        self.send("PUT", path, Some(body), &[])
    }

    pub fn post(&self, path: &str, body: &Value) -> Resp {
        self.send("POST", path, Some(body), &[])
    }

    pub fn delete(&self, path: &str) -> Resp {
        self.send("DELETE", path, None, &[])
    }

    /// A GET that must answer 200, as JSON.
    pub fn get(&self, path: &str) -> Value {
        let r = self.m.api(&self.token, self.tenant, path);
        assert_eq!(r.status, 200, "GET {path}: {}", r.body);
        r.json()
    }

    /// The one record `GET {key}/{id}` answers.
    pub fn one(&self, key: &str, id: &str) -> Value {
        self.get(&format!("{key}/{id}"))[key][0].clone()
    }

    /// A write that must answer 200 with every element OK; its elements.
    pub fn ok(&self, method: &str, path: &str, key: &str, body: &Value) -> Vec<Value> {
        let r = self.send(method, path, Some(body), &[]);
        assert_eq!(r.status, 200, "{method} {path}: {}", r.body);
        let items = r.json()[key].as_array().unwrap_or_else(|| panic!("no {key}: {}", r.body)).clone();
        for e in &items {
            assert_eq!(e["StatusAttributeString"], "OK", "{e}");
        }
        items
    }

    /// A single-element write that must be refused under `summarizeErrors=false`; its messages.
    pub fn refused(&self, method: &str, path: &str, key: &str, element: Value) -> Vec<String> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let body = serde_json::json!({ key: [element] });
        let r = self.send(method, &format!("{path}{sep}summarizeErrors=false"), Some(&body), &[]);
        assert_eq!(r.status, 200, "{method} {path}: {}", r.body);
        let e = r.json()[key][0].clone();
        assert_eq!(e["StatusAttributeString"], "ERROR", "{e}");
        messages(&e)
    }

    /// A contact and an account code of the tenant, for documents.
    pub fn contact_id(&self) -> String {
        let v = self.get("Contacts");
        v["Contacts"][0]["ContactID"].as_str().unwrap().to_string()
    }
}

pub fn messages(e: &Value) -> Vec<String> {
    e["ValidationErrors"]
        .as_array()
        .map(|l| l.iter().map(|m| m["Message"].as_str().unwrap_or_default().to_string()).collect())
        .unwrap_or_default()
}

pub fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}
