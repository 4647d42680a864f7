//! Everything the server shares between connections.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

use crate::clock::Clock;
use crate::collections::COLLECTIONS;
use crate::connections::Connections;
use crate::faults::Faults;
use crate::generic_model::GRecord;
use crate::ids::{Rng, Uuid};
use crate::ledger::Ledger;
use crate::limits::Limits;
use crate::log::Recorder;
use crate::model::{CreditKind, Tenant};
use crate::oauth1_store::Oauth1Store;
use crate::tokens::TokenStore;
use crate::{Client, Config, Oauth1Consumer};

pub struct State {
    pub seed: u64,
    pub tenants: Vec<Tenant>,
    /// Per tenant, per registry entry: the generic collection's records, made when first
    /// asked for (most test servers never touch most collections).
    generic: Vec<Vec<OnceLock<Vec<GRecord>>>>,
    /// Per tenant: the journals of every posted transaction, made when Journals or a
    /// report is first asked for (200,000 invoices' journals take a while).
    ledgers: Vec<OnceLock<Ledger>>,
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
            generic: tenants
                .iter()
                .map(|_| COLLECTIONS.iter().map(|_| OnceLock::new()).collect())
                .collect(),
            ledgers: tenants.iter().map(|_| OnceLock::new()).collect(),
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

    /// The records of generic collection `coll` for tenant number `tenant`.
    pub fn generic(&self, tenant: usize, coll: usize) -> &[GRecord] {
        self.generic[tenant][coll].get_or_init(|| {
            let t = &self.tenants[tenant];
            match COLLECTIONS[coll].key {
                // Derived from the invoices, so AmountPaid is the sum of an invoice's payments.
                "Payments" => crate::ledger_payments::records(self.seed, tenant, t, coll),
                key => {
                    let mut recs = crate::generic_data::generate(self.seed, tenant, t, coll);
                    // Credit documents take the side of the allocations the invoices name.
                    if let Some(kind) = CreditKind::ALL.into_iter().find(|k| k.collection() == key)
                    {
                        crate::generic_allocations::apply(self.seed, tenant, t, kind, &mut recs);
                    }
                    recs
                }
            }
        })
    }

    /// The general ledger of tenant number `tenant`.
    pub fn ledger(&self, tenant: usize) -> &Ledger {
        self.ledgers[tenant].get_or_init(|| {
            let docs = |key: &str| {
                let coll = crate::collections::find(key).expect("ledger documents are registered");
                self.generic(tenant, coll)
            };
            crate::ledger::build(self.seed, tenant, &self.tenants[tenant], docs)
        })
    }

    /// How many records tenant `tenant` has in generic collection `coll`.
    pub fn count(&self, tenant: usize, coll: usize) -> usize {
        match COLLECTIONS[coll].key {
            "Journals" => self.ledger(tenant).journals.len(),
            _ if COLLECTIONS[coll].derived => self.generic(tenant, coll).len(),
            _ => COLLECTIONS[coll].per_tenant,
        }
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
