//! Text as it may appear in an HTML document.
//!
//! Pasted copy can carry control characters that HTML forbids (validators reject the
//! page and some browsers show boxes), so every user string passes through here.

use crate::model::ZoneLabel;
use std::borrow::Cow;

/// True for code points the HTML standard forbids in a document: controls other than
/// ASCII whitespace, and noncharacters.
fn is_forbidden(c: char) -> bool {
    let code = u32::from(c);
    (c.is_control() && !matches!(c, '\t' | '\n' | '\u{c}' | '\r'))
        || (0xFDD0..=0xFDEF).contains(&code)
        || (code & 0xFFFE) == 0xFFFE
}

/// The text without forbidden code points; borrowed when there are none, as almost always.
pub(crate) fn printable(text: &str) -> Cow<'_, str> {
    if may_hold_forbidden(text.as_bytes()) && text.chars().any(is_forbidden) {
        Cow::Owned(text.chars().filter(|&c| !is_forbidden(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether any byte could start a forbidden code point: a control other than ASCII
/// whitespace, or the lead byte of C1 controls (C2), noncharacters (EF) or the
/// supplementary planes (F0 and up). Most copy has none.
fn may_hold_forbidden(bytes: &[u8]) -> bool {
    any_byte(bytes, |b| {
        (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != 0x0c) & (b != b'\r')
            | (b == 0x7f)
            | (b == 0xc2)
            | (b == 0xef)
            | (b >= 0xf0)
    })
}

/// Whether `test` holds for any byte. Written as a branch-free fold over fixed-size
/// blocks so that the compiler checks many bytes at once: the page scans every post.
pub(crate) fn any_byte(bytes: &[u8], test: impl Fn(u8) -> bool) -> bool {
    let (blocks, rest) = bytes.as_chunks::<16>();
    blocks
        .iter()
        .any(|block| block.iter().fold(false, |any, &b| any | test(b)))
        || rest.iter().any(|&b| test(b))
}

/// The printable text without surrounding space, or `None` when nothing visible is left:
/// decides whether a headline, caption or byline is shown at all.
pub(crate) fn shown(text: &str) -> Option<Cow<'_, str>> {
    match printable(text) {
        Cow::Borrowed(text) => Some(Cow::Borrowed(text.trim())),
        Cow::Owned(text) => Some(Cow::Owned(text.trim().to_owned())),
    }
    .filter(|text| !text.is_empty())
}

/// The first line of `words`, cut after a whole word with "…" when longer than
/// `max_chars`: a headline for a post that has none.
pub(crate) fn first_words(words: &str, max_chars: usize) -> Cow<'_, str> {
    let line = words.lines().next().unwrap_or_default().trim();
    // No more bytes than the limit means no more characters either: the usual case.
    if line.len() <= max_chars {
        return Cow::Borrowed(line);
    }
    match line.char_indices().nth(max_chars) {
        None => Cow::Borrowed(line),
        Some((cut, _)) => {
            let head = &line[..cut];
            let head = match head.rfind(' ') {
                Some(space) if space > cut / 2 => &head[..space],
                _ => head,
            };
            Cow::Owned(format!("{}…", head.trim_end()))
        }
    }
}

/// A zone's label as readers see it, falling back to the zone's name.
pub(crate) fn zone_label(zone: &ZoneLabel) -> Cow<'_, str> {
    shown(&zone.label).unwrap_or(Cow::Borrowed(zone.zone.name()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_noncharacters_are_dropped_and_whitespace_kept() {
        assert_eq!(printable("a\u{0}b\u{1b}c\u{85}d\u{fffe}e"), "abcde");
        assert_eq!(printable("\u{fdd0}\u{1fffe}\u{10ffff}x\u{7f}"), "x");
        assert_eq!(printable("é😀\u{a0}\u{fffd}"), "é😀\u{a0}\u{fffd}");
        assert_eq!(printable("line\nnext\ttab\r"), "line\nnext\ttab\r");
        assert!(matches!(printable("clean “copy”"), Cow::Borrowed(_)));
    }

    #[test]
    fn first_words_stop_at_the_line_and_at_a_whole_word() {
        assert_eq!(first_words("Short line.\n\nMore.", 20), "Short line.");
        assert_eq!(
            first_words("Kremlin aide Yuri Ushakov said the talks went well", 30),
            "Kremlin aide Yuri Ushakov…"
        );
        assert_eq!(first_words("“Quoted”", 3), "“Qu…");
        assert_eq!(first_words("", 10), "");
    }

    #[test]
    fn text_of_only_controls_and_spaces_is_not_shown() {
        assert_eq!(shown(" \u{1}\u{7f} "), None);
        assert_eq!(shown(" Lavrov\u{0} ").as_deref(), Some("Lavrov"));
        let unlabelled = ZoneLabel::new(chrono_tz::Asia::Riyadh, "\u{1}");
        assert_eq!(zone_label(&unlabelled), "Asia/Riyadh");
    }

    #[test]
    fn printable_text_is_escaped_in_templates() {
        let markup = maud::html! { p { (printable("<b>\u{7}&\"")) } };
        assert_eq!(markup.into_string(), "<p>&lt;b&gt;&amp;&quot;</p>");
    }
}
