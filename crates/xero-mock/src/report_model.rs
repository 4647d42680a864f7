//! A report as Xero's `ReportWithRows` schema has it (`ReportRows`, `ReportRow`,
//! `ReportCell`, `ReportAttribute`), and how it is written in JSON and XML.

use crate::dates::{civil_from_days, XeroDate};
use crate::ids::Uuid;
use crate::numbers;
use crate::sink::Sink;

pub struct Report {
    /// `ReportID` and `ReportType` (`TrialBalance`).
    pub kind: &'static str,
    /// `ReportName` (`Trial Balance`).
    pub name: &'static str,
    pub titles: Vec<String>,
    /// `ReportDate`: the day the report was run, `23 April 2019`.
    pub date: String,
    pub rows: Vec<Row>,
}

impl Report {
    /// A report titled its name, the organisation and `subtitle`, as most of Xero's are.
    pub fn titled(
        kind: &'static str,
        name: &'static str,
        organisation: &str,
        subtitle: String,
        today: i32,
        rows: Vec<Row>,
    ) -> Report {
        Report {
            kind,
            name,
            titles: vec![name.to_string(), organisation.to_string(), subtitle],
            date: long_date(today),
            rows,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RowType {
    Header,
    Section,
    Row,
    SummaryRow,
}

pub struct Row {
    pub kind: RowType,
    pub title: Option<String>,
    pub cells: Vec<Cell>,
    pub rows: Vec<Row>,
}

pub struct Cell {
    pub value: String,
    /// `(Value, Id)`: `(account uuid, "account")`, `(invoice uuid, "invoiceID")`.
    pub attributes: Vec<(String, &'static str)>,
}

impl Cell {
    pub fn text(v: impl Into<String>) -> Cell {
        Cell {
            value: v.into(),
            attributes: Vec::new(),
        }
    }
}

impl Row {
    pub fn header<S: Into<String>>(titles: impl IntoIterator<Item = S>) -> Row {
        Row::cells(
            RowType::Header,
            titles.into_iter().map(Cell::text).collect(),
        )
    }

    pub fn section(title: &str, rows: Vec<Row>) -> Row {
        Row {
            kind: RowType::Section,
            title: Some(title.to_string()),
            cells: Vec::new(),
            rows,
        }
    }

    pub fn cells(kind: RowType, cells: Vec<Cell>) -> Row {
        Row {
            kind,
            title: None,
            cells,
            rows: Vec::new(),
        }
    }

    /// A row of a label and amounts; `attribute` (`(id, kind)`) goes on every cell, as
    /// Xero puts an account row's account id on each of its cells.
    pub fn amounts(
        kind: RowType,
        label: &str,
        values: impl IntoIterator<Item = String>,
        attribute: Option<(Uuid, &'static str)>,
    ) -> Row {
        let attrs = || {
            attribute
                .map(|(id, k)| vec![(id.to_string(), k)])
                .unwrap_or_default()
        };
        let mut cells = vec![Cell {
            value: label.to_string(),
            attributes: attrs(),
        }];
        cells.extend(values.into_iter().map(|value| Cell {
            value,
            attributes: attrs(),
        }));
        Row::cells(kind, cells)
    }
}

/// Cents as Xero's report text: `1234.50`, `-0.50`.
pub fn money(cents: i64) -> String {
    let mut out = Vec::with_capacity(16);
    numbers::write_fixed(&mut out, cents, 2);
    String::from_utf8(out).expect("digits are ASCII")
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `23 April 2019`.
pub fn long_date(day: i32) -> String {
    let (y, m, d) = civil_from_days(i64::from(day));
    format!("{d} {} {y}", MONTHS[m as usize - 1])
}

/// `30 Apr 2019`, as column headings have it.
pub fn short_date(day: i32) -> String {
    let (y, m, d) = civil_from_days(i64::from(day));
    format!("{d} {} {y}", &MONTHS[m as usize - 1][..3])
}

/// `November 2019`.
pub fn month_year(day: i32) -> String {
    let (y, m, _) = civil_from_days(i64::from(day));
    format!("{} {y}", MONTHS[m as usize - 1])
}

/// `Nov 2019`.
pub fn month_label(day: i32) -> String {
    let (y, m, _) = civil_from_days(i64::from(day));
    format!("{} {y}", &MONTHS[m as usize - 1][..3])
}

pub fn write<S: Sink>(s: &mut S, r: &Report, updated: XeroDate) {
    s.open("Report");
    s.str("ReportID", r.kind);
    s.str("ReportName", r.name);
    s.str("ReportType", r.kind);
    s.open_list("ReportTitles");
    for t in &r.titles {
        s.str("ReportTitle", t);
    }
    s.close_list("ReportTitles");
    s.str("ReportDate", &r.date);
    s.date("UpdatedDateUTC", updated);
    s.empty_list("Fields");
    rows(s, &r.rows);
    s.close("Report");
}

fn rows<S: Sink>(s: &mut S, rows: &[Row]) {
    s.open_list("Rows");
    for row in rows {
        s.open("Row");
        s.str("RowType", &format!("{:?}", row.kind));
        if let Some(t) = &row.title {
            s.str("Title", t);
        }
        if row.kind == RowType::Section {
            self::rows(s, &row.rows);
        } else {
            s.open_list("Cells");
            for c in &row.cells {
                cell(s, c);
            }
            s.close_list("Cells");
        }
        s.close("Row");
    }
    s.close_list("Rows");
}

fn cell<S: Sink>(s: &mut S, c: &Cell) {
    s.open("Cell");
    s.str("Value", &c.value);
    if !c.attributes.is_empty() {
        s.open_list("Attributes");
        for (value, id) in &c.attributes {
            s.open("Attribute");
            s.str("Value", value);
            s.str("Id", id);
            s.close("Attribute");
        }
        s.close_list("Attributes");
    }
    s.close("Cell");
}
