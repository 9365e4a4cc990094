//! The find and filter bar above the timeline (Ctrl+F; Escape clears).

use super::find::{FindQuery, StatusFilter};
use crate::ui::action::Action;
use crate::ui::command::UiCommand;
use egui::{Id, TextEdit, Ui};

pub const FIND_TEXT_ID: &str = "find-text";

/// Draws the bar over `query`; `focus` puts the cursor in the text field (once).
pub fn find_bar(
    ui: &mut Ui,
    query: &mut FindQuery,
    focus: &mut bool,
    matched: usize,
    actions: &mut Vec<Action>,
) {
    egui::Grid::new("find-bar")
        .num_columns(2)
        .spacing([6.0, 4.0])
        .show(ui, |ui| {
            let label = ui.label("Find");
            let text = ui
                .add(
                    TextEdit::singleline(&mut query.text)
                        .id(Id::unique(FIND_TEXT_ID))
                        .hint_text("Words in headline or body")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            if std::mem::take(focus) {
                text.request_focus();
            }
            ui.end_row();
            let label = ui.label("Byline");
            ui.add(
                TextEdit::singleline(&mut query.byline)
                    .id(Id::unique("find-byline"))
                    .hint_text("Name or role")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
            ui.end_row();
        });
    ui.horizontal_wrapped(|ui| {
        egui::ComboBox::from_id_salt("find-status")
            .selected_text(query.status.label())
            .show_ui(ui, |ui| {
                for status in StatusFilter::ALL {
                    ui.selectable_value(&mut query.status, status, status.label());
                }
            })
            .response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Status filter"));
        ui.checkbox(&mut query.key_events_only, "Key events");
        ui.checkbox(&mut query.breaking_only, "Breaking");
        ui.checkbox(&mut query.summaries_only, "Summaries");
    });
    ui.horizontal(|ui| {
        let found = if query.is_active() {
            format!("{matched} matching")
        } else {
            "Showing everything".to_owned()
        };
        ui.weak(found);
        if ui.button("Clear filter").clicked() {
            actions.push(Action::Command(UiCommand::ClearFind));
        }
    });
}
