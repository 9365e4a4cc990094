//! Choosing a time zone from the real ones (chrono-tz's IANA list) by searching: typing
//! "lon" offers Europe/London, "new york" America/New_York, each with its offset now. The
//! zone is what was picked from the list, never the typed words.

use crate::model::Zone;
use chrono::{DateTime, Offset, Utc};
use chrono_tz::{TZ_VARIANTS, Tz};
use egui::{Id, TextEdit, Ui};

/// Suggestions shown at once; more typing narrows them.
const SHOWN: usize = 8;

/// A zone being chosen: the one picked, and the search text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneChoice {
    pub zone: Zone,
    /// The search field's text; the zone's name when nothing is being searched.
    pub query: String,
}

impl ZoneChoice {
    pub fn new(zone: Zone) -> Self {
        Self {
            zone,
            query: zone.name().to_owned(),
        }
    }

    /// Whether the field shows something other than the chosen zone: a search under way.
    pub fn is_searching(&self) -> bool {
        !self.query.trim().eq_ignore_ascii_case(self.zone.name())
    }

    /// The chosen zone; when the field holds a search that was never settled, what to do.
    /// A zone's exact name typed in full counts as choosing it.
    pub fn chosen(&self) -> Result<Zone, String> {
        if !self.is_searching() {
            return Ok(self.zone);
        }
        let typed = self.query.trim();
        TZ_VARIANTS
            .iter()
            .find(|zone| zone.name().eq_ignore_ascii_case(typed))
            .map(|&zone| Zone(zone))
            .ok_or_else(|| {
                format!("no time zone is called “{typed}”: type part of its name and pick one from the list")
            })
    }
}

/// Zones whose name contains every word of `query` (ignoring case; "_" reads as a space),
/// those whose city starts with it first.
pub fn matching_zones(query: &str, limit: usize) -> Vec<Tz> {
    let words: Vec<String> = query
        .split(|c: char| c.is_whitespace() || c == '_' || c == '/')
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<(bool, bool, usize, Tz)> = TZ_VARIANTS
        .iter()
        .filter_map(|&zone| {
            let name = zone.name().to_lowercase().replace('_', " ");
            if !words.iter().all(|word| name.contains(word.as_str())) {
                return None;
            }
            let city = name.rsplit('/').next().unwrap_or(&name);
            let city_first = !city.starts_with(words[0].as_str());
            // Region names ("Europe/…") before the old aliases ("GB", "US/Eastern").
            let alias = !zone.name().contains('/') || zone.name().starts_with("Etc/");
            Some((city_first, alias, zone.name().len(), zone))
        })
        .collect();
    found.sort_by(|a, b| (a.0, a.1, a.2, a.3.name()).cmp(&(b.0, b.1, b.2, b.3.name())));
    found
        .into_iter()
        .take(limit)
        .map(|(.., zone)| zone)
        .collect()
}

/// "UTC+01:00": the zone's offset at `now`.
pub fn offset_text(zone: Tz, now: DateTime<Utc>) -> String {
    let offset = now.with_timezone(&zone).offset().fix();
    let seconds = offset.local_minus_utc();
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The search field (named by `label`) with the matching zones under it while searching,
/// and the chosen zone's offset otherwise.
pub fn zone_picker_ui(
    ui: &mut Ui,
    choice: &mut ZoneChoice,
    id: Id,
    label: Id,
    width: f32,
    now: DateTime<Utc>,
) {
    ui.vertical(|ui| {
        ui.add(
            TextEdit::singleline(&mut choice.query)
                .id(id)
                .hint_text("Type to search: lon, new york, riyadh")
                .desired_width(width),
        )
        .labelled_by(label);
        if !choice.is_searching() {
            ui.weak(format!("Now {}", offset_text(choice.zone.0, now)));
            return;
        }
        let found = matching_zones(&choice.query, SHOWN);
        if found.is_empty() && !choice.query.trim().is_empty() {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("No time zone matches “{}”", choice.query.trim()),
            );
        }
        for zone in found {
            let text = format!("{}  ·  {}", zone.name(), offset_text(zone, now));
            if ui.selectable_label(false, text).clicked() {
                *choice = ZoneChoice::new(Zone(zone));
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_few_letters_find_the_city() {
        assert_eq!(matching_zones("lon", 3)[0], chrono_tz::Europe::London);
        assert_eq!(
            matching_zones("new york", 3)[0],
            chrono_tz::America::New_York
        );
        assert_eq!(matching_zones("RIYADH", 3)[0], chrono_tz::Asia::Riyadh);
        assert!(matching_zones("atlantis", 3).is_empty());
        assert!(matching_zones("  ", 3).is_empty());
    }

    #[test]
    fn offsets_follow_the_season() {
        let winter = Utc.with_ymd_and_hms(2025, 2, 18, 12, 0, 0).unwrap();
        let summer = Utc.with_ymd_and_hms(2025, 7, 1, 12, 0, 0).unwrap();
        assert_eq!(offset_text(chrono_tz::Europe::London, winter), "UTC+00:00");
        assert_eq!(offset_text(chrono_tz::Europe::London, summer), "UTC+01:00");
        assert_eq!(offset_text(chrono_tz::Asia::Kolkata, winter), "UTC+05:30");
        assert_eq!(
            offset_text(chrono_tz::America::New_York, winter),
            "UTC-05:00"
        );
    }

    #[test]
    fn only_a_real_zone_is_chosen() {
        let mut choice = ZoneChoice::new(Zone(chrono_tz::Europe::London));
        assert_eq!(choice.chosen(), Ok(Zone(chrono_tz::Europe::London)));
        choice.query = "asia/riyadh".into();
        assert_eq!(choice.chosen(), Ok(Zone(chrono_tz::Asia::Riyadh)));
        choice.query = "Europe/Atlantis".into();
        assert!(
            choice
                .chosen()
                .unwrap_err()
                .contains("pick one from the list")
        );
    }
}
