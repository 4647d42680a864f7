//! How a query authenticates: OAuth 2.0 token sets from the private table (refreshed by the
//! token worker, one refresh per token set at a time), client-credentials tokens cached in this
//! backend, and OAuth 1.0a apps signing every request (partner tokens renewed by the worker).

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use pgrx::pg_sys;
use xero_core::http::Http;
use xero_core::read::Access;
use xero_core::transport::{Authorizer, StaticHeaders};
use xero_core::oauth1_flow::Signer;
use xero_core::oauth2::{parse_token_response, token_request, Grant};
use xero_core::options::AuthMode;
use xero_core::Result;

use crate::pg::advisory::{Scope, SessionLock};
use crate::pg::catalog::{as_extension_owner, with_latest_snapshot, Org};
use crate::tokens::keys::{self, KeyMaterial};
use crate::pg::report::register_secret;
use crate::tokens::worker::{self, Job};
use crate::pg::guc;
use crate::tokens::store as token_store;

thread_local! {
    static CLIENT_CREDENTIALS: RefCell<HashMap<(u32, u32), (String, Instant)>> = RefCell::new(HashMap::new());
}

/// Access for the organisation. `with_tenant` adds `xero-tenant-id` (accounting calls);
/// `stale` is a token Xero just refused, forcing a refresh or renewal.
pub fn access(org: &Org, http: &Http, stale: Option<&str>, with_tenant: bool) -> Result<Access> {
    let keys = keys::load(&org.config.server_name, org.config.proxy.as_deref())?;
    let client = http.client_for(&keys.tls)?;
    let (token, authorizer): (String, Arc<dyn Authorizer>) = match org.config.auth {
        AuthMode::OAuth2 | AuthMode::ClientCredentials => {
            let token = if org.config.auth == AuthMode::OAuth2 {
                token_set_access_token(org, stale)?
            } else {
                client_credentials_token(org, http, &client, stale)?
            };
            let mut headers = vec![("authorization".to_string(), format!("Bearer {token}"))];
            match (org.config.auth, org.config.tenant_id.as_deref()) {
                (AuthMode::OAuth2, _) if with_tenant => headers.push(("xero-tenant-id".into(), org.config.tenant()?.to_string())),
                (_, Some(t)) if with_tenant => headers.push(("xero-tenant-id".into(), t.to_string())),
                _ => {}
            }
            (token, Arc::new(StaticHeaders(headers)))
        }
        AuthMode::OAuth1Private => {
            let signer = oauth1_signer(org, &keys)?;
            (org.config.consumer()?.0.to_string(), Arc::new(signer))
        }
        AuthMode::OAuth1Public | AuthMode::OAuth1Partner => {
            let (token, secret) = oauth1_token(org, stale)?;
            register_secret(&secret);
            let signer = oauth1_signer(org, &keys)?.with_token(&token, &secret);
            (token, Arc::new(signer))
        }
    };
    register_secret(&token);
    Ok(Access { client, authorizer, token })
}

pub fn oauth1_signer(org: &Org, keys: &KeyMaterial) -> Result<Signer> {
    let (key, secret) = org.config.consumer()?;
    Signer::for_app(org.config.auth, key, secret, keys.rsa_private_key.as_deref())
}

/// Reads the token set, and takes the refresh lock if it is stale; `refresh` then runs under
/// the lock after a second look (another session may have refreshed meanwhile).
fn fresh_or_refresh<T>(
    org: &Org,
    stale: Option<&str>,
    usable: impl Fn(&token_store::TokenRow) -> Option<T>,
    refresh: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let name = org.config.token_set.as_str();
    let margin = guc::REFRESH_MARGIN_S.get();
    let look = || -> Result<Option<T>> {
        let row = as_extension_owner(|| with_latest_snapshot(|| token_store::read(name, margin)))?
            .ok_or_else(|| token_store::not_authorized(&org.config))?;
        if row.needs_reauthorization {
            return Err(xero_core::reauthorize::reauthorization_needed(&org.config.server_name, org.config.auth, row.last_error));
        }
        Ok(usable(&row).filter(|_| row.access_token_fresh && row.access_token.as_deref() != stale))
    };
    if let Some(found) = look()? {
        return Ok(found);
    }
    // One refresher per token set: the others wait here, then find the fresh token.
    let _lock = SessionLock::acquire(Scope::Database, name, 1);
    if let Some(found) = look()? {
        return Ok(found);
    }
    refresh()
}

fn token_set_access_token(org: &Org, stale: Option<&str>) -> Result<String> {
    fresh_or_refresh(org, stale, |row| row.access_token.clone(), || {
        let job = Job::Refresh { stale_access_token: stale.map(str::to_string), margin_seconds: guc::REFRESH_MARGIN_S.get() };
        Ok(worker::run(org, job)?.access_token)
    })
}

fn oauth1_token(org: &Org, stale: Option<&str>) -> Result<(String, String)> {
    let pair = |row: &token_store::TokenRow| Some((row.access_token.clone()?, row.token_secret.clone().unwrap_or_default()));
    fresh_or_refresh(org, stale, pair, || {
        if org.config.auth == AuthMode::OAuth1Public {
            return Err(xero_core::reauthorize::public_token_unusable(&org.config.server_name, stale.is_some()));
        }
        let answer = worker::run(org, Job::Oauth1Renew { stale_token: stale.map(str::to_string), margin_seconds: guc::REFRESH_MARGIN_S.get() })?;
        Ok((answer.access_token, answer.token_secret.unwrap_or_default()))
    })
}

fn client_credentials_token(org: &Org, http: &Http, client: &xero_core::http::HttpClient, stale: Option<&str>) -> Result<String> {
    // SAFETY: GetUserId reads a backend global; this runs on the backend's thread.
    let key = (org.server_oid.to_u32(), unsafe { pg_sys::GetUserId() }.to_u32());
    let margin = Duration::from_secs(guc::REFRESH_MARGIN_S.get() as u64);
    let cached = CLIENT_CREDENTIALS.with(|c| c.borrow().get(&key).cloned());
    if let Some((token, expires)) = cached {
        if expires > Instant::now() + margin && Some(token.as_str()) != stale {
            return Ok(token);
        }
    }
    let (id, secret) = org.config.client_credentials()?;
    crate::pg::catalog::check_reach(&org.config, crate::pg::catalog::Endpoint::Identity)?;
    let grant = Grant::ClientCredentials { scopes: org.config.scopes.as_deref() };
    let response = http.execute_with(client, token_request(&org.config.identity_url, id, secret, &grant), &crate::pg::http::interrupted)?;
    let tokens = parse_token_response(grant.name(), &response)?;
    let expires = Instant::now() + Duration::from_secs(tokens.expires_in.max(0) as u64);
    CLIENT_CREDENTIALS.with(|c| c.borrow_mut().insert(key, (tokens.access_token.clone(), expires)));
    Ok(tokens.access_token)
}
