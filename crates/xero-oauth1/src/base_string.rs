//! Parameter normalisation (RFC 5849 3.4.1.3) and the signature base string (3.4.1.1).

use std::borrow::Cow;
use std::fmt;

use crate::base_url::{UrlParts, UrlStyle};
use crate::encoding::{encode_into, encode_styled, Style};
use crate::error::{quote_short, Error};

/// Where a signed parameter came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// The URL's query string.
    Query,
    /// An `application/x-www-form-urlencoded` body.
    Body,
    /// A protocol (`oauth_*`) parameter.
    OAuth,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::Query => "query",
            Source::Body => "body",
            Source::OAuth => "oauth",
        })
    }
}

/// One decoded parameter that takes part in the signature.
#[derive(Clone, Debug)]
pub(crate) struct Param<'a> {
    pub name: Cow<'a, str>,
    pub value: Cow<'a, str>,
    pub source: Source,
}

impl<'a> Param<'a> {
    pub fn new(
        name: impl Into<Cow<'a, str>>,
        value: impl Into<Cow<'a, str>>,
        source: Source,
    ) -> Self {
        Param {
            name: name.into(),
            value: value.into(),
            source,
        }
    }
}

/// RFC 5849 3.4.1.3.1: `oauth_signature` is never signed, nor is the header's `realm`.
pub(crate) fn is_excluded(name: &str, source: Source) -> bool {
    name == "oauth_signature" || (name == "realm" && source == Source::OAuth)
}

/// Parameters encoded once (3.4.1.3.2 step 1) into one shared buffer, sorted (step 2).
/// One buffer and one index vector instead of two `String`s per parameter keeps header
/// generation cheap.
pub(crate) struct EncodedParams {
    buf: String,
    items: Vec<[usize; 3]>, // name start, name end (= value start - 1 for '='), value end
}

impl EncodedParams {
    pub fn new<'p, I>(params: I, capacity: usize) -> Self
    where
        I: IntoIterator<Item = (&'p str, &'p str)>,
    {
        let mut buf = String::with_capacity(capacity);
        let mut items = Vec::new();
        for (n, v) in params {
            let a = buf.len();
            encode_into(&mut buf, n);
            let b = buf.len();
            encode_into(&mut buf, v);
            items.push([a, b, buf.len()]);
        }
        let mut e = EncodedParams { buf, items };
        let buf = &e.buf;
        // Sort by encoded name, then encoded value: byte order, as 3.4.1.3.2 requires.
        e.items.sort_unstable_by(|x, y| {
            (&buf[x[0]..x[1]], &buf[x[1]..x[2]]).cmp(&(&buf[y[0]..y[1]], &buf[y[1]..y[2]]))
        });
        e
    }

    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.items
            .iter()
            .map(move |x| (&self.buf[x[0]..x[1]], &self.buf[x[1]..x[2]]))
    }

    /// Appends `name=value&…` (3.4.1.3.2 steps 3-4), already encoded once.
    pub fn write_normalized(&self, out: &mut String) {
        for (i, (n, v)) in self.pairs().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.push_str(n);
            out.push('=');
            out.push_str(v);
        }
    }

    /// Appends the normalized string encoded once more, as the base string holds it. Encoded
    /// text only has `%` left to escape, so `&` and `=` are written as `%26` and `%3D` directly.
    pub fn write_normalized_encoded(&self, out: &mut String) {
        for (i, (n, v)) in self.pairs().enumerate() {
            if i > 0 {
                out.push_str("%26");
            }
            encode_into(out, n);
            out.push_str("%3D");
            encode_into(out, v);
        }
    }
}

/// Checks an HTTP method (an RFC 9110 token) and upper-cases it as 3.4.1.1 requires.
pub(crate) fn checked_method(method: &str) -> Result<Cow<'_, str>, Error> {
    let is_tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if method.is_empty() || !method.bytes().all(is_tchar) {
        return Err(Error::InvalidMethod {
            method: quote_short(method),
        });
    }
    if method.bytes().any(|b| b.is_ascii_lowercase()) {
        Ok(Cow::Owned(method.to_ascii_uppercase()))
    } else {
        Ok(Cow::Borrowed(method))
    }
}

/// Writes `METHOD&enc(base URL)&enc(normalized parameters)`.
pub(crate) fn write_base_string(
    out: &mut String,
    method: &str,
    base_url: &str,
    params: &EncodedParams,
) {
    // A custom method must be encoded (3.4.1.1); token characters such as `!` or `*` would
    // otherwise slip through.
    encode_into(out, method);
    out.push('&');
    encode_into(out, base_url);
    out.push('&');
    params.write_normalized_encoded(out);
}

/// Collects the parameters of a request: query, then body, then protocol parameters, dropping
/// the ones RFC 5849 3.4.1.3.1 excludes.
pub(crate) fn collect<'a>(
    url: &UrlParts<'a>,
    body: &'a [(String, String)],
    oauth: impl IntoIterator<Item = Param<'a>>,
) -> Result<Vec<Param<'a>>, Error> {
    let mut all = Vec::with_capacity(body.len() + 10);
    for q in url.query_pairs() {
        let (n, v) = q?;
        all.push(Param::new(n, v, Source::Query));
    }
    all.extend(
        body.iter()
            .map(|(n, v)| Param::new(n.as_str(), v.as_str(), Source::Body)),
    );
    all.extend(oauth);
    all.retain(|p| !is_excluded(&p.name, p.source));
    Ok(all)
}

/// Encodes and sorts collected parameters.
pub(crate) fn encode_params(params: &[Param<'_>]) -> EncodedParams {
    let cap = params
        .iter()
        .map(|p| p.name.len() + p.value.len())
        .sum::<usize>()
        * 3
        / 2
        + 16;
    EncodedParams::new(
        params.iter().map(|p| (p.name.as_ref(), p.value.as_ref())),
        cap,
    )
}

/// Builds the RFC 5849 base string from collected parameters.
pub(crate) fn base_string_from(
    method: &str,
    url: &UrlParts<'_>,
    params: &[Param<'_>],
) -> Result<String, Error> {
    let method = checked_method(method)?;
    let mut base_url = String::with_capacity(url.host.len() + url.path.len() + 16);
    url.write_base(&mut base_url, UrlStyle::default());
    let enc = encode_params(params);
    let mut out =
        String::with_capacity(method.len() + base_url.len() * 3 / 2 + enc.buf.len() * 3 / 2 + 32);
    write_base_string(&mut out, &method, &base_url, &enc);
    Ok(out)
}

/// Encodes each name and value (RFC 5849 3.6), sorts the pairs by encoded name and then by
/// encoded value, and joins them as `name=value&…` (3.4.1.3.2).
pub fn normalized_parameters(params: &[(String, String)]) -> String {
    let enc = EncodedParams::new(params.iter().map(|(n, v)| (n.as_str(), v.as_str())), 64);
    let mut out = String::with_capacity(enc.buf.len() + enc.items.len() * 2);
    enc.write_normalized(&mut out);
    out
}

/// The signature base string `METHOD&enc(base URL)&enc(normalized parameters)` (RFC 5849
/// 3.4.1.1).
///
/// `params` are the unencoded protocol parameters plus any form-body parameters; the URL's query
/// parameters are added from `url`. `oauth_signature` and `realm` in `params` are left out, as
/// they would be in an `Authorization` header. (A form-body parameter that happens to be called
/// `realm` *is* signed; [`crate::authorization_header`] and [`crate::verify`] keep track of where
/// each parameter came from and get that right.) The method is upper-cased.
pub fn signature_base_string(
    method: &str,
    url: &str,
    params: &[(String, String)],
) -> Result<String, Error> {
    let parts = UrlParts::parse(url)?;
    let collected = collect(
        &parts,
        &[],
        params
            .iter()
            .map(|(n, v)| Param::new(n.as_str(), v.as_str(), Source::OAuth)),
    )?;
    base_string_from(method, &parts, &collected)
}

/// How a client ordered its parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Order {
    /// RFC 5849: by encoded name, then encoded value.
    Sorted,
    /// Not sorted at all: in the order collected (query, body, protocol).
    AsCollected,
    /// Protocol parameters first, then the others as collected.
    OAuthFirst,
    /// Sorted by the decoded name and value, then encoded.
    SortedBeforeEncoding,
}

/// A (possibly mistaken) way to build the normalized parameter string, for `verify`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ParamStyle {
    pub encoding: Style,
    pub order: Order,
    /// Encode names and values twice before normalising.
    pub double_encode: bool,
    /// Do not encode names and values at all before normalising.
    pub skip_encoding: bool,
}

impl Default for ParamStyle {
    fn default() -> Self {
        ParamStyle {
            encoding: Style::Rfc5849,
            order: Order::Sorted,
            double_encode: false,
            skip_encoding: false,
        }
    }
}

/// General (slow, allocation-happy) base string builder used to reproduce client mistakes.
/// `raw_pairs` are taken verbatim as the client's already-"encoded" pairs when given.
pub(crate) fn styled_base_string(
    method: &str,
    base_url: &str,
    params: &[Param<'_>],
    style: ParamStyle,
) -> String {
    let enc1 = |s: &str| {
        let mut o = String::new();
        encode_styled(&mut o, s, style.encoding);
        o
    };
    let encode_pair = |p: &Param<'_>| -> (String, String) {
        if style.skip_encoding {
            (p.name.to_string(), p.value.to_string())
        } else if style.double_encode {
            (enc1(&enc1(&p.name)), enc1(&enc1(&p.value)))
        } else {
            (enc1(&p.name), enc1(&p.value))
        }
    };
    let mut ordered: Vec<&Param<'_>> = params.iter().collect();
    match style.order {
        Order::Sorted | Order::AsCollected => {}
        Order::OAuthFirst => ordered.sort_by_key(|p| p.source != Source::OAuth),
        Order::SortedBeforeEncoding => {
            ordered.sort_by(|a, b| (&a.name, &a.value).cmp(&(&b.name, &b.value)))
        }
    }
    let mut pairs: Vec<(String, String)> = ordered.into_iter().map(encode_pair).collect();
    if style.order == Order::Sorted {
        pairs.sort();
    }
    let mut normalized = String::new();
    for (i, (n, v)) in pairs.iter().enumerate() {
        if i > 0 {
            normalized.push('&');
        }
        normalized.push_str(n);
        normalized.push('=');
        normalized.push_str(v);
    }
    let mut out = String::new();
    encode_styled(&mut out, method, style.encoding);
    out.push('&');
    encode_styled(&mut out, base_url, style.encoding);
    out.push('&');
    encode_styled(&mut out, &normalized, style.encoding);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn sorts_by_encoded_name_then_value() {
        // '-' (0x2D) sorts before '/' (0x2F) decoded, but "%2F" sorts before "-" encoded.
        let p = pairs(&[("a-", "1"), ("a/", "1"), ("x", "b"), ("x", "a"), ("x", " ")]);
        assert_eq!(normalized_parameters(&p), "a%2F=1&a-=1&x=%20&x=a&x=b");
    }

    #[test]
    fn excludes_signature_and_realm_uppercases_method() {
        let p = pairs(&[("oauth_signature", "x"), ("realm", "r"), ("a", "b")]);
        assert_eq!(
            signature_base_string("get", "HTTP://Example.com:80", &p).unwrap(),
            "GET&http%3A%2F%2Fexample.com%2F&a%3Db"
        );
        assert!(matches!(
            signature_base_string("GE T", "http://a.b/", &p),
            Err(Error::InvalidMethod { .. })
        ));
    }

    #[test]
    fn styled_builder_with_rfc_style_matches_fast_path() {
        let parts = UrlParts::parse("http://Example.com:8080/a%20b?x=1+2&y=%2B&x=%C3%A9").unwrap();
        let body = pairs(&[("b b", "c~d*"), ("a", "")]);
        let params = collect(
            &parts,
            &body,
            [Param::new("oauth_nonce", "n o", Source::OAuth)],
        )
        .unwrap();
        let fast = base_string_from("POST", &parts, &params).unwrap();
        let mut base_url = String::new();
        parts.write_base(&mut base_url, UrlStyle::default());
        assert_eq!(
            styled_base_string("POST", &base_url, &params, ParamStyle::default()),
            fast
        );
    }
}
