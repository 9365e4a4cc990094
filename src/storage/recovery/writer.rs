//! `RecoveryWriter`: keeps the recovery copy of the open document current, writing on a
//! background thread so the editor never waits for the disk.

use super::folder::{RecoveryFolder, lock_folder};
use super::journal::{self, JournalFile};
use super::meta::{BASE_FILE, JOURNAL_FILE, Meta, hash_file, sync_folder};
use super::record::records_for;
use super::{Recoverable, RecoveryError};
use crate::edit::{Session, Touched};
use crate::model::LiveBlog;
use crate::storage::ContentHash;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// After the editor stops typing for this long, the change is written.
pub const QUIET_PERIOD: Duration = Duration::from_secs(1);
/// Changes are written at the latest this long after the first unwritten one, even while
/// typing goes on: a crash loses at most this much work (plus the write itself).
pub const LONGEST_DELAY: Duration = Duration::from_secs(4);
/// After a failed write, wait this long before trying again with a full copy.
const RETRY_AFTER: Duration = Duration::from_secs(10);
/// Once the journal has grown by more than this (and more than the document's own size),
/// it is replaced by a full copy, so restoring stays quick.
const COMPACT_AFTER_BYTES: u64 = 64 << 20;

/// Work for the background thread.
enum Job {
    /// The document as it is on disk: copy it as the base and note it in the meta file.
    Begin {
        document: Option<PathBuf>,
        title: String,
        base: Option<ContentHash>,
    },
    /// Append a frame to the journal.
    Append(Vec<u8>),
    /// Empty the journal and drop the base, then write this document in full. Encoding
    /// it here keeps the editor's thread to a copy.
    Reset(std::sync::Arc<LiveBlog>),
    /// The document was saved to `document`: start afresh from that file.
    Saved {
        document: PathBuf,
        title: String,
        hash: ContentHash,
    },
    Discard,
    Flush(Sender<()>),
}

/// What the background thread tells the editor.
enum Report {
    /// Writing failed; the journal no longer describes the document, so the next write
    /// must be a full copy.
    Failed(String),
    /// A frame was written; `compact` when the journal has grown enough to be replaced
    /// by a full copy.
    Written { compact: bool },
    /// The document's file changed on disk before it could be copied as the base: the
    /// next write must be a full copy.
    BaseLost,
}

/// Keeps the recovery copy of one open document. Create it when a document is opened,
/// created or restored; call `poll` every frame, `record` when the window loses focus,
/// `saved` after each successful save, and `discard` when the editor closes the document
/// without saving on purpose. Dropping it keeps the copy (as a crash would).
pub struct RecoveryWriter {
    folder: PathBuf,
    jobs: Sender<Job>,
    reports: Receiver<Report>,
    thread: Option<JoinHandle<()>>,
    /// The next write must be a full copy of the document.
    needs_snapshot: bool,
    retry_at: Option<Instant>,
    problem: Option<String>,
    seen_revision: u64,
    first_unwritten: Option<Instant>,
    last_edit: Option<Instant>,
    frames_sent: u64,
}

impl RecoveryWriter {
    /// Starts a recovery copy for `session`, whose current state is `document` on disk
    /// (path and the content hash from loading or saving it), or a document never saved.
    /// Changes made before this call are taken as part of that state.
    pub fn start(
        folder: &RecoveryFolder,
        session: &mut Session,
        document: Option<(&Path, ContentHash)>,
    ) -> Self {
        session.take_touched();
        let name = folder.new_copy_name();
        let path = folder.path().join(name);
        let (document_path, base) = match document {
            Some((path, hash)) => {
                // Opening a document is the "start" on which an interrupted save's temporary
                // files go (saving sweeps them too). Done here, before this editor can start
                // a save of its own, never on the writer's thread, where it could race one.
                crate::storage::sweep_interrupted_saves(path);
                (Some(path.to_path_buf()), Some(hash))
            }
            None => (None, None),
        };
        let unsaved = base.is_none() || session.is_dirty();
        let mut writer = Self::spawn(path, None, session);
        writer.send(Job::Begin {
            document: document_path,
            title: session.blog().settings.title.clone(),
            base,
        });
        if session.is_dirty() {
            // The session already differs from the file (restored, or started late): a
            // full copy now, so that what is on screen is never only on screen.
            writer.send(Job::Reset(session.snapshot()));
        } else {
            writer.needs_snapshot = unsaved;
        }
        writer
    }

    /// Goes on writing into a copy that was just restored into `session` (so that the copy
    /// survives until the document is saved). Fails when another Newsdesk holds it.
    pub fn resume(found: &Recoverable, session: &mut Session) -> Result<Self, RecoveryError> {
        session.take_touched();
        let lock = lock_folder(&found.folder)?;
        let journal = JournalFile::open(&found.folder.join(JOURNAL_FILE)).map_err(|source| {
            RecoveryError::Io {
                folder: found.folder.clone(),
                source,
            }
        })?;
        Ok(Self::spawn(
            found.folder.clone(),
            Some(Open { lock, journal }),
            session,
        ))
    }

    fn spawn(folder: PathBuf, open: Option<Open>, session: &Session) -> Self {
        let (jobs, inbox) = mpsc::channel();
        let (outbox, reports) = mpsc::channel();
        let worker = Worker {
            folder: folder.clone(),
            open,
            broken: false,
            base_bytes: 0,
            journal_start: 0,
            reports: outbox,
        };
        let thread = std::thread::Builder::new()
            .name("newsdesk-recovery".into())
            .spawn(move || {
                crate::background::lower_current_thread_priority();
                worker.run(inbox)
            })
            .ok();
        let problem = thread
            .is_none()
            .then(|| "recovery copies cannot be written: no thread could be started".to_owned());
        Self {
            folder,
            jobs,
            reports,
            thread,
            needs_snapshot: false,
            retry_at: None,
            problem,
            seen_revision: session.revision(),
            first_unwritten: None,
            last_edit: None,
            frames_sent: 0,
        }
    }

    /// The folder holding this document's recovery copy.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// Call every frame. Writes the changes when the editor has paused (`QUIET_PERIOD`) or
    /// when the oldest unwritten change is `LONGEST_DELAY` old. Returns when to call again
    /// at the latest (for `request_repaint_after`), or `None` when nothing is waiting.
    pub fn poll(&mut self, session: &mut Session, now: Instant) -> Option<Duration> {
        self.read_reports();
        if !session.has_touched() {
            self.first_unwritten = None;
            self.last_edit = None;
            return None;
        }
        if session.revision() != self.seen_revision || self.last_edit.is_none() {
            self.seen_revision = session.revision();
            self.last_edit = Some(now);
            self.first_unwritten.get_or_insert(now);
        }
        let quiet_at = self.last_edit.unwrap_or(now) + QUIET_PERIOD;
        let latest_at = self.first_unwritten.unwrap_or(now) + LONGEST_DELAY;
        let due = quiet_at.min(latest_at).max(self.retry_at.unwrap_or(now));
        if now >= due {
            self.record_at(session, now);
            return None;
        }
        Some(due - now)
    }

    /// Writes the changes now (the window lost focus, the app is closing).
    pub fn record(&mut self, session: &mut Session) {
        self.read_reports();
        self.record_at(session, Instant::now());
    }

    fn record_at(&mut self, session: &mut Session, now: Instant) {
        self.first_unwritten = None;
        self.last_edit = None;
        if !session.has_touched() {
            // Nothing new: even a pending full copy can wait for the next change.
            return;
        }
        if self.needs_snapshot {
            if self.retry_at.is_some_and(|at| now < at) {
                return;
            }
            session.take_touched();
            self.needs_snapshot = false;
            self.retry_at = None;
            self.frames_sent += 1;
            self.send(Job::Reset(session.snapshot()));
            return;
        }
        let touched = session.take_touched();
        if touched.is_empty() {
            return;
        }
        match self.frame(session, &touched) {
            Some(frame) => self.send(Job::Append(frame)),
            None => self.needs_snapshot = true,
        }
    }

    fn frame(&mut self, session: &Session, touched: &Touched) -> Option<Vec<u8>> {
        match encode_frame(session.blog(), touched) {
            Ok(frame) => {
                self.frames_sent += 1;
                Some(frame)
            }
            Err(error) => {
                self.problem = Some(format!(
                    "recovery copies cannot be written: the document could not be encoded ({error})"
                ));
                None
            }
        }
    }

    /// Call after the document was saved to `path` (with the hash `save` returned): the
    /// recovery copy starts afresh from that file.
    pub fn saved(&mut self, session: &mut Session, path: &Path, hash: ContentHash) {
        self.read_reports();
        session.take_touched();
        self.needs_snapshot = false;
        self.retry_at = None;
        self.first_unwritten = None;
        self.last_edit = None;
        self.send(Job::Saved {
            document: path.to_path_buf(),
            title: session.blog().settings.title.clone(),
            hash,
        });
    }

    /// Removes the recovery copy: the editor closed the document without saving, on purpose.
    pub fn discard(mut self) {
        self.send(Job::Discard);
        self.join();
    }

    /// Waits until everything sent so far is on disk (for closing the app, and for tests).
    pub fn flush(&mut self) {
        let (done, wait) = mpsc::channel();
        self.send(Job::Flush(done));
        let _ = wait.recv();
        self.read_reports();
    }

    /// A sentence for the editor when recovery copies cannot be written (full disk, no
    /// data folder), until a later write succeeds.
    pub fn problem(&mut self) -> Option<&str> {
        self.read_reports();
        self.problem.as_deref()
    }

    /// Whether a change is waiting to be written.
    pub fn is_pending(&self, session: &Session) -> bool {
        session.has_touched() || self.needs_snapshot
    }

    fn send(&mut self, job: Job) {
        if self.jobs.send(job).is_err() && self.problem.is_none() {
            self.problem = Some("recovery copies cannot be written: the writer stopped".into());
        }
    }

    fn read_reports(&mut self) {
        while let Ok(report) = self.reports.try_recv() {
            match report {
                Report::Failed(message) => {
                    self.problem = Some(message);
                    self.needs_snapshot = true;
                    self.retry_at = Some(Instant::now() + RETRY_AFTER);
                }
                Report::BaseLost => self.needs_snapshot = true,
                Report::Written { compact } => {
                    self.problem = None;
                    self.needs_snapshot |= compact;
                }
            }
        }
    }

    fn join(&mut self) {
        // Closing the channel ends the thread once it has done what was queued.
        let (closed, _) = mpsc::channel();
        self.jobs = closed;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for RecoveryWriter {
    fn drop(&mut self) {
        self.join();
    }
}

impl std::fmt::Debug for RecoveryWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecoveryWriter")
            .field("folder", &self.folder)
            .field("frames_sent", &self.frames_sent)
            .field("problem", &self.problem)
            .finish()
    }
}

/// The recovery folder held open and locked, so other Newsdesks leave it alone.
struct Open {
    #[allow(dead_code)]
    lock: File,
    journal: JournalFile,
}

struct Worker {
    folder: PathBuf,
    open: Option<Open>,
    /// A write failed: appends are dropped until a full snapshot (`Reset`) arrives.
    broken: bool,
    /// The size of the document the journal starts from (base file or snapshot frame),
    /// and the journal's length right after it.
    base_bytes: u64,
    journal_start: u64,
    reports: Sender<Report>,
}

impl Worker {
    fn run(mut self, inbox: Receiver<Job>) {
        for job in inbox {
            match job {
                Job::Begin {
                    document,
                    title,
                    base,
                } => {
                    let result = self.begin(document.as_deref(), &title, base);
                    self.report_begin(result);
                }
                Job::Append(frame) => {
                    if !self.broken {
                        let result = self.append(&frame);
                        self.report(result);
                    }
                }
                Job::Reset(blog) => {
                    let everything = Touched {
                        everything: true,
                        ..Touched::default()
                    };
                    let result = encode_frame(&blog, &everything)
                        .map_err(io::Error::other)
                        .and_then(|frame| self.reset(&frame));
                    self.broken = result.is_err();
                    self.report(result);
                }
                Job::Saved {
                    document,
                    title,
                    hash,
                } => {
                    self.broken = false;
                    let result = self.begin(Some(&document), &title, Some(hash));
                    self.report_begin(result);
                }
                Job::Discard => {
                    self.open = None;
                    let _ = std::fs::remove_dir_all(&self.folder);
                    return;
                }
                Job::Flush(done) => {
                    let _ = done.send(());
                }
            }
        }
    }

    fn report(&mut self, result: io::Result<()>) {
        match result {
            Ok(()) => {
                let journal = self.open.as_ref().map_or(0, |open| open.journal.len());
                let grown = journal.saturating_sub(self.journal_start);
                let compact = grown > COMPACT_AFTER_BYTES.max(self.base_bytes);
                let _ = self.reports.send(Report::Written { compact });
            }
            Err(error) => {
                self.broken = true;
                self.open = None;
                let _ = self.reports.send(Report::Failed(format!(
                    "recovery copies cannot be written to {}: {error}; save the document to keep your changes safe",
                    self.folder.display()
                )));
            }
        }
    }

    fn report_begin(&mut self, result: io::Result<bool>) {
        if matches!(result, Ok(false)) {
            let _ = self.reports.send(Report::BaseLost);
        }
        self.report(result.map(|_| ()));
    }

    fn open(&mut self) -> io::Result<&mut Open> {
        if self.open.is_none() {
            std::fs::create_dir_all(&self.folder)?;
            let lock = lock_folder(&self.folder).map_err(|error| match error {
                RecoveryError::Io { source, .. } => source,
                other => io::Error::other(other.to_string()),
            })?;
            let journal = JournalFile::open(&self.folder.join(JOURNAL_FILE))?;
            if let Some(parent) = self.folder.parent() {
                sync_folder(parent)?;
            }
            self.open = Some(Open { lock, journal });
        }
        self.open.as_mut().ok_or_else(|| io::Error::other("closed"))
    }

    /// A fresh start from the document on disk: empty journal, new meta, base copied.
    /// Returns false when the document's file no longer holds what was opened, so there
    /// is no base to build on.
    fn begin(
        &mut self,
        document: Option<&Path>,
        title: &str,
        base: Option<ContentHash>,
    ) -> io::Result<bool> {
        let folder = self.folder.clone();
        let open = self.open()?;
        open.journal.clear()?;
        let _ = std::fs::remove_file(folder.join(BASE_FILE));
        let base = match (document, base) {
            (Some(document), Some(hash)) => copy_base(document, hash, &folder).then_some(hash),
            _ => None,
        };
        self.journal_start = 0;
        self.base_bytes = std::fs::metadata(folder.join(BASE_FILE)).map_or(0, |m| m.len());
        Meta::new(document, title, base).write(&folder)?;
        Ok(document.is_none() || base.is_some())
    }

    fn append(&mut self, frame: &[u8]) -> io::Result<()> {
        self.open()?.journal.append(frame)
    }

    fn reset(&mut self, frame: &[u8]) -> io::Result<()> {
        let folder = self.folder.clone();
        let open = self.open()?;
        open.journal.clear()?;
        open.journal.append(frame)?;
        self.journal_start = open.journal.len();
        self.base_bytes = self.journal_start;
        // The snapshot stands alone; a stale base would only slow restoring down.
        if std::fs::remove_file(folder.join(BASE_FILE)).is_ok()
            && let Some(mut meta) = Meta::read(&folder)
        {
            meta.base_hash = None;
            meta.write(&folder)?;
        }
        Ok(())
    }
}

/// One journal frame holding what `touched` names, as it is in `blog` now.
fn encode_frame(blog: &LiveBlog, touched: &Touched) -> Result<Vec<u8>, ron::Error> {
    let records = records_for(blog, touched);
    let payload = super::record_options().to_string(&records)?;
    Ok(journal::encode(
        &payload,
        chrono::Utc::now().timestamp_millis(),
        records.len(),
    ))
}

/// Links (or, across file systems, copies) the document into the recovery folder as its
/// base and checks it is the content that was opened. A link costs nothing: saves replace
/// the document's file rather than rewriting it, so the linked content stays as it was.
fn copy_base(document: &Path, expected: ContentHash, folder: &Path) -> bool {
    let staging = folder.join(format!("{BASE_FILE}.staging"));
    let _ = std::fs::remove_file(&staging);
    let copied = std::fs::hard_link(document, &staging).is_ok()
        || (std::fs::copy(document, &staging).is_ok()
            && File::open(&staging).and_then(|f| f.sync_all()).is_ok());
    let sound = copied && hash_file(&staging).is_ok_and(|hash| hash == expected);
    if sound && std::fs::rename(&staging, folder.join(BASE_FILE)).is_ok() {
        return sync_folder(folder).is_ok();
    }
    let _ = std::fs::remove_file(&staging);
    false
}
