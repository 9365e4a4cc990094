//! Times as the page shows them: UTC for machines, the blog's zone for readers.

use super::text::zone_label;
use crate::model::ZoneLabel;
use chrono::{DateTime, Datelike, Month, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;
use maud::Render;
use std::fmt::{self, Write as _};

/// Written into the page without escaping: digits, letters, '-', ':' and '.' only.
impl Render for ShortDate {
    fn render_to(&self, buffer: &mut String) {
        let _ = write!(buffer, "{self}");
    }
}

/// A UTC instant for `datetime` attributes and structured data: "2025-02-18T14:47:00Z".
/// Written by hand, twice per post, because chrono's formatter re-reads its pattern
/// every time.
#[derive(Clone, Copy)]
pub(crate) struct Iso(pub DateTime<Utc>);

impl Iso {
    /// The text, for years 0 to 9999 (every year a live blog will see).
    pub(crate) fn ascii(&self) -> Option<[u8; 20]> {
        let t = self.0.naive_utc();
        let year = u32::try_from(t.year()).ok().filter(|year| *year <= 9999)?;
        let mut text = *b"0000-00-00T00:00:00Z";
        let fields = [
            (0, 4, year),
            (5, 2, t.month()),
            (8, 2, t.day()),
            (11, 2, t.hour()),
            (14, 2, t.minute()),
            (17, 2, t.second()),
        ];
        for (at, width, mut value) in fields {
            for digit in text[at..at + width].iter_mut().rev() {
                *digit = b'0' + (value % 10) as u8;
                value /= 10;
            }
        }
        Some(text)
    }
}

impl fmt::Display for Iso {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.ascii() {
            Some(text) => f.write_str(std::str::from_utf8(&text).unwrap_or_default()),
            None => {
                let t = self.0.naive_utc();
                write!(f, "{}", t.format("%Y-%m-%dT%H:%M:%SZ"))
            }
        }
    }
}

/// Written into the page without escaping: digits, '-', ':', 'T' and 'Z' only.
impl Render for Iso {
    fn render_to(&self, buffer: &mut String) {
        match self.ascii() {
            Some(text) => buffer.push_str(std::str::from_utf8(&text).unwrap_or_default()),
            None => {
                let _ = write!(buffer, "{self}");
            }
        }
    }
}

/// "2.30pm", exactly as `model::zone::newsroom_clock` writes it, without chrono's
/// pattern parsing and allocation: the page prints it for every post in every zone.
pub(crate) struct Clock(pub DateTime<Tz>);

impl Clock {
    pub(crate) fn of(zone: &ZoneLabel, time: DateTime<Utc>) -> Self {
        Clock(zone.zone.local(time))
    }

    fn push_to(&self, out: &mut impl fmt::Write) -> fmt::Result {
        let (pm, hour) = self.0.hour12();
        let minute = self.0.minute();
        let digit = |value: u32| char::from(b'0' + (value % 10) as u8);
        if hour >= 10 {
            out.write_char(digit(hour / 10))?;
        }
        out.write_char(digit(hour))?;
        out.write_char('.')?;
        out.write_char(digit(minute / 10))?;
        out.write_char(digit(minute))?;
        out.write_str(if pm { "pm" } else { "am" })
    }
}

impl fmt::Display for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.push_to(f)
    }
}

/// Written into the page without escaping: digits, '.', "am" and "pm" only.
impl Render for Clock {
    fn render_to(&self, buffer: &mut String) {
        let _ = self.push_to(buffer);
    }
}

/// "Tuesday 18 February 2025 14:47, UK", as the page header shows it.
pub(crate) fn last_updated_line(zone: &ZoneLabel, time: DateTime<Utc>) -> String {
    format!(
        "{}, {}",
        zone.zone.local(time).format("%A %-d %B %Y %H:%M"),
        zone_label(zone)
    )
}

/// The day a time falls on in the blog's zone.
pub(crate) fn local_day(zone: &ZoneLabel, time: DateTime<Utc>) -> NaiveDate {
    zone.zone.local(time).date_naive()
}

/// "Mon 17 Feb": shown beside posts from another day than the latest update.
pub(crate) struct ShortDate(pub DateTime<Tz>);

impl fmt::Display for ShortDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let month = Month::try_from(u8::try_from(self.0.month()).unwrap_or(1))
            .map(|month| month.name())
            .unwrap_or_default();
        let month = month.get(..3).unwrap_or(month);
        write!(f, "{} {} {month}", self.0.weekday(), self.0.day())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn header_and_attributes_read_as_the_seed_page() {
        let uk = ZoneLabel::new(chrono_tz::Europe::London, "UK");
        let time = Utc.with_ymd_and_hms(2025, 2, 18, 14, 47, 0).unwrap();
        assert_eq!(Iso(time).to_string(), "2025-02-18T14:47:00Z");
        let early = Utc.with_ymd_and_hms(987, 1, 2, 3, 4, 5).unwrap();
        assert_eq!(Iso(early).to_string(), "0987-01-02T03:04:05Z");
        let far = Utc.with_ymd_and_hms(12025, 1, 2, 3, 4, 5).unwrap();
        assert_eq!(Iso(far).to_string(), "+12025-01-02T03:04:05Z");
        assert_eq!(
            time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "2025-02-18T14:47:00Z"
        );
        assert_eq!(
            last_updated_line(&uk, time),
            "Tuesday 18 February 2025 14:47, UK"
        );
        let summer = Utc.with_ymd_and_hms(2025, 7, 1, 23, 30, 0).unwrap();
        assert_eq!(ShortDate(uk.zone.local(summer)).to_string(), "Wed 2 Jul");
        for month in 1..=12 {
            let local = uk
                .zone
                .local(Utc.with_ymd_and_hms(2025, month, 9, 12, 0, 0).unwrap());
            assert_eq!(
                ShortDate(local).to_string(),
                local.format("%a %-d %b").to_string()
            );
        }
        assert_eq!(local_day(&uk, summer).day(), 2);
    }

    #[test]
    fn times_need_no_escaping() {
        let time = Utc.with_ymd_and_hms(2025, 2, 18, 14, 47, 0).unwrap();
        let uk = ZoneLabel::new(chrono_tz::Europe::London, "UK");
        let local = uk.zone.local(time);
        for text in [
            Iso(time).to_string(),
            Clock(local).to_string(),
            ShortDate(local).to_string(),
        ] {
            assert!(
                text.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b" -:.".contains(&b))
            );
        }
    }

    #[test]
    fn clock_writes_what_newsroom_clock_writes() {
        let zones = [
            ZoneLabel::new(chrono_tz::Europe::London, "UK"),
            ZoneLabel::new(chrono_tz::Asia::Kolkata, "India"),
        ];
        // Every minute of a day that changes the clocks, and midnight and noon.
        let start = Utc.with_ymd_and_hms(2025, 3, 29, 12, 0, 0).unwrap();
        for minute in 0..(36 * 60) {
            let time = start + chrono::Duration::minutes(minute);
            for zone in &zones {
                assert_eq!(Clock::of(zone, time).to_string(), zone.clock(time),);
            }
        }
    }
}
