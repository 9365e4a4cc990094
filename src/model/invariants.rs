//! The document's invariants, checked in one place.

use super::{EntryId, LiveBlog};
use std::collections::HashSet;

/// A broken invariant: the document cannot be trusted as it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Violation {
    #[error("two entries share the id \"{0}\"")]
    DuplicateId(EntryId),
    #[error("the pinned list names \"{0}\", which is not an entry")]
    PinnedMissing(EntryId),
    #[error("the pinned list names \"{0}\" twice")]
    PinnedTwice(EntryId),
    #[error("the coverage ends before it starts")]
    CoverageEndsBeforeStart,
}

impl LiveBlog {
    /// Every broken invariant, in document order. Empty means the document is sound.
    pub fn violations(&self) -> Vec<Violation> {
        let mut violations = Vec::new();
        let mut ids = HashSet::with_capacity(self.entries.len());
        for entry in &self.entries {
            if !ids.insert(&entry.id) {
                violations.push(Violation::DuplicateId(entry.id.clone()));
            }
        }
        let mut pinned = HashSet::with_capacity(self.pinned.len());
        for id in &self.pinned {
            if !ids.contains(id) {
                violations.push(Violation::PinnedMissing(id.clone()));
            }
            if !pinned.insert(id) {
                violations.push(Violation::PinnedTwice(id.clone()));
            }
        }
        if let Some(end) = self.settings.coverage_end
            && end < self.settings.coverage_start
        {
            violations.push(Violation::CoverageEndsBeforeStart);
        }
        violations
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Entry;
    use chrono::{TimeZone, Utc};

    fn id(text: &str) -> EntryId {
        EntryId::new(text).unwrap()
    }

    #[test]
    fn sound_document_has_no_violations_and_broken_ones_are_named() {
        let now = Utc.with_ymd_and_hms(2025, 2, 18, 9, 0, 0).unwrap();
        let mut blog = LiveBlog::new("Ukraine", now);
        blog.push_entry(Entry::new_post(id("a"), now));
        blog.push_entry(Entry::new_post(id("b"), now));
        blog.pinned.push(id("a"));
        assert!(blog.violations().is_empty());

        blog.push_entry(Entry::new_post(id("a"), now));
        blog.pinned.push(id("zzz"));
        blog.pinned.push(id("b"));
        blog.pinned.push(id("b"));
        assert_eq!(
            blog.violations(),
            vec![
                Violation::DuplicateId(id("a")),
                Violation::PinnedMissing(id("zzz")),
                Violation::PinnedTwice(id("b")),
            ]
        );
    }
}
