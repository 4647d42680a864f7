//! HTTP for a PostgreSQL backend: requests run on a small tokio runtime while the calling
//! thread keeps polling an interrupt check, so `statement_timeout`, `pg_cancel_backend` and
//! `pg_terminate_backend` stop a query within a tick even when the server is silent. Dropping
//! the request future closes the socket at once.

use std::future::Future;
use std::time::Duration;

use crate::error::{ErrorKind, Result, XeroError};
use crate::tls_failure::TlsFailure;
use crate::transport::TlsProbe;

/// The client type, re-exported so the extension names it without depending on reqwest.
pub use reqwest::Client as HttpClient;

/// How often a waiting backend looks at its interrupt flags.
const INTERRUPT_TICK: Duration = Duration::from_millis(20);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpSettings {
    pub connect_timeout: Duration,
    /// Longest silence while waiting for response bytes.
    pub read_timeout: Duration,
    /// Largest response body accepted (after decompression).
    pub max_response_bytes: usize,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(60),
            max_response_bytes: 256 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    /// A read changes nothing at Xero, so sending it twice is harmless.
    pub fn is_read(self) -> bool {
        self == Method::Get
    }
}

/// What a request carries after its headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    None,
    /// `application/x-www-form-urlencoded` (token endpoints).
    Form(Vec<(String, String)>),
    /// `application/json`, already serialized (writes to the accounting API).
    Json(Vec<u8>),
}

#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Body,
    /// Names the call in errors (never includes secrets): e.g. "GET Invoices page 3".
    pub label: String,
}

impl Request {
    pub fn get(url: impl Into<String>, label: impl Into<String>) -> Self {
        Request { method: Method::Get, url: url.into(), headers: Vec::new(), body: Body::None, label: label.into() }
    }

    pub fn post_form(url: impl Into<String>, form: Vec<(String, String)>, label: impl Into<String>) -> Self {
        Request { method: Method::Post, url: url.into(), headers: Vec::new(), body: Body::Form(form), label: label.into() }
    }

    /// A write to the accounting API (`POST`, `PUT`) with a JSON body.
    pub fn json(method: Method, url: impl Into<String>, json: Vec<u8>, label: impl Into<String>) -> Self {
        Request { method, url: url.into(), headers: Vec::new(), body: Body::Json(json), label: label.into() }
    }

    /// A request without a body of any method (e.g. `DELETE`).
    pub fn new(method: Method, url: impl Into<String>, label: impl Into<String>) -> Self {
        Request { method, url: url.into(), headers: Vec::new(), body: Body::None, label: label.into() }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    /// Marks a write as safe to send again: Xero acts on one key once, so a retry after a
    /// timeout or a 5xx cannot create a second record.
    pub fn idempotency_key(self, key: impl Into<String>) -> Self {
        self.header("idempotency-key", key)
    }

    /// The value of a header (names compared case-insensitively).
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Whether sending this request again can do no harm: a read, or a write Xero deduplicates
    /// by its `Idempotency-Key`. Nothing else is ever retried.
    pub fn may_retry(&self) -> bool {
        self.method.is_read() || self.header_value("idempotency-key").is_some_and(|k| !k.is_empty())
    }
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

pub struct Http {
    runtime: tokio::runtime::Runtime,
    client: reqwest::Client,
    settings: HttpSettings,
    /// Clients with an organisation's client certificate, roots or proxy, built once each.
    tls_clients: std::sync::Mutex<Vec<(crate::tls::TlsMaterial, reqwest::Client)>>,
}

impl Http {
    pub fn new(settings: HttpSettings) -> Result<Self> {
        // One worker thread: enough to fetch the next page while the backend turns the current
        // one into rows, and it never touches PostgreSQL.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("xero_fdw-http")
            .enable_all()
            .build()
            .map_err(|e| XeroError::new(ErrorKind::ResourceExhausted, "could not start the HTTP runtime").with_detail(e.to_string()))?;
        let client = client_builder(&settings)
            .no_proxy()
            .build()
            .map_err(|e| XeroError::internal("could not build the HTTP client").with_detail(e.to_string()))?;
        Ok(Http { runtime, client, settings, tls_clients: std::sync::Mutex::new(Vec::new()) })
    }

    /// The client for an organisation's TLS material (the plain one when it has none).
    pub fn client_for(&self, tls: &crate::tls::TlsMaterial) -> Result<reqwest::Client> {
        if tls.is_default() {
            return Ok(self.client.clone());
        }
        let mut cache = self.tls_clients.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, c)) = cache.iter().find(|(t, _)| t == tls) {
            return Ok(c.clone());
        }
        let client = crate::tls::apply(client_builder(&self.settings), tls)?
            .build()
            .map_err(|e| XeroError::new(ErrorKind::InvalidOption, "could not build the organisation's TLS client").with_detail(e.to_string()))?;
        cache.push((tls.clone(), client.clone()));
        Ok(client)
    }

    /// Like `execute`, with a given client.
    pub fn execute_with(&self, client: &reqwest::Client, request: Request, interrupted: &dyn Fn() -> bool) -> Result<Response> {
        let fut = send(client.clone(), request, self.settings.max_response_bytes);
        self.wait(fut, interrupted)?
    }

    pub fn settings(&self) -> &HttpSettings {
        &self.settings
    }

    /// Runs a request to completion, giving up as soon as `interrupted()` says so.
    pub fn execute(&self, request: Request, interrupted: &dyn Fn() -> bool) -> Result<Response> {
        let fut = send(self.client.clone(), request, self.settings.max_response_bytes);
        self.wait(fut, interrupted)?
    }

    /// Starts work in the background (on the runtime's worker), e.g. prefetching a page.
    pub fn spawn<F>(&self, fut: F) -> tokio::task::JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.runtime.spawn(fut)
    }

    pub fn client(&self) -> reqwest::Client {
        self.client.clone()
    }

    /// Blocks the calling thread on `fut`, polling `interrupted` every tick.
    pub fn wait<F: Future>(&self, fut: F, interrupted: &dyn Fn() -> bool) -> Result<F::Output> {
        self.runtime.block_on(async {
            tokio::pin!(fut);
            let mut tick = tokio::time::interval(INTERRUPT_TICK);
            loop {
                tokio::select! {
                    out = &mut fut => return Ok(out),
                    _ = tick.tick() => if interrupted() { return Err(XeroError::interrupted()) },
                }
            }
        })
    }
}

fn client_builder(settings: &HttpSettings) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .connect_timeout(settings.connect_timeout)
        .read_timeout(settings.read_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("xero_fdw/", env!("CARGO_PKG_VERSION")))
}

/// Sends one request and reads the whole body, bounded by `max_bytes`.
pub async fn send(client: reqwest::Client, request: Request, max_bytes: usize) -> Result<Response> {
    send_probing(client, request, max_bytes, TlsProbe::Off).await
}

/// Like `send`; with `probe`, an HTTPS connection that closed without an answer is asked why
/// by a bare handshake (`tls_probe`), so a TLS alert HTTP/2 swallowed still names its cause.
pub async fn send_probing(client: reqwest::Client, request: Request, max_bytes: usize, probe: TlsProbe) -> Result<Response> {
    match send_once(client, &request, max_bytes).await {
        Err(e) if probe != TlsProbe::Off && e.kind == ErrorKind::ConnectionLost && e.status.is_none() => {
            match crate::tls_probe::probe(&request.url, Duration::from_secs(2)).await {
                Some((mut failure, why)) => {
                    if failure == TlsFailure::ClientCertificateRequired && probe == TlsProbe::ClientCertificate {
                        // The probe showed none; the real connection showed one, and was closed.
                        failure = TlsFailure::ClientCertificateRefused("the connection was closed after it was presented".into());
                    }
                    let host = url::Url::parse(&request.url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
                    let detail = format!("{} (a second TLS handshake with {host}: {why})", e.detail.clone().unwrap_or_default());
                    Err(crate::tls_failure::error(&request.label, &host, &failure, detail))
                }
                None => Err(e),
            }
        }
        other => other,
    }
}

async fn send_once(client: reqwest::Client, request: &Request, max_bytes: usize) -> Result<Response> {
    let mut builder = match request.method {
        Method::Get => client.get(&request.url),
        Method::Post => client.post(&request.url),
        Method::Put => client.put(&request.url),
        Method::Delete => client.delete(&request.url),
    };
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    match &request.body {
        Body::None => {}
        Body::Form(form) => {
            builder = builder
                .header("content-type", "application/x-www-form-urlencoded")
                .body(url::form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish());
        }
        Body::Json(json) => builder = builder.header("content-type", "application/json").body(json.clone()),
    }
    let mut response = builder.send().await.map_err(|e| transport_error(&request.label, &e))?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_ascii_lowercase(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let mut body = Vec::with_capacity(response.content_length().unwrap_or(0).min(max_bytes as u64) as usize);
    while let Some(chunk) = response.chunk().await.map_err(|e| transport_error(&request.label, &e))? {
        if body.len() + chunk.len() > max_bytes {
            return Err(XeroError::new(ErrorKind::ProtocolViolation, format!("{}: response larger than {} bytes", request.label, max_bytes))
                .with_hint("Fetch fewer records per call (filters, max_pages) or raise xero_fdw.max_response_bytes."));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Response { status, headers, body })
}

fn transport_error(label: &str, e: &reqwest::Error) -> XeroError {
    // reqwest's Display names the URL, which holds no secret; its source chain says why.
    let mut why = String::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = source {
        why = s.to_string();
        source = s.source();
    }
    let detail = if why.is_empty() { e.to_string() } else { format!("{e}: {why}") };
    if let Some(failure) = crate::tls_failure::find(e) {
        let host = e.url().and_then(|u| u.host_str()).unwrap_or("the server");
        return crate::tls_failure::error(label, host, &failure, detail);
    }
    if e.is_timeout() {
        XeroError::new(ErrorKind::ConnectionLost, format!("{label}: Xero did not answer in time"))
            .with_detail(detail)
            .with_hint("Xero may be slow or unreachable; the limits are xero_fdw.connect_timeout and xero_fdw.read_timeout.")
    } else if e.is_connect() {
        XeroError::new(ErrorKind::ConnectFailed, format!("{label}: could not connect to Xero"))
            .with_detail(detail)
            .with_hint("Check the server's api_url/identity_url options and that this host can reach them.")
    } else {
        XeroError::new(ErrorKind::ConnectionLost, format!("{label}: the connection to Xero failed"))
            .with_detail(detail)
            .with_hint("The connection dropped or the response was cut short; running the query again usually works.")
    }
}
