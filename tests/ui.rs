//! The editor, driven as a user would: real widgets and keys through egui_kittest, with
//! the accessibility check on. Each test asserts the resulting document through the
//! session. One test (at least) per workflow of issue 3, plus snapshots of the main
//! screen (light and dark) and a check that the bundled fonts draw what newsrooms type,
//! and (issue 5) recovery copies, restoring after a crash and changes made on disk.

use egui::{Key, Modifiers, Vec2};
use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, SnapshotOptions};
use newsdesk::edit::EntryField;
use newsdesk::model::{EntryId, EntryKind, EntryStatus, LiveBlog};
use newsdesk::storage::recovery::{self, RecoveryFolder};
use newsdesk::ui::{EditorState, FindQuery, NewsdeskApp};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CTRL: Modifiers = Modifiers::COMMAND;
const CTRL_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};

fn sample() -> LiveBlog {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/ukraine-talks-2025-02-18.ron");
    newsdesk::storage::load(&path)
        .expect("the sample loads")
        .blog
}

fn harness(app: NewsdeskApp) -> Harness<'static, NewsdeskApp> {
    let mut harness = unsettled_harness(app);
    harness.run();
    harness
}

fn unsettled_harness(app: NewsdeskApp) -> Harness<'static, NewsdeskApp> {
    Harness::builder()
        .with_size(Vec2::new(1280.0, 800.0))
        .with_max_steps(64)
        .build_ui_state(|ui, app: &mut NewsdeskApp| app.ui(ui), app)
}

/// An editor that has just started: it looks for work left behind on its first frame,
/// in the background.
fn started_harness(app: NewsdeskApp) -> Harness<'static, NewsdeskApp> {
    let mut harness = unsettled_harness(app);
    wait_for_jobs(&mut harness);
    harness
}

fn id(text: &str) -> EntryId {
    EntryId::new(text).expect("test ids are valid")
}

fn ids(app: &NewsdeskApp) -> Vec<String> {
    app.blog()
        .entries
        .iter()
        .map(|e| e.id.to_string())
        .collect()
}

/// Steps until background file work has finished (it runs on real threads).
fn wait_for_jobs(harness: &mut Harness<'_, NewsdeskApp>) {
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
fn select_row(harness: &mut Harness<'_, NewsdeskApp>, title_start: &str) {
    harness.get_by_label_contains(title_start).click();
    harness.run();
}

fn replace_text(harness: &mut Harness<'_, NewsdeskApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.key_press_modifiers(CTRL, Key::A);
    harness.run();
    harness.get_by_label(label).type_text(text);
    harness.run();
}

// ---- 1. New post ---------------------------------------------------------------------

#[test]
fn new_post_is_a_draft_on_top_with_focus_in_its_body_and_publishes_with_ctrl_enter() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    let before = chrono::Utc::now() - chrono::Duration::seconds(1);
    let count = h.state().blog().entries.len();
    h.key_press_modifiers(CTRL, Key::N);
    h.run();

    let app = h.state();
    assert_eq!(app.blog().entries.len(), count + 1);
    let post = &app.blog().entries[0];
    assert_eq!(app.selected(), Some(&post.id));
    assert_eq!(post.status, EntryStatus::Draft);
    assert_eq!(post.kind, EntryKind::Post);
    assert!(post.display_time >= before && post.display_time <= chrono::Utc::now());
    let new_id = post.id.clone();

    // Focus is already in the body: typing goes there.
    h.get_by_label("Body")
        .type_text("Talks have ended in Riyadh. Lavrov");
    h.run();
    // The formatting bar acts at the cursor: Bold then typing lands between the markers.
    h.get_by_label("Bold").click();
    h.run();
    h.get_by_label("Body").type_text("spoke");
    h.run();
    replace_text(&mut h, "Headline", "Talks end");
    h.get_by_label("Add byline").click();
    h.run();
    replace_text(&mut h, "Name 1", "Deborah Haynes");
    replace_text(&mut h, "Role", "security and defence editor");
    h.get_by_label("Image").click();
    h.run();
    replace_text(&mut h, "Image URL", "https://example.com/riyadh.jpg");
    replace_text(&mut h, "Alt text", "Delegates at the table");
    h.get_by_label("Key event").click();
    h.run();

    h.key_press_modifiers(CTRL, Key::Enter);
    h.run();

    let post = h
        .state()
        .blog()
        .entry(&new_id)
        .expect("the new post exists")
        .clone();
    assert_eq!(post.body, "Talks have ended in Riyadh. Lavrov**spoke**");
    assert_eq!(post.headline, "Talks end");
    assert_eq!(post.bylines.len(), 1);
    assert_eq!(post.bylines[0].name, "Deborah Haynes");
    assert_eq!(post.bylines[0].role, "security and defence editor");
    match &post.media {
        Some(newsdesk::model::Media::Image { url, alt, .. }) => {
            assert_eq!(url, "https://example.com/riyadh.jpg");
            assert_eq!(alt, "Delegates at the table");
        }
        other => panic!("expected an image, found {other:?}"),
    }
    assert!(post.flags.key_event);
    assert_eq!(post.status, EntryStatus::Published);
}

// ---- 2. Summaries and pinning ----------------------------------------------------------

#[test]
fn pinning_reordering_pins_and_unpinning_returns_the_entry_to_its_place() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    let order_before = ids(h.state());
    select_row(&mut h, "2.05pm Lavrov: NATO troops");
    assert_eq!(h.state().selected(), Some(&id("post-1405")));

    h.key_press_modifiers(CTRL, Key::P);
    h.run();
    assert_eq!(
        h.state().blog().pinned,
        vec![id("post-1405"), id("summary-1430")]
    );

    // Alt+Down moves it down the pinned list.
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowDown);
    h.run();
    assert_eq!(
        h.state().blog().pinned,
        vec![id("summary-1430"), id("post-1405")]
    );

    h.key_press_modifiers(CTRL, Key::P);
    h.run();
    assert_eq!(h.state().blog().pinned, vec![id("summary-1430")]);
    assert_eq!(
        ids(h.state()),
        order_before,
        "unpinning returns it to its place"
    );

    h.key_press_modifiers(CTRL_SHIFT, Key::M);
    h.run();
    let summary = &h.state().blog().entries[0];
    assert_eq!(summary.kind, EntryKind::Summary);
    assert!(summary.is_draft());
}

// ---- 3. Time ---------------------------------------------------------------------------

#[test]
fn time_is_set_with_now_or_typed_in_the_blog_zone_with_extra_zones_beside_it() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    select_row(&mut h, "2.47pm Negotiations");
    let post = id("post-1447");

    // Typed in the blog's zone (UK, GMT in February), committed with Enter.
    replace_text(&mut h, "Time (UK)", "2025-02-18");
    replace_text(&mut h, "at", "3.05pm");
    h.key_press(Key::Enter);
    h.run();
    let time = h.state().blog().entry(&post).unwrap().display_time;
    assert_eq!(time.to_rfc3339(), "2025-02-18T15:05:00+00:00");
    // Shown with its label, and the extra zone beside it.
    h.get_by_label("3.05pm UK");
    h.get_by_label("· 6.05pm Saudi Arabia");

    // A mistake is explained inline and changes nothing.
    replace_text(&mut h, "at", "25:99");
    h.get_by_label_contains("is not a time");
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(h.state().blog().entry(&post).unwrap().display_time, time);

    // Saving while still typing a time keeps what was typed.
    replace_text(&mut h, "at", "4.10pm");
    h.key_press_modifiers(CTRL, Key::S);
    h.run();
    let typed = h.state().blog().entry(&post).unwrap().display_time;
    assert_eq!(typed.to_rfc3339(), "2025-02-18T16:10:00+00:00");
    h.get_by_label("Cancel").click();
    h.run();

    let before = chrono::Utc::now() - chrono::Duration::seconds(1);
    h.get_by_label("Now").click();
    h.run();
    let now = h.state().blog().entry(&post).unwrap().display_time;
    assert!(now >= before && now <= chrono::Utc::now(), "{now}");
}

// ---- 4. Reorder ------------------------------------------------------------------------

#[test]
fn alt_arrows_move_the_selection_misplaced_rows_are_marked_and_sort_by_time_fixes_it() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    let sorted = ids(h.state());
    assert!(h.query_by_label_contains("out of order").is_none());

    select_row(&mut h, "1.40pm Sergei Lavrov");
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowUp);
    h.run();
    let moved = ids(h.state());
    let lavrov = moved.iter().position(|i| i == "post-1340").unwrap();
    let nato = moved.iter().position(|i| i == "post-1405").unwrap();
    assert_eq!(lavrov + 1, nato, "1.40pm moved above 2.05pm");
    // Its place now disagrees with its time: both rows of the pair are marked.
    assert_eq!(h.query_all_by_label_contains("out of order").count(), 2);

    h.get_by_label("Sort by time").click();
    h.run();
    assert_eq!(ids(h.state()), sorted);
    assert!(h.query_by_label_contains("out of order").is_none());
    // Sorting was one undoable step.
    h.key_press_modifiers(CTRL, Key::Z);
    h.run();
    assert_eq!(ids(h.state()), moved);
}

#[test]
fn dragging_a_row_onto_another_moves_it_there() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    let from = h
        .get_by_label_contains("11.00am First round")
        .rect()
        .center();
    let target = h.get_by_label_contains("2.05pm Lavrov: NATO").rect();
    let to = egui::pos2(target.center().x, target.top() + 4.0);
    h.hover_at(from);
    h.run();
    h.drag_at(from);
    h.step();
    for step in 1..=6 {
        let t = step as f32 / 6.0;
        h.hover_at(from + (to - from) * t);
        h.step();
    }
    h.drop_at(to);
    h.run();
    let order = ids(h.state());
    let moved = order.iter().position(|i| i == "post-1100").unwrap();
    let target = order.iter().position(|i| i == "post-1405").unwrap();
    assert_eq!(
        moved + 1,
        target,
        "dropped on the top half lands above: {order:?}"
    );
}

// ---- 5. Delete -------------------------------------------------------------------------

#[test]
fn delete_key_removes_the_entry_and_the_toast_offers_undo() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    let before = ids(h.state());
    select_row(&mut h, "1.40pm Sergei Lavrov");
    h.key_press(Key::Delete);
    h.run();
    assert!(h.state().blog().entry(&id("post-1340")).is_none());
    assert_eq!(h.state().blog().entries.len(), before.len() - 1);

    h.get_by_label_contains("Deleted “Sergei Lavrov");
    h.get_by_label("Undo").click();
    h.run();
    assert_eq!(ids(h.state()), before);
}

// ---- 6. Undo and redo ------------------------------------------------------------------

#[test]
fn typing_is_one_undo_step_per_pause_and_ctrl_z_undoes_the_document_even_in_a_field() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    select_row(&mut h, "2.47pm Negotiations");
    let post = id("post-1447");
    let original = h.state().blog().entry(&post).unwrap().headline.clone();
    let steps_before = h.state().session().history().undo_len();

    h.get_by_label("Headline").focus();
    h.run();
    h.key_press(Key::End);
    // A burst of typing (each step is a quarter of a second)...
    for letter in [" ", "n", "o", "w"] {
        h.get_by_label("Headline").type_text(letter);
        h.step();
    }
    // ...then a pause longer than a second, then more.
    h.run_steps(6);
    h.get_by_label("Headline").type_text("!");
    h.run();
    assert_eq!(
        h.state().blog().entry(&post).unwrap().headline,
        format!("{original} now!")
    );
    assert_eq!(h.state().session().history().undo_len(), steps_before + 2);

    // Ctrl+Z with the field focused is document undo: one pause at a time.
    h.key_press_modifiers(CTRL, Key::Z);
    h.run();
    assert_eq!(
        h.state().blog().entry(&post).unwrap().headline,
        format!("{original} now")
    );
    h.key_press_modifiers(CTRL, Key::Z);
    h.run();
    assert_eq!(h.state().blog().entry(&post).unwrap().headline, original);
    // The field shows the document's text, not its own memory of it.
    assert_eq!(
        h.get_by_label("Headline").value().as_deref(),
        Some(original.as_str())
    );

    h.key_press_modifiers(CTRL_SHIFT, Key::Z);
    h.run();
    assert_eq!(
        h.state().blog().entry(&post).unwrap().headline,
        format!("{original} now")
    );
    h.key_press_modifiers(CTRL, Key::Y);
    h.run();
    assert_eq!(
        h.state().blog().entry(&post).unwrap().headline,
        format!("{original} now!")
    );

    // Structural changes undo too: pinning.
    h.key_press_modifiers(CTRL, Key::P);
    h.run();
    assert!(h.state().blog().is_pinned(&post));
    h.key_press_modifiers(CTRL, Key::Z);
    h.run();
    assert!(!h.state().blog().is_pinned(&post));
}

// ---- 7. Find and filter ----------------------------------------------------------------

#[test]
fn find_filters_by_text_byline_status_and_flags_and_escape_clears() {
    let blog = sample();
    let expect = |query: FindQuery| blog.entries.iter().filter(|e| query.matches(e)).count();
    let mut h = harness(NewsdeskApp::new_for_test(blog.clone()));
    let all = h.state().filtered_count();
    assert_eq!(all, blog.entries.len());

    h.key_press_modifiers(CTRL, Key::F);
    h.run();
    h.get_by_label("Find").type_text("lavrov");
    h.run();
    let lavrov = FindQuery {
        text: "lavrov".into(),
        ..FindQuery::default()
    };
    assert_eq!(h.state().filtered_count(), expect(lavrov.clone()));
    assert!(h.state().filtered_count() < all && h.state().filtered_count() > 0);

    h.get_by_label("Key events").click();
    h.run();
    let key_lavrov = FindQuery {
        key_events_only: true,
        ..lavrov
    };
    assert_eq!(h.state().filtered_count(), expect(key_lavrov));

    h.key_press(Key::Escape);
    h.run();
    assert_eq!(h.state().filtered_count(), all);

    h.key_press_modifiers(CTRL, Key::F);
    h.run();
    h.get_by_label("Byline").focus();
    h.run();
    h.get_by_label("Byline").type_text("haynes");
    h.run();
    let haynes = FindQuery {
        byline: "haynes".into(),
        ..FindQuery::default()
    };
    assert_eq!(h.state().filtered_count(), expect(haynes));
    assert!(h.state().filtered_count() >= 1);
}

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
    theirs.title = "Their version".into();
    newsdesk::storage::save(&path, &theirs).unwrap();

    h.key_press_modifiers(CTRL, Key::S);
    wait_for_jobs(&mut h);
    h.get_by_label("The file changed on disk");
    assert_eq!(
        newsdesk::storage::load(&path).unwrap().blog.title,
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
    other_blog.title = "Another story".into();
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
    assert_eq!(h.state().blog().title, "Another story");
    assert_eq!(h.state().file_path(), Some(other.as_path()));
    assert!(!h.state().is_dirty());
    assert_eq!(h.state().state.recent_files.first(), Some(&other));
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_dropped_ron_file_opens_and_export_writes_html_beside_it() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("dropped.ron");
    let mut blog = sample();
    blog.title = "Dropped story".into();
    blog.pinned.clear();
    blog.entries.truncate(2);
    newsdesk::storage::save(&path, &blog).unwrap();

    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped(path.clone())));
    wait_for_jobs(&mut h);
    assert_eq!(h.state().blog().title, "Dropped story");
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
    assert_eq!(html, newsdesk::export::render_page(h.state().blog()));

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
    assert_eq!(html, newsdesk::export::render_page(h.state().blog()));
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
        .replacen("format_version: 1", "format_version: 9", 1);
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

// ---- Keyboard alone --------------------------------------------------------------------

#[test]
fn entries_can_be_chosen_and_edited_with_the_keyboard_alone() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    let first = h.state().selected().cloned();
    h.key_press_modifiers(CTRL, Key::ArrowDown);
    h.run();
    let second = h.state().selected().cloned();
    assert_ne!(first, second);
    h.key_press_modifiers(CTRL, Key::ArrowUp);
    h.run();
    assert_eq!(h.state().selected().cloned(), first);
    h.key_press_modifiers(CTRL, Key::N);
    h.run();
    h.get_by_label("Body").type_text("Typed without a mouse.");
    h.run();
    let selected = h.state().selected().cloned().unwrap();
    assert_eq!(
        h.state().blog().entry(&selected).unwrap().body,
        "Typed without a mouse."
    );
    // The document can be changed in every field through the session only: the last
    // change is an undo step like any other.
    assert_eq!(
        h.state().session().history().undo_label(),
        Some(EntryField::Body(String::new()).describe())
    );
}

// ---- Fonts and snapshots ---------------------------------------------------------------

#[test]
fn newsroom_typography_and_emoji_render_with_the_bundled_fonts() {
    let mut blog = sample();
    let entry = &mut blog.entries[0];
    entry.headline = "Prices — “up” £5, café, Gŵyl, Dŷ 😀 👍 🔥 ✅".into();
    entry.body = "> For context: “quotes” — dashes — £ é ŷ 📷 ⚠".into();
    let mut h = harness(NewsdeskApp::new_for_test(blog));
    select_row(&mut h, "Prices");
    // Rendering panics on any glyph the fonts lack.
    h.snapshot_options("typography", &snapshot_options());
}

fn snapshot_options() -> SnapshotOptions {
    // Rasterizers differ slightly between machines: allow a little.
    SnapshotOptions::new().threshold(1.5).max_failed_pixels(400)
}

#[test]
fn main_screen_light() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    h.snapshot_options("main_screen_light", &snapshot_options());
}

#[test]
fn main_screen_dark() {
    let mut app = NewsdeskApp::new_for_test(sample());
    app.state.dark_mode = true;
    let mut h = harness(app);
    h.snapshot_options("main_screen_dark", &snapshot_options());
}

// ---- Blog settings, whole-page preview, help --------------------------------------------

#[test]
fn blog_settings_are_edited_in_a_dialog_and_applied_as_one_undoable_step() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    let original = h.state().blog().clone();
    h.key_press_modifiers(CTRL, Key::Comma);
    h.run();
    replace_text(&mut h, "Title", "Ukraine war: talks end in Riyadh");
    replace_text(&mut h, "Zone label", "London");
    h.get_by_label("Ended").click();
    h.run();
    // A mistake is explained and nothing changes.
    replace_text(&mut h, "Time zone", "Europe/Atlantis");
    h.get_by_label("Apply").click();
    h.run();
    h.get_by_label_contains("is not a time zone");
    assert_eq!(h.state().blog(), &original);

    replace_text(&mut h, "Time zone", "Europe/London");
    h.get_by_label("Apply").click();
    h.run();
    let blog = h.state().blog();
    assert_eq!(blog.title, "Ukraine war: talks end in Riyadh");
    assert_eq!(blog.time_zone.label, "London");
    assert_eq!(blog.status, newsdesk::model::BlogStatus::Ended);
    // Times follow the new label.
    h.get_by_label("2.30pm London");
    h.get_by_label("Time (London)");

    h.key_press_modifiers(CTRL, Key::Z);
    h.run();
    assert_eq!(h.state().blog(), &original);
}

#[test]
fn the_whole_page_preview_shows_published_entries_and_leaves_drafts_out() {
    let mut blog = sample();
    blog.entries[1].headline = "A draft nobody should see".into();
    blog.entries[1].status = EntryStatus::Draft;
    let mut h = harness(NewsdeskApp::new_for_test(blog));
    h.get_by_label("Whole page").click();
    h.run();
    assert!(h.state().state.preview_whole_page);
    // The page's title, and its first published post, as readers see them.
    h.get_by_label(
        "Ukraine war latest: US and Russia wrap up first round of peace talks in Saudi Arabia",
    );
    h.get_by_label("Negotiations ‘should not take place behind our backs’, says Zelenskyy");
    assert!(
        h.query_by_label("A draft nobody should see").is_none(),
        "drafts are not on the page"
    );
    // Published, it appears in its place.
    select_row(&mut h, "A draft nobody");
    h.key_press_modifiers(CTRL, Key::Enter);
    h.run();
    h.get_by_label("A draft nobody should see");
}

#[test]
fn f1_lists_every_command_with_its_keys() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    h.key_press(Key::F1);
    h.run();
    // The dialog's heading, besides the command's own row.
    assert_eq!(h.query_all_by_label("Keyboard shortcuts").count(), 2);
    for command in newsdesk::ui::UiCommand::ALL {
        assert!(
            h.query_all_by_label(command.help()).count() >= 1,
            "{command:?} is missing from the list"
        );
    }
    // Through accessibility: the button a screen reader would press.
    h.get_by_label("Close").click_accesskit();
    h.run();
    assert_eq!(h.query_all_by_label("Keyboard shortcuts").count(), 0);
}

#[test]
fn the_checks_panel_lists_problems_and_a_click_jumps_to_the_entry() {
    let mut blog = sample();
    blog.pinned.clear();
    // Keep the summary, whose links now point at posts that are gone.
    blog.entries.truncate(2);
    let mut h = harness(NewsdeskApp::new_for_test(blog));
    assert_eq!(h.state().selected(), Some(&id("post-1447")));
    h.key_press_modifiers(CTRL_SHIFT, Key::C);
    h.run();
    assert!(h.state().state.show_checks);
    let rows = h.query_all_by_label_contains("Error").count();
    assert!(rows >= 1, "the broken links are listed");
    h.query_all_by_label_contains("Error")
        .next()
        .expect("a problem row")
        .click();
    h.run();
    assert_eq!(h.state().selected(), Some(&id("summary-1430")));
}

// ---- 11. Never lose a post: recovery copies and changes made on disk ---------------------

/// A recovery folder of the test's own, so that tests never see each other's copies.
fn recovery_in(dir: &Path) -> RecoveryFolder {
    RecoveryFolder::at(dir.join("recovery"))
}

fn saved_sample(dir: &Path) -> PathBuf {
    let path = dir.join("talks.ron");
    newsdesk::storage::save(&path, &sample()).unwrap();
    path
}

fn journal_bytes(copy: &Path) -> u64 {
    std::fs::metadata(copy.join("journal")).map_or(0, |m| m.len())
}

/// Writes what is waiting as if the deadline had passed, and waits until it is on disk.
fn pass_the_deadline(h: &mut Harness<'_, NewsdeskApp>) {
    h.state_mut()
        .poll_recovery_at(Instant::now() + recovery::LONGEST_DELAY);
    h.state_mut().flush_recovery();
}

fn set_focus(h: &mut Harness<'_, NewsdeskApp>, focused: bool) {
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .focused = Some(focused);
    h.run();
}

/// Steps (briefly sleeping) until `done`, for work on real threads such as the file
/// watcher; at most about five seconds.
fn step_until(h: &mut Harness<'_, NewsdeskApp>, done: impl Fn(&NewsdeskApp) -> bool) -> bool {
    for _ in 0..250 {
        h.step();
        if done(h.state()) {
            h.run();
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// Edits a post and lets the copy be written, then drops the editor without saving, as a
/// crash would. Returns the copy's folder.
fn edit_then_crash(path: &Path, folder: &RecoveryFolder, headline: &str) -> PathBuf {
    let app = NewsdeskApp::new_for_test_with_file_and_recovery(path.to_path_buf(), folder.clone())
        .unwrap();
    let mut h = started_harness(app);
    select_row(&mut h, "2.47pm Negotiations");
    replace_text(&mut h, "Headline", headline);
    pass_the_deadline(&mut h);
    let copy = h
        .state()
        .recovery_copy()
        .expect("a copy is kept")
        .to_path_buf();
    drop(h);
    copy
}

#[test]
fn an_edit_reaches_the_recovery_copy_by_the_deadline_and_when_the_window_loses_focus() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.ron");
    let saved = newsdesk::storage::save(&path, &newsdesk::generate::generate(3000, 7)).unwrap();
    let app =
        NewsdeskApp::new_for_test_with_file_and_recovery(path.clone(), recovery_in(dir.path()))
            .unwrap();
    let mut h = started_harness(app);
    assert!(h.query_by_label("Recover unsaved work?").is_none());
    let copy = h
        .state()
        .recovery_copy()
        .expect("a copy is kept")
        .to_path_buf();
    h.state_mut().flush_recovery();
    assert_eq!(
        journal_bytes(&copy),
        0,
        "nothing is recorded before an edit"
    );

    replace_text(&mut h, "Headline", "Kept within seconds");
    // The frame asks to be woken by the deadline even if nobody types again.
    if let Some(wake_in) = h.state_mut().poll_recovery_at(Instant::now()) {
        assert!(wake_in <= recovery::LONGEST_DELAY);
    }
    pass_the_deadline(&mut h);
    let after_edit = journal_bytes(&copy);
    assert!(after_edit > 0, "the edit is in the copy");
    // What is written is the change, not the document.
    assert!(
        after_edit < saved.bytes / 20,
        "{after_edit} bytes written for one headline in a {} byte document",
        saved.bytes
    );

    // Losing focus writes at once, without waiting for a pause in typing.
    set_focus(&mut h, true);
    replace_text(&mut h, "Headline", "Written on focus loss");
    set_focus(&mut h, false);
    h.state_mut().flush_recovery();
    assert!(journal_bytes(&copy) > after_edit);
    assert!(h.state_mut().recovery_problem().is_none());
}

#[test]
fn after_a_crash_the_editor_offers_the_work_and_restore_brings_it_back_unsaved() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved_sample(dir.path());
    let folder = recovery_in(dir.path());
    let copy = edit_then_crash(&path, &folder, "Written before the crash");
    let on_disk = newsdesk::storage::load(&path).unwrap().blog;
    assert_ne!(
        on_disk.entry(&id("post-1447")).unwrap().headline,
        "Written before the crash",
        "the crash happened before any save"
    );

    // The next start, on another document: the work is offered, not dropped.
    let mut h = started_harness(NewsdeskApp::new_for_test_with_recovery(
        LiveBlog::new("Another story", chrono::Utc::now()),
        folder.clone(),
    ));
    h.get_by_label("Recover unsaved work?");
    h.get_by_label(&path.display().to_string());
    h.get_by_label_contains("Last changed");
    h.get_by_label_contains("1 change");
    assert_eq!(h.state().recoverable().len(), 1);

    h.get_by_label("Restore").click();
    wait_for_jobs(&mut h);
    assert!(h.query_by_label("Recover unsaved work?").is_none());
    let app = h.state();
    assert_eq!(
        app.blog().entry(&id("post-1447")).unwrap().headline,
        "Written before the crash"
    );
    assert_eq!(app.file_path(), Some(path.as_path()));
    assert!(app.is_dirty(), "restored work is not saved yet");
    assert!(app.window_title().starts_with("● talks.ron"));
    // The same copy goes on being written until the document is saved.
    assert_eq!(app.recovery_copy(), Some(copy.as_path()));
    assert!(app.recoverable().is_empty());

    // Saving it puts it in the file, and the copy then holds nothing to restore.
    h.key_press_modifiers(CTRL, Key::S);
    wait_for_jobs(&mut h);
    assert!(h.query_by_label("The file changed on disk").is_none());
    assert!(!h.state().is_dirty());
    assert_eq!(
        newsdesk::storage::load(&path)
            .unwrap()
            .blog
            .entry(&id("post-1447"))
            .unwrap()
            .headline,
        "Written before the crash"
    );
    h.state_mut().flush_recovery();
    assert_eq!(journal_bytes(&copy), 0);
}

#[test]
fn discarding_recovered_work_asks_first_and_decide_later_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved_sample(dir.path());
    let folder = recovery_in(dir.path());
    let copy = edit_then_crash(&path, &folder, "Maybe not wanted");

    let mut h = started_harness(NewsdeskApp::new_for_test_with_recovery(
        sample(),
        folder.clone(),
    ));
    h.get_by_label("Decide later").click();
    h.run();
    assert!(h.query_by_label("Recover unsaved work?").is_none());
    assert!(copy.exists(), "deciding later keeps the copy");
    drop(h);

    // Offered again next time; Discard asks before anything goes.
    let mut h = started_harness(NewsdeskApp::new_for_test_with_recovery(
        sample(),
        folder.clone(),
    ));
    h.get_by_label("Discard…").click();
    h.run();
    h.get_by_label_contains("cannot be brought back");
    h.get_by_label("Keep it").click();
    h.run();
    assert!(copy.exists());
    h.get_by_label("Discard…").click();
    h.run();
    h.get_by_label("Discard for good").click();
    wait_for_jobs(&mut h);
    assert!(!copy.exists(), "the copy is removed once confirmed");
    assert!(h.query_by_label("Recover unsaved work?").is_none());
    assert_eq!(
        h.state().blog(),
        &sample(),
        "the open document is untouched"
    );
    drop(h);
    assert!(folder.find_recoverable().is_empty());
}

#[test]
fn restoring_over_unsaved_changes_asks_first_and_the_file_menu_offers_the_work_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved_sample(dir.path());
    let folder = recovery_in(dir.path());
    edit_then_crash(&path, &folder, "Recovered later");

    let mut h = started_harness(NewsdeskApp::new_for_test_with_recovery(
        sample(),
        folder.clone(),
    ));
    h.get_by_label("Decide later").click();
    h.run();
    select_row(&mut h, "2.30pm If you");
    replace_text(&mut h, "Headline", "Unsaved work of this session");

    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Recover unsaved work…").click();
    wait_for_jobs(&mut h);
    h.get_by_label("Restore").click();
    h.run();
    // The open document has unsaved changes of its own: they are not dropped unasked.
    h.get_by_label("Save your changes?");
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(
        h.state()
            .blog()
            .entry(&id("summary-1430"))
            .unwrap()
            .headline,
        "Unsaved work of this session"
    );
    assert_eq!(h.state().recoverable().len(), 1, "still on offer");

    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Recover unsaved work…").click();
    wait_for_jobs(&mut h);
    h.get_by_label("Restore").click();
    h.run();
    h.get_by_label("Discard changes").click();
    wait_for_jobs(&mut h);
    assert_eq!(
        h.state().blog().entry(&id("post-1447")).unwrap().headline,
        "Recovered later"
    );
    assert_eq!(h.state().file_path(), Some(path.as_path()));
}

#[test]
fn work_restored_over_a_file_changed_since_the_crash_asks_before_overwriting_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved_sample(dir.path());
    let folder = recovery_in(dir.path());
    edit_then_crash(&path, &folder, "Mine, from before the crash");
    // A colleague saves the file meanwhile.
    let mut theirs = sample();
    theirs.title = "Their version".into();
    newsdesk::storage::save(&path, &theirs).unwrap();

    let mut h = started_harness(NewsdeskApp::new_for_test_with_recovery(
        sample(),
        folder.clone(),
    ));
    h.get_by_label("Restore").click();
    wait_for_jobs(&mut h);
    assert_eq!(
        h.state().blog().entry(&id("post-1447")).unwrap().headline,
        "Mine, from before the crash"
    );
    // The banner says so at once, and saving does not silently overwrite theirs.
    h.get_by_label("talks.ron changed on disk.");
    h.key_press_modifiers(CTRL, Key::S);
    wait_for_jobs(&mut h);
    h.get_by_label("The file changed on disk");
    assert_eq!(
        newsdesk::storage::load(&path).unwrap().blog.title,
        "Their version"
    );
}

#[test]
fn saving_or_quitting_cleanly_leaves_nothing_to_recover() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved_sample(dir.path());
    let folder = recovery_in(dir.path());
    let app =
        NewsdeskApp::new_for_test_with_file_and_recovery(path.clone(), folder.clone()).unwrap();
    let mut h = started_harness(app);
    let copy = h.state().recovery_copy().unwrap().to_path_buf();
    select_row(&mut h, "2.47pm Negotiations");
    replace_text(&mut h, "Headline", "Saved in time");
    pass_the_deadline(&mut h);
    assert!(journal_bytes(&copy) > 0);

    h.key_press_modifiers(CTRL, Key::S);
    wait_for_jobs(&mut h);
    assert!(!h.state().is_dirty());
    h.state_mut().flush_recovery();
    assert_eq!(
        journal_bytes(&copy),
        0,
        "the saved file is the new starting point"
    );

    // Quitting with everything saved removes the copy altogether.
    h.key_press_modifiers(CTRL, Key::Q);
    h.run();
    assert!(h.state().quit_requested());
    assert!(!copy.exists());
    drop(h);
    assert!(folder.find_recoverable().is_empty());

    // Discarding changes on purpose removes the copy too.
    let app =
        NewsdeskApp::new_for_test_with_file_and_recovery(path.clone(), folder.clone()).unwrap();
    let mut h = started_harness(app);
    let copy = h.state().recovery_copy().unwrap().to_path_buf();
    select_row(&mut h, "2.47pm Saved in time");
    replace_text(&mut h, "Headline", "Thrown away");
    pass_the_deadline(&mut h);
    h.key_press_modifiers(CTRL, Key::Q);
    h.run();
    h.get_by_label("Discard changes").click();
    h.run();
    assert!(!copy.exists());
    drop(h);
    assert!(folder.find_recoverable().is_empty());
}

#[test]
fn when_recovery_copies_cannot_be_written_the_banner_says_so() {
    let dir = tempfile::tempdir().unwrap();
    // The recovery folder's place is taken by a file.
    let blocked = dir.path().join("recovery");
    std::fs::write(&blocked, "not a folder").unwrap();
    let mut h = started_harness(NewsdeskApp::new_for_test_with_recovery(
        sample(),
        RecoveryFolder::at(&blocked),
    ));
    select_row(&mut h, "2.47pm Negotiations");
    replace_text(&mut h, "Headline", "Nowhere to keep this");
    pass_the_deadline(&mut h);
    let problem = h
        .state_mut()
        .recovery_problem()
        .expect("the problem is reported");
    assert!(
        problem.starts_with("Recovery copies cannot be written"),
        "{problem}"
    );
    h.run();
    h.get_by_label(&problem);
}

#[test]
fn a_change_on_disk_shows_a_banner_offering_reload_or_keep_mine() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved_sample(dir.path());
    let mut h = started_harness(NewsdeskApp::new_for_test_with_file(path.clone()).unwrap());
    assert!(h.state().is_watching_file());
    let write_theirs = |title: &str| {
        let mut theirs = sample();
        theirs.title = title.into();
        newsdesk::storage::save(&path, &theirs).unwrap();
    };

    // Someone else saves: the banner offers their version, and Reload shows it.
    write_theirs("Their version");
    assert!(step_until(&mut h, |app| app.disk_change().is_some()));
    h.get_by_label("talks.ron changed on disk.");
    h.get_by_label("Reload").click();
    wait_for_jobs(&mut h);
    assert_eq!(h.state().blog().title, "Their version");
    assert!(!h.state().is_dirty());
    assert!(h.query_by_label("talks.ron changed on disk.").is_none());

    // With unsaved changes, Reload asks first; Cancel keeps them.
    select_row(&mut h, "2.47pm Negotiations");
    replace_text(&mut h, "Headline", "Mine");
    write_theirs("A third version");
    assert!(step_until(&mut h, |app| app.disk_change().is_some()));
    h.get_by_label("Reload").click();
    h.run();
    h.get_by_label("Reload from disk?");
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(
        h.state().blog().entry(&id("post-1447")).unwrap().headline,
        "Mine"
    );

    // Keep mine: the banner goes, and the next save asks before overwriting theirs.
    h.get_by_label("Keep mine").click();
    h.run();
    assert!(h.state().disk_change().is_none());
    h.key_press_modifiers(CTRL, Key::S);
    wait_for_jobs(&mut h);
    h.get_by_label("The file changed on disk");
    assert_eq!(
        newsdesk::storage::load(&path).unwrap().blog.title,
        "A third version"
    );
    h.get_by_label("Overwrite").click();
    wait_for_jobs(&mut h);
    assert!(!h.state().is_dirty());
    let on_disk = newsdesk::storage::load(&path).unwrap().blog;
    assert_eq!(on_disk.entry(&id("post-1447")).unwrap().headline, "Mine");

    // Our own save is not someone else's change: no banner follows it.
    replace_text(&mut h, "Headline", "Mine again");
    h.key_press_modifiers(CTRL, Key::S);
    wait_for_jobs(&mut h);
    let noticed = step_until(&mut h, |app| app.disk_change().is_some());
    assert!(!noticed, "our own save was reported as a change on disk");
}

#[test]
fn a_deleted_file_is_reported_and_saving_writes_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved_sample(dir.path());
    let mut h = started_harness(NewsdeskApp::new_for_test_with_file(path.clone()).unwrap());
    std::fs::remove_file(&path).unwrap();
    assert!(step_until(&mut h, |app| app.disk_change().is_some()));
    h.get_by_label("talks.ron was deleted or moved on disk.");
    h.get_by_label("Save it again").click();
    wait_for_jobs(&mut h);
    assert_eq!(
        &newsdesk::storage::load(&path).unwrap().blog,
        h.state().blog()
    );
    assert!(h.state().disk_change().is_none());
}
