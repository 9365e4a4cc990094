//! Files: open, save, save as, export, recent files, dropped files, the unsaved-changes
//! question and closing the window. The work itself runs in `jobs`; this decides what to
//! run and what to do with the result. On any failure the open document stays as it was.

use super::NewsdeskApp;
use super::dialogs::Dialog;
use super::document::{OpenDocument, Origin};
use super::file_flow::{AfterSave, FileFlow};
use super::jobs::{self, JobResult, PathPurpose};
use crate::model::LiveBlog;
use crate::storage::file_name;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// rfd returns `None` this quickly only when it could not show a dialog at all.
const NO_DIALOG_WITHIN: Duration = Duration::from_millis(150);

impl NewsdeskApp {
    /// Runs `then` now, or first asks Save / Discard / Cancel when there are unsaved changes.
    pub(super) fn guard_unsaved(&mut self, ctx: &egui::Context, then: AfterSave) {
        if self.doc.is_dirty() {
            self.files = FileFlow::Asking { then };
            self.view.dialog = Dialog::UnsavedChanges;
        } else {
            self.proceed(ctx, then);
        }
    }

    /// Does what was waiting for the document to be saved or discarded.
    pub(super) fn proceed(&mut self, ctx: &egui::Context, then: AfterSave) {
        match then {
            AfterSave::Nothing => {}
            AfterSave::NewDocument => {
                self.stop_sharing();
                self.replace_document(OpenDocument::new(
                    LiveBlog::new("Untitled live blog", chrono::Utc::now()),
                    Origin::Untitled,
                ));
            }
            AfterSave::Open => self.pick_path(ctx, PathPurpose::Open),
            AfterSave::OpenPath(path) => self.start_load(ctx, path),
            AfterSave::Quit => {
                // Saved, or discarded on purpose: the recovery copy goes.
                self.recovery.discard_now();
                self.files = FileFlow::Closing;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            AfterSave::Restore(found) => self.start_restore(ctx, *found),
            AfterSave::Join(link) => {
                self.stop_sharing();
                self.start_join(ctx, *link);
            }
        }
    }

    /// `doc` becomes the open document: the last one was saved or discarded on purpose
    /// (so its recovery copy goes), and a new copy and a watch on its file start.
    pub(super) fn replace_document(&mut self, doc: OpenDocument) {
        self.show_document(doc);
        self.recovery.start(&mut self.doc);
        self.watch_document();
    }

    /// Shows `doc` in place of the open document, with nothing selected from the last.
    pub(super) fn show_document(&mut self, doc: OpenDocument) {
        self.doc = doc;
        // A shared state still being read belonged to the document just replaced.
        self.resuming = None;
        self.view.undo_delete = None;
        self.view.time_draft = Default::default();
        self.select_first_entry();
        self.view.scroll_to_selection = true;
    }

    /// Save: to the document's own file, or Save As when it has none (or is read-only).
    pub(super) fn save(&mut self, ctx: &egui::Context, then: AfterSave) {
        match (
            self.doc.path().map(Path::to_path_buf),
            self.doc.is_read_only(),
        ) {
            (Some(path), false) => self.start_save(ctx, path, false, then),
            _ => self.save_as(ctx, then),
        }
    }

    pub(super) fn save_as(&mut self, ctx: &egui::Context, then: AfterSave) {
        self.files = FileFlow::ChoosingSaveAs { then };
        self.pick_path(ctx, PathPurpose::SaveAs);
    }

    /// Export, after the checks: with errors left, ask first.
    pub(super) fn export(&mut self, ctx: &egui::Context, choose_path: bool) {
        let report = self
            .checks
            .checker
            .check(self.doc.blog(), chrono::Utc::now());
        if report.has_errors() {
            self.view.dialog = Dialog::ExportWithErrors { choose_path };
        } else {
            self.export_checked(ctx, choose_path);
        }
    }

    pub(super) fn export_checked(&mut self, ctx: &egui::Context, choose_path: bool) {
        if choose_path {
            self.pick_path(ctx, PathPurpose::Export);
            return;
        }
        match self.doc.path() {
            // Next to the document: NAME.html.
            Some(path) => {
                let target = path.with_extension("html");
                self.start_export(ctx, target);
            }
            None => self.pick_path(ctx, PathPurpose::Export),
        }
    }

    /// Asks for a path: the native dialog, or the typed-path dialog where there is none.
    pub(super) fn pick_path(&mut self, ctx: &egui::Context, purpose: PathPurpose) {
        if !self.native_dialogs {
            self.open_typed_path(purpose, false);
            return;
        }
        let start_in = self
            .doc
            .path()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .or_else(|| {
                self.state
                    .recent_files
                    .first()
                    .and_then(|p| p.parent())
                    .map(Path::to_path_buf)
            });
        let suggested = match purpose {
            PathPurpose::Export => format!("{}.html", self.suggested_stem()),
            _ => format!("{}.ron", self.suggested_stem()),
        };
        self.jobs.spawn(
            ctx,
            "Waiting for the file dialog…".into(),
            jobs::pick_job(purpose, start_in, suggested),
        );
    }

    fn suggested_stem(&self) -> String {
        let blog = self.doc.blog();
        match self.doc.path().and_then(Path::file_stem) {
            Some(stem) => stem.to_string_lossy().into_owned(),
            None if !blog.settings.slug.trim().is_empty() => blog.settings.slug.trim().to_owned(),
            None => "live-blog".to_owned(),
        }
    }

    pub(super) fn open_typed_path(&mut self, purpose: PathPurpose, no_native: bool) {
        let text = match purpose {
            PathPurpose::Open | PathPurpose::Picture => String::new(),
            PathPurpose::SaveAs => self
                .doc
                .path()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            PathPurpose::Export => self
                .doc
                .path()
                .map(|p| p.with_extension("html").display().to_string())
                .unwrap_or_default(),
        };
        self.view.dialog = Dialog::TypedPath {
            purpose,
            text,
            error: None,
            no_native,
            focus: true,
        };
    }

    pub(super) fn path_chosen(&mut self, ctx: &egui::Context, purpose: PathPurpose, path: PathBuf) {
        match purpose {
            PathPurpose::Open => self.start_load(ctx, path),
            PathPurpose::SaveAs => {
                let then = self.files.take_waiting();
                // The user chose this file, and the native dialog already asked about
                // replacing it: no conflict check.
                self.start_save(ctx, path, true, then);
            }
            PathPurpose::Export => self.start_export(ctx, path),
            PathPurpose::Picture => self.picture_chosen(ctx, path),
        }
    }

    pub(super) fn start_load(&mut self, ctx: &egui::Context, path: PathBuf) {
        if let Some(reason) = self.files.busy_reason() {
            self.toasts.info(reason);
            return;
        }
        self.files = FileFlow::Opening { what: path.clone() };
        self.jobs.spawn(
            ctx,
            format!("Opening {}…", file_name(&path)),
            jobs::load_job(path),
        );
    }

    pub(super) fn start_save(
        &mut self,
        ctx: &egui::Context,
        path: PathBuf,
        force: bool,
        then: AfterSave,
    ) {
        if let Some(reason) = self.files.busy_reason() {
            self.toasts.info(reason);
            return;
        }
        let serial = self.doc.session.state_serial();
        self.files = FileFlow::Saving {
            serial,
            then,
            close_requested: false,
        };
        // Saving over a different file than the one loaded: its hash says nothing.
        let expected = if self.doc.path() == Some(path.as_path()) {
            self.doc.disk_hash
        } else {
            None
        };
        let blog = self.doc.session.snapshot();
        let known = self.disk.known_content_for(&path);
        self.jobs.spawn(
            ctx,
            format!("Saving {}…", file_name(&path)),
            jobs::save_job(
                path,
                blog,
                expected,
                force,
                known,
                self.doc.path().map(Path::to_path_buf),
            ),
        );
    }

    fn start_export(&mut self, ctx: &egui::Context, path: PathBuf) {
        let blog = self.doc.session.snapshot();
        self.jobs.spawn(
            ctx,
            format!("Exporting {}…", file_name(&path)),
            jobs::export_job(
                path,
                blog,
                self.now(),
                self.doc.path().map(Path::to_path_buf),
            ),
        );
    }

    /// Reads what background work sent home since the last frame.
    pub(super) fn poll_jobs(&mut self, ctx: &egui::Context) {
        for result in self.jobs.poll() {
            match result {
                JobResult::Loaded { path, result } => {
                    self.files = FileFlow::Idle;
                    match *result {
                        Ok(loaded) => {
                            let mut doc =
                                OpenDocument::new(loaded.blog, Origin::File(path.clone()));
                            doc.disk_hash = Some(loaded.content_hash);
                            doc.access = loaded.access;
                            if let crate::storage::Access::ReadOnlyNewer { version } = loaded.access
                            {
                                self.toasts.warning(format!(
                                    "{} was written by a newer Newsdesk (format {version}): it opens read-only; use Save As to keep your changes.",
                                    file_name(&path)
                                ));
                            }
                            self.stop_sharing();
                            self.replace_document(doc);
                            self.state.remember_file(path);
                            self.view.banner = None;
                            self.resume_sharing(ctx);
                        }
                        Err(error) => {
                            self.report_failure(format!("Could not open the file. {error}"))
                        }
                    }
                }
                JobResult::Saved { path, result } => self.saved(ctx, path, result),
                JobResult::SaveConflict { path } => {
                    // The save did not run: what waited on it waits on the question now.
                    if let FileFlow::Saving { then, .. } = std::mem::take(&mut self.files) {
                        self.files = FileFlow::Asking { then };
                    }
                    self.view.dialog = Dialog::SaveConflict { path };
                }
                JobResult::Exported {
                    path,
                    result,
                    missing_pictures,
                } => match result {
                    Ok(_) if !missing_pictures.is_empty() => {
                        self.toasts.warning(format!(
                            "Exported {}, but {} picture file(s) are missing beside the document: {}",
                            path.display(),
                            missing_pictures.len(),
                            missing_pictures.join(", ")
                        ));
                    }
                    Ok(_) => {
                        self.toasts.success(format!("Exported {}", path.display()));
                    }
                    Err(error) => {
                        self.report_failure(format!("The page was not exported. {error}"));
                    }
                },
                JobResult::Picked {
                    purpose,
                    path,
                    elapsed,
                } => match path {
                    Some(path) => self.path_chosen(ctx, purpose, path),
                    // Back at once: no dialog could be shown. Ask inside the app instead.
                    None if elapsed < NO_DIALOG_WITHIN => self.open_typed_path(purpose, true),
                    // Cancelled: whatever waited on a Save As waits no more.
                    None => self.files.cancel_waiting(),
                },
                JobResult::FoundRecoverable(found) => self.found_recoverable(found),
                JobResult::Shared(result) => self.shared(ctx, result),
                JobResult::Resumed { path, result } => self.resumed(ctx, &path, result),
                JobResult::Restored { found, result } => self.restored(&found, result),
                JobResult::CopyDiscarded { folder, result } => {
                    self.copy_discarded(&folder, result);
                }
                JobResult::PictureImported { entry, result } => {
                    self.picture_imported(ctx, entry, result);
                }
                JobResult::EmbedFetched { entry, url, result } => {
                    self.embed_fetched(ctx, entry, url, result);
                }
            }
        }
    }

    /// A .ron file dropped on the window opens (after the unsaved-changes question); a
    /// picture is added to the selected post.
    pub(super) fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|file| file.path().to_path_buf())
                .filter(|path| !path.as_os_str().is_empty())
                .collect()
        });
        let Some(path) = dropped.into_iter().next() else {
            return;
        };
        if path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("ron"))
        {
            self.guard_unsaved(ctx, AfterSave::OpenPath(path));
        } else if path.extension().is_some_and(|ext| {
            crate::export::url::MEDIA_EXTENSIONS
                .iter()
                .any(|known| ext.eq_ignore_ascii_case(known))
        }) {
            // A picture goes into the selected post.
            self.picture_dropped(ctx, path);
        } else {
            self.toasts.warning(format!(
                "{} is not a Newsdesk document: drop a .ron file.",
                file_name(&path)
            ));
        }
    }

    /// Closing the window with unsaved changes asks first.
    pub(super) fn handle_close_request(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) {
            return;
        }
        if let FileFlow::Saving {
            close_requested, ..
        } = &mut self.files
        {
            // Closing now could cut the save short: close once it has finished.
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            *close_requested = true;
            self.toasts.info("Closing once the save has finished…");
        } else if !self.files.is_closing() && self.doc.is_dirty() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.guard_unsaved(ctx, AfterSave::Quit);
        } else {
            // Closing with everything saved (or discarded on purpose): nothing to recover.
            self.recovery.discard_now();
        }
    }

    /// A save finished: on success the document is marked saved (unless it was edited
    /// meanwhile) and what waited on the save runs; on failure it stays open and unsaved.
    fn saved(
        &mut self,
        ctx: &egui::Context,
        path: PathBuf,
        result: Result<crate::storage::SavedFile, crate::storage::SaveError>,
    ) {
        let FileFlow::Saving {
            serial,
            then,
            close_requested,
        } = std::mem::take(&mut self.files)
        else {
            return;
        };
        let saved = match result {
            Ok(saved) => saved,
            Err(error) => {
                // The document is not safe on disk: stay open, and nothing that waited runs.
                self.report_failure(format!("Not saved. {error}"));
                return;
            }
        };
        if self.doc.path() != Some(path.as_path()) {
            self.doc.origin = Origin::File(path.clone());
            self.doc.access = crate::storage::Access::ReadWrite;
        }
        self.doc.disk_hash = Some(saved.content_hash);
        // Edits made while the save ran are not in the file: stay unsaved, and the
        // recovery copy keeps building on its last base.
        if self.doc.session.state_serial() == serial {
            self.doc.session.mark_saved();
            self.recovery
                .saved(&mut self.doc.session, &path, saved.content_hash);
        }
        self.document_saved(&path, saved.content_hash);
        self.state.remember_file(path.clone());
        self.toasts.success(format!("Saved {}", file_name(&path)));
        self.view.banner = None;
        self.proceed(ctx, then);
        if close_requested {
            self.guard_unsaved(ctx, AfterSave::Quit);
        }
    }

    /// A failure the editor must see: a toast, and a banner that stays until dismissed.
    pub(super) fn report_failure(&mut self, message: String) {
        self.toasts
            .error(message.clone())
            .duration(Some(Duration::from_secs(10)));
        self.view.banner = Some(message);
    }
}
