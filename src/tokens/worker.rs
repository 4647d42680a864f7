//! The token worker: a dynamic background worker that talks to Xero's token endpoint and stores
//! what it gets in its own transaction. A refresh token Xero has rotated is therefore committed
//! the moment it arrives, whatever later happens to the transaction of the query that needed it
//! (ROLLBACK, an error, a cancel). The request and the answer travel in a dynamic shared memory
//! segment as JSON.

use std::time::Duration;

use pgrx::bgworkers::{BackgroundWorker, BackgroundWorkerBuilder, SignalWakeFlags};
use pgrx::pg_sys;
use pgrx::prelude::*;
use serde::{Deserialize, Serialize};
use xero_core::http::{Http, HttpSettings};
use xero_core::oauth1_flow::{self, Signer};
use xero_core::oauth2::{parse_token_response, token_request, Grant, TokenResponse};
use xero_core::options::OrgConfig;
use xero_core::reauthorize;
use xero_core::{ErrorKind, Result, XeroError};

use crate::pg::catalog;
use crate::tokens::store as token_store;

const REQUEST_CAPACITY: usize = 32 * 1024;
const ANSWER_CAPACITY: usize = 32 * 1024;
const HEADER: usize = 8;

#[derive(Serialize, Deserialize)]
pub enum Job {
    /// Refresh unless the stored access token is fresh and is not `stale_access_token`.
    Refresh { stale_access_token: Option<String>, margin_seconds: i32 },
    /// Exchange an authorization code (PKCE) for a token set.
    Exchange { code: String, code_verifier: String, redirect_uri: String, state: Option<String> },
    /// Store a refresh token obtained elsewhere, and prove it by refreshing at once.
    Connect { refresh_token: String },
    /// OAuth 1.0a: exchange an authorized request token and its verifier for an access token.
    Oauth1Exchange { request_token: String, request_token_secret: String, verifier: String },
    /// OAuth 1.0a partner apps: renew the access token with the session handle unless it is
    /// fresh and is not `stale_token`.
    Oauth1Renew { stale_token: Option<String>, margin_seconds: i32 },
}

#[derive(Serialize, Deserialize)]
struct Request {
    database: u32,
    run_as: u32,
    server: u32,
    user: u32,
    token_set: String,
    connect_timeout_ms: u64,
    read_timeout_ms: u64,
    job: Job,
}

#[derive(Serialize, Deserialize)]
pub struct Answer {
    pub access_token: String,
    /// OAuth 1.0a token secret.
    pub token_secret: Option<String>,
    /// Whether this job called the token endpoint (false: another session had just refreshed).
    pub called_token_endpoint: bool,
}

/// Runs `job` for the organisation in a token worker and waits for its answer.
pub fn run(org: &catalog::Org, job: Job) -> Result<Answer> {
    // Checked here, in the backend: the worker does not see this session's settings.
    let endpoint = match job {
        Job::Oauth1Exchange { .. } | Job::Oauth1Renew { .. } => catalog::Endpoint::Api,
        _ => catalog::Endpoint::Identity,
    };
    catalog::check_reach(&org.config, endpoint)?;
    // SAFETY (both blocks): MyDatabaseId and GetUserId read backend globals, on the backend's thread.
    let request = Request {
        database: unsafe { pg_sys::MyDatabaseId }.to_u32(),
        run_as: catalog::extension_owner().to_u32(),
        server: org.server_oid.to_u32(),
        user: unsafe { pg_sys::GetUserId() }.to_u32(),
        token_set: org.config.token_set.clone(),
        connect_timeout_ms: crate::pg::guc::CONNECT_TIMEOUT_MS.get() as u64,
        read_timeout_ms: crate::pg::guc::READ_TIMEOUT_MS.get() as u64,
        job,
    };
    let payload = serde_json::to_vec(&request).map_err(|e| XeroError::internal("could not encode the token job").with_detail(e.to_string()))?;
    if payload.len() > REQUEST_CAPACITY {
        return Err(XeroError::invalid_argument("the authorization data is too long"));
    }
    // SAFETY: a fresh segment owned by the current resource owner (detached on error); the
    // worker writes only the answer area, and only before it exits, which we wait for.
    unsafe {
        let segment = pg_sys::dsm_create(HEADER + REQUEST_CAPACITY + ANSWER_CAPACITY, 0);
        let base = pg_sys::dsm_segment_address(segment) as *mut u8;
        std::ptr::write_bytes(base, 0, HEADER);
        (base as *mut u32).write_unaligned(payload.len() as u32);
        std::ptr::copy_nonoverlapping(payload.as_ptr(), base.add(HEADER), payload.len());
        let handle = pg_sys::dsm_segment_handle(segment);

        let worker = BackgroundWorkerBuilder::new(&format!("xero_fdw token worker for {}", org.config.token_set))
            .set_type("xero_fdw token worker")
            .set_library("xero_fdw")
            .set_function("xero_fdw_token_worker")
            .set_argument(Some(pg_sys::Datum::from(handle)))
            .enable_spi_access()
            .set_restart_time(None)
            .set_notify_pid(pg_sys::MyProcPid)
            .load_dynamic()
            .map_err(|_| {
                XeroError::new(ErrorKind::ResourceExhausted, "no background worker slot is free for xero_fdw's token worker")
                    .with_detail("Token refreshes run in a background worker so a rotated refresh token is stored even if the query's transaction rolls back.")
                    .with_hint("Raise max_worker_processes, or try again when fewer parallel queries run.")
            })?;
        // Waiting is interruptible; a cancelled query leaves the worker to finish and store its result.
        let _ = worker.wait_for_shutdown();

        let answer_len = (base.add(4) as *const u32).read_unaligned() as usize;
        let answer = std::slice::from_raw_parts(base.add(HEADER + REQUEST_CAPACITY), answer_len.min(ANSWER_CAPACITY)).to_vec();
        pg_sys::dsm_detach(segment);
        if answer_len == 0 {
            return Err(XeroError::internal("xero_fdw's token worker ended without an answer").with_hint("The server log says why."));
        }
        let outcome: std::result::Result<Answer, XeroError> = serde_json::from_slice(&answer)
            .map_err(|e| XeroError::internal("could not read the token worker's answer").with_detail(e.to_string()))?;
        outcome
    }
}

#[pg_guard]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn xero_fdw_token_worker(arg: pg_sys::Datum) {
    BackgroundWorker::attach_signal_handlers(SignalWakeFlags::SIGTERM);
    // SAFETY: the handle came from the backend that created the segment and waits for us.
    unsafe {
        let segment = pg_sys::dsm_attach(arg.value() as pg_sys::dsm_handle);
        if segment.is_null() {
            return; // the requesting backend is gone; nobody wants the answer
        }
        let base = pg_sys::dsm_segment_address(segment) as *mut u8;
        let len = (base as *const u32).read_unaligned() as usize;
        let bytes = std::slice::from_raw_parts(base.add(HEADER), len.min(REQUEST_CAPACITY));
        let Ok(request) = serde_json::from_slice::<Request>(bytes) else {
            pg_sys::dsm_detach(segment);
            return;
        };
        BackgroundWorker::connect_worker_to_spi_by_oid(Some(pg_sys::Oid::from(request.database)), Some(pg_sys::Oid::from(request.run_as)));
        let outcome = BackgroundWorker::transaction(|| perform(&request)).map_err(|e| {
            if e.kind == ErrorKind::Interrupted {
                XeroError::new(ErrorKind::ConnectionLost, "xero_fdw's token worker was stopped before Xero answered")
                    .with_hint("Run the query again: the stored refresh token is unchanged, and Xero still accepts it.")
            } else {
                e
            }
        });
        let answer = serde_json::to_vec(&outcome).unwrap_or_default();
        if answer.len() <= ANSWER_CAPACITY {
            std::ptr::copy_nonoverlapping(answer.as_ptr(), base.add(HEADER + REQUEST_CAPACITY), answer.len());
            (base.add(4) as *mut u32).write_unaligned(answer.len() as u32);
        }
        pg_sys::dsm_detach(segment);
    }
}

fn perform(request: &Request) -> std::result::Result<Answer, XeroError> {
    let config = org_config(request)?;
    let http = Http::new(HttpSettings {
        connect_timeout: Duration::from_millis(request.connect_timeout_ms),
        read_timeout: Duration::from_millis(request.read_timeout_ms),
        ..HttpSettings::default()
    })?;
    let keys = crate::tokens::keys::load(&config.server_name, config.proxy.as_deref())?;
    let client = http.client_for(&keys.tls)?;
    if config.auth.is_oauth1() {
        return perform_oauth1(request, &config, &http, &client, &keys);
    }
    let (client_id, client_secret) = config.client_credentials()?;
    let call = |grant: Grant| -> Result<TokenResponse> {
        let req = token_request(&config.identity_url, client_id, client_secret, &grant);
        let response = http.execute_with(&client, req, &BackgroundWorker::sigterm_received)?;
        parse_token_response(grant.name(), &response)
    };
    let name = request.token_set.as_str();
    match &request.job {
        Job::Refresh { stale_access_token, margin_seconds } => {
            let row = token_store::read_for_update(name, *margin_seconds)?.ok_or_else(|| token_store::not_authorized(&config))?;
            if row.needs_reauthorization {
                return Err(reauthorize::reauthorization_needed(&config.server_name, config.auth, row.last_error));
            }
            if let Some(current) = row.access_token.filter(|t| row.access_token_fresh && Some(t) != stale_access_token.as_ref()) {
                return Ok(Answer { access_token: current, token_secret: None, called_token_endpoint: false });
            }
            if row.client_id != client_id {
                return Err(XeroError::new(ErrorKind::NotAuthorized, format!("token set \"{name}\" was issued to another client_id"))
                    .with_hint("Use the user mapping's original client_id, or authorize again with the new one."));
            }
            let refresh_token = row.refresh_token.ok_or_else(|| token_store::not_authorized(&config))?;
            refresh_and_store(&config, &call, &refresh_token)
        }
        Job::Exchange { code, code_verifier, redirect_uri, state } => {
            let tokens = call(Grant::AuthorizationCode { code, redirect_uri, code_verifier })?;
            token_store::store_authorized(name, client_id, &tokens)?;
            if let Some(state) = state {
                let _ = Spi::run_with_args("DELETE FROM xero_fdw_private.pending_authorizations WHERE state = $1", &[state.as_str().into()]);
            }
            Ok(Answer { access_token: tokens.access_token, token_secret: None, called_token_endpoint: true })
        }
        Job::Connect { refresh_token } => {
            let tokens = call(Grant::RefreshToken { refresh_token })?;
            token_store::store_authorized(name, client_id, &tokens)?;
            Ok(Answer { access_token: tokens.access_token, token_secret: None, called_token_endpoint: true })
        }
        Job::Oauth1Exchange { .. } | Job::Oauth1Renew { .. } => Err(XeroError::invalid_argument(format!(
            "organisation \"{}\" uses auth '{}', not OAuth 1.0a",
            config.server_name,
            config.auth.name()
        ))),
    }
}

fn perform_oauth1(
    request: &Request,
    config: &OrgConfig,
    http: &Http,
    client: &xero_core::http::HttpClient,
    keys: &crate::tokens::keys::KeyMaterial,
) -> std::result::Result<Answer, XeroError> {
    let (consumer_key, consumer_secret) = config.consumer()?;
    let signer = Signer::for_app(config.auth, consumer_key, consumer_secret, keys.rsa_private_key.as_deref())?;
    let endpoint = config.oauth1_endpoint("AccessToken")?;
    let name = request.token_set.as_str();
    let call = |req: xero_core::http::Request, label: &str| -> Result<oauth1_flow::Token> {
        let response = http.execute_with(client, req, &BackgroundWorker::sigterm_received)?;
        oauth1_flow::parse_token(label, &response)
    };
    let token = match &request.job {
        Job::Oauth1Exchange { request_token, request_token_secret, verifier } => {
            let signer = signer.with_token(request_token, request_token_secret);
            call(oauth1_flow::access_token_request(&endpoint, &signer, verifier)?, "POST oauth/AccessToken")?
        }
        Job::Oauth1Renew { stale_token, margin_seconds } => {
            let row = token_store::read_for_update(name, *margin_seconds)?.ok_or_else(|| token_store::not_authorized(&config))?;
            if let Some(current) = row.access_token.clone().filter(|t| row.access_token_fresh && Some(t) != stale_token.as_ref()) {
                return Ok(Answer { access_token: current, token_secret: row.token_secret, called_token_endpoint: false });
            }
            if row.needs_reauthorization {
                return Err(reauthorize::reauthorization_needed(&config.server_name, config.auth, row.last_error));
            }
            let (Some(token), Some(handle)) = (row.access_token, row.session_handle) else {
                return Err(XeroError::new(ErrorKind::NotAuthorized, format!("organisation \"{}\" has no renewable OAuth 1.0a token", config.server_name))
                    .with_hint(reauthorize::authorize_steps(&config.server_name, config.auth)));
            };
            let signer = signer.with_token(&token, row.token_secret.as_deref().unwrap_or(""));
            match call(oauth1_flow::renew_request(&endpoint, &signer, &handle)?, "POST oauth/AccessToken (renewal)") {
                Ok(t) => t,
                // Xero refusing the session handle (rejected, revoked, or the authorization
                // expired) is final: marked, so later queries fail at once with the same advice.
                Err(e) if oauth1_flow::renewal_refused_for_good(&e) => {
                    let why = e.detail.clone().unwrap_or_else(|| e.message.clone());
                    token_store::mark_needs_reauthorization(name, &why)?;
                    return Err(reauthorize::reauthorization_needed(&config.server_name, config.auth, Some(why)));
                }
                Err(e) => return Err(e),
            }
        }
        _ => return Err(XeroError::invalid_argument(format!("organisation \"{}\" uses OAuth 1.0a", config.server_name))),
    };
    token_store::store_oauth1(name, consumer_key, &token)?;
    Ok(Answer { access_token: token.token, token_secret: Some(token.secret), called_token_endpoint: true })
}

fn refresh_and_store(config: &OrgConfig, call: &dyn Fn(Grant) -> Result<TokenResponse>, refresh_token: &str) -> std::result::Result<Answer, XeroError> {
    let name = config.token_set.as_str();
    match call(Grant::RefreshToken { refresh_token }) {
        Ok(tokens) => {
            token_store::store_refreshed(name, &tokens)?;
            Ok(Answer { access_token: tokens.access_token, token_secret: None, called_token_endpoint: true })
        }
        Err(e) if e.kind == ErrorKind::ReauthorizationNeeded => {
            // Committed with the worker's transaction, so every later query fails fast and says why.
            let why = e.detail.unwrap_or(e.message);
            token_store::mark_needs_reauthorization(name, &why)?;
            Err(reauthorize::reauthorization_needed(&config.server_name, config.auth, Some(why)))
        }
        Err(e) => Err(e),
    }
}

fn org_config(request: &Request) -> Result<OrgConfig> {
    let server_oid = pg_sys::Oid::from(request.server);
    // SAFETY: catalog lookup of a server the requesting backend just resolved.
    let (name, options) = unsafe {
        let server = pg_sys::GetForeignServerExtended(server_oid, pg_sys::FSV_MISSING_OK as _);
        if server.is_null() {
            return Err(XeroError::new(ErrorKind::UndefinedObject, "the organisation was dropped while its token was being refreshed"));
        }
        (std::ffi::CStr::from_ptr((*server).servername).to_string_lossy().into_owned(), catalog::server_options(server))
    };
    let mapping = catalog::user_mapping_options(server_oid, pg_sys::Oid::from(request.user));
    OrgConfig::resolve(&name, &options, mapping.as_deref())
}
