//! The words of a field: the ones worth spellchecking, and how many a reader reads.
//!
//! Only prose counts (`prose::protected_ranges`): code, URLs and link targets are neither
//! checked nor counted. Of the prose, these are never spelling mistakes: @handles and
//! #hashtags, e-mail addresses and domains (`bbc.co.uk`), numbers and words with digits
//! (`14:47`, `F-35`, `2pm`), all-caps acronyms (`NATO`, `NATO’s`) and single letters.
//! Both apostrophes, ' and ’, belong to a word ("we’ve", "Zelenskyy’s").

use super::prose::protected_ranges;
use std::ops::Range;

/// Byte ranges of the words in `text` that a dictionary should judge.
pub fn checkable_words(text: &str) -> Vec<Range<usize>> {
    let mut words = Vec::new();
    for_each_prose_chunk(text, |start, chunk| {
        checkable_in_chunk(start, chunk, &mut words)
    });
    words
}

/// Words a reader reads: runs of non-space characters holding a letter or digit, in prose.
pub fn word_count(text: &str) -> usize {
    let mut count = 0;
    for_each_prose_chunk(text, |_, chunk| {
        if chunk.chars().any(char::is_alphanumeric) {
            count += 1;
        }
    });
    count
}

/// Calls `visit(start, chunk)` for each whitespace-separated chunk of the prose of `text`;
/// a protected span (a URL, a link target) ends a chunk like a space would.
fn for_each_prose_chunk(text: &str, mut visit: impl FnMut(usize, &str)) {
    let protected = protected_ranges(text);
    let mut prose_start = 0;
    for range in protected
        .iter()
        .cloned()
        .chain(std::iter::once(text.len()..text.len()))
    {
        let prose = &text[prose_start..range.start];
        let mut chunk_start = None;
        for (offset, c) in prose.char_indices() {
            match (c.is_whitespace(), chunk_start) {
                (true, Some(start)) => {
                    visit(prose_start + start, &prose[start..offset]);
                    chunk_start = None;
                }
                (false, None) => chunk_start = Some(offset),
                _ => {}
            }
        }
        if let Some(start) = chunk_start {
            visit(prose_start + start, &prose[start..]);
        }
        prose_start = range.end;
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

fn checkable_in_chunk(start: usize, chunk: &str, out: &mut Vec<Range<usize>>) {
    let bare = chunk.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '@' && c != '#');
    if bare.starts_with(['@', '#']) || chunk.contains('@') {
        return;
    }
    // Letters joined by dots are a domain or an abbreviation (bbc.co.uk, e.g.).
    let chars: Vec<char> = chunk.chars().collect();
    let dotted = chars
        .windows(3)
        .any(|w| w[0].is_alphanumeric() && w[1] == '.' && w[2].is_alphanumeric());
    if dotted || chunk.contains('_') {
        return;
    }
    // Words are runs of letters, digits and inner apostrophes; hyphens and slashes part them.
    let mut word_start: Option<usize> = None;
    let end_of_word = |from: usize, to: usize, out: &mut Vec<Range<usize>>| {
        let word = &chunk[from..to];
        let trimmed_start = word.len() - word.trim_start_matches(is_apostrophe).len();
        let trimmed = word.trim_matches(is_apostrophe);
        if is_checkable(trimmed) {
            let begin = start + from + trimmed_start;
            out.push(begin..begin + trimmed.len());
        }
    };
    for (offset, c) in chunk.char_indices() {
        let in_word = c.is_alphanumeric() || is_apostrophe(c);
        match (in_word, word_start) {
            (true, None) => word_start = Some(offset),
            (false, Some(from)) => {
                end_of_word(from, offset, out);
                word_start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = word_start {
        end_of_word(from, chunk.len(), out);
    }
}

fn is_checkable(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 2 || word.chars().any(|c| c.is_numeric()) {
        return false;
    }
    // NATO, NATO’s, MPs: an acronym, whatever follows it.
    let stem = strip_possessive(word);
    let stem = stem.strip_suffix('s').unwrap_or(stem);
    let acronym = stem.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && stem
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
    !acronym
}

/// "Zelenskyy’s" → "Zelenskyy"; other words as they are.
pub fn strip_possessive(word: &str) -> &str {
    ["’s", "'s", "’S", "'S"]
        .iter()
        .find_map(|suffix| word.strip_suffix(suffix))
        .filter(|stem| !stem.is_empty())
        .unwrap_or(word)
}

/// Minutes a reader takes for `words`, at the 230 words a minute news readers manage;
/// at least one minute for any text at all.
pub fn reading_minutes(words: usize) -> usize {
    const WORDS_PER_MINUTE: usize = 230;
    words.div_ceil(WORDS_PER_MINUTE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn checkable(text: &str) -> Vec<&str> {
        checkable_words(text)
            .into_iter()
            .map(|range| &text[range])
            .collect()
    }

    #[test]
    fn prose_words_are_checked_with_their_apostrophes() {
        assert_eq!(
            checkable("We’ve heard Zelenskyy’s “no” -- well-known, and/or 'quoted'."),
            [
                "We’ve",
                "heard",
                "Zelenskyy’s",
                "no",
                "well",
                "known",
                "and",
                "or",
                "quoted"
            ]
        );
    }

    #[test]
    fn handles_numbers_acronyms_domains_and_markdown_are_not_checked() {
        assert_eq!(
            checkable(
                "@SkyNews #Ukraine NATO’s MPs 14:47 2pm F35 a bbc.co.uk e.g. x@y.org snake_case \
                 **bold** [link](https://xqzt.org) `codde` <b>"
            ),
            ["bold", "link"]
        );
    }

    #[test]
    fn word_count_skips_punctuation_urls_and_markup() {
        assert_eq!(word_count(""), 0);
        assert_eq!(word_count("It’s 2.30pm in the UK – 5.30pm in Riyadh…"), 8);
        assert_eq!(
            word_count("> See [the post](#e-1) and https://x.org/a b"),
            5
        );
    }

    #[test]
    fn reading_time_rounds_up() {
        assert_eq!(reading_minutes(0), 0);
        assert_eq!(reading_minutes(1), 1);
        assert_eq!(reading_minutes(230), 1);
        assert_eq!(reading_minutes(231), 2);
    }

    proptest! {
        #[test]
        fn checkable_words_are_inside_the_text_and_in_order(text in "[a-zA-Z’' .@#`()\\[\\]\n0-9-]{0,80}") {
            let words = checkable_words(&text);
            let mut last_end = 0;
            for range in words {
                prop_assert!(range.start >= last_end && range.end <= text.len());
                prop_assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
                last_end = range.end;
            }
        }
    }
}
