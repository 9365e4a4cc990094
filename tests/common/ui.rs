//! What the editor's UI tests share: the sample, harnesses at the default window size,
//! and small steps (select a row, replace a field's text, wait for background work).
#![allow(dead_code)] // each test file uses its own part of this

use egui::{Key, Modifiers, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use newsdesk::model::{EntryId, LiveBlog};
use newsdesk::ui::NewsdeskApp;
use std::path::Path;
use std::time::Duration;

pub const CTRL: Modifiers = Modifiers::COMMAND;
pub const CTRL_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};

pub fn sample() -> LiveBlog {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/ukraine-talks-2025-02-18.ron");
    newsdesk::storage::load(&path)
        .expect("the sample loads")
        .blog
}

pub fn harness(app: NewsdeskApp) -> Harness<'static, NewsdeskApp> {
    let mut harness = unsettled_harness(app);
    harness.run();
    harness
}

pub fn unsettled_harness(app: NewsdeskApp) -> Harness<'static, NewsdeskApp> {
    Harness::builder()
        .with_size(Vec2::new(1280.0, 800.0))
        .with_max_steps(64)
        .build_ui_state(|ui, app: &mut NewsdeskApp| app.ui(ui), app)
}

/// An editor that has just started: it looks for work left behind on its first frame,
/// in the background.
pub fn started_harness(app: NewsdeskApp) -> Harness<'static, NewsdeskApp> {
    let mut harness = unsettled_harness(app);
    wait_for_jobs(&mut harness);
    harness
}

pub fn id(text: &str) -> EntryId {
    EntryId::new(text).expect("test ids are valid")
}

pub fn ids(app: &NewsdeskApp) -> Vec<String> {
    app.blog()
        .entries
        .iter()
        .map(|e| e.id.to_string())
        .collect()
}

/// Steps until background file work has finished (it runs on real threads).
pub fn wait_for_jobs(harness: &mut Harness<'_, NewsdeskApp>) {
    for _ in 0..500 {
        harness.step();
        if !harness.state().is_busy() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        !harness.state().is_busy(),
        "background file work did not finish"
    );
    harness.run();
}

/// Clicks a timeline row by the start of its title.
pub fn select_row(harness: &mut Harness<'_, NewsdeskApp>, title_start: &str) {
    harness.get_by_label_contains(title_start).click();
    harness.run();
}

pub fn replace_text(harness: &mut Harness<'_, NewsdeskApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.key_press_modifiers(CTRL, Key::A);
    harness.run();
    harness.get_by_label(label).type_text(text);
    harness.run();
}

/// A file dropped on the window, as the windowing system hands it over.
#[derive(Debug)]
pub struct Dropped(pub std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}
