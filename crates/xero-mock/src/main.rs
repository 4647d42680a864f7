//! `xero-mock`: runs the mock Xero server until killed (or until stdin closes with
//! `--exit-on-stdin-eof`, so a parent process that dies takes the mock with it).

use std::io::{Read, Write};

const USAGE: &str =
    "usage: xero-mock [--port 0] [--seed 42] [--invoices N] [--contacts N] [--tenants N] \
[--per-minute N] [--per-day N] [--concurrent N] [--tls-cert FILE --tls-key FILE \
[--tls-client-ca FILE]] [--exit-on-stdin-eof]";

fn main() {
    let (config, port, exit_on_eof) = match parse_args(std::env::args().skip(1)) {
        Ok(parsed) => parsed,
        Err(msg) => {
            eprintln!("xero-mock: {msg}\n{USAGE}");
            std::process::exit(2);
        }
    };
    let handle = match xero_mock::spawn_on(config, port) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("xero-mock: cannot start: {e}");
            std::process::exit(1);
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "XERO_MOCK_URL={}", handle.base_url());
    let _ = out.flush();
    drop(out);
    if exit_on_eof {
        let mut sink = [0u8; 4096];
        let mut stdin = std::io::stdin().lock();
        while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
        drop(handle);
    } else {
        loop {
            std::thread::park();
        }
    }
}

fn parse_args(
    mut args: impl Iterator<Item = String>,
) -> Result<(xero_mock::Config, u16, bool), String> {
    let mut config = xero_mock::Config::default();
    let mut port = 0u16;
    let mut exit_on_eof = false;
    let (mut tls_cert, mut tls_key, mut tls_client_ca) = (None, None, None);
    while let Some(flag) = args.next() {
        if flag == "--exit-on-stdin-eof" {
            exit_on_eof = true;
            continue;
        }
        if flag == "--help" || flag == "-h" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let bad = |_| format!("{flag}: '{value}' is not a valid number");
        let read = || std::fs::read_to_string(&value).map_err(|e| format!("{flag} {value}: {e}"));
        match flag.as_str() {
            "--tls-cert" => tls_cert = Some(read()?),
            "--tls-key" => tls_key = Some(read()?),
            "--tls-client-ca" => tls_client_ca = Some(read()?),
            "--port" => port = value.parse().map_err(bad)?,
            "--seed" => config.seed = value.parse().map_err(bad)?,
            "--invoices" => config.invoices = value.parse().map_err(bad)?,
            "--contacts" => config.contacts = value.parse().map_err(bad)?,
            "--tenants" => config.tenants = value.parse().map_err(bad)?,
            "--per-minute" => config.per_minute_limit = value.parse().map_err(bad)?,
            "--per-day" => config.per_day_limit = value.parse().map_err(bad)?,
            "--concurrent" => config.concurrent_limit = value.parse().map_err(bad)?,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    config.tls = match (tls_cert, tls_key, tls_client_ca) {
        (Some(cert_pem), Some(key_pem), client_ca_pem) => Some(xero_mock::TlsConfig {
            cert_pem,
            key_pem,
            client_ca_pem,
        }),
        (None, None, None) => None,
        _ => return Err("--tls-cert and --tls-key go together".to_string()),
    };
    Ok((config, port, exit_on_eof))
}
