//! Planning a listing: the filter arguments become Xero's parameters, headers and page size.
//! Fetching the pages is `pages`; turning them into rows with token renewal is `read`.

use crate::dates::{format_utc_seconds, PG_EPOCH_MICROS};
use crate::decode::parse_uuid;
use crate::entities::{ArgType, Entity, Filter, FilterKind, Paging};
use crate::error::{Result, XeroError};

#[derive(Debug, Clone, PartialEq)]
pub enum ArgValue {
    /// Microseconds since 2000-01-01 UTC.
    Timestamptz(i64),
    Text(String),
    TextList(Vec<Option<String>>),
    Bool(bool),
    Int(i64),
}

/// Everything needed to fetch the pages of one listing.
#[derive(Debug, Clone)]
pub struct ListPlan {
    /// The endpoint, parsed once here so that no later step can meet an unparsable URL.
    pub url: url::Url,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub max_pages: Option<u32>,
    pub page_size: Option<u32>,
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
            Paging::Unpaged => None,
        },
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
    Ok(plan)
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

/// The URL of page `page` (1-based) of a listing; unpaged listings ignore `page`.
pub(crate) fn page_url(plan: &ListPlan, page: u32) -> String {
    let mut url = plan.url.clone();
    {
        let mut q = url.query_pairs_mut();
        for (k, v) in &plan.query {
            q.append_pair(k, v);
        }
        if let Some(size) = plan.page_size {
            q.append_pair("page", &page.to_string());
            q.append_pair("pageSize", &size.to_string());
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
    use crate::error::ErrorKind;
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
        let url = page_url(&plan, 3);
        assert_eq!(
            url,
            "https://api.xero.com/api.xro/2.0/Invoices?where=Status%3D%3D%22AUTHORISED%22+AND+Total%3E10&order=Date+DESC\
             &Statuses=AUTHORISED%2CPAID&ContactIDs=11111111-2222-3333-4444-555555555555&includeArchived=true&page=3&pageSize=1000"
        );
        let accounts = entity_by_function("xero_accounts").unwrap();
        let plan = plan_list(accounts, "http://127.0.0.1:1/api.xro/2.0", &[]).unwrap();
        assert_eq!(page_url(&plan, 1), "http://127.0.0.1:1/api.xro/2.0/Accounts");
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
}
