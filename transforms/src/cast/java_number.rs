//! Java's `Byte/Short/Integer/Long.parseX` and `Float/Double.parseX`, with the JVM's
//! `NumberFormatException` messages.
//!
//! Cast parses strings with exactly these methods, so which strings it accepts (`+12` yes,
//! ` 12 ` no for integers, `1.5f` and ` 2.5 ` yes for floats) and the cause message in the
//! resulting error must match them.

use crate::java_chars;

/// A failed parse: the JVM's `NumberFormatException` message.
pub(super) type NumberFormatError = String;

fn for_input(text: &str) -> NumberFormatError {
    format!("For input string: \"{text}\"")
}

/// `Long.parseLong`: optional sign, then decimal digits (any script); overflow is an error.
pub(super) fn parse_long(text: &str) -> Result<i64, NumberFormatError> {
    parse_integer(text, i64::MIN, i64::MAX)
}

/// `Integer.parseInt`.
pub(super) fn parse_int(text: &str) -> Result<i32, NumberFormatError> {
    parse_integer(text, i32::MIN.into(), i32::MAX.into()).map(|v| v as i32)
}

/// `Short.parseShort`: `parseInt`, then a range check with its own message.
pub(super) fn parse_short(text: &str) -> Result<i16, NumberFormatError> {
    let value = parse_int(text)?;
    i16::try_from(value).map_err(|_| out_of_range(text))
}

/// `Byte.parseByte`.
pub(super) fn parse_byte(text: &str) -> Result<i8, NumberFormatError> {
    let value = parse_int(text)?;
    i8::try_from(value).map_err(|_| out_of_range(text))
}

fn out_of_range(text: &str) -> NumberFormatError {
    format!("Value out of range. Value:\"{text}\" Radix:10")
}

fn parse_integer(text: &str, min: i64, max: i64) -> Result<i64, NumberFormatError> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() {
        return Err(for_input(text));
    }
    let mut value: i64 = 0;
    for c in digits.chars() {
        let digit = i64::from(java_chars::digit(c).ok_or_else(|| for_input(text))?);
        // Accumulate negatively, as the JDK does, so the minimum value fits.
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_sub(digit))
            .ok_or_else(|| for_input(text))?;
    }
    let value = if negative {
        value
    } else {
        value.checked_neg().ok_or_else(|| for_input(text))?
    };
    if value < min || value > max {
        return Err(for_input(text));
    }
    Ok(value)
}

/// `Double.parseDouble`.
pub(super) fn parse_double(text: &str) -> Result<f64, NumberFormatError> {
    match java_float_syntax(text)? {
        JavaFloat::Decimal(clean) => clean.parse::<f64>().map_err(|_| for_input(text.trim())),
        JavaFloat::Special(value) => Ok(value),
        JavaFloat::Hex(value) => Ok(value),
    }
}

/// `Float.parseFloat`: decimal text is rounded once, straight to `f32`.
pub(super) fn parse_float(text: &str) -> Result<f32, NumberFormatError> {
    match java_float_syntax(text)? {
        JavaFloat::Decimal(clean) => clean.parse::<f32>().map_err(|_| for_input(text.trim())),
        JavaFloat::Special(value) | JavaFloat::Hex(value) => Ok(value as f32),
    }
}

/// What a float literal turned out to be.
enum JavaFloat {
    /// Decimal text in a form Rust's parser reads identically (suffix removed).
    Decimal(String),
    /// `NaN` or a signed `Infinity`.
    Special(f64),
    /// A hexadecimal literal (`0x1.8p1`), already evaluated.
    Hex(f64),
}

/// Checks Java's float grammar (`FloatingDecimal.readJavaFormatString`): surrounding
/// whitespace ignored, optional sign, `NaN`, `Infinity`, hexadecimal, or digits with an
/// optional point and exponent and an optional `f`/`F`/`d`/`D` suffix.
fn java_float_syntax(text: &str) -> Result<JavaFloat, NumberFormatError> {
    let trimmed = text.trim_matches(|c: char| c <= ' ');
    if trimmed.is_empty() {
        return Err("empty String".to_string());
    }
    let invalid = || for_input(trimmed);
    let (negative, body) = match trimmed.as_bytes()[0] {
        b'-' => (true, &trimmed[1..]),
        b'+' => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    let sign = if negative { -1.0 } else { 1.0 };
    match body {
        "NaN" => return Ok(JavaFloat::Special(f64::NAN)),
        "Infinity" => return Ok(JavaFloat::Special(sign * f64::INFINITY)),
        _ => {}
    }
    if body.starts_with("0x") || body.starts_with("0X") {
        return parse_hex(&body[2..])
            .map(|v| JavaFloat::Hex(sign * v))
            .ok_or_else(invalid);
    }
    let body = body.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(body);
    let bytes = body.as_bytes();
    let mut i = 0;
    let mut mantissa_digits = 0;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
        mantissa_digits += 1;
    }
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
            mantissa_digits += 1;
        }
    }
    if mantissa_digits == 0 {
        return Err(invalid());
    }
    if i < bytes.len() && matches!(bytes[i], b'e' | b'E') {
        i += 1;
        if i < bytes.len() && matches!(bytes[i], b'+' | b'-') {
            i += 1;
        }
        let exponent_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == exponent_start {
            return Err(invalid());
        }
    }
    if i != bytes.len() {
        return Err(invalid());
    }
    Ok(JavaFloat::Decimal(format!(
        "{}{body}",
        if negative { "-" } else { "" }
    )))
}

/// A hexadecimal float after its `0x`: hex digits with an optional point, then a mandatory
/// binary exponent `p`, and an optional type suffix.
fn parse_hex(text: &str) -> Option<f64> {
    let text = text.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(text);
    let (mantissa, exponent) = text.split_once(['p', 'P'])?;
    let exponent: i32 = exponent
        .strip_prefix('+')
        .unwrap_or(exponent)
        .parse()
        .ok()?;
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut value = 0.0f64;
    for c in int.chars().chain(frac.chars()) {
        value = value * 16.0 + f64::from(c.to_digit(16)?);
    }
    let scale = exponent.checked_sub(i32::try_from(frac.len()).ok()?.checked_mul(4)?)?;
    Some(value * 2f64.powi(scale))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_follow_the_jdk() {
        assert_eq!(parse_int("+12"), Ok(12));
        assert_eq!(parse_int("\u{0661}\u{0662}"), Ok(12));
        assert_eq!(parse_int("-2147483648"), Ok(i32::MIN));
        assert_eq!(parse_int(" 12 "), Err("For input string: \" 12 \"".into()));
        assert_eq!(
            parse_int("3000000000"),
            Err("For input string: \"3000000000\"".into())
        );
        assert_eq!(parse_int(""), Err("For input string: \"\"".into()));
        assert_eq!(parse_int("-"), Err("For input string: \"-\"".into()));
        assert_eq!(parse_long("-9223372036854775808"), Ok(i64::MIN));
        assert!(parse_long("9223372036854775808").is_err());
        assert_eq!(
            parse_byte("300"),
            Err("Value out of range. Value:\"300\" Radix:10".into())
        );
        assert_eq!(parse_short("-32768"), Ok(i16::MIN));
    }

    #[test]
    fn floats_follow_the_jdk() {
        assert_eq!(parse_double(" 2.5 "), Ok(2.5));
        assert_eq!(parse_double("1.5f"), Ok(1.5));
        assert_eq!(parse_double("-Infinity"), Ok(f64::NEG_INFINITY));
        assert!(parse_double("NaN").is_ok_and(f64::is_nan));
        assert_eq!(parse_double(".5e1"), Ok(5.0));
        assert_eq!(parse_double("0x1.8p1"), Ok(3.0));
        assert_eq!(parse_double("1e"), Err("For input string: \"1e\"".into()));
        assert_eq!(parse_double("inf"), Err("For input string: \"inf\"".into()));
        assert_eq!(parse_double("  "), Err("empty String".into()));
        assert_eq!(parse_float("0.1"), Ok(0.1f32));
        assert_eq!(parse_float("3.9"), Ok(3.9f32));
    }
}
