//! SQL and Markdown generated from the entity registry: the extension script's set-returning
//! functions and `docs/tables.md` come from here, so they cannot drift from the code.

use std::fmt::Write;

use crate::entities::{Entity, ENTITIES, SPEC_VERSION};
use crate::reports::{tidy, Report, REPORTS};

/// The C symbol every entity function is bound to; it finds its entity by function name.
pub const ENTITY_ROWS_SYMBOL: &str = "xero_entity_rows";

pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn arg_list(e: &Entity, with_names: bool) -> String {
    let mut args = vec![if with_names { "org text".to_string() } else { "text".to_string() }];
    for f in e.filters {
        args.push(if with_names { format!("{} {} DEFAULT NULL", f.arg, f.ty.sql()) } else { f.ty.sql().to_string() });
    }
    args.join(", ")
}

pub fn function_comment(e: &Entity) -> String {
    let mut c = format!("{} Rows from GET {} of the organisation (foreign server) named by org.", e.summary, e.endpoint);
    if !e.filters.is_empty() {
        c.push_str(" Filters: ");
        c.push_str(&e.filters.iter().map(|f| format!("{} ({})", f.arg, f.description)).collect::<Vec<_>>().join("; "));
        c.push('.');
    }
    c
}

/// `CREATE FUNCTION` and `COMMENT ON FUNCTION` for every entity.
pub fn entity_functions_sql() -> String {
    let mut sql = String::from(
        "-- @generated from the entity registry (crates/xero-core/src/entities) by xero_core::sql; do not edit.\n\
         -- Set-returning functions of every entity; a test keeps this file up to date.\n",
    );
    for e in ENTITIES {
        let columns: Vec<String> = e.columns().iter().map(|c| format!("    {} {}", ident(c.name), c.ty.sql())).collect();
        let rows = match e.paging {
            crate::entities::Paging::Unpaged => 100,
            _ => 1000,
        };
        let _ = write!(
            sql,
            "\nCREATE OR REPLACE FUNCTION {name}({args})\nRETURNS TABLE (\n{cols}\n)\nLANGUAGE c VOLATILE PARALLEL UNSAFE ROWS {rows}\nAS 'MODULE_PATHNAME', '{sym}';\n",
            name = e.function,
            args = arg_list(e, true),
            cols = columns.join(",\n"),
            sym = ENTITY_ROWS_SYMBOL,
        );
        let _ = writeln!(sql, "COMMENT ON FUNCTION {}({}) IS {};", e.function, arg_list(e, false), literal(&function_comment(e)));
    }
    sql
}

/// The C symbol every report function is bound to; it finds its report by function name.
pub const REPORT_ROWS_SYMBOL: &str = "xero_report_rows";

fn report_args(r: &Report, with_names: bool) -> String {
    let mut args = vec![if with_names { "org text".to_string() } else { "text".to_string() }];
    for p in r.params {
        args.push(match (with_names, p.required) {
            (false, _) => p.ty.sql().to_string(),
            (true, true) => format!("{} {}", p.arg, p.ty.sql()),
            (true, false) => format!("{} {} DEFAULT NULL", p.arg, p.ty.sql()),
        });
    }
    args.join(", ")
}

fn report_comment(r: &Report) -> String {
    let mut c = format!("{} GET {} of the organisation (foreign server) named by org: one row per value cell.", r.summary, r.path);
    if !r.params.is_empty() {
        c.push_str(" Parameters: ");
        c.push_str(&r.params.iter().map(|p| format!("{} ({})", p.arg, p.description)).collect::<Vec<_>>().join("; "));
        c.push('.');
    }
    c
}

/// `CREATE FUNCTION` and `COMMENT ON FUNCTION` for every report.
pub fn report_functions_sql() -> String {
    let mut sql = String::new();
    let columns: Vec<String> = tidy::COLUMNS.iter().map(|(name, ty, _)| format!("    {} {}", ident(name), ty.sql())).collect();
    for r in REPORTS {
        let _ = write!(
            sql,
            "\nCREATE OR REPLACE FUNCTION {name}({args})\nRETURNS TABLE (\n{cols}\n)\nLANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 200\nAS 'MODULE_PATHNAME', '{sym}';\n",
            name = r.function,
            args = report_args(r, true),
            cols = columns.join(",\n"),
            sym = REPORT_ROWS_SYMBOL,
        );
        let _ = writeln!(sql, "COMMENT ON FUNCTION {}({}) IS {};", r.function, report_args(r, false), literal(&report_comment(r)));
    }
    sql
}

/// Everything `sql/generated_functions.sql` holds: the entity functions, then the reports.
pub fn generated_functions_sql() -> String {
    entity_functions_sql() + &report_functions_sql()
}

fn reports_markdown(md: &mut String) {
    let _ = writeln!(md, "# Reports
");
    let _ = writeln!(
        md,
        "Every report comes back in the same tidy shape, one row per value cell:\n\n| column | type | description |\n|---|---|---|"
    );
    for (name, ty, desc) in tidy::COLUMNS {
        let _ = writeln!(md, "| `{name}` | {} | {desc} |", ty.sql());
    }
    md.push('\n');
    for r in REPORTS {
        let _ = writeln!(md, "## `{}({})`\n", r.function, report_args(r, true).replace(" DEFAULT NULL", ""));
        let _ = writeln!(md, "{} `GET {}`.\n", r.summary, r.path);
        if !r.params.is_empty() {
            let _ = writeln!(md, "| argument | type | sent as | meaning |\n|---|---|---|---|");
            for p in r.params {
                let required = if p.required { " (required)" } else { "" };
                let _ = writeln!(md, "| `{}` | {} | `{}` | {}{required} |", p.arg, p.ty.sql(), p.wire, p.description.replace('|', "\\|"));
            }
            md.push('\n');
        }
    }
}

/// What the entity's foreign table takes of INSERT, UPDATE and DELETE (from `entities::WRITES`).
fn writes_line(e: &crate::entities::Entity) -> String {
    use crate::entities::{Delete, Update};
    let Some(w) = e.write() else {
        return match e.rows {
            crate::entities::RowShape::Children { key } => format!("Foreign table: read-only; the {key} are written with their {}, as its jsonb column.", e.endpoint),
            _ => "Foreign table: read-only (Xero has no way to write it through the API).".to_string(),
        };
    };
    let insert = if w.inserts_in_batches() {
        format!("INSERT (`PUT {}`, batches of `batch_size` rows judged one by one)", w.path)
    } else {
        format!("INSERT (`PUT {}`, a row a call)", w.path)
    };
    let update = match w.update {
        Update::Single if w.batch_update => format!("UPDATE (`POST {}/{{id}}`; without RETURNING, batches of `batch_size` as `POST {}` judged one by one)", w.path, w.path),
        Update::Single => format!("UPDATE (`POST {}/{{id}}`)", w.path),
        Update::Collection => format!("UPDATE (`POST {}` with the id)", w.path),
        Update::No => "no UPDATE (Xero cannot change them)".to_string(),
    };
    let delete = match w.delete {
        Delete::Endpoint => format!("DELETE (`DELETE {}/{{id}}`)", w.path),
        Delete::Status(rules) => {
            let r: Vec<String> = rules.iter().map(|(f, t)| if *f == "*" { format!("becomes {t}") } else { format!("{f} becomes {t}") }).collect();
            format!("DELETE (status: {})", r.join(", "))
        }
        Delete::Unsupported(why) => format!("no DELETE ({why})"),
    };
    format!("Foreign table: {insert}, {update}, {delete}.")
}

/// The reference of every entity and report function, for `docs/tables.md`.
pub fn markdown_reference() -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Xero tables: set-returning functions\n");
    let _ = writeln!(
        md,
        "Generated from the entity registry, whose columns come from Xero's OpenAPI specification (version {SPEC_VERSION}).\n\
         Every function takes the organisation (a foreign server of `xero_fdw`) first; the filters are optional named\n\
         arguments (`xero_invoices('acme', statuses => '{{AUTHORISED}}')`) that become Xero's own parameters.\n"
    );
    for e in ENTITIES {
        let _ = writeln!(md, "## `{}(org text{})`\n", e.function, e.filters.iter().map(|f| format!(", {} {}", f.arg, f.ty.sql())).collect::<String>());
        let paging = match e.paging {
            crate::entities::Paging::Pages { max_page_size } => format!("paged, {max_page_size} records a call"),
            crate::entities::Paging::FixedPages { size } => format!("paged, Xero's fixed {size} records a call"),
            crate::entities::Paging::Offset { batch, column } => format!("by offset (the last {column} read), {batch} records a call"),
            crate::entities::Paging::Unpaged => "one call".to_string(),
        };
        let _ = writeln!(md, "{} `GET {}`, {paging}.\n", e.summary, e.endpoint);
        let _ = writeln!(md, "{}\n", writes_line(e));
        if !e.filters.is_empty() {
            let _ = writeln!(md, "| argument | type | sent as | meaning |\n|---|---|---|---|");
            for f in e.filters {
                let wire = f.kind.wire_name().map(|w| format!("`{w}`")).unwrap_or_else(|| "(not sent)".into());
                let _ = writeln!(md, "| `{}` | {} | {} | {} |", f.arg, f.ty.sql(), wire, f.description.replace('|', "\\|"));
            }
            md.push('\n');
        }
        let _ = writeln!(md, "| column | type | Xero field | description |\n|---|---|---|---|");
        for c in e.columns() {
            let field = match c.source {
                crate::entities::Source::Field(p) => p.join("."),
                crate::entities::Source::Parent(p) => format!("(parent) {}", p.join(".")),
                crate::entities::Source::Ordinal => "(position)".into(),
            };
            let _ = writeln!(md, "| `{}` | {} | `{}` | {} |", c.name, c.ty.sql(), field, c.description.replace('|', "\\|"));
        }
        md.push('\n');
    }
    reports_markdown(&mut md);
    md
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn functions_are_declared_with_every_filter_and_a_comment() {
        let sql = entity_functions_sql();
        for e in ENTITIES {
            assert!(sql.contains(&format!("CREATE OR REPLACE FUNCTION {}(org text", e.function)));
            assert!(sql.contains(&format!("COMMENT ON FUNCTION {}(text", e.function)));
            for f in e.filters {
                assert!(sql.contains(&format!("{} {} DEFAULT NULL", f.arg, f.ty.sql())), "{}", f.arg);
            }
        }
        assert_eq!(sql.matches(ENTITY_ROWS_SYMBOL).count(), ENTITIES.len());
    }

    #[test]
    fn argument_names_never_collide_with_column_names() {
        // PostgreSQL rejects a RETURNS TABLE column named like an argument.
        for e in ENTITIES {
            let cols: HashSet<&str> = e.columns().iter().map(|c| c.name).collect();
            for a in std::iter::once("org").chain(e.filters.iter().map(|f| f.arg)) {
                assert!(!cols.contains(a), "{}: {a}", e.function);
            }
        }
    }

    /// A committed file must be what the registry generates; `XERO_UPDATE_GENERATED=1 cargo test
    /// -p xero-core` rewrites it.
    fn assert_generated(relative: &str, want: &str) {
        let path = format!("{}/../../{relative}", env!("CARGO_MANIFEST_DIR"));
        if std::env::var_os("XERO_UPDATE_GENERATED").is_some() {
            std::fs::write(&path, want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(have == want, "{relative} is stale: run XERO_UPDATE_GENERATED=1 cargo test -p xero-core");
    }

    #[test]
    fn docs_tables_md_is_up_to_date() {
        assert_generated("docs/tables.md", &markdown_reference());
    }

    #[test]
    fn sql_generated_functions_is_up_to_date() {
        assert_generated("sql/generated_functions.sql", &generated_functions_sql());
    }

    /// The upgrade script from the previous release creates (or replaces) the entity functions
    /// exactly as a fresh install does: its part after the marker is the generated SQL.
    #[test]
    fn the_upgrade_script_creates_the_entity_functions_of_this_release() {
        const SCRIPT: &str = "sql/xero_fdw--0.2.0--0.3.0.sql";
        const MARKER: &str = "-- The generated functions of this release (kept equal to sql/generated_functions.sql by a test):\n";
        let path = format!("{}/../../{SCRIPT}", env!("CARGO_MANIFEST_DIR"));
        let have = std::fs::read_to_string(&path).unwrap();
        let (head, _) = have.split_once(MARKER).unwrap_or_else(|| panic!("{SCRIPT} has no marker line {MARKER:?}"));
        assert_generated(SCRIPT, &format!("{head}{MARKER}{}", generated_functions_sql()));
    }
}
