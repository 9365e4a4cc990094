//! Reads a post's Markdown once with pulldown-cmark and keeps what the checks need:
//! links and images with their places in the source, raw HTML, and the runs of plain
//! prose outside links and code (where an unlinked "our 9.32am post" can hide).

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::ops::Range;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct BodyScan {
    pub links: Vec<Link>,
    pub images: Vec<Image>,
    /// Raw HTML blocks and inline tags, by source range.
    pub html: Vec<Range<usize>>,
    /// Source ranges of prose outside links, images and code; adjacent pieces joined.
    pub prose: Vec<Range<usize>>,
    /// Words a reader sees (link and image text included, markup not).
    pub words: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Link {
    pub url: String,
    /// The whole link in the source: `[text](url)`.
    pub span: Range<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Image {
    pub url: String,
    pub span: Range<usize>,
    pub has_alt: bool,
}

pub(super) fn scan(body: &str) -> BodyScan {
    let mut scan = BodyScan::default();
    // Nesting depth of links and images (prose inside them is already linked) and of code.
    let mut link_depth = 0usize;
    let mut code_depth = 0usize;
    // The image being read: its index in `scan.images`; its alt text is what comes inside.
    let mut open_images: Vec<usize> = Vec::new();
    for (event, range) in
        Parser::new_ext(body, crate::model::body_markdown_options()).into_offset_iter()
    {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                link_depth += 1;
                scan.links.push(Link {
                    url: dest_url.into_string(),
                    span: range,
                });
            }
            Event::End(TagEnd::Link) => link_depth = link_depth.saturating_sub(1),
            Event::Start(Tag::Image { dest_url, .. }) => {
                link_depth += 1;
                open_images.push(scan.images.len());
                scan.images.push(Image {
                    url: dest_url.into_string(),
                    span: range,
                    has_alt: false,
                });
            }
            Event::End(TagEnd::Image) => {
                link_depth = link_depth.saturating_sub(1);
                open_images.pop();
            }
            Event::Start(Tag::CodeBlock(_)) => code_depth += 1,
            Event::End(TagEnd::CodeBlock) => code_depth = code_depth.saturating_sub(1),
            Event::Text(ref text) | Event::Code(ref text) => {
                let is_code = matches!(event, Event::Code(_));
                scan.words += text.split_whitespace().count();
                if let Some(&image) = open_images.last()
                    && !text.trim().is_empty()
                    && let Some(image) = scan.images.get_mut(image)
                {
                    image.has_alt = true;
                }
                if !is_code && link_depth == 0 && code_depth == 0 {
                    push_prose(&mut scan.prose, range);
                }
            }
            Event::SoftBreak | Event::HardBreak if link_depth == 0 && code_depth == 0 => {
                push_prose(&mut scan.prose, range);
            }
            Event::Html(_) => scan.html.push(range),
            // One problem per element: its closing tag adds nothing.
            Event::InlineHtml(tag) if !tag.starts_with("</") => scan.html.push(range),
            _ => {}
        }
    }
    scan
}

fn push_prose(prose: &mut Vec<Range<usize>>, range: Range<usize>) {
    match prose.last_mut() {
        Some(last) if last.end == range.start => last.end = range.end,
        _ => prose.push(range),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_images_and_prose_are_found_where_they_are() {
        let body = "See [our 9.32am post](#post-0932) and the 2.30pm post.\n\n![](https://x.test/a.jpg) `code 9am post`";
        let scan = scan(body);
        assert_eq!(scan.links.len(), 1);
        assert_eq!(scan.links[0].url, "#post-0932");
        assert_eq!(
            &body[scan.links[0].span.clone()],
            "[our 9.32am post](#post-0932)"
        );
        assert_eq!(scan.images.len(), 1);
        assert!(!scan.images[0].has_alt);
        let prose: Vec<&str> = scan.prose.iter().map(|r| &body[r.clone()]).collect();
        assert!(prose.iter().any(|p| p.contains("the 2.30pm post")));
        assert!(
            !prose
                .iter()
                .any(|p| p.contains("9.32am") || p.contains("9am"))
        );
    }
}
