//! What operators can see of the cluster-wide limits (`pg::limits`): Xero's remaining quotas per
//! tenant and the most recent calls, as functions and views. No URLs, headers or tokens.

use pgrx::pg_sys;
use pgrx::prelude::*;

use crate::pg::limits::{get, with_state};

fn ts(us: i64) -> Option<pgrx::datum::TimestampWithTimeZone> {
    // SAFETY: a PostgreSQL timestamptz value taken from GetCurrentTimestamp.
    unsafe { pgrx::datum::TimestampWithTimeZone::from_datum(pg_sys::Datum::from(us), false) }
}

fn opt(n: i64) -> Option<i64> {
    (n >= 0).then_some(n)
}

/// Xero's remaining quotas per tenant, as its last answers stated them.
#[pg_extern]
fn xero_rate_limits() -> TableIterator<
    'static,
    (
        name!(server, String),
        name!(api, String),
        name!(tenant, String),
        name!(minute_remaining, Option<i64>),
        name!(day_remaining, Option<i64>),
        name!(app_minute_remaining, Option<i64>),
        name!(observed_at, Option<pgrx::datum::TimestampWithTimeZone>),
    ),
> {
    let rows: Vec<_> = with_state(|s| {
        s.quotas
            .iter()
            .filter(|q| q.used)
            .map(|q| {
                let key = get(&q.key);
                let (api, tenant) = key.rsplit_once('|').unwrap_or(("", key.as_str()));
                (get(&q.server), api.to_string(), tenant.to_string(), opt(q.min_remaining), opt(q.day_remaining), opt(q.app_min_remaining), ts(q.observed_at))
            })
            .collect()
    });
    TableIterator::new(rows)
}

/// The most recent calls to Xero's accounting API (no secrets: no URLs, no headers).
#[pg_extern]
fn xero_calls() -> TableIterator<
    'static,
    (
        name!(called_at, Option<pgrx::datum::TimestampWithTimeZone>),
        name!(pid, i32),
        name!(server, String),
        name!(call, String),
        name!(status, i32),
        name!(duration_ms, f64),
        name!(bytes, i64),
        name!(retries, i32),
    ),
> {
    let mut rows: Vec<_> = with_state(|s| {
        s.calls
            .iter()
            .filter(|c| c.used)
            .map(|c| (c.at, ts(c.at), c.pid, get(&c.server), get(&c.label), i32::from(c.status), c.duration_us as f64 / 1000.0, c.bytes, c.retries as i32))
            .collect()
    });
    rows.sort_by_key(|r| r.0);
    TableIterator::new(rows.into_iter().map(|r| (r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8)))
}

extension_sql!(
    r#"
CREATE VIEW xero_rate_limits AS SELECT * FROM xero_rate_limits();
CREATE VIEW xero_calls AS SELECT * FROM xero_calls();
COMMENT ON FUNCTION xero_rate_limits() IS 'Xero''s remaining minute, day and app-minute quotas per tenant as its last answers stated them (cluster-wide when xero_fdw is in shared_preload_libraries, else this session''s).';
COMMENT ON FUNCTION xero_calls() IS 'The most recent calls to Xero''s accounting API: when, which backend, organisation, call, HTTP status (0: no answer), duration, bytes and retries. Holds no URLs, headers or tokens.';
COMMENT ON VIEW xero_rate_limits IS 'See xero_rate_limits().';
COMMENT ON VIEW xero_calls IS 'See xero_calls().';
"#,
    name = "observe_views",
    requires = [xero_rate_limits, xero_calls]
);
