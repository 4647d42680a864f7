//! Deterministic randomness and GUIDs.
//!
//! The demo data must be byte-for-byte reproducible from the seed, so nothing here
//! touches the OS RNG: a SplitMix64 stream (tiny, fast, good enough statistics for
//! fake accounting data) seeded from `seed`, the tenant index and a purpose tag.

use std::fmt;

/// SplitMix64: one u64 of state, every output a bijective mix of the counter.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    /// A stream for one purpose (`tag`) of one tenant, independent of the others so
    /// that e.g. adding contacts does not reshuffle every invoice.
    pub fn new(seed: u64, tenant: usize, tag: &str) -> Rng {
        let mut h = mix(seed ^ 0x9e37_79b9_7f4a_7c15);
        h = mix(h ^ tenant as u64);
        for b in tag.bytes() {
            h = mix(h ^ u64::from(b));
        }
        Rng(h)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }

    /// Uniform in `lo..=hi` (the tiny modulo bias is irrelevant for demo data).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo <= hi);
        lo + (self.next_u64() % ((hi - lo) as u64 + 1)) as i64
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }

    /// A version-4-shaped GUID drawn from this stream.
    pub fn uuid(&mut self) -> Uuid {
        let raw = (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64());
        Uuid::from_random_bits(raw)
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A GUID kept as its 128 bits; rendered lower-case and hyphenated as Xero does.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Uuid(pub u128);

impl Uuid {
    /// Sets the version (4) and variant bits so the value looks like Xero's GUIDs.
    pub fn from_random_bits(raw: u128) -> Uuid {
        let v = (raw & !(0xf << 76) & !(0x3 << 62)) | (0x4 << 76) | (0x2 << 62);
        Uuid(v)
    }

    /// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (any case, braces allowed) or 32 bare hex digits.
    pub fn parse(s: &str) -> Option<Uuid> {
        let s = s.trim();
        let s = s
            .strip_prefix('{')
            .and_then(|x| x.strip_suffix('}'))
            .unwrap_or(s);
        let hyphenated = s.len() == 36 && [8, 13, 18, 23].iter().all(|&i| s.as_bytes()[i] == b'-');
        if !(hyphenated || s.len() == 32) {
            return None;
        }
        let mut v: u128 = 0;
        for c in s.chars().filter(|&c| !(hyphenated && c == '-')) {
            v = (v << 4) | u128::from(c.to_digit(16)?);
        }
        Some(Uuid(v))
    }

    /// Writes the 36 characters into `out` without allocating (hot path of rendering).
    pub fn write_to(self, out: &mut Vec<u8>) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        for i in 0..32 {
            if matches!(i, 8 | 12 | 16 | 20) {
                out.push(b'-');
            }
            out.push(HEX[((self.0 >> (124 - 4 * i)) & 0xf) as usize]);
        }
    }
}

impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = Vec::with_capacity(36);
        self.write_to(&mut buf);
        f.write_str(std::str::from_utf8(&buf).expect("hex is ASCII"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_round_trip_and_shape() {
        let mut rng = Rng::new(42, 0, "t");
        let u = rng.uuid();
        let s = u.to_string();
        assert_eq!(s.len(), 36);
        assert_eq!(&s[14..15], "4");
        assert!(matches!(&s[19..20], "8" | "9" | "a" | "b"));
        assert_eq!(Uuid::parse(&s), Some(u));
        assert_eq!(Uuid::parse(&s.to_uppercase()), Some(u));
        assert_eq!(Uuid::parse(&format!("{{{s}}}")), Some(u));
        assert_eq!(Uuid::parse("not-a-guid"), None);
        assert_eq!(Uuid::parse("zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"), None);
    }

    #[test]
    fn streams_are_deterministic_and_independent() {
        let a: Vec<u64> = (0..4).map(|_| Rng::new(1, 0, "x").next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(
            Rng::new(1, 0, "x").next_u64(),
            Rng::new(2, 0, "x").next_u64()
        );
        assert_ne!(
            Rng::new(1, 0, "x").next_u64(),
            Rng::new(1, 1, "x").next_u64()
        );
        assert_ne!(
            Rng::new(1, 0, "x").next_u64(),
            Rng::new(1, 0, "y").next_u64()
        );
    }
}
