//! Publishing from the editor: the target set in Blog settings, File > Publish now, the
//! status bar's report, and auto-publish after an edit. Publishes run on a real
//! background thread into a temporary folder.

mod common;

use common::ui::*;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use newsdesk::ui::NewsdeskApp;
use std::path::Path;
use std::time::Duration;

const CTRL_ALT: Modifiers = Modifiers {
    alt: true,
    ..Modifiers::COMMAND
};

/// Steps until the status bar has a label starting with `words` (the publish runs on
/// its own thread); fails if it never comes.
fn wait_for_status(h: &mut Harness<'_, NewsdeskApp>, words: &str) {
    for _ in 0..1000 {
        h.step();
        if h.query_by_label_contains(words).is_some() {
            h.run();
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the status bar never said “{words}”");
}

fn set_target(h: &mut Harness<'_, NewsdeskApp>, target: &Path, auto: bool) {
    h.key_press_modifiers(CTRL, Key::Comma);
    h.run();
    replace_text(h, "Publish to", &target.display().to_string());
    if auto {
        h.get_by_label("Republish after changes, at most every")
            .click();
        h.run();
        replace_text(h, "seconds:", "1");
    }
    h.get_by_label("Apply").click();
    // With auto-publish on, applying starts a publish in the background: step only.
    if auto {
        h.step();
    } else {
        h.run();
    }
}

#[test]
fn publish_now_writes_the_site_and_the_status_bar_says_when() {
    let folder = tempfile::tempdir().expect("temp dir");
    let site = folder.path().join("site");
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    set_target(&mut h, &site, false);
    assert_eq!(
        h.state().blog().settings.publish.target,
        site.display().to_string()
    );

    h.key_press_modifiers(CTRL_ALT, Key::P);
    // The publish runs in the background: step, don't wait for the spinner to settle.
    h.step();
    wait_for_status(&mut h, "Published ");
    let index = std::fs::read_to_string(site.join("index.html")).expect("index.html");
    assert!(index.contains("Ukraine war latest"));
    assert!(site.join("feed.json").is_file() && site.join("feed.atom").is_file());
}

#[test]
fn a_failed_publish_is_explained_in_the_status_bar() {
    let folder = tempfile::tempdir().expect("temp dir");
    let blocker = folder.path().join("a-file");
    std::fs::write(&blocker, "not a folder").expect("write");
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    set_target(&mut h, &blocker.join("site"), false);
    h.key_press_modifiers(CTRL_ALT, Key::P);
    // The publish runs in the background: step, don't wait for the spinner to settle.
    h.step();
    wait_for_status(&mut h, "Publish failed: could not create the folder");
    // The document is untouched.
    assert_eq!(h.state().blog().entries, sample().entries);
}

#[test]
fn without_a_target_publish_now_says_what_to_do() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    h.key_press_modifiers(CTRL_ALT, Key::P);
    // The publish runs in the background: step, don't wait for the spinner to settle.
    h.step();
    wait_for_status(&mut h, "Not published: no publish target is set");
}

#[test]
fn with_auto_publish_an_edit_is_republished_by_itself() {
    let folder = tempfile::tempdir().expect("temp dir");
    let site = folder.path().join("site");
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    set_target(&mut h, &site, true);
    assert!(h.state().blog().settings.publish.auto_publish);
    // Applying the settings was a change: the first auto-publish follows.
    wait_for_status(&mut h, "Published ");
    replace_text(&mut h, "Headline", "Talks adjourn until Thursday");
    for _ in 0..1000 {
        h.step();
        let index = std::fs::read_to_string(site.join("index.html")).unwrap_or_default();
        if index.contains("Talks adjourn until Thursday") {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the edit was never republished");
}
