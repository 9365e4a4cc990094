//! What one journal frame holds, how it is written from a document and what it touched,
//! and how it is replayed onto the document it was written after.
//!
//! Records carry full values (a whole entry, the whole settings, the whole pinned list),
//! never differences, so replaying a frame twice gives the same document.

use crate::edit::Touched;
use crate::model::BlogSettings;
use crate::model::{Entry, EntryId, LiveBlog};
use crate::storage::format::{FileV2, FileV2Ref};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Records as written: borrowed from the open document, so writing costs no copies.
#[derive(Serialize)]
pub(crate) enum RecordRef<'a> {
    /// The whole document: the first frame when there is no base file, or after a reset.
    Document(FileV2Ref<'a>),
    Settings(&'a BlogSettings),
    /// An entry's full content; `at` is its final place in the timeline when it was added
    /// or moved.
    Entry {
        entry: &'a Entry,
        at: Option<usize>,
    },
    Removed(&'a EntryId),
    /// The whole timeline order, after a reorder of everything.
    Order(Vec<&'a EntryId>),
    Pinned(&'a [EntryId]),
}

/// Records as read back. Same shape as `RecordRef`.
#[derive(Deserialize, Debug)]
pub(crate) enum Record {
    Document(Box<FileV2>),
    Settings(Box<BlogSettings>),
    Entry {
        entry: Box<Entry>,
        at: Option<usize>,
    },
    Removed(EntryId),
    Order(Vec<EntryId>),
    Pinned(Vec<EntryId>),
}

/// Above this many touched entries, one pass to index the timeline beats a search each.
const INDEX_THRESHOLD: usize = 8;

/// The records that bring a replayed document from its state before `touched` to `blog`.
/// Cost grows with what was touched (plus one pass over the ids when many were).
pub(crate) fn records_for<'a>(blog: &'a LiveBlog, touched: &'a Touched) -> Vec<RecordRef<'a>> {
    if touched.everything {
        return vec![RecordRef::Document(FileV2Ref::of(blog))];
    }
    let mut records = Vec::new();
    if touched.settings {
        records.push(RecordRef::Settings(&blog.settings));
    }
    let ids: Vec<&EntryId> = {
        let mut ids: Vec<&EntryId> = touched.entries.iter().collect();
        ids.extend(touched.placed.difference(&touched.entries));
        ids
    };
    let index: Option<HashMap<&EntryId, usize>> = (ids.len() > INDEX_THRESHOLD).then(|| {
        blog.entries
            .iter()
            .enumerate()
            .map(|(position, entry)| (&entry.id, position))
            .collect()
    });
    let position_of = |id: &EntryId| match &index {
        Some(index) => index.get(id).copied(),
        None => blog.position(id),
    };
    for id in ids {
        match position_of(id) {
            None => records.push(RecordRef::Removed(id)),
            Some(position) => {
                let at = (touched.placed.contains(id) && !touched.order).then_some(position);
                records.push(RecordRef::Entry {
                    entry: &blog.entries[position],
                    at,
                });
            }
        }
    }
    if touched.order {
        records.push(RecordRef::Order(
            blog.entries.iter().map(|entry| &entry.id).collect(),
        ));
    }
    if touched.pinned {
        records.push(RecordRef::Pinned(&blog.pinned));
    }
    records
}

/// Applies frames to a document, keeping an id index between frames that only change
/// content (the common case: typing), so a long journal replays in time proportional to it.
pub(crate) struct Replay {
    blog: LiveBlog,
    index: Option<HashMap<EntryId, usize>>,
}

impl Replay {
    pub fn new(blog: LiveBlog) -> Self {
        Self { blog, index: None }
    }

    pub fn finish(self) -> LiveBlog {
        self.blog
    }

    fn position(&mut self, id: &EntryId) -> Option<usize> {
        let blog = &self.blog;
        self.index
            .get_or_insert_with(|| {
                blog.entries
                    .iter()
                    .enumerate()
                    .map(|(position, entry)| (entry.id.clone(), position))
                    .collect()
            })
            .get(id)
            .copied()
    }

    /// Applies one frame's records. Never panics: records that do not fit the document
    /// (an id it does not hold, a place past its end) are applied as nearly as they can be.
    pub fn apply(&mut self, records: Vec<Record>) {
        let mut removed: HashSet<EntryId> = HashSet::new();
        let mut placed: Vec<(usize, Entry)> = Vec::new();
        let mut appended: Vec<Entry> = Vec::new();
        let mut order = None;
        let mut pinned = None;
        for record in records {
            match record {
                Record::Document(blog) => {
                    self.blog = LiveBlog::from(*blog);
                    self.index = None;
                    removed.clear();
                    placed.clear();
                    appended.clear();
                }
                Record::Settings(settings) => self.blog.settings = *settings,
                Record::Removed(id) => {
                    removed.insert(id);
                }
                Record::Entry { entry, at } => {
                    removed.remove(&entry.id);
                    match (at, self.position(&entry.id)) {
                        (None, Some(position)) => self.blog.entries[position] = Arc::from(entry),
                        (None, None) => appended.push(*entry),
                        (Some(at), _) => {
                            removed.insert(entry.id.clone());
                            placed.push((at, *entry));
                        }
                    }
                }
                Record::Order(ids) => order = Some(ids),
                Record::Pinned(ids) => pinned = Some(ids),
            }
        }
        let removed_any = !removed.is_empty();
        if removed_any {
            self.blog
                .entries
                .retain(|entry| !removed.contains(&entry.id));
            self.index = None;
        }
        if !placed.is_empty() {
            // Final places, inserted from the top down, rebuild the final order exactly:
            // the entries that were not placed kept their order relative to each other.
            placed.sort_by_key(|(at, _)| *at);
            for (at, entry) in placed {
                let at = at.min(self.blog.entries.len());
                self.blog.entries.insert(at, Arc::new(entry));
            }
            self.index = None;
        }
        if !appended.is_empty() {
            self.blog.entries.extend(appended.into_iter().map(Arc::new));
            self.index = None;
        }
        if let Some(ids) = order {
            let rank: HashMap<&EntryId, usize> = ids
                .iter()
                .enumerate()
                .map(|(rank, id)| (id, rank))
                .collect();
            // Through a `Vec` for its stable sort: entries the order misses keep theirs.
            let mut entries: Vec<_> = std::mem::take(&mut self.blog.entries).into_iter().collect();
            entries.sort_by_key(|entry| rank.get(&entry.id).copied().unwrap_or(usize::MAX));
            self.blog.entries = entries.into();
            self.index = None;
        }
        // The pinned list names only entries that exist, each once: the document's invariants
        // hold whatever the journal says.
        if pinned.is_some() || removed_any {
            let pinned = pinned.unwrap_or_else(|| std::mem::take(&mut self.blog.pinned));
            let mut seen = HashSet::new();
            let pinned: Vec<EntryId> = pinned
                .into_iter()
                .filter(|id| self.position(id).is_some() && seen.insert(id.clone()))
                .collect();
            self.blog.pinned = pinned;
        }
    }
}
