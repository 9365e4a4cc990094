//! Noticing that someone else changed the open file: a `storage::watch::FileWatcher` on
//! the document's file while one is open, and the banner that offers Reload or Keep mine
//! (or, when the file went away, to save it again).

use crate::storage::ContentHash;
use crate::storage::watch::{ExternalChange, FileWatcher, KnownContent, SETTLE_TIME};
use crate::ui::action::DiskChoice;
use egui::Ui;
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::ffi::OsString;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

/// After something happens to the file, the watcher is asked this often...
const ASK_EVERY: Duration = Duration::from_millis(250);
/// ...for this long: time for it to let a save settle and hash even a very large file.
const ASK_FOR: Duration = Duration::from_secs(5);
/// How often the watcher is asked when the window cannot be woken by the file's events.
const ASK_WHEN_NOT_WOKEN: Duration = Duration::from_secs(1);

#[derive(Default)]
pub struct DiskWatch {
    watcher: Option<FileWatcher>,
    /// Wakes the window when the file's folder reports something about the file: the
    /// watcher's own reports arrive on a channel that does not, and repainting every
    /// second just in case costs a frame a second (a tenth of a core when drawn in software).
    wake: Option<Wake>,
    /// The window to wake, known from the first frame on.
    window: Arc<OnceLock<egui::Context>>,
    /// What the banner shows until the user answers it.
    pub change: Option<ExternalChange>,
}

/// A second, light watch on the document's folder that only wakes the window.
struct Wake {
    last_event: Arc<Mutex<Option<Instant>>>,
    _watcher: RecommendedWatcher,
}

impl Wake {
    fn start(path: &Path, window: Arc<OnceLock<egui::Context>>) -> Option<Self> {
        let name = OsString::from(path.file_name()?);
        let folder = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        };
        let last_event = Arc::new(Mutex::new(None));
        let seen = Arc::clone(&last_event);
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                let ours = match &event {
                    // Reading the file (the watcher hashing it) is not a change.
                    Ok(event) => {
                        !matches!(event.kind, EventKind::Access(_))
                            && event
                                .paths
                                .iter()
                                .any(|path| path.file_name() == Some(name.as_os_str()))
                    }
                    Err(_) => true,
                };
                if ours {
                    *seen.lock().unwrap_or_else(PoisonError::into_inner) = Some(Instant::now());
                    if let Some(ctx) = window.get() {
                        ctx.request_repaint_after(SETTLE_TIME + ASK_EVERY);
                    }
                }
            })
            .ok()?;
        watcher.watch(&folder, RecursiveMode::NonRecursive).ok()?;
        Some(Self {
            last_event,
            _watcher: watcher,
        })
    }

    /// Whether the file's folder reported something about it lately.
    fn recently_stirred(&self) -> bool {
        self.last_event
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some_and(|at| at.elapsed() < ASK_FOR)
    }
}

impl DiskWatch {
    /// Watches `path`, which holds `known` because it was just loaded or saved; or stops
    /// watching when the document has no file. Returns a sentence when it cannot watch.
    pub fn watch(&mut self, file: Option<(&Path, ContentHash)>) -> Option<String> {
        self.watcher = None;
        self.wake = None;
        self.change = None;
        let (path, known) = file?;
        match FileWatcher::watch(path, known) {
            Ok(watcher) => {
                self.watcher = Some(watcher);
                self.wake = Wake::start(path, Arc::clone(&self.window));
                None
            }
            Err(error) => Some(format!(
                "Changes that others make to {} will not be noticed while it is open ({error}); \
                 saving still checks first.",
                path.display()
            )),
        }
    }

    /// The document was saved to `path` as `hash`: our own write is not someone else's
    /// change. Saving to another file (Save As) moves the watch there.
    pub fn saved(&mut self, path: &Path, hash: ContentHash) -> Option<String> {
        match &self.watcher {
            Some(watcher) if watcher.path() == path => {
                watcher.set_known(hash);
                self.change = None;
                None
            }
            _ => self.watch(Some((path, hash))),
        }
    }

    /// The content the watched file is known to hold, for a save of `path` to update from
    /// its own thread the moment it has written (before the watcher sees the write).
    pub fn known_content_for(&self, path: &Path) -> Option<KnownContent> {
        self.watcher
            .as_ref()
            .filter(|watcher| watcher.path() == path)
            .map(FileWatcher::known_content)
    }

    /// Call every frame; never blocks.
    pub fn poll(&mut self, ctx: &egui::Context) {
        self.window.get_or_init(|| ctx.clone());
        let Some(watcher) = &self.watcher else {
            return;
        };
        if let Some(change) = watcher.poll() {
            self.change = Some(change);
        }
        match &self.wake {
            Some(wake) if wake.recently_stirred() => ctx.request_repaint_after(ASK_EVERY),
            Some(_) => {}
            None => ctx.request_repaint_after(ASK_WHEN_NOT_WOKEN),
        }
    }

    pub fn is_watching(&self) -> bool {
        self.watcher.is_some()
    }

    /// The banner, while there is a change to answer. `name` is the file's name.
    pub fn banner_ui(&self, ui: &mut Ui, name: &str, dirty: bool) -> Option<DiskChoice> {
        let change = self.change.as_ref()?;
        let mut choice = None;
        ui.horizontal_wrapped(|ui| {
            let warn = ui.visuals().warn_fg_color;
            match change {
                ExternalChange::Changed { .. } => {
                    ui.colored_label(warn, format!("{name} changed on disk."));
                    ui.label(if dirty {
                        "Reload it (your unsaved changes here would be lost), or keep yours: \
                         saving then asks before overwriting."
                    } else {
                        "Reload it, or keep yours: saving then asks before overwriting."
                    });
                    if ui.button("Reload").clicked() {
                        choice = Some(DiskChoice::Reload);
                    }
                    if ui.button("Keep mine").clicked() {
                        choice = Some(DiskChoice::KeepMine);
                    }
                }
                ExternalChange::Removed => {
                    ui.colored_label(warn, format!("{name} was deleted or moved on disk."));
                    ui.label("The document is still open here: save it to write the file again.");
                    if ui.button("Save it again").clicked() {
                        choice = Some(DiskChoice::SaveAgain);
                    }
                    if ui.button("Keep mine").clicked() {
                        choice = Some(DiskChoice::KeepMine);
                    }
                }
            }
        });
        choice
    }
}
