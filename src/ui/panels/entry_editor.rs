//! The middle panel: every field of the selected entry.
//!
//! Fields edit a copy of the entry's text each frame and emit `Action::SetField` when
//! it changed; the document itself is only changed after drawing, through the session.

use crate::edit::EntryField;
use crate::model::{Byline, Entry, EntryId, EntryKind, Flags, LiveBlog};
use crate::ui::action::Action;
use crate::ui::command::UiCommand;
use crate::ui::widgets::direction::text_align;
use crate::ui::widgets::formatting::Format;
use crate::ui::widgets::prose_field::{ProseField, Writing};
use crate::ui::widgets::time_input;
use chrono::{DateTime, Utc};
use egui::{Id, RichText, TextEdit, Ui};

/// Salts of the entry's text-field ids. Drawing, the reset of a field's own undo after a
/// document undo, and jumps from the Checks panel must all agree on them.
const HEADLINE: &str = "entry-headline";
const CORRECTION: &str = "entry-correction";
const DATE: &str = "entry-date";
const TIME: &str = "entry-time";
pub(super) const MEDIA_URL: &str = "media-url";
pub(super) const MEDIA_ALT: &str = "media-alt";
pub(super) const MEDIA_CAPTION: &str = "media-caption";
pub(super) const EMBED_AUTHOR: &str = "embed-author";
pub(super) const EMBED_PROVIDER: &str = "embed-provider";
pub(super) const EMBED_DATE: &str = "embed-date";
pub(super) const EMBED_TEXT: &str = "embed-text";
const BYLINE_NAME: &str = "byline-name";
const BYLINE_ROLE: &str = "byline-role";

/// Id of the body's text field, so the formatting bar can find its selection.
pub fn body_id(entry: &EntryId) -> Id {
    Id::unique(("entry-body", entry.as_str()))
}

/// The widget showing `field` of entry `entry`, for jumps from the Checks panel.
pub fn field_id(entry: &EntryId, field: crate::checks::Field) -> Option<Id> {
    use crate::checks::Field;
    let key = entry.as_str();
    let salt = match field {
        Field::Body => return Some(body_id(entry)),
        Field::Headline => HEADLINE,
        Field::DisplayTime => DATE,
        Field::MediaUrl => MEDIA_URL,
        Field::MediaAlt => MEDIA_ALT,
        Field::Bylines => return Some(Id::unique((BYLINE_NAME, key, 0usize))),
        _ => return None,
    };
    Some(Id::unique((salt, key)))
}

/// Ids of every text field of an entry, to reset their own undo after a document undo.
pub fn text_field_ids(entry: &Entry) -> Vec<Id> {
    let key = entry.id.as_str();
    let mut ids = vec![
        body_id(&entry.id),
        Id::unique((HEADLINE, key)),
        Id::unique((CORRECTION, key)),
        Id::unique((DATE, key)),
        Id::unique((TIME, key)),
        Id::unique((MEDIA_URL, key)),
        Id::unique((MEDIA_ALT, key)),
        Id::unique((MEDIA_CAPTION, key)),
        Id::unique((EMBED_AUTHOR, key)),
        Id::unique((EMBED_PROVIDER, key)),
        Id::unique((EMBED_DATE, key)),
        Id::unique((EMBED_TEXT, key)),
    ];
    for index in 0..entry.bylines.len() {
        ids.push(Id::unique((BYLINE_NAME, key, index)));
        ids.push(Id::unique((BYLINE_ROLE, key, index)));
    }
    ids
}

/// The date and time fields' text while the editor types, with the parse error if any.
#[derive(Default)]
pub struct TimeDraft {
    entry: Option<EntryId>,
    source: Option<DateTime<Utc>>,
    zone: String,
    pub date: String,
    pub time: String,
    pub error: Option<String>,
}

impl TimeDraft {
    /// A typed time for `entry` that parses and differs from its time: not yet committed
    /// because the field still has focus (Ctrl+S pressed while typing it).
    pub fn pending(&self, entry: &Entry, blog: &LiveBlog) -> Option<DateTime<Utc>> {
        if self.entry.as_ref() != Some(&entry.id) {
            return None;
        }
        time_input::parse_local(&self.date, &self.time, &blog.settings.time_zone)
            .ok()
            .filter(|time| *time != entry.display_time)
    }

    fn sync(&mut self, entry: &Entry, blog: &LiveBlog, typing: bool) {
        let zone = blog.settings.time_zone.zone.name().to_owned();
        let stale = self.entry.as_ref() != Some(&entry.id)
            || self.zone != zone
            || (!typing && self.source != Some(entry.display_time));
        if stale {
            self.entry = Some(entry.id.clone());
            self.source = Some(entry.display_time);
            self.zone = zone;
            self.date = time_input::date_text(entry.display_time, &blog.settings.time_zone);
            self.time = time_input::time_text(entry.display_time, &blog.settings.time_zone);
            self.error = None;
        }
    }
}

pub struct EntryEditor<'a> {
    pub blog: &'a LiveBlog,
    pub entry: &'a Entry,
    pub time_draft: &'a mut TimeDraft,
    pub focus_body: &'a mut bool,
    /// The other editors of a shared blog on this entry.
    pub others: &'a [super::presence::EditorMark],
    /// Spellcheck, typography and word counts.
    pub writing: Writing<'a>,
}

impl EntryEditor<'_> {
    pub fn ui(self, ui: &mut Ui, actions: &mut Vec<Action>) {
        let EntryEditor {
            blog,
            entry,
            time_draft,
            focus_body,
            others,
            mut writing,
        } = self;
        super::presence::entry_banner_ui(ui, others);
        let id = &entry.id;
        let set = |actions: &mut Vec<Action>, field: EntryField| {
            actions.push(Action::SetField(id.clone(), field));
        };

        status_row(ui, blog, entry, actions);
        super::status_control::status_control_ui(ui, blog, entry, actions);
        ui.add_space(6.0);

        egui::Grid::new(("entry-fields", id.as_str()))
            .num_columns(2)
            .spacing([10.0, 8.0])
            .min_col_width(80.0)
            .show(ui, |ui| {
                time_row(ui, blog, entry, time_draft, actions);
                ui.end_row();

                let label = ui.label("Headline");
                let mut headline = entry.headline.clone();
                ProseField::singleline(Id::unique((HEADLINE, id.as_str())))
                    .hint("No headline: the page shows the first words")
                    .align(text_align(&entry.headline))
                    .show(ui, &mut writing, &entry.headline, &mut headline, actions)
                    .labelled_by(label.id);
                if headline != entry.headline {
                    set(actions, EntryField::Headline(headline));
                }
                ui.end_row();

                ui.label("Bylines");
                bylines_ui(ui, entry, actions);
                ui.end_row();

                ui.label("Flags");
                ui.horizontal_wrapped(|ui| {
                    let mut flags: Flags = entry.flags;
                    ui.checkbox(&mut flags.key_event, "Key event");
                    ui.checkbox(&mut flags.breaking, "Breaking");
                    if flags != entry.flags {
                        set(actions, EntryField::Flags(flags));
                    }
                    ui.separator();
                    let mut kind = entry.kind;
                    ui.radio_value(&mut kind, EntryKind::Post, "Post");
                    ui.radio_value(&mut kind, EntryKind::Summary, "Summary");
                    if kind != entry.kind {
                        set(actions, EntryField::Kind(kind));
                    }
                });
                ui.end_row();
            });

        ui.add_space(8.0);
        let body_label = ui.strong("Body");
        formatting_bar(ui, actions);
        let mut body = entry.body.clone();
        let body_response = ProseField::multiline(body_id(id), 12)
            .hint("Write the post in Markdown")
            .align(text_align(&entry.body))
            .show(ui, &mut writing, &entry.body, &mut body, actions);
        let body_response = body_response.labelled_by(body_label.id);
        if std::mem::take(focus_body) {
            body_response.request_focus();
        }
        if body != entry.body {
            set(actions, EntryField::Body(body));
        }

        crate::ui::widgets::prose_field::writing_aids_line(ui, &mut writing, entry, actions);

        ui.add_space(8.0);
        super::media_section::media_ui(ui, entry, &mut writing, actions);

        ui.add_space(8.0);
        let correction_label = ui.label("Correction note");
        let mut correction = entry.correction.clone();
        ProseField::singleline(Id::unique((CORRECTION, id.as_str())))
            .hint("Shown under the post when it was corrected")
            .align(text_align(&entry.correction))
            .show(
                ui,
                &mut writing,
                &entry.correction,
                &mut correction,
                actions,
            )
            .labelled_by(correction_label.id);
        if correction != entry.correction {
            set(actions, EntryField::Correction(correction));
        }
    }
}

fn shortcut_hint(ui: &Ui, command: UiCommand) -> String {
    command
        .shortcuts()
        .first()
        .map(|shortcut| ui.ctx().format_shortcut(shortcut))
        .unwrap_or_default()
}

fn status_row(ui: &mut Ui, blog: &LiveBlog, entry: &Entry, actions: &mut Vec<Action>) {
    ui.horizontal_wrapped(|ui| {
        let kind = match entry.kind {
            EntryKind::Post => "Post",
            EntryKind::Summary => "Summary",
        };
        let words = super::status_control::status_words(blog, entry);
        let status = if entry.is_published() {
            RichText::new(format!("{kind} · {words}"))
        } else {
            RichText::new(format!("{kind} · {words}")).color(ui.visuals().warn_fg_color)
        };
        ui.heading(status);
        ui.add_space(12.0);
        let publish = if entry.is_published() {
            "Return to draft"
        } else {
            "Publish"
        };
        if ui
            .button(publish)
            .on_hover_text(shortcut_hint(ui, UiCommand::Publish))
            .clicked()
        {
            actions.push(Action::Command(UiCommand::Publish));
        }
        let pin = if blog.is_pinned(&entry.id) {
            "Unpin"
        } else {
            "Pin"
        };
        if ui
            .button(pin)
            .on_hover_text(shortcut_hint(ui, UiCommand::TogglePin))
            .clicked()
        {
            actions.push(Action::Command(UiCommand::TogglePin));
        }
        if ui.button("Delete").on_hover_text("Delete key").clicked() {
            actions.push(Action::Command(UiCommand::Delete));
        }
    });
}

fn time_row(
    ui: &mut Ui,
    blog: &LiveBlog,
    entry: &Entry,
    draft: &mut TimeDraft,
    actions: &mut Vec<Action>,
) {
    let key = entry.id.as_str();
    let date_id = Id::unique((DATE, key));
    let time_id = Id::unique((TIME, key));
    let typing = ui
        .ctx()
        .memory(|m| m.has_focus(date_id) || m.has_focus(time_id));
    draft.sync(entry, blog, typing);
    let label = ui.label(format!(
        "Time ({})",
        blog.settings.time_zone.display_label()
    ));
    ui.vertical(|ui| {
        // Wrapped: the extra zones' clocks go to a second line in a narrow column.
        ui.horizontal_wrapped(|ui| {
            let date = ui
                .add(
                    TextEdit::singleline(&mut draft.date)
                        .id(date_id)
                        .desired_width(96.0)
                        .hint_text("2025-02-18"),
                )
                .labelled_by(label.id)
                .on_hover_text("Date in the blog's zone");
            let time_label = ui.label("at");
            let time = ui
                .add(
                    TextEdit::singleline(&mut draft.time)
                        .id(time_id)
                        .desired_width(64.0)
                        .hint_text("14:47"),
                )
                .labelled_by(time_label.id)
                .on_hover_text("Clock time in the blog's zone, such as 14:47 or 2.47pm");
            let parsed =
                time_input::parse_local(&draft.date, &draft.time, &blog.settings.time_zone);
            draft.error = parsed.as_ref().err().cloned();
            // The time is committed when the field is left (or Enter pressed), so that
            // typing "14:4" on the way to "14:47" does not move the post twice.
            if (date.lost_focus() || time.lost_focus())
                && let Ok(time) = parsed
                && time != entry.display_time
            {
                draft.source = Some(time);
                actions.push(Action::SetField(
                    entry.id.clone(),
                    EntryField::DisplayTime(time),
                ));
            }
            if ui
                .button("Now")
                .on_hover_text("Set the time to now")
                .clicked()
            {
                actions.push(Action::Command(UiCommand::SetTimeNow));
            }
            ui.label(
                RichText::new(format!(
                    "{} {}",
                    blog.settings.time_zone.clock(entry.display_time),
                    blog.settings.time_zone.display_label()
                ))
                .strong(),
            );
            for zone in &blog.settings.extra_zones {
                ui.label(format!(
                    "· {} {}",
                    zone.clock(entry.display_time),
                    zone.display_label()
                ));
            }
        });
        if let Some(error) = &draft.error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
    });
}

fn bylines_ui(ui: &mut Ui, entry: &Entry, actions: &mut Vec<Action>) {
    let key = entry.id.as_str();
    ui.vertical(|ui| {
        let mut bylines = entry.bylines.clone();
        let mut remove = None;
        for (index, byline) in bylines.iter_mut().enumerate() {
            // Name and role share the column; in a narrow one the role wraps below.
            let available = ui.available_width();
            let field_width = byline_field_width(available);
            let one_line = field_width * 2.0 + BYLINE_AROUND_BOTH <= available;
            ui.horizontal_wrapped(|ui| {
                let name_label = ui.label(format!("Name {}", index + 1));
                ui.add(
                    TextEdit::singleline(&mut byline.name)
                        .id(Id::unique((BYLINE_NAME, key, index)))
                        .desired_width(field_width)
                        .hint_text("Deborah Haynes"),
                )
                .labelled_by(name_label.id);
                if !one_line {
                    ui.end_row();
                }
                let role_label = ui.label("Role");
                ui.add(
                    TextEdit::singleline(&mut byline.role)
                        .id(Id::unique((BYLINE_ROLE, key, index)))
                        .desired_width(field_width)
                        .hint_text("security and defence editor"),
                )
                .labelled_by(role_label.id);
                let remove_name = format!("Remove byline {}", index + 1);
                let remove_button = ui.button("✖").on_hover_text(&remove_name);
                // Named for screen readers (its face is only a cross).
                remove_button.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::Button, true, &remove_name)
                });
                if remove_button.clicked() {
                    remove = Some(index);
                }
            });
        }
        if let Some(index) = remove {
            bylines.remove(index);
        }
        if ui.button("Add byline").clicked() {
            bylines.push(Byline::default());
        }
        if bylines != entry.bylines {
            actions.push(Action::SetField(
                entry.id.clone(),
                EntryField::Bylines(bylines),
            ));
        }
    });
}

/// "Name 1", "Role", the remove button and the spacing between them.
const BYLINE_AROUND_BOTH: f32 = 130.0;

/// Width of a byline's name and role fields in a column `available` wide: both on one
/// line with their labels and the remove button where there is room for names; otherwise
/// each on its own line, as wide as the column allows (the row wraps).
fn byline_field_width(available: f32) -> f32 {
    // "Name 1" (or "Role" and the remove button) beside one field.
    const AROUND_ONE: f32 = 90.0;
    const NARROWEST_SIDE_BY_SIDE: f32 = 140.0;
    let side_by_side = (available - BYLINE_AROUND_BOTH) / 2.0;
    if side_by_side >= NARROWEST_SIDE_BY_SIDE {
        side_by_side.min(240.0)
    } else {
        (available - AROUND_ONE).max(60.0)
    }
}

fn formatting_bar(ui: &mut Ui, actions: &mut Vec<Action>) {
    ui.horizontal_wrapped(|ui| {
        for (format, command, text) in [
            (Format::Bold, UiCommand::Bold, RichText::new("B").strong()),
            (
                Format::Italic,
                UiCommand::Italic,
                RichText::new("I").italics(),
            ),
            (Format::Link, UiCommand::Link, RichText::new("Link")),
            (Format::Quote, UiCommand::Quote, RichText::new("Quote")),
            (
                Format::ForContext,
                UiCommand::ForContext,
                RichText::new("For context"),
            ),
        ] {
            let hint = format!("{} ({})", format.label(), shortcut_hint(ui, command));
            let response = ui.button(text).on_hover_text(hint);
            // Icon-like buttons get their full name for screen readers and tests.
            response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Button, true, format.label())
            });
            if response.clicked() {
                actions.push(Action::Format(format));
            }
        }
    });
}
