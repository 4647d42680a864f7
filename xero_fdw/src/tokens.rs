//! Access tokens for a query: OAuth 2.0 token sets from the private table (refreshed by the
//! token worker, one refresh per token set at a time), or client-credentials tokens cached in
//! this backend.

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::{Duration, Instant};

use pgrx::pg_sys;
use xero_core::http::Http;
use xero_core::oauth2::{parse_token_response, token_request, Grant};
use xero_core::options::AuthMode;
use xero_core::Result;

use crate::catalog::{as_extension_owner, with_latest_snapshot, Org};
use crate::worker::{self, Job};
use crate::report::register_secret;
use crate::{guc, token_store};

/// Headers that authenticate a call for the organisation.
pub struct Credentials {
    pub access_token: String,
    pub headers: Vec<(String, String)>,
}

thread_local! {
    static CLIENT_CREDENTIALS: RefCell<HashMap<(u32, u32), (String, Instant)>> = RefCell::new(HashMap::new());
}

/// A usable access token. `stale` is a token Xero just refused, forcing a refresh.
pub fn access_token(org: &Org, http: &Http, stale: Option<&str>) -> Result<String> {
    let token = match org.config.auth {
        AuthMode::ClientCredentials => client_credentials_token(org, http, stale),
        AuthMode::OAuth2 => token_set_access_token(org, stale),
    }?;
    register_secret(&token);
    Ok(token)
}

pub fn credentials(org: &Org, http: &Http, stale: Option<&str>, with_tenant: bool) -> Result<Credentials> {
    let access_token = access_token(org, http, stale)?;
    let mut headers = vec![("authorization".to_string(), format!("Bearer {access_token}"))];
    if with_tenant {
        match (org.config.auth, org.config.tenant_id.as_deref()) {
            (AuthMode::OAuth2, _) => headers.push(("xero-tenant-id".into(), org.config.tenant()?.to_string())),
            (AuthMode::ClientCredentials, Some(t)) => headers.push(("xero-tenant-id".into(), t.to_string())),
            (AuthMode::ClientCredentials, None) => {}
        }
    }
    Ok(Credentials { access_token, headers })
}

fn token_set_access_token(org: &Org, stale: Option<&str>) -> Result<String> {
    let name = org.config.token_set.as_str();
    let margin = guc::REFRESH_MARGIN_S.get();
    let usable = || -> Result<Option<String>> {
        let row = as_extension_owner(|| with_latest_snapshot(|| token_store::read(name, margin)))?
            .ok_or_else(|| token_store::not_authorized(&org.config.server_name, name))?;
        if row.needs_reauthorization {
            return Err(worker::reauthorization_error(&org.config.server_name, row.last_error));
        }
        Ok(row.access_token.filter(|t| row.access_token_fresh && Some(t.as_str()) != stale))
    };
    if let Some(token) = usable()? {
        return Ok(token);
    }
    // One refresher per token set: the others wait here, then find the fresh token.
    let _lock = TokenSetLock::acquire(name);
    if let Some(token) = usable()? {
        return Ok(token);
    }
    let job = Job::Refresh { stale_access_token: stale.map(str::to_string), margin_seconds: margin };
    Ok(worker::run(org, job)?.access_token)
}

fn client_credentials_token(org: &Org, http: &Http, stale: Option<&str>) -> Result<String> {
    let key = (org.server_oid.to_u32(), unsafe { pg_sys::GetUserId() }.to_u32());
    let margin = Duration::from_secs(guc::REFRESH_MARGIN_S.get() as u64);
    let cached = CLIENT_CREDENTIALS.with(|c| c.borrow().get(&key).cloned());
    if let Some((token, expires)) = cached {
        if expires > Instant::now() + margin && Some(token.as_str()) != stale {
            return Ok(token);
        }
    }
    let (id, secret) = org.config.client_credentials()?;
    let grant = Grant::ClientCredentials { scopes: org.config.scopes.as_deref() };
    let response = http.execute(token_request(&org.config.identity_url, id, secret, &grant), &crate::entity_rows::interrupted)?;
    let tokens = parse_token_response(grant.name(), &response)?;
    let expires = Instant::now() + Duration::from_secs(tokens.expires_in.max(0) as u64);
    CLIENT_CREDENTIALS.with(|c| c.borrow_mut().insert(key, (tokens.access_token.clone(), expires)));
    Ok(tokens.access_token)
}

/// A session-level advisory lock on the token set's name, released on drop (also while an
/// ERROR unwinds). Waiting for it is interruptible like any lock wait.
struct TokenSetLock {
    tag: pg_sys::LOCKTAG,
}

impl TokenSetLock {
    fn acquire(name: &str) -> Self {
        let key = fnv1a64(name.as_bytes());
        let tag = pg_sys::LOCKTAG {
            locktag_field1: unsafe { pg_sys::MyDatabaseId }.to_u32(),
            locktag_field2: (key >> 32) as u32,
            locktag_field3: key as u32,
            locktag_field4: 1,
            locktag_type: pg_sys::LockTagType::LOCKTAG_ADVISORY as u8,
            locktag_lockmethodid: pg_sys::USER_LOCKMETHOD as u8,
        };
        // SAFETY: the same call pg_advisory_lock(bigint) makes.
        unsafe { pg_sys::LockAcquire(&tag, pg_sys::ExclusiveLock as pg_sys::LOCKMODE, true, false) };
        TokenSetLock { tag }
    }
}

impl Drop for TokenSetLock {
    fn drop(&mut self) {
        // SAFETY: releases the session lock taken in acquire.
        unsafe { pg_sys::LockRelease(&self.tag, pg_sys::ExclusiveLock as pg_sys::LOCKMODE, true) };
    }
}

fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3))
}
