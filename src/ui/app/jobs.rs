//! File work off the UI thread. Each job runs on its own thread and sends its result
//! home on a channel that the app reads once per frame, so a big load or save never
//! freezes the window.

use crate::model::LiveBlog;
use crate::storage::recovery::{Recoverable, RecoveryFolder, RestoredWork};
use crate::storage::watch::KnownContent;
use crate::storage::{self, ContentHash, LoadError, Loaded, SaveError, SavedFile};
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
    /// A picture for the entry that asked (`NewsdeskApp::picture_for`).
    Picture,
}

impl PathPurpose {
    pub fn title(self) -> &'static str {
        match self {
            PathPurpose::Open => "Open a live blog",
            PathPurpose::SaveAs => "Save the live blog as",
            PathPurpose::Export => "Export the page as HTML",
            PathPurpose::Picture => "Add a picture",
        }
    }
}

pub enum JobResult {
    Loaded {
        path: PathBuf,
        /// Boxed: a loaded document is large next to the other results.
        result: Box<Result<Loaded, LoadError>>,
    },
    Saved {
        path: PathBuf,
        result: Result<SavedFile, SaveError>,
    },
    /// The file changed on disk since it was loaded or saved: nothing was written.
    SaveConflict { path: PathBuf },
    Exported {
        path: PathBuf,
        result: Result<SavedFile, String>,
        /// Pictures the page shows whose files are not beside the document.
        missing_pictures: Vec<String>,
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
    /// A live blog shared (a room made) or joined.
    Shared(Result<Box<super::sharing::SharedWork>, String>),
    /// The shared state kept beside an opened file, read in the background.
    Resumed {
        path: PathBuf,
        result: Result<Box<super::sharing::ResumedWork>, String>,
    },
    CopyDiscarded {
        folder: PathBuf,
        result: Result<(), String>,
    },
    /// A picture copied into the media folder, for `entry`.
    PictureImported {
        entry: crate::model::EntryId,
        result: Result<crate::media::ImportedImage, String>,
    },
    /// The card of the post at `url`, for `entry`'s embed.
    EmbedFetched {
        entry: crate::model::EntryId,
        url: String,
        result: Result<crate::model::EmbedCard, String>,
    },
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

/// Saves `blog` to `path` (with its pictures from beside `media_from`, the document's
/// previous place, when that is elsewhere); unless `force`, first checks that the file on disk is still
/// the one last loaded or saved (`expected`), and reports a conflict instead of writing.
pub fn save_job(
    path: PathBuf,
    blog: Arc<LiveBlog>,
    expected: Option<ContentHash>,
    force: bool,
    known: Option<KnownContent>,
    media_from: Option<PathBuf>,
) -> impl FnOnce() -> JobResult + Send + 'static {
    move || {
        if !force && let Some(expected) = expected {
            // A missing file is not a conflict: saving recreates it.
            if let Ok(bytes) = std::fs::read(&path)
                && ContentHash::of(&bytes) != expected
            {
                return JobResult::SaveConflict { path };
            }
        }
        // Saved elsewhere (Save As): the pictures go along first, under the same paths.
        if let Some(from) = media_from.filter(|from| *from != path)
            && let Err(reason) = crate::media::copy_document_media(&blog, &from, &path)
        {
            return JobResult::Saved {
                path,
                result: Err(SaveError::Io {
                    path: PathBuf::from(crate::media::folder::media_folder_name(&from)),
                    source: std::io::Error::other(reason),
                }),
            };
        }
        let result = storage::save(&path, &blog);
        if let (Ok(saved), Some(known)) = (&result, &known) {
            // Before the file watcher looks at the new file: this write is ours.
            known.set(saved.content_hash);
        }
        JobResult::Saved { path, result }
    }
}

/// Writes the page as it stands at `now` (the editor's clock), after the pictures it shows (from beside `document`, when the
/// document has been saved) so that it never lands before them.
pub fn export_job(
    path: PathBuf,
    blog: Arc<LiveBlog>,
    now: chrono::DateTime<chrono::Utc>,
    document: Option<PathBuf>,
) -> impl FnOnce() -> JobResult + Send + 'static {
    move || {
        let pictures = match &document {
            Some(document) => crate::media::copy_media_beside(&blog, document, &path),
            None => Ok(crate::media::MediaCopy::default()),
        };
        let (result, missing_pictures) = match pictures {
            Ok(pictures) => (
                // Streamed, as the command line does: the same bytes, never whole in memory.
                storage::write_atomically_streamed(&path, |out| {
                    crate::export::write_page(&blog, now, out)
                })
                .map_err(|error| error.to_string()),
                pictures.missing,
            ),
            Err(reason) => (Err(reason), Vec::new()),
        };
        JobResult::Exported {
            path,
            result,
            missing_pictures,
        }
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
            PathPurpose::Picture => dialog
                .add_filter("Pictures", &crate::export::url::MEDIA_EXTENSIONS)
                .pick_file(),
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
        let result = found
            .resume()
            .map(Box::new)
            .map_err(|error| error.to_string());
        JobResult::Restored {
            found: Box::new(found),
            result,
        }
    }
}

/// Removes a copy the user chose not to restore.
pub fn discard_copy_job(found: Recoverable) -> impl FnOnce() -> JobResult + Send + 'static {
    move || {
        let folder = found.folder.clone();
        let result = found.discard().map_err(|error| error.to_string());
        JobResult::CopyDiscarded { folder, result }
    }
}
