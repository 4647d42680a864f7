//! The shapes `spec_schemas.rs` (generated from Xero's OpenAPI specification by
//! `tools/gen_mock_schemas.py`) is written in, and lookups over it.

pub use crate::spec_schemas::{ENDPOINTS, SCHEMAS, SPEC_VERSION};

/// What a property holds, as the specification types it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    Str,
    Uuid,
    /// `x-is-msdate`: a calendar day, `/Date(ms+0000)/` at midnight UTC in JSON.
    Date,
    /// `x-is-msdate-time` or `format: date-time`: an instant, `/Date(ms+0000)/` in JSON.
    DateTime,
    /// `x-is-money`: written with two decimals.
    Money,
    /// Any other number (quantities, rates): written with four decimals.
    Number,
    Integer,
    Boolean,
    /// A string with a closed set of values (inline `enum` or a `$ref` to an enum schema).
    Enum(&'static [&'static str]),
    /// A nested object: a `$ref` to another schema.
    Object(&'static str),
    /// A list of objects of a schema.
    Array(&'static str),
    /// `DateString` beside `Date`: the ISO text of that date property (JSON only).
    DateText(&'static str),
}

#[derive(Debug)]
pub struct Prop {
    pub name: &'static str,
    pub kind: Kind,
    pub read_only: bool,
}

#[derive(Debug)]
pub struct Schema {
    pub name: &'static str,
    pub props: &'static [Prop],
}

impl Schema {
    pub fn prop_index(&self, name: &str) -> Option<usize> {
        self.props.iter().position(|p| p.name == name)
    }
}

/// The specification's facts about one collection's `GET /{key}`.
#[derive(Debug)]
pub struct Endpoint {
    pub key: &'static str,
    pub schema: &'static str,
    /// Query and header parameter names, as the specification lists them.
    pub params: &'static [&'static str],
    /// Whether the response envelope has a `pagination` block.
    pub pagination: bool,
    /// Path parameters of the single-record `GET /{key}/{…}` routes.
    pub by: &'static [&'static str],
}

pub fn schema(name: &str) -> Option<&'static Schema> {
    SCHEMAS.iter().find(|s| s.name == name)
}

pub fn endpoint(key: &str) -> Option<&'static Endpoint> {
    ENDPOINTS.iter().find(|e| e.key == key)
}
