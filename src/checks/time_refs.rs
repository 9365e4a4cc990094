//! Finds prose that points at another post of this blog by its time: "see our 9.32am
//! post", "as we reported at 9.32am". A clock time alone ("It's 2.30pm in the UK") is not
//! a reference, and neither is the time of something else ("Reuters' 2pm update", "the 6pm
//! briefing", "the noon deadline"): the words around the clock must say the post is ours.

use std::ops::Range;

/// A reference to a post by its clock time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct TimeRef {
    /// The words to turn into a link, "our 9.32am post", as a byte range of the body.
    pub span: Range<usize>,
    /// Minutes since local midnight: 9.32am is 572.
    pub minute_of_day: u16,
}

/// Words after the clock that make it a reference to a post.
const POST_WORDS: &[&str] = &["post", "posts", "update", "updates", "entry", "summary"];
/// Words before the clock that belong in the link text.
const LEAD_WORDS: &[&str] = &[
    "our", "the", "this", "that", "my", "an", "a", "earlier", "previous",
];
/// Lead words that make the post this blog's own ("our 9.32am post").
const OWN_LEADS: &[&str] = &["our", "my"];
/// How this blog speaks of what it published before: "as we reported at 9.32am".
const OWN_PHRASES: &[&str] = &[
    "we reported at",
    "we reported earlier at",
    "we wrote at",
    "we said at",
    "we noted at",
    "we told you at",
    "we brought you at",
    "reported here at",
];

/// References in `text`, a piece of the body starting at byte `base`.
pub(super) fn find(text: &str, base: usize) -> Vec<TimeRef> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let starts_word = at == 0 || !is_word_byte(bytes[at - 1]);
        if bytes[at].is_ascii_digit()
            && starts_word
            && let Some((clock_end, minute_of_day)) = clock_at(bytes, at)
        {
            let post_word_end = post_word_after(text, clock_end);
            let lead_start = lead_words_before(text, at);
            let owned_by_lead = post_word_end.is_some() && has_own_lead(text, lead_start, at);
            let owned_by_phrase = follows_own_phrase(&text[..at]);
            if owned_by_lead || owned_by_phrase {
                let start = if owned_by_lead { lead_start } else { at };
                let end = post_word_end.unwrap_or(clock_end);
                found.push(TimeRef {
                    span: base + start..base + end,
                    minute_of_day,
                });
                at = end;
                continue;
            }
        }
        at += 1;
    }
    found
}

fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'.' || byte == b':'
}

/// Reads "9.32am", "9:32 pm", "11am", "9.32a.m." at `at`: where it ends and its minute of day.
fn clock_at(bytes: &[u8], at: usize) -> Option<(usize, u16)> {
    let digits = |from: usize, max: usize| {
        bytes[from..]
            .iter()
            .take(max + 1)
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let number = |from: usize, len: usize| {
        bytes[from..from + len]
            .iter()
            .fold(0u16, |n, &b| n * 10 + u16::from(b - b'0'))
    };
    let hour_len = digits(at, 2);
    if hour_len == 0 || hour_len > 2 {
        return None;
    }
    let hour = number(at, hour_len);
    let mut cursor = at + hour_len;
    let mut minute = 0;
    if matches!(bytes.get(cursor), Some(b'.' | b':')) && digits(cursor + 1, 2) == 2 {
        minute = number(cursor + 1, 2);
        cursor += 3;
    }
    if bytes.get(cursor) == Some(&b' ') {
        cursor += 1;
    }
    let (is_pm, suffix_len) = meridiem(&bytes[cursor..])?;
    cursor += suffix_len;
    if bytes.get(cursor).is_some_and(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    if !(1..=12).contains(&hour) || minute > 59 {
        return None;
    }
    let hour24 = hour % 12 + if is_pm { 12 } else { 0 };
    Some((cursor, hour24 * 60 + minute))
}

/// "am", "pm", "a.m.", "p.m." in any case: whether it is pm, and its length.
fn meridiem(bytes: &[u8]) -> Option<(bool, usize)> {
    let first = bytes.first()?.to_ascii_lowercase();
    let is_pm = match first {
        b'a' => false,
        b'p' => true,
        _ => return None,
    };
    let rest = &bytes[1..];
    if rest.len() >= 3 && rest[0] == b'.' && rest[1].eq_ignore_ascii_case(&b'm') && rest[2] == b'.'
    {
        return Some((is_pm, 4));
    }
    if rest.first().is_some_and(|b| b.eq_ignore_ascii_case(&b'm')) {
        return Some((is_pm, 2));
    }
    None
}

/// After whitespace, one of the post words: where it ends.
fn post_word_after(text: &str, from: usize) -> Option<usize> {
    let rest = text.get(from..)?;
    let trimmed = rest.trim_start();
    if trimmed.len() == rest.len() {
        return None;
    }
    let word_len = trimmed.bytes().take_while(u8::is_ascii_alphabetic).count();
    let word = &trimmed[..word_len];
    POST_WORDS
        .iter()
        .any(|post| post.eq_ignore_ascii_case(word))
        .then(|| from + (rest.len() - trimmed.len()) + word_len)
}

/// Whether the lead words ("our earlier") claim the post for this blog, or the reader is
/// sent to look for it on this page ("see the 9.32am post").
fn has_own_lead(text: &str, lead_start: usize, clock_start: usize) -> bool {
    let owned = text[lead_start..clock_start]
        .split(|c: char| !c.is_ascii_alphabetic())
        .any(|word| OWN_LEADS.iter().any(|own| own.eq_ignore_ascii_case(word)));
    let word_before = text[..lead_start]
        .trim_end()
        .rsplit(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    owned || word_before.eq_ignore_ascii_case("see")
}

/// Whether `before` ends with "we reported at" or the like (case and spacing aside).
fn follows_own_phrase(before: &str) -> bool {
    let tail: String = before
        .chars()
        .rev()
        .take(40)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let words: Vec<String> = tail
        .split_whitespace()
        .map(|word| {
            word.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|word| !word.is_empty())
        .collect();
    OWN_PHRASES.iter().any(|phrase| {
        let phrase: Vec<&str> = phrase.split(' ').collect();
        words.len() >= phrase.len() && words[words.len() - phrase.len()..] == phrase[..]
    })
}

/// Extends the start back over "our", "the", "our earlier" and the like.
fn lead_words_before(text: &str, clock_start: usize) -> usize {
    let mut start = clock_start;
    for _ in 0..2 {
        let before = &text[..start];
        let trimmed = before.trim_end();
        if trimmed.len() == before.len() {
            break;
        }
        let word_start = trimmed
            .bytes()
            .rposition(|b| !b.is_ascii_alphabetic())
            .map_or(0, |position| position + 1);
        let word = &trimmed[word_start..];
        if word.is_empty()
            || !LEAD_WORDS
                .iter()
                .any(|lead| lead.eq_ignore_ascii_case(word))
        {
            break;
        }
        start = word_start;
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(&str, u16)> {
        find(text, 0)
            .into_iter()
            .map(|r| (&text[r.span], r.minute_of_day))
            .collect()
    }

    #[test]
    fn references_to_posts_by_time_are_found() {
        assert_eq!(words("see our 9.32am post."), [("our 9.32am post", 572)]);
        assert_eq!(words("See the 2.30pm update"), [("the 2.30pm update", 870)]);
        assert_eq!(
            words("As we reported at 9.32am, Peskov spoke."),
            [("9.32am", 572)]
        );
        assert_eq!(
            words("as we reported earlier at 11am post"),
            [("11am post", 660)]
        );
        assert_eq!(
            words("as in our earlier 11am post"),
            [("our earlier 11am post", 660)]
        );
        assert_eq!(
            words("our 12pm post and our 12am post"),
            [("our 12pm post", 720), ("our 12am post", 0)]
        );
        assert_eq!(
            words("our 9:05 P.M. post"),
            [("our 9:05 P.M. post", 21 * 60 + 5)]
        );
        assert_eq!(words("our 9.32am\npost"), [("our 9.32am\npost", 572)]);
    }

    #[test]
    fn clock_times_that_are_not_references_are_left_alone() {
        assert!(words("It’s 2.30pm in the UK, 5.30pm in Saudi Arabia.").is_empty());
        assert!(words("our 13.30pm post, our 9.75am post, v1.9.32am post").is_empty());
        assert!(words("the 9.32amp post, 9.32am posting").is_empty());
        assert!(words("").is_empty());
        // The times of other people's things.
        assert!(words("Reuters' 2pm update says talks go on.").is_empty());
        assert!(words("in the 2.30pm update from the agency").is_empty());
        assert!(words("ahead of the 6pm briefing and the midnight deadline").is_empty());
        assert!(words("the noon update, the 9am post from the ministry").is_empty());
        assert!(words("they reported at 9.32am that").is_empty());
        assert!(words("9").is_empty());
        assert!(words("99999999999am post").is_empty());
    }
}
