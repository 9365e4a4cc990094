//! File work off the UI thread. Each job runs on its own thread and sends its result
//! home on a channel that the app reads once per frame, so a big load or save never
//! freezes the window.

use crate::edit::Session;
use crate::model::LiveBlog;
use crate::storage::recovery::{Recoverable, RecoveryFolder, RecoveryWriter};
use crate::storage::watch::{ExternalChange, KnownContent};
use crate::storage::{self, Access, ContentHash, LoadError, Loaded, SaveError, SavedFile};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

/// What a file dialog was opened for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathPurpose {
    Open,
    SaveAs,
    Export,
}

impl PathPurpose {
    pub fn title(self) -> &'static str {
        match self {
            PathPurpose::Open => "Open a live blog",
            PathPurpose::SaveAs => "Save the live blog as",
            PathPurpose::Export => "Export the page as HTML",
        }
    }
}

/// What to do once the document is safely saved (or the user chose to discard it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AfterSave {
    Nothing,
    NewDocument,
    Open,
    OpenPath(PathBuf),
    Quit,
    /// Bring back the work a crash left in this recovery copy.
    Restore(Box<Recoverable>),
}

pub enum JobResult {
    Loaded {
        path: PathBuf,
        /// Boxed: a loaded document is large next to the other results.
        result: Box<Result<Loaded, LoadError>>,
    },
    Saved {
        path: PathBuf,
        /// The document state that was written.
        serial: u64,
        result: Result<SavedFile, SaveError>,
        then: AfterSave,
    },
    /// The file changed on disk since it was loaded or saved: nothing was written.
    SaveConflict { path: PathBuf, then: AfterSave },
    Exported {
        path: PathBuf,
        result: Result<SavedFile, SaveError>,
    },
    Picked {
        purpose: PathPurpose,
        path: Option<PathBuf>,
        elapsed: Duration,
    },
    /// The recovery copies that an earlier run left behind.
    FoundRecoverable(Vec<Recoverable>),
    Restored {
        found: Box<Recoverable>,
        result: Result<Box<RestoredWork>, String>,
    },
    CopyDiscarded {
        folder: PathBuf,
        result: Result<(), String>,
    },
}

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

pub struct Jobs {
    sender: Sender<(u64, JobResult)>,
    receiver: Receiver<(u64, JobResult)>,
    /// Jobs still running, with what the status bar says about each.
    running: Vec<(u64, String)>,
    next_id: u64,
}

impl Default for Jobs {
    fn default() -> Self {
        let (sender, receiver) = channel();
        Self {
            sender,
            receiver,
            running: Vec::new(),
            next_id: 0,
        }
    }
}

impl Jobs {
    /// Runs `work` on a new thread; `label` is shown while it runs ("Saving blog.ron…").
    pub fn spawn(
        &mut self,
        ctx: &egui::Context,
        label: String,
        work: impl FnOnce() -> JobResult + Send + 'static,
    ) {
        let sender = self.sender.clone();
        let ctx = ctx.clone();
        self.next_id += 1;
        let id = self.next_id;
        self.running.push((id, label));
        let spawned = std::thread::Builder::new()
            .name("newsdesk-file".into())
            .spawn(move || {
                crate::background::lower_current_thread_priority();
                let result = work();
                // The app may have closed meanwhile; then nobody needs the result.
                let _ = sender.send((id, result));
                ctx.request_repaint();
            });
        if spawned.is_err() {
            self.running.retain(|(running, _)| *running != id);
        }
    }

    /// Results that arrived since the last call.
    pub fn poll(&mut self) -> Vec<JobResult> {
        let mut results = Vec::new();
        for (id, result) in self.receiver.try_iter() {
            self.running.retain(|(running, _)| *running != id);
            results.push(result);
        }
        results
    }

    pub fn is_busy(&self) -> bool {
        !self.running.is_empty()
    }

    pub fn current_label(&self) -> Option<&str> {
        self.running.first().map(|(_, label)| label.as_str())
    }
}

pub fn load_job(path: PathBuf) -> impl FnOnce() -> JobResult + Send + 'static {
    move || {
        let result = Box::new(storage::load(&path));
        JobResult::Loaded { path, result }
    }
}

/// Saves `blog` to `path`; unless `force`, first checks that the file on disk is still
/// the one last loaded or saved (`expected`), and reports a conflict instead of writing.
pub fn save_job(
    path: PathBuf,
    blog: Arc<LiveBlog>,
    serial: u64,
    expected: Option<ContentHash>,
    force: bool,
    then: AfterSave,
    known: Option<KnownContent>,
) -> impl FnOnce() -> JobResult + Send + 'static {
    move || {
        if !force && let Some(expected) = expected {
            // A missing file is not a conflict: saving recreates it.
            if let Ok(bytes) = std::fs::read(&path)
                && ContentHash::of(&bytes) != expected
            {
                return JobResult::SaveConflict { path, then };
            }
        }
        let result = storage::save(&path, &blog);
        if let (Ok(saved), Some(known)) = (&result, &known) {
            // Before the file watcher looks at the new file: this write is ours.
            known.set(saved.content_hash);
        }
        JobResult::Saved {
            path,
            serial,
            result,
            then,
        }
    }
}

pub fn export_job(
    path: PathBuf,
    blog: Arc<LiveBlog>,
) -> impl FnOnce() -> JobResult + Send + 'static {
    move || {
        let html = crate::export::render_page(&blog);
        let result = storage::write_atomically(&path, html.as_bytes());
        JobResult::Exported { path, result }
    }
}

/// Shows the native file dialog. Without a desktop portal or zenity, rfd returns
/// nothing at once; `elapsed` lets the app tell that from a cancel and offer a typed path.
pub fn pick_job(
    purpose: PathPurpose,
    start_in: Option<PathBuf>,
    suggested_name: String,
) -> impl FnOnce() -> JobResult + Send + 'static {
    move || {
        let started = Instant::now();
        let mut dialog = rfd::FileDialog::new().set_title(purpose.title());
        if let Some(folder) = start_in {
            dialog = dialog.set_directory(folder);
        }
        let path = match purpose {
            PathPurpose::Open => dialog
                .add_filter("Newsdesk live blog", &["ron"])
                .pick_file(),
            PathPurpose::SaveAs => dialog
                .add_filter("Newsdesk live blog", &["ron"])
                .set_file_name(suggested_name)
                .save_file(),
            PathPurpose::Export => dialog
                .add_filter("Web page", &["html"])
                .set_file_name(suggested_name)
                .save_file(),
        };
        JobResult::Picked {
            purpose,
            path,
            elapsed: started.elapsed(),
        }
    }
}

/// Looks for the copies an earlier run of Newsdesk left behind (reading each journal to
/// count its changes, which can take a moment).
pub fn find_recoverable_job(folder: RecoveryFolder) -> impl FnOnce() -> JobResult + Send + 'static {
    move || JobResult::FoundRecoverable(folder.find_recoverable())
}

/// Rebuilds the document a copy holds and takes the copy over, so that writing goes on
/// into it.
pub fn restore_job(found: Recoverable) -> impl FnOnce() -> JobResult + Send + 'static {
    move || {
        let result = restore(&found)
            .map(Box::new)
            .map_err(|error| error.to_string());
        JobResult::Restored {
            found: Box::new(found),
            result,
        }
    }
}

fn restore(found: &Recoverable) -> Result<RestoredWork, storage::recovery::RecoveryError> {
    let restored = found.restore()?;
    let mut session = Session::new_unsaved(restored.blog);
    let (writer, resume_error) = match RecoveryWriter::resume(found, &mut session) {
        Ok(writer) => (Some(writer), None),
        Err(error) => (None, Some(error.to_string())),
    };
    // `base.ron` is the file as it was when the recorded work began (see
    // `storage::recovery`); the file itself may have been changed by others since.
    let base = std::fs::read(found.folder.join("base.ron")).ok();
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

/// The format version of a file written by a newer Newsdesk, read from its first lines
/// (where Newsdesk writes it), so that a restored document keeps such a file read-only.
fn newer_format_version(bytes: &[u8]) -> Option<u64> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let (_, rest) = head.split_once("format_version")?;
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let version: u64 = digits.parse().ok()?;
    (version > u64::from(storage::CURRENT_FORMAT_VERSION)).then_some(version)
}

/// Removes a copy the user chose not to restore.
pub fn discard_copy_job(found: Recoverable) -> impl FnOnce() -> JobResult + Send + 'static {
    move || {
        let folder = found.folder.clone();
        let result = found.discard().map_err(|error| error.to_string());
        JobResult::CopyDiscarded { folder, result }
    }
}

#[cfg(test)]
mod tests {
    use super::newer_format_version;

    #[test]
    fn a_newer_format_is_read_from_the_first_lines() {
        assert_eq!(
            newer_format_version(b"(\n    format_version: 9,\n"),
            Some(9)
        );
        assert_eq!(newer_format_version(b"(\n    format_version: 1,\n"), None);
        assert_eq!(newer_format_version(b"(title: \"x\")"), None);
        assert_eq!(newer_format_version(b"\xff\xfe format_version"), None);
    }
}
