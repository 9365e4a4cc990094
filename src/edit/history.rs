//! Undo and redo: each step holds the inverse of what was done, and a burst of typing in
//! one field merges into one step.

use super::Edit;
use crate::model::EntryId;

/// Typing pauses longer than this start a new undo step.
pub const MERGE_PAUSE_SECONDS: f64 = 1.0;

/// Undo steps kept; older ones are dropped.
const STEP_LIMIT: usize = 1000;

/// One undoable step: the edit that reverses it, and what it was called.
#[derive(Clone, Debug)]
pub struct Step {
    pub label: String,
    pub inverse: Edit,
    /// Steps with the same key (entry and field) in a burst merge into one.
    merge_key: Option<(EntryId, u8)>,
    last_change_at: f64,
    /// Unique per document state, so "unsaved" can be told by comparing serials.
    serial: u64,
}

/// Undo and redo stacks. Each step holds the inverse of what was done.
#[derive(Debug, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    next_serial: u64,
    sealed: bool,
}

impl History {
    /// Records a done step. With a `merge_key` equal to the last step's and within the
    /// pause, it joins that step, keeping the oldest inverse so undo goes back before the burst.
    pub fn record(
        &mut self,
        label: &str,
        inverse: Edit,
        merge_key: Option<(EntryId, u8)>,
        at_seconds: f64,
    ) {
        self.redo.clear();
        self.next_serial += 1;
        let serial = self.next_serial;
        if !self.sealed
            && let Some(last) = self.undo.last_mut()
            && merge_key.is_some()
            && last.merge_key == merge_key
            && at_seconds - last.last_change_at <= MERGE_PAUSE_SECONDS
        {
            last.last_change_at = at_seconds;
            last.serial = serial;
            return;
        }
        self.sealed = false;
        self.undo.push(Step {
            label: label.to_owned(),
            inverse,
            merge_key,
            last_change_at: at_seconds,
            serial,
        });
        if self.undo.len() > STEP_LIMIT {
            self.undo.remove(0);
        }
    }

    /// The next change starts a new step, even in the middle of typing (after a save,
    /// or when the editor moves to another field).
    pub fn seal(&mut self) {
        self.sealed = true;
    }

    pub fn take_undo(&mut self) -> Option<Step> {
        self.sealed = true;
        self.undo.pop()
    }

    pub fn take_redo(&mut self) -> Option<Step> {
        self.sealed = true;
        self.redo.pop()
    }

    /// Puts an undone step on the redo stack; `serial` is the state it leads back to.
    pub fn push_redo(&mut self, label: String, inverse: Edit, serial: u64) {
        self.redo.push(Step {
            label,
            inverse,
            merge_key: None,
            last_change_at: f64::NEG_INFINITY,
            serial,
        });
    }

    /// Puts a redone step back on the undo stack without clearing the redo stack.
    pub fn push_undo_keeping_redo(&mut self, label: String, inverse: Edit, serial: u64) {
        self.undo.push(Step {
            label,
            inverse,
            merge_key: None,
            last_change_at: f64::NEG_INFINITY,
            serial,
        });
    }

    /// Identifies the current document state; 0 is the state it was opened in.
    pub fn state_serial(&self) -> u64 {
        self.undo.last().map_or(0, |step| step.serial)
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|step| step.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|step| step.label.as_str())
    }

    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }
}

impl Step {
    pub fn serial(&self) -> u64 {
        self.serial
    }
}
