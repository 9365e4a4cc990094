//! The house's typography as you type: straight quotes become curly ones (“ ” ‘ ’, the
//! apostrophe ’), a double hyphen between words the spaced en dash UK newsrooms use
//! ("talks -- and" → "talks – and"), and three dots the ellipsis (…). Never inside code,
//! URLs, link targets or HTML (`prose::protected_ranges`).
//!
//! Each rule has a trigger: the character whose typing completes it (the quote, the
//! third dot, the character after the two hyphens). `smarten_typed` applies only the
//! rules triggered by what was just typed or pasted, so text that was already there is
//! never rewritten behind the cursor; `smarten` applies them all.

use super::paragraphs::paragraphs;
use super::prose::{is_protected, protected_ranges};
use std::ops::Range;

pub const EN_DASH: char = '–';
pub const ELLIPSIS: char = '…';

/// One replacement: `range` of the text becomes `with`; `trigger` is the byte index of
/// the character that completed the pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Replacement {
    range: Range<usize>,
    with: char,
    trigger: usize,
}

/// Every straight quote, double hyphen and "..." in the prose of `text`, made typographic.
pub fn smarten(text: &str) -> String {
    apply(text, &replacements(text))
}

/// A field's text after a change, with the cursor (a char index) where it belongs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Smartened {
    pub text: String,
    pub cursor: usize,
}

/// What the typing that turned `before` into `after` should become: the rules triggered
/// inside the inserted text applied, and `cursor` (a char index into `after`) moved back
/// by what they shortened before it. `None` when nothing changes (deletions included).
pub fn smarten_typed(before: &str, after: &str, cursor: usize) -> Option<Smartened> {
    let cursor_byte = after
        .char_indices()
        .nth(cursor)
        .map_or(after.len(), |(index, _)| index);
    let inserted = inserted_range(before, after, cursor_byte)?;
    // Only the paragraphs the typing touched are looked at: a keystroke in a long body
    // stays cheap, and paragraphs are judged alone exactly as within the whole.
    let window = match paragraphs(after) {
        Some(found) => {
            let touched: Vec<&Range<usize>> = found
                .iter()
                .filter(|paragraph| {
                    paragraph.start <= inserted.end && paragraph.end >= inserted.start
                })
                .collect();
            match (touched.first(), touched.last()) {
                (Some(first), Some(last)) => first.start..last.end,
                _ => return None,
            }
        }
        None => 0..after.len(),
    };
    let chosen: Vec<Replacement> = replacements(&after[window.clone()])
        .into_iter()
        .map(|replacement| Replacement {
            range: replacement.range.start + window.start..replacement.range.end + window.start,
            trigger: replacement.trigger + window.start,
            with: replacement.with,
        })
        .filter(|replacement| inserted.contains(&replacement.trigger))
        .collect();
    if chosen.is_empty() {
        return None;
    }
    let removed_before_cursor: usize = chosen
        .iter()
        .filter(|replacement| replacement.range.end <= cursor_byte)
        .map(|replacement| after[replacement.range.clone()].chars().count() - 1)
        .sum();
    Some(Smartened {
        text: apply(after, &chosen),
        cursor: cursor.saturating_sub(removed_before_cursor),
    })
}

/// The bytes of `after` that are new. Typing inserts just before the cursor (which tells
/// where a dot went in a run of dots); otherwise (typing over a selection) it is what lies
/// between the common start and end.
fn inserted_range(before: &str, after: &str, cursor_byte: usize) -> Option<Range<usize>> {
    let grown = after.len().saturating_sub(before.len());
    if grown > 0 && cursor_byte >= grown {
        let start = cursor_byte - grown;
        if after.is_char_boundary(start)
            && before.is_char_boundary(start)
            && after[..start] == before[..start]
            && after[cursor_byte..] == before[start..]
        {
            return Some(start..cursor_byte);
        }
    }
    let prefix: usize = before
        .chars()
        .zip(after.chars())
        .take_while(|(a, b)| a == b)
        .map(|(c, _)| c.len_utf8())
        .sum();
    let suffix: usize = before[prefix..]
        .chars()
        .rev()
        .zip(after[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(c, _)| c.len_utf8())
        .sum();
    let end = after.len() - suffix;
    (end > prefix).then_some(prefix..end)
}

fn apply(text: &str, replacements: &[Replacement]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for replacement in replacements {
        out.push_str(&text[at..replacement.range.start]);
        out.push(replacement.with);
        at = replacement.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Every rule's match in the prose of `text`, in order, not overlapping.
fn replacements(text: &str) -> Vec<Replacement> {
    if !text.contains(['"', '\'', '-', '.']) {
        return Vec::new();
    }
    let protected = protected_ranges(text);
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if !matches!(byte, b'"' | b'\'' | b'-' | b'.') || is_protected(&protected, at) {
            at += 1;
            continue;
        }
        let run = bytes[at..].iter().take_while(|&&b| b == byte).count();
        match byte {
            b'"' | b'\'' => {
                let opening = opens_quote(text, at);
                let with = match (byte, opening) {
                    (b'"', true) => '“',
                    (b'"', false) => '”',
                    (_, true) => '‘',
                    (_, false) => '’',
                };
                found.push(Replacement {
                    range: at..at + 1,
                    with,
                    trigger: at,
                });
                at += 1;
            }
            b'-' if run == 2 => {
                let end = at + 2;
                if dash_neighbour(text[..at].chars().next_back())
                    && dash_neighbour(text[end..].chars().next())
                    && !is_protected(&protected, end)
                {
                    found.push(Replacement {
                        range: at..end,
                        with: EN_DASH,
                        trigger: end,
                    });
                }
                at = end;
            }
            b'.' if run == 3 => {
                found.push(Replacement {
                    range: at..at + 3,
                    with: ELLIPSIS,
                    trigger: at + 2,
                });
                at += 3;
            }
            _ => at += run,
        }
    }
    found
}

/// A double hyphen is a dash only between words or spaces: not at a line's start (a
/// Setext heading, a list), nor in `<!--`, `-->` or `a--->b`.
fn dash_neighbour(neighbour: Option<char>) -> bool {
    neighbour.is_some_and(|c| c == ' ' || c.is_alphanumeric())
}

/// Whether a quote at byte `at` opens: at the start, after a space, an opening bracket or
/// dash, or an opening quote, looking through Markdown emphasis marks (`*"Yes"*`).
fn opens_quote(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end_matches(['*', '_', '~']);
    let emphasis_run = at - before.len();
    match before.chars().next_back() {
        None => true,
        Some(previous) => {
            // An emphasis mark right after a word closes it: `*word*"` closes the quote.
            let marks_close_a_word = emphasis_run > 0 && previous.is_alphanumeric();
            !marks_close_a_word
                && (previous.is_whitespace()
                    || matches!(
                        previous,
                        '(' | '[' | '{' | '<' | '>' | '—' | '–' | '-' | '/' | '“' | '‘'
                    ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quotes_apostrophes_dashes_and_ellipses_become_typographic() {
        assert_eq!(
            smarten(r#"He said "we're ready" -- and 'soon'... Zelensky's aides"#),
            "He said “we’re ready” – and ‘soon’… Zelensky’s aides"
        );
    }

    #[test]
    fn quotes_open_after_brackets_dashes_and_emphasis() {
        assert_eq!(smarten(r#"("a") *"b"* > "c""#), "(“a”) *“b”* > “c”");
        assert_eq!(smarten("a – 'b'"), "a – ‘b’");
    }

    #[test]
    fn markdown_rules_comments_and_long_runs_keep_their_hyphens_and_dots() {
        for text in [
            "---",
            "Title\n--",
            "<!-- note -->",
            "a --- b",
            "wait....",
            "--a",
        ] {
            assert_eq!(smarten(text), text);
        }
        assert_eq!(smarten("2--3"), "2–3");
    }

    #[test]
    fn code_urls_and_link_targets_are_untouched() {
        let text =
            r#"Say "hi" `it's "code"` https://x.org/a--b?q="1"&s=2 [a](#e "t") <a href="x">"#;
        assert_eq!(
            smarten(text),
            r#"Say “hi” `it's "code"` https://x.org/a--b?q="1"&s=2 [a](#e "t") <a href="x">"#
        );
    }

    #[test]
    fn typing_a_quote_curls_only_that_quote() {
        // The text already held a straight quote (pasted long ago): it stays.
        let typed = smarten_typed("x\" We", "x\" We'", 6).expect("the apostrophe curls");
        assert_eq!(
            typed,
            Smartened {
                text: "x\" We’".into(),
                cursor: 6
            }
        );
    }

    #[test]
    fn a_double_hyphen_becomes_a_dash_when_the_next_character_is_typed() {
        assert_eq!(smarten_typed("talks -", "talks --", 8), None);
        let typed = smarten_typed("talks --", "talks -- ", 9).expect("the dash appears");
        assert_eq!(typed.text, "talks – ");
        assert_eq!(typed.cursor, 8);
    }

    #[test]
    fn the_third_dot_makes_an_ellipsis_and_the_cursor_follows() {
        let typed = smarten_typed("Wait.. then", "Wait... then", 7).expect("an ellipsis");
        assert_eq!(
            typed,
            Smartened {
                text: "Wait… then".into(),
                cursor: 5
            }
        );
    }

    #[test]
    fn deleting_changes_nothing() {
        assert_eq!(smarten_typed("a \"b", "a \"", 3), None);
        assert_eq!(smarten_typed("same", "same", 4), None);
    }

    #[test]
    fn pasted_text_is_smartened_around_the_cursor() {
        let typed = smarten_typed("ab", "a \"x\" ... yb", 11).expect("pasted");
        assert_eq!(typed.text, "a “x” … yb");
        assert_eq!(typed.cursor, 9);
    }

    fn prose_like() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("\"".to_owned()),
                Just("'".to_owned()),
                Just("-".to_owned()),
                Just(".".to_owned()),
                Just(" ".to_owned()),
                Just("\n".to_owned()),
                Just("\n\n".to_owned()),
                Just("    ".to_owned()),
                Just("`".to_owned()),
                Just("https://x.org/".to_owned()),
                Just("](".to_owned()),
                Just(")".to_owned()),
                Just("<b>".to_owned()),
                Just("*".to_owned()),
                Just("’".to_owned()),
                "[a-zA-Zé0-9]{1,6}",
            ],
            0..40,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn smartening_twice_changes_nothing_more(text in prose_like()) {
            let once = smarten(&text);
            prop_assert_eq!(smarten(&once), once);
        }

        #[test]
        fn protected_text_is_never_changed(text in prose_like()) {
            let smartened = smarten(&text);
            // Every replacement lies in prose, so the protected parts survive in order.
            for range in protected_ranges(&text) {
                prop_assert!(smartened.contains(&text[range]));
            }
        }

        #[test]
        fn looking_at_the_typed_paragraph_only_changes_what_the_whole_text_would(
            text in prose_like(),
            split in 0usize..60,
            typed in prop_oneof![Just('"'), Just('\''), Just('.'), Just(' ')],
        ) {
            let mut chars: Vec<char> = text.chars().collect();
            let split = split.min(chars.len());
            chars.insert(split, typed);
            let after: String = chars.iter().collect();
            let at = after.char_indices().nth(split).map_or(after.len(), |(i, _)| i);
            // The whole text's replacements triggered by the typed character.
            let whole: Vec<Replacement> = replacements(&after)
                .into_iter()
                .filter(|replacement| replacement.trigger == at)
                .collect();
            let expected = (!whole.is_empty()).then(|| apply(&after, &whole));
            let typed = smarten_typed(&text, &after, split + 1).map(|result| result.text);
            prop_assert_eq!(typed, expected);
        }

        #[test]
        fn typing_one_character_keeps_the_cursor_after_it(
            text in prose_like(),
            split in 0usize..60,
            typed in prop_oneof![Just('"'), Just('\''), Just('.'), Just('-'), Just(' '), Just('a')],
        ) {
            let chars: Vec<char> = text.chars().collect();
            let split = split.min(chars.len());
            let before: String = chars.iter().collect();
            let mut after_chars = chars.clone();
            after_chars.insert(split, typed);
            let after: String = after_chars.iter().collect();
            if let Some(result) = smarten_typed(&before, &after, split + 1) {
                // What follows the cursor is exactly what followed the insertion.
                let tail: String = result.text.chars().skip(result.cursor).collect();
                let expected_tail: String = chars[split..].iter().collect();
                prop_assert_eq!(tail, expected_tail);
                prop_assert!(result.text.chars().count() <= after.chars().count());
            }
        }
    }
}
