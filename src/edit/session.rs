use super::apply::set_field_at;
use super::{Edit, EditError, EntryField, History, Touched, apply};
use crate::model::{EntryId, LiveBlog};
use std::collections::HashMap;
use std::sync::Arc;

/// The open document with its history. The only way to change the document is
/// `Session::apply` (and undo/redo), so every change can be undone.
#[derive(Debug)]
pub struct Session {
    /// Shared with background work (a save, an export) without copying; the first edit
    /// while such work holds it copies it (`Arc::make_mut`).
    blog: Arc<LiveBlog>,
    /// Where each entry is, so typing into one entry of 100,000 does not search for it.
    index: EntryIndex,
    history: History,
    saved_serial: u64,
    /// Bumped on every change, undo and redo included: a key for caches.
    revision: u64,
    /// What changed since the recovery journal last took it (`take_touched`).
    touched: Touched,
}

impl Session {
    pub fn new(blog: LiveBlog) -> Self {
        Self {
            blog: Arc::new(blog),
            index: EntryIndex::default(),
            history: History::default(),
            saved_serial: 0,
            revision: 0,
            touched: Touched::default(),
        }
    }

    /// A document that differs from anything on disk (restored after a crash): it counts
    /// as unsaved until it is saved.
    pub fn new_unsaved(blog: LiveBlog) -> Self {
        Self {
            saved_serial: u64::MAX,
            ..Self::new(blog)
        }
    }

    pub fn blog(&self) -> &LiveBlog {
        &self.blog
    }

    /// The document as it is now, for background work; costs nothing.
    pub fn snapshot(&self) -> Arc<LiveBlog> {
        Arc::clone(&self.blog)
    }

    /// Applies `edit` to the document and returns its inverse; field edits find their
    /// entry through the index.
    fn apply_edit(&mut self, edit: Edit) -> Result<Edit, EditError> {
        let blog = Arc::make_mut(&mut self.blog);
        match edit {
            Edit::SetField {
                id,
                field,
                modified,
            } => {
                let position = self
                    .index
                    .locate(blog, &id)
                    .ok_or(EditError::NoSuchEntry(id))?;
                Ok(set_field_at(blog, position, field, modified))
            }
            other => apply(blog, other),
        }
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    /// Applies an edit as its own undo step.
    pub fn apply(&mut self, label: &str, edit: Edit, at_seconds: f64) -> Result<(), EditError> {
        let inverse = self.apply_edit(edit)?;
        self.revision += 1;
        self.touched.note(&inverse);
        self.history.record(label, inverse, None, at_seconds);
        Ok(())
    }

    /// Sets one entry field; text typed in bursts merges into one undo step.
    pub fn set_field(
        &mut self,
        id: &EntryId,
        field: EntryField,
        modified: chrono::DateTime<chrono::Utc>,
        at_seconds: f64,
    ) -> Result<(), EditError> {
        let label = field.describe();
        let merge_key = field.is_text().then(|| (id.clone(), field.slot()));
        let edit = Edit::SetField {
            id: id.clone(),
            field,
            modified,
        };
        let inverse = self.apply_edit(edit)?;
        self.revision += 1;
        self.touched.note(&inverse);
        self.history.record(label, inverse, merge_key, at_seconds);
        Ok(())
    }

    /// Undoes the last step; returns its label.
    pub fn undo(&mut self) -> Option<String> {
        let step = self.history.take_undo()?;
        let label = step.label.clone();
        let serial = step.serial();
        match self.apply_edit(step.inverse) {
            Ok(redo) => {
                self.revision += 1;
                self.touched.note(&redo);
                self.history.push_redo(label.clone(), redo, serial);
                Some(label)
            }
            // An inverse always applies to the state it was recorded in; if it did not,
            // the step is dropped rather than leaving the document half changed.
            Err(_) => None,
        }
    }

    /// Redoes the last undone step; returns its label.
    pub fn redo(&mut self) -> Option<String> {
        let step = self.history.take_redo()?;
        let label = step.label.clone();
        let serial = step.serial();
        match self.apply_edit(step.inverse) {
            Ok(undo) => {
                self.revision += 1;
                self.touched.note(&undo);
                self.history
                    .push_undo_keeping_redo(label.clone(), undo, serial);
                Some(label)
            }
            Err(_) => None,
        }
    }

    /// Typing after this starts a new undo step.
    pub fn seal_history(&mut self) {
        self.history.seal();
    }

    pub fn is_dirty(&self) -> bool {
        self.history.state_serial() != self.saved_serial
    }

    /// Records that the current state is what is on disk.
    pub fn mark_saved(&mut self) {
        self.saved_serial = self.history.state_serial();
        self.history.seal();
    }

    /// Replaces the document wholesale (Open, Reload); history starts afresh.
    pub fn replace_document(&mut self, blog: LiveBlog) {
        *self = Session::new(blog);
        self.touched.everything = true;
    }

    /// What changed since the last call: the recovery journal writes just that.
    pub fn take_touched(&mut self) -> Touched {
        std::mem::take(&mut self.touched)
    }

    /// Whether anything changed since `take_touched` was last called.
    pub fn has_touched(&self) -> bool {
        !self.touched.is_empty()
    }
}

/// Entry positions by id, rebuilt when a look-up finds it stale (after entries were
/// added, removed or moved).
#[derive(Debug, Default)]
struct EntryIndex {
    positions: HashMap<EntryId, usize>,
}

impl EntryIndex {
    fn locate(&mut self, blog: &LiveBlog, id: &EntryId) -> Option<usize> {
        let fresh = |positions: &HashMap<EntryId, usize>| {
            positions
                .get(id)
                .copied()
                .filter(|&position| blog.entries.get(position).is_some_and(|e| &e.id == id))
        };
        if let Some(position) = fresh(&self.positions) {
            return Some(position);
        }
        self.positions = blog
            .entries
            .iter()
            .enumerate()
            .map(|(position, entry)| (entry.id.clone(), position))
            .collect();
        fresh(&self.positions)
    }
}
