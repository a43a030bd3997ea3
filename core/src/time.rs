//! Calendar arithmetic in UTC for the Date, Time and Timestamp logical types.
//!
//! Kafka Connect runs its date logic in UTC (`Calendar.getInstance(UTC)`), so plain civil
//! calendar math on epoch milliseconds gives the same answers without a time-zone database.

/// Milliseconds in one day.
pub const MILLIS_PER_DAY: i64 = 86_400_000;

/// A calendar date and time of day in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CivilDateTime {
    /// Proleptic Gregorian year.
    pub year: i64,
    /// Month, 1..=12.
    pub month: u32,
    /// Day of month, 1..=31.
    pub day: u32,
    /// Hour, 0..=23.
    pub hour: u32,
    /// Minute, 0..=59.
    pub minute: u32,
    /// Second, 0..=59.
    pub second: u32,
    /// Millisecond, 0..=999.
    pub millisecond: u32,
    /// Day of week, 0 = Sunday .. 6 = Saturday.
    pub weekday: u32,
}

/// Splits epoch milliseconds into a UTC calendar date and time.
pub fn civil_from_millis(millis: i64) -> CivilDateTime {
    let days = millis.div_euclid(MILLIS_PER_DAY);
    let ms_of_day = millis.rem_euclid(MILLIS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    CivilDateTime {
        year,
        month,
        day,
        hour: (ms_of_day / 3_600_000) as u32,
        minute: ((ms_of_day / 60_000) % 60) as u32,
        second: ((ms_of_day / 1000) % 60) as u32,
        millisecond: (ms_of_day % 1000) as u32,
        // 1970-01-01 was a Thursday.
        weekday: (days + 4).rem_euclid(7) as u32,
    }
}

/// Year, month and day of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Days since 1970-01-01 of a calendar date.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// English short weekday name (`Sun`..`Sat`) for 0 = Sunday.
pub fn weekday_short_name(weekday: u32) -> &'static str {
    WEEKDAYS[(weekday % 7) as usize]
}

/// English short month name (`Jan`..`Dec`) for 1 = January.
pub fn month_short_name(month: u32) -> &'static str {
    MONTHS[((month + 11) % 12) as usize]
}

/// Java's `java.util.Date.toString()` in UTC: `Thu Jan 01 00:00:00 UTC 1970`.
pub fn java_date_to_string(millis: i64) -> String {
    let c = civil_from_millis(millis);
    format!(
        "{} {} {:02} {:02}:{:02}:{:02} UTC {}",
        weekday_short_name(c.weekday),
        month_short_name(c.month),
        c.day,
        c.hour,
        c.minute,
        c.second,
        c.year
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_days_and_dates() {
        for days in [-719_468i64, -365, -1, 0, 1, 19_737, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(19_737), (2024, 1, 15));
    }

    #[test]
    fn formats_like_java_util_date() {
        assert_eq!(java_date_to_string(0), "Thu Jan 01 00:00:00 UTC 1970");
        assert_eq!(
            java_date_to_string(1_700_000_000_123),
            "Tue Nov 14 22:13:20 UTC 2023"
        );
        assert_eq!(java_date_to_string(-1), "Wed Dec 31 23:59:59 UTC 1969");
    }
}
