//! Files in the editor: Save As through the typed-path dialog, conflicts on disk,
//! unsaved-changes questions, dropped files and export, closing, newer formats, errors
//! explained, and preferences kept by eframe (the document never).

use common::ui::*;
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use newsdesk::ui::{EditorState, NewsdeskApp};
use std::sync::Arc;

mod common;

// ---- 8. Files --------------------------------------------------------------------------

#[test]
fn save_as_through_the_typed_path_dialog_then_save_and_title_marks() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("talks.ron");
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    select_row(&mut h, "2.47pm Negotiations");
    replace_text(&mut h, "Headline", "Zelenskyy speaks");
    assert!(h.state().window_title().starts_with("● Untitled"));

    // No file yet: Save is Save As, and with no native dialog the path is typed.
    h.key_press_modifiers(CTRL, Key::S);
    h.run();
    h.get_by_label("File path")
        .type_text(&path.display().to_string());
    h.run();
    h.get_by_label("Save").click();
    wait_for_jobs(&mut h);

    assert_eq!(h.state().file_path(), Some(path.as_path()));
    assert!(!h.state().is_dirty());
    assert_eq!(h.state().window_title(), "talks.ron — Newsdesk");
    let on_disk = newsdesk::storage::load(&path).unwrap().blog;
    assert_eq!(&on_disk, h.state().blog());

    // Now Ctrl+S saves straight to the file.
    replace_text(&mut h, "Headline", "Zelenskyy: not behind our backs");
    assert!(h.state().window_title().starts_with("● talks.ron"));
    h.key_press_modifiers(CTRL, Key::S);
    wait_for_jobs(&mut h);
    let on_disk = newsdesk::storage::load(&path).unwrap().blog;
    assert_eq!(
        on_disk.entry(&id("post-1447")).unwrap().headline,
        "Zelenskyy: not behind our backs"
    );
    assert!(
        newsdesk::storage::backup_path(&path).exists(),
        "the previous version is kept"
    );
}

#[test]
fn a_file_changed_on_disk_asks_before_it_is_overwritten() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("talks.ron");
    newsdesk::storage::save(&path, &sample()).unwrap();
    let app = NewsdeskApp::new_for_test_with_file(path.clone()).unwrap();
    let mut h = harness(app);
    select_row(&mut h, "2.47pm Negotiations");
    replace_text(&mut h, "Headline", "Mine");

    // Someone else saves the file meanwhile.
    let mut theirs = sample();
    theirs.settings.title = "Their version".into();
    newsdesk::storage::save(&path, &theirs).unwrap();

    h.key_press_modifiers(CTRL, Key::S);
    wait_for_jobs(&mut h);
    h.get_by_label("The file changed on disk");
    assert_eq!(
        newsdesk::storage::load(&path).unwrap().blog.settings.title,
        "Their version"
    );
    assert!(h.state().is_dirty());

    h.get_by_label("Overwrite").click();
    wait_for_jobs(&mut h);
    let on_disk = newsdesk::storage::load(&path).unwrap().blog;
    assert_eq!(on_disk.entry(&id("post-1447")).unwrap().headline, "Mine");
    assert!(!h.state().is_dirty());
}

#[test]
fn open_with_unsaved_changes_asks_save_discard_or_cancel() {
    let folder = tempfile::tempdir().unwrap();
    let other = folder.path().join("other.ron");
    let mut other_blog = sample();
    other_blog.settings.title = "Another story".into();
    newsdesk::storage::save(&other, &other_blog).unwrap();

    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    select_row(&mut h, "2.47pm Negotiations");
    replace_text(&mut h, "Headline", "Edited");

    h.key_press_modifiers(CTRL, Key::O);
    h.run();
    h.get_by_label("Save your changes?");
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.query_by_label("Save your changes?").is_none());
    assert!(h.state().is_dirty());

    h.key_press_modifiers(CTRL, Key::O);
    h.run();
    h.get_by_label("Discard changes").click();
    h.run();
    h.get_by_label("File path")
        .type_text(&other.display().to_string());
    h.run();
    h.key_press(Key::Enter);
    wait_for_jobs(&mut h);
    assert_eq!(h.state().blog().settings.title, "Another story");
    assert_eq!(h.state().file_path(), Some(other.as_path()));
    assert!(!h.state().is_dirty());
    assert_eq!(h.state().state.recent_files.first(), Some(&other));
}

#[test]
fn a_dropped_ron_file_opens_and_export_writes_html_beside_it() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("dropped.ron");
    let mut blog = sample();
    blog.settings.title = "Dropped story".into();
    blog.pinned.clear();
    blog.entries.truncate(2);
    newsdesk::storage::save(&path, &blog).unwrap();

    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped(path.clone())));
    wait_for_jobs(&mut h);
    assert_eq!(h.state().blog().settings.title, "Dropped story");
    // The timeline shows the new document, not rows cached from the last one.
    assert_eq!(h.state().filtered_count(), 2);
    assert_eq!(
        h.query_all_by_role(egui::accesskit::Role::ListBoxOption)
            .count(),
        2
    );

    // Cutting the blog to two entries broke the summary's links: the checks say so
    // before exporting, and "Show the problems" opens the Checks panel.
    h.key_press_modifiers(CTRL, Key::E);
    h.run();
    h.get_by_label("Export with errors?");
    h.get_by_label("Show the problems").click();
    h.run();
    assert!(h.state().state.show_checks);
    assert!(!folder.path().join("dropped.html").exists());
    h.key_press_modifiers(CTRL, Key::E);
    h.run();
    h.get_by_label("Export anyway").click();
    wait_for_jobs(&mut h);
    let html = std::fs::read_to_string(folder.path().join("dropped.html")).expect("exported");
    assert_eq!(
        html,
        newsdesk::export::render_page(h.state().blog(), h.state().now())
    );

    // Or to a chosen path.
    let chosen = folder.path().join("page");
    h.key_press_modifiers(CTRL_SHIFT, Key::E);
    h.run();
    h.get_by_label("Export anyway").click();
    h.run();
    replace_text(&mut h, "File path", &chosen.display().to_string());
    h.key_press(Key::Enter);
    wait_for_jobs(&mut h);
    let html = std::fs::read_to_string(folder.path().join("page.html")).expect("exported as");
    assert_eq!(
        html,
        newsdesk::export::render_page(h.state().blog(), h.state().now())
    );
}

#[test]
fn closing_the_window_with_unsaved_changes_asks_first() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    select_row(&mut h, "2.47pm Negotiations");
    replace_text(&mut h, "Headline", "Edited");
    let close = |h: &mut Harness<'_, NewsdeskApp>| {
        h.input_mut()
            .viewports
            .entry(egui::ViewportId::ROOT)
            .or_default()
            .events
            .push(egui::ViewportEvent::Close);
        h.run();
    };
    close(&mut h);
    h.get_by_label("Save your changes?");
    assert!(!h.state().quit_requested());
    h.get_by_label("Cancel").click();
    h.run();
    assert!(!h.state().quit_requested());

    close(&mut h);
    h.get_by_label("Discard changes").click();
    h.run();
    assert!(h.state().quit_requested());
}

#[test]
fn a_file_from_a_newer_newsdesk_can_only_be_saved_as() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("newer.ron");
    let text = newsdesk::storage::to_ron_string(&sample())
        .unwrap()
        .replacen("format_version: 2", "format_version: 9", 1);
    std::fs::write(&path, &text).unwrap();
    let mut h = harness(NewsdeskApp::new_for_test_with_file(path.clone()).unwrap());
    assert!(h.state().window_title().contains("read-only"));
    h.key_press_modifiers(CTRL, Key::S);
    h.run();
    // Save asks for a new path instead of writing over the newer file.
    h.get_by_label("File path");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

// ---- 9. Errors -------------------------------------------------------------------------

#[test]
fn a_bad_file_or_a_failed_save_is_explained_and_the_document_is_kept() {
    let folder = tempfile::tempdir().unwrap();
    let bad = folder.path().join("broken.ron");
    std::fs::write(&bad, "(format_version: 1, title: \"cut off").unwrap();
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    select_row(&mut h, "2.47pm Negotiations");
    replace_text(&mut h, "Headline", "Keep me");

    h.key_press_modifiers(CTRL, Key::O);
    h.run();
    h.get_by_label("Discard changes").click();
    h.run();
    h.get_by_label("File path")
        .type_text(&bad.display().to_string());
    h.key_press(Key::Enter);
    wait_for_jobs(&mut h);
    let banner = h.state().banner().expect("an error is shown").to_owned();
    assert!(banner.contains("Could not open"), "{banner}");
    assert!(banner.contains("broken.ron"), "{banner}");
    assert_eq!(
        h.state().blog().entry(&id("post-1447")).unwrap().headline,
        "Keep me"
    );

    // A save that fails (the file became a folder) keeps the document and says why.
    let path = folder.path().join("talks.ron");
    newsdesk::storage::save(&path, &sample()).unwrap();
    let mut h = harness(NewsdeskApp::new_for_test_with_file(path.clone()).unwrap());
    select_row(&mut h, "2.47pm Negotiations");
    replace_text(&mut h, "Headline", "Keep me too");
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir(&path).unwrap();
    h.key_press_modifiers(CTRL, Key::S);
    wait_for_jobs(&mut h);
    let banner = h.state().banner().expect("an error is shown").to_owned();
    assert!(banner.contains("Not saved"), "{banner}");
    assert!(h.state().is_dirty());
    assert_eq!(
        h.state().blog().entry(&id("post-1447")).unwrap().headline,
        "Keep me too"
    );
}

// ---- 10. Preferences -------------------------------------------------------------------

#[derive(Default)]
struct MemoryStorage(std::collections::HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn preferences_are_remembered_through_eframe_storage_but_the_document_is_not() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    h.get_by_label("View").click();
    h.run();
    h.get_by_label_contains("Dark mode").click();
    h.run();
    assert!(h.state().state.dark_mode);

    let mut storage = MemoryStorage::default();
    eframe::App::save(h.state_mut(), &mut storage);
    let restored: EditorState = eframe::get_value(&storage, eframe::APP_KEY).expect("stored");
    assert_eq!(restored, h.state().state);
    let everything: String = storage.0.values().cloned().collect();
    assert!(
        !everything.contains("Zelenskyy"),
        "the document must not be in preferences"
    );
    // Old or partial preferences still load, with defaults for what is missing.
    let partial: EditorState = ron::from_str("(dark_mode: true)").unwrap();
    assert!(partial.dark_mode && partial.show_preview);
}
