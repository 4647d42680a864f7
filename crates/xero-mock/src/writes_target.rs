//! The record each element of a write changes, shared by the collections
//! (`writes_invoices.rs`, `writes_contacts.rs`, `writes_accounts.rs`, `writes_payments.rs`,
//! `writes_generic.rs`): the one `POST /{Endpoint}/{id}` names, else the one the element's
//! own id names, else none (a new record).

use std::fmt::Display;

use serde_json::Value;

use crate::model::Tenant;
use crate::writes::{Answer, Cx, Done, Element, Mode};
use crate::writes_values::Problems;

/// A collection's write: the record the path names (`find`; a path naming none is a 404
/// before any element is looked at), then each element through `one`, answered in order
/// under `key` (`Invoices`), elements named `schema` (`Invoice`) in XML.
pub fn write<T: Copy>(
    cx: &mut Cx,
    t: &mut Tenant,
    sent: Vec<Value>,
    mode: &Mode,
    (key, schema): (&'static str, &'static str),
    find: impl FnOnce(&Cx, &Tenant, &str) -> Option<T>,
    mut one: impl FnMut(&mut Cx, &mut Tenant, &Value, Option<T>) -> Result<Done, Problems>,
) -> Answer {
    let path_target = match &mode.path_id {
        Some(id) => match find(cx, t, id) {
            Some(i) => Some(i),
            None => return Answer::NotFound,
        },
        None => None,
    };
    let elements = sent
        .into_iter()
        .map(|v| {
            let result = one(cx, t, &v, path_target);
            Element { sent: v, result }
        })
        .collect();
    Answer::Elements {
        key,
        schema,
        elements,
    }
}

/// Xero's message for an id that names nothing: `Contact with ContactID '…' could not be found.`
pub fn not_found(doc: &str, field: &str, id: impl Display) -> String {
    format!("{doc} with {field} '{id}' could not be found.")
}

/// An element's own id (`field`, of a record called `doc` in messages), as it was sent.
pub struct OwnId<'a, I> {
    pub field: &'a str,
    pub doc: &'a str,
    pub sent: Option<I>,
}

impl<I: Display> OwnId<'_, I> {
    /// The record the element changes: the path's; else the one its own id names, which a
    /// PUT may not send (`put_refused` is the collection's message) and which must exist;
    /// else none. A refused id ends the element: the problems so far are its answer.
    pub fn target<T>(
        self,
        path: Option<T>,
        put: bool,
        find: impl FnOnce(&I) -> Option<T>,
        put_refused: impl FnOnce(&I) -> String,
        p: &mut Problems,
    ) -> Result<Option<T>, Problems> {
        let id = match (path, self.sent) {
            (Some(i), _) => return Ok(Some(i)),
            (None, None) => return Ok(None),
            (None, Some(id)) => id,
        };
        if put {
            p.add(put_refused(&id));
            return Err(std::mem::take(p));
        }
        match find(&id) {
            Some(i) => Ok(Some(i)),
            None => {
                p.add(not_found(self.doc, self.field, &id));
                Err(std::mem::take(p))
            }
        }
    }
}
