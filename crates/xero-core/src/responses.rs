//! What Xero says when it says no: ApiException (400), problem JSON (401/403), OAuth 2.0 token
//! errors, plain-text 503s and OAuth 1.0a `oauth_problem` bodies, each turned into an error whose
//! DETAIL quotes Xero and whose HINT says what to do.

use serde_json::Value;

use crate::decode::preview;
use crate::error::{ErrorKind, XeroError};
use crate::http::Response;

/// Xero's explanation of a failed call, in one line.
pub fn describe_body(body: &[u8]) -> String {
    if let Ok(v) = serde_json::from_slice::<Value>(body) {
        return describe_json(&v);
    }
    let text = String::from_utf8_lossy(body);
    if text.contains("oauth_problem=") {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(text.trim().as_bytes()).into_owned().collect();
        return pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ");
    }
    if text.trim_start().starts_with('<') && text.contains("<ApiException") {
        let tag = |t: &str| text.split(&format!("<{t}>")).nth(1).and_then(|s| s.split(&format!("</{t}>")).next()).map(str::to_string);
        let mut parts: Vec<String> = [tag("Type"), tag("Message")].into_iter().flatten().collect();
        parts.extend(text.split("<Message>").skip(2).filter_map(|s| s.split("</Message>").next()).map(str::to_string));
        return parts.join(": ");
    }
    let t = preview(body);
    if t.trim().is_empty() {
        "(empty body)".into()
    } else {
        t.trim().to_string()
    }
}

fn describe_json(v: &Value) -> String {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    // ApiException: {ErrorNumber, Type, Message, Elements: [{ValidationErrors: [{Message}]}]}
    if let Some(message) = s("Message") {
        let mut out = match s("Type") {
            Some(t) => format!("{t}: {message}"),
            None => message,
        };
        let validation: Vec<String> = v
            .get("Elements")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .flat_map(|e| e.get("ValidationErrors").and_then(Value::as_array).cloned().unwrap_or_default())
            .filter_map(|ve| ve.get("Message").and_then(Value::as_str).map(str::to_string))
            .collect();
        if !validation.is_empty() {
            out.push_str(&format!(" — {}", validation.join("; ")));
        }
        return out;
    }
    // Problem JSON: {Title, Status, Detail}
    if let Some(title) = s("Title").or_else(|| s("title")) {
        return match s("Detail").or_else(|| s("detail")) {
            Some(d) => format!("{title}: {d}"),
            None => title,
        };
    }
    // OAuth 2.0 token endpoint: {error, error_description}
    if let Some(e) = s("error") {
        return match s("error_description") {
            Some(d) => format!("{e}: {d}"),
            None => e,
        };
    }
    let text = v.to_string();
    text.chars().take(200).collect()
}

/// The error for a non-2xx answer from an accounting endpoint.
pub fn api_error(label: &str, response: &Response) -> XeroError {
    XeroError { status: Some(response.status), ..api_error_text(label, response) }
}

fn api_error_text(label: &str, response: &Response) -> XeroError {
    let said = describe_body(&response.body);
    let detail = format!("Xero answered HTTP {}: {said}", response.status);
    if let Ok(Some(problem)) = xero_oauth1::parse_problem(&String::from_utf8_lossy(&response.body)) {
        return XeroError::new(ErrorKind::NotAuthorized, format!("{label}: Xero refused the OAuth 1.0a request ({})", problem.problem))
            .with_detail(detail)
            .with_hint(problem.hint);
    }
    let (kind, message, hint): (ErrorKind, String, String) = match response.status {
        400 => (
            ErrorKind::Rejected,
            format!("{label}: Xero rejected the request"),
            "Check the filter arguments (where_clause, order_by, ids…); Xero's message above says which part it refused.".into(),
        ),
        401 if said.contains("TokenExpired") => (
            ErrorKind::NotAuthorized,
            format!("{label}: the access token has expired"),
            "xero_fdw refreshes tokens before they expire; if this persists, check the clock of this host.".into(),
        ),
        401 => (
            ErrorKind::NotAuthorized,
            format!("{label}: Xero did not accept the credentials"),
            format!("Authorize the organisation again: {}", crate::reauthorize::STEPS_PLACEHOLDER),
        ),
        403 => (
            ErrorKind::PermissionDenied,
            format!("{label}: Xero refused access to this organisation"),
            "Check the server's tenant_id against xero_tenants(), and that the app was granted the scopes this call needs.".into(),
        ),
        404 => (ErrorKind::NotFound, format!("{label}: Xero has no such record or endpoint"), "Check the id, and the server's api_url.".into()),
        429 => {
            let problem = response.header("x-rate-limit-problem").unwrap_or("unknown");
            let retry = response.header("retry-after").unwrap_or("?");
            return XeroError::new(ErrorKind::RateLimited, format!("{label}: Xero's {problem} rate limit is exhausted"))
                .with_detail(format!("{detail}; Retry-After: {retry} s"))
                .with_hint(if problem == "day" {
                    "The daily quota resets within 24 hours; spread the load or ask Xero for a higher limit."
                } else {
                    "Wait that long and run the query again, or raise xero_fdw.max_rate_limit_wait to let queries wait."
                });
        }
        500..=599 => (
            ErrorKind::Unavailable,
            format!("{label}: Xero is unavailable (HTTP {})", response.status),
            "Xero or the organisation is offline or failing; try again later.".into(),
        ),
        s => (ErrorKind::ProtocolViolation, format!("{label}: unexpected HTTP {s} from Xero"), "Check the server's api_url option.".into()),
    };
    XeroError::new(kind, message).with_detail(detail).with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> Response {
        Response { status, headers: headers.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(), body: body.as_bytes().to_vec() }
    }

    #[test]
    fn xero_bodies_are_quoted_in_the_detail() {
        let cases: &[(u16, &str, ErrorKind, &str)] = &[
            (
                400,
                r#"{"ErrorNumber":10,"Type":"ValidationException","Message":"A validation exception occurred","Elements":[{"ValidationErrors":[{"Message":"Invalid GUID"}]}]}"#,
                ErrorKind::Rejected,
                "ValidationException: A validation exception occurred — Invalid GUID",
            ),
            (400, r#"{"ErrorNumber":16,"Type":"QueryParseException","Message":"No property Foo"}"#, ErrorKind::Rejected, "QueryParseException: No property Foo"),
            (401, r#"{"Title":"Unauthorized","Status":401,"Detail":"TokenExpired: token expired at 01/01/2026"}"#, ErrorKind::NotAuthorized, "Unauthorized: TokenExpired"),
            (403, r#"{"Title":"Forbidden","Status":403,"Detail":"AuthenticationUnsuccessful"}"#, ErrorKind::PermissionDenied, "Forbidden: AuthenticationUnsuccessful"),
            (503, "The Xero API is currently offline for maintenance", ErrorKind::Unavailable, "offline for maintenance"),
            (401, "oauth_problem=signature_invalid&oauth_problem_advice=Failed%20to%20validate%20signature", ErrorKind::NotAuthorized, "oauth_problem=signature_invalid, oauth_problem_advice=Failed to validate signature"),
            (400, "<ApiException><ErrorNumber>10</ErrorNumber><Type>ValidationException</Type><Message>A validation exception occurred</Message><Elements><DataContractBase><ValidationErrors><ValidationError><Message>Bad date</Message></ValidationError></ValidationErrors></DataContractBase></Elements></ApiException>", ErrorKind::Rejected, "ValidationException: A validation exception occurred: Bad date"),
            (502, "", ErrorKind::Unavailable, "(empty body)"),
        ];
        for (status, body, kind, said) in cases {
            let e = api_error("GET Invoices", &response(*status, &[], body));
            assert_eq!(e.kind, *kind, "{body}");
            let detail = e.detail.clone().unwrap();
            assert!(detail.contains(said), "{detail} should contain {said}");
            assert!(detail.contains(&status.to_string()));
            assert!(e.hint.is_some());
        }
    }

    #[test]
    fn rate_limits_say_which_and_how_long() {
        let e = api_error("GET Invoices", &response(429, &[("x-rate-limit-problem", "day"), ("retry-after", "64800")], ""));
        assert_eq!(e.kind, ErrorKind::RateLimited);
        assert!(e.message.contains("day rate limit"));
        assert!(e.detail.unwrap().contains("Retry-After: 64800"));
    }
}
