//! Editor → CRDT: each edit applied to the plain document becomes Loro operations.
//!
//! Indices in an `Edit` are positions in the editor's lists, which have no tombstones; the
//! mirror converts them to raw list positions. After writing, the commit's own events are
//! absorbed into the mirror (without edits: the editor has the change already), so the same
//! code keeps the bookkeeping for local and remote changes.

use super::SyncError;
use super::mirror::{Slot, raw_pins};
use super::schema::{self, key};
use super::shared_blog::{SharedBlog, normalised};
use crate::edit::{Edit, EntryField};
use crate::model::{Entry, EntryId};
use loro::LoroMap;

impl SharedBlog {
    /// Records `edit`, exactly as it was just applied to the editor's document, in the shared
    /// document, and commits it (one undo step; typing within a second merges).
    ///
    /// An error means the edit did not fit the shared document (it was applied to another
    /// document); the editor should then reload from `to_blog()`.
    pub fn record_local(&mut self, edit: &Edit) -> Result<(), SyncError> {
        let grouped = matches!(edit, Edit::Batch(_) | Edit::SetOrder { .. });
        if grouped {
            // A batch commits after each part so that the next part sees its positions; the
            // group keeps it one undo step.
            let _ = self.undo.group_start();
        }
        let result = self.write(edit);
        self.doc.commit();
        let absorbed = self.absorb(false);
        if grouped {
            self.undo.group_end();
        }
        result.and(absorbed.map(drop))
    }

    fn write(&mut self, edit: &Edit) -> Result<(), SyncError> {
        match edit {
            Edit::InsertEntry {
                index,
                entry,
                pinned_at,
            } => self.insert_entry(*index, entry, *pinned_at),
            Edit::RemoveEntry { id } => {
                let slot = self.slot_of(id)?;
                self.mirror.arena[slot as usize]
                    .map
                    .insert(key::DELETED, true)?;
                self.remove_pins(id)
            }
            Edit::SetField {
                id,
                field,
                modified,
            } => {
                let slot = self.slot_of(id)?;
                let map = self.mirror.arena[slot as usize].map.clone();
                write_field(&map, field)?;
                map.insert(
                    key::MODIFIED,
                    schema::time_value(schema::round_to_millis(*modified)),
                )?;
                Ok(())
            }
            Edit::MoveEntry { id, index } => {
                let slot = self.slot_of(id)?;
                self.move_slot(slot, *index)
            }
            Edit::SetOrder { order } => {
                // Each entry in turn to its place: the prefix already in order stays put, so
                // a nearly sorted timeline costs few moves.
                for (index, id) in order.iter().enumerate() {
                    let slot = self.slot_of(id)?;
                    let current = self.mirror.visible_order();
                    if current.get(index) != Some(&slot) {
                        self.move_slot(slot, index)?;
                        self.doc.commit();
                        self.absorb(false)?;
                    }
                }
                Ok(())
            }
            Edit::Pin { id, index } => {
                self.slot_of(id)?;
                self.remove_pins(id)?;
                let at = self.raw_pin_position(*index, None);
                self.pinned.insert(at, id.as_str())?;
                Ok(())
            }
            Edit::Unpin { id } => self.remove_pins(id),
            Edit::MovePinned { id, index } => self.move_pin(id, *index),
            Edit::SetSettings(settings) => {
                schema::write_settings(&self.settings, &schema::normalised_settings(settings))?;
                Ok(())
            }
            Edit::Batch(edits) => {
                for edit in edits {
                    self.write(edit)?;
                    self.doc.commit();
                    self.absorb(false)?;
                }
                Ok(())
            }
        }
    }

    fn slot_of(&self, id: &EntryId) -> Result<Slot, SyncError> {
        self.mirror
            .shown
            .get(id)
            .copied()
            .ok_or_else(|| SyncError::OutOfStep(format!("there is no entry \"{id}\"")))
    }

    /// A new entry, or the return of a deleted one with the same id (undoing a delete in the
    /// editor's own history): reviving keeps its container, so its text history and any
    /// concurrent edits to it carry on.
    fn insert_entry(
        &mut self,
        index: usize,
        entry: &Entry,
        pinned_at: Option<usize>,
    ) -> Result<(), SyncError> {
        if self.mirror.shown.contains_key(&entry.id) {
            return Err(SyncError::OutOfStep(format!(
                "an entry \"{}\" already exists",
                entry.id
            )));
        }
        let entry = normalised(entry);
        match self.tombstone_for(&entry.id) {
            Some((slot, stored_id)) => {
                let map = self.mirror.arena[slot as usize].map.clone();
                // A post shown under a derived id keeps its stored id, so it is shown
                // under the same derived id again.
                let stored = Entry {
                    id: stored_id,
                    ..entry.clone()
                };
                schema::write_entry(&map, &stored)?;
                // Still hidden in the mirror until the commit is absorbed, so the index
                // counts the other entries only, as the editor's did.
                let from = self.raw_index(slot)?;
                let to = self.mirror.raw_insert_position(index, Some(from));
                if from != to {
                    self.entries.mov(from, to)?;
                }
            }
            None if schema::is_reserved(&entry.id) => {
                return Err(SyncError::ReservedId(entry.id.clone()));
            }
            None => {
                let at = self.mirror.raw_insert_position(index, None);
                let map = self.entries.insert_container(at, LoroMap::new())?;
                schema::write_entry(&map, &entry)?;
            }
        }
        // Pins left over from an earlier life of this id would otherwise come back with it.
        self.remove_pins(&entry.id)?;
        if let Some(pinned_at) = pinned_at {
            let at = self.raw_pin_position(pinned_at, None);
            self.pinned.insert(at, entry.id.as_str())?;
        }
        Ok(())
    }

    /// The deleted entry that would be shown as `id` if it were alive, with its stored id.
    fn tombstone_for(&self, id: &EntryId) -> Option<(Slot, EntryId)> {
        if !schema::is_reserved(id) {
            let slot = *self.mirror.claims.get(id)?.first()?;
            return Some((slot, id.clone()));
        }
        // Derived ids are rare: a scan finds the one.
        self.mirror
            .arena
            .iter()
            .enumerate()
            .find_map(|(slot, state)| {
                let raw = state.raw_id.as_ref()?;
                (state.listed > 0 && state.deleted && schema::derived_id(raw, &state.cid) == *id)
                    .then(|| (slot as Slot, raw.clone()))
            })
    }

    fn raw_index(&self, slot: Slot) -> Result<usize, SyncError> {
        self.mirror
            .raw_index_of(slot)
            .ok_or_else(|| SyncError::OutOfStep("an entry is missing from the list".into()))
    }

    fn move_slot(&mut self, slot: Slot, index: usize) -> Result<(), SyncError> {
        let from = self.raw_index(slot)?;
        let to = self.mirror.raw_insert_position(index, Some(from));
        if from != to {
            self.entries.mov(from, to)?;
        }
        Ok(())
    }

    /// Deletes every raw occurrence of `id` in the pinned list (duplicates included).
    fn remove_pins(&mut self, id: &EntryId) -> Result<(), SyncError> {
        let pins = raw_pins(&self.pinned);
        for (raw, pin) in pins.iter().enumerate().rev() {
            if pin.as_ref() == Some(id) {
                self.pinned.delete(raw, 1)?;
            }
        }
        Ok(())
    }

    /// The raw pinned-list position for editor index `index`, in the list without the raw
    /// item `excluding`.
    fn raw_pin_position(&self, index: usize, excluding: Option<usize>) -> usize {
        let pins = self.mirror.effective_pins(&self.pinned);
        let without = |raw: usize| match excluding {
            Some(excluded) if raw > excluded => raw - 1,
            _ => raw,
        };
        let len_without = self.pinned.len() - usize::from(excluding.is_some());
        pins.iter()
            .filter(|(raw, _)| Some(*raw) != excluding)
            .nth(index)
            .map_or(len_without, |(raw, _)| without(*raw))
    }

    /// Moves a pin with Loro's move, so two editors moving the same pin at once leave it once;
    /// duplicates from concurrent pinning are dropped first so the move is what shows.
    fn move_pin(&mut self, id: &EntryId, index: usize) -> Result<(), SyncError> {
        let pins = self.mirror.effective_pins(&self.pinned);
        let Some(&(keep, _)) = pins.iter().find(|(_, pin)| pin == id) else {
            return Err(SyncError::OutOfStep(format!("\"{id}\" is not pinned")));
        };
        for (raw, pin) in raw_pins(&self.pinned).iter().enumerate().rev() {
            if raw != keep && pin.as_ref() == Some(id) {
                self.pinned.delete(raw, 1)?;
            }
        }
        let pins = self.mirror.effective_pins(&self.pinned);
        let Some(&(from, _)) = pins.iter().find(|(_, pin)| pin == id) else {
            return Err(SyncError::OutOfStep(format!("\"{id}\" is not pinned")));
        };
        let to = self.raw_pin_position(index, Some(from));
        if from != to {
            self.pinned.mov(from, to)?;
        }
        Ok(())
    }
}

/// Writes one field. Text is spliced (see `schema::set_text`); everything else is a whole
/// value.
fn write_field(map: &LoroMap, field: &EntryField) -> loro::LoroResult<()> {
    match field {
        EntryField::Headline(text) => schema::set_text(map, key::HEADLINE, text),
        EntryField::Body(text) => schema::set_text(map, key::BODY, text),
        EntryField::Correction(text) => schema::set_text(map, key::CORRECTION, text),
        EntryField::Bylines(bylines) => map.insert(key::BYLINES, schema::bylines_value(bylines)),
        EntryField::Media(media) => map.insert(key::MEDIA, schema::media_value(media)),
        EntryField::Flags(flags) => {
            map.insert(key::KEY_EVENT, flags.key_event)?;
            map.insert(key::BREAKING, flags.breaking)
        }
        EntryField::Status(status) => map.insert(key::STATUS, schema::status_value(*status)),
        EntryField::Kind(kind) => map.insert(key::KIND, schema::kind_value(*kind)),
        EntryField::DisplayTime(time) => map.insert(
            key::DISPLAY_TIME,
            schema::time_value(schema::round_to_millis(*time)),
        ),
    }
}
