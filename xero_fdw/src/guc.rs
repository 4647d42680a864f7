//! Settings (GUCs). Timeouts are per session so a long ETL job can allow more than an
//! interactive query.

use std::time::Duration;

use pgrx::guc::{GucContext, GucFlags, GucRegistry, GucSetting};
use xero_core::http::HttpSettings;
use xero_core::list::RetryPolicy;

pub static CONNECT_TIMEOUT_MS: GucSetting<i32> = GucSetting::<i32>::new(10_000);
pub static READ_TIMEOUT_MS: GucSetting<i32> = GucSetting::<i32>::new(60_000);
pub static MAX_RATE_LIMIT_WAIT_S: GucSetting<i32> = GucSetting::<i32>::new(60);
pub static REFRESH_MARGIN_S: GucSetting<i32> = GucSetting::<i32>::new(120);

pub fn register() {
    GucRegistry::define_int_guc(
        c"xero_fdw.connect_timeout",
        c"Longest wait for a TCP/TLS connection to Xero.",
        c"A query fails with SQLSTATE 08001 when Xero cannot be reached within this time.",
        &CONNECT_TIMEOUT_MS,
        100,
        600_000,
        GucContext::Userset,
        GucFlags::UNIT_MS,
    );
    GucRegistry::define_int_guc(
        c"xero_fdw.read_timeout",
        c"Longest silence from Xero while waiting for response bytes.",
        c"A query fails with SQLSTATE 08006 when Xero sends nothing for this long. statement_timeout and pg_cancel_backend stop a query sooner.",
        &READ_TIMEOUT_MS,
        100,
        3_600_000,
        GucContext::Userset,
        GucFlags::UNIT_MS,
    );
    GucRegistry::define_int_guc(
        c"xero_fdw.max_rate_limit_wait",
        c"Longest Retry-After a query waits out when Xero's minute rate limit is hit.",
        c"Longer waits (and every day-limit 429) fail at once with the wait in the error's DETAIL.",
        &MAX_RATE_LIMIT_WAIT_S,
        0,
        3600,
        GucContext::Userset,
        GucFlags::UNIT_S,
    );
    GucRegistry::define_int_guc(
        c"xero_fdw.token_refresh_margin",
        c"Refresh an OAuth 2.0 access token when it has less than this long to live.",
        c"Xero access tokens last 30 minutes.",
        &REFRESH_MARGIN_S,
        0,
        1200,
        GucContext::Userset,
        GucFlags::UNIT_S,
    );
}

pub fn http_settings() -> HttpSettings {
    HttpSettings {
        connect_timeout: Duration::from_millis(CONNECT_TIMEOUT_MS.get() as u64),
        read_timeout: Duration::from_millis(READ_TIMEOUT_MS.get() as u64),
        ..HttpSettings::default()
    }
}

pub fn retry_policy() -> RetryPolicy {
    RetryPolicy { max_rate_limit_wait: Duration::from_secs(MAX_RATE_LIMIT_WAIT_S.get() as u64), ..RetryPolicy::default() }
}
