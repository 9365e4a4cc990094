//! Crash recovery: a copy of the open document kept as a base plus a journal of changes,
//! restored exactly after any run of edits, written in the background without costing a
//! full save per keystroke.

use chrono::{Duration as Minutes, TimeZone, Utc};
use newsdesk::edit::{Edit, EntryField, Session};
use newsdesk::generate::generate;
use newsdesk::model::{Entry, EntryId, EntryStatus, LiveBlog};
use newsdesk::storage::recovery::{Recoverable, RecoveryFolder, RecoveryWriter};
use newsdesk::storage::{self, ContentHash};
use proptest::prelude::*;
use std::path::PathBuf;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------
// Recovery
// ---------------------------------------------------------------------------------------

fn when(minute: i64) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 2, 18, 15, 0, 0).unwrap() + Minutes::minutes(minute)
}

fn id(text: &str) -> EntryId {
    EntryId::new(text).unwrap()
}

/// A document saved to `folder/blog.ron`, opened in a session with a recovery writer.
struct Desk {
    _temp: tempfile::TempDir,
    document: PathBuf,
    recovery: RecoveryFolder,
    session: Session,
    writer: RecoveryWriter,
}

fn open_desk(blog: LiveBlog) -> Desk {
    let temp = tempfile::tempdir().unwrap();
    let document = temp.path().join("blog.ron");
    let saved = storage::save(&document, &blog).unwrap();
    let recovery = RecoveryFolder::at(temp.path().join("recovery"));
    let loaded = storage::load(&document).unwrap();
    assert_eq!(loaded.content_hash, saved.content_hash);
    let mut session = Session::new(loaded.blog);
    let writer = RecoveryWriter::start(
        &recovery,
        &mut session,
        Some((&document, loaded.content_hash)),
    );
    Desk {
        _temp: temp,
        document,
        recovery,
        session,
        writer,
    }
}

fn type_into_body(session: &mut Session, entry: &EntryId, text: &str, minute: i64) {
    session
        .set_field(
            entry,
            EntryField::Body(text.into()),
            when(minute),
            minute as f64,
        )
        .unwrap();
}

/// Ends the writer the way a crash would: no save, no discard.
fn crash(writer: RecoveryWriter) {
    drop(writer);
}

fn only_recoverable(folder: &RecoveryFolder) -> Recoverable {
    let found = folder.find_recoverable();
    assert_eq!(found.len(), 1, "{found:#?}");
    found.into_iter().next().unwrap()
}

#[test]
fn a_crash_after_edits_restores_the_document_with_the_last_edits() {
    let mut desk = open_desk(generate(40, 7));
    let first = desk.session.blog().entries[0].id.clone();
    let third = desk.session.blog().entries[2].id.clone();
    let fifth = desk.session.blog().entries[4].id.clone();
    type_into_body(&mut desk.session, &first, "Talks have ended in Riyadh.", 1);
    desk.writer.record(&mut desk.session);
    type_into_body(&mut desk.session, &first, "Talks have ended.", 2);
    let new_post = Entry::new_post(id("post-new"), when(3));
    desk.session
        .apply(
            "New post",
            Edit::InsertEntry {
                index: 0,
                entry: std::sync::Arc::new(new_post),
                pinned_at: Some(0),
            },
            3.0,
        )
        .unwrap();
    desk.session
        .apply("Delete", Edit::RemoveEntry { id: third }, 4.0)
        .unwrap();
    desk.session
        .apply(
            "Move",
            Edit::MoveEntry {
                id: fifth,
                index: 30,
            },
            5.0,
        )
        .unwrap();
    let mut settings = desk.session.blog().settings.clone();
    settings.title = "Ukraine war latest: talks end".into();
    desk.session
        .apply("Settings", Edit::SetSettings(Box::new(settings)), 6.0)
        .unwrap();
    desk.writer.record(&mut desk.session);
    desk.writer.flush();
    assert!(desk.writer.problem().is_none());
    let expected = desk.session.blog().clone();
    crash(desk.writer);

    let found = only_recoverable(&desk.recovery);
    assert_eq!(found.document.as_deref(), Some(desk.document.as_path()));
    assert!(found.changes >= 6, "{found:?}");
    assert!(found.last_change.is_some());
    let restored = found.restore().unwrap();
    assert_eq!(restored.blog, expected);
    assert!(restored.incomplete.is_none());
    assert!(restored.blog.violations().is_empty());

    found.clone().discard().unwrap();
    assert!(desk.recovery.find_recoverable().is_empty());
    assert!(!found.folder.exists());
}

#[test]
fn saving_empties_the_copy_and_discarding_removes_it() {
    let mut desk = open_desk(generate(10, 1));
    let first = desk.session.blog().entries[0].id.clone();
    type_into_body(&mut desk.session, &first, "Before the save.", 1);
    desk.writer.record(&mut desk.session);
    let saved = storage::save(&desk.document, desk.session.blog()).unwrap();
    desk.session.mark_saved();
    desk.writer
        .saved(&mut desk.session, &desk.document, saved.content_hash);
    desk.writer.flush();
    let folder = desk.writer.folder().to_path_buf();
    crash(desk.writer);
    // Nothing unsaved: nothing offered (and nothing lost).
    assert!(desk.recovery.find_recoverable().is_empty());

    let mut desk = open_desk(generate(10, 1));
    type_into_body(&mut desk.session, &first, "Never saved.", 1);
    desk.writer.record(&mut desk.session);
    desk.writer.flush();
    let folder_two = desk.writer.folder().to_path_buf();
    assert_ne!(folder, folder_two);
    desk.writer.discard();
    assert!(!folder_two.exists());
    assert!(desk.recovery.find_recoverable().is_empty());
}

#[test]
fn a_document_never_saved_is_recovered_from_its_snapshot() {
    let temp = tempfile::tempdir().unwrap();
    let recovery = RecoveryFolder::at(temp.path());
    let mut session = Session::new(LiveBlog::new("Breaking: earthquake", when(0)));
    let mut writer = RecoveryWriter::start(&recovery, &mut session, None);
    let post = Entry::new_post(id("post-1"), when(1));
    session
        .apply(
            "New post",
            Edit::InsertEntry {
                index: 0,
                entry: std::sync::Arc::new(post),
                pinned_at: None,
            },
            1.0,
        )
        .unwrap();
    type_into_body(
        &mut session,
        &id("post-1"),
        "A 6.1 magnitude earthquake.",
        2,
    );
    writer.record(&mut session);
    type_into_body(
        &mut session,
        &id("post-1"),
        "A 6.2 magnitude earthquake.",
        3,
    );
    writer.record(&mut session);
    writer.flush();
    crash(writer);

    let found = only_recoverable(&recovery);
    assert_eq!(found.document, None);
    assert_eq!(found.title, "Breaking: earthquake");
    assert_eq!(found.restore().unwrap().blog, *session.blog());
}

#[test]
fn a_file_changed_before_its_copy_was_made_falls_back_to_a_full_snapshot() {
    let mut desk = open_desk(generate(12, 2));
    // Start again, claiming a content the file does not have (a colleague saved over it).
    drop(std::mem::replace(
        &mut desk.writer,
        RecoveryWriter::start(
            &desk.recovery,
            &mut desk.session,
            Some((&desk.document, ContentHash([7; 32]))),
        ),
    ));
    desk.writer.flush();
    let first = desk.session.blog().entries[0].id.clone();
    type_into_body(&mut desk.session, &first, "Changed.", 1);
    desk.writer.record(&mut desk.session);
    desk.writer.flush();
    let expected = desk.session.blog().clone();
    crash(desk.writer);
    let found = only_recoverable(&desk.recovery);
    assert_eq!(found.restore().unwrap().blog, expected);
}

#[test]
fn a_restored_document_keeps_its_copy_until_it_is_saved() {
    let mut desk = open_desk(generate(15, 4));
    let first = desk.session.blog().entries[0].id.clone();
    type_into_body(&mut desk.session, &first, "First session.", 1);
    desk.writer.record(&mut desk.session);
    crash(desk.writer);

    let found = only_recoverable(&desk.recovery);
    let restored = found.restore().unwrap();
    let mut session = Session::new_unsaved(restored.blog);
    assert!(session.is_dirty());
    let mut writer = RecoveryWriter::resume(&found, &mut session).unwrap();
    // While this Newsdesk holds the copy, no other one is offered it.
    assert!(desk.recovery.find_recoverable().is_empty());
    type_into_body(&mut session, &first, "Second session.", 2);
    writer.record(&mut session);
    writer.flush();
    crash(writer);

    let found = only_recoverable(&desk.recovery);
    assert_eq!(found.restore().unwrap().blog, *session.blog());
}

#[test]
fn a_copy_in_use_is_not_offered_and_cannot_be_discarded() {
    let mut desk = open_desk(generate(5, 5));
    let first = desk.session.blog().entries[0].id.clone();
    type_into_body(&mut desk.session, &first, "Live.", 1);
    desk.writer.record(&mut desk.session);
    desk.writer.flush();
    assert!(desk.recovery.find_recoverable().is_empty());
    let held = Recoverable {
        folder: desk.writer.folder().to_path_buf(),
        document: None,
        title: String::new(),
        started: None,
        last_change: None,
        changes: 1,
    };
    let refused = held.clone().discard().unwrap_err();
    assert!(
        refused.to_string().contains("another Newsdesk"),
        "{refused}"
    );
    assert!(held.restore().is_err());
    assert!(held.folder.exists());
}

#[test]
fn a_torn_last_write_is_ignored_and_the_earlier_ones_restored() {
    let mut desk = open_desk(generate(8, 6));
    let first = desk.session.blog().entries[0].id.clone();
    type_into_body(&mut desk.session, &first, "Sound write.", 1);
    desk.writer.record(&mut desk.session);
    desk.writer.flush();
    let expected = desk.session.blog().clone();
    let journal = desk.writer.folder().join("journal");
    crash(desk.writer);
    let mut bytes = std::fs::read(&journal).unwrap();
    let sound = bytes.len();
    bytes.extend_from_slice(b"NDJ1 4000 abcdef 1 1\n(Entry(entry: (id: \"x");
    std::fs::write(&journal, &bytes).unwrap();
    let found = only_recoverable(&desk.recovery);
    assert_eq!(found.restore().unwrap().blog, expected);
    // Writing on cuts the torn tail off first, so later writes are readable.
    let restored = found.restore().unwrap();
    let mut session = Session::new_unsaved(restored.blog);
    let mut writer = RecoveryWriter::resume(&found, &mut session).unwrap();
    assert_eq!(std::fs::metadata(&journal).unwrap().len() as usize, sound);
    type_into_body(&mut session, &first, "After the tear.", 2);
    writer.record(&mut session);
    writer.flush();
    crash(writer);
    assert_eq!(
        only_recoverable(&desk.recovery).restore().unwrap().blog,
        *session.blog()
    );
}

#[test]
fn poll_writes_after_a_pause_or_after_four_seconds_of_typing() {
    let mut desk = open_desk(generate(5, 8));
    let first = desk.session.blog().entries[0].id.clone();
    let start = Instant::now();
    let at = |millis: u64| start + Duration::from_millis(millis);
    assert_eq!(desk.writer.poll(&mut desk.session, at(0)), None);

    // Typing a key every 300 ms: never a pause, so the deadline forces the write.
    let mut written_at = None;
    for step in 0..30u64 {
        type_into_body(&mut desk.session, &first, &"x".repeat(step as usize + 1), 1);
        let wait = desk.writer.poll(&mut desk.session, at(step * 300));
        if wait.is_none() {
            written_at = Some(step * 300);
            break;
        }
        assert!(wait.unwrap() <= newsdesk::storage::recovery::LONGEST_DELAY);
    }
    let written_at = written_at.expect("a write while typing went on");
    // Written at the first poll at or after the deadline (polls here are 300 ms apart).
    let deadline = newsdesk::storage::recovery::LONGEST_DELAY.as_millis() as u64;
    assert!(
        (deadline..deadline + 300).contains(&written_at),
        "{written_at}"
    );
    assert!(!desk.session.has_touched());

    // One change, then a pause: written once the pause is long enough.
    type_into_body(&mut desk.session, &first, "Done.", 2);
    let edit_at = written_at + 500;
    assert!(desk.writer.poll(&mut desk.session, at(edit_at)).is_some());
    assert!(desk.session.has_touched());
    let quiet = newsdesk::storage::recovery::QUIET_PERIOD.as_millis() as u64;
    assert_eq!(
        desk.writer.poll(&mut desk.session, at(edit_at + quiet)),
        None
    );
    assert!(!desk.session.has_touched());
    desk.writer.flush();
    let expected = desk.session.blog().clone();
    crash(desk.writer);
    assert_eq!(
        only_recoverable(&desk.recovery).restore().unwrap().blog,
        expected
    );
}

#[test]
fn one_edit_at_100k_posts_writes_a_thousandth_of_a_full_save() {
    let temp = tempfile::tempdir().unwrap();
    let document = temp.path().join("big.ron");
    let saved = storage::save(&document, &generate(100_000, 42)).unwrap();
    let mut session = Session::new(storage::load(&document).unwrap().blog);
    let recovery = RecoveryFolder::at(temp.path().join("recovery"));
    let mut writer = RecoveryWriter::start(
        &recovery,
        &mut session,
        Some((&document, saved.content_hash)),
    );
    let first = session.blog().entries[500].id.clone();
    for (minute, text) in ["One corrected sentence.", "One corrected sentence, again."]
        .iter()
        .enumerate()
    {
        type_into_body(&mut session, &first, text, minute as i64);
        writer.record(&mut session);
    }
    writer.flush();
    assert!(writer.problem().is_none());
    let written = std::fs::metadata(writer.folder().join("journal"))
        .unwrap()
        .len();
    let one_edit = written / 2;
    println!("full save {} bytes, one edit {one_edit} bytes", saved.bytes);
    assert!(
        one_edit * 1000 <= saved.bytes,
        "one edit wrote {one_edit} bytes, a full save {}",
        saved.bytes
    );
    writer.discard();
}

// ----- property: any run of edits, written at any points, restores exactly -----

#[derive(Clone, Debug)]
enum Step {
    Type { entry: usize, text: String },
    Publish { entry: usize },
    Insert { index: usize, pin: bool },
    Remove { entry: usize },
    Move { entry: usize, index: usize },
    Reverse,
    Pin { entry: usize },
    Unpin { slot: usize },
    Retitle(String),
    Undo,
    Redo,
    Record,
}

fn step_strategy() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (any::<usize>(), "[a-z \n\"\\\\é]{0,12}")
            .prop_map(|(entry, text)| Step::Type { entry, text }),
        1 => any::<usize>().prop_map(|entry| Step::Publish { entry }),
        2 => (any::<usize>(), any::<bool>()).prop_map(|(index, pin)| Step::Insert { index, pin }),
        2 => any::<usize>().prop_map(|entry| Step::Remove { entry }),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(entry, index)| Step::Move { entry, index }),
        1 => Just(Step::Reverse),
        1 => any::<usize>().prop_map(|entry| Step::Pin { entry }),
        1 => any::<usize>().prop_map(|slot| Step::Unpin { slot }),
        1 => "[A-Za-z ]{0,10}".prop_map(Step::Retitle),
        2 => Just(Step::Undo),
        1 => Just(Step::Redo),
        3 => Just(Step::Record),
    ]
}

fn run_step(session: &mut Session, writer: &mut RecoveryWriter, step: &Step, n: usize) {
    let blog = session.blog();
    let count = blog.entries.len();
    let entry_id = |index: usize| (count > 0).then(|| blog.entries[index % count].id.clone());
    let at = n as f64 * 0.5;
    // Edits that do not fit the document fail cleanly; that is fine here.
    match step {
        Step::Type { entry, text } => {
            if let Some(id) = entry_id(*entry) {
                let _ = session.set_field(&id, EntryField::Body(text.clone()), when(n as i64), at);
            }
        }
        Step::Publish { entry } => {
            if let Some(id) = entry_id(*entry) {
                let field = EntryField::Status(EntryStatus::Published);
                let _ = session.set_field(&id, field, when(n as i64), at);
            }
        }
        Step::Insert { index, pin } => {
            let fresh = blog.fresh_id("post", when(n as i64));
            let edit = Edit::InsertEntry {
                index: index % (count + 1),
                entry: std::sync::Arc::new(Entry::new_post(fresh, when(n as i64))),
                pinned_at: pin.then_some(0),
            };
            let _ = session.apply("Insert", edit, at);
        }
        Step::Remove { entry } => {
            if let Some(id) = entry_id(*entry) {
                let _ = session.apply("Remove", Edit::RemoveEntry { id }, at);
            }
        }
        Step::Move { entry, index } => {
            if let Some(id) = entry_id(*entry) {
                let edit = Edit::MoveEntry {
                    id,
                    index: index % count.max(1),
                };
                let _ = session.apply("Move", edit, at);
            }
        }
        Step::Reverse => {
            let order = blog.entries.iter().rev().map(|e| e.id.clone()).collect();
            let _ = session.apply("Sort", Edit::SetOrder { order }, at);
        }
        Step::Pin { entry } => {
            if let Some(id) = entry_id(*entry) {
                let _ = session.apply("Pin", Edit::Pin { id, index: 0 }, at);
            }
        }
        Step::Unpin { slot } => {
            if !blog.pinned.is_empty() {
                let id = blog.pinned[slot % blog.pinned.len()].clone();
                let _ = session.apply("Unpin", Edit::Unpin { id }, at);
            }
        }
        Step::Retitle(title) => {
            let mut settings = blog.settings.clone();
            settings.title = title.clone();
            let _ = session.apply("Settings", Edit::SetSettings(Box::new(settings)), at);
        }
        Step::Undo => {
            session.undo();
        }
        Step::Redo => {
            session.redo();
        }
        Step::Record => writer.record(session),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_run_of_edits_restores_to_the_document(
        steps in prop::collection::vec(step_strategy(), 1..40),
        saved_document in any::<bool>(),
    ) {
        let temp = tempfile::tempdir().unwrap();
        let recovery = RecoveryFolder::at(temp.path().join("recovery"));
        let blog = generate(9, 11);
        let document = temp.path().join("blog.ron");
        let saved = storage::save(&document, &blog).unwrap();
        let mut session = Session::new(blog);
        let base = saved_document.then_some((document.as_path(), saved.content_hash));
        let mut writer = RecoveryWriter::start(&recovery, &mut session, base);
        for (n, step) in steps.iter().enumerate() {
            run_step(&mut session, &mut writer, step, n);
        }
        writer.record(&mut session);
        writer.flush();
        prop_assert!(writer.problem().is_none());
        crash(writer);
        let found = recovery.find_recoverable();
        if found.is_empty() {
            // Nothing was ever written: only possible when nothing changed.
            prop_assert_eq!(session.blog(), &generate(9, 11));
        } else {
            prop_assert_eq!(found.len(), 1);
            let restored = found[0].restore().unwrap();
            prop_assert_eq!(&restored.blog, session.blog());
        }
    }

    #[test]
    fn a_damaged_copy_never_panics_on_restore(
        journal in prop::collection::vec(any::<u8>(), 0..600),
        meta in prop::collection::vec(any::<u8>(), 0..200),
        framed in any::<bool>(),
    ) {
        let temp = tempfile::tempdir().unwrap();
        let copy = temp.path().join("20250218-150000-1-0-0");
        std::fs::create_dir_all(&copy).unwrap();
        let mut bytes = Vec::new();
        if framed {
            // A well-framed journal whose payload is garbage.
            let hash = blake3::hash(&journal);
            bytes.extend(format!("NDJ1 {} {} 0 1\n", journal.len(), hash.to_hex()).bytes());
            bytes.extend(&journal);
            bytes.push(b'\n');
        } else {
            bytes = journal;
        }
        std::fs::write(copy.join("journal"), &bytes).unwrap();
        std::fs::write(copy.join("meta.ron"), &meta).unwrap();
        for found in RecoveryFolder::at(temp.path()).find_recoverable() {
            let _ = found.restore();
        }
    }
}

#[test]
fn a_file_rewritten_in_place_after_the_crash_still_gets_the_recorded_posts_back() {
    let mut desk = open_desk(generate(10, 3));
    let first = desk.session.blog().entries[0].id.clone();
    type_into_body(
        &mut desk.session,
        &first,
        "The post typed before the crash.",
        1,
    );
    desk.writer.record(&mut desk.session);
    desk.writer.flush();
    crash(desk.writer);
    // Another program rewrites the file in place (same inode, so the linked base changes).
    let mut theirs = generate(10, 3);
    theirs.settings.title = "Rewritten elsewhere".into();
    std::fs::write(&desk.document, storage::to_ron_string(&theirs).unwrap()).unwrap();

    let restored = only_recoverable(&desk.recovery).restore().unwrap();
    assert!(restored.incomplete.is_some());
    assert_eq!(restored.blog.settings.title, "Rewritten elsewhere");
    assert_eq!(
        restored.blog.entry(&first).unwrap().body,
        "The post typed before the crash."
    );
    // With the file gone too, the recorded post still comes back.
    std::fs::remove_file(&desk.document).unwrap();
    let found = only_recoverable(&desk.recovery);
    std::fs::remove_file(found.folder.join("base.ron")).unwrap();
    let restored = found.restore().unwrap();
    assert!(restored.incomplete.is_some());
    assert_eq!(
        restored.blog.entry(&first).unwrap().body,
        "The post typed before the crash."
    );
}

#[test]
fn a_writer_started_on_unsaved_changes_copies_them_at_once() {
    let temp = tempfile::tempdir().unwrap();
    let document = temp.path().join("blog.ron");
    let saved = storage::save(&document, &generate(6, 2)).unwrap();
    let mut session = Session::new(storage::load(&document).unwrap().blog);
    let first = session.blog().entries[0].id.clone();
    type_into_body(&mut session, &first, "Typed before recovery started.", 1);
    let recovery = RecoveryFolder::at(temp.path().join("recovery"));
    let mut writer = RecoveryWriter::start(
        &recovery,
        &mut session,
        Some((&document, saved.content_hash)),
    );
    writer.flush();
    crash(writer);
    let restored = only_recoverable(&recovery).restore().unwrap();
    assert_eq!(restored.blog, *session.blog());
}
