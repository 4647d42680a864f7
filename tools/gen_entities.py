#!/usr/bin/env python3
"""Generate the entity registry of crates/xero-core/src/entities/ from Xero's OpenAPI spec.

Why generated: the functions, columns, types and filters of every SQL surface (set-returning
functions, docs, and later foreign tables and sync tables) must follow the specification, and
hand-copying hundreds of fields invites drift. Two files come out, both committed:

  spec_columns.rs  the fields of every schema served (column name, type, JSON path, description)
                   and the parameters the specification lists for each endpoint;
  registry.rs      ENTITIES: one entry per collection GET (and per child collection), with its
                   collection key, paging style and filters, from the spec plus the small
                   hand-written tools/entity_overrides.yaml (summaries, keys, children);
  writes.rs        WRITES: how each writable table's rows are created, updated and removed
                   (paths, body shapes, batching, read-only fields from the spec; labels and
                   delete-by-status rules from the overrides).

`cargo test -p xero-core` checks both are what this script produces (`--check`).

Usage: tools/gen_entities.py [--check] [SPEC_YAML]   (default: spec/xero_accounting.yaml, the
repository's pinned copy)
"""
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_SPEC = os.path.join(ROOT, "spec", "xero_accounting.yaml")
OUT_DIR = os.path.join(ROOT, "crates", "xero-core", "src")
OVERRIDES = os.path.join(HERE, "entity_overrides.yaml")

# Nested objects that are flattened into a few scalar columns (the identifying ones);
# every other nested object or array becomes a jsonb column.
FLATTEN = {
    "Contact": ["ContactID", "Name", "ContactNumber"],
    "LineItemItem": ["ItemID", "Code", "Name"],
}
# Arrays of tracking on a line: kept as jsonb and also flattened into the first two (Xero allows
# two active tracking categories): tracking_category_1, tracking_option_1, …_2.
TRACKING_ARRAYS = {"LineItemTracking", "TrackingCategory"}
# Fields Xero only returns on write responses; they carry no data on reads.
SKIP = {"ValidationErrors", "Warnings", "StatusAttributeString"}


def snake(name):
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    return s.lower()


def first_sentence(text):
    """The description up to the first full stop that ends a sentence (not "i.e." or "e.g.")."""
    text = " ".join((text or "").split())
    m = re.match(r"(.+?(?<!i\.e)(?<!e\.g)[.])(\s+[A-Z(]|$)", text)
    out = m.group(1) if m else text
    return out if len(out) <= 200 else out[:197].rstrip() + "..."


def column_type(prop, schemas):
    if "$ref" in prop:
        target = schemas[prop["$ref"].split("/")[-1]]
        if target.get("type") == "object" or "properties" in target:
            return "Jsonb"
        return column_type(target, schemas)
    t = prop.get("type")
    if t == "array" or t == "object":
        return "Jsonb"
    if t == "boolean":
        return "Boolean"
    if t == "integer":
        return "BigInt" if prop.get("format") == "int64" else "Integer"
    if t == "number":
        return "Numeric"
    if t == "string":
        if prop.get("format") == "uuid":
            return "Uuid"
        if prop.get("x-is-msdate"):
            return "Date"
        if prop.get("x-is-msdate-time") or prop.get("format") == "date-time":
            return "Timestamptz"
        return "Text"
    return "Jsonb"


def rust_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def fields_of(schema_name, id_field, schemas, flatten_tracking=False):
    schema = schemas[schema_name]
    props = schema["properties"]
    order = ([id_field] if id_field in props else []) + [k for k in props if k != id_field]
    # A flattened column never shadows a field of the object itself (LineItem has both
    # ItemCode and Item.Code; the former is what Xero documents for reads).
    taken = {snake(k) for k in props}
    out = []
    for key in order:
        if key in SKIP:
            continue
        prop = props[key]
        ref = prop.get("$ref", "").split("/")[-1]
        if ref in FLATTEN:
            target = schemas[ref]["properties"]
            for sub in FLATTEN[ref]:
                column = snake(key) + "_" + snake(sub).removeprefix(snake(key) + "_")
                if column in taken:
                    continue
                out.append(((key, sub), column, column_type(target[sub], schemas),
                            first_sentence(f"{key}: " + target[sub].get("description", sub))))
            continue
        out.append(((key,), snake(key), column_type(prop, schemas), first_sentence(prop.get("description", key))))
        item = prop.get("items", {}).get("$ref", "").split("/")[-1] if prop.get("type") == "array" else ""
        if flatten_tracking and item in TRACKING_ARRAYS:
            for n in (1, 2):
                out.append(((key, str(n - 1), "Name"), f"tracking_category_{n}", "Text", f"Name of the line's tracking category {n} (from {key})"))
                out.append(((key, str(n - 1), "Option"), f"tracking_option_{n}", "Text", f"The line's option of tracking category {n} (from {key})"))
    return out


def endpoint_params(spec, path):
    """(name, schema, description) of the query and header parameters of `GET path`."""
    comp = spec["components"].get("parameters", {})
    params = []
    for p in spec["paths"][path]["get"].get("parameters", []):
        if "$ref" in p:
            p = comp[p["$ref"].split("/")[-1]]
        if p["in"] in ("query", "header") and p["name"] != "xero-tenant-id":
            params.append((p["name"], p.get("schema", {}), p.get("description", "")))
    return params


def collection_of(spec, endpoint):
    """The response's record array: (its key, the record schema)."""
    ok = spec["paths"]["/" + endpoint]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    wrapper = ok["$ref"].split("/")[-1]
    for key, prop in spec["components"]["schemas"][wrapper]["properties"].items():
        if prop.get("type") == "array" and key not in SKIP:
            return key, prop["items"]["$ref"].split("/")[-1]
    raise SystemExit(f"GET /{endpoint}: no record array in {wrapper}")


def paging_of(names):
    if "offset" in names:
        return "Paging::Offset { batch: 100, column: \"journal_number\" }"
    if "page" in names and "pageSize" in names:
        return "Paging::Pages { max_page_size: 1000 }"
    if "page" in names:
        return "Paging::FixedPages { size: 100 }"
    return "Paging::Unpaged"


# Parameters every endpoint names the same way: (argument, type, kind, description).
STANDARD = {
    "If-Modified-Since": ("modified_since", "Timestamptz", "ModifiedSince",
                          "only records changed since this time (sent as If-Modified-Since, UTC to the second)"),
    "where": ("where_clause", "Text", 'Query("where")',
              'a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`'),
    "order": ("order_by", "Text", 'Query("order")', "a Xero `order` expression, e.g. `UpdatedDateUTC DESC`"),
    "Statuses": ("statuses", "TextArray", 'List("Statuses")', "only these statuses, e.g. `{AUTHORISED,PAID}`"),
    "IDs": ("ids", "UuidArray", 'List("IDs")', "only these records (keep to about 50 a call: Xero's URL length limit)"),
    "InvoiceNumbers": ("invoice_numbers", "TextArray", 'List("InvoiceNumbers")', "only these invoice numbers"),
    "ContactIDs": ("contact_ids", "UuidArray", 'List("ContactIDs")', "only records of these contacts"),
    "includeArchived": ("include_archived", "Boolean", 'Flag("includeArchived")', "also return archived records"),
    "createdByMyApp": ("created_by_my_app", "Boolean", 'Flag("createdByMyApp")', "only records created by this app"),
    "searchTerm": ("search_term", "Text", 'Query("searchTerm")', "Xero's case-insensitive search over the main text fields"),
    "unitdp": ("unit_dp", "Integer", 'UnitDp',
               "decimal places of unit amounts; NULL sends Xero's 4 (its own default of 2 would round 4-decimal prices)"),
    "summaryOnly": ("summary_only", "Boolean", 'Flag("summaryOnly")',
                    "Xero's lightweight listing without line items and other heavy fields (faster, fewer columns filled)"),
}
# Arguments in this order first (the order the first release had), the rest in the spec's order.
FIRST = ["modified_since", "where_clause", "order_by", "statuses", "ids", "invoice_numbers", "contact_ids",
         "include_archived", "created_by_my_app", "search_term"]
PAGING_PARAMS = {"page", "pageSize", "offset"}
# PostgreSQL's reserved key words that a parameter's snake_case name could meet: an argument so
# named would need quoting in every call, so it gets a suffix instead.
RESERVED = {"all", "analyse", "analyze", "and", "any", "array", "as", "asc", "both", "case", "cast", "check",
            "collate", "column", "constraint", "create", "current_date", "current_user", "default", "desc",
            "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign", "from", "grant",
            "group", "having", "in", "initially", "intersect", "into", "lateral", "leading", "limit", "not",
            "null", "offset", "on", "only", "or", "order", "placing", "primary", "references", "returning",
            "select", "session_user", "some", "symmetric", "table", "then", "to", "trailing", "true", "union",
            "unique", "user", "using", "variadic", "when", "where", "window", "with"}
MAX_PAGES = ("max_pages", "Integer", "MaxPages", "stop after this many pages (calls); NULL fetches every page")


def filters_of(params, columns):
    out = []
    for name, schema, desc in params:
        if name in PAGING_PARAMS:
            continue
        if name in STANDARD:
            out.append(STANDARD[name])
            continue
        t, fmt = schema.get("type"), schema.get("format")
        arg = snake(name.replace("-", ""))
        if arg in RESERVED:
            arg += "_list" if t == "array" else "_is"
        if arg in columns:
            arg += "_is"  # a RETURNS TABLE column may not share an argument's name
        desc = first_sentence(desc or name).rstrip(".")
        desc = desc[0].lower() + desc[1:] if desc else name
        if t == "array":
            out.append((arg, "UuidArray" if name.endswith("IDs") else "TextArray", f'List("{name}")', desc))
        elif t == "boolean":
            out.append((arg, "Boolean", f'Flag("{name}")', desc))
        elif t == "integer":
            out.append((arg, "Integer", f'Query("{name}")', desc))
        elif fmt == "uuid":
            out.append((arg, "Uuid", f'Query("{name}")', desc))
        elif fmt == "date" or name.startswith(("Date", "ExpiryDate")):
            out.append((arg, "Date", f'Query("{name}")', desc))
        else:
            out.append((arg, "Text", f'Query("{name}")', desc))
    out.sort(key=lambda f: FIRST.index(f[0]) if f[0] in FIRST else len(FIRST))
    if any(n in PAGING_PARAMS for n, _, _ in params):
        out.append(MAX_PAGES)
    return out


def const_of(name):
    return snake(name).upper()


def generate(spec, overrides):
    schemas = spec["components"]["schemas"]
    version = str(spec["info"]["version"])
    head = [
        "// @generated by tools/gen_entities.py from Xero's OpenAPI specification",
        f"// (xero_accounting.yaml, version {version}) and tools/entity_overrides.yaml. Do not edit by hand.",
    ]
    cols = head + ["use super::{ColumnType::*, SpecField};", "", f"pub const SPEC_VERSION: &str = {rust_str(version)};", ""]
    reg = head + ["use super::spec_columns::*;", "use super::*;", ""]
    entities = []
    done_fields = set()

    def emit_fields(schema, id_field, name=None, drop=(), flatten_tracking=False):
        """The fields of `schema` as the static `name` (default <SCHEMA>_FIELDS), without the
        columns in `drop` (a child's copy of its parent's key: the parent's column is kept)."""
        fields = [f for f in fields_of(schema, id_field, schemas, flatten_tracking) if f[1] not in drop]
        name = name or f"{const_of(schema)}_FIELDS"
        if name not in done_fields:
            done_fields.add(name)
            cols.append(f"pub static {name}: &[SpecField] = &[")
            for path, col, ty, desc in fields:
                p = ", ".join(rust_str(x) for x in path)
                cols.append(f"    SpecField {{ path: &[{p}], column: {rust_str(col)}, ty: {ty}, description: {rust_str(desc)} }},")
            cols.append("];")
            cols.append("")
        return fields

    for c in overrides["collections"]:
        endpoint = c["endpoint"]
        key, schema = collection_of(spec, endpoint)
        id_field = c.get("id", schema + "ID")
        fields = emit_fields(schema, id_field)
        params = endpoint_params(spec, "/" + endpoint)
        names = [n for n, _, _ in params]
        const = const_of(endpoint)
        cols.append(f"/// Query and header parameters the specification lists for `GET /{endpoint}`.")
        cols.append(f"pub static {const}_PARAMS: &[&str] = &[{', '.join(rust_str(n) for n in names)}];")
        cols.append("")
        filters = filters_of(params, {col for _, col, _, _ in fields})
        reg.append(f"static {const}_FILTERS: &[Filter] = &[")
        for arg, ty, kind, desc in filters:
            reg.append(f"    Filter {{ arg: {rust_str(arg)}, ty: ArgType::{ty}, kind: FilterKind::{kind}, description: {rust_str(desc)} }},")
        reg.append("];")
        reg.append("")
        common = dict(endpoint=endpoint, key=key, paging=paging_of(names), const=const)
        entities.append(dict(common, function="xero_" + snake(endpoint), rows="RowShape::Records",
                             summary=c["summary"], parent="&[]", fields=f"{const_of(schema)}_FIELDS",
                             schema=schema, id_field=id_field, write_key=endpoint))
        for child in c.get("children", []):
            prop = schemas[schema]["properties"][child["key"]]
            child_schema = prop["items"]["$ref"].split("/")[-1]
            ordinal = child.get("ordinal", "line_number")
            # `Field as column` renames a parent column that would hide a child's own field.
            parent_fields = [tuple(f.split(" as ")) if " as " in f else (f, snake(f)) for f in child["parent"]]
            taken = {col for _, col in parent_fields} | {ordinal}
            tracking = child.get("tracking", False)
            name = f"{const_of(child_schema)}_FIELDS"
            if taken & {f[1] for f in fields_of(child_schema, child.get("id"), schemas, tracking)} or tracking:
                name = f"{const_of(child['function'].removeprefix('xero_'))}_FIELDS"
            emit_fields(child_schema, child.get("id"), name, taken, tracking)
            what = snake(schema).replace("_", " ")
            parent = [f"Column {{ name: {rust_str(col)}, ty: ColumnType::{column_type(schemas[schema]['properties'][field], schemas)}, "
                      f"source: Source::Parent(&[{rust_str(field)}]), description: {rust_str(first_sentence(f'The {what}: ' + schemas[schema]['properties'][field].get('description', field)))} }}"
                      for field, col in parent_fields]
            parent.append(f"Column {{ name: {rust_str(ordinal)}, ty: ColumnType::Integer, source: Source::Ordinal, "
                          f"description: \"Position within its {what}, from 1\" }}")
            entities.append(dict(common, function=child["function"], rows=f"RowShape::Children {{ key: {rust_str(child['key'])} }}",
                                 summary=child["summary"], parent="&[\n            " + ",\n            ".join(parent) + ",\n        ]",
                                 fields=name, schema=child_schema, id_field=child.get("id"), write_key=child["function"],
                                 parent_id=parent_fields[0][0]))
    reg.append("pub static ENTITIES: &[Entity] = &[")
    for e in entities:
        reg += [
            "    Entity {",
            f"        function: {rust_str(e['function'])},",
            f"        endpoint: {rust_str(e['endpoint'])},",
            f"        collection: {rust_str(e['key'])},",
            f"        paging: {e['paging']},",
            f"        rows: {e['rows']},",
            f"        summary: {rust_str(e['summary'])},",
            f"        filters: {e['const']}_FILTERS,",
            f"        spec_params: {e['const']}_PARAMS,",
            f"        parent_columns: {e['parent']},",
            f"        fields: {e['fields']},",
            "    },",
        ]
    reg.append("];")
    return {
        "entities/spec_columns.rs": "\n".join(cols).rstrip() + "\n",
        "entities/registry.rs": "\n".join(reg) + "\n",
        "entities/writes.rs": generate_writes(spec, head, overrides, entities),
        "reports/registry.rs": generate_reports(spec, head, overrides.get("reports", {})),
    }


def op_params(spec, op):
    comp = spec["components"].get("parameters", {})
    names = []
    for p in op.get("parameters", []):
        names.append(comp[p["$ref"].split("/")[-1]]["name"] if "$ref" in p else p["name"])
    return names


def body_key(spec, op, element):
    """The key of the array of `element` records a write's request body holds, or None when
    the body is a bare element."""
    ref = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
    schema = spec["components"]["schemas"].get(ref.split("/")[-1], {})
    for key, prop in schema.get("properties", {}).items():
        if prop.get("type") == "array" and prop.get("items", {}).get("$ref", "").split("/")[-1] == element:
            return key
    return None


def generate_writes(spec, head, overrides, entities):
    """WRITES: one entry per table the overrides' `writes` names, checked against the spec."""
    schemas = spec["components"]["schemas"]
    rules = overrides.get("writes", {})
    out = head + ["use super::*;", "", "pub static WRITES: &[Write] = &["]
    known = {e["write_key"] for e in entities}
    unknown = set(rules) - known
    if unknown:
        raise SystemExit(f"writes: no such collection or child table: {sorted(unknown)}")
    for e in entities:
        rule = rules.get(e["write_key"])
        if rule is None:
            continue
        path = rule.get("path", e["endpoint"])
        id_field = e["id_field"]
        props = schemas[e["schema"]]["properties"]
        if not id_field or id_field not in props:
            raise SystemExit(f"writes: {e['function']} has no id field")
        paths = spec["paths"]
        collection = paths.get("/" + path, {})
        single = paths.get(f"/{path}/{{{id_field}}}", {})
        create = collection.get("put")
        if create is None:
            raise SystemExit(f"writes: {path} has no PUT in the specification")
        update, remove = single.get("post"), single.get("delete")
        # Without POST …/{id}, a record is changed by POSTing it (with its id) to the collection.
        update_rs = "Update::Single" if update else "Update::Collection" if collection.get("post") else "Update::No"
        # A POST …/{id} that only deletes (deletePayment, deleteBankTransfer, …: a body of just
        # the Status) removes the record by status but cannot change it.
        if update and update.get("operationId", "").startswith("delete"):
            update_rs = "Update::No"
        update = update or collection.get("post")
        create_params = op_params(spec, create)
        for label in rule.get("label", []):
            if label not in props:
                raise SystemExit(f"writes: {e['function']} label {label} is not a field of {e['schema']}")
        delete = rule.get("delete")
        if remove is not None:
            delete_rs = "Delete::Endpoint"
        elif isinstance(delete, dict) and "none" in delete:
            delete_rs = f"Delete::Unsupported({rust_str(delete['none'])})"
        elif isinstance(delete, dict):
            if update is None:
                raise SystemExit(f"writes: {path} sets a status to delete but has no POST …/{{id}}")
            pairs = ", ".join(f"({rust_str(k)}, {rust_str(v)})" for k, v in delete.items())
            delete_rs = f"Delete::Status(&[{pairs}])"
        else:
            raise SystemExit(f"writes: {e['function']} needs a delete rule (the spec has no DELETE)")
        read_only = [k for k, v in props.items() if v.get("readOnly") and k != id_field]
        # Many records changed in one call: POST to the collection with each element's id,
        # judged one by one (summarizeErrors), with the body a create has.
        post = collection.get("post")
        batch_update = (post is not None and update_rs != "Update::No" and parent_rs_placeholder(path)
                        and "summarizeErrors" in op_params(spec, post)
                        and body_key(spec, post, e["schema"]) == body_key(spec, create, e["schema"]) is not None)
        # The field a removing status is set in: Status, or the schema's own (ContactStatus).
        status_field = "Status" if "Status" in props else next(
            (k for k in props if k.endswith("Status") and k != "StatusAttributeString"), "Status")
        parent = e.get("parent_id")
        parent_rs = f"Some({rust_str(parent)})" if parent and "{" in path else "None"
        labels = ", ".join(rust_str(snake(label)) for label in rule.get("label", []))
        out += [
            "    Write {",
            f"        function: {rust_str(e['function'])},",
            f"        path: {rust_str(path)},",
            f"        create_key: {opt(body_key(spec, create, e['schema']))},",
            f"        update_key: {opt(body_key(spec, update, e['schema']) if update else None)},",
            f"        id_field: {rust_str(id_field)},",
            f"        id_assigned: {str(not rule.get('id_given', False)).lower()},",
            f"        parent_field: {parent_rs},",
            f"        batch: {str('summarizeErrors' in create_params).lower()},",
            f"        unit_dp: {str('unitdp' in create_params).lower()},",
            f"        update: {update_rs},",
            f"        batch_update: {str(bool(batch_update)).lower()},",
            f"        delete: {delete_rs},",
            f"        status_field: {rust_str(status_field)},",
            f"        labels: &[{labels}],",
            f"        read_only: &[{', '.join(rust_str(r) for r in read_only)}],",
            "    },",
        ]
    out.append("];")
    return "\n".join(out) + "\n"


def parent_rs_placeholder(path):
    """Whether `path` is a top-level collection (a child's writes go one parent at a time)."""
    return "{" not in path


def opt(v):
    return f"Some({rust_str(v)})" if v else "None"


# Report parameters whose snake_case name would read badly as an argument.
REPORT_ARGS = {"ReportID": "report_id", "contactId": "contact_id", "trackingOptionID1": "tracking_option_id_1",
               "trackingOptionID2": "tracking_option_id_2", "trackingCategoryID": "tracking_category_id",
               "trackingCategoryID2": "tracking_category_id_2", "trackingOptionID": "tracking_option_id"}


def generate_reports(spec, head, summaries):
    """REPORTS: every `GET /Reports…` of the specification with its parameters."""
    comp = spec["components"].get("parameters", {})
    out = head + ["use super::*;", "use crate::entities::ArgType;", "", "pub static REPORTS: &[Report] = &["]
    for path in sorted(p for p in spec["paths"] if p == "/Reports" or p.startswith("/Reports/")):
        get = spec["paths"][path].get("get")
        if not get:
            continue
        name = path.removeprefix("/Reports").strip("/")
        function = {"": "xero_reports", "{ReportID}": "xero_report_by_id"}.get(name, "xero_report_" + snake(name))
        ok = get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
        shape = "ReportShape::Contacts" if ok == "Reports" else "ReportShape::Rows"
        summary = summaries.get(name) or first_sentence(get.get("summary") or get.get("description") or name)
        params = []
        for p in get.get("parameters", []):
            if "$ref" in p:
                p = comp[p["$ref"].split("/")[-1]]
            if p["in"] not in ("query", "path") or p["name"] == "xero-tenant-id":
                continue
            schema = p.get("schema", {})
            t, fmt = schema.get("type"), schema.get("format")
            ty = ("Date" if fmt == "date" else "Uuid" if fmt == "uuid" else "Integer" if t == "integer"
                  else "Boolean" if t == "boolean" else "Text")
            arg = REPORT_ARGS.get(p["name"], snake(p["name"]))
            desc = first_sentence(p.get("description") or p["name"]).rstrip(".")
            params.append(f"        ReportParam {{ arg: {rust_str(arg)}, ty: ArgType::{ty}, wire: {rust_str(p['name'])}, "
                          f"in_path: {str(p['in'] == 'path').lower()}, required: {str(bool(p.get('required'))).lower()}, "
                          f"description: {rust_str(desc)} }},")
        out += [
            "    Report {",
            f"        function: {rust_str(function)},",
            f"        path: {rust_str(path.lstrip('/'))},",
            f"        shape: {shape},",
            f"        summary: {rust_str(summary)},",
            "        params: &[",
            *params,
            "        ],",
            "    },",
        ]
    out.append("];")
    return "\n".join(out) + "\n"


def main():
    args = [a for a in sys.argv[1:] if a != "--check"]
    spec_path = args[0] if args else DEFAULT_SPEC
    with open(spec_path) as f:
        spec = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    with open(OVERRIDES) as f:
        overrides = yaml.safe_load(f)
    stale = []
    for name, text in generate(spec, overrides).items():
        path = os.path.join(OUT_DIR, name)
        have = open(path).read() if os.path.exists(path) else None
        if have == text:
            continue
        if "--check" in sys.argv:
            stale.append(name)
        else:
            with open(path, "w") as f:
                f.write(text)
    if stale:
        sys.exit(f"stale: {', '.join(stale)}: run tools/gen_entities.py and review the diff")


if __name__ == "__main__":
    main()
