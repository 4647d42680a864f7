//! Row counts learned by this backend's scans, per server and entity: Xero's
//! `pagination.itemCount` of a listing with nothing pushed, or the rows a complete scan of the
//! whole table produced. The planner prefers them to the entity's default (a `rows` table option
//! still comes first). Backend memory only: a new session starts from the defaults again.

use std::cell::RefCell;
use std::collections::HashMap;

use xero_core::entities::Entity;

thread_local! {
    static COUNTS: RefCell<HashMap<(String, &'static str), f64>> = RefCell::new(HashMap::new());
}

/// Remembers that `entity` of `server` has `rows` rows.
pub fn remember(server: &str, entity: &'static Entity, rows: u64) {
    COUNTS.with(|c| c.borrow_mut().insert((server.to_string(), entity.function), rows as f64));
}

/// The rows a scan of this session counted, if one did.
pub fn remembered(server: &str, entity: &'static Entity) -> Option<f64> {
    COUNTS.with(|c| c.borrow().get(&(server.to_string(), entity.function)).copied())
}
