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
    /// Where and how the page is published; absent from files that never set it.
    #[serde(default, skip_serializing_if = "PublishSettings::is_default")]
    pub publish: PublishSettings,
}

/// Where the blog is published and how. The target is kept as the text the editor typed
/// (a folder path, or `s3://bucket/prefix`), parsed where it is used (`publish::Target`),
/// so that a file stays readable and credentials never enter it: buckets take theirs
/// from the environment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PublishSettings {
    /// A folder path or `s3://bucket/prefix`; empty means not set.
    pub target: String,
    /// The S3-compatible server's address for a bucket target; empty means AWS itself.
    pub endpoint: String,
    /// Posts on the first page, and on each archive page.
    pub page_size: u32,
    /// Republish by itself after changes that affect the page.
    pub auto_publish: bool,
    /// At most one automatic publish per this many seconds.
    pub auto_publish_seconds: u32,
    /// The small script that tells readers of the first page about new posts.
    pub reader_script: bool,
}

impl PublishSettings {
    pub const DEFAULT_PAGE_SIZE: u32 = 50;
    pub const DEFAULT_AUTO_SECONDS: u32 = 10;

    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

impl Default for PublishSettings {
    fn default() -> Self {
        Self {
            target: String::new(),
            endpoint: String::new(),
            page_size: Self::DEFAULT_PAGE_SIZE,
            auto_publish: false,
            auto_publish_seconds: Self::DEFAULT_AUTO_SECONDS,
            reader_script: true,
        }
    }
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
            publish: PublishSettings::default(),
        }
    }
}
