//! Text as it may appear in an HTML document.
//!
//! Pasted copy can carry control characters that HTML forbids (validators reject the
//! page and some browsers show boxes), so every user string passes through here.

use maud::Render;
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
    if text.chars().any(is_forbidden) {
        Cow::Owned(text.chars().filter(|&c| !is_forbidden(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// A user string rendered as escaped, printable text in a maud template.
pub(crate) struct Printable<'a>(pub &'a str);

impl Render for Printable<'_> {
    fn render_to(&self, buffer: &mut String) {
        printable(self.0).as_ref().render_to(buffer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_noncharacters_are_dropped_and_whitespace_kept() {
        assert_eq!(printable("a\u{0}b\u{1b}c\u{85}d\u{fffe}e"), "abcde");
        assert_eq!(printable("line\nnext\ttab\r"), "line\nnext\ttab\r");
        assert!(matches!(printable("clean “copy”"), Cow::Borrowed(_)));
    }

    #[test]
    fn printable_text_is_escaped_in_templates() {
        let markup = maud::html! { p { (Printable("<b>\u{7}&\"")) } };
        assert_eq!(markup.into_string(), "<p>&lt;b&gt;&amp;&quot;</p>");
    }
}
