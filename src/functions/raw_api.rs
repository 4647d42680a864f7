//! `xero_api(org, method, path, …)`: a raw call for anything the functions do not model, through
//! the same authorization (OAuth 2.0 and every OAuth 1.0a kind), host allow-list, call slots and
//! quotas, retries, interrupt handling, call log and secret scrubbing as every other call.
//! `GET` is open to every role with USAGE on the organisation; `POST`, `PUT` and `DELETE` only to
//! the server's owner, superusers and the roles its owner lists in the `api_write_roles` option.

use pgrx::prelude::*;
use pgrx::JsonB;
use xero_core::raw::{answer, plan_raw};
use xero_core::read::Answer;
use xero_core::{Result, XeroError};

use crate::pg::catalog::resolve_org;
use crate::pg::report::raise_for_org;
use crate::tokens::read;

type ApiRow = (i32, JsonB, Option<JsonB>, Option<String>, Option<String>);

#[pg_extern(sql = r#"
CREATE FUNCTION xero_api(org text, method text, path text, query jsonb DEFAULT NULL, request_body jsonb DEFAULT NULL, accept text DEFAULT 'application/json')
RETURNS TABLE (status integer, headers jsonb, body jsonb, body_text text, body_xml xml)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1
AS 'MODULE_PATHNAME', 'xero_api_wrapper';
COMMENT ON FUNCTION xero_api(text, text, text, jsonb, jsonb, text) IS 'A raw call to the organisation''s accounting API (path relative to api_url, e.g. Invoices/<id>), with the same authorization, limits, retries and call log as every function: Xero''s status, headers, body as jsonb when JSON, as text, and as xml when well-formed XML (accept => ''application/xml''). GET needs USAGE; POST, PUT and DELETE the server''s owner or a role in its api_write_roles option. Writes carry an Idempotency-Key, so a retry never acts twice.';
"#)]
fn xero_api(
    org: &str,
    method: &str,
    path: &str,
    query: default!(Option<JsonB>, "NULL"),
    request_body: default!(Option<JsonB>, "NULL"),
    accept: default!(&str, "'application/json'"),
) -> TableIterator<'static, (name!(status, i32), name!(headers, JsonB), name!(body, Option<JsonB>), name!(body_text, Option<String>), name!(body_xml, Option<String>))> {
    match call(org, method, path, query.as_ref(), request_body.as_ref(), accept) {
        Ok(row) => TableIterator::once(row),
        Err(e) => raise_for_org(e, org, "xero_api"),
    }
}

fn call(org_name: &str, method: &str, path: &str, query: Option<&JsonB>, body: Option<&JsonB>, accept: &str) -> Result<ApiRow> {
    let org = resolve_org(org_name)?;
    let query = xero_core::oauth1_params::read_params(query.map(|q| &q.0)).map_err(|e| {
        XeroError::invalid_argument(e.message.replace("params", "query")).with_hint("Pass query as {\"name\": \"value\", …} or [[\"name\", \"value\"], …].")
    })?;
    let body = body.map(|b| serde_json::to_vec(&b.0)).transpose().map_err(|e| XeroError::internal("could not serialize request_body").with_detail(e.to_string()))?;
    let raw = plan_raw(&org.config.api_url, method, path, &query, body, accept)?;
    if raw.is_write {
        crate::tokens::write::may_write(&org, "xero_api")?;
    }
    let response = read::call(&org, raw.request, Answer::AsIs)?;
    let parts = answer(&response);
    let json = |text: String| serde_json::from_str(&text).map(JsonB).map_err(|e| XeroError::internal("Xero's JSON could not be read back").with_detail(e.to_string()));
    Ok((i32::from(parts.status), json(parts.headers)?, parts.json.map(json).transpose()?, parts.text, parts.xml))
}
