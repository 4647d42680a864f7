//! Settings (GUCs). Timeouts are per session so a long ETL job can allow more than an
//! interactive query.

use std::ffi::CString;
use std::time::Duration;

use pgrx::guc::{GucContext, GucFlags, GucRegistry, GucSetting};
use xero_core::http::HttpSettings;
use xero_core::transport::RetryPolicy;
use xero_core::net_policy::NetPolicy;

pub static CONNECT_TIMEOUT_MS: GucSetting<i32> = GucSetting::<i32>::new(10_000);
pub static READ_TIMEOUT_MS: GucSetting<i32> = GucSetting::<i32>::new(60_000);
pub static MAX_RATE_LIMIT_WAIT_S: GucSetting<i32> = GucSetting::<i32>::new(60);
pub static REFRESH_MARGIN_S: GucSetting<i32> = GucSetting::<i32>::new(120);
pub static MAX_RETRIES: GucSetting<i32> = GucSetting::<i32>::new(3);
pub static MAX_RESPONSE_MB: GucSetting<i32> = GucSetting::<i32>::new(256);
pub static MAX_CONCURRENT_CALLS: GucSetting<i32> = GucSetting::<i32>::new(5);
pub static PROGRESS_NOTICES: GucSetting<bool> = GucSetting::<bool>::new(false);
pub static ALLOWED_HOSTS: GucSetting<Option<CString>> = GucSetting::<Option<CString>>::new(Some(c"api.xero.com,identity.xero.com,login.xero.com,api-partner.network.xero.com"));
pub static ALLOW_HTTP_LOOPBACK: GucSetting<bool> = GucSetting::<bool>::new(false);

pub fn register() {
    GucRegistry::define_string_guc(
        c"xero_fdw.allowed_hosts",
        c"Hosts xero_fdw may call: comma-separated host, host:port or *.domain patterns.",
        c"Organisations' api_url, identity_url, login_url and proxy must name one of them. Superuser only.",
        &ALLOWED_HOSTS,
        GucContext::Suset,
        GucFlags::default(),
    );
    GucRegistry::define_bool_guc(
        c"xero_fdw.allow_http_loopback",
        c"Allow plain http:// to loopback addresses (a local test server such as the bundled one).",
        c"Without it only https:// is used. Superuser only.",
        &ALLOW_HTTP_LOOPBACK,
        GucContext::Suset,
        GucFlags::default(),
    );
    GucRegistry::define_int_guc(
        c"xero_fdw.max_retries",
        c"How often a read is retried after a connection failure, timeout or 502/503/504.",
        c"Retries back off exponentially with jitter.",
        &MAX_RETRIES,
        0,
        10,
        GucContext::Userset,
        GucFlags::default(),
    );
    GucRegistry::define_int_guc(
        c"xero_fdw.max_response_size",
        c"Largest response body accepted from Xero, after decompression.",
        c"A larger one fails with SQLSTATE 08P01.",
        &MAX_RESPONSE_MB,
        1,
        2048,
        GucContext::Userset,
        GucFlags::UNIT_MB,
    );
    GucRegistry::define_int_guc(
        c"xero_fdw.max_concurrent_calls",
        c"Most calls in flight to one Xero tenant across all sessions of the cluster.",
        c"Xero allows 5 concurrent calls per tenant. Superuser only.",
        &MAX_CONCURRENT_CALLS,
        1,
        64,
        GucContext::Suset,
        GucFlags::default(),
    );
    GucRegistry::define_bool_guc(
        c"xero_fdw.progress_notices",
        c"Report each call to Xero as a NOTICE (page, status, bytes, time).",
        c"For watching long reads.",
        &PROGRESS_NOTICES,
        GucContext::Userset,
        GucFlags::default(),
    );
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
        max_response_bytes: MAX_RESPONSE_MB.get() as usize * 1024 * 1024,
    }
}

pub fn retry_policy() -> RetryPolicy {
    RetryPolicy {
        max_rate_limit_wait: Duration::from_secs(MAX_RATE_LIMIT_WAIT_S.get() as u64),
        max_retries: MAX_RETRIES.get() as u32,
        ..RetryPolicy::default()
    }
}

pub fn net_policy() -> NetPolicy {
    let hosts = ALLOWED_HOSTS.get().map(|c| c.to_string_lossy().into_owned()).unwrap_or_default();
    NetPolicy::new(&hosts, ALLOW_HTTP_LOOPBACK.get())
}
