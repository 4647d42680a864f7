//! Shared test helpers: locating and reading the published vectors.

#![allow(dead_code)]

pub mod client;

use std::path::PathBuf;

use serde_json::Value;

/// The repository's pinned copy of the published vectors (`spec/oauth1-vectors/`).
pub fn vectors_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../spec/oauth1-vectors/published_vectors.json")
}

pub fn load_vectors() -> Value {
    let path = vectors_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the published OAuth 1.0a vectors at {}: {e}. The repository keeps a pinned copy under spec/oauth1-vectors/.",
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
