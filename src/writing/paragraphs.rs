//! Long texts judged a paragraph at a time, so a keystroke in a 10,000-word body costs one
//! paragraph's work: a text without code fences splits at blank lines into paragraphs
//! that are judged alone exactly as within the whole (`prose` looks no further than a
//! line, or back to the last blank line); results are cached per paragraph by hash.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;

/// Paragraphs cached before the cache starts again.
const CACHE_LIMIT: usize = 20_000;

/// The byte ranges of `text`'s paragraphs (runs of non-blank lines), or `None` when the
/// text holds a code fence, whose reach crosses blank lines: then judge it whole.
pub fn paragraphs(text: &str) -> Option<Vec<Range<usize>>> {
    if text.contains("```") || text.contains("~~~") {
        return None;
    }
    let mut found = Vec::new();
    let mut current: Option<usize> = None;
    let mut start = 0;
    while start < text.len() {
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |newline| start + newline + 1);
        if text[start..end].trim().is_empty() {
            if let Some(from) = current.take() {
                found.push(from..start);
            }
        } else if current.is_none() {
            current = Some(start);
        }
        start = end;
    }
    if let Some(from) = current {
        found.push(from..text.len());
    }
    Some(found)
}

pub fn hash_of(text: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// Something worked out per paragraph, remembered by the paragraph's hash.
pub struct ParagraphCache<T> {
    known: HashMap<u64, T>,
}

impl<T> Default for ParagraphCache<T> {
    fn default() -> Self {
        Self {
            known: HashMap::new(),
        }
    }
}

impl<T: Clone> ParagraphCache<T> {
    /// `judge(paragraph)` for each paragraph of `text` (or for the whole text when it
    /// cannot be split), with each paragraph's byte offset; cached paragraphs are not
    /// judged again.
    pub fn each(&mut self, text: &str, mut judge: impl FnMut(&str) -> T) -> Vec<(usize, T)> {
        let Some(paragraphs) = paragraphs(text) else {
            return vec![(0, judge(text))];
        };
        if self.known.len() > CACHE_LIMIT {
            self.known.clear();
        }
        paragraphs
            .into_iter()
            .map(|range| {
                let paragraph = &text[range.clone()];
                let value = self
                    .known
                    .entry(hash_of(paragraph))
                    .or_insert_with(|| judge(paragraph))
                    .clone();
                (range.start, value)
            })
            .collect()
    }

    /// Forgets everything (what was judged depends on something that changed).
    pub fn clear(&mut self) {
        self.known.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::writing::words::{checkable_words, word_count};
    use proptest::prelude::*;

    #[test]
    fn paragraphs_are_runs_of_non_blank_lines() {
        let text = "One\ntwo\n\n  \nThree\n";
        let found: Vec<&str> = paragraphs(text)
            .unwrap()
            .into_iter()
            .map(|range| &text[range])
            .collect();
        assert_eq!(found, ["One\ntwo\n", "Three\n"]);
        assert_eq!(paragraphs("a\n\n```\nb\n\nc\n```"), None);
    }

    #[test]
    fn a_cached_paragraph_is_not_judged_again() {
        let mut cache = ParagraphCache::default();
        let mut judged = 0;
        cache.each("One\n\nTwo", |p| {
            judged += 1;
            p.len()
        });
        let values = cache.each("One\n\nTwo more", |p| {
            judged += 1;
            p.len()
        });
        assert_eq!(judged, 3);
        assert_eq!(values, [(0, 4), (5, 8)]);
    }

    fn markdown_like() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("\n".to_owned()),
                Just("\n\n".to_owned()),
                Just("    ".to_owned()),
                Just("`".to_owned()),
                Just(" ".to_owned()),
                Just("https://x.org/a ".to_owned()),
                Just("](".to_owned()),
                Just(")".to_owned()),
                Just("| -- |".to_owned()),
                Just("[1]: ".to_owned()),
                "[a-zA-Z’']{1,7}",
            ],
            0..40,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn paragraph_by_paragraph_finds_what_the_whole_text_does(text in markdown_like()) {
            let mut cache = ParagraphCache::default();
            let pieces: Vec<Range<usize>> = cache
                .each(&text, checkable_words)
                .into_iter()
                .flat_map(|(offset, words)| {
                    words.into_iter().map(move |w| w.start + offset..w.end + offset)
                })
                .collect();
            prop_assert_eq!(pieces, checkable_words(&text));
            let counted: usize = cache_count(&text);
            prop_assert_eq!(counted, word_count(&text));
        }
    }

    fn cache_count(text: &str) -> usize {
        ParagraphCache::default()
            .each(text, word_count)
            .into_iter()
            .map(|(_, count)| count)
            .sum()
    }
}
