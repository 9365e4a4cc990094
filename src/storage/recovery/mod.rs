//! Crash recovery: a copy of the open document that is never more than a few seconds
//! behind, kept in the user's data folder until the document is saved or discarded.
//!
//! A copy is a folder holding `meta.ron` (which document, since when), `base.ron` (the
//! file as it was opened or last saved: a hard link where possible, so it costs nothing)
//! and `journal`, an append-only run of frames, each the full RON of the entries, settings
//! or orders that changed since the previous frame, fsynced on append. The cost of a write
//! grows with the change, not with the document. Restoring is the base plus the frames
//! replayed; a torn last frame (a crash mid-write) is ignored.
//!
//! How the editor uses it:
//! - On start: `find_recoverable()`; offer each `Recoverable` (document, time, changes).
//!   Restore with `Recoverable::restore`, then `RecoveryWriter::resume` to keep writing
//!   into it; or `Recoverable::discard`. Nothing is removed without the editor's say.
//! - On open or new: `RecoveryWriter::start(&folder, &mut session, Some((path, hash)))`.
//! - Every frame: `writer.poll(&mut session, Instant::now())`; on focus loss:
//!   `writer.record(&mut session)`. Both only send the work to a background thread.
//! - After a save: `writer.saved(&mut session, path, saved.content_hash)`.
//! - On closing without saving, on purpose: `writer.discard()`.
//! - Show `writer.problem()` when it is `Some`: recovery copies are not being written.

mod folder;
mod journal;
mod meta;
mod record;
mod restore;
mod resume;
mod steps;
mod title;
mod writer;

pub use folder::{RECOVERY_DIR_VARIABLE, RecoveryFolder, find_recoverable};
pub use restore::{Recoverable, Restored};
pub use resume::RestoredWork;
pub use writer::{LONGEST_DELAY, QUIET_PERIOD, RecoveryWriter};

use std::io;
use std::path::PathBuf;

/// The journal is read at most this far (a sound one is far shorter: it is replaced by a
/// full copy once it passes 64 MiB).
pub(crate) const MAX_JOURNAL_BYTES: u64 = 2 * crate::storage::MAX_FILE_BYTES;

/// Nesting deeper than any record needs; bounds the parser on a damaged journal.
const RECURSION_LIMIT: usize = 64;

fn record_options() -> ron::Options {
    ron::Options::default().with_recursion_limit(RECURSION_LIMIT)
}

/// Why a recovery copy could not be restored or removed.
#[derive(Debug, thiserror::Error)]
pub enum RecoveryError {
    #[error("{}: another Newsdesk window is using this recovery copy", folder.display())]
    InUse { folder: PathBuf },
    #[error("{}: this recovery copy was written by a newer Newsdesk", folder.display())]
    Newer { folder: PathBuf },
    #[error("{}: the recovery copy could not be read: {source}", folder.display())]
    Io { folder: PathBuf, source: io::Error },
}
