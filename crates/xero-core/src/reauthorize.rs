//! What to tell a user whose organisation has no usable authorization — never authorized, its
//! token refused, expired or revoked — in the steps of *its* app kind. An OAuth 1.0a organisation
//! cannot use `xero_authorize_url` or `xero_connect`, so telling it to would send the user in a
//! circle; an OAuth 2.0 one has no request token.

use crate::error::{ErrorKind, XeroError};
use crate::options::AuthMode;

/// Stands for `authorize_steps` in hints written where the app kind is not known (an answer
/// from the accounting API); `XeroError::for_org` fills it in.
pub const STEPS_PLACEHOLDER: &str = "<how to authorize the organisation again>";

/// The SQL that (re)authorizes organisation `org` of app kind `auth`.
pub fn authorize_steps(org: &str, auth: AuthMode) -> String {
    let org = org.replace('\'', "''");
    match auth {
        AuthMode::OAuth2 => format!(
            "SELECT xero_authorize_url('{org}', '<redirect uri>'); open it, then SELECT * FROM xero_complete_authorization('{org}', '<redirected url>'); \
             or SELECT * FROM xero_connect('{org}', '<refresh token>')."
        ),
        AuthMode::OAuth1Public | AuthMode::OAuth1Partner => format!(
            "SELECT xero_oauth1_request_token('{org}', '<callback or oob>'); open the URL it returns and approve, \
             then SELECT xero_oauth1_access_token('{org}', '<verifier or redirected url>');"
        ),
        AuthMode::OAuth1Private => format!(
            "Private apps are not authorized by a user: check the user mapping's consumer_key and the key stored with \
             SELECT xero_oauth1_set_rsa_key('{org}', $1); (the app's RSA private key, PEM)."
        ),
        AuthMode::ClientCredentials => format!(
            "Custom connections are not authorized by a user: check the client_id and client_secret in the user mapping of {org}."
        ),
    }
}

/// The organisation's token set does not exist: it was never authorized.
pub fn not_authorized(org: &str, token_set: &str, auth: AuthMode) -> XeroError {
    XeroError::new(ErrorKind::NotAuthorized, format!("organisation \"{org}\" has not been authorized yet"))
        .with_detail(format!("There is no token set named \"{token_set}\"."))
        .with_hint(authorize_steps(org, auth))
}

/// Xero refused the token set for good (OAuth 2.0 `invalid_grant`; an OAuth 1.0a partner's
/// session handle rejected or expired): only a new authorization helps.
pub fn reauthorization_needed(org: &str, auth: AuthMode, last_error: Option<String>) -> XeroError {
    let (why, default_detail) = match auth {
        AuthMode::OAuth1Partner => (
            "Xero no longer renews its access token with the stored session handle (the authorization was revoked or has expired), \
             so the authorization itself must be redone:",
            "Xero refused to renew the access token with its session handle.",
        ),
        AuthMode::OAuth1Public => ("Public apps' tokens cannot be renewed; authorize again:", "Xero refused the access token."),
        _ => ("Xero no longer accepts its refresh token.", "Xero refused the stored refresh token (invalid_grant)."),
    };
    XeroError::new(ErrorKind::ReauthorizationNeeded, format!("organisation \"{org}\" must be authorized again"))
        .with_detail(last_error.unwrap_or_else(|| default_detail.into()))
        .with_hint(format!("{why} {}", authorize_steps(org, auth)))
}

/// A public app's access token has expired (by our clock) or Xero `refused` it: public apps
/// cannot renew, so the user must authorize again.
pub fn public_token_unusable(org: &str, refused: bool) -> XeroError {
    let state = if refused { "has expired or was revoked" } else { "has expired" };
    XeroError::new(ErrorKind::NotAuthorized, format!("the OAuth 1.0a access token of organisation \"{org}\" {state}"))
        .with_detail("Public apps get 30-minute tokens that cannot be renewed.")
        .with_hint(format!("Authorize again: {}", authorize_steps(org, AuthMode::OAuth1Public)))
}

impl XeroError {
    /// Fills in what only the PostgreSQL layer knows: the organisation's name where a hint says
    /// `ORG_PLACEHOLDER`, and its app kind's steps where it says `STEPS_PLACEHOLDER`.
    pub fn for_org(self, org: &str, auth: AuthMode) -> XeroError {
        let mut e = self.naming_org(org);
        if let Some(h) = e.hint.as_mut() {
            if h.contains(STEPS_PLACEHOLDER) {
                *h = h.replace(STEPS_PLACEHOLDER, &authorize_steps(org, auth));
            }
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OAUTH2_STEPS: [&str; 3] = ["xero_authorize_url", "xero_complete_authorization", "xero_connect"];
    const OAUTH1_STEPS: [&str; 2] = ["xero_oauth1_request_token('o''brien'", "xero_oauth1_access_token('o''brien'"];

    #[test]
    fn each_app_kind_is_told_its_own_steps() {
        for auth in [AuthMode::OAuth1Public, AuthMode::OAuth1Partner] {
            let errors = [
                not_authorized("o'brien", "o'brien", auth),
                reauthorization_needed("o'brien", auth, Some("token_rejected".into())),
                XeroError::new(ErrorKind::NotAuthorized, "401").with_hint(format!("Then: {STEPS_PLACEHOLDER}")).for_org("o'brien", auth),
            ];
            for e in errors {
                let hint = e.hint.clone().unwrap();
                for step in OAUTH1_STEPS {
                    assert!(hint.contains(step), "{auth:?}: {hint}");
                }
                for step in OAUTH2_STEPS {
                    assert!(!hint.contains(step), "{auth:?} must not be sent to OAuth 2.0: {hint}");
                }
            }
        }
        let partner = reauthorization_needed("p", AuthMode::OAuth1Partner, None);
        assert_eq!(partner.kind, ErrorKind::ReauthorizationNeeded);
        assert!(partner.hint.unwrap().contains("authorization itself must be redone"));
        assert!(partner.detail.unwrap().contains("session handle"));
        let public = public_token_unusable("p", true);
        assert!(public.message.contains("expired or was revoked") && public.hint.unwrap().contains("xero_oauth1_request_token('p'"));

        let oauth2 = reauthorization_needed("acme", AuthMode::OAuth2, None);
        for step in OAUTH2_STEPS {
            assert!(oauth2.hint.as_deref().unwrap().contains(step));
        }
        assert!(!oauth2.hint.unwrap().contains("xero_oauth1"));
        assert!(authorize_steps("priv", AuthMode::OAuth1Private).contains("xero_oauth1_set_rsa_key('priv'"));
    }
}
