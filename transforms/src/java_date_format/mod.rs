//! Java `SimpleDateFormat` patterns (`yyyy-MM-dd'T'HH:mm:ss.SSSXXX`), formatting and lenient
//! parsing in UTC with the `en_US` symbols, as Kafka Connect's TimestampConverter,
//! TimestampRouter and Cast use them.
//!
//! Users carry these patterns over from their Kafka Connect configs, so the same pattern must
//! give the same text, accept the same input and reject the same mistakes (`Illegal pattern
//! character 'b'`). No crate implements `SimpleDateFormat` itself (the Java-flavoured ones port
//! `java.time`'s `DateTimeFormatter`, whose letters and parsing rules differ), hence this
//! module. It covers every pattern letter; time zone *names* are only understood for UTC and
//! GMT when parsing, since the JVM's zone name tables are out of scope.

mod calendar;
mod format;
mod parse;
mod resolve;

use std::fmt;

/// What a pattern letter stands for (`DateFormatSymbols.patternChars` order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Letter {
    /// `G`
    Era,
    /// `y`
    Year,
    /// `M`
    Month,
    /// `d`
    DayOfMonth,
    /// `k` (1-24)
    HourOfDay1,
    /// `H` (0-23)
    HourOfDay0,
    /// `m`
    Minute,
    /// `s`
    Second,
    /// `S`
    Millisecond,
    /// `E`
    DayOfWeek,
    /// `D`
    DayOfYear,
    /// `F`
    DayOfWeekInMonth,
    /// `w`
    WeekOfYear,
    /// `W`
    WeekOfMonth,
    /// `a`
    AmPm,
    /// `h` (1-12)
    Hour1,
    /// `K` (0-11)
    Hour0,
    /// `z`
    ZoneName,
    /// `Z`
    ZoneValue,
    /// `Y`
    WeekYear,
    /// `u`
    IsoDayOfWeek,
    /// `X`
    IsoZone,
    /// `L`
    MonthStandalone,
}

impl Letter {
    fn from_char(c: char) -> Option<Letter> {
        Some(match c {
            'G' => Letter::Era,
            'y' => Letter::Year,
            'M' => Letter::Month,
            'd' => Letter::DayOfMonth,
            'k' => Letter::HourOfDay1,
            'H' => Letter::HourOfDay0,
            'm' => Letter::Minute,
            's' => Letter::Second,
            'S' => Letter::Millisecond,
            'E' => Letter::DayOfWeek,
            'D' => Letter::DayOfYear,
            'F' => Letter::DayOfWeekInMonth,
            'w' => Letter::WeekOfYear,
            'W' => Letter::WeekOfMonth,
            'a' => Letter::AmPm,
            'h' => Letter::Hour1,
            'K' => Letter::Hour0,
            'z' => Letter::ZoneName,
            'Z' => Letter::ZoneValue,
            'Y' => Letter::WeekYear,
            'u' => Letter::IsoDayOfWeek,
            'X' => Letter::IsoZone,
            'L' => Letter::MonthStandalone,
            _ => return None,
        })
    }

    /// Whether a field written right after another makes the earlier one read exactly its
    /// pattern width (`SimpleDateFormat.shouldObeyCount`), so `yyyyMMdd` can parse `20240229`.
    fn is_numeric(self, count: usize) -> bool {
        match self {
            Letter::Month | Letter::MonthStandalone => count <= 2,
            Letter::Year
            | Letter::DayOfMonth
            | Letter::HourOfDay1
            | Letter::HourOfDay0
            | Letter::Minute
            | Letter::Second
            | Letter::Millisecond
            | Letter::DayOfYear
            | Letter::DayOfWeekInMonth
            | Letter::WeekOfYear
            | Letter::WeekOfMonth
            | Letter::Hour1
            | Letter::Hour0
            | Letter::WeekYear
            | Letter::IsoDayOfWeek => true,
            _ => false,
        }
    }
}

/// One element of a compiled pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Item {
    /// Text written and matched as is (quoted text and non-letters).
    Literal(String),
    /// A run of one pattern letter.
    Field { letter: Letter, count: usize },
}

/// A pattern Java would refuse (`new SimpleDateFormat(pattern)` throws
/// `IllegalArgumentException`), with Java's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError(String);

impl PatternError {
    /// The Java exception class, for errors that report it.
    pub const JAVA_CLASS: &'static str = "java.lang.IllegalArgumentException";

    /// Java's message, e.g. `Illegal pattern character 'b'`.
    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PatternError {}

/// Text that does not match the pattern (Java's `ParseException`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError(String);

impl ParseError {
    /// The simple Java exception class name.
    pub const JAVA_CLASS: &'static str = "ParseException";

    /// Java's message: `Unparseable date: "<text>"`.
    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParseError {}

/// A compiled `SimpleDateFormat` pattern working in UTC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JavaDateFormat {
    pattern: String,
    items: Vec<Item>,
}

impl JavaDateFormat {
    /// Compiles a pattern, rejecting what `SimpleDateFormat` rejects with its message.
    pub fn new(pattern: &str) -> Result<Self, PatternError> {
        Ok(Self {
            pattern: pattern.to_string(),
            items: compile(pattern)?,
        })
    }

    /// The pattern as given (Java's `toPattern()`).
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// Formats epoch milliseconds (UTC).
    pub fn format(&self, millis: i64) -> String {
        format::format(&self.items, millis)
    }

    /// Parses text leniently from its start, ignoring anything after the pattern's end, as
    /// `DateFormat.parse(String)` does; the result is epoch milliseconds.
    pub fn parse(&self, text: &str) -> Result<i64, ParseError> {
        parse::parse(&self.items, text)
            .ok_or_else(|| ParseError(format!("Unparseable date: \"{text}\"")))
    }
}

/// `SimpleDateFormat.compile`: letters make fields, quotes delimit literal text (`''` is a
/// quote), any other character is literal.
fn compile(pattern: &str) -> Result<Vec<Item>, PatternError> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut items: Vec<Item> = Vec::new();
    let mut literal = String::new();
    let mut field: Option<(Letter, usize)> = None;
    let mut in_quote = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            if chars.get(i + 1) == Some(&'\'') {
                push_field(&mut items, &mut field)?;
                literal.push('\'');
                i += 2;
                continue;
            }
            push_field(&mut items, &mut field)?;
            in_quote = !in_quote;
        } else if in_quote || !c.is_ascii_alphabetic() {
            push_field(&mut items, &mut field)?;
            literal.push(c);
        } else {
            let letter = Letter::from_char(c)
                .ok_or_else(|| PatternError(format!("Illegal pattern character '{c}'")))?;
            match &mut field {
                Some((current, count)) if *current == letter => *count += 1,
                _ => {
                    push_field(&mut items, &mut field)?;
                    push_literal(&mut items, &mut literal);
                    field = Some((letter, 1));
                }
            }
        }
        i += 1;
    }
    if in_quote {
        return Err(PatternError("Unterminated quote".to_string()));
    }
    push_field(&mut items, &mut field)?;
    push_literal(&mut items, &mut literal);
    Ok(items)
}

fn push_field(
    items: &mut Vec<Item>,
    field: &mut Option<(Letter, usize)>,
) -> Result<(), PatternError> {
    if let Some((letter, count)) = field.take() {
        if letter == Letter::IsoZone && count >= 4 {
            return Err(PatternError(format!(
                "invalid ISO 8601 format: length={count}"
            )));
        }
        items.push(Item::Field { letter, count });
    }
    Ok(())
}

fn push_literal(items: &mut Vec<Item>, literal: &mut String) {
    if !literal.is_empty() {
        items.push(Item::Literal(std::mem::take(literal)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(pattern: &str, millis: i64) -> String {
        JavaDateFormat::new(pattern)
            .expect("valid pattern")
            .format(millis)
    }

    fn parse(pattern: &str, text: &str) -> Result<i64, ParseError> {
        JavaDateFormat::new(pattern)
            .expect("valid pattern")
            .parse(text)
    }

    const T: i64 = 1_700_000_000_123; // 2023-11-14T22:13:20.123Z, a Tuesday

    #[test]
    fn rejects_what_java_rejects() {
        let err = JavaDateFormat::new("yyyy-MM-dd bogus").expect_err("b is no letter");
        assert_eq!(err.message(), "Illegal pattern character 'b'");
        let err = JavaDateFormat::new("yyyy 'T").expect_err("open quote");
        assert_eq!(err.message(), "Unterminated quote");
        let err = JavaDateFormat::new("XXXX").expect_err("too many X");
        assert_eq!(err.message(), "invalid ISO 8601 format: length=4");
        // Quoted letters and non-ASCII text are literal.
        assert!(JavaDateFormat::new("'bogus' é").is_ok());
    }

    #[test]
    fn formats_every_letter() {
        assert_eq!(fmt("yyyy-MM-dd HH:mm:ss.SSS", T), "2023-11-14 22:13:20.123");
        assert_eq!(
            fmt("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", T),
            "2023-11-14T22:13:20.123Z"
        );
        assert_eq!(fmt("YYYY-ww-EEE", T), "2023-46-Tue");
        assert_eq!(fmt("yy MMM MMMM EEEE G", T), "23 Nov November Tuesday AD");
        assert_eq!(fmt("h:mm a, K k D F W u", T), "10:13 PM, 10 22 318 2 3 2");
        assert_eq!(
            fmt("z zzzz Z X XX", T),
            "UTC Coordinated Universal Time +0000 Z Z"
        );
        assert_eq!(fmt("''yyyy'' 'o''clock'", T), "'2023' o'clock");
        assert_eq!(fmt("y yyyyy S SSSS", T), "2023 02023 123 0123");
        assert_eq!(fmt("yyyyMMddHHmmssSSS", -1), "19691231235959999");
        assert_eq!(fmt("k h", 0), "24 12");
    }

    #[test]
    fn parses_like_simple_date_format() {
        assert_eq!(
            parse("yyyy-MM-dd HH:mm:ss.SSS", "2023-11-14 22:13:20.123"),
            Ok(T)
        );
        assert_eq!(parse("yyyy-MM-dd", "2024-02-29"), Ok(1_709_164_800_000));
        // Abutting numeric fields read exactly their width.
        assert_eq!(parse("yyyyMMdd", "20240229"), Ok(1_709_164_800_000));
        // Lenient: month 13 is January of the next year; trailing text is ignored.
        assert_eq!(
            parse("yyyy-MM-dd", "2023-13-01"),
            parse("yyyy-MM-dd", "2024-01-01")
        );
        assert_eq!(
            parse("yyyy-MM-dd", "2024-02-29 and more"),
            Ok(1_709_164_800_000)
        );
        assert_eq!(
            parse(
                "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
                "2023-11-14T23:13:20.123+01:00"
            ),
            Ok(T)
        );
        assert_eq!(
            parse("dd MMM yyyy hh:mm a", "14 nov 2023 10:13 PM"),
            Ok(T - 20_123)
        );
        assert_eq!(
            parse("EEE, d MMMM yyyy z", "Tue, 14 November 2023 UTC"),
            parse("yyyy-MM-dd", "2023-11-14")
        );
        let err = parse("yyyy-MM-dd", "2024/02/29").expect_err("wrong separator");
        assert_eq!(err.message(), "Unparseable date: \"2024/02/29\"");
        assert!(parse("yyyy-MM-dd", "").is_err());
        assert!(parse("MMM", "11").is_err());
    }

    #[test]
    fn round_trips_across_eras_and_the_julian_cutover() {
        let pattern = "G yyyy-MM-dd HH:mm:ss.SSS";
        for millis in [
            -62_135_769_600_000i64 - 86_400_000,
            -12_219_292_800_000,
            -12_219_292_800_001,
            0,
            T,
        ] {
            let text = fmt(pattern, millis);
            assert_eq!(parse(pattern, &text), Ok(millis), "{text}");
        }
        assert_eq!(fmt("yyyy-MM-dd", -12_219_292_800_001), "1582-10-04");
    }
}
