//! XML writer for [`Sink`]: Xero's `<Response><Invoices><Invoice>…` shape, elements
//! named exactly like the JSON fields, dates as `yyyy-MM-ddTHH:mm:ss`.

use crate::dates::{self, XeroDate};
use crate::ids::Uuid;
use crate::numbers;
use crate::sink::Sink;

pub struct XmlSink {
    pub out: Vec<u8>,
    depth: usize,
}

impl XmlSink {
    pub fn with_capacity(cap: usize) -> XmlSink {
        XmlSink {
            out: Vec::with_capacity(cap),
            depth: 0,
        }
    }

    fn start(&mut self, name: &str) {
        self.out.push(b'<');
        self.out.extend_from_slice(name.as_bytes());
        // Xero declares the schema-instance namespace on the root element.
        if self.depth == 0 {
            self.out.extend_from_slice(
                b" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"",
            );
        }
        self.out.push(b'>');
    }

    fn end(&mut self, name: &str) {
        self.out.extend_from_slice(b"</");
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(b'>');
    }

    fn leaf(&mut self, name: &str, write: impl FnOnce(&mut Vec<u8>)) {
        self.out.push(b'<');
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(b'>');
        write(&mut self.out);
        self.end(name);
    }
}

pub fn write_escaped(out: &mut Vec<u8>, s: &str) {
    for &b in s.as_bytes() {
        match b {
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            b'"' => out.extend_from_slice(b"&quot;"),
            b'\'' => out.extend_from_slice(b"&apos;"),
            _ => out.push(b),
        }
    }
}

impl Sink for XmlSink {
    fn open(&mut self, name: &str) {
        self.start(name);
        self.depth += 1;
    }

    fn close(&mut self, name: &str) {
        self.depth -= 1;
        self.end(name);
    }

    fn open_list(&mut self, name: &str) {
        self.open(name);
    }

    fn close_list(&mut self, name: &str) {
        self.close(name);
    }

    fn str(&mut self, name: &str, v: &str) {
        self.leaf(name, |o| write_escaped(o, v));
    }

    fn uuid(&mut self, name: &str, v: Uuid) {
        self.leaf(name, |o| v.write_to(o));
    }

    fn int(&mut self, name: &str, v: i64) {
        self.leaf(name, |o| numbers::write_int(o, v));
    }

    fn fixed(&mut self, name: &str, v: i64, scale: u32) {
        self.leaf(name, |o| numbers::write_fixed(o, v, scale));
    }

    fn bool(&mut self, name: &str, v: bool) {
        self.leaf(name, |o| {
            o.extend_from_slice(if v { b"true" } else { b"false" })
        });
    }

    fn date(&mut self, name: &str, v: XeroDate) {
        self.leaf(name, |o| dates::write_iso(o, v));
    }

    fn date_string(&mut self, _name: &str, _v: XeroDate) {}

    fn number_text(&mut self, name: &str, text: &str) {
        self.leaf(name, |o| write_escaped(o, text));
    }
}
