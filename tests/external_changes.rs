//! Changes made to the open file by someone else: noticed, told apart from our own saves.

use newsdesk::generate::generate;
use newsdesk::storage::{self, ContentHash};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------
// External changes
// ---------------------------------------------------------------------------------------

use newsdesk::storage::file_changed_since;
use newsdesk::storage::watch::{ExternalChange, FileWatcher, SETTLE_TIME};

/// Polls like the editor's frames do, until a change is reported or `patience` passes.
fn wait_for_change(watcher: &FileWatcher, patience: Duration) -> Option<ExternalChange> {
    let start = Instant::now();
    while start.elapsed() < patience {
        if let Some(change) = watcher.poll() {
            return Some(change);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[test]
fn a_colleague_saving_over_the_file_is_reported_and_our_own_saves_are_not() {
    let temp = tempfile::tempdir().unwrap();
    let document = temp.path().join("blog.ron");
    let blog = generate(6, 1);
    let saved = storage::save(&document, &blog).unwrap();
    let watcher = FileWatcher::watch(&document, saved.content_hash).unwrap();

    // Our own save: the editor passes back its hash.
    let mut ours = blog.clone();
    ours.settings.title = "Our edit".into();
    let saved = storage::save(&document, &ours).unwrap();
    watcher.set_known(saved.content_hash);
    assert_eq!(wait_for_change(&watcher, SETTLE_TIME * 6), None);
    assert!(!file_changed_since(&document, &saved.content_hash).unwrap());

    // A colleague's save, through another program's plain write.
    let mut theirs = blog.clone();
    theirs.settings.title = "Their edit".into();
    let their_text = storage::to_ron_string(&theirs).unwrap();
    std::fs::write(&document, &their_text).unwrap();
    let change = wait_for_change(&watcher, Duration::from_secs(20));
    assert_eq!(
        change,
        Some(ExternalChange::Changed {
            content_hash: ContentHash::of(their_text.as_bytes())
        })
    );
    assert!(file_changed_since(&document, &saved.content_hash).unwrap());

    // Touching the file without changing it is not a change.
    watcher.set_known(ContentHash::of(their_text.as_bytes()));
    std::fs::write(&document, &their_text).unwrap();
    assert_eq!(wait_for_change(&watcher, SETTLE_TIME * 6), None);

    std::fs::remove_file(&document).unwrap();
    assert_eq!(
        wait_for_change(&watcher, Duration::from_secs(20)),
        Some(ExternalChange::Removed)
    );
    assert!(file_changed_since(&document, &saved.content_hash).unwrap());
}

#[test]
fn an_own_save_reported_before_its_hash_was_known_is_dropped() {
    let temp = tempfile::tempdir().unwrap();
    let document = temp.path().join("blog.ron");
    let saved = storage::save(&document, &generate(3, 1)).unwrap();
    let watcher = FileWatcher::watch(&document, saved.content_hash).unwrap();
    let mut changed = generate(3, 1);
    changed.settings.title = "Saved slowly".into();
    let saved = storage::save(&document, &changed).unwrap();
    // The watcher's thread may see the save before the editor records it.
    std::thread::sleep(SETTLE_TIME * 4);
    watcher.known_content().set(saved.content_hash);
    assert_eq!(watcher.poll(), None);
}

#[test]
fn the_check_before_saving_reads_folders_and_missing_files_plainly() {
    let temp = tempfile::tempdir().unwrap();
    let known = ContentHash::of(b"anything");
    assert!(file_changed_since(&temp.path().join("gone.ron"), &known).unwrap());
    assert!(file_changed_since(temp.path(), &known).is_err());
    assert!(FileWatcher::watch(&temp.path().join("no/such/folder/blog.ron"), known).is_err());
}
