//! The incremental checker the editor keeps: each entry's body is read once per version
//! of the entry, so a recheck after one edit reads one entry, not the whole blog.
//!
//! Per recheck, every entry costs a comparison of its stamp (its `modified` time, which
//! every edit sets, its times, status and flags, and the lengths of its texts: all read
//! without following a pointer). Only when the stamp differs is the entry hashed, and only
//! when the hash differs too is it analysed again. When the timeline's ids change (an entry
//! added, removed or moved), analyses are matched to entries by id, and the id index and
//! the document's invariants are rebuilt.
//!
//! Trusting `modified` is what makes a recheck cheap at 100,000 posts; it holds for every
//! change made through the edit layer. Code that changes an entry behind its back keeping
//! its `modified` time and text lengths should call [`Checker::forget`].

use super::document::{self, Clock, OrderWalk, PostsByMinute};
use super::entry::{EntryAnalysis, Reporter, analyse};
use super::fast_hash::{FastBuild, FastHasher};
use super::id_index::IdIndex;
use super::{CheckReport, Problem};
use crate::model::{ContentStamp, Entry, EntryId, LiveBlog, Zone};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

/// Keeps the last report and what it was worked out from.
#[derive(Debug, Default)]
pub struct Checker {
    /// The zone the cached analyses were made in (they hold local clock times).
    zone: Option<Zone>,
    /// One slot per timeline entry, in timeline order as of the last check.
    slots: Vec<Slot>,
    /// Where each id first appears in the timeline.
    positions: IdIndex,
    /// Counts changes to the timeline's ids, starting at 1: resolved links older than
    /// this are resolved again.
    generation: u64,
    /// Problems from the document's invariants, and what they were worked out from.
    invariants: Vec<Problem>,
    invariants_basis: Option<InvariantsBasis>,
    invariants_generation: u64,
    report: CheckReport,
    stats: RecheckStats,
}

/// What the last check did, to show that rechecks stay incremental.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecheckStats {
    pub entries: usize,
    /// Entries whose body and fields were read and checked again.
    pub reanalysed: usize,
    /// Whether the timeline's ids had changed since the previous check.
    pub timeline_changed: bool,
}

#[derive(Debug)]
struct Slot {
    id: SlotId,
    /// `None` until analysed.
    stamp: Option<ContentStamp>,
    fingerprint: u64,
    analysis: EntryAnalysis,
    /// Where each of `analysis.post_links` points in the timeline, as of `links_generation`.
    link_targets: Vec<Option<usize>>,
    links_generation: u64,
}

impl Slot {
    fn fresh(id: &EntryId) -> Self {
        Slot {
            id: SlotId::of(id),
            stamp: None,
            fingerprint: 0,
            analysis: EntryAnalysis::default(),
            link_targets: Vec::new(),
            links_generation: 0,
        }
    }
}

/// The longest entry id (`model::EntryId` allows 64 bytes).
const MAX_ID_LEN: usize = 64;

/// An entry id kept inside the slot, so comparing a slot with its entry follows one
/// pointer, not two: the timeline's ids are compared on every recheck.
#[derive(Clone, Copy, Debug)]
struct SlotId {
    bytes: [u8; MAX_ID_LEN],
    len: u8,
}

impl SlotId {
    fn of(id: &EntryId) -> Self {
        let text = id.as_str().as_bytes();
        let len = text.len().min(MAX_ID_LEN);
        let mut bytes = [0; MAX_ID_LEN];
        bytes[..len].copy_from_slice(&text[..len]);
        // Ids are at most MAX_ID_LEN bytes; a longer one would never compare equal (and be
        // treated as a changed timeline every time) rather than be confused with another.
        let len = if text.len() > MAX_ID_LEN {
            u8::MAX
        } else {
            len as u8
        };
        SlotId { bytes, len }
    }

    fn is(&self, id: &EntryId) -> bool {
        let text = id.as_str().as_bytes();
        usize::from(self.len) == text.len() && self.bytes.get(..text.len()) == Some(text)
    }

    fn hash(&self) -> u64 {
        let len = usize::from(self.len).min(MAX_ID_LEN);
        match std::str::from_utf8(&self.bytes[..len]) {
            Ok(text) => text_hash(text),
            Err(_) => 0,
        }
    }
}

fn text_hash(text: &str) -> u64 {
    let mut hasher = FastHasher::default();
    text.hash(&mut hasher);
    hasher.finish()
}

/// The invariants depend on the ids (tracked separately), the pinned list and the coverage.
#[derive(Debug, PartialEq, Eq)]
struct InvariantsBasis {
    pinned: Vec<EntryId>,
    coverage: (DateTime<Utc>, Option<DateTime<Utc>>),
}

impl InvariantsBasis {
    fn of(blog: &LiveBlog) -> Self {
        Self {
            pinned: blog.pinned.clone(),
            coverage: (blog.settings.coverage_start, blog.settings.coverage_end),
        }
    }
}

impl Checker {
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks `blog` as of `now` and returns the report; reuses what has not changed since
    /// the last call. Call it after every change, and every minute or so besides.
    pub fn check(&mut self, blog: &LiveBlog, now: DateTime<Utc>) -> &CheckReport {
        let zone = blog.settings.time_zone.zone;
        if self.zone != Some(zone) {
            self.slots.clear();
            self.zone = Some(zone);
        }
        // One pass over the timeline, which is abandoned (rarely) when its ids turn out to
        // have changed since the last check: then slots are matched up again first.
        let mut timeline_changed = self.slots.len() != blog.entries.len();
        let mut pass = Err(Abandoned::default());
        let mut reread_before = 0;
        let mut same_before = 0;
        for _ in 0..2 {
            if timeline_changed {
                self.rematch(blog, same_before);
                self.positions = IdIndex::build(&blog.entries);
                self.generation += 1;
            }
            pass = self.walk(blog, zone, now);
            match &pass {
                Ok(_) => break,
                Err(abandoned) => {
                    reread_before += abandoned.reread;
                    same_before = abandoned.at;
                }
            }
            timeline_changed = true;
        }
        // After a rematch the ids agree, so the second walk always completes.
        let Ok(Walk {
            mut problems,
            reanalysed,
            cross_refs_after,
            published,
        }) = pass
        else {
            return &self.report;
        };
        if !cross_refs_after.is_empty() {
            problems =
                self.with_cross_references(blog, now, problems, &cross_refs_after, &published);
        }
        self.stats = RecheckStats {
            entries: blog.entries.len(),
            reanalysed: reanalysed + reread_before,
            timeline_changed,
        };
        self.report = CheckReport { problems };
        &self.report
    }

    /// Brings each slot up to date with its entry and lists the problems in order, or gives
    /// up at the first slot whose id is not its entry's (saying how many it read again).
    fn walk(&mut self, blog: &LiveBlog, zone: Zone, now: DateTime<Utc>) -> Result<Walk, Abandoned> {
        if self.slots.len() != blog.entries.len() {
            return Err(Abandoned::default());
        }
        // Ids first, in a tight loop of their own: reading 100,000 scattered ids is quicker
        // when nothing else waits between them.
        if let Some(at) = self
            .slots
            .iter()
            .zip(&blog.entries)
            .position(|(slot, entry)| !slot.id.is(&entry.id))
        {
            return Err(Abandoned { at, reread: 0 });
        }
        let basis = InvariantsBasis::of(blog);
        if self.invariants_basis.as_ref() != Some(&basis)
            || self.generation != self.invariants_generation
        {
            // The full pass over the ids runs only when something may be wrong.
            self.invariants = if document::may_violate(blog, &self.positions) {
                document::violation_problems(blog)
            } else {
                Vec::new()
            };
            self.invariants_basis = Some(basis);
            self.invariants_generation = self.generation;
        }
        // The last report's length is a good guess, and saves regrowing a large vector.
        let mut problems = Vec::with_capacity(self.report.problems.len() + 16);
        problems.extend(self.invariants.iter().cloned());
        document::settings_problems(blog, &mut problems);

        let mut pinned = vec![false; blog.entries.len()];
        for id in &blog.pinned {
            if let Some(at) = self.positions.get(&blog.entries, id)
                && let Some(flag) = pinned.get_mut(at)
            {
                *flag = true;
            }
        }
        let clock = Clock::new(now);
        let mut order = OrderWalk::new();
        let mut reanalysed = 0;
        let mut cross_refs_after = Vec::new();
        let mut published = Vec::with_capacity(blog.entries.len());
        for (index, (slot, entry)) in self.slots.iter_mut().zip(&blog.entries).enumerate() {
            let stamp = entry.content_stamp();
            if slot.stamp != Some(stamp) {
                // Touched, or new: read it again only if what the checks read has changed.
                let fingerprint = fingerprint(entry);
                if slot.stamp.is_none() || slot.fingerprint != fingerprint {
                    slot.analysis = analyse(entry, zone);
                    reanalysed += 1;
                }
                slot.stamp = Some(stamp);
                slot.fingerprint = fingerprint;
                slot.links_generation = 0;
            }
            if slot.links_generation != self.generation {
                slot.link_targets = slot
                    .analysis
                    .post_links
                    .iter()
                    .map(|link| self.positions.get(&blog.entries, &link.target))
                    .collect();
                slot.links_generation = self.generation;
            }

            let analysis = &slot.analysis;
            problems.extend(analysis.problems.iter().cloned());
            let mut report = Reporter {
                entry,
                problems: &mut problems,
            };
            document::time_problems(&mut report, blog, &clock);
            if !pinned.get(index).copied().unwrap_or(false) {
                order.step(&mut report, blog, index);
            }
            if !analysis.post_links.is_empty() || !analysis.time_refs.is_empty() {
                // Links and references to other posts are resolved once every entry has
                // been seen (and without a trip to each target); their problems go here.
                cross_refs_after.push((problems.len(), index));
            }
            published.push(entry.is_published());
        }
        Ok(Walk {
            problems,
            reanalysed,
            cross_refs_after,
            published,
        })
    }

    /// Drops everything remembered, so the next check reads every entry again.
    pub fn forget(&mut self) {
        *self = Checker::default();
    }

    pub fn report(&self) -> &CheckReport {
        &self.report
    }

    pub fn into_report(self) -> CheckReport {
        self.report
    }

    pub fn last_stats(&self) -> RecheckStats {
        self.stats
    }

    /// Lines the slots up with the new timeline, keeping each entry's analysis. The ids
    /// before and after the changed stretch are compared in place; only that stretch goes
    /// through a map, so adding a post at the top costs a pass of comparisons. The first
    /// `known_same` slots are already known to match.
    fn rematch(&mut self, blog: &LiveBlog, known_same: usize) {
        let old = std::mem::take(&mut self.slots);
        let new = &blog.entries;
        let known_same = known_same.min(old.len()).min(new.len());
        let prefix = known_same
            + old[known_same..]
                .iter()
                .zip(new.iter().skip(known_same))
                .take_while(|(slot, entry)| slot.id.is(&entry.id))
                .count();
        let suffix = old[prefix..]
            .iter()
            .rev()
            .zip(new.iter().rev().take(new.len() - prefix))
            .take_while(|(slot, entry)| slot.id.is(&entry.id))
            .count();
        let old_middle_end = old.len() - suffix;
        let mut old = old.into_iter();
        let mut slots = Vec::with_capacity(new.len());
        slots.extend(old.by_ref().take(prefix));
        // Keyed by the id's hash to avoid cloning ids; a slot is reused only for its own id.
        let mut pool: HashMap<u64, Slot, FastBuild> = old
            .by_ref()
            .take(old_middle_end - prefix)
            .map(|slot| (slot.id.hash(), slot))
            .collect();
        for entry in new.iter().skip(prefix).take(new.len() - suffix - prefix) {
            let slot = match pool.remove(&text_hash(entry.id.as_str())) {
                Some(slot) if slot.id.is(&entry.id) => slot,
                _ => Slot::fresh(&entry.id),
            };
            slots.push(slot);
        }
        slots.extend(old);
        self.slots = slots;
    }

    /// Adds the problems of links to other posts and of references to posts by time ("our
    /// 9.32am post") at their entries' places: `after` lists where each such entry's
    /// problems end. `published` says, for each timeline position, whether readers see it.
    fn with_cross_references(
        &self,
        blog: &LiveBlog,
        now: DateTime<Utc>,
        problems: Vec<Problem>,
        after: &[(usize, usize)],
        published: &[bool],
    ) -> Vec<Problem> {
        let wanted: HashSet<u16> = after
            .iter()
            .filter_map(|&(_, index)| self.slots.get(index))
            .flat_map(|slot| slot.analysis.time_refs.iter().map(|r| r.minute_of_day))
            .collect();
        let mut posts_by_minute = PostsByMinute::new();
        // Only references need every entry's clock time; most documents have none.
        let indexed = if wanted.is_empty() {
            &[][..]
        } else {
            &self.slots[..]
        };
        for (index, slot) in indexed.iter().enumerate() {
            let analysis = &slot.analysis;
            if analysis.published && wanted.contains(&analysis.minute_of_day) {
                posts_by_minute
                    .entry(analysis.minute_of_day)
                    .or_default()
                    .push(index);
            }
        }
        let mut merged = Vec::with_capacity(problems.len() + after.len());
        let mut problems = problems.into_iter();
        let mut taken = 0;
        for &(end, index) in after {
            merged.extend(problems.by_ref().take(end - taken));
            taken = end;
            if let (Some(slot), Some(entry)) = (self.slots.get(index), blog.entries.get(index)) {
                let mut report = Reporter {
                    entry,
                    problems: &mut merged,
                };
                document::link_problems(
                    &mut report,
                    &slot.analysis,
                    &slot.link_targets,
                    published,
                    blog,
                );
                document::time_ref_problems(
                    &mut report,
                    &slot.analysis.time_refs,
                    blog,
                    index,
                    &posts_by_minute,
                    now,
                );
            }
        }
        merged.extend(problems);
        merged
    }
}

/// Where a pass over the timeline met an id other than the one it remembered.
#[derive(Debug, Default)]
struct Abandoned {
    at: usize,
    reread: usize,
}

/// What one pass over the timeline found.
struct Walk {
    problems: Vec<Problem>,
    reanalysed: usize,
    /// Entries that link or refer to other posts: where their problems end, and their index.
    cross_refs_after: Vec<(usize, usize)>,
    /// Whether each entry, by timeline position, is published.
    published: Vec<bool>,
}

/// A hash of everything an entry's own checks read. The id is left out (slots are matched
/// to entries by id already), and so are `modified` and `created`: the clock checks that
/// use them run on every recheck anyway.
fn fingerprint(entry: &Entry) -> u64 {
    let mut hasher = FastHasher::default();
    entry.kind.hash(&mut hasher);
    entry.status.hash(&mut hasher);
    entry.flags.hash(&mut hasher);
    entry.display_time.hash(&mut hasher);
    entry.headline.hash(&mut hasher);
    entry.bylines.hash(&mut hasher);
    entry.body.hash(&mut hasher);
    entry.media.hash(&mut hasher);
    hasher.finish()
}
#[cfg(test)]
mod tests {
    use super::fingerprint;
    use crate::model::{Byline, Entry, EntryId, EntryKind, EntryStatus, Media};
    use chrono::{Duration, TimeZone, Utc};

    #[test]
    fn every_field_the_checks_read_changes_the_fingerprint() {
        let now = Utc.with_ymd_and_hms(2025, 2, 18, 9, 32, 0).unwrap();
        let mut entry = Entry::new_post(EntryId::new("post-0932").unwrap(), now);
        entry.body = "Kremlin spokesperson Dmitry Peskov says Putin is ready to talk.".into();
        let changes: Vec<fn(&mut Entry)> = vec![
            |e| e.status = EntryStatus::Published,
            |e| e.kind = EntryKind::Summary,
            |e| e.flags.key_event = true,
            |e| e.flags.breaking = true,
            |e| e.display_time += Duration::minutes(1),
            |e| e.headline.push('x'),
            |e| e.body.push('x'),
            |e| e.body = e.body.replace("Putin", "Pútin"),
            |e| e.bylines.push(Byline::default()),
            |e| {
                e.media = Some(Media::Video {
                    url: String::new(),
                    caption: String::new(),
                })
            },
        ];
        let original = fingerprint(&entry);
        for (index, change) in changes.into_iter().enumerate() {
            let mut changed = entry.clone();
            change(&mut changed);
            assert_ne!(fingerprint(&changed), original, "change {index} unnoticed");
        }
        let mut touched = entry.clone();
        touched.modified += Duration::minutes(5);
        assert_eq!(fingerprint(&touched), original);
    }
}
