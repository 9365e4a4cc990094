//! The recorded work as undo steps: from the document the work began on to the one the
//! recovery copy holds, one `Edit` per restored entry change (then the settings, the
//! timeline order and the pinned list), applied through a `Session` so that Ctrl+Z after
//! a restore walks back through them one at a time.

use crate::edit::{Edit, Session};
use crate::model::{Entry, EntryId, LiveBlog};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Above this many changed entries, the work is restored as it is, in one piece: every
/// step costs a pass over the timeline, and the history keeps only so many steps.
pub const MOST_ENTRY_STEPS: usize = 500;

/// An unsaved session holding `restored`, reached from `base` by undoable steps where
/// that can be done (`steps_from` says which); otherwise `restored` as it is.
pub fn session_restoring(base: Option<LiveBlog>, restored: LiveBlog) -> Session {
    let Some(base) = base else {
        return Session::new_unsaved(restored);
    };
    let Some(steps) = steps_from(&base, &restored) else {
        return Session::new_unsaved(restored);
    };
    let mut session = Session::new_unsaved(base);
    for (label, edit) in steps {
        if session.apply(&label, edit, 0.0).is_err() {
            return Session::new_unsaved(restored);
        }
        // Each change is its own step, whatever the clock says.
        session.seal_history();
    }
    // The steps must arrive exactly at the recorded work; if not, the work wins.
    if *session.blog() == restored {
        session
    } else {
        Session::new_unsaved(restored)
    }
}

/// The steps from `base` to `restored`, each with its undo label, in the order they are
/// applied: settings, removed entries, added entries, changed entries, order, pinned.
/// `None` when there are too many to be worth it.
pub fn steps_from(base: &LiveBlog, restored: &LiveBlog) -> Option<Vec<(String, Edit)>> {
    let before: HashMap<&EntryId, &Arc<Entry>> = base
        .entries
        .iter()
        .map(|entry| (&entry.id, entry))
        .collect();
    let after: HashSet<&EntryId> = restored.entries.iter().map(|entry| &entry.id).collect();
    let removed: Vec<&Arc<Entry>> = base
        .entries
        .iter()
        .filter(|entry| !after.contains(&entry.id))
        .collect();
    let added: Vec<(usize, &Arc<Entry>)> = restored
        .entries
        .iter()
        .enumerate()
        .filter(|(_, entry)| !before.contains_key(&entry.id))
        .collect();
    let changed: Vec<&Arc<Entry>> = restored
        .entries
        .iter()
        .filter(|entry| {
            before
                .get(&entry.id)
                .is_some_and(|old| !Arc::ptr_eq(old, entry) && old != entry)
        })
        .collect();
    if removed.len() + added.len() + changed.len() > MOST_ENTRY_STEPS {
        return None;
    }

    let mut steps = Vec::new();
    if base.settings != restored.settings {
        steps.push((
            "Restore blog settings".to_owned(),
            Edit::SetSettings(Box::new(restored.settings.clone())),
        ));
    }
    // Worked out on a copy, so each step knows where its entry is at that point.
    let mut working = base.clone();
    let mut step = |label: String, edit: Edit, working: &mut LiveBlog| -> Option<()> {
        crate::edit::apply(working, edit.clone()).ok()?;
        steps.push((label, edit));
        Some(())
    };
    for entry in removed {
        let label = format!("Restore deletion of “{}”", title(entry));
        step(
            label,
            Edit::RemoveEntry {
                id: entry.id.clone(),
            },
            &mut working,
        )?;
    }
    for (index, entry) in added {
        let label = format!("Restore new entry “{}”", title(entry));
        let edit = Edit::InsertEntry {
            index,
            entry: Arc::clone(entry),
            pinned_at: None,
        };
        step(label, edit, &mut working)?;
    }
    for entry in changed {
        let index = working.position(&entry.id)?;
        let pinned_at = working.pinned.iter().position(|id| id == &entry.id);
        // The whole entry, as recorded: every field, and its times, exactly.
        let edit = Edit::Batch(vec![
            Edit::RemoveEntry {
                id: entry.id.clone(),
            },
            Edit::InsertEntry {
                index,
                entry: Arc::clone(entry),
                pinned_at,
            },
        ]);
        step(
            format!("Restore changes to “{}”", title(entry)),
            edit,
            &mut working,
        )?;
    }
    let same_order = working
        .entries
        .iter()
        .map(|entry| &entry.id)
        .eq(restored.entries.iter().map(|entry| &entry.id));
    if !same_order {
        let order = restored
            .entries
            .iter()
            .map(|entry| entry.id.clone())
            .collect();
        step(
            "Restore timeline order".to_owned(),
            Edit::SetOrder { order },
            &mut working,
        )?;
    }
    if working.pinned != restored.pinned {
        let unpin = working
            .pinned
            .iter()
            .map(|id| Edit::Unpin { id: id.clone() });
        let pin = restored
            .pinned
            .iter()
            .enumerate()
            .map(|(index, id)| Edit::Pin {
                id: id.clone(),
                index,
            });
        let edit = Edit::Batch(unpin.chain(pin).collect());
        step("Restore pinned entries".to_owned(), edit, &mut working)?;
    }
    Some(steps)
}

fn title(entry: &Entry) -> String {
    let title = entry.title_line(40);
    if title.is_empty() {
        "empty post".to_owned()
    } else {
        title
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::EntryField;
    use crate::model::{Entry, EntryId};
    use chrono::{Duration, TimeZone, Utc};
    use proptest::prelude::*;

    fn blog_of(n: usize) -> LiveBlog {
        let start = Utc.with_ymd_and_hms(2025, 2, 18, 9, 0, 0).unwrap();
        let mut blog = LiveBlog::new("Talks", start);
        for i in 0..n {
            let id = EntryId::new(format!("p{i}")).unwrap();
            blog.push_entry(Entry::new_post(id, start + Duration::minutes(i as i64)));
        }
        blog
    }

    #[test]
    fn each_restored_entry_change_is_one_undo_step_back_to_the_base() {
        let base = blog_of(4);
        let mut restored = base.clone();
        Arc::make_mut(&mut restored.entries[1]).body = "Typed before the crash".into();
        restored.entries.remove(3);
        restored.settings.title = "Talks in Riyadh".into();
        let session = session_restoring(Some(base.clone()), restored.clone());
        assert_eq!(*session.blog(), restored);
        assert!(session.is_dirty());
        let mut session = session;
        let mut labels = Vec::new();
        while let Some(label) = session.undo() {
            labels.push(label);
        }
        assert_eq!(
            labels,
            vec![
                "Restore changes to “Typed before the crash”",
                "Restore deletion of “empty post”",
                "Restore blog settings",
            ]
        );
        assert_eq!(*session.blog(), base);
    }

    #[test]
    fn too_much_work_is_restored_in_one_piece() {
        let base = blog_of(0);
        let restored = blog_of(MOST_ENTRY_STEPS + 1);
        let mut session = session_restoring(Some(base), restored.clone());
        assert_eq!(*session.blog(), restored);
        assert!(session.undo().is_none());
    }

    /// A random change to a small blog, as a journal might record it.
    fn change() -> impl Strategy<Value = (u8, usize, usize)> {
        (0u8..6, 0usize..12, 0usize..12)
    }

    proptest! {
        #[test]
        fn steps_arrive_at_the_recorded_work_and_undo_back_to_the_base(
            changes in proptest::collection::vec(change(), 0..20),
        ) {
            let base = blog_of(6);
            let mut session = Session::new(base.clone());
            let now = Utc.with_ymd_and_hms(2025, 2, 18, 12, 0, 0).unwrap();
            for (number, (kind, a, b)) in changes.into_iter().enumerate() {
                let blog = session.blog();
                let count = blog.entries.len();
                let pick = |i: usize| blog.entries.get(i % count.max(1)).map(|e| e.id.clone());
                let edit = match kind {
                    0 => pick(a).map(|id| Edit::SetField {
                        id,
                        field: EntryField::Body(format!("text {number}")),
                        modified: now,
                    }),
                    1 => pick(a).map(|id| Edit::RemoveEntry { id }),
                    2 => Some(Edit::InsertEntry {
                        index: a,
                        entry: Arc::new(Entry::new_post(
                            EntryId::new(format!("n{number}")).unwrap(),
                            now,
                        )),
                        pinned_at: None,
                    }),
                    3 => pick(a).map(|id| Edit::MoveEntry { id, index: b }),
                    4 => pick(a).map(|id| if blog.is_pinned(&id) {
                        Edit::Unpin { id }
                    } else {
                        Edit::Pin { id, index: b % (blog.pinned.len() + 1) }
                    }),
                    _ => {
                        let mut settings = blog.settings.clone();
                        settings.title = format!("Title {number}");
                        Some(Edit::SetSettings(Box::new(settings)))
                    }
                };
                if let Some(edit) = edit {
                    let _ = session.apply("change", edit, 0.0);
                }
            }
            let restored = session.blog().clone();
            let mut restoring = session_restoring(Some(base.clone()), restored.clone());
            prop_assert_eq!(restoring.blog(), &restored);
            while restoring.undo().is_some() {}
            prop_assert_eq!(restoring.blog(), &base);
        }
    }
}
