//! Which hosts xero_fdw may reach. An organisation's URLs are options anyone with the right to
//! create a server can set, so without a limit the database server would call any host its owner's
//! users name (an SSRF). A superuser-only allow-list decides; plain http only to loopback, and only
//! when allowed; no other scheme.

use crate::error::{ErrorKind, Result, XeroError};

pub const DEFAULT_ALLOWED_HOSTS: &str = "api.xero.com,identity.xero.com,login.xero.com,api-partner.network.xero.com";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetPolicy {
    /// Host patterns: `host`, `host:port`, or `*.domain` (any subdomain).
    pub allowed_hosts: Vec<String>,
    /// Plain `http://` to 127.0.0.0/8, ::1 or localhost (for a local test server).
    pub allow_http_loopback: bool,
}

impl NetPolicy {
    pub fn new(allowed_hosts: &str, allow_http_loopback: bool) -> Self {
        NetPolicy {
            allowed_hosts: allowed_hosts.split(',').map(|h| h.trim().to_ascii_lowercase()).filter(|h| !h.is_empty()).collect(),
            allow_http_loopback,
        }
    }

    /// Checks a URL an organisation would call; `what` names the option it came from.
    pub fn check(&self, what: &str, url: &str) -> Result<()> {
        let parsed = url::Url::parse(url).map_err(|e| XeroError::invalid_option(format!("{what} is not a valid URL: {e}")))?;
        let host = parsed.host_str().unwrap_or("").trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
        let port = parsed.port_or_known_default().unwrap_or(0);
        let forbidden = |why: String| {
            XeroError::new(ErrorKind::PermissionDenied, format!("{what} {url:?} is not allowed: {why}"))
                .with_detail(format!(
                    "xero_fdw.allowed_hosts is '{}'; xero_fdw.allow_http_loopback is {}.",
                    self.allowed_hosts.join(","),
                    if self.allow_http_loopback { "on" } else { "off" }
                ))
                .with_hint(format!(
                    "Change the organisation's {what} option, or have a superuser add its host to xero_fdw.allowed_hosts \
                     (and turn on xero_fdw.allow_http_loopback for a plain-http local test server)."
                ))
        };
        match parsed.scheme() {
            "https" => {}
            "http" if is_loopback(&host) && self.allow_http_loopback => {}
            "http" if is_loopback(&host) => return Err(forbidden("plain http is off (xero_fdw.allow_http_loopback)".into())),
            "http" => return Err(forbidden("plain http is only for loopback test servers".into())),
            other => return Err(forbidden(format!("the scheme {other} is not http(s)"))),
        }
        if self.allowed_hosts.iter().any(|pattern| host_matches(pattern, &host, port)) {
            Ok(())
        } else {
            Err(forbidden(format!("host {host} is not in xero_fdw.allowed_hosts")))
        }
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost" || host == "::1" || host.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

fn host_matches(pattern: &str, host: &str, port: u16) -> bool {
    let (pattern_host, pattern_port) = match pattern.rsplit_once(':') {
        Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) && !h.is_empty() => (h, p.parse::<u16>().ok()),
        _ => (pattern, None),
    };
    if pattern_port.is_some_and(|p| p != port) {
        return false;
    }
    match pattern_host.strip_prefix("*.") {
        Some(domain) => host.len() > domain.len() + 1 && host.ends_with(domain) && host.as_bytes()[host.len() - domain.len() - 1] == b'.',
        None => pattern_host == host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allow_list_decides_table_driven() {
        let default = NetPolicy::new(DEFAULT_ALLOWED_HOSTS, false);
        let test = NetPolicy::new("127.0.0.1, *.example.com, proxy.local:3128", true);
        // (policy, url, allowed)
        let cases: &[(&NetPolicy, &str, bool)] = &[
            (&default, "https://api.xero.com/api.xro/2.0", true),
            (&default, "https://API.XERO.COM/api.xro/2.0", true),
            (&default, "https://identity.xero.com", true),
            (&default, "http://api.xero.com/api.xro/2.0", false),
            (&default, "https://evil.com/api.xro/2.0", false),
            (&default, "https://api.xero.com.evil.com/", false),
            (&default, "http://127.0.0.1:8080/api.xro/2.0", false),
            (&default, "https://169.254.169.254/latest/meta-data", false),
            (&default, "ftp://api.xero.com/", false),
            (&test, "http://127.0.0.1:8080/api.xro/2.0", true),
            (&test, "https://127.0.0.1:8443/api.xro/2.0", true),
            (&test, "http://localhost:8080/", false),
            (&test, "http://10.0.0.1/", false),
            (&test, "https://a.example.com/", true),
            (&test, "https://example.com/", false),
            (&test, "https://badexample.com/", false),
            (&test, "http://proxy.local:3128", false),
            (&test, "https://proxy.local:3128", true),
            (&test, "https://proxy.local:8080", false),
            (&test, "file:///etc/passwd", false),
        ];
        for (policy, url, allowed) in cases {
            let got = policy.check("api_url", url);
            assert_eq!(got.is_ok(), *allowed, "{url}: {got:?}");
            if let Err(e) = got {
                assert_eq!(e.kind, ErrorKind::PermissionDenied, "{url}");
                assert!(e.message.starts_with("api_url "), "names the option: {e}");
                assert!(e.detail.unwrap().starts_with("xero_fdw.allowed_hosts is '"), "names the setting's value");
                let hint = e.hint.unwrap();
                assert!(hint.contains("xero_fdw.allowed_hosts") && hint.contains("api_url option"), "{hint}");
            }
        }
    }
}
