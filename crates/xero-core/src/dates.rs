//! Xero's JSON dates: `/Date(1439434356790)/` and `/Date(1419937200000+1300)/`.
//!
//! The number is milliseconds since the Unix epoch (UTC) and may be zero or negative; the
//! optional `±hhmm` suffix is the offset of the local time Xero meant. Timestamps keep the
//! instant and ignore the offset; date-only fields (`x-is-msdate`) are the calendar date in
//! that local time, so `/Date(1419937200000+1300)/` is 2014-12-31, not the UTC 2014-12-30.

/// Days from 1970-01-01 to PostgreSQL's epoch 2000-01-01.
pub const PG_EPOCH_DAYS: i64 = 10_957;
/// Microseconds from 1970-01-01 to 2000-01-01.
pub const PG_EPOCH_MICROS: i64 = PG_EPOCH_DAYS * 86_400_000_000;
const MS_PER_DAY: i64 = 86_400_000;
/// PostgreSQL's `date` range in days since 2000-01-01: 4714-11-24 BC up to, not including,
/// 5874898-01-01 (`MIN_DATE`/`END_DATE` in datatype/timestamp.h).
pub const PG_MIN_DATE: i32 = -2_451_545;
pub const PG_END_DATE: i32 = 2_145_031_949;
/// PostgreSQL's `timestamptz` range in microseconds since 2000-01-01: 4714-11-24 00:00 UTC BC up
/// to, not including, 294277-01-01 (`MIN_TIMESTAMP`/`END_TIMESTAMP`).
pub const PG_MIN_TIMESTAMP: i64 = -211_813_488_000_000_000;
pub const PG_END_TIMESTAMP: i64 = 9_223_371_331_200_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MsDate {
    pub epoch_ms: i64,
    /// Offset of the local time Xero meant, in minutes east of UTC.
    pub offset_minutes: Option<i32>,
}

impl MsDate {
    /// Microseconds since 2000-01-01 UTC (PostgreSQL's timestamptz representation); `None`
    /// outside PostgreSQL's range (the value is handed over as a raw Datum, where `i64::MAX`
    /// would be `infinity`).
    pub fn pg_timestamptz(&self) -> Option<i64> {
        let micros = self.epoch_ms.checked_mul(1000)?.checked_sub(PG_EPOCH_MICROS)?;
        (PG_MIN_TIMESTAMP..PG_END_TIMESTAMP).contains(&micros).then_some(micros)
    }

    /// Days since 2000-01-01 of the local calendar date (PostgreSQL's date representation);
    /// `None` outside PostgreSQL's range (`i32::MIN` would be `-infinity`).
    pub fn pg_date(&self) -> Option<i32> {
        let local_ms = self
            .epoch_ms
            .checked_add(i64::from(self.offset_minutes.unwrap_or(0)) * 60_000)?;
        let days = i32::try_from(local_ms.div_euclid(MS_PER_DAY) - PG_EPOCH_DAYS).ok()?;
        (PG_MIN_DATE..PG_END_DATE).contains(&days).then_some(days)
    }
}

/// Parses `/Date(ms)/` or `/Date(ms±hhmm)/`. Also accepts ISO-8601 `YYYY-MM-DD[THH:MM:SS[.fff]][Z|±hh:mm]`,
/// which Xero uses in `*String` fields and XML bodies.
pub fn parse_xero_date(text: &str) -> Result<MsDate, String> {
    if let Some(inner) = text.strip_prefix("/Date(").and_then(|t| t.strip_suffix(")/")) {
        return parse_ms_form(inner).ok_or_else(|| format!("\"{text}\" is not a valid /Date(milliseconds±hhmm)/ value"));
    }
    parse_iso(text).ok_or_else(|| format!("\"{text}\" is neither /Date(…)/ nor an ISO-8601 date"))
}

fn parse_ms_form(inner: &str) -> Option<MsDate> {
    // The sign of the epoch is the first character; a later + or - starts the offset.
    let split = inner
        .char_indices()
        .skip(1)
        .find(|&(_, c)| c == '+' || c == '-')
        .map(|(i, _)| i);
    let (ms_text, offset_text) = match split {
        Some(i) => (&inner[..i], Some(&inner[i..])),
        None => (inner, None),
    };
    if ms_text.is_empty() || !ms_text.trim_start_matches('-').bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let epoch_ms: i64 = ms_text.parse().ok()?;
    let offset_minutes = match offset_text {
        None => None,
        Some(o) => Some(parse_hhmm_offset(o)?),
    };
    Some(MsDate { epoch_ms, offset_minutes })
}

fn parse_hhmm_offset(o: &str) -> Option<i32> {
    let (sign, digits) = match o.as_bytes().first() {
        Some(b'+') => (1, &o[1..]),
        Some(b'-') => (-1, &o[1..]),
        _ => return None,
    };
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits[2..].parse().ok()?;
    if hours > 14 || minutes > 59 {
        return None;
    }
    Some(sign * (hours * 60 + minutes))
}

fn parse_iso(text: &str) -> Option<MsDate> {
    let b = text.as_bytes();
    // ASCII only, so that the fixed byte offsets below are character boundaries.
    if !text.is_ascii() || b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year: i64 = num(&text[0..4])?;
    let month: u32 = num(&text[5..7])?;
    let day: u32 = num(&text[8..10])?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let mut ms = days_from_civil(year, month, day) * MS_PER_DAY;
    let mut rest = &text[10..];
    let mut offset_minutes = None;
    if let Some(time) = rest.strip_prefix('T') {
        let tb = time.as_bytes();
        if tb.len() < 8 || tb[2] != b':' || tb[5] != b':' {
            return None;
        }
        let (h, m, s): (i64, i64, i64) = (num(&time[0..2])?, num(&time[3..5])?, num(&time[6..8])?);
        if h > 23 || m > 59 || s > 60 {
            return None;
        }
        ms += (h * 3600 + m * 60 + s) * 1000;
        rest = &time[8..];
        if let Some(frac) = rest.strip_prefix('.') {
            let digits = frac.bytes().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            let millis = format!("{:0<3}", &frac[..digits.min(3)]);
            ms += num::<i64>(&millis)?;
            rest = &frac[digits..];
        }
        match rest {
            "" => {}
            "Z" => offset_minutes = Some(0),
            _ => {
                let o = rest.replace(':', "");
                let off = parse_hhmm_offset(&o)?;
                ms -= i64::from(off) * 60_000;
                offset_minutes = Some(off);
            }
        }
    } else if !rest.is_empty() {
        return None;
    }
    Some(MsDate { epoch_ms: ms, offset_minutes })
}

fn num<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Civil date of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `If-Modified-Since` wants UTC to the second: `2024-03-31T10:20:30`.
pub fn format_utc_seconds(unix_seconds: i64) -> String {
    let (y, m, d) = civil_from_days(unix_seconds.div_euclid(86_400));
    let s = unix_seconds.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pg_date(y: i64, m: u32, d: u32) -> i32 {
        (days_from_civil(y, m, d) - PG_EPOCH_DAYS) as i32
    }

    #[test]
    fn ms_dates_decode_exactly() {
        // (input, expected epoch ms, expected offset minutes, expected local date)
        let cases: &[(&str, i64, Option<i32>, (i64, u32, u32))] = &[
            ("/Date(1439434356790)/", 1_439_434_356_790, None, (2015, 8, 13)),
            ("/Date(1419937200000+1300)/", 1_419_937_200_000, Some(780), (2014, 12, 31)),
            ("/Date(1419937200000-0500)/", 1_419_937_200_000, Some(-300), (2014, 12, 30)),
            ("/Date(0+0000)/", 0, Some(0), (1970, 1, 1)),
            ("/Date(0)/", 0, None, (1970, 1, 1)),
            ("/Date(-1)/", -1, None, (1969, 12, 31)),
            ("/Date(-62135596800000)/", -62_135_596_800_000, None, (1, 1, 1)),
            ("/Date(-86400000+0000)/", -86_400_000, Some(0), (1969, 12, 31)),
            ("/Date(1711843200000+0000)/", 1_711_843_200_000, Some(0), (2024, 3, 31)),
        ];
        for &(text, ms, off, (y, m, d)) in cases {
            let v = parse_xero_date(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(v.epoch_ms, ms, "{text}");
            assert_eq!(v.offset_minutes, off, "{text}");
            assert_eq!(v.pg_date(), Some(pg_date(y, m, d)), "{text}");
            assert_eq!(v.pg_timestamptz(), Some(ms * 1000 - PG_EPOCH_MICROS), "{text}");
        }
    }

    #[test]
    fn iso_dates_decode() {
        let v = parse_xero_date("2024-03-31T00:00:00").unwrap();
        assert_eq!(v.epoch_ms, 1_711_843_200_000);
        let v = parse_xero_date("2024-03-31T10:20:30.5Z").unwrap();
        assert_eq!(v.epoch_ms, 1_711_843_200_000 + 37_230_500);
        let v = parse_xero_date("2024-03-31T13:00:00+13:00").unwrap();
        assert_eq!(v.epoch_ms, 1_711_843_200_000);
        assert_eq!(v.pg_date(), Some(pg_date(2024, 3, 31)));
        assert_eq!(parse_xero_date("2024-02-29").unwrap().pg_date(), Some(pg_date(2024, 2, 29)));
    }

    #[test]
    fn malformed_dates_are_rejected_with_the_value() {
        for bad in [
            "/Date()/", "/Date(abc)/", "/Date(123+13)/", "/Date(123+2500)/", "/Date(12 3)/", "/Date(1",
            "2023-02-29", "2024-13-01", "2024-01-01T25:00:00", "yesterday", "", "/Date(99999999999999999999)/",
        ] {
            let err = parse_xero_date(bad).expect_err(bad);
            assert!(err.contains(bad), "error for {bad:?} should quote it: {err}");
        }
    }

    #[test]
    fn non_ascii_and_unsigned_offsets_are_rejected_not_panics() {
        // Found by fuzz/fuzz_targets/xero_dates.rs: byte offsets that split a character, an
        // empty offset after ':' removal, and an offset without its sign.
        for bad in [
            "2024-03-3\u{2eb}", "2024-03-31T13:00:0\u{e9}", "2024-03-31T13:00:00\u{e9}0000", "2024-03-31T13:00:00:",
            "2024-03-31T13:00:00X01:00", "/Date(0\u{e9}0100)/",
        ] {
            assert!(parse_xero_date(bad).is_err(), "{bad:?}");
        }
        assert_eq!(parse_xero_date("2024-03-31T13:00:00-01:30").unwrap().offset_minutes, Some(-90));
    }

    #[test]
    fn extreme_epochs_do_not_overflow() {
        let v = parse_xero_date(&format!("/Date({})/", i64::MAX)).unwrap();
        assert_eq!(v.pg_timestamptz(), None);
        assert_eq!(v.pg_date(), None);
    }

    #[test]
    fn dates_outside_postgresql_range_are_none() {
        // Found with fuzz/fuzz_targets/decode_page.rs: these became date/timestamptz Datums
        // PostgreSQL cannot represent (-infinity, or values its output functions refuse).
        let v = parse_xero_date("/Date(-300000000000000)/").unwrap();
        assert_eq!((v.pg_date(), v.pg_timestamptz()), (None, None));
        let min_day_ms = (PG_EPOCH_DAYS + i64::from(i32::MIN)) * MS_PER_DAY;
        assert_eq!(MsDate { epoch_ms: min_day_ms, offset_minutes: None }.pg_date(), None, "i32::MIN is -infinity");
        // 4714-11-24 BC is the first day PostgreSQL has; the day before is out.
        let first = (PG_EPOCH_DAYS + i64::from(PG_MIN_DATE)) * MS_PER_DAY;
        assert_eq!(MsDate { epoch_ms: first, offset_minutes: None }.pg_date(), Some(PG_MIN_DATE));
        assert_eq!(MsDate { epoch_ms: first, offset_minutes: None }.pg_timestamptz(), Some(PG_MIN_TIMESTAMP));
        assert_eq!(MsDate { epoch_ms: first - 1, offset_minutes: None }.pg_date(), None);
        assert_eq!(MsDate { epoch_ms: first - 1, offset_minutes: None }.pg_timestamptz(), None);
        // The largest epoch that fits microseconds is still below PostgreSQL's end.
        let last = MsDate { epoch_ms: i64::MAX / 1000, offset_minutes: None }.pg_timestamptz().unwrap();
        assert!(last < PG_END_TIMESTAMP);
    }

    #[test]
    fn civil_round_trip_and_formatting() {
        for days in [-800_000i64, -1, 0, 1, 10_957, 19_813, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(format_utc_seconds(1_711_880_430), "2024-03-31T10:20:30");
        assert_eq!(format_utc_seconds(-1), "1969-12-31T23:59:59");
    }
}
