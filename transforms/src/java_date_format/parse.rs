//! Lenient parsing: `SimpleDateFormat.parse` / `subParse` with the `en_US` symbols.
//!
//! Numbers are read the way the JVM's `DecimalFormat` reads them (optional minus sign, ASCII
//! digits, an optional `E` exponent, `int` truncation), spaces and tabs before a field are
//! skipped, and names match case-insensitively, longest first.

use std::time::{SystemTime, UNIX_EPOCH};

use super::calendar::{fields_from_millis, month_length};
use super::format::{AM_PM, ERAS, MONTHS, UTC_NAMES, WEEKDAYS};
use super::resolve::{Builder, Field, iso_to_calendar_day_of_week};
use super::{Item, Letter};
use crate::java_chars;

/// Time zone names understood besides `GMT±hh:mm`: UTC's own names first, as the JVM
/// tries the formatter's zone before its tables.
const ZONE_NAMES: [&str; 3] = [UTC_NAMES[0], UTC_NAMES[1], "Greenwich Mean Time"];

/// Parses `text` from its start; `None` when it does not match (a `ParseException`).
pub(super) fn parse(items: &[Item], text: &str) -> Option<i64> {
    let chars: Vec<char> = text.chars().collect();
    let mut fields = Builder::default();
    let mut ambiguous_year = None;
    let mut pos = 0;
    for (i, item) in items.iter().enumerate() {
        match item {
            Item::Literal(literal) => {
                for expected in literal.chars() {
                    if chars.get(pos) != Some(&expected) {
                        return None;
                    }
                    pos += 1;
                }
            }
            Item::Field { letter, count } => {
                let obey_count = matches!(
                    items.get(i + 1),
                    Some(Item::Field { letter: next, count: next_count }) if next.is_numeric(*next_count)
                );
                let mut parser = FieldParser {
                    chars: &chars,
                    start: pos,
                    count: *count,
                    obey_count,
                    fields: &mut fields,
                    ambiguous_year: &mut ambiguous_year,
                };
                pos = parser.parse(*letter)?;
            }
        }
    }
    if pos == 0 {
        return None;
    }
    let millis = fields.establish()?;
    match ambiguous_year {
        // A two-digit year equal to the century start's could be either century: Java
        // takes the later one when the earlier falls before the century start.
        Some(century_start) if millis < century_start => {
            fields.add_years(100);
            fields.establish()
        }
        _ => Some(millis),
    }
}

/// The state of parsing one field.
struct FieldParser<'a> {
    chars: &'a [char],
    /// Where the field starts (before any skipped spaces).
    start: usize,
    /// How many pattern letters the field has.
    count: usize,
    /// Whether the field must read exactly `count` characters (a numeric field follows).
    obey_count: bool,
    fields: &'a mut Builder,
    /// Set to the century start instant when a two-digit year was ambiguous.
    ambiguous_year: &'a mut Option<i64>,
}

impl FieldParser<'_> {
    /// Parses one field; returns the position after it.
    fn parse(&mut self, letter: Letter) -> Option<usize> {
        let mut pos = self.start;
        while matches!(self.chars.get(pos)?, ' ' | '\t') {
            pos += 1;
        }
        let text_start = pos;
        match letter {
            Letter::Era => self.text(Field::Era, &ERAS, 0),
            Letter::Year | Letter::WeekYear => {
                let (mut value, end) = self.number(pos)?;
                let two_digits = end - text_start == 2
                    && self.chars[text_start..end]
                        .iter()
                        .all(|c| java_chars::digit(*c).is_some());
                if self.count <= 2 && two_digits {
                    let (start_year, start_millis) = century_start();
                    let ambiguous = (start_year % 100) as i32;
                    if value == ambiguous {
                        *self.ambiguous_year = Some(start_millis);
                    }
                    value +=
                        (start_year / 100 * 100) as i32 + if value < ambiguous { 100 } else { 0 };
                }
                let field = if letter == Letter::Year {
                    Field::Year
                } else {
                    Field::WeekYear
                };
                self.set(field, value, end)
            }
            Letter::Month | Letter::MonthStandalone if self.count <= 2 => {
                let (value, end) = self.number(pos)?;
                self.set(Field::Month, value.wrapping_sub(1), end)
            }
            Letter::Month | Letter::MonthStandalone => {
                let short: [&str; 12] = MONTHS.map(|m| &m[..3]);
                self.text(Field::Month, &MONTHS, 0)
                    .or_else(|| self.text(Field::Month, &short, 0))
            }
            Letter::HourOfDay1 => {
                let (value, end) = self.number(pos)?;
                self.set(Field::HourOfDay, if value == 24 { 0 } else { value }, end)
            }
            Letter::Hour1 => {
                let (value, end) = self.number(pos)?;
                self.set(Field::Hour, if value == 12 { 0 } else { value }, end)
            }
            Letter::DayOfWeek => {
                let short: [&str; 7] = WEEKDAYS.map(|d| &d[..3]);
                self.text(Field::DayOfWeek, &WEEKDAYS, 1)
                    .or_else(|| self.text(Field::DayOfWeek, &short, 1))
            }
            Letter::AmPm => self.text(Field::AmPm, &AM_PM, 0),
            Letter::ZoneName | Letter::ZoneValue => self.zone(pos),
            Letter::IsoZone => self.iso_zone(pos),
            Letter::IsoDayOfWeek => {
                let (value, end) = self.number(pos)?;
                let day = iso_to_calendar_day_of_week(i64::from(value));
                self.set(Field::DayOfWeek, i32::try_from(day).ok()?, end)
            }
            Letter::DayOfMonth => self.numeric(Field::DayOfMonth, pos),
            Letter::HourOfDay0 => self.numeric(Field::HourOfDay, pos),
            Letter::Minute => self.numeric(Field::Minute, pos),
            Letter::Second => self.numeric(Field::Second, pos),
            Letter::Millisecond => self.numeric(Field::Millisecond, pos),
            Letter::DayOfYear => self.numeric(Field::DayOfYear, pos),
            Letter::DayOfWeekInMonth => self.numeric(Field::DayOfWeekInMonth, pos),
            Letter::WeekOfYear => self.numeric(Field::WeekOfYear, pos),
            Letter::WeekOfMonth => self.numeric(Field::WeekOfMonth, pos),
            Letter::Hour0 => self.numeric(Field::Hour, pos),
        }
    }

    fn set(&mut self, field: Field, value: i32, end: usize) -> Option<usize> {
        self.fields.set(field, value);
        Some(end)
    }

    fn numeric(&mut self, field: Field, pos: usize) -> Option<usize> {
        let (value, end) = self.number(pos)?;
        self.set(field, value, end)
    }

    /// A number at `pos`, limited to the field's width when it abuts another number.
    fn number(&self, pos: usize) -> Option<(i32, usize)> {
        let limit = if self.obey_count {
            let limit = self.start + self.count;
            if limit > self.chars.len() {
                return None;
            }
            limit
        } else {
            self.chars.len()
        };
        parse_decimal(&self.chars[..limit], pos)
    }

    /// The longest of `names` at the field start (case-insensitive); the field gets
    /// `index + offset`.
    fn text(&mut self, field: Field, names: &[&str], offset: i32) -> Option<usize> {
        let (index, len) = names
            .iter()
            .enumerate()
            .filter(|(_, name)| region_matches(self.chars, self.start, name))
            .map(|(i, name)| (i, name.chars().count()))
            .max_by_key(|(i, len)| (*len, usize::MAX - i))?;
        self.set(field, index as i32 + offset, self.start + len)
    }

    /// `z` and `Z`: `+hhmm`, `GMT`, `GMT+h:mm` or a zone name.
    fn zone(&mut self, pos: usize) -> Option<usize> {
        let c = *self.chars.get(pos)?;
        match c {
            '+' | '-' => self.numeric_zone(pos + 1, sign_of(c), 0, false),
            _ if region_matches(self.chars, self.start, "GMT") && matches!(c, 'G' | 'g') => {
                let after = self.start + 3;
                match self.chars.get(after) {
                    Some(&s @ ('+' | '-')) => self.numeric_zone(after + 1, sign_of(s), 0, true),
                    _ => self.utc(after),
                }
            }
            _ => {
                let name = ZONE_NAMES
                    .iter()
                    .find(|name| region_matches(self.chars, pos, name))?;
                self.utc(pos + name.chars().count())
            }
        }
    }

    /// `X`: `Z` or `+hh`, `+hhmm`, `+hh:mm` by the pattern's width.
    fn iso_zone(&mut self, pos: usize) -> Option<usize> {
        match *self.chars.get(pos)? {
            'Z' => self.utc(pos + 1),
            c @ ('+' | '-') => self.numeric_zone(pos + 1, sign_of(c), self.count, self.count == 3),
            _ => None,
        }
    }

    fn utc(&mut self, end: usize) -> Option<usize> {
        self.fields.set(Field::ZoneOffset, 0);
        self.set(Field::DstOffset, 0, end)
    }

    /// `SimpleDateFormat.subParseNumericZone`.
    fn numeric_zone(
        &mut self,
        mut index: usize,
        sign: i32,
        count: usize,
        colon: bool,
    ) -> Option<usize> {
        let digit = |c: char| {
            c.to_digit(10)
                .filter(|_| c.is_ascii_digit())
                .map(|d| d as i32)
        };
        let next = |index: &mut usize| {
            let c = self.chars.get(*index).copied();
            *index += 1;
            c
        };
        let mut hours = digit(next(&mut index)?)?;
        match digit(next(&mut index)?) {
            Some(d) => hours = hours * 10 + d,
            None if count > 0 || !colon => return None,
            None => index -= 1,
        }
        if hours > 23 {
            return None;
        }
        let mut minutes = 0;
        if count != 1 {
            let mut c = next(&mut index)?;
            if colon {
                if c != ':' {
                    return None;
                }
                c = next(&mut index)?;
            }
            minutes = digit(c)? * 10 + digit(next(&mut index)?)?;
            if minutes > 59 {
                return None;
            }
        }
        let offset = (minutes + hours * 60) * 60_000 * sign;
        self.fields.set(Field::ZoneOffset, offset);
        self.set(Field::DstOffset, 0, index)
    }
}

fn sign_of(c: char) -> i32 {
    if c == '-' { -1 } else { 1 }
}

/// Whether `name` appears at `at`, ignoring ASCII case.
fn region_matches(chars: &[char], at: usize, name: &str) -> bool {
    let mut i = at;
    for expected in name.chars() {
        match chars.get(i) {
            Some(c) if c.eq_ignore_ascii_case(&expected) => i += 1,
            _ => return false,
        }
    }
    true
}

/// `DecimalFormat.parse` with integer-only parsing, then `Number.intValue()`: a `Long`
/// result wraps to 32 bits, a `Double` (fractions from a negative exponent, or values past
/// `Long`'s range) saturates. Returns the value and the position after the number.
fn parse_decimal(chars: &[char], pos: usize) -> Option<(i32, usize)> {
    if chars
        .get(pos..)
        .is_some_and(|rest| rest.starts_with(&['N', 'a', 'N']))
    {
        return Some((0, pos + 3));
    }
    let negative = chars.get(pos) == Some(&'-');
    let mut i = pos + usize::from(negative);
    if chars.get(i) == Some(&'\u{221E}') {
        return Some((if negative { i32::MIN } else { i32::MAX }, i + 1));
    }
    let mut digits = String::new();
    let mut saw_digit = false;
    let mut exponent: i64 = 0;
    while let Some(&c) = chars.get(i) {
        if let Some(digit) = java_chars::digit(c) {
            saw_digit = true;
            if !(digits.is_empty() && digit == 0) {
                digits.push(char::from(b'0' + digit as u8));
            }
            i += 1;
        } else if c == 'E' && saw_digit {
            if let Some((value, end)) = parse_exponent(chars, i + 1) {
                exponent = value;
                i = end;
            }
            break;
        } else {
            break;
        }
    }
    if !saw_digit {
        return None;
    }
    let trimmed = digits.trim_end_matches('0');
    let decimal_at = digits.len() as i64 + exponent;
    if trimmed.is_empty() {
        return Some((0, i));
    }
    let integral = decimal_at >= trimmed.len() as i64 && decimal_at <= 19;
    if integral {
        let zeros = (decimal_at - trimmed.len() as i64) as u32;
        let magnitude = trimmed.parse::<i128>().ok()? * 10i128.pow(zeros);
        let value = if negative { -magnitude } else { magnitude };
        if let Ok(long) = i64::try_from(value) {
            return Some((long as i32, i));
        }
    }
    let text = format!(
        "{}{trimmed}e{}",
        if negative { "-" } else { "" },
        decimal_at - trimmed.len() as i64
    );
    Some((text.parse::<f64>().ok()? as i32, i))
}

/// The exponent after an `E`: optional minus sign and digits (no plus sign).
fn parse_exponent(chars: &[char], pos: usize) -> Option<(i64, usize)> {
    let negative = chars.get(pos) == Some(&'-');
    let mut i = pos + usize::from(negative);
    let mut value: i64 = 0;
    let start = i;
    while let Some(digit) = chars.get(i).and_then(|c| java_chars::digit(*c)) {
        value = value.checked_mul(10)?.checked_add(i64::from(digit))?;
        i += 1;
    }
    if i == start {
        return None;
    }
    Some((if negative { -value } else { value }, i))
}

/// The start of the 100-year window two-digit years fall in: 80 years before now, as
/// `SimpleDateFormat` sets it. Returns its year and instant.
fn century_start() -> (i64, i64) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    let f = fields_from_millis(now);
    let year = f.year_of_era - 80;
    let mut start = Builder::default();
    let day = f.day_of_month.min(month_length(f.month0, year));
    for (field, value) in [
        (Field::Year, year),
        (Field::Month, f.month0),
        (Field::DayOfMonth, day),
        (Field::HourOfDay, f.hour_of_day),
        (Field::Minute, f.minute),
        (Field::Second, f.second),
        (Field::Millisecond, f.millisecond),
    ] {
        start.set(field, value as i32);
    }
    (year, start.establish().unwrap_or(now))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> Option<(i32, usize)> {
        let chars: Vec<char> = text.chars().collect();
        parse_decimal(&chars, 0)
    }

    #[test]
    fn reads_numbers_like_decimal_format() {
        assert_eq!(number("0042-"), Some((42, 4)));
        assert_eq!(number("-7x"), Some((-7, 2)));
        assert_eq!(number("12.5"), Some((12, 2)));
        assert_eq!(number("2E3"), Some((2000, 3)));
        assert_eq!(number("2E-1"), Some((0, 4)));
        assert_eq!(number("5E+1"), Some((5, 1)));
        assert_eq!(number("4294967297"), Some((1, 10)));
        assert_eq!(number("99999999999999999999"), Some((i32::MAX, 20)));
        assert_eq!(number("+1"), None);
        assert_eq!(number("-"), None);
    }

    #[test]
    fn two_digit_years_fall_within_eighty_years_before_now() {
        let (start_year, _) = century_start();
        let items = super::super::compile("yy").expect("pattern");
        let millis = parse(&items, "00").expect("parses");
        let year = fields_from_millis(millis).year_of_era;
        assert!(year > start_year && year <= start_year + 100, "{year}");
        // Three or more letters, or other than two digits, read the year literally.
        let items = super::super::compile("yyy").expect("pattern");
        let millis = parse(&items, "05").expect("parses");
        assert_eq!(fields_from_millis(millis).year_of_era, 5);
    }
}
