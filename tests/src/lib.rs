//! Support for the in-database tests: a database per test in the cluster that
//! `scripts/test.sh` starts (XERO_TEST_PGHOST / XERO_TEST_PGPORT), the bundled Xero server per
//! test, and small helpers to read what that server saw.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Barrier, Mutex};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

pub use postgres::error::SqlState;
use postgres::{Client, NoTls};
use serde_json::Value;
pub use xero_mock::{Config, MockHandle};

pub mod oauth1_apps;
pub mod oauth1_vectors;

pub const CLIENT_ID: &str = "demo-client";
pub const CLIENT_SECRET: &str = "demo-secret";
pub const CUSTOM_CLIENT_ID: &str = "custom-client";
pub const CUSTOM_CLIENT_SECRET: &str = "custom-secret";

fn conn_string(db: &str, user: &str) -> String {
    let host = std::env::var("XERO_TEST_PGHOST").expect("run the in-database tests through scripts/test.sh (XERO_TEST_PGHOST unset)");
    let port = std::env::var("XERO_TEST_PGPORT").expect("XERO_TEST_PGPORT unset");
    format!("host={host} port={port} user={user} dbname={db} connect_timeout=10")
}

/// A session whose NOTICE messages are collected.
pub fn connect_with_notices(db: &str, user: &str, notices: std::sync::Arc<Mutex<Vec<String>>>) -> Client {
    let mut config: postgres::Config = conn_string(db, user).parse().unwrap();
    config.notice_callback(move |n| notices.lock().unwrap().push(n.message().to_string()));
    config.connect(NoTls).unwrap()
}

pub fn connect_as(db: &str, user: &str) -> Client {
    Client::connect(&conn_string(db, user), NoTls).unwrap_or_else(|e| panic!("connect to {db} as {user}: {e}"))
}

/// A database of its own for one test, with the extension created.
pub struct TestDb {
    pub name: String,
}

impl TestDb {
    pub fn new(test: &str) -> TestDb {
        Self::at_version(test, None)
    }

    /// A database with the extension created at `version` (a previous release's, for the upgrade
    /// tests), or at the default version.
    pub fn at_version(test: &str, version: Option<&str>) -> TestDb {
        static N: AtomicU32 = AtomicU32::new(0);
        let name = format!("t_{}_{}_{}", test, std::process::id(), N.fetch_add(1, Ordering::Relaxed));
        let mut admin = connect_as("postgres", "postgres");
        admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        let db = TestDb { name };
        let create = match version {
            Some(v) => format!("CREATE EXTENSION xero_fdw VERSION '{v}'"),
            None => "CREATE EXTENSION xero_fdw".to_string(),
        };
        db.superuser().batch_execute(&create).unwrap_or_else(|e| panic!("{create}: {e}"));
        db
    }

    pub fn superuser(&self) -> Client {
        connect_as(&self.name, "postgres")
    }

    pub fn connect(&self, user: &str) -> Client {
        connect_as(&self.name, user)
    }

    /// A login role (cluster-wide, so named after the database).
    pub fn role(&self, suffix: &str) -> String {
        let role = format!("{}_{suffix}", self.name);
        self.superuser().batch_execute(&format!("DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN")).unwrap();
        role
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return; // keep it for a post-mortem
        }
        if let Ok(mut admin) = Client::connect(&conn_string("postgres", "postgres"), NoTls) {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

/// `sessions` sessions, each connected as the superuser first, run `sql` (one `bigint`, e.g.
/// `count(*)`) at the same moment; their results in session order. A session that panics fails
/// the test.
pub fn concurrently(db: &Arc<TestDb>, sessions: usize, sql: &str) -> Vec<Result<i64, postgres::Error>> {
    concurrently_with_notices(db, sessions, sql).0
}

/// Like `concurrently`, also returning every notice (NOTICE, WARNING …) any session's client
/// received, as `"SEVERITY: message"`.
pub fn concurrently_with_notices(db: &Arc<TestDb>, sessions: usize, sql: &str) -> (Vec<Result<i64, postgres::Error>>, Vec<String>) {
    let barrier = Arc::new(Barrier::new(sessions));
    let notices = Arc::new(Mutex::new(Vec::new()));
    let threads: Vec<_> = (0..sessions)
        .map(|_| {
            let (db, barrier, sql, notices) = (db.clone(), barrier.clone(), sql.to_string(), notices.clone());
            std::thread::spawn(move || {
                let mut config: postgres::Config = conn_string(&db.name, "postgres").parse().unwrap();
                config.notice_callback(move |n| notices.lock().unwrap().push(format!("{}: {}", n.severity(), n.message())));
                let mut s = config.connect(NoTls).unwrap();
                barrier.wait();
                s.query_one(&sql, &[]).map(|r| r.get::<_, i64>(0))
            })
        })
        .collect();
    let results = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let notices = notices.lock().unwrap().clone();
    (results, notices)
}

/// Runs `test` against a throwaway cluster of its own (scripts/cluster.sh with `extra_conf`
/// appended to its postgresql.conf), given a connection string for a database name; the cluster
/// is stopped and removed afterwards, whether the test passed or not.
pub fn with_own_cluster(name: &str, extra_conf: &str, test: impl FnOnce(&dyn Fn(&str) -> String) + std::panic::UnwindSafe) {
    let dir = std::env::temp_dir().join(format!("xero-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    assert!(std::process::Command::new("chown").arg("postgres:postgres").arg(&dir).status().unwrap().success());
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let script = format!("{}/../scripts/cluster.sh", env!("CARGO_MANIFEST_DIR"));
    let started = std::process::Command::new("bash")
        .arg(&script)
        .args(["start", dir.to_str().unwrap(), &port.to_string()])
        .env("XERO_CLUSTER_EXTRA_CONF", extra_conf)
        .status()
        .unwrap();
    assert!(started.success(), "scripts/cluster.sh start failed");
    let result = std::panic::catch_unwind(move || {
        let url = move |db: &str| format!("host=127.0.0.1 port={port} user=postgres dbname={db} connect_timeout=10");
        test(&url)
    });
    let _ = std::process::Command::new("bash").arg(&script).args(["stop", dir.to_str().unwrap()]).status();
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(p) = result {
        std::panic::resume_unwind(p);
    }
}

pub fn mock(config: Config) -> MockHandle {
    xero_mock::spawn(config).expect("the bundled Xero server starts")
}

pub fn small_mock() -> MockHandle {
    mock(Config { invoices: 120, contacts: 20, ..Config::default() })
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new().timeout(Duration::from_secs(10)).redirects(0).build()
}

/// Client certificates for the admin routes of servers that require one, by port.
static CLIENT_CERTS: Mutex<Vec<(u16, PathBuf)>> = Mutex::new(Vec::new());

/// Lets the admin helpers reach a server that requires `pki`'s client certificate.
pub fn use_client_certificate(m: &MockHandle, pki: &xero_mock::test_pki::TestPki) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xero-dbtests-pki-{}-{}", std::process::id(), m.port()));
    std::fs::create_dir_all(&dir).unwrap();
    pki.write_files(&dir, "pw").unwrap();
    CLIENT_CERTS.lock().unwrap().push((m.port(), dir.clone()));
    dir
}

/// Admin calls to an HTTPS server go through curl with the registered client certificate.
fn admin_curl(m: &MockHandle, method: &str, path: &str, body: Option<&Value>) -> Value {
    let dir = CLIENT_CERTS.lock().unwrap().iter().find(|(p, _)| *p == m.port()).map(|(_, d)| d.clone()).expect("use_client_certificate first");
    let mut cmd = std::process::Command::new("curl");
    // HTTP/1.1, so the server's HTTP/2 connection count is the extension's alone.
    cmd.args(["-sf", "--http1.1", "--max-time", "10", "--cacert"]).arg(dir.join("ca.pem")).arg("--cert").arg(dir.join("client.pem")).arg("--key").arg(dir.join("client.key"));
    cmd.args(["-X", method, "-H", "content-type: application/json"]);
    if let Some(b) = body {
        cmd.args(["-d", &b.to_string()]);
    }
    let out = cmd.arg(format!("{}/__mock/{path}", m.base_url())).output().expect("curl");
    assert!(out.status.success(), "admin {method} {path} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

pub fn admin_get(m: &MockHandle, path: &str) -> Value {
    if m.base_url().starts_with("https") {
        return admin_curl(m, "GET", path, None);
    }
    agent().get(&format!("{}/__mock/{path}", m.base_url())).call().expect("admin GET").into_json().unwrap()
}

pub fn admin_post(m: &MockHandle, path: &str, body: Value) -> Value {
    if m.base_url().starts_with("https") {
        return admin_curl(m, "POST", path, Some(&body));
    }
    match agent().post(&format!("{}/__mock/{path}", m.base_url())).send_json(body) {
        Ok(r) => r.into_json().unwrap_or(Value::Null),
        Err(e) => panic!("admin POST {path}: {e}"),
    }
}

/// Requests served per route label.
pub fn stats(m: &MockHandle) -> HashMap<String, u64> {
    let v = admin_get(m, "stats");
    v["requests"].as_object().map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0))).collect()).unwrap_or_default()
}

pub fn count(m: &MockHandle, label: &str) -> u64 {
    stats(m).get(label).copied().unwrap_or(0)
}

/// The requests the server saw with this label, oldest first.
pub fn requests(m: &MockHandle, label: &str) -> Vec<Value> {
    admin_get(m, "requests").as_array().cloned().unwrap_or_default().into_iter().filter(|r| r["label"] == label).collect()
}

pub fn query_param(request: &Value, name: &str) -> Option<String> {
    request["query"].as_array()?.iter().find(|p| p[0] == name).and_then(|p| p[1].as_str().map(str::to_string))
}

pub fn reset(m: &MockHandle) {
    admin_post(m, "reset", Value::Null);
}

/// A refresh token as if a user had consented in a browser.
pub fn issue_refresh_token(m: &MockHandle) -> String {
    let v = admin_post(m, "tokens/issue", serde_json::json!({"client_id": CLIENT_ID}));
    v["refresh_token"].as_str().expect("refresh_token").to_string()
}

/// Registers `server` as an OAuth 2.0 organisation against the mock and connects it with a fresh
/// refresh token; the user mapping is FOR PUBLIC.
pub fn register_org(db: &mut Client, m: &MockHandle, server: &str) {
    let base = m.base_url();
    let tenant = &m.tenant_ids()[0];
    db.batch_execute(&format!(
        "CREATE SERVER {server} FOREIGN DATA WRAPPER xero_fdw OPTIONS (api_url '{base}/api.xro/2.0', identity_url '{base}', \
         login_url '{base}', tenant_id '{tenant}');
         CREATE USER MAPPING FOR PUBLIC SERVER {server} OPTIONS (client_id '{CLIENT_ID}', client_secret '{CLIENT_SECRET}');"
    ))
    .unwrap();
    let rt = issue_refresh_token(m);
    db.query(&format!("SELECT * FROM xero_connect('{server}', $1)"), &[&rt]).unwrap();
}

/// Marks the stored access token as expiring now, as if 30 minutes had passed.
pub fn expire_access_token(db: &mut Client, token_set: &str) {
    db.execute("UPDATE xero_fdw_private.token_sets SET access_token_expires_at = clock_timestamp() WHERE name = $1", &[&token_set]).unwrap();
}

/// The SQLSTATE, message, detail and hint of a failed statement.
pub struct SqlError {
    pub code: SqlState,
    pub message: String,
    pub detail: Option<String>,
    pub hint: Option<String>,
}

impl SqlError {
    pub fn all_text(&self) -> String {
        format!("{} | {} | {}", self.message, self.detail.clone().unwrap_or_default(), self.hint.clone().unwrap_or_default())
    }
}

pub fn expect_error<T>(r: Result<T, postgres::Error>) -> SqlError {
    let Err(e) = r else { panic!("the statement should fail, but it succeeded") };
    let db = e.as_db_error().unwrap_or_else(|| panic!("not a database error: {e}"));
    SqlError {
        code: db.code().clone(),
        message: db.message().to_string(),
        detail: db.detail().map(str::to_string),
        hint: db.hint().map(str::to_string),
    }
}

/// A minimal HTTP CONNECT proxy on 127.0.0.1 that tunnels to loopback targets only, counting the
/// tunnels it opened. Its thread ends with the test process.
pub fn spawn_connect_proxy() -> (u16, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{BufRead, BufReader, Write};
    use std::net::{TcpListener, TcpStream};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let tunnels = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = tunnels.clone();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let counter = counter.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(client.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                let target = line.split_whitespace().nth(1).unwrap_or("").to_string();
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                        break;
                    }
                }
                let mut client = client;
                if !line.starts_with("CONNECT ") || !target.starts_with("127.0.0.1:") {
                    let _ = client.write_all(b"HTTP/1.1 403 Forbidden\r\n\r\n");
                    return;
                }
                let Ok(upstream) = TcpStream::connect(&target) else {
                    let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n");
                    return;
                };
                counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
                let (mut c_read, mut u_write) = (client.try_clone().unwrap(), upstream.try_clone().unwrap());
                let (mut u_read, mut c_write) = (upstream, client);
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut c_read, &mut u_write);
                    let _ = u_write.shutdown(std::net::Shutdown::Write);
                });
                let _ = std::io::copy(&mut u_read, &mut c_write);
                let _ = c_write.shutdown(std::net::Shutdown::Write);
            });
        }
    });
    (port, tunnels)
}
