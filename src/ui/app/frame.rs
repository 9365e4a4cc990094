//! One frame: the panels laid out, drawn from state, then what the user asked for during
//! the frame carried out.

use super::columns::{
    self, PREVIEW_MAX, PREVIEW_MIN, TIMELINE_MAX, TIMELINE_MIN, set_panel_width, share_width,
};
use super::{CHECK_AFTER_PAUSE, NewsdeskApp, RECHECK_EVERY, menu, status_bar};
use crate::ui::action::Action;
use crate::ui::command::UiCommand;
use crate::ui::fonts;
use crate::ui::panels::entry_editor::EntryEditor;
use crate::ui::panels::timeline::TimelineView;
use crate::ui::panels::{checks, find_bar, preview};
use egui::{CentralPanel, Panel, Role, Ui, WidgetInfo};

/// Width of the strip a collapsed column leaves, with the button that brings it back.
const COLLAPSED_STRIP: f32 = 30.0;
/// Room kept between the toasts and what they sit above.
const TOAST_GAP: f32 = 6.0;

impl NewsdeskApp {
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
        self.remember_zoom(&ctx);
        self.poll_jobs(&ctx);
        self.keep_in_sync(&ctx);
        self.keep_document_safe(&ctx);
        self.publish_due_entries(&ctx);
        self.publishing.set_document(self.doc.path());
        crate::ui::panels::thumbnails::set_document(&ctx, self.doc.path());
        self.publishing.frame(&ctx, &self.doc.session);
        if let Some(probe) = &mut self.startup_probe
            && probe.frame(!self.files.is_opening())
        {
            self.startup_probe = None;
            self.files = super::file_flow::FileFlow::Closing;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        self.handle_dropped_files(&ctx);
        self.handle_close_request(&ctx);

        let mut actions = Vec::new();
        self.collect_shortcuts(&ctx, &mut actions);
        self.rows.refresh(&self.doc.session, &self.view.query);
        self.writing_frame(&ctx);

        Panel::top("menu-bar").show(ui, |ui| {
            menu::menu_bar(ui, self, &mut actions);
        });
        let status_bar = Panel::bottom("status-bar").show(ui, |ui| {
            status_bar::status_bar(ui, self);
        });
        let mut toasts_above = status_bar.response.rect.height();
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

        self.columns_ui(ui, &mut actions);

        if self.state.show_checks {
            let checks = Panel::bottom("checks")
                .resizable(true)
                .default_size(180.0)
                .show(ui, |ui| self.checks_ui(ui, &mut actions));
            if !self.state.show_preview {
                // The Checks panel reaches the right edge: the toasts go above it.
                toasts_above += checks.response.rect.height();
            }
        }

        if !self.state.show_preview {
            // With no preview on the right, the toasts get a strip of their own at the
            // bottom of the editor column: over the editor they would cover its fields.
            Panel::bottom("toast-room")
                .exact_size(super::TOAST_HEIGHT + TOAST_GAP)
                .show_separator_line(false)
                .show(ui, |_| {});
        }

        CentralPanel::default().show(ui, |ui| self.editor_panel(ui, &mut actions));
        if let Some(id) = self.view.pending_focus.take() {
            ctx.memory_mut(|memory| memory.request_focus(id));
        }

        self.dialogs_ui(&ctx);
        self.undo_delete_ui(&ctx, &mut actions);
        // Bottom right, above the status bar: clear of the menus, the panels' headings
        // and the Checks panel's fixes.
        let margin = egui::vec2(8.0, toasts_above + TOAST_GAP);
        self.toasts = std::mem::take(&mut self.toasts)
            .with_anchor(egui_notify::Anchor::BottomRight)
            .with_margin(margin);
        self.toasts_corner = ctx.content_rect().max - margin;
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

    /// The timeline on the left and the preview on the right, sharing the window's width
    /// with the editor (see `columns`); a collapsed one leaves a strip to bring it back.
    fn columns_ui(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        let strips = [self.state.show_timeline, self.state.show_preview]
            .iter()
            .filter(|shown| !**shown)
            .count() as f32;
        let total = ui.available_width() - strips * COLLAPSED_STRIP;
        let shared = share_width(
            total,
            self.state
                .show_timeline
                .then_some(self.state.timeline_width),
            self.state.show_preview.then_some(self.state.preview_width),
        );
        match shared.timeline {
            Some(width) => {
                let dragged = columns::edge_dragged(ui, "timeline");
                set_panel_width(ui, "timeline", width);
                let widest = columns::widest(total, shared.preview, TIMELINE_MIN, TIMELINE_MAX);
                let shown = Panel::left("timeline")
                    .resizable(true)
                    .default_size(width)
                    .size_range(TIMELINE_MIN..=widest)
                    .show(ui, |ui| self.timeline_panel(ui, actions));
                // Only the user's drag sets their width (wide content does not).
                if dragged {
                    self.state.timeline_width = shown.response.rect.width();
                }
            }
            None => collapsed_strip(ui, "timeline-collapsed", true, true, actions),
        }
        match shared.preview {
            Some(width) => {
                let dragged = columns::edge_dragged(ui, "preview");
                set_panel_width(ui, "preview", width);
                let widest = columns::widest(total, shared.timeline, PREVIEW_MIN, PREVIEW_MAX);
                let shown = Panel::right("preview")
                    .resizable(true)
                    .default_size(width)
                    .size_range(PREVIEW_MIN..=widest)
                    .show(ui, |ui| self.preview_panel(ui, actions));
                if dragged {
                    self.state.preview_width = shown.response.rect.width();
                }
            }
            None => {
                // Collapsed by the user, or no room for it in this window.
                let room = !self.state.show_preview;
                collapsed_strip(ui, "preview-collapsed", false, room, actions);
            }
        }
    }

    /// Applies the remembered zoom on the first frame, then remembers egui's.
    fn remember_zoom(&mut self, ctx: &egui::Context) {
        if self.zoom_applied {
            self.state.zoom = ctx.zoom_factor();
        } else {
            let zoom = if self.state.zoom.is_finite() {
                self.state.zoom.clamp(0.5, 3.0)
            } else {
                1.0
            };
            ctx.set_zoom_factor(zoom);
            self.state.zoom = zoom;
            self.zoom_applied = true;
        }
    }

    fn timeline_panel(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        ui.horizontal_wrapped(|ui| {
            if ui.button("New post").clicked() {
                actions.push(Action::Command(UiCommand::NewPost));
            }
            if ui.button("Find…").clicked() {
                actions.push(Action::Command(UiCommand::Find));
            }
            if ui.button("Sort by time").clicked() {
                actions.push(Action::Command(UiCommand::SortByTime));
            }
            if hide_button(ui, "«", "Hide timeline", UiCommand::ToggleTimeline) {
                actions.push(Action::Command(UiCommand::ToggleTimeline));
            }
        });
        if let Some(path) = self.files.opening() {
            // The rows below would be the document being replaced.
            ui.separator();
            ui.horizontal_wrapped(|ui| {
                ui.spinner();
                ui.label(format!("Opening {}…", crate::storage::file_name(path)));
            });
            return;
        }
        if self.view.find_open || self.view.query.is_active() {
            find_bar::find_bar(
                ui,
                &mut self.view.query,
                &mut self.view.focus_find,
                self.rows.matched,
                actions,
            );
        }
        ui.separator();
        let scroll_to_row = if std::mem::take(&mut self.view.scroll_to_selection) {
            match self.view.selected.clone() {
                Some(id) => self.rows.row_of(&mut self.doc.session, &id),
                None => None,
            }
        } else {
            None
        };
        TimelineView {
            session: &self.doc.session,
            rows: &self.rows,
            selected: self.view.selected.as_ref(),
            scroll_to_row,
            presence: &self.presence_marks(),
        }
        .ui(ui, actions);
    }

    fn editor_panel(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        if let Some(path) = self.files.opening() {
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
        let presence = self.presence_marks();
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
                    others: presence.get(&id).map(Vec::as_slice).unwrap_or(&[]),
                    writing: crate::ui::widgets::prose_field::Writing {
                        aids: &mut self.writing,
                        prefs: &self.state.writing,
                    },
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
            if hide_button(ui, "»", "Hide preview", UiCommand::TogglePreview) {
                actions.push(Action::Command(UiCommand::TogglePreview));
            }
        });
        ui.separator();
        if self.files.is_opening() {
            return;
        }
        if self.state.preview_whole_page {
            preview::page_ui(ui, &self.doc.session, &mut self.page);
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
                .show(ui, |ui| preview::entry_ui(ui, blog, entry));
        }
    }

    /// The Checks panel. While a file is opening it says so (the report is of the
    /// document being replaced). The document is checked again once typing pauses (the checker
    /// passes over every entry, so not on every keystroke), and every minute for drafts
    /// going stale.
    fn checks_ui(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        let now = Self::now_seconds(ui.ctx());
        let revision = self.doc.session.revision();
        let document = self.doc.session.shape_revision();
        if self.checks.seen != Some((document, revision)) {
            self.checks.seen = Some((document, revision));
            self.checks.changed_at = now;
        }
        if let Some(path) = self.files.opening() {
            checks::checks_waiting_ui(ui, &format!("Opening {}…", crate::storage::file_name(path)));
            return;
        }
        let settled = now - self.checks.changed_at >= CHECK_AFTER_PAUSE;
        let stale = self.checks.checked != Some((document, revision))
            || now - self.checks.checked_at >= RECHECK_EVERY;
        if !self.files.is_opening() && stale && (settled || self.checks.checked.is_none()) {
            self.checks
                .checker
                .check(self.doc.blog(), chrono::Utc::now());
            self.checks.shown = self.report_with_missing_pictures();
            self.checks.checked = Some((document, revision));
            self.checks.checked_at = now;
        } else if stale {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(CHECK_AFTER_PAUSE));
        }
        let blog = self.doc.blog();
        if let Some(action) =
            checks::checks_panel_ui(ui, &self.checks.shown, &blog.settings.time_zone)
        {
            actions.push(Action::Checks(action));
        }
    }

    /// The checker's report, with a problem for each picture whose file is not beside the
    /// document, in its entry's place (blog-wide problems first, then timeline order).
    fn report_with_missing_pictures(&mut self) -> crate::checks::CheckReport {
        let mut report = self.checks.checker.report().clone();
        let Some(path) = self.doc.path() else {
            return report;
        };
        let missing = crate::checks::missing_media_files(self.doc.blog(), path);
        if missing.is_empty() {
            return report;
        }
        let mut place = |problem: &crate::checks::Problem| match &problem.entry {
            Some(id) => self.doc.position(id).map_or(usize::MAX, |at| at + 1),
            None => 0,
        };
        let mut placed: Vec<(usize, crate::checks::Problem)> = report
            .problems
            .into_iter()
            .chain(missing)
            .map(|problem| (place(&problem), problem))
            .collect();
        // Stable: the checker's own order holds within an entry, the picture after it.
        placed.sort_by_key(|(at, _)| *at);
        report.problems = placed.into_iter().map(|(_, problem)| problem).collect();
        report
    }

    fn undo_delete_ui(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let now = Self::now_seconds(ctx);
        let Some(offer) = &self.view.undo_delete else {
            return;
        };
        if now > offer.until || self.doc.session.state_serial() != offer.serial {
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
        let title = match self.files.opening() {
            Some(path) => format!("Opening {}… — Newsdesk", crate::storage::file_name(path)),
            None => format!("{mark}{}{read_only} — Newsdesk", self.doc.display_name()),
        };
        if title != self.window_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window_title = title;
        }
    }
}

/// A button that hides a column; its accessible name says so (its face is an arrow).
fn hide_button(ui: &mut Ui, face: &str, name: &str, command: UiCommand) -> bool {
    let keys = command
        .shortcuts()
        .first()
        .map(|shortcut| ui.ctx().format_shortcut(shortcut))
        .unwrap_or_default();
    let response = ui
        .small_button(face)
        .on_hover_text(format!("{name} ({keys})"));
    let name = name.to_owned();
    response.widget_info(|| WidgetInfo::labeled(Role::Button, true, name.clone()));
    response.clicked()
}

/// The narrow strip a collapsed column leaves, with the button that shows it again.
/// `room` is false when the window is too narrow for the column: the button says so.
fn collapsed_strip(ui: &mut Ui, salt: &str, left: bool, room: bool, actions: &mut Vec<Action>) {
    let (panel, face, name, command) = if left {
        (
            Panel::left(salt),
            "»",
            "Show timeline",
            UiCommand::ToggleTimeline,
        )
    } else {
        (
            Panel::right(salt),
            "«",
            "Show preview",
            UiCommand::TogglePreview,
        )
    };
    panel
        .resizable(false)
        .exact_size(COLLAPSED_STRIP)
        .show(ui, |ui| {
            ui.vertical_centered(|ui| {
                let button = ui.add_enabled(room, egui::Button::new(face).small());
                let button = if room {
                    button.on_hover_text(name)
                } else {
                    button.on_disabled_hover_text(
                        "The window is too narrow for the preview: widen it or hide the timeline",
                    )
                };
                button.widget_info(|| WidgetInfo::labeled(Role::Button, room, name));
                if button.clicked() {
                    actions.push(Action::Command(command));
                }
            });
        });
}
