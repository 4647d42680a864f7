//! The `params jsonb` argument of the OAuth 1.0a SQL functions, read without converting it to
//! text: straight from the jsonb binary form with PostgreSQL's iterator (strings are borrowed, no
//! jsonb → text → serde_json round trip), and the empty default skips even that.
//!
//! Accepted: `[[name, value], …]` (repeated names allowed) or `{name: value, …}`; values are
//! strings, numbers or booleans. NULL and empty give no pairs. Messages name positions and JSON
//! types, never a value (it could be a secret).

use pgrx::callconv::{Arg, ArgAbi};
use pgrx::nullable::Nullable;
use pgrx::pgrx_sql_entity_graph::metadata::{ArgumentError, Returns, ReturnsError, SqlMapping, SqlTranslatable};
use pgrx::prelude::*;
use xero_core::{Result, XeroError};

/// A `jsonb` argument, kept as the raw datum until it is walked.
pub struct JsonbArg(pg_sys::Datum);

impl FromDatum for JsonbArg {
    unsafe fn from_polymorphic_datum(datum: pg_sys::Datum, is_null: bool, _: pg_sys::Oid) -> Option<Self> {
        if is_null || datum.is_null() {
            None
        } else {
            Some(JsonbArg(datum))
        }
    }
}

unsafe impl<'fcx> ArgAbi<'fcx> for JsonbArg {
    unsafe fn unbox_arg_unchecked(arg: Arg<'_, 'fcx>) -> Self {
        let index = arg.index();
        unsafe { arg.unbox_arg_using_from_datum().unwrap_or_else(|| panic!("argument {index} must not be null")) }
    }

    unsafe fn unbox_nullable_arg(arg: Arg<'_, 'fcx>) -> Nullable<Self> {
        unsafe { arg.unbox_arg_using_from_datum::<JsonbArg>().into() }
    }
}

unsafe impl SqlTranslatable for JsonbArg {
    fn argument_sql() -> std::result::Result<SqlMapping, ArgumentError> {
        Ok(SqlMapping::literal("jsonb"))
    }
    fn return_sql() -> std::result::Result<Returns, ReturnsError> {
        Ok(Returns::One(SqlMapping::literal("jsonb")))
    }
}

pub type Pairs = Vec<(String, String)>;

const PARAMS_HINT: &str = "Pass params as a JSON array of [name, value] pairs, e.g. '[[\"page\", \"1\"], [\"where\", \"Status == \\\"PAID\\\"\"]]', \
or as an object, e.g. '{\"page\": \"1\"}'; names and values unencoded, values strings, numbers or booleans. Use the array form for repeated names.";

fn params_error(message: String) -> XeroError {
    XeroError::invalid_argument(message).with_hint(PARAMS_HINT)
}

/// JSON type names for messages (never the value itself: it could be a secret).
fn jbv_kind(v: &pg_sys::JsonbValue) -> &'static str {
    match v.type_ {
        pg_sys::jbvType::jbvNull => "null",
        pg_sys::jbvType::jbvString => "a string",
        pg_sys::jbvType::jbvNumeric => "a number",
        pg_sys::jbvType::jbvBool => "a boolean",
        pg_sys::jbvType::jbvArray => "an array",
        pg_sys::jbvType::jbvObject => "an object",
        _ => "a non-scalar value",
    }
}

fn token_kind(tok: pg_sys::JsonbIteratorToken::Type) -> &'static str {
    match tok {
        pg_sys::JsonbIteratorToken::WJB_BEGIN_ARRAY => "an array",
        pg_sys::JsonbIteratorToken::WJB_BEGIN_OBJECT => "an object",
        _ => "not a scalar",
    }
}

/// The text of a scalar: strings as they are, numbers as PostgreSQL prints them, booleans as
/// `true`/`false`. `what` names the position for the error message.
unsafe fn scalar_text(v: &pg_sys::JsonbValue, what: &dyn Fn() -> String) -> Result<String> {
    unsafe {
        match v.type_ {
            pg_sys::jbvType::jbvString => {
                let s = v.val.string;
                let bytes = std::slice::from_raw_parts(s.val as *const u8, s.len.max(0) as usize);
                std::str::from_utf8(bytes)
                    .map(str::to_owned)
                    .map_err(|_| params_error(format!("{} is not valid UTF-8", what())))
            }
            pg_sys::jbvType::jbvNumeric => {
                let text = pgrx::direct_function_call::<&core::ffi::CStr>(pg_sys::numeric_out, &[Some(pg_sys::Datum::from(v.val.numeric))])
                    .ok_or_else(|| XeroError::internal("numeric_out returned NULL"))?;
                Ok(text.to_string_lossy().into_owned())
            }
            pg_sys::jbvType::jbvBool => Ok(if v.val.boolean { "true" } else { "false" }.to_string()),
            _ => Err(params_error(format!("{} is {}; expected a string, a number or a boolean", what(), jbv_kind(v)))),
        }
    }
}

/// Reads `params`: `[[name, value], …]` or `{name: value, …}`. NULL and empty give no pairs.
pub fn read_params(arg: Option<&JsonbArg>) -> Result<Pairs> {
    use pg_sys::JsonbIteratorToken::*;
    let Some(arg) = arg else { return Ok(Vec::new()) };
    unsafe {
        let jb = pg_sys::pg_detoast_datum(arg.0.cast_mut_ptr()) as *mut pg_sys::Jsonb;
        // JsonbContainer header: count in the low 28 bits, then flags (scalar, object, array).
        const JB_CMASK: u32 = 0x0FFF_FFFF;
        const JB_FSCALAR: u32 = 0x1000_0000;
        let header = (*jb).root.header;
        if header & JB_CMASK == 0 && header & JB_FSCALAR == 0 {
            return Ok(Vec::new()); // [] or {}
        }
        let mut it = pg_sys::JsonbIteratorInit(&mut (*jb).root);
        let mut v: pg_sys::JsonbValue = std::mem::zeroed();
        let mut next = |v: &mut pg_sys::JsonbValue| pg_sys::JsonbIteratorNext(&mut it, v, false);
        let mut out = Vec::with_capacity((header & JB_CMASK) as usize);
        match next(&mut v) {
            WJB_BEGIN_ARRAY if v.val.array.rawScalar => {
                next(&mut v);
                Err(params_error(format!("params is {}, not an array of [name, value] pairs or an object", jbv_kind(&v))))
            }
            WJB_BEGIN_OBJECT => loop {
                match next(&mut v) {
                    WJB_KEY => {
                        let name = scalar_text(&v, &|| "a key of params".to_string())?;
                        let tok = next(&mut v);
                        if tok != WJB_VALUE {
                            return Err(params_error(format!(
                                "the value of params key {:?} is {}; expected a string, a number or a boolean (use the array form [[name, value], …] for repeated names)",
                                short(&name),
                                token_kind(tok)
                            )));
                        }
                        let value = scalar_text(&v, &|| format!("the value of params key {:?}", short(&name)))?;
                        out.push((name, value));
                    }
                    _ => return Ok(out),
                }
            },
            WJB_BEGIN_ARRAY => {
                let mut i = 0usize;
                loop {
                    i += 1;
                    let pos = |i: usize| format!("params element {i}");
                    match next(&mut v) {
                        WJB_END_ARRAY | WJB_DONE => return Ok(out),
                        WJB_BEGIN_ARRAY => {}
                        WJB_ELEM => return Err(params_error(format!("{} is {}; expected a [name, value] pair", pos(i), jbv_kind(&v)))),
                        tok => return Err(params_error(format!("{} is {}; expected a [name, value] pair", pos(i), token_kind(tok)))),
                    }
                    let mut pair: [Option<String>; 2] = [None, None];
                    let mut n = 0usize;
                    loop {
                        match next(&mut v) {
                            WJB_END_ARRAY => break,
                            WJB_ELEM if n < 2 => {
                                let which = if n == 0 { "name" } else { "value" };
                                pair[n] = Some(scalar_text(&v, &|| format!("the {which} in {}", pos(i)))?);
                                n += 1;
                            }
                            WJB_ELEM | WJB_BEGIN_ARRAY | WJB_BEGIN_OBJECT if n >= 2 => {
                                return Err(params_error(format!("{} has more than two elements; expected a [name, value] pair", pos(i))))
                            }
                            tok => {
                                let which = if n == 0 { "name" } else { "value" };
                                return Err(params_error(format!(
                                    "the {which} in {} is {}; expected a string, a number or a boolean",
                                    pos(i),
                                    token_kind(tok)
                                )));
                            }
                        }
                    }
                    match pair {
                        [Some(name), Some(value)] => out.push((name, value)),
                        _ => {
                            return Err(params_error(format!(
                                "{} has {n} element{}; expected a [name, value] pair",
                                pos(i),
                                if n == 1 { "" } else { "s" }
                            )))
                        }
                    }
                }
            }
            _ => Err(params_error("params is not a JSON array or object".to_string())),
        }
    }
}

fn short(s: &str) -> String {
    if s.chars().count() <= 40 {
        s.to_string()
    } else {
        s.chars().take(40).chain(std::iter::once('…')).collect()
    }
}
