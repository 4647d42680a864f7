//! What every report reads: the request's parameters (dates, `periods`, `timeframe`,
//! each failing with Xero's 400 naming the parameter), calendar arithmetic over days
//! since 1970-01-01, and per-account sums of the ledger's journal lines.

use crate::dates::{civil_from_days, days_from_civil, parse_http_date, MS_PER_DAY};
use crate::ledger::{Ledger, PAYMENT_SOURCES};
use crate::model::Tenant;
use crate::query;
use crate::reply::Reply;
use crate::request::Req;
use crate::state::State;

pub struct Ctx<'a> {
    pub state: &'a State,
    pub tenant: usize,
    pub t: &'a Tenant,
    pub req: &'a Req,
    pub json: bool,
    /// The mock clock's day: reports default to it, and `ReportDate` is it.
    pub today: i32,
}

impl Ctx<'_> {
    pub fn ledger(&self) -> std::sync::Arc<Ledger> {
        self.state.ledger(self.tenant)
    }

    fn bad(&self, detail: String) -> Reply {
        Reply::validation_error(self.json, &detail)
    }

    /// Date parameter `name` (`2019-10-31`; an ISO date-time is cut to its day).
    pub fn date(&self, name: &str) -> Result<Option<i32>, Reply> {
        let Some(raw) = self
            .req
            .param(name)
            .map(str::trim)
            .filter(|s| !s.is_empty())
        else {
            return Ok(None);
        };
        parse_day(raw).map(Some).ok_or_else(|| {
            self.bad(format!(
                "'{raw}' is not a valid date for the {name} parameter"
            ))
        })
    }

    /// `periods`: how many earlier periods to compare with, `1..=max` (absent: none).
    pub fn periods(&self, max: usize) -> Result<usize, Reply> {
        let Some(raw) = self
            .req
            .param("periods")
            .map(str::trim)
            .filter(|s| !s.is_empty())
        else {
            return Ok(0);
        };
        match raw.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(self.bad(format!(
                "The periods parameter must be an integer between 1 and {max}, not '{raw}'"
            ))),
        }
    }

    /// `timeframe` as months: MONTH (default), QUARTER, YEAR; BudgetSummary's 1, 3, 12.
    pub fn timeframe(&self) -> Result<i32, Reply> {
        let Some(raw) = self
            .req
            .param("timeframe")
            .map(str::trim)
            .filter(|s| !s.is_empty())
        else {
            return Ok(1);
        };
        match raw.to_ascii_uppercase().as_str() {
            "MONTH" | "1" => Ok(1),
            "QUARTER" | "3" => Ok(3),
            "YEAR" | "12" => Ok(12),
            _ => Err(self.bad(format!(
                "'{raw}' is not a valid timeframe parameter: MONTH, QUARTER or YEAR"
            ))),
        }
    }

    pub fn payments_only(&self) -> bool {
        query::flag(self.req, "paymentsOnly")
    }

    /// Per account of the chart: the sum of the journal lines dated `from..=to`.
    pub fn sums(&self, from: i32, to: i32, payments_only: bool) -> Vec<i64> {
        sums(
            &self.ledger(),
            self.t.accounts.len(),
            from,
            to,
            payments_only,
        )
    }

    /// The first day of the financial year `day` is in (the organisation's year end).
    pub fn year_start(&self, day: i32) -> i32 {
        let (end_day, end_month) = self.t.organisation.region.year_end;
        let (y, _, _) = civil_from_days(i64::from(day));
        let this_year_end = days_from_civil(y, end_month, end_day) as i32;
        if day > this_year_end {
            this_year_end + 1
        } else {
            days_from_civil(y - 1, end_month, end_day) as i32 + 1
        }
    }
}

pub fn today(state: &State) -> i32 {
    state.clock.now_ms().div_euclid(MS_PER_DAY) as i32
}

fn parse_day(raw: &str) -> Option<i32> {
    let ymd = raw
        .get(..10)
        .filter(|_| raw.len() == 10 || raw.as_bytes()[10] == b'T');
    if let Some(ymd) = ymd {
        let mut parts = ymd.split('-');
        let y: i64 = parts.next()?.parse().ok()?;
        let m: u32 = parts.next()?.parse().ok()?;
        let d: u32 = parts.next()?.parse().ok()?;
        let day = days_from_civil(y, m, d);
        // Reject 2019-02-30 and the like: the day must come back as written.
        return (civil_from_days(day) == (y, m, d) && (1900..=9999).contains(&y))
            .then_some(day as i32);
    }
    parse_http_date(raw).map(|ms| ms.div_euclid(MS_PER_DAY) as i32)
}

pub fn month_start(day: i32) -> i32 {
    let (y, m, _) = civil_from_days(i64::from(day));
    days_from_civil(y, m, 1) as i32
}

pub fn month_end(day: i32) -> i32 {
    add_months(month_start(day), 1) - 1
}

/// `day` moved by `months`, the day of the month clamped to the target month's length.
pub fn add_months(day: i32, months: i32) -> i32 {
    let (y, m, d) = civil_from_days(i64::from(day));
    let index = y * 12 + i64::from(m) - 1 + i64::from(months);
    let (ty, tm) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
    let first = days_from_civil(ty, tm, 1);
    let next_index = index + 1;
    let next = days_from_civil(
        next_index.div_euclid(12),
        next_index.rem_euclid(12) as u32 + 1,
        1,
    );
    (first + i64::from(d).min(next - first) - 1) as i32
}

/// A period `k` timeframes before `from..=to`; a range ending on a month end keeps doing so.
pub fn earlier(from: i32, to: i32, months: i32, k: usize) -> (i32, i32) {
    let back = -months * k as i32;
    let to_back = if to == month_end(to) {
        month_end(add_months(month_start(to), back))
    } else {
        add_months(to, back)
    };
    (add_months(from, back), to_back)
}

pub fn sums(ledger: &Ledger, accounts: usize, from: i32, to: i32, payments_only: bool) -> Vec<i64> {
    let mut out = vec![0; accounts];
    // Journals are in date order: skip to the first one in range, stop after the last.
    let start = ledger.journals.partition_point(|j| j.date < from);
    for j in ledger.journals[start..].iter().take_while(|j| j.date <= to) {
        if payments_only && !PAYMENT_SOURCES.contains(&j.source) {
            continue;
        }
        for l in ledger.lines_of(j) {
            out[usize::from(l.account)] += l.net;
        }
    }
    out
}

/// The earliest day any journal could have: sums "up to a date" start here.
pub const BEGINNING: i32 = i32::MIN;

/// One row per account that `keep` selects and that has an amount in some column:
/// the account's name, then `sign ×` its amount per column (`columns[k][account]`),
/// each added into `totals[k]`. Account rows carry the account id on every cell.
pub fn account_rows(
    accounts: &[crate::model::Account],
    columns: &[Vec<i64>],
    keep: impl Fn(&crate::model::Account) -> bool,
    sign: i64,
    totals: &mut [i64],
) -> Vec<crate::report_model::Row> {
    use crate::report_model::{money, Row, RowType};
    let mut out = Vec::new();
    for (a, acc) in accounts.iter().enumerate() {
        if !keep(acc) || columns.iter().all(|c| c[a] == 0) {
            continue;
        }
        for (t, c) in totals.iter_mut().zip(columns) {
            *t += sign * c[a];
        }
        out.push(Row::amounts(
            RowType::Row,
            acc.name,
            columns.iter().map(|c| money(sign * c[a])),
            Some((acc.account_id, "account")),
        ));
    }
    out
}
