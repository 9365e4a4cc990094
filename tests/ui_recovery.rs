//! Never losing a post in the editor: recovery copies by the deadline and on focus loss,
//! restoring after a crash, discarding, and changes made to the file on disk.

use common::ui::*;
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use newsdesk::model::LiveBlog;
use newsdesk::storage::recovery::{self, RecoveryFolder};
use newsdesk::ui::NewsdeskApp;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod common;

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
    theirs.settings.title = "Their version".into();
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
        newsdesk::storage::load(&path).unwrap().blog.settings.title,
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
        theirs.settings.title = title.into();
        newsdesk::storage::save(&path, &theirs).unwrap();
    };

    // Someone else saves: the banner offers their version, and Reload shows it.
    write_theirs("Their version");
    assert!(step_until(&mut h, |app| app.disk_change().is_some()));
    h.get_by_label("talks.ron changed on disk.");
    h.get_by_label("Reload").click();
    wait_for_jobs(&mut h);
    assert_eq!(h.state().blog().settings.title, "Their version");
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
        newsdesk::storage::load(&path).unwrap().blog.settings.title,
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
