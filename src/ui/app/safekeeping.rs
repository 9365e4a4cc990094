//! The app's side of never losing a post: starting the recovery copy and the file watch
//! for each document, the banners about them, restoring or discarding what a crash left,
//! and answering a change made to the file by someone else.

use super::NewsdeskApp;
use super::dialogs::Dialog;
use super::document::{OpenDocument, Origin};
use super::file_flow::{AfterSave, FileFlow};
use super::jobs;
use super::recovery_dialog::{RecoverChoice, document_name};
use crate::storage::recovery::{Recoverable, RestoredWork};
use crate::ui::action::{Action, DiskChoice};
use egui::{Panel, Ui};
use std::path::{Path, PathBuf};
use std::time::Duration;

impl NewsdeskApp {
    /// Once per frame, before drawing: look for left-behind copies (first frame), offer
    /// them, keep a copy of the open document, and hear from the file watcher.
    pub(super) fn keep_document_safe(&mut self, ctx: &egui::Context) {
        if std::mem::take(&mut self.recovery.scan_pending)
            && let Some(folder) = self.recovery.folder().cloned()
        {
            self.jobs.spawn(
                ctx,
                "Looking for unsaved work…".into(),
                jobs::find_recoverable_job(folder),
            );
        }
        if self.recovery.offer_pending && !self.view.dialog.is_open() {
            self.recovery.offer_pending = false;
            if !self.recovery.offered.is_empty() {
                self.view.dialog = Dialog::Recover {
                    confirm_discard: None,
                };
            }
        }
        // Not once the user agreed to close: the copy was just removed on purpose.
        if !self.files.is_opening() && !self.files.is_closing() {
            self.recovery.ensure_started(&mut self.doc);
        }
        self.disk.poll(ctx);
    }

    /// Starts watching the open document's file (after it was opened, reloaded or
    /// restored); stops watching when it has none.
    pub(super) fn watch_document(&mut self) {
        let file = self
            .doc
            .path()
            .map(Path::to_path_buf)
            .zip(self.doc.disk_hash);
        let file = file.as_ref().map(|(path, hash)| (path.as_path(), *hash));
        if let Some(problem) = self.disk.watch(file) {
            self.toasts
                .warning(problem)
                .duration(Some(Duration::from_secs(10)));
        }
    }

    /// The document was saved to `path` as `hash`.
    pub(super) fn document_saved(&mut self, path: &Path, hash: crate::storage::ContentHash) {
        if let Some(problem) = self.disk.saved(path, hash) {
            self.toasts
                .warning(problem)
                .duration(Some(Duration::from_secs(10)));
        }
    }

    /// The banners above the editor: recovery copies not being written, and the file
    /// changed on disk.
    pub(super) fn safety_banners(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        if let Some(problem) = self.recovery.problem() {
            Panel::top("recovery-problem").show(ui, |ui| {
                ui.colored_label(ui.visuals().error_fg_color, problem);
            });
        }
        if self.disk.change.is_some() {
            let name = self.doc.display_name();
            let dirty = self.doc.is_dirty();
            Panel::top("changed-on-disk").show(ui, |ui| {
                if let Some(choice) = self.disk.banner_ui(ui, &name, dirty) {
                    actions.push(Action::Disk(choice));
                }
            });
        }
    }

    pub(super) fn run_disk_choice(&mut self, ctx: &egui::Context, choice: DiskChoice) {
        match choice {
            DiskChoice::Reload => {
                let Some(path) = self.doc.path().map(Path::to_path_buf) else {
                    return;
                };
                if self.doc.is_dirty() {
                    self.view.dialog = Dialog::ConfirmReload(path);
                } else {
                    self.reload(ctx, path);
                }
            }
            // The hash from loading or saving stays: the next save asks before it
            // overwrites the other version.
            DiskChoice::KeepMine => self.disk.change = None,
            DiskChoice::SaveAgain => self.save(ctx, AfterSave::Nothing),
        }
    }

    /// Loads the file as it is on disk now, in place of the open document (whose unsaved
    /// changes, if any, the user agreed to lose).
    pub(super) fn reload(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.disk.change = None;
        self.start_load(ctx, path);
    }

    /// Looks again for copies left behind (File ▸ Recover unsaved work…).
    pub(super) fn look_for_unsaved_work(&mut self, ctx: &egui::Context) {
        let Some(folder) = self.recovery.folder().cloned() else {
            return;
        };
        self.recovery.scan_asked = true;
        self.jobs.spawn(
            ctx,
            "Looking for unsaved work…".into(),
            jobs::find_recoverable_job(folder),
        );
    }

    pub(super) fn found_recoverable(&mut self, found: Vec<Recoverable>) {
        let asked = std::mem::take(&mut self.recovery.scan_asked);
        if found.is_empty() && asked {
            self.toasts.info("There is no unsaved work to recover.");
        }
        self.recovery.offered = found;
        self.recovery.offer_pending = !self.recovery.offered.is_empty();
    }

    pub(super) fn run_recover_choice(&mut self, ctx: &egui::Context, choice: RecoverChoice) {
        match choice {
            RecoverChoice::Restore(found) => {
                self.view.dialog = Dialog::None;
                // Restoring replaces the open document: its own unsaved changes are asked
                // about first.
                self.guard_unsaved(ctx, AfterSave::Restore(found));
            }
            RecoverChoice::AskDiscard(folder) => {
                self.view.dialog = Dialog::Recover {
                    confirm_discard: Some(folder),
                };
            }
            RecoverChoice::KeepCopy => {
                self.view.dialog = Dialog::Recover {
                    confirm_discard: None,
                };
            }
            RecoverChoice::Discard(found) => {
                let name = document_name(&found);
                self.jobs.spawn(
                    ctx,
                    format!("Discarding the unsaved changes to {name}…"),
                    jobs::discard_copy_job(*found),
                );
                self.view.dialog = Dialog::Recover {
                    confirm_discard: None,
                };
            }
            RecoverChoice::Later => self.view.dialog = Dialog::None,
        }
    }

    /// Rebuilds the copy's document in the background; editing waits for it, as for a
    /// file being opened.
    pub(super) fn start_restore(&mut self, ctx: &egui::Context, found: Recoverable) {
        if let Some(reason) = self.files.busy_reason() {
            self.toasts.info(reason);
            return;
        }
        let name = document_name(&found);
        self.files = FileFlow::Opening {
            what: found
                .document
                .clone()
                .unwrap_or_else(|| PathBuf::from("the recovered document")),
        };
        self.jobs
            .spawn(ctx, format!("Restoring {name}…"), jobs::restore_job(found));
    }

    pub(super) fn restored(
        &mut self,
        found: &Recoverable,
        result: Result<Box<RestoredWork>, String>,
    ) {
        self.files = FileFlow::Idle;
        let name = document_name(found);
        let work = match result {
            Ok(work) => *work,
            Err(error) => {
                // The copy stays on offer: nothing is lost by a failed restore.
                self.report_failure(format!(
                    "The unsaved changes to {name} could not be restored. {error}"
                ));
                return;
            }
        };
        let origin = match &work.document {
            Some(path) => Origin::File(path.clone()),
            None => Origin::Untitled,
        };
        self.stop_sharing();
        let mut doc = OpenDocument::with_session(work.session, origin);
        doc.disk_hash = work.known;
        doc.access = work.access;
        self.show_document(doc);
        self.recovery.adopt(work.writer, &mut self.doc);
        self.recovery.forget_offer(&found.folder);
        self.watch_document();
        self.disk.change = work.on_disk;
        self.view.banner = work
            .incomplete
            .map(|note| format!("Restored with a gap: {note}."));
        if let Some(error) = work.resume_error {
            self.toasts.warning(format!(
                "The recovery copy could not be taken over ({error}); a new one is kept from now on."
            ));
        }
        self.toasts.success(format!(
            "Restored {} with {}: not saved yet.",
            name,
            match found.changes {
                1 => "1 change".to_owned(),
                n => format!("{n} changes"),
            }
        ));
    }

    pub(super) fn copy_discarded(&mut self, folder: &Path, result: Result<(), String>) {
        match result {
            Ok(()) => {
                self.recovery.forget_offer(folder);
                self.toasts.info("The unsaved changes were discarded.");
                if self.recovery.offered.is_empty()
                    && matches!(self.view.dialog, Dialog::Recover { .. })
                {
                    self.view.dialog = Dialog::None;
                }
            }
            Err(error) => {
                self.report_failure(format!("The recovery copy could not be removed. {error}"));
            }
        }
    }
}
