//! Session-level advisory locks keyed by a name: the one mechanism behind "one token refresher
//! per token set" and "at most N calls in flight per tenant". A lock is released when its guard
//! drops, also while an ERROR unwinds (session locks outlive transactions, so nothing else would).

use pgrx::pg_sys;

pub struct SessionLock {
    tag: pg_sys::LOCKTAG,
}

/// Where a lock applies: this database, or the whole cluster (database 0).
#[derive(Clone, Copy)]
pub enum Scope {
    Database,
    Cluster,
}

fn tag(scope: Scope, name: &str, class: u16) -> pg_sys::LOCKTAG {
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3));
    pg_sys::LOCKTAG {
        locktag_field1: match scope {
            // SAFETY: this backend's database, set at connection.
            Scope::Database => unsafe { pg_sys::MyDatabaseId }.to_u32(),
            Scope::Cluster => 0,
        },
        locktag_field2: (hash >> 32) as u32,
        locktag_field3: hash as u32,
        locktag_field4: class,
        locktag_type: pg_sys::LockTagType::LOCKTAG_ADVISORY as u8,
        locktag_lockmethodid: pg_sys::USER_LOCKMETHOD as u8,
    }
}

impl SessionLock {
    /// Waits for the lock, as pg_advisory_lock does (the wait is interruptible).
    pub fn acquire(scope: Scope, name: &str, class: u16) -> SessionLock {
        let tag = tag(scope, name, class);
        // SAFETY: the same call pg_advisory_lock(bigint) makes.
        unsafe { pg_sys::LockAcquire(&tag, pg_sys::ExclusiveLock as pg_sys::LOCKMODE, true, false) };
        SessionLock { tag }
    }

    /// Takes the lock if no session holds it, this one included: a guard stands for one holder,
    /// so a slot this session already occupies is busy too (unlike pg_try_advisory_lock, which
    /// would count it twice).
    pub fn try_acquire(scope: Scope, name: &str, class: u16) -> Option<SessionLock> {
        let tag = tag(scope, name, class);
        // SAFETY: a non-blocking session lock, as pg_try_advisory_lock takes.
        let got = unsafe { pg_sys::LockAcquire(&tag, pg_sys::ExclusiveLock as pg_sys::LOCKMODE, true, true) };
        match got {
            pg_sys::LockAcquireResult::LOCKACQUIRE_OK => Some(SessionLock { tag }),
            // Only a lock actually taken gets a guard: dropping a guard releases the lock, and
            // releasing one this session never took makes PostgreSQL send every client a
            // WARNING ("you don't own a lock of type ExclusiveLock").
            pg_sys::LockAcquireResult::LOCKACQUIRE_NOT_AVAIL => None,
            _ => {
                // Already held by this session: LockAcquire counted a second hold; undo it.
                // SAFETY: releases the hold the call above just added.
                unsafe { pg_sys::LockRelease(&tag, pg_sys::ExclusiveLock as pg_sys::LOCKMODE, true) };
                None
            }
        }
    }
}

impl Drop for SessionLock {
    fn drop(&mut self) {
        // SAFETY: releases the session lock this guard took.
        unsafe { pg_sys::LockRelease(&self.tag, pg_sys::ExclusiveLock as pg_sys::LOCKMODE, true) };
    }
}
