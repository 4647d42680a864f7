//! Everything the server shares between connections.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, RwLock};

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
    /// Per tenant: its hand-built records; `/__mock/mutate` replaces them (`mutate.rs`).
    tenants: Vec<Swap<Tenant>>,
    /// Per tenant, per registry entry: the generic collection's records, made when first
    /// asked for (most test servers never touch most collections).
    generic: Vec<Vec<OnceLock<Vec<GRecord>>>>,
    /// Per tenant: the journals of every posted transaction, made when Journals or a
    /// report is first asked for (200,000 invoices' journals take a while).
    ledgers: Vec<OnceLock<Swap<Ledger>>>,
    /// Per tenant, per registry entry: the collection as changed by writes and
    /// `/__mock/mutate` (a copy of the generated records, made at the first change);
    /// `None` while it is as generated.
    live: Vec<Vec<Mutex<Option<Arc<Vec<GRecord>>>>>>,
    /// Per tenant: where the ids of written records come from (deterministic from the seed).
    pub write_rng: Vec<Mutex<Rng>>,
    /// Idempotency keys and what was written under them (`idempotency.rs`).
    pub writes: Mutex<crate::idempotency::WriteBook>,
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
            live: tenants
                .iter()
                .map(|_| COLLECTIONS.iter().map(|_| Mutex::new(None)).collect())
                .collect(),
            write_rng: (0..tenants.len())
                .map(|t| Mutex::new(Rng::new(config.seed, t, "writes")))
                .collect(),
            writes: Mutex::new(crate::idempotency::WriteBook::new(tenants.len())),
            limits: Mutex::new(Limits::new(
                tenants.len(),
                config.per_minute_limit,
                config.per_day_limit,
                config.concurrent_limit,
            )),
            tenants: tenants.into_iter().map(Swap::new).collect(),
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
            let t = &*self.tenant(tenant);
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

    /// The generic records of `coll` as served: the generated ones, or the collection as
    /// writes and `/__mock/mutate` left it.
    pub fn generic_live(&self, tenant: usize, coll: usize) -> Live<'_> {
        match &*lock(&self.live[tenant][coll]) {
            Some(recs) => Live::Changed(Arc::clone(recs)),
            None => Live::Generated(self.generic(tenant, coll)),
        }
    }

    /// Changes generic collection `coll` of tenant `tenant` (a copy of the generated
    /// records the first time; readers keep the version they hold).
    pub fn update_generic<R>(
        &self,
        tenant: usize,
        coll: usize,
        f: impl FnOnce(&mut Vec<GRecord>) -> R,
    ) -> R {
        let mut slot = lock(&self.live[tenant][coll]);
        let recs = slot.get_or_insert_with(|| Arc::new(self.generic(tenant, coll).to_vec()));
        f(Arc::make_mut(recs))
    }

    /// Makes everything a write may read or change while it holds the tenant: the ledger
    /// and every generic collection. Both are built from the tenant's records as they are
    /// at that moment, so they must exist before a write changes those records (the
    /// ledger would otherwise journal a written invoice twice, Payments list a written
    /// payment twice).
    pub fn prepare_for_writes(&self, tenant: usize) {
        self.ledger(tenant);
        for coll in 0..COLLECTIONS.len() {
            if COLLECTIONS[coll].key != "Journals" {
                self.generic(tenant, coll);
            }
        }
    }

    /// Tenant number `tenant`'s hand-built records as they are now.
    pub fn tenant(&self, tenant: usize) -> Arc<Tenant> {
        self.tenants[tenant].get()
    }

    /// Every tenant, as they are now.
    pub fn tenants(&self) -> Vec<Arc<Tenant>> {
        self.tenants.iter().map(Swap::get).collect()
    }

    /// Changes tenant `tenant`'s records (readers keep the version they hold).
    pub fn update_tenant<R>(&self, tenant: usize, f: impl FnOnce(&mut Tenant) -> R) -> R {
        self.tenants[tenant].update(f)
    }

    /// The general ledger of tenant number `tenant`.
    pub fn ledger(&self, tenant: usize) -> Arc<Ledger> {
        self.ledger_cell(tenant).get()
    }

    /// Appends to the ledger of tenant `tenant` (built first if it was not).
    pub fn update_ledger<R>(&self, tenant: usize, f: impl FnOnce(&mut Ledger) -> R) -> R {
        self.ledger_cell(tenant).update(f)
    }

    fn ledger_cell(&self, tenant: usize) -> &Swap<Ledger> {
        self.ledgers[tenant].get_or_init(|| {
            let docs = |key: &str| {
                let coll = crate::collections::find(key).expect("ledger documents are registered");
                self.generic(tenant, coll)
            };
            Swap::new(crate::ledger::build(self.seed, tenant, &self.tenant(tenant), docs))
        })
    }

    /// How many records tenant `tenant` has in generic collection `coll`.
    pub fn count(&self, tenant: usize, coll: usize) -> usize {
        match COLLECTIONS[coll].key {
            "Journals" => self.ledger(tenant).journals.len(),
            _ if COLLECTIONS[coll].derived => self.generic_live(tenant, coll).len(),
            _ => match &*lock(&self.live[tenant][coll]) {
                Some(recs) => recs.len(),
                None => COLLECTIONS[coll].per_tenant,
            },
        }
    }

    pub fn client(&self, id: &str) -> Option<&Client> {
        self.clients.iter().find(|c| c.id == id)
    }

    pub fn tenant_index(&self, id: &str) -> Option<usize> {
        let id = Uuid::parse(id)?;
        self.tenants.iter().position(|t| t.get().tenant_id == id)
    }
}

/// A generic collection's records as served.
pub enum Live<'a> {
    Generated(&'a [GRecord]),
    Changed(Arc<Vec<GRecord>>),
}

impl std::ops::Deref for Live<'_> {
    type Target = [GRecord];

    fn deref(&self) -> &[GRecord] {
        match self {
            Live::Generated(recs) => recs,
            Live::Changed(recs) => recs,
        }
    }
}

/// A value readers take a snapshot of (`Arc`) and a test control may replace.
pub struct Swap<T>(RwLock<Arc<T>>);

impl<T: Clone> Swap<T> {
    pub fn new(value: T) -> Swap<T> {
        Swap(RwLock::new(Arc::new(value)))
    }

    pub fn get(&self) -> Arc<T> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Changes the value in place, or a copy of it while a reader holds the old one.
    pub fn update<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        let mut guard = self.0.write().unwrap_or_else(|e| e.into_inner());
        f(Arc::make_mut(&mut guard))
    }
}

/// Locks a mutex, ignoring poisoning: a panicking request must not wedge the mock.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
