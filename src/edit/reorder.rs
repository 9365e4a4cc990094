//! The rules for placing entries: a new post, moving next to another entry, sorting by
//! time, where a dragged entry lands, one place up or down. Each returns the `Edit` to
//! apply (or `None` when nothing would change); the UI only asks.

use super::Edit;
use crate::model::{Entry, EntryId, EntryKind, LiveBlog};
use chrono::{DateTime, Utc};

/// A new draft at the top of the timeline, timed `now`, with a fresh id. Returns the id
/// and the edit that inserts it.
pub fn new_entry(blog: &LiveBlog, kind: EntryKind, now: DateTime<Utc>) -> (EntryId, Edit) {
    let prefix = match kind {
        EntryKind::Post => "post",
        EntryKind::Summary => "summary",
    };
    let id = blog.fresh_id(prefix, now);
    let entry = Entry {
        kind,
        ..Entry::new_post(id.clone(), now)
    };
    let edit = Edit::InsertEntry {
        index: 0,
        entry: std::sync::Arc::new(entry),
        pinned_at: None,
    };
    (id, edit)
}

/// The edit that puts `id` directly before (or after) `target` in the timeline.
pub fn move_next_to(blog: &LiveBlog, id: &EntryId, target: &EntryId, after: bool) -> Option<Edit> {
    let from = blog.position(id)?;
    let to = blog.position(target)?;
    if from == to {
        return None;
    }
    let index = match (after, from < to) {
        (false, true) => to - 1,
        (false, false) => to,
        (true, true) => to,
        (true, false) => to + 1,
    };
    (index != from).then(|| Edit::MoveEntry {
        id: id.clone(),
        index,
    })
}

/// The timeline newest first by time; `None` when it already is. Entries with the same
/// time keep their order.
pub fn sorted_by_time(blog: &LiveBlog) -> Option<Edit> {
    let mut order: Vec<&Entry> = blog.entries.iter().map(|entry| &**entry).collect();
    order.sort_by_key(|entry| std::cmp::Reverse(entry.display_time));
    let changed = order
        .iter()
        .zip(&blog.entries)
        .any(|(sorted, current)| sorted.id != current.id);
    changed.then(|| Edit::SetOrder {
        order: order.into_iter().map(|entry| entry.id.clone()).collect(),
    })
}

/// Where a dragged entry was dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropTarget<'a> {
    /// On the heading of the pinned section, or of the stream.
    Heading { pinned: bool },
    /// On the pinned entry in `slot`, in its upper or lower half.
    Pinned { slot: usize, after: bool },
    /// On the stream entry `target`, in its upper or lower half.
    Stream { target: &'a EntryId, after: bool },
}

/// What dropping `dragged` on `target` does, with its undo label. Dropping into the
/// pinned section pins; a pinned entry dropped on the stream is unpinned and returns to
/// its own place in the timeline.
pub fn drop_entry(
    blog: &LiveBlog,
    dragged: &EntryId,
    target: DropTarget<'_>,
) -> Option<(&'static str, Edit)> {
    let pinned_slot = blog.pinned.iter().position(|id| id == dragged);
    let id = dragged.clone();
    match (target, pinned_slot) {
        (DropTarget::Heading { pinned: true }, Some(_)) => {
            Some(("Reorder pinned", Edit::MovePinned { id, index: 0 }))
                .filter(|_| pinned_slot != Some(0))
        }
        (DropTarget::Heading { pinned: true }, None) => Some(("Pin", Edit::Pin { id, index: 0 })),
        (DropTarget::Heading { pinned: false } | DropTarget::Stream { .. }, Some(_)) => {
            Some(("Unpin", Edit::Unpin { id }))
        }
        (DropTarget::Heading { pinned: false }, None) => None,
        (DropTarget::Pinned { slot, after }, Some(from)) => {
            let mut index = slot + usize::from(after);
            if from < index {
                index -= 1;
            }
            (from != index).then_some(("Reorder pinned", Edit::MovePinned { id, index }))
        }
        (DropTarget::Pinned { slot, after }, None) => Some((
            "Pin",
            Edit::Pin {
                id,
                index: slot + usize::from(after),
            },
        )),
        (DropTarget::Stream { target, after }, None) => {
            move_next_to(blog, dragged, target, after).map(|edit| ("Move entry", edit))
        }
    }
}

/// Alt+Up / Alt+Down: `id` one place up (`down` false) or down within its section. A
/// pinned entry moves within the pinned list; a stream entry passes `stream_neighbour`,
/// the next entry the editor sees in that direction (a filter may hide the ones between).
pub fn move_one_place(
    blog: &LiveBlog,
    id: &EntryId,
    down: bool,
    stream_neighbour: Option<&EntryId>,
) -> Option<Edit> {
    if let Some(slot) = blog.pinned.iter().position(|pinned| pinned == id) {
        let target = if down {
            slot.checked_add(1).filter(|&t| t < blog.pinned.len())
        } else {
            slot.checked_sub(1)
        }?;
        return Some(Edit::MovePinned {
            id: id.clone(),
            index: target,
        });
    }
    move_next_to(blog, id, stream_neighbour?, down)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;
    use chrono::{Duration, TimeZone};

    fn blog_of(n: usize) -> LiveBlog {
        let start = Utc.with_ymd_and_hms(2025, 2, 18, 9, 0, 0).unwrap();
        let mut blog = LiveBlog::new("Test", start);
        for i in 0..n {
            // Newest first.
            let time = start + Duration::minutes((n - i) as i64);
            blog.push_entry(Entry::new_post(id(&format!("p{i}")), time));
        }
        blog
    }

    fn id(text: &str) -> EntryId {
        EntryId::new(text).unwrap()
    }

    fn ids(blog: &LiveBlog) -> Vec<&str> {
        blog.entries.iter().map(|e| e.id.as_str()).collect()
    }

    fn pinned(blog: &LiveBlog) -> Vec<&str> {
        blog.pinned.iter().map(EntryId::as_str).collect()
    }

    #[test]
    fn moving_next_to_a_target_lands_on_the_chosen_side() {
        for (moved, target, after, expected) in [
            ("p0", "p2", false, ["p1", "p0", "p2", "p3"]),
            ("p0", "p2", true, ["p1", "p2", "p0", "p3"]),
            ("p3", "p1", false, ["p0", "p3", "p1", "p2"]),
            ("p3", "p1", true, ["p0", "p1", "p3", "p2"]),
        ] {
            let mut blog = blog_of(4);
            let edit = move_next_to(&blog, &id(moved), &id(target), after).unwrap();
            apply(&mut blog, edit).unwrap();
            assert_eq!(ids(&blog), expected);
        }
        let blog = blog_of(4);
        assert!(move_next_to(&blog, &id("p1"), &id("p2"), false).is_none());
    }

    #[test]
    fn sort_by_time_is_one_edit_and_none_when_sorted() {
        let mut blog = blog_of(3);
        assert!(sorted_by_time(&blog).is_none());
        blog.entries.swap(0, 2);
        let edit = sorted_by_time(&blog).unwrap();
        apply(&mut blog, edit).unwrap();
        assert_eq!(ids(&blog), ["p0", "p1", "p2"]);
    }

    #[test]
    fn a_new_post_is_a_draft_at_the_top_with_an_id_from_its_time() {
        let mut blog = blog_of(2);
        let now = Utc.with_ymd_and_hms(2025, 2, 18, 14, 47, 0).unwrap();
        let (new, edit) = new_entry(&blog, EntryKind::Summary, now);
        apply(&mut blog, edit).unwrap();
        assert_eq!(new.as_str(), "summary-20250218-144700");
        assert_eq!(blog.entries[0].id, new);
        assert!(blog.entries[0].is_draft());
        assert_eq!(blog.entries[0].kind, EntryKind::Summary);
        let (second, _) = new_entry(&blog, EntryKind::Summary, now);
        assert_ne!(
            second, new,
            "a second entry in the same second gets its own id"
        );
    }

    #[test]
    fn dropping_pins_reorders_and_unpins() {
        let mut blog = blog_of(4);
        let (label, edit) =
            drop_entry(&blog, &id("p2"), DropTarget::Heading { pinned: true }).unwrap();
        assert_eq!(label, "Pin");
        apply(&mut blog, edit).unwrap();
        let (_, edit) = drop_entry(
            &blog,
            &id("p0"),
            DropTarget::Pinned {
                slot: 0,
                after: true,
            },
        )
        .unwrap();
        apply(&mut blog, edit).unwrap();
        assert_eq!(pinned(&blog), ["p2", "p0"]);
        // Dragging the first pinned entry below the second.
        let (label, edit) = drop_entry(
            &blog,
            &id("p2"),
            DropTarget::Pinned {
                slot: 1,
                after: true,
            },
        )
        .unwrap();
        assert_eq!(label, "Reorder pinned");
        apply(&mut blog, edit).unwrap();
        assert_eq!(pinned(&blog), ["p0", "p2"]);
        // Dropped where it already is: nothing to do.
        assert!(
            drop_entry(
                &blog,
                &id("p2"),
                DropTarget::Pinned {
                    slot: 1,
                    after: false
                }
            )
            .is_none()
        );
        let target = id("p3");
        let (label, edit) = drop_entry(
            &blog,
            &id("p0"),
            DropTarget::Stream {
                target: &target,
                after: false,
            },
        )
        .unwrap();
        assert_eq!(label, "Unpin");
        apply(&mut blog, edit).unwrap();
        assert_eq!(pinned(&blog), ["p2"]);
        assert_eq!(
            ids(&blog),
            ["p0", "p1", "p2", "p3"],
            "unpinning keeps the timeline place"
        );
        assert!(drop_entry(&blog, &id("p1"), DropTarget::Heading { pinned: false }).is_none());
        let (label, edit) = drop_entry(
            &blog,
            &id("p1"),
            DropTarget::Stream {
                target: &target,
                after: true,
            },
        )
        .unwrap();
        assert_eq!(label, "Move entry");
        apply(&mut blog, edit).unwrap();
        assert_eq!(ids(&blog), ["p0", "p2", "p3", "p1"]);
    }

    #[test]
    fn one_place_up_or_down_stays_in_the_section() {
        let mut blog = blog_of(4);
        blog.pinned = vec![id("p1"), id("p3")];
        assert!(
            move_one_place(&blog, &id("p1"), false, None).is_none(),
            "already first"
        );
        let edit = move_one_place(&blog, &id("p1"), true, None).unwrap();
        apply(&mut blog, edit).unwrap();
        assert_eq!(pinned(&blog), ["p3", "p1"]);
        assert!(
            move_one_place(&blog, &id("p1"), true, None).is_none(),
            "already last"
        );
        let neighbour = id("p2");
        let edit = move_one_place(&blog, &id("p0"), true, Some(&neighbour)).unwrap();
        apply(&mut blog, edit).unwrap();
        assert_eq!(ids(&blog), ["p1", "p2", "p0", "p3"]);
        assert!(
            move_one_place(&blog, &id("p0"), false, None).is_none(),
            "nothing to pass"
        );
    }
}
