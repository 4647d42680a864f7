//! Why a TLS connection failed, in words a user can act on. A failed handshake is not a network
//! hiccup: an unknown issuer, a demanded client certificate, an expired certificate or one for
//! another host fail the same way every time, so they are neither retried nor reported with
//! "running the query again usually works". Each says its cause and, where an organisation's
//! setting can fix it, which function to call.
//!
//! The transport knows hosts, not organisations: hints name `error::ORG_PLACEHOLDER`, which the
//! PostgreSQL layer replaces with the organisation's name (`XeroError::naming_org`).

use std::error::Error as StdError;

use rustls::{AlertDescription, CertificateError};

use crate::error::{ErrorKind, XeroError, ORG_PLACEHOLDER};

/// A TLS failure, by what the user can do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsFailure {
    /// The server's certificate chains to no trusted root (a private CA, a TLS-inspecting proxy).
    UnknownIssuer,
    /// The server demanded a client certificate and none was presented.
    ClientCertificateRequired,
    /// The server refused the client certificate presented (the alert it sent).
    ClientCertificateRefused(String),
    /// The server's certificate has expired.
    Expired,
    /// The server's certificate is not valid yet.
    NotYetValid,
    /// The server's certificate does not name the host connected to (the names it does name).
    WrongHost(Vec<String>),
    /// What came back was not TLS at all (an https:// URL to a plain-http port).
    NotTls,
    /// Anything else rustls refused (its own words).
    Other(String),
}

/// The TLS failure somewhere in `error`'s source chain, if any. rustls errors reach reqwest
/// wrapped in `std::io::Error`, whose `source()` skips the wrapped error, so each io::Error is
/// opened with `get_ref`.
pub fn find(error: &(dyn StdError + 'static)) -> Option<TlsFailure> {
    let mut next: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(e) = next {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(classify(tls));
        }
        if let Some(inner) = e.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()) {
            if let Some(found) = find(inner) {
                return Some(found);
            }
        }
        next = e.source();
    }
    None
}

pub fn classify(e: &rustls::Error) -> TlsFailure {
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            CertificateError::UnknownIssuer => TlsFailure::UnknownIssuer,
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => TlsFailure::Expired,
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => TlsFailure::NotYetValid,
            CertificateError::NotValidForName => TlsFailure::WrongHost(Vec::new()),
            CertificateError::NotValidForNameContext { presented, .. } => TlsFailure::WrongHost(presented.iter().map(|n| plain_name(n)).collect()),
            _ => TlsFailure::Other(e.to_string()),
        },
        // TLS 1.3 servers say certificate_required; a TLS 1.2 server cannot say more than
        // handshake_failure, which has other causes too, so it stays `Other`.
        rustls::Error::AlertReceived(AlertDescription::CertificateRequired) => TlsFailure::ClientCertificateRequired,
        rustls::Error::AlertReceived(
            a @ (AlertDescription::BadCertificate
            | AlertDescription::UnknownCA
            | AlertDescription::CertificateUnknown
            | AlertDescription::CertificateExpired
            | AlertDescription::CertificateRevoked
            | AlertDescription::UnsupportedCertificate
            | AlertDescription::AccessDenied
            // A server that finds the client certificate's signature does not verify (a
            // certificate from another CA of the same name) says decrypt_error.
            | AlertDescription::DecryptError),
        ) => TlsFailure::ClientCertificateRefused(format!("{a:?}")),
        rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType) => TlsFailure::NotTls,
        _ => TlsFailure::Other(e.to_string()),
    }
}

/// A name as webpki lists it (`DnsName("xero.example")`, `IpAddress(127.0.0.1)`) as a user
/// writes it in a URL.
fn plain_name(presented: &str) -> String {
    let inner = ["DnsName(", "IpAddress(", "UniformResourceIdentifier("]
        .iter()
        .find_map(|p| presented.strip_prefix(p).and_then(|r| r.strip_suffix(')')))
        .unwrap_or(presented);
    inner.trim_matches('"').to_string()
}

/// The error for a call that failed with `failure`; `host` is the host connected to, `detail`
/// what the TLS library said.
pub fn error(label: &str, host: &str, failure: &TlsFailure, detail: String) -> XeroError {
    let org = ORG_PLACEHOLDER;
    let never_retry = "Running the query again will not help until this is fixed.";
    let (message, hint) = match failure {
        TlsFailure::UnknownIssuer => (
            format!("{label}: the TLS certificate of {host} was issued by a certificate authority this database server does not trust"),
            format!(
                "If {host} (or a proxy in between) uses a private certificate authority, trust its root certificate for this organisation: \
                 SELECT xero_set_trusted_roots('{org}', pg_read_binary_file('/path/root-ca.pem')); (PEM or DER). Xero's own hosts need no extra roots."
            ),
        ),
        TlsFailure::ClientCertificateRequired => (
            format!("{label}: {host} requires a TLS client certificate, and none was presented"),
            format!(
                "Store the client certificate for this organisation (for a Xero partner app, the .p12 issued with it): \
                 SELECT xero_set_client_certificate('{org}', pg_read_binary_file('/path/client.p12'), '<password>'); (or a PEM certificate and key)."
            ),
        ),
        TlsFailure::ClientCertificateRefused(alert) => (
            format!("{label}: {host} refused the TLS client certificate ({alert})"),
            format!(
                "Store the certificate {host} expects, valid and issued by a certificate authority it trusts: \
                 SELECT xero_set_client_certificate('{org}', pg_read_binary_file('/path/client.p12'), '<password>');"
            ),
        ),
        TlsFailure::Expired => (
            format!("{label}: the TLS certificate of {host} has expired"),
            format!("The operator of {host} must renew its certificate; if it was renewed, check this database server's clock. {never_retry}"),
        ),
        TlsFailure::NotYetValid => (
            format!("{label}: the TLS certificate of {host} is not valid yet"),
            format!("Check this database server's clock (and the certificate's start date). {never_retry}"),
        ),
        TlsFailure::WrongHost(names) => (
            format!("{label}: the server's TLS certificate is not valid for the name {host}"),
            match names.is_empty() {
                true => format!("Use the host name the certificate was issued for in the organisation's URL options (api_url, identity_url, login_url). {never_retry}"),
                false => format!(
                    "The certificate is for {}: use one of those names in the organisation's URL options (api_url, identity_url, login_url). {never_retry}",
                    names.join(", ")
                ),
            },
        ),
        TlsFailure::NotTls => (
            format!("{label}: {host} does not speak TLS on that port"),
            format!(
                "The organisation's URL says https:// but the server answered something else: check its port, or use http:// \
                 for a plain-http local test server (allowed only with xero_fdw.allow_http_loopback). {never_retry}"
            ),
        ),
        TlsFailure::Other(what) => (
            format!("{label}: the TLS handshake with {host} failed: {what}"),
            format!("Check that the organisation's URL is an https:// address of a TLS server. {never_retry}"),
        ),
    };
    XeroError::new(ErrorKind::TlsFailed, message).with_detail(detail).with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(e: rustls::Error) -> std::io::Error {
        // How tokio-rustls hands a handshake failure to hyper and reqwest.
        std::io::Error::new(std::io::ErrorKind::InvalidData, e)
    }

    #[derive(Debug)]
    struct Outer(std::io::Error);
    impl std::fmt::Display for Outer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("error sending request")
        }
    }
    impl StdError for Outer {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn failures_are_found_inside_io_errors_and_classified() {
        let cases = [
            (rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer), TlsFailure::UnknownIssuer),
            (rustls::Error::AlertReceived(AlertDescription::CertificateRequired), TlsFailure::ClientCertificateRequired),
            (rustls::Error::AlertReceived(AlertDescription::UnknownCA), TlsFailure::ClientCertificateRefused("UnknownCA".into())),
            (rustls::Error::InvalidCertificate(CertificateError::Expired), TlsFailure::Expired),
            (rustls::Error::InvalidCertificate(CertificateError::NotValidYet), TlsFailure::NotYetValid),
            (rustls::Error::InvalidCertificate(CertificateError::NotValidForName), TlsFailure::WrongHost(vec![])),
        ];
        for (e, want) in cases {
            assert_eq!(find(&Outer(wrapped(e.clone()))), Some(want), "{e}");
        }
        assert_eq!(find(&Outer(std::io::Error::other("connection reset"))), None, "not TLS");
        let plain_http = rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType);
        assert_eq!(find(&Outer(wrapped(plain_http))), Some(TlsFailure::NotTls));
        assert!(matches!(classify(&rustls::Error::AlertReceived(AlertDescription::HandshakeFailure)), TlsFailure::Other(_)));
        assert_eq!(plain_name("DnsName(\"xero.example\")"), "xero.example");
        assert_eq!(plain_name("IpAddress(127.0.0.2)"), "127.0.0.2");
    }

    #[test]
    fn each_failure_says_its_cause_and_what_to_do() {
        // (failure, words the message must hold, words the hint must hold)
        let cases: &[(TlsFailure, &str, &[&str])] = &[
            (TlsFailure::UnknownIssuer, "does not trust", &["xero_set_trusted_roots('<organisation>'"]),
            (TlsFailure::ClientCertificateRequired, "requires a TLS client certificate", &["xero_set_client_certificate('<organisation>'"]),
            (TlsFailure::ClientCertificateRefused("BadCertificate".into()), "refused the TLS client certificate (BadCertificate)", &["xero_set_client_certificate"]),
            (TlsFailure::Expired, "has expired", &["renew", "clock", "will not help"]),
            (TlsFailure::NotYetValid, "not valid yet", &["clock"]),
            (TlsFailure::WrongHost(vec!["xero.example".into()]), "not valid for the name 127.0.0.1", &["xero.example", "api_url"]),
            (TlsFailure::NotTls, "does not speak TLS", &["http://", "allow_http_loopback"]),
            (TlsFailure::Other("received corrupt message".into()), "received corrupt message", &["https://"]),
        ];
        for (failure, message, hint) in cases {
            let e = error("GET Invoices", "127.0.0.1", failure, "what rustls said".into());
            assert_eq!(e.kind, ErrorKind::TlsFailed);
            assert!(e.message.contains(message), "{e}");
            let h = e.hint.clone().unwrap();
            for word in *hint {
                assert!(h.contains(word), "{failure:?}: {h}");
            }
            assert!(!h.contains("usually works"), "a TLS failure is not transient: {h}");
            assert_eq!(e.detail.as_deref(), Some("what rustls said"));
        }
        let named = error("GET Invoices", "h", &TlsFailure::UnknownIssuer, String::new()).naming_org("acme");
        assert!(named.hint.unwrap().contains("xero_set_trusted_roots('acme'"));
    }
}
