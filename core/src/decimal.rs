//! Arbitrary-precision decimals with Java `BigDecimal` semantics.
//!
//! The Decimal logical type carries an unscaled integer and a scale, and Kafka Connect's
//! converters print and compare it exactly as `java.math.BigDecimal` does (`1.2E+3`, trailing
//! zeros kept, `1.0 != 1.00`). Matching that byte for byte is what lets consumers see the same
//! text after a migration, so the rules live here once.

use std::fmt;
use std::str::FromStr;

use num_bigint::{BigInt, Sign};
use num_traits::{Signed, ToPrimitive, Zero};

/// An exact decimal number: `unscaled × 10^-scale`, compared and printed like Java's
/// `BigDecimal` (so `1.0` and `1.00` are different values, as in Kafka Connect).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BigDecimal {
    unscaled: BigInt,
    scale: i32,
}

/// Why a string is not a decimal number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Character array is not a valid decimal number: {0}")]
pub struct ParseDecimalError(String);

impl BigDecimal {
    /// A decimal from its unscaled value and scale.
    pub fn new(unscaled: impl Into<BigInt>, scale: i32) -> Self {
        Self {
            unscaled: unscaled.into(),
            scale,
        }
    }

    /// Decodes the Decimal logical type's byte form: the unscaled value as big-endian two's
    /// complement (Java's `BigInteger.toByteArray`). An empty array is rejected, as Java does.
    pub fn from_twos_complement(bytes: &[u8], scale: i32) -> Result<Self, ParseDecimalError> {
        if bytes.is_empty() {
            return Err(ParseDecimalError("Zero length BigInteger".to_string()));
        }
        Ok(Self::new(BigInt::from_signed_bytes_be(bytes), scale))
    }

    /// The unscaled value as minimal big-endian two's complement bytes, the wire form of the
    /// Decimal logical type.
    pub fn unscaled_twos_complement(&self) -> Vec<u8> {
        self.unscaled.to_signed_bytes_be()
    }

    /// The unscaled integer.
    pub fn unscaled(&self) -> &BigInt {
        &self.unscaled
    }

    /// The scale: digits to the right of the decimal point (negative means trailing zeros).
    pub fn scale(&self) -> i32 {
        self.scale
    }

    /// Number of decimal digits in the unscaled value (1 for zero), as Java's `precision()`.
    pub fn precision(&self) -> u32 {
        if self.unscaled.is_zero() {
            return 1;
        }
        // Exact, and cheap enough for the sizes decimals have in records.
        self.unscaled.abs().to_str_radix(10).len() as u32
    }

    /// The nearest `f64`, correctly rounded (Java's `doubleValue()`).
    pub fn to_f64(&self) -> f64 {
        // Rust's float parser rounds correctly, so going through the scientific text is exact.
        let text = format!("{}e{}", self.unscaled, -(self.scale as i64));
        text.parse::<f64>().unwrap_or(f64::NAN)
    }

    /// The nearest `f32`, correctly rounded (Java's `floatValue()`).
    pub fn to_f32(&self) -> f32 {
        let text = format!("{}e{}", self.unscaled, -(self.scale as i64));
        text.parse::<f32>().unwrap_or(f32::NAN)
    }

    /// The integer part (fraction discarded, rounding toward zero).
    pub fn to_integer_part(&self) -> BigInt {
        match self.scale {
            0 => self.unscaled.clone(),
            s if s > 0 => &self.unscaled / pow10(s as u32),
            s => {
                let shift = s.unsigned_abs();
                // Multiplying by 10^k with k >= 64 contributes the factor 2^64: the low 64 bits
                // are zero, which is all Java's narrowing keeps, so avoid building a huge number.
                if shift >= 64 {
                    return BigInt::zero();
                }
                &self.unscaled * pow10(shift)
            }
        }
    }

    /// Java's `longValue()`: the integer part, keeping only its low 64 bits.
    pub fn to_i64_wrapping(&self) -> i64 {
        low_64_bits(&self.to_integer_part())
    }

    /// Java's `intValue()`: the integer part, keeping only its low 32 bits.
    pub fn to_i32_wrapping(&self) -> i32 {
        self.to_i64_wrapping() as i32
    }

    /// Whether the value is zero (at any scale).
    pub fn is_zero(&self) -> bool {
        self.unscaled.is_zero()
    }

    /// Java's `toPlainString()`: never scientific notation.
    pub fn to_plain_string(&self) -> String {
        let negative = self.unscaled.sign() == Sign::Minus;
        let digits = self.unscaled.abs().to_str_radix(10);
        let mut out = String::with_capacity(digits.len() + 3);
        if negative {
            out.push('-');
        }
        if self.scale <= 0 {
            out.push_str(&digits);
            if !self.unscaled.is_zero() || self.scale == 0 {
                out.extend(std::iter::repeat_n('0', self.scale.unsigned_abs() as usize));
            }
            return out;
        }
        let scale = self.scale as usize;
        if digits.len() > scale {
            let (int, frac) = digits.split_at(digits.len() - scale);
            out.push_str(int);
            out.push('.');
            out.push_str(frac);
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', scale - digits.len()));
            out.push_str(&digits);
        }
        out
    }
}

fn pow10(exp: u32) -> BigInt {
    num_traits::pow(BigInt::from(10u8), exp as usize)
}

/// The low 64 bits of `value` in two's complement, as Java's narrowing `longValue()` keeps.
pub(crate) fn low_64_bits(value: &BigInt) -> i64 {
    if let Some(small) = value.to_i64() {
        return small;
    }
    let bytes = value.to_signed_bytes_le();
    let fill = if value.sign() == Sign::Minus { 0xFF } else { 0 };
    let mut word = [fill; 8];
    for (slot, byte) in word.iter_mut().zip(bytes.iter()) {
        *slot = *byte;
    }
    i64::from_le_bytes(word)
}

impl fmt::Display for BigDecimal {
    /// Java's `BigDecimal.toString()`: plain notation unless the scale is negative or the
    /// number is smaller than 10^-6, then scientific with an explicit exponent sign.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let negative = self.unscaled.sign() == Sign::Minus;
        let digits = self.unscaled.abs().to_str_radix(10);
        let sign = if negative { "-" } else { "" };
        if self.scale == 0 {
            return write!(f, "{sign}{digits}");
        }
        let adjusted = -(self.scale as i64) + (digits.len() as i64 - 1);
        if self.scale > 0 && adjusted >= -6 {
            return write!(f, "{}", self.to_plain_string());
        }
        let (first, rest) = digits.split_at(1);
        write!(f, "{sign}{first}")?;
        if !rest.is_empty() {
            write!(f, ".{rest}")?;
        }
        if adjusted != 0 {
            let exp_sign = if adjusted > 0 { "+" } else { "" };
            write!(f, "E{exp_sign}{adjusted}")?;
        }
        Ok(())
    }
}

impl FromStr for BigDecimal {
    type Err = ParseDecimalError;

    /// Parses Java `BigDecimal(String)` syntax: optional sign, digits with an optional point
    /// (either side may be empty, not both), optional exponent. The scale is the number of
    /// fraction digits minus the exponent, so `1.50` has scale 2 and `1E+2` has scale -2.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || ParseDecimalError(text.to_string());
        let bytes = text.as_bytes();
        let mut pos = 0;
        let negative = match bytes.first() {
            Some(b'-') => {
                pos += 1;
                true
            }
            Some(b'+') => {
                pos += 1;
                false
            }
            _ => false,
        };
        let mut digits = String::with_capacity(bytes.len());
        let mut fraction_digits: i64 = 0;
        let mut seen_point = false;
        while let Some(&b) = bytes.get(pos) {
            match b {
                b'0'..=b'9' => {
                    digits.push(b as char);
                    if seen_point {
                        fraction_digits += 1;
                    }
                }
                b'.' if !seen_point => seen_point = true,
                _ => break,
            }
            pos += 1;
        }
        if digits.is_empty() {
            return Err(invalid());
        }
        let mut exponent: i64 = 0;
        if let Some(b'e' | b'E') = bytes.get(pos) {
            let exp_text = &text[pos + 1..];
            if exp_text.is_empty() {
                return Err(invalid());
            }
            exponent = exp_text.parse::<i64>().map_err(|_| invalid())?;
            pos = bytes.len();
        }
        if pos != bytes.len() {
            return Err(invalid());
        }
        let scale = fraction_digits - exponent;
        let scale = i32::try_from(scale).map_err(|_| invalid())?;
        let magnitude = BigInt::parse_bytes(digits.as_bytes(), 10).ok_or_else(invalid)?;
        let unscaled = if negative { -magnitude } else { magnitude };
        Ok(Self::new(unscaled, scale))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> BigDecimal {
        text.parse().expect("valid decimal")
    }

    #[test]
    fn prints_like_java_big_decimal() {
        assert_eq!(BigDecimal::new(1234, 2).to_string(), "12.34");
        assert_eq!(BigDecimal::new(12, -2).to_string(), "1.2E+3");
        assert_eq!(BigDecimal::new(0, 3).to_string(), "0.000");
        assert_eq!(BigDecimal::new(0, 10).to_string(), "0E-10");
        assert_eq!(BigDecimal::new(-1, 5).to_string(), "-0.00001");
        assert_eq!(BigDecimal::new(15000, 4).to_string(), "1.5000");
        assert_eq!(BigDecimal::new(1, 7).to_string(), "1E-7");
        assert_eq!(BigDecimal::new(123, 9).to_string(), "1.23E-7");
        assert_eq!(BigDecimal::new(123456789, 0).to_string(), "123456789");
    }

    #[test]
    fn parses_java_syntax_and_keeps_scale() {
        assert_eq!(dec("12.34"), BigDecimal::new(1234, 2));
        assert_eq!(dec("1E2"), BigDecimal::new(1, -2));
        assert_eq!(dec("-0.0"), BigDecimal::new(0, 1));
        assert_eq!(dec(".5"), BigDecimal::new(5, 1));
        assert_eq!(dec("1.5e-3"), BigDecimal::new(15, 4));
        assert!("".parse::<BigDecimal>().is_err());
        assert!("1.2.3".parse::<BigDecimal>().is_err());
        assert!("abc".parse::<BigDecimal>().is_err());
        assert!("1e".parse::<BigDecimal>().is_err());
    }

    #[test]
    fn twos_complement_round_trips() {
        for (unscaled, bytes) in [
            (0i64, vec![0u8]),
            (-128, vec![0x80]),
            (128, vec![0x00, 0x80]),
            (-1, vec![0xFF]),
            (1234, vec![0x04, 0xD2]),
        ] {
            let d = BigDecimal::new(unscaled, 0);
            assert_eq!(d.unscaled_twos_complement(), bytes);
            assert_eq!(BigDecimal::from_twos_complement(&bytes, 0).unwrap(), d);
        }
        assert!(BigDecimal::from_twos_complement(&[], 2).is_err());
    }

    #[test]
    fn narrowing_keeps_low_bits_like_java() {
        assert_eq!(dec("1.9").to_i32_wrapping(), 1);
        assert_eq!(dec("-7.99").to_i64_wrapping(), -7);
        assert_eq!(dec("1E2").to_i32_wrapping(), 100);
        assert_eq!(
            dec("123456789012345678901234567890").to_i64_wrapping(),
            -4362896299872285998
        );
        assert_eq!(dec("1E100").to_i64_wrapping(), 0);
    }

    #[test]
    fn converts_to_floats_with_correct_rounding() {
        assert_eq!(dec("0.1234567890123456789").to_f64(), 0.12345678901234568);
        assert_eq!(dec("1E2").to_f64(), 100.0);
        assert_eq!(dec("1.25").to_f32(), 1.25f32);
    }

    #[test]
    fn equality_includes_scale_like_java() {
        assert_ne!(dec("1.0"), dec("1.00"));
        assert_eq!(BigDecimal::new(1, 3).precision(), 1);
        assert_eq!(BigDecimal::new(-12345, 3).precision(), 5);
    }
}
