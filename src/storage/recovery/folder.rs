//! Where recovery copies live, and finding the ones a crash left behind.

use super::journal;
use super::meta::{JOURNAL_FILE, LOCK_FILE, Meta};
use super::{MAX_JOURNAL_BYTES, Recoverable, RecoveryError};
use chrono::{DateTime, Utc};
use std::fs::{File, TryLockError};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// Overrides the standard place (for tests and portable installs).
pub const RECOVERY_DIR_VARIABLE: &str = "NEWSDESK_RECOVERY_DIR";

/// A copy with no recorded change is removed only once it is this old, so a Newsdesk that
/// is just starting one (and has not locked it yet) keeps it.
const EMPTY_COPY_GRACE: Duration = Duration::from_secs(60);

/// The folder that holds one sub-folder per document being edited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecoveryFolder {
    root: PathBuf,
}

impl RecoveryFolder {
    /// `$NEWSDESK_RECOVERY_DIR`, or else `newsdesk/recovery` in the user's data folder
    /// (`~/.local/share` on Linux). `None` when there is no data folder at all.
    pub fn standard() -> Option<Self> {
        if let Some(root) = std::env::var_os(RECOVERY_DIR_VARIABLE).filter(|v| !v.is_empty()) {
            return Some(Self::at(root));
        }
        dirs::data_dir().map(|data| Self::at(data.join("newsdesk").join("recovery")))
    }

    pub fn at(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn path(&self) -> &Path {
        &self.root
    }

    /// A name no other copy uses: time, process and a counter.
    pub(crate) fn new_copy_name(&self) -> String {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let count = COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |since| since.subsec_nanos());
        format!(
            "{}-{}-{count}-{nanos:09}",
            Utc::now().format("%Y%m%d-%H%M%S"),
            std::process::id()
        )
    }

    /// The copies left by a Newsdesk that stopped without saving or discarding them,
    /// newest change first. Copies that another running Newsdesk holds are not listed, nor
    /// are copies with no recorded change (those are removed, as there is nothing in them
    /// to lose). Unreadable entries are skipped, never deleted.
    pub fn find_recoverable(&self) -> Vec<Recoverable> {
        let Ok(listing) = std::fs::read_dir(&self.root) else {
            return Vec::new();
        };
        let mut found: Vec<Recoverable> = listing
            .flatten()
            .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
            .filter_map(|entry| inspect(&entry.path()))
            .collect();
        found.sort_by_key(|copy| std::cmp::Reverse(copy.last_change));
        found
    }
}

/// The copies left behind in the standard folder (see `RecoveryFolder::find_recoverable`).
pub fn find_recoverable() -> Vec<Recoverable> {
    RecoveryFolder::standard()
        .map(|folder| folder.find_recoverable())
        .unwrap_or_default()
}

/// Takes the copy's lock, or says that another Newsdesk has it.
pub(crate) fn lock_folder(folder: &Path) -> Result<File, RecoveryError> {
    // A process starting another program shares the lock for the instant between its
    // fork and exec: try again briefly before concluding the copy is in use.
    for _ in 0..LOCK_ATTEMPTS - 1 {
        match try_lock_folder(folder) {
            Err(RecoveryError::InUse { .. }) => std::thread::sleep(LOCK_RETRY_PAUSE),
            other => return other,
        }
    }
    try_lock_folder(folder)
}

const LOCK_ATTEMPTS: usize = 5;
const LOCK_RETRY_PAUSE: Duration = Duration::from_millis(20);

fn try_lock_folder(folder: &Path) -> Result<File, RecoveryError> {
    let io = |source| RecoveryError::Io {
        folder: folder.to_path_buf(),
        source,
    };
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(folder.join(LOCK_FILE))
        .map_err(io)?;
    match lock.try_lock() {
        Ok(()) => Ok(lock),
        Err(TryLockError::WouldBlock) => Err(RecoveryError::InUse {
            folder: folder.to_path_buf(),
        }),
        Err(TryLockError::Error(source)) => Err(io(source)),
    }
}

/// Reads one copy's description without changing it (apart from removing an old copy
/// with nothing in it).
fn inspect(folder: &Path) -> Option<Recoverable> {
    // Held by a running Newsdesk: not ours to offer. The lock is released on return.
    let _lock = lock_folder(folder).ok()?;
    let meta = Meta::read(folder);
    let journal = read_journal(folder);
    let (frames, _) = journal::decode(&journal);
    if frames.is_empty() {
        let old = std::fs::metadata(folder)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age > EMPTY_COPY_GRACE);
        if old {
            let _ = std::fs::remove_dir_all(folder);
        }
        return None;
    }
    let changes = frames.iter().map(|frame| frame.records).sum();
    let last_change = frames
        .last()
        .and_then(|frame| DateTime::<Utc>::from_timestamp_millis(frame.unix_millis));
    Some(Recoverable {
        folder: folder.to_path_buf(),
        document: meta.as_ref().and_then(Meta::document_path),
        // The title it will have once restored, which the journal may have changed.
        title: super::title::latest_title(&frames)
            .or_else(|| meta.as_ref().map(|m| m.title.clone()))
            .unwrap_or_default(),
        started: meta.as_ref().map(|m| m.started),
        last_change,
        changes,
    })
}

pub(crate) fn read_journal(folder: &Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    if let Ok(file) = File::open(folder.join(JOURNAL_FILE)) {
        let _ = file.take(MAX_JOURNAL_BYTES).read_to_end(&mut bytes);
    }
    bytes
}
