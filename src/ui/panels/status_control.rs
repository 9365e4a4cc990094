//! The entry's status control: Draft / Ready for the editor / Scheduled for a time (typed
//! in the blog's zone with the time input's rules) / Published. It returns `Action`s like
//! every panel: a status as a field change, "Scheduled" and "Published" as requests the
//! shell completes (a default time; the question about a post timed in the future).

use crate::edit::EntryField;
use crate::model::{Entry, EntryStatus, LiveBlog};
use crate::ui::action::Action;
use crate::ui::command::UiCommand;
use crate::ui::widgets::time_input;
use chrono::{DateTime, Utc};
use egui::{Id, TextEdit, Ui};

/// The status in words, as the editor's heading shows it: "scheduled for 2.30pm".
pub fn status_words(blog: &LiveBlog, entry: &Entry) -> String {
    match entry.status {
        EntryStatus::Draft => "draft".into(),
        EntryStatus::Ready => "ready for the editor".into(),
        EntryStatus::Scheduled { at } => {
            format!("scheduled for {}", blog.settings.time_zone.clock(at))
        }
        EntryStatus::Published => "published".into(),
    }
}

/// The scheduled time's fields as typed, kept between frames in egui's memory per entry.
#[derive(Clone, Default)]
struct ScheduleText {
    /// The scheduled time the text was made from.
    source: Option<DateTime<Utc>>,
    date: String,
    time: String,
}

pub fn status_control_ui(ui: &mut Ui, blog: &LiveBlog, entry: &Entry, actions: &mut Vec<Action>) {
    let id = &entry.id;
    ui.horizontal_wrapped(|ui| {
        ui.label("Status:");
        let status = entry.status;
        if ui.radio(status == EntryStatus::Draft, "Draft").clicked() && status != EntryStatus::Draft
        {
            actions.push(Action::SetField(
                id.clone(),
                EntryField::Status(EntryStatus::Draft),
            ));
        }
        if ui
            .radio(status == EntryStatus::Ready, "Ready for the editor")
            .on_hover_text("Hand the post to the editor: still not in print")
            .clicked()
            && status != EntryStatus::Ready
        {
            actions.push(Action::SetField(
                id.clone(),
                EntryField::Status(EntryStatus::Ready),
            ));
        }
        let scheduled = status.scheduled_for();
        if ui
            .radio(scheduled.is_some(), "Scheduled")
            .on_hover_text("Publishes itself at the time set here")
            .clicked()
            && scheduled.is_none()
        {
            actions.push(Action::Schedule(id.clone()));
        }
        if ui
            .radio(status == EntryStatus::Published, "Published")
            .clicked()
            && status != EntryStatus::Published
        {
            // As the Publish button: a post timed in the future asks first.
            actions.push(Action::Command(UiCommand::Publish));
        }
    });
    if let Some(at) = entry.status.scheduled_for() {
        schedule_time_ui(ui, blog, entry, at, actions);
    }
}

/// "Scheduled date [date] Scheduled time [time]" in the blog's zone; committed when a field
/// is left. Named apart from the entry's own date and time fields, which sit just below.
fn schedule_time_ui(
    ui: &mut Ui,
    blog: &LiveBlog,
    entry: &Entry,
    at: DateTime<Utc>,
    actions: &mut Vec<Action>,
) {
    let zone = &blog.settings.time_zone;
    let key = entry.id.as_str();
    let memory_id = Id::unique(("schedule-text", key));
    let date_id = Id::unique(("schedule-date", key));
    let time_id = Id::unique(("schedule-time", key));
    let typing = ui
        .ctx()
        .memory(|m| m.has_focus(date_id) || m.has_focus(time_id));
    let mut text: ScheduleText = ui.data(|d| d.get_temp(memory_id)).unwrap_or_default();
    if !typing && text.source != Some(at) {
        text = ScheduleText {
            source: Some(at),
            date: time_input::date_text(at, zone),
            time: time_input::time_text(at, zone),
        };
    }
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(format!("Scheduled date ({})", zone.display_label()));
        let date = ui
            .add(
                TextEdit::singleline(&mut text.date)
                    .id(date_id)
                    .desired_width(96.0)
                    .hint_text("2025-02-18"),
            )
            .labelled_by(label.id)
            .on_hover_text("Date in the blog's zone");
        let at_label = ui.label("Scheduled time");
        let time = ui
            .add(
                TextEdit::singleline(&mut text.time)
                    .id(time_id)
                    .desired_width(64.0)
                    .hint_text("14:30"),
            )
            .labelled_by(at_label.id)
            .on_hover_text("Clock time in the blog's zone, such as 14:30 or 2.30pm");
        let parsed = time_input::parse_local(&text.date, &text.time, zone);
        if (date.lost_focus() || time.lost_focus())
            && let Ok(when) = parsed
            && when != at
        {
            text.source = Some(when);
            actions.push(Action::SetField(
                entry.id.clone(),
                EntryField::Status(EntryStatus::Scheduled { at: when }),
            ));
        }
        match &parsed {
            Ok(_) => {
                ui.weak(format!("publishes itself at {}", zone.clock(at)));
            }
            Err(error) => {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
        }
    });
    ui.data_mut(|d| d.insert_temp(memory_id, text));
}
