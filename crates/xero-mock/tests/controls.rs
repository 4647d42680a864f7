//! Rate limits, injected faults, stats, the request log and the binary.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Mock;
use serde_json::json;

/// Sends a raw HTTP/1.1 request and reads until EOF or the timeout: (bytes, timed out).
fn raw(m: &Mock, path: &str, token: &str, tenant: &str, timeout: Duration) -> (Vec<u8>, bool) {
    let mut s = TcpStream::connect(("127.0.0.1", m.handle.port())).unwrap();
    s.set_read_timeout(Some(timeout)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nxero-tenant-id: {tenant}\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        match s.read(&mut chunk) {
            Ok(0) => return (buf, false),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return (buf, true)
            }
            Err(_) => return (buf, false),
        }
    }
}

#[test]
fn minute_and_day_limits_answer_429_with_retry_after() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    m.admin("POST", "limits", json!({"per_minute": 3, "per_day": 5}));
    for left in ["2", "1", "0"] {
        let r = m.api(&at, 0, "Organisation");
        assert_eq!(r.status, 200);
        assert_eq!(r.header("x-minlimit-remaining"), Some(left));
        assert!(
            r.header("x-daylimit-remaining").is_some()
                && r.header("x-appminlimit-remaining").is_some()
        );
    }
    let r = m.api(&at, 0, "Organisation");
    assert_eq!(
        (r.status, r.header("x-rate-limit-problem")),
        (429, Some("minute"))
    );
    let retry: i64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((58..=60).contains(&retry), "{retry}");
    // The other tenant has its own allowance.
    assert_eq!(m.api(&at, 1, "Organisation").status, 200);
    m.admin("POST", "clock", json!({"advance_seconds": 61}));
    assert_eq!(m.api(&at, 0, "Organisation").status, 200);
    assert_eq!(m.api(&at, 0, "Organisation").status, 200);
    let r = m.api(&at, 0, "Organisation");
    assert_eq!(
        (r.status, r.header("x-rate-limit-problem")),
        (429, Some("day"))
    );
    assert_eq!(r.header("x-daylimit-remaining"), Some("0"));
    let retry: i64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!(retry > 86_000, "{retry}");
    // reset clears the windows.
    m.admin("POST", "reset", json!({}));
    assert_eq!(m.api(&at, 0, "Organisation").status, 200);
}

#[test]
fn concurrent_calls_over_the_limit_get_429() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    m.admin("POST", "limits", json!({"concurrent": 2}));
    m.admin(
        "POST",
        "faults",
        json!({"label": "Organisation", "count": 2, "latency_ms": 600}),
    );
    let results = std::thread::scope(|s| {
        let slow: Vec<_> = (0..2)
            .map(|_| s.spawn(|| m.api(&at, 0, "Organisation").status))
            .collect();
        std::thread::sleep(Duration::from_millis(250));
        let third = m.api(&at, 0, "Organisation");
        assert_eq!(
            (
                third.header("x-rate-limit-problem"),
                third.header("retry-after")
            ),
            (Some("concurrent"), Some("1"))
        );
        let mut statuses: Vec<u16> = slow.into_iter().map(|h| h.join().unwrap()).collect();
        statuses.push(third.status);
        statuses
    });
    assert_eq!(results, [200, 200, 429]);
    assert_eq!(m.api(&at, 0, "Organisation").status, 200);
}

#[test]
fn status_faults_count_down_and_clear() {
    let m = Mock::small();
    let (at, rt) = m.tokens();
    m.admin(
        "POST",
        "faults",
        json!({"label": "Invoices", "count": 2, "status": 503}),
    );
    for _ in 0..2 {
        let r = m.api(&at, 0, "Invoices?page=1");
        assert_eq!(
            (r.status, r.body.as_str()),
            (503, "The Xero API is currently offline for maintenance")
        );
        assert!(r.header("x-minlimit-remaining").is_some());
    }
    assert_eq!(m.api(&at, 0, "Invoices?page=1").status, 200);
    // Other routes are unaffected by a labelled fault.
    m.admin(
        "POST",
        "faults",
        json!({"label": "Contacts", "count": 1, "status": 500}),
    );
    assert_eq!(m.api(&at, 0, "Accounts").status, 200);
    let r = m.api(&at, 0, "Contacts");
    assert_eq!(
        (r.status, r.json()["ErrorNumber"].as_i64()),
        (500, Some(500))
    );
    // Custom bodies; a null label hits every route, the token endpoint included.
    m.admin("POST", "faults", json!({"label": null, "count": null, "status": 502, "body": "<html>bad gateway</html>", "content_type": "text/html"}));
    let r = m.api(&at, 0, "Accounts");
    assert_eq!(
        (r.status, r.body.as_str(), r.header("content-type")),
        (502, "<html>bad gateway</html>", Some("text/html"))
    );
    let r = m.post_form(
        "/connect/token",
        &[],
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt),
            ("client_id", "demo-client"),
            ("client_secret", "demo-secret"),
        ],
    );
    assert_eq!(r.status, 502);
    m.admin("DELETE", "faults", json!(null));
    assert_eq!(m.api(&at, 0, "Accounts").status, 200);
    m.admin(
        "POST",
        "faults",
        json!({"label": "token:refresh_token", "count": 1, "status": 400}),
    );
    let r = m.post_form(
        "/connect/token",
        &[],
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt),
            ("client_id", "demo-client"),
            ("client_secret", "demo-secret"),
        ],
    );
    assert_eq!(
        (r.status, r.json()["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    // The injected failure did not consume the refresh token.
    let r = m.post_form(
        "/connect/token",
        &[],
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt),
            ("client_id", "demo-client"),
            ("client_secret", "demo-secret"),
        ],
    );
    assert_eq!(r.status, 200);
}

#[test]
fn latency_drop_truncate_and_silence() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    let tenant = m.tenant(0);
    let path = "/api.xro/2.0/Invoices?page=1";

    m.admin(
        "POST",
        "faults",
        json!({"label": "Invoices", "count": 1, "latency_ms": 300}),
    );
    let start = Instant::now();
    assert_eq!(m.api(&at, 0, "Invoices?page=1").status, 200);
    assert!(start.elapsed() >= Duration::from_millis(300));

    m.admin(
        "POST",
        "faults",
        json!({"label": "Invoices", "count": 1, "drop_connection": true}),
    );
    let (bytes, timed_out) = raw(&m, path, &at, &tenant, Duration::from_secs(5));
    assert!(bytes.is_empty() && !timed_out, "got {} bytes", bytes.len());

    m.admin(
        "POST",
        "faults",
        json!({"label": "Invoices", "count": 1, "truncate_body": true}),
    );
    let (bytes, timed_out) = raw(&m, path, &at, &tenant, Duration::from_secs(5));
    assert!(!timed_out);
    let text = String::from_utf8_lossy(&bytes);
    let (head, body) = text.split_once("\r\n\r\n").expect("headers were sent");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(|v| v.trim().parse().unwrap())
        })
        .expect("content-length");
    assert_eq!(
        body.len(),
        length / 2,
        "half of the promised {length} bytes"
    );

    m.admin(
        "POST",
        "faults",
        json!({"label": "Invoices", "count": 1, "silence": true}),
    );
    let (bytes, timed_out) = raw(&m, path, &at, &tenant, Duration::from_millis(400));
    assert!(bytes.is_empty() && timed_out);
    // The silenced request released its slot when the client left; the server still works.
    m.admin("POST", "limits", json!({"concurrent": 1}));
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(m.api(&at, 0, "Invoices?page=1").status, 200);

    let log = m.admin("GET", "requests", json!(null));
    let statuses: Vec<u64> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [200, 0, 200, 0, 200]);
    assert_eq!(m.stats()["Invoices"], 5);
}

#[test]
fn stats_and_request_log() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    m.api(
        &at,
        0,
        "Invoices?page=2&pageSize=10&where=Status%3D%3D%22PAID%22",
    );
    m.api(&at, 0, "Contacts");
    m.api(&at, 0, "Contacts");
    m.api("bad", 0, "Accounts");
    m.get("/nowhere", &[]);
    let stats = m.stats();
    assert_eq!(
        stats,
        json!({"Invoices": 1, "Contacts": 2, "Accounts": 1, "unknown": 1})
    );
    let log = m.admin("GET", "requests", json!(null));
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 5);
    let first = &log[0];
    assert_eq!(
        (first["label"].as_str(), first["method"].as_str()),
        (Some("Invoices"), Some("GET"))
    );
    assert_eq!(first["path"], "/api.xro/2.0/Invoices");
    assert_eq!(
        first["query"],
        json!([
            ["page", "2"],
            ["pageSize", "10"],
            ["where", "Status==\"PAID\""]
        ])
    );
    assert_eq!(first["headers"]["xero-tenant-id"], m.tenant(0));
    assert_eq!(first["headers"]["accept"], "application/json");
    assert_eq!(first["status"], 200);
    assert_eq!(log[3]["status"], 401);
    assert_eq!(log[4]["status"], 404);
    m.admin("POST", "reset", json!({}));
    assert_eq!(m.stats(), json!({}));
    assert_eq!(m.admin("GET", "requests", json!(null)), json!([]));
    // Data and tokens survive a reset.
    assert_eq!(m.api(&at, 0, "Contacts").status, 200);
    let clock = m.admin("GET", "clock", json!(null))["now_ms"]
        .as_i64()
        .unwrap();
    let later = m.admin("POST", "clock", json!({"advance_seconds": 3600}))["now_ms"]
        .as_i64()
        .unwrap();
    assert!(later - clock >= 3_600_000);
}

#[test]
fn binary_prints_its_url_and_exits_on_stdin_eof() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xero-mock"))
        .args([
            "--port",
            "0",
            "--invoices",
            "50",
            "--tenants",
            "1",
            "--exit-on-stdin-eof",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("XERO_MOCK_URL=")
        .unwrap_or_else(|| panic!("{line:?}"))
        .to_string();
    assert!(url.starts_with("http://127.0.0.1:"));
    let r = common::agent()
        .get(format!("{url}/__mock/clock"))
        .call()
        .unwrap();
    assert_eq!(r.status(), 200);
    drop(child.stdin.take());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success());
            break;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("xero-mock did not exit after stdin closed");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
