//! The one place that knows the Xero entities: endpoint paths, paging style, the filters each
//! takes and the columns each yields. The set-returning functions, the SQL script and the docs
//! are all generated from [`ENTITIES`], which `tools/gen_entities.py` generates (`registry.rs`,
//! `spec_columns.rs`) from the pinned OpenAPI specification and `tools/entity_overrides.yaml`;
//! this file holds the types they are made of.

mod registry;
mod spec_columns;
mod writes;

pub use registry::ENTITIES;
pub use spec_columns::SPEC_VERSION;
pub use writes::WRITES;

/// How Xero removes a record of a writable table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delete {
    /// `DELETE <path>/{id}`.
    Endpoint,
    /// `POST <path>/{id}` setting `Status`: by the record's current status (`*`: any), the
    /// status that removes it (Xero's way: a draft invoice is DELETED, an authorised one VOIDED).
    Status(&'static [(&'static str, &'static str)]),
    /// Xero has no way to remove it: why.
    Unsupported(&'static str),
}

/// How Xero changes a record of a writable table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Update {
    /// It cannot be changed.
    No,
    /// `POST <path>/{id}`.
    Single,
    /// `POST <path>` with the record's id in the element (no `…/{id}` endpoint).
    Collection,
}

/// How the rows of a table are written to Xero (generated: `entities/writes.rs`).
#[derive(Debug)]
pub struct Write {
    /// The entity (its function name) whose table this writes.
    pub function: &'static str,
    /// The collection written to, relative to the API URL; `{Field}` is the parent's id of a
    /// child table (`TrackingCategories/{TrackingCategoryID}/Options`).
    pub path: &'static str,
    /// The element array key of a create's body; None: a bare element.
    pub create_key: Option<&'static str>,
    /// The element array key of an update's body (`POST <path>/{id}`); None: a bare element.
    pub update_key: Option<&'static str>,
    /// The record's id field.
    pub id_field: &'static str,
    /// Whether Xero assigns the id (an INSERT may not set it); false where the id is the
    /// caller's own, a currency's code.
    pub id_assigned: bool,
    /// A child table's parent id field, named in `path`.
    pub parent_field: Option<&'static str>,
    /// Whether creates take `summarizeErrors=false` (many elements a call, judged one by one).
    pub batch: bool,
    /// Whether writes take `unitdp` (sent as 4, so 4-decimal unit amounts are kept).
    pub unit_dp: bool,
    /// How records are changed.
    pub update: Update,
    /// Whether many records can be changed in one call: `POST <path>?summarizeErrors=false`
    /// with each element's id (UPDATE, and DELETE by status, without RETURNING).
    pub batch_update: bool,
    pub delete: Delete,
    /// The field a removing status is set in (`Status`; a contact's is `ContactStatus`).
    pub status_field: &'static str,
    /// Columns that name a row for a person (shown with a rejected row).
    pub labels: &'static [&'static str],
    /// Fields Xero assigns (read-only in the specification): never sent.
    pub read_only: &'static [&'static str],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Uuid,
    Text,
    Numeric,
    Date,
    Timestamptz,
    Boolean,
    Integer,
    BigInt,
    Jsonb,
}

impl ColumnType {
    pub fn sql(self) -> &'static str {
        match self {
            ColumnType::Uuid => "uuid",
            ColumnType::Text => "text",
            ColumnType::Numeric => "numeric",
            ColumnType::Date => "date",
            ColumnType::Timestamptz => "timestamptz",
            ColumnType::Boolean => "boolean",
            ColumnType::Integer => "integer",
            ColumnType::BigInt => "bigint",
            ColumnType::Jsonb => "jsonb",
        }
    }
}

/// A field of a Xero schema as the OpenAPI specification describes it (generated).
#[derive(Debug)]
pub struct SpecField {
    /// JSON path within the record, e.g. `["Contact", "ContactID"]`.
    pub path: &'static [&'static str],
    pub column: &'static str,
    pub ty: ColumnType,
    pub description: &'static str,
}

/// Where a column's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A field of the row's own record.
    Field(&'static [&'static str]),
    /// A field of the parent record (for child rows such as invoice line items).
    Parent(&'static [&'static str]),
    /// The 1-based position of a child row within its parent.
    Ordinal,
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub ty: ColumnType,
    pub source: Source,
    pub description: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// `page` (1-based) with `pageSize` up to the given maximum.
    Pages { max_page_size: u32 },
    /// `page` (1-based) without `pageSize`: Xero's fixed page size.
    FixedPages { size: u32 },
    /// `offset` = the last value of `column` read (Journals: the JournalNumber), `batch` records a
    /// call in ascending order; the listing ends with a short call.
    Offset { batch: u32, column: &'static str },
    /// One call returns everything.
    Unpaged,
}

impl Paging {
    /// Whether a listing takes more than one call.
    pub fn is_paged(self) -> bool {
        self != Paging::Unpaged
    }
}

/// How records become rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowShape {
    /// One row per record of the response collection.
    Records,
    /// One row per element of each record's `key` array (e.g. an invoice's `LineItems`).
    Children { key: &'static str },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgType {
    Timestamptz,
    Date,
    Text,
    Uuid,
    TextArray,
    UuidArray,
    Boolean,
    Integer,
}

impl ArgType {
    pub fn sql(self) -> &'static str {
        match self {
            ArgType::Timestamptz => "timestamptz",
            ArgType::Date => "date",
            ArgType::Text => "text",
            ArgType::Uuid => "uuid",
            ArgType::TextArray => "text[]",
            ArgType::UuidArray => "uuid[]",
            ArgType::Boolean => "boolean",
            ArgType::Integer => "integer",
        }
    }
}

/// What a filter argument becomes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterKind {
    /// The `If-Modified-Since` header.
    ModifiedSince,
    /// A query parameter sent as given.
    Query(&'static str),
    /// A comma-separated query parameter built from an array.
    List(&'static str),
    /// A boolean query parameter.
    Flag(&'static str),
    /// Xero's `unitdp`: sent as given, or as 4 when NULL, so 4-decimal unit amounts are never
    /// rounded to Xero's default of 2.
    UnitDp,
    /// Not sent: caps how many pages are fetched.
    MaxPages,
}

impl FilterKind {
    /// The name the OpenAPI specification uses, if this filter is sent to Xero.
    pub fn wire_name(self) -> Option<&'static str> {
        match self {
            FilterKind::ModifiedSince => Some("If-Modified-Since"),
            FilterKind::Query(n) | FilterKind::List(n) | FilterKind::Flag(n) => Some(n),
            FilterKind::UnitDp => Some("unitdp"),
            FilterKind::MaxPages => None,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Filter {
    pub arg: &'static str,
    pub ty: ArgType,
    pub kind: FilterKind,
    pub description: &'static str,
}

pub struct Entity {
    /// SQL function name, `xero_<entity>`.
    pub function: &'static str,
    /// Path under the API URL, e.g. `Invoices`.
    pub endpoint: &'static str,
    /// Key of the record array in the JSON response.
    pub collection: &'static str,
    pub paging: Paging,
    pub rows: RowShape,
    pub summary: &'static str,
    pub filters: &'static [Filter],
    /// The query and header parameters the specification lists for the endpoint.
    pub spec_params: &'static [&'static str],
    /// Columns taken from the parent record, before the child's (child rows only).
    pub parent_columns: &'static [Column],
    pub fields: &'static [SpecField],
}

impl Write {
    /// Whether one create call may carry many elements (`summarizeErrors`, an element array).
    pub fn creates_many(&self) -> bool {
        self.batch && self.create_key.is_some()
    }

    /// Whether a statement's INSERT rows go in batches: many a call, all under one path (a child
    /// table's rows may name different parents, and a call is made to one parent's path).
    pub fn inserts_in_batches(&self) -> bool {
        self.creates_many() && self.parent_field.is_none()
    }
}

impl Entity {
    /// How this entity's table is written to, if it can be.
    pub fn write(&self) -> Option<&'static Write> {
        WRITES.iter().find(|w| w.function == self.function)
    }

    pub fn columns(&self) -> Vec<Column> {
        let own = self.fields.iter().map(|f| Column {
            name: f.column,
            ty: f.ty,
            source: Source::Field(f.path),
            description: f.description,
        });
        self.parent_columns.iter().copied().chain(own).collect()
    }

    pub fn filter(&self, arg: &str) -> Option<&Filter> {
        self.filters.iter().find(|f| f.arg == arg)
    }

    /// The spec's parameter list for this endpoint (for checking the registry against it).
    pub fn spec_params(&self) -> &'static [&'static str] {
        self.spec_params
    }
}

pub fn entity_by_function(name: &str) -> Option<&'static Entity> {
    ENTITIES.iter().find(|e| e.function == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_filter_is_a_parameter_the_spec_lists() {
        for e in ENTITIES {
            for f in e.filters {
                if let Some(name) = f.kind.wire_name() {
                    assert!(e.spec_params().contains(&name), "{}: {} is not a spec parameter", e.function, name);
                }
            }
            match e.paging {
                Paging::Pages { .. } => assert!(e.spec_params().contains(&"pageSize"), "{} sends pageSize but the spec has none", e.function),
                Paging::FixedPages { .. } => assert!(e.spec_params().contains(&"page"), "{} pages but the spec has no page", e.function),
                Paging::Offset { column, .. } => {
                    assert!(e.spec_params().contains(&"offset"), "{} reads by offset but the spec has none", e.function);
                    assert!(e.columns().iter().any(|c| c.name == column), "{}: offset column {column} is not a column", e.function);
                }
                Paging::Unpaged => assert!(!e.spec_params().contains(&"page"), "{} is unpaged but the spec pages it", e.function),
            }
        }
    }

    #[test]
    fn column_and_argument_names_are_unique_snake_case() {
        for e in ENTITIES {
            let cols = e.columns();
            let mut seen = HashSet::new();
            for c in &cols {
                assert!(seen.insert(c.name), "{}: duplicate column {}", e.function, c.name);
                assert!(c.name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'), "{}", c.name);
            }
            let mut args = HashSet::from(["org"]);
            for f in e.filters {
                assert!(args.insert(f.arg), "{}: duplicate argument {}", e.function, f.arg);
            }
        }
    }

    #[test]
    fn typed_columns_follow_the_spec() {
        let inv = entity_by_function("xero_invoices").unwrap().columns();
        let ty = |n: &str| inv.iter().find(|c| c.name == n).map(|c| c.ty);
        assert_eq!(inv[0].name, "invoice_id");
        assert_eq!(ty("invoice_id"), Some(ColumnType::Uuid));
        assert_eq!(ty("contact_id"), Some(ColumnType::Uuid));
        assert_eq!(ty("contact_name"), Some(ColumnType::Text));
        assert_eq!(ty("total"), Some(ColumnType::Numeric));
        assert_eq!(ty("due_date"), Some(ColumnType::Date));
        assert_eq!(ty("updated_date_utc"), Some(ColumnType::Timestamptz));
        assert_eq!(ty("line_items"), Some(ColumnType::Jsonb));
        assert_eq!(ty("has_attachments"), Some(ColumnType::Boolean));
        let lines = entity_by_function("xero_invoice_line_items").unwrap().columns();
        assert_eq!(&lines.iter().map(|c| c.name).take(4).collect::<Vec<_>>(), &["invoice_id", "invoice_number", "line_number", "line_item_id"]);
    }
}
