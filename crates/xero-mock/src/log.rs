//! Per-route request counters and the log of recent requests (`/__mock/stats`, `/__mock/requests`).

use std::collections::{BTreeMap, VecDeque};

const LOG_CAPACITY: usize = 2000;

pub struct Entry {
    pub label: String,
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    /// 0 when no response was sent (dropped connection, silence).
    pub status: u16,
}

#[derive(Default)]
pub struct Recorder {
    counts: BTreeMap<String, u64>,
    entries: VecDeque<Entry>,
}

impl Recorder {
    pub fn count(&mut self, label: &str) {
        *self.counts.entry(label.to_string()).or_default() += 1;
    }

    pub fn log(&mut self, entry: Entry) {
        if self.entries.len() == LOG_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    pub fn clear(&mut self) {
        self.counts.clear();
        self.entries.clear();
    }

    pub fn stats_json(&self) -> serde_json::Value {
        serde_json::json!({ "requests": self.counts })
    }

    pub fn requests_json(&self) -> serde_json::Value {
        self.entries
            .iter()
            .map(|e| {
                let mut headers = serde_json::Map::new();
                for (k, v) in &e.headers {
                    // Repeated headers are joined the way HTTP allows.
                    let joined = match headers.get(k).and_then(|x| x.as_str()) {
                        Some(prev) => format!("{prev}, {v}"),
                        None => v.clone(),
                    };
                    headers.insert(k.clone(), joined.into());
                }
                serde_json::json!({
                    "label": e.label,
                    "method": e.method,
                    "path": e.path,
                    "query": e.query.iter().map(|(k, v)| [k, v]).collect::<Vec<_>>(),
                    "headers": headers,
                    "status": e.status,
                })
            })
            .collect()
    }
}
