//! The base string URI (RFC 5849 3.4.1.2) and the query parameters a URL contributes.

use std::borrow::Cow;

use crate::encoding::{decode, raw_form_pairs};
use crate::error::Error;

/// A URL split into what the signature base string uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseUrl {
    /// `scheme://host[:port]/path`: scheme and host lower-case, default port dropped, path as
    /// sent (an empty path is `/`), no query, no fragment.
    pub base_url: String,
    /// The query string's parameters, form-decoded (`+` is a space), in wire order.
    pub query: Vec<(String, String)>,
}

/// The pieces of an absolute http(s) URL, borrowed from the input. Kept in their original case
/// so that `verify` can rebuild what a client that forgot to normalise would have signed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct UrlParts<'a> {
    pub scheme: &'a str,
    pub https: bool,
    pub host: &'a str,
    /// The port as written, if any (an empty port after `:` counts as none, RFC 3986 6.2.3).
    pub port: Option<u16>,
    pub path: &'a str,
    pub query: Option<&'a str>,
}

/// How to write the base string URI. `Default` is RFC 5849; the other settings reproduce client
/// mistakes for `verify`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct UrlStyle {
    /// Keep the scheme and host as written instead of lower-casing them.
    pub keep_case: bool,
    /// Write the port even when it is the scheme's default (adding it if the URL had none).
    pub force_port: bool,
    /// Sign with the other scheme (http <-> https).
    pub swap_scheme: bool,
    /// Append `?query` as written.
    pub with_query: bool,
    /// Add a `/` to a path that lacks one at its end, or remove one that is there.
    pub toggle_trailing_slash: bool,
}

impl<'a> UrlParts<'a> {
    pub fn parse(url: &'a str) -> Result<UrlParts<'a>, Error> {
        let url = url.trim_matches(|c: char| c.is_ascii_whitespace());
        if let Some(pos) = url.bytes().position(|b| b <= b' ' || b == 0x7F) {
            return Err(Error::InvalidUrl {
                reason: format!(
                    "it contains a space or control character at byte {pos}; percent-encode it (a space is %20)"
                ),
            });
        }
        let (scheme, rest) = url.split_once("://").ok_or_else(|| Error::InvalidUrl {
            reason: "expected an absolute URL such as https://api.xero.com/api.xro/2.0/Invoices"
                .to_string(),
        })?;
        let https = if scheme.eq_ignore_ascii_case("https") {
            true
        } else if scheme.eq_ignore_ascii_case("http") {
            false
        } else {
            return Err(Error::UnsupportedScheme {
                scheme: crate::error::quote_short(scheme),
            });
        };
        // The fragment never reaches the server.
        let rest = rest.split_once('#').map_or(rest, |(r, _)| r);
        let (before_query, query) = match rest.split_once('?') {
            Some((b, q)) => (b, Some(q)),
            None => (rest, None),
        };
        let (authority, path) = match before_query.find('/') {
            Some(i) => (&before_query[..i], &before_query[i..]),
            None => (before_query, ""),
        };
        if authority.contains('@') {
            return Err(Error::InvalidUrl {
                reason: "user information (user:password@) in the URL is not allowed; send credentials as OAuth parameters".to_string(),
            });
        }
        let (host, port_text) = if let Some(stripped) = authority.strip_prefix('[') {
            // IPv6 literal: the port separator is the ':' after the closing bracket.
            let end = stripped.find(']').ok_or_else(|| Error::InvalidUrl {
                reason: "IPv6 host is missing its closing ']'".to_string(),
            })?;
            let host = &authority[..end + 2];
            let after = &authority[end + 2..];
            match after.strip_prefix(':') {
                Some(p) => (host, Some(p)),
                None if after.is_empty() => (host, None),
                None => {
                    return Err(Error::InvalidUrl {
                        reason: "unexpected text after the IPv6 host".to_string(),
                    })
                }
            }
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            }
        };
        if host.is_empty() {
            return Err(Error::InvalidUrl {
                reason: "the URL has no host".to_string(),
            });
        }
        let port = match port_text {
            None | Some("") => None,
            Some(p) => Some(
                p.parse::<u16>()
                    .ok()
                    .filter(|_| p.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or_else(|| Error::InvalidUrl {
                        reason: format!(
                            "port {:?} is not a number from 0 to 65535",
                            crate::error::quote_short(p)
                        ),
                    })?,
            ),
        };
        Ok(UrlParts {
            scheme,
            https,
            host,
            port,
            path,
            query,
        })
    }

    fn default_port(https: bool) -> u16 {
        if https {
            443
        } else {
            80
        }
    }

    /// Writes the base string URI (unencoded) to `out`.
    pub fn write_base(&self, out: &mut String, style: UrlStyle) {
        let https = self.https != style.swap_scheme;
        if style.swap_scheme {
            out.push_str(if https { "https" } else { "http" });
        } else if style.keep_case {
            out.push_str(self.scheme);
        } else {
            out.push_str(if https { "https" } else { "http" });
        }
        out.push_str("://");
        if style.keep_case {
            out.push_str(self.host);
        } else {
            // Lower-casing ASCII only: RFC 3986 3.2.2 makes the host case-insensitive;
            // internationalised hosts arrive punycoded (ASCII) on the wire.
            let start = out.len();
            out.push_str(self.host);
            out[start..].make_ascii_lowercase();
        }
        let default = Self::default_port(https);
        match self.port {
            Some(p) if p != default || style.force_port => {
                out.push(':');
                out.push_str(itoa_u16(p).as_str());
            }
            None if style.force_port => {
                out.push(':');
                out.push_str(itoa_u16(default).as_str());
            }
            _ => {}
        }
        let path = if self.path.is_empty() { "/" } else { self.path };
        if style.toggle_trailing_slash {
            match path.strip_suffix('/') {
                Some(p) if !p.is_empty() => out.push_str(p),
                _ => {
                    out.push_str(path);
                    out.push('/');
                }
            }
        } else {
            out.push_str(path);
        }
        if style.with_query {
            if let Some(q) = self.query {
                out.push('?');
                out.push_str(q);
            }
        }
    }

    /// The query parameters, form-decoded, in wire order.
    pub fn query_pairs(&self) -> impl Iterator<Item = Result<(Cow<'a, str>, Cow<'a, str>), Error>> {
        raw_form_pairs(self.query.unwrap_or("")).map(|(n, v)| {
            let ctx = || "URL query string".to_string();
            Ok((decode(n, true, &ctx)?, decode(v, true, &ctx)?))
        })
    }
}

/// Small stack-formatted port number (avoids a `format!` allocation on the hot path).
struct PortText {
    buf: [u8; 5],
    start: usize,
}

impl PortText {
    fn as_str(&self) -> &str {
        // Only ASCII digits are ever written.
        std::str::from_utf8(&self.buf[self.start..]).unwrap_or("0")
    }
}

fn itoa_u16(mut n: u16) -> PortText {
    let mut buf = [b'0'; 5];
    let mut i = 5;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    PortText { buf, start: i }
}

/// Splits `url` into its base string URI (RFC 5849 3.4.1.2) and its decoded query parameters.
///
/// The scheme and host are lower-cased, the default port (80 for http, 443 for https) is dropped,
/// the path is kept exactly as sent (an empty path becomes `/`; percent-escapes in it are *not*
/// decoded, so `/r%20v/X` stays `/r%20v/X`), and the fragment is dropped. Only http and https are
/// accepted.
pub fn normalize_url(url: &str) -> Result<BaseUrl, Error> {
    let parts = UrlParts::parse(url)?;
    let mut base_url = String::with_capacity(url.len());
    parts.write_base(&mut base_url, UrlStyle::default());
    let query = parts
        .query_pairs()
        .map(|r| r.map(|(n, v)| (n.into_owned(), v.into_owned())))
        .collect::<Result<_, _>>()?;
    Ok(BaseUrl { base_url, query })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(url: &str) -> String {
        normalize_url(url).unwrap().base_url
    }

    #[test]
    fn rfc_examples() {
        assert_eq!(
            base("http://EXAMPLE.COM:80/r%20v/X?id=123"),
            "http://example.com/r%20v/X"
        );
        assert_eq!(
            base("https://www.example.net:8080/?q=1"),
            "https://www.example.net:8080/"
        );
    }

    #[test]
    fn normalisation_rules() {
        assert_eq!(base("HTTPS://Api.Xero.com:443"), "https://api.xero.com/");
        assert_eq!(base("http://a.b:443/x"), "http://a.b:443/x");
        assert_eq!(base("https://a.b:80/x"), "https://a.b:80/x");
        assert_eq!(base("http://a.b:/x#frag"), "http://a.b/x");
        assert_eq!(base("http://[::1]:8080/x"), "http://[::1]:8080/x");
        assert_eq!(base("http://[::1]:80"), "http://[::1]/");
        assert_eq!(
            base("http://a.b/Path/Keeps/Case?X=Y"),
            "http://a.b/Path/Keeps/Case"
        );
        assert_eq!(base("  http://a.b/x\n"), "http://a.b/x");
    }

    #[test]
    fn query_is_form_decoded() {
        let b = normalize_url("http://a.b/?b5=%3D%253D&a3=a&c%40=&a2=r%20b&p=1+2&flag").unwrap();
        let want: Vec<(String, String)> = [
            ("b5", "=%3D"),
            ("a3", "a"),
            ("c@", ""),
            ("a2", "r b"),
            ("p", "1 2"),
            ("flag", ""),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(b.query, want);
    }

    #[test]
    fn errors() {
        assert!(matches!(
            normalize_url("ftp://a.b/"),
            Err(Error::UnsupportedScheme { .. })
        ));
        assert!(matches!(
            normalize_url("/relative"),
            Err(Error::InvalidUrl { .. })
        ));
        assert!(matches!(
            normalize_url("http:///x"),
            Err(Error::InvalidUrl { .. })
        ));
        assert!(matches!(
            normalize_url("http://a.b:99999/"),
            Err(Error::InvalidUrl { .. })
        ));
        assert!(matches!(
            normalize_url("http://a.b:x/"),
            Err(Error::InvalidUrl { .. })
        ));
        assert!(matches!(
            normalize_url("http://u:p@a.b/"),
            Err(Error::InvalidUrl { .. })
        ));
        assert!(matches!(
            normalize_url("http://a.b/a b"),
            Err(Error::InvalidUrl { .. })
        ));
        assert!(matches!(
            normalize_url("http://a.b/?x=%zz"),
            Err(Error::InvalidPercentEncoding { .. })
        ));
    }

    #[test]
    fn mistaken_styles() {
        let p = UrlParts::parse("HTTPS://Api.Xero.com/x/?q=1").unwrap();
        let w = |style| {
            let mut s = String::new();
            p.write_base(&mut s, style);
            s
        };
        assert_eq!(
            w(UrlStyle {
                keep_case: true,
                ..Default::default()
            }),
            "HTTPS://Api.Xero.com/x/"
        );
        assert_eq!(
            w(UrlStyle {
                force_port: true,
                ..Default::default()
            }),
            "https://api.xero.com:443/x/"
        );
        assert_eq!(
            w(UrlStyle {
                swap_scheme: true,
                ..Default::default()
            }),
            "http://api.xero.com/x/"
        );
        assert_eq!(
            w(UrlStyle {
                with_query: true,
                ..Default::default()
            }),
            "https://api.xero.com/x/?q=1"
        );
        assert_eq!(
            w(UrlStyle {
                toggle_trailing_slash: true,
                ..Default::default()
            }),
            "https://api.xero.com/x"
        );
    }
}
