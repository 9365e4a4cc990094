//! Bringing a document back from its recovery copy: the base, then the journal replayed.

use super::folder::{lock_folder, read_journal};
use super::journal;
use super::meta::{BASE_FILE, JOURNAL_VERSION, Meta, hash_file, hex};
use super::record::{Record, Replay};
use super::{RecoveryError, record_options};
use crate::model::LiveBlog;
use crate::storage::{ContentHash, load};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

/// A recovery copy left behind by a Newsdesk that stopped without saving: what the
/// editor is offered to restore.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recoverable {
    /// The copy's own folder.
    pub folder: PathBuf,
    /// The document's file, or `None` for a document never saved (or whose path is not text).
    pub document: Option<PathBuf>,
    /// The blog's title once restored (the last one the copy records, or the one it
    /// had when the copy was started).
    pub title: String,
    /// When editing started (from this file's open or last save).
    pub started: Option<DateTime<Utc>>,
    /// When the last change was written.
    pub last_change: Option<DateTime<Utc>>,
    /// How many changes were written (changed posts, settings, orders), counted per write.
    pub changes: usize,
}

/// A document brought back.
#[derive(Debug)]
pub struct Restored {
    pub blog: LiveBlog,
    /// The document the recorded changes were made to (the file as opened or saved, or
    /// the journal's first full copy), when there is one: the restore replays the work
    /// from it as undo steps.
    pub base: Option<LiveBlog>,
    /// Where it should be saved: the file it was opened from, when known.
    pub document: Option<PathBuf>,
    pub changes: usize,
    /// Set when part of the copy could not be read: the document is restored up to there.
    pub incomplete: Option<String>,
}

impl Recoverable {
    /// Rebuilds the document: the base (the file as it was opened or last saved) with
    /// every recorded change applied. The copy is kept: it goes away when the restored
    /// document is saved (resume writing into it with `RecoveryWriter::resume`) or discarded.
    pub fn restore(&self) -> Result<Restored, RecoveryError> {
        let _lock = lock_folder(&self.folder)?;
        let meta = Meta::read(&self.folder);
        if let Some(meta) = &meta
            && meta.journal_version > JOURNAL_VERSION
        {
            return Err(RecoveryError::Newer {
                folder: self.folder.clone(),
            });
        }
        let journal = read_journal(&self.folder);
        let (frames, _) = journal::decode(&journal);
        let mut batches = Vec::with_capacity(frames.len());
        let mut incomplete = None;
        for (number, frame) in frames.iter().enumerate() {
            match record_options().from_str::<Vec<Record>>(frame.payload) {
                Ok(records) => batches.push(records),
                Err(error) => {
                    incomplete = Some(format!(
                        "changes after the {} of {} recorded writes could not be read ({error})",
                        number,
                        frames.len()
                    ));
                    break;
                }
            }
        }
        let changes = batches.iter().map(Vec::len).sum();
        // A journal that starts with the whole document (one never saved) starts from it.
        let first_document = match batches.first_mut() {
            Some(records) if matches!(records.first(), Some(Record::Document(_))) => {
                match records.remove(0) {
                    Record::Document(file) => Some(LiveBlog::from(*file)),
                    _ => None,
                }
            }
            _ => None,
        };
        let (base, known_base) = match first_document {
            Some(document) => (document.clone(), Some(document)),
            None => {
                let (base, note) = self.base(meta.as_ref());
                // A base made up for lack of the real one is no place to undo back to.
                let known = note.is_none().then(|| base.clone());
                if let Some(note) = note {
                    incomplete.get_or_insert(note);
                }
                (base, known)
            }
        };
        let mut replay = Replay::new(base);
        for records in batches {
            replay.apply(records);
        }
        Ok(Restored {
            blog: replay.finish(),
            base: known_base,
            document: self.document.clone(),
            changes,
            incomplete,
        })
    }

    /// The document the journal was written over: the copy made when it was opened or
    /// saved, or else its file, if that still holds the same bytes. When neither does
    /// (the file was rewritten in place by another program), the changes are applied to
    /// the nearest thing there is, so that no recorded post is lost.
    /// Returns the base, and a note when it is not the one the journal was written over.
    fn base(&self, meta: Option<&Meta>) -> (LiveBlog, Option<String>) {
        let expected = meta.and_then(|meta| meta.base_hash.clone());
        let candidates: Vec<PathBuf> = [
            Some(self.folder.join(BASE_FILE)),
            meta.and_then(Meta::document_path),
        ]
        .into_iter()
        .flatten()
        .collect();
        for path in &candidates {
            if let Some(blog) = load_matching(path, expected.as_deref()) {
                return (blog, None);
            }
        }
        let note = "the document's file changed after this copy was started, so the recorded \
                    changes were applied to the file as it is now: check the order of posts";
        for path in &candidates {
            if let Ok(loaded) = load(path) {
                return (loaded.blog, Some(note.into()));
            }
        }
        let title = meta.map(|meta| meta.title.clone()).unwrap_or_default();
        let note = "the document this copy was made from is gone: only the posts and settings \
                    changed since it was opened are restored";
        (LiveBlog::new(title, Utc::now()), Some(note.into()))
    }

    /// Removes the copy: the editor chose not to restore it.
    pub fn discard(self) -> Result<(), RecoveryError> {
        let lock = lock_folder(&self.folder)?;
        let result = std::fs::remove_dir_all(&self.folder);
        drop(lock);
        result.map_err(|source| RecoveryError::Io {
            folder: self.folder,
            source,
        })
    }
}

fn load_matching(path: &Path, expected_hex: Option<&str>) -> Option<LiveBlog> {
    let expected_hex = expected_hex?;
    let hash: ContentHash = hash_file(path).ok()?;
    if hex(&hash) != expected_hex {
        return None;
    }
    let loaded = load(path).ok()?;
    // The file may change between hashing and loading; the loaded bytes decide.
    (hex(&loaded.content_hash) == expected_hex).then_some(loaded.blog)
}
