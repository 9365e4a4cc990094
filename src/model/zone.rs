//! Time zones: the blog's own (an IANA zone with the label readers see, "UK") and the
//! extra zones shown beside it.

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// An IANA time zone, stored by name ("Europe/London").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Zone(pub Tz);

impl Zone {
    pub fn parse(name: &str) -> Option<Self> {
        name.parse::<Tz>().ok().map(Zone)
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    pub fn local(&self, time: DateTime<Utc>) -> DateTime<Tz> {
        time.with_timezone(&self.0)
    }
}

impl Default for Zone {
    fn default() -> Self {
        Zone(chrono_tz::Europe::London)
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Zone {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Zone::parse(&name).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "\"{name}\" is not a known IANA time zone (expected a name such as \"Europe/London\")"
            ))
        })
    }
}

/// A zone plus the short label readers see ("UK").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ZoneLabel {
    pub zone: Zone,
    pub label: String,
}

impl ZoneLabel {
    pub fn new(zone: Tz, label: impl Into<String>) -> Self {
        Self {
            zone: Zone(zone),
            label: label.into(),
        }
    }

    /// The label readers see, falling back to the zone name when none is set.
    pub fn display_label(&self) -> &str {
        if self.label.trim().is_empty() {
            self.zone.name()
        } else {
            &self.label
        }
    }

    /// "2.30pm" style clock time, as newsrooms write it.
    pub fn clock(&self, time: DateTime<Utc>) -> String {
        newsroom_clock(&self.zone.local(time))
    }
}

/// An extra zone for "It's 2.30pm in the UK, 5.30pm in Saudi Arabia" lines.
pub type ExtraZone = ZoneLabel;

/// Formats a time as newsroom copy does: "9.32am", "2.30pm", "12pm".
pub fn newsroom_clock<Z: TimeZone>(time: &DateTime<Z>) -> String
where
    Z::Offset: fmt::Display,
{
    let hour12 = time.format("%-I").to_string();
    let minutes = time.format("%M").to_string();
    let suffix = time.format("%P").to_string();
    format!("{hour12}.{minutes}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newsroom_clock_matches_copy_style() {
        let zone = ZoneLabel::new(chrono_tz::Asia::Riyadh, "Saudi Arabia");
        let time = Utc.with_ymd_and_hms(2025, 2, 18, 14, 30, 0).unwrap();
        assert_eq!(zone.clock(time), "5.30pm");
        let uk = ZoneLabel::new(chrono_tz::Europe::London, "UK");
        assert_eq!(uk.clock(time), "2.30pm");
        let morning = Utc.with_ymd_and_hms(2025, 2, 18, 9, 32, 0).unwrap();
        assert_eq!(uk.clock(morning), "9.32am");
    }

    #[test]
    fn unknown_zone_is_refused() {
        assert!(Zone::parse("Europe/Atlantis").is_none());
        assert!(Zone::parse("Asia/Riyadh").is_some());
    }
}
