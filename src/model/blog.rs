//! The live page: settings, entries in timeline order, and the pinned order.

use super::{BlogSettings, Entry, EntryId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The timeline's entries: a persistent vector of shared entries (see [`LiveBlog::entries`]).
pub type EntryList = imbl::Vector<Arc<Entry>>;

/// A live page: its settings, its entries in timeline order, and the pinned order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveBlog {
    pub settings: BlogSettings,
    /// The timeline in the editor's order, newest first by default. Pinned entries keep
    /// their place here so that unpinning returns them to it. Each entry is shared, so a
    /// copy of the document (for a save or an export running in the background) costs
    /// one pointer: the list is a persistent vector, so an edit afterwards copies only the
    /// changed entry and the few 64-wide nodes above it, not 100,000 pointers.
    pub entries: EntryList,
    /// Pinned entries, in the order shown above the timeline.
    pub pinned: Vec<EntryId>,
}

impl LiveBlog {
    pub fn new(title: impl Into<String>, now: DateTime<Utc>) -> Self {
        Self {
            settings: BlogSettings::new(title, now),
            entries: EntryList::new(),
            pinned: Vec::new(),
        }
    }

    pub fn position(&self, id: &EntryId) -> Option<usize> {
        self.entries.iter().position(|entry| &entry.id == id)
    }

    pub fn entry(&self, id: &EntryId) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|entry| &entry.id == id)
            .map(|entry| &**entry)
    }

    /// The entry to change, copied first if a snapshot still shares it.
    pub fn entry_mut(&mut self, id: &EntryId) -> Option<&mut Entry> {
        self.entries
            .iter_mut()
            .find(|entry| &entry.id == id)
            .map(Arc::make_mut)
    }

    /// The entry at `position` to change, copied first if a snapshot still shares it.
    pub fn entry_at_mut(&mut self, position: usize) -> Option<&mut Entry> {
        self.entries.get_mut(position).map(Arc::make_mut)
    }

    /// Adds `entry` at the end of the timeline.
    pub fn push_entry(&mut self, entry: Entry) {
        self.entries.push_back(Arc::new(entry));
    }

    pub fn is_pinned(&self, id: &EntryId) -> bool {
        self.pinned.contains(id)
    }

    /// Pinned entries in their pinned order.
    pub fn pinned_entries(&self) -> impl Iterator<Item = &Entry> {
        self.pinned.iter().filter_map(|id| self.entry(id))
    }

    /// The stream below the pinned section: unpinned entries in timeline order.
    pub fn stream_entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .map(|entry| &**entry)
            .filter(|entry| !self.pinned.contains(&entry.id))
    }

    pub fn draft_count(&self) -> usize {
        self.entries.iter().filter(|entry| entry.is_draft()).count()
    }

    /// The latest modification of any entry in print at `now`: the page's "Last updated".
    pub fn last_updated(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.entries
            .iter()
            .filter(|entry| entry.is_in_print(now))
            .map(|entry| entry.display_time.max(entry.modified))
            .max()
    }

    /// Each scheduled entry with the time it publishes itself, in timeline order.
    pub fn scheduled_entries(&self) -> impl Iterator<Item = (DateTime<Utc>, &EntryId)> {
        self.entries
            .iter()
            .filter_map(|entry| Some((entry.status.scheduled_for()?, &entry.id)))
    }

    /// Earliest and latest display time over all entries.
    pub fn time_span(&self) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let mut times = self.entries.iter().map(|entry| entry.display_time);
        let first = times.next()?;
        Some(times.fold((first, first), |(lo, hi), t| (lo.min(t), hi.max(t))))
    }

    /// An id not used by any entry, derived from `time` so ids read naturally
    /// ("post-20250218-144700"), with a numeric suffix on collision.
    pub fn fresh_id(&self, prefix: &str, time: DateTime<Utc>) -> EntryId {
        let base = format!("{prefix}-{}", time.format("%Y%m%d-%H%M%S"));
        let taken = |candidate: &str| self.entries.iter().any(|e| e.id.as_str() == candidate);
        let mut candidate = base.clone();
        let mut suffix = 2;
        while taken(&candidate) {
            candidate = format!("{base}-{suffix}");
            suffix += 1;
        }
        EntryId::new(candidate).unwrap_or_else(|_| {
            // Only reachable with a prefix that is itself invalid; fall back to a safe one.
            EntryId::new(format!("entry-{}", time.timestamp().unsigned_abs()))
                .expect("digits after a letter prefix are a valid id")
        })
    }
}
