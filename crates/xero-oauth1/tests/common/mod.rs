//! Shared test helpers: locating and reading the published vectors.

#![allow(dead_code)]

pub mod client;

use std::path::PathBuf;

use serde_json::Value;

/// `$XERO_SHARED_DIR/oauth1-vectors/published_vectors.json`, or the repository's sibling
/// `shared/` directory when the variable is unset.
pub fn vectors_path() -> PathBuf {
    let shared = match std::env::var_os("XERO_SHARED_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    };
    shared.join("oauth1-vectors").join("published_vectors.json")
}

pub fn load_vectors() -> Value {
    let path = vectors_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the published OAuth 1.0a vectors at {}: {e}. Set XERO_SHARED_DIR to the directory that holds oauth1-vectors/ (the project's shared/ directory).",
            path.display()
        )
    });
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

pub fn s(v: &Value) -> Option<&str> {
    v.as_str()
}

pub fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    (
                        p[0].as_str().expect("pair name").to_string(),
                        p[1].as_str().expect("pair value").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

pub fn owned(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

pub fn sorted(mut v: Vec<(String, String)>) -> Vec<(String, String)> {
    v.sort();
    v
}
