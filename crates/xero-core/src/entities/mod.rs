//! The one place that knows the Xero entities: endpoint paths, paging style, the filters each
//! takes and the columns each yields. The set-returning functions, the SQL script and the docs
//! are all generated from [`ENTITIES`].

mod spec_columns;

pub use spec_columns::SPEC_VERSION;

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
    /// One call returns everything.
    Unpaged,
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
    Text,
    TextArray,
    UuidArray,
    Boolean,
    Integer,
}

impl ArgType {
    pub fn sql(self) -> &'static str {
        match self {
            ArgType::Timestamptz => "timestamptz",
            ArgType::Text => "text",
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
    /// Not sent: caps how many pages are fetched.
    MaxPages,
}

impl FilterKind {
    /// The name the OpenAPI specification uses, if this filter is sent to Xero.
    pub fn wire_name(self) -> Option<&'static str> {
        match self {
            FilterKind::ModifiedSince => Some("If-Modified-Since"),
            FilterKind::Query(n) | FilterKind::List(n) | FilterKind::Flag(n) => Some(n),
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
    /// Columns taken from the parent record, before the child's (child rows only).
    pub parent_columns: &'static [Column],
    pub fields: &'static [SpecField],
}

impl Entity {
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
        match self.endpoint {
            "Invoices" => spec_columns::INVOICES_PARAMS,
            "Contacts" => spec_columns::CONTACTS_PARAMS,
            "Accounts" => spec_columns::ACCOUNTS_PARAMS,
            "Organisation" => spec_columns::ORGANISATION_PARAMS,
            _ => &[],
        }
    }
}

const MODIFIED_SINCE: Filter = Filter {
    arg: "modified_since",
    ty: ArgType::Timestamptz,
    kind: FilterKind::ModifiedSince,
    description: "only records changed since this time (sent as If-Modified-Since, UTC to the second)",
};
const WHERE: Filter = Filter {
    arg: "where_clause",
    ty: ArgType::Text,
    kind: FilterKind::Query("where"),
    description: "a Xero `where` expression, e.g. `Status==\"AUTHORISED\" AND Date>=DateTime(2024,01,01)`",
};
const ORDER: Filter = Filter {
    arg: "order_by",
    ty: ArgType::Text,
    kind: FilterKind::Query("order"),
    description: "a Xero `order` expression, e.g. `UpdatedDateUTC DESC`",
};
const IDS: Filter = Filter {
    arg: "ids",
    ty: ArgType::UuidArray,
    kind: FilterKind::List("IDs"),
    description: "only these records (keep to about 50 a call: Xero's URL length limit)",
};
const INCLUDE_ARCHIVED: Filter = Filter {
    arg: "include_archived",
    ty: ArgType::Boolean,
    kind: FilterKind::Flag("includeArchived"),
    description: "also return archived records",
};
const SEARCH_TERM: Filter = Filter {
    arg: "search_term",
    ty: ArgType::Text,
    kind: FilterKind::Query("searchTerm"),
    description: "Xero's case-insensitive search over the main text fields",
};
const MAX_PAGES: Filter = Filter {
    arg: "max_pages",
    ty: ArgType::Integer,
    kind: FilterKind::MaxPages,
    description: "stop after this many pages (calls); NULL fetches every page",
};

const INVOICE_FILTERS: &[Filter] = &[
    MODIFIED_SINCE,
    WHERE,
    ORDER,
    Filter {
        arg: "statuses",
        ty: ArgType::TextArray,
        kind: FilterKind::List("Statuses"),
        description: "only these statuses, e.g. `{AUTHORISED,PAID}`",
    },
    IDS,
    Filter {
        arg: "invoice_numbers",
        ty: ArgType::TextArray,
        kind: FilterKind::List("InvoiceNumbers"),
        description: "only these invoice numbers",
    },
    Filter {
        arg: "contact_ids",
        ty: ArgType::UuidArray,
        kind: FilterKind::List("ContactIDs"),
        description: "only invoices of these contacts",
    },
    INCLUDE_ARCHIVED,
    Filter {
        arg: "created_by_my_app",
        ty: ArgType::Boolean,
        kind: FilterKind::Flag("createdByMyApp"),
        description: "only invoices created by this app",
    },
    SEARCH_TERM,
    MAX_PAGES,
];

pub static ENTITIES: &[Entity] = &[
    Entity {
        function: "xero_invoices",
        endpoint: "Invoices",
        collection: "Invoices",
        paging: Paging::Pages { max_page_size: 1000 },
        rows: RowShape::Records,
        summary: "Sales invoices (ACCREC) and bills (ACCPAY), one row per invoice; line items as jsonb.",
        filters: INVOICE_FILTERS,
        parent_columns: &[],
        fields: spec_columns::INVOICE_FIELDS,
    },
    Entity {
        function: "xero_invoice_line_items",
        endpoint: "Invoices",
        collection: "Invoices",
        paging: Paging::Pages { max_page_size: 1000 },
        rows: RowShape::Children { key: "LineItems" },
        summary: "One row per invoice line item, with the invoice it belongs to.",
        filters: INVOICE_FILTERS,
        parent_columns: &[
            Column {
                name: "invoice_id",
                ty: ColumnType::Uuid,
                source: Source::Parent(&["InvoiceID"]),
                description: "The invoice this line belongs to",
            },
            Column {
                name: "invoice_number",
                ty: ColumnType::Text,
                source: Source::Parent(&["InvoiceNumber"]),
                description: "Number of the invoice this line belongs to",
            },
            Column {
                name: "line_number",
                ty: ColumnType::Integer,
                source: Source::Ordinal,
                description: "Position of the line within its invoice, from 1",
            },
        ],
        fields: spec_columns::LINE_ITEM_FIELDS,
    },
    Entity {
        function: "xero_contacts",
        endpoint: "Contacts",
        collection: "Contacts",
        paging: Paging::Pages { max_page_size: 1000 },
        rows: RowShape::Records,
        summary: "Customers and suppliers.",
        filters: &[MODIFIED_SINCE, WHERE, ORDER, IDS, INCLUDE_ARCHIVED, SEARCH_TERM, MAX_PAGES],
        parent_columns: &[],
        fields: spec_columns::CONTACT_FIELDS,
    },
    Entity {
        function: "xero_accounts",
        endpoint: "Accounts",
        collection: "Accounts",
        paging: Paging::Unpaged,
        rows: RowShape::Records,
        summary: "The chart of accounts.",
        filters: &[MODIFIED_SINCE, WHERE, ORDER],
        parent_columns: &[],
        fields: spec_columns::ACCOUNT_FIELDS,
    },
    Entity {
        function: "xero_organisation",
        endpoint: "Organisation",
        collection: "Organisations",
        paging: Paging::Unpaged,
        rows: RowShape::Records,
        summary: "The organisation (tenant) itself: one row.",
        filters: &[],
        parent_columns: &[],
        fields: spec_columns::ORGANISATION_FIELDS,
    },
];

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
            if let Paging::Pages { .. } = e.paging {
                assert!(e.spec_params().contains(&"page"), "{} pages but the spec has no page", e.function);
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
