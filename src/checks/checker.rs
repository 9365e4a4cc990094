//! The incremental checker the editor keeps: each entry's body is read once per version
//! of the entry, so a recheck after one edit reads one entry, not the whole blog.
//!
//! Per recheck, every entry costs a fingerprint (a hash of the fields its checks read)
//! and a few comparisons; only entries whose fingerprint changed are analysed again.
//! When the timeline's ids change (an entry added, removed or moved), analyses are
//! matched to entries by id, and the id index and the document's invariants are rebuilt.

use super::document::{self, OrderWalk, PostsByMinute};
use super::entry::{EntryAnalysis, Reporter, analyse};
use super::fast_hash::{FastBuild, FastHasher};
use super::id_index::{IdIndex, id_hash};
use super::{CheckReport, Problem};
use crate::model::{Entry, EntryId, LiveBlog, Zone};
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
    /// Problems from the document's invariants, and what they were worked out from.
    invariants: Vec<Problem>,
    invariants_basis: Option<InvariantsBasis>,
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
    id: EntryId,
    /// `None` until analysed.
    fingerprint: Option<u64>,
    analysis: EntryAnalysis,
}

impl Slot {
    fn fresh(id: EntryId) -> Self {
        Slot {
            id,
            fingerprint: None,
            analysis: EntryAnalysis::default(),
        }
    }
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
            coverage: (blog.coverage_start, blog.coverage_end),
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
        let zone = blog.time_zone.zone;
        if self.zone != Some(zone) {
            self.slots.clear();
            self.zone = Some(zone);
        }
        let timeline_changed = self.slots.len() != blog.entries.len()
            || self
                .slots
                .iter()
                .zip(&blog.entries)
                .any(|(slot, entry)| slot.id != entry.id);
        if timeline_changed {
            self.rematch(blog);
            self.positions = IdIndex::build(&blog.entries);
        }
        let basis = InvariantsBasis::of(blog);
        if timeline_changed || self.invariants_basis.as_ref() != Some(&basis) {
            self.invariants = document::violation_problems(blog);
            self.invariants_basis = Some(basis);
        }

        let mut reanalysed = 0;
        let mut wanted_minutes: HashSet<u16> = HashSet::new();
        for (slot, entry) in self.slots.iter_mut().zip(&blog.entries) {
            let fingerprint = fingerprint(entry);
            if slot.fingerprint != Some(fingerprint) {
                slot.analysis = analyse(entry, zone);
                slot.fingerprint = Some(fingerprint);
                reanalysed += 1;
            }
            wanted_minutes.extend(slot.analysis.time_refs.iter().map(|r| r.minute_of_day));
        }
        self.stats = RecheckStats {
            entries: blog.entries.len(),
            reanalysed,
            timeline_changed,
        };
        self.report = CheckReport {
            problems: self.assemble(blog, now, &wanted_minutes),
        };
        &self.report
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
    /// through a map, so adding a post at the top costs a pass of comparisons.
    fn rematch(&mut self, blog: &LiveBlog) {
        let old = std::mem::take(&mut self.slots);
        let new = &blog.entries;
        let prefix = old
            .iter()
            .zip(new)
            .take_while(|(slot, entry)| slot.id == entry.id)
            .count();
        let suffix = old[prefix..]
            .iter()
            .rev()
            .zip(new[prefix..].iter().rev())
            .take_while(|(slot, entry)| slot.id == entry.id)
            .count();
        let old_middle_end = old.len() - suffix;
        let mut old = old.into_iter();
        let mut slots = Vec::with_capacity(new.len());
        slots.extend(old.by_ref().take(prefix));
        // Keyed by the id's hash to avoid cloning ids; a slot is reused only for its own id.
        let mut pool: HashMap<u64, Slot, FastBuild> = old
            .by_ref()
            .take(old_middle_end - prefix)
            .map(|slot| (id_hash(&slot.id), slot))
            .collect();
        for entry in &new[prefix..new.len() - suffix] {
            let slot = match pool.remove(&id_hash(&entry.id)) {
                Some(slot) if slot.id == entry.id => slot,
                _ => Slot::fresh(entry.id.clone()),
            };
            slots.push(slot);
        }
        slots.extend(old);
        self.slots = slots;
    }

    /// The report in order: blog-wide problems, then each entry's in timeline order.
    fn assemble(
        &self,
        blog: &LiveBlog,
        now: DateTime<Utc>,
        wanted_minutes: &HashSet<u16>,
    ) -> Vec<Problem> {
        // The last report's length is a good guess, and saves regrowing a large vector.
        let mut problems = Vec::with_capacity(self.report.problems.len() + 16);
        problems.extend(self.invariants.iter().cloned());
        document::settings_problems(blog, &mut problems);

        let mut posts_by_minute = PostsByMinute::new();
        if !wanted_minutes.is_empty() {
            for (index, (slot, entry)) in self.slots.iter().zip(&blog.entries).enumerate() {
                if entry.is_published() && wanted_minutes.contains(&slot.analysis.minute_of_day) {
                    posts_by_minute
                        .entry(slot.analysis.minute_of_day)
                        .or_default()
                        .push(index);
                }
            }
        }
        let mut pinned = vec![false; blog.entries.len()];
        for id in &blog.pinned {
            if let Some(at) = self.positions.get(&blog.entries, id)
                && let Some(flag) = pinned.get_mut(at)
            {
                *flag = true;
            }
        }
        let mut order = OrderWalk::new();
        for (index, (slot, entry)) in self.slots.iter().zip(&blog.entries).enumerate() {
            let analysis = &slot.analysis;
            problems.extend(analysis.problems.iter().cloned());
            let mut report = Reporter {
                entry,
                problems: &mut problems,
            };
            document::time_problems(&mut report, blog, now);
            if !pinned.get(index).copied().unwrap_or(false) {
                order.step(&mut report, blog, index);
            }
            if !analysis.post_links.is_empty() {
                document::link_problems(&mut report, analysis, blog, &self.positions);
            }
            if !analysis.time_refs.is_empty() {
                document::time_ref_problems(
                    &mut report,
                    &analysis.time_refs,
                    blog,
                    index,
                    &posts_by_minute,
                    now,
                );
            }
        }
        problems
    }
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
