//! Number formatting exactly as the JVM prints it.
//!
//! Kafka Connect writes floats with Java's `Double.toString`/`Float.toString` (through
//! Jackson), so `1e10` appears on the topic as `1.0E10` and `5.0` as `5.0`. Consumers compare
//! those bytes, so this module reproduces the JVM's choice of digits (the shortest decimal
//! that reads back as the same number, never fewer than two significant digits) and its
//! layout (plain between 10^-3 and 10^7, computerized scientific notation outside).

/// Appends Java's `Double.toString(value)` to `out`.
pub fn push_f64(out: &mut String, value: f64) {
    if let Some(special) = special_text(
        value.is_nan(),
        value.is_infinite(),
        value.is_sign_negative(),
        value == 0.0,
    ) {
        out.push_str(special);
        return;
    }
    let mut buffer = ryu::Buffer::new();
    let shortest = buffer.format_finite(value.abs());
    let mut digits = Digits::parse(shortest);
    if digits.len == 1 && !value.is_normal() {
        // Subnormals are so coarse that the closest two-digit decimal can differ from the
        // one-digit shortest form (Double.MIN_VALUE prints as 4.9E-324, not 5.0E-324).
        digits = Digits::parse(&format!("{:.1e}", value.abs()));
    }
    digits.write_java(out, value.is_sign_negative());
}

/// Appends Java's `Float.toString(value)` to `out`.
pub fn push_f32(out: &mut String, value: f32) {
    if let Some(special) = special_text(
        value.is_nan(),
        value.is_infinite(),
        value.is_sign_negative(),
        value == 0.0,
    ) {
        out.push_str(special);
        return;
    }
    let mut buffer = ryu::Buffer::new();
    let shortest = buffer.format_finite(value.abs());
    let mut digits = Digits::parse(shortest);
    if digits.len == 1 && !value.is_normal() {
        digits = Digits::parse(&format!("{:.1e}", value.abs()));
    }
    digits.write_java(out, value.is_sign_negative());
}

/// Java's `Double.toString(value)`.
pub fn f64_to_string(value: f64) -> String {
    let mut out = String::with_capacity(24);
    push_f64(&mut out, value);
    out
}

/// Java's `Float.toString(value)`.
pub fn f32_to_string(value: f32) -> String {
    let mut out = String::with_capacity(16);
    push_f32(&mut out, value);
    out
}

fn special_text(nan: bool, infinite: bool, negative: bool, zero: bool) -> Option<&'static str> {
    match (nan, infinite, negative, zero) {
        (true, ..) => Some("NaN"),
        (_, true, true, _) => Some("-Infinity"),
        (_, true, false, _) => Some("Infinity"),
        (_, _, true, true) => Some("-0.0"),
        (_, _, false, true) => Some("0.0"),
        _ => None,
    }
}

/// Significant decimal digits `d1 d2 ... dn` (no leading or trailing zeros) of a positive
/// number equal to `d1.d2...dn × 10^exponent`.
struct Digits {
    buf: [u8; 40],
    len: usize,
    exponent: i32,
}

impl Digits {
    /// Reads the digits of a positive decimal in plain (`0.001`, `123.5`) or scientific
    /// (`1.5e-7`, `5e-324`) notation.
    fn parse(text: &str) -> Self {
        let mut digits = Digits {
            buf: [0; 40],
            len: 0,
            exponent: 0,
        };
        let (mantissa, exp) = match text.find(['e', 'E']) {
            Some(at) => (&text[..at], text[at + 1..].parse::<i32>().unwrap_or(0)),
            None => (text, 0),
        };
        // Position of the decimal point relative to the first mantissa digit.
        let mut integer_digits: i32 = 0;
        let mut seen_point = false;
        let mut leading = true;
        for b in mantissa.bytes() {
            match b {
                b'.' => seen_point = true,
                b'0'..=b'9' => {
                    if leading && b == b'0' {
                        if !seen_point {
                            // A leading zero before the point carries no position.
                        } else {
                            integer_digits -= 1;
                        }
                        continue;
                    }
                    if leading {
                        leading = false;
                    }
                    if !seen_point {
                        integer_digits += 1;
                    }
                    if digits.len < digits.buf.len() {
                        digits.buf[digits.len] = b;
                        digits.len += 1;
                    }
                }
                _ => {}
            }
        }
        while digits.len > 1 && digits.buf[digits.len - 1] == b'0' {
            digits.len -= 1;
        }
        if digits.len == 0 {
            digits.buf[0] = b'0';
            digits.len = 1;
        }
        digits.exponent = integer_digits - 1 + exp;
        digits
    }

    fn write_java(&self, out: &mut String, negative: bool) {
        if negative {
            out.push('-');
        }
        let digits = &self.buf[..self.len];
        let exp = self.exponent;
        if (-3..7).contains(&exp) {
            if exp >= 0 {
                let int_len = exp as usize + 1;
                for i in 0..int_len {
                    out.push(*digits.get(i).unwrap_or(&b'0') as char);
                }
                out.push('.');
                if digits.len() > int_len {
                    digits[int_len..].iter().for_each(|&d| out.push(d as char));
                } else {
                    out.push('0');
                }
            } else {
                out.push_str("0.");
                for _ in 0..(-exp - 1) {
                    out.push('0');
                }
                digits.iter().for_each(|&d| out.push(d as char));
            }
        } else {
            out.push(digits[0] as char);
            out.push('.');
            if digits.len() > 1 {
                digits[1..].iter().for_each(|&d| out.push(d as char));
            } else {
                out.push('0');
            }
            out.push('E');
            let mut itoa = itoa_buf();
            out.push_str(itoa.format(exp));
        }
    }
}

fn itoa_buf() -> IntBuf {
    IntBuf([0; 12])
}

/// A tiny integer formatter for exponents, avoiding a `format!` allocation per float.
struct IntBuf([u8; 12]);

impl IntBuf {
    fn format(&mut self, value: i32) -> &str {
        let mut n = value.unsigned_abs();
        let mut pos = self.0.len();
        loop {
            pos -= 1;
            self.0[pos] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        if value < 0 {
            pos -= 1;
            self.0[pos] = b'-';
        }
        std::str::from_utf8(&self.0[pos..]).unwrap_or("0")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_print_like_the_jvm() {
        let cases: &[(f64, &str)] = &[
            (0.1, "0.1"),
            (5.0, "5.0"),
            (1e300, "1.0E300"),
            (1e-7, "1.0E-7"),
            (0.001, "0.001"),
            (1e7, "1.0E7"),
            (9999999.0, "9999999.0"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (5e-324, "4.9E-324"),
            (f64::MAX, "1.7976931348623157E308"),
            (-1.25, "-1.25"),
            (123456.789, "123456.789"),
            (1.0E-4, "1.0E-4"),
            (0.00123, "0.00123"),
            (12345678.9, "1.23456789E7"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
            (100.0, "100.0"),
            (2.5, "2.5"),
        ];
        for (value, expected) in cases {
            assert_eq!(f64_to_string(*value), *expected, "formatting {value:e}");
        }
    }

    #[test]
    fn floats_print_like_the_jvm() {
        let cases: &[(f32, &str)] = &[
            (1.1, "1.1"),
            (3.4028235e38, "3.4028235E38"),
            (1.4e-45, "1.4E-45"),
            (1e10, "1.0E10"),
            (-0.0, "-0.0"),
            (1.5, "1.5"),
            (0.1, "0.1"),
        ];
        for (value, expected) in cases {
            assert_eq!(f32_to_string(*value), *expected, "formatting {value:e}");
        }
    }
}
