//! The `params` argument of the OAuth 1.0a signing functions, read from JSON: `[[name, value], …]`
//! (repeated names allowed, order kept) or `{name: value, …}`; values are strings, numbers or
//! booleans. Numbers keep the text they were given in (the extension builds serde_json with
//! `arbitrary_precision`, so PostgreSQL's `1.50` stays `1.50`). Messages name positions and JSON
//! types, never a value: it could be a secret.

use serde_json::Value;

use crate::error::{Result, XeroError};

pub type Pairs = Vec<(String, String)>;

const PARAMS_HINT: &str = "Pass params as a JSON array of [name, value] pairs, e.g. '[[\"page\", \"1\"], [\"where\", \"Status == \\\"PAID\\\"\"]]', \
or as an object, e.g. '{\"page\": \"1\"}'; names and values unencoded, values strings, numbers or booleans. Use the array form for repeated names.";

fn params_error(message: String) -> XeroError {
    XeroError::invalid_argument(message).with_hint(PARAMS_HINT)
}

/// The JSON type of a value, for messages.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The text of a scalar; `what` names its position for the error.
fn scalar_text(v: &Value, what: &dyn Fn() -> String) -> Result<String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(params_error(format!("{} is {}; expected a string, a number or a boolean", what(), kind(other)))),
    }
}

/// The pairs of `params`; `None` (SQL NULL), `[]` and `{}` give none.
pub fn read_params(params: Option<&Value>) -> Result<Pairs> {
    match params {
        None => Ok(Vec::new()),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(name, value)| {
                if value.is_array() || value.is_object() {
                    return Err(params_error(format!(
                        "the value of params key {:?} is {}; expected a string, a number or a boolean (use the array form [[name, value], …] for repeated names)",
                        short(name),
                        kind(value)
                    )));
                }
                Ok((name.clone(), scalar_text(value, &|| format!("the value of params key {:?}", short(name)))?))
            })
            .collect(),
        Some(Value::Array(items)) => items.iter().enumerate().map(|(i, item)| pair(i + 1, item)).collect(),
        Some(scalar) => Err(params_error(format!("params is {}, not an array of [name, value] pairs or an object", kind(scalar)))),
    }
}

/// Element `i` (from 1) of the array form: a `[name, value]` pair of scalars.
fn pair(i: usize, item: &Value) -> Result<(String, String)> {
    let pos = format!("params element {i}");
    let Value::Array(parts) = item else {
        return Err(params_error(format!("{pos} is {}; expected a [name, value] pair", kind(item))));
    };
    let mut texts = Vec::with_capacity(2);
    for (n, part) in parts.iter().enumerate() {
        if n >= 2 {
            return Err(params_error(format!("{pos} has more than two elements; expected a [name, value] pair")));
        }
        let which = if n == 0 { "name" } else { "value" };
        texts.push(scalar_text(part, &|| format!("the {which} in {pos}"))?);
    }
    match <[String; 2]>::try_from(texts) {
        Ok([name, value]) => Ok((name, value)),
        Err(texts) => {
            let n = texts.len();
            Err(params_error(format!("{pos} has {n} element{}; expected a [name, value] pair", if n == 1 { "" } else { "s" })))
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_forms_give_pairs_in_order() {
        let array = json!([["b", "2"], ["a", 1], ["a", true]]);
        assert_eq!(
            read_params(Some(&array)).unwrap(),
            [("b".into(), "2".into()), ("a".into(), "1".into()), ("a".into(), "true".into())]
        );
        assert_eq!(read_params(Some(&json!({"page": "1"}))).unwrap(), [("page".into(), "1".into())]);
        for empty in [json!([]), json!({})] {
            assert!(read_params(Some(&empty)).unwrap().is_empty());
        }
        assert!(read_params(None).unwrap().is_empty());
    }

    #[test]
    fn mistakes_name_the_position_and_type_never_the_value() {
        let cases = [
            (json!("secret-ish"), "params is a string, not an array of [name, value] pairs or an object"),
            (json!(null), "params is null, not an array"),
            (json!(["secret-ish"]), "params element 1 is a string; expected a [name, value] pair"),
            (json!([["a", "1"], {"x": 1}]), "params element 2 is an object; expected a [name, value] pair"),
            (json!([["a"]]), "params element 1 has 1 element; expected a [name, value] pair"),
            (json!([[]]), "params element 1 has 0 elements"),
            (json!([["a", "1", "secret-ish"]]), "params element 1 has more than two elements"),
            (json!([["a", null]]), "the value in params element 1 is null; expected a string, a number or a boolean"),
            (json!([[["a"], "1"]]), "the name in params element 1 is an array"),
            (json!({"k": ["secret-ish"]}), "the value of params key \"k\" is an array; expected a string, a number or a boolean (use the array form"),
            (json!({"k": null}), "the value of params key \"k\" is null"),
        ];
        for (params, want) in cases {
            let err = read_params(Some(&params)).unwrap_err();
            assert!(err.message.contains(want), "{params}: {}", err.message);
            assert!(!err.message.contains("secret-ish"), "{}", err.message);
            assert!(err.hint.as_deref().unwrap_or("").contains("[name, value] pairs"));
        }
    }
}
