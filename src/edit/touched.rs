//! What edits change: the classification of an edit (`Edit::effect`) that caches key on,
//! and what a run of edits touched (`Touched`), so the recovery journal writes only that.

use super::{Edit, EntryField};
use crate::model::EntryId;
use std::collections::BTreeSet;

/// The parts of a document changed since the last time this was taken
/// (`Session::take_touched`). A superset is always safe: it only costs a larger write.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Touched {
    /// Entries whose content changed, or that were added or removed.
    pub entries: BTreeSet<EntryId>,
    /// Entries that were added or moved in the timeline (their place must be written).
    pub placed: BTreeSet<EntryId>,
    /// The whole timeline was reordered ("Sort by time").
    pub order: bool,
    /// The pinned list changed.
    pub pinned: bool,
    /// The blog's settings changed.
    pub settings: bool,
    /// The document was replaced wholesale: nothing short of a full copy describes it.
    pub everything: bool,
}

impl Touched {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
            && self.placed.is_empty()
            && !self.order
            && !self.pinned
            && !self.settings
            && !self.everything
    }

    /// Notes what `edit` changes. An edit and its inverse touch the same parts.
    pub fn note(&mut self, edit: &Edit) {
        match edit {
            Edit::InsertEntry {
                entry, pinned_at, ..
            } => {
                self.entries.insert(entry.id.clone());
                self.placed.insert(entry.id.clone());
                self.pinned |= pinned_at.is_some();
            }
            Edit::RemoveEntry { id } => {
                // Marked as placed too, so that an edit and its inverse touch the same parts.
                self.entries.insert(id.clone());
                self.placed.insert(id.clone());
                // Removing a pinned entry also shortens the pinned list.
                self.pinned = true;
            }
            Edit::SetField { id, .. } => {
                self.entries.insert(id.clone());
            }
            Edit::MoveEntry { id, .. } => {
                self.placed.insert(id.clone());
            }
            Edit::SetOrder { .. } => self.order = true,
            Edit::Pin { .. } | Edit::Unpin { .. } | Edit::MovePinned { .. } => self.pinned = true,
            Edit::SetSettings(_) => self.settings = true,
            Edit::Batch(edits) => edits.iter().for_each(|edit| self.note(edit)),
        }
    }

    /// Adds everything `other` touched.
    pub fn merge(&mut self, other: Touched) {
        self.entries.extend(other.entries);
        self.placed.extend(other.placed);
        self.order |= other.order;
        self.pinned |= other.pinned;
        self.settings |= other.settings;
        self.everything |= other.everything;
    }
}

/// What kind of change an edit is, for the caches that key on it. An edit and its
/// inverse have the same effect.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Effect {
    /// Entries may have been added, removed, moved, pinned or unpinned.
    pub shape: bool,
    /// An entry may have been published or returned to draft (or added or removed).
    pub status: bool,
}

impl Edit {
    pub fn effect(&self) -> Effect {
        match self {
            Edit::InsertEntry { .. } | Edit::RemoveEntry { .. } => Effect {
                shape: true,
                status: true,
            },
            Edit::MoveEntry { .. }
            | Edit::SetOrder { .. }
            | Edit::Pin { .. }
            | Edit::Unpin { .. }
            | Edit::MovePinned { .. } => Effect {
                shape: true,
                status: false,
            },
            Edit::SetField { field, .. } => Effect {
                shape: false,
                status: matches!(field, EntryField::Status(_)),
            },
            Edit::SetSettings(_) => Effect::default(),
            Edit::Batch(edits) => edits.iter().fold(Effect::default(), |sum, edit| {
                let effect = edit.effect();
                Effect {
                    shape: sum.shape || effect.shape,
                    status: sum.status || effect.status,
                }
            }),
        }
    }
}
