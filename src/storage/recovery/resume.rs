//! Taking a recovery copy back into the editor: the document restored as an unsaved
//! session whose history holds the recorded changes as undo steps, the copy taken over so
//! writing goes on into it, and what the file on disk holds now compared with when the
//! recorded work began.

use super::{Recoverable, RecoveryError, RecoveryWriter};
use crate::edit::Session;
use crate::storage::watch::ExternalChange;
use crate::storage::{Access, ContentHash, newer_format_version};
use std::path::PathBuf;

/// A document brought back from its recovery copy, ready to become the open one.
pub struct RestoredWork {
    /// Counts as unsaved until it is saved.
    pub session: Session,
    /// Writing on into the same copy, so it survives until the document is saved; `None`
    /// when the copy could not be taken over (`resume_error` says why).
    pub writer: Option<RecoveryWriter>,
    pub resume_error: Option<String>,
    /// Where it should be saved; `None` for a document never saved.
    pub document: Option<PathBuf>,
    /// What the file held when the recorded work began (or, where that is not known,
    /// what it holds now): the next save asks first if the file no longer holds it.
    pub known: Option<ContentHash>,
    /// The file changed or went away since the work began.
    pub on_disk: Option<ExternalChange>,
    pub access: Access,
    /// Part of the copy could not be read: the document is restored up to there.
    pub incomplete: Option<String>,
}

impl Recoverable {
    /// Rebuilds the copy's document and takes the copy over, so that writing goes on
    /// into it. Reads files: run it off the editor's thread.
    pub fn resume(&self) -> Result<RestoredWork, RecoveryError> {
        let mut restored = self.restore()?;
        // The recorded work as undo steps from where it began (one per changed entry).
        let mut session = super::steps::session_restoring(restored.base.take(), restored.blog);
        let (writer, resume_error) = match RecoveryWriter::resume(self, &mut session) {
            Ok(writer) => (Some(writer), None),
            Err(error) => (None, Some(error.to_string())),
        };
        // `base.ron` is the file as it was when the recorded work began; the file itself
        // may have been changed by others since.
        let base = std::fs::read(self.folder.join(super::meta::BASE_FILE)).ok();
        let current = restored
            .document
            .as_deref()
            .map(|path| std::fs::read(path).map_err(|error| error.kind()));
        let base_hash = base.as_deref().map(ContentHash::of);
        let current_hash = match &current {
            Some(Ok(bytes)) => Some(ContentHash::of(bytes)),
            _ => None,
        };
        let known = base_hash.or(current_hash);
        let on_disk = match (&current, current_hash) {
            (Some(Err(std::io::ErrorKind::NotFound)), _) => Some(ExternalChange::Removed),
            (_, Some(hash)) if Some(hash) != known => {
                Some(ExternalChange::Changed { content_hash: hash })
            }
            _ => None,
        };
        // A file written by a newer Newsdesk stays read-only once restored.
        let newer = base
            .as_deref()
            .and_then(newer_format_version)
            .or_else(|| match &current {
                Some(Ok(bytes)) => newer_format_version(bytes),
                _ => None,
            });
        Ok(RestoredWork {
            session,
            writer,
            resume_error,
            document: restored.document,
            known,
            on_disk,
            access: newer.map_or(Access::ReadWrite, |version| Access::ReadOnlyNewer {
                version,
            }),
            incomplete: restored.incomplete,
        })
    }
}
