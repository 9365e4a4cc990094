//! The blog's own settings: everything about the page that is not an entry. Held once,
//! here; the editor changes them as one unit (`edit::Edit::SetSettings`).

use super::{ExtraZone, ZoneLabel};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlogSettings {
    pub title: String,
    pub standfirst: String,
    /// The page's file name on the web ("ukraine-war-latest").
    pub slug: String,
    pub canonical_url: Option<String>,
    /// BCP 47 language tag of the page ("en-GB").
    pub language: String,
    pub time_zone: ZoneLabel,
    /// Zones shown beside the blog's own, as in "It's 2.30pm in the UK, 5.30pm in Saudi Arabia".
    pub extra_zones: Vec<ExtraZone>,
    pub coverage_start: DateTime<Utc>,
    pub coverage_end: Option<DateTime<Utc>>,
    pub status: BlogStatus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum BlogStatus {
    #[default]
    Live,
    Ended,
}

impl BlogSettings {
    /// A new live blog's settings: coverage starting `now`, UK time, British English.
    pub fn new(title: impl Into<String>, now: DateTime<Utc>) -> Self {
        Self {
            title: title.into(),
            standfirst: String::new(),
            slug: String::new(),
            canonical_url: None,
            language: "en-GB".into(),
            time_zone: ZoneLabel::new(chrono_tz::Europe::London, "UK"),
            extra_zones: Vec::new(),
            coverage_start: now,
            coverage_end: None,
            status: BlogStatus::Live,
        }
    }
}
