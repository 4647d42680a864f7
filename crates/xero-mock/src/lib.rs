//! A Xero-compatible API server for xero_fdw's demo, tests and benchmarks.
//!
//! It speaks Xero's OAuth 2.0 (authorize with auto-consent, token with rotation and
//! grace, client credentials), Identity (`/connections`) and the read side of the
//! Accounting API (Invoices, Contacts, Accounts, Organisation) in JSON and XML, over
//! deterministic demo data, with Xero's rate limits and test controls under `/__mock/`
//! (counters, request log, injected faults, a movable clock). See `README.md`.
//!
//! It also speaks Xero's retired OAuth 1.0a (public, private and partner apps; see
//! [`Oauth1Consumer`]) and, with [`Config::tls`], HTTPS with optional client certificates;
//! [`test_pki`] makes the certificates for that at test time.

mod accounting;
mod admin;
mod body;
mod catalog;
mod clock;
mod connections;
mod data;
mod data_invoices;
mod dates;
mod emit;
mod faults;
mod fields;
mod ids;
mod limits;
mod log;
mod model;
mod numbers;
mod oauth1;
mod oauth1_base;
mod oauth1_check;
mod oauth1_keys;
mod oauth1_params;
mod oauth1_store;
mod oauth2;
mod query;
mod render_json;
mod render_xml;
mod reply;
mod request;
mod server;
mod sink;
mod state;
pub mod test_pki;
mod tls;
mod tokens;
mod where_clause;
mod where_lexer;

use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;

/// What the mock serves and how strictly it limits.
#[derive(Clone, Debug)]
pub struct Config {
    /// Seeds all demo data: the same seed gives byte-identical records.
    pub seed: u64,
    /// Invoices per tenant.
    pub invoices: usize,
    /// Contacts per tenant (at least one is made when there are invoices).
    pub contacts: usize,
    /// Organisations; the first is "Demo Company (NZ)", the others Australian.
    pub tenants: usize,
    pub clients: Vec<Client>,
    pub per_minute_limit: u32,
    pub per_day_limit: u32,
    pub concurrent_limit: u32,
    /// OAuth 1.0a apps; the default has one public app, `public-consumer`/`public-secret`.
    pub oauth1_consumers: Vec<Oauth1Consumer>,
    /// Lifetime of OAuth 1.0a access (and request) tokens of public and partner apps.
    pub oauth1_token_lifetime_secs: i64,
    /// How far `oauth_timestamp` may be from the mock clock, either way.
    pub oauth1_timestamp_window_secs: i64,
    /// When set, the mock speaks HTTPS only (and [`MockHandle::base_url`] says `https://`).
    pub tls: Option<TlsConfig>,
}

/// The three kinds of OAuth 1.0a app Xero had.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Oauth1AppKind {
    /// HMAC-SHA1, three-legged, 30-minute tokens, no renewal.
    Public,
    /// RSA-SHA1, two-legged: `oauth_token` is the consumer key, and it never expires.
    Private,
    /// RSA-SHA1, three-legged, 30-minute tokens renewed with `oauth_session_handle`.
    Partner,
}

/// An OAuth 1.0a app registered with the mock.
#[derive(Clone, Debug)]
pub struct Oauth1Consumer {
    pub key: String,
    pub kind: Oauth1AppKind,
    /// The HMAC-SHA1 consumer secret (public apps; PLAINTEXT over HTTPS uses it too).
    pub secret: String,
    /// Private and partner apps: the app's RSA public key as PEM (`PUBLIC KEY`,
    /// `RSA PUBLIC KEY`) or the X.509 certificate Xero had the developer upload.
    pub rsa_public_key_pem: Option<String>,
}

/// HTTPS for the mock, as PEM text.
#[derive(Clone, Debug)]
pub struct TlsConfig {
    /// The server certificate (then any intermediates); needs SANs for 127.0.0.1/localhost.
    pub cert_pem: String,
    pub key_pem: String,
    /// When set, a client certificate chaining to one of these is required (Xero's partner
    /// endpoint); a missing or untrusted one fails the handshake.
    pub client_ca_pem: Option<String>,
}

/// An OAuth 2.0 app registered with the mock.
#[derive(Clone, Debug)]
pub struct Client {
    pub id: String,
    pub secret: String,
    /// May use `grant_type=client_credentials` (a Xero custom connection).
    pub custom_connection: bool,
}

impl Default for Config {
    fn default() -> Config {
        let client = |id: &str, secret: &str, custom_connection| Client {
            id: id.to_string(),
            secret: secret.to_string(),
            custom_connection,
        };
        Config {
            seed: 42,
            invoices: 500,
            contacts: 60,
            tenants: 2,
            clients: vec![
                client("demo-client", "demo-secret", false),
                client("custom-client", "custom-secret", true),
            ],
            // Generous defaults so benchmarks never trip them; tests set Xero's 60/5000.
            per_minute_limit: 100_000,
            per_day_limit: 10_000_000,
            concurrent_limit: 5,
            oauth1_consumers: vec![Oauth1Consumer {
                key: "public-consumer".to_string(),
                kind: Oauth1AppKind::Public,
                secret: "public-secret".to_string(),
                rsa_public_key_pem: None,
            }],
            oauth1_token_lifetime_secs: 1800,
            oauth1_timestamp_window_secs: 300,
            tls: None,
        }
    }
}

/// A running mock; dropping it stops the server and its thread.
pub struct MockHandle {
    addr: SocketAddr,
    https: bool,
    tenant_ids: Vec<String>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl MockHandle {
    /// `http://127.0.0.1:PORT`, or `https://…` when the mock was given a [`TlsConfig`].
    pub fn base_url(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The `xero-tenant-id` values, in tenant order.
    pub fn tenant_ids(&self) -> Vec<String> {
        self.tenant_ids.clone()
    }
}

impl Drop for MockHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Starts the mock on an ephemeral port of 127.0.0.1; returns once it is listening.
pub fn spawn(config: Config) -> std::io::Result<MockHandle> {
    spawn_on(config, 0)
}

/// Like [`spawn`], on a chosen port (0 picks a free one).
pub fn spawn_on(config: Config, port: u16) -> std::io::Result<MockHandle> {
    // Bad keys and certificates fail here, not on the first request.
    let invalid = |e: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, e);
    let oauth1_keys = oauth1_keys::parse_consumers(&config.oauth1_consumers).map_err(invalid)?;
    let tls = config
        .tls
        .as_ref()
        .map(tls::acceptor)
        .transpose()
        .map_err(invalid)?;
    let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let https = tls.is_some();
    let state = Arc::new(state::State::new(
        &config,
        oauth1_keys,
        https,
        addr.to_string(),
    ));
    let tenant_ids = state
        .tenants
        .iter()
        .map(|t| t.tenant_id.to_string())
        .collect();
    let (shutdown_tx, shutdown_rx) = tokio::sync::oneshot::channel::<()>();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<std::io::Result<()>>();
    let thread = std::thread::Builder::new()
        .name("xero-mock".to_string())
        .spawn(move || {
            // One thread is the budget: the benchmark gives the mock one of two cores.
            let rt = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    return;
                }
            };
            let listener = {
                let _guard = rt.enter();
                tokio::net::TcpListener::from_std(listener)
            };
            match listener {
                Ok(listener) => {
                    let _ = ready_tx.send(Ok(()));
                    rt.spawn(server::serve(listener, state, tls));
                    let _ = rt.block_on(shutdown_rx);
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                }
            }
            // Dropping the runtime cancels every connection, silenced ones included.
        })?;
    ready_rx
        .recv()
        .map_err(|_| std::io::Error::other("mock thread exited during start-up"))??;
    Ok(MockHandle {
        addr,
        https,
        tenant_ids,
        shutdown: Some(shutdown_tx),
        thread: Some(thread),
    })
}
