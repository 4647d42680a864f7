//! Rendering tests: determinism, JSON validity, escaping and detail levels.

use super::*;
use crate::render_json::JsonSink;
use crate::render_xml::XmlSink;

fn render_all(seed: u64) -> Vec<u8> {
    let tenants = crate::data::generate(seed, 2, 20, 200);
    let mut s = JsonSink::with_capacity(1 << 20);
    for t in &tenants {
        envelope(&mut s, Uuid(0), 0, None, "Invoices", |s| {
            for inv in &t.invoices {
                invoice(s, t, inv, Detail::Full, UnitDp::FOUR);
            }
        });
        for c in &t.contacts {
            contact(&mut s, c);
        }
        for a in &t.accounts {
            account(&mut s, a);
        }
        organisation(&mut s, t);
    }
    s.out
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let a = render_all(42);
    assert_eq!(a, render_all(42));
    assert_ne!(a, render_all(43));
}

#[test]
fn json_is_valid_and_shaped_like_xero() {
    let t = &crate::data::generate(42, 1, 20, 50)[0];
    let mut s = JsonSink::with_capacity(1 << 16);
    let p = Pagination {
        page: 1,
        page_size: 100,
        page_count: 1,
        item_count: 50,
    };
    envelope(
        &mut s,
        Uuid(1),
        1_711_843_212_345,
        Some(&p),
        "Invoices",
        |s| {
            for inv in &t.invoices {
                invoice(s, t, inv, Detail::Full, UnitDp::FOUR);
            }
        },
    );
    let v: serde_json::Value = serde_json::from_slice(&s.out).expect("valid JSON");
    assert_eq!(v["DateTimeUTC"], "/Date(1711843212345)/");
    assert_eq!(v["pagination"]["itemCount"], 50);
    let inv = &v["Invoices"][0];
    assert_eq!(inv["InvoiceNumber"], "INV-000001");
    assert!(inv["Date"].as_str().unwrap().ends_with("+0000)/"));
    assert_eq!(inv["DateString"].as_str().unwrap().len(), 19);
    assert!(inv["LineItems"][0]["LineItemID"].is_string());
    // Odd date forms survive rendering.
    assert!(v["Invoices"][6]["UpdatedDateUTC"]
        .as_str()
        .unwrap()
        .ends_with("+1300)/"));
    assert!(!v["Invoices"][8]["UpdatedDateUTC"]
        .as_str()
        .unwrap()
        .contains('+'));
    let mut s = JsonSink::with_capacity(1024);
    s.open("Response");
    for c in &t.contacts[..4] {
        contact(&mut s, c);
    }
    s.close("Response");
    let text = String::from_utf8(s.out).unwrap();
    assert!(text.contains("+1300)/"));
    assert!(text.contains("\"/Date(-86400000+0000)/\""));
}

#[test]
fn escaping() {
    let mut j = JsonSink::with_capacity(64);
    j.open("Response");
    j.str("Name", "O'Brien \"&\" <Ltd>\\\n\u{1}");
    j.close("Response");
    assert_eq!(
        String::from_utf8(j.out).unwrap(),
        r#"{"Name":"O'Brien \"&\" <Ltd>\\\n\u0001"}"#
    );
    let mut x = XmlSink::with_capacity(64);
    x.open("Response");
    x.str("Name", "O'Brien \"&\" <Ltd>");
    x.money("Total", -1234);
    x.date_string("DateString", XeroDate::utc(0));
    x.close("Response");
    let xml = String::from_utf8(x.out).unwrap();
    assert!(xml.ends_with("<Name>O&apos;Brien &quot;&amp;&quot; &lt;Ltd&gt;</Name><Total>-12.34</Total></Response>"), "{xml}");
}

#[test]
fn summary_and_unpaged_detail_levels() {
    let t = &crate::data::generate(42, 1, 20, 5)[0];
    let render = |d| {
        let mut s = JsonSink::with_capacity(4096);
        invoice(&mut s, t, &t.invoices[0], d, UnitDp::TWO);
        serde_json::from_slice::<serde_json::Value>(&s.out).unwrap()
    };
    assert!(render(Detail::Full).get("LineItems").is_some());
    let unpaged = render(Detail::NoLineItems);
    assert!(
        unpaged.get("LineItems").is_none() && unpaged["Contact"].get("ContactNumber").is_some()
    );
    let summary = render(Detail::Summary);
    assert!(summary.get("LineItems").is_none() && summary.get("Payments").is_none());
    let keys: Vec<_> = summary["Contact"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(keys, ["ContactID", "Name"]);
}
