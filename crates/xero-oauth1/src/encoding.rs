//! Percent-encoding (RFC 5849 3.6) and the two decodings a server meets: strict percent-decoding
//! for `Authorization` header values and form decoding (`+` is a space) for query strings and
//! `application/x-www-form-urlencoded` bodies.

use std::borrow::Cow;

use crate::error::Error;

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";
const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

/// RFC 5849 3.6 / RFC 3986 2.3 unreserved characters: the only bytes left as they are.
#[inline]
pub(crate) fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// How a (possibly wrong) client percent-encodes. Only [`Style::Rfc5849`] is correct; the others
/// reproduce well-known client mistakes so that `verify` can recognise them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    /// RFC 5849 3.6: everything but `A-Z a-z 0-9 - . _ ~` as `%XX`, upper-case hex.
    Rfc5849,
    /// Form encoding used by mistake: space as `+`, otherwise RFC 5849.
    PlusForSpace,
    /// Java's `URLEncoder`: space as `+`, `*` left alone, `~` encoded.
    JavaUrlEncoder,
    /// .NET's `HttpUtility.UrlEncode`-style lower-case hex digits (`%2f` instead of `%2F`).
    LowerHex,
}

/// Appends `s` percent-encoded per RFC 5849 3.6 to `out`. Runs of unreserved bytes are copied in
/// one go: this is the hot path of header generation.
#[inline]
pub(crate) fn encode_into(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !is_unreserved(b) {
            // Between two escaped bytes there are only unreserved ASCII bytes, so a non-empty
            // run always starts and ends on character boundaries.
            if start < i {
                out.push_str(&s[start..i]);
            }
            out.push('%');
            out.push(HEX_UPPER[(b >> 4) as usize] as char);
            out.push(HEX_UPPER[(b & 0xF) as usize] as char);
            start = i + 1;
        }
    }
    if start < bytes.len() {
        out.push_str(&s[start..]);
    }
}

/// Appends `s` encoded the way a client of the given [`Style`] would.
pub(crate) fn encode_styled(out: &mut String, s: &str, style: Style) {
    if style == Style::Rfc5849 {
        return encode_into(out, s);
    }
    for &b in s.as_bytes() {
        let keep = match style {
            Style::JavaUrlEncoder => {
                b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'*')
            }
            _ => is_unreserved(b),
        };
        if keep {
            out.push(b as char);
        } else if b == b' ' && matches!(style, Style::PlusForSpace | Style::JavaUrlEncoder) {
            out.push('+');
        } else {
            let hex = if style == Style::LowerHex {
                HEX_LOWER
            } else {
                HEX_UPPER
            };
            out.push('%');
            out.push(hex[(b >> 4) as usize] as char);
            out.push(hex[(b & 0xF) as usize] as char);
        }
    }
}

/// Percent-encodes `s` as RFC 5849 3.6 requires: the UTF-8 bytes of every character other than
/// the unreserved `A-Z a-z 0-9 - . _ ~` become `%XX` with upper-case hex digits; a space is
/// `%20`, never `+`.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 2);
    encode_into(&mut out, s);
    out
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Shared decoder; `plus_is_space` selects form decoding. Borrows when nothing needs decoding.
pub(crate) fn decode<'a>(
    s: &'a str,
    plus_is_space: bool,
    context: &dyn Fn() -> String,
) -> Result<Cow<'a, str>, Error> {
    let bytes = s.as_bytes();
    if !bytes
        .iter()
        .any(|&b| b == b'%' || (plus_is_space && b == b'+'))
    {
        return Ok(Cow::Borrowed(s));
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hi = bytes.get(i + 1).copied().and_then(hex_val);
                let lo = bytes.get(i + 2).copied().and_then(hex_val);
                match (hi, lo) {
                    (Some(h), Some(l)) => out.push(h << 4 | l),
                    _ => {
                        return Err(Error::InvalidPercentEncoding {
                            context: context(),
                            position: i,
                        })
                    }
                }
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out)
        .map(Cow::Owned)
        .map_err(|_| Error::InvalidUtf8 { context: context() })
}

/// Decodes RFC 5849 3.6 percent-encoding, as used in `Authorization` header values.
///
/// A `+` stays a `+`. RFC 5849 encodes a space as `%20` and a plus as `%2B`, so in a header a
/// literal `+` can only be a plus; turning it into a space is form decoding (HTML 4.01 17.13.4),
/// which applies to query strings and form bodies only (see [`parse_form_urlencoded`]). Treating
/// header values as form data is a classic server bug: base64 signatures contain `+`, and a
/// client that (wrongly, but commonly) leaves its signature unencoded would then be rejected.
/// Lower-case hex digits are accepted (RFC 3986 2.1 makes them equivalent); a `%` that is not
/// followed by two hex digits, or bytes that are not UTF-8, are errors.
pub fn percent_decode(s: &str) -> Result<String, Error> {
    decode(s, false, &|| "percent-encoded text".to_string()).map(Cow::into_owned)
}

/// Splits form-encoded text into raw (still encoded) name/value pairs. Empty segments (`a=1&&b=2`,
/// a trailing `&`) are skipped; a segment without `=` is a name with an empty value (RFC 5849
/// 3.4.1.3.1's `c2` example).
pub(crate) fn raw_form_pairs(s: &str) -> impl Iterator<Item = (&str, &str)> {
    s.split('&')
        .filter(|seg| !seg.is_empty())
        .map(|seg| match seg.split_once('=') {
            Some((n, v)) => (n, v),
            None => (seg, ""),
        })
}

/// Parses an `application/x-www-form-urlencoded` string (a query string or a form body) into
/// decoded name/value pairs in wire order.
///
/// RFC 5849 3.4.1.3.1 says both the query and a form body are decoded per HTML 4.01 17.13.4, so
/// here `+` *is* a space (unlike [`percent_decode`]): `a3=2+q` means `a3` = `2 q`.
pub fn parse_form_urlencoded(s: &str) -> Result<Vec<(String, String)>, Error> {
    raw_form_pairs(s)
        .map(|(n, v)| {
            let ctx = || "form-encoded text".to_string();
            Ok((
                decode(n, true, &ctx)?.into_owned(),
                decode(v, true, &ctx)?.into_owned(),
            ))
        })
        .collect()
}

/// Builds `name=value&…` with RFC 5849 3.6 encoding, in the order given: the body of a request
/// that sends its protocol parameters in the form body (RFC 5849 3.5.2) or a query string
/// (3.5.3). Using `%20` for spaces is valid form encoding too, so any server decodes it.
pub fn form_urlencode(params: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (n, v)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode_into(&mut out, n);
        out.push('=');
        encode_into(&mut out, v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_every_byte_class() {
        assert_eq!(percent_encode("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(percent_encode(" "), "%20");
        assert_eq!(percent_encode("+"), "%2B");
        assert_eq!(
            percent_encode("/?#[]@!$&'()*+,;="),
            "%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D"
        );
        assert_eq!(percent_encode("é"), "%C3%A9");
        assert_eq!(percent_encode("\u{1F980}"), "%F0%9F%A6%80");
        // Every byte value from 0 to 127 round-trips and encodes to upper-case hex.
        for b in 0u8..128 {
            let s = (b as char).to_string();
            let e = percent_encode(&s);
            assert!(
                !e.chars().any(|c| c.is_ascii_lowercase()) || is_unreserved(b),
                "{e}"
            );
            assert_eq!(percent_decode(&e).unwrap(), s);
        }
    }

    #[test]
    fn decoding_keeps_plus_in_headers_but_not_in_forms() {
        assert_eq!(percent_decode("a+b%20c").unwrap(), "a+b c");
        assert_eq!(percent_decode("%2f%2F").unwrap(), "//");
        let pairs = parse_form_urlencoded("c2&a3=2+q&=&x=%2B&&").unwrap();
        let want: Vec<(String, String)> = [("c2", ""), ("a3", "2 q"), ("", ""), ("x", "+")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(pairs, want);
    }

    #[test]
    fn bad_escapes_are_errors_with_positions() {
        match percent_decode("ab%2") {
            Err(Error::InvalidPercentEncoding { position, .. }) => assert_eq!(position, 2),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            percent_decode("%G0"),
            Err(Error::InvalidPercentEncoding { .. })
        ));
        assert!(matches!(
            percent_decode("%FF"),
            Err(Error::InvalidUtf8 { .. })
        ));
    }

    #[test]
    fn mistaken_styles() {
        let mut s = String::new();
        encode_styled(&mut s, "a b*~/", Style::PlusForSpace);
        assert_eq!(s, "a+b%2A~%2F");
        s.clear();
        encode_styled(&mut s, "a b*~/", Style::JavaUrlEncoder);
        assert_eq!(s, "a+b*%7E%2F");
        s.clear();
        encode_styled(&mut s, "a b/", Style::LowerHex);
        assert_eq!(s, "a%20b%2f");
    }

    #[test]
    fn form_urlencode_uses_rfc_encoding() {
        let p = vec![("a b".to_string(), "c+d".to_string())];
        assert_eq!(form_urlencode(&p), "a%20b=c%2Bd");
    }
}
