//! Turning parsed fields into an instant: Java's `CalendarBuilder.establish` followed by a
//! lenient `GregorianCalendar.computeTime` in UTC.
//!
//! Fields remember the order they were parsed in ("stamps"), because when a pattern gives a
//! date twice (say a day of month and a day of year) the calendar uses whichever group of
//! fields was set last.

use super::calendar::{
    System, choose_system, day_of_week_on_or_before, first_of_month, first_week_start,
    millis_from_fixed_date, month_length,
};

/// Calendar field numbers (`java.util.Calendar` constants, plus the builder's week year).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Field {
    Era = 0,
    Year = 1,
    Month = 2,
    WeekOfYear = 3,
    WeekOfMonth = 4,
    DayOfMonth = 5,
    DayOfYear = 6,
    DayOfWeek = 7,
    DayOfWeekInMonth = 8,
    AmPm = 9,
    Hour = 10,
    HourOfDay = 11,
    Minute = 12,
    Second = 13,
    Millisecond = 14,
    ZoneOffset = 15,
    DstOffset = 16,
    WeekYear = 17,
}

const FIELD_COUNT: usize = 18;
/// The stamp of a field nobody set.
const UNSET: u32 = 0;

/// Parsed field values and the order they were set in.
#[derive(Clone, Debug)]
pub(super) struct Builder {
    values: [i64; FIELD_COUNT],
    stamps: [u32; FIELD_COUNT],
    next_stamp: u32,
}

impl Default for Builder {
    fn default() -> Self {
        Self {
            values: [0; FIELD_COUNT],
            stamps: [UNSET; FIELD_COUNT],
            next_stamp: 1,
        }
    }
}

impl Builder {
    /// Records a field value (Java field values are `int`s).
    pub(super) fn set(&mut self, field: Field, value: i32) {
        self.values[field as usize] = i64::from(value);
        self.stamps[field as usize] = self.next_stamp;
        self.next_stamp += 1;
    }

    fn stamp(&self, field: Field) -> u32 {
        self.stamps[field as usize]
    }

    fn is_set(&self, field: Field) -> bool {
        self.stamp(field) != UNSET
    }

    /// The value, 0 when unset (a cleared `Calendar` holds zeros).
    fn get(&self, field: Field) -> i64 {
        self.values[field as usize]
    }

    /// Adds years to the year fields (two-digit years that fell before the century start).
    pub(super) fn add_years(&mut self, years: i64) {
        self.values[Field::Year as usize] += years;
        self.values[Field::WeekYear as usize] += years;
    }

    /// The instant the fields describe, or `None` where Java's calendar refuses them.
    pub(super) fn establish(&self) -> Option<i64> {
        let mut cal = self.clone();
        if cal.is_set(Field::WeekYear) && cal.stamp(Field::WeekYear) > cal.stamp(Field::Year) {
            cal.apply_week_date()?;
        }
        cal.compute_time()
    }

    /// `CalendarBuilder.establish` + `GregorianCalendar.setWeekDate`: a week year, week and
    /// day of week become a year, month and day set after every other field.
    fn apply_week_date(&mut self) -> Option<()> {
        let mut week = if self.is_set(Field::WeekOfYear) {
            self.get(Field::WeekOfYear)
        } else {
            1
        };
        let mut day_of_week = if self.is_set(Field::DayOfWeek) {
            self.get(Field::DayOfWeek)
        } else {
            1
        };
        if !(1..=7).contains(&day_of_week) {
            if day_of_week >= 8 {
                day_of_week -= 1;
                week += day_of_week / 7;
                day_of_week = day_of_week % 7 + 1;
            } else {
                while day_of_week <= 0 {
                    day_of_week += 7;
                    week -= 1;
                }
            }
            // The JDK then reads the normalised value as an ISO day (1 = Monday).
            day_of_week = iso_to_calendar_day_of_week(day_of_week);
        }
        let week_year = self.get(Field::WeekYear);
        let mut start = Builder::default();
        // The week year counts in the era given with it (AD unless a `G` said otherwise).
        if self.is_set(Field::Era) {
            start.set(Field::Era, i32::try_from(self.get(Field::Era)).ok()?);
        }
        start.set(Field::Year, i32::try_from(week_year).ok()?);
        start.set(Field::WeekOfYear, 1);
        start.set(Field::DayOfWeek, 1);
        let first = start.fixed_date(0)?;
        // Java adds the days as an `int`, which wraps for absurd weeks.
        let days =
            (day_of_week as i32 - 1).wrapping_add(7i32.wrapping_mul((week as i32).wrapping_sub(1)));
        let date = first + i64::from(days);
        let (year, month0, day) = fixed_to_date(date);
        self.set(Field::Era, i32::from(year > 0));
        self.set(
            Field::Year,
            i32::try_from(if year > 0 { year } else { 1 - year }).ok()?,
        );
        self.set(Field::Month, i32::try_from(month0).ok()?);
        self.set(Field::DayOfMonth, i32::try_from(day).ok()?);
        Some(())
    }

    fn compute_time(&self) -> Option<i64> {
        let time_of_day = self.time_of_day();
        let fixed_date = self.fixed_date(time_of_day.div_euclid(86_400_000))?;
        let millis = millis_from_fixed_date(fixed_date, time_of_day.rem_euclid(86_400_000));
        let offset = if self.is_set(Field::ZoneOffset) {
            self.get(Field::ZoneOffset) + self.get(Field::DstOffset)
        } else {
            0
        };
        Some(millis.wrapping_sub(offset))
    }

    /// Milliseconds into the day from the time fields (may be negative or exceed a day).
    fn time_of_day(&self) -> i64 {
        let hour_of_day = self.stamp(Field::HourOfDay);
        let hour = aggregate(self.stamp(Field::Hour), self.stamp(Field::AmPm));
        let mut best = hour.max(hour_of_day);
        if best == UNSET {
            best = self.stamp(Field::Hour).max(self.stamp(Field::AmPm));
        }
        let hours = if best != UNSET && best == hour_of_day {
            self.get(Field::HourOfDay)
        } else {
            self.get(Field::Hour) + 12 * self.get(Field::AmPm)
        };
        // Java computes this in `long` from `int` fields: it cannot overflow.
        ((hours * 60 + self.get(Field::Minute)) * 60 + self.get(Field::Second)) * 1000
            + self.get(Field::Millisecond)
    }

    /// The proleptic year (1 BC = 0) of the date fields.
    fn year(&self) -> Option<i64> {
        let year = if self.is_set(Field::Year) {
            self.get(Field::Year)
        } else {
            1970
        };
        match (self.is_set(Field::Era), self.get(Field::Era)) {
            (false, _) | (true, 1) => Some(year),
            (true, 0) => Some(i64::from(1i32.wrapping_sub(year as i32))),
            // Even a lenient GregorianCalendar refuses other eras.
            _ => None,
        }
    }

    /// The fixed date of the date fields plus `extra_days` (carried over from the time of
    /// day), choosing the fields as `Calendar.selectFields` does.
    fn fixed_date(&self, extra_days: i64) -> Option<i64> {
        let year = self.year()?;
        let selection = self.select_date_fields();
        let relative_to_year = matches!(selection, DateFields::DayOfYear | DateFields::WeekOfYear);
        Some(choose_system(year, relative_to_year, |system| {
            extra_days + self.fixed_date_in(system, year, selection)
        }))
    }

    fn select_date_fields(&self) -> DateFields {
        let dow = self.stamp(Field::DayOfWeek);
        let mut dom = self.stamp(Field::DayOfMonth);
        let mut wom = aggregate(self.stamp(Field::WeekOfMonth), dow);
        let mut dowim = aggregate(self.stamp(Field::DayOfWeekInMonth), dow);
        let doy = self.stamp(Field::DayOfYear);
        let mut woy = aggregate(self.stamp(Field::WeekOfYear), dow);
        let mut best = dom.max(wom).max(dowim).max(doy).max(woy);
        if best == UNSET {
            wom = self.stamp(Field::WeekOfMonth);
            dowim = self.stamp(Field::DayOfWeekInMonth).max(dow);
            woy = self.stamp(Field::WeekOfYear);
            best = wom.max(dowim).max(woy);
            if best == UNSET {
                dom = self.stamp(Field::Month);
                best = dom;
            }
        }
        let week_of_year_stamp = self.stamp(Field::WeekOfYear);
        if best == dom
            || (best == wom && self.stamp(Field::WeekOfMonth) >= week_of_year_stamp)
            || (best == dowim && self.stamp(Field::DayOfWeekInMonth) >= week_of_year_stamp)
        {
            if best == dom {
                DateFields::DayOfMonth
            } else if wom == dowim {
                if self.stamp(Field::WeekOfMonth) >= self.stamp(Field::DayOfWeekInMonth) {
                    DateFields::WeekOfMonth
                } else {
                    DateFields::DayOfWeekInMonth
                }
            } else if best == wom {
                DateFields::WeekOfMonth
            } else {
                DateFields::DayOfWeekInMonth
            }
        } else if best == doy {
            DateFields::DayOfYear
        } else {
            DateFields::WeekOfYear
        }
    }

    /// `GregorianCalendar.getFixedDate` in one calendar system.
    fn fixed_date_in(&self, system: System, mut year: i64, selection: DateFields) -> i64 {
        let month_based = !matches!(selection, DateFields::DayOfYear | DateFields::WeekOfYear);
        let mut month0 = 0;
        if month_based {
            month0 = self.get(Field::Month);
            // Java adds in `int` arithmetic, which wraps for absurd lenient months.
            year = i64::from((year as i32).wrapping_add(month0.div_euclid(12) as i32));
            month0 = month0.rem_euclid(12);
        }
        let mut fixed = first_of_month(system, year, month0 + 1);
        let day_of_week = self
            .is_set(Field::DayOfWeek)
            .then(|| self.get(Field::DayOfWeek));
        match selection {
            DateFields::DayOfMonth => {
                if self.is_set(Field::DayOfMonth) {
                    fixed += self.get(Field::DayOfMonth) - 1;
                }
            }
            DateFields::WeekOfMonth => {
                let mut start = first_week_start(fixed);
                if let Some(dow) = day_of_week {
                    start = day_of_week_on_or_before(start + 6, dow);
                }
                fixed = start + int_weeks(self.get(Field::WeekOfMonth) - 1);
            }
            DateFields::DayOfWeekInMonth => {
                let dow = day_of_week.unwrap_or(1);
                let dowim = if self.is_set(Field::DayOfWeekInMonth) {
                    self.get(Field::DayOfWeekInMonth)
                } else {
                    1
                };
                fixed = if dowim >= 0 {
                    day_of_week_on_or_before(fixed + int_weeks(dowim) - 1, dow)
                } else {
                    let last = month_length(month0, year) + int_weeks(dowim + 1);
                    day_of_week_on_or_before(fixed + last - 1, dow)
                };
            }
            DateFields::DayOfYear => fixed += self.get(Field::DayOfYear) - 1,
            DateFields::WeekOfYear => {
                let mut start = first_week_start(fixed);
                if let Some(dow) = day_of_week.filter(|dow| *dow != 1) {
                    start = day_of_week_on_or_before(start + 6, dow);
                }
                fixed = start + 7 * (self.get(Field::WeekOfYear) - 1);
            }
        }
        fixed
    }
}

/// `7 * weeks` computed in Java `int` arithmetic (wrapping), as the JDK does for these.
fn int_weeks(weeks: i64) -> i64 {
    i64::from(7i32.wrapping_mul(weeks as i32))
}

/// Which fields give the day within the year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DateFields {
    DayOfMonth,
    WeekOfMonth,
    DayOfWeekInMonth,
    DayOfYear,
    WeekOfYear,
}

/// `CalendarBuilder.toCalendarDayOfWeek`: ISO 1 = Monday .. 7 = Sunday to Calendar's
/// 1 = Sunday .. 7 = Saturday; other values pass through for lenient resolution.
pub(super) fn iso_to_calendar_day_of_week(iso: i64) -> i64 {
    match iso {
        7 => 1,
        1..=6 => iso + 1,
        other => other,
    }
}

/// `Calendar.aggregateStamp`: a group counts only when both fields are set.
fn aggregate(a: u32, b: u32) -> u32 {
    if a == UNSET || b == UNSET {
        UNSET
    } else {
        a.max(b)
    }
}

/// Proleptic year, 0-based month and day of a fixed date (Julian before the cutover).
fn fixed_to_date(fixed: i64) -> (i64, i64, i64) {
    let f = super::calendar::fields_from_millis(millis_from_fixed_date(fixed, 0));
    let year = if f.era == 1 {
        f.year_of_era
    } else {
        1 - f.year_of_era
    };
    (year, f.month0, f.day_of_month)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(fields: &[(Field, i32)]) -> Option<i64> {
        let mut b = Builder::default();
        for (field, value) in fields {
            b.set(*field, *value);
        }
        b.establish()
    }

    #[test]
    fn empty_fields_are_the_epoch() {
        assert_eq!(at(&[]), Some(0));
    }

    #[test]
    fn lenient_values_carry_over() {
        let jan_2024 = at(&[
            (Field::Year, 2024),
            (Field::Month, 0),
            (Field::DayOfMonth, 1),
        ]);
        assert_eq!(
            at(&[
                (Field::Year, 2023),
                (Field::Month, 12),
                (Field::DayOfMonth, 1)
            ]),
            jan_2024
        );
        let hour_25 = at(&[
            (Field::Year, 2023),
            (Field::Month, 11),
            (Field::DayOfMonth, 31),
            (Field::HourOfDay, 24),
        ]);
        assert_eq!(hour_25, jan_2024);
    }

    #[test]
    fn last_set_group_wins() {
        // Day 60 of 2024 (29 February) was set after the month and day.
        let leap_day = at(&[
            (Field::Year, 2024),
            (Field::Month, 0),
            (Field::DayOfMonth, 5),
            (Field::DayOfYear, 60),
        ]);
        assert_eq!(leap_day, Some(1_709_164_800_000));
        // Week 46 of 2023, Tuesday.
        let tue = at(&[
            (Field::WeekYear, 2023),
            (Field::WeekOfYear, 46),
            (Field::DayOfWeek, 3),
        ]);
        assert_eq!(tue, Some(1_699_920_000_000));
        // A 12-hour clock reading.
        let pm = at(&[(Field::Hour, 10), (Field::AmPm, 1)]);
        assert_eq!(pm, Some(22 * 3_600_000));
    }

    #[test]
    fn zone_offsets_are_subtracted() {
        assert_eq!(
            at(&[
                (Field::HourOfDay, 1),
                (Field::ZoneOffset, 3_600_000),
                (Field::DstOffset, 0)
            ]),
            Some(0)
        );
    }
}
