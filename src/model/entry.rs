//! One entry of the live page (a timed post or a summary) and its parts: bylines, media,
//! flags, status.

use super::EntryId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One entry of the live page: a timed post or a summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: EntryId,
    pub kind: EntryKind,
    /// What readers see; the editor may change it.
    pub display_time: DateTime<Utc>,
    /// Kept automatically.
    pub created: DateTime<Utc>,
    /// Kept automatically: every edit command updates it.
    pub modified: DateTime<Utc>,
    pub status: EntryStatus,
    pub flags: Flags,
    /// Empty means no headline.
    pub headline: String,
    pub bylines: Vec<Byline>,
    /// Markdown: paragraphs, emphasis, links, lists, block quotes and
    /// "For context:" notes (a block quote or paragraph starting with that phrase).
    pub body: String,
    pub media: Option<Media>,
    /// Empty means no correction.
    pub correction: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum EntryKind {
    #[default]
    Post,
    Summary,
}

/// Where an entry stands on its way to readers. Only `Published`, and `Scheduled` once its
/// time has come, are in print (`in_print_at`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum EntryStatus {
    #[default]
    Draft,
    /// A reporter handed the post over: it waits for the editor, still not in print.
    Ready,
    /// Publishes itself at `at`: in print from then on, without anyone touching it.
    Scheduled {
        at: DateTime<Utc>,
    },
    Published,
}

impl EntryStatus {
    /// Whether readers see an entry with this status at `now`.
    pub fn in_print_at(self, now: DateTime<Utc>) -> bool {
        match self {
            EntryStatus::Published => true,
            EntryStatus::Scheduled { at } => at <= now,
            EntryStatus::Draft | EntryStatus::Ready => false,
        }
    }

    /// The time a scheduled entry publishes itself.
    pub fn scheduled_for(self) -> Option<DateTime<Utc>> {
        match self {
            EntryStatus::Scheduled { at } => Some(at),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Flags {
    pub key_event: bool,
    pub breaking: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Byline {
    pub name: String,
    /// "security and defence editor"; empty when none.
    pub role: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Media {
    /// A picture: a web address, or a file in the media folder beside the document,
    /// written relative to the document's folder (`NAME.media/3f9a….jpg`), so the blog's
    /// folder can be moved. Which form is which is the export's URL policy
    /// (`export::url::local_media_path`).
    Image {
        url: String,
        alt: String,
        caption: String,
    },
    Video {
        url: String,
        /// Used as the player's accessible title and shown under it.
        caption: String,
    },
    /// A post on a social network, shown as a static card (no script, no frame): its
    /// fields were fetched once when it was added (oEmbed) or typed by the editor.
    Embed(EmbedCard),
}

/// A social post as the page shows it: plain text only, never the service's HTML.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct EmbedCard {
    /// The post's own address, linked from the card.
    pub url: String,
    /// The service's name as readers know it: "X", "Bluesky", "Mastodon".
    pub provider: String,
    /// "Name (@handle)" or however the service names the author.
    pub author: String,
    /// The post's text or caption.
    pub text: String,
    /// When it was posted, as the service wrote it ("18 February 2025").
    pub date: String,
}

impl Media {
    pub fn url(&self) -> &str {
        match self {
            Media::Image { url, .. } | Media::Video { url, .. } => url,
            Media::Embed(card) => &card.url,
        }
    }

    /// The caption; an embed's text stands in for it.
    pub fn caption(&self) -> &str {
        match self {
            Media::Image { caption, .. } | Media::Video { caption, .. } => caption,
            Media::Embed(card) => &card.text,
        }
    }
}

impl Entry {
    /// A new empty draft post at `now`.
    pub fn new_post(id: EntryId, now: DateTime<Utc>) -> Self {
        Self {
            id,
            kind: EntryKind::Post,
            display_time: now,
            created: now,
            modified: now,
            status: EntryStatus::Draft,
            flags: Flags::default(),
            headline: String::new(),
            bylines: Vec::new(),
            body: String::new(),
            media: None,
            correction: String::new(),
        }
    }

    pub fn new_summary(id: EntryId, now: DateTime<Utc>) -> Self {
        Self {
            kind: EntryKind::Summary,
            ..Self::new_post(id, now)
        }
    }

    pub fn headline(&self) -> Option<&str> {
        let headline = self.headline.trim();
        (!headline.is_empty()).then_some(headline)
    }

    pub fn correction(&self) -> Option<&str> {
        let correction = self.correction.trim();
        (!correction.is_empty()).then_some(correction)
    }

    /// Published by hand (a scheduled entry whose time has come is in print too: see
    /// `is_in_print`).
    pub fn is_published(&self) -> bool {
        self.status == EntryStatus::Published
    }

    /// Not in print and not going there by itself: a draft, or one handed to the editor.
    pub fn is_draft(&self) -> bool {
        matches!(self.status, EntryStatus::Draft | EntryStatus::Ready)
    }

    pub fn is_ready(&self) -> bool {
        self.status == EntryStatus::Ready
    }

    /// Whether readers see this entry at `now`.
    pub fn is_in_print(&self, now: DateTime<Utc>) -> bool {
        self.status.in_print_at(now)
    }

    /// Published, or scheduled: in print now or later without anyone touching it, so held
    /// to the standards of a published entry.
    pub fn goes_to_print(&self) -> bool {
        matches!(
            self.status,
            EntryStatus::Published | EntryStatus::Scheduled { .. }
        )
    }

    /// The headline, or else the first words of the body, for lists and titles.
    pub fn title_line(&self, max_chars: usize) -> String {
        if let Some(headline) = self.headline() {
            return truncate_words(headline, max_chars);
        }
        let first_line = self
            .body
            .lines()
            .map(|line| line.trim_start_matches(['>', '#', '-', '*', ' ']).trim())
            .find(|line| !line.is_empty())
            .unwrap_or("");
        truncate_words(&strip_inline_markup(first_line), max_chars)
    }

    /// Names joined for display: "Deborah Haynes, security and defence editor".
    pub fn byline_text(&self) -> String {
        self.bylines
            .iter()
            .map(|byline| {
                if byline.role.trim().is_empty() {
                    byline.name.clone()
                } else {
                    format!("{}, {}", byline.name, byline.role)
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

fn strip_inline_markup(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '*' | '_' | '`' | '[' | ']'))
        .collect()
}

fn truncate_words(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > max_chars / 2 => cut[..space].to_owned(),
        _ => cut,
    };
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn in_print_at_a_time() {
        let at = Utc.with_ymd_and_hms(2025, 2, 18, 14, 30, 0).unwrap();
        let before = at - chrono::Duration::seconds(1);
        let scheduled = EntryStatus::Scheduled { at };
        assert!(!scheduled.in_print_at(before));
        assert!(scheduled.in_print_at(at), "in print from its very time");
        assert!(scheduled.in_print_at(at + chrono::Duration::days(400)));
        assert!(EntryStatus::Published.in_print_at(before));
        assert!(!EntryStatus::Draft.in_print_at(at));
        assert!(!EntryStatus::Ready.in_print_at(at));

        let mut entry = Entry::new_post(EntryId::new("a").unwrap(), before);
        entry.status = EntryStatus::Ready;
        assert!(entry.is_draft() && entry.is_ready() && !entry.goes_to_print());
        entry.status = scheduled;
        assert!(!entry.is_draft() && !entry.is_published() && entry.goes_to_print());
        assert_eq!(entry.status.scheduled_for(), Some(at));
    }

    #[test]
    fn title_line_falls_back_to_first_words_of_body() {
        let now = Utc.with_ymd_and_hms(2025, 2, 18, 9, 0, 0).unwrap();
        let mut entry = Entry::new_post(EntryId::new("a").unwrap(), now);
        entry.body = "> “We’ve told the **US** that deployment is unacceptable,” he added.".into();
        assert_eq!(entry.title_line(20), "“We’ve told the US…");
        entry.headline = "Lavrov speaks".into();
        assert_eq!(entry.title_line(20), "Lavrov speaks");
    }
}
