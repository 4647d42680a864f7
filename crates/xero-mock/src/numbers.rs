//! Allocation-free number formatting for the rendering hot path.
//!
//! Money is kept in integer cents (quantities in ten-thousandths, rates in millionths)
//! so totals are exact; these helpers print such fixed-point values as decimals.

/// Appends the decimal digits of `v`.
pub fn write_int(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    write_u64(out, v.unsigned_abs());
}

fn write_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Appends `v / 10^scale` with exactly `scale` decimals, e.g. `(1234, 2)` → `12.34`.
pub fn write_fixed(out: &mut Vec<u8>, v: i64, scale: u32) {
    let unit = 10u64.pow(scale);
    let abs = v.unsigned_abs();
    if v < 0 {
        out.push(b'-');
    }
    write_u64(out, abs / unit);
    if scale > 0 {
        out.push(b'.');
        let frac = abs % unit;
        let mut digits = [b'0'; 20];
        let mut n = frac;
        for k in (0..scale as usize).rev() {
            digits[k] = b'0' + (n % 10) as u8;
            n /= 10;
        }
        out.extend_from_slice(&digits[..scale as usize]);
    }
}

/// Rounds `num / den` half away from zero (how Xero rounds line and tax amounts).
pub fn div_round(num: i64, den: i64) -> i64 {
    let q = num / den;
    let r = num % den;
    if 2 * r.abs() >= den.abs() {
        q + num.signum() * den.signum()
    } else {
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(v: i64, s: u32) -> String {
        let mut o = Vec::new();
        write_fixed(&mut o, v, s);
        String::from_utf8(o).unwrap()
    }

    #[test]
    fn fixed_point() {
        assert_eq!(fixed(1234, 2), "12.34");
        assert_eq!(fixed(5, 2), "0.05");
        assert_eq!(fixed(-5, 2), "-0.05");
        assert_eq!(fixed(0, 2), "0.00");
        assert_eq!(fixed(15_000, 4), "1.5000");
        assert_eq!(fixed(1_000_000, 6), "1.000000");
        assert_eq!(fixed(42, 0), "42");
        let mut o = Vec::new();
        write_int(&mut o, i64::MIN + 1);
        assert_eq!(String::from_utf8(o).unwrap(), (i64::MIN + 1).to_string());
    }

    #[test]
    fn rounding() {
        assert_eq!(div_round(15, 10), 2);
        assert_eq!(div_round(14, 10), 1);
        assert_eq!(div_round(-15, 10), -2);
        assert_eq!(div_round(1150, 23), 50);
    }
}
