//! The application shell: preferences (`EditorState`, kept by eframe), the open document
//! (`OpenDocument`), where file work stands (`FileFlow`), the view's own state and
//! per-frame caches. The frame is drawn in `frame.rs`; what the user asked for is carried
//! out in `command_handling.rs`; files in `files.rs`; never losing work in `safekeeping.rs`.

mod columns;
mod command_handling;
mod dialogs;
mod disk_watch;
mod document;
mod file_flow;
mod files;
mod frame;
mod jobs;
mod media;
mod menu;
mod publishing;
mod recovery;
mod recovery_dialog;
mod safekeeping;
mod schedule;
mod schedule_dialog;
mod settings_dialog;
mod sharing;
pub(super) mod startup_probe;
mod status_bar;
mod writing;

use crate::model::{EntryId, LiveBlog};
use crate::storage::recovery::RecoveryFolder;
use crate::ui::panels::entry_editor::TimeDraft;
use crate::ui::panels::find::FindQuery;
use crate::ui::panels::preview::PageLayout;
use crate::ui::panels::timeline::TimelineRows;
use dialogs::Dialog;
use disk_watch::DiskWatch;
use document::{OpenDocument, Origin};
use file_flow::FileFlow;
use jobs::Jobs;
use recovery::Recovery;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The bundled sample: Sky News' live page of 18 February 2025.
pub const SAMPLE_RON: &str = include_str!("../../../assets/examples/ukraine-talks-2025-02-18.ron");

/// Most recent files kept in File ▸ Open recent.
pub const RECENT_LIMIT: usize = 10;

/// Preferences, remembered between runs through eframe's storage. The document is not
/// here: it lives only in its own file.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct EditorState {
    pub dark_mode: bool,
    pub recent_files: Vec<PathBuf>,
    pub timeline_width: f32,
    pub preview_width: f32,
    pub show_timeline: bool,
    pub show_preview: bool,
    pub preview_whole_page: bool,
    pub show_checks: bool,
    /// How the others in a shared blog see this editor.
    pub editor_name: String,
    pub editor_colour: [u8; 3],
    /// The sync server last shared on, offered again.
    pub last_server: String,
    /// Spellcheck, smart typography and the user's own dictionary.
    pub writing: crate::ui::widgets::writing_aids::WritingPrefs,
    /// egui's zoom (Ctrl+= / Ctrl+- / Ctrl+0): text and controls larger or smaller.
    pub zoom: f32,
}

impl Default for EditorState {
    fn default() -> Self {
        Self {
            dark_mode: false,
            recent_files: Vec::new(),
            timeline_width: 340.0,
            preview_width: 380.0,
            show_timeline: true,
            show_preview: true,
            preview_whole_page: false,
            show_checks: false,
            editor_name: default_editor_name(),
            editor_colour: [41, 121, 255],
            last_server: "newsdesk://127.0.0.1:7878".to_owned(),
            writing: Default::default(),
            zoom: 1.0,
        }
    }
}

/// The account's name, until the editor says otherwise.
fn default_editor_name() -> String {
    std::env::var("USER")
        .ok()
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| "Editor".to_owned())
}

impl EditorState {
    pub fn remember_file(&mut self, path: PathBuf) {
        self.recent_files.retain(|known| known != &path);
        self.recent_files.insert(0, path);
        self.recent_files.truncate(RECENT_LIMIT);
    }
}

/// What the view needs between frames that is neither a preference nor the document.
#[derive(Default)]
pub struct ViewState {
    pub selected: Option<EntryId>,
    pub find_open: bool,
    pub query: FindQuery,
    pub focus_find: bool,
    pub focus_body: bool,
    pub scroll_to_selection: bool,
    pub time_draft: TimeDraft,
    pub dialog: Dialog,
    /// "Deleted …  Undo" offered until `until` (seconds of app time).
    pub undo_delete: Option<UndoDelete>,
    /// A problem the editor must see, in plain words, until dismissed.
    pub banner: Option<String>,
    /// A field to focus once it has been drawn (a jump from the Checks panel).
    pub pending_focus: Option<egui::Id>,
}

#[derive(Clone, Debug)]
pub struct UndoDelete {
    pub title: String,
    /// The document state right after the deletion: Undo is offered only while it holds.
    pub serial: u64,
    pub until: f64,
}

pub struct NewsdeskApp {
    pub state: EditorState,
    doc: OpenDocument,
    view: ViewState,
    rows: TimelineRows,
    page: PageLayout,
    jobs: Jobs,
    toasts: egui_notify::Toasts,
    /// False in tests and where no native dialog can be shown: ask for a typed path.
    native_dialogs: bool,
    /// Where file work stands, and what waits on it.
    files: FileFlow,
    /// The shared blog's connection, while the open document is shared.
    sharing: Option<sharing::Sharing>,
    /// The file whose shared state is being read in the background (`sharing::resume_sharing`).
    resuming: Option<std::path::PathBuf>,
    draft_counter: std::cell::Cell<(Option<(u64, u64)>, usize)>,
    checks: ChecksState,
    /// The open document's recovery copy, and the copies a crash left behind.
    recovery: Recovery,
    /// The open document's file, watched for changes made by others.
    disk: DiskWatch,
    fonts_installed: bool,
    applied_dark_mode: Option<bool>,
    /// The remembered zoom was handed to egui; from then on egui's zoom is remembered.
    zoom_applied: bool,
    /// The bottom-right corner the toasts stack up from.
    toasts_corner: egui::Pos2,
    window_title: String,
    startup_probe: Option<startup_probe::StartupProbe>,
    /// File > Publish now, auto-publish, and the last publish's outcome.
    publishing: publishing::Publishing,
    /// What the editor takes to be now (tests set it), and the scheduled posts to publish.
    clock: schedule::AppClock,
    schedule: schedule::ScheduleWatch,
    /// The dictionary, words ignored for the session, word counts.
    writing: crate::ui::widgets::writing_aids::WritingAids,
    /// The entry that asked for a picture while the file dialog is open.
    picture_for: Option<EntryId>,
}

impl NewsdeskApp {
    fn with_document(
        doc: OpenDocument,
        state: EditorState,
        native_dialogs: bool,
        recovery: Recovery,
    ) -> Self {
        let mut app = Self {
            state,
            doc,
            view: ViewState::default(),
            rows: TimelineRows::default(),
            page: PageLayout::default(),
            jobs: Jobs::default(),
            toasts: egui_notify::Toasts::default(),
            native_dialogs,
            files: FileFlow::Idle,
            sharing: None,
            resuming: None,
            draft_counter: std::cell::Cell::new((None, 0)),
            checks: ChecksState::default(),
            recovery,
            disk: DiskWatch::default(),
            fonts_installed: false,
            applied_dark_mode: None,
            zoom_applied: false,
            toasts_corner: egui::Pos2::ZERO,
            window_title: String::new(),
            startup_probe: None,
            publishing: publishing::Publishing::default(),
            clock: schedule::AppClock::default(),
            schedule: schedule::ScheduleWatch::default(),
            writing: Default::default(),
            picture_for: None,
        };
        if !native_dialogs {
            // Tests: the dictionary is there from the first frame, not mid-test.
            app.writing.load_on_ui_thread();
        }
        app.select_first_entry();
        app
    }

    /// The app as `newsdesk [FILE]` starts it: preferences from eframe's storage, and the
    /// file loading in the background (or the bundled sample when there is none).
    pub fn new(cc: &eframe::CreationContext<'_>, file: Option<PathBuf>) -> Self {
        let state: EditorState = cc
            .storage
            .and_then(|storage| eframe::get_value(storage, eframe::APP_KEY))
            .unwrap_or_default();
        crate::ui::fonts::install_fonts(&cc.egui_ctx);
        // The copies are looked for on the first frame, and the open document's own copy
        // starts once it has arrived (a file loads in the background).
        let recovery = Recovery::in_folder(RecoveryFolder::standard());
        let mut app = match &file {
            Some(_) => Self::with_document(
                OpenDocument::new(
                    LiveBlog::new("Untitled", chrono::Utc::now()),
                    Origin::Untitled,
                ),
                state,
                true,
                recovery,
            ),
            None => Self::with_document(sample_document(), state, true, recovery),
        };
        app.fonts_installed = true;
        app.startup_probe = startup_probe::StartupProbe::from_environment();
        if let Some(path) = file {
            app.start_load(&cc.egui_ctx, path);
        }
        app
    }

    /// An app over `blog` with default preferences and typed-path dialogs instead of
    /// native ones: what the UI tests drive.
    /// No recovery copies are kept.
    pub fn new_for_test(blog: LiveBlog) -> Self {
        Self::with_document(
            OpenDocument::new(blog, Origin::Untitled),
            EditorState::default(),
            false,
            Recovery::off(),
        )
    }

    /// Like `new_for_test`, over a document that lives in `path` (loaded from it, and
    /// watched for changes made by others).
    pub fn new_for_test_with_file(path: PathBuf) -> Result<Self, crate::storage::LoadError> {
        Self::for_test_over_file(path, Recovery::off())
    }

    /// Like `new_for_test`, keeping recovery copies in `folder` (a test's own, so tests
    /// never share one), and offering the copies already there on the first frame, as
    /// the editor does at start.
    pub fn new_for_test_with_recovery(blog: LiveBlog, folder: RecoveryFolder) -> Self {
        let mut app = Self::with_document(
            OpenDocument::new(blog, Origin::Untitled),
            EditorState::default(),
            false,
            Recovery::in_folder(Some(folder)),
        );
        app.recovery.start(&mut app.doc);
        app
    }

    /// `new_for_test_with_file` keeping recovery copies in `folder`.
    pub fn new_for_test_with_file_and_recovery(
        path: PathBuf,
        folder: RecoveryFolder,
    ) -> Result<Self, crate::storage::LoadError> {
        Self::for_test_over_file(path, Recovery::in_folder(Some(folder)))
    }

    fn for_test_over_file(
        path: PathBuf,
        recovery: Recovery,
    ) -> Result<Self, crate::storage::LoadError> {
        let loaded = crate::storage::load(&path)?;
        let mut doc = OpenDocument::new(loaded.blog, Origin::File(path));
        doc.disk_hash = Some(loaded.content_hash);
        doc.access = loaded.access;
        let mut app = Self::with_document(doc, EditorState::default(), false, recovery);
        app.recovery.start(&mut app.doc);
        app.watch_document();
        Ok(app)
    }

    // ---- read access for tests and other panels -------------------------------------

    pub fn session(&self) -> &crate::edit::Session {
        &self.doc.session
    }

    pub fn blog(&self) -> &LiveBlog {
        self.doc.blog()
    }

    pub fn selected(&self) -> Option<&EntryId> {
        self.view.selected.as_ref()
    }

    /// What the Checks panel lists (as of the last recheck).
    pub fn checks_shown(&self) -> &crate::checks::CheckReport {
        &self.checks.shown
    }

    pub fn file_path(&self) -> Option<&std::path::Path> {
        self.doc.path()
    }

    pub fn is_dirty(&self) -> bool {
        self.doc.is_dirty()
    }

    /// Whether file work is still running in the background.
    pub fn is_busy(&self) -> bool {
        self.jobs.is_busy()
    }

    pub fn banner(&self) -> Option<&str> {
        self.view.banner.as_deref()
    }

    pub fn window_title(&self) -> &str {
        &self.window_title
    }

    pub fn filtered_count(&self) -> usize {
        self.rows.matched
    }

    /// Whether the user agreed to close the window (saved, or discarded on purpose).
    pub fn quit_requested(&self) -> bool {
        self.files.is_closing()
    }

    /// What the status bar says about sharing, while the blog is shared.
    pub fn sharing_status(&self) -> Option<String> {
        self.sharing.as_ref().map(sharing::Sharing::status_text)
    }

    /// The share link of the room, while the blog is shared.
    pub fn share_link(&self) -> Option<String> {
        self.sharing
            .as_ref()
            .map(|sharing| sharing.link.to_string())
    }

    /// Where the toasts showing now are drawn, at most: a column of toasts up to
    /// `TOAST_AREA_WIDTH` wide rising from the corner above the status bar.
    pub fn toast_area(&self) -> Option<egui::Rect> {
        let count = self.toasts.len();
        (count > 0).then(|| {
            let size = egui::vec2(TOAST_AREA_WIDTH, count as f32 * TOAST_HEIGHT);
            egui::Rect::from_min_max(self.toasts_corner - size, self.toasts_corner)
        })
    }

    /// Whether a file is still being opened (editing waits for it).
    pub fn is_opening(&self) -> bool {
        self.files.is_opening()
    }

    // ---- recovery and the file on disk, for tests ----------------------------------------

    /// The folder of the open document's recovery copy, once one is kept.
    pub fn recovery_copy(&self) -> Option<&Path> {
        self.recovery.copy_folder()
    }

    /// Runs the frame's recovery poll as if it were `now`: tests jump past the deadline
    /// instead of sleeping. Returns when the frame would poll again at the latest.
    pub fn poll_recovery_at(&mut self, now: Instant) -> Option<Duration> {
        self.recovery.poll_at(&mut self.doc.session, now)
    }

    /// Waits until what the recovery writer was given is on disk.
    pub fn flush_recovery(&mut self) {
        self.recovery.flush();
    }

    /// What the banner says about recovery copies, if anything.
    pub fn recovery_problem(&mut self) -> Option<String> {
        self.recovery.problem()
    }

    /// What the "changed on disk" banner reports, if it is showing.
    pub fn disk_change(&self) -> Option<&crate::storage::watch::ExternalChange> {
        self.disk.change.as_ref()
    }

    /// Whether the open document's file is being watched.
    pub fn is_watching_file(&self) -> bool {
        self.disk.is_watching()
    }

    /// Recovery copies on offer (found at start and neither restored nor discarded).
    pub fn recoverable(&self) -> &[crate::storage::recovery::Recoverable] {
        &self.recovery.offered
    }

    pub fn select(&mut self, id: EntryId) {
        self.view.selected = Some(id);
        self.view.scroll_to_selection = true;
    }

    fn select_first_entry(&mut self) {
        let blog = self.doc.blog();
        self.view.selected = blog
            .pinned
            .first()
            .cloned()
            .or_else(|| blog.entries.front().map(|entry| entry.id.clone()));
    }

    /// Seconds of app time, for merging typing into undo steps.
    fn now_seconds(ctx: &egui::Context) -> f64 {
        ctx.input(|i| i.time)
    }
}

/// The widest a toast is expected to be (its caption on one line), and a toast's height
/// with the gap above it: where toasts may be drawn, for checking they cover nothing.
pub const TOAST_AREA_WIDTH: f32 = 380.0;
const TOAST_HEIGHT: f32 = 44.0;

/// Seconds without a change before the checks run again.
const CHECK_AFTER_PAUSE: f64 = 0.4;
/// Checks run at least this often while shown (drafts go stale with time alone).
const RECHECK_EVERY: f64 = 60.0;

/// The live checks behind the Checks panel.
#[derive(Default)]
pub struct ChecksState {
    pub checker: crate::checks::Checker,
    /// The (document, revision) last seen, and when it changed.
    seen: Option<(u64, u64)>,
    changed_at: f64,
    /// The (document, revision) last checked, and when.
    checked: Option<(u64, u64)>,
    checked_at: f64,
    /// The checker's report with the pictures whose files are missing put in their
    /// entries' places: the one check that reads the disk, run with each recheck.
    shown: crate::checks::CheckReport,
}

/// The bundled sample, parsed with the same code as any file.
pub fn sample_document() -> OpenDocument {
    let name = std::path::Path::new("ukraine-talks-2025-02-18.ron");
    let blog = match crate::storage::load_bytes(name, SAMPLE_RON.as_bytes()) {
        Ok(loaded) => loaded.blog,
        // The sample ships with the binary and is tested; this is only a safety net.
        Err(_) => LiveBlog::new("Untitled", chrono::Utc::now()),
    };
    OpenDocument::new(blog, Origin::Sample)
}

impl eframe::App for NewsdeskApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        NewsdeskApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.state);
    }
}
