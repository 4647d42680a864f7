//! A fully rendered HTTP answer and the Xero error bodies shared by several routes.

use bytes::Bytes;

use crate::emit;
use crate::ids::Uuid;
use crate::render_json::JsonSink;
use crate::render_xml::XmlSink;

#[derive(Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Bytes,
}

pub const JSON: &str = "application/json; charset=utf-8";
pub const XML: &str = "text/xml; charset=utf-8";
pub const TEXT: &str = "text/plain; charset=utf-8";

/// Xero's body for an unknown id (plain text, not JSON).
pub const NOT_FOUND_TEXT: &str = "The resource you're looking for cannot be found";

impl Reply {
    pub fn new(status: u16, content_type: &str, body: impl Into<Bytes>) -> Reply {
        Reply {
            status,
            headers: vec![("content-type", content_type.to_string())],
            body: body.into(),
        }
    }

    pub fn json(status: u16, body: impl Into<Bytes>) -> Reply {
        Reply::new(status, JSON, body)
    }

    pub fn text(status: u16, body: impl Into<String>) -> Reply {
        Reply::new(status, TEXT, body.into())
    }

    pub fn json_value(status: u16, v: &serde_json::Value) -> Reply {
        Reply::json(status, v.to_string())
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }

    /// Identity-style problem JSON (401/403 on the APIs).
    pub fn problem(status: u16, title: &str, detail: &str, instance: Uuid) -> Reply {
        let v = serde_json::json!({
            "Title": title,
            "Status": status,
            "Detail": detail,
            "Instance": instance.to_string(),
        });
        Reply::json_value(status, &v)
    }

    /// Xero's `ApiException`, in the format the client asked for.
    pub fn api_exception(
        status: u16,
        json: bool,
        number: i64,
        kind: &str,
        message: &str,
        validation: Option<&str>,
    ) -> Reply {
        if json {
            let mut s = JsonSink::with_capacity(256);
            emit::api_exception(&mut s, number, kind, message, validation);
            Reply::json(status, s.out)
        } else {
            let mut s = XmlSink::with_capacity(256);
            emit::api_exception(&mut s, number, kind, message, validation);
            Reply::new(status, XML, s.out)
        }
    }

    pub fn query_error(json: bool, message: &str) -> Reply {
        Reply::api_exception(400, json, 16, "QueryParseException", message, None)
    }

    pub fn validation_error(json: bool, detail: &str) -> Reply {
        Reply::api_exception(
            400,
            json,
            10,
            "ValidationException",
            "A validation exception occurred",
            Some(detail),
        )
    }

    pub fn not_found() -> Reply {
        Reply::text(404, NOT_FOUND_TEXT)
    }
}
