//! The open document with its history: the one place that knows what changed.
//!
//! Every change goes through `Session::apply`, `set_field`, `undo`, `redo` or
//! `apply_remote`. Each notes what the edit touched (for the recovery journal), whether
//! the timeline's shape or the entries' statuses may have changed (so caches of 100,000
//! rows are rebuilt only then, not on every keystroke), and keeps the one id-to-position
//! index current.

use super::apply::set_field_at;
use super::{Edit, EditError, EntryField, History, Touched, apply};
use crate::model::{EntryId, LiveBlog};
use chrono::{DateTime, DurationRound, Utc};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Debug)]
pub struct Session {
    /// Shared with background work (a save, an export) without copying; the first edit
    /// while such work holds it copies it (`Arc::make_mut`).
    blog: Arc<LiveBlog>,
    /// Where each entry is, so typing into one entry of 100,000 does not search for it.
    index: EntryIndex,
    history: History,
    saved_serial: u64,
    /// Changes from other editors since the last save (they are not in the history).
    remote_unsaved: bool,
    revisions: Revisions,
    /// What changed since the recovery journal last took it (`take_touched`).
    touched: Touched,
    /// Forward edits as applied, kept only while someone (the sync layer) collects them.
    applied: Option<Vec<Edit>>,
}

/// Counters that caches key on.
#[derive(Clone, Copy, Debug)]
struct Revisions {
    /// Bumped on every change, undo and redo included.
    any: u64,
    /// Bumped when entries may have been added, removed, moved, pinned or unpinned. Drawn
    /// from one counter for all sessions, so a newly opened document never matches a
    /// cache of the last one.
    shape: u64,
    /// Bumped when an entry may have been published or returned to draft.
    status: u64,
    /// Bumped when an entry's time or the blog's zone may have changed.
    clock: u64,
}

fn next_shape_revision() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl Session {
    pub fn new(blog: LiveBlog) -> Self {
        Self {
            blog: Arc::new(blog),
            index: EntryIndex::default(),
            history: History::default(),
            saved_serial: 0,
            remote_unsaved: false,
            revisions: Revisions {
                any: 0,
                shape: next_shape_revision(),
                status: 0,
                clock: 0,
            },
            touched: Touched::default(),
            applied: None,
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

    /// Bumped on every change: a key for caches of anything.
    pub fn revision(&self) -> u64 {
        self.revisions.any
    }

    /// Changes whenever the timeline's shape (order, pinning, entries added or removed)
    /// may have changed, and not on typing.
    pub fn shape_revision(&self) -> u64 {
        self.revisions.shape
    }

    /// Changes whenever an entry's time or the blog's zone may have changed (and not on
    /// typing): the timeline's day separators key on it.
    pub fn clock_revision(&self) -> u64 {
        self.revisions.clock
    }

    /// Changes whenever the number of drafts may have changed (and not on typing).
    pub fn counts_key(&self) -> (u64, u64) {
        (self.revisions.shape, self.revisions.status)
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    /// Identifies the document state as far as this editor's own changes go.
    pub fn state_serial(&self) -> u64 {
        self.history.state_serial()
    }

    /// Position of `id` in the timeline, without scanning it.
    pub fn position(&mut self, id: &EntryId) -> Option<usize> {
        self.index.locate(&self.blog, self.revisions.shape, id)
    }

    /// Applies an edit as its own undo step.
    pub fn apply(&mut self, label: &str, edit: Edit, at_seconds: f64) -> Result<(), EditError> {
        let inverse = self.apply_edit(edit)?;
        self.history.record(label, inverse, None, at_seconds);
        Ok(())
    }

    /// Sets one entry field; text typed in bursts merges into one undo step.
    pub fn set_field(
        &mut self,
        id: &EntryId,
        field: EntryField,
        modified: DateTime<Utc>,
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
        self.history.record(label, inverse, merge_key, at_seconds);
        Ok(())
    }

    /// Applies a change another editor made: it is part of the document, but not of this
    /// editor's undo history (Ctrl+Z undoes only one's own changes).
    pub fn apply_remote(&mut self, edit: Edit) -> Result<(), EditError> {
        let was_collecting = self.applied.take();
        let result = self.apply_edit(edit);
        self.applied = was_collecting;
        result?;
        self.remote_unsaved = true;
        Ok(())
    }

    /// Undoes the last step; returns its label.
    pub fn undo(&mut self) -> Option<String> {
        let step = self.history.take_undo()?;
        let label = step.label.clone();
        let serial = step.serial();
        match self.apply_edit(step.inverse) {
            Ok(redo) => {
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
        self.remote_unsaved || self.history.state_serial() != self.saved_serial
    }

    /// Records that the current state is what is on disk.
    pub fn mark_saved(&mut self) {
        self.saved_serial = self.history.state_serial();
        self.remote_unsaved = false;
        self.history.seal();
    }

    /// Replaces the document wholesale (Open, Reload); history starts afresh.
    pub fn replace_document(&mut self, blog: LiveBlog) {
        let collecting = self.applied.is_some();
        *self = Session::new(blog);
        self.touched.everything = true;
        if collecting {
            self.applied = Some(Vec::new());
        }
    }

    /// The same document as a shared blog holds it (times rounded to milliseconds, ids it
    /// may have told apart): it replaces this one wholesale, the history starts afresh, and
    /// the unsaved state and the collecting of applied edits carry over.
    pub fn adopt_shared(&mut self, blog: LiveBlog) {
        let unsaved = self.is_dirty();
        let collecting = self.applied.is_some();
        *self = if unsaved {
            Session::new_unsaved(blog)
        } else {
            Session::new(blog)
        };
        self.touched.everything = true;
        if collecting {
            self.applied = Some(Vec::new());
        }
    }

    /// What changed since the last call: the recovery journal writes just that.
    pub fn take_touched(&mut self) -> Touched {
        std::mem::take(&mut self.touched)
    }

    /// Whether anything changed since `take_touched` was last called.
    pub fn has_touched(&self) -> bool {
        !self.touched.is_empty()
    }

    /// From now on, keep every forward edit this editor applies (its own changes, undo and
    /// redo included; not remote ones) for `take_applied`: what a shared blog sends.
    pub fn collect_applied(&mut self) {
        self.applied.get_or_insert_with(Vec::new);
    }

    /// Stops keeping applied edits (and drops any kept).
    pub fn stop_collecting_applied(&mut self) {
        self.applied = None;
    }

    /// The edits applied since the last call, in order.
    pub fn take_applied(&mut self) -> Vec<Edit> {
        self.applied
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// Applies `edit` and returns its inverse, noting what it changed. Field edits find
    /// their entry through the index.
    fn apply_edit(&mut self, edit: Edit) -> Result<Edit, EditError> {
        // Whole milliseconds: what a shared blog stores, so every replica holds the same time.
        let edit = match edit {
            Edit::SetField {
                id,
                field,
                modified,
            } => Edit::SetField {
                id,
                field,
                modified: modified
                    .duration_trunc(chrono::TimeDelta::milliseconds(1))
                    .unwrap_or(modified),
            },
            other => other,
        };
        let forward = self.applied.is_some().then(|| edit.clone());
        let blog = Arc::make_mut(&mut self.blog);
        let inverse = match edit {
            Edit::SetField {
                id,
                field,
                modified,
            } => {
                let position = self
                    .index
                    .locate(blog, self.revisions.shape, &id)
                    .ok_or(EditError::NoSuchEntry(id))?;
                set_field_at(blog, position, field, modified)
            }
            other => apply(blog, other)?,
        };
        let effect = inverse.effect();
        self.revisions.any += 1;
        if effect.shape {
            self.revisions.shape = next_shape_revision();
        }
        if effect.status {
            self.revisions.status += 1;
        }
        if moves_a_clock(&inverse) {
            self.revisions.clock += 1;
        }
        self.touched.note(&inverse);
        if let (Some(applied), Some(forward)) = (self.applied.as_mut(), forward) {
            applied.push(forward);
        }
        Ok(inverse)
    }
}

/// Whether `edit` may change an entry's time or the zone times are shown in.
fn moves_a_clock(edit: &Edit) -> bool {
    match edit {
        Edit::SetField { field, .. } => matches!(field, EntryField::DisplayTime(_)),
        Edit::SetSettings(_) => true,
        Edit::Batch(edits) => edits.iter().any(moves_a_clock),
        _ => false,
    }
}

/// Entry positions by id, rebuilt on the first look-up after the shape changed.
#[derive(Debug, Default)]
struct EntryIndex {
    built_for: Option<u64>,
    positions: HashMap<EntryId, usize>,
}

impl EntryIndex {
    fn locate(&mut self, blog: &LiveBlog, shape_revision: u64, id: &EntryId) -> Option<usize> {
        if self.built_for != Some(shape_revision) {
            self.positions = blog
                .entries
                .iter()
                .enumerate()
                .map(|(position, entry)| (entry.id.clone(), position))
                .collect();
            self.built_for = Some(shape_revision);
        }
        let position = *self.positions.get(id)?;
        // Guard against a stale index: it must name the same entry.
        (blog.entries.get(position).map(|e| &e.id) == Some(id)).then_some(position)
    }
}
