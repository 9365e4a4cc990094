//! The status bar: file, saved or unsaved, entry and draft counts, work in progress; while
//! a file is opening, only that.

use super::NewsdeskApp;
use egui::Ui;

pub fn status_bar(ui: &mut Ui, app: &NewsdeskApp) {
    ui.horizontal(|ui| {
        if let Some(path) = app.files.opening() {
            // The document shown is the one being replaced: no name, state or counts of it.
            ui.spinner();
            ui.label(format!("Opening {}…", path.display()));
            return;
        }
        let name = match app.file_path() {
            Some(path) => path.display().to_string(),
            None => app.doc.display_name(),
        };
        ui.label(name);
        ui.separator();
        if app.doc.is_read_only() {
            ui.colored_label(ui.visuals().warn_fg_color, "Read-only: use Save As");
        } else if app.is_dirty() {
            ui.colored_label(ui.visuals().warn_fg_color, "Unsaved changes");
        } else {
            ui.label("Saved");
        }
        ui.separator();
        let blog = app.blog();
        ui.label(format!(
            "{} entries · {} drafts · {} pinned",
            blog.entries.len(),
            app.draft_count(),
            blog.pinned.len()
        ));
        // Nothing to count until the document has arrived.
        if !app.is_opening() {
            ui.separator();
            let words = &app.writing.blog_count;
            ui.label(if words.is_complete() {
                format!("Published: {}", words.total().describe())
            } else {
                "Published: counting words…".to_owned()
            })
            .on_hover_text("Words in the published entries, and the time to read them all");
        }
        app.publishing.status_ui(ui);
        if let Some(sharing) = app.sharing_status() {
            ui.separator();
            ui.label(sharing);
        }
        if let Some(job) = app.jobs.current_label() {
            ui.separator();
            ui.spinner();
            ui.label(job);
        }
    });
}
