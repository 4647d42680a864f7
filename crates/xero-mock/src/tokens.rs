//! Authorization codes, access tokens and rotating refresh tokens, with Xero's rules:
//! access tokens live 30 minutes; every refresh rotates the refresh token; the previous
//! one keeps working for a 30-minute grace period (in case the response was lost);
//! unused refresh tokens die after 60 days; codes are single-use and live 5 minutes.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::BuildHasher;

use sha2::{Digest, Sha256};

use crate::ids::{Rng, Uuid};

pub const ACCESS_TOKEN_SECS: i64 = 1800;
const GRACE_MS: i64 = 30 * 60_000;
const REFRESH_IDLE_MS: i64 = 60 * 86_400_000;
const CODE_MS: i64 = 5 * 60_000;

/// What an access token grants.
#[derive(Clone)]
pub struct Access {
    pub expires_at_ms: i64,
    /// `Some(i)` for client-credentials tokens, bound to one tenant; `None` covers all.
    pub tenant: Option<usize>,
    pub auth_event: Uuid,
}

struct Refresh {
    client_id: String,
    scope: String,
    auth_event: Uuid,
    last_used_ms: i64,
    rotated_at_ms: Option<i64>,
    revoked: bool,
}

struct Code {
    client_id: String,
    redirect_uri: String,
    scope: String,
    challenge: Option<String>,
    expires_at_ms: i64,
}

pub struct TokenSet {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub scope: String,
}

impl TokenSet {
    /// The RFC 6749 success body.
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::json!({
            "access_token": self.access_token,
            "expires_in": ACCESS_TOKEN_SECS,
            "token_type": "Bearer",
            "scope": self.scope,
        });
        if let Some(r) = &self.refresh_token {
            v["refresh_token"] = r.clone().into();
        }
        v
    }
}

/// An RFC 6749 error code with an optional human-readable description.
pub struct OAuthError(pub &'static str, pub &'static str);

pub struct TokenStore {
    access: HashMap<String, Access>,
    refresh: HashMap<String, Refresh>,
    codes: HashMap<String, Code>,
    /// Keyed by the process's random hasher state, so token strings are unpredictable
    /// across runs even though the demo data is fixed by the seed.
    random: RandomState,
    counter: u64,
    auth_events: Rng,
}

impl TokenStore {
    pub fn new(seed: u64) -> TokenStore {
        TokenStore {
            access: HashMap::new(),
            refresh: HashMap::new(),
            codes: HashMap::new(),
            random: RandomState::new(),
            counter: 0,
            auth_events: Rng::new(seed, 0, "auth-events"),
        }
    }

    fn opaque(&mut self, len_words: u64) -> String {
        (0..len_words)
            .map(|_| {
                self.counter += 1;
                format!("{:016x}", self.random.hash_one(self.counter))
            })
            .collect()
    }

    /// A new consent (authorization, or a test's `/__mock/tokens/issue`).
    pub fn new_auth_event(&mut self) -> Uuid {
        self.auth_events.uuid()
    }

    /// Issues a token set; a refresh token only with `offline_access` and never for a
    /// tenant-bound (client-credentials) grant.
    pub fn issue(
        &mut self,
        client_id: &str,
        scope: &str,
        tenant: Option<usize>,
        auth_event: Uuid,
        now: i64,
    ) -> TokenSet {
        let access_token = self.opaque(4);
        self.access.insert(
            access_token.clone(),
            Access {
                expires_at_ms: now + ACCESS_TOKEN_SECS * 1000,
                tenant,
                auth_event,
            },
        );
        let offline = scope.split_whitespace().any(|s| s == "offline_access");
        let refresh_token = (offline && tenant.is_none()).then(|| {
            let token = self.opaque(2);
            self.refresh.insert(
                token.clone(),
                Refresh {
                    client_id: client_id.to_string(),
                    scope: scope.to_string(),
                    auth_event,
                    last_used_ms: now,
                    rotated_at_ms: None,
                    revoked: false,
                },
            );
            token
        });
        TokenSet {
            access_token,
            refresh_token,
            scope: scope.to_string(),
        }
    }

    pub fn access(&self, token: &str) -> Option<&Access> {
        self.access.get(token)
    }

    pub fn new_code(
        &mut self,
        client_id: &str,
        redirect_uri: &str,
        scope: &str,
        challenge: Option<&str>,
        now: i64,
    ) -> String {
        let code = self.opaque(2);
        self.codes.insert(
            code.clone(),
            Code {
                client_id: client_id.to_string(),
                redirect_uri: redirect_uri.to_string(),
                scope: scope.to_string(),
                challenge: challenge.map(str::to_string),
                expires_at_ms: now + CODE_MS,
            },
        );
        code
    }

    /// `grant_type=authorization_code`. The code is consumed by any attempt.
    pub fn redeem_code(
        &mut self,
        code: &str,
        client_id: &str,
        redirect_uri: Option<&str>,
        verifier: Option<&str>,
        now: i64,
    ) -> Result<TokenSet, OAuthError> {
        let c = self
            .codes
            .remove(code)
            .ok_or(OAuthError("invalid_grant", "unknown or already used code"))?;
        if c.expires_at_ms < now {
            return Err(OAuthError("invalid_grant", "code expired"));
        }
        if c.client_id != client_id {
            return Err(OAuthError(
                "invalid_grant",
                "code was issued to another client",
            ));
        }
        if redirect_uri != Some(c.redirect_uri.as_str()) {
            return Err(OAuthError(
                "invalid_grant",
                "redirect_uri does not match the authorization request",
            ));
        }
        if let Some(challenge) = &c.challenge {
            let verifier = verifier.ok_or(OAuthError("invalid_grant", "code_verifier required"))?;
            if pkce_s256(verifier) != *challenge {
                return Err(OAuthError(
                    "invalid_grant",
                    "code_verifier does not match code_challenge",
                ));
            }
        }
        let event = self.new_auth_event();
        Ok(self.issue(client_id, &c.scope, None, event, now))
    }

    /// `grant_type=refresh_token` with rotation and the 30-minute grace for the previous token.
    pub fn refresh(
        &mut self,
        token: &str,
        client_id: &str,
        now: i64,
    ) -> Result<TokenSet, OAuthError> {
        let r = self
            .refresh
            .get_mut(token)
            .ok_or(OAuthError("invalid_grant", "unknown refresh token"))?;
        if r.revoked {
            return Err(OAuthError("invalid_grant", "refresh token revoked"));
        }
        if r.client_id != client_id {
            return Err(OAuthError(
                "invalid_grant",
                "refresh token was issued to another client",
            ));
        }
        if now - r.last_used_ms > REFRESH_IDLE_MS {
            return Err(OAuthError("invalid_grant", "refresh token expired"));
        }
        match r.rotated_at_ms {
            Some(at) if now - at > GRACE_MS => {
                return Err(OAuthError("invalid_grant", "refresh token already used"));
            }
            Some(_) => {}
            None => r.rotated_at_ms = Some(now),
        }
        r.last_used_ms = now;
        let (scope, event) = (r.scope.clone(), r.auth_event);
        Ok(self.issue(client_id, &scope, None, event, now))
    }

    /// Revokes one refresh token; false if it was unknown.
    pub fn revoke(&mut self, token: &str) -> bool {
        self.refresh
            .get_mut(token)
            .map(|r| r.revoked = true)
            .is_some()
    }

    pub fn revoke_all(&mut self) -> usize {
        self.refresh.values_mut().for_each(|r| r.revoked = true);
        self.refresh.len()
    }
}

/// `BASE64URL(SHA256(verifier))` without padding (RFC 7636 S256).
pub fn pkce_s256(verifier: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_matches_rfc7636_example() {
        assert_eq!(
            pkce_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn rotation_grace_and_expiry() {
        let mut s = TokenStore::new(1);
        let ev = s.new_auth_event();
        let first = s
            .issue("c", "offline_access", None, ev, 0)
            .refresh_token
            .unwrap();
        let second = s
            .refresh(&first, "c", 1000)
            .ok()
            .unwrap()
            .refresh_token
            .unwrap();
        assert_ne!(first, second);
        // Within grace the old one still works (and returns a fresh set).
        assert!(s.refresh(&first, "c", 1000 + GRACE_MS).is_ok());
        assert_eq!(
            s.refresh(&first, "c", 1001 + GRACE_MS).err().unwrap().0,
            "invalid_grant"
        );
        assert_eq!(
            s.refresh(&second, "other", 2000).err().unwrap().0,
            "invalid_grant"
        );
        let third = s
            .refresh(&second, "c", 2000)
            .ok()
            .unwrap()
            .refresh_token
            .unwrap();
        assert!(s.refresh(&third, "c", 2000 + REFRESH_IDLE_MS + 1).is_err());
        assert!(s
            .issue("c", "accounting.transactions", None, ev, 0)
            .refresh_token
            .is_none());
        assert!(s
            .issue("c", "offline_access", Some(0), ev, 0)
            .refresh_token
            .is_none());
    }
}
