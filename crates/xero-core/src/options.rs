//! Options of the `xero_fdw` wrapper's servers (organisations) and user mappings: which exist,
//! what they must look like, where secrets belong, and the resolved configuration.

use crate::decode::parse_uuid;
use crate::error::{ErrorKind, Result, XeroError};

pub const DEFAULT_API_URL: &str = "https://api.xero.com/api.xro/2.0";
pub const DEFAULT_IDENTITY_URL: &str = "https://identity.xero.com";
pub const DEFAULT_LOGIN_URL: &str = "https://login.xero.com";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionContext {
    Wrapper,
    Server,
    UserMapping,
    ForeignTable,
    Column,
}

impl OptionContext {
    fn noun(self) -> &'static str {
        match self {
            OptionContext::Wrapper => "foreign-data wrapper",
            OptionContext::Server => "server",
            OptionContext::UserMapping => "user mapping",
            OptionContext::ForeignTable => "foreign table",
            OptionContext::Column => "foreign-table column",
        }
    }
}

const SERVER_OPTIONS: &[&str] = &["auth", "tenant_id", "api_url", "identity_url", "login_url", "token_set", "scopes", "proxy", "api_write_roles", "batch_size"];
/// The server options that name a URL xero_fdw may call (checked against the allow-list).
pub const URL_OPTIONS: &[&str] = &["api_url", "identity_url", "login_url", "proxy"];
/// A foreign table names its entity or report (IMPORT FOREIGN SCHEMA sets it) and may say how
/// many rows the planner should expect and how many rows an INSERT sends a call.
const FOREIGN_TABLE_OPTIONS: &[&str] = &["entity", "report", "rows", "batch_size"];
const USER_MAPPING_OPTIONS: &[&str] = &["client_id", "client_secret", "consumer_key", "consumer_secret"];
/// Secrets belong in user mappings (readable only by their user and superusers) or, for
/// rotating tokens, in xero_fdw's own tables; server options are readable by everyone.
const SECRET_OPTIONS: &[&str] =
    &["client_secret", "refresh_token", "access_token", "consumer_secret", "private_key", "rsa_private_key", "password", "token_secret"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMode {
    OAuth2,
    ClientCredentials,
    /// OAuth 1.0a public app: HMAC-SHA1, three-legged, 30-minute tokens that cannot be renewed.
    OAuth1Public,
    /// OAuth 1.0a private app: RSA-SHA1, two-legged, the consumer key is the token.
    OAuth1Private,
    /// OAuth 1.0a partner app: RSA-SHA1, three-legged, tokens renewed with a session handle.
    OAuth1Partner,
}

impl AuthMode {
    pub fn name(self) -> &'static str {
        match self {
            AuthMode::OAuth2 => "oauth2",
            AuthMode::ClientCredentials => "client_credentials",
            AuthMode::OAuth1Public => "oauth1_public",
            AuthMode::OAuth1Private => "oauth1_private",
            AuthMode::OAuth1Partner => "oauth1_partner",
        }
    }

    pub fn is_oauth1(self) -> bool {
        matches!(self, AuthMode::OAuth1Public | AuthMode::OAuth1Private | AuthMode::OAuth1Partner)
    }
}

/// Checks one option as `CREATE/ALTER SERVER|USER MAPPING … OPTIONS` gives it.
pub fn validate_option(context: OptionContext, name: &str, value: &str) -> Result<()> {
    let allowed: &[&str] = match context {
        OptionContext::Server => SERVER_OPTIONS,
        OptionContext::UserMapping => USER_MAPPING_OPTIONS,
        OptionContext::ForeignTable => FOREIGN_TABLE_OPTIONS,
        _ => &[],
    };
    if !allowed.contains(&name) {
        if context == OptionContext::Server && SECRET_OPTIONS.contains(&name) {
            return Err(XeroError::new(ErrorKind::UnknownOption, format!("option \"{name}\" is a secret and cannot be a server option"))
                .with_detail("Server options are visible to every role that can read pg_foreign_server.")
                .with_hint(if name == "client_secret" {
                    "Put it in a user mapping: CREATE USER MAPPING FOR CURRENT_USER SERVER … OPTIONS (client_id '…', client_secret '…')."
                } else {
                    "Tokens are stored by xero_fdw itself: use xero_complete_authorization() or xero_connect()."
                }));
        }
        if context == OptionContext::Server && (name == "client_id" || name == "consumer_key") {
            return Err(XeroError::new(ErrorKind::UnknownOption, format!("option \"{name}\" belongs in the user mapping, beside its secret"))
                .with_hint("CREATE USER MAPPING FOR CURRENT_USER SERVER … OPTIONS (client_id '…', client_secret '…') \
                            (OAuth 1.0a: consumer_key '…', consumer_secret '…')."));
        }
        let mut err = XeroError::new(ErrorKind::UnknownOption, format!("invalid option \"{name}\" for a xero_fdw {}", context.noun()));
        err = match (allowed.is_empty(), closest(name, allowed)) {
            (true, _) => err.with_hint(format!("A xero_fdw {} takes no options.", context.noun())),
            (false, Some(guess)) => err.with_hint(format!("Did you mean \"{guess}\"? Valid options: {}.", allowed.join(", "))),
            (false, None) => err.with_hint(format!("Valid options: {}.", allowed.join(", "))),
        };
        return Err(err);
    }
    match name {
        "auth" => parse_auth(value).map(|_| ()),
        "tenant_id" => match parse_uuid(value) {
            Some(_) => Ok(()),
            None => Err(XeroError::invalid_option(format!("tenant_id {value:?} is not a UUID"))
                .with_hint("Tenant ids look like 4a1b…-…; list them with SELECT * FROM xero_tenants('<server>').")),
        },
        "api_url" | "identity_url" | "login_url" | "proxy" => validate_url(name, value),
        "token_set" => {
            if !value.is_empty() && value.len() <= 63 && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
                Ok(())
            } else {
                Err(XeroError::invalid_option(format!("token_set {value:?} is not a valid name"))
                    .with_hint("Use 1 to 63 letters, digits, '_' or '-'; servers that share a Xero login share a token_set."))
            }
        }
        "api_write_roles" => parse_role_list(value).map(|_| ()),
        "entity" if context == OptionContext::ForeignTable => match crate::pushdown::entity_by_table(value) {
            Some(_) => Ok(()),
            None => Err(XeroError::invalid_option(format!("entity {value:?} is not a Xero collection xero_fdw knows"))
                .with_hint("Name it as the function without xero_ (invoices, invoice_line_items, contacts, …); IMPORT FOREIGN SCHEMA accounting creates them all.")),
        },
        "report" if context == OptionContext::ForeignTable => match crate::pushdown::report_by_table(value) {
            Some(_) => Ok(()),
            None => Err(XeroError::invalid_option(format!("report {value:?} is not a Xero report xero_fdw knows"))
                .with_hint("Name it as the function without xero_ (report_trial_balance, report_profit_and_loss, …); IMPORT FOREIGN SCHEMA accounting creates them all.")),
        },
        "rows" if context == OptionContext::ForeignTable => match value.trim().parse::<u64>() {
            Ok(n) if n > 0 => Ok(()),
            _ => Err(XeroError::invalid_option(format!("rows {value:?} is not a positive whole number"))
                .with_hint("The number of rows the planner should expect, e.g. OPTIONS (rows '20000').")),
        },
        "batch_size" => parse_batch_size(value).map(|_| ()),
        "client_id" | "client_secret" | "scopes" | "consumer_key" | "consumer_secret" if value.trim().is_empty() => {
            Err(XeroError::invalid_option(format!("option \"{name}\" must not be empty")))
        }
        _ => Ok(()),
    }
}

/// Xero advises about 50 elements a write call; more than 100 risks its 3.5 MB body limit.
pub const DEFAULT_BATCH_SIZE: u32 = 50;
pub const MAX_BATCH_SIZE: u32 = 100;

/// `batch_size` (server or foreign table option): rows an INSERT sends a call, 1 to 100.
pub fn parse_batch_size(value: &str) -> Result<u32> {
    match value.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_BATCH_SIZE).contains(&n) => Ok(n),
        _ => Err(XeroError::invalid_option(format!("batch_size {value:?} is not a whole number from 1 to {MAX_BATCH_SIZE}"))
            .with_hint(format!("Rows an INSERT sends to Xero a call; Xero advises about {DEFAULT_BATCH_SIZE} (the default)."))),
    }
}

/// `api_write_roles`: the roles (comma-separated names) that may send `POST`, `PUT` and `DELETE`
/// through `xero_api`; set on the server, so only its owner decides.
pub fn parse_role_list(value: &str) -> Result<Vec<String>> {
    let roles: Vec<String> = value.split(',').map(|r| r.trim().to_string()).filter(|r| !r.is_empty()).collect();
    if roles.is_empty() || roles.iter().any(|r| r.len() > 63) {
        return Err(XeroError::invalid_option(format!("api_write_roles {value:?} is not a list of role names"))
            .with_hint("Name the roles that may write (xero_api writes, INSERT/UPDATE/DELETE on foreign tables, xero_push), comma-separated: OPTIONS (ADD api_write_roles 'etl_writer, billing')."));
    }
    Ok(roles)
}

pub fn parse_auth(value: &str) -> Result<AuthMode> {
    match value {
        "oauth2" => Ok(AuthMode::OAuth2),
        "client_credentials" => Ok(AuthMode::ClientCredentials),
        "oauth1_public" => Ok(AuthMode::OAuth1Public),
        "oauth1_private" => Ok(AuthMode::OAuth1Private),
        "oauth1_partner" => Ok(AuthMode::OAuth1Partner),
        other => Err(XeroError::invalid_option(format!("auth {other:?} is not supported")).with_hint(
            "Use 'oauth2' (the default: a Xero user authorizes the app), 'client_credentials' (a Xero custom connection), \
             or for OAuth 1.0a 'oauth1_public', 'oauth1_private' or 'oauth1_partner'.",
        )),
    }
}

fn validate_url(name: &str, value: &str) -> Result<()> {
    let url = url::Url::parse(value).map_err(|e| XeroError::invalid_option(format!("{name} {value:?} is not a valid URL: {e}")))?;
    // The URL parser drops leading/trailing spaces and control characters and any tab or newline,
    // but the option is used as written (`{api_url}/Invoices`), where they would end up inside
    // the host or path: refuse them rather than accept a URL other than the one stored.
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(XeroError::invalid_option(format!("{name} {value:?} contains spaces or control characters"))
            .with_hint("Write the URL without spaces; percent-encode any in its path (%20)."));
    }
    match url.scheme() {
        "https" | "http" if url.host_str().is_some() => {}
        _ => return Err(XeroError::invalid_option(format!("{name} must be an http(s) URL with a host, not {value:?}"))),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(XeroError::invalid_option(format!("{name} must not contain credentials")).with_hint("Put secrets in the user mapping."));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(XeroError::invalid_option(format!("{name} must not have a query string or fragment")));
    }
    Ok(())
}

fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(name, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A server's options and the calling user's mapping, resolved with defaults.
#[derive(Clone, PartialEq, Eq)]
pub struct OrgConfig {
    pub server_name: String,
    pub auth: AuthMode,
    pub tenant_id: Option<String>,
    pub api_url: String,
    pub identity_url: String,
    pub login_url: String,
    pub token_set: String,
    pub scopes: Option<String>,
    pub proxy: Option<String>,
    /// Roles that may write (xero_api's POST/PUT/DELETE, INSERT/UPDATE/DELETE on foreign
    /// tables, xero_push) besides the server's owner (server option `api_write_roles`).
    pub api_write_roles: Vec<String>,
    /// Rows an INSERT sends a call (server option `batch_size`; a table's own option wins).
    pub batch_size: u32,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub consumer_key: Option<String>,
    pub consumer_secret: Option<String>,
}

impl std::fmt::Debug for OrgConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OrgConfig")
            .field("server_name", &self.server_name)
            .field("auth", &self.auth)
            .field("tenant_id", &self.tenant_id)
            .field("api_url", &self.api_url)
            .field("token_set", &self.token_set)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "<set>"))
            .field("consumer_key", &self.consumer_key)
            .field("consumer_secret", &self.consumer_secret.as_ref().map(|_| "<set>"))
            .finish()
    }
}

impl OrgConfig {
    pub fn resolve(server_name: &str, server: &[(String, String)], mapping: Option<&[(String, String)]>) -> Result<Self> {
        let get = |opts: &[(String, String)], k: &str| opts.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let auth = match get(server, "auth") {
            Some(a) => parse_auth(&a)?,
            None => AuthMode::OAuth2,
        };
        let mapping = mapping.unwrap_or(&[]);
        Ok(OrgConfig {
            server_name: server_name.to_string(),
            auth,
            tenant_id: get(server, "tenant_id"),
            api_url: get(server, "api_url").unwrap_or_else(|| DEFAULT_API_URL.into()).trim_end_matches('/').to_string(),
            identity_url: get(server, "identity_url").unwrap_or_else(|| DEFAULT_IDENTITY_URL.into()).trim_end_matches('/').to_string(),
            login_url: get(server, "login_url").unwrap_or_else(|| DEFAULT_LOGIN_URL.into()).trim_end_matches('/').to_string(),
            token_set: get(server, "token_set").unwrap_or_else(|| server_name.to_string()),
            scopes: get(server, "scopes"),
            proxy: get(server, "proxy"),
            api_write_roles: get(server, "api_write_roles").map(|v| parse_role_list(&v)).transpose()?.unwrap_or_default(),
            batch_size: get(server, "batch_size").map(|v| parse_batch_size(&v)).transpose()?.unwrap_or(DEFAULT_BATCH_SIZE),
            client_id: get(mapping, "client_id"),
            client_secret: get(mapping, "client_secret"),
            consumer_key: get(mapping, "consumer_key"),
            consumer_secret: get(mapping, "consumer_secret"),
        })
    }

    /// The app's client credentials, or an error that says how to provide them.
    pub fn client_credentials(&self) -> Result<(&str, &str)> {
        match (&self.client_id, &self.client_secret) {
            (Some(id), Some(secret)) => Ok((id, secret)),
            _ => Err(XeroError::new(ErrorKind::NotAuthorized, format!("no client_id/client_secret for server \"{}\"", self.server_name))
                .with_hint(format!(
                    "CREATE USER MAPPING FOR CURRENT_USER SERVER {} OPTIONS (client_id '…', client_secret '…'); (or FOR PUBLIC to share them).",
                    self.server_name
                ))),
        }
    }

    /// The OAuth 1.0a consumer key, and its secret (which only public apps have).
    pub fn consumer(&self) -> Result<(&str, &str)> {
        let key = self.consumer_key.as_deref().ok_or_else(|| {
            XeroError::new(ErrorKind::NotAuthorized, format!("no consumer_key for server \"{}\"", self.server_name)).with_hint(format!(
                "CREATE USER MAPPING FOR CURRENT_USER SERVER {} OPTIONS (consumer_key '…'{});",
                self.server_name,
                if self.auth == AuthMode::OAuth1Public { ", consumer_secret '…'" } else { "" }
            ))
        })?;
        let secret = self.consumer_secret.as_deref().unwrap_or("");
        if self.auth == AuthMode::OAuth1Public && secret.is_empty() {
            return Err(XeroError::new(ErrorKind::NotAuthorized, format!("no consumer_secret for public app server \"{}\"", self.server_name))
                .with_hint("Public apps sign with HMAC-SHA1: add consumer_secret to the user mapping."));
        }
        Ok((key, secret))
    }

    /// Where Xero's OAuth 1.0a endpoints live: the API host's `/oauth/…`.
    pub fn oauth1_endpoint(&self, name: &str) -> Result<String> {
        let mut url = url::Url::parse(&self.api_url).map_err(|e| XeroError::invalid_option(format!("api_url is not a valid URL: {e}")))?;
        url.set_path(&format!("/oauth/{name}"));
        url.set_query(None);
        Ok(url.into())
    }

    pub fn tenant(&self) -> Result<&str> {
        self.tenant_id.as_deref().ok_or_else(|| {
            XeroError::invalid_option(format!("server \"{}\" has no tenant_id", self.server_name)).with_hint(format!(
                "List the tenants of its token set with SELECT * FROM xero_tenants('{0}'); then ALTER SERVER {0} OPTIONS (ADD tenant_id '…').",
                self.server_name
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_checked_table_driven() {
        use OptionContext::*;
        // (context, name, value, Ok or a fragment of the message/hint)
        let cases: &[(OptionContext, &str, &str, Option<&str>)] = &[
            (Server, "auth", "oauth2", None),
            (Server, "auth", "client_credentials", None),
            (Server, "auth", "basic", Some("not supported")),
            (Server, "tenant_id", "3f1e2d4c-5b6a-4d3e-9c7a-0b8f0f0e8f3c", None),
            (Server, "tenant_id", "acme", Some("not a UUID")),
            (Server, "api_url", "http://127.0.0.1:8080/api.xro/2.0", None),
            (Server, "api_url", "ftp://example.com", Some("http(s) URL")),
            (Server, "api_url", "https://user:pw@api.xero.com", Some("credentials")),
            (Server, "identity_url", "not a url", Some("not a valid URL")),
            // Found by fuzz/fuzz_targets/filter_plan.rs: the parser ignored these, but the URL
            // built from the stored value (`{api_url}/Invoices`) did not parse.
            (Server, "api_url", "https://api.xero.com ", Some("spaces or control characters")),
            (Server, "api_url", "http:/!!!!!!!!!!!!pi\u{3}", Some("spaces or control characters")),
            (Server, "login_url", "https://login.xero.com\t", Some("spaces or control characters")),
            (Server, "proxy", " http://proxy:3128", Some("spaces or control characters")),
            (Server, "token_set", "shared-login_1", None),
            (Server, "token_set", "bad name", Some("not a valid name")),
            (Server, "client_secret", "s3cret", Some("user mapping")),
            (Server, "refresh_token", "rt", Some("xero_connect")),
            (Server, "client_id", "abc", Some("belongs in the user mapping")),
            (Server, "tenantid", "x", Some("Did you mean \"tenant_id\"")),
            (Server, "colour", "x", Some("Valid options: auth")),
            (UserMapping, "client_id", "abc", None),
            (UserMapping, "client_secret", "", Some("must not be empty")),
            (UserMapping, "tenant_id", "x", Some("Valid options: client_id, client_secret")),
            (Wrapper, "anything", "x", Some("takes no options")),
        ];
        for (ctx, name, value, expect) in cases {
            let got = validate_option(*ctx, name, value);
            match (expect, got) {
                (None, Ok(())) => {}
                (Some(frag), Err(e)) => {
                    let allowed: &[&str] = match ctx {
                        Server => SERVER_OPTIONS,
                        UserMapping => USER_MAPPING_OPTIONS,
                        _ => &[],
                    };
                    let unknown = !allowed.contains(name);
                    assert_eq!(e.kind, if unknown { ErrorKind::UnknownOption } else { ErrorKind::InvalidOption }, "{name}");
                    let text = e.to_string();
                    assert!(text.contains(frag), "{name}={value}: {text}");
                    assert!(!text.contains("s3cret"), "a secret value must not be echoed: {text}");
                }
                (e, g) => panic!("{ctx:?} {name}={value}: expected {e:?}, got {g:?}"),
            }
        }
    }

    #[test]
    fn config_resolves_defaults_and_says_what_is_missing() {
        let c = OrgConfig::resolve("acme", &[], None).unwrap();
        assert_eq!(c.api_url, DEFAULT_API_URL);
        assert_eq!(c.token_set, "acme");
        assert_eq!(c.auth, AuthMode::OAuth2);
        assert!(c.client_credentials().unwrap_err().hint.unwrap().contains("CREATE USER MAPPING"));
        assert!(c.tenant().unwrap_err().hint.unwrap().contains("xero_tenants('acme')"));
        let m = vec![("client_id".to_string(), "id".to_string()), ("client_secret".to_string(), "SECRET".to_string())];
        let c = OrgConfig::resolve("acme", &[("token_set".into(), "shared".into())], Some(&m)).unwrap();
        assert_eq!(c.token_set, "shared");
        assert_eq!(c.client_credentials().unwrap(), ("id", "SECRET"));
        assert!(!format!("{c:?}").contains("SECRET"));
    }
}
