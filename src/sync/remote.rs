//! CRDT → editor: Loro's change events become `Edit`s that patch the editor's plain document.
//!
//! Every commit and import makes Loro emit per-container diffs (`subscribe_root`). They are
//! captured as plain data (`Captured`) and absorbed here: the entries list's delta moves the
//! mirror's slots (a move is a delete plus an insert of the same container), map and text
//! diffs name the entries and fields touched, and only those are read back. Nothing is rebuilt:
//! a remote keystroke in one of 100,000 entries reads that one field.
//!
//! The edits come in an order that `edit::apply` accepts: removals first, then field changes,
//! then new and moved entries placed one by one right after their predecessor in the new order
//! (so each index is valid at the moment it is applied), then the pinned list, then settings.
//! When more than `MAX_PLACEMENTS` entries move or arrive at once (a remote "sort by time", a
//! long offline session), placing them one by one costs O(n) each, so the new ones are appended
//! and a single `SetOrder` sorts the timeline instead.

use super::SyncError;
use super::mirror::{Mirror, Slot};
use super::schema::{self, key};
use super::shared_blog::SharedBlog;
use crate::edit::{Edit, EntryField};
use crate::model::EntryId;
use loro::event::{Diff, DiffEvent, ListDiffItem};
use loro::{Container, ContainerID, ContainerTrait, Index, LoroMap, ValueOrContainer};
use std::collections::{HashMap, HashSet};

/// Above this many entries placed in one change, the timeline is reordered in one edit.
const MAX_PLACEMENTS: usize = 64;

/// One container's change, owned, as captured from a Loro event.
pub(super) enum Captured {
    List {
        target: ContainerID,
        delta: Vec<ListStep>,
    },
    Map {
        target: ContainerID,
        keys: Vec<String>,
    },
    Text {
        path: Vec<(ContainerID, Option<String>)>,
    },
}

pub(super) enum ListStep {
    Retain(usize),
    Delete(usize),
    /// Inserted items: the entry map, or `None` for an item that is not a map.
    Insert(Vec<Option<LoroMap>>),
}

/// Turns a Loro event into owned data; runs inside Loro's callback, so it only copies.
pub(super) fn capture(event: &DiffEvent<'_>, into: &mut Vec<Captured>) {
    for change in &event.events {
        let captured = match &change.diff {
            Diff::List(items) => Captured::List {
                target: change.target.clone(),
                delta: items
                    .iter()
                    .map(|item| match item {
                        ListDiffItem::Retain { retain } => ListStep::Retain(*retain),
                        ListDiffItem::Delete { delete } => ListStep::Delete(*delete),
                        ListDiffItem::Insert { insert, .. } => ListStep::Insert(
                            insert
                                .iter()
                                .map(|item| match item {
                                    ValueOrContainer::Container(Container::Map(map)) => {
                                        Some(map.clone())
                                    }
                                    _ => None,
                                })
                                .collect(),
                        ),
                    })
                    .collect(),
            },
            Diff::Map(delta) => Captured::Map {
                target: change.target.clone(),
                keys: delta.updated.keys().map(|key| key.to_string()).collect(),
            },
            Diff::Text(_) => Captured::Text {
                path: change
                    .path
                    .iter()
                    .map(|(container, index)| {
                        let key = match index {
                            Index::Key(key) => Some(key.to_string()),
                            _ => None,
                        };
                        (container.clone(), key)
                    })
                    .chain(std::iter::once((change.target.clone(), None)))
                    .collect(),
            },
            _ => continue,
        };
        into.push(captured);
    }
}

/// Which fields of an entry a change touched.
#[derive(Clone, Copy, Default)]
struct Touched(u16);

impl Touched {
    const HEADLINE: u16 = 1;
    const BODY: u16 = 1 << 1;
    const CORRECTION: u16 = 1 << 2;
    const BYLINES: u16 = 1 << 3;
    const MEDIA: u16 = 1 << 4;
    const FLAGS: u16 = 1 << 5;
    const STATUS: u16 = 1 << 6;
    const KIND: u16 = 1 << 7;
    const DISPLAY_TIME: u16 = 1 << 8;
    const MODIFIED: u16 = 1 << 9;
    /// id, tombstone: who is shown as what.
    const IDENTITY: u16 = 1 << 10;
    /// `created` has no edit of its own: the entry is replaced.
    const CREATED: u16 = 1 << 11;

    fn of_key(key: &str) -> u16 {
        match key {
            key::HEADLINE => Self::HEADLINE,
            key::BODY => Self::BODY,
            key::CORRECTION => Self::CORRECTION,
            key::BYLINES => Self::BYLINES,
            key::MEDIA => Self::MEDIA,
            key::KEY_EVENT | key::BREAKING => Self::FLAGS,
            key::STATUS => Self::STATUS,
            key::KIND => Self::KIND,
            key::DISPLAY_TIME => Self::DISPLAY_TIME,
            key::MODIFIED => Self::MODIFIED,
            key::ID | key::DELETED => Self::IDENTITY,
            key::CREATED => Self::CREATED,
            _ => 0,
        }
    }

    fn has(self, bit: u16) -> bool {
        self.0 & bit != 0
    }
}

/// What one absorb found, before it becomes edits.
#[derive(Default)]
struct Findings {
    touched: HashMap<Slot, Touched>,
    /// Containers deleted from / inserted into the entries list: both means moved.
    removed: HashSet<Slot>,
    inserted: HashSet<Slot>,
    structure_changed: bool,
    settings_changed: bool,
}

impl SharedBlog {
    /// Absorbs the captured events into the mirror and, when `emit`, returns the edits that
    /// bring the editor's document along. Local changes are absorbed without edits: the
    /// editor has already applied them.
    pub(super) fn absorb(&mut self, emit: bool) -> Result<Vec<Edit>, SyncError> {
        let captured = self.take_captured();
        if captured.is_empty() {
            return Ok(Vec::new());
        }
        let entries_root = self.entries.id();
        let settings_root = self.settings.id();
        let structural = captured.iter().any(|change| match change {
            Captured::List { target, .. } => *target == entries_root,
            Captured::Map { keys, .. } => keys
                .iter()
                .any(|key| key == key::ID || key == key::DELETED || key == key::CREATED),
            Captured::Text { .. } => false,
        });
        // The editor's order before the change, needed only to place moved and new entries.
        let old_order = (emit && structural).then(|| self.mirror.visible_order());

        let mut found = Findings::default();
        for change in captured {
            match change {
                Captured::List { target, delta } if target == entries_root => {
                    found.structure_changed = true;
                    apply_list_delta(&mut self.mirror, delta, &mut found);
                }
                Captured::List { .. } => {}
                Captured::Map { target, keys } => {
                    if target == settings_root {
                        found.settings_changed = true;
                    } else if let Some(slot) = self.mirror.by_cid.get(&target) {
                        let touched = found.touched.entry(*slot).or_default();
                        for key in keys {
                            touched.0 |= Touched::of_key(&key);
                        }
                    }
                }
                Captured::Text { path } => {
                    if let Some((slot, bit)) = text_owner(&self.mirror, &path) {
                        found.touched.entry(slot).or_default().0 |= bit;
                    }
                }
            }
        }

        // Who is shown as what.
        let mut rechecked: HashSet<Slot> = found.removed.union(&found.inserted).copied().collect();
        rechecked.extend(
            found
                .touched
                .iter()
                .filter(|(_, touched)| touched.has(Touched::IDENTITY))
                .map(|(slot, _)| *slot),
        );
        let mut affected = HashSet::new();
        let mut changes: HashMap<Slot, Option<EntryId>> = HashMap::new();
        for slot in &rechecked {
            self.mirror.reread(*slot, &mut affected);
            self.mirror.hide_unlisted(*slot, &mut changes);
        }
        self.mirror.resolve(affected, &mut changes);

        let new_pinned = self.mirror.read_pinned(&self.pinned);
        let new_settings = if found.settings_changed || self.mirror.settings.is_none() {
            Some(schema::read_settings(&self.settings))
        } else {
            None
        };
        if self.mirror.slots.len() != self.entries.len() {
            // The bookkeeping lost step with Loro; reading everything again restores it, but
            // the editor's document can no longer be patched.
            self.mirror = Mirror::read(&self.entries);
            self.mirror.pinned = new_pinned;
            self.mirror.settings = Some(schema::read_settings(&self.settings));
            return Err(SyncError::OutOfStep(
                "the entry list changed in a way this editor did not follow".into(),
            ));
        }

        let mut edits = Vec::new();
        if emit {
            let removed = self.entry_edits(&found, &changes, old_order, &mut edits);
            pinned_edits(&self.mirror.pinned, &new_pinned, &removed, &mut edits);
            if let Some(settings) = &new_settings
                && self.mirror.settings.as_ref() != Some(settings)
            {
                edits.push(Edit::SetSettings(Box::new(settings.clone())));
            }
        }
        self.mirror.pinned = new_pinned;
        if let Some(settings) = new_settings {
            self.mirror.settings = Some(settings);
        }
        Ok(edits)
    }

    fn entry_edits(
        &self,
        found: &Findings,
        changes: &HashMap<Slot, Option<EntryId>>,
        old_order: Option<Vec<Slot>>,
        edits: &mut Vec<Edit>,
    ) -> HashSet<EntryId> {
        let mirror = &self.mirror;
        let mut removed_ids = HashSet::new();
        // Entries the editor must take out: hidden now, shown under another id, or replaced.
        let replaced = |slot: &Slot| {
            found
                .touched
                .get(slot)
                .is_some_and(|touched| touched.has(Touched::CREATED))
        };
        let mut gone: HashSet<Slot> = HashSet::new();
        for (slot, before) in changes {
            if let Some(before) = before {
                edits.push(Edit::RemoveEntry { id: before.clone() });
                removed_ids.insert(before.clone());
                gone.insert(*slot);
            }
        }
        for slot in found.touched.keys().filter(|slot| replaced(slot)) {
            if !changes.contains_key(slot)
                && let Some(id) = &mirror.arena[*slot as usize].shown
            {
                edits.push(Edit::RemoveEntry { id: id.clone() });
                removed_ids.insert(id.clone());
                gone.insert(*slot);
            }
        }

        // Field changes of entries that stay.
        let mut touched: Vec<(&Slot, &Touched)> = found
            .touched
            .iter()
            .filter(|(slot, _)| !gone.contains(slot) && !changes.contains_key(slot))
            .collect();
        // Stable output for the same input (hash maps iterate in any order).
        touched.sort_by_key(|(slot, _)| **slot);
        for (slot, touched) in touched {
            let state = &mirror.arena[*slot as usize];
            if let Some(id) = &state.shown {
                field_edits(&state.map, id, *touched, edits);
            }
        }

        // Placing new and moved entries.
        let Some(old_order) = old_order else {
            return removed_ids;
        };
        let new_order = mirror.visible_order();
        let to_place: HashSet<Slot> = new_order
            .iter()
            .filter(|slot| {
                gone.contains(slot)
                    || changes.get(slot).is_some_and(Option::is_none)
                    || (found.removed.contains(slot) && found.inserted.contains(slot))
            })
            .copied()
            .collect();
        if to_place.is_empty() {
            return removed_ids;
        }
        let mut current: Vec<Slot> = old_order
            .into_iter()
            .filter(|slot| !gone.contains(slot) && mirror.arena[*slot as usize].shown.is_some())
            .collect();
        let shown_id = |slot: Slot| mirror.arena[slot as usize].shown.clone();
        let was_shown: HashSet<Slot> = current.iter().copied().collect();
        if to_place.len() > MAX_PLACEMENTS {
            for slot in &new_order {
                if !was_shown.contains(slot)
                    && let Some(id) = shown_id(*slot)
                {
                    let entry = schema::read_entry(&mirror.arena[*slot as usize].map, id);
                    edits.push(Edit::InsertEntry {
                        index: current.len(),
                        entry: std::sync::Arc::new(entry),
                        pinned_at: None,
                    });
                    current.push(*slot);
                }
            }
            edits.push(Edit::SetOrder {
                order: new_order
                    .iter()
                    .filter_map(|slot| shown_id(*slot))
                    .collect(),
            });
            return removed_ids;
        }
        for (position, slot) in new_order.iter().enumerate() {
            if !to_place.contains(slot) {
                continue;
            }
            let Some(id) = shown_id(*slot) else { continue };
            if let Some(at) = current.iter().position(|other| other == slot) {
                current.remove(at);
            }
            let index = match position.checked_sub(1).map(|before| new_order[before]) {
                Some(predecessor) => current
                    .iter()
                    .position(|other| *other == predecessor)
                    .map_or(current.len(), |at| at + 1),
                None => 0,
            };
            current.insert(index, *slot);
            if was_shown.contains(slot) {
                edits.push(Edit::MoveEntry { id, index });
            } else {
                let entry = schema::read_entry(&mirror.arena[*slot as usize].map, id);
                edits.push(Edit::InsertEntry {
                    index,
                    entry: std::sync::Arc::new(entry),
                    pinned_at: None,
                });
            }
        }
        removed_ids
    }
}

/// Applies the entries list's delta to the mirror's slots.
fn apply_list_delta(mirror: &mut Mirror, delta: Vec<ListStep>, found: &mut Findings) {
    let mut cursor = 0;
    for step in delta {
        match step {
            ListStep::Retain(count) => cursor += count,
            ListStep::Delete(count) => {
                let end = (cursor + count).min(mirror.slots.len());
                let cut: Vec<Option<Slot>> = mirror.slots.drain(cursor..end).collect();
                for slot in cut.into_iter().flatten() {
                    let state = &mut mirror.arena[slot as usize];
                    state.listed = state.listed.saturating_sub(1);
                    found.removed.insert(slot);
                }
            }
            ListStep::Insert(items) => {
                let count = items.len();
                let slots: Vec<Option<Slot>> = items
                    .into_iter()
                    .map(|item| {
                        item.map(|map| {
                            let slot = mirror.state_for(map);
                            mirror.arena[slot as usize].listed += 1;
                            found.inserted.insert(slot);
                            slot
                        })
                    })
                    .collect();
                let at = cursor.min(mirror.slots.len());
                mirror.slots.splice(at..at, slots);
                cursor = at + count;
            }
        }
    }
}

/// The entry and field a text container belongs to, from the event's path.
fn text_owner(mirror: &Mirror, path: &[(ContainerID, Option<String>)]) -> Option<(Slot, u16)> {
    path.iter().enumerate().find_map(|(at, (container, _))| {
        let slot = mirror.by_cid.get(container)?;
        // The text is the next step down; its key in the entry's map is on that step or on
        // the entry's own step, depending on how the path names indices.
        let key = path
            .get(at + 1)
            .and_then(|(_, key)| key.as_deref())
            .filter(|key| schema::TEXT_KEYS.contains(key))?;
        Some((*slot, Touched::of_key(key)))
    })
}

/// The `SetField`s for the touched fields of one entry, read from its map.
fn field_edits(map: &LoroMap, id: &EntryId, touched: Touched, edits: &mut Vec<Edit>) {
    let modified = schema::read_entry_time(map, key::MODIFIED);
    let mut fields = Vec::new();
    if touched.has(Touched::HEADLINE) {
        fields.push(EntryField::Headline(schema::read_text(map, key::HEADLINE)));
    }
    if touched.has(Touched::BODY) {
        fields.push(EntryField::Body(schema::read_text(map, key::BODY)));
    }
    if touched.has(Touched::CORRECTION) {
        fields.push(EntryField::Correction(schema::read_text(
            map,
            key::CORRECTION,
        )));
    }
    if touched.has(Touched::BYLINES) {
        fields.push(EntryField::Bylines(schema::read_bylines(map)));
    }
    if touched.has(Touched::MEDIA) {
        fields.push(EntryField::Media(schema::read_media(map)));
    }
    if touched.has(Touched::FLAGS) {
        fields.push(EntryField::Flags(schema::read_flags(map)));
    }
    if touched.has(Touched::STATUS) {
        fields.push(EntryField::Status(schema::read_status(map)));
    }
    if touched.has(Touched::KIND) {
        fields.push(EntryField::Kind(schema::read_kind(map)));
    }
    if touched.has(Touched::DISPLAY_TIME) {
        fields.push(EntryField::DisplayTime(schema::read_entry_time(
            map,
            key::DISPLAY_TIME,
        )));
    }
    if fields.is_empty() && touched.has(Touched::MODIFIED) {
        // Only the modification time changed: any field, set to what it is, carries it.
        fields.push(EntryField::Status(schema::read_status(map)));
    }
    for field in fields {
        edits.push(Edit::SetField {
            id: id.clone(),
            field,
            modified,
        });
    }
}

/// Edits that turn the editor's pinned list into `new`. `old` is what the editor had before
/// this change; entries removed above have left it already.
fn pinned_edits(
    old: &[EntryId],
    new: &[EntryId],
    removed: &HashSet<EntryId>,
    edits: &mut Vec<Edit>,
) {
    let wanted: HashSet<&EntryId> = new.iter().collect();
    let mut current: Vec<EntryId> = Vec::with_capacity(old.len());
    for id in old {
        if removed.contains(id) {
            continue;
        }
        if wanted.contains(id) {
            current.push(id.clone());
        } else {
            edits.push(Edit::Unpin { id: id.clone() });
        }
    }
    // Each position in turn: the prefix already matches, so a move lands right.
    for (index, id) in new.iter().enumerate() {
        if current.get(index) == Some(id) {
            continue;
        }
        match current.iter().position(|other| other == id) {
            Some(from) => {
                let moved = current.remove(from);
                current.insert(index, moved);
                edits.push(Edit::MovePinned {
                    id: id.clone(),
                    index,
                });
            }
            None => {
                current.insert(index, id.clone());
                edits.push(Edit::Pin {
                    id: id.clone(),
                    index,
                });
            }
        }
    }
}
