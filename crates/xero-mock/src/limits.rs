//! Xero's per-tenant rate limits: calls in flight, calls a minute, calls a day (plus
//! the app-wide minute limit), in fixed windows on the mock clock.
//!
//! A window opens with the first call after the previous one ended, so
//! `Retry-After` is exactly the time until the window that refused the call closes.

use std::sync::Arc;

use crate::state::{lock, State};

const MINUTE_MS: i64 = 60_000;
const DAY_MS: i64 = 86_400_000;
/// Xero's per-app limit across all tenants.
const APP_PER_MINUTE: u32 = 10_000;

#[derive(Default, Clone, Copy)]
struct Window {
    start_ms: i64,
    count: u32,
}

impl Window {
    fn roll(&mut self, now: i64, len: i64) {
        if self.count == 0 || now >= self.start_ms + len {
            self.start_ms = now;
            self.count = 0;
        }
    }

    fn retry_after_secs(&self, now: i64, len: i64) -> i64 {
        ((self.start_ms + len - now + 999) / 1000).max(1)
    }
}

#[derive(Default, Clone, Copy)]
struct TenantUse {
    minute: Window,
    day: Window,
    in_flight: u32,
    /// The most calls in flight at once since the start or the last reset.
    max_in_flight: u32,
}

pub struct Limits {
    pub per_minute: u32,
    pub per_day: u32,
    pub concurrent: u32,
    /// Defaults to Xero's 10,000, raised when the per-tenant limits are higher so the
    /// app limit never bites before the tenant limits a test configured.
    pub app_per_minute: Option<u32>,
    tenants: Vec<TenantUse>,
    app: Window,
}

/// The three `X-…Limit-Remaining` headers.
pub type LimitHeaders = [(&'static str, String); 3];

pub struct Rejection {
    pub problem: &'static str,
    pub retry_after_secs: i64,
    pub headers: LimitHeaders,
}

/// Holds a tenant's in-flight slot until dropped (after the response is produced).
pub struct Permit {
    state: Arc<State>,
    tenant: usize,
    pub headers: LimitHeaders,
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut l = lock(&self.state.limits);
        let t = &mut l.tenants[self.tenant];
        t.in_flight = t.in_flight.saturating_sub(1);
    }
}

impl Limits {
    pub fn new(tenants: usize, per_minute: u32, per_day: u32, concurrent: u32) -> Limits {
        Limits {
            per_minute,
            per_day,
            concurrent,
            app_per_minute: None,
            tenants: vec![TenantUse::default(); tenants],
            app: Window::default(),
        }
    }

    fn app_limit(&self) -> u32 {
        self.app_per_minute.unwrap_or_else(|| {
            APP_PER_MINUTE.max(self.per_minute.saturating_mul(self.tenants.len() as u32))
        })
    }

    /// Forgets all counted calls (calls still in flight stay in flight).
    pub fn reset_windows(&mut self) {
        for t in &mut self.tenants {
            t.minute = Window::default();
            t.day = Window::default();
            t.max_in_flight = t.in_flight;
        }
        self.app = Window::default();
    }

    /// The most calls any one tenant had in flight at once.
    pub fn max_in_flight(&self) -> u32 {
        self.tenants
            .iter()
            .map(|t| t.max_in_flight)
            .max()
            .unwrap_or(0)
    }

    fn headers(&self, tenant: usize) -> LimitHeaders {
        let t = &self.tenants[tenant];
        [
            (
                "x-minlimit-remaining",
                self.per_minute.saturating_sub(t.minute.count).to_string(),
            ),
            (
                "x-daylimit-remaining",
                self.per_day.saturating_sub(t.day.count).to_string(),
            ),
            (
                "x-appminlimit-remaining",
                self.app_limit().saturating_sub(self.app.count).to_string(),
            ),
        ]
    }

    fn check(&mut self, tenant: usize, now: i64) -> Result<(), (&'static str, i64)> {
        let app_limit = self.app_limit();
        let (per_minute, per_day, concurrent) = (self.per_minute, self.per_day, self.concurrent);
        let t = &mut self.tenants[tenant];
        if t.in_flight >= concurrent {
            return Err(("concurrent", 1));
        }
        t.day.roll(now, DAY_MS);
        t.minute.roll(now, MINUTE_MS);
        self.app.roll(now, MINUTE_MS);
        if t.day.count >= per_day {
            return Err(("day", t.day.retry_after_secs(now, DAY_MS)));
        }
        if t.minute.count >= per_minute {
            return Err(("minute", t.minute.retry_after_secs(now, MINUTE_MS)));
        }
        if self.app.count >= app_limit {
            return Err(("appminute", self.app.retry_after_secs(now, MINUTE_MS)));
        }
        t.day.count += 1;
        t.minute.count += 1;
        t.in_flight += 1;
        t.max_in_flight = t.max_in_flight.max(t.in_flight);
        self.app.count += 1;
        Ok(())
    }
}

/// Counts one call for `tenant`, or says which limit refuses it.
pub fn acquire(state: &Arc<State>, tenant: usize) -> Result<Permit, Box<Rejection>> {
    let now = state.clock.now_ms();
    let mut l = lock(&state.limits);
    match l.check(tenant, now) {
        Ok(()) => Ok(Permit {
            state: Arc::clone(state),
            tenant,
            headers: l.headers(tenant),
        }),
        Err((problem, retry_after_secs)) => Err(Box::new(Rejection {
            problem,
            retry_after_secs,
            headers: l.headers(tenant),
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_concurrency() {
        let mut l = Limits::new(2, 2, 3, 5);
        assert!(l.check(0, 0).is_ok());
        assert!(l.check(0, 10_000).is_ok());
        assert_eq!(l.check(0, 20_000), Err(("minute", 40)));
        // The other tenant has its own windows.
        assert!(l.check(1, 20_000).is_ok());
        assert!(l.check(0, 60_000).is_ok());
        assert_eq!(l.check(0, 61_000), Err(("day", 86_339)));
        l.reset_windows();
        assert!(l.check(0, 61_000).is_ok());
        let mut c = Limits::new(1, 100, 100, 2);
        assert!(c.check(0, 0).is_ok() && c.check(0, 0).is_ok());
        assert_eq!(c.check(0, 0), Err(("concurrent", 1)));
        assert_eq!(c.max_in_flight(), 2, "a refused call is not in flight");
    }
}
