//! The calendar arithmetic of Java's `GregorianCalendar` in UTC with the `en_US` week rules
//! (weeks start on Sunday; week 1 is the week holding January 1st).
//!
//! `SimpleDateFormat` formats and parses through a `GregorianCalendar`, which switches to the
//! Julian calendar before 15 October 1582 and resolves lenient field values (month 13, hour
//! 25) by carrying them over. Dates are handled as "fixed dates" (days since 1 January of
//! year 1, Gregorian, day 1), the representation Java's calendar code works in, so the rules
//! below read like the JDK's.

use connect_core::time::{MILLIS_PER_DAY, civil_from_days, days_from_civil};

/// The fixed date of 1970-01-01.
const EPOCH_FIXED_DATE: i64 = 719_163;
/// The fixed date of 1582-10-15, the first Gregorian day.
const CUTOVER_FIXED_DATE: i64 = 577_736;
/// The year of the Julian to Gregorian switch.
const CUTOVER_YEAR: i64 = 1582;
/// `Calendar.SUNDAY`, the first day of the week in `en_US`.
const FIRST_DAY_OF_WEEK: i64 = 1;
/// `en_US`: January 1st alone makes week 1.
const MINIMAL_DAYS_IN_FIRST_WEEK: i64 = 1;

/// The two calendar systems a `GregorianCalendar` combines.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum System {
    Gregorian,
    Julian,
}

fn is_gregorian_leap(year: i64) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

fn is_julian_leap(year: i64) -> bool {
    year.rem_euclid(4) == 0
}

/// `GregorianCalendar.isLeapYear`: Julian rules up to the cutover year.
fn is_leap(year: i64) -> bool {
    if year > CUTOVER_YEAR {
        is_gregorian_leap(year)
    } else {
        is_julian_leap(year)
    }
}

/// Days in a month (0-based) of a year, with the cutover-aware leap rule.
pub(crate) fn month_length(month0: i64, year: i64) -> i64 {
    const LENGTHS: [i64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let base = LENGTHS[month0.rem_euclid(12) as usize];
    if month0 == 1 && is_leap(year) {
        base + 1
    } else {
        base
    }
}

/// The fixed date of the first day of a month (1-based) in one calendar system.
pub(crate) fn first_of_month(system: System, year: i64, month: i64) -> i64 {
    match system {
        System::Gregorian => days_from_civil(year, month as u32, 1) + EPOCH_FIXED_DATE,
        System::Julian => {
            // JulianCalendar.getFixedDate with day 1; the Julian epoch is fixed date -1.
            let mut days = -1 - 1 + 365 * (year - 1) + 1 + (year - 1).div_euclid(4);
            days += (367 * month - 362).div_euclid(12);
            if month > 2 {
                days -= if is_julian_leap(year) { 1 } else { 2 };
            }
            days
        }
    }
}

/// Java's `BaseCalendar.getDayOfWeekDateOnOrBefore`: the latest date on or before
/// `fixed_date` that falls on `day_of_week` (1 = Sunday).
pub(crate) fn day_of_week_on_or_before(fixed_date: i64, day_of_week: i64) -> i64 {
    fixed_date - (fixed_date - (day_of_week - 1)).rem_euclid(7)
}

/// Day of week of a fixed date, 1 = Sunday .. 7 = Saturday (fixed date 1 was a Monday).
fn day_of_week(fixed_date: i64) -> i64 {
    fixed_date.rem_euclid(7) + 1
}

/// The first day of week 1 of a period starting at `period_start` (en_US rules).
pub(crate) fn first_week_start(period_start: i64) -> i64 {
    let start = day_of_week_on_or_before(period_start + 6, FIRST_DAY_OF_WEEK);
    if start - period_start >= MINIMAL_DAYS_IN_FIRST_WEEK {
        start - 7
    } else {
        start
    }
}

/// `GregorianCalendar.getWeekNumber`: the week of `fixed_date` within the period that
/// starts on `period_start`.
fn week_number(period_start: i64, fixed_date: i64) -> i64 {
    (fixed_date - first_week_start(period_start)).div_euclid(7) + 1
}

/// The fixed date of January 1st of a year in the calendar that applies to it.
fn first_of_year(year: i64) -> i64 {
    let system = if year > CUTOVER_YEAR {
        System::Gregorian
    } else {
        System::Julian
    };
    first_of_month(system, year, 1)
}

/// The calendar fields of one instant, as `GregorianCalendar.computeFields` sets them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fields {
    /// 0 = BC, 1 = AD.
    pub(crate) era: i64,
    /// Year of the era (never below 1).
    pub(crate) year_of_era: i64,
    /// The year of the ISO-style week the day belongs to (may differ near January 1st).
    pub(crate) week_year: i64,
    /// 0 = January.
    pub(crate) month0: i64,
    pub(crate) day_of_month: i64,
    pub(crate) day_of_year: i64,
    /// 1 = Sunday .. 7 = Saturday.
    pub(crate) day_of_week: i64,
    pub(crate) day_of_week_in_month: i64,
    pub(crate) week_of_year: i64,
    pub(crate) week_of_month: i64,
    pub(crate) hour_of_day: i64,
    pub(crate) minute: i64,
    pub(crate) second: i64,
    pub(crate) millisecond: i64,
}

/// Splits epoch milliseconds into calendar fields (UTC).
pub(crate) fn fields_from_millis(millis: i64) -> Fields {
    let days = millis.div_euclid(MILLIS_PER_DAY);
    let ms_of_day = millis.rem_euclid(MILLIS_PER_DAY);
    let fixed_date = days + EPOCH_FIXED_DATE;
    let (year, month, day) = if fixed_date >= CUTOVER_FIXED_DATE {
        let (y, m, d) = civil_from_days(days);
        (y, m as i64, d as i64)
    } else {
        julian_date(fixed_date)
    };
    let jan1 = first_of_year(year);
    let day_of_year = fixed_date - jan1 + 1;
    // In October 1582 the month still starts on the Julian 1st (ten days were skipped).
    let month1 = if year == CUTOVER_YEAR && month == 10 && fixed_date >= CUTOVER_FIXED_DATE {
        first_of_month(System::Julian, year, month)
    } else {
        fixed_date - (day - 1)
    };

    let mut week_of_year = week_number(jan1, fixed_date);
    if week_of_year == 0 {
        // The last week of the previous year.
        let prev_jan1 = jan1 - if is_leap(year - 1) { 366 } else { 365 };
        week_of_year = week_number(prev_jan1, jan1 - 1);
    } else if week_of_year >= 52 {
        let next_jan1 = jan1 + if is_leap(year) { 366 } else { 365 };
        let next_start = day_of_week_on_or_before(next_jan1 + 6, FIRST_DAY_OF_WEEK);
        if next_start - next_jan1 >= MINIMAL_DAYS_IN_FIRST_WEEK && fixed_date >= next_start - 7 {
            week_of_year = 1;
        }
    }
    let week_year = if month == 1 && week_of_year >= 52 {
        year - 1
    } else if month != 1 && week_of_year == 1 {
        year + 1
    } else {
        year
    };
    let (era, year_of_era) = if year > 0 { (1, year) } else { (0, 1 - year) };
    Fields {
        era,
        year_of_era,
        week_year,
        month0: month - 1,
        day_of_month: day,
        day_of_year,
        day_of_week: day_of_week(fixed_date),
        day_of_week_in_month: (fixed_date - month1) / 7 + 1,
        week_of_year,
        week_of_month: week_number(month1, fixed_date),
        hour_of_day: ms_of_day / 3_600_000,
        minute: ms_of_day / 60_000 % 60,
        second: ms_of_day / 1000 % 60,
        millisecond: ms_of_day % 1000,
    }
}

/// Year (0 = 1 BC), month (1-based) and day of a fixed date in the Julian calendar
/// (`JulianCalendar.getCalendarDateFromFixedDate`).
fn julian_date(fixed_date: i64) -> (i64, i64, i64) {
    let year = (4 * (fixed_date + 1) + 1464).div_euclid(1461);
    let mut prior_days = fixed_date - first_of_month(System::Julian, year, 1);
    if fixed_date >= first_of_month(System::Julian, year, 3) {
        prior_days += if is_julian_leap(year) { 1 } else { 2 };
    }
    let month = (12 * prior_days + 373).div_euclid(367);
    let day = fixed_date - first_of_month(System::Julian, year, month) + 1;
    (year, month, day)
}

/// Epoch milliseconds of a fixed date and a millisecond of the day (wrapping on overflow, as
/// Java's `long` arithmetic does for absurd lenient input).
pub(crate) fn millis_from_fixed_date(fixed_date: i64, ms_of_day: i64) -> i64 {
    fixed_date
        .wrapping_sub(EPOCH_FIXED_DATE)
        .wrapping_mul(MILLIS_PER_DAY)
        .wrapping_add(ms_of_day)
}

/// Picks the Gregorian or Julian reading of lenient fields, as `GregorianCalendar.computeTime`
/// does: `fixed` computes the date in one system; `relative_to_year` says whether the date
/// was given as a day or week of the year.
pub(crate) fn choose_system(
    year: i64,
    relative_to_year: bool,
    fixed: impl Fn(System) -> i64,
) -> i64 {
    let (gregorian, julian) = if year > CUTOVER_YEAR {
        let gregorian = fixed(System::Gregorian);
        if gregorian >= CUTOVER_FIXED_DATE {
            return gregorian;
        }
        (gregorian, fixed(System::Julian))
    } else if year < CUTOVER_YEAR {
        let julian = fixed(System::Julian);
        if julian < CUTOVER_FIXED_DATE {
            return julian;
        }
        (julian, julian)
    } else {
        (fixed(System::Gregorian), fixed(System::Julian))
    };
    if relative_to_year {
        return julian;
    }
    if gregorian >= CUTOVER_FIXED_DATE {
        gregorian
    } else {
        // Julian dates, and the "missing" days of October 1582 read the Julian way.
        julian
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_instants_like_gregorian_calendar() {
        // 2023-11-14T22:13:20.123Z, a Tuesday in week 46 of 2023.
        let f = fields_from_millis(1_700_000_000_123);
        assert_eq!((f.year_of_era, f.month0, f.day_of_month), (2023, 10, 14));
        assert_eq!(
            (f.hour_of_day, f.minute, f.second, f.millisecond),
            (22, 13, 20, 123)
        );
        assert_eq!((f.day_of_week, f.week_of_year, f.day_of_year), (3, 46, 318));
        assert_eq!((f.week_of_month, f.day_of_week_in_month), (3, 2));
        let f = fields_from_millis(-1);
        assert_eq!((f.year_of_era, f.month0, f.day_of_month), (1969, 11, 31));
        assert_eq!(f.millisecond, 999);
    }

    #[test]
    fn week_years_follow_us_rules() {
        // 2022-12-31 (Saturday) is in week 53; 2023-12-31 (Sunday) is week 1 of 2024.
        let f = fields_from_millis(days_from_civil(2022, 12, 31) * MILLIS_PER_DAY);
        assert_eq!((f.week_of_year, f.week_year), (53, 2022));
        let f = fields_from_millis(days_from_civil(2023, 12, 31) * MILLIS_PER_DAY);
        assert_eq!((f.week_of_year, f.week_year), (1, 2024));
    }

    #[test]
    fn dates_before_the_cutover_are_julian() {
        // The day before 1582-10-15 (Gregorian) is 1582-10-04 (Julian).
        let millis = (CUTOVER_FIXED_DATE - 1 - EPOCH_FIXED_DATE) * MILLIS_PER_DAY;
        let f = fields_from_millis(millis);
        assert_eq!((f.year_of_era, f.month0, f.day_of_month), (1582, 9, 4));
        // Year 1 BC exists; there is no year 0.
        let bc = first_of_month(System::Julian, 0, 6) - EPOCH_FIXED_DATE;
        let f = fields_from_millis(bc * MILLIS_PER_DAY);
        assert_eq!(
            (f.era, f.year_of_era, f.month0, f.day_of_month),
            (0, 1, 5, 1)
        );
    }

    #[test]
    fn julian_round_trips() {
        for fixed in [-800_000, -1, 0, 1, 400_000, CUTOVER_FIXED_DATE - 1] {
            let (y, m, d) = julian_date(fixed);
            assert_eq!(first_of_month(System::Julian, y, m) + d - 1, fixed);
        }
    }
}
