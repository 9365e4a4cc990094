//! Noticing that someone else changed the open file: a watcher the editor polls each
//! frame, and a check to run before every save.
//!
//! Both compare content hashes, not times: our own saves (whose hash the editor passes
//! back with `FileWatcher::set_known`) are never reported, and a file touched without a
//! change in content is not either.

use super::ContentHash;
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::ffi::OsString;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// Events closer together than this are one change (a save is several events).
pub const SETTLE_TIME: Duration = Duration::from_millis(250);

/// What happened to the open file on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExternalChange {
    /// Its content is no longer what was loaded or saved: offer Reload or Keep mine.
    Changed { content_hash: ContentHash },
    /// It was deleted or renamed away: offer to save it again.
    Removed,
}

/// Watches one document's file. Dropping it stops the watch.
pub struct FileWatcher {
    path: PathBuf,
    known: KnownContent,
    changes: Receiver<ExternalChange>,
    _watcher: RecommendedWatcher,
}

/// The content hash the editor last loaded or saved, shared with the watcher's thread.
/// Clone it into a thread that saves, so the save is known before its events are seen.
#[derive(Clone, Debug)]
pub struct KnownContent(Arc<Mutex<Option<ContentHash>>>);

impl KnownContent {
    /// The file now holds this content because we loaded or saved it.
    pub fn set(&self, hash: ContentHash) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(hash);
    }

    fn get(&self) -> Option<ContentHash> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl FileWatcher {
    /// Starts watching `path`, whose content was `known` when loaded or last saved. The
    /// folder is watched rather than the file, because a save replaces the file.
    pub fn watch(path: &Path, known: ContentHash) -> io::Result<Self> {
        let name = path
            .file_name()
            .map(OsString::from)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
        let folder = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let known = KnownContent(Arc::new(Mutex::new(Some(known))));
        let (events_in, events) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(events_in).map_err(notify_error)?;
        watcher
            .watch(&folder, RecursiveMode::NonRecursive)
            .map_err(notify_error)?;
        let (changes_out, changes) = mpsc::channel();
        let settle = Settle {
            path: path.to_path_buf(),
            name,
            known: known.clone(),
            changes: changes_out,
            reported: None,
        };
        std::thread::Builder::new()
            .name("newsdesk-watch".into())
            .spawn(move || settle.run(events))?;
        Ok(Self {
            path: path.to_path_buf(),
            known,
            changes,
            _watcher: watcher,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Call after loading, reloading or saving: the file now holds `hash`.
    pub fn set_known(&self, hash: ContentHash) {
        self.known.set(hash);
    }

    /// A handle to `set_known` for a thread that saves.
    pub fn known_content(&self) -> KnownContent {
        self.known.clone()
    }

    /// Call every frame; never blocks. The latest change since the last call, if the file
    /// does not (any longer) hold what we know it holds.
    pub fn poll(&self) -> Option<ExternalChange> {
        let latest = self.changes.try_iter().last()?;
        match &latest {
            // Our own save may have been seen before the editor called `set_known`.
            ExternalChange::Changed { content_hash } if Some(*content_hash) == self.known.get() => {
                None
            }
            _ => Some(latest),
        }
    }
}

impl std::fmt::Debug for FileWatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileWatcher")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

fn notify_error(error: notify::Error) -> io::Error {
    match error.kind {
        notify::ErrorKind::Io(source) => source,
        notify::ErrorKind::PathNotFound => io::Error::new(
            io::ErrorKind::NotFound,
            "the document's folder does not exist",
        ),
        _ => io::Error::other(error.to_string()),
    }
}

/// The watcher's thread: waits for events on our file to settle, then compares hashes.
struct Settle {
    path: PathBuf,
    name: OsString,
    known: KnownContent,
    changes: Sender<ExternalChange>,
    /// Not reported twice in a row.
    reported: Option<ExternalChange>,
}

impl Settle {
    fn run(mut self, events: Receiver<notify::Result<notify::Event>>) {
        // Ends when the watcher is dropped, which closes the channel.
        while let Ok(event) = events.recv() {
            if !self.concerns_us(&event) {
                continue;
            }
            loop {
                match events.recv_timeout(SETTLE_TIME) {
                    Ok(_) => continue,
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            self.check();
        }
    }

    fn concerns_us(&self, event: &notify::Result<notify::Event>) -> bool {
        match event {
            // Our own reads of the file show up as access events: ignoring them keeps
            // checking from triggering itself.
            Ok(event) => {
                !matches!(event.kind, EventKind::Access(_))
                    && event
                        .paths
                        .iter()
                        .any(|path| path.file_name() == Some(self.name.as_os_str()))
            }
            // Overflow and other trouble: check rather than miss a change.
            Err(_) => true,
        }
    }

    fn check(&mut self) {
        let change = match hash_of_file(&self.path) {
            Ok(hash) if Some(hash) == self.known.get() => None,
            Ok(content_hash) => Some(ExternalChange::Changed { content_hash }),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Some(ExternalChange::Removed),
            // Unreadable for now (being replaced, permissions): the next event will tell.
            Err(_) => None,
        };
        match change {
            Some(change) if self.reported.as_ref() != Some(&change) => {
                self.reported = Some(change.clone());
                let _ = self.changes.send(change);
            }
            Some(_) => {}
            None => self.reported = None,
        }
    }
}

/// Whether the file at `path` no longer holds `known` (the content last loaded or saved).
/// A missing file counts as changed. Run it before every save: when true, ask the editor
/// to Overwrite, Save As or Cancel.
pub fn file_changed_since(path: &Path, known: &ContentHash) -> io::Result<bool> {
    match hash_of_file(path) {
        Ok(hash) => Ok(hash != *known),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(true),
        Err(error) => Err(error),
    }
}

/// The content hash of a file, read in pieces (bounded like loading).
fn hash_of_file(path: &Path) -> io::Result<ContentHash> {
    let file = std::fs::File::open(path)?;
    if file.metadata()?.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "this is a folder, not a document",
        ));
    }
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(file.take(super::MAX_FILE_BYTES + 1))?;
    Ok(ContentHash(*hasher.finalize().as_bytes()))
}
