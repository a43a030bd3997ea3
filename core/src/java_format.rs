//! Number formatting exactly as the JVM prints it.
//!
//! Kafka Connect writes floats with Java's `Double.toString`/`Float.toString` (through
//! Jackson), so `1e10` appears on the topic as `1.0E10` and `5.0` as `5.0`. Consumers compare
//! those bytes, so this module reproduces the JVM's choice of digits (the shortest decimal
//! that reads back as the same number, never fewer than two significant digits) and its
//! layout (plain between 10^-3 and 10^7, computerized scientific notation outside).

/// Formats floats Java-style into a stack buffer, so hot paths (converters writing
/// thousands of numbers per second) never allocate.
#[derive(Debug, Clone)]
pub struct FloatBuffer {
    buf: [u8; 40],
    len: usize,
}

impl Default for FloatBuffer {
    fn default() -> Self {
        Self::new()
    }
}

impl FloatBuffer {
    /// An empty buffer.
    pub fn new() -> Self {
        Self {
            buf: [0; 40],
            len: 0,
        }
    }

    /// Java's `Double.toString(value)`.
    pub fn format_f64(&mut self, value: f64) -> &str {
        self.format(value)
    }

    /// Java's `Float.toString(value)`.
    pub fn format_f32(&mut self, value: f32) -> &str {
        self.format(value)
    }

    fn format<F: JavaFloat>(&mut self, value: F) -> &str {
        self.len = 0;
        if let Some(special) = value.special_text() {
            self.push(special.as_bytes());
            return self.as_str();
        }
        let magnitude = value.magnitude();
        let mut ryu_buf = ryu::Buffer::new();
        let shortest = ryu_buf.format_finite(magnitude);
        if value.is_negative() {
            self.push(b"-");
        }
        if (1e-3..1e7).contains(&magnitude.as_f64()) {
            // In this range the JVM prints plain notation with the same shortest digits
            // (and a ".0" for integers) exactly as ryu does.
            self.push(shortest.as_bytes());
            return self.as_str();
        }
        let mut digits = Digits::parse(shortest);
        if digits.len == 1 && !magnitude.is_normal_number() {
            // Subnormals are so coarse that the closest two-digit decimal can differ from the
            // one-digit shortest form (Double.MIN_VALUE prints as 4.9E-324, not 5.0E-324).
            digits = Digits::parse(&magnitude.two_digit_scientific());
        }
        digits.write_java(self);
        self.as_str()
    }

    fn push(&mut self, bytes: &[u8]) {
        let end = (self.len + bytes.len()).min(self.buf.len());
        let take = end - self.len;
        self.buf[self.len..end].copy_from_slice(&bytes[..take]);
        self.len = end;
    }

    fn push_byte(&mut self, byte: u8) {
        self.push(&[byte]);
    }

    fn as_str(&self) -> &str {
        // Only ASCII is ever written.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("NaN")
    }
}

/// Appends Java's `Double.toString(value)` to `out`.
pub fn push_f64(out: &mut String, value: f64) {
    out.push_str(FloatBuffer::new().format_f64(value));
}

/// Appends Java's `Float.toString(value)` to `out`.
pub fn push_f32(out: &mut String, value: f32) {
    out.push_str(FloatBuffer::new().format_f32(value));
}

/// Java's `Double.toString(value)`.
pub fn f64_to_string(value: f64) -> String {
    FloatBuffer::new().format_f64(value).to_string()
}

/// Java's `Float.toString(value)`.
pub fn f32_to_string(value: f32) -> String {
    FloatBuffer::new().format_f32(value).to_string()
}

/// What the formatter needs from `f32` and `f64`: one algorithm serves both widths.
trait JavaFloat: ryu::Float {
    /// `NaN`, `Infinity`, `-Infinity`, `0.0` or `-0.0`; `None` for other values.
    fn special_text(self) -> Option<&'static str>;
    fn magnitude(self) -> Self;
    fn is_negative(self) -> bool;
    fn is_normal_number(self) -> bool;
    fn as_f64(self) -> f64;
    /// The exact value rounded to two significant digits, in Rust's `{:.1e}` form.
    fn two_digit_scientific(self) -> String;
}

macro_rules! java_float {
    ($t:ty) => {
        impl JavaFloat for $t {
            fn special_text(self) -> Option<&'static str> {
                if self.is_nan() {
                    Some("NaN")
                } else if self.is_infinite() {
                    Some(if self < 0.0 { "-Infinity" } else { "Infinity" })
                } else if self == 0.0 {
                    Some(if self.is_sign_negative() {
                        "-0.0"
                    } else {
                        "0.0"
                    })
                } else {
                    None
                }
            }
            fn magnitude(self) -> Self {
                self.abs()
            }
            fn is_negative(self) -> bool {
                self.is_sign_negative()
            }
            fn is_normal_number(self) -> bool {
                self.is_normal()
            }
            fn as_f64(self) -> f64 {
                self as f64
            }
            fn two_digit_scientific(self) -> String {
                format!("{self:.1e}")
            }
        }
    };
}

java_float!(f32);
java_float!(f64);

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
        // Position of the decimal point relative to the first significant digit.
        let mut integer_digits: i32 = 0;
        let mut seen_point = false;
        let mut leading = true;
        for b in mantissa.bytes() {
            match b {
                b'.' => seen_point = true,
                b'0'..=b'9' => {
                    if leading && b == b'0' {
                        if seen_point {
                            integer_digits -= 1;
                        }
                        continue;
                    }
                    leading = false;
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

    /// Writes the digits in the JVM's layout: plain between 10^-3 and 10^7, otherwise
    /// `d.dddE±n` (always at least one fraction digit).
    fn write_java(&self, out: &mut FloatBuffer) {
        let digits = &self.buf[..self.len];
        let exp = self.exponent;
        if (-3..7).contains(&exp) {
            if exp >= 0 {
                let int_len = exp as usize + 1;
                for i in 0..int_len {
                    out.push_byte(*digits.get(i).unwrap_or(&b'0'));
                }
                out.push_byte(b'.');
                match digits.get(int_len..) {
                    Some(rest) if !rest.is_empty() => out.push(rest),
                    _ => out.push_byte(b'0'),
                }
            } else {
                out.push(b"0.");
                for _ in 0..(-exp - 1) {
                    out.push_byte(b'0');
                }
                out.push(digits);
            }
        } else {
            out.push_byte(digits[0]);
            out.push_byte(b'.');
            if digits.len() > 1 {
                out.push(&digits[1..]);
            } else {
                out.push_byte(b'0');
            }
            out.push_byte(b'E');
            let mut text = itoa::Buffer::new();
            out.push(text.format(exp).as_bytes());
        }
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
    fn plain_range_fast_path_matches_the_general_layout() {
        // Deterministic pseudo-random doubles across the plain range and its edges.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let exponent = (state % 11) as i32 - 4;
            let value = (state >> 11) as f64 / (1u64 << 53) as f64 * 10f64.powi(exponent);
            if !(1e-3..1e7).contains(&value) {
                continue;
            }
            let mut ryu_buf = ryu::Buffer::new();
            let mut general = FloatBuffer::new();
            Digits::parse(ryu_buf.format_finite(value)).write_java(&mut general);
            assert_eq!(f64_to_string(value), general.as_str(), "{value:e}");
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
