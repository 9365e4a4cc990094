//! The changes a document can undergo (`Edit`) and the entry fields one can set.

use crate::model::{BlogSettings, Byline, Entry, EntryId, EntryKind, EntryStatus, Flags, Media};
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// One field of an entry, with its new value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryField {
    Headline(String),
    Body(String),
    Bylines(Vec<Byline>),
    Media(Option<Media>),
    Flags(Flags),
    Status(EntryStatus),
    Kind(EntryKind),
    DisplayTime(DateTime<Utc>),
    Correction(String),
}

impl EntryField {
    /// Which field, regardless of value: consecutive edits of the same field merge into
    /// one undo step.
    pub fn slot(&self) -> u8 {
        match self {
            EntryField::Headline(_) => 0,
            EntryField::Body(_) => 1,
            EntryField::Bylines(_) => 2,
            EntryField::Media(_) => 3,
            EntryField::Flags(_) => 4,
            EntryField::Status(_) => 5,
            EntryField::Kind(_) => 6,
            EntryField::DisplayTime(_) => 7,
            EntryField::Correction(_) => 8,
        }
    }

    /// Whether this change is typing, where bursts merge into one step.
    pub fn is_text(&self) -> bool {
        matches!(
            self,
            EntryField::Headline(_)
                | EntryField::Body(_)
                | EntryField::Bylines(_)
                | EntryField::Media(_)
                | EntryField::Correction(_)
        )
    }

    pub fn describe(&self) -> &'static str {
        match self {
            EntryField::Headline(_) => "Edit headline",
            EntryField::Body(_) => "Edit body",
            EntryField::Bylines(_) => "Edit bylines",
            EntryField::Media(_) => "Edit media",
            EntryField::Flags(_) => "Change flags",
            EntryField::Status(EntryStatus::Published) => "Publish",
            EntryField::Status(EntryStatus::Draft) => "Return to draft",
            EntryField::Status(EntryStatus::Ready) => "Hand to the editor",
            EntryField::Status(EntryStatus::Scheduled { .. }) => "Schedule",
            EntryField::Kind(_) => "Change kind",
            EntryField::DisplayTime(_) => "Change time",
            EntryField::Correction(_) => "Edit correction",
        }
    }
}

/// A change to a document. `apply` performs it and returns the edit that undoes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Puts a new entry at `index` in the timeline, and in the pinned list at `pinned_at`.
    InsertEntry {
        index: usize,
        /// Shared: removing an entry and putting it back copies nothing.
        entry: Arc<Entry>,
        pinned_at: Option<usize>,
    },
    /// Removes an entry from the timeline (and the pinned list).
    RemoveEntry {
        id: EntryId,
    },
    /// Sets one field; `modified` becomes the entry's modification time.
    SetField {
        id: EntryId,
        field: EntryField,
        modified: DateTime<Utc>,
    },
    /// Moves an entry to `index` in the timeline.
    MoveEntry {
        id: EntryId,
        index: usize,
    },
    /// Replaces the whole timeline order ("Sort by time"): the same ids, reordered.
    SetOrder {
        order: Vec<EntryId>,
    },
    /// Pins an entry at `index` of the pinned list.
    Pin {
        id: EntryId,
        index: usize,
    },
    Unpin {
        id: EntryId,
    },
    /// Moves a pinned entry within the pinned list.
    MovePinned {
        id: EntryId,
        index: usize,
    },
    SetSettings(Box<BlogSettings>),
    /// Several edits as one step, applied in order.
    Batch(Vec<Edit>),
}
