//! The OAuth 1.0a credentials the mock has handed out: request tokens (until exchanged),
//! access tokens, partner sessions (renewed with `oauth_session_handle`), and the nonces
//! each consumer used recently. All times are on the mock clock.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::BuildHasher;

use crate::ids::{Rng, Uuid};

/// How long a consent lasts (`oauth_authorization_expires_in`): 365 days, as Xero said.
pub const AUTHORIZATION_SECS: i64 = 31_536_000;

pub struct RequestToken {
    pub consumer: String,
    pub secret: String,
    pub callback: String,
    /// Set once the user has "consented" at `/oauth/Authorize`.
    pub verifier: Option<String>,
    pub expires_at_ms: i64,
}

#[derive(Clone)]
pub struct AccessToken {
    pub consumer: String,
    pub secret: String,
    pub expires_at_ms: i64,
    /// Partner apps: the session this token belongs to (renewal replaces the token).
    pub session: Option<String>,
    pub auth_event: Uuid,
}

struct Session {
    current_token: String,
    expires_at_ms: i64,
}

/// What `/oauth/AccessToken` hands back.
pub struct Issued {
    pub token: String,
    pub secret: String,
    pub session_handle: Option<String>,
}

pub struct Oauth1Store {
    request: HashMap<String, RequestToken>,
    access: HashMap<String, AccessToken>,
    sessions: HashMap<String, Session>,
    /// (consumer key, nonce) → when it was last accepted.
    nonces: HashMap<(String, String), i64>,
    /// Keyed by the process's random hasher state, so credentials differ between runs.
    random: RandomState,
    counter: u64,
    auth_events: Rng,
}

impl Oauth1Store {
    pub fn new(seed: u64) -> Oauth1Store {
        Oauth1Store {
            request: HashMap::new(),
            access: HashMap::new(),
            sessions: HashMap::new(),
            nonces: HashMap::new(),
            random: RandomState::new(),
            counter: 0,
            auth_events: Rng::new(seed, 0, "oauth1-auth-events"),
        }
    }

    fn next_random(&mut self) -> u64 {
        self.counter += 1;
        self.random.hash_one(self.counter)
    }

    /// 30 upper-case letters and digits, the shape of Xero's OAuth 1.0a tokens and secrets.
    fn credential(&mut self) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        let mut out = String::with_capacity(30);
        while out.len() < 30 {
            let mut bits = self.next_random();
            for _ in 0..10 {
                out.push(ALPHABET[(bits % 36) as usize] as char);
                bits /= 36;
            }
        }
        out
    }

    pub fn issue_request_token(
        &mut self,
        consumer: &str,
        callback: &str,
        expires_at_ms: i64,
    ) -> (String, String) {
        let token = self.credential();
        let secret = self.credential();
        self.request.insert(
            token.clone(),
            RequestToken {
                consumer: consumer.to_string(),
                secret: secret.clone(),
                callback: callback.to_string(),
                verifier: None,
                expires_at_ms,
            },
        );
        (token, secret)
    }

    pub fn request_token(&self, token: &str) -> Option<&RequestToken> {
        self.request.get(token)
    }

    /// Records the user's consent; asking twice gives the same verifier.
    pub fn authorize(&mut self, token: &str) -> Option<(String, String)> {
        let fresh = format!("{:07}", self.next_random() % 10_000_000);
        let rt = self.request.get_mut(token)?;
        let verifier = rt.verifier.get_or_insert(fresh).clone();
        Some((verifier, rt.callback.clone()))
    }

    /// Request tokens are single-use: exchanging one removes it.
    pub fn take_request_token(&mut self, token: &str) -> Option<RequestToken> {
        self.request.remove(token)
    }

    /// A new access token; partner apps also get a session to renew it with.
    pub fn issue_access(
        &mut self,
        consumer: &str,
        partner: bool,
        now_ms: i64,
        lifetime_ms: i64,
    ) -> Issued {
        let session_handle = partner.then(|| self.credential());
        if let Some(handle) = &session_handle {
            self.sessions.insert(
                handle.clone(),
                Session {
                    current_token: String::new(),
                    expires_at_ms: now_ms + AUTHORIZATION_SECS * 1000,
                },
            );
        }
        let event = self.auth_events.uuid();
        self.new_access(consumer, session_handle, event, now_ms + lifetime_ms)
    }

    fn new_access(
        &mut self,
        consumer: &str,
        session_handle: Option<String>,
        auth_event: Uuid,
        expires_at_ms: i64,
    ) -> Issued {
        let token = self.credential();
        let secret = self.credential();
        if let Some(s) = session_handle
            .as_ref()
            .and_then(|h| self.sessions.get_mut(h))
        {
            s.current_token = token.clone();
        }
        self.access.insert(
            token.clone(),
            AccessToken {
                consumer: consumer.to_string(),
                secret: secret.clone(),
                expires_at_ms,
                session: session_handle.clone(),
                auth_event,
            },
        );
        Issued {
            token,
            secret,
            session_handle,
        }
    }

    pub fn access(&self, token: &str) -> Option<&AccessToken> {
        self.access.get(token)
    }

    /// When the session behind `handle` lapses, if `token` is its current token.
    pub fn session_expiry(&self, handle: &str, token: &str) -> Option<i64> {
        self.sessions
            .get(handle)
            .filter(|s| s.current_token == token)
            .map(|s| s.expires_at_ms)
    }

    /// Partner renewal: a new token and secret in the same session; the old token is gone.
    pub fn renew(&mut self, old_token: &str, now_ms: i64, lifetime_ms: i64) -> Option<Issued> {
        // Only a token with a session is renewable; anything else stays as it was.
        let handle = self.access.get(old_token)?.session.clone()?;
        let old = self.access.remove(old_token)?;
        Some(self.new_access(
            &old.consumer,
            Some(handle),
            old.auth_event,
            now_ms + lifetime_ms,
        ))
    }

    /// Makes a request or access token expired as of `now_ms`; false if unknown.
    pub fn expire(&mut self, token: &str, now_ms: i64) -> bool {
        if let Some(t) = self.access.get_mut(token) {
            t.expires_at_ms = t.expires_at_ms.min(now_ms);
            return true;
        }
        if let Some(t) = self.request.get_mut(token) {
            t.expires_at_ms = t.expires_at_ms.min(now_ms);
            return true;
        }
        false
    }

    /// Expires every request and access token (private apps have none: theirs never expire).
    pub fn expire_all(&mut self, now_ms: i64) -> usize {
        let access = self.access.values_mut().map(|t| &mut t.expires_at_ms);
        let request = self.request.values_mut().map(|t| &mut t.expires_at_ms);
        access.chain(request).fold(0, |n, at| {
            *at = (*at).min(now_ms);
            n + 1
        })
    }

    /// Accepts a nonce unless this consumer used it within the last `window_ms`.
    pub fn use_nonce(&mut self, consumer: &str, nonce: &str, now_ms: i64, window_ms: i64) -> bool {
        // Older nonces can go: their timestamps would be refused anyway. Sweeping only
        // now and then keeps the common case O(1).
        if self.nonces.len() >= 4096 {
            self.nonces.retain(|_, seen| now_ms - *seen <= window_ms);
        }
        let key = (consumer.to_string(), nonce.to_string());
        match self.nonces.get(&key) {
            Some(seen) if now_ms - *seen <= window_ms => false,
            _ => {
                self.nonces.insert(key, now_ms);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal_replaces_the_token_and_keeps_the_session() {
        let mut s = Oauth1Store::new(1);
        let first = s.issue_access("c", true, 0, 1000);
        let handle = first.session_handle.clone().unwrap();
        assert_eq!(first.token.len(), 30);
        assert_eq!(
            s.session_expiry(&handle, &first.token),
            Some(AUTHORIZATION_SECS * 1000)
        );
        let second = s.renew(&first.token, 5000, 1000).unwrap();
        assert_eq!(second.session_handle.as_deref(), Some(handle.as_str()));
        assert_ne!(second.token, first.token);
        assert!(s.access(&first.token).is_none());
        assert_eq!(s.access(&second.token).unwrap().expires_at_ms, 6000);
        assert!(s.session_expiry(&handle, &first.token).is_none());
        assert!(s.renew(&first.token, 5000, 1000).is_none());
    }

    #[test]
    fn nonces_are_per_consumer_and_window() {
        let mut s = Oauth1Store::new(1);
        assert!(s.use_nonce("a", "n", 0, 300_000));
        assert!(!s.use_nonce("a", "n", 300_000, 300_000));
        assert!(s.use_nonce("b", "n", 1, 300_000));
        assert!(s.use_nonce("a", "n", 300_001, 300_000));
    }

    #[test]
    fn public_tokens_have_no_session() {
        let mut s = Oauth1Store::new(1);
        let t = s.issue_access("c", false, 0, 1000);
        assert!(t.session_handle.is_none());
        assert!(s.renew(&t.token, 1, 1000).is_none());
        assert!(s.access(&t.token).is_some());
        assert!(!s.expire("unknown", 0));
    }
}
