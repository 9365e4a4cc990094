//! The eframe app: draws state and emits edits and commands.
//!
//! `app` holds the state and the frame; each panel or job has its own file. Nothing
//! changes the document while drawing: widgets push `command::Action`s, which
//! `command_handling` applies afterwards through `edit::Session`, so all is undoable.

mod app;
mod checks_panel;
mod command;
mod command_handling;
mod dialogs;
mod disk_watch;
mod document;
mod entry_editor;
mod files;
mod find;
mod find_bar;
mod fonts;
mod formatting;
mod jobs;
mod markdown;
mod menu;
mod preview;
mod recovery;
mod recovery_dialog;
mod safekeeping;
mod settings;
mod startup_probe;
mod status_bar;
mod time_input;
mod timeline;

pub use app::{EditorState, NewsdeskApp, SAMPLE_RON};
pub use command::{Menu, UiCommand};
pub use entry_editor::body_id as body_field_id;
pub use find::{FindQuery, StatusFilter};
pub use fonts::{font_definitions, install_fonts};
pub use formatting::{Format, Formatted, apply_format};
pub use timeline::ROW_HEIGHT;

use std::path::PathBuf;
use std::process::ExitCode;

/// Opens the editor window on `file`, or on the bundled sample when there is none.
pub fn run(file: Option<PathBuf>) -> ExitCode {
    startup_probe::mark_process_start();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Newsdesk")
            .with_app_id("newsdesk")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([720.0, 480.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    let result = eframe::run_native(
        "Newsdesk",
        options,
        Box::new(move |cc| Ok(Box::new(NewsdeskApp::new(cc, file)))),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("newsdesk: the editor window could not open: {error}");
            ExitCode::from(2)
        }
    }
}
