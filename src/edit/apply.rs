//! `apply`: the one place a document changes.

use super::{Edit, EntryField};
use crate::model::{Entry, EntryId, LiveBlog};
use std::collections::HashSet;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("there is no entry \"{0}\"")]
    NoSuchEntry(EntryId),
    #[error("an entry \"{0}\" already exists")]
    DuplicateId(EntryId),
    #[error("\"{0}\" is already pinned")]
    AlreadyPinned(EntryId),
    #[error("\"{0}\" is not pinned")]
    NotPinned(EntryId),
    #[error("the new order does not hold exactly the document's entries")]
    OrderMismatch,
}

/// Applies `edit` to `blog` and returns the edit that undoes it. On error the blog is
/// unchanged (a failing batch rolls back the edits it had already applied).
pub fn apply(blog: &mut LiveBlog, edit: Edit) -> Result<Edit, EditError> {
    match edit {
        Edit::InsertEntry {
            index,
            entry,
            pinned_at,
        } => {
            if blog.position(&entry.id).is_some() {
                return Err(EditError::DuplicateId(entry.id.clone()));
            }
            let id = entry.id.clone();
            blog.entries.insert(index.min(blog.entries.len()), entry);
            if let Some(pinned_index) = pinned_at {
                blog.pinned
                    .insert(pinned_index.min(blog.pinned.len()), id.clone());
            }
            Ok(Edit::RemoveEntry { id })
        }
        Edit::RemoveEntry { id } => {
            let index = blog
                .position(&id)
                .ok_or(EditError::NoSuchEntry(id.clone()))?;
            let pinned_at = blog.pinned.iter().position(|pinned| pinned == &id);
            if let Some(pinned_index) = pinned_at {
                blog.pinned.remove(pinned_index);
            }
            let entry = blog.entries.remove(index);
            Ok(Edit::InsertEntry {
                index,
                entry,
                pinned_at,
            })
        }
        Edit::SetField {
            id,
            field,
            modified,
        } => {
            let position = blog.position(&id).ok_or(EditError::NoSuchEntry(id))?;
            Ok(set_field_at(blog, position, field, modified))
        }
        Edit::MoveEntry { id, index } => {
            let from = blog
                .position(&id)
                .ok_or(EditError::NoSuchEntry(id.clone()))?;
            let entry = blog.entries.remove(from);
            blog.entries.insert(index.min(blog.entries.len()), entry);
            Ok(Edit::MoveEntry { id, index: from })
        }
        Edit::SetOrder { order } => {
            let previous: Vec<EntryId> = blog.entries.iter().map(|e| e.id.clone()).collect();
            reorder(blog, &order)?;
            Ok(Edit::SetOrder { order: previous })
        }
        Edit::Pin { id, index } => {
            if blog.position(&id).is_none() {
                return Err(EditError::NoSuchEntry(id));
            }
            if blog.is_pinned(&id) {
                return Err(EditError::AlreadyPinned(id));
            }
            blog.pinned.insert(index.min(blog.pinned.len()), id.clone());
            Ok(Edit::Unpin { id })
        }
        Edit::Unpin { id } => {
            let index = pinned_index(blog, &id)?;
            blog.pinned.remove(index);
            Ok(Edit::Pin { id, index })
        }
        Edit::MovePinned { id, index } => {
            let from = pinned_index(blog, &id)?;
            let moved = blog.pinned.remove(from);
            blog.pinned.insert(index.min(blog.pinned.len()), moved);
            Ok(Edit::MovePinned { id, index: from })
        }
        Edit::SetSettings(settings) => {
            let previous = std::mem::replace(&mut blog.settings, *settings);
            Ok(Edit::SetSettings(Box::new(previous)))
        }
        Edit::Batch(edits) => {
            let mut inverses = Vec::with_capacity(edits.len());
            for edit in edits {
                match apply(blog, edit) {
                    Ok(inverse) => inverses.push(inverse),
                    Err(error) => {
                        for inverse in inverses.into_iter().rev() {
                            // Inverses of edits that just succeeded cannot fail.
                            let _ = apply(blog, inverse);
                        }
                        return Err(error);
                    }
                }
            }
            inverses.reverse();
            Ok(Edit::Batch(inverses))
        }
    }
}

/// Sets a field of the entry at `position` (which must exist) and returns the inverse.
pub(super) fn set_field_at(
    blog: &mut LiveBlog,
    position: usize,
    field: EntryField,
    modified: chrono::DateTime<chrono::Utc>,
) -> Edit {
    let entry = std::sync::Arc::make_mut(&mut blog.entries[position]);
    let previous_modified = entry.modified;
    let previous = replace_field(entry, field);
    entry.modified = modified;
    Edit::SetField {
        id: entry.id.clone(),
        field: previous,
        modified: previous_modified,
    }
}

fn pinned_index(blog: &LiveBlog, id: &EntryId) -> Result<usize, EditError> {
    blog.pinned
        .iter()
        .position(|pinned| pinned == id)
        .ok_or_else(|| EditError::NotPinned(id.clone()))
}

fn reorder(blog: &mut LiveBlog, order: &[EntryId]) -> Result<(), EditError> {
    if order.len() != blog.entries.len() {
        return Err(EditError::OrderMismatch);
    }
    let mut rank = std::collections::HashMap::with_capacity(order.len());
    for (index, id) in order.iter().enumerate() {
        if rank.insert(id, index).is_some() {
            return Err(EditError::OrderMismatch);
        }
    }
    let known: HashSet<&EntryId> = blog.entries.iter().map(|e| &e.id).collect();
    if !order.iter().all(|id| known.contains(id)) {
        return Err(EditError::OrderMismatch);
    }
    // Through a `Vec` for its stable sort (the persistent vector's is not stable).
    let mut entries: Vec<_> = std::mem::take(&mut blog.entries).into_iter().collect();
    entries.sort_by_key(|entry| rank.get(&entry.id).copied().unwrap_or(usize::MAX));
    blog.entries = entries.into();
    Ok(())
}

/// Writes `field` into `entry` and returns the old value of that field.
fn replace_field(entry: &mut Entry, field: EntryField) -> EntryField {
    use std::mem::replace;
    match field {
        EntryField::Headline(value) => EntryField::Headline(replace(&mut entry.headline, value)),
        EntryField::Body(value) => EntryField::Body(replace(&mut entry.body, value)),
        EntryField::Bylines(value) => EntryField::Bylines(replace(&mut entry.bylines, value)),
        EntryField::Media(value) => EntryField::Media(replace(&mut entry.media, value)),
        EntryField::Flags(value) => EntryField::Flags(replace(&mut entry.flags, value)),
        EntryField::Status(value) => EntryField::Status(replace(&mut entry.status, value)),
        EntryField::Kind(value) => EntryField::Kind(replace(&mut entry.kind, value)),
        EntryField::DisplayTime(value) => {
            EntryField::DisplayTime(replace(&mut entry.display_time, value))
        }
        EntryField::Correction(value) => {
            EntryField::Correction(replace(&mut entry.correction, value))
        }
    }
}
