//! Serving a generic collection (`collections.rs`): the list with its parameters and
//! paging style, and the single-record GET. Authentication, tenant, rate limits and
//! faults are checked before this, by `accounting.rs`, as for the hand-built routes.

use std::cmp::Ordering;

use crate::accounting::respond;
use crate::collections::{Collection, Paging, Param, COLLECTIONS, FIXED_PAGE};
use crate::dates;
use crate::emit;
use crate::fields::{Field, Ty, Value, NUM_SCALE};
use crate::generic_emit;
use crate::generic_model::{layout, GRecord};
use crate::ids::Uuid;
use crate::model::Tenant;
use crate::query::{self, compare_values, Selection};
use crate::render_json::JsonSink;
use crate::render_xml::XmlSink;
use crate::reply::{Reply, XML};
use crate::request::Req;
use crate::state::State;
use crate::unit_dp::UnitDp;

pub fn serve(state: &State, req: &Req, tenant: usize, coll: usize, id: Option<&str>) -> Reply {
    let json = req.wants_json();
    let c = &COLLECTIONS[coll];
    if c.key == "Journals" {
        // Journals live in the tenant's compact ledger, not as generic records.
        return crate::ledger_journals::serve(state, req, tenant, id);
    }
    let recs = &*state.generic_live(tenant, coll);
    // Unit prices keep four decimals only where the endpoint takes `unitdp` and it says 4.
    let dp = if c.unit_dp {
        UnitDp::of(req)
    } else {
        UnitDp::TWO
    };
    let t = &*state.tenant(tenant);
    let (rows, pagination) = match id {
        Some(id) => match find_one(recs, t, c, coll, id) {
            Some(i) => (vec![i as u32], None),
            None => return Reply::not_found(),
        },
        None => match list(req, t, c, coll, recs, json) {
            Ok(rows) => rows,
            Err(reply) => return reply,
        },
    };
    respond!(
        state,
        json,
        512 + rows.len() * 1500,
        pagination.as_ref(),
        c.key,
        |s| {
            for &i in &rows {
                generic_emit::record(s, &recs[i as usize].obj, dp);
            }
        }
    )
}

type Rows = (Vec<u32>, Option<emit::Pagination>);

/// The record a single-record GET names, by the first of the entry's `by` fields that matches.
fn find_one(recs: &[GRecord], t: &Tenant, c: &Collection, coll: usize, id: &str) -> Option<usize> {
    let table = layout(coll).table;
    c.by.iter().filter_map(|f| table.field(f)).find_map(|f| {
        let wanted = Wanted::parse(f.ty, id)?;
        recs.iter().position(|r| wanted.matches((f.get)(r, t)))
    })
}

fn list(
    req: &Req,
    t: &Tenant,
    c: &Collection,
    coll: usize,
    recs: &[GRecord],
    json: bool,
) -> Result<Rows, Reply> {
    let table = layout(coll).table;
    let selection = Selection::parse_in(req, json, table, c.modified, (c.where_, c.order))?;
    let filters = c
        .params
        .iter()
        .map(|p| Filter::parse(req, p, c, coll, json))
        .collect::<Result<Vec<_>, _>>()?;
    let filters: Vec<Filter> = filters.into_iter().flatten().collect();
    let offset = match c.paging {
        Paging::Offset { field } => Some((
            table.field(field).expect("registry fields exist"),
            i128::from(offset(req, json)?) * NUM_SCALE,
        )),
        _ => None,
    };
    let mut idx = selection.select(recs, t, |r| {
        filters.iter().all(|f| f.pass(r, t))
            && offset.is_none_or(|(f, after)| {
                compare_values((f.get)(r, t), Value::Num(after)) == Ordering::Greater
            })
    });
    Ok(match c.paging {
        Paging::PageSize => match query::paging(req, json)? {
            Some(p) => {
                let (range, pagination) = query::page_slice(idx.len(), p);
                (idx[range].to_vec(), Some(pagination))
            }
            None => (idx, None),
        },
        Paging::Page100 => match query::paging(req, json)? {
            // Xero's page size here is fixed; `pageSize` is not a parameter of these endpoints.
            Some(p) => {
                let (range, _) = query::page_slice(
                    idx.len(),
                    query::Paging {
                        page: p.page,
                        size: FIXED_PAGE,
                    },
                );
                (idx[range].to_vec(), None)
            }
            None => (idx, None),
        },
        Paging::Offset { .. } => {
            let (f, _) = offset.expect("offset paging has its field");
            idx.sort_by(|&a, &b| {
                compare_values((f.get)(&recs[a as usize], t), (f.get)(&recs[b as usize], t))
            });
            idx.truncate(FIXED_PAGE);
            (idx, None)
        }
        Paging::None => (idx, None),
    })
}

/// `offset`: the last number read (0 or absent: from the start).
pub fn offset(req: &Req, json: bool) -> Result<i64, Reply> {
    match req.param("offset").map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(0),
        Some(s) => s
            .parse::<i64>()
            .map_err(|_| Reply::validation_error(json, "The offset parameter must be an integer")),
    }
}

/// A value a parameter or path segment asks for, typed like the field it is compared with.
enum Wanted {
    Guid(u128),
    Text(String),
    Num(i128),
}

impl Wanted {
    fn parse(ty: Ty, s: &str) -> Option<Wanted> {
        let s = s.trim();
        match ty {
            Ty::Guid => Uuid::parse(s).map(|u| Wanted::Guid(u.0)),
            Ty::Num => s
                .parse::<i64>()
                .ok()
                .map(|n| Wanted::Num(i128::from(n) * NUM_SCALE)),
            _ => Some(Wanted::Text(s.to_string())),
        }
    }

    fn matches(&self, v: Value<'_>) -> bool {
        match (self, v) {
            (Wanted::Guid(w), Value::Guid(g)) => *w == g,
            (Wanted::Num(w), Value::Num(n)) => *w == n,
            (Wanted::Text(w), Value::Str(s)) => w.eq_ignore_ascii_case(s),
            _ => false,
        }
    }
}

/// One list parameter of the request, resolved against the collection's fields.
enum Filter {
    AnyOf(&'static Field<GRecord>, Vec<Wanted>),
    From(&'static Field<GRecord>, i64),
    To(&'static Field<GRecord>, i64),
    Without(&'static Field<GRecord>, &'static str),
    OnlyIn(&'static Field<GRecord>, &'static [&'static str]),
}

impl Filter {
    /// `None` when the request does not use the parameter.
    fn parse(
        req: &Req,
        p: &Param,
        c: &Collection,
        coll: usize,
        json: bool,
    ) -> Result<Option<Filter>, Reply> {
        let table = layout(coll).table;
        let field = |path: &str| table.field(path).expect("registry fields exist");
        let name = p.name();
        let raw = req.param(name).map(str::trim).filter(|s| !s.is_empty());
        let bad = |what: &str| {
            Reply::validation_error(
                json,
                &format!(
                    "'{}' is not a valid {what} in the {name} parameter",
                    raw.unwrap_or_default()
                ),
            )
        };
        Ok(match (*p, raw) {
            (Param::Include(_, f, value), _) => {
                (!query::flag(req, name)).then(|| Filter::Without(field(f), value))
            }
            (Param::Only(_, f, values), _) => {
                query::flag(req, name).then(|| Filter::OnlyIn(field(f), values))
            }
            (_, None) => None,
            (Param::Ids | Param::Equals(..) | Param::AnyOf(..), Some(raw)) => {
                let f = match *p {
                    Param::Equals(_, f) | Param::AnyOf(_, f) => field(f),
                    _ => field(c.id),
                };
                let list = matches!(p, Param::Equals(..))
                    .then(|| vec![raw])
                    .unwrap_or_else(|| {
                        raw.split(',')
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .collect()
                    });
                let wanted = list
                    .into_iter()
                    .map(|s| {
                        Wanted::parse(f.ty, s).ok_or_else(|| {
                            Reply::validation_error(
                                json,
                                &format!("'{s}' is not a valid GUID in the {name} parameter"),
                            )
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Some(Filter::AnyOf(f, wanted))
            }
            (Param::From(_, f) | Param::To(_, f), Some(raw)) => {
                let ms = dates::parse_http_date(raw).ok_or_else(|| bad("date"))?;
                Some(match p {
                    Param::From(..) => Filter::From(field(f), ms),
                    _ => Filter::To(field(f), ms),
                })
            }
        })
    }

    fn pass(&self, r: &GRecord, t: &Tenant) -> bool {
        match self {
            Filter::AnyOf(f, wanted) => {
                let v = (f.get)(r, t);
                wanted.iter().any(|w| w.matches(v))
            }
            Filter::From(f, ms) => matches!((f.get)(r, t), Value::Date(d) if d >= *ms),
            Filter::To(f, ms) => matches!((f.get)(r, t), Value::Date(d) if d <= *ms),
            Filter::Without(f, value) => !matches!((f.get)(r, t), Value::Str(s) if s == *value),
            Filter::OnlyIn(f, values) => {
                matches!((f.get)(r, t), Value::Str(s) if values.contains(&s))
            }
        }
    }
}

/// The stats and request-log label of a generic route (`CreditNotes`, `CreditNotes/{id}`).
pub fn label(coll: usize, single: bool) -> &'static str {
    static SINGLE: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    if single {
        &SINGLE.get_or_init(|| {
            COLLECTIONS
                .iter()
                .map(|c| format!("{}/{{id}}", c.key))
                .collect()
        })[coll]
    } else {
        COLLECTIONS[coll].key
    }
}
