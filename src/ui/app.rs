//! The app: preferences (`EditorState`, kept by eframe), the open document
//! (`OpenDocument`), the view's own state and per-frame caches, and the frame itself.

use super::command::{Action, UiCommand};
use super::dialogs::Dialog;
use super::disk_watch::DiskWatch;
use super::document::{OpenDocument, Origin};
use super::entry_editor::{EntryEditor, TimeDraft};
use super::find::FindQuery;
use super::jobs::Jobs;
use super::preview::PageLayout;
use super::recovery::Recovery;
use super::timeline::{TimelineRows, TimelineView};
use super::{fonts, menu, status_bar};
use crate::model::{EntryId, LiveBlog};
use crate::storage::recovery::RecoveryFolder;
use egui::{CentralPanel, Panel, Ui};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The bundled sample: Sky News' live page of 18 February 2025.
pub const SAMPLE_RON: &str = include_str!("../../assets/examples/ukraine-talks-2025-02-18.ron");

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
    pub show_preview: bool,
    pub preview_whole_page: bool,
    pub show_checks: bool,
}

impl Default for EditorState {
    fn default() -> Self {
        Self {
            dark_mode: false,
            recent_files: Vec::new(),
            timeline_width: 340.0,
            preview_width: 380.0,
            show_preview: true,
            preview_whole_page: false,
            show_checks: false,
        }
    }
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
    pub(super) doc: OpenDocument,
    pub(super) view: ViewState,
    pub(super) rows: TimelineRows,
    pub(super) page: PageLayout,
    pub(super) jobs: Jobs,
    pub(super) toasts: egui_notify::Toasts,
    /// False in tests and where no native dialog can be shown: ask for a typed path.
    pub(super) native_dialogs: bool,
    /// A file being opened; editing waits until it has arrived.
    pub(super) loading: Option<PathBuf>,
    pub(super) saving: bool,
    /// The window was asked to close during a save: close when it has finished.
    pub(super) close_after_save: bool,
    /// Set once the user agreed to close (saved or discarded).
    pub(super) allow_close: bool,
    pub(super) quit_requested: bool,
    /// What waits for the Save As dialog to finish (Quit, Open…).
    pub(super) after_save_as: super::jobs::AfterSave,
    pub(super) draft_counter: std::cell::Cell<(Option<(u64, u64)>, usize)>,
    pub(super) checks: ChecksState,
    /// The open document's recovery copy, and the copies a crash left behind.
    pub(super) recovery: Recovery,
    /// The open document's file, watched for changes made by others.
    pub(super) disk: DiskWatch,
    fonts_installed: bool,
    applied_dark_mode: Option<bool>,
    window_title: String,
    startup_probe: Option<super::startup_probe::StartupProbe>,
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
            loading: None,
            saving: false,
            close_after_save: false,
            allow_close: false,
            quit_requested: false,
            after_save_as: super::jobs::AfterSave::Nothing,
            draft_counter: std::cell::Cell::new((None, 0)),
            checks: ChecksState::default(),
            recovery,
            disk: DiskWatch::default(),
            fonts_installed: false,
            applied_dark_mode: None,
            window_title: String::new(),
            startup_probe: None,
        };
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
        fonts::install_fonts(&cc.egui_ctx);
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
        app.startup_probe = super::startup_probe::StartupProbe::from_environment();
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

    pub fn quit_requested(&self) -> bool {
        self.quit_requested
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

    pub(super) fn select_first_entry(&mut self) {
        let blog = self.doc.blog();
        self.view.selected = blog
            .pinned
            .first()
            .cloned()
            .or_else(|| blog.entries.first().map(|entry| entry.id.clone()));
    }

    /// Seconds of app time, for merging typing into undo steps.
    pub(super) fn now_seconds(ctx: &egui::Context) -> f64 {
        ctx.input(|i| i.time)
    }

    // ---- the frame -------------------------------------------------------------------

    /// Draws one frame and then applies what the user asked for during it.
    pub fn ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        if !self.fonts_installed {
            fonts::install_fonts(&ctx);
            self.fonts_installed = true;
        }
        if self.applied_dark_mode != Some(self.state.dark_mode) {
            ctx.set_theme(if self.state.dark_mode {
                egui::Theme::Dark
            } else {
                egui::Theme::Light
            });
            self.applied_dark_mode = Some(self.state.dark_mode);
        }
        self.poll_jobs(&ctx);
        self.keep_document_safe(&ctx);
        if let Some(probe) = &mut self.startup_probe
            && probe.frame(self.loading.is_none())
        {
            self.startup_probe = None;
            self.allow_close = true;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        self.handle_dropped_files(&ctx);
        self.handle_close_request(&ctx);

        let mut actions = Vec::new();
        self.collect_shortcuts(&ctx, &mut actions);
        self.rows.refresh(&self.doc, &self.view.query);

        Panel::top("menu-bar").show(ui, |ui| {
            menu::menu_bar(ui, self, &mut actions);
        });
        Panel::bottom("status-bar").show(ui, |ui| {
            status_bar::status_bar(ui, self);
        });
        self.safety_banners(ui, &mut actions);
        if let Some(banner) = self.view.banner.clone() {
            Panel::top("banner").show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.colored_label(ui.visuals().error_fg_color, &banner);
                    if ui.button("Dismiss").clicked() {
                        self.view.banner = None;
                    }
                });
            });
        }

        let timeline = Panel::left("timeline")
            .resizable(true)
            .default_size(self.state.timeline_width)
            .size_range(220.0..=700.0)
            .show(ui, |ui| self.timeline_panel(ui, &mut actions));
        self.state.timeline_width = timeline.response.rect.width();

        if self.state.show_preview {
            let preview = Panel::right("preview")
                .resizable(true)
                .default_size(self.state.preview_width)
                .size_range(240.0..=900.0)
                .show(ui, |ui| self.preview_panel(ui, &mut actions));
            self.state.preview_width = preview.response.rect.width();
        }

        if self.state.show_checks {
            Panel::bottom("checks")
                .resizable(true)
                .default_size(180.0)
                .show(ui, |ui| self.checks_ui(ui, &mut actions));
        }

        CentralPanel::default().show(ui, |ui| self.editor_panel(ui, &mut actions));
        if let Some(id) = self.view.pending_focus.take() {
            ctx.memory_mut(|memory| memory.request_focus(id));
        }

        self.dialogs_ui(&ctx, &mut actions);
        self.undo_delete_ui(&ctx, &mut actions);
        self.toasts.show(&ctx);

        for action in actions {
            self.run_action(&ctx, action);
        }
        self.update_window_title(&ctx);
        // After this frame's edits, so that their deadline is counted from now.
        self.recovery.frame(&ctx, &mut self.doc.session);
        if self.jobs.is_busy() {
            // Keep the progress indicator moving while work runs in the background.
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    fn timeline_panel(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        ui.horizontal(|ui| {
            if ui.button("New post").clicked() {
                actions.push(Action::Command(UiCommand::NewPost));
            }
            if ui.button("Find…").clicked() {
                actions.push(Action::Command(UiCommand::Find));
            }
            if ui.button("Sort by time").clicked() {
                actions.push(Action::Command(UiCommand::SortByTime));
            }
        });
        if self.view.find_open || self.view.query.is_active() {
            super::find_bar::find_bar(ui, &mut self.view, self.rows.matched, actions);
        }
        ui.separator();
        let scroll_to_row = if std::mem::take(&mut self.view.scroll_to_selection) {
            match self.view.selected.clone() {
                Some(id) => self.rows.row_of(&mut self.doc, &id),
                None => None,
            }
        } else {
            None
        };
        TimelineView {
            doc: &self.doc,
            rows: &self.rows,
            selected: self.view.selected.as_ref(),
            scroll_to_row,
        }
        .ui(ui, actions);
    }

    fn editor_panel(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        if let Some(path) = &self.loading {
            ui.add_space(40.0);
            ui.vertical_centered(|ui| {
                ui.spinner();
                ui.label(format!("Opening {}…", path.display()));
            });
            return;
        }
        let Some(id) = self.view.selected.clone() else {
            ui.add_space(40.0);
            ui.vertical_centered(|ui| {
                ui.label("No entry selected.");
                ui.label("Choose one in the timeline, or start a new post (Ctrl+N).");
            });
            return;
        };
        let Some(position) = self.doc.position(&id) else {
            ui.label("The selected entry is no longer in the document.");
            return;
        };
        let blog = self.doc.blog();
        let Some(entry) = blog.entries.get(position) else {
            return;
        };
        egui::ScrollArea::vertical()
            .id_salt("entry-editor")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                EntryEditor {
                    blog,
                    entry,
                    time_draft: &mut self.view.time_draft,
                    focus_body: &mut self.view.focus_body,
                }
                .ui(ui, actions);
            });
    }

    fn preview_panel(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        ui.horizontal(|ui| {
            ui.strong("Preview");
            let mut whole_page = self.state.preview_whole_page;
            ui.selectable_value(&mut whole_page, false, "Entry");
            ui.selectable_value(&mut whole_page, true, "Whole page");
            if whole_page != self.state.preview_whole_page {
                actions.push(Action::Command(UiCommand::TogglePagePreview));
            }
        });
        ui.separator();
        if self.loading.is_some() {
            return;
        }
        if self.state.preview_whole_page {
            super::preview::page_ui(ui, &self.doc, &mut self.page);
            return;
        }
        let Some(id) = self.view.selected.clone() else {
            ui.weak("Select an entry to preview it.");
            return;
        };
        let Some(position) = self.doc.position(&id) else {
            return;
        };
        let blog = self.doc.blog();
        if let Some(entry) = blog.entries.get(position) {
            egui::ScrollArea::vertical()
                .id_salt("entry-preview")
                .auto_shrink([false, false])
                .show(ui, |ui| super::preview::entry_ui(ui, blog, entry));
        }
    }

    /// The Checks panel. The document is checked again once typing pauses (the checker
    /// passes over every entry, so not on every keystroke), and every minute for drafts
    /// going stale.
    fn checks_ui(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        let now = Self::now_seconds(ui.ctx());
        let revision = self.doc.session.revision();
        let document = self.doc.shape_revision();
        if self.checks.seen != Some((document, revision)) {
            self.checks.seen = Some((document, revision));
            self.checks.changed_at = now;
        }
        let settled = now - self.checks.changed_at >= CHECK_AFTER_PAUSE;
        let stale = self.checks.checked != Some((document, revision))
            || now - self.checks.checked_at >= RECHECK_EVERY;
        if self.loading.is_none() && stale && (settled || self.checks.checked.is_none()) {
            self.checks
                .checker
                .check(self.doc.blog(), chrono::Utc::now());
            self.checks.checked = Some((document, revision));
            self.checks.checked_at = now;
        } else if stale {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(CHECK_AFTER_PAUSE));
        }
        let blog = self.doc.blog();
        if let Some(action) =
            super::checks_panel::checks_panel_ui(ui, self.checks.checker.report(), &blog.time_zone)
        {
            actions.push(Action::Checks(action));
        }
    }

    fn undo_delete_ui(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let now = Self::now_seconds(ctx);
        let Some(offer) = &self.view.undo_delete else {
            return;
        };
        if now > offer.until || self.doc.session.history().state_serial() != offer.serial {
            self.view.undo_delete = None;
            return;
        }
        let title = offer.title.clone();
        egui::Area::new(egui::Id::unique("undo-delete"))
            .anchor(egui::Align2::CENTER_BOTTOM, egui::vec2(0.0, -40.0))
            .order(egui::Order::Foreground)
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.label(format!("Deleted “{title}”"));
                        if ui.button("Undo").clicked() {
                            actions.push(Action::UndoDelete);
                        }
                    });
                });
            });
        ctx.request_repaint_after(std::time::Duration::from_millis(500));
    }

    fn update_window_title(&mut self, ctx: &egui::Context) {
        let mark = if self.doc.is_dirty() { "● " } else { "" };
        let read_only = if self.doc.is_read_only() {
            " (read-only)"
        } else {
            ""
        };
        let title = format!("{mark}{}{read_only} — Newsdesk", self.doc.display_name());
        if title != self.window_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window_title = title;
        }
    }
}

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
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        NewsdeskApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.state);
    }
}
