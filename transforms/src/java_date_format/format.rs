//! Formatting: `SimpleDateFormat.subFormat` with the `en_US` symbols in UTC.

use super::calendar::{Fields, fields_from_millis};
use super::{Item, Letter};

/// English names, as `DateFormatSymbols` for `en_US` has them.
pub(super) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
pub(super) const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
pub(super) const ERAS: [&str; 2] = ["BC", "AD"];
pub(super) const AM_PM: [&str; 2] = ["AM", "PM"];
/// The long and short display names of UTC, the only zone these formats use.
pub(super) const UTC_NAMES: [&str; 2] = ["Coordinated Universal Time", "UTC"];

/// Formats `millis` with a compiled pattern.
pub(super) fn format(items: &[Item], millis: i64) -> String {
    let fields = fields_from_millis(millis);
    let mut out = String::with_capacity(32);
    for item in items {
        match item {
            Item::Literal(text) => out.push_str(text),
            Item::Field { letter, count } => format_field(&mut out, &fields, *letter, *count),
        }
    }
    out
}

fn format_field(out: &mut String, f: &Fields, letter: Letter, count: usize) {
    let number = |out: &mut String, value: i64| zero_padded(out, value, count, None);
    match letter {
        Letter::Era => out.push_str(ERAS[(f.era & 1) as usize]),
        Letter::Year | Letter::WeekYear => {
            let value = if letter == Letter::Year {
                f.year_of_era
            } else {
                f.week_year
            };
            if count == 2 {
                zero_padded(out, value, 2, Some(2));
            } else {
                number(out, value);
            }
        }
        Letter::Month | Letter::MonthStandalone => match count {
            1 | 2 => number(out, f.month0 + 1),
            3 => out.push_str(&MONTHS[f.month0 as usize][..3]),
            _ => out.push_str(MONTHS[f.month0 as usize]),
        },
        Letter::DayOfMonth => number(out, f.day_of_month),
        Letter::HourOfDay1 => number(
            out,
            if f.hour_of_day == 0 {
                24
            } else {
                f.hour_of_day
            },
        ),
        Letter::HourOfDay0 => number(out, f.hour_of_day),
        Letter::Minute => number(out, f.minute),
        Letter::Second => number(out, f.second),
        Letter::Millisecond => number(out, f.millisecond),
        Letter::DayOfWeek => {
            let name = WEEKDAYS[(f.day_of_week - 1) as usize];
            out.push_str(if count >= 4 { name } else { &name[..3] });
        }
        Letter::DayOfYear => number(out, f.day_of_year),
        Letter::DayOfWeekInMonth => number(out, f.day_of_week_in_month),
        Letter::WeekOfYear => number(out, f.week_of_year),
        Letter::WeekOfMonth => number(out, f.week_of_month),
        Letter::AmPm => out.push_str(AM_PM[usize::from(f.hour_of_day >= 12)]),
        Letter::Hour1 => number(
            out,
            if f.hour_of_day % 12 == 0 {
                12
            } else {
                f.hour_of_day % 12
            },
        ),
        Letter::Hour0 => number(out, f.hour_of_day % 12),
        Letter::ZoneName => out.push_str(UTC_NAMES[usize::from(count < 4)]),
        Letter::ZoneValue => out.push_str("+0000"),
        Letter::IsoZone => out.push('Z'),
        Letter::IsoDayOfWeek => {
            // Monday = 1 .. Sunday = 7.
            number(
                out,
                if f.day_of_week == 1 {
                    7
                } else {
                    f.day_of_week - 1
                },
            );
        }
    }
}

/// `SimpleDateFormat.zeroPaddingNumber`: at least `min` digits, and only the last `max` digits
/// when a maximum is given (two-digit years).
fn zero_padded(out: &mut String, value: i64, min: usize, max: Option<usize>) {
    let digits = value.unsigned_abs().to_string();
    let digits = match max {
        Some(max) if digits.len() > max => &digits[digits.len() - max..],
        _ => digits.as_str(),
    };
    if value < 0 {
        out.push('-');
    }
    out.extend(std::iter::repeat_n('0', min.saturating_sub(digits.len())));
    out.push_str(digits);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_and_clips_like_decimal_format() {
        let mut out = String::new();
        zero_padded(&mut out, 7, 3, None);
        out.push(' ');
        zero_padded(&mut out, 2023, 2, Some(2));
        out.push(' ');
        zero_padded(&mut out, 5, 2, Some(2));
        out.push(' ');
        zero_padded(&mut out, -4, 2, None);
        assert_eq!(out, "007 23 05 -04");
    }
}
