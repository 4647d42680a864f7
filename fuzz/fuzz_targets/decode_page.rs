//! Xero JSON pages (untrusted: whatever the API, a proxy or a mock sends back) through
//! `decode_page` for every entity. Never a panic; and when a page decodes:
//! - every row has exactly as many cells as the entity has columns;
//! - every non-NULL cell has the variant its column type promises (integer cells fit int4,
//!   the ordinal of a child row is >= 1);
//! - money (numeric) cells are decimal text PostgreSQL's numeric_in reads;
//! - date and timestamptz cells lie within PostgreSQL's range (cells are handed to PostgreSQL
//!   as raw Datums, so anything outside would become -infinity/infinity or garbage);
//! - a record-per-row entity yields one row per record.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xero_core::decode::{decode_page, Cell};
use xero_core::entities::{ColumnType, RowShape, Source, ENTITIES};

/// PostgreSQL's limits (src/include/datatype/timestamp.h), relative to 2000-01-01.
const PG_MIN_DATE: i64 = -2_451_545; // 4714-11-24 BC (Julian day 0)
const PG_END_DATE: i64 = 2_145_031_949; // 5874898-01-01, exclusive
const PG_MIN_TIMESTAMP: i64 = -211_813_488_000_000_000; // 4714-11-24 00:00 BC
const PG_END_TIMESTAMP: i64 = 9_223_371_331_200_000_000; // 294277-01-01, exclusive

fn is_numeric_text(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    digits(int)
        && frac.is_none_or(digits)
        && exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)))
}

fuzz_target!(|body: &[u8]| {
    for entity in ENTITIES {
        let columns = entity.columns();
        let Ok(page) = decode_page(entity, &columns, body) else { continue };
        if entity.rows == RowShape::Records {
            assert_eq!(page.rows.len(), page.records, "{}: one row per record", entity.function);
        }
        for row in &page.rows {
            assert_eq!(row.len(), columns.len(), "{}: cells per row", entity.function);
            for (cell, column) in row.iter().zip(&columns) {
                let ok = match (cell, column.ty) {
                    (Cell::Null, _) => true,
                    (Cell::Text(_), ColumnType::Text) => true,
                    (Cell::Uuid(_), ColumnType::Uuid) => true,
                    (Cell::Numeric(s), ColumnType::Numeric) => is_numeric_text(s),
                    (Cell::Date(d), ColumnType::Date) => (PG_MIN_DATE..PG_END_DATE).contains(&i64::from(*d)),
                    (Cell::Timestamptz(t), ColumnType::Timestamptz) => (PG_MIN_TIMESTAMP..PG_END_TIMESTAMP).contains(t),
                    (Cell::Bool(_), ColumnType::Boolean) => true,
                    (Cell::Int(n), ColumnType::Integer) => {
                        i32::try_from(*n).is_ok() && (column.source != Source::Ordinal || *n >= 1)
                    }
                    (Cell::Int(_), ColumnType::BigInt) => true,
                    (Cell::Json(j), ColumnType::Jsonb) => !j.is_empty(),
                    _ => false,
                };
                assert!(ok, "{}: column {} ({}) got {cell:?}", entity.function, column.name, column.ty.sql());
            }
        }
    }
});
