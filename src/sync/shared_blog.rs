//! `SharedBlog`: one live blog as a Loro document, beside the editor's plain `LiveBlog`.

use super::SyncError;
use super::mirror::Mirror;
use super::remote::{Captured, capture};
use super::schema::{self, FORMAT, FORMAT_KEY};
use super::view;
use crate::edit::{self, Edit};
use crate::model::{EntryId, LiveBlog};
use loro::{
    ExportMode, LoroDoc, LoroMap, LoroMovableList, LoroValue, Subscription, UndoManager,
    VersionVector,
};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Typing within this many milliseconds of the previous change is one undo step.
pub const UNDO_MERGE_MS: i64 = 1000;

/// The shared document, its undo history of this editor's own changes, and the bookkeeping
/// that turns Loro's change events into `Edit`s.
pub struct SharedBlog {
    pub(super) doc: LoroDoc,
    pub(super) settings: LoroMap,
    pub(super) entries: LoroMovableList,
    pub(super) pinned: LoroMovableList,
    pub(super) mirror: Mirror,
    pub(super) undo: UndoManager,
    captured: Arc<Mutex<Vec<Captured>>>,
    _subscription: Subscription,
    /// Whether the blog this was opened with came from a blog view.
    from_view: bool,
}

impl std::fmt::Debug for SharedBlog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedBlog")
            .field("peer", &self.doc.peer_id())
            .field("entries", &self.mirror.slots.len())
            .finish_non_exhaustive()
    }
}

impl SharedBlog {
    /// A new shared document holding `blog`, written by peer `peer` (any number but
    /// `u64::MAX`; pick it at random per editor session).
    ///
    /// Times are stored in whole milliseconds: `to_blog` gives them back rounded.
    pub fn create(blog: &LiveBlog, peer: u64) -> Result<Self, SyncError> {
        if let Some(violation) = blog.violations().into_iter().next() {
            return Err(SyncError::Invalid(violation));
        }
        if let Some(entry) = blog
            .entries
            .iter()
            .find(|entry| schema::is_reserved(&entry.id))
        {
            return Err(SyncError::ReservedId(entry.id.clone()));
        }
        let doc = LoroDoc::new();
        doc.set_peer_id(peer)
            .map_err(|_| SyncError::BadPeer(peer))?;
        doc.get_map(schema::META).insert(FORMAT_KEY, FORMAT)?;
        let settings = doc.get_map(schema::SETTINGS);
        schema::write_settings(&settings, &schema::normalised_settings(&blog.settings))?;
        let entries = doc.get_movable_list(schema::ENTRIES);
        for entry in blog.entries.iter() {
            let map = entries.push_container(LoroMap::new())?;
            schema::write_entry(&map, &normalised(entry))?;
        }
        let pinned = doc.get_movable_list(schema::PINNED);
        for id in &blog.pinned {
            pinned.push(id.as_str())?;
        }
        doc.commit();
        Self::around(doc)
    }

    /// Opens a shared document from a snapshot (or any Loro export of one), returning it
    /// with the blog it holds.
    pub fn from_snapshot(bytes: &[u8]) -> Result<(Self, LiveBlog), SyncError> {
        Self::from_snapshot_with_view(bytes, None)
    }

    /// `from_snapshot` with the room's blog view (`view`), when the server sent one: the blog
    /// is taken from the view instead of being read out of the document, which is several
    /// times faster at 100,000 entries. A view that does not fit the document exactly is set
    /// aside and the document is read instead.
    pub fn from_snapshot_with_view(
        bytes: &[u8],
        view: Option<&[u8]>,
    ) -> Result<(Self, LiveBlog), SyncError> {
        let doc = LoroDoc::new();
        guarded_import(&doc, bytes)?;
        Self::from_doc(doc, view)
    }

    /// Opens a shared document from a Loro document holding everything imported (as the
    /// network client fetches a room), with the room's blog view if there is one (see
    /// `from_snapshot_with_view`).
    pub fn from_doc(doc: LoroDoc, view: Option<&[u8]>) -> Result<(Self, LiveBlog), SyncError> {
        doc.commit();
        match doc.get_map(schema::META).get(FORMAT_KEY) {
            Some(loro::ValueOrContainer::Value(LoroValue::I64(format))) if format > FORMAT => {
                return Err(SyncError::NewerFormat(format));
            }
            Some(loro::ValueOrContainer::Value(LoroValue::I64(_))) => {}
            _ => return Err(SyncError::NotABlog),
        }
        if let Some(view) = view {
            match Self::around_view(doc.clone(), view) {
                Ok(opened) => return Ok(opened),
                Err(reason) => {
                    eprintln!("newsdesk: {reason}; the shared document is read instead.")
                }
            }
        }
        let shared = Self::around(doc)?;
        // The mirror `around` just read serves: the list is not walked a second time.
        let blog = shared.blog_from(&shared.mirror)?;
        Ok((shared, blog))
    }

    /// The blog view of this document (see `view`), given the blog it holds now (`blog`, as
    /// the editor or server keeps it patched): refused when `blog` is not what it shows.
    pub fn view(&self, blog: &LiveBlog) -> Result<Vec<u8>, SyncError> {
        view::write(&self.doc, &self.mirror, blog).map_err(SyncError::Encode)
    }

    /// Whether this was opened with its blog taken from a blog view (rather than read from the
    /// document).
    pub fn opened_from_view(&self) -> bool {
        self.from_view
    }

    /// `around` with the mirror and entries taken from a blog view.
    fn around_view(doc: LoroDoc, bytes: &[u8]) -> Result<(Self, LiveBlog), String> {
        let entries = doc.get_movable_list(schema::ENTRIES);
        let (mirror, shown) = view::read(bytes, &doc, &entries)?;
        let mut shared = Self::wrap(doc, mirror);
        shared.from_view = true;
        let mut blog = LiveBlog::new("", chrono::DateTime::UNIX_EPOCH);
        let settings = shared
            .mirror
            .settings
            .clone()
            .unwrap_or_else(|| schema::read_settings(&shared.settings));
        edit::apply(&mut blog, Edit::SetSettings(Box::new(settings)))
            .map_err(|error| format!("the blog's settings do not apply ({error})"))?;
        blog.entries = shown.into_iter().collect();
        blog.pinned = shared.mirror.pinned.clone();
        if let Some(violation) = blog.violations().into_iter().next() {
            return Err(format!("the blog view breaks a rule ({violation})"));
        }
        Ok((shared, blog))
    }

    /// Wraps a committed document: subscribes to its events, reads the mirror, starts the undo
    /// history (which holds only what happens from now on).
    fn around(doc: LoroDoc) -> Result<Self, SyncError> {
        let entries = doc.get_movable_list(schema::ENTRIES);
        let mirror = Mirror::read(&entries);
        Ok(Self::wrap(doc, mirror))
    }

    /// `around` with the entry list's mirror already built.
    fn wrap(doc: LoroDoc, mut mirror: Mirror) -> Self {
        let captured = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&captured);
        let subscription = doc.subscribe_root(Arc::new(move |event| {
            let mut sink = sink.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            capture(&event, &mut sink);
        }));
        let settings = doc.get_map(schema::SETTINGS);
        let entries = doc.get_movable_list(schema::ENTRIES);
        let pinned = doc.get_movable_list(schema::PINNED);
        mirror.pinned = mirror.read_pinned(&pinned);
        mirror.settings = Some(schema::read_settings(&settings));
        let mut undo = UndoManager::new(&doc);
        undo.set_merge_interval(UNDO_MERGE_MS);
        Self {
            doc,
            settings,
            entries,
            pinned,
            mirror,
            undo,
            captured,
            _subscription: subscription,
            from_view: false,
        }
    }

    pub(super) fn take_captured(&self) -> Vec<Captured> {
        let mut captured = self
            .captured
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        std::mem::take(&mut *captured)
    }

    /// The blog as the shared document holds it now, read in full: sound under the model's
    /// invariants whatever the document holds.
    pub fn to_blog(&self) -> Result<LiveBlog, SyncError> {
        self.blog_from(&Mirror::read(&self.entries))
    }

    fn blog_from(&self, mirror: &Mirror) -> Result<LiveBlog, SyncError> {
        let mut blog = LiveBlog::new("", chrono::DateTime::UNIX_EPOCH);
        edit::apply(
            &mut blog,
            Edit::SetSettings(Box::new(schema::read_settings(&self.settings))),
        )
        .map_err(|error| SyncError::OutOfStep(error.to_string()))?;
        blog.entries = mirror
            .slots
            .iter()
            .flatten()
            .filter_map(|slot| {
                let state = &mirror.arena[*slot as usize];
                let id = state.shown.clone()?;
                Some(Arc::new(schema::read_entry(&state.map, id)))
            })
            .collect();
        blog.pinned = mirror.read_pinned(&self.pinned);
        Ok(blog)
    }

    /// The whole shared state, to store or to hand to a new replica.
    pub fn snapshot(&self) -> Result<Vec<u8>, SyncError> {
        self.doc
            .export(ExportMode::Snapshot)
            .map_err(|error| SyncError::Encode(error.to_string()))
    }

    /// Everything this replica holds, as a version vector.
    pub fn oplog_version(&self) -> VersionVector {
        self.doc.oplog_vv()
    }

    /// The changes a replica at `since` lacks, as one update blob.
    pub fn export_updates_since(&self, since: &VersionVector) -> Result<Vec<u8>, SyncError> {
        self.doc
            .export(ExportMode::updates(since))
            .map_err(|error| SyncError::Encode(error.to_string()))
    }

    /// This replica's peer id.
    pub fn peer(&self) -> u64 {
        self.doc.peer_id()
    }

    /// Sets this replica's peer id (a replica opened from a snapshot gets a random one).
    pub fn set_peer(&self, peer: u64) -> Result<(), SyncError> {
        self.doc
            .set_peer_id(peer)
            .map_err(|_| SyncError::BadPeer(peer))
    }

    /// The Loro document, for the network client's reads (version, export). Import through
    /// `import` instead: changes that bypass it are not turned into edits.
    pub fn doc(&self) -> &LoroDoc {
        &self.doc
    }

    /// Imports a snapshot or update from another replica and returns the edits that bring
    /// the editor's document (which matched `to_blog()` before) to match it again. Apply them
    /// in order with `edit::apply`, outside the local undo history.
    ///
    /// Corrupt bytes are refused with nothing changed; well-formed updates with hostile
    /// content are read forgivingly (see `schema`).
    pub fn import(&mut self, bytes: &[u8]) -> Result<Vec<Edit>, SyncError> {
        guarded_import(&self.doc, bytes)?;
        self.absorb(true)
    }

    /// Undoes this editor's last step (typing merged per `UNDO_MERGE_MS`) and never a
    /// colleague's change. Returns the edits to apply to the editor's document, outside its
    /// own history; empty when there is nothing to undo.
    pub fn undo(&mut self) -> Result<Vec<Edit>, SyncError> {
        self.undo.undo()?;
        self.doc.commit();
        self.absorb(true)
    }

    pub fn redo(&mut self) -> Result<Vec<Edit>, SyncError> {
        self.undo.redo()?;
        self.doc.commit();
        self.absorb(true)
    }

    pub fn can_undo(&self) -> bool {
        self.undo.can_undo()
    }

    pub fn can_redo(&self) -> bool {
        self.undo.can_redo()
    }

    /// Where the shared state of the document at `document` is kept: `NAME.ron.loro`.
    pub fn state_path(document: &Path) -> PathBuf {
        let mut name = document.as_os_str().to_owned();
        name.push(".loro");
        PathBuf::from(name)
    }

    /// Whether the incremental bookkeeping agrees with a fresh reading: a test aid.
    pub fn check_consistency(&self) -> Result<(), String> {
        let fresh = Mirror::read(&self.entries);
        let shown = |mirror: &Mirror| -> Vec<Option<EntryId>> {
            mirror
                .slots
                .iter()
                .map(|slot| slot.and_then(|slot| mirror.arena[slot as usize].shown.clone()))
                .collect()
        };
        if shown(&fresh) != shown(&self.mirror) {
            return Err("the shown entries differ from a fresh reading".into());
        }
        if fresh.read_pinned(&self.pinned) != self.mirror.pinned {
            return Err("the pinned list differs from a fresh reading".into());
        }
        Ok(())
    }
}

/// An entry as the shared document stores it (times in whole milliseconds).
pub(super) fn normalised(entry: &crate::model::Entry) -> crate::model::Entry {
    crate::model::Entry {
        display_time: schema::round_to_millis(entry.display_time),
        created: schema::round_to_millis(entry.created),
        modified: schema::round_to_millis(entry.modified),
        ..entry.clone()
    }
}

/// Imports bytes from outside, turning a panic inside Loro on malformed input into an error
/// rather than taking the editor down.
fn guarded_import(doc: &LoroDoc, bytes: &[u8]) -> Result<(), SyncError> {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| doc.import(bytes)));
    match result {
        Ok(Ok(_status)) => Ok(()),
        Ok(Err(error)) => Err(SyncError::Corrupt(error.to_string())),
        Err(_) => Err(SyncError::Corrupt(
            "the sync engine failed on the data".into(),
        )),
    }
}
