//! The small description file of one recovery copy, and the files beside it.

use crate::storage::ContentHash;
use atomic_write_file::AtomicWriteFile;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub(crate) const META_FILE: &str = "meta.ron";
pub(crate) const BASE_FILE: &str = "base.ron";
pub(crate) const JOURNAL_FILE: &str = "journal";
pub(crate) const LOCK_FILE: &str = "lock";

/// Bumped when the journal's records change shape.
pub(crate) const JOURNAL_VERSION: u32 = 1;

/// What one recovery copy is of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Meta {
    pub journal_version: u32,
    /// The document's file, when it has one and its path is text (others restore as
    /// "Untitled" and need Save As).
    pub document: Option<String>,
    pub title: String,
    /// Hash of `base.ron` (the file as opened or last saved), hex; none when the journal
    /// starts from a full snapshot.
    pub base_hash: Option<String>,
    pub started: DateTime<Utc>,
}

impl Meta {
    pub fn new(document: Option<&Path>, title: &str, base_hash: Option<ContentHash>) -> Self {
        Self {
            journal_version: JOURNAL_VERSION,
            document: document.and_then(|path| path.to_str()).map(str::to_owned),
            title: title.to_owned(),
            base_hash: base_hash.map(|hash| hex(&hash)),
            started: Utc::now(),
        }
    }

    pub fn document_path(&self) -> Option<PathBuf> {
        self.document.as_ref().map(PathBuf::from)
    }

    pub fn write(&self, folder: &Path) -> io::Result<()> {
        let text = ron::to_string(self).map_err(io::Error::other)?;
        let mut file = AtomicWriteFile::open(folder.join(META_FILE))?;
        file.write_all(text.as_bytes())?;
        file.commit()
    }

    /// `None` when missing or unreadable.
    pub fn read(folder: &Path) -> Option<Self> {
        let text = std::fs::read_to_string(folder.join(META_FILE)).ok()?;
        if text.len() > 64 * 1024 {
            return None;
        }
        ron::Options::default()
            .with_recursion_limit(8)
            .from_str(&text)
            .ok()
    }
}

pub(crate) fn hex(hash: &ContentHash) -> String {
    hash.0.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Streams a file through the content hash without holding it in memory.
pub(crate) fn hash_file(path: &Path) -> io::Result<ContentHash> {
    let file = std::fs::File::open(path)?;
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(file)?;
    Ok(ContentHash(*hasher.finalize().as_bytes()))
}

/// Syncs a folder so that names just created or renamed in it survive a power cut.
pub(crate) fn sync_folder(folder: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(folder)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = folder;
        Ok(())
    }
}
