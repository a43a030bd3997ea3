//! Java's `new BigDecimal(String)` and the numeric conversions of Kafka's `Values` built on
//! it, with the JVM's `NumberFormatException` messages.
//!
//! MaskField turns its `replacement` text into the masked field's number type the way Kafka
//! does (through `BigDecimal`, so `1.5` masks an integer as 1), and a bad replacement fails
//! with the same cause message a Kafka Connect user would find in the dead letter queue.

use connect_core::{BigDecimal, ConnectError, Result};

/// Java's `java.lang.NumberFormatException`, the cause class of failed numeric parses.
pub const NUMBER_FORMAT_EXCEPTION: &str = "NumberFormatException";

/// Parses `text` as Java's `BigDecimal(String)` does; the error is the JVM's
/// `NumberFormatException` message.
pub fn parse(text: &str) -> std::result::Result<BigDecimal, String> {
    check_syntax(text)?;
    text.parse::<BigDecimal>()
        .map_err(|_| "Character array is not a valid decimal number.".to_string())
}

/// Finds the first syntax error in Java's order of checks, with Java's message.
fn check_syntax(text: &str) -> std::result::Result<(), String> {
    let chars: Vec<char> = text.chars().collect();
    let mut pos = match chars.first() {
        None => return Err(String::new()),
        Some('-' | '+') => 1,
        Some(_) => 0,
    };
    let mut digits = 0usize;
    let mut dot = false;
    while let Some(&c) = chars.get(pos) {
        match c {
            '0'..='9' => digits += 1,
            '.' if dot => {
                return Err("Character array contains more than one decimal point.".into());
            }
            '.' => dot = true,
            'e' | 'E' => return check_exponent(&chars[pos + 1..]),
            other if other.is_numeric() => {
                return Err("Character array is not a valid decimal number.".into());
            }
            other => {
                return Err(format!(
                    "Character {other} is neither a decimal digit number, decimal point, nor \"e\" notation exponential mark."
                ));
            }
        }
        pos += 1;
    }
    if digits == 0 {
        return Err("No digits found.".into());
    }
    Ok(())
}

/// Java's `parseExp` checks on what follows the `e`.
fn check_exponent(rest: &[char]) -> std::result::Result<(), String> {
    let digits = match rest.first() {
        None => return Err(String::new()),
        Some('-' | '+') => &rest[1..],
        Some(_) => rest,
    };
    if digits.is_empty() {
        return Err("No exponent digits.".into());
    }
    let significant = digits
        .iter()
        .skip_while(|c| **c == '0')
        .filter(|c| c.is_ascii_digit())
        .count();
    if digits.iter().any(|c| !c.is_ascii_digit()) {
        return Err("Not a digit.".into());
    }
    if significant > 10 {
        return Err("Too many nonzero exponent digits.".into());
    }
    Ok(())
}

/// Kafka's `Values` numeric conversion of a string (`new BigDecimal(text)`), failing with
/// its `DataException` whose cause is the `NumberFormatException`.
pub fn string_to_number(text: &str) -> Result<BigDecimal> {
    parse(text).map_err(|cause| {
        ConnectError::data_caused_by(
            format!("Unable to convert {text} (class java.lang.String) to a number"),
            NUMBER_FORMAT_EXCEPTION,
            cause,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_java_decimal_syntax() {
        assert_eq!(parse("1.5").expect("valid"), BigDecimal::new(15, 1));
        assert_eq!(parse("-12").expect("valid"), BigDecimal::new(-12, 0));
        assert_eq!(parse("1e3").expect("valid"), BigDecimal::new(1, -3));
        assert_eq!(parse(".5").expect("valid"), BigDecimal::new(5, 1));
    }

    #[test]
    fn rejects_with_jvm_messages() {
        assert_eq!(
            parse("abc").expect_err("letters"),
            "Character a is neither a decimal digit number, decimal point, nor \"e\" notation exponential mark."
        );
        assert_eq!(
            parse("1.2.3").expect_err("two points"),
            "Character array contains more than one decimal point."
        );
        assert_eq!(parse("-").expect_err("sign only"), "No digits found.");
        assert_eq!(parse("1e").expect_err("bare e"), "");
        assert_eq!(parse("1e+").expect_err("signed e"), "No exponent digits.");
        assert_eq!(parse("1ex").expect_err("letter"), "Not a digit.");
        let err = string_to_number("abc").expect_err("not a number");
        assert_eq!(
            err.message(),
            "Unable to convert abc (class java.lang.String) to a number"
        );
        assert_eq!(
            err.cause().map(|c| c.class.as_str()),
            Some(NUMBER_FORMAT_EXCEPTION)
        );
    }
}
