//! Which parts of a field are prose. Code (fenced, indented, inline), URLs, Markdown link
//! targets and reference definitions, HTML tags and entities are not: spelling and
//! typography leave them alone.
//!
//! A hand-written scanner rather than the Markdown parser, because it has to judge text
//! that is half typed: a code span whose closing backtick has not been typed yet already
//! protects the rest of its line, and an unclosed fence the rest of the text.

use std::ops::Range;

/// Byte ranges of `text` that are not prose, sorted and not overlapping.
pub fn protected_ranges(text: &str) -> Vec<Range<usize>> {
    let mut protected = Vec::new();
    let mut fence: Option<(u8, usize)> = None;
    let mut previous_blank = true;
    let mut in_indented_code = false;
    let mut start = 0;
    while start < text.len() {
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |newline| start + newline + 1);
        let line = &text[start..end];
        let content = line.trim_end_matches(['\n', '\r']);
        let blank = content.trim().is_empty();
        if let Some((marker, length)) = fence {
            protected.push(start..end);
            if closes_fence(content, marker, length) {
                fence = None;
            }
        } else if let Some(opened) = opens_fence(content) {
            protected.push(start..end);
            fence = Some(opened);
        } else if !blank && is_indented(content) && (previous_blank || in_indented_code) {
            protected.push(start..end);
            in_indented_code = true;
        } else if is_table_delimiter_row(content) {
            protected.push(start..end);
        } else {
            in_indented_code = in_indented_code && blank;
            inline_protected(text, start, start + content.len(), &mut protected);
        }
        previous_blank = blank;
        start = end;
    }
    merge(protected)
}

/// Whether byte `index` of the text lies in one of `ranges` (sorted).
pub fn is_protected(ranges: &[Range<usize>], index: usize) -> bool {
    let after = ranges.partition_point(|range| range.end <= index);
    ranges.get(after).is_some_and(|range| range.start <= index)
}

fn opens_fence(line: &str) -> Option<(u8, usize)> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let marker = *trimmed.as_bytes().first()?;
    if marker != b'`' && marker != b'~' {
        return None;
    }
    let length = trimmed.bytes().take_while(|&byte| byte == marker).count();
    // A backtick fence's info string cannot hold a backtick (that is inline code).
    let info_ok = marker == b'~' || !trimmed[length..].contains('`');
    (length >= 3 && info_ok).then_some((marker, length))
}

fn closes_fence(line: &str, marker: u8, length: usize) -> bool {
    let trimmed = line.trim_start_matches(' ');
    let run = trimmed.bytes().take_while(|&byte| byte == marker).count();
    run >= length && trimmed[run..].trim().is_empty()
}

fn is_indented(line: &str) -> bool {
    line.starts_with("    ") || line.starts_with('\t')
}

/// `| --- | :-: |`: a table's delimiter row (its hyphens are not dashes).
fn is_table_delimiter_row(line: &str) -> bool {
    line.contains('|')
        && line.contains('-')
        && line
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// Protected spans within one line of prose, `text[start..end]`.
fn inline_protected(text: &str, start: usize, end: usize, out: &mut Vec<Range<usize>>) {
    let bytes = text.as_bytes();
    let line = &text[start..end];
    // `[label]: https://…` defines a link target for the whole line.
    let trimmed = line.trim_start();
    if trimmed.starts_with('[')
        && let Some(colon) = trimmed.find("]:")
    {
        let target = start + (line.len() - trimmed.len()) + colon + 2;
        out.push(target..end);
        return;
    }
    let mut at = start;
    while at < end {
        let byte = bytes[at];
        let skipped = match byte {
            b'`' => code_span(text, at, end),
            b'<' => angle_bracket(text, at, end),
            b']' if bytes.get(at + 1) == Some(&b'(') => Some(link_target(text, at + 1, end)),
            b'&' => entity(text, at, end),
            _ if at_word_start(text, at) => url(text, at, end),
            _ => None,
        };
        match skipped {
            Some(range) => {
                at = range.end.max(at + 1);
                out.push(range);
            }
            None => at += utf8_len(byte),
        }
    }
}

fn utf8_len(first_byte: u8) -> usize {
    match first_byte {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// A code span from the backticks at `at`: to its closing run, or to the end of the line
/// while the closing run has not been typed yet.
fn code_span(text: &str, at: usize, end: usize) -> Option<Range<usize>> {
    let run = text[at..end].bytes().take_while(|&b| b == b'`').count();
    let mut search = at + run;
    while let Some(found) = text[search..end].find('`') {
        let close = search + found;
        let close_run = text[close..end].bytes().take_while(|&b| b == b'`').count();
        if close_run == run {
            return Some(at..close + close_run);
        }
        search = close + close_run;
    }
    Some(at..end)
}

/// `<https://…>`, `<!-- … -->` or an HTML tag such as `<br>` or `<a href="…">`.
fn angle_bracket(text: &str, at: usize, end: usize) -> Option<Range<usize>> {
    let rest = &text[at..end];
    if rest.starts_with("<!--") {
        let close = rest.find("-->").map_or(end, |found| at + found + 3);
        return Some(at..close);
    }
    let next = rest[1..].chars().next()?;
    if !(next.is_ascii_alphabetic() || next == '/') {
        return None;
    }
    let close = rest.find('>')?;
    // Autolinks hold no spaces; tags may (attributes), but never a second '<'.
    (!rest[1..close].contains('<')).then_some(at..at + close + 1)
}

/// The `(target "title")` after a link's text: to the matching parenthesis.
fn link_target(text: &str, open: usize, end: usize) -> Range<usize> {
    let mut depth = 0usize;
    for (offset, byte) in text[open..end].bytes().enumerate() {
        match byte {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return open..open + offset + 1;
                }
            }
            _ => {}
        }
    }
    open..end
}

/// `&amp;`, `&#8217;`: a character reference.
fn entity(text: &str, at: usize, end: usize) -> Option<Range<usize>> {
    let rest = &text[at + 1..end];
    let name = rest
        .bytes()
        .take_while(|byte| byte.is_ascii_alphanumeric() || *byte == b'#')
        .count();
    (name > 0 && rest.as_bytes().get(name) == Some(&b';')).then_some(at..at + name + 2)
}

fn at_word_start(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|previous| !previous.is_alphanumeric())
}

const URL_STARTS: [&str; 5] = ["https://", "http://", "ftp://", "mailto:", "www."];

/// A bare URL: to the next space, less the punctuation that ends its sentence.
fn url(text: &str, at: usize, end: usize) -> Option<Range<usize>> {
    let rest = &text[at..end];
    let is_url = URL_STARTS.iter().any(|start| {
        rest.get(..start.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(start))
    });
    if !is_url {
        return None;
    }
    let length = rest
        .find(|c: char| c.is_whitespace() || c == '<' || c == '>')
        .unwrap_or(rest.len());
    let mut url = &rest[..length];
    loop {
        let trimmed =
            url.trim_end_matches(['.', ',', ';', ':', '!', '?', '"', '\'', '’', '”', '*', '_']);
        let unbalanced_paren = trimmed.ends_with(')') && !trimmed.contains('(');
        let trimmed = if unbalanced_paren {
            &trimmed[..trimmed.len() - 1]
        } else {
            trimmed
        };
        if trimmed.len() == url.len() {
            break;
        }
        url = trimmed;
    }
    Some(at..at + url.len())
}

fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|range| range.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn protected(text: &str) -> Vec<&str> {
        protected_ranges(text)
            .into_iter()
            .map(|range| &text[range])
            .collect()
    }

    #[test]
    fn prose_has_nothing_protected() {
        assert!(protected("We’re now hearing from Zelenskyy.").is_empty());
    }

    #[test]
    fn code_spans_urls_and_link_targets_are_protected() {
        let text =
            "Run `it's` at https://example.org/a_b, see [the \"post\"](#e-1 \"t\") &amp; <br>.";
        assert_eq!(
            protected(text),
            [
                "`it's`",
                "https://example.org/a_b",
                "(#e-1 \"t\")",
                "&amp;",
                "<br>"
            ]
        );
    }

    #[test]
    fn an_unclosed_code_span_protects_the_rest_of_its_line() {
        assert_eq!(protected("a `let x = '\nnext"), ["`let x = '"]);
    }

    #[test]
    fn fenced_and_indented_code_blocks_are_protected() {
        let text = "Intro\n```\nx = \"a\"\n```\nAfter\n\n    code \"here\"\nlast";
        assert_eq!(
            protected(text),
            ["```\nx = \"a\"\n```\n", "    code \"here\"\n"]
        );
        // An unclosed fence runs to the end.
        assert_eq!(protected("a\n~~~\nb \"c\""), ["~~~\nb \"c\""]);
    }

    #[test]
    fn reference_definitions_and_table_rows_are_protected() {
        assert_eq!(
            protected("[1]: https://x.org \"T\""),
            [" https://x.org \"T\""]
        );
        assert_eq!(protected("| a | b |\n| -- | -- |\n"), ["| -- | -- |\n"]);
    }

    #[test]
    fn a_url_ends_before_its_sentence_does() {
        assert_eq!(
            protected("(see www.bbc.co.uk/news)."),
            ["www.bbc.co.uk/news"]
        );
        assert_eq!(
            protected("“https://en.wikipedia.org/wiki/Kyiv_(city)”"),
            ["https://en.wikipedia.org/wiki/Kyiv_(city)"]
        );
    }

    #[test]
    fn is_protected_finds_the_range() {
        let ranges = vec![2..4, 8..9];
        let inside: Vec<usize> = (0..10).filter(|&i| is_protected(&ranges, i)).collect();
        assert_eq!(inside, [2, 3, 8]);
    }
}
