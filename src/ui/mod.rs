//! The eframe app: draws state and emits edits and commands.
//!
//! Three rooms, each using only the ones before it: `widgets` (small reusable pieces:
//! time input, formatting bar, Markdown view), `panels` (timeline, entry editor,
//! preview, checks, find; each draws from what it is given and returns `Action`s), and
//! `app` (the shell: state, command handling, files, safekeeping, dialogs, menu, status
//! bar). `command` lists every user command and `action` what a frame can ask for; the
//! shell applies actions after drawing, through `edit::Session`, so all is undoable.

mod action;
mod app;
mod command;
mod fonts;
mod panels;
mod widgets;

pub use action::{ChecksAction, DiskChoice, ExportChoice};
pub use app::{EditorState, NewsdeskApp, SAMPLE_RON};
pub use command::{Menu, UiCommand};
pub use fonts::{font_definitions, install_fonts};
pub use panels::checks::{checks_panel_ui, export_with_errors_ui};
pub use panels::entry_editor::body_id as body_field_id;
pub use panels::find::{FindQuery, StatusFilter};
pub use panels::thumbnails::cached_count as cached_picture_previews;
pub use panels::timeline::ROW_HEIGHT;
pub use widgets::badge::{BadgeKind, contrast_ratio};
pub use widgets::formatting::{Format, Formatted, apply_format};

use std::path::PathBuf;
use std::process::ExitCode;

/// Opens the editor window on `file`, or on the bundled sample when there is none.
pub fn run(file: Option<PathBuf>) -> ExitCode {
    launch(move |cc| NewsdeskApp::new(cc, file))
}

/// Opens the editor window and joins the live blog shared behind `link`.
pub fn run_joining(link: crate::sync::net::ShareLink) -> ExitCode {
    launch(move |cc| {
        let mut app = NewsdeskApp::new(cc, None);
        app.join_at_start(&cc.egui_ctx, link);
        app
    })
}

fn launch(make: impl FnOnce(&eframe::CreationContext<'_>) -> NewsdeskApp + 'static) -> ExitCode {
    app::startup_probe::mark_process_start();
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
        Box::new(move |cc| Ok(Box::new(make(cc)))),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("newsdesk: the editor window could not open: {error}");
            ExitCode::from(2)
        }
    }
}
