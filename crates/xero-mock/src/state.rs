//! Everything the server shares between connections.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use crate::clock::Clock;
use crate::connections::Connections;
use crate::faults::Faults;
use crate::ids::{Rng, Uuid};
use crate::limits::Limits;
use crate::log::Recorder;
use crate::model::Tenant;
use crate::oauth1_store::Oauth1Store;
use crate::tokens::TokenStore;
use crate::{Client, Config, Oauth1Consumer};

pub struct State {
    pub seed: u64,
    pub tenants: Vec<Tenant>,
    pub clients: Vec<Client>,
    pub clock: Clock,
    pub tokens: Mutex<TokenStore>,
    pub limits: Mutex<Limits>,
    pub faults: Mutex<Faults>,
    pub recorder: Mutex<Recorder>,
    pub connections: Connections,
    pub oauth1_consumers: Vec<Oauth1Consumer>,
    /// Parallel to `oauth1_consumers`: the RSA key of private and partner apps.
    pub oauth1_keys: Vec<Option<rsa::PublicKey>>,
    pub oauth1: Mutex<Oauth1Store>,
    pub oauth1_token_lifetime_secs: i64,
    pub oauth1_timestamp_window_secs: i64,
    /// Whether the mock speaks HTTPS; OAuth 1.0a base strings start with the scheme.
    pub https: bool,
    /// `127.0.0.1:PORT`, for a base string when a request has no `Host` header.
    pub authority: String,
    responses: AtomicU64,
}

impl State {
    pub fn new(
        config: &Config,
        oauth1_keys: Vec<Option<rsa::PublicKey>>,
        https: bool,
        authority: String,
    ) -> State {
        let tenants = crate::data::generate(
            config.seed,
            config.tenants,
            config.contacts,
            config.invoices,
        );
        State {
            seed: config.seed,
            limits: Mutex::new(Limits::new(
                tenants.len(),
                config.per_minute_limit,
                config.per_day_limit,
                config.concurrent_limit,
            )),
            tenants,
            clients: config.clients.clone(),
            clock: Clock::new(),
            tokens: Mutex::new(TokenStore::new(config.seed)),
            faults: Mutex::new(Faults::default()),
            recorder: Mutex::new(Recorder::default()),
            connections: Connections::default(),
            oauth1_consumers: config.oauth1_consumers.clone(),
            oauth1_keys,
            oauth1: Mutex::new(Oauth1Store::new(config.seed)),
            oauth1_token_lifetime_secs: config.oauth1_token_lifetime_secs,
            oauth1_timestamp_window_secs: config.oauth1_timestamp_window_secs,
            https,
            authority,
            responses: AtomicU64::new(0),
        }
    }

    /// A fresh id for a response envelope or problem `Instance` (unique per response).
    pub fn next_response_id(&self) -> Uuid {
        let n = self.responses.fetch_add(1, Ordering::Relaxed);
        Rng::new(self.seed, n as usize, "response").uuid()
    }

    pub fn client(&self, id: &str) -> Option<&Client> {
        self.clients.iter().find(|c| c.id == id)
    }

    pub fn tenant_index(&self, id: &str) -> Option<usize> {
        let id = Uuid::parse(id)?;
        self.tenants.iter().position(|t| t.tenant_id == id)
    }
}

/// Locks a mutex, ignoring poisoning: a panicking request must not wedge the mock.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
