//! `Reports/AgedReceivablesByContact` and `Reports/AgedPayablesByContact`: one contact's
//! unpaid invoices (or bills) as at `date` (default: today), optionally only those dated
//! `fromDate..=toDate`, with Xero's Total/Paid/Credited/Due columns and the amount due
//! aged into Current, < 1 Month, 1 Month, 2 Months, 3 Months and Older (by days past
//! the due date: 1–30, 31–60, 61–90, 91–120, more). Amounts are the invoices' own, so
//! the Due total is the sum of their `AmountDue`.

use crate::dates::civil_from_days;
use crate::ids::Uuid;
use crate::model::{Invoice, InvoiceType, Status};
use crate::reply::Reply;
use crate::report_model::{long_date, money, Cell, Report, Row, RowType};
use crate::report_params::Ctx;

const BUCKETS: [&str; 6] = [
    "Current",
    "< 1 Month",
    "1 Month",
    "2 Months",
    "3 Months",
    "Older",
];

pub fn receivables(cx: &Ctx) -> Result<Vec<Report>, Reply> {
    aged(cx, InvoiceType::AccRec)
}

pub fn payables(cx: &Ctx) -> Result<Vec<Report>, Reply> {
    aged(cx, InvoiceType::AccPay)
}

/// The bucket of an amount `overdue` days past its due date.
fn bucket(overdue: i32) -> usize {
    match overdue {
        i32::MIN..=0 => 0,
        1..=30 => 1,
        31..=60 => 2,
        61..=90 => 3,
        91..=120 => 4,
        _ => 5,
    }
}

fn iso_day(day: i32) -> String {
    let (y, m, d) = civil_from_days(i64::from(day));
    format!("{y:04}-{m:02}-{d:02}T00:00:00")
}

/// Whether the invoice is one the report lists: the contact's, posted, unpaid, in range.
fn listed(inv: &Invoice, kind: InvoiceType, contact: Option<u32>, range: (i32, i32, i32)) -> bool {
    let (from, to, date) = range;
    Some(inv.contact) == contact
        && inv.kind == kind
        && inv.status == Status::Authorised
        && inv.amount_due != 0
        && inv.date <= date
        && (from..=to).contains(&inv.date)
}

fn aged(cx: &Ctx, kind: InvoiceType) -> Result<Vec<Report>, Reply> {
    let raw = cx
        .req
        .param("contactId")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Reply::validation_error(cx.json, "The contactId parameter is required"))?;
    let contact_id = Uuid::parse(raw).ok_or_else(|| {
        Reply::validation_error(
            cx.json,
            &format!("'{raw}' is not a valid GUID for the contactId parameter"),
        )
    })?;
    let date = cx.date("date")?.unwrap_or(cx.today);
    let from = cx.date("fromDate")?.unwrap_or(i32::MIN);
    let to = cx.date("toDate")?.unwrap_or(i32::MAX);
    let t = cx.t;
    let contact = t.contacts.iter().position(|c| c.contact_id == contact_id);
    let mut header = vec![
        "Date", "Number", "Due Date", "", "Total", "Paid", "Credited", "Due",
    ];
    header.extend(BUCKETS);
    let mut totals = [0i64; 10];
    let mut rows = Vec::new();
    for inv in &t.invoices {
        if !listed(inv, kind, contact.map(|c| c as u32), (from, to, date)) {
            continue;
        }
        let overdue = date - inv.due_date;
        let mut amounts = [0i64; 10];
        amounts[..4].copy_from_slice(&[
            inv.total,
            inv.amount_paid,
            inv.amount_credited,
            inv.amount_due,
        ]);
        amounts[4 + bucket(overdue)] = inv.amount_due;
        for (t, a) in totals.iter_mut().zip(amounts) {
            *t += a;
        }
        let id = (inv.invoice_id.to_string(), "invoiceID");
        let mut cells: Vec<Cell> = [
            iso_day(inv.date),
            inv.number.clone(),
            iso_day(inv.due_date),
            if overdue > 0 {
                format!("{overdue} days overdue")
            } else {
                String::new()
            },
        ]
        .into_iter()
        .chain(amounts.map(money))
        .map(Cell::text)
        .collect();
        for c in &mut cells {
            c.attributes.push(id.clone());
        }
        rows.push(Row::cells(RowType::Row, cells));
    }
    rows.push(Row::amounts(
        RowType::SummaryRow,
        "Total",
        ["", "", ""]
            .map(String::from)
            .into_iter()
            .chain(totals.map(money)),
        None,
    ));
    let name = contact.map_or(String::new(), |c| t.contacts[c].name.clone());
    let (report_kind, report_name, list) = match kind {
        InvoiceType::AccRec => (
            "AgedReceivablesByContact",
            "Aged Receivables By Contact",
            "Invoices",
        ),
        InvoiceType::AccPay => ("AgedPayablesByContact", "Aged Payables By Contact", "Bills"),
    };
    Ok(vec![Report {
        kind: report_kind,
        name: report_name,
        titles: vec![
            list.to_string(),
            name,
            format!("As at {}", long_date(date)),
            format!("Showing payments to {}", long_date(date)),
        ],
        date: long_date(cx.today),
        rows: vec![Row::header(header), Row::section("", rows)],
    }])
}
