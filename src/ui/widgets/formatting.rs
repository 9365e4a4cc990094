//! The body's formatting bar: Markdown markup applied to the selection or the cursor.
//! Pure text functions, so they can be tested without a window.

use crate::model::CONTEXT_PREFIX;
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Bold,
    Italic,
    Link,
    Quote,
    ForContext,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Bold => "Bold",
            Format::Italic => "Italic",
            Format::Link => "Link",
            Format::Quote => "Quote",
            Format::ForContext => "For context",
        }
    }
}

/// The text after formatting and the selection to show, both in characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Formatted {
    pub text: String,
    pub selection: Range<usize>,
}

/// Applies `format` to `selection` (character indices, either order) of `text`.
pub fn apply_format(text: &str, selection: Range<usize>, format: Format) -> Formatted {
    let length = text.chars().count();
    let start = selection.start.min(selection.end).min(length);
    let end = selection.start.max(selection.end).min(length);
    match format {
        Format::Bold => toggle_wrap(text, start, end, "**"),
        Format::Italic => toggle_wrap(text, start, end, "*"),
        Format::Link => link(text, start, end),
        Format::Quote => quote_lines(text, start, end, ""),
        Format::ForContext => quote_lines(text, start, end, CONTEXT_PREFIX),
    }
}

fn byte_at(text: &str, char_index: usize) -> usize {
    text.char_indices()
        .nth(char_index)
        .map_or(text.len(), |(byte, _)| byte)
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// Wraps the selection in `marker`, or removes the marker when it is already there.
fn toggle_wrap(text: &str, start: usize, end: usize, marker: &str) -> Formatted {
    let (start_byte, end_byte) = (byte_at(text, start), byte_at(text, end));
    let marker_chars = chars(marker);
    let before = &text[..start_byte];
    let after = &text[end_byte..];
    if start != end && before.ends_with(marker) && after.starts_with(marker) {
        let mut out = String::with_capacity(text.len());
        out.push_str(&before[..before.len() - marker.len()]);
        out.push_str(&text[start_byte..end_byte]);
        out.push_str(&after[marker.len()..]);
        return Formatted {
            text: out,
            selection: start - marker_chars..end - marker_chars,
        };
    }
    let mut out = String::with_capacity(text.len() + 2 * marker.len());
    out.push_str(before);
    out.push_str(marker);
    out.push_str(&text[start_byte..end_byte]);
    out.push_str(marker);
    out.push_str(after);
    Formatted {
        text: out,
        selection: start + marker_chars..end + marker_chars,
    }
}

/// `[selection](https://)` with the address selected, ready to be typed over.
fn link(text: &str, start: usize, end: usize) -> Formatted {
    let (start_byte, end_byte) = (byte_at(text, start), byte_at(text, end));
    let label = if start == end {
        "link text"
    } else {
        &text[start_byte..end_byte]
    };
    let url = "https://";
    let inserted = format!("[{label}]({url})");
    let mut out = String::with_capacity(text.len() + inserted.len());
    out.push_str(&text[..start_byte]);
    out.push_str(&inserted);
    out.push_str(&text[end_byte..]);
    let url_start = start + 1 + chars(label) + 2;
    Formatted {
        text: out,
        selection: url_start..url_start + chars(url),
    }
}

/// Makes the lines touched by the selection a block quote; with `prefix`, the quote
/// starts with it ("For context:"). Lines already quoted are unquoted instead.
fn quote_lines(text: &str, start: usize, end: usize, prefix: &str) -> Formatted {
    let (start_byte, end_byte) = (byte_at(text, start), byte_at(text, end));
    let first_line = text[..start_byte].rfind('\n').map_or(0, |i| i + 1);
    let last_line_end = text[end_byte..]
        .find('\n')
        .map_or(text.len(), |i| end_byte + i);
    let block = &text[first_line..last_line_end];
    let lines: Vec<&str> = block.split('\n').collect();
    let all_quoted = lines.iter().all(|line| line.starts_with('>'));
    let new_block = if all_quoted && prefix.is_empty() {
        lines
            .iter()
            .map(|line| {
                line.strip_prefix("> ")
                    .or_else(|| line.strip_prefix('>'))
                    .unwrap_or(line)
            })
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        let mut out = Vec::with_capacity(lines.len());
        for (index, line) in lines.iter().enumerate() {
            let bare = line
                .strip_prefix("> ")
                .or_else(|| line.strip_prefix('>'))
                .unwrap_or(line);
            if index == 0 && !prefix.is_empty() && !bare.starts_with(prefix) {
                if bare.trim().is_empty() {
                    out.push(format!("> {prefix} "));
                } else {
                    out.push(format!("> {prefix} {bare}"));
                }
            } else if bare.is_empty() {
                out.push(">".to_owned());
            } else {
                out.push(format!("> {bare}"));
            }
        }
        out.join("\n")
    };
    let mut out = String::with_capacity(text.len() + new_block.len());
    out.push_str(&text[..first_line]);
    out.push_str(&new_block);
    out.push_str(&text[last_line_end..]);
    let block_start = chars(&text[..first_line]);
    let block_end = block_start + chars(&new_block);
    // A fresh, empty "For context" note leaves the cursor where the note's text goes.
    let selection = if !prefix.is_empty() && block.trim().is_empty() {
        block_end..block_end
    } else {
        block_start..block_end
    };
    Formatted {
        text: out,
        selection,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bold_wraps_the_selection_and_a_second_time_unwraps_it() {
        let once = apply_format("Lavrov spoke", 7..12, Format::Bold);
        assert_eq!(once.text, "Lavrov **spoke**");
        assert_eq!(once.selection, 9..14);
        let twice = apply_format(&once.text, once.selection, Format::Bold);
        assert_eq!(twice.text, "Lavrov spoke");
        assert_eq!(twice.selection, 7..12);
    }

    #[test]
    fn italic_at_a_cursor_leaves_it_between_markers() {
        let done = apply_format("ab", 1..1, Format::Italic);
        assert_eq!(done.text, "a**b");
        assert_eq!(done.selection, 2..2);
    }

    #[test]
    fn link_selects_the_address_to_type_over() {
        let done = apply_format("see “this” now", 4..10, Format::Link);
        assert_eq!(done.text, "see [“this”](https://) now");
        let selected: String = done
            .text
            .chars()
            .skip(done.selection.start)
            .take(done.selection.len())
            .collect();
        assert_eq!(selected, "https://");
    }

    #[test]
    fn quote_prefixes_every_touched_line_and_toggles_back() {
        let text = "one\ntwo\nthree";
        let done = apply_format(text, 1..5, Format::Quote);
        assert_eq!(done.text, "> one\n> two\nthree");
        let undone = apply_format(&done.text, 2..4, Format::Quote);
        assert_eq!(undone.text, "one\n> two\nthree");
    }

    #[test]
    fn for_context_starts_a_note_on_an_empty_line() {
        let done = apply_format("Para.\n\n", 7..7, Format::ForContext);
        assert_eq!(done.text, "Para.\n\n> For context: ");
        assert_eq!(done.selection, 22..22);
        let on_text = apply_format("Starmer said so.", 0..0, Format::ForContext);
        assert_eq!(on_text.text, "> For context: Starmer said so.");
    }

    #[test]
    fn out_of_range_selections_are_clamped_not_panicking() {
        let done = apply_format("é", 5..9, Format::Bold);
        assert_eq!(done.text, "é****");
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn bold_or_italic_twice_gives_back_the_text(
            text in "[a-zé “”—\\n*]{0,40}",
            a in 0usize..45,
            b in 0usize..45,
            italic in any::<bool>(),
        ) {
            let format = if italic { Format::Italic } else { Format::Bold };
            let length = text.chars().count();
            let (start, end) = (a.min(b).min(length), a.max(b).min(length));
            prop_assume!(start < end);
            let once = apply_format(&text, start..end, format);
            let twice = apply_format(&once.text, once.selection.clone(), format);
            prop_assert_eq!(twice.text, text);
            prop_assert_eq!(twice.selection, start..end);
        }

        #[test]
        fn every_format_keeps_the_text_and_a_valid_selection(
            text in "\\PC{0,60}",
            a in 0usize..70,
            b in 0usize..70,
            which in 0usize..5,
        ) {
            let format = [Format::Bold, Format::Italic, Format::Link, Format::Quote, Format::ForContext][which];
            let done = apply_format(&text, a..b, format);
            let length = done.text.chars().count();
            prop_assert!(done.selection.start <= done.selection.end);
            prop_assert!(done.selection.end <= length);
            // Markup is only added (toggling off applies to text already marked up), so
            // the writer's text survives in order.
            if !text.contains(['*', '>']) && which < 3 {
                let mut rest = done.text.chars();
                prop_assert!(
                    text.chars().all(|c| rest.any(|d| d == c)),
                    "{:?} is not inside {:?}",
                    text,
                    done.text
                );
            }
        }
    }
}
