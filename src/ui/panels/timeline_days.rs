//! Days in the timeline: which calendar day (in the blog's zone) each entry falls on, the
//! blog's main day, and how a day separator reads ("Tuesday 18 February").
//!
//! Computed with the timeline's rows, once per document shape and clock revision, never
//! per frame. Consecutive entries usually share a day, so a zone conversion is done only
//! when an entry falls outside the day of the one before it.

use crate::model::{LiveBlog, Zone};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use std::collections::HashMap;

/// The day of every entry, by position, and the day most entries fall on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntryDays {
    pub days: Vec<NaiveDate>,
    pub main_day: Option<NaiveDate>,
}

impl EntryDays {
    pub fn of(blog: &LiveBlog) -> Self {
        let zone = &blog.settings.time_zone.zone;
        let mut window = DayWindow::default();
        let days: Vec<NaiveDate> = blog
            .entries
            .iter()
            .map(|entry| window.day_of(zone, entry.display_time))
            .collect();
        Self {
            main_day: most_common(&days),
            days,
        }
    }

    pub fn day(&self, entry: usize) -> Option<NaiveDate> {
        self.days.get(entry).copied()
    }
}

/// The last day looked up, as the UTC interval it covers in the zone.
#[derive(Default)]
struct DayWindow {
    known: Option<(DateTime<Utc>, DateTime<Utc>, NaiveDate)>,
}

impl DayWindow {
    fn day_of(&mut self, zone: &Zone, time: DateTime<Utc>) -> NaiveDate {
        if let Some((start, end, day)) = self.known
            && start <= time
            && time < end
        {
            return day;
        }
        let day = zone.local(time).date_naive();
        let start = midnight(zone, day);
        let end = day.succ_opt().and_then(|next| midnight(zone, next));
        self.known = match (start, end) {
            (Some(start), Some(end)) => Some((start, end, day)),
            _ => None,
        };
        day
    }
}

/// When `day` begins in `zone`, in UTC (the first valid instant where midnight is skipped).
fn midnight(zone: &Zone, day: NaiveDate) -> Option<DateTime<Utc>> {
    let start = day.and_hms_opt(0, 0, 0)?;
    // A zone may skip midnight (a clock change at 00:00): the day starts at the next
    // valid instant; look a few hours ahead at most.
    (0..4).find_map(|hour| {
        zone.0
            .from_local_datetime(&(start + chrono::Duration::hours(hour)))
            .earliest()
            .map(|local| local.with_timezone(&Utc))
    })
}

fn most_common(days: &[NaiveDate]) -> Option<NaiveDate> {
    let mut counts: HashMap<NaiveDate, usize> = HashMap::new();
    // Runs of one day are counted at once: entries are mostly in time order.
    let mut run: Option<(NaiveDate, usize)> = None;
    for &day in days {
        match &mut run {
            Some((current, count)) if *current == day => *count += 1,
            _ => {
                if let Some((current, count)) = run {
                    *counts.entry(current).or_default() += count;
                }
                run = Some((day, 1));
            }
        }
    }
    if let Some((current, count)) = run {
        *counts.entry(current).or_default() += count;
    }
    // Ties go to the later day, so the answer does not depend on hash order.
    counts
        .into_iter()
        .max_by_key(|(day, count)| (*count, *day))
        .map(|(day, _)| day)
}

/// "Tuesday 18 February", with the year when it is not the main day's year.
pub fn day_heading(day: NaiveDate, main_day: Option<NaiveDate>) -> String {
    if main_day.is_none_or(|main| main.year() == day.year()) {
        day.format("%A %-d %B").to_string()
    } else {
        day.format("%A %-d %B %Y").to_string()
    }
}

/// "18 Feb" (and the year when it differs from the main day's) for a row whose day is
/// not the blog's main day, shown before its time.
pub fn short_date(day: NaiveDate, main_day: Option<NaiveDate>) -> String {
    if main_day.is_none_or(|main| main.year() == day.year()) {
        day.format("%-d %b").to_string()
    } else {
        day.format("%-d %b %Y").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Entry, EntryId, ZoneLabel};
    use chrono::TimeZone;

    fn blog_at(times: &[DateTime<Utc>], zone: chrono_tz::Tz) -> LiveBlog {
        let mut blog = LiveBlog::new("Days", times[0]);
        blog.settings.time_zone = ZoneLabel::new(zone, "local");
        for (i, &time) in times.iter().enumerate() {
            let id = EntryId::new(format!("p{i}")).unwrap();
            blog.push_entry(Entry::new_post(id, time));
        }
        blog
    }

    #[test]
    fn days_are_those_of_the_blogs_zone_and_the_main_day_is_the_busiest() {
        let utc = |d, h| Utc.with_ymd_and_hms(2025, 2, d, h, 30, 0).unwrap();
        // 23:30 UTC on the 18th is already the 19th in Kyiv (UTC+2).
        let times = [
            utc(19, 9),
            utc(18, 23),
            utc(18, 14),
            utc(18, 9),
            utc(17, 22),
        ];
        let days = EntryDays::of(&blog_at(&times, chrono_tz::Europe::Kyiv));
        let day = |d| NaiveDate::from_ymd_opt(2025, 2, d).unwrap();
        assert_eq!(days.days, vec![day(19), day(19), day(18), day(18), day(18)]);
        assert_eq!(days.main_day, Some(day(18)));
    }

    #[test]
    fn the_day_window_agrees_with_a_conversion_for_every_entry_across_a_clock_change() {
        // London moves its clocks on 30 March 2025; entries every 37 minutes around it.
        let start = Utc.with_ymd_and_hms(2025, 3, 28, 0, 0, 0).unwrap();
        let times: Vec<_> = (0..300)
            .map(|i| start + chrono::Duration::minutes(37 * i))
            .collect();
        let blog = blog_at(&times, chrono_tz::Europe::London);
        let days = EntryDays::of(&blog);
        for (entry, day) in blog.entries.iter().zip(&days.days) {
            let expected = blog.settings.time_zone.zone.local(entry.display_time);
            assert_eq!(*day, expected.date_naive(), "{}", entry.display_time);
        }
    }

    #[test]
    fn headings_name_the_year_only_when_it_differs() {
        let main = NaiveDate::from_ymd_opt(2025, 2, 18);
        let day = NaiveDate::from_ymd_opt(2025, 2, 18).unwrap();
        assert_eq!(day_heading(day, main), "Tuesday 18 February");
        let later = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert_eq!(day_heading(later, main), "Sunday 29 November 2026");
        assert_eq!(short_date(later, main), "29 Nov 2026");
        assert_eq!(short_date(day, main), "18 Feb");
    }
}
