//! Find and filter (Ctrl+F): which entries the timeline shows.

use crate::model::{Entry, EntryKind, EntryStatus};

/// One status each (besides Any), so the filters split the timeline without overlap.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StatusFilter {
    #[default]
    Any,
    Drafts,
    /// What reporters handed over: what waits for the editor.
    Ready,
    Scheduled,
    Published,
}

impl StatusFilter {
    pub const ALL: [StatusFilter; 5] = [
        StatusFilter::Any,
        StatusFilter::Drafts,
        StatusFilter::Ready,
        StatusFilter::Scheduled,
        StatusFilter::Published,
    ];

    pub fn label(self) -> &'static str {
        match self {
            StatusFilter::Any => "Any status",
            StatusFilter::Drafts => "Drafts",
            StatusFilter::Ready => "Ready for the editor",
            StatusFilter::Scheduled => "Scheduled",
            StatusFilter::Published => "Published",
        }
    }

    pub fn matches(self, status: EntryStatus) -> bool {
        match self {
            StatusFilter::Any => true,
            StatusFilter::Drafts => status == EntryStatus::Draft,
            StatusFilter::Ready => status == EntryStatus::Ready,
            StatusFilter::Scheduled => status.scheduled_for().is_some(),
            StatusFilter::Published => status == EntryStatus::Published,
        }
    }
}

/// What the editor asked to see. Empty fields match everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FindQuery {
    /// Words in the headline, body or correction.
    pub text: String,
    pub byline: String,
    pub status: StatusFilter,
    pub key_events_only: bool,
    pub breaking_only: bool,
    pub summaries_only: bool,
}

impl FindQuery {
    pub fn is_active(&self) -> bool {
        !self.text.trim().is_empty()
            || !self.byline.trim().is_empty()
            || self.status != StatusFilter::Any
            || self.key_events_only
            || self.breaking_only
            || self.summaries_only
    }

    pub fn matches(&self, entry: &Entry) -> bool {
        self.status.matches(entry.status)
            && (!self.key_events_only || entry.flags.key_event)
            && (!self.breaking_only || entry.flags.breaking)
            && (!self.summaries_only || entry.kind == EntryKind::Summary)
            && self.byline_matches(entry)
            && self.text_matches(entry)
    }

    fn byline_matches(&self, entry: &Entry) -> bool {
        let wanted = self.byline.trim();
        wanted.is_empty()
            || entry.bylines.iter().any(|byline| {
                contains_ignore_case(&byline.name, wanted)
                    || contains_ignore_case(&byline.role, wanted)
            })
    }

    fn text_matches(&self, entry: &Entry) -> bool {
        // Every word must appear somewhere, in any order: "lavrov nato".
        self.text.split_whitespace().all(|word| {
            contains_ignore_case(&entry.headline, word)
                || contains_ignore_case(&entry.body, word)
                || contains_ignore_case(&entry.correction, word)
                || contains_ignore_case(entry.id.as_str(), word)
        })
    }

    /// Whether every entry this query matches is also matched by `wider`, so a new
    /// result can be found by narrowing the old one instead of scanning everything.
    pub fn narrows(&self, wider: &FindQuery) -> bool {
        let flag_narrows = |mine: bool, theirs: bool| mine || !theirs;
        let words_narrow = wider.text.split_whitespace().all(|old| {
            self.text
                .split_whitespace()
                .any(|new| contains_ignore_case(new, old))
        });
        (wider.status == StatusFilter::Any || wider.status == self.status)
            && flag_narrows(self.key_events_only, wider.key_events_only)
            && flag_narrows(self.breaking_only, wider.breaking_only)
            && flag_narrows(self.summaries_only, wider.summaries_only)
            && contains_ignore_case(self.byline.trim(), wider.byline.trim())
            && words_narrow
    }
}

/// Case-insensitive substring search without allocating for ASCII needles, the common
/// case, so filtering 100,000 posts stays quick.
pub fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    if needle.is_ascii() {
        let needle = needle.as_bytes();
        let first = needle[0].to_ascii_lowercase();
        let hay = haystack.as_bytes();
        if hay.len() < needle.len() {
            return false;
        }
        return (0..=hay.len() - needle.len()).any(|start| {
            hay[start].to_ascii_lowercase() == first
                && hay[start..start + needle.len()].eq_ignore_ascii_case(needle)
        });
    }
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Byline, EntryId, EntryStatus};
    use chrono::{TimeZone, Utc};

    fn post(body: &str) -> Entry {
        let now = Utc.with_ymd_and_hms(2025, 2, 18, 9, 0, 0).unwrap();
        let mut entry = Entry::new_post(EntryId::new("p").unwrap(), now);
        entry.body = body.into();
        entry
    }

    #[test]
    fn words_match_anywhere_ignoring_case() {
        let entry = post("Sergei LAVROV said NATO troops are “unacceptable”");
        let query = |text: &str| FindQuery {
            text: text.into(),
            ..FindQuery::default()
        };
        assert!(query("lavrov nato").matches(&entry));
        assert!(query("“UNACCEPTABLE”").matches(&entry));
        assert!(!query("lavrov rubio").matches(&entry));
    }

    #[test]
    fn status_flags_and_byline_filter() {
        let mut entry = post("x");
        entry.bylines.push(Byline {
            name: "Deborah Haynes".into(),
            role: "security and defence editor".into(),
        });
        let drafts = FindQuery {
            status: StatusFilter::Drafts,
            ..FindQuery::default()
        };
        assert!(drafts.matches(&entry));
        entry.status = EntryStatus::Published;
        assert!(!drafts.matches(&entry));
        let at = Utc.with_ymd_and_hms(2025, 2, 18, 14, 30, 0).unwrap();
        let filter = |status| FindQuery {
            status,
            ..FindQuery::default()
        };
        for (status, only) in [
            (EntryStatus::Draft, StatusFilter::Drafts),
            (EntryStatus::Ready, StatusFilter::Ready),
            (EntryStatus::Scheduled { at }, StatusFilter::Scheduled),
            (EntryStatus::Published, StatusFilter::Published),
        ] {
            let mut entry = entry.clone();
            entry.status = status;
            for candidate in StatusFilter::ALL {
                let expected = candidate == StatusFilter::Any || candidate == only;
                assert_eq!(
                    filter(candidate).matches(&entry),
                    expected,
                    "{status:?} {candidate:?}"
                );
            }
        }
        let by_haynes = FindQuery {
            byline: "haynes".into(),
            ..FindQuery::default()
        };
        assert!(by_haynes.matches(&entry));
        let key = FindQuery {
            key_events_only: true,
            ..FindQuery::default()
        };
        assert!(!key.matches(&entry));
        entry.flags.key_event = true;
        assert!(key.matches(&entry));
    }

    #[test]
    fn typing_more_narrows_but_deleting_does_not() {
        let short = FindQuery {
            text: "lav".into(),
            ..FindQuery::default()
        };
        let long = FindQuery {
            text: "lavrov".into(),
            ..FindQuery::default()
        };
        assert!(long.narrows(&short));
        assert!(!short.narrows(&long));
        let drafts = FindQuery {
            status: StatusFilter::Drafts,
            ..long.clone()
        };
        assert!(drafts.narrows(&long));
        assert!(!long.narrows(&drafts));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn fast_search_agrees_with_lowercasing(hay in "\\PC{0,60}", needle in "[a-zA-Z “é]{0,4}") {
            let expected = hay.to_lowercase().contains(&needle.to_lowercase());
            prop_assert_eq!(contains_ignore_case(&hay, &needle), expected);
        }
    }
}
