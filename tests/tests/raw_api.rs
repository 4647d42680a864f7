//! `xero_api`: a raw call in JSON and XML through the organisation's authorization and call
//! log, its privilege rule (GET with USAGE, writes only for the owner and `api_write_roles`),
//! and its errors.

use xero_dbtests::*;

fn org() -> (MockHandle, TestDb, postgres::Client) {
    let m = small_mock();
    let db = TestDb::new("raw");
    let mut c = db.superuser();
    register_org(&mut c, &m, "acme");
    (m, db, c)
}

#[test]
fn a_get_returns_xeros_answer_as_json_or_xml() {
    let (m, _db, mut c) = org();
    reset(&m);
    let row = c
        .query_one(
            "SELECT status, jsonb_array_length(body->'Contacts'), headers->>'content-type', body_xml IS NULL, length(body_text) > 0 \
             FROM xero_api('acme', 'GET', 'Contacts', query => '{\"where\": \"ContactStatus==\\\"ACTIVE\\\"\", \"page\": 1}')",
            &[],
        )
        .unwrap();
    assert_eq!(row.get::<_, i32>(0), 200);
    assert!(row.get::<_, i32>(1) > 0);
    assert!(row.get::<_, String>(2).starts_with("application/json"));
    assert!(row.get::<_, bool>(3) && row.get::<_, bool>(4));
    let sent = &requests(&m, "Contacts")[0];
    assert_eq!(query_param(sent, "where").as_deref(), Some("ContactStatus==\"ACTIVE\""));
    assert_eq!(query_param(sent, "page").as_deref(), Some("1"));
    assert!(sent["headers"]["authorization"].as_str().unwrap_or("").starts_with("Bearer"), "the organisation's token was sent");

    // XML: the same records, as text and as a well-formed xml value PostgreSQL can query.
    let row = c
        .query_one(
            "SELECT status, body IS NULL, (xpath('count(/Response/Contacts/Contact)', body_xml))[1]::text::int, \
                    (SELECT count(*) FROM xero_contacts('acme'))::int \
             FROM xero_api('acme', 'GET', 'Contacts', accept => 'application/xml')",
            &[],
        )
        .unwrap();
    assert_eq!(row.get::<_, i32>(0), 200);
    assert!(row.get::<_, bool>(1), "an XML answer has no jsonb body");
    assert_eq!(row.get::<_, i32>(2), row.get::<_, i32>(3), "every contact is in the XML");

    // Xero's own 404 comes back as a row, not an error; the call is in the call log.
    let status: i32 = c.query_one("SELECT status FROM xero_api('acme', 'GET', 'Contacts/00000000-0000-0000-0000-000000000000')", &[]).unwrap().get(0);
    assert_eq!(status, 404);
    let logged: i64 = c.query_one("SELECT count(*) FROM xero_calls WHERE call LIKE 'GET Contacts (xero_api)%'", &[]).unwrap().get(0);
    assert!(logged >= 2, "raw calls are in xero_calls");
}

#[test]
fn writes_need_the_owner_or_an_api_write_role() {
    let (m, db, mut c) = org();
    let analyst = db.role("analyst");
    let writer = db.role("writer");
    c.batch_execute(&format!("GRANT USAGE ON FOREIGN SERVER acme TO {analyst}, {writer}")).unwrap();
    let mut a = db.connect(&analyst);
    let status: i32 = a.query_one("SELECT status FROM xero_api('acme', 'GET', 'Accounts')", &[]).unwrap().get(0);
    assert_eq!(status, 200, "GET needs only USAGE");
    reset(&m);
    let post = "SELECT status FROM xero_api('acme', 'POST', 'Contacts', request_body => '{\"Contacts\": [{\"Name\": \"Raw Ltd\"}]}')";
    let err = expect_error(a.query(post, &[]));
    assert_eq!(err.code, SqlState::INSUFFICIENT_PRIVILEGE, "{}", err.all_text());
    assert!(err.hint.as_deref().unwrap_or("").contains("ALTER SERVER acme OPTIONS (ADD api_write_roles"), "{}", err.all_text());
    assert!(admin_get(&m, "requests").as_array().unwrap().is_empty(), "nothing was sent");

    c.batch_execute(&format!("ALTER SERVER acme OPTIONS (ADD api_write_roles '{writer}')")).unwrap();
    let mut w = db.connect(&writer);
    let status: i32 = w.query_one(post, &[]).unwrap().get(0);
    assert!(status > 0, "the write reached the server");
    let sent = admin_get(&m, "requests").as_array().unwrap().iter().find(|r| r["method"] == "POST").cloned().expect("a POST was sent");
    assert!(sent["headers"]["idempotency-key"].as_str().is_some_and(|k| k.len() == 32), "{sent}");
    assert!(expect_error(a.query(post, &[])).code == SqlState::INSUFFICIENT_PRIVILEGE, "other roles still may not");
}

#[test]
fn bad_calls_are_clear_errors() {
    let (m, db, mut c) = org();
    reset(&m);
    let cases = [
        ("SELECT * FROM xero_api('acme', 'PATCH', 'Invoices')", "method \"PATCH\""),
        ("SELECT * FROM xero_api('acme', 'GET', 'https://evil.example/steal')", "not a path under"),
        ("SELECT * FROM xero_api('acme', 'GET', 'Invoices', query => '[1, 2]')", "query element 1"),
        ("SELECT * FROM xero_api('acme', 'GET', 'Invoices', request_body => '{}')", "a GET sends no body"),
        ("SELECT * FROM xero_api('acme', 'GET', 'Invoices', accept => 'text/html')", "accept \"text/html\""),
    ];
    for (sql, want) in cases {
        let err = expect_error(c.query(sql, &[]));
        assert_eq!(err.code, SqlState::INVALID_PARAMETER_VALUE, "{sql}: {}", err.all_text());
        assert!(err.message.contains(want), "{sql}: {}", err.all_text());
        assert!(err.hint.is_some(), "{sql}");
    }
    assert!(admin_get(&m, "requests").as_array().unwrap().is_empty(), "nothing was sent");
    // Without USAGE: the same refusal as every function.
    let stranger = db.role("stranger");
    let err = expect_error(db.connect(&stranger).query("SELECT * FROM xero_api('acme', 'GET', 'Accounts')", &[]));
    assert_eq!(err.code, SqlState::INSUFFICIENT_PRIVILEGE, "{}", err.all_text());
}

#[test]
fn report_parameters_are_checked_before_calling_xero() {
    let (m, _db, mut c) = org();
    reset(&m);
    let cases = [
        ("SELECT * FROM xero_report_profit_and_loss('acme', periods => 12)", "periods must be between 1 and 11"),
        ("SELECT * FROM xero_report_balance_sheet('acme', timeframe => 'WEEK')", "timeframe must be MONTH, QUARTER or YEAR"),
        ("SELECT * FROM xero_report_aged_receivables_by_contact('acme', NULL)", "contact_id is required"),
    ];
    for (sql, want) in cases {
        let err = expect_error(c.query(sql, &[]));
        assert_eq!(err.code, SqlState::INVALID_PARAMETER_VALUE, "{sql}: {}", err.all_text());
        assert!(err.message.contains(want), "{sql}: {}", err.all_text());
    }
    assert!(admin_get(&m, "requests").as_array().unwrap().is_empty(), "nothing was sent");
}
