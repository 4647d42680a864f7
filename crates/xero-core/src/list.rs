//! Planning a listing: the filter arguments become Xero's parameters, headers and page size.
//! Fetching the pages is `pages`; turning them into rows with token renewal is `read`.

use crate::dates::{format_utc_seconds, PG_EPOCH_MICROS};
use crate::decode::{parse_uuid, Cell, Page};
use crate::entities::{ArgType, Column, Entity, Filter, FilterKind, Paging};
use crate::error::{ErrorKind, Result, XeroError};

#[derive(Debug, Clone, PartialEq)]
pub enum ArgValue {
    /// Microseconds since 2000-01-01 UTC.
    Timestamptz(i64),
    Text(String),
    TextList(Vec<Option<String>>),
    Bool(bool),
    Int(i64),
    /// Days since 2000-01-01.
    Date(i32),
}

/// Where a call of a listing starts: a page number, an offset (the last key read), or the one
/// call of an unpaged listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cursor {
    Page(u32),
    Offset(i64),
    Once,
}

/// Everything needed to fetch the pages of one listing.
#[derive(Debug, Clone)]
pub struct ListPlan {
    /// The endpoint, parsed once here so that no later step can meet an unparsable URL.
    pub url: url::Url,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub max_pages: Option<u32>,
    /// The `pageSize` sent with each page, if the endpoint takes one.
    pub page_size: Option<u32>,
    pub paging: Paging,
    /// Where an offset listing starts (the greatest key already read; 0 reads from the beginning).
    pub start_offset: i64,
}

impl ListPlan {
    /// Where the first call starts.
    pub fn first_cursor(&self) -> Cursor {
        match self.paging {
            Paging::Pages { .. } | Paging::FixedPages { .. } => Cursor::Page(1),
            // Xero returns the journals after the offset: 0 is the beginning.
            Paging::Offset { .. } => Cursor::Offset(self.start_offset),
            Paging::Unpaged => Cursor::Once,
        }
    }

    /// Where the call after `page` (fetched from `cursor`) starts, or None when the listing is
    /// complete. `columns` are the page's columns (an offset is read from the last row).
    pub fn next_cursor(&self, cursor: Cursor, page: &Page, columns: &[Column]) -> Result<Option<Cursor>> {
        let full = |size: u32| page.records >= size as usize;
        Ok(match (self.paging, cursor) {
            (_, Cursor::Once) | (Paging::Unpaged, _) => None,
            (Paging::Pages { max_page_size: size } | Paging::FixedPages { size }, Cursor::Page(n)) => {
                let more = match page.pagination {
                    // Xero's pageCount saves the empty call a short-page rule would make after a
                    // full last page.
                    Some(p) if p.page_count > 0 || p.item_count == 0 => n < p.page_count,
                    _ => full(self.page_size.unwrap_or(size)),
                };
                more.then_some(Cursor::Page(n + 1))
            }
            (Paging::Offset { batch, column }, Cursor::Offset(_)) => {
                if !full(batch) {
                    return Ok(None);
                }
                let last_record = page.last_parent.as_ref().or(page.rows.last());
                let last = columns.iter().position(|c| c.name == column).and_then(|i| last_record.map(|r| &r[i]));
                match last {
                    Some(Cell::Int(n)) => Some(Cursor::Offset(*n)),
                    _ => {
                        return Err(XeroError::new(ErrorKind::ProtocolViolation, format!("Xero's {} page has no {column} to continue from", self.url.path()))
                            .with_detail(format!("a full page of {batch} records, the last without a numeric {column}")))
                    }
                }
            }
            (paging, cursor) => return Err(XeroError::internal(format!("cursor {cursor:?} does not fit paging {paging:?}"))),
        })
    }
}

/// Builds the request for `entity` from the non-NULL filter arguments.
pub fn plan_list(entity: &Entity, api_url: &str, args: &[(&Filter, ArgValue)]) -> Result<ListPlan> {
    let endpoint = format!("{}/{}", api_url.trim_end_matches('/'), entity.endpoint);
    let url = url::Url::parse(&endpoint).map_err(|e| XeroError::invalid_option(format!("api_url does not make a valid URL ({endpoint:?}): {e}")))?;
    let mut plan = ListPlan {
        url,
        query: Vec::new(),
        headers: vec![("accept".into(), "application/json".into())],
        max_pages: None,
        page_size: match entity.paging {
            Paging::Pages { max_page_size } => Some(max_page_size),
            _ => None,
        },
        paging: entity.paging,
        start_offset: 0,
    };
    for (filter, value) in args {
        let mismatch = || XeroError::internal(format!("argument {} of {} has an unexpected type", filter.arg, entity.function));
        match (filter.kind, value) {
            (FilterKind::ModifiedSince, ArgValue::Timestamptz(micros)) => {
                // PostgreSQL's ±infinity are i64::MAX/MIN; Xero wants a real date.
                let unix_seconds = micros
                    .checked_add(PG_EPOCH_MICROS)
                    .filter(|_| *micros != i64::MIN && *micros != i64::MAX)
                    .map(|m| m.div_euclid(1_000_000))
                    .ok_or_else(|| {
                        XeroError::invalid_argument(format!("{} must be a finite time", filter.arg))
                            .with_hint("Use NULL to fetch everything, or a date such as now() - interval '1 day'.")
                    })?;
                plan.headers.push(("if-modified-since".into(), format_utc_seconds(unix_seconds)));
            }
            (FilterKind::Query(name), ArgValue::Text(text)) => {
                if text.trim().is_empty() {
                    return Err(XeroError::invalid_argument(format!("{} must not be empty", filter.arg))
                        .with_hint(format!("Pass NULL (or leave {} out) to not filter.", filter.arg)));
                }
                plan.query.push((name.into(), text.clone()));
            }
            (FilterKind::List(name), ArgValue::TextList(items)) => {
                plan.query.push((name.into(), comma_list(filter, items)?));
            }
            (FilterKind::Flag(name), ArgValue::Bool(b)) => plan.query.push((name.into(), b.to_string())),
            (FilterKind::Query(name), ArgValue::Date(days)) => plan.query.push((name.into(), format_date(*days))),
            (FilterKind::Query(name), ArgValue::Int(n)) => plan.query.push((name.into(), n.to_string())),
            (FilterKind::UnitDp, ArgValue::Int(n)) => {
                if !(0..=4).contains(n) {
                    return Err(XeroError::invalid_argument(format!("{} must be between 0 and 4, not {n}", filter.arg))
                        .with_hint("Xero keeps unit amounts to at most 4 decimal places; NULL asks for 4."));
                }
                plan.query.push(("unitdp".into(), n.to_string()));
            }
            (FilterKind::MaxPages, ArgValue::Int(n)) => {
                if *n < 1 {
                    return Err(XeroError::invalid_argument(format!("max_pages must be at least 1, not {n}"))
                        .with_hint("Pass NULL to fetch every page."));
                }
                plan.max_pages = Some(u32::try_from(*n).unwrap_or(u32::MAX));
            }
            _ => return Err(mismatch()),
        }
    }
    // Xero rounds unit amounts to 2 decimals unless asked: ask for all 4 unless told otherwise.
    if entity.filters.iter().any(|f| f.kind == FilterKind::UnitDp) && !args.iter().any(|(f, _)| f.kind == FilterKind::UnitDp) {
        plan.query.push(("unitdp".into(), "4".into()));
    }
    Ok(plan)
}

/// `YYYY-MM-DD` of a PostgreSQL date (days since 2000-01-01).
pub(crate) fn format_date(days: i32) -> String {
    let (y, m, d) = crate::dates::civil_from_days(i64::from(days) + crate::dates::PG_EPOCH_DAYS);
    format!("{y:04}-{m:02}-{d:02}")
}

fn comma_list(filter: &Filter, items: &[Option<String>]) -> Result<String> {
    if items.is_empty() {
        return Err(XeroError::invalid_argument(format!("{} is an empty array", filter.arg))
            .with_hint(format!("Pass NULL to not filter by {}, or at least one value.", filter.arg)));
    }
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Some(item) = item else {
            return Err(XeroError::invalid_argument(format!("{} contains a NULL element", filter.arg)));
        };
        if item.contains(',') {
            return Err(XeroError::invalid_argument(format!("{} element {item:?} contains a comma", filter.arg))
                .with_detail("Xero takes these values as one comma-separated list."));
        }
        if filter.ty == ArgType::UuidArray && parse_uuid(item).is_none() {
            return Err(XeroError::internal(format!("{} element {item:?} is not a UUID", filter.arg)));
        }
        out.push(item.as_str());
    }
    Ok(out.join(","))
}

/// The URL of the call of a listing that starts at `cursor`.
pub(crate) fn page_url(plan: &ListPlan, cursor: Cursor) -> String {
    let mut url = plan.url.clone();
    {
        let mut q = url.query_pairs_mut();
        for (k, v) in &plan.query {
            q.append_pair(k, v);
        }
        match cursor {
            Cursor::Page(page) => {
                q.append_pair("page", &page.to_string());
                if let Some(size) = plan.page_size {
                    q.append_pair("pageSize", &size.to_string());
                }
            }
            Cursor::Offset(offset) => {
                q.append_pair("offset", &offset.to_string());
            }
            Cursor::Once => {}
        }
    }
    if url.query() == Some("") {
        url.set_query(None);
    }
    url.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::entity_by_function;

    fn arg(e: &'static Entity, name: &str, v: ArgValue) -> (&'static Filter, ArgValue) {
        (e.filter(name).unwrap(), v)
    }

    #[test]
    fn filters_become_xero_parameters() {
        let e = entity_by_function("xero_invoices").unwrap();
        let args = vec![
            arg(e, "modified_since", ArgValue::Timestamptz(1_711_880_430_000_000 - PG_EPOCH_MICROS + 999_999)),
            arg(e, "where_clause", ArgValue::Text("Status==\"AUTHORISED\" AND Total>10".into())),
            arg(e, "order_by", ArgValue::Text("Date DESC".into())),
            arg(e, "statuses", ArgValue::TextList(vec![Some("AUTHORISED".into()), Some("PAID".into())])),
            arg(e, "contact_ids", ArgValue::TextList(vec![Some("11111111-2222-3333-4444-555555555555".into())])),
            arg(e, "include_archived", ArgValue::Bool(true)),
            arg(e, "max_pages", ArgValue::Int(2)),
        ];
        let plan = plan_list(e, "https://api.xero.com/api.xro/2.0/", &args).unwrap();
        assert_eq!(plan.url.as_str(), "https://api.xero.com/api.xro/2.0/Invoices");
        assert!(plan.headers.contains(&("if-modified-since".into(), "2024-03-31T10:20:30".into())));
        assert_eq!(plan.max_pages, Some(2));
        let url = page_url(&plan, Cursor::Page(3));
        assert_eq!(
            url,
            "https://api.xero.com/api.xro/2.0/Invoices?where=Status%3D%3D%22AUTHORISED%22+AND+Total%3E10&order=Date+DESC\
             &Statuses=AUTHORISED%2CPAID&ContactIDs=11111111-2222-3333-4444-555555555555&includeArchived=true&unitdp=4&page=3&pageSize=1000"
        );
        let accounts = entity_by_function("xero_accounts").unwrap();
        let plan = plan_list(accounts, "http://127.0.0.1:1/api.xro/2.0", &[]).unwrap();
        assert_eq!(page_url(&plan, Cursor::Once), "http://127.0.0.1:1/api.xro/2.0/Accounts");
    }

    #[test]
    fn bad_filter_arguments_are_refused() {
        let e = entity_by_function("xero_invoices").unwrap();
        let cases = vec![
            (arg(e, "max_pages", ArgValue::Int(0)), "max_pages must be at least 1"),
            (arg(e, "statuses", ArgValue::TextList(vec![])), "statuses is an empty array"),
            (arg(e, "statuses", ArgValue::TextList(vec![None])), "NULL element"),
            (arg(e, "invoice_numbers", ArgValue::TextList(vec![Some("A,B".into())])), "contains a comma"),
            (arg(e, "where_clause", ArgValue::Text("  ".into())), "must not be empty"),
        ];
        for (a, text) in cases {
            let err = plan_list(e, "https://api.xero.com/api.xro/2.0", &[a]).unwrap_err();
            assert_eq!(err.kind, ErrorKind::InvalidArgument);
            assert!(err.message.contains(text), "{err}");
        }
    }

    #[test]
    fn unit_amounts_keep_four_decimals_unless_asked_otherwise() {
        let e = entity_by_function("xero_bank_transactions").unwrap();
        let url = |args: &[(&'static Filter, ArgValue)]| page_url(&plan_list(e, "https://x/api.xro/2.0", args).unwrap(), Cursor::Page(1));
        assert_eq!(url(&[]), "https://x/api.xro/2.0/BankTransactions?unitdp=4&page=1&pageSize=1000");
        assert_eq!(url(&[arg(e, "unit_dp", ArgValue::Int(2))]), "https://x/api.xro/2.0/BankTransactions?unitdp=2&page=1&pageSize=1000");
        let err = plan_list(e, "https://x/api.xro/2.0", &[arg(e, "unit_dp", ArgValue::Int(5))]).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidArgument);
        // Endpoints that do not take unitdp are not sent it.
        let payments = entity_by_function("xero_payments").unwrap();
        assert_eq!(page_url(&plan_list(payments, "https://x", &[]).unwrap(), Cursor::Page(1)), "https://x/Payments?page=1&pageSize=1000");
    }

    #[test]
    fn every_paging_style_has_its_own_parameters() {
        let quotes = entity_by_function("xero_quotes").unwrap();
        let plan = plan_list(quotes, "https://x", &[arg(quotes, "date_from", ArgValue::Date(9_677))]).unwrap();
        assert_eq!(page_url(&plan, plan.first_cursor()), "https://x/Quotes?DateFrom=2026-06-30&page=1", "Xero's fixed 100: no pageSize");
        let journals = entity_by_function("xero_journals").unwrap();
        let plan = plan_list(journals, "https://x", &[arg(journals, "payments_only", ArgValue::Bool(true))]).unwrap();
        assert_eq!(page_url(&plan, plan.first_cursor()), "https://x/Journals?paymentsOnly=true&offset=0");
        assert_eq!(page_url(&plan, Cursor::Offset(1200)), "https://x/Journals?paymentsOnly=true&offset=1200");
        let accounts = entity_by_function("xero_accounts").unwrap();
        assert_eq!(plan_list(accounts, "https://x", &[]).unwrap().first_cursor(), Cursor::Once);
    }

    fn page_of(numbers: &[i64], columns: &[Column]) -> Page {
        let i = columns.iter().position(|c| c.name == "journal_number").unwrap();
        let rows = numbers
            .iter()
            .map(|n| {
                let mut row = vec![Cell::Null; columns.len()];
                row[i] = Cell::Int(*n);
                row
            })
            .collect::<Vec<_>>();
        Page { records: rows.len(), rows, pagination: None, retries: 0, last_parent: None, childless: Vec::new() }
    }

    #[test]
    fn journals_continue_from_the_last_journal_number_until_a_short_page() {
        let journals = entity_by_function("xero_journals").unwrap();
        let columns = journals.columns();
        let plan = plan_list(journals, "https://x", &[]).unwrap();
        let full: Vec<i64> = (101..=200).collect();
        assert_eq!(plan.next_cursor(Cursor::Offset(100), &page_of(&full, &columns), &columns).unwrap(), Some(Cursor::Offset(200)));
        assert_eq!(plan.next_cursor(Cursor::Offset(200), &page_of(&[201, 202], &columns), &columns).unwrap(), None);
        assert_eq!(plan.next_cursor(Cursor::Offset(200), &page_of(&[], &columns), &columns).unwrap(), None);
        // A full page whose last journal has no number cannot be continued: an error, not a loop.
        let mut broken = page_of(&full, &columns);
        broken.rows.last_mut().unwrap().iter_mut().for_each(|c| *c = Cell::Null);
        assert_eq!(plan.next_cursor(Cursor::Offset(100), &broken, &columns).unwrap_err().kind, ErrorKind::ProtocolViolation);
    }

    #[test]
    fn fixed_pages_continue_while_full() {
        let quotes = entity_by_function("xero_quotes").unwrap();
        let columns = quotes.columns();
        let plan = plan_list(quotes, "https://x", &[]).unwrap();
        let page = |n: usize| Page { rows: vec![vec![Cell::Null; columns.len()]; n], records: n, pagination: None, retries: 0, last_parent: None, childless: Vec::new() };
        assert_eq!(plan.next_cursor(Cursor::Page(1), &page(100), &columns).unwrap(), Some(Cursor::Page(2)));
        assert_eq!(plan.next_cursor(Cursor::Page(2), &page(99), &columns).unwrap(), None);
    }
}
