//! One frame: the panels laid out, drawn from state, then what the user asked for during
//! the frame carried out.

use super::{CHECK_AFTER_PAUSE, NewsdeskApp, RECHECK_EVERY, menu, status_bar};
use crate::ui::action::Action;
use crate::ui::command::UiCommand;
use crate::ui::fonts;
use crate::ui::panels::entry_editor::EntryEditor;
use crate::ui::panels::timeline::TimelineView;
use crate::ui::panels::{checks, find_bar, preview};
use egui::{CentralPanel, Panel, Ui};

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
        self.poll_jobs(&ctx);
        self.keep_in_sync(&ctx);
        self.keep_document_safe(&ctx);
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

        self.dialogs_ui(&ctx);
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

    /// The Checks panel. The document is checked again once typing pauses (the checker
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
        let settled = now - self.checks.changed_at >= CHECK_AFTER_PAUSE;
        let stale = self.checks.checked != Some((document, revision))
            || now - self.checks.checked_at >= RECHECK_EVERY;
        if !self.files.is_opening() && stale && (settled || self.checks.checked.is_none()) {
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
            checks::checks_panel_ui(ui, self.checks.checker.report(), &blog.settings.time_zone)
        {
            actions.push(Action::Checks(action));
        }
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
        let title = format!("{mark}{}{read_only} — Newsdesk", self.doc.display_name());
        if title != self.window_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window_title = title;
        }
    }
}
