//! What tells whether an entry may have changed, read without reading its text: the times,
//! status, kind, flags and the lengths of its texts. Every edit sets `modified`, so any
//! change through the edit layer changes the stamp; the lengths catch a change made behind
//! its back. The checker rechecks, and the publisher re-renders, only entries whose stamp
//! moved.

use super::{Entry, EntryKind, EntryStatus, Flags, Media};
use chrono::{DateTime, Utc};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ContentStamp {
    modified: DateTime<Utc>,
    display_time: DateTime<Utc>,
    status: EntryStatus,
    kind: EntryKind,
    flags: Flags,
    /// Headline, body, correction, bylines; the media's kind and the lengths of its texts.
    lengths: [u32; 8],
}

impl Entry {
    pub fn content_stamp(&self) -> ContentStamp {
        // No text in a document (at most 1 GB) reaches u32::MAX; saturating is enough.
        let len = |text: &str| u32::try_from(text.len()).unwrap_or(u32::MAX);
        let media = match &self.media {
            None => [0, 0, 0, 0],
            Some(Media::Image { url, alt, caption }) => [1, len(url), len(alt), len(caption)],
            Some(Media::Video { url, caption }) => [2, len(url), 0, len(caption)],
            Some(Media::Embed(card)) => [
                3,
                len(&card.url),
                len(&card.provider)
                    .saturating_add(len(&card.author))
                    .saturating_add(len(&card.date)),
                len(&card.text),
            ],
        };
        ContentStamp {
            modified: self.modified,
            display_time: self.display_time,
            status: self.status,
            kind: self.kind,
            flags: self.flags,
            lengths: [
                len(&self.headline),
                len(&self.body),
                len(&self.correction),
                u32::try_from(self.bylines.len()).unwrap_or(u32::MAX),
                media[0],
                media[1],
                media[2],
                media[3],
            ],
        }
    }
}
