//! This backend's HTTP runtime and its interrupt check: one small module that every caller of
//! Xero (row producers, token code, authorization functions) uses, so none of them imports
//! another for it.

use std::cell::RefCell;
use std::rc::Rc;

use xero_core::http::Http;
use xero_core::Result;

use crate::pg::guc;

/// Checks for query cancel, statement_timeout and termination while waiting on Xero; raises
/// PostgreSQL's own error if one is pending, so it never needs to say "interrupted" itself.
pub fn interrupted() -> bool {
    pgrx::check_for_interrupts!();
    false
}

thread_local! {
    static HTTP: RefCell<Option<Rc<Http>>> = const { RefCell::new(None) };
}

/// This backend's HTTP client, rebuilt when the timeout settings change.
pub fn http() -> Result<Rc<Http>> {
    let settings = guc::http_settings();
    HTTP.with(|cell| {
        let mut slot = cell.borrow_mut();
        if let Some(h) = slot.as_ref().filter(|h| *h.settings() == settings) {
            return Ok(h.clone());
        }
        let h = Rc::new(Http::new(settings)?);
        *slot = Some(h.clone());
        Ok(h)
    })
}
