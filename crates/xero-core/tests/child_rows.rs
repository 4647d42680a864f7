//! Child collections decode to one row per child: the parent's key and number first, the
//! position within the parent, the child's own fields, and a line's tracking flattened into
//! tracking_category_1/_option_1/_2 beside the jsonb it came from.

use xero_core::decode::{decode_page, Cell};
use xero_core::entities::entity_by_function;

fn text(cells: &[Cell], columns: &[xero_core::entities::Column], name: &str) -> Option<String> {
    let i = columns.iter().position(|c| c.name == name).unwrap_or_else(|| panic!("no column {name}"));
    match &cells[i] {
        Cell::Text(s) => Some(s.clone()),
        Cell::Numeric(s) => Some(s.clone()),
        Cell::Int(n) => Some(n.to_string()),
        Cell::Null => None,
        other => Some(format!("{other:?}")),
    }
}

#[test]
fn line_items_carry_their_parent_position_and_tracking() {
    let e = entity_by_function("xero_bank_transaction_line_items").unwrap();
    let columns = e.columns();
    let names: Vec<&str> = columns.iter().map(|c| c.name).take(4).collect();
    assert_eq!(names, ["bank_transaction_id", "reference", "line_number", "line_item_id"]);
    let body = br#"{"BankTransactions":[
        {"BankTransactionID":"11111111-1111-1111-1111-111111111111","Reference":"R1","LineItems":[
            {"LineItemID":"22222222-2222-2222-2222-222222222222","Description":"a","UnitAmount":12.3456,
             "Tracking":[{"Name":"Region","Option":"North"},{"Name":"Dept","Option":"Sales"}]},
            {"LineItemID":"33333333-3333-3333-3333-333333333333","Description":"b","Tracking":[{"Name":"Region","Option":"South"}]},
            {"LineItemID":"44444444-4444-4444-4444-444444444444","Description":"c"}]},
        {"BankTransactionID":"55555555-5555-5555-5555-555555555555","Reference":"R2","LineItems":[]}]}"#;
    let page = decode_page(e, &columns, body).unwrap();
    assert_eq!((page.records, page.rows.len()), (2, 3));
    let t = |row: usize, name: &str| text(&page.rows[row], &columns, name);
    assert_eq!((t(0, "reference"), t(0, "line_number"), t(0, "description")), (Some("R1".into()), Some("1".into()), Some("a".into())));
    assert_eq!(t(0, "unit_amount").as_deref(), Some("12.3456"), "4-decimal unit amounts are kept as sent");
    assert_eq!((t(0, "tracking_category_1"), t(0, "tracking_option_1")), (Some("Region".into()), Some("North".into())));
    assert_eq!((t(0, "tracking_category_2"), t(0, "tracking_option_2")), (Some("Dept".into()), Some("Sales".into())));
    assert_eq!((t(1, "tracking_option_1"), t(1, "tracking_option_2")), (Some("South".into()), None));
    assert_eq!((t(2, "line_number"), t(2, "tracking_category_1")), (Some("3".into()), None));
    assert!(t(0, "tracking").unwrap().contains("North"), "the jsonb keeps the whole array");
    // The last record had no lines: its own columns are still known (an offset is read from it).
    let last = page.last_parent.as_ref().unwrap();
    assert_eq!(text(last, &columns, "reference").as_deref(), Some("R2"));
}

#[test]
fn journal_lines_know_their_journal_even_without_lines() {
    let e = entity_by_function("xero_journal_lines").unwrap();
    let columns = e.columns();
    let body = br#"{"Journals":[
        {"JournalID":"11111111-1111-1111-1111-111111111111","JournalNumber":7,"JournalDate":"/Date(1719705600000+0000)/","SourceType":"ACCREC",
         "JournalLines":[{"JournalLineID":"22222222-2222-2222-2222-222222222222","AccountCode":"200","NetAmount":-100.00},
                         {"JournalLineID":"33333333-3333-3333-3333-333333333333","AccountCode":"610","NetAmount":100.00}]},
        {"JournalID":"44444444-4444-4444-4444-444444444444","JournalNumber":8,"JournalLines":[]}]}"#;
    let page = decode_page(e, &columns, body).unwrap();
    assert_eq!(page.rows.len(), 2);
    assert_eq!(text(&page.rows[1], &columns, "journal_number").as_deref(), Some("7"));
    assert_eq!(text(&page.rows[1], &columns, "net_amount").as_deref(), Some("100.00"));
    assert_eq!(text(page.last_parent.as_ref().unwrap(), &columns, "journal_number").as_deref(), Some("8"));
}
