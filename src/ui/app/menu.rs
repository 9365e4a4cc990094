//! The menu bar, generated from `UiCommand`: every command appears in its menu with its
//! shortcut, and is greyed out when it cannot run.

use super::NewsdeskApp;
use crate::ui::action::Action;
use crate::ui::command::{Menu, UiCommand};
use egui::{Button, Ui};

pub fn menu_bar(ui: &mut Ui, app: &NewsdeskApp, actions: &mut Vec<Action>) {
    egui::MenuBar::new().ui(ui, |ui| {
        for menu in Menu::ALL {
            ui.menu_button(menu.label(), |ui| {
                for &command in UiCommand::ALL.iter().filter(|c| c.menu() == menu) {
                    if command.starts_group() {
                        ui.separator();
                    }
                    command_item(ui, app, command, actions);
                    if command == UiCommand::Open {
                        recent_menu(ui, app, actions);
                    }
                }
            });
        }
        // The blog's status where the editor always sees it.
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let status = app.blog().settings.status;
            crate::ui::widgets::blog_status::blog_status_badge(ui, status);
        });
    });
}

fn command_item(ui: &mut Ui, app: &NewsdeskApp, command: UiCommand, actions: &mut Vec<Action>) {
    let label = match command {
        UiCommand::Undo => app.session().history().undo_label().map_or_else(
            || "Undo".to_owned(),
            |label| format!("Undo {}", label.to_lowercase()),
        ),
        UiCommand::Redo => app.session().history().redo_label().map_or_else(
            || "Redo".to_owned(),
            |label| format!("Redo {}", label.to_lowercase()),
        ),
        UiCommand::ToggleTimeline => check(app.state.show_timeline, command.label()),
        UiCommand::TogglePreview => check(app.state.show_preview, command.label()),
        UiCommand::TogglePagePreview => check(app.state.preview_whole_page, command.label()),
        UiCommand::ToggleChecks => check(app.state.show_checks, command.label()),
        UiCommand::ToggleDarkMode => check(app.state.dark_mode, command.label()),
        _ => command.label().to_owned(),
    };
    let mut button = Button::new(label);
    if let Some(shortcut) = command.shortcuts().first() {
        button = button.shortcut_text(ui.ctx().format_shortcut(shortcut));
    }
    let response = ui
        .add_enabled(app.can_run(command), button)
        .on_hover_text(command.help());
    if response.clicked() {
        actions.push(Action::Command(command));
        ui.close();
    }
}

fn check(on: bool, label: &str) -> String {
    if on {
        format!("✔ {label}")
    } else {
        format!("    {label}")
    }
}

fn recent_menu(ui: &mut Ui, app: &NewsdeskApp, actions: &mut Vec<Action>) {
    ui.menu_button("Open recent", |ui| {
        if app.state.recent_files.is_empty() {
            ui.weak("No recent files");
        }
        for path in &app.state.recent_files {
            let name = crate::storage::file_name(path);
            if ui
                .button(name)
                .on_hover_text(path.display().to_string())
                .clicked()
            {
                actions.push(Action::OpenRecent(path.clone()));
                ui.close();
            }
        }
    });
}
