//! A blog view: the blog a shared document holds, already read, stamped with the Loro version
//! (frontiers) it was read at. Reading 100,000 entry maps and 300,000 texts out of a Loro snapshot
//! takes seconds (Loro decodes each container from its compressed store one at a time); parsing
//! the same blog as JSON takes about as long as parsing its RON file. So the sync server keeps
//! each room's blog read (patched as updates arrive) and hands a joining editor this view with the
//! document: the editor imports the CRDT without reading it, and takes the blog from the view.
//!
//! The view carries, besides the entries the editor shows, what the mirror needs of each item of
//! the Loro entry list (its stored id and tombstone), so the id → container bookkeeping is built
//! without reading a single entry map. It is used only when its stamp equals the imported
//! document's version, its list items match the document's one for one, and the ids it shows are
//! the ones the mirror works out from it; otherwise the reader falls back to reading the document
//! (`SharedBlog::from_doc`). Settings and pins are read from the document itself (a few keys).
//!
//! Layout (JSON): `{"format": 1, "frontiers": [[peer, counter], …], "items": [null |
//! {"id": string | null, "deleted": bool}, …], "entries": [Entry, …]}`.

use super::mirror::Mirror;
use super::schema;
use crate::model::{Entry, EntryId, LiveBlog};
use loro::{Container, Frontiers, LoroDoc, LoroMovableList, ValueOrContainer};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The layout version of a view. A reader ignores a view of another version.
pub const VIEW_FORMAT: u32 = 1;

/// One item of the Loro entry list: `None` when it is not an entry map.
#[derive(Serialize, Deserialize)]
struct Item {
    id: Option<EntryId>,
    deleted: bool,
}

#[derive(Serialize)]
struct ViewOut<'a> {
    format: u32,
    frontiers: Vec<(u64, i32)>,
    items: Vec<Option<Item>>,
    entries: Entries<'a>,
}

/// The blog's entries, serialised without copying them.
struct Entries<'a>(&'a LiveBlog);

impl Serialize for Entries<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.entries.iter())
    }
}

#[derive(Deserialize)]
struct ViewIn {
    format: u32,
    frontiers: Vec<(u64, i32)>,
    items: Vec<Option<Item>>,
    entries: Vec<Entry>,
}

/// The frontiers as a sorted list, so two equal versions compare equal whatever their order.
pub(super) fn stamp(frontiers: &Frontiers) -> Vec<(u64, i32)> {
    let mut ids: Vec<(u64, i32)> = frontiers.iter().map(|id| (id.peer, id.counter)).collect();
    ids.sort_unstable();
    ids
}

/// Writes the view of `blog`, which must be what `mirror` shows of `doc` (checked: the ids in
/// order).
pub(super) fn write(doc: &LoroDoc, mirror: &Mirror, blog: &LiveBlog) -> Result<Vec<u8>, String> {
    let shown = mirror.visible_order();
    let same = shown.len() == blog.entries.len()
        && shown
            .iter()
            .zip(blog.entries.iter())
            .all(|(slot, entry)| mirror.arena[*slot as usize].shown.as_ref() == Some(&entry.id));
    if !same {
        return Err("the blog given is not the one the shared document shows".into());
    }
    let items = mirror
        .slots
        .iter()
        .map(|slot| {
            slot.map(|slot| {
                let state = &mirror.arena[slot as usize];
                Item {
                    id: state.raw_id.clone(),
                    deleted: state.deleted,
                }
            })
        })
        .collect();
    let view = ViewOut {
        format: VIEW_FORMAT,
        frontiers: stamp(&doc.oplog_frontiers()),
        items,
        entries: Entries(blog),
    };
    serde_json::to_vec(&view).map_err(|error| format!("the view could not be written: {error}"))
}

/// Reads a view for `doc` (already imported, its format checked): the mirror of its entry list
/// and the entries shown, in order. Refuses, with a sentence, a view that does not fit the
/// document exactly.
pub(super) fn read(
    bytes: &[u8],
    doc: &LoroDoc,
    entries: &LoroMovableList,
) -> Result<(Mirror, Vec<Arc<Entry>>), String> {
    let view: ViewIn = serde_json::from_slice(bytes)
        .map_err(|error| format!("the blog view does not read ({error})"))?;
    if view.format != VIEW_FORMAT {
        return Err(format!("the blog view has layout {}", view.format));
    }
    let version = stamp(&doc.oplog_frontiers());
    if view.frontiers != version || stamp(&doc.state_frontiers()) != version {
        return Err("the blog view is of another version of the document".into());
    }
    let mut listed = Vec::with_capacity(entries.len());
    entries.for_each(|item| listed.push(item));
    if listed.len() != view.items.len() {
        return Err("the blog view lists another number of items than the document".into());
    }
    let mut mirror = Mirror::default();
    mirror.slots.reserve(listed.len());
    // The stored id and tombstone of each arena slot, as the view tells them.
    let mut records: Vec<(Option<EntryId>, bool)> = Vec::with_capacity(view.items.len());
    for (item, told) in listed.into_iter().zip(view.items) {
        let slot = match (item, told) {
            (ValueOrContainer::Container(Container::Map(map)), Some(told)) => {
                if told.id.as_ref().is_some_and(schema::is_reserved) {
                    return Err("the blog view gives an entry a reserved id".into());
                }
                let slot = mirror.state_for(map);
                mirror.arena[slot as usize].listed += 1;
                let record = (told.id, told.deleted);
                match records.get(slot as usize) {
                    None => records.push(record),
                    Some(earlier) if *earlier != record => {
                        return Err("the blog view tells one entry two ways".into());
                    }
                    Some(_) => {}
                }
                Some(slot)
            }
            (ValueOrContainer::Container(Container::Map(_)), None) | (_, Some(_)) => {
                return Err("the blog view does not match the document's entry list".into());
            }
            (_, None) => None,
        };
        mirror.slots.push(slot);
    }
    let mut ids = HashSet::new();
    for (slot, (raw_id, deleted)) in records.into_iter().enumerate() {
        mirror.record(slot as u32, raw_id, deleted, &mut ids);
    }
    let mut changes = HashMap::new();
    mirror.resolve(ids, &mut changes);
    let order = mirror.visible_order();
    let same = order.len() == view.entries.len()
        && order
            .iter()
            .zip(&view.entries)
            .all(|(slot, entry)| mirror.arena[*slot as usize].shown.as_ref() == Some(&entry.id));
    if !same {
        return Err("the blog view shows other entries than the document".into());
    }
    Ok((mirror, view.entries.into_iter().map(Arc::new).collect()))
}
