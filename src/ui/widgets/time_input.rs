//! Dates and times as the editor types them, in the blog's zone.

use crate::model::ZoneLabel;
use chrono::{DateTime, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};

/// "2025-02-18" in the blog's zone.
pub fn date_text(time: DateTime<Utc>, zone: &ZoneLabel) -> String {
    zone.zone.local(time).format("%Y-%m-%d").to_string()
}

/// "14:47" in the blog's zone (seconds only when there are some).
pub fn time_text(time: DateTime<Utc>, zone: &ZoneLabel) -> String {
    let local = zone.zone.local(time);
    if local.format("%S").to_string() == "00" {
        local.format("%H:%M").to_string()
    } else {
        local.format("%H:%M:%S").to_string()
    }
}

/// Reads a date: "2025-02-18", "18/02/2025" or "18 Feb 2025".
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    for format in ["%Y-%m-%d", "%d/%m/%Y", "%d %b %Y", "%d %B %Y"] {
        if let Ok(date) = NaiveDate::parse_from_str(text, format) {
            return Ok(date);
        }
    }
    Err(format!(
        "“{text}” is not a date: write it as 2025-02-18 or 18/02/2025"
    ))
}

/// Reads a clock time: "14:47", "14.47", "14:47:30", "2.47pm" or "2:47 pm".
pub fn parse_time(text: &str) -> Result<NaiveTime, String> {
    let cleaned = text.trim().to_ascii_lowercase().replace(' ', "");
    let (clock, pm) = if let Some(rest) = cleaned.strip_suffix("pm") {
        (rest.to_owned(), Some(true))
    } else if let Some(rest) = cleaned.strip_suffix("am") {
        (rest.to_owned(), Some(false))
    } else {
        (cleaned.clone(), None)
    };
    let clock = clock.replace('.', ":");
    let parsed = NaiveTime::parse_from_str(&clock, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(&clock, "%H:%M"))
        .or_else(|_| {
            // "2pm": hours alone, only with am/pm.
            if pm.is_some() {
                NaiveTime::parse_from_str(&format!("{clock}:00"), "%H:%M")
            } else {
                NaiveTime::parse_from_str("invalid", "%H")
            }
        });
    let bad = || {
        format!(
            "“{}” is not a time: write it as 14:47 or 2.47pm",
            text.trim()
        )
    };
    let time = parsed.map_err(|_| bad())?;
    match pm {
        None => Ok(time),
        Some(pm) => {
            use chrono::Timelike;
            let hour = time.hour();
            if hour == 0 || hour > 12 {
                return Err(bad());
            }
            let hour24 = match (pm, hour) {
                (false, 12) => 0,
                (false, h) => h,
                (true, 12) => 12,
                (true, h) => h + 12,
            };
            time.with_hour(hour24).ok_or_else(bad)
        }
    }
}

/// The moment a local date and time in `zone` names. A time skipped by a clock change
/// is refused; a repeated one (clocks going back) means the first.
pub fn parse_local(date: &str, time: &str, zone: &ZoneLabel) -> Result<DateTime<Utc>, String> {
    let date = parse_date(date)?;
    let time = parse_time(time)?;
    let naive = date.and_time(time);
    match zone.zone.0.from_local_datetime(&naive) {
        LocalResult::Single(local) => Ok(local.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        LocalResult::None => Err(format!(
            "{} does not exist in {}: the clocks went forward",
            naive.format("%H:%M on %Y-%m-%d"),
            zone.display_label()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn uk() -> ZoneLabel {
        ZoneLabel::new(chrono_tz::Europe::London, "UK")
    }

    #[test]
    fn local_text_round_trips_through_the_zone() {
        let summer = Utc.with_ymd_and_hms(2025, 7, 1, 13, 5, 0).unwrap();
        assert_eq!(time_text(summer, &uk()), "14:05");
        assert_eq!(date_text(summer, &uk()), "2025-07-01");
        assert_eq!(parse_local("2025-07-01", "14:05", &uk()), Ok(summer));
        assert_eq!(parse_local("01/07/2025", "2.05pm", &uk()), Ok(summer));
    }

    #[test]
    fn newsroom_times_are_understood() {
        let t = |s| parse_time(s).map(|t| t.format("%H:%M").to_string());
        assert_eq!(t("2.47pm"), Ok("14:47".into()));
        assert_eq!(t("12.05am"), Ok("00:05".into()));
        assert_eq!(t("12pm"), Ok("12:00".into()));
        assert_eq!(t(" 9:32 AM "), Ok("09:32".into()));
        assert!(t("13pm").is_err());
        assert!(t("25:00").is_err());
        assert!(t("soon").is_err());
    }

    #[test]
    fn a_skipped_hour_is_refused_in_plain_words() {
        let error = parse_local("2025-03-30", "01:30", &uk()).unwrap_err();
        assert!(error.contains("clocks went forward"), "{error}");
        assert!(parse_date("30 February 2025").is_err());
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn shown_time_reads_back_as_the_same_moment(seconds in 946_684_800i64..4_102_444_800, zone in 0usize..3) {
            let zone = [
                ZoneLabel::new(chrono_tz::Europe::London, "UK"),
                ZoneLabel::new(chrono_tz::Asia::Riyadh, "Saudi Arabia"),
                ZoneLabel::new(chrono_tz::America::New_York, "New York"),
            ][zone].clone();
            let time = Utc.timestamp_opt(seconds, 0).single().expect("in range");
            let local = zone.zone.local(time).naive_local();
            // In the repeated hour when clocks go back, a local time names two moments.
            prop_assume!(matches!(zone.zone.0.from_local_datetime(&local), LocalResult::Single(_)));
            let read = parse_local(&date_text(time, &zone), &time_text(time, &zone), &zone);
            prop_assert_eq!(read, Ok(time));
        }
    }
}
