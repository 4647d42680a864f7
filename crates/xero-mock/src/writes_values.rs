//! Reading the fields of a written element (JSON as the client sent it) the way Xero
//! reads them: names ignoring case, numbers as JSON numbers or numeric text, dates as
//! `yyyy-MM-dd`, `yyyy-MM-ddTHH:mm:ss` or `/Date(ms±hhmm)/`. A malformed value is a
//! problem of the element (Xero reports it with the element's other problems), never a
//! reason to drop the whole request.

use serde_json::Value;

use crate::dates::{self, MS_PER_DAY};
use crate::ids::Uuid;

/// The validation messages of one element, in the order they were found.
#[derive(Default, Debug)]
pub struct Problems(pub Vec<String>);

impl Problems {
    pub fn add(&mut self, message: impl Into<String>) {
        let m = message.into();
        // One message per problem, however many lines share it.
        if !self.0.contains(&m) {
            self.0.push(m);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The member `name` of an object, ignoring case; `None` when absent or null.
pub fn field<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    let obj = v.as_object()?;
    obj.get(name)
        .or_else(|| {
            obj.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        })
        .filter(|v| !v.is_null())
}

/// Whether the element sets `name` at all (null included: it clears the field).
pub fn present(v: &Value, name: &str) -> bool {
    v.as_object()
        .is_some_and(|o| o.keys().any(|k| k.eq_ignore_ascii_case(name)))
}

/// A text field; numbers and booleans are taken as their text, as Xero's parser does.
pub fn text(v: &Value, name: &str) -> Option<String> {
    match field(v, name)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A text field that is not blank, trimmed.
pub fn nonblank(v: &Value, name: &str) -> Option<String> {
    text(v, name)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

pub fn uuid(v: &Value, name: &str, p: &mut Problems) -> Option<Uuid> {
    let s = text(v, name)?;
    if s.trim().is_empty() {
        return None;
    }
    let u = Uuid::parse(&s);
    if u.is_none() {
        p.add(format!("{name} '{s}' is not a valid GUID."));
    }
    // The all-zero GUID is how Xero's SDKs send "none".
    u.filter(|u| u.0 != 0)
}

/// A date field as days since 1970-01-01.
pub fn day(v: &Value, name: &str, p: &mut Problems) -> Option<i32> {
    let raw = field(v, name)?;
    let s = raw.as_str().unwrap_or_default();
    match parse_date_ms(s) {
        Some(ms) => Some(ms.div_euclid(MS_PER_DAY) as i32),
        None => {
            let shown = raw.as_str().map_or_else(|| raw.to_string(), str::to_string);
            p.add(format!("{name} '{shown}' is not a valid date."));
            None
        }
    }
}

/// `yyyy-MM-dd`, `yyyy-MM-ddTHH:mm:ss[.fff][Z]` or `/Date(ms[±hhmm])/`, as UTC milliseconds.
pub fn parse_date_ms(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Some(inner) = s.strip_prefix("/Date(").and_then(|x| x.strip_suffix(")/")) {
        let end = inner
            .char_indices()
            .skip(1)
            .find(|(_, c)| matches!(c, '+' | '-'))
            .map_or(inner.len(), |(i, _)| i);
        return inner[..end].parse().ok();
    }
    dates::parse_http_date(s)
}

/// A decimal field in fixed point with `scale` decimals (`scale` 2: cents), rounded half
/// away from zero beyond that.
pub fn fixed(v: &Value, name: &str, scale: u32, p: &mut Problems) -> Option<i64> {
    let raw = field(v, name)?;
    let text = match raw {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_string(),
        other => other.to_string(),
    };
    let parsed = parse_fixed(&text, scale);
    if parsed.is_none() {
        p.add(format!("{name} '{text}' is not a valid number."));
    }
    parsed
}

/// Exact decimal text to fixed point (no float rounding on the way).
pub fn parse_fixed(s: &str, scale: u32) -> Option<i64> {
    let s = s.trim();
    if s.contains(['e', 'E']) {
        let f: f64 = s.parse().ok()?;
        let scaled = f * 10f64.powi(scale as i32);
        return (scaled.is_finite() && scaled.abs() < 9e15).then(|| scaled.round() as i64);
    }
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if (int.is_empty() && frac.is_empty())
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || int.len() > 15
    {
        return None;
    }
    let mut v: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    for k in 0..scale as usize {
        let d = frac.as_bytes().get(k).map_or(0, |b| i64::from(b - b'0'));
        v = v.checked_mul(10)?.checked_add(d)?;
    }
    if frac
        .as_bytes()
        .get(scale as usize)
        .is_some_and(|&b| b >= b'5')
    {
        v += 1;
    }
    Some(if neg { -v } else { v })
}

pub fn boolean(v: &Value, name: &str, p: &mut Problems) -> Option<bool> {
    match field(v, name)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        other => {
            p.add(format!("{name} '{other}' is not a valid boolean."));
            None
        }
    }
}

/// One of `values` (matched ignoring case, returned as the specification spells it).
pub fn one_of(
    v: &Value,
    name: &str,
    values: &[&'static str],
    p: &mut Problems,
) -> Option<&'static str> {
    let s = text(v, name)?;
    let found = values
        .iter()
        .find(|x| x.eq_ignore_ascii_case(s.trim()))
        .copied();
    if found.is_none() {
        p.add(format!("'{s}' is not a valid value for {name}."));
    }
    found
}

/// The items of a list field (a single object counts as a list of one).
pub fn list<'a>(v: &'a Value, name: &str) -> Vec<&'a Value> {
    match field(v, name) {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(obj @ Value::Object(_)) => vec![obj],
        _ => Vec::new(),
    }
}

/// Cents as Xero prints them (`1234.50`), for messages.
pub fn money_text(cents: i64) -> String {
    let mut out = Vec::new();
    crate::numbers::write_fixed(&mut out, cents, 2);
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decimals_are_exact_and_rounded_half_away() {
        assert_eq!(parse_fixed("12.345", 2), Some(1235));
        assert_eq!(parse_fixed("-12.345", 2), Some(-1235));
        assert_eq!(parse_fixed("0.1", 4), Some(1000));
        assert_eq!(parse_fixed("7", 2), Some(700));
        assert_eq!(parse_fixed(".5", 2), Some(50));
        assert_eq!(parse_fixed("1e2", 2), Some(10_000));
        assert_eq!(parse_fixed("abc", 2), None);
        assert_eq!(parse_fixed("1.2.3", 2), None);
        assert_eq!(parse_fixed("", 2), None);
    }

    #[test]
    fn dates_in_every_form_xero_takes() {
        let day = |s: &str| parse_date_ms(s).map(|ms| ms.div_euclid(MS_PER_DAY));
        let want = Some(dates::days_from_civil(2024, 3, 1));
        assert_eq!(day("2024-03-01"), want);
        assert_eq!(day("2024-03-01T00:00:00"), want);
        assert_eq!(day("/Date(1709251200000+0000)/"), want);
        assert_eq!(day("/Date(1709251200000)/"), want);
        assert_eq!(day("2024-02-30"), None);
        assert_eq!(day("01/03/2024"), None);
    }

    #[test]
    fn fields_ignore_case_and_collect_problems() {
        let v =
            json!({"contactid": "nope", "Amount": "1.5", "Date": "2024-13-01", "Status": "draft"});
        let mut p = Problems::default();
        assert_eq!(uuid(&v, "ContactID", &mut p), None);
        assert_eq!(fixed(&v, "Amount", 2, &mut p), Some(150));
        assert_eq!(day(&v, "Date", &mut p), None);
        assert_eq!(
            one_of(&v, "Status", &["DRAFT", "AUTHORISED"], &mut p),
            Some("DRAFT")
        );
        assert_eq!(
            p.0,
            [
                "ContactID 'nope' is not a valid GUID.",
                "Date '2024-13-01' is not a valid date."
            ]
        );
    }
}
