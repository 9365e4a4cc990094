//! What the editor's UI tests share: the sample, harnesses at the default window size,
//! and small steps (select a row, replace a field's text, wait for background work).
#![allow(dead_code)] // each test file uses its own part of this

use egui::{Key, Modifiers, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use newsdesk::model::{Byline, EntryId, LiveBlog, Media};
use newsdesk::ui::NewsdeskApp;
use std::path::Path;
use std::sync::Arc;
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

/// The sample with the 2.47pm post given two bylines, an image and a long body.
pub fn crowded_sample() -> LiveBlog {
    let mut blog = sample();
    let position = blog.position(&id("post-1447")).unwrap();
    let entry = Arc::make_mut(&mut blog.entries[position]);
    entry.bylines = vec![
        Byline {
            name: "Deborah Haynes".into(),
            role: "security and defence editor".into(),
        },
        Byline {
            name: "Alix Culbertson".into(),
            role: "political reporter".into(),
        },
    ];
    entry.media = Some(Media::Image {
        // A picture in the media folder of a blog not yet saved: its preview says so at once,
        // the same on every machine (a web address would be loading or failing by timing).
        url: "talks.media/riyadh-talks-delegations-at-the-table.jpg".into(),
        alt: "The US and Russian delegations facing each other across a long table in \
              Riyadh's Diriyah Palace"
            .into(),
        caption: "The talks lasted four and a half hours. Picture: Reuters".into(),
    });
    entry.body = "Volodymyr Zelenskyy has said negotiations to end the war should not take \
                  place behind Ukraine's back, and that no decision about his country can be \
                  made without it. Speaking in Ankara, he said Kyiv had not been invited to the \
                  talks in Riyadh and learned of them from the media, and that Europe, too, \
                  must have a seat at the table whenever the war's end is discussed. \
                  THE-LAST-WORDS-OF-THE-BODY"
        .into();
    blog
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
