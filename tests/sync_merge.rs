//! Several editors on one shared blog, in one process: edits through the edit layer, recorded
//! in each replica's Loro document, updates exchanged out of order, twice, in batches.
//! Afterwards every replica holds the same document, sound, and every editor's plain
//! document, patched only by the edits `import` and `undo` returned, equals it.

use chrono::{DateTime, Duration, TimeZone, Utc};
use loro::{LoroDoc, LoroMap, LoroMovableList, LoroText, VersionVector};
use newsdesk::edit::{self, Edit, EntryField};
use newsdesk::model::{Byline, Entry, EntryId, EntryStatus, LiveBlog};
use newsdesk::storage::to_ron_string;
use newsdesk::sync::{SharedBlog, SyncError};
use proptest::prelude::*;
use std::collections::HashSet;

fn base_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 2, 18, 9, 0, 0).unwrap()
}

fn id(text: &str) -> EntryId {
    EntryId::new(text).unwrap()
}

fn starting_blog(posts: usize) -> LiveBlog {
    let mut blog = newsdesk::generate::generate(posts, 7);
    // The shared document keeps whole milliseconds; generated times are whole seconds.
    for entry in blog.entries.iter_mut() {
        std::sync::Arc::make_mut(entry).body.truncate(40);
    }
    blog
}

/// One editor: the shared document and the plain document the editor works on.
struct Editor {
    shared: SharedBlog,
    plain: LiveBlog,
    /// What this editor has sent: updates since its version at each send.
    sent: VersionVector,
}

impl Editor {
    fn new(shared: SharedBlog, plain: LiveBlog) -> Self {
        let sent = shared.oplog_version();
        Self {
            shared,
            plain,
            sent,
        }
    }

    /// The editor applies an edit; the shared document records it. Returns whether it applied.
    fn edit(&mut self, edit: Edit) -> bool {
        if edit::apply(&mut self.plain, edit.clone()).is_err() {
            return false;
        }
        self.shared
            .record_local(&edit)
            .expect("a local edit records");
        self.assert_in_step("after a local edit");
        true
    }

    fn patch(&mut self, edits: Vec<Edit>, what: &str) {
        for edit in edits {
            if let Err(error) = edit::apply(&mut self.plain, edit.clone()) {
                panic!("{what}: {edit:?} does not apply: {error}");
            }
        }
        self.assert_in_step(what);
    }

    fn receive(&mut self, bytes: &[u8]) {
        let edits = self.shared.import(bytes).expect("an update imports");
        self.patch(edits, "after an import");
    }

    fn undo(&mut self) {
        let edits = self.shared.undo().expect("undo works");
        self.patch(edits, "after undo");
    }

    fn redo(&mut self) {
        let edits = self.shared.redo().expect("redo works");
        self.patch(edits, "after redo");
    }

    /// Updates since the last send.
    fn send(&mut self) -> Vec<u8> {
        let bytes = self.shared.export_updates_since(&self.sent).unwrap();
        self.sent = self.shared.oplog_version();
        bytes
    }

    fn assert_in_step(&self, what: &str) {
        let shared = self.shared.to_blog().unwrap();
        assert_eq!(
            self.plain, shared,
            "{what}: the editor's document differs from the shared one"
        );
        assert!(
            shared.violations().is_empty(),
            "{what}: {:?}",
            shared.violations()
        );
        self.shared.check_consistency().unwrap();
    }
}

fn editors(count: usize, blog: &LiveBlog) -> Vec<Editor> {
    let first = SharedBlog::create(blog, 1).unwrap();
    let plain = first.to_blog().unwrap();
    let snapshot = first.snapshot().unwrap();
    let mut editors = vec![Editor::new(first, plain)];
    for peer in 2..=count as u64 {
        let (shared, plain) = SharedBlog::from_snapshot(&snapshot).unwrap();
        shared.set_peer(peer).unwrap();
        editors.push(Editor::new(shared, plain));
    }
    editors
}

/// Exchanges everything both ways until all hold the same changes.
fn sync_all(editors: &mut [Editor]) {
    for _ in 0..2 {
        for from in 0..editors.len() {
            let bytes = editors[from]
                .shared
                .export_updates_since(&VersionVector::default())
                .unwrap();
            for (to, editor) in editors.iter_mut().enumerate() {
                if to != from {
                    editor.receive(&bytes);
                }
            }
        }
    }
}

fn canonical(editor: &Editor) -> String {
    to_ron_string(&editor.shared.to_blog().unwrap()).unwrap()
}

fn new_post(name: &str, minute: i64) -> Entry {
    let mut entry = Entry::new_post(id(name), base_time() + Duration::minutes(minute));
    entry.body = format!("Body of {name}.");
    entry
}

// ---------------------------------------------------------------------------------------------
// The property test

#[derive(Clone, Debug)]
enum Action {
    Add {
        name: u8,
        index: u16,
        pin: bool,
    },
    Type {
        entry: u16,
        field: u8,
        at: u16,
        cut: u8,
        text: String,
    },
    Move {
        entry: u16,
        index: u16,
    },
    Pin {
        entry: u16,
        index: u8,
    },
    Unpin {
        entry: u16,
    },
    MovePinned {
        entry: u16,
        index: u8,
    },
    Publish {
        entry: u16,
    },
    Delete {
        entry: u16,
    },
    Bylines {
        entry: u16,
        name: u8,
    },
    Settings {
        title: u8,
        end_minutes: Option<i8>,
    },
    Batch {
        first: u16,
        second: u16,
    },
    Undo,
    Redo,
}

#[derive(Clone, Debug)]
enum Step {
    Local {
        editor: u8,
        action: Action,
    },
    /// Delivers the updates `editor` has sent so far to another editor, shuffled by `seed`,
    /// some twice.
    Deliver {
        from: u8,
        to: u8,
        seed: u64,
    },
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        3 => (0..12u8, any::<u16>(), any::<bool>()).prop_map(|(name, index, pin)| Action::Add { name, index, pin }),
        6 => (any::<u16>(), 0..3u8, any::<u16>(), 0..4u8, "[a-z é]{0,4}").prop_map(|(entry, field, at, cut, text)| Action::Type { entry, field, at, cut, text }),
        3 => (any::<u16>(), any::<u16>()).prop_map(|(entry, index)| Action::Move { entry, index }),
        2 => (any::<u16>(), any::<u8>()).prop_map(|(entry, index)| Action::Pin { entry, index }),
        1 => any::<u16>().prop_map(|entry| Action::Unpin { entry }),
        1 => (any::<u16>(), any::<u8>()).prop_map(|(entry, index)| Action::MovePinned { entry, index }),
        2 => any::<u16>().prop_map(|entry| Action::Publish { entry }),
        2 => any::<u16>().prop_map(|entry| Action::Delete { entry }),
        1 => (any::<u16>(), 0..4u8).prop_map(|(entry, name)| Action::Bylines { entry, name }),
        1 => (0..4u8, proptest::option::of(0..4i8)).prop_map(|(title, end_minutes)| Action::Settings { title, end_minutes }),
        1 => (any::<u16>(), any::<u16>()).prop_map(|(first, second)| Action::Batch { first, second }),
        1 => Just(Action::Undo),
        1 => Just(Action::Redo),
    ]
}

fn step(editors: u8) -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..editors, action()).prop_map(|(editor, action)| Step::Local { editor, action }),
        1 => (0..editors, 0..editors, any::<u64>()).prop_map(|(from, to, seed)| Step::Deliver { from, to, seed }),
    ]
}

fn pick(blog: &LiveBlog, seed: u16) -> Option<&Entry> {
    if blog.entries.is_empty() {
        None
    } else {
        blog.entries
            .get(seed as usize % blog.entries.len())
            .map(|entry| &**entry)
    }
}

/// The edit an action means on this editor's document now, if any.
fn edit_for(editor: &Editor, action: &Action, clock: i64) -> Option<Edit> {
    let blog = &editor.plain;
    let modified = base_time() + Duration::seconds(clock);
    Some(match action {
        Action::Add { name, index, pin } => {
            let entry = new_post(&format!("post-{name}"), clock);
            Edit::InsertEntry {
                index: *index as usize % (blog.entries.len() + 1),
                entry: std::sync::Arc::new(entry),
                pinned_at: pin.then_some(0),
            }
        }
        Action::Type {
            entry,
            field,
            at,
            cut,
            text,
        } => {
            let entry = pick(blog, *entry)?;
            let old = match field {
                0 => &entry.headline,
                1 => &entry.body,
                _ => &entry.correction,
            };
            let chars: Vec<char> = old.chars().collect();
            let at = *at as usize % (chars.len() + 1);
            let end = (at + *cut as usize).min(chars.len());
            let new: String = chars[..at]
                .iter()
                .chain(text.chars().collect::<Vec<_>>().iter())
                .chain(chars[end..].iter())
                .collect();
            let field = match field {
                0 => EntryField::Headline(new),
                1 => EntryField::Body(new),
                _ => EntryField::Correction(new),
            };
            Edit::SetField {
                id: entry.id.clone(),
                field,
                modified,
            }
        }
        Action::Move { entry, index } => Edit::MoveEntry {
            id: pick(blog, *entry)?.id.clone(),
            index: *index as usize % blog.entries.len().max(1),
        },
        Action::Pin { entry, index } => Edit::Pin {
            id: pick(blog, *entry)?.id.clone(),
            index: *index as usize % (blog.pinned.len() + 1),
        },
        Action::Unpin { entry } => Edit::Unpin {
            id: pick(blog, *entry)?.id.clone(),
        },
        Action::MovePinned { entry, index } => {
            if blog.pinned.is_empty() {
                return None;
            }
            Edit::MovePinned {
                id: blog.pinned[*entry as usize % blog.pinned.len()].clone(),
                index: *index as usize % blog.pinned.len(),
            }
        }
        Action::Publish { entry: which } => {
            let entry = pick(blog, *which)?;
            // The high bits choose the other statuses now and then, so that they travel
            // through the shared document too (a scheduled time to the second).
            let status = match which >> 13 {
                1 => EntryStatus::Ready,
                2 => EntryStatus::Scheduled {
                    at: base_time() + Duration::seconds(i64::from(*which % 7200)),
                },
                _ if entry.is_published() => EntryStatus::Draft,
                _ => EntryStatus::Published,
            };
            Edit::SetField {
                id: entry.id.clone(),
                field: EntryField::Status(status),
                modified,
            }
        }
        Action::Delete { entry } => Edit::RemoveEntry {
            id: pick(blog, *entry)?.id.clone(),
        },
        Action::Bylines { entry, name } => Edit::SetField {
            id: pick(blog, *entry)?.id.clone(),
            field: EntryField::Bylines(vec![Byline {
                name: format!("Reporter {name}"),
                role: String::new(),
            }]),
            modified,
        },
        Action::Settings { title, end_minutes } => {
            let mut settings = blog.settings.clone();
            settings.title = format!("Live: day {title}");
            settings.coverage_end = end_minutes
                .map(|minutes| settings.coverage_start + Duration::minutes(i64::from(minutes)));
            Edit::SetSettings(Box::new(settings))
        }
        Action::Batch { first, second } => {
            let first = pick(blog, *first)?;
            let second = pick(blog, *second)?;
            Edit::Batch(vec![
                Edit::MoveEntry {
                    id: first.id.clone(),
                    index: 0,
                },
                Edit::SetField {
                    id: second.id.clone(),
                    field: EntryField::Status(EntryStatus::Published),
                    modified,
                },
            ])
        }
        Action::Undo | Action::Redo => return None,
    })
}

/// Shuffles `items` with a small deterministic generator.
fn shuffle<T>(items: &mut [T], mut seed: u64) {
    for i in (1..items.len()).rev() {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        items.swap(i, (seed >> 33) as usize % (i + 1));
    }
}

fn run(steps: Vec<Step>, count: usize) {
    let blog = starting_blog(5);
    let mut editors = editors(count, &blog);
    // Every update each editor sent, in order.
    let mut outbox: Vec<Vec<Vec<u8>>> = vec![Vec::new(); count];
    let mut created: HashSet<EntryId> = blog.entries.iter().map(|e| e.id.clone()).collect();
    let mut lost: HashSet<EntryId> = HashSet::new();
    for (clock, step) in steps.into_iter().enumerate() {
        let before: Vec<HashSet<EntryId>> = editors
            .iter()
            .map(|e| e.plain.entries.iter().map(|e| e.id.clone()).collect())
            .collect();
        match step {
            Step::Local { editor, action } => {
                let editor_index = editor as usize % count;
                let editor = &mut editors[editor_index];
                match action {
                    Action::Undo => editor.undo(),
                    Action::Redo => editor.redo(),
                    action => {
                        if let Some(edit) = edit_for(editor, &action, clock as i64)
                            && editor.edit(edit.clone())
                            && let Edit::InsertEntry { entry, .. } = edit
                        {
                            created.insert(entry.id.clone());
                        }
                    }
                }
                let bytes = editor.send();
                outbox[editor_index].push(bytes);
            }
            Step::Deliver { from, to, seed } => {
                let (from, to) = (from as usize % count, to as usize % count);
                if from == to {
                    continue;
                }
                let mut parcels = outbox[from].clone();
                shuffle(&mut parcels, seed);
                if seed % 3 == 0
                    && let Some(first) = parcels.first().cloned()
                {
                    parcels.push(first);
                }
                for parcel in parcels {
                    editors[to].receive(&parcel);
                }
            }
        }
        for (editor, before) in editors.iter().zip(before) {
            let now: HashSet<EntryId> = editor.plain.entries.iter().map(|e| e.id.clone()).collect();
            lost.extend(before.difference(&now).cloned());
        }
    }
    // An editor joining now from a snapshot and the blog view of another gets the same blog,
    // built without reading the document, and is patched correctly by everything after.
    let source = &editors[count - 1];
    let view = source.shared.view(&source.plain).unwrap();
    let snapshot = source.shared.snapshot().unwrap();
    let (joiner, plain) = SharedBlog::from_snapshot_with_view(&snapshot, Some(&view)).unwrap();
    assert!(joiner.opened_from_view(), "the view fits the snapshot");
    joiner.set_peer(99).unwrap();
    let joiner = Editor::new(joiner, plain);
    joiner.assert_in_step("after joining with the blog view");
    assert_eq!(joiner.plain, source.plain);
    editors.push(joiner);
    sync_all(&mut editors);
    let first = canonical(&editors[0]);
    for editor in &editors[1..] {
        assert_eq!(first, canonical(editor), "replicas differ after syncing");
    }
    let blog = editors[0].shared.to_blog().unwrap();
    assert!(blog.violations().is_empty());
    let ids: Vec<&EntryId> = blog.entries.iter().map(|e| &e.id).collect();
    assert_eq!(
        ids.len(),
        ids.iter().collect::<HashSet<_>>().len(),
        "an id twice"
    );
    for id in created.difference(&lost) {
        assert_eq!(
            ids.iter().filter(|shown| **shown == id).count(),
            1,
            "\"{id}\" was created and never deleted but is not present once"
        );
    }
}

proptest! {
    // 64 cases keep CI quick; PROPTEST_CASES=2000 searches harder.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(64),
        ..ProptestConfig::default()
    })]

    #[test]
    fn two_editors_converge(steps in proptest::collection::vec(step(2), 1..40)) {
        run(steps, 2);
    }

    #[test]
    fn three_editors_converge(steps in proptest::collection::vec(step(3), 1..40)) {
        run(steps, 3);
    }
}

// ---------------------------------------------------------------------------------------------
// Named cases

#[test]
fn two_editors_moving_the_same_post_at_once_leave_it_once() {
    let mut editors = editors(2, &starting_blog(4));
    let moved = editors[0].plain.entries[3].id.clone();
    editors[0].edit(Edit::MoveEntry {
        id: moved.clone(),
        index: 0,
    });
    editors[1].edit(Edit::MoveEntry {
        id: moved.clone(),
        index: 1,
    });
    sync_all(&mut editors);
    assert_eq!(canonical(&editors[0]), canonical(&editors[1]));
    let blog = editors[0].shared.to_blog().unwrap();
    assert_eq!(blog.entries.len(), 4);
    assert_eq!(blog.entries.iter().filter(|e| e.id == moved).count(), 1);
}

#[test]
fn two_editors_pinning_the_same_post_at_once_pin_it_once() {
    let mut blog = starting_blog(4);
    blog.pinned.clear();
    let mut editors = editors(2, &blog);
    let target = editors[0].plain.entries[2].id.clone();
    for editor in editors.iter_mut() {
        editor.edit(Edit::Pin {
            id: target.clone(),
            index: 0,
        });
    }
    sync_all(&mut editors);
    for editor in &editors {
        assert_eq!(
            editor.shared.to_blog().unwrap().pinned,
            vec![target.clone()]
        );
    }
    // And unpinning it once unpins it for everyone.
    editors[1].edit(Edit::Unpin { id: target });
    sync_all(&mut editors);
    assert!(editors[0].shared.to_blog().unwrap().pinned.is_empty());
}

#[test]
fn a_post_moved_while_someone_deletes_it_stays_deleted() {
    let mut editors = editors(2, &starting_blog(4));
    let target = editors[0].plain.entries[1].id.clone();
    editors[0].edit(Edit::RemoveEntry { id: target.clone() });
    editors[1].edit(Edit::MoveEntry {
        id: target.clone(),
        index: 3,
    });
    sync_all(&mut editors);
    for editor in &editors {
        let blog = editor.shared.to_blog().unwrap();
        assert!(blog.entry(&target).is_none(), "the deleted post came back");
        assert_eq!(blog.entries.len(), 3);
    }
}

#[test]
fn two_reporters_typing_in_one_body_keep_both_words() {
    let mut editors = editors(2, &starting_blog(2));
    let target = editors[0].plain.entries[0].id.clone();
    let body = "Talks begin in Riyadh.".to_string();
    editors[0].edit(Edit::SetField {
        id: target.clone(),
        field: EntryField::Body(body.clone()),
        modified: base_time(),
    });
    sync_all(&mut editors);
    editors[0].edit(Edit::SetField {
        id: target.clone(),
        field: EntryField::Body("Peace talks begin in Riyadh.".into()),
        modified: base_time(),
    });
    editors[1].edit(Edit::SetField {
        id: target.clone(),
        field: EntryField::Body("Talks begin in Riyadh today.".into()),
        modified: base_time(),
    });
    sync_all(&mut editors);
    for editor in &editors {
        let blog = editor.shared.to_blog().unwrap();
        assert_eq!(
            blog.entry(&target).unwrap().body,
            "Peace talks begin in Riyadh today."
        );
    }
}

#[test]
fn undo_takes_back_my_typing_and_never_a_colleagues() {
    let mut editors = editors(2, &starting_blog(2));
    let target = editors[0].plain.entries[0].id.clone();
    let set_body = |text: &str| Edit::SetField {
        id: target.clone(),
        field: EntryField::Body(text.into()),
        modified: base_time(),
    };
    editors[0].edit(set_body("Talks."));
    sync_all(&mut editors);
    // Wait out the typing burst so my next change is its own step.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    editors[0].edit(set_body("Talks. Mine."));
    editors[1].edit(set_body("Theirs. Talks."));
    sync_all(&mut editors);
    assert_eq!(
        editors[0].plain.entry(&target).unwrap().body,
        "Theirs. Talks. Mine."
    );
    editors[0].undo();
    assert_eq!(
        editors[0].plain.entry(&target).unwrap().body,
        "Theirs. Talks."
    );
    editors[0].redo();
    assert_eq!(
        editors[0].plain.entry(&target).unwrap().body,
        "Theirs. Talks. Mine."
    );
    // Undoing a delete brings the post back, for everyone.
    editors[0].undo();
    editors[1].edit(Edit::RemoveEntry { id: target.clone() });
    sync_all(&mut editors);
    assert!(editors[0].plain.entry(&target).is_none());
    editors[1].undo();
    sync_all(&mut editors);
    assert_eq!(
        editors[0].plain.entry(&target).unwrap().body,
        "Theirs. Talks."
    );
}

#[test]
fn two_editors_creating_the_same_id_at_once_keep_both_posts() {
    let mut editors = editors(2, &starting_blog(2));
    for (n, editor) in editors.iter_mut().enumerate() {
        let mut entry = new_post("post-20250218-090000", 0);
        entry.body = format!("Written by editor {n}.");
        editor.edit(Edit::InsertEntry {
            index: 0,
            entry: std::sync::Arc::new(entry),
            pinned_at: Some(0),
        });
    }
    sync_all(&mut editors);
    assert_eq!(canonical(&editors[0]), canonical(&editors[1]));
    let blog = editors[0].shared.to_blog().unwrap();
    assert!(blog.violations().is_empty());
    let bodies: HashSet<&str> = blog
        .entries
        .iter()
        .filter(|e| e.id.as_str().starts_with("post-20250218-090000"))
        .map(|e| e.body.as_str())
        .collect();
    assert_eq!(bodies.len(), 2, "both posts survive");
    // The one shown under a derived id can be edited and deleted like any other.
    let derived = blog
        .entries
        .iter()
        .find(|e| e.id.as_str().contains("__"))
        .unwrap()
        .id
        .clone();
    editors[1].edit(Edit::SetField {
        id: derived.clone(),
        field: EntryField::Status(EntryStatus::Published),
        modified: base_time(),
    });
    editors[1].edit(Edit::RemoveEntry { id: derived });
    sync_all(&mut editors);
    assert_eq!(canonical(&editors[0]), canonical(&editors[1]));
}

#[test]
fn random_and_cut_off_bytes_are_refused_and_change_nothing() {
    let mut editors = editors(1, &starting_blog(3));
    let before = canonical(&editors[0]);
    let snapshot = editors[0].shared.snapshot().unwrap();
    let mut seed = 12345u64;
    let mut garbage = Vec::new();
    for _ in 0..64 {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        garbage.push((seed >> 24) as u8);
    }
    let mut flipped = snapshot.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x5a;
    for bytes in [
        &garbage[..],
        &snapshot[..snapshot.len() / 2],
        &flipped[..],
        b"",
        b"loro",
    ] {
        let outcome = editors[0].shared.import(bytes);
        if let Ok(edits) = outcome {
            editors[0].patch(edits, "after importing junk");
        }
        assert_eq!(before, canonical(&editors[0]));
        assert!(SharedBlog::from_snapshot(bytes).is_err());
    }
    assert!(matches!(
        SharedBlog::from_snapshot(&garbage),
        Err(SyncError::Corrupt(_)) | Err(SyncError::NotABlog)
    ));
}

#[test]
fn a_hostile_peer_writing_wrong_types_cannot_break_the_document() {
    let mut editors = editors(1, &starting_blog(3));
    let victim = editors[0].plain.entries[0].id.clone();
    let hostile = LoroDoc::new();
    hostile.set_peer_id(666).unwrap();
    hostile
        .import(&editors[0].shared.snapshot().unwrap())
        .unwrap();
    let entries: LoroMovableList = hostile.get_movable_list("entries");
    let first = entries
        .get(0)
        .unwrap()
        .into_container()
        .unwrap()
        .into_map()
        .unwrap();
    first.insert("display_time", i64::MAX).unwrap();
    first.insert("created", -1i64).unwrap();
    first.insert("status", 7i64).unwrap();
    first.insert("bylines", "not json").unwrap();
    first.insert("media", true).unwrap();
    first.insert("body", 42i64).unwrap();
    let second = entries
        .get(1)
        .unwrap()
        .into_container()
        .unwrap()
        .into_map()
        .unwrap();
    second.insert("id", victim.as_str()).unwrap();
    let third = entries
        .get(2)
        .unwrap()
        .into_container()
        .unwrap()
        .into_map()
        .unwrap();
    third.insert("deleted", "maybe").unwrap();
    entries.insert(0, "a string, not an entry").unwrap();
    let bad = entries.insert_container(0, LoroMap::new()).unwrap();
    bad.insert("id", "<script>").unwrap();
    let reserved = entries.insert_container(0, LoroMap::new()).unwrap();
    reserved.insert("id", "x__1_2").unwrap();
    entries.insert_container(0, LoroText::new()).unwrap();
    let pinned: LoroMovableList = hostile.get_movable_list("pinned");
    pinned.push("nobody").unwrap();
    pinned.push(victim.as_str()).unwrap();
    pinned.push(victim.as_str()).unwrap();
    pinned.insert_container(0, LoroMap::new()).unwrap();
    let settings = hostile.get_map("settings");
    settings.insert("coverage_start", 10_000_000i64).unwrap();
    settings.insert("coverage_end", 0i64).unwrap();
    settings.insert("time_zone", "Europe/Atlantis").unwrap();
    settings.insert("extra_zones", 3.5).unwrap();
    hostile.commit();
    let update = hostile
        .export(loro::ExportMode::updates(
            &editors[0].shared.oplog_version(),
        ))
        .unwrap();
    editors[0].receive(&update);
    let blog = editors[0].shared.to_blog().unwrap();
    assert!(blog.violations().is_empty(), "{:?}", blog.violations());
    assert_eq!(
        blog.entries.len(),
        2,
        "the tombstone of the wrong type hides its entry"
    );
    assert_eq!(
        blog.pinned.len(),
        blog.pinned.iter().collect::<HashSet<_>>().len()
    );
    let first = &blog.entries[0];
    assert_eq!(first.status, EntryStatus::Draft);
    assert_eq!(first.display_time, DateTime::UNIX_EPOCH);
    assert!(first.bylines.is_empty() && first.media.is_none());
    assert_eq!(first.body, "");
    // The document still works for everyone afterwards.
    editors[0].edit(Edit::SetField {
        id: first.id.clone(),
        field: EntryField::Body("Recovered.".into()),
        modified: base_time(),
    });
}

#[test]
fn the_shared_state_survives_a_restart() {
    let folder = tempfile::tempdir().unwrap();
    let document = folder.path().join("blog.ron");
    let mut editors = editors(1, &starting_blog(3));
    let target = editors[0].plain.entries[0].id.clone();
    editors[0].edit(Edit::SetField {
        id: target,
        field: EntryField::Headline("Kept".into()),
        modified: base_time(),
    });
    let path = SharedBlog::state_path(&document);
    assert!(path.ends_with("blog.ron.loro"));
    let link = "newsdesk://127.0.0.1:7878/room-1#0123456789abcdef0123456789abcdef";
    newsdesk::sync::write_shared_state(editors[0].shared.doc(), link, &path).unwrap();
    let (restored, blog, read_link) = newsdesk::sync::read_shared_state(&path).unwrap();
    assert_eq!(read_link.to_string(), link);
    assert_eq!(blog, editors[0].plain);
    assert_eq!(restored.oplog_version(), editors[0].shared.oplog_version());
}

/// A blog view that does not fit the document (stale, cut off, garbage, another blog's) is set
/// aside: the document is read instead and the blog is still the document's.
#[test]
fn a_view_that_does_not_fit_is_set_aside() {
    let blog = starting_blog(6);
    let mut editors = editors(2, &blog);
    let stale = editors[0].shared.view(&editors[0].plain).unwrap();
    let target = editors[0].plain.entries[2].id.clone();
    assert!(editors[0].edit(Edit::SetField {
        id: target,
        field: EntryField::Body("changed after the view".into()),
        modified: base_time(),
    }));
    let moved = editors[0].plain.entries[5].id.clone();
    assert!(editors[0].edit(Edit::MoveEntry {
        id: moved,
        index: 0
    }));
    let snapshot = editors[0].shared.snapshot().unwrap();
    let good = editors[0].shared.view(&editors[0].plain).unwrap();
    let other_blog = SharedBlog::create(&starting_blog(6), 5).unwrap();
    let other = other_blog.view(&other_blog.to_blog().unwrap()).unwrap();
    let mut lying = String::from_utf8(good.clone()).unwrap();
    lying = lying.replacen("changed after the view", "something else entirely", 1);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("stale", stale),
        ("cut off", good[..good.len() / 2].to_vec()),
        ("garbage", b"\x00\xffnot a view".to_vec()),
        ("another blog's", other),
        ("empty", Vec::new()),
    ];
    for (what, view) in cases {
        let (shared, plain) = SharedBlog::from_snapshot_with_view(&snapshot, Some(&view)).unwrap();
        assert!(!shared.opened_from_view(), "{what}: the view was used");
        assert_eq!(plain, editors[0].plain, "{what}");
    }
    let (shared, plain) = SharedBlog::from_snapshot_with_view(&snapshot, Some(&good)).unwrap();
    assert!(shared.opened_from_view());
    assert_eq!(plain, editors[0].plain);
    // A view whose entries' content was altered but whose structure fits is taken on trust:
    // its stamp says which version it is, and the server that wrote it is the room's.
    let (shared, _) =
        SharedBlog::from_snapshot_with_view(&snapshot, Some(lying.as_bytes())).unwrap();
    assert!(shared.opened_from_view());
    // A view given a blog other than the one the document shows is refused when written.
    assert!(editors[0].shared.view(&blog).is_err());
}
