#!/usr/bin/env python3
"""Generate crates/xero-mock/src/spec_schemas.rs from Xero's OpenAPI spec.

Why generated: the bundled mock serves every generic collection from a description of its
schema (property names, kinds, enum values, nested schemas), and copying ~60 schemas by hand
would drift from Xero's. This script is deliberately separate from gen_entity_columns.py (the
extension's column generator): the mock and the extension share no code, so a misreading of
the spec cannot hide on both sides at once. `cargo test -p xero-mock` checks the committed
file is what this script produces.

Output: for each schema reachable from the generic endpoints' items, its properties in spec
order (JSON name, kind, read-only); for each endpoint, the spec's facts about `GET /{path}`
(collection key, item schema, query/header parameter names, whether the response carries a
`pagination` block, the single-record path parameters).

Usage: tools/gen_mock_schemas.py [SPEC_YAML] [OUTPUT_RS | -]
"""
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_SPEC = os.path.join(ROOT, "spec", "xero_accounting.yaml")
DEFAULT_OUT = os.path.join(ROOT, "crates", "xero-mock", "src", "spec_schemas.rs")

# The collection GETs the mock serves generically (Invoices, Contacts, Accounts and
# Organisation are hand-built and not listed).
ENDPOINTS = [
    "BankTransactions", "BankTransfers", "BatchPayments", "BrandingThemes", "Budgets",
    "ContactGroups", "CreditNotes", "Currencies", "ExpenseClaims", "Items", "Journals",
    "LinkedTransactions", "ManualJournals", "Overpayments", "PaymentServices", "Payments",
    "Prepayments", "PurchaseOrders", "Quotes", "Receipts", "RepeatingInvoices", "TaxRates",
    "TrackingCategories", "Users",
]
# Properties Xero only fills on write responses; a read never carries them.
WRITE_ONLY = {"ValidationErrors", "Warnings", "StatusAttributeString"}


def ref_name(ref):
    return ref.split("/")[-1]


def rust_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def str_slice(items):
    return "&[" + ", ".join(rust_str(str(x)) for x in items) + "]"


def kind(prop, props, schemas):
    """The Rust `Kind` expression for one property."""
    if "$ref" in prop:
        target_name = ref_name(prop["$ref"])
        target = schemas[target_name]
        if "properties" in target:
            return f"Object({rust_str(target_name)})"
        # A $ref to a string enum (CurrencyCode, LineAmountTypes, AccountType...).
        return kind(target, props, schemas)
    t = prop.get("type")
    if t == "array":
        items = prop.get("items", {})
        if "$ref" in items and "properties" in schemas[ref_name(items["$ref"])]:
            return f"Array({rust_str(ref_name(items['$ref']))})"
        raise SystemExit(f"unsupported array items: {items}")
    if t == "boolean":
        return "Boolean"
    if t == "integer":
        return "Integer"
    if t == "number":
        return "Money" if prop.get("x-is-money") else "Number"
    if t == "string" or t is None:
        if "enum" in prop:
            return f"Enum({str_slice(prop['enum'])})"
        if prop.get("format") == "uuid":
            return "Uuid"
        if prop.get("x-is-msdate"):
            return "Date"
        if prop.get("x-is-msdate-time") or prop.get("format") == "date-time":
            return "DateTime"
        return "Str"
    raise SystemExit(f"unsupported property: {prop}")


def date_text_of(name, props, schemas):
    """`DateString` beside `Date`: Xero's ISO companion of a /Date()/ field, not free text."""
    stem = name[: -len("String")] if name.endswith("String") else None
    if stem and stem in props:
        k = kind(props[stem], props, schemas)
        if k in ("Date", "DateTime"):
            return f"DateText({rust_str(stem)})"
    return None


def reachable(roots, schemas):
    seen = []

    def visit(name):
        if name in seen or "properties" not in schemas[name]:
            return
        seen.append(name)
        for key, p in schemas[name]["properties"].items():
            if key in WRITE_ONLY:
                continue
            r = p.get("$ref") or p.get("items", {}).get("$ref")
            if r:
                visit(ref_name(r))

    for r in roots:
        visit(r)
    return seen


def endpoint_facts(spec, name):
    comp = spec["components"]
    get = spec["paths"]["/" + name]["get"]
    params = []
    for p in get.get("parameters", []):
        if "$ref" in p:
            p = comp["parameters"][ref_name(p["$ref"])]
        if p["in"] in ("query", "header") and p["name"] != "xero-tenant-id":
            params.append(p["name"])
    envelope = comp["schemas"][ref_name(get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"])]
    env_props = envelope["properties"]
    items = env_props[name]["items"]["$ref"]
    by = []
    for path, ops in spec["paths"].items():
        parts = path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == name and parts[1].startswith("{") and "get" in ops:
            by.append(parts[1].strip("{}"))
    return {
        "key": name,
        "schema": ref_name(items),
        "params": params,
        "pagination": "pagination" in env_props,
        "by": by,
    }


def generate(spec):
    schemas = spec["components"]["schemas"]
    facts = [endpoint_facts(spec, e) for e in ENDPOINTS]
    lines = [
        "// @generated by tools/gen_mock_schemas.py from Xero's OpenAPI specification",
        f"// (xero_accounting.yaml, version {spec['info']['version']}). Do not edit by hand.",
        "use crate::spec::{Endpoint, Kind::*, Prop, Schema};",
        "",
        f"pub const SPEC_VERSION: &str = {rust_str(str(spec['info']['version']))};",
        "",
        "pub static SCHEMAS: &[Schema] = &[",
    ]
    for name in reachable([f["schema"] for f in facts], schemas):
        props = schemas[name]["properties"]
        lines.append(f"    Schema {{ name: {rust_str(name)}, props: &[")
        for key, p in props.items():
            if key in WRITE_ONLY:
                continue
            k = date_text_of(key, props, schemas) or kind(p, props, schemas)
            ro = "true" if p.get("readOnly") else "false"
            lines.append(f"        Prop {{ name: {rust_str(key)}, kind: {k}, read_only: {ro} }},")
        lines.append("    ] },")
    lines.append("];")
    lines.append("")
    lines.append("/// What the specification says about each generic collection's `GET`.")
    lines.append("pub static ENDPOINTS: &[Endpoint] = &[")
    for f in facts:
        lines.append(
            f"    Endpoint {{ key: {rust_str(f['key'])}, schema: {rust_str(f['schema'])}, "
            f"params: {str_slice(f['params'])}, pagination: {'true' if f['pagination'] else 'false'}, "
            f"by: {str_slice(f['by'])} }},"
        )
    lines.append("];")
    return "\n".join(lines) + "\n"


def main():
    spec_path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_SPEC
    out_path = sys.argv[2] if len(sys.argv) > 2 else DEFAULT_OUT
    with open(spec_path) as f:
        spec = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    text = generate(spec)
    if out_path == "-":
        sys.stdout.write(text)
    else:
        with open(out_path, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
