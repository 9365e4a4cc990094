//! The open document: the edit session plus where it came from on disk.
//!
//! Every change goes through `OpenDocument::apply`, `set_field`, `undo` or `redo`, which
//! pass it to `edit::Session` (so it can be undone) and note whether the timeline's
//! shape (order, pinning, entries added or removed) may have changed, so caches of
//! 100,000 rows are rebuilt only then and not on every keystroke.

use crate::edit::{Edit, EditError, EntryField, Session};
use crate::model::{EntryId, LiveBlog};
use crate::storage::{Access, ContentHash};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where the open document lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The bundled sample: never saved over, only "Save As".
    Sample,
    /// A new blog that has no file yet.
    Untitled,
    File(PathBuf),
}

pub struct OpenDocument {
    pub session: Session,
    pub origin: Origin,
    /// Hash of the bytes last loaded or saved, to notice someone else's changes.
    pub disk_hash: Option<ContentHash>,
    pub access: Access,
    /// Changes whenever the timeline's shape may have changed. Drawn from one counter for
    /// all documents, so a newly opened document never matches a cache of the last one.
    shape_revision: u64,
    /// Changes when an entry may have been published or returned to draft.
    status_revision: u64,
    index: EntryIndex,
}

fn next_shape_revision() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Entry id to position, rebuilt only when the shape changes.
#[derive(Default)]
struct EntryIndex {
    built_for: Option<u64>,
    positions: HashMap<EntryId, usize>,
}

impl OpenDocument {
    pub fn new(blog: LiveBlog, origin: Origin) -> Self {
        Self::with_session(Session::new(blog), origin)
    }

    /// A document whose session was made elsewhere (one restored after a crash, which
    /// counts as unsaved).
    pub fn with_session(session: Session, origin: Origin) -> Self {
        Self {
            session,
            origin,
            disk_hash: None,
            access: Access::ReadWrite,
            shape_revision: next_shape_revision(),
            status_revision: 0,
            index: EntryIndex::default(),
        }
    }

    pub fn blog(&self) -> &LiveBlog {
        self.session.blog()
    }

    pub fn path(&self) -> Option<&Path> {
        match &self.origin {
            Origin::File(path) => Some(path),
            Origin::Sample | Origin::Untitled => None,
        }
    }

    /// The name shown in the title bar and status bar.
    pub fn display_name(&self) -> String {
        match &self.origin {
            Origin::Sample => "Sample blog".to_owned(),
            Origin::Untitled => "Untitled".to_owned(),
            Origin::File(path) => path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string()),
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.session.is_dirty()
    }

    pub fn is_read_only(&self) -> bool {
        matches!(self.access, Access::ReadOnlyNewer { .. })
    }

    pub fn shape_revision(&self) -> u64 {
        self.shape_revision
    }

    /// Applies a structural edit as its own undo step.
    pub fn apply(&mut self, label: &str, edit: Edit, at_seconds: f64) -> Result<(), EditError> {
        let changes_shape = !matches!(edit, Edit::SetField { .. } | Edit::SetSettings(_));
        self.session.apply(label, edit, at_seconds)?;
        if changes_shape {
            self.shape_revision = next_shape_revision();
        }
        Ok(())
    }

    pub fn set_field(
        &mut self,
        id: &EntryId,
        field: EntryField,
        at_seconds: f64,
    ) -> Result<(), EditError> {
        let status = matches!(field, EntryField::Status(_));
        self.session
            .set_field(id, field, chrono::Utc::now(), at_seconds)?;
        if status {
            self.status_revision += 1;
        }
        Ok(())
    }

    /// Changes whenever the number of drafts may have changed (and not on typing).
    pub fn counts_key(&self) -> (u64, u64) {
        (self.shape_revision, self.status_revision)
    }

    pub fn undo(&mut self) -> Option<String> {
        let label = self.session.undo();
        // An undone step may be any kind of edit; rebuilding once is cheap next to undo.
        self.shape_revision = next_shape_revision();
        label
    }

    pub fn redo(&mut self) -> Option<String> {
        let label = self.session.redo();
        self.shape_revision = next_shape_revision();
        label
    }

    /// Position of `id` in the timeline, without scanning it each frame.
    pub fn position(&mut self, id: &EntryId) -> Option<usize> {
        if self.index.built_for != Some(self.shape_revision) {
            self.index.positions = self
                .blog()
                .entries
                .iter()
                .enumerate()
                .map(|(index, entry)| (entry.id.clone(), index))
                .collect();
            self.index.built_for = Some(self.shape_revision);
        }
        let position = *self.index.positions.get(id)?;
        // Guard against a stale index: it must name the same entry.
        (self.blog().entries.get(position).map(|e| &e.id) == Some(id)).then_some(position)
    }
}
