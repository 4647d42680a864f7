//! One description of each record, two wire formats.
//!
//! `emit.rs` walks a record once, calling these methods; `render_json.rs` and
//! `render_xml.rs` turn the calls into Xero's JSON and XML. The names passed in are
//! Xero's PascalCase field names and never need escaping.

use crate::dates::XeroDate;
use crate::ids::Uuid;

pub trait Sink {
    /// Starts an object: the document root, an element of a list, or a named field.
    fn open(&mut self, name: &str);
    fn close(&mut self, name: &str);
    /// Starts a named list whose elements are opened with their element name.
    fn open_list(&mut self, name: &str);
    fn close_list(&mut self, name: &str);
    fn str(&mut self, name: &str, v: &str);
    fn uuid(&mut self, name: &str, v: Uuid);
    fn int(&mut self, name: &str, v: i64);
    /// A fixed-point number `v / 10^scale` written with exactly `scale` decimals.
    fn fixed(&mut self, name: &str, v: i64, scale: u32);
    fn bool(&mut self, name: &str, v: bool);
    /// A date or instant: `/Date(…)/` in JSON, `yyyy-MM-ddTHH:mm:ss` in XML.
    fn date(&mut self, name: &str, v: XeroDate);
    /// JSON's companion `…String` fields (`DateString`); XML has no such element.
    fn date_string(&mut self, name: &str, v: XeroDate);
    /// A number as the client wrote it (echoing a rejected element), unquoted in JSON.
    fn number_text(&mut self, name: &str, text: &str);

    fn money(&mut self, name: &str, cents: i64) {
        self.fixed(name, cents, 2);
    }

    /// A list of no elements (`[]` in JSON, an empty element in XML).
    fn empty_list(&mut self, name: &str) {
        self.open_list(name);
        self.close_list(name);
    }
}
