//! Text written through the API for fields the model keeps as `&'static str`.
//!
//! The model holds catalogue text (descriptions, account codes, tax types, cities) as
//! `&'static str` so 200,000 generated invoices stay cheap. Written records bring their
//! own text; each distinct value is leaked once here and shared from then on, so memory
//! grows with the distinct values written during a mock's lifetime, not with the writes.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use crate::state::lock;

pub fn intern(s: &str) -> &'static str {
    static SEEN: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut seen = lock(SEEN.get_or_init(|| Mutex::new(HashSet::new())));
    if let Some(&known) = seen.get(s) {
        return known;
    }
    let leaked: &'static str = Box::leak(s.to_string().into_boxed_str());
    seen.insert(leaked);
    leaked
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_same_text_is_leaked_once() {
        let a = super::intern("Widget, blue");
        let b = super::intern(&String::from("Widget, blue"));
        assert!(std::ptr::eq(a, b));
        assert_ne!(super::intern("other"), a);
    }
}
