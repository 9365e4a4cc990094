//! The editor's view of the shared document: which list items are shown, under which id, in
//! which order, and where they sit in the Loro list (tombstones included).
//!
//! Typing never scans: a field edit finds its entry through `shown` (a hash map). Structural
//! edits (insert, move, delete) convert between the editor's indices, which skip tombstones,
//! and Loro's raw list indices by scanning `slots`, a compact vector of arena indices: about
//! 100 µs at 100,000 entries, far below the cost of the edit itself in the plain document.

use super::schema;
use crate::edit::BlogSettings;
use crate::model::EntryId;
use loro::{
    Container, ContainerID, ContainerTrait, LoroMap, LoroMovableList, LoroValue, ValueOrContainer,
};
use std::collections::{HashMap, HashSet};

/// One entry container seen in the list.
pub(super) struct EntryState {
    pub cid: ContainerID,
    pub map: LoroMap,
    /// The id as stored, when it is one a shared blog accepts.
    pub raw_id: Option<EntryId>,
    pub deleted: bool,
    /// How many list items hold this container (0 after a true removal from the list;
    /// briefly 2 while a move's delta is applied).
    pub listed: u32,
    /// The id the editor sees it under; `None` when hidden.
    pub shown: Option<EntryId>,
    /// The stored id it is registered under in `Mirror::claims`.
    claimed: Option<EntryId>,
}

impl EntryState {
    fn claims(&self) -> Option<&EntryId> {
        if self.listed > 0 {
            self.raw_id.as_ref()
        } else {
            None
        }
    }
}

/// Index into `Mirror::arena`.
pub(super) type Slot = u32;

#[derive(Default)]
pub(super) struct Mirror {
    /// The Loro list in order: the arena index of each item, `None` for an item that is not
    /// an entry map.
    pub slots: Vec<Option<Slot>>,
    pub arena: Vec<EntryState>,
    pub by_cid: HashMap<ContainerID, Slot>,
    /// Listed containers per stored id, best claim first (`schema::container_order`).
    pub claims: HashMap<EntryId, Vec<Slot>>,
    /// Shown id → container.
    pub shown: HashMap<EntryId, Slot>,
    /// The pinned list as the editor has it.
    pub pinned: Vec<EntryId>,
    pub settings: Option<BlogSettings>,
}

impl Mirror {
    /// Reads the whole list: opening a shared blog, or checking the incremental bookkeeping.
    pub fn read(entries: &LoroMovableList) -> Mirror {
        let mut mirror = Mirror::default();
        let mut items = Vec::with_capacity(entries.len());
        entries.for_each(|item| items.push(item));
        mirror.slots.reserve(items.len());
        for item in items {
            let slot = match item {
                ValueOrContainer::Container(Container::Map(map)) => {
                    let slot = mirror.state_for(map);
                    mirror.arena[slot as usize].listed += 1;
                    Some(slot)
                }
                _ => None,
            };
            mirror.slots.push(slot);
        }
        let mut ids = HashSet::new();
        for slot in 0..mirror.arena.len() as Slot {
            mirror.reread(slot, &mut ids);
        }
        let mut changes = HashMap::new();
        mirror.resolve(ids, &mut changes);
        mirror
    }

    /// The arena slot of `map`'s container, created on first sight; `reread` reads its id.
    pub fn state_for(&mut self, map: LoroMap) -> Slot {
        let cid = map.id();
        if let Some(slot) = self.by_cid.get(&cid) {
            return *slot;
        }
        let slot = self.arena.len() as Slot;
        self.arena.push(EntryState {
            raw_id: None,
            deleted: false,
            cid: cid.clone(),
            map,
            listed: 0,
            shown: None,
            claimed: None,
        });
        self.by_cid.insert(cid, slot);
        slot
    }

    pub fn is_visible(&self, slot: Option<Slot>) -> bool {
        slot.is_some_and(|slot| self.arena[slot as usize].shown.is_some())
    }

    /// Shown entries in order.
    pub fn visible_order(&self) -> Vec<Slot> {
        self.slots
            .iter()
            .filter(|slot| self.is_visible(**slot))
            .flatten()
            .copied()
            .collect()
    }

    pub fn raw_index_of(&self, slot: Slot) -> Option<usize> {
        self.slots.iter().position(|item| *item == Some(slot))
    }

    /// The raw list index at which an item lands at editor index `index`, counting only shown
    /// items and skipping the raw item `excluding` (the one being moved): the raw index in the
    /// list without that item.
    pub fn raw_insert_position(&self, index: usize, excluding: Option<usize>) -> usize {
        let mut seen = 0;
        let mut raw_without = 0;
        for (raw, slot) in self.slots.iter().enumerate() {
            if Some(raw) == excluding {
                continue;
            }
            if self.is_visible(*slot) {
                if seen == index {
                    return raw_without;
                }
                seen += 1;
            }
            raw_without += 1;
        }
        raw_without
    }

    /// Re-reads the stored id and tombstone of `slot` and moves its claim. Returns the ids
    /// whose claimants changed.
    pub fn reread(&mut self, slot: Slot, affected: &mut HashSet<EntryId>) {
        let state = &self.arena[slot as usize];
        let raw_id = schema::read_raw_id(&state.map);
        let deleted = schema::read_deleted(&state.map);
        self.record(slot, raw_id, deleted, affected);
    }

    /// Records the stored id and tombstone of `slot` (as `reread` reads them, or as a blog
    /// view stamped with the document's version gives them) and moves its claim.
    pub fn record(
        &mut self,
        slot: Slot,
        raw_id: Option<EntryId>,
        deleted: bool,
        affected: &mut HashSet<EntryId>,
    ) {
        let state = &mut self.arena[slot as usize];
        state.raw_id = raw_id;
        state.deleted = deleted;
        let after = state.claims().cloned();
        let before = std::mem::replace(&mut state.claimed, after.clone());
        if before != after {
            if let Some(id) = &before
                && let Some(claimants) = self.claims.get_mut(id)
            {
                claimants.retain(|claimant| *claimant != slot);
                if claimants.is_empty() {
                    self.claims.remove(id);
                }
            }
            if let Some(id) = &after {
                let arena = &self.arena;
                let claimants = self.claims.entry(id.clone()).or_default();
                let key = schema::container_order(&arena[slot as usize].cid);
                let at = claimants.partition_point(|other| {
                    schema::container_order(&arena[*other as usize].cid) < key
                });
                claimants.insert(at, slot);
            }
        }
        affected.extend(before);
        affected.extend(after);
    }

    /// Works out again who is shown under which id for the stored ids in `ids`. Records in
    /// `changes` the id each changed slot was shown under before its first change.
    pub fn resolve(
        &mut self,
        ids: impl IntoIterator<Item = EntryId>,
        changes: &mut HashMap<Slot, Option<EntryId>>,
    ) {
        for id in ids {
            let claimants = self.claims.get(&id).cloned().unwrap_or_default();
            for (rank, slot) in claimants.iter().enumerate() {
                let state = &self.arena[*slot as usize];
                let shown = if state.deleted {
                    None
                } else if rank == 0 {
                    Some(id.clone())
                } else {
                    Some(schema::derived_id(&id, &state.cid))
                };
                self.show(*slot, shown, changes);
            }
        }
    }

    /// Sets what `slot` is shown as, keeping `shown` in step.
    pub fn show(
        &mut self,
        slot: Slot,
        shown: Option<EntryId>,
        changes: &mut HashMap<Slot, Option<EntryId>>,
    ) {
        let state = &mut self.arena[slot as usize];
        if state.shown == shown {
            return;
        }
        let before = std::mem::replace(&mut state.shown, shown.clone());
        changes.entry(slot).or_insert_with(|| before.clone());
        if let Some(before) = before
            && self.shown.get(&before) == Some(&slot)
        {
            self.shown.remove(&before);
        }
        if let Some(shown) = shown {
            self.shown.insert(shown, slot);
        }
    }

    /// Hides entries no longer in the list (and, before anything, ones never claimed).
    pub fn hide_unlisted(&mut self, slot: Slot, changes: &mut HashMap<Slot, Option<EntryId>>) {
        let state = &self.arena[slot as usize];
        if state.claims().is_none() {
            self.show(slot, None, changes);
        }
    }

    /// The pinned list as the editor sees it: ids of shown entries, each once, first wins.
    pub fn read_pinned(&self, pinned: &LoroMovableList) -> Vec<EntryId> {
        self.effective_pins(pinned)
            .into_iter()
            .map(|(_, id)| id)
            .collect()
    }

    /// The raw index and id of each pin the editor sees.
    pub fn effective_pins(&self, pinned: &LoroMovableList) -> Vec<(usize, EntryId)> {
        let mut seen = HashSet::new();
        let mut pins = Vec::new();
        for (raw, id) in raw_pins(pinned).into_iter().enumerate() {
            if let Some(id) = id
                && self.shown.contains_key(&id)
                && seen.insert(id.clone())
            {
                pins.push((raw, id));
            }
        }
        pins
    }
}

/// Each raw pinned item as an id, `None` for anything that is not a valid id string.
pub(super) fn raw_pins(pinned: &LoroMovableList) -> Vec<Option<EntryId>> {
    let mut pins = Vec::with_capacity(pinned.len());
    pinned.for_each(|item| {
        pins.push(match item {
            ValueOrContainer::Value(LoroValue::String(text)) => EntryId::new(text.to_string()).ok(),
            _ => None,
        })
    });
    pins
}
