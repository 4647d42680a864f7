//! The mock's clock: real time plus whatever tests advanced it by.
//!
//! Token expiry, the refresh-token grace window and rate-limit windows all read this
//! clock, so a test can jump 31 minutes ahead instead of waiting for them.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

pub struct Clock {
    started: Instant,
    started_ms: i64,
    advanced_ms: AtomicI64,
}

impl Clock {
    pub fn new() -> Clock {
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        Clock {
            started: Instant::now(),
            started_ms: wall,
            advanced_ms: AtomicI64::new(0),
        }
    }

    /// Milliseconds since the Unix epoch on the mock's time line.
    pub fn now_ms(&self) -> i64 {
        self.started_ms
            + self.started.elapsed().as_millis() as i64
            + self.advanced_ms.load(Ordering::Relaxed)
    }

    pub fn advance(&self, ms: i64) {
        self.advanced_ms.fetch_add(ms, Ordering::Relaxed);
    }
}
