//! Xero's `Idempotency-Key` header: a write sent again with the same key gets the first
//! answer again, byte for byte, and nothing is done twice. Keys are remembered per
//! tenant for the mock's lifetime (Xero keeps them for a while; tests never outlive that).
//!
//! The same key with a different request (method, path, query or body) is refused with
//! 400. The book also counts, per key, how many requests used it and how many times it
//! was acted on (1, or the mock wrote twice), with the ids created under it, and how many
//! records were created by requests without a key: `GET /__mock/writes`.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::ids::Uuid;
use crate::reply::Reply;
use crate::request::Req;

/// Xero's limit on the header's length.
pub const MAX_KEY_LEN: usize = 128;

struct Entry {
    fingerprint: [u8; 32],
    method: String,
    path: String,
    answer: Reply,
    requests: u64,
    acted: u64,
    created: Vec<Uuid>,
}

#[derive(Default)]
struct TenantBook {
    keys: BTreeMap<String, Entry>,
    /// Requests without a key that changed something, and the records they created.
    acted_without_key: u64,
    created_without_key: u64,
}

pub struct WriteBook {
    tenants: Vec<TenantBook>,
}

/// What to do with a write that carries a key.
pub enum Seen {
    /// Not seen before: act, then [`WriteBook::remember`].
    New,
    /// Seen with the same request: send this again.
    Replay(Reply),
    /// Seen with another request.
    Conflict,
}

/// The request as the key binds it: method, path, query and body.
pub fn fingerprint(req: &Req) -> [u8; 32] {
    let mut h = Sha256::new();
    for part in [
        req.method.as_str().as_bytes(),
        req.path.as_bytes(),
        req.raw_query.as_bytes(),
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part);
    }
    h.update(&req.body);
    h.finalize().into()
}

impl WriteBook {
    pub fn new(tenants: usize) -> WriteBook {
        WriteBook {
            tenants: (0..tenants).map(|_| TenantBook::default()).collect(),
        }
    }

    /// Looks the key up, counting the request against it.
    pub fn check(&mut self, tenant: usize, key: &str, req: &Req) -> Seen {
        let Some(e) = self.tenants[tenant].keys.get_mut(key) else {
            return Seen::New;
        };
        e.requests += 1;
        if e.fingerprint == fingerprint(req) {
            Seen::Replay(e.answer.clone())
        } else {
            Seen::Conflict
        }
    }

    /// Records what a request did; `key` when it carried one.
    pub fn remember(
        &mut self,
        tenant: usize,
        key: Option<&str>,
        req: &Req,
        answer: &Reply,
        created: Vec<Uuid>,
    ) {
        let book = &mut self.tenants[tenant];
        match key {
            Some(key) => {
                let e = book.keys.entry(key.to_string()).or_insert_with(|| Entry {
                    fingerprint: fingerprint(req),
                    method: req.method.to_string(),
                    path: req.path.clone(),
                    answer: answer.clone(),
                    requests: 0,
                    acted: 0,
                    created: Vec::new(),
                });
                e.requests += 1;
                e.acted += 1;
                e.created.extend(created);
            }
            None => {
                book.acted_without_key += 1;
                book.created_without_key += created.len() as u64;
            }
        }
    }

    /// `GET /__mock/writes`.
    pub fn json(&self) -> Value {
        let tenants: Vec<Value> = self
            .tenants
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let keys: serde_json::Map<String, Value> = b
                    .keys
                    .iter()
                    .map(|(k, e)| {
                        (
                            k.clone(),
                            json!({
                                "method": e.method,
                                "path": e.path,
                                "status": e.answer.status,
                                "requests": e.requests,
                                "acted": e.acted,
                                "created": e.created.iter().map(Uuid::to_string).collect::<Vec<_>>(),
                            }),
                        )
                    })
                    .collect();
                json!({
                    "tenant": i,
                    "keys": keys,
                    "acted_without_key": b.acted_without_key,
                    "created_without_key": b.created_without_key,
                })
            })
            .collect();
        json!({ "tenants": tenants })
    }
}
