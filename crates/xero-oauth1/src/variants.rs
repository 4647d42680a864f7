//! Base strings as mistaken clients build them. Each variant changes one thing from RFC 5849,
//! so when its signature matches, that one thing is what the client got wrong.

use std::borrow::Cow;

use crate::base_string::{styled_base_string, Order, Param, ParamStyle, Source};
use crate::base_url::{UrlParts, UrlStyle};
use crate::encoding::{raw_form_pairs, Style};
use crate::mistakes::Mistake;

/// A candidate base string and what the client must have done to produce it.
pub(crate) struct Variant {
    pub mistake: Mistake,
    pub note: String,
    pub base_string: String,
}

const COMMON_METHODS: [&str; 7] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

/// All variants that differ from `expected`, in the order they are tried.
pub(crate) fn base_string_variants(
    method: &str,
    url: &UrlParts<'_>,
    params: &[Param<'_>],
    realm: Option<&str>,
    expected: &str,
) -> Vec<Variant> {
    let mut base_url = String::new();
    url.write_base(&mut base_url, UrlStyle::default());
    let url_with = |style: UrlStyle| {
        let mut s = String::new();
        url.write_base(&mut s, style);
        s
    };
    let rfc = ParamStyle::default();
    let build =
        |m: &str, u: &str, p: &[Param<'_>], style: ParamStyle| styled_base_string(m, u, p, style);
    let without = |source: Source| -> Vec<Param<'_>> {
        params
            .iter()
            .filter(|p| p.source != source)
            .cloned()
            .collect()
    };

    let mut out: Vec<Variant> = Vec::new();
    let mut push = |mistake: Mistake, note: String, base_string: String| {
        if base_string != expected && !out.iter().any(|v| v.base_string == base_string) {
            out.push(Variant {
                mistake,
                note,
                base_string,
            });
        }
    };

    for (style, note) in [
        (
            Style::PlusForSpace,
            "the client percent-encoded spaces as '+'",
        ),
        (
            Style::JavaUrlEncoder,
            "the client used a form/URL encoder ('+' for space, '*' unencoded, '~' encoded)",
        ),
    ] {
        push(
            Mistake::PlusForSpace,
            note.into(),
            build(
                method,
                &base_url,
                params,
                ParamStyle {
                    encoding: style,
                    ..rfc
                },
            ),
        );
    }
    push(
        Mistake::LowerCaseHex,
        "the client wrote percent-escapes with lower-case hex digits".into(),
        build(
            method,
            &base_url,
            params,
            ParamStyle {
                encoding: Style::LowerHex,
                ..rfc
            },
        ),
    );

    // Query values taken from the URL without decoding them, then encoded: encoded twice.
    let raw_query: Vec<Param<'_>> = params
        .iter()
        .filter(|p| p.source != Source::Query)
        .cloned()
        .chain(
            raw_form_pairs(url.query.unwrap_or(""))
                .map(|(n, v)| Param::new(Cow::Borrowed(n), Cow::Borrowed(v), Source::Query)),
        )
        .collect();
    push(
        Mistake::DoubleEncoding,
        "the client signed the query parameters as they appear in the URL (still encoded) and encoded them again".into(),
        build(method, &base_url, &raw_query, rfc),
    );
    push(
        Mistake::DoubleEncoding,
        "the client percent-encoded every name and value twice".into(),
        build(
            method,
            &base_url,
            params,
            ParamStyle {
                double_encode: true,
                ..rfc
            },
        ),
    );
    push(
        Mistake::ParametersNotEncoded,
        "the client joined names and values without percent-encoding them first".into(),
        build(
            method,
            &base_url,
            params,
            ParamStyle {
                skip_encoding: true,
                ..rfc
            },
        ),
    );
    push(
        Mistake::UnsortedParameters,
        "the client did not sort the parameters (query, body, then oauth_* as sent)".into(),
        build(
            method,
            &base_url,
            params,
            ParamStyle {
                order: Order::AsCollected,
                ..rfc
            },
        ),
    );
    push(
        Mistake::UnsortedParameters,
        "the client put the oauth_* parameters first instead of sorting everything together".into(),
        build(
            method,
            &base_url,
            params,
            ParamStyle {
                order: Order::OAuthFirst,
                ..rfc
            },
        ),
    );
    push(
        Mistake::SortedBeforeEncoding,
        "the client sorted the decoded names and values, then encoded them".into(),
        build(
            method,
            &base_url,
            params,
            ParamStyle {
                order: Order::SortedBeforeEncoding,
                ..rfc
            },
        ),
    );
    push(
        Mistake::MissingQueryParameters,
        "the client left the query-string parameters out".into(),
        build(method, &base_url, &without(Source::Query), rfc),
    );
    push(
        Mistake::MissingBodyParameters,
        "the client left the form-body parameters out".into(),
        build(method, &base_url, &without(Source::Body), rfc),
    );
    push(
        Mistake::QueryInBaseUrl,
        "the client kept '?query' in the base string URI".into(),
        build(
            method,
            &url_with(UrlStyle {
                with_query: true,
                ..Default::default()
            }),
            params,
            rfc,
        ),
    );
    push(
        Mistake::QueryInBaseUrl,
        "the client kept '?query' in the base string URI instead of signing the query parameters"
            .into(),
        build(
            method,
            &url_with(UrlStyle {
                with_query: true,
                ..Default::default()
            }),
            &without(Source::Query),
            rfc,
        ),
    );
    push(
        Mistake::PortInUrl,
        "the client kept the default port in the base string URI".into(),
        build(
            method,
            &url_with(UrlStyle {
                force_port: true,
                ..Default::default()
            }),
            params,
            rfc,
        ),
    );
    push(
        Mistake::UpperCaseHost,
        "the client did not lower-case the scheme and host".into(),
        build(
            method,
            &url_with(UrlStyle {
                keep_case: true,
                ..Default::default()
            }),
            params,
            rfc,
        ),
    );
    push(
        Mistake::WrongScheme,
        format!(
            "the client signed with {}",
            if url.https { "http" } else { "https" }
        ),
        build(
            method,
            &url_with(UrlStyle {
                swap_scheme: true,
                ..Default::default()
            }),
            params,
            rfc,
        ),
    );
    push(
        Mistake::TrailingSlash,
        "the client's path differs from the request's by a trailing '/'".into(),
        build(
            method,
            &url_with(UrlStyle {
                toggle_trailing_slash: true,
                ..Default::default()
            }),
            params,
            rfc,
        ),
    );
    push(
        Mistake::LowerCaseMethod,
        format!(
            "the client signed the method as {:?}",
            method.to_ascii_lowercase()
        ),
        build(&method.to_ascii_lowercase(), &base_url, params, rfc),
    );
    for other in COMMON_METHODS.iter().filter(|m| **m != method) {
        push(
            Mistake::WrongMethod,
            format!("the client signed for {other} but sent {method}"),
            build(other, &base_url, params, rfc),
        );
    }
    if let Some(realm) = realm {
        let mut with_realm = params.to_vec();
        with_realm.push(Param::new("realm", realm, Source::Body));
        push(
            Mistake::RealmSigned,
            "the client included realm in the signed parameters".into(),
            build(method, &base_url, &with_realm, rfc),
        );
    }
    out
}
