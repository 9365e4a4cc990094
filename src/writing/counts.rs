//! Word counts and reading times: of one entry, and of the whole published blog, kept
//! current without recounting 100,000 posts on a keystroke.
//!
//! An entry is counted again only when its content stamp moves. While the editor types,
//! only the entry being typed in is looked at; the other entries are looked at (by stamp,
//! not by text) once the typing pauses, or at once when posts are added, removed,
//! published or returned to draft. A sweep looks at most `EXAMINE_BUDGET` entries and
//! recounts at most `RECOUNT_BUDGET` a frame, carrying on where it stopped at the next, so
//! opening a 100,000-post blog counts it over a few hundred frames (about 3 ms each) instead
//! of stalling one, and a pause in typing costs no frame more than a millisecond or so. An
//! entry still the same shared allocation as when it was counted is unchanged without
//! hashing its text.

use super::paragraphs::ParagraphCache;
use super::words::{reading_minutes, word_count};
use crate::model::{ContentStamp, Entry, EntryId, EntryStatus, LiveBlog};
use std::collections::HashMap;
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
    /// Where the sweep under way carries on (0: none under way).
    cursor: usize,
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
            // Positions moved: a sweep under way starts again from the top.
            self.cursor = 0;
            self.sweep(blog);
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
            self.sweep(blog);
        }
        self.seen = Some(revisions);
        self.sweep_due
            .map(|since| (since + SWEEP_AFTER_PAUSE - now).max(0.0))
    }

    /// Looks at the next entries (from where the last sweep stopped) and recounts the ones
    /// that changed; the total is summed again once the sweep reaches the end.
    fn sweep(&mut self, blog: &LiveBlog) {
        if self.cursor == 0 && self.counted.len() > blog.entries.len() {
            let present: std::collections::HashSet<&EntryId> =
                blog.entries.iter().map(|entry| &entry.id).collect();
            self.counted.retain(|id, _| present.contains(id));
        }
        let mut budget = RECOUNT_BUDGET;
        let end = self
            .cursor
            .saturating_add(EXAMINE_BUDGET)
            .min(blog.entries.len());
        let mut index = self.cursor.min(end);
        while index < end && budget > 0 {
            if self.recount(&blog.entries[index], None) {
                budget -= 1;
            }
            index += 1;
        }
        if index >= blog.entries.len() {
            self.cursor = 0;
            self.complete = true;
            self.total = self
                .counted
                .values()
                .filter(|counted| counted.published)
                .map(|counted| counted.words)
                .sum();
            self.sweep_due = None;
        } else {
            // Out of budget: carry on at the next frame.
            self.cursor = index;
            self.sweep_due = Some(f64::NEG_INFINITY);
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

    #[test]
    fn a_sweep_after_a_pause_carries_on_over_frames_and_finds_a_change_at_the_end() {
        let bodies: Vec<(&str, bool)> = vec![("a b", true); EXAMINE_BUDGET * 2 + 10];
        let mut blog = blog(&bodies);
        let mut count = BlogWordCount::default();
        let mut again = count.refresh(&blog, revisions(1, 1), None, 0.0);
        while again.is_some() {
            again = count.refresh(&blog, revisions(1, 1), None, 0.0);
        }
        let before = count.total().words;
        let last = blog.entries.len() - 1;
        Arc::make_mut(&mut blog.entries[last]).body = "a b c d".into();
        // A change the editor did not type (a remote edit, an undo): seen at the pause.
        count.refresh(&blog, revisions(2, 1), None, 10.0);
        let mut frames = 1;
        let mut again = count.refresh(&blog, revisions(2, 1), None, 10.6);
        while again.is_some() {
            assert_eq!(
                count.total().words,
                before,
                "the total waits for the sweep's end"
            );
            frames += 1;
            again = count.refresh(&blog, revisions(2, 1), None, 10.6);
        }
        assert_eq!(frames, 3, "{EXAMINE_BUDGET} entries looked at a frame");
        assert_eq!(count.total().words, before + 2);
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
