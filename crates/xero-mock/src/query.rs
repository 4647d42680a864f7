//! List parameters shared by the accounting endpoints: paging, `order`, `where`,
//! `If-Modified-Since` and comma-separated id lists.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::ops::Range;

use crate::dates;
use crate::emit::Pagination;
use crate::fields::{Field, Getter, Queryable, Table, Value};
use crate::ids::Uuid;
use crate::model::Tenant;
use crate::reply::Reply;
use crate::request::Req;
use crate::where_clause::{self, Filter};

pub const DEFAULT_PAGE_SIZE: usize = 100;
pub const MAX_PAGE_SIZE: usize = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    pub page: usize,
    pub size: usize,
}

/// `page` (1-based) turns paging on; `pageSize` defaults to 100 and is capped at 1000.
pub fn paging(req: &Req, json: bool) -> Result<Option<Paging>, Reply> {
    let Some(page) = req.param("page") else {
        return Ok(None);
    };
    let number = |name: &str, v: &str| {
        v.trim().parse::<usize>().map_err(|_| {
            Reply::validation_error(
                json,
                &format!("The {name} parameter must be a positive integer"),
            )
        })
    };
    let page = number("page", page)?.max(1);
    let size = match req.param("pageSize") {
        Some(s) => number("pageSize", s)?.clamp(1, MAX_PAGE_SIZE),
        None => DEFAULT_PAGE_SIZE,
    };
    Ok(Some(Paging { page, size }))
}

/// The slice of `total` matching items on this page, and the `pagination` block.
pub fn page_slice(total: usize, p: Paging) -> (Range<usize>, Pagination) {
    let start = (p.page - 1).saturating_mul(p.size).min(total);
    let end = start.saturating_add(p.size).min(total);
    let pagination = Pagination {
        page: p.page,
        page_size: p.size,
        page_count: total.div_ceil(p.size),
        item_count: total,
    };
    (start..end, pagination)
}

/// A parsed `order` parameter: `Field [ASC|DESC]`, comma-separated.
pub struct Order<R: 'static> {
    keys: Vec<(&'static Field<R>, bool)>,
}

pub fn parse_order<R>(table: Table<R>, s: &str) -> Result<Order<R>, String> {
    let mut keys = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let mut words = part.split_whitespace();
        let name = words.next().unwrap_or_default();
        let desc = match words.next() {
            None => false,
            Some(d) if d.eq_ignore_ascii_case("asc") => false,
            Some(d) if d.eq_ignore_ascii_case("desc") => true,
            Some(d) => return Err(format!("Syntax error: ',' expected but found '{d}'")),
        };
        if words.next().is_some() {
            return Err(format!("Syntax error in order clause '{part}'"));
        }
        let field = table.field(name).ok_or_else(|| {
            format!(
                "No property or field '{name}' exists in type '{}'",
                table.type_name
            )
        })?;
        keys.push((field, desc));
    }
    Ok(Order { keys })
}

impl<R> Order<R> {
    /// Stable sort of record indices; nulls sort first ascending, strings ignore case
    /// first (as Xero's database collation does) and fall back to ordinal order.
    pub fn sort(&self, idx: &mut [u32], recs: &[R], t: &Tenant) {
        if self.keys.is_empty() {
            return;
        }
        idx.sort_by(|&a, &b| {
            let (ra, rb) = (&recs[a as usize], &recs[b as usize]);
            for (field, desc) in &self.keys {
                let ord = compare_values((field.get)(ra, t), (field.get)(rb, t));
                let ord = if *desc { ord.reverse() } else { ord };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            Ordering::Equal
        });
    }
}

pub fn compare_values(a: Value<'_>, b: Value<'_>) -> Ordering {
    match (a, b) {
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Less,
        (_, Value::Null) => Ordering::Greater,
        (Value::Str(x), Value::Str(y)) => {
            let folded = x
                .chars()
                .flat_map(char::to_lowercase)
                .cmp(y.chars().flat_map(char::to_lowercase));
            folded.then_with(|| x.cmp(y))
        }
        (Value::Num(x), Value::Num(y)) => x.cmp(&y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(&y),
        (Value::Date(x), Value::Date(y)) => x.cmp(&y),
        (Value::Guid(x), Value::Guid(y)) => x.cmp(&y),
        // A field always yields one type (or null), so mixed pairs do not occur.
        _ => Ordering::Equal,
    }
}

/// The `where`, `order` and `If-Modified-Since` parts of a list request.
pub struct Selection<R: 'static> {
    filter: Option<Filter<R>>,
    order: Order<R>,
    modified_since: Option<i64>,
    /// The field `If-Modified-Since` compares with.
    updated: Option<Getter<R>>,
}

impl<R: Queryable> Selection<R> {
    pub fn parse(req: &Req, json: bool) -> Result<Selection<R>, Reply> {
        Selection::parse_in(req, json, R::table(), Some("UpdatedDateUTC"), (true, true))
    }
}

impl<R> Selection<R> {
    /// Reads `where` and `order` against `table` when the endpoint takes them
    /// (`takes`: where, order; Xero ignores parameters an endpoint does not know), and
    /// `If-Modified-Since` when the endpoint compares it with field `modified`.
    pub fn parse_in(
        req: &Req,
        json: bool,
        table: Table<R>,
        modified: Option<&str>,
        (takes_where, takes_order): (bool, bool),
    ) -> Result<Selection<R>, Reply> {
        let filter = match req
            .param("where")
            .map(str::trim)
            .filter(|w| takes_where && !w.is_empty())
        {
            Some(w) => {
                Some(where_clause::parse_in(table, w).map_err(|m| Reply::query_error(json, &m))?)
            }
            None => None,
        };
        let order_param = req.param("order").filter(|_| takes_order);
        let order = parse_order(table, order_param.unwrap_or_default())
            .map_err(|m| Reply::query_error(json, &m))?;
        // An unparseable If-Modified-Since is ignored, as HTTP prescribes.
        let modified_since = req
            .header("if-modified-since")
            .and_then(dates::parse_http_date);
        Ok(Selection {
            filter,
            order,
            modified_since,
            updated: modified.and_then(|m| table.field(m)).map(|f| f.get),
        })
    }

    /// Indices of the records that pass every filter and `extra`, in response order.
    pub fn select(&self, recs: &[R], t: &Tenant, extra: impl Fn(&R) -> bool) -> Vec<u32> {
        let updated = self.updated;
        let mut idx: Vec<u32> = (0..recs.len() as u32)
            .filter(|&i| {
                let r = &recs[i as usize];
                let fresh = match (self.modified_since, updated) {
                    (Some(since), Some(get)) => matches!(get(r, t), Value::Date(ms) if ms >= since),
                    _ => true,
                };
                fresh && extra(r) && self.filter.as_ref().is_none_or(|f| f.matches(r, t))
            })
            .collect();
        self.order.sort(&mut idx, recs, t);
        idx
    }
}

/// A comma-separated list of GUIDs (`IDs`, `ContactIDs`); a malformed one is a 400.
pub fn guid_list(req: &Req, name: &str, json: bool) -> Result<Option<HashSet<Uuid>>, Reply> {
    let Some(raw) = req.param(name) else {
        return Ok(None);
    };
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            Uuid::parse(s).ok_or_else(|| {
                Reply::validation_error(
                    json,
                    &format!("'{s}' is not a valid GUID in the {name} parameter"),
                )
            })
        })
        .collect::<Result<HashSet<_>, _>>()
        .map(Some)
}

/// A comma-separated list of plain values (`InvoiceNumbers`, `Statuses`).
pub fn text_list(req: &Req, name: &str) -> Option<HashSet<String>> {
    req.param(name).map(|raw| {
        raw.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    })
}

pub fn flag(req: &Req, name: &str) -> bool {
    req.param(name)
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_math() {
        let cases = [
            // (total, page, size) -> (range, pageCount)
            ((2500, 1, 1000), (0..1000, 3)),
            ((2500, 3, 1000), (2000..2500, 3)),
            ((2500, 4, 1000), (2500..2500, 3)),
            ((0, 1, 100), (0..0, 0)),
            ((100, 1, 100), (0..100, 1)),
            ((101, 2, 100), (100..101, 2)),
        ];
        for ((total, page, size), (range, count)) in cases {
            let (r, p) = page_slice(total, Paging { page, size });
            assert_eq!((r, p.page_count, p.item_count), (range, count, total));
        }
    }

    #[test]
    fn value_order() {
        assert_eq!(compare_values(Value::Null, Value::Num(1)), Ordering::Less);
        assert_eq!(
            compare_values(Value::Str("apple"), Value::Str("Banana")),
            Ordering::Less
        );
        assert_eq!(
            compare_values(Value::Str("B"), Value::Str("b")),
            Ordering::Less
        );
    }
}
