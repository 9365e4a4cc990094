//! Word counts and reading times: of one entry, and of the whole published blog, kept
//! current without recounting 100,000 posts on a keystroke.
//!
//! An entry is counted again only when its content stamp moves. While the editor types,
//! only the entry being typed in is looked at; the other entries are looked at (by stamp,
//! not by text) once the typing pauses, or at once when posts are added, removed,
//! published or returned to draft. A sweep looks only at the leaves (64 entries each) of
//! the persistent entry list that are not shared with the list the last sweep counted, so
//! after one edit it looks at one leaf. Within those, an entry still the same shared
//! allocation as when it was counted is unchanged without hashing its text. A sweep looks
//! at most `EXAMINE_BUDGET` entries and recounts at most `RECOUNT_BUDGET` a frame,
//! carrying on where it stopped at the next, so opening a 100,000-post blog counts it over
//! a few hundred frames (about 3 ms each) instead of stalling one.

use super::paragraphs::ParagraphCache;
use super::words::{reading_minutes, word_count};
use crate::model::{ContentStamp, Entry, EntryId, EntryList, EntryStatus, LiveBlog};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Seconds without a change before the whole blog is looked at again.
pub const SWEEP_AFTER_PAUSE: f64 = 0.5;
/// Entries counted (their text read) in one frame at most.
pub const RECOUNT_BUDGET: usize = 500;
/// Entries looked at (by pointer, or by stamp when the entry was replaced) in one frame at most.
pub const EXAMINE_BUDGET: usize = 20_000;

/// How long a text is and takes to read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WordCount {
    pub words: usize,
}

impl WordCount {
    /// The words a reader reads in an entry: its headline, body and media caption.
    pub fn of_entry(entry: &Entry) -> Self {
        let caption = entry
            .media
            .as_ref()
            .map_or(0, |media| word_count(media.caption()));
        Self {
            words: word_count(&entry.headline) + word_count(&entry.body) + caption,
        }
    }

    pub fn reading_minutes(self) -> usize {
        reading_minutes(self.words)
    }

    /// "312 words · 2 min read".
    pub fn describe(self) -> String {
        let words = match self.words {
            1 => "1 word".to_owned(),
            n => format!("{} words", thousands(n)),
        };
        format!("{words} · {} min read", self.reading_minutes())
    }
}

/// Counts the entry being typed in a paragraph at a time: a keystroke in a 10,000-word
/// body recounts one paragraph.
#[derive(Default)]
pub struct WordCounter {
    paragraphs: ParagraphCache<usize>,
}

impl WordCounter {
    /// The same as `WordCount::of_entry`.
    pub fn count(&mut self, entry: &Entry) -> WordCount {
        let body: usize = self
            .paragraphs
            .each(&entry.body, word_count)
            .into_iter()
            .map(|(_, words)| words)
            .sum();
        let caption = entry
            .media
            .as_ref()
            .map_or(0, |media| word_count(media.caption()));
        WordCount {
            words: word_count(&entry.headline) + body + caption,
        }
    }
}

/// 12345 → "12,345".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// What the caller knows changed: the session's revision counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Revisions {
    /// Bumped on every change.
    pub any: u64,
    /// Bumped when entries may have been added, removed, moved, published or unpublished.
    pub shape_and_status: (u64, u64),
}

/// The published blog's total, kept per entry.
#[derive(Default)]
pub struct BlogWordCount {
    counted: HashMap<EntryId, Counted>,
    total: usize,
    seen: Option<Revisions>,
    /// When a change not yet swept was seen (seconds of app time).
    sweep_due: Option<f64>,
    /// Whether every entry has been counted (a first count takes several frames).
    complete: bool,
    /// The sweep under way, if any.
    sweeping: Option<Sweep>,
    /// The entry list as the last finished sweep counted it. A leaf (64 entries) of the
    /// persistent vector that the current list still shares with it holds nothing new, so
    /// a sweep after one edit looks at one leaf, not 100,000 entries.
    swept: Option<EntryList>,
    typing: WordCounter,
}

#[derive(Clone)]
struct Counted {
    /// The version counted: held, so that the same allocation means the same content.
    entry: Arc<Entry>,
    stamp: ContentStamp,
    published: bool,
    words: usize,
}

/// A sweep carried over frames: it counts the list as it stood when it started.
struct Sweep {
    entries: EntryList,
    /// Where each leaf not shared with `swept` starts, and its length: what to look at.
    changed: Vec<(usize, usize)>,
    /// The next of `changed` to look at, and how far into it.
    leaf: usize,
    within: usize,
    /// The session's revision when the sweep started: a change since needs another.
    started_at: u64,
}

/// A leaf's identity: the address of its first element. Leaves of two lists that are
/// alive at once have the same address only if they are the same shared leaf.
fn leaf_key(leaf: &[Arc<Entry>]) -> (usize, usize) {
    (leaf.as_ptr() as usize, leaf.len())
}

impl BlogWordCount {
    /// The published entries' words (of those counted so far: see `is_complete`).
    pub fn total(&self) -> WordCount {
        WordCount { words: self.total }
    }

    /// Whether the total covers every entry.
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// Brings the total up to date with `blog`. `typing_in` is the position of the entry
    /// being edited, looked at on every change; the rest are swept once changes pause
    /// for `SWEEP_AFTER_PAUSE` seconds. Returns in how many seconds to call again, if
    /// work is left (so the caller asks for a frame then).
    pub fn refresh(
        &mut self,
        blog: &LiveBlog,
        revisions: Revisions,
        typing_in: Option<usize>,
        now: f64,
    ) -> Option<f64> {
        let structural = self
            .seen
            .is_none_or(|seen| seen.shape_and_status != revisions.shape_and_status);
        if structural {
            // Positions moved: a sweep under way starts again from the new list.
            self.sweeping = None;
            self.sweep(blog, revisions.any);
        } else if self.seen != Some(revisions) {
            if let Some(entry) = typing_in.and_then(|position| blog.entries.get(position)) {
                let mut typing = std::mem::take(&mut self.typing);
                self.recount(entry, Some(&mut typing));
                self.typing = typing;
            }
            self.sweep_due = Some(now);
        } else if self
            .sweep_due
            .is_some_and(|since| now - since >= SWEEP_AFTER_PAUSE)
        {
            self.sweep(blog, revisions.any);
        }
        self.seen = Some(revisions);
        self.sweep_due
            .map(|since| (since + SWEEP_AFTER_PAUSE - now).max(0.0))
    }

    /// Carries the sweep under way on (or starts one): looks at the entries of the leaves
    /// that changed since the last sweep and recounts those whose content moved.
    fn sweep(&mut self, blog: &LiveBlog, revision: u64) {
        let mut sweep = match self.sweeping.take() {
            Some(sweep) => sweep,
            None => self.start_sweep(&blog.entries, revision),
        };
        let mut examine = EXAMINE_BUDGET;
        let mut recount = RECOUNT_BUDGET;
        'leaves: while let Some(&(start, len)) = sweep.changed.get(sweep.leaf) {
            while sweep.within < len {
                if examine == 0 || recount == 0 {
                    break 'leaves;
                }
                examine -= 1;
                if let Some(entry) = sweep.entries.get(start + sweep.within) {
                    let entry = Arc::clone(entry);
                    if self.recount(&entry, None) {
                        recount -= 1;
                    }
                }
                sweep.within += 1;
            }
            sweep.leaf += 1;
            sweep.within = 0;
        }
        if sweep.leaf < sweep.changed.len() {
            // Out of budget: carry on at the next frame.
            self.sweeping = Some(sweep);
            self.sweep_due = Some(f64::NEG_INFINITY);
            return;
        }
        self.complete = true;
        // Changes made while the sweep ran (not typed in the entry looked at on every
        // change) are caught by another, which looks at their leaves only.
        self.sweep_due = (sweep.started_at != revision).then_some(f64::NEG_INFINITY);
        self.swept = Some(sweep.entries);
    }

    /// Which leaves of `entries` to look at: those not shared with the last sweep's list.
    /// Entries gone since (in a leaf of the old list no longer shared, and in no changed
    /// leaf of the new one) leave the count here.
    fn start_sweep(&mut self, entries: &EntryList, revision: u64) -> Sweep {
        let mut changed = Vec::new();
        match &self.swept {
            Some(swept) => {
                let old: HashSet<(usize, usize)> = swept.leaves().map(leaf_key).collect();
                let mut new_keys = HashSet::new();
                let mut changed_leaves = Vec::new();
                let mut start = 0;
                for leaf in entries.leaves() {
                    new_keys.insert(leaf_key(leaf));
                    if !old.contains(&leaf_key(leaf)) {
                        changed.push((start, leaf.len()));
                        changed_leaves.push(leaf);
                    }
                    start += leaf.len();
                }
                let gone_leaves: Vec<&[Arc<Entry>]> = swept
                    .leaves()
                    .filter(|leaf| !new_keys.contains(&leaf_key(leaf)))
                    .collect();
                if !gone_leaves.is_empty() {
                    let still_here: HashSet<&EntryId> = changed_leaves
                        .iter()
                        .flat_map(|leaf| leaf.iter())
                        .map(|entry| &entry.id)
                        .collect();
                    let gone: Vec<EntryId> = gone_leaves
                        .iter()
                        .flat_map(|leaf| leaf.iter())
                        .filter(|entry| !still_here.contains(&entry.id))
                        .map(|entry| entry.id.clone())
                        .collect();
                    for id in gone {
                        self.forget(&id);
                    }
                }
            }
            None => {
                // No earlier sweep to compare with: everything is looked at, and anything
                // counted before (a document replaced wholesale) that is gone is forgotten.
                if !self.counted.is_empty() {
                    let present: HashSet<&EntryId> = entries.iter().map(|e| &e.id).collect();
                    self.counted.retain(|id, _| present.contains(id));
                    self.total = self
                        .counted
                        .values()
                        .filter(|counted| counted.published)
                        .map(|counted| counted.words)
                        .sum();
                }
                let mut start = 0;
                for leaf in entries.leaves() {
                    changed.push((start, leaf.len()));
                    start += leaf.len();
                }
            }
        }
        Sweep {
            entries: entries.clone(),
            changed,
            leaf: 0,
            within: 0,
            started_at: revision,
        }
    }

    fn forget(&mut self, id: &EntryId) {
        if let Some(old) = self.counted.remove(id)
            && old.published
        {
            self.total = self.total.saturating_sub(old.words);
        }
    }

    /// Counts `entry` again if its stamp moved: by paragraph with `counter` (the entry
    /// being typed in), or whole (a sweep, which must not fill a cache with 100,000 bodies).
    /// Returns whether the entry's text was read.
    fn recount(&mut self, entry: &Arc<Entry>, counter: Option<&mut WordCounter>) -> bool {
        // An edit replaces the entry's allocation: the same one is the same content.
        if let Some(counted) = self.counted.get(&entry.id)
            && Arc::ptr_eq(&counted.entry, entry)
        {
            return false;
        }
        let stamp = entry.content_stamp();
        // Scheduled and other unpublished states are not on the page yet.
        let published = entry.status == EntryStatus::Published;
        if let Some(counted) = self.counted.get_mut(&entry.id)
            && counted.stamp == stamp
            && counted.published == published
        {
            counted.entry = Arc::clone(entry);
            return false;
        }
        let words = match counter {
            Some(counter) => counter.count(entry).words,
            None => WordCount::of_entry(entry).words,
        };
        let old = self.counted.insert(
            entry.id.clone(),
            Counted {
                entry: Arc::clone(entry),
                stamp,
                published,
                words,
            },
        );
        let was = old.filter(|old| old.published).map_or(0, |old| old.words);
        let now = if published { words } else { 0 };
        self.total = (self.total + now).saturating_sub(was);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;
    use std::sync::Arc;

    fn blog(bodies: &[(&str, bool)]) -> LiveBlog {
        let now = Utc.with_ymd_and_hms(2025, 2, 18, 14, 0, 0).unwrap();
        let mut blog = LiveBlog::new("Test", now);
        for (index, (body, published)) in bodies.iter().enumerate() {
            let mut entry = Entry::new_post(EntryId::new(format!("e-{index}")).unwrap(), now);
            entry.body = (*body).to_owned();
            entry.status = if *published {
                EntryStatus::Published
            } else {
                EntryStatus::Draft
            };
            blog.push_entry(entry);
        }
        blog
    }

    fn revisions(any: u64, shape: u64) -> Revisions {
        Revisions {
            any,
            shape_and_status: (shape, 0),
        }
    }

    #[test]
    fn the_total_counts_published_entries_only() {
        let blog = blog(&[("one two three", true), ("four five", false), ("six", true)]);
        let mut count = BlogWordCount::default();
        count.refresh(&blog, revisions(1, 1), None, 0.0);
        assert_eq!(count.total().words, 4);
    }

    #[test]
    fn typing_updates_the_edited_entry_at_once_and_the_rest_after_a_pause() {
        let mut blog = blog(&[("one two", true), ("three", true)]);
        let mut count = BlogWordCount::default();
        count.refresh(&blog, revisions(1, 1), None, 0.0);
        assert_eq!(count.total().words, 3);

        Arc::make_mut(&mut blog.entries[0]).body = "one two more words".into();
        Arc::make_mut(&mut blog.entries[0]).modified += chrono::Duration::seconds(1);
        Arc::make_mut(&mut blog.entries[1]).body = "three and four".into();
        Arc::make_mut(&mut blog.entries[1]).modified += chrono::Duration::seconds(1);
        assert_eq!(
            count.refresh(&blog, revisions(2, 1), Some(0), 10.0),
            Some(0.5)
        );
        // The entry being typed in is counted at once; the other waits for the pause.
        assert_eq!(count.total().words, 5);
        assert!(
            count
                .refresh(&blog, revisions(2, 1), Some(0), 10.2)
                .is_some()
        );
        assert_eq!(count.refresh(&blog, revisions(2, 1), Some(0), 10.6), None);
        assert_eq!(count.total().words, 7);
    }

    /// Refreshes until no more work is asked for; returns the frames it took.
    fn settle(count: &mut BlogWordCount, blog: &LiveBlog, revisions: Revisions, now: f64) -> usize {
        let mut frames = 1;
        while count.refresh(blog, revisions, None, now).is_some() {
            frames += 1;
            assert!(frames < 10_000, "the count never settles");
        }
        frames
    }

    #[test]
    fn a_change_not_typed_is_found_at_the_pause_by_the_one_leaf_it_changed() {
        let bodies: Vec<(&str, bool)> = vec![("a b", true); EXAMINE_BUDGET * 2 + 10];
        let mut blog = blog(&bodies);
        let mut count = BlogWordCount::default();
        settle(&mut count, &blog, revisions(1, 1), 0.0);
        let before = count.total().words;
        let last = blog.entries.len() - 1;
        Arc::make_mut(&mut blog.entries[last]).body = "a b c d".into();
        // A change the editor did not type (a remote edit, an undo): seen at the pause.
        assert!(count.refresh(&blog, revisions(2, 1), None, 10.0).is_some());
        assert_eq!(count.total().words, before, "not before the pause");
        // Only the changed leaf is looked at: one frame, though the budget covers less
        // than half the blog.
        assert_eq!(count.refresh(&blog, revisions(2, 1), None, 10.6), None);
        assert_eq!(count.total().words, before + 2);
    }

    #[test]
    fn a_reordered_blog_is_looked_at_a_budget_of_entries_a_frame() {
        let bodies: Vec<(&str, bool)> = vec![("a b", true); EXAMINE_BUDGET * 2 + 10];
        let mut blog = blog(&bodies);
        let mut count = BlogWordCount::default();
        settle(&mut count, &blog, revisions(1, 1), 0.0);
        let before = count.total().words;
        // Every leaf is new, every entry the same: looked at by pointer, a budget a frame.
        let mut entries: Vec<_> = blog.entries.iter().cloned().collect();
        entries.reverse();
        blog.entries = entries.into();
        assert_eq!(settle(&mut count, &blog, revisions(2, 2), 1.0), 3);
        assert_eq!(count.total().words, before);
    }

    #[test]
    fn a_change_made_while_a_sweep_runs_is_counted_by_the_next() {
        let bodies: Vec<(&str, bool)> = vec![("a", true); RECOUNT_BUDGET * 3];
        let mut blog = blog(&bodies);
        let mut count = BlogWordCount::default();
        // The first count is under way, at the start of the list...
        assert!(count.refresh(&blog, revisions(1, 1), None, 0.0).is_some());
        // ...when an entry it has already counted changes.
        Arc::make_mut(&mut blog.entries[0]).body = "a b c".into();
        count.refresh(&blog, revisions(2, 1), None, 1.0);
        settle(&mut count, &blog, revisions(2, 1), 2.0);
        assert_eq!(count.total().words, bodies.len() + 2);
    }

    #[derive(Clone, Debug)]
    enum Change {
        Body(usize, usize),
        Publish(usize, bool),
        Insert(usize, usize),
        Remove(usize),
        Move(usize, usize),
        Sort,
    }

    fn change() -> impl Strategy<Value = Change> {
        prop_oneof![
            (any::<usize>(), 0..6usize).prop_map(|(at, words)| Change::Body(at, words)),
            (any::<usize>(), any::<bool>()).prop_map(|(at, on)| Change::Publish(at, on)),
            (any::<usize>(), 0..6usize).prop_map(|(at, words)| Change::Insert(at, words)),
            any::<usize>().prop_map(Change::Remove),
            (any::<usize>(), any::<usize>()).prop_map(|(from, to)| Change::Move(from, to)),
            Just(Change::Sort),
        ]
    }

    fn apply(blog: &mut LiveBlog, change: &Change, serial: &mut usize) -> bool {
        let len = blog.entries.len();
        let words = |n: usize| vec!["w"; n].join(" ");
        match *change {
            Change::Body(at, n) if len > 0 => {
                Arc::make_mut(&mut blog.entries[at % len]).body = words(n);
            }
            Change::Publish(at, on) if len > 0 => {
                Arc::make_mut(&mut blog.entries[at % len]).status = if on {
                    EntryStatus::Published
                } else {
                    EntryStatus::Draft
                };
                return true;
            }
            Change::Insert(at, n) => {
                *serial += 1;
                let now = Utc.with_ymd_and_hms(2025, 2, 18, 14, 0, 0).unwrap();
                let mut entry = Entry::new_post(EntryId::new(format!("n-{serial}")).unwrap(), now);
                entry.body = words(n);
                entry.status = EntryStatus::Published;
                blog.entries.insert(at % (len + 1), Arc::new(entry));
                return true;
            }
            Change::Remove(at) if len > 0 => {
                blog.entries.remove(at % len);
                return true;
            }
            Change::Move(from, to) if len > 0 => {
                let entry = blog.entries.remove(from % len);
                blog.entries.insert(to % len, entry);
                return true;
            }
            Change::Sort => {
                let mut entries: Vec<_> = blog.entries.iter().cloned().collect();
                entries.reverse();
                blog.entries = entries.into();
                return true;
            }
            _ => {}
        }
        false
    }

    fn fresh_total(blog: &LiveBlog) -> usize {
        blog.entries
            .iter()
            .filter(|entry| entry.status == EntryStatus::Published)
            .map(|entry| WordCount::of_entry(entry).words)
            .sum()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// However the list changed between sweeps (edits, inserts, removals, moves, a
        /// reversal), the settled total is the one a fresh count gives.
        #[test]
        fn the_settled_total_equals_a_fresh_count(
            size in 0..300usize,
            rounds in proptest::collection::vec(proptest::collection::vec(change(), 0..8), 1..6),
        ) {
            let bodies: Vec<(&str, bool)> = (0..size).map(|i| ("a b", i % 3 != 0)).collect();
            let mut blog = blog(&bodies);
            let mut count = BlogWordCount::default();
            let (mut any, mut shape, mut serial, mut now) = (1, 1, 0, 0.0);
            settle(&mut count, &blog, revisions(any, shape), now);
            for round in &rounds {
                for change in round {
                    any += 1;
                    if apply(&mut blog, change, &mut serial) {
                        shape += 1;
                    }
                    now += 0.1;
                    count.refresh(&blog, revisions(any, shape), None, now);
                }
                now += 1.0;
                settle(&mut count, &blog, revisions(any, shape), now);
                prop_assert_eq!(count.total().words, fresh_total(&blog));
            }
        }
    }

    #[test]
    fn a_large_blog_is_counted_a_budget_at_a_time() {
        let bodies: Vec<(&str, bool)> = vec![("a b", true); RECOUNT_BUDGET * 2 + 1];
        let blog = blog(&bodies);
        let mut count = BlogWordCount::default();
        let mut frames = 0;
        let mut again = count.refresh(&blog, revisions(1, 1), None, 0.0);
        while let Some(after) = again {
            assert_eq!(after, 0.0, "the rest is counted at the next frame");
            assert!(!count.is_complete());
            frames += 1;
            again = count.refresh(&blog, revisions(1, 1), None, 0.0);
        }
        assert_eq!(frames, 2);
        assert!(count.is_complete());
        assert_eq!(count.total().words, 2 * bodies.len());
    }

    #[test]
    fn descriptions_read_naturally() {
        assert_eq!(WordCount { words: 1 }.describe(), "1 word · 1 min read");
        assert_eq!(
            WordCount { words: 12_345 }.describe(),
            "12,345 words · 54 min read"
        );
        assert_eq!(WordCount { words: 0 }.describe(), "0 words · 0 min read");
    }
}
