//! Spellchecking a field: which words a dictionary rejects, and what it suggests instead.
//!
//! Fast enough to run on every keystroke of a 10,000-word post: each distinct word is
//! judged by the dictionary once (`verdicts`), each paragraph once (`paragraphs`: a
//! keystroke rechecks only its own), and each whole text once (`texts`, by hash), so
//! redrawing an unchanged field costs one hash of its text.

use super::dictionaries::Language;
use super::paragraphs::{ParagraphCache, hash_of};
use super::words::{checkable_words, strip_possessive};
use spellbook::Dictionary;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

/// Suggestions offered for one word, at most.
pub const SUGGESTION_LIMIT: usize = 6;
/// Cached verdicts and texts kept before the caches start again.
const CACHE_LIMIT: usize = 50_000;
const TEXT_CACHE_LIMIT: usize = 64;

/// The misspelt words of a text, as byte ranges in order.
pub type Misspellings = Arc<[Range<usize>]>;

pub struct SpellChecker {
    language: Language,
    dictionary: Arc<Dictionary>,
    /// The user's own words ("Add to dictionary"), kept in their preferences.
    personal: HashSet<String>,
    /// Words ignored until the editor closes.
    ignored: HashSet<String>,
    verdicts: HashMap<String, bool>,
    /// Each paragraph's misspellings, relative to the paragraph.
    paragraphs: ParagraphCache<Misspellings>,
    texts: HashMap<u64, Misspellings>,
}

impl SpellChecker {
    pub fn new(language: Language, dictionary: Arc<Dictionary>) -> Self {
        Self {
            language,
            dictionary,
            personal: HashSet::new(),
            ignored: HashSet::new(),
            verdicts: HashMap::new(),
            paragraphs: ParagraphCache::default(),
            texts: HashMap::new(),
        }
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// The user's own words, replacing those given before.
    pub fn set_personal_words<'a>(&mut self, words: impl IntoIterator<Item = &'a String>) {
        let personal: HashSet<String> = words.into_iter().map(|word| normalise(word)).collect();
        if personal != self.personal {
            self.personal = personal;
            self.forget_texts();
        }
    }

    /// Accepts `word` until the editor closes.
    pub fn ignore(&mut self, word: &str) {
        if self.ignored.insert(normalise(word)) {
            self.forget_texts();
        }
    }

    fn forget_texts(&mut self) {
        self.texts.clear();
        self.paragraphs.clear();
    }

    /// Whether `word` (one word, as `checkable_words` finds them) is spelt right.
    pub fn is_correct(&mut self, word: &str) -> bool {
        if accepts(&self.personal, word) || accepts(&self.ignored, word) {
            return true;
        }
        let normalised = normalise(word);
        if let Some(&verdict) = self.verdicts.get(&normalised) {
            return verdict;
        }
        let verdict = self.dictionary.check(&normalised);
        if self.verdicts.len() >= CACHE_LIMIT {
            self.verdicts.clear();
        }
        self.verdicts.insert(normalised, verdict);
        verdict
    }

    /// The misspelt words of `text`.
    pub fn misspellings(&mut self, text: &str) -> Misspellings {
        let key = hash_of(text);
        if let Some(found) = self.texts.get(&key) {
            return Arc::clone(found);
        }
        let mut paragraphs = std::mem::take(&mut self.paragraphs);
        let found: Misspellings = paragraphs
            .each(text, |paragraph| {
                checkable_words(paragraph)
                    .into_iter()
                    .filter(|range| !self.is_correct(&paragraph[range.clone()]))
                    .collect()
            })
            .into_iter()
            .flat_map(|(offset, ranges)| {
                ranges
                    .iter()
                    .map(|range| range.start + offset..range.end + offset)
                    .collect::<Vec<_>>()
            })
            .collect();
        self.paragraphs = paragraphs;
        if self.texts.len() >= TEXT_CACHE_LIMIT {
            self.texts.clear();
        }
        self.texts.insert(key, Arc::clone(&found));
        found
    }

    /// What the dictionary offers instead of `word`, best first, written with the same
    /// apostrophe as the word.
    pub fn suggestions(&self, word: &str) -> Vec<String> {
        let mut found = Vec::new();
        self.dictionary.suggest(&normalise(word), &mut found);
        found.truncate(SUGGESTION_LIMIT);
        if word.contains('’') {
            for suggestion in &mut found {
                *suggestion = suggestion.replace('\'', "’");
            }
        }
        found
    }
}

/// Dictionaries spell the apostrophe straight.
fn normalise(word: &str) -> String {
    word.replace('’', "'")
}

/// A word list accepts a word as listed, in lower case (a listed "kyiv" accepts "Kyiv"),
/// and with "’s" after it.
fn accepts(list: &HashSet<String>, word: &str) -> bool {
    if list.is_empty() {
        return false;
    }
    let word = normalise(word);
    let stem = strip_possessive(&word);
    [word.as_str(), stem]
        .iter()
        .any(|candidate| list.contains(*candidate) || list.contains(&candidate.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::writing::dictionaries::load;

    fn british() -> SpellChecker {
        let dictionary = load(Language::BritishEnglish).expect("the bundled dictionary builds");
        SpellChecker::new(Language::BritishEnglish, dictionary)
    }

    fn misspelt(checker: &mut SpellChecker, text: &str) -> Vec<String> {
        checker
            .misspellings(text)
            .iter()
            .map(|range| text[range.clone()].to_owned())
            .collect()
    }

    #[test]
    fn misspelt_words_are_found_and_everything_else_passes() {
        let mut checker = british();
        let text = "We’ve heard the Kremlin’s spokesperon say the talks were usefull. \
                    NATO’s chief, at 14:47, on https://news.sky.com/storry.";
        assert_eq!(misspelt(&mut checker, text), ["spokesperon", "usefull"]);
    }

    #[test]
    fn personal_and_ignored_words_are_accepted_with_their_possessive() {
        let mut checker = british();
        let text = "Zelenskyy’s aides met Peskov";
        assert_eq!(misspelt(&mut checker, text), ["Zelenskyy’s", "Peskov"]);
        checker.set_personal_words(&["Zelenskyy".to_owned()]);
        checker.ignore("peskov");
        assert!(misspelt(&mut checker, text).is_empty());
    }

    #[test]
    fn suggestions_keep_the_curly_apostrophe() {
        let checker = british();
        assert!(
            checker
                .suggestions("usefull")
                .contains(&"useful".to_owned())
        );
        let suggestions = checker.suggestions("Russias’s");
        assert!(
            suggestions.iter().all(|s| !s.contains('\'')),
            "{suggestions:?}"
        );
    }
}
