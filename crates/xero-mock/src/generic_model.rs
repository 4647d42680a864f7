//! Records of the generic collections: values held in their schema's property order,
//! and the `where`/`order` field tables built for each collection at run time.

use std::sync::OnceLock;

use crate::collections::COLLECTIONS;
use crate::dates::{XeroDate, MS_PER_DAY};
use crate::fields::{Field, Getter, Table, Ty, Value, NUM_SCALE};
use crate::ids::Uuid;
use crate::model::Tenant;
use crate::spec::{self, Kind, Prop, Schema};
use crate::unit_dp::is_unit_price;

/// One property's value; which variant goes with which [`Kind`] is fixed by `generic_data.rs`.
#[derive(Clone, Debug)]
pub enum GVal {
    Null,
    Text(String),
    Const(&'static str),
    Uuid(Uuid),
    /// Days since 1970-01-01 (`Kind::Date`).
    Day(i32),
    Instant(XeroDate),
    /// Fixed point: cents for `Kind::Money`, ten-thousandths for `Kind::Number`.
    Fixed(i64),
    Int(i64),
    Bool(bool),
    Obj(Box<GObj>),
    List(Vec<GObj>),
}

/// An object of a schema: `vals[i]` is the value of `schema.props[i]`.
#[derive(Clone, Debug)]
pub struct GObj {
    pub schema: &'static Schema,
    pub vals: Vec<GVal>,
}

impl GObj {
    pub fn new(schema: &'static Schema) -> GObj {
        GObj {
            schema,
            vals: vec![GVal::Null; schema.props.len()],
        }
    }

    pub fn get(&self, name: &str) -> &GVal {
        self.schema
            .prop_index(name)
            .map_or(&GVal::Null, |i| &self.vals[i])
    }

    /// Sets a property if the schema has it (rules written for several schemas rely on that).
    pub fn set(&mut self, name: &str, v: GVal) {
        if let Some(i) = self.schema.prop_index(name) {
            self.vals[i] = v;
        }
    }

    pub fn has(&self, name: &str) -> bool {
        self.schema.prop_index(name).is_some()
    }

    /// What 1 is in this property's fixed point (1 for anything but numbers).
    pub fn unit(&self, name: &str) -> i64 {
        self.schema
            .prop_index(name)
            .map_or(1, |i| prop_unit(&self.schema.props[i]))
    }

    pub fn fixed(&self, name: &str) -> i64 {
        match self.get(name) {
            GVal::Fixed(v) => *v,
            _ => 0,
        }
    }

    /// The value as `where`, `order`, `IDs` and the list parameters compare it.
    pub fn value(&self, i: usize) -> Value<'_> {
        match (&self.vals[i], self.schema.props[i].kind) {
            (GVal::Text(s), _) => Value::Str(s),
            (GVal::Const(s), _) => Value::Str(s),
            (GVal::Uuid(u), _) => Value::Guid(u.0),
            (GVal::Day(d), _) => Value::Date(i64::from(*d) * MS_PER_DAY),
            (GVal::Instant(d), _) => Value::Date(d.ms),
            (GVal::Fixed(v), _) => Value::Num(
                i128::from(*v) * (NUM_SCALE / i128::from(prop_unit(&self.schema.props[i]))),
            ),
            (GVal::Int(v), _) => Value::Num(i128::from(*v) * NUM_SCALE),
            (GVal::Bool(b), _) => Value::Bool(*b),
            (GVal::Null | GVal::Obj(_) | GVal::List(_), _) => Value::Null,
        }
    }
}

/// What 1 is in a [`GVal::Fixed`] of this kind.
pub fn unit(kind: Kind) -> i64 {
    match kind {
        Kind::Money => 100,
        Kind::Number => 10_000,
        _ => 1,
    }
}

/// What 1 is in a [`GVal::Fixed`] of this property: unit prices keep four decimals
/// whatever their kind says, as Xero keeps them.
pub fn prop_unit(p: &Prop) -> i64 {
    if is_unit_price(p.name) {
        10_000
    } else {
        unit(p.kind)
    }
}

/// A top-level record of collection `COLLECTIONS[coll]`.
#[derive(Clone)]
pub struct GRecord {
    pub coll: u16,
    pub obj: GObj,
}

impl GRecord {
    /// The value behind queryable slot `n` of this record's collection.
    fn slot(&self, n: usize) -> Value<'_> {
        let (i, nested) = layout(usize::from(self.coll)).paths[n];
        match (nested, &self.obj.vals[i]) {
            (None, _) => self.obj.value(i),
            (Some(j), GVal::Obj(o)) => o.value(j),
            (Some(_), _) => Value::Null,
        }
    }
}

/// A collection's queryable fields: every scalar property, and the identifying scalar
/// properties of its nested objects as `Object.Property` (how Xero's `where` reaches into
/// `Contact.ContactID` or `Contact.Name`; every nested property would exceed the slots).
pub struct Layout {
    pub table: Table<GRecord>,
    /// Per slot: the property index, and the nested object's property index.
    paths: Vec<(usize, Option<usize>)>,
}

pub fn layout(coll: usize) -> &'static Layout {
    static LAYOUTS: OnceLock<Vec<Layout>> = OnceLock::new();
    &LAYOUTS.get_or_init(|| COLLECTIONS.iter().map(|c| build(c.schema)).collect())[coll]
}

fn ty(kind: Kind) -> Option<Ty> {
    Some(match kind {
        Kind::Str | Kind::Enum(_) => Ty::Str,
        Kind::Uuid => Ty::Guid,
        Kind::Date | Kind::DateTime => Ty::Date,
        Kind::Money | Kind::Number | Kind::Integer => Ty::Num,
        Kind::Boolean => Ty::Bool,
        Kind::Object(_) | Kind::Array(_) | Kind::DateText(_) => return None,
    })
}

fn build(schema_name: &str) -> Layout {
    let schema = spec::schema(schema_name).expect("registry schemas are generated");
    let mut fields = Vec::new();
    let mut paths = Vec::new();
    for (i, p) in schema.props.iter().enumerate() {
        if let Some(t) = ty(p.kind) {
            fields.push((p.name, t));
            paths.push((i, None));
        } else if let Kind::Object(inner) = p.kind {
            let inner = spec::schema(inner).expect("nested schemas are generated");
            for (j, q) in inner.props.iter().enumerate() {
                if let Some(t) = ty(q.kind).filter(|_| identifying(q.name)) {
                    // Built once per process (a static), so leaking the joined names is bounded.
                    let name: &'static str =
                        Box::leak(format!("{}.{}", p.name, q.name).into_boxed_str());
                    fields.push((name, t));
                    paths.push((i, Some(j)));
                }
            }
        }
    }
    assert!(
        paths.len() <= SLOTS.len(),
        "{schema_name}: {} queryable fields, more than the {} slots",
        paths.len(),
        SLOTS.len()
    );
    let fields: Vec<Field<GRecord>> = fields
        .into_iter()
        .zip(SLOTS)
        .map(|((name, ty), get)| Field {
            name,
            ty,
            get: *get,
        })
        .collect();
    Layout {
        table: Table {
            type_name: schema.name,
            fields: Box::leak(fields.into_boxed_slice()),
        },
        paths,
    }
}

fn identifying(name: &str) -> bool {
    ["ID", "Name", "Number", "Code", "Status", "Type"]
        .iter()
        .any(|end| name.ends_with(end))
}

// Field getters are plain `fn` pointers (the hand-built tables are static), but a generic
// collection's fields are known only at run time: field number N gets the getter of slot N,
// which looks its path up in the record's layout.
fn slot<'a, const N: usize>(r: &'a GRecord, _: &'a Tenant) -> Value<'a> {
    r.slot(N)
}

macro_rules! slots {
    ($($n:literal)*) => { &[$(slot::<$n> as Getter<GRecord>),*] };
}

static SLOTS: &[Getter<GRecord>] = slots!(
    0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31
    32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61
    62 63 64 65 66 67 68 69 70 71 72 73 74 75 76 77 78 79 80 81 82 83 84 85 86 87 88 89 90 91
    92 93 94 95 96 97 98 99 100 101 102 103 104 105 106 107 108 109 110 111 112 113 114 115
    116 117 118 119 120 121 122 123 124 125 126 127
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_collection_fits_its_slots_and_reaches_nested_fields() {
        for (i, c) in COLLECTIONS.iter().enumerate() {
            let l = layout(i);
            assert!(l.table.field(c.id).is_some(), "{}: id not queryable", c.key);
        }
        let quotes = crate::collections::find("Quotes").unwrap();
        assert!(layout(quotes).table.field("contact.contactid").is_some());
    }
}
