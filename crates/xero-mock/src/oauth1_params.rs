//! OAuth 1.0a parameter plumbing: RFC 5849 percent-encoding (3.6), byte-exact decoding of
//! query strings and form bodies (3.4.1.3.1), and the `Authorization: OAuth …` header
//! (3.5.1).
//!
//! Everything is kept as bytes until it is re-encoded: a value that is not UTF-8 must come
//! back out exactly as the client encoded it, or an honest signature would fail.

use percent_encoding::{percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What RFC 5849 3.6 leaves alone: the RFC 3986 unreserved characters. The crate writes
/// upper-case hex, as 3.6 requires.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A decoded name/value pair.
pub type Pair = (Vec<u8>, Vec<u8>);

pub fn encode(bytes: &[u8]) -> String {
    percent_encode(bytes, UNRESERVED).to_string()
}

/// Decodes `%XX` (and `+` as a space when `plus_is_space`, as form encoding has it). A `%`
/// not followed by two hex digits stays as it is, the way browsers and `url` treat it.
pub fn decode(s: &[u8], plus_is_space: bool) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'%' if i + 2 < s.len() => match (hex(s[i + 1]), hex(s[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_is_space => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    out
}

/// The pairs of an `application/x-www-form-urlencoded` string (a query or a form body), in
/// order, empty pieces skipped; a piece without `=` is a name with an empty value.
pub fn form_pairs(s: &[u8]) -> Vec<Pair> {
    s.split(|b| *b == b'&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| match piece.iter().position(|b| *b == b'=') {
            Some(eq) => (decode(&piece[..eq], true), decode(&piece[eq + 1..], true)),
            None => (decode(piece, true), Vec::new()),
        })
        .collect()
}

/// The parameters of an `Authorization: OAuth …` header, decoded, in order (`realm`
/// included). `None` when the header does not use the OAuth scheme or is malformed.
pub fn parse_header(value: &str) -> Option<Vec<Pair>> {
    let (scheme, rest) = value.trim_start().split_once([' ', '\t'])?;
    if !scheme.eq_ignore_ascii_case("OAuth") {
        return None;
    }
    let bytes = rest.as_bytes();
    let mut pairs = Vec::new();
    let mut i = 0;
    let skip_space = |i: &mut usize| {
        while *i < bytes.len() && (bytes[*i] == b' ' || bytes[*i] == b'\t') {
            *i += 1;
        }
    };
    loop {
        skip_space(&mut i);
        if i == bytes.len() {
            break;
        }
        let name_start = i;
        while i < bytes.len() && !matches!(bytes[i], b'=' | b',' | b' ' | b'\t') {
            i += 1;
        }
        let name = &bytes[name_start..i];
        skip_space(&mut i);
        if name.is_empty() || bytes.get(i) != Some(&b'=') {
            return None;
        }
        i += 1;
        skip_space(&mut i);
        // RFC 5849 3.5.1 quotes every value; percent-encoded values never contain a quote.
        if bytes.get(i) != Some(&b'"') {
            return None;
        }
        let value_start = i + 1;
        let value_end = value_start + bytes[value_start..].iter().position(|b| *b == b'"')?;
        pairs.push((
            decode(name, false),
            decode(&bytes[value_start..value_end], false),
        ));
        i = value_end + 1;
        skip_space(&mut i);
        match bytes.get(i) {
            None => break,
            Some(b',') => i += 1,
            Some(_) => return None,
        }
    }
    Some(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(pairs: &[Pair]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| {
                (
                    String::from_utf8_lossy(n).into_owned(),
                    String::from_utf8_lossy(v).into_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn encoding_is_rfc_5849_3_6() {
        assert_eq!(encode(b"Ladies + Gentlemen"), "Ladies%20%2B%20Gentlemen");
        assert_eq!(encode(b"An encoded string!"), "An%20encoded%20string%21");
        assert_eq!(encode(b"Dogs, Cats & Mice"), "Dogs%2C%20Cats%20%26%20Mice");
        assert_eq!(encode("☃".as_bytes()), "%E2%98%83");
        assert_eq!(encode(b"-._~azAZ09"), "-._~azAZ09");
    }

    #[test]
    fn decoding_keeps_bytes_and_stray_percents() {
        assert_eq!(decode(b"a%2Fb%zz%4", false), b"a/b%zz%4");
        assert_eq!(decode(b"%ff%FE", false), vec![0xff, 0xfe]);
        assert_eq!(decode(b"a+b", true), b"a b");
        assert_eq!(decode(b"a+b", false), b"a+b");
        assert_eq!(decode(b"%", false), b"%");
        assert_eq!(decode(b"%4", false), b"%4");
        assert_eq!(decode(b"x%41", false), b"xA");
    }

    #[test]
    fn form_pairs_follow_the_rfc_example() {
        // RFC 5849 3.4.1.3.1: `b5=%3D%253D&a3=a&c%40=&a2=r%20b` and body `c2&a3=2+q`.
        let q = form_pairs(b"b5=%3D%253D&a3=a&c%40=&a2=r%20b");
        assert_eq!(
            s(&q),
            [("b5", "=%3D"), ("a3", "a"), ("c@", ""), ("a2", "r b")]
                .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        let b = form_pairs(b"c2&a3=2+q&&");
        assert_eq!(
            s(&b),
            [("c2", ""), ("a3", "2 q")].map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }

    #[test]
    fn header_parsing() {
        // Header values cannot hold line breaks; spacing around commas varies by client.
        let h = concat!(
            r#"OAuth realm="Example",  oauth_consumer_key="9djdj82h48djs9d2", "#,
            r#"oauth_signature = "djosJKDKJSD8743243%2Fjdk33klY%3D",oauth_callback="#,
            r#""http%3A%2F%2Fx%2Fy%3Fa%3D1""#
        );
        let p = s(&parse_header(h).unwrap());
        assert_eq!(p[0], ("realm".into(), "Example".into()));
        assert_eq!(
            p[1],
            ("oauth_consumer_key".into(), "9djdj82h48djs9d2".into())
        );
        assert_eq!(
            p[2],
            (
                "oauth_signature".into(),
                "djosJKDKJSD8743243/jdk33klY=".into()
            )
        );
        assert_eq!(p[3], ("oauth_callback".into(), "http://x/y?a=1".into()));
        assert_eq!(parse_header("oauth a=\"\"").unwrap().len(), 1);
        for bad in [
            "Bearer abc",
            "OAuth a=b",
            "OAuth a=\"b",
            "OAuth =\"b\"",
            "OAuth a=\"b\" c=\"d\"",
            "OAuth",
        ] {
            assert!(parse_header(bad).is_none(), "{bad}");
        }
    }
}
