//! The dialog that offers the work a crash left behind: each copy with the title its
//! document will have once restored and its file, when it was last changed and how many
//! changes it holds; Restore, Discard (confirmed first)
//! or Decide later. Nothing is removed without the user's say.

use super::recovery::local_time;
use crate::storage::recovery::Recoverable;
use egui::{Id, Modal, Ui};
use std::path::{Path, PathBuf};

/// What the user chose in the dialog this frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecoverChoice {
    Restore(Box<Recoverable>),
    /// Discard was clicked: ask first.
    AskDiscard(PathBuf),
    Discard(Box<Recoverable>),
    /// Not this one after all.
    KeepCopy,
    Later,
}

/// The restore dialog. `confirm_discard` is the copy whose Discard was clicked; `busy`
/// says why Restore must wait (a file is being opened or saved).
pub fn recover_dialog_ui(
    ctx: &egui::Context,
    offered: &[Recoverable],
    confirm_discard: Option<&Path>,
    busy: Option<&str>,
) -> Option<RecoverChoice> {
    let mut choice = None;
    let modal = Modal::new(Id::unique("recover-unsaved-work")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        ui.heading("Recover unsaved work?");
        ui.label(if offered.len() == 1 {
            "Newsdesk stopped before this document was saved. Its changes were kept:"
        } else {
            "Newsdesk stopped before these documents were saved. Their changes were kept:"
        });
        ui.add_space(6.0);
        egui::ScrollArea::vertical()
            .max_height(360.0)
            .show(ui, |ui| {
                for (number, found) in offered.iter().enumerate() {
                    ui.push_id(number, |ui| {
                        egui::Frame::group(ui.style()).show(ui, |ui| {
                            ui.set_width(ui.available_width());
                            let confirming = confirm_discard == Some(found.folder.as_path());
                            if let Some(picked) = copy_ui(ui, found, confirming, busy) {
                                choice = Some(picked);
                            }
                        });
                    });
                }
            });
        ui.add_space(8.0);
        ui.weak(
            "Copies you do not restore now stay on this computer and are offered again \
             (File ▸ Recover unsaved work…, or the next time Newsdesk starts).",
        );
        if ui.button("Decide later").clicked() {
            choice = Some(RecoverChoice::Later);
        }
    });
    if modal.should_close() && choice.is_none() {
        // Escape or a click outside: the same as Decide later, nothing is lost.
        choice = Some(match confirm_discard {
            Some(_) => RecoverChoice::KeepCopy,
            None => RecoverChoice::Later,
        });
    }
    choice
}

/// One copy: what it is, and its buttons (or the discard question).
fn copy_ui(
    ui: &mut Ui,
    found: &Recoverable,
    confirming: bool,
    busy: Option<&str>,
) -> Option<RecoverChoice> {
    let mut choice = None;
    // Named by the title it will have once restored; its file below.
    let document = document_name(found);
    let title = found.title.trim();
    if title.is_empty() {
        ui.strong(&document);
    } else {
        ui.strong(format!("“{title}”"));
        ui.label(&document);
    }
    let when = found
        .last_change
        .map_or_else(|| "at an unknown time".to_owned(), local_time);
    ui.label(format!(
        "Last changed {when} · {}",
        count(found.changes, "change", "changes")
    ));
    if confirming {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!(
                "Discard the unsaved changes to {}? They cannot be brought back.",
                if title.is_empty() {
                    document
                } else {
                    format!("“{title}”")
                }
            ),
        );
        ui.horizontal(|ui| {
            if ui.button("Discard for good").clicked() {
                choice = Some(RecoverChoice::Discard(Box::new(found.clone())));
            }
            if ui.button("Keep it").clicked() {
                choice = Some(RecoverChoice::KeepCopy);
            }
        });
        return choice;
    }
    ui.horizontal(|ui| {
        let restore = ui.add_enabled(busy.is_none(), egui::Button::new("Restore"));
        let restore = match busy {
            Some(reason) => restore.on_disabled_hover_text(reason),
            None => restore.on_hover_text("Open it with every recorded change, unsaved"),
        };
        if restore.clicked() {
            choice = Some(RecoverChoice::Restore(Box::new(found.clone())));
        }
        if ui.button("Discard…").clicked() {
            choice = Some(RecoverChoice::AskDiscard(found.folder.clone()));
        }
    });
    choice
}

/// The document's file, or "Untitled" for one never saved.
pub fn document_name(found: &Recoverable) -> String {
    match &found.document {
        Some(path) => path.display().to_string(),
        None => "Untitled".to_owned(),
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
