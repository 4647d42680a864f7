//! Pushed conditions as Xero sees them: list parameters, `If-Modified-Since`, the `where`
//! expression (values quoted safely: a value that cannot be written safely is not sent, and the
//! local recheck does the filtering), option parameters, and the page size of a pushed LIMIT.

use crate::dates::{civil_from_days, format_utc_seconds, PG_EPOCH_DAYS, PG_EPOCH_MICROS};
use crate::entities::{ColumnType, Entity, FilterKind};
use crate::list::{format_date, plan_list, ListPlan};
use crate::pushdown::{where_field, Cond, Op, Operand, Push, Requests, ScanPlan, TableColumn, TableColumnKind, Value, IDS_PER_CALL};
use crate::{Result, XeroError};

/// A value at render time: known, or a runtime value not known yet (EXPLAIN shows `$n`).
enum Known<'a> {
    Value(&'a Value),
    Later(String),
}

fn resolve<'a>(operand: &'a Operand, params: Option<&'a [Value]>) -> Option<Known<'a>> {
    match (operand, params) {
        (Operand::Const(v), _) => Some(Known::Value(v)),
        (Operand::Param(n), Some(p)) => p.get(*n).map(Known::Value),
        (Operand::Param(n), None) => Some(Known::Later(format!("${}", n + 1))),
    }
}

/// Whether `cond` can be a `where` term (given values it can write), and whether Xero then keeps
/// exactly PostgreSQL's rows. Text compares as Xero's collation does (perhaps ignoring case), a
/// `!=` keeps Xero's nulls, timestamps go to the second: those terms are supersets.
pub(super) fn where_shape(entity: &Entity, cols: &[TableColumn], cond: &Cond) -> Option<bool> {
    let field = |column: &usize| cols.get(*column).filter(|c| matches!(c.kind, TableColumnKind::Data(_))).and_then(|c| where_field(entity, c).map(|_| c.ty));
    match cond {
        Cond::Cmp { column, op, .. } => {
            use ColumnType::*;
            match (field(column)?, op) {
                (Text, Op::Eq) => Some(false),
                (Uuid | Boolean, Op::Eq) => Some(true),
                (Uuid | Boolean, Op::Ne) => Some(false),
                (Numeric | Integer | BigInt | Date, Op::Ne) => Some(false),
                (Numeric | Integer | BigInt | Date, _) => Some(true),
                (Timestamptz, Op::Lt | Op::Le | Op::Gt | Op::Ge) => Some(false),
                _ => None,
            }
        }
        Cond::In { column, .. } => match field(column)? {
            ColumnType::Text => Some(false),
            ColumnType::Uuid | ColumnType::Numeric | ColumnType::Integer | ColumnType::BigInt | ColumnType::Date => Some(true),
            _ => None,
        },
        Cond::IsNull { column, .. } => field(column).map(|_| false),
        Cond::Like { column, pattern: Operand::Const(Value::Text(p)) } => (field(column)? == ColumnType::Text && like_method(p).is_some()).then_some(false),
        Cond::Like { .. } => None,
        Cond::And(parts) | Cond::Or(parts) => {
            let mut exact = true;
            for p in parts {
                exact &= where_shape(entity, cols, p)?;
            }
            Some(exact)
        }
    }
}

/// `LIKE 'abc%'` → StartsWith, `'%abc%'` → Contains, `'%abc'` → EndsWith; nothing else (other
/// wildcards, escapes).
fn like_method(pattern: &str) -> Option<(&'static str, &str)> {
    let (method, inner) = match (pattern.strip_prefix('%'), pattern.strip_suffix('%')) {
        (Some(rest), Some(_)) if rest.len() >= 1 && pattern.len() >= 2 => ("Contains", &pattern[1..pattern.len() - 1]),
        (Some(rest), None) => ("EndsWith", rest),
        (None, Some(rest)) => ("StartsWith", rest),
        _ => return None,
    };
    (!inner.is_empty() && !inner.contains(['%', '_', '\\'])).then_some((method, inner))
}

/// A Xero string literal: double quotes, an inner quote doubled. Backslashes (whose meaning
/// Xero's parser may change) and control characters are not written: the term is not sent.
pub(crate) fn quote_text(s: &str) -> Option<String> {
    if s.contains('\\') || s.chars().any(char::is_control) {
        return None;
    }
    Some(format!("\"{}\"", s.replace('"', "\"\"")))
}

/// PostgreSQL's numeric text as a Xero decimal (at most 6 decimals, no exponent, no NaN).
fn decimal(text: &str) -> Option<String> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let frac = frac.trim_end_matches('0');
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 6 {
        return None;
    }
    let sign = if text.starts_with('-') { "-" } else { "" };
    Some(if frac.is_empty() { format!("{sign}{int}") } else { format!("{sign}{int}.{frac}") })
}

fn datetime_of_days(days: i64) -> Option<(i64, u32, u32)> {
    let (y, m, d) = civil_from_days(days + PG_EPOCH_DAYS);
    (1..=9999).contains(&y).then_some((y, m, d))
}

/// A Xero literal of `v` for a column of type `ty` compared with `op`.
fn literal(ty: ColumnType, v: &Value, op: Op) -> Option<String> {
    Some(match (ty, v) {
        (ColumnType::Text, Value::Text(s)) => quote_text(s)?,
        (ColumnType::Uuid, Value::Uuid(u)) if crate::decode::parse_uuid(u).is_some() => format!("Guid(\"{u}\")"),
        (ColumnType::Numeric, Value::Numeric(n)) => decimal(n)?,
        (ColumnType::Integer | ColumnType::BigInt, Value::Int(n)) => n.to_string(),
        (ColumnType::Boolean, Value::Bool(b)) => b.to_string(),
        (ColumnType::Date, Value::Date(d)) if *d != i32::MIN && *d != i32::MAX => {
            let (y, m, d) = datetime_of_days(i64::from(*d))?;
            format!("DateTime({y},{m:02},{d:02})")
        }
        (ColumnType::Timestamptz, Value::Timestamptz(us)) if *us != i64::MIN && *us != i64::MAX => {
            // To the second, widened: `>` / `>=` from the second before, `<` / `<=` to the next.
            let secs = match op {
                Op::Gt | Op::Ge => us.div_euclid(1_000_000),
                _ => us.div_euclid(1_000_000) + i64::from(us.rem_euclid(1_000_000) != 0),
            };
            let (y, m, d) = datetime_of_days(secs.div_euclid(86_400))?;
            let s = secs.rem_euclid(86_400);
            format!("DateTime({y},{m:02},{d:02},{:02},{:02},{:02})", s / 3600, s / 60 % 60, s % 60)
        }
        _ => return None,
    })
}

fn op_text(op: Op, widen_time: bool) -> &'static str {
    match op {
        Op::Eq => "==",
        Op::Ne => "!=",
        Op::Lt | Op::Le if widen_time => "<=",
        Op::Gt | Op::Ge if widen_time => ">=",
        Op::Lt => "<",
        Op::Le => "<=",
        Op::Gt => ">",
        Op::Ge => ">=",
    }
}

/// The `where` text of a condition `where_shape` accepted, or None when a value cannot be sent
/// (NULL, a backslash, too many decimals): the condition is then left to the local recheck.
fn where_text(entity: &Entity, cols: &[TableColumn], cond: &Cond, params: Option<&[Value]>) -> Option<String> {
    let col = |column: &usize| cols.get(*column).and_then(|c| Some((where_field(entity, c)?, c.ty)));
    match cond {
        Cond::Cmp { column, op, value } => {
            let (name, ty) = col(column)?;
            let lit = match resolve(value, params)? {
                Known::Value(v) => literal(ty, v, *op)?,
                Known::Later(p) => p,
            };
            Some(format!("{name}{}{lit}", op_text(*op, ty == ColumnType::Timestamptz)))
        }
        Cond::In { column, values } => {
            let (name, ty) = col(column)?;
            match resolve(values, params)? {
                Known::Value(Value::List(items)) => {
                    let terms = items.iter().filter(|v| **v != Value::Null).map(|v| Some(format!("{name}=={}", literal(ty, v, Op::Eq)?))).collect::<Option<Vec<_>>>()?;
                    // An empty list matches nothing; `false` is not a term Xero knows, so leave it local.
                    (!terms.is_empty()).then(|| format!("({})", terms.join(" OR ")))
                }
                Known::Value(_) => None,
                Known::Later(p) => Some(format!("{name} IN {p}")),
            }
        }
        Cond::IsNull { column, negated } => {
            let (name, _) = col(column)?;
            Some(format!("{name}{}null", if *negated { "!=" } else { "==" }))
        }
        Cond::Like { column, pattern: Operand::Const(Value::Text(p)) } => {
            let (name, _) = col(column)?;
            let (method, inner) = like_method(p)?;
            Some(format!("{name}.{method}({})", quote_text(inner)?))
        }
        Cond::Like { .. } => None,
        Cond::And(parts) | Cond::Or(parts) => {
            let joiner = if matches!(cond, Cond::And(_)) { " AND " } else { " OR " };
            let texts = parts.iter().map(|p| where_text(entity, cols, p, params)).collect::<Option<Vec<_>>>()?;
            Some(format!("({})", texts.join(joiner)))
        }
    }
}

/// The values of a pushed list condition (`= x` or `IN (…)`), NULLs left out, each once.
fn list_values(cond: &Cond, params: Option<&[Value]>) -> Option<ListValues> {
    let operand = match cond {
        Cond::Cmp { value, .. } => value,
        Cond::In { values, .. } => values,
        _ => return None,
    };
    Some(match resolve(operand, params)? {
        Known::Later(p) => ListValues::Later(p),
        Known::Value(Value::List(items)) => ListValues::Known(text_items(items)?),
        Known::Value(v) => ListValues::Known(text_items(std::slice::from_ref(v))?),
    })
}

enum ListValues {
    Known(Vec<String>),
    Later(String),
}

/// List items as Xero takes them; None (not pushed) when one holds a comma.
fn text_items(items: &[Value]) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for v in items {
        let s = match v {
            Value::Null => continue,
            Value::Text(s) | Value::Uuid(s) => s.clone(),
            _ => return None,
        };
        if s.contains(',') || s.trim().is_empty() || s.chars().any(char::is_control) {
            return None;
        }
        if !out.contains(&s) {
            out.push(s);
        }
    }
    Some(out)
}

fn option_value(filter_kind: FilterKind, v: &Value) -> Option<String> {
    match (filter_kind, v) {
        (FilterKind::Flag(_), Value::Bool(b)) => Some(b.to_string()),
        (FilterKind::UnitDp, Value::Int(n)) if (0..=4).contains(n) => Some(n.to_string()),
        (FilterKind::Query(_), Value::Text(s)) if !s.trim().is_empty() => Some(s.clone()),
        (FilterKind::Query(_), Value::Date(d)) if *d != i32::MIN && *d != i32::MAX => Some(format_date(*d)),
        (FilterKind::Query(_), Value::Int(n)) => Some(n.to_string()),
        _ => None,
    }
}

pub(super) fn requests(plan: &ScanPlan, api_url: &str, params: Option<&[Value]>) -> Result<Requests> {
    let entity = plan.entity().ok_or_else(|| XeroError::internal(format!("no entity {}", plan.entity)))?;
    let cols = super::table_columns(entity);
    let mut base = plan_list(entity, api_url, &[])?;
    let mut query: Vec<(String, String)> = Vec::new();
    let mut where_terms: Vec<String> = Vec::new();
    let mut ids: Option<Vec<String>> = None;
    let mut matches_nothing = false;
    let mut exact = plan.limit.is_some();
    for (cond, push) in plan.conds.iter().zip(&plan.pushed) {
        let Some(push) = push else { continue };
        let column = match cond {
            Cond::Cmp { column, .. } | Cond::In { column, .. } | Cond::IsNull { column, .. } | Cond::Like { column, .. } => cols.get(*column),
            _ => None,
        };
        match push {
            Push::List(name) => match list_values(cond, params) {
                Some(ListValues::Known(items)) if items.is_empty() => matches_nothing = true,
                Some(ListValues::Known(items)) => {
                    if name == "Statuses" && items.iter().any(|s| s.chars().any(|c| !c.is_ascii_uppercase() && c != '_')) {
                        exact = false;
                    }
                    if name == "IDs" {
                        ids = Some(items);
                    } else {
                        query.push((name.clone(), items.join(",")));
                    }
                }
                Some(ListValues::Later(p)) => query.push((name.clone(), p)),
                None => exact = false,
            },
            Push::ModifiedSince => {
                let Cond::Cmp { value, .. } = cond else { continue };
                match resolve(value, params) {
                    Some(Known::Value(Value::Timestamptz(us))) if *us != i64::MIN && *us != i64::MAX => {
                        if let Some(unix) = us.checked_add(PG_EPOCH_MICROS) {
                            base.headers.push(("if-modified-since".into(), format_utc_seconds(unix.div_euclid(1_000_000))));
                        }
                    }
                    // `> NULL` matches nothing; -infinity everything.
                    Some(Known::Value(Value::Null)) => matches_nothing = true,
                    Some(Known::Later(p)) => base.headers.push(("if-modified-since".into(), p)),
                    _ => {}
                }
            }
            Push::Where => match where_text(entity, &cols, cond, params) {
                Some(t) => where_terms.push(t),
                None => exact = false,
            },
            Push::Option(_) => {
                let (Some(TableColumn { kind: TableColumnKind::Option(f), .. }), Cond::Cmp { value, .. }) = (column, cond) else { continue };
                let wire = match f.kind {
                    FilterKind::UnitDp => "unitdp",
                    other => other.wire_name().unwrap_or(f.arg),
                };
                let text = match resolve(value, params) {
                    Some(Known::Value(v)) => option_value(f.kind, v),
                    Some(Known::Later(p)) => Some(p),
                    None => None,
                };
                if let Some(text) = text {
                    base.query.retain(|(k, _)| k != wire);
                    query.push((wire.to_string(), text));
                } else {
                    exact = false;
                }
            }
        }
    }
    if !where_terms.is_empty() {
        query.push(("where".into(), where_terms.join(" AND ")));
    }
    if let Some(order) = plan.order_text() {
        query.push(("order".into(), order));
    }
    base.query.splice(0..0, query);
    if let (Some(n), true) = (plan.limit, exact) {
        if n == 0 {
            matches_nothing = true;
        }
        apply_limit(&mut base, n);
    }
    let endpoint = entity.endpoint;
    let mut plans = Vec::new();
    let description;
    match &ids {
        Some(ids) => {
            let batches: Vec<&[String]> = ids.chunks(IDS_PER_CALL).collect();
            for batch in &batches {
                let mut p = base.clone();
                p.query.insert(0, ("IDs".into(), batch.join(",")));
                plans.push(p);
            }
            let mut d = describe(endpoint, &plans[0]);
            if batches.len() > 1 {
                d.push_str(&format!(" ({} ids in {} calls of at most {IDS_PER_CALL})", ids.len(), batches.len()));
            }
            description = d;
        }
        None => {
            description = describe(endpoint, &base);
            plans.push(base);
        }
    }
    if matches_nothing {
        plans.clear();
        return Ok(Requests { plans, description: "none (a pushed condition matches no record)".into() });
    }
    Ok(Requests { plans, description })
}

/// Fewer and smaller pages for `n` rows.
fn apply_limit(plan: &mut ListPlan, n: u64) {
    let n32 = u32::try_from(n.max(1)).unwrap_or(u32::MAX);
    let size = match plan.page_size {
        Some(max) => {
            let size = n32.min(max);
            plan.page_size = Some(size);
            size
        }
        None => match plan.paging {
            crate::entities::Paging::FixedPages { size } | crate::entities::Paging::Offset { batch: size, .. } => size,
            _ => return,
        },
    };
    plan.max_pages = Some(n32.div_ceil(size));
}

/// `GET Invoices?Statuses=AUTHORISED&where=…&page=1&pageSize=…` with the headers that matter.
fn describe(endpoint: &str, plan: &ListPlan) -> String {
    let mut q: Vec<String> = plan.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if let Some(size) = plan.page_size {
        q.push(format!("pageSize={size}"));
    }
    let mut out = format!("GET {endpoint}");
    if !q.is_empty() {
        out.push('?');
        out.push_str(&q.join("&"));
    }
    for (k, v) in &plan.headers {
        if k == "if-modified-since" {
            out.push_str(&format!(" (If-Modified-Since: {v})"));
        }
    }
    if let Some(m) = plan.max_pages {
        out.push_str(&format!(" (at most {m} page{})", if m == 1 { "" } else { "s" }));
    }
    out
}
