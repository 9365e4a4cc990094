//! Durable atomic saving: the document streamed into a temporary file beside the target,
//! fsynced, renamed over it and the folder fsynced, with the previous version kept as
//! `NAME.ron.bak`.

use super::SaveError;
use super::format::write_ron;
use super::load::ContentHash;
use crate::model::LiveBlog;
use atomic_write_file::AtomicWriteFile;
use std::ffi::OsString;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SavedFile {
    pub content_hash: ContentHash,
    pub bytes: u64,
}

/// Saves the document in canonical form, durably and atomically, keeping the previous
/// version as `NAME.ron.bak`. On any failure the file on disk is untouched.
///
/// The text is streamed into the temporary file rather than built in memory first: half
/// the memory, and no giant reallocations that stall the editor's thread meanwhile.
pub fn save(path: &Path, blog: &LiveBlog) -> Result<SavedFile, SaveError> {
    write_atomically_with(path, Backup::Keep, |file, fail| {
        // Buffer first, so the hash and the file see large chunks, not the serializer's
        // many small writes.
        let mut out = BufWriter::with_capacity(1 << 16, HashingWriter::new(file));
        let written = write_ron(blog, &mut out).and_then(|()| out.flush().map_err(Into::into));
        let hashing = out.get_mut();
        match (written, hashing.io_error.take()) {
            (Ok(()), _) => Ok(hashing.finish()),
            // The disk's own error (full, read-only...) says more than ron's wrapper of it.
            (Err(_), Some(io_error)) => Err(fail(io_error)),
            (Err(error), None) => Err(SaveError::Serialize(error.to_string())),
        }
    })
}

/// Counts and hashes what passes through, and keeps the first I/O error as it was.
struct HashingWriter<W> {
    inner: W,
    hasher: blake3::Hasher,
    bytes: u64,
    io_error: Option<std::io::Error>,
}

impl<W: Write> HashingWriter<W> {
    fn new(inner: W) -> Self {
        Self {
            inner,
            hasher: blake3::Hasher::new(),
            bytes: 0,
            io_error: None,
        }
    }

    fn finish(&self) -> SavedFile {
        SavedFile {
            content_hash: ContentHash(*self.hasher.finalize().as_bytes()),
            bytes: self.bytes,
        }
    }

    fn keep<T>(&mut self, result: std::io::Result<T>) -> std::io::Result<T> {
        result.map_err(|error| {
            let message = std::io::Error::new(error.kind(), error.to_string());
            self.io_error.get_or_insert(error);
            message
        })
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buffer: &[u8]) -> std::io::Result<usize> {
        let result = self.inner.write(buffer);
        let written = self.keep(result)?;
        self.hasher.update(&buffer[..written]);
        self.bytes += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let result = self.inner.flush();
        self.keep(result)
    }
}

/// `NAME.ron` -> `NAME.ron.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(OsString::from).unwrap_or_default();
    name.push(".bak");
    path.with_file_name(name)
}

/// Writes `bytes` to a temporary file in the same folder, syncs it, renames it over
/// `path` and syncs the folder. No backup: this writes what is made from the document
/// (a page, a feed), which can be made again.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<SavedFile, SaveError> {
    write_atomically_with(path, Backup::None, |file, fail| {
        file.write_all(bytes).map_err(fail)?;
        Ok(SavedFile {
            content_hash: ContentHash::of(bytes),
            bytes: bytes.len() as u64,
        })
    })
}

/// As [`write_atomically`], with the bytes written by `write` as they are made (through a
/// buffer), so that a large page is never whole in memory.
pub fn write_atomically_streamed(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<SavedFile, SaveError> {
    write_atomically_with(path, Backup::None, |file, fail| {
        let mut out = BufWriter::with_capacity(1 << 16, HashingWriter::new(file));
        let written = write(&mut out).and_then(|()| out.flush());
        let hashing = out.get_mut();
        match (written, hashing.io_error.take()) {
            (Ok(()), _) => Ok(hashing.finish()),
            (Err(_), Some(io_error)) | (Err(io_error), None) => Err(fail(io_error)),
        }
    })
}

type IoFailure<'a> = &'a dyn Fn(std::io::Error) -> SaveError;

/// Whether the file being replaced is kept as `NAME.bak`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Backup {
    Keep,
    None,
}

/// A temporary file untouched for this long belongs to no running save: a save writes
/// without pause, and even 100,000 posts take seconds.
const STALE_TEMPORARY: std::time::Duration = std::time::Duration::from_secs(120);

/// The atomic save around `write`, which fills the temporary file.
fn write_atomically_with(
    path: &Path,
    backup: Backup,
    write: impl FnOnce(&mut std::fs::File, IoFailure<'_>) -> Result<SavedFile, SaveError>,
) -> Result<SavedFile, SaveError> {
    let resolved = follow_link(path);
    let path = resolved.as_path();
    let fail = |error: std::io::Error| SaveError::from_io(path.to_path_buf(), error);
    if path.is_dir() {
        return Err(SaveError::IsAFolder {
            path: path.to_path_buf(),
        });
    }
    if path.file_name().is_none() {
        return Err(SaveError::IsAFolder {
            path: path.to_path_buf(),
        });
    }
    sweep_interrupted_saves(path);
    let mut file = AtomicWriteFile::options().open(path).map_err(fail)?;
    let saved = write(file.as_file_mut(), &fail)?;
    if backup == Backup::Keep && path.exists() {
        keep_backup(path).map_err(fail)?;
    }
    file.commit().map_err(fail)?;
    Ok(saved)
}

/// Saving through a symbolic link replaces the file it points to; replacing the link
/// itself with a file would silently split the two.
fn follow_link(path: &Path) -> PathBuf {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return path.to_path_buf();
    }
    if let Ok(target) = std::fs::canonicalize(path) {
        return target;
    }
    // A link to a file not created yet: its target, relative to the link's folder.
    match std::fs::read_link(path) {
        Ok(target) => path
            .parent()
            .map_or(target.clone(), |folder| folder.join(target)),
        Err(_) => path.to_path_buf(),
    }
}

/// Points `NAME.bak` at the current file. A hard link costs nothing and the old inode
/// survives the rename that follows; where links are not supported, a copy.
fn keep_backup(path: &Path) -> std::io::Result<()> {
    let backup = backup_path(path);
    let mut staging_name = OsString::from(".");
    staging_name.push(backup.file_name().unwrap_or_default());
    staging_name.push(".staging");
    let staging = path.with_file_name(staging_name);
    let _ = std::fs::remove_file(&staging);
    if std::fs::hard_link(path, &staging).is_err() {
        std::fs::copy(path, &staging)?;
        std::fs::File::open(&staging)?.sync_all()?;
    }
    std::fs::rename(&staging, &backup)
}

/// Removes temporary files that an interrupted save of `path` left in its folder:
/// `.NAME.XXXXXX` (six letters or digits, the atomic writer's pattern) and the backup
/// staging link, once they have been untouched for two minutes (a younger one may be
/// another process's save in progress). Returns how many were removed.
pub fn sweep_interrupted_saves(path: &Path) -> usize {
    let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
        return 0;
    };
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    let Some(name) = name.to_str() else {
        return 0;
    };
    let Ok(listing) = std::fs::read_dir(folder) else {
        return 0;
    };
    let temporary_prefix = format!(".{name}.");
    let staging = format!(".{name}.bak.staging");
    let mut removed = 0;
    for found in listing.flatten() {
        let found_name = found.file_name();
        let Some(found_name) = found_name.to_str() else {
            continue;
        };
        let is_temporary = found_name
            .strip_prefix(&temporary_prefix)
            .is_some_and(|suffix| {
                suffix.len() == 6 && suffix.chars().all(|c| c.is_ascii_alphanumeric())
            });
        let stale = found
            .metadata()
            .and_then(|metadata| metadata.modified())
            .is_ok_and(|modified| modified.elapsed().is_ok_and(|age| age >= STALE_TEMPORARY));
        if (is_temporary || found_name == staging)
            && stale
            && std::fs::remove_file(found.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}
