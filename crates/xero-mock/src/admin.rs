//! Test controls under `/__mock/` (JSON in, JSON out). These are not counted or logged.

use serde_json::{json, Value};

use crate::faults::Fault;
use crate::reply::Reply;
use crate::request::Req;
use crate::state::{lock, State};
use crate::tokens::ACCESS_TOKEN_SECS;

const DEFAULT_SCOPE: &str =
    "openid profile email accounting.transactions accounting.contacts accounting.settings offline_access";

pub fn handle(state: &State, req: &Req, route: &str) -> Reply {
    let body: Value = if req.body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        match serde_json::from_slice(&req.body) {
            Ok(v) => v,
            Err(e) => return bad_request(&format!("invalid JSON body: {e}")),
        }
    };
    match (req.method.as_str(), route) {
        ("GET", "stats") => {
            let mut stats = lock(&state.recorder).stats_json();
            stats["max_in_flight"] = lock(&state.limits).max_in_flight().into();
            stats["connections"] = state.connections.json();
            Reply::json_value(200, &stats)
        }
        ("GET", "requests") => Reply::json_value(200, &lock(&state.recorder).requests_json()),
        ("POST", "reset") => {
            lock(&state.recorder).clear();
            lock(&state.faults).clear();
            lock(&state.limits).reset_windows();
            state.connections.clear();
            ok()
        }
        ("POST", "faults") => match Fault::from_json(&body) {
            Ok(f) => {
                lock(&state.faults).add(f);
                ok()
            }
            Err(e) => bad_request(&e),
        },
        ("DELETE", "faults") => {
            lock(&state.faults).clear();
            ok()
        }
        ("GET", "clock") => Reply::json_value(200, &json!({ "now_ms": state.clock.now_ms() })),
        ("POST", "clock") => match body.get("advance_seconds").and_then(Value::as_f64) {
            Some(secs) if secs >= 0.0 => {
                state.clock.advance((secs * 1000.0) as i64);
                Reply::json_value(200, &json!({ "now_ms": state.clock.now_ms() }))
            }
            _ => bad_request("advance_seconds must be a non-negative number"),
        },
        ("POST", "mutate") => match crate::mutate::mutate(state, &body) {
            Ok(changed) => Reply::json_value(200, &changed),
            Err(e) => bad_request(&e),
        },
        ("GET", "limits") => limits_json(state),
        ("GET", "writes") => Reply::json_value(200, &lock(&state.writes).json()),
        ("GET", "collections") => Reply::json_value(
            200,
            &crate::collections::describe(|coll| state.count(0, coll)),
        ),
        ("POST", "limits") => set_limits(state, &body),
        ("POST", "tokens/issue") => issue(state, &body),
        ("POST", "tokens/revoke") => revoke(state, &body),
        ("POST", "oauth1/expire") => oauth1_expire(state, &body),
        _ => Reply::text(
            404,
            format!("no mock control {} /__mock/{route}", req.method),
        ),
    }
}

fn ok() -> Reply {
    Reply::json_value(200, &json!({ "ok": true }))
}

fn bad_request(message: &str) -> Reply {
    Reply::json_value(400, &json!({ "error": message }))
}

fn limits_json(state: &State) -> Reply {
    let l = lock(&state.limits);
    Reply::json_value(
        200,
        &json!({
            "per_minute": l.per_minute,
            "per_day": l.per_day,
            "concurrent": l.concurrent,
            "app_per_minute": l.app_per_minute,
        }),
    )
}

fn set_limits(state: &State, body: &Value) -> Reply {
    let get = |k: &str| -> Result<Option<u32>, Reply> {
        match body.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .map(Some)
                .ok_or_else(|| bad_request(&format!("{k} must be a non-negative integer"))),
        }
    };
    let parsed: Result<Vec<Option<u32>>, Reply> =
        ["per_minute", "per_day", "concurrent", "app_per_minute"]
            .into_iter()
            .map(get)
            .collect();
    let [per_minute, per_day, concurrent, app] = match parsed {
        Ok(v) => [v[0], v[1], v[2], v[3]],
        Err(reply) => return reply,
    };
    {
        let mut l = lock(&state.limits);
        if let Some(v) = per_minute {
            l.per_minute = v;
        }
        if let Some(v) = per_day {
            l.per_day = v;
        }
        if let Some(v) = concurrent {
            l.concurrent = v;
        }
        if app.is_some() {
            l.app_per_minute = app;
        }
    }
    limits_json(state)
}

fn issue(state: &State, body: &Value) -> Reply {
    let Some(client_id) = body.get("client_id").and_then(Value::as_str) else {
        return bad_request("client_id is required");
    };
    if state.client(client_id).is_none() {
        return bad_request(&format!("unknown client_id '{client_id}'"));
    }
    let scope = body
        .get("scope")
        .and_then(Value::as_str)
        .unwrap_or(DEFAULT_SCOPE);
    let now = state.clock.now_ms();
    let mut tokens = lock(&state.tokens);
    let event = tokens.new_auth_event();
    let set = tokens.issue(client_id, scope, None, event, now);
    Reply::json_value(
        200,
        &json!({
            "access_token": set.access_token,
            "refresh_token": set.refresh_token,
            "expires_in": ACCESS_TOKEN_SECS,
            "scope": set.scope,
        }),
    )
}

fn revoke(state: &State, body: &Value) -> Reply {
    let mut tokens = lock(&state.tokens);
    if body.get("all").and_then(Value::as_bool) == Some(true) {
        let n = tokens.revoke_all();
        return Reply::json_value(200, &json!({ "revoked": n }));
    }
    match body.get("refresh_token").and_then(Value::as_str) {
        Some(t) if tokens.revoke(t) => Reply::json_value(200, &json!({ "revoked": 1 })),
        Some(_) => bad_request("unknown refresh_token"),
        None => bad_request("refresh_token or all:true is required"),
    }
}

/// Forces OAuth 1.0a tokens (access or request) to answer `token_expired` from now on.
fn oauth1_expire(state: &State, body: &Value) -> Reply {
    let now = state.clock.now_ms();
    let mut store = lock(&state.oauth1);
    if body.get("all").and_then(Value::as_bool) == Some(true) {
        let n = store.expire_all(now);
        return Reply::json_value(200, &json!({ "expired": n }));
    }
    match body.get("token").and_then(Value::as_str) {
        Some(t) if store.expire(t, now) => Reply::json_value(200, &json!({ "expired": 1 })),
        Some(_) => bad_request("unknown OAuth 1.0a token"),
        None => bad_request("token or all:true is required"),
    }
}
