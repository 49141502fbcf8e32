//! Kubernetes resource quantities (`resource.Quantity`): parsing and canonical printing with the
//! API's own semantics.
//!
//! A quantity is kept as an exact count of nano-units (`value × 10⁹`) plus the format family it
//! was written in. Printing picks the largest suffix of that family that keeps the number whole,
//! as the API server does (`1.5Gi` → `1536Mi`, `1000M` → `1G`, `0.5` → `500m`).

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Format {
    /// `Ki`, `Mi`, `Gi`, …
    BinarySI,
    /// `m`, ``, `k`, `M`, `G`, …
    DecimalSI,
    /// `1e3`, `129e6`
    DecimalExponent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Quantity {
    /// The value times 10⁹, rounded up below one nano-unit.
    pub nanos: i128,
    pub format: Format,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuantityError {
    /// The text does not match `^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$`.
    Syntax,
    /// The numeric part is not a number.
    Number,
    /// The suffix is not one the API knows.
    Suffix,
    /// Beyond what the API can hold (2⁶³−1 of the base unit).
    Overflow,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            QuantityError::Syntax => "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
            QuantityError::Number => "unable to parse numeric part of quantity",
            QuantityError::Suffix => "unable to parse quantity's suffix",
            QuantityError::Overflow => "quantity is too large",
        })
    }
}

const NANO: i128 = 1_000_000_000;
const MAX_BASE: i128 = i64::MAX as i128;

const BINARY: [(&str, u32); 6] = [
    ("Ki", 10),
    ("Mi", 20),
    ("Gi", 30),
    ("Ti", 40),
    ("Pi", 50),
    ("Ei", 60),
];
const DECIMAL: [(&str, i32); 10] = [
    ("n", -9),
    ("u", -6),
    ("m", -3),
    ("", 0),
    ("k", 3),
    ("M", 6),
    ("G", 9),
    ("T", 12),
    ("P", 15),
    ("E", 18),
];

fn pow10(e: u32) -> i128 {
    10i128.pow(e)
}

impl Quantity {
    pub fn parse(text: &str) -> Result<Quantity, QuantityError> {
        let s = text.trim();
        let bytes = s.as_bytes();
        let mut i = 0;
        let negative = match bytes.first() {
            Some(b'-') => {
                i = 1;
                true
            }
            Some(b'+') => {
                i = 1;
                false
            }
            _ => false,
        };
        let num_start = i;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
            i += 1;
        }
        let number = &s[num_start..i];
        let suffix = &s[i..];
        if number.is_empty() {
            return Err(QuantityError::Syntax);
        }
        if !suffix
            .bytes()
            .all(|b| b"eEinumkKMGTP-+0123456789".contains(&b))
        {
            return Err(QuantityError::Syntax);
        }
        let (int_part, frac_part) = match number.split_once('.') {
            Some((a, b)) => (a, b),
            None => (number, ""),
        };
        if frac_part.contains('.') || (int_part.is_empty() && frac_part.is_empty()) {
            return Err(QuantityError::Number);
        }
        // Read the number as an integer `mantissa` scaled by 10^-frac_digits, ignoring digits
        // beyond what any suffix can use (they only matter for rounding up).
        let mut mantissa: i128 = 0;
        for b in int_part.bytes() {
            mantissa = mantissa
                .checked_mul(10)
                .and_then(|m| m.checked_add(i128::from(b - b'0')))
                .filter(|m| *m <= MAX_BASE * pow10(18))
                .ok_or(QuantityError::Overflow)?;
        }
        let frac_digits = frac_part.len().min(30) as u32;
        let mut round_up = frac_part.len() > 30 && frac_part.bytes().skip(30).any(|b| b != b'0');
        for b in frac_part.bytes().take(30) {
            mantissa = mantissa
                .checked_mul(10)
                .and_then(|m| m.checked_add(i128::from(b - b'0')))
                .ok_or(QuantityError::Overflow)?;
        }
        let (format, nanos) = if let Some(&(_, shift)) = BINARY.iter().find(|(n, _)| *n == suffix) {
            // nanos = mantissa * 2^shift * 1e9 / 10^frac_digits
            let num = mantissa
                .checked_mul(1i128 << shift)
                .and_then(|v| v.checked_mul(NANO))
                .ok_or(QuantityError::Overflow)?;
            let den = pow10(frac_digits);
            (Format::BinarySI, div_ceil(num, den, &mut round_up))
        } else if let Some(&(_, exp)) = DECIMAL.iter().find(|(n, _)| *n == suffix) {
            (
                Format::DecimalSI,
                scale10(mantissa, exp + 9 - frac_digits as i32, &mut round_up)?,
            )
        } else if let Some(rest) = suffix.strip_prefix(['e', 'E']) {
            let exp: i32 = rest.parse().map_err(|_| QuantityError::Suffix)?;
            if !(-100..=100).contains(&exp) {
                return Err(QuantityError::Overflow);
            }
            (
                Format::DecimalExponent,
                scale10(mantissa, exp + 9 - frac_digits as i32, &mut round_up)?,
            )
        } else {
            return Err(QuantityError::Suffix);
        };
        let nanos = if round_up { nanos + 1 } else { nanos };
        if nanos > MAX_BASE * NANO {
            return Err(QuantityError::Overflow);
        }
        Ok(Quantity {
            nanos: if negative { -nanos } else { nanos },
            format,
        })
    }

    /// The value in whole base units (bytes, cores), rounded up.
    pub fn value(&self) -> i128 {
        let mut up = false;
        let v = div_ceil(self.nanos.abs(), NANO, &mut up) + i128::from(up);
        if self.nanos < 0 {
            -v
        } else {
            v
        }
    }

    /// The value in thousandths (millicores for CPU), rounded up.
    pub fn milli_value(&self) -> i128 {
        let mut up = false;
        let v = div_ceil(self.nanos.abs(), 1_000_000, &mut up) + i128::from(up);
        if self.nanos < 0 {
            -v
        } else {
            v
        }
    }

    /// Multiply by `num/den`, rounding up to a whole unit of the family's "mega" step (`Mi` for
    /// binary, `M` for decimal) once the value reaches it, so the result reads well.
    pub fn scale_up(&self, num: i128, den: i128) -> Quantity {
        let mut up = false;
        let raw = div_ceil(self.nanos.saturating_mul(num), den.max(1), &mut up) + i128::from(up);
        let step = match self.format {
            Format::BinarySI => (1i128 << 20) * NANO,
            Format::DecimalSI | Format::DecimalExponent => 1_000_000 * NANO,
        };
        let nanos = if raw >= step {
            raw.div_euclid(step) * step + if raw % step != 0 { step } else { 0 }
        } else {
            raw
        };
        Quantity {
            nanos: nanos.min(MAX_BASE * NANO),
            format: self.format,
        }
    }

    /// Canonical text, as `Quantity.String()` prints it.
    pub fn canonical(&self) -> String {
        self.to_string()
    }
}

/// `num / den` rounded towards zero; sets `round_up` when a remainder was dropped (num ≥ 0).
fn div_ceil(num: i128, den: i128, round_up: &mut bool) -> i128 {
    let q = num / den;
    if num % den != 0 {
        *round_up = true;
    }
    q
}

/// `mantissa × 10^exp` with exp possibly negative (dropping digits sets `round_up`).
fn scale10(mantissa: i128, exp: i32, round_up: &mut bool) -> Result<i128, QuantityError> {
    if exp >= 0 {
        if exp > 38 {
            return if mantissa == 0 {
                Ok(0)
            } else {
                Err(QuantityError::Overflow)
            };
        }
        mantissa
            .checked_mul(pow10(exp as u32))
            .ok_or(QuantityError::Overflow)
    } else {
        let e = (-exp) as u32;
        if e > 38 {
            if mantissa != 0 {
                *round_up = true;
            }
            return Ok(0);
        }
        Ok(div_ceil(mantissa, pow10(e), round_up))
    }
}

/// A non-negative whole number in decimal, as `{}` prints it. `i128`'s own `Display` is a
/// second integer formatter in the web bundle; a quantity only needs the digits.
struct Digits(i128);

impl fmt::Display for Digits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut v = self.0.unsigned_abs();
        let mut buf = [0u8; 40];
        let mut at = buf.len();
        loop {
            at -= 1;
            buf[at] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        buf[at..]
            .iter()
            .try_for_each(|&b| fmt::Write::write_char(f, char::from(b)))
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.nanos < 0 { "-" } else { "" };
        let n = self.nanos.abs();
        if n == 0 {
            return f.write_str("0");
        }
        if self.format == Format::BinarySI && n % NANO == 0 && n / NANO >= 1024 {
            let v = n / NANO;
            let mut best: Option<(i128, &str)> = None;
            for (name, shift) in BINARY {
                let unit = 1i128 << shift;
                if v % unit == 0 {
                    best = Some((v / unit, name));
                }
            }
            return match best {
                Some((v, name)) => write!(f, "{sign}{}{name}", Digits(v)),
                None => write!(f, "{sign}{}", Digits(v)),
            };
        }
        // Decimal families: the largest exponent (multiple of 3) that keeps the number whole.
        let mut chosen = (n, -9);
        for e in (-9..=18).step_by(3) {
            let div = pow10((e + 9) as u32);
            if n % div == 0 {
                chosen = (n / div, e);
            }
        }
        let (v, e) = chosen;
        if self.format == Format::DecimalExponent {
            if e == 0 {
                write!(f, "{sign}{}", Digits(v))
            } else {
                write!(f, "{sign}{}e{e}", Digits(v))
            }
        } else {
            let suffix = DECIMAL
                .iter()
                .find(|(_, x)| *x == e)
                .map(|(s, _)| *s)
                .unwrap_or("");
            write!(f, "{sign}{}{suffix}", Digits(v))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_print_as_display_does() {
        let mut v: i128 = 1;
        for n in [
            0i128,
            1,
            9,
            10,
            99,
            100,
            1023,
            1024,
            i64::MAX as i128,
            i128::MAX,
        ] {
            assert_eq!(Digits(n).to_string(), n.to_string());
        }
        for _ in 0..40 {
            assert_eq!(Digits(v).to_string(), v.to_string());
            assert_eq!(Digits(v - 1).to_string(), (v - 1).to_string());
            v = v.saturating_mul(10);
        }
    }

    fn canon(s: &str) -> String {
        Quantity::parse(s)
            .map(|q| q.to_string())
            .unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn canonical_forms_from_the_api_tests() {
        for (input, want) in [
            ("1.5", "1500m"),
            ("1.5Gi", "1536Mi"),
            ("0.5", "500m"),
            ("1024Mi", "1Gi"),
            ("1000M", "1G"),
            ("1e3", "1e3"),
            ("1000", "1k"),
            ("300Mi", "300Mi"),
            ("1001Gi", "1001Gi"),
            ("5", "5"),
            (".001Ki", "1024m"),
            ("0", "0"),
            ("3k", "3k"),
            ("1080m", "1080m"),
            ("512Mi", "512Mi"),
            ("1G", "1G"),
            ("129e6", "129e6"),
            ("5.", "5"),
            ("+2Gi", "2Gi"),
            ("-500m", "-500m"),
            ("100n", "100n"),
            ("0.1n", "1n"),
        ] {
            assert_eq!(canon(input), want, "{input}");
        }
    }

    #[test]
    fn rejects_what_the_api_rejects() {
        for bad in ["", "Mi", "1K", "1Kb", "abc", "1..2", "1 Gi", "1mi", "1.2.3"] {
            assert!(Quantity::parse(bad).is_err(), "{bad:?} should not parse");
        }
        assert_eq!(Quantity::parse("1Kb"), Err(QuantityError::Syntax));
        assert_eq!(Quantity::parse("1K"), Err(QuantityError::Suffix));
    }

    #[test]
    fn m_is_milli_and_big_m_is_mega() {
        let milli = Quantity::parse("1m").map(|q| q.nanos);
        let mega = Quantity::parse("1M").map(|q| q.nanos);
        assert_eq!(milli, Ok(1_000_000));
        assert_eq!(mega, Ok(1_000_000 * NANO));
    }

    #[test]
    fn scaling_keeps_the_family() {
        let s = |q: &str, n, d| Quantity::parse(q).map(|q| q.scale_up(n, d).to_string());
        assert_eq!(s("512Mi", 2, 1), Ok("1Gi".into()));
        assert_eq!(s("64Mi", 3, 2), Ok("96Mi".into()));
        assert_eq!(s("1G", 2, 1), Ok("2G".into()));
        assert_eq!(s("500m", 2, 1), Ok("1".into()));
        assert_eq!(s("0.5", 3, 1), Ok("1500m".into()));
        assert_eq!(s("1Gi", 3, 2), Ok("1536Mi".into()));
        assert_eq!(s("100Mi", 3, 2), Ok("150Mi".into()));
    }

    #[test]
    fn values() {
        assert_eq!(Quantity::parse("1Gi").map(|q| q.value()), Ok(1 << 30));
        assert_eq!(Quantity::parse("250m").map(|q| q.milli_value()), Ok(250));
        assert_eq!(Quantity::parse("1.5").map(|q| q.value()), Ok(2));
    }
}
