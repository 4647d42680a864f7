//! Counts what a client's connection reuse shows: connections accepted (TCP, before any TLS
//! handshake) and how many of them spoke HTTP/2, since the start or the last `/__mock/reset`.
//! Reported by `GET /__mock/stats`.

use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Default)]
pub struct Connections {
    accepted: AtomicU64,
    http2: AtomicU64,
}

impl Connections {
    pub fn accepted(&self) {
        self.accepted.fetch_add(1, Ordering::Relaxed);
    }

    pub fn spoke_http2(&self) {
        self.http2.fetch_add(1, Ordering::Relaxed);
    }

    pub fn clear(&self) {
        self.accepted.store(0, Ordering::Relaxed);
        self.http2.store(0, Ordering::Relaxed);
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "accepted": self.accepted.load(Ordering::Relaxed),
            "http2": self.http2.load(Ordering::Relaxed),
        })
    }
}
