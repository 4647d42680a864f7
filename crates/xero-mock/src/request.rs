//! The parts of an HTTP request the handlers look at, read fully up front.

use bytes::Bytes;
use hyper::header::HeaderMap;
use hyper::Method;

pub struct Req {
    pub method: Method,
    pub path: String,
    /// Decoded query parameters in wire order.
    pub query: Vec<(String, String)>,
    /// The query string as it arrived (OAuth 1.0a signatures need its exact bytes).
    pub raw_query: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Req {
    /// First query parameter with this name; names are case-insensitive as in Xero.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// `Accept: application/json` selects JSON; anything else gets Xero's default, XML.
    pub fn wants_json(&self) -> bool {
        self.headers
            .get_all(hyper::header::ACCEPT)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.to_ascii_lowercase().contains("application/json"))
    }

    /// The body as `application/x-www-form-urlencoded` pairs.
    pub fn form(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(&self.body).into_owned().collect()
    }
}
