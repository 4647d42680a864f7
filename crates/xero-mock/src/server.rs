//! HTTP/1.1 plumbing: accepts connections, reads requests, routes them, records them,
//! and turns an [`Outcome`] into bytes on the wire (or deliberately into none).

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;
use http_body::Body;
use hyper::body::Incoming;
use hyper::server::conn::{http1, http2};
use hyper::service::service_fn;
use hyper::{Method, Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::accounting::{self, Resource};
use crate::admin;
use crate::body::MockBody;
use crate::faults::{self, Outcome};
use crate::log::Entry;
use crate::oauth1;
use crate::oauth2;
use crate::reply::Reply;
use crate::request::Req;
use crate::state::{lock, State};
use crate::writes;

/// A client that connects but never finishes a TLS handshake is dropped after this.
const HANDSHAKE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Serves connections until the runtime is dropped; with `tls`, HTTPS only.
pub async fn serve(listener: TcpListener, state: Arc<State>, tls: Option<TlsAcceptor>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        state.connections.accepted();
        let state = Arc::clone(&state);
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                None => serve_connection(stream, state).await,
                Some(acceptor) => {
                    // A missing or untrusted client certificate fails here, and the
                    // connection ends without an HTTP answer.
                    let accepted =
                        tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await;
                    if let Ok(Ok(stream)) = accepted {
                        // HTTP/2 when the client offered it (ALPN), as Xero's API does.
                        if stream.get_ref().1.alpn_protocol() == Some(b"h2") {
                            state.connections.spoke_http2();
                            serve_http2(stream, state).await;
                        } else {
                            serve_connection(stream, state).await;
                        }
                    }
                }
            }
        });
    }
}

async fn serve_connection<S>(io: S, state: Arc<State>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |req| handle(Arc::clone(&state), req));
    // Connection errors (client gone, faults that abort) end just this connection.
    let _ = http1::Builder::new()
        .serve_connection(TokioIo::new(io), service)
        .await;
}

async fn serve_http2<S>(io: S, state: Arc<State>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |req| handle(Arc::clone(&state), req));
    // A fault that drops the connection resets just its stream under HTTP/2.
    let _ = http2::Builder::new(TokioExecutor::new())
        .serve_connection(TokioIo::new(io), service)
        .await;
}

/// Returned instead of a response to make hyper close the connection unanswered.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault")
    }
}

impl std::error::Error for DropConnection {}

async fn handle(
    state: Arc<State>,
    request: Request<Incoming>,
) -> Result<Response<MockBody>, DropConnection> {
    let (mut parts, incoming) = request.into_parts();
    if !parts.headers.contains_key(hyper::header::HOST) {
        if let Some(authority) = parts.uri.authority().and_then(|a| a.as_str().parse().ok()) {
            parts.headers.insert(hyper::header::HOST, authority);
        }
    }
    let body = read_body(incoming).await.map_err(|_| DropConnection)?;
    let req = Req {
        method: parts.method,
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map_or_else(Vec::new, |q| {
            form_urlencoded::parse(q.as_bytes()).into_owned().collect()
        }),
        raw_query: parts.uri.query().unwrap_or_default().to_string(),
        headers: parts.headers,
        body,
    };
    if let Some(route) = req.path.strip_prefix("/__mock/") {
        return Ok(response(admin::handle(&state, &req, route), false));
    }
    let (label, outcome) = dispatch(&state, &req).await;
    let status = match &outcome {
        Outcome::Reply(r) | Outcome::Truncate(r) => r.status,
        Outcome::Drop | Outcome::Silence(_) => 0,
    };
    lock(&state.recorder).log(Entry {
        label,
        method: req.method.to_string(),
        path: req.path.clone(),
        query: req.query.clone(),
        headers: req
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        status,
    });
    match outcome {
        Outcome::Reply(r) => Ok(response(r, false)),
        Outcome::Truncate(r) => Ok(response(r, true)),
        Outcome::Drop => Err(DropConnection),
        Outcome::Silence(permit) => {
            // hyper drops this future when the client disconnects, releasing the permit.
            let _held = permit;
            std::future::pending::<Infallible>().await;
            unreachable!("pending never completes")
        }
    }
}

/// Counts the request under its label, then produces its outcome.
async fn dispatch(state: &Arc<State>, req: &Req) -> (String, Outcome) {
    let count = |label: &str| lock(&state.recorder).count(label);
    if let Some(rest) = req.path.strip_prefix("/api.xro/2.0/") {
        if req.method != Method::GET {
            if let Some(route) = writes::Route::parse(&req.method, rest) {
                let label = route.label();
                count(&label);
                let outcome = writes::handle(state, req, route).await;
                return (label, outcome);
            }
        }
    }
    if let Some(res) = req
        .path
        .strip_prefix("/api.xro/2.0/")
        .and_then(Resource::parse)
    {
        let label = res.label();
        count(label);
        let allowed = match req.path.strip_prefix("/api.xro/2.0/") {
            Some(rest) => writes::Route::methods(rest),
            None => vec![Method::GET],
        };
        let outcome = match method_check(req, &allowed) {
            Some(reply) => Outcome::Reply(reply),
            None => accounting::handle(state, req, res).await,
        };
        return (label.to_string(), outcome);
    }
    const GET: &[Method] = &[Method::GET];
    const POST: &[Method] = &[Method::POST];
    // Xero's OAuth 1.0a token endpoints took either (RFC 5849 leaves it to the server).
    const GET_POST: &[Method] = &[Method::GET, Method::POST];
    let route = Route::parse(&req.path);
    let (label, methods): (String, &[Method]) = match route {
        Route::Authorize => ("authorize".into(), GET),
        Route::Token => (oauth2::token_label(req), POST),
        Route::Connections => ("connections".into(), GET),
        Route::Oauth1RequestToken => ("oauth1:request_token".into(), GET_POST),
        Route::Oauth1Authorize => ("oauth1:authorize".into(), GET),
        Route::Oauth1AccessToken => (oauth1::access_token_label(req).into(), GET_POST),
        Route::Unknown => {
            count("unknown");
            return ("unknown".into(), Outcome::Reply(Reply::not_found()));
        }
    };
    count(&label);
    if let Some(reply) = method_check(req, methods) {
        return (label, Outcome::Reply(reply));
    }
    let outcome = faults::run(state, &label, None, || match route {
        Route::Authorize => oauth2::authorize(state, req),
        Route::Token => oauth2::token(state, req),
        Route::Connections => oauth2::connections(state, req),
        Route::Oauth1RequestToken => oauth1::request_token(state, req),
        Route::Oauth1Authorize => oauth1::authorize(state, req),
        Route::Oauth1AccessToken => oauth1::access_token(state, req),
        Route::Unknown => Reply::not_found(), // answered above
    })
    .await;
    (label, outcome)
}

/// The routes outside the Accounting API.
#[derive(Clone, Copy)]
enum Route {
    Authorize,
    Token,
    Connections,
    Oauth1RequestToken,
    Oauth1Authorize,
    Oauth1AccessToken,
    Unknown,
}

impl Route {
    fn parse(path: &str) -> Route {
        match path {
            "/identity/connect/authorize" => Route::Authorize,
            "/connect/token" => Route::Token,
            "/connections" => Route::Connections,
            // Matched case-insensitively, like the Accounting API's endpoint names.
            p if p.eq_ignore_ascii_case("/oauth/RequestToken") => Route::Oauth1RequestToken,
            p if p.eq_ignore_ascii_case("/oauth/Authorize") => Route::Oauth1Authorize,
            p if p.eq_ignore_ascii_case("/oauth/AccessToken") => Route::Oauth1AccessToken,
            _ => Route::Unknown,
        }
    }
}

fn method_check(req: &Req, allowed: &[Method]) -> Option<Reply> {
    (!allowed.contains(&req.method)).then(|| {
        let allow: Vec<&str> = allowed.iter().map(Method::as_str).collect();
        Reply::text(405, "Method not allowed").header("allow", allow.join(", "))
    })
}

async fn read_body(mut incoming: Incoming) -> Result<Bytes, hyper::Error> {
    let mut buf = Vec::new();
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut incoming).poll_frame(cx)).await
    {
        if let Ok(data) = frame?.into_data() {
            buf.extend_from_slice(&data);
        }
    }
    Ok(buf.into())
}

fn response(r: Reply, truncate: bool) -> Response<MockBody> {
    let len = r.body.len();
    let mut builder = Response::builder().status(r.status);
    for (k, v) in &r.headers {
        builder = builder.header(*k, v.as_str());
    }
    let body = if truncate {
        // Promise the whole body, deliver half.
        builder = builder.header("content-length", len.to_string());
        MockBody::truncated(r.body)
    } else {
        MockBody::full(r.body)
    };
    builder.body(body).unwrap_or_else(|_| {
        let mut fallback = Response::new(MockBody::full(Bytes::from_static(
            b"invalid response header",
        )));
        *fallback.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
        fallback
    })
}
