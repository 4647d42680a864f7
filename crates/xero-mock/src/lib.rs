//! A Xero-compatible API server for xero_fdw's demo, tests and benchmarks.
//!
//! It speaks Xero's OAuth 2.0 (authorize with auto-consent, token with rotation and
//! grace, client credentials), Identity (`/connections`) and the read side of the
//! Accounting API (Invoices, Contacts, Accounts, Organisation) in JSON and XML, over
//! deterministic demo data, with Xero's rate limits and test controls under `/__mock/`
//! (counters, request log, injected faults, a movable clock). See `README.md`.

mod accounting;
mod admin;
mod body;
mod catalog;
mod clock;
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
mod oauth2;
mod query;
mod render_json;
mod render_xml;
mod reply;
mod request;
mod server;
mod sink;
mod state;
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
        }
    }
}

/// A running mock; dropping it stops the server and its thread.
pub struct MockHandle {
    addr: SocketAddr,
    tenant_ids: Vec<String>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl MockHandle {
    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
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
    let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let state = Arc::new(state::State::new(&config));
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
                    rt.spawn(server::serve(listener, state));
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
        tenant_ids,
        shutdown: Some(shutdown_tx),
        thread: Some(thread),
    })
}
