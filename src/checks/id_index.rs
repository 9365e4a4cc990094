//! Where each id first appears in the timeline. Keyed by a hash of the id, so building
//! it for 100,000 entries clones no strings; every hit is confirmed against the entry.

use super::fast_hash::{FastBuild, FastHasher};
use crate::model::{EntryId, EntryList};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

#[derive(Debug, Default)]
pub(super) struct IdIndex {
    first: HashMap<u64, usize, FastBuild>,
    /// Ids whose hash another id already took (practically never): found by scanning.
    shared_hash: Vec<(EntryId, usize)>,
    duplicates: bool,
}

pub(super) fn id_hash(id: &EntryId) -> u64 {
    let mut hasher = FastHasher::default();
    id.hash(&mut hasher);
    hasher.finish()
}

impl IdIndex {
    pub fn build(entries: &EntryList) -> Self {
        let mut index = IdIndex {
            first: HashMap::with_capacity_and_hasher(entries.len(), FastBuild::default()),
            shared_hash: Vec::new(),
            duplicates: false,
        };
        for (at, entry) in entries.iter().enumerate() {
            let hash = id_hash(&entry.id);
            match index.first.get(&hash) {
                None => {
                    index.first.insert(hash, at);
                }
                Some(&taken) => {
                    let same_id = entries.get(taken).is_some_and(|e| e.id == entry.id);
                    let known = index.shared_hash.iter().any(|(id, _)| id == &entry.id);
                    if same_id || known {
                        index.duplicates = true;
                    } else {
                        index.shared_hash.push((entry.id.clone(), at));
                    }
                }
            }
        }
        index
    }

    /// Whether two entries share an id.
    pub fn has_duplicates(&self) -> bool {
        self.duplicates
    }

    /// The position of the first entry with `id`.
    pub fn get(&self, entries: &EntryList, id: &EntryId) -> Option<usize> {
        let at = *self.first.get(&id_hash(id))?;
        if entries.get(at).is_some_and(|entry| &entry.id == id) {
            return Some(at);
        }
        self.shared_hash
            .iter()
            .find(|(shared, _)| shared == id)
            .map(|&(_, at)| at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Entry;
    use chrono::{TimeZone, Utc};
    use std::sync::Arc;

    #[test]
    fn ids_are_found_at_their_first_place() {
        let now = Utc.with_ymd_and_hms(2025, 2, 18, 9, 0, 0).unwrap();
        let entry = |id: &str| Arc::new(Entry::new_post(EntryId::new(id).unwrap(), now));
        let entries = EntryList::from(vec![entry("a"), entry("b"), entry("a"), entry("c")]);
        let index = IdIndex::build(&entries);
        let find = |id: &str| index.get(&entries, &EntryId::new(id).unwrap());
        assert_eq!(find("a"), Some(0));
        assert_eq!(find("b"), Some(1));
        assert_eq!(find("c"), Some(3));
        assert_eq!(find("d"), None);
        assert!(index.has_duplicates());
        assert!(!IdIndex::build(&entries.skip(1)).has_duplicates());
    }
}
