//! JSON writer for [`Sink`]: appends straight into a byte buffer (no DOM), which is
//! what keeps a 1000-invoice page with line items in the low milliseconds.

use crate::dates::{self, XeroDate};
use crate::ids::Uuid;
use crate::numbers;
use crate::sink::Sink;

pub struct JsonSink {
    pub out: Vec<u8>,
    /// Per open container: does the next member need a leading comma, and is it an object?
    stack: Vec<(bool, bool)>,
}

impl JsonSink {
    pub fn with_capacity(cap: usize) -> JsonSink {
        JsonSink {
            out: Vec::with_capacity(cap),
            stack: Vec::with_capacity(8),
        }
    }

    /// Writes the separator and, inside an object, the `"name":` key.
    fn key(&mut self, name: &str) {
        if let Some((need_comma, in_object)) = self.stack.last_mut() {
            if *need_comma {
                self.out.push(b',');
            }
            *need_comma = true;
            if *in_object {
                self.out.push(b'"');
                self.out.extend_from_slice(name.as_bytes());
                self.out.extend_from_slice(b"\":");
            }
        }
    }

    fn quoted(&mut self, s: &str) {
        self.out.push(b'"');
        write_escaped(&mut self.out, s);
        self.out.push(b'"');
    }
}

/// JSON string escaping: quotes, backslashes and control characters.
pub fn write_escaped(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => {
                out.extend_from_slice(&bytes[start..i]);
                out.extend_from_slice(format!("\\u{b:04x}").as_bytes());
                start = i + 1;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(esc);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

impl Sink for JsonSink {
    fn open(&mut self, name: &str) {
        self.key(name);
        self.out.push(b'{');
        self.stack.push((false, true));
    }

    fn close(&mut self, _name: &str) {
        self.stack.pop();
        self.out.push(b'}');
    }

    fn open_list(&mut self, name: &str) {
        self.key(name);
        self.out.push(b'[');
        self.stack.push((false, false));
    }

    fn close_list(&mut self, _name: &str) {
        self.stack.pop();
        self.out.push(b']');
    }

    fn str(&mut self, name: &str, v: &str) {
        self.key(name);
        self.quoted(v);
    }

    fn uuid(&mut self, name: &str, v: Uuid) {
        self.key(name);
        self.out.push(b'"');
        v.write_to(&mut self.out);
        self.out.push(b'"');
    }

    fn int(&mut self, name: &str, v: i64) {
        self.key(name);
        numbers::write_int(&mut self.out, v);
    }

    fn fixed(&mut self, name: &str, v: i64, scale: u32) {
        self.key(name);
        numbers::write_fixed(&mut self.out, v, scale);
    }

    fn bool(&mut self, name: &str, v: bool) {
        self.key(name);
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
    }

    fn date(&mut self, name: &str, v: XeroDate) {
        self.key(name);
        self.out.push(b'"');
        dates::write_json_date(&mut self.out, v);
        self.out.push(b'"');
    }

    fn number_text(&mut self, name: &str, text: &str) {
        self.key(name);
        self.out.extend_from_slice(text.as_bytes());
    }

    fn date_string(&mut self, name: &str, v: XeroDate) {
        self.key(name);
        self.out.push(b'"');
        dates::write_iso(&mut self.out, v);
        self.out.push(b'"');
    }
}
