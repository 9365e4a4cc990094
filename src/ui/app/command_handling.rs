//! Turns keys into commands, and runs commands and actions after the frame is drawn.
//! Every document change goes through `OpenDocument` (and so `edit::Session`): undoable.

use super::dialogs::Dialog;
use super::file_flow::AfterSave;
use super::settings_dialog::SettingsDraft;
use super::{NewsdeskApp, UndoDelete};
use crate::edit::reorder::{move_one_place, new_entry, sorted_by_time};
use crate::edit::{Edit, EntryField};
use crate::model::{Entry, EntryKind};
use crate::ui::action::{Action, ChecksAction};
use crate::ui::command::UiCommand;
use crate::ui::panels::{entry_editor, find_bar};
use crate::ui::widgets::formatting::{Format, apply_format};
use chrono::{DurationRound, Utc};
use egui::text::{CCursor, CCursorRange};
use egui::text_edit::TextEditState;

/// How long "Deleted …  Undo" stays offered.
const UNDO_DELETE_SECONDS: f64 = 10.0;

impl NewsdeskApp {
    /// Reads this frame's shortcuts before any widget sees them, so that e.g. Ctrl+Z is
    /// document undo and never also a text field's own undo.
    pub(super) fn collect_shortcuts(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        if self.view.dialog.is_open() {
            return;
        }
        let typing = ctx.text_edit_focused();
        let escape_clears = self.view.find_open || self.view.query.is_active();
        ctx.input_mut(|input| {
            for (command, shortcut) in UiCommand::by_shortcut_specificity() {
                if typing && !command.fires_in_text_field() {
                    continue;
                }
                // Escape belongs to text fields and menus unless a filter is showing.
                if command == UiCommand::ClearFind && !escape_clears {
                    continue;
                }
                if input.consume_shortcut(&shortcut) {
                    actions.push(Action::Command(command));
                }
            }
        });
    }

    /// Whether `command` can run now (menus grey out the others).
    pub fn can_run(&self, command: UiCommand) -> bool {
        // Commands check that the entry still exists when they run; here a cheap test.
        let has_selection = self.view.selected.is_some();
        let idle = !self.files.is_opening();
        match command {
            UiCommand::Undo => match &self.sharing {
                Some(sharing) => idle && sharing.can_undo(),
                None => idle && self.doc.session.history().undo_label().is_some(),
            },
            UiCommand::Redo => match &self.sharing {
                Some(sharing) => idle && sharing.can_redo(),
                None => idle && self.doc.session.history().redo_label().is_some(),
            },
            UiCommand::Save => idle && !self.files.is_saving(),
            UiCommand::SaveAs | UiCommand::ExportHtml | UiCommand::ExportHtmlAs => idle,
            UiCommand::PublishNow => idle,
            UiCommand::Publish
            | UiCommand::TogglePin
            | UiCommand::SetTimeNow
            | UiCommand::Delete
            | UiCommand::MoveUp
            | UiCommand::MoveDown
            | UiCommand::Bold
            | UiCommand::Italic
            | UiCommand::Link
            | UiCommand::Quote
            | UiCommand::ForContext => idle && has_selection,
            UiCommand::NewPost | UiCommand::NewSummary | UiCommand::SortByTime => idle,
            UiCommand::SelectPageUp
            | UiCommand::SelectPageDown
            | UiCommand::SelectFirst
            | UiCommand::SelectLast => idle,
            UiCommand::ClearFind => self.view.find_open || self.view.query.is_active(),
            UiCommand::RecoverUnsaved => self.recovery.is_on(),
            UiCommand::ShareLiveBlog => idle && self.sharing.is_none(),
            UiCommand::JoinLiveBlog => idle,
            UiCommand::StopSharing => self.sharing.is_some(),
            _ => true,
        }
    }

    /// Drafts in the document, counted again only when one may have changed.
    pub fn draft_count(&self) -> usize {
        let key = self.doc.session.counts_key();
        let (counted_at, count) = self.draft_counter.get();
        if counted_at == Some(key) {
            return count;
        }
        let count = self.doc.blog().draft_count();
        self.draft_counter.set((Some(key), count));
        count
    }

    pub(super) fn run_action(&mut self, ctx: &egui::Context, action: Action) {
        let at = Self::now_seconds(ctx);
        match action {
            Action::Command(command) => self.run_command(ctx, command),
            Action::Select(id) => {
                if self.view.selected.as_ref() != Some(&id) {
                    // Typing in another entry is a new undo step.
                    self.doc.session.seal_history();
                }
                self.view.selected = Some(id);
            }
            Action::SetField(id, field) => {
                if self.files.is_opening() {
                    return;
                }
                if let Err(error) = self.doc.set_field(&id, field, at) {
                    self.toasts
                        .error(format!("That change could not be made: {error}"));
                }
            }
            Action::Edit(label, edit) => self.apply_edit(label, edit, at),
            Action::Format(format) => self.format_body(ctx, format),
            Action::OpenRecent(path) => self.guard_unsaved(ctx, AfterSave::OpenPath(path)),
            Action::UndoDelete => self.undo(ctx),
            Action::Checks(action) => self.run_checks_action(ctx, action),
            Action::Disk(choice) => self.run_disk_choice(ctx, choice),
            Action::Schedule(id) => {
                if !self.files.is_opening() {
                    self.schedule_entry(&id, at);
                }
            }
            Action::Writing(choice) => self.run_writing_choice(choice),
            Action::Media(action) => self.run_media_action(ctx, action),
        }
    }

    pub(super) fn apply_edit(&mut self, label: &str, edit: Edit, at: f64) {
        if self.files.is_opening() {
            return;
        }
        if let Err(error) = self.doc.apply(label, edit, at) {
            self.toasts
                .error(format!("“{label}” could not be done: {error}"));
        }
    }

    fn selected_entry(&self) -> Option<&Entry> {
        let id = self.view.selected.as_ref()?;
        self.doc.blog().entry(id)
    }

    pub(super) fn run_command(&mut self, ctx: &egui::Context, command: UiCommand) {
        if !self.can_run(command) {
            return;
        }
        let at = Self::now_seconds(ctx);
        if matches!(
            command,
            UiCommand::Save
                | UiCommand::SaveAs
                | UiCommand::ExportHtml
                | UiCommand::ExportHtmlAs
                | UiCommand::PublishNow
                | UiCommand::Publish
                | UiCommand::Quit
        ) {
            self.commit_typed_time(at);
        }
        match command {
            UiCommand::NewDocument => self.guard_unsaved(ctx, AfterSave::NewDocument),
            UiCommand::Open => self.guard_unsaved(ctx, AfterSave::Open),
            UiCommand::Save => self.save(ctx, AfterSave::Nothing),
            UiCommand::SaveAs => self.save_as(ctx, AfterSave::Nothing),
            UiCommand::ExportHtml => self.export(ctx, false),
            UiCommand::ExportHtmlAs => self.export(ctx, true),
            UiCommand::PublishNow => self.publishing.publish_now(ctx, &self.doc.session),
            UiCommand::BlogSettings => {
                self.view.dialog = Dialog::Settings(Box::new(SettingsDraft::of(self.doc.blog())));
            }
            UiCommand::RecoverUnsaved => self.look_for_unsaved_work(ctx),
            UiCommand::ShareLiveBlog => {
                self.view.dialog = Dialog::Share {
                    server: self.state.last_server.clone(),
                    name: self.state.editor_name.clone(),
                    error: None,
                };
            }
            UiCommand::JoinLiveBlog => {
                self.view.dialog = Dialog::Join {
                    link: String::new(),
                    name: self.state.editor_name.clone(),
                    error: None,
                };
            }
            UiCommand::StopSharing => self.stop_sharing(),
            UiCommand::Quit => self.guard_unsaved(ctx, AfterSave::Quit),
            UiCommand::Undo => self.undo(ctx),
            UiCommand::Redo => {
                let redone = if self.sharing.is_some() {
                    self.shared_undo(true)
                } else {
                    self.doc.session.redo().is_some()
                };
                if redone {
                    self.after_history_jump(ctx);
                }
            }
            UiCommand::Find => {
                self.view.find_open = true;
                self.view.focus_find = true;
            }
            UiCommand::ClearFind => {
                self.view.query = Default::default();
                self.view.find_open = false;
                ctx.memory_mut(|m| m.surrender_focus(egui::Id::unique(find_bar::FIND_TEXT_ID)));
            }
            UiCommand::NewPost | UiCommand::NewSummary => {
                let now = Utc::now()
                    .duration_trunc(chrono::Duration::seconds(1))
                    .unwrap_or_else(|_| Utc::now());
                let (kind, label) = match command {
                    UiCommand::NewSummary => (EntryKind::Summary, "New summary"),
                    _ => (EntryKind::Post, "New post"),
                };
                let (id, edit) = new_entry(self.doc.blog(), kind, now);
                if self.doc.apply(label, edit, at).is_ok() {
                    // A filter could hide the new entry: clear it so the editor sees it.
                    self.view.query = Default::default();
                    self.view.selected = Some(id);
                    self.view.focus_body = true;
                    self.view.scroll_to_selection = true;
                }
            }
            UiCommand::Publish => self.publish_selected(at),
            UiCommand::TogglePin => {
                if let Some(id) = self.view.selected.clone() {
                    let (label, edit) = if self.doc.blog().is_pinned(&id) {
                        ("Unpin", Edit::Unpin { id })
                    } else {
                        ("Pin", Edit::Pin { id, index: 0 })
                    };
                    self.apply_edit(label, edit, at);
                    self.view.scroll_to_selection = true;
                }
            }
            UiCommand::SetTimeNow => {
                if let Some(id) = self.view.selected.clone() {
                    let now = Utc::now()
                        .duration_trunc(chrono::Duration::seconds(1))
                        .unwrap_or_else(|_| Utc::now());
                    if let Err(error) = self.doc.set_field(&id, EntryField::DisplayTime(now), at) {
                        self.toasts
                            .error(format!("Could not change the time: {error}"));
                    }
                }
            }
            UiCommand::Delete => self.delete_selected(ctx),
            UiCommand::MoveUp => self.move_selected(at, false),
            UiCommand::MoveDown => self.move_selected(at, true),
            UiCommand::SortByTime => match sorted_by_time(self.doc.blog()) {
                Some(edit) => self.apply_edit("Sort by time", edit, at),
                None => {
                    self.toasts.info("The timeline is already in time order.");
                }
            },
            UiCommand::SelectPrevious | UiCommand::SelectNext => {
                let step = if command == UiCommand::SelectNext {
                    1
                } else {
                    -1
                };
                if let Some(id) = self.rows.neighbour(
                    &mut self.doc.session,
                    self.view.selected.clone().as_ref(),
                    step,
                ) {
                    self.run_action(ctx, Action::Select(id));
                    self.view.scroll_to_selection = true;
                }
            }
            UiCommand::SelectPageUp
            | UiCommand::SelectPageDown
            | UiCommand::SelectFirst
            | UiCommand::SelectLast => self.select_by_page(ctx, command),
            UiCommand::Bold => self.format_body(ctx, Format::Bold),
            UiCommand::Italic => self.format_body(ctx, Format::Italic),
            UiCommand::Link => self.format_body(ctx, Format::Link),
            UiCommand::Quote => self.format_body(ctx, Format::Quote),
            UiCommand::ForContext => self.format_body(ctx, Format::ForContext),
            UiCommand::ToggleTimeline => self.state.show_timeline = !self.state.show_timeline,
            UiCommand::TogglePreview => self.state.show_preview = !self.state.show_preview,
            UiCommand::TogglePagePreview => {
                self.state.preview_whole_page = !self.state.preview_whole_page;
                self.state.show_preview = true;
            }
            UiCommand::ToggleDarkMode => self.state.dark_mode = !self.state.dark_mode,
            UiCommand::ToggleChecks => self.state.show_checks = !self.state.show_checks,
            UiCommand::ZoomIn => egui::gui_zoom::zoom_in(ctx),
            UiCommand::ZoomOut => egui::gui_zoom::zoom_out(ctx),
            UiCommand::ZoomReset => ctx.set_zoom_factor(1.0),
            UiCommand::ShowShortcuts => self.view.dialog = Dialog::Shortcuts,
        }
    }

    /// Page Up / Page Down (a timeline's height of rows), Home / End: the selection moves
    /// and the timeline scrolls to it.
    fn select_by_page(&mut self, ctx: &egui::Context, command: UiCommand) {
        let page = crate::ui::panels::timeline::rows_per_page(ctx) as isize;
        let selected = self.view.selected.clone();
        let target = match command {
            UiCommand::SelectPageUp => {
                self.rows
                    .entry_rows_away(&mut self.doc.session, selected.as_ref(), -page)
            }
            UiCommand::SelectPageDown => {
                self.rows
                    .entry_rows_away(&mut self.doc.session, selected.as_ref(), page)
            }
            UiCommand::SelectFirst => self.rows.edge_entry(&self.doc.session, false),
            _ => self.rows.edge_entry(&self.doc.session, true),
        };
        if let Some(id) = target {
            self.run_action(ctx, Action::Select(id));
            self.view.scroll_to_selection = true;
        }
    }

    /// Commits a time still being typed, so that saving or publishing includes it.
    fn commit_typed_time(&mut self, at: f64) {
        let Some(entry) = self.selected_entry() else {
            return;
        };
        if let Some(time) = self.view.time_draft.pending(entry, self.doc.blog()) {
            let id = entry.id.clone();
            if let Err(error) = self.doc.set_field(&id, EntryField::DisplayTime(time), at) {
                self.toasts
                    .error(format!("Could not change the time: {error}"));
            }
        }
    }

    /// A jump to a problem's entry and field, or a one-click fix (undoable like any edit).
    fn run_checks_action(&mut self, ctx: &egui::Context, action: ChecksAction) {
        match action {
            ChecksAction::JumpTo {
                entry: Some(id),
                field,
                ..
            } => {
                self.view.pending_focus =
                    field.and_then(|field| entry_editor::field_id(&id, field));
                self.run_action(ctx, Action::Select(id));
                self.view.scroll_to_selection = true;
            }
            ChecksAction::JumpTo { entry: None, .. } => {
                self.run_command(ctx, UiCommand::BlogSettings);
            }
            ChecksAction::ApplyFix(fix) => {
                if fix.applies_to(self.doc.blog()) {
                    let at = Self::now_seconds(ctx);
                    let edit = fix.edit_at(Utc::now());
                    self.apply_edit(&fix.label, edit, at);
                } else {
                    self.toasts
                        .info("The document changed since that was checked: checking again.");
                }
            }
        }
    }

    fn undo(&mut self, ctx: &egui::Context) {
        let undone = if self.sharing.is_some() {
            self.shared_undo(false)
        } else {
            self.doc.session.undo().is_some()
        };
        if undone {
            self.after_history_jump(ctx);
        }
    }

    /// After undo or redo changed text from outside a field: drop the fields' own undo
    /// (it describes text that is gone) so the field shows and edits the new text.
    fn after_history_jump(&mut self, ctx: &egui::Context) {
        self.view.undo_delete = None;
        if let Some(entry) = self.selected_entry() {
            for id in entry_editor::text_field_ids(entry) {
                if let Some(mut state) = TextEditState::load(ctx, id) {
                    state.clear_undoer();
                    state.store(ctx, id);
                }
            }
        }
        // The time fields show the entry's time again.
        self.view.time_draft = Default::default();
        // An undone "new post" leaves nothing selected: select its neighbour.
        let selected_exists = self
            .view
            .selected
            .as_ref()
            .is_some_and(|id| self.doc.blog().entry(id).is_some());
        if !selected_exists {
            self.select_first_entry();
        }
    }

    fn delete_selected(&mut self, ctx: &egui::Context) {
        let Some(entry) = self.selected_entry() else {
            return;
        };
        let id = entry.id.clone();
        let title = entry.title_line(60);
        let next = self
            .rows
            .neighbour(&mut self.doc.session, Some(&id), 1)
            .or_else(|| self.rows.neighbour(&mut self.doc.session, Some(&id), -1));
        let at = Self::now_seconds(ctx);
        let label = "Delete entry";
        if let Err(error) = self.doc.apply(label, Edit::RemoveEntry { id }, at) {
            self.toasts.error(format!("Could not delete: {error}"));
            return;
        }
        self.view.selected = next;
        self.view.undo_delete = Some(UndoDelete {
            title: if title.is_empty() {
                "empty post".to_owned()
            } else {
                title
            },
            serial: self.doc.session.state_serial(),
            until: at + UNDO_DELETE_SECONDS,
        });
    }

    /// Alt+Up / Alt+Down: one place up or down its section (pinned or stream), past the
    /// next entry the timeline shows.
    fn move_selected(&mut self, at: f64, down: bool) {
        let Some(id) = self.view.selected.clone() else {
            return;
        };
        let neighbour = self
            .doc
            .position(&id)
            .and_then(|position| self.rows.stream_neighbour(position, down))
            .and_then(|position| self.doc.blog().entries.get(position))
            .map(|entry| entry.id.clone());
        if let Some(edit) = move_one_place(self.doc.blog(), &id, down, neighbour.as_ref()) {
            self.apply_edit("Move entry", edit, at);
            self.view.scroll_to_selection = true;
        }
    }

    /// Applies a formatting-bar action to the body's selection, as its own undo step,
    /// and puts the cursor back in the body.
    fn format_body(&mut self, ctx: &egui::Context, format: Format) {
        let Some(entry) = self.selected_entry() else {
            return;
        };
        let id = entry.id.clone();
        let body = entry.body.clone();
        let field = entry_editor::body_id(&id);
        let mut state = TextEditState::load(ctx, field).unwrap_or_default();
        let length = body.chars().count();
        let selection = state
            .cursor
            .char_range()
            .map(|range| {
                let sorted = range.as_sorted_char_range();
                sorted.start.0..sorted.end.0
            })
            .unwrap_or(length..length);
        let formatted = apply_format(&body, selection, format);
        let at = Self::now_seconds(ctx);
        self.doc.session.seal_history();
        if let Err(error) = self
            .doc
            .set_field(&id, EntryField::Body(formatted.text), at)
        {
            self.toasts.error(format!("Could not format: {error}"));
            return;
        }
        self.doc.session.seal_history();
        state.cursor.set_char_range(Some(CCursorRange::two(
            CCursor::new(formatted.selection.start),
            CCursor::new(formatted.selection.end),
        )));
        state.store(ctx, field);
        self.view.focus_body = true;
    }
}
