//! The open document: the edit session plus where it came from on disk.
//!
//! Every change goes through the session (`edit::Session`), which alone knows what
//! changed; this adds only what the editor knows about the document's file.

use crate::edit::{Edit, EditError, EntryField, Session};
use crate::model::{EntryId, LiveBlog};
use crate::storage::{Access, ContentHash};
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
            Origin::File(path) => crate::storage::file_name(path),
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.session.is_dirty()
    }

    pub fn is_read_only(&self) -> bool {
        matches!(self.access, Access::ReadOnlyNewer { .. })
    }

    /// Applies a structural edit as its own undo step.
    pub fn apply(&mut self, label: &str, edit: Edit, at_seconds: f64) -> Result<(), EditError> {
        self.session.apply(label, edit, at_seconds)
    }

    /// Sets one field of an entry, modified now.
    pub fn set_field(
        &mut self,
        id: &EntryId,
        field: EntryField,
        at_seconds: f64,
    ) -> Result<(), EditError> {
        self.session
            .set_field(id, field, chrono::Utc::now(), at_seconds)
    }

    /// Position of `id` in the timeline, without scanning it each frame.
    pub fn position(&mut self, id: &EntryId) -> Option<usize> {
        self.session.position(id)
    }
}
