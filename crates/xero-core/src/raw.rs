//! `xero_api(org, method, path, …)`: a raw call for anything the functions do not model. The
//! request is checked here (method, a path under the organisation's API URL, query pairs, a JSON
//! body, what to accept); the answer is split into what SQL returns: the status, the headers, the
//! body as JSON when it is JSON, its text, and its text again as XML when it is well-formed XML
//! (checked with a streaming parser, so a large answer is never built into a tree).

use crate::error::{Result, XeroError};
use crate::http::{Method, Request, Response};

/// What a caller asked for, checked.
#[derive(Debug)]
pub struct RawCall {
    pub request: Request,
    /// Whether the call changes anything (needs `api_write_roles`).
    pub is_write: bool,
}

fn invalid(message: String, hint: &str) -> XeroError {
    XeroError::invalid_argument(message).with_hint(hint.to_string())
}

/// The request of a raw call. `path` is relative to the API URL (`Invoices`, `Invoices/<id>`,
/// `Reports/TrialBalance`); `query` the decoded pairs; `body` serialized JSON.
pub fn plan_raw(api_url: &str, method: &str, path: &str, query: &[(String, String)], body: Option<Vec<u8>>, accept: &str) -> Result<RawCall> {
    let method = match method.trim().to_ascii_uppercase().as_str() {
        "GET" => Method::Get,
        "POST" => Method::Post,
        "PUT" => Method::Put,
        "DELETE" => Method::Delete,
        other => return Err(invalid(format!("xero_api: method {other:?} is not GET, POST, PUT or DELETE"), "Xero's accounting API reads with GET, creates with PUT, creates or updates with POST and removes with DELETE.")),
    };
    let path = path.trim().trim_start_matches('/');
    let bad_path = path.is_empty()
        || path.contains("://")
        || path.contains('?')
        || path.contains('#')
        || path.split('/').any(|s| s == ".." || s == ".")
        || path.chars().any(|c| c.is_control() || c == ' ');
    if bad_path {
        return Err(invalid(
            format!("xero_api: path {path:?} is not a path under the organisation's API URL"),
            "Give the part after api.xro/2.0/, e.g. 'Invoices' or 'Invoices/<id>'; put parameters in query => '{\"where\": \"…\"}'.",
        ));
    }
    if method == Method::Get && body.is_some() {
        return Err(invalid("xero_api: a GET sends no body".into(), "Pass the body with POST or PUT, or leave request_body NULL."));
    }
    let accept = accept.trim();
    if !["application/json", "application/xml", "text/xml"].contains(&accept) {
        return Err(invalid(format!("xero_api: accept {accept:?} is not application/json or application/xml"), "Xero answers JSON or XML."));
    }
    let mut url = url::Url::parse(&format!("{}/{path}", api_url.trim_end_matches('/')))
        .map_err(|e| XeroError::invalid_option(format!("api_url does not make a valid URL with {path:?}: {e}")))?;
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    }
    let label = format!("{} {} (xero_api)", method.as_str(), path.split('/').next().unwrap_or(path));
    let mut request = match body {
        Some(json) => Request::json(method, url.as_str(), json, label),
        None => Request::new(method, url.as_str(), label),
    }
    .header("accept", accept);
    let is_write = !method.is_read();
    if is_write {
        // Retried (after a timeout, a 5xx, a 429) only with the same key, so Xero acts once; a
        // new statement is a new call with a new key.
        request = request.idempotency_key(crate::writes::nonce());
    }
    Ok(RawCall { request, is_write })
}

/// The parts of an answer as `xero_api` returns them.
#[derive(Debug, PartialEq)]
pub struct RawAnswer {
    pub status: u16,
    /// A JSON object of the response headers (lower-case names).
    pub headers: String,
    /// The body, when it is JSON.
    pub json: Option<String>,
    /// The body as text (invalid UTF-8 replaced).
    pub text: Option<String>,
    /// The body again, when it is well-formed XML.
    pub xml: Option<String>,
}

pub fn answer(response: &Response) -> RawAnswer {
    let headers = serde_json::Value::Object(
        response.headers.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect(),
    )
    .to_string();
    let text = (!response.body.is_empty()).then(|| String::from_utf8_lossy(&response.body).into_owned());
    let json = text.as_deref().filter(|t| serde_json::from_str::<&serde_json::value::RawValue>(t).is_ok()).map(str::to_string);
    let xml = text.as_deref().filter(|t| json.is_none() && well_formed_xml(t)).map(str::to_string);
    RawAnswer { status: response.status, headers, json, text, xml }
}

/// Whether `text` is one well-formed XML document, read event by event.
pub fn well_formed_xml(text: &str) -> bool {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let (mut depth, mut roots) = (0usize, 0usize);
    loop {
        match reader.read_event() {
            Ok(Event::Start(_)) => {
                if depth == 0 {
                    roots += 1;
                }
                depth += 1;
            }
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::Empty(_)) if depth == 0 => roots += 1,
            Ok(Event::Text(t)) if depth == 0 && !t.iter().all(u8::is_ascii_whitespace) => return false,
            Ok(Event::Eof) => return depth == 0 && roots == 1,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn a_read_and_a_write_become_requests() {
        let call = plan_raw("https://x/api.xro/2.0/", "get", "/Invoices/abc", &[("where".into(), "Total > 5".into())], None, "application/json").unwrap();
        assert_eq!(call.request.url, "https://x/api.xro/2.0/Invoices/abc?where=Total+%3E+5");
        assert!(!call.is_write && call.request.header_value("idempotency-key").is_none());
        assert_eq!(call.request.label, "GET Invoices (xero_api)");
        let post = plan_raw("https://x", "POST", "Contacts", &[], Some(br#"{"Name":"A"}"#.to_vec()), "application/xml").unwrap();
        assert!(post.is_write && post.request.may_retry(), "a raw write carries a key, so it may be retried");
        assert_eq!(post.request.header_value("accept"), Some("application/xml"));
        let again = plan_raw("https://x", "POST", "Contacts", &[], Some(b"{}".to_vec()), "application/json").unwrap();
        assert_ne!(post.request.header_value("idempotency-key"), again.request.header_value("idempotency-key"));
    }

    #[test]
    fn bad_calls_are_refused_before_anything_is_sent() {
        let cases = [
            ("PATCH", "Invoices", None, "application/json", "method \"PATCH\""),
            ("GET", "https://evil.example/x", None, "application/json", "not a path under"),
            ("GET", "../identity/x", None, "application/json", "not a path under"),
            ("GET", "Invoices?page=2", None, "application/json", "not a path under"),
            ("GET", "", None, "application/json", "not a path under"),
            ("GET", "Invoices", Some(b"{}".to_vec()), "application/json", "a GET sends no body"),
            ("GET", "Invoices", None, "text/html", "accept \"text/html\""),
        ];
        for (method, path, body, accept, want) in cases {
            let err = plan_raw("https://x", method, path, &[], body, accept).unwrap_err();
            assert_eq!(err.kind, ErrorKind::InvalidArgument);
            assert!(err.message.contains(want), "{method} {path}: {}", err.message);
            assert!(err.hint.is_some());
        }
    }

    #[test]
    fn answers_split_into_json_text_and_xml() {
        let response = |ct: &str, body: &str| Response { status: 200, headers: vec![("content-type".into(), ct.into())], body: body.as_bytes().to_vec() };
        let json = answer(&response("application/json", r#"{"Invoices":[]}"#));
        assert_eq!((json.json.as_deref(), json.xml.as_deref()), (Some(r#"{"Invoices":[]}"#), None));
        assert!(json.headers.contains("\"content-type\":\"application/json\""));
        let xml = answer(&response("text/xml", "<Response><Invoices><Invoice><Total>1.50</Total></Invoice></Invoices></Response>"));
        assert_eq!((xml.json.as_deref(), xml.xml.is_some(), xml.text.is_some()), (None, true, true));
        let broken = answer(&response("text/xml", "<Response><Invoices></Response>"));
        assert_eq!((broken.xml, broken.text.is_some()), (None, true), "not well-formed: text only");
        let empty = answer(&Response { status: 204, headers: vec![], body: vec![] });
        assert_eq!((empty.json, empty.text, empty.xml), (None, None, None));
    }

    #[test]
    fn xml_well_formedness() {
        assert!(well_formed_xml("<?xml version=\"1.0\"?>\n<a x=\"1\"><b/>t</a>\n"));
        for bad in ["", "<a>", "<a></b>", "<a/><b/>", "text", "<a></a>junk"] {
            assert!(!well_formed_xml(bad), "{bad:?}");
        }
    }
}
