//! Limits shared by every session of the cluster: at most
//! `xero_fdw.max_concurrent_calls` calls in flight per tenant (advisory-lock slots), Xero's
//! remaining quotas honoured before Xero has to say no, and a record of recent calls. Quotas and
//! calls live in shared memory when xero_fdw is in shared_preload_libraries, else per session;
//! operators see them through `functions::operator_views`.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use pgrx::lwlock::PgLwLock;
use pgrx::pg_sys;
use pgrx::prelude::*;
use pgrx::shmem::PGRXSharedMemory;
use xero_core::pages::CallHooks;
use xero_core::transport::CallReport;
use xero_core::{ErrorKind, Result, XeroError};

use crate::pg::advisory::{Scope, SessionLock};
use crate::pg::catalog::Org;
use crate::pg::guc;

const TENANTS: usize = 64;
const CALLS: usize = 256;

fn put(dst: &mut [u8], s: &str) {
    dst.fill(0);
    let n = s.len().min(dst.len());
    dst[..n].copy_from_slice(&s.as_bytes()[..n]);
}

pub(crate) fn get(src: &[u8]) -> String {
    let end = src.iter().position(|&b| b == 0).unwrap_or(src.len());
    String::from_utf8_lossy(&src[..end]).into_owned()
}

#[derive(Clone, Copy)]
#[repr(C)]
pub struct QuotaSlot {
    pub(crate) key: [u8; 128],
    pub(crate) server: [u8; 64],
    pub(crate) min_remaining: i64,
    pub(crate) day_remaining: i64,
    pub(crate) app_min_remaining: i64,
    pub(crate) observed_at: i64,
    pub(crate) used: bool,
}

#[derive(Clone, Copy)]
#[repr(C)]
pub struct CallSlot {
    pub(crate) at: i64,
    pub(crate) server: [u8; 64],
    pub(crate) label: [u8; 48],
    pub(crate) status: u16,
    pub(crate) duration_us: i64,
    pub(crate) bytes: i64,
    pub(crate) retries: u32,
    pub(crate) pid: i32,
    pub(crate) used: bool,
}

#[derive(Clone, Copy)]
#[repr(C)]
pub struct SharedState {
    pub(crate) quotas: [QuotaSlot; TENANTS],
    pub(crate) calls: [CallSlot; CALLS],
    pub(crate) next_call: usize,
}

// SAFETY: plain old data, no pointers.
unsafe impl PGRXSharedMemory for SharedState {}

impl Default for SharedState {
    fn default() -> Self {
        // SAFETY: every field is an integer, a byte array or a bool, for which zero is valid.
        unsafe { std::mem::zeroed() }
    }
}

// SAFETY: PgLwLock::new is unsafe because the lock is usable only once shared memory is set up;
// `init` registers it from _PG_init under shared_preload_libraries, and `with_state` touches it
// only when IN_SHARED_MEMORY says that happened.
static SHARED: PgLwLock<SharedState> = unsafe { PgLwLock::new(c"xero_fdw_shared_state") };
static IN_SHARED_MEMORY: AtomicBool = AtomicBool::new(false);

thread_local! {
    static LOCAL: RefCell<Box<SharedState>> = RefCell::new(Box::default());
}

/// Called from _PG_init: shared memory only exists when loaded at server start.
pub fn init() {
    // SAFETY: a flag PostgreSQL sets while loading shared_preload_libraries in the postmaster.
    if unsafe { pg_sys::process_shared_preload_libraries_in_progress } {
        pgrx::pg_shmem_init!(SHARED);
        IN_SHARED_MEMORY.store(true, Ordering::Relaxed);
    }
}

pub(crate) fn with_state<R>(f: impl FnOnce(&mut SharedState) -> R) -> R {
    if IN_SHARED_MEMORY.load(Ordering::Relaxed) {
        f(&mut SHARED.exclusive())
    } else {
        LOCAL.with(|l| f(&mut l.borrow_mut()))
    }
}

fn now_us() -> i64 {
    // SAFETY: reads the clock; PostgreSQL's timestamptz representation.
    unsafe { pg_sys::GetCurrentTimestamp() }
}

/// The limits and records of one organisation's calls.
pub struct OrgHooks {
    server: String,
    key: String,
}

impl OrgHooks {
    pub fn new(org: &Org) -> Self {
        // Xero's limits are per tenant of one API: the same tenant id behind another api_url
        // (a test server, a proxy to a sandbox) is another budget.
        let origin = url::Url::parse(&org.config.api_url).map(|u| u.origin().ascii_serialization()).unwrap_or_default();
        let tenant = org.config.tenant_id.clone().unwrap_or_else(|| format!("server:{}", org.config.server_name));
        OrgHooks { server: org.config.server_name.clone(), key: format!("{origin}|{tenant}") }
    }

    fn quota(&self) -> Option<QuotaSlot> {
        with_state(|s| s.quotas.iter().find(|q| q.used && get(&q.key) == self.key).copied())
    }

    /// Xero's own word from its last answer: a spent day quota fails now; a spent minute quota
    /// is waited out (interruptibly) when that fits xero_fdw.max_rate_limit_wait.
    fn honour_quota(&self) -> Result<()> {
        let Some(q) = self.quota() else { return Ok(()) };
        let age = Duration::from_micros((now_us() - q.observed_at).max(0) as u64);
        if q.day_remaining == 0 && age < Duration::from_secs(24 * 3600) {
            return Err(XeroError::new(ErrorKind::RateLimited, format!("Xero's day rate limit for organisation \"{}\" is exhausted", self.server))
                .with_detail(format!("Xero's last answer, {} s ago, said X-DayLimit-Remaining: 0.", age.as_secs()))
                .with_hint("The daily quota resets within 24 hours; see the xero_rate_limits view."));
        }
        if q.min_remaining == 0 && age < Duration::from_secs(60) {
            let wait = Duration::from_secs(60) - age;
            if wait > Duration::from_secs(guc::MAX_RATE_LIMIT_WAIT_S.get() as u64) {
                return Err(XeroError::new(ErrorKind::RateLimited, format!("Xero's minute rate limit for organisation \"{}\" is exhausted", self.server))
                    .with_detail(format!("Xero's last answer said X-MinLimit-Remaining: 0; the minute frees in {} s.", wait.as_secs()))
                    .with_hint("Raise xero_fdw.max_rate_limit_wait to let queries wait, or run the query again shortly."));
            }
            sleep_interruptibly(wait);
        }
        Ok(())
    }
}

fn sleep_interruptibly(total: Duration) {
    let until = std::time::Instant::now() + total;
    while std::time::Instant::now() < until {
        pgrx::check_for_interrupts!();
        // SAFETY: sleeps this backend; signals cut it short and are then checked above.
        unsafe { pg_sys::pg_usleep(20_000) };
    }
}

thread_local! {
    /// The (tenant key, slot) pairs this backend holds. A session advisory lock is re-entrant:
    /// taking a slot this backend already holds would succeed and count one slot twice.
    static HELD: RefCell<Vec<(String, u16)>> = const { RefCell::new(Vec::new()) };
}

/// One of the tenant's concurrency slots, held until the call's page is taken. Cluster scope:
/// the limit is per tenant across every database.
struct Slot {
    key: String,
    slot: u16,
    _lock: SessionLock,
}

impl Drop for Slot {
    fn drop(&mut self) {
        HELD.with(|h| h.borrow_mut().retain(|(k, s)| !(*k == self.key && *s == self.slot)));
    }
}

fn held_by_me(key: &str) -> Vec<u16> {
    HELD.with(|h| h.borrow().iter().filter(|(k, _)| k == key).map(|(_, s)| *s).collect())
}

/// A free slot now, or None.
fn try_slot(key: &str) -> Option<Slot> {
    let slots = guc::MAX_CONCURRENT_CALLS.get().max(1) as u16;
    let mine = held_by_me(key);
    let (slot, lock) =
        (0..slots).filter(|s| !mine.contains(s)).find_map(|slot| SessionLock::try_acquire(Scope::Cluster, key, 0x7800 + slot).map(|l| (slot, l)))?;
    HELD.with(|h| h.borrow_mut().push((key.to_string(), slot)));
    Some(Slot { key: key.to_string(), slot, _lock: lock })
}

fn acquire_slot(key: &str) -> Slot {
    loop {
        if let Some(slot) = try_slot(key) {
            return slot;
        }
        sleep_interruptibly(Duration::from_millis(20));
    }
}

impl OrgHooks {
    /// Whether Xero's last answer leaves quota for another call beside those this backend has
    /// in flight; extra calls never spend the last of a minute or a day.
    fn quota_allows_extra(&self) -> bool {
        let Some(q) = self.quota() else { return true };
        let fresh = Duration::from_micros((now_us() - q.observed_at).max(0) as u64) < Duration::from_secs(60);
        let in_flight = held_by_me(&self.key).len() as i64;
        !fresh || [q.min_remaining, q.day_remaining].iter().all(|&r| r < 0 || r > in_flight)
    }
}

impl CallHooks for OrgHooks {
    fn before(&self, _label: &str) -> Result<Box<dyn std::any::Any>> {
        self.honour_quota()?;
        Ok(Box::new(acquire_slot(&self.key)))
    }

    fn try_before(&self, _label: &str) -> Option<Box<dyn std::any::Any>> {
        if !self.quota_allows_extra() {
            return None;
        }
        try_slot(&self.key).map(|s| Box::new(s) as Box<dyn std::any::Any>)
    }

    fn max_in_flight(&self) -> usize {
        guc::MAX_CONCURRENT_CALLS.get().max(1) as usize
    }

    fn after(&self, r: &CallReport) {
        let at = now_us();
        with_state(|s| {
            if r.quota.min_remaining.is_some() || r.quota.day_remaining.is_some() {
                let i = s
                    .quotas
                    .iter()
                    .position(|q| q.used && get(&q.key) == self.key)
                    .or_else(|| s.quotas.iter().position(|q| !q.used))
                    .unwrap_or_else(|| (0..TENANTS).min_by_key(|&i| s.quotas[i].observed_at).unwrap_or(0));
                let q = &mut s.quotas[i];
                put(&mut q.key, &self.key);
                put(&mut q.server, &self.server);
                q.min_remaining = r.quota.min_remaining.unwrap_or(-1);
                q.day_remaining = r.quota.day_remaining.unwrap_or(-1);
                q.app_min_remaining = r.quota.app_min_remaining.unwrap_or(-1);
                q.observed_at = at;
                q.used = true;
            }
            let c = &mut s.calls[s.next_call % CALLS];
            s.next_call = s.next_call.wrapping_add(1);
            c.at = at;
            put(&mut c.server, &self.server);
            put(&mut c.label, &r.label);
            c.status = r.status;
            c.duration_us = r.duration.as_micros() as i64;
            c.bytes = r.bytes as i64;
            c.retries = r.retries;
            // SAFETY: this backend's pid.
            c.pid = unsafe { pg_sys::MyProcPid };
            c.used = true;
        });
        if guc::PROGRESS_NOTICES.get() {
            pgrx::notice!(
                "xero_fdw: {} of \"{}\": HTTP {}, {} bytes in {} ms{}",
                r.label,
                self.server,
                r.status,
                r.bytes,
                r.duration.as_millis(),
                if r.retries > 0 { format!(" after {} retries", r.retries) } else { String::new() }
            );
        }
    }
}
