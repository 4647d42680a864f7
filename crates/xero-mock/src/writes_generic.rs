//! Writing the generic collections, driven by their schemas: an element's fields are
//! read by each property's kind (dates, money, enums, nested objects and lists) over the
//! record it changes, then the collection's rules (`writes_rules.rs`) and particulars
//! (`writes_special.rs`: contacts, accounts, priced lines, totals) apply, and the record
//! is stored with a fresh id, its number, `UpdatedDateUTC` and its journals.

use serde_json::{json, Value};

use crate::collections::COLLECTIONS;
use crate::generic_model::{prop_unit, GObj, GRecord, GVal};
use crate::ids::Uuid;
use crate::ledger::Chart;
use crate::ledger_docs::posting_of;
use crate::model::Tenant;
use crate::spec::{self, Kind, Prop, Schema};
use crate::writes::{Answer, Cx, Done, Mode};
use crate::writes_lines::{gtext, next_number};
use crate::writes_rules::{self, Rules};
use crate::writes_special::{self, Extra};
use crate::writes_target::{self, OwnId};
use crate::writes_values::{self as wv, Problems};

pub const NOT_EDITABLE: &str = crate::writes_invoices::NOT_EDITABLE;

pub fn write(cx: &mut Cx, t: &mut Tenant, coll: usize, sent: Vec<Value>, mode: &Mode) -> Answer {
    let c = &COLLECTIONS[coll];
    let Some(rules) = writes_rules::of(c.key) else {
        return Answer::Invalid(format!("{} cannot be written", c.key));
    };
    let find = |cx: &Cx, _: &Tenant, id: &str| find(cx, coll, id);
    writes_target::write(
        cx,
        t,
        sent,
        mode,
        (c.key, c.schema),
        find,
        |cx, t, v, path| one(cx, t, coll, rules, v, mode, path),
    )
}

/// The position of the live record whose id field is `id`.
pub fn find(cx: &Cx, coll: usize, id: &str) -> Option<usize> {
    let field = COLLECTIONS[coll].id;
    let wanted = Uuid::parse(id);
    cx.state
        .generic_live(cx.tenant, coll)
        .iter()
        .position(|r| match (r.obj.get(field), wanted) {
            (GVal::Uuid(u), Some(w)) => *u == w,
            (GVal::Text(s), _) => s.eq_ignore_ascii_case(id),
            (GVal::Const(s), _) => s.eq_ignore_ascii_case(id),
            _ => false,
        })
}

/// A record's status, if its schema has one.
pub fn status_of(o: &GObj) -> Option<&'static str> {
    match o.get("Status") {
        GVal::Const(s) => Some(s),
        _ => None,
    }
}

/// `CreditNote` → `Credit Note`, for messages.
pub fn doc_name(schema: &str) -> String {
    let mut out = String::new();
    for (i, ch) in schema.chars().enumerate() {
        if i > 0 && ch.is_ascii_uppercase() {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

fn one(
    cx: &mut Cx,
    t: &mut Tenant,
    coll: usize,
    rules: &Rules,
    v: &Value,
    mode: &Mode,
    path_target: Option<usize>,
) -> Result<Done, Problems> {
    let c = &COLLECTIONS[coll];
    let schema = spec::schema(c.schema).expect("registry schemas are generated");
    let mut p = Problems::default();
    let id_is_uuid = schema.props[schema.prop_index(c.id).expect("id field")].kind == Kind::Uuid;
    let doc = doc_name(c.schema);
    let own = OwnId {
        field: c.id,
        doc: &doc,
        // Currencies are named by their code: on a PUT a code is a new currency's.
        sent: wv::nonblank(v, c.id).filter(|_| id_is_uuid || !mode.put),
    };
    let target = own.target(
        path_target,
        mode.put,
        |id| find(cx, coll, id),
        |id| {
            format!(
                "{} '{id}' cannot be given when creating (PUT); use POST to update.",
                c.id
            )
        },
        &mut p,
    )?;
    let base: Option<GObj> = target.map(|i| cx.state.generic_live(cx.tenant, coll)[i].obj.clone());
    let mut obj = base.clone().unwrap_or_else(|| GObj::new(schema));
    let mut skip: Vec<&str> = vec!["Status"];
    if id_is_uuid {
        skip.push(c.id);
    }
    skip.extend(rules.assigned);
    skip.extend(writes_special::handled(c.key));
    merge(&mut obj, v, &skip, &mut p);
    let status = status(rules, schema, base.as_ref(), v, &mut p);
    if let Some(s) = status {
        obj.set("Status", GVal::Const(s));
    }
    let extra = writes_special::apply(cx, t, c.key, rules, &mut obj, base.as_ref(), v, &mut p);
    for f in rules.required {
        if matches!(obj.get(f), GVal::Null) || matches!(obj.get(f), GVal::List(l) if l.is_empty()) {
            p.add(match *f {
                "Contact" => "A Contact must be specified for this type of transaction".to_string(),
                f => format!("{f} must be specified."),
            });
        }
    }
    if let Some(u) = rules.unique {
        if let Some(mine) = gtext(&obj, u).map(str::to_string) {
            let clash = cx
                .state
                .generic_live(cx.tenant, coll)
                .iter()
                .enumerate()
                .any(|(i, r)| {
                    Some(i) != target
                        && status_of(&r.obj).is_none_or(|s| s != "DELETED")
                        && gtext(&r.obj, u).is_some_and(|x| x.eq_ignore_ascii_case(&mine))
                });
            if clash {
                p.add(format!(
                    "{} {u} '{mine}' already exists.",
                    doc_name(c.schema)
                ));
            }
        }
    }
    if !p.is_empty() {
        return Err(p);
    }
    commit(cx, t, coll, rules, target, base, obj, extra)
}

/// The fields an element sends, read by their schema kinds over `obj`; read-only fields
/// and those in `skip` are left to the rules (Xero ignores what it computes).
pub fn merge(obj: &mut GObj, v: &Value, skip: &[&str], p: &mut Problems) {
    let Some(members) = v.as_object() else { return };
    for (k, val) in members {
        let Some(i) = obj
            .schema
            .props
            .iter()
            .position(|pr| pr.name.eq_ignore_ascii_case(k))
        else {
            continue;
        };
        let prop = &obj.schema.props[i];
        if prop.read_only || skip.contains(&prop.name) {
            continue;
        }
        obj.vals[i] = if val.is_null() {
            GVal::Null
        } else {
            convert(prop, &obj.vals[i], val, p)
        };
    }
}

fn decimals(unit: i64) -> u32 {
    unit.max(1).ilog10()
}

fn convert(prop: &Prop, old: &GVal, val: &Value, p: &mut Problems) -> GVal {
    let name = prop.name;
    let holder = json!({ name: val });
    let or_null = |x: Option<GVal>| x.unwrap_or(GVal::Null);
    match prop.kind {
        Kind::Str => or_null(wv::text(&holder, name).map(GVal::Text)),
        Kind::Uuid => or_null(wv::uuid(&holder, name, p).map(GVal::Uuid)),
        Kind::Date => or_null(wv::day(&holder, name, p).map(GVal::Day)),
        Kind::DateTime => or_null(
            wv::text(&holder, name)
                .and_then(|s| wv::parse_date_ms(&s))
                .map(|ms| GVal::Instant(crate::dates::XeroDate::utc(ms))),
        ),
        Kind::Money | Kind::Number => {
            or_null(wv::fixed(&holder, name, decimals(prop_unit(prop)), p).map(GVal::Fixed))
        }
        Kind::Integer => or_null(wv::fixed(&holder, name, 0, p).map(GVal::Int)),
        Kind::Boolean => or_null(wv::boolean(&holder, name, p).map(GVal::Bool)),
        Kind::Enum(values) => or_null(wv::one_of(&holder, name, values, p).map(GVal::Const)),
        Kind::DateText(_) => GVal::Null,
        Kind::Object(s) => {
            let schema: &'static Schema = spec::schema(s).expect("nested schemas are generated");
            let mut nested = match old {
                GVal::Obj(o) => (**o).clone(),
                _ => GObj::new(schema),
            };
            merge(&mut nested, val, &[], p);
            GVal::Obj(Box::new(nested))
        }
        Kind::Array(s) => {
            let schema: &'static Schema = spec::schema(s).expect("nested schemas are generated");
            let items = wv::list(&holder, name)
                .into_iter()
                .map(|item| {
                    let mut n = GObj::new(schema);
                    merge(&mut n, item, &[], p);
                    n
                })
                .collect();
            GVal::List(items)
        }
    }
}

/// The status after the element, checked against the collection's moves.
fn status(
    rules: &Rules,
    schema: &Schema,
    base: Option<&GObj>,
    v: &Value,
    p: &mut Problems,
) -> Option<&'static str> {
    let st = rules.statuses.as_ref()?;
    let Kind::Enum(values) = schema.props[schema.prop_index("Status")?].kind else {
        return None;
    };
    let asked = wv::one_of(v, "Status", values, p);
    let doc = doc_name(schema.name);
    match base {
        None => {
            let s = asked.unwrap_or(st.default);
            if !st.create.contains(&s) {
                p.add(format!("{doc} not of valid status for creation"));
            }
            Some(s)
        }
        Some(b) => {
            let from = status_of(b).unwrap_or(st.default);
            let to = asked.unwrap_or(from);
            match st.moves.iter().find(|(f, _)| *f == from) {
                Some((_, tos)) if tos.contains(&to) => {}
                _ if from == "PAID" => p.add(NOT_EDITABLE),
                _ => p.add(format!("{doc} not of valid status for modification")),
            }
            Some(to)
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn commit(
    cx: &mut Cx,
    t: &mut Tenant,
    coll: usize,
    rules: &Rules,
    target: Option<usize>,
    base: Option<GObj>,
    mut obj: GObj,
    extra: Extra,
) -> Result<Done, Problems> {
    let c = &COLLECTIONS[coll];
    let id_is_uuid = obj.schema.props[obj.schema.prop_index(c.id).expect("id")].kind == Kind::Uuid;
    if target.is_none() {
        // Currencies are named by their code and tax rates by their type (`writes_special.rs`).
        if id_is_uuid {
            obj.set(c.id, GVal::Uuid(cx.new_id()));
        }
        if let Some((field, prefix, width)) = rules.number {
            if gtext(&obj, field).is_none_or(str::is_empty) {
                let live = cx.state.generic_live(cx.tenant, coll);
                let n = next_number(
                    prefix,
                    width,
                    live.iter().filter_map(|r| gtext(&r.obj, field)),
                );
                obj.set(field, GVal::Text(n));
            }
        }
    }
    writes_special::commit(cx, t, c.key, &mut obj, base.as_ref(), extra);
    if obj.has("UpdatedDateUTC") {
        obj.set("UpdatedDateUTC", GVal::Instant(cx.stamp));
    }
    // Journals: what the record posted before is reversed, what it posts now is posted.
    let chart = Chart::new(t);
    let was = base.as_ref().and_then(|b| posting_of(c.key, b, &chart));
    let now = posting_of(c.key, &obj, &chart);
    if let (Some(_), GVal::Uuid(id)) = (&was, obj.get(c.id)) {
        cx.reverse(*id, cx.today);
    }
    if let Some(p) = now {
        cx.post(p);
    }
    let stored = obj.clone();
    cx.state
        .update_generic(cx.tenant, coll, |recs| match target {
            Some(i) => recs[i].obj = stored,
            None => recs.push(GRecord {
                coll: coll as u16,
                obj: stored,
            }),
        });
    Ok(Done::Obj(obj))
}
