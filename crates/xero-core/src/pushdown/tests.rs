use super::*;
use crate::entities::entity_by_function;

fn col(e: &'static Entity, name: &str) -> usize {
    table_columns(e).iter().position(|c| c.name == name).unwrap_or_else(|| panic!("no column {name}"))
}

fn cmp(e: &'static Entity, name: &str, op: Op, v: Value) -> Cond {
    Cond::Cmp { column: col(e, name), op, value: Operand::Const(v) }
}

fn uuid(n: usize) -> Value {
    Value::Uuid(format!("00000000-0000-0000-0000-{n:012}"))
}

fn request(plan: &ScanPlan) -> String {
    plan.requests("https://x/api.xro/2.0", Some(&[])).unwrap().description
}

#[test]
fn keys_statuses_contacts_and_dates_become_xero_parameters() {
    let e = entity_by_function("xero_invoices").unwrap();
    let plan = plan(
        e,
        vec![
            cmp(e, "status", Op::Eq, Value::Text("AUTHORISED".into())),
            cmp(e, "contact_id", Op::Eq, uuid(7)),
            cmp(e, "updated_date_utc", Op::Ge, Value::Timestamptz(9_677 * 86_400_000_000 + 1_500_000)),
            cmp(e, "total", Op::Gt, Value::Numeric("100.50".into())),
            cmp(e, "date", Op::Le, Value::Date(9_677)),
        ],
        None,
    );
    assert!(plan.pushed.iter().all(Option::is_some), "{plan:?}");
    assert_eq!(
        request(&plan),
        "GET Invoices?Statuses=AUTHORISED&ContactIDs=00000000-0000-0000-0000-000000000007&where=Total>100.5 AND Date<=DateTime(2026,06,30)\
         &unitdp=4&pageSize=1000 (If-Modified-Since: 2026-06-30T00:00:01)"
    );
}

#[test]
fn ids_go_fifty_a_call() {
    let e = entity_by_function("xero_invoices").unwrap();
    let ids: Vec<Value> = (0..120).map(uuid).collect();
    let plan = plan(e, vec![Cond::In { column: col(e, "invoice_id"), values: Operand::Param(0) }], Some(10));
    let r = plan.requests("https://x", Some(&[Value::List(ids)])).unwrap();
    assert_eq!(r.plans.len(), 3);
    let sizes: Vec<usize> = r.plans.iter().map(|p| p.query[0].1.split(',').count()).collect();
    assert_eq!(sizes, [50, 50, 20]);
    assert!(r.description.contains("(120 ids in 3 calls of at most 50)"), "{}", r.description);
    // Exact (uuids) and a LIMIT: small pages.
    assert_eq!(r.plans[0].page_size, Some(10));
    assert_eq!(r.plans[0].max_pages, Some(1));
    // Before execution a runtime value shows as $n.
    assert_eq!(plan.requests("https://x", None).unwrap().description, "GET Invoices?IDs=$1&unitdp=4&pageSize=10 (at most 1 page)");
}

#[test]
fn null_keys_match_nothing_and_need_no_call() {
    let e = entity_by_function("xero_invoices").unwrap();
    let plan = plan(e, vec![cmp(e, "invoice_id", Op::Eq, Value::Null)], None);
    assert!(plan.requests("https://x", Some(&[])).unwrap().plans.is_empty());
    let plan = super::plan(e, vec![Cond::In { column: col(e, "invoice_id"), values: Operand::Const(Value::List(vec![Value::Null])) }], None);
    assert!(plan.requests("https://x", Some(&[])).unwrap().plans.is_empty());
}

#[test]
fn values_are_quoted_safely_or_not_sent() {
    let e = entity_by_function("xero_invoices").unwrap();
    let one = |c: Cond| request(&plan(e, vec![c], None));
    assert!(one(cmp(e, "reference", Op::Eq, Value::Text("say \"hi\" OR 1==1".into()))).contains("where=Reference==\"say \"\"hi\"\" OR 1==1\""));
    // Backslashes and control characters are not written: the condition stays local.
    assert_eq!(one(cmp(e, "reference", Op::Eq, Value::Text("a\\\" OR true".into()))), "GET Invoices?unitdp=4&pageSize=1000");
    assert_eq!(one(cmp(e, "reference", Op::Eq, Value::Text("a\nb".into()))), "GET Invoices?unitdp=4&pageSize=1000");
    // Too many decimals for Xero, NaN: local.
    assert_eq!(one(cmp(e, "total", Op::Eq, Value::Numeric("1.0000001".into()))), "GET Invoices?unitdp=4&pageSize=1000");
    assert_eq!(one(cmp(e, "total", Op::Eq, Value::Numeric("NaN".into()))), "GET Invoices?unitdp=4&pageSize=1000");
    assert!(one(cmp(e, "total", Op::Eq, Value::Numeric("-1.500000000".into()))).contains("where=Total==-1.5&"));
    // Timestamps widen to the second.
    assert!(one(cmp(e, "updated_date_utc", Op::Lt, Value::Timestamptz(1_500_000))).contains("If-Modified-Since") == false);
    assert!(one(cmp(e, "updated_date_utc", Op::Lt, Value::Timestamptz(1_500_000))).contains("where=UpdatedDateUTC<=DateTime(2000,01,01,00,00,02)"));
    // A comma in an invoice number cannot be a list item.
    assert_eq!(one(cmp(e, "invoice_number", Op::Eq, Value::Text("INV-1,2".into()))), "GET Invoices?unitdp=4&pageSize=1000");
    // LIKE prefixes and infixes; other patterns stay local.
    assert!(one(Cond::Like { column: col(e, "reference"), pattern: Operand::Const(Value::Text("ab%".into())) }).contains("where=Reference.StartsWith(\"ab\")"));
    assert!(one(Cond::Like { column: col(e, "reference"), pattern: Operand::Const(Value::Text("%ab%".into())) }).contains("where=Reference.Contains(\"ab\")"));
    let p = plan(e, vec![Cond::Like { column: col(e, "reference"), pattern: Operand::Const(Value::Text("a_b%".into())) }], None);
    assert_eq!(p.pushed, [None]);
}

#[test]
fn what_xero_cannot_filter_stays_local() {
    let e = entity_by_function("xero_invoices").unwrap();
    let p = plan(
        e,
        vec![
            cmp(e, "reference", Op::Lt, Value::Text("x".into())),    // collation
            cmp(e, "url", Op::Eq, Value::Text("x".into())),          // not a where field
            Cond::IsNull { column: col(e, "line_items"), negated: false }, // jsonb
            Cond::Or(vec![cmp(e, "total", Op::Eq, Value::Numeric("1".into())), cmp(e, "reference", Op::Ne, Value::Text("x".into()))]),
        ],
        Some(5),
    );
    assert_eq!(p.pushed, [None, None, None, None]);
    assert_eq!(p.limit, None, "a LIMIT is only pushed when every condition is");
    // OR of pushable terms, with the key inside it.
    let p = plan(e, vec![Cond::Or(vec![cmp(e, "total", Op::Ge, Value::Numeric("1".into())), cmp(e, "invoice_id", Op::Eq, uuid(1))])], None);
    assert_eq!(request(&p), "GET Invoices?where=(Total>=1 OR InvoiceID==Guid(\"00000000-0000-0000-0000-000000000001\"))&unitdp=4&pageSize=1000");
    // Child rows: only the parent's fields reach Xero.
    let lines = entity_by_function("xero_invoice_line_items").unwrap();
    let p = plan(lines, vec![cmp(lines, "invoice_id", Op::Eq, uuid(3)), cmp(lines, "line_amount", Op::Gt, Value::Numeric("1".into()))], Some(3));
    assert_eq!(p.pushed[0], Some(Push::List("IDs".into())));
    assert_eq!(p.pushed[1], None);
    assert_eq!(p.limit, None);
}

#[test]
fn option_columns_set_their_filter() {
    let e = entity_by_function("xero_invoices").unwrap();
    let cols = table_columns(e);
    assert!(cols.iter().any(|c| c.name == "include_archived" && c.ty == ColumnType::Boolean));
    assert!(cols.iter().any(|c| c.name == "summary_only"));
    assert!(!cols.iter().any(|c| c.name == "where_clause" || c.name == "max_pages" || c.name == "statuses"));
    let p = plan(e, vec![cmp(e, "include_archived", Op::Eq, Value::Bool(true)), cmp(e, "unit_dp", Op::Eq, Value::Int(2))], Some(5));
    assert_eq!(request(&p), "GET Invoices?includeArchived=true&unitdp=2&pageSize=5 (at most 1 page)");
}

#[test]
fn limits_shrink_pages_only_when_exact() {
    let e = entity_by_function("xero_invoices").unwrap();
    let p = plan(e, vec![cmp(e, "total", Op::Gt, Value::Numeric("10".into()))], Some(5));
    assert_eq!(request(&p), "GET Invoices?where=Total>10&unitdp=4&pageSize=5 (at most 1 page)");
    // A lower-case status may match more on Xero's side: no limit then.
    let p = plan(e, vec![cmp(e, "status", Op::Eq, Value::Text("paid".into()))], Some(5));
    assert_eq!(request(&p), "GET Invoices?Statuses=paid&unitdp=4&pageSize=1000");
    let p = plan(e, vec![], Some(0));
    assert!(p.requests("https://x", Some(&[])).unwrap().plans.is_empty());
}

#[test]
fn order_goes_only_where_it_is_postgresqls() {
    let e = entity_by_function("xero_invoices").unwrap();
    let key = |name: &str, desc: bool| OrderKey { column: col(e, name), desc };
    // Never-NULL numbers, dates and timestamps go, either direction, with a pushed LIMIT.
    let mut p = plan(e, vec![cmp(e, "total", Op::Gt, Value::Numeric("10".into()))], Some(5));
    assert!(p.set_order(&[key("total", true), key("date", false)]));
    assert_eq!(request(&p), "GET Invoices?where=Total>10&order=Total DESC,Date&unitdp=4&pageSize=5 (at most 1 page)");
    // Text (collation), uuids, booleans never; a nullable date only when a condition excludes NULLs.
    for name in ["invoice_number", "reference", "invoice_id", "has_attachments", "due_date"] {
        assert!(!plan(e, vec![], None).set_order(&[key(name, false)]), "{name}");
    }
    let mut p = plan(e, vec![Cond::IsNull { column: col(e, "due_date"), negated: true }], None);
    assert!(p.set_order(&[key("due_date", true)]));
    let mut p = plan(e, vec![cmp(e, "due_date", Op::Lt, Value::Date(9_000))], None);
    assert!(p.set_order(&[key("due_date", false)]));
    let mut p = plan(e, vec![Cond::Or(vec![cmp(e, "due_date", Op::Lt, Value::Date(9_000)), cmp(e, "total", Op::Gt, Value::Numeric("1".into()))])], None);
    assert!(!p.set_order(&[key("due_date", false)]));
    assert!(p.order.is_empty());
    // Journals (offset-paged by JournalNumber) and child rows never.
    for f in ["xero_journals", "xero_invoice_line_items"] {
        let e = entity_by_function(f).unwrap();
        for (i, c) in table_columns(e).iter().enumerate() {
            assert!(order_term(e, OrderKey { column: i, desc: false }, &[Cond::IsNull { column: i, negated: true }]).is_none(), "{f}.{}", c.name);
        }
    }
}
