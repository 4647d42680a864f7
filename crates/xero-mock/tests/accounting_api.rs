//! Accounting API behaviour through real HTTP: paging, filters, formats, lookups.

mod common;

use common::{date_ms, iso, rfc1123, Mock};
use serde_json::Value;
use xero_mock::Config;

fn invoices(v: &Value) -> &Vec<Value> {
    v["Invoices"].as_array().expect("Invoices array")
}

fn numbers(v: &Value) -> Vec<String> {
    invoices(v)
        .iter()
        .map(|i| i["InvoiceNumber"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn paging_with_page_size_1000_and_short_last_page() {
    let m = Mock::start(Config {
        invoices: 2500,
        contacts: 50,
        tenants: 1,
        ..Config::default()
    });
    let (at, _) = m.tokens();
    let mut seen = Vec::new();
    for (page, want) in [(1, 1000), (2, 1000), (3, 500), (4, 0)] {
        let v = m
            .api(&at, 0, &format!("Invoices?page={page}&pageSize=1000"))
            .json();
        assert_eq!(invoices(&v).len(), want, "page {page}");
        let p = &v["pagination"];
        assert_eq!(
            (p["page"].as_u64(), p["pageSize"].as_u64()),
            (Some(page), Some(1000))
        );
        assert_eq!(
            (p["pageCount"].as_u64(), p["itemCount"].as_u64()),
            (Some(3), Some(2500))
        );
        if want > 0 {
            assert!(invoices(&v)
                .iter()
                .all(|i| i["LineItems"].as_array().is_some_and(|l| !l.is_empty())));
        }
        seen.extend(numbers(&v));
    }
    let unique: std::collections::HashSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), 2500);
    // Larger sizes are capped at 1000; the default is 100.
    let v = m.api(&at, 0, "Invoices?page=1&pageSize=5000").json();
    assert_eq!(
        (invoices(&v).len(), v["pagination"]["pageSize"].as_u64()),
        (1000, Some(1000))
    );
    let v = m.api(&at, 0, "Invoices?page=2").json();
    assert_eq!(
        (invoices(&v).len(), v["pagination"]["pageCount"].as_u64()),
        (100, Some(25))
    );
    // Unpaged: everything, without line items, without the pagination block.
    let v = m.api(&at, 0, "Invoices").json();
    assert_eq!(invoices(&v).len(), 2500);
    assert!(v.get("pagination").is_none());
    assert!(invoices(&v).iter().all(|i| i.get("LineItems").is_none()));
    assert_eq!(v["Status"], "OK");
    assert_eq!(v["ProviderName"], "xero_fdw demo");
    let r = m.api(&at, 0, "Invoices?page=abc");
    assert_eq!(
        (r.status, r.json()["ErrorNumber"].as_i64()),
        (400, Some(10))
    );
}

#[test]
fn filters_select_exactly_the_matching_invoices() {
    let m = Mock::start(Config {
        invoices: 400,
        contacts: 30,
        tenants: 1,
        ..Config::default()
    });
    let (at, _) = m.tokens();
    let all = m.api(&at, 0, "Invoices").json();
    let all = invoices(&all).clone();
    let pick = |pred: &dyn Fn(&Value) -> bool| -> Vec<String> {
        all.iter()
            .filter(|i| pred(i))
            .map(|i| i["InvoiceNumber"].as_str().unwrap().to_string())
            .collect()
    };

    // If-Modified-Since, both notations: UpdatedDateUTC >= the value.
    let median = {
        let mut u: Vec<i64> = all.iter().map(|i| date_ms(&i["UpdatedDateUTC"])).collect();
        u.sort();
        u[u.len() / 2] / 1000 * 1000
    };
    let want = pick(&|i| date_ms(&i["UpdatedDateUTC"]) >= median);
    assert!(!want.is_empty() && want.len() < all.len());
    let bearer = format!("Bearer {at}");
    let tenant = m.tenant(0);
    for since in [rfc1123(median), iso(median)] {
        let r = m.get(
            "/api.xro/2.0/Invoices",
            &[
                ("authorization", &bearer),
                ("xero-tenant-id", &tenant),
                ("accept", "application/json"),
                ("if-modified-since", &since),
            ],
        );
        assert_eq!(numbers(&r.json()), want, "{since}");
    }

    let q = |query: &str| {
        let r = m.api(&at, 0, &format!("Invoices?{query}"));
        assert_eq!(r.status, 200, "{query}: {}", r.body);
        numbers(&r.json())
    };
    let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    assert_eq!(
        q(&format!(
            "where={}",
            enc(r#"Status=="PAID" AND Type=="ACCREC""#)
        )),
        pick(&|i| i["Status"] == "PAID" && i["Type"] == "ACCREC")
    );
    assert_eq!(
        q(&format!(
            "where={}",
            enc("AmountDue > 500 && Date >= DateTime(2025,01,01)")
        )),
        pick(&|i| i["AmountDue"].as_f64().unwrap() > 500.0
            && date_ms(&i["Date"]) >= 1_735_689_600_000)
    );
    assert_eq!(
        q("Statuses=PAID,VOIDED"),
        pick(&|i| i["Status"] == "PAID" || i["Status"] == "VOIDED")
    );
    let ids = [
        all[3]["InvoiceID"].as_str().unwrap(),
        all[77]["InvoiceID"].as_str().unwrap(),
    ];
    assert_eq!(
        q(&format!("IDs={},{}", ids[0], ids[1].to_uppercase())),
        pick(&|i| ids.contains(&i["InvoiceID"].as_str().unwrap()))
    );
    let contact = all[5]["Contact"]["ContactID"].as_str().unwrap();
    assert_eq!(
        q(&format!("ContactIDs={contact}")),
        pick(&|i| i["Contact"]["ContactID"] == contact)
    );
    assert_eq!(
        q("InvoiceNumbers=INV-000002,INV-000004"),
        vec!["INV-000002", "INV-000004"]
    );

    // order: Total DESC, ties broken by the stable original order.
    let ordered = m.api(&at, 0, "Invoices?order=Total%20DESC").json();
    let totals: Vec<f64> = invoices(&ordered)
        .iter()
        .map(|i| i["Total"].as_f64().unwrap())
        .collect();
    assert!(totals.windows(2).all(|w| w[0] >= w[1]));
    let ordered = m
        .api(&at, 0, "Invoices?order=Contact.Name,Date%20DESC&page=1")
        .json();
    let keys: Vec<(String, i64)> = invoices(&ordered)
        .iter()
        .map(|i| {
            (
                i["Contact"]["Name"].as_str().unwrap().to_lowercase(),
                -date_ms(&i["Date"]),
            )
        })
        .collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{keys:?}");

    // summaryOnly drops line items even when paged.
    let v = m.api(&at, 0, "Invoices?page=1&summaryOnly=true").json();
    assert!(invoices(&v)
        .iter()
        .all(|i| i.get("LineItems").is_none() && i["Contact"].get("EmailAddress").is_none()));

    // Errors.
    let r = m.api(&at, 0, &format!("Invoices?where={}", enc("Foo==1")));
    assert_eq!(r.status, 400);
    let v = r.json();
    assert_eq!(
        (v["ErrorNumber"].as_i64(), v["Type"].as_str()),
        (Some(16), Some("QueryParseException"))
    );
    assert!(v["Message"].as_str().unwrap().contains("Foo"));
    let r = m.api(&at, 0, "Invoices?order=Nope%20DESC");
    assert_eq!(
        (r.status, r.json()["Type"].as_str()),
        (400, Some("QueryParseException"))
    );
    let r = m.api(&at, 0, "Invoices?IDs=not-a-guid");
    assert_eq!(r.status, 400);
    let v = r.json();
    assert_eq!(
        (v["ErrorNumber"].as_i64(), v["Type"].as_str()),
        (Some(10), Some("ValidationException"))
    );
    assert_eq!(v["Message"], "A validation exception occurred");
    assert!(v["Elements"][0]["ValidationErrors"][0]["Message"]
        .as_str()
        .unwrap()
        .contains("not-a-guid"));
}

#[test]
fn single_lookups_and_not_found() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    let list = m.api(&at, 0, "Invoices?page=1").json();
    let first = &invoices(&list)[0];
    let id = first["InvoiceID"].as_str().unwrap();
    let by_id = m.api(&at, 0, &format!("Invoices/{id}")).json();
    assert_eq!(invoices(&by_id)[0], *first);
    let by_number = m.api(&at, 0, "Invoices/INV-000001").json();
    assert_eq!(invoices(&by_number)[0]["InvoiceNumber"], "INV-000001");
    assert!(invoices(&by_number)[0]["LineItems"].is_array());
    for path in [
        "Invoices/INV-999999",
        "Invoices/00000000-0000-0000-0000-000000000000",
        "Contacts/nope",
        "Accounts/00000000-0000-0000-0000-000000000000",
    ] {
        let r = m.api(&at, 0, path);
        assert_eq!(
            (r.status, r.body.as_str()),
            (404, "The resource you're looking for cannot be found"),
            "{path}"
        );
    }
    let contact_id = first["Contact"]["ContactID"].as_str().unwrap();
    let c = m.api(&at, 0, &format!("Contacts/{contact_id}")).json();
    assert_eq!(c["Contacts"][0]["Name"], first["Contact"]["Name"]);
    let stats = m.stats();
    assert_eq!(
        (stats["Invoices"].as_u64(), stats["Invoices/{id}"].as_u64()),
        (Some(1), Some(4))
    );
    assert_eq!(
        (
            stats["Contacts/{id}"].as_u64(),
            stats["Accounts/{id}"].as_u64()
        ),
        (Some(2), Some(1))
    );
}

#[test]
fn xml_unless_json_is_accepted() {
    let m = Mock::small();
    let (at, _) = m.tokens();
    let bearer = format!("Bearer {at}");
    let tenant = m.tenant(0);
    let r = m.get(
        "/api.xro/2.0/Invoices?page=1&pageSize=3",
        &[("authorization", &bearer), ("xero-tenant-id", &tenant)],
    );
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/xml"));
    assert!(r.body.starts_with("<Response"), "{}", &r.body[..100]);
    assert!(r.body.contains("<Status>OK</Status>"));
    assert_eq!(r.body.matches("<Invoice>").count(), 3);
    assert!(r.body.contains("<InvoiceNumber>INV-000001</InvoiceNumber>"));
    assert!(r.body.contains("<LineItems><LineItem><Description>"));
    assert!(!r.body.contains("/Date("));
    assert!(
        r.body.contains("<Date>2024-01-01T00:00:00</Date>"),
        "{}",
        r.body
    );
    let json = m.api(&at, 0, "Invoices?page=1&pageSize=3");
    assert!(json
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    // XML errors are XML too.
    let r = m.get(
        "/api.xro/2.0/Invoices?where=Foo",
        &[("authorization", &bearer), ("xero-tenant-id", &tenant)],
    );
    assert_eq!(r.status, 400);
    assert!(
        r.body.starts_with("<ApiException") && r.body.contains("<ErrorNumber>16</ErrorNumber>"),
        "{}",
        r.body
    );
}

#[test]
fn contacts_accounts_and_organisation() {
    let m = Mock::start(Config {
        invoices: 100,
        contacts: 60,
        ..Config::default()
    });
    let (at, _) = m.tokens();
    let active = m.api(&at, 0, "Contacts").json();
    let everyone = m.api(&at, 0, "Contacts?includeArchived=true").json();
    let (active, everyone) = (
        active["Contacts"].as_array().unwrap(),
        everyone["Contacts"].as_array().unwrap(),
    );
    assert_eq!(everyone.len(), 60);
    assert_eq!(active.len(), 57);
    assert!(active.iter().all(|c| c["ContactStatus"] == "ACTIVE"));
    assert_eq!(everyone[0]["ContactNumber"], "C-0001");
    assert!(
        everyone[0]["Addresses"].as_array().unwrap().len() == 2 && everyone[0]["Phones"].is_array()
    );
    // Odd date notations from real Xero data.
    assert!(everyone[1]["UpdatedDateUTC"]
        .as_str()
        .unwrap()
        .ends_with("+1300)/"));
    assert!(!everyone[2]["UpdatedDateUTC"]
        .as_str()
        .unwrap()
        .contains('+'));
    assert_eq!(everyone[3]["UpdatedDateUTC"], "/Date(-86400000+0000)/");
    let name = everyone[10]["Name"].as_str().unwrap();
    let term: String = name.chars().take(6).collect::<String>().to_uppercase();
    let found = m
        .api(
            &at,
            0,
            &format!(
                "Contacts?includeArchived=true&searchTerm={}",
                form_urlencoded::byte_serialize(term.as_bytes()).collect::<String>()
            ),
        )
        .json();
    assert!(found["Contacts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["Name"] == name));
    let page = m
        .api(&at, 0, "Contacts?page=2&pageSize=50&includeArchived=true")
        .json();
    assert_eq!(
        (
            page["Contacts"].as_array().unwrap().len(),
            page["pagination"]["pageCount"].as_u64()
        ),
        (10, Some(2))
    );

    let accounts = m.api(&at, 0, "Accounts").json();
    let accounts = accounts["Accounts"].as_array().unwrap();
    assert!(accounts.len() >= 30);
    let find = |code: &str| {
        accounts
            .iter()
            .find(|a| a["Code"] == code)
            .unwrap_or_else(|| panic!("{code}"))
    };
    assert_eq!(
        (find("090")["Name"].as_str(), find("090")["Type"].as_str()),
        (Some("Business Bank Account"), Some("BANK"))
    );
    assert_eq!(find("610")["SystemAccount"], "DEBTORS");
    assert_eq!(find("800")["SystemAccount"], "CREDITORS");
    assert_eq!(find("960")["UpdatedDateUTC"], "/Date(0+0000)/");
    assert_eq!(
        find("970")["UpdatedDateUTC"],
        "/Date(-62135596800000+0000)/"
    );
    let bank = m.api(&at, 0, "Accounts?where=Type%3D%3D%22BANK%22").json();
    assert_eq!(bank["Accounts"].as_array().unwrap().len(), 2);
    let id = find("200")["AccountID"].as_str().unwrap();
    assert_eq!(
        m.api(&at, 0, &format!("Accounts/{id}")).json()["Accounts"][0]["Name"],
        "Sales"
    );
    // Tenants have their own data.
    let au = m.api(&at, 1, "Accounts").json();
    assert_ne!(au["Accounts"][0]["AccountID"], accounts[0]["AccountID"]);
    assert_eq!(
        au["Accounts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["Code"] == "200")
            .unwrap()["TaxType"],
        "OUTPUT"
    );
}
