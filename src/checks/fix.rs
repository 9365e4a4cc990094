//! One-click fixes, expressed as edits so the editor applies them through the edit layer
//! and they can be undone like any other change.

use crate::edit::{BlogSettings, Edit, EntryField};
use crate::model::{EntryId, LiveBlog};
use chrono::{DateTime, Utc};
use std::hash::{DefaultHasher, Hash, Hasher};

/// A safe fix for one problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the button says: "Link “our 9.32am post” to the 9.32am post".
    pub label: String,
    /// The change to apply (`Session::apply`). Prefer `edit_at` for the current time.
    pub edit: Edit,
    /// The state the fix was worked out from: applied to anything else it could
    /// overwrite newer work, so `applies_to` refuses.
    basis: Basis,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Basis {
    /// The entry's body hashed as it was.
    Body { id: EntryId, hash: u64, len: usize },
    /// The entry was at this place in the timeline.
    Position { id: EntryId, index: usize },
    /// The pinned list was exactly this.
    Pinned(Vec<EntryId>),
    /// The blog's settings were exactly these.
    Settings(Box<BlogSettings>),
}

impl Fix {
    /// Replaces the body of `id`, which is `old_body` now, with `new_body`.
    pub(super) fn new_body(
        label: String,
        id: &EntryId,
        old_body: &str,
        new_body: String,
        modified: DateTime<Utc>,
    ) -> Self {
        Fix {
            label,
            edit: Edit::SetField {
                id: id.clone(),
                field: EntryField::Body(new_body),
                modified,
            },
            basis: Basis::Body {
                id: id.clone(),
                hash: text_hash(old_body),
                len: old_body.len(),
            },
        }
    }

    pub(super) fn move_entry(label: String, id: &EntryId, from: usize, to: usize) -> Self {
        Fix {
            label,
            edit: Edit::MoveEntry {
                id: id.clone(),
                index: to,
            },
            basis: Basis::Position {
                id: id.clone(),
                index: from,
            },
        }
    }

    pub(super) fn unpin(label: String, id: &EntryId, pinned: &[EntryId]) -> Self {
        Fix {
            label,
            edit: Edit::Unpin { id: id.clone() },
            basis: Basis::Pinned(pinned.to_vec()),
        }
    }

    pub(super) fn settings(label: String, old: BlogSettings, new: BlogSettings) -> Self {
        Fix {
            label,
            edit: Edit::SetSettings(Box::new(new)),
            basis: Basis::Settings(Box::new(old)),
        }
    }

    /// Whether the document is still as it was when the fix was worked out. Apply a fix
    /// only when this holds; otherwise recheck and use the new fix.
    pub fn applies_to(&self, blog: &LiveBlog) -> bool {
        match &self.basis {
            Basis::Body { id, hash, len } => blog
                .entry(id)
                .is_some_and(|entry| entry.body.len() == *len && text_hash(&entry.body) == *hash),
            Basis::Position { id, index } => blog
                .entries
                .get(*index)
                .is_some_and(|entry| &entry.id == id),
            Basis::Pinned(pinned) => &blog.pinned == pinned,
            Basis::Settings(settings) => blog.settings.clone() == **settings,
        }
    }

    /// The edit with `modified` as the entry's modification time (the moment it is applied).
    pub fn edit_at(&self, modified: DateTime<Utc>) -> Edit {
        match &self.edit {
            Edit::SetField { id, field, .. } => Edit::SetField {
                id: id.clone(),
                field: field.clone(),
                modified,
            },
            other => other.clone(),
        }
    }
}

fn text_hash(text: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}
