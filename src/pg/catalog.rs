//! Organisations are foreign servers of the `xero_fdw` wrapper: finding one, checking the
//! caller's USAGE, reading the caller's user mapping, and acting as the extension's owner.

use std::ffi::{CStr, CString};

use pgrx::pg_sys;
use pgrx::prelude::*;
use xero_core::options::OrgConfig;
use xero_core::{ErrorKind, Result, XeroError};

/// An organisation the caller may use: its foreign server and its options (with the caller's
/// user mapping merged in).
#[derive(Clone)]
pub struct Org {
    pub server_oid: pg_sys::Oid,
    pub config: OrgConfig,
}

fn def_elems(list: *mut pg_sys::List) -> Vec<(String, String)> {
    // SAFETY: a List of DefElem from the catalog, read within the current memory context.
    unsafe {
        pgrx::PgList::<pg_sys::DefElem>::from_pg(list)
            .iter_ptr()
            .map(|def| {
                let name = CStr::from_ptr((*def).defname).to_string_lossy().into_owned();
                let value = CStr::from_ptr(pg_sys::defGetString(def)).to_string_lossy().into_owned();
                (name, value)
            })
            .collect()
    }
}

/// The options of a foreign server.
///
/// # Safety
/// `server` must come from a catalog lookup in this transaction.
pub unsafe fn server_options(server: *mut pg_sys::ForeignServer) -> Vec<(String, String)> {
    def_elems((*server).options)
}

/// The organisation `name`, after checking it is a xero_fdw server the current user may use.
pub fn resolve_org(name: &str) -> Result<Org> {
    let cname = CString::new(name).map_err(|_| XeroError::invalid_argument("organisation name contains a NUL byte"))?;
    // SAFETY: catalog lookups with missing_ok; the returned structs live in the current context.
    unsafe {
        let server = pg_sys::GetForeignServerByName(cname.as_ptr(), true);
        if server.is_null() {
            return Err(XeroError::new(ErrorKind::UndefinedObject, format!("organisation \"{name}\" does not exist"))
                .with_hint(format!("Register it: CREATE SERVER {name} FOREIGN DATA WRAPPER xero_fdw OPTIONS (tenant_id '…');")));
        }
        let wrapper = pg_sys::GetForeignDataWrapperByName(c"xero_fdw".as_ptr(), true);
        if wrapper.is_null() || (*wrapper).fdwid != (*server).fdwid {
            return Err(XeroError::invalid_argument(format!("server \"{name}\" is not a xero_fdw server")));
        }
        let server_oid = (*server).serverid;
        let user = pg_sys::GetUserId();
        if pg_sys::pg_foreign_server_aclcheck(server_oid, user, pg_sys::ACL_USAGE as pg_sys::AclMode) != pg_sys::AclResult::ACLCHECK_OK {
            return Err(XeroError::new(ErrorKind::PermissionDenied, format!("permission denied for organisation \"{name}\""))
                .with_detail(format!("Role \"{}\" has no USAGE privilege on foreign server \"{name}\".", role_name(user)))
                .with_hint(format!("An administrator can GRANT USAGE ON FOREIGN SERVER {name} TO …;")));
        }
        let mapping = user_mapping_options(server_oid, user);
        let config = OrgConfig::resolve(name, &def_elems((*server).options), mapping.as_deref())?;
        for secret in [&config.client_secret, &config.consumer_secret].into_iter().flatten() {
            crate::pg::report::register_secret(secret);
        }
        Ok(Org { server_oid, config })
    }
}

/// The app kind of organisation `name` (OAuth 2.0, the default, when it cannot be read): for
/// naming the right steps in an error already on its way.
pub fn auth_of(name: &str) -> xero_core::options::AuthMode {
    let Ok(cname) = CString::new(name) else { return xero_core::options::AuthMode::OAuth2 };
    // SAFETY: a catalog lookup with missing_ok; the options are read in the current context.
    let options = unsafe {
        let server = pg_sys::GetForeignServerByName(cname.as_ptr(), true);
        if server.is_null() {
            return xero_core::options::AuthMode::OAuth2;
        }
        server_options(server)
    };
    options
        .iter()
        .find(|(k, _)| k == "auth")
        .and_then(|(_, v)| xero_core::options::parse_auth(v).ok())
        .unwrap_or(xero_core::options::AuthMode::OAuth2)
}

/// Which of an organisation's URLs an operation is about to use.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// The accounting API, `/connections` and the OAuth 1.0a endpoints (calls, via any proxy).
    Api,
    /// The OAuth 2.0 token endpoint (calls, via any proxy).
    Identity,
    /// The consent page a browser opens (no call from here).
    Login,
}

/// Checks, right before it is used, that the URL an operation needs is one the superuser's
/// allow-list permits — that URL only, and the proxy when a call goes through it. Options the
/// operation does not use (a default login_url when connecting with a refresh token) never
/// stand in its way. Runs in the calling backend, so its settings apply (a token worker's
/// would be the server's defaults).
pub fn check_reach(config: &OrgConfig, endpoint: Endpoint) -> Result<()> {
    let policy = crate::pg::guc::net_policy();
    if let (Some(proxy), true) = (&config.proxy, endpoint != Endpoint::Login) {
        policy.check("proxy", proxy)?;
    }
    match endpoint {
        Endpoint::Api => policy.check("api_url", &config.api_url),
        Endpoint::Identity => policy.check("identity_url", &config.identity_url),
        Endpoint::Login => policy.check("login_url", &config.login_url),
    }
}

/// The options of `user`'s mapping for the server, or of the PUBLIC mapping, if either exists.
pub fn user_mapping_options(server_oid: pg_sys::Oid, user: pg_sys::Oid) -> Option<Vec<(String, String)>> {
    // SAFETY: syscache existence checks, then GetUserMapping, which finds user or PUBLIC.
    unsafe {
        let exists = |u: pg_sys::Oid| {
            pg_sys::SearchSysCacheExists(
                pg_sys::SysCacheIdentifier::USERMAPPINGUSERSERVER as _,
                pg_sys::Datum::from(u),
                pg_sys::Datum::from(server_oid),
                pg_sys::Datum::from(0),
                pg_sys::Datum::from(0),
            )
        };
        if !exists(user) && !exists(pg_sys::InvalidOid) {
            return None;
        }
        let um = pg_sys::GetUserMapping(user, server_oid);
        Some(def_elems((*um).options))
    }
}

pub fn role_name(role: pg_sys::Oid) -> String {
    // SAFETY: GetUserNameFromId with noerr returns NULL for a dropped role.
    unsafe {
        let p = pg_sys::GetUserNameFromId(role, true);
        if p.is_null() {
            format!("oid {}", role.to_u32())
        } else {
            CStr::from_ptr(p).to_string_lossy().into_owned()
        }
    }
}

/// Owner of the xero_fdw extension, who owns the private token tables.
pub fn extension_owner() -> pg_sys::Oid {
    Spi::get_one::<pg_sys::Oid>("SELECT extowner FROM pg_catalog.pg_extension WHERE extname = 'xero_fdw'")
        .ok()
        .flatten()
        .unwrap_or(pg_sys::BOOTSTRAP_SUPERUSERID.into())
}

/// Runs `f` as the extension's owner, for the private tables. The caller must already have
/// checked the current user's right to the organisation. On ERROR, transaction abort restores
/// the user, as it does for SECURITY DEFINER functions.
pub fn as_extension_owner<R>(f: impl FnOnce() -> R) -> R {
    let owner = extension_owner();
    let mut saved_user = pg_sys::InvalidOid;
    let mut saved_context = 0;
    // SAFETY: the documented save/switch/restore pattern of SECURITY DEFINER execution.
    unsafe {
        pg_sys::GetUserIdAndSecContext(&mut saved_user, &mut saved_context);
        pg_sys::SetUserIdAndSecContext(owner, saved_context | pg_sys::SECURITY_LOCAL_USERID_CHANGE as i32);
    }
    let out = f();
    // SAFETY: restores the user and context saved above, on this (the backend's) thread.
    unsafe { pg_sys::SetUserIdAndSecContext(saved_user, saved_context) };
    out
}

/// Reads with a snapshot taken now, so a token committed by another session (or the token
/// worker) a moment ago is seen even inside a REPEATABLE READ transaction.
pub fn with_latest_snapshot<R>(f: impl FnOnce() -> R) -> R {
    // SAFETY: push/pop around read-only SPI; SPI with read_only uses the active snapshot.
    unsafe { pg_sys::PushActiveSnapshot(pg_sys::GetLatestSnapshot()) };
    let out = f();
    unsafe { pg_sys::PopActiveSnapshot() };
    out
}
