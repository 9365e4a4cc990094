//! Edits and their inverses: every change can be undone exactly, and history merges typing.

use chrono::{Duration, TimeZone, Utc};
use newsdesk::edit::{Edit, EntryField, Session, apply};
use newsdesk::generate::generate;
use newsdesk::model::{Entry, EntryId, EntryStatus, LiveBlog};
use proptest::prelude::*;

fn blog() -> LiveBlog {
    generate(12, 3)
}

fn id_at(blog: &LiveBlog, index: usize) -> EntryId {
    blog.entries[index % blog.entries.len()].id.clone()
}

/// An edit that may or may not be valid for the blog: invalid ones must fail cleanly.
fn edit_strategy() -> impl Strategy<Value = Edit> {
    let base = blog();
    let ids: Vec<EntryId> = base.entries.iter().map(|e| e.id.clone()).collect();
    let any_id = prop::sample::select(ids.clone());
    let when = Utc.with_ymd_and_hms(2025, 2, 18, 12, 0, 0).unwrap();
    prop_oneof![
        (0usize..20, any::<u32>()).prop_map(move |(index, n)| Edit::InsertEntry {
            index,
            entry: std::sync::Arc::new(Entry::new_post(
                EntryId::new(format!("new-{n}")).unwrap(),
                when
            )),
            pinned_at: if n % 3 == 0 { Some(0) } else { None },
        }),
        any_id.clone().prop_map(|id| Edit::RemoveEntry { id }),
        (any_id.clone(), ".*").prop_map(move |(id, text)| Edit::SetField {
            id,
            field: EntryField::Body(text),
            modified: when,
        }),
        (any_id.clone(), any::<bool>()).prop_map(move |(id, published)| Edit::SetField {
            id,
            field: EntryField::Status(if published {
                EntryStatus::Published
            } else {
                EntryStatus::Draft
            }),
            modified: when,
        }),
        (any_id.clone(), 0usize..20).prop_map(|(id, index)| Edit::MoveEntry { id, index }),
        (any_id.clone(), 0usize..4).prop_map(|(id, index)| Edit::Pin { id, index }),
        any_id.clone().prop_map(|id| Edit::Unpin { id }),
        (any_id.clone(), 0usize..4).prop_map(|(id, index)| Edit::MovePinned { id, index }),
        Just(ids.clone())
            .prop_shuffle()
            .prop_map(|order| Edit::SetOrder { order }),
    ]
}

proptest! {
    #[test]
    fn applying_the_inverse_restores_the_document(edits in prop::collection::vec(edit_strategy(), 1..12)) {
        let mut blog = blog();
        let mut states = vec![blog.clone()];
        let mut inverses = Vec::new();
        for edit in edits {
            let before = blog.clone();
            match apply(&mut blog, edit) {
                Ok(inverse) => {
                    prop_assert!(blog.violations().is_empty());
                    inverses.push(inverse);
                    states.push(blog.clone());
                }
                Err(_) => prop_assert_eq!(&blog, &before, "a failed edit changes nothing"),
            }
        }
        while let Some(inverse) = inverses.pop() {
            states.pop();
            apply(&mut blog, inverse).unwrap();
            prop_assert_eq!(&blog, states.last().unwrap());
        }
    }

    #[test]
    fn undo_all_then_redo_all_round_trips(edits in prop::collection::vec(edit_strategy(), 1..10)) {
        let mut session = Session::new(blog());
        let original = session.blog().clone();
        let mut at = 0.0;
        for edit in edits {
            at += 10.0;
            let _ = session.apply("edit", edit, at);
        }
        let changed = session.blog().clone();
        while session.undo().is_some() {}
        prop_assert_eq!(session.blog(), &original);
        prop_assert!(!session.is_dirty());
        while session.redo().is_some() {}
        prop_assert_eq!(session.blog(), &changed);
    }
}

#[test]
fn a_burst_of_typing_is_one_undo_step_and_a_pause_starts_another() {
    let mut session = Session::new(blog());
    let id = id_at(session.blog(), 0);
    let original = session.blog().entry(&id).unwrap().body.clone();
    let now = Utc::now();
    for (i, at) in [0.0, 0.3, 0.6, 0.9].into_iter().enumerate() {
        session
            .set_field(&id, EntryField::Body(format!("draft {i}")), now, at)
            .unwrap();
    }
    // A pause of more than a second, then more typing.
    session
        .set_field(&id, EntryField::Body("after the pause".into()), now, 3.0)
        .unwrap();
    assert_eq!(session.history().undo_len(), 2);
    session.undo();
    assert_eq!(session.blog().entry(&id).unwrap().body, "draft 3");
    session.undo();
    assert_eq!(session.blog().entry(&id).unwrap().body, original);
}

#[test]
fn saving_marks_clean_and_undo_past_the_save_is_dirty_again() {
    let mut session = Session::new(blog());
    let id = id_at(session.blog(), 1);
    let now = Utc::now();
    assert!(!session.is_dirty());
    session
        .set_field(&id, EntryField::Headline("One".into()), now, 0.0)
        .unwrap();
    assert!(session.is_dirty());
    session.mark_saved();
    assert!(!session.is_dirty());
    // Typing straight after a save is a new step, so undo returns to the saved text.
    session
        .set_field(&id, EntryField::Headline("One more".into()), now, 0.1)
        .unwrap();
    assert!(session.is_dirty());
    session.undo();
    assert!(!session.is_dirty());
    assert_eq!(session.blog().entry(&id).unwrap().headline, "One");
    session.undo();
    assert!(session.is_dirty());
    session.redo();
    assert!(!session.is_dirty());
}

#[test]
fn field_edits_stamp_the_modified_time_and_undo_restores_it() {
    let mut session = Session::new(blog());
    let id = id_at(session.blog(), 2);
    let before = session.blog().entry(&id).unwrap().modified;
    let later = before + Duration::hours(3);
    session
        .set_field(
            &id,
            EntryField::Correction("Corrected the spelling".into()),
            later,
            0.0,
        )
        .unwrap();
    assert_eq!(session.blog().entry(&id).unwrap().modified, later);
    session.undo();
    assert_eq!(session.blog().entry(&id).unwrap().modified, before);
}

#[test]
fn unpinning_returns_an_entry_to_its_place_in_the_timeline() {
    let mut session = Session::new(blog());
    let id = id_at(session.blog(), 5);
    let place = session.blog().position(&id);
    session
        .apply(
            "Pin",
            Edit::Pin {
                id: id.clone(),
                index: 0,
            },
            0.0,
        )
        .unwrap();
    assert_eq!(session.blog().pinned[0], id);
    assert!(session.blog().stream_entries().all(|e| e.id != id));
    session
        .apply("Unpin", Edit::Unpin { id: id.clone() }, 1.0)
        .unwrap();
    assert!(!session.blog().is_pinned(&id));
    assert_eq!(session.blog().position(&id), place);
}

#[test]
fn a_failing_batch_changes_nothing() {
    let mut blog = blog();
    let before = blog.clone();
    let id = id_at(&blog, 0);
    let result = apply(
        &mut blog,
        Edit::Batch(vec![
            Edit::MoveEntry {
                id: id.clone(),
                index: 5,
            },
            Edit::RemoveEntry {
                id: EntryId::new("missing").unwrap(),
            },
        ]),
    );
    assert!(result.is_err());
    assert_eq!(blog, before);
}
