//! The wrapper's option validator: unknown options and secrets in the wrong place are refused
//! when a server or user mapping is created or altered, not at the first query.

use pgrx::pg_sys;
use pgrx::prelude::*;
use xero_core::options::{validate_option, OptionContext, URL_OPTIONS};

use crate::pg::report::OrRaise;

#[pg_extern]
fn xero_fdw_validator(options: Option<Vec<Option<String>>>, catalog: Option<pg_sys::Oid>) {
    let context = match catalog.map(|c| c.to_u32()) {
        Some(x) if x == pg_sys::ForeignDataWrapperRelationId.to_u32() => OptionContext::Wrapper,
        Some(x) if x == pg_sys::ForeignServerRelationId.to_u32() => OptionContext::Server,
        Some(x) if x == pg_sys::UserMappingRelationId.to_u32() => OptionContext::UserMapping,
        Some(x) if x == pg_sys::ForeignTableRelationId.to_u32() => OptionContext::ForeignTable,
        _ => OptionContext::Column,
    };
    for item in options.into_iter().flatten().flatten() {
        let (name, value) = item.split_once('=').unwrap_or((item.as_str(), ""));
        validate_option(context, name, value).or_raise("xero_fdw_validator");
        // Only the URLs given here: a default (login_url when only api_url and identity_url are
        // set) is checked when an operation uses it, not when the server is created.
        if context == OptionContext::Server && URL_OPTIONS.contains(&name) {
            crate::pg::guc::net_policy().check(name, value).or_raise("xero_fdw_validator");
        }
    }
}

extension_sql!(
    r#"
CREATE FUNCTION xero_fdw_handler() RETURNS fdw_handler
LANGUAGE c STRICT
AS 'MODULE_PATHNAME', 'xero_fdw_handler';
COMMENT ON FUNCTION xero_fdw_handler() IS 'The callbacks of the xero_fdw foreign-data wrapper: foreign-table scans with pushdown to Xero, EXPLAIN, IMPORT FOREIGN SCHEMA accounting, and INSERT, UPDATE and DELETE sent to Xero (batched, with an Idempotency-Key, per-row errors).';
CREATE FUNCTION xero_fdw_import_comments() RETURNS event_trigger
LANGUAGE c
AS 'MODULE_PATHNAME', 'xero_fdw_import_comments';
COMMENT ON FUNCTION xero_fdw_import_comments() IS 'Event trigger at the end of IMPORT FOREIGN SCHEMA: comments the xero_fdw foreign tables it created (IMPORT itself runs only CREATE FOREIGN TABLE).';
CREATE EVENT TRIGGER xero_fdw_import_comments ON ddl_command_end WHEN TAG IN ('IMPORT FOREIGN SCHEMA') EXECUTE FUNCTION xero_fdw_import_comments();
CREATE FOREIGN DATA WRAPPER xero_fdw HANDLER xero_fdw_handler VALIDATOR xero_fdw_validator;
COMMENT ON FOREIGN DATA WRAPPER xero_fdw IS 'Xero organisations: one foreign server per organisation (tenant).';
COMMENT ON FUNCTION xero_fdw_validator(text[], oid) IS 'Checks the options of xero_fdw servers (auth, tenant_id, api_url, identity_url, login_url, token_set, scopes, proxy, api_write_roles, batch_size), foreign tables (entity, report, rows, batch_size) and user mappings (client_id, client_secret, consumer_key, consumer_secret).';
"#,
    name = "wrapper",
    requires = [xero_fdw_validator]
);
