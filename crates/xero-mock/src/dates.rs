//! Calendar arithmetic and Xero's date notations.
//!
//! Xero's JSON writes instants as Microsoft's `"/Date(ms±hhmm)/"`; the offset is
//! informational (the milliseconds are always UTC) and may be missing. XML and the
//! `DateString` fields use `yyyy-MM-ddTHH:mm:ss` in the organisation's local time,
//! which for the offset form means UTC shifted by that offset.

pub const MS_PER_DAY: i64 = 86_400_000;

/// An instant as Xero renders it: UTC milliseconds plus the optional `±hhmm` suffix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct XeroDate {
    pub ms: i64,
    /// `Some(1300)` renders `+1300`, `Some(0)` renders `+0000`, `None` renders no suffix.
    pub offset: Option<i16>,
}

impl XeroDate {
    pub fn utc(ms: i64) -> XeroDate {
        XeroDate {
            ms,
            offset: Some(0),
        }
    }

    /// Midnight UTC of a day number (days since 1970-01-01), as Xero stores dates without time.
    pub fn day(days: i32) -> XeroDate {
        XeroDate::utc(i64::from(days) * MS_PER_DAY)
    }

    /// The wall-clock milliseconds the offset designates (used for the ISO forms).
    pub fn local_ms(self) -> i64 {
        let off = i64::from(self.offset.unwrap_or(0));
        self.ms + (off / 100 * 60 + off % 100) * 60_000
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`].
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// Splits UTC milliseconds into (year, month, day, hour, minute, second, millisecond).
pub fn split_ms(ms: i64) -> (i64, u32, u32, u32, u32, u32, u32) {
    let (y, mo, d) = civil_from_days(ms.div_euclid(MS_PER_DAY));
    let t = ms.rem_euclid(MS_PER_DAY);
    let secs = (t / 1000) as u32;
    (
        y,
        mo,
        d,
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        (t % 1000) as u32,
    )
}

/// Appends `/Date(ms+hhmm)/` (or `/Date(ms)/` without offset).
pub fn write_json_date(out: &mut Vec<u8>, d: XeroDate) {
    out.extend_from_slice(b"/Date(");
    crate::numbers::write_int(out, d.ms);
    if let Some(off) = d.offset {
        out.push(if off < 0 { b'-' } else { b'+' });
        write_padded(out, u32::from(off.unsigned_abs()), 4);
    }
    out.extend_from_slice(b")/");
}

/// Appends `yyyy-MM-ddTHH:mm:ss` for the date's local wall time.
pub fn write_iso(out: &mut Vec<u8>, d: XeroDate) {
    let (y, mo, da, h, mi, s, _) = split_ms(d.local_ms());
    write_padded(out, y.max(0) as u32, 4);
    out.push(b'-');
    write_padded(out, mo, 2);
    out.push(b'-');
    write_padded(out, da, 2);
    out.push(b'T');
    write_padded(out, h, 2);
    out.push(b':');
    write_padded(out, mi, 2);
    out.push(b':');
    write_padded(out, s, 2);
}

/// `MM/dd/yyyy HH:mm:ss`, the .NET invariant form Xero uses in `TokenExpired` details.
pub fn us_datetime(ms: i64) -> String {
    let (y, mo, d, h, mi, s, _) = split_ms(ms);
    format!("{mo:02}/{d:02}/{y:04} {h:02}:{mi:02}:{s:02}")
}

/// `yyyy-MM-ddTHH:mm:ss.fffffff`, the form of `/connections` timestamps.
pub fn identity_datetime(ms: i64) -> String {
    let (y, mo, d, h, mi, s, milli) = split_ms(ms);
    format!(
        "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:07}",
        milli * 10_000
    )
}

fn write_padded(out: &mut Vec<u8>, v: u32, width: usize) {
    let mut buf = [b'0'; 10];
    let mut n = v;
    let mut i = buf.len();
    while n > 0 {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    let start = (buf.len() - width).min(i);
    out.extend_from_slice(&buf[start..]);
}

/// Parses an `If-Modified-Since` value: RFC 1123 (`Sun, 06 Nov 1994 08:49:37 GMT`) or
/// `yyyy-MM-ddTHH:mm:ss[.fff][Z]`, both UTC. Returns UTC milliseconds.
pub fn parse_http_date(s: &str) -> Option<i64> {
    let s = s.trim();
    parse_rfc1123(s).or_else(|| parse_iso(s))
}

fn parse_rfc1123(s: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (_, rest) = s.split_once(", ")?;
    let mut parts = rest.split_whitespace();
    let day: u32 = parts.next()?.parse().ok()?;
    let mon = parts.next()?;
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(mon))? as u32 + 1;
    let year: i64 = parts.next()?.parse().ok()?;
    let (h, mi, sec) = parse_hms(parts.next()?)?;
    if !matches!(parts.next(), Some("GMT" | "UTC")) || parts.next().is_some() {
        return None;
    }
    to_ms(year, month, day, h, mi, sec, 0)
}

fn parse_iso(s: &str) -> Option<i64> {
    let s = s.strip_suffix('Z').unwrap_or(s);
    let (date, time) = s.split_once('T').unwrap_or((s, "00:00:00"));
    let mut dp = date.split('-');
    let y: i64 = dp.next()?.parse().ok()?;
    let mo: u32 = dp.next()?.parse().ok()?;
    let d: u32 = dp.next()?.parse().ok()?;
    if dp.next().is_some() || date.len() != 10 {
        return None;
    }
    let (hms, frac) = time.split_once('.').unwrap_or((time, ""));
    let (h, mi, sec) = parse_hms(hms)?;
    let milli = if frac.is_empty() {
        0
    } else {
        let digits: String = frac.chars().chain("000".chars()).take(3).collect();
        digits.parse().ok()?
    };
    to_ms(y, mo, d, h, mi, sec, milli)
}

fn parse_hms(s: &str) -> Option<(u32, u32, u32)> {
    let mut p = s.split(':');
    let h = p.next()?.parse().ok()?;
    let m = p.next()?.parse().ok()?;
    let sec = p.next()?.parse().ok()?;
    p.next().is_none().then_some((h, m, sec))
}

/// Builds UTC milliseconds from validated calendar fields (None when out of range).
pub fn to_ms(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32, milli: u32) -> Option<i64> {
    let valid = (1..=12).contains(&mo)
        && d >= 1
        && d <= days_in_month(y, mo)
        && h < 24
        && mi < 60
        && s < 60
        && milli < 1000;
    valid.then(|| {
        days_from_civil(y, mo, d) * MS_PER_DAY
            + i64::from(h * 3_600_000 + mi * 60_000 + s * 1000 + milli)
    })
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso_string(d: XeroDate) -> String {
        let mut v = Vec::new();
        write_iso(&mut v, d);
        String::from_utf8(v).unwrap()
    }

    fn json(d: XeroDate) -> String {
        let mut v = Vec::new();
        write_json_date(&mut v, d);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn civil_round_trip() {
        for days in [-719_162, -1, 0, 1, 19_813, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(2024, 3, 31), 19_813);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
    }

    #[test]
    fn json_forms() {
        assert_eq!(json(XeroDate::day(19_813)), "/Date(1711843200000+0000)/");
        assert_eq!(json(XeroDate::utc(0)), "/Date(0+0000)/");
        assert_eq!(
            json(XeroDate {
                ms: 1_419_937_200_000,
                offset: Some(1300)
            }),
            "/Date(1419937200000+1300)/"
        );
        assert_eq!(
            json(XeroDate {
                ms: 1_439_434_356_790,
                offset: None
            }),
            "/Date(1439434356790)/"
        );
        assert_eq!(
            json(XeroDate {
                ms: -86_400_000,
                offset: Some(-530)
            }),
            "/Date(-86400000-0530)/"
        );
    }

    #[test]
    fn iso_forms() {
        assert_eq!(iso_string(XeroDate::day(19_813)), "2024-03-31T00:00:00");
        assert_eq!(
            iso_string(XeroDate::utc(1_711_843_212_345)),
            "2024-03-31T00:00:12"
        );
        // +1300 shifts to New Zealand daylight time: 11:00 UTC is the next midnight locally.
        assert_eq!(
            iso_string(XeroDate {
                ms: 1_419_937_200_000,
                offset: Some(1300)
            }),
            "2014-12-31T00:00:00"
        );
        assert_eq!(
            iso_string(XeroDate::utc(-62_135_596_800_000)),
            "0001-01-01T00:00:00"
        );
        assert_eq!(iso_string(XeroDate::utc(-1000)), "1969-12-31T23:59:59");
        assert_eq!(us_datetime(1_711_843_212_345), "03/31/2024 00:00:12");
        assert_eq!(
            identity_datetime(1_711_843_212_345),
            "2024-03-31T00:00:12.3450000"
        );
    }

    #[test]
    fn http_dates() {
        let want = Some(1_711_843_212_000);
        assert_eq!(parse_http_date("Sun, 31 Mar 2024 00:00:12 GMT"), want);
        assert_eq!(parse_http_date("2024-03-31T00:00:12"), want);
        assert_eq!(parse_http_date("2024-03-31T00:00:12Z"), want);
        assert_eq!(
            parse_http_date("2024-03-31T00:00:12.5"),
            Some(1_711_843_212_500)
        );
        assert_eq!(parse_http_date("2024-03-31"), Some(1_711_843_200_000));
        for bad in [
            "",
            "yesterday",
            "2024-02-30T00:00:00",
            "Sun, 31 Foo 2024 00:00:12 GMT",
            "2024-03-31T25:00:00",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }
}
