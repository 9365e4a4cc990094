//! A post's Markdown as blocks the preview can draw: paragraphs with emphasis and links,
//! headings, lists, block quotes, and "For context" notes (a block quote or paragraph
//! starting with "For context:"). Raw HTML is kept as visible text, never interpreted.

use crate::model::CONTEXT_PREFIX;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    pub link: bool,
    pub code: bool,
    pub strikethrough: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Paragraph(Vec<Span>),
    Heading(u8, Vec<Span>),
    Quote(Vec<Block>),
    /// A "For context" note.
    Context(Vec<Block>),
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Code(String),
    Rule,
}

impl Block {
    fn plain_text(&self) -> String {
        match self {
            Block::Paragraph(spans) | Block::Heading(_, spans) => {
                spans.iter().map(|s| s.text.as_str()).collect()
            }
            Block::Quote(blocks) | Block::Context(blocks) => {
                blocks.first().map(Block::plain_text).unwrap_or_default()
            }
            Block::List { .. } | Block::Code(_) | Block::Rule => String::new(),
        }
    }
}

enum Open {
    Quote(Vec<Block>),
    List(Option<u64>, Vec<Vec<Block>>),
    Item(Vec<Block>),
}

#[derive(Default)]
struct Builder {
    root: Vec<Block>,
    open: Vec<Open>,
    inline: Option<(Option<u8>, Vec<Span>)>,
    code: Option<String>,
    bold: u32,
    italic: u32,
    link: u32,
    strikethrough: u32,
}

impl Builder {
    fn push_block(&mut self, block: Block) {
        match self.open.last_mut() {
            Some(Open::Quote(blocks)) | Some(Open::Item(blocks)) => blocks.push(block),
            // Text straight inside a list (not in an item) does not happen in CommonMark;
            // keep it anyway as a one-block item rather than lose it.
            Some(Open::List(_, items)) => items.push(vec![block]),
            None => self.root.push(block),
        }
    }

    fn flush_inline(&mut self) {
        if let Some((heading, spans)) = self.inline.take() {
            let block = match heading {
                Some(level) => Block::Heading(level, spans),
                None => Block::Paragraph(spans),
            };
            self.push_block(block);
        }
    }

    fn text(&mut self, text: &str, code: bool) {
        let span = Span {
            text: text.to_owned(),
            bold: self.bold > 0,
            italic: self.italic > 0,
            link: self.link > 0,
            code,
            strikethrough: self.strikethrough > 0,
        };
        let (_, spans) = self.inline.get_or_insert_with(|| (None, Vec::new()));
        match spans.last_mut() {
            Some(last)
                if last.bold == span.bold
                    && last.italic == span.italic
                    && last.link == span.link
                    && last.code == span.code
                    && last.strikethrough == span.strikethrough =>
            {
                last.text.push_str(&span.text);
            }
            _ => spans.push(span),
        }
    }
}

/// Parses a post body.
pub fn parse(markdown: &str) -> Vec<Block> {
    let mut b = Builder::default();
    for event in Parser::new_ext(markdown, crate::model::body_markdown_options()) {
        match event {
            Event::Start(Tag::Paragraph) => {
                b.flush_inline();
                b.inline = Some((None, Vec::new()));
            }
            Event::Start(Tag::Heading { level, .. }) => {
                b.flush_inline();
                b.inline = Some((Some(level as u8), Vec::new()));
            }
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Heading(_)) => b.flush_inline(),
            Event::Start(Tag::BlockQuote(_)) => {
                b.flush_inline();
                b.open.push(Open::Quote(Vec::new()));
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                b.flush_inline();
                if let Some(Open::Quote(blocks)) = b.open.pop() {
                    let is_context = blocks.first().is_some_and(|first| {
                        first.plain_text().trim_start().starts_with(CONTEXT_PREFIX)
                    });
                    b.push_block(if is_context {
                        Block::Context(blocks)
                    } else {
                        Block::Quote(blocks)
                    });
                }
            }
            Event::Start(Tag::List(start)) => {
                b.flush_inline();
                b.open.push(Open::List(start, Vec::new()));
            }
            Event::End(TagEnd::List(_)) => {
                b.flush_inline();
                if let Some(Open::List(start, items)) = b.open.pop() {
                    b.push_block(Block::List { start, items });
                }
            }
            Event::Start(Tag::Item) => {
                b.flush_inline();
                b.open.push(Open::Item(Vec::new()));
            }
            Event::End(TagEnd::Item) => {
                b.flush_inline();
                if let Some(Open::Item(blocks)) = b.open.pop() {
                    match b.open.last_mut() {
                        Some(Open::List(_, items)) => items.push(blocks),
                        _ => {
                            for block in blocks {
                                b.push_block(block);
                            }
                        }
                    }
                }
            }
            Event::Start(Tag::CodeBlock(_)) => {
                b.flush_inline();
                b.code = Some(String::new());
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(code) = b.code.take() {
                    b.push_block(Block::Code(code.trim_end().to_owned()));
                }
            }
            Event::Start(Tag::Strong) => b.bold += 1,
            Event::End(TagEnd::Strong) => b.bold = b.bold.saturating_sub(1),
            Event::Start(Tag::Emphasis) => b.italic += 1,
            Event::End(TagEnd::Emphasis) => b.italic = b.italic.saturating_sub(1),
            Event::Start(Tag::Strikethrough) => b.strikethrough += 1,
            Event::End(TagEnd::Strikethrough) => {
                b.strikethrough = b.strikethrough.saturating_sub(1);
            }
            Event::Start(Tag::Link { .. }) => b.link += 1,
            Event::End(TagEnd::Link) => b.link = b.link.saturating_sub(1),
            Event::Text(text) => match b.code.as_mut() {
                Some(code) => code.push_str(&text),
                None => b.text(&text, false),
            },
            Event::Code(text) => b.text(&text, true),
            Event::Html(html) | Event::InlineHtml(html) => match b.code.as_mut() {
                Some(code) => code.push_str(&html),
                None => b.text(&html, true),
            },
            Event::SoftBreak => b.text(" ", false),
            Event::HardBreak => b.text("\n", false),
            Event::Rule => {
                b.flush_inline();
                b.push_block(Block::Rule);
            }
            _ => {}
        }
    }
    b.flush_inline();
    // Close anything a malformed stream left open, keeping its content.
    while let Some(open) = b.open.pop() {
        let blocks = match open {
            Open::Quote(blocks) | Open::Item(blocks) => blocks,
            Open::List(start, items) => vec![Block::List { start, items }],
        };
        for block in blocks {
            b.push_block(block);
        }
    }
    // A plain paragraph starting with "For context:" is a note too.
    b.root
        .into_iter()
        .map(|block| match block {
            Block::Paragraph(ref spans)
                if spans
                    .first()
                    .is_some_and(|s| s.text.trim_start().starts_with(CONTEXT_PREFIX)) =>
            {
                Block::Context(vec![block])
            }
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_context_notes_and_emphasis_are_told_apart() {
        let blocks = parse(
            "He said **no**.\n\n> “Unacceptable,” he added.\n\n> For context: Starmer spoke.\n>\n> More.",
        );
        assert_eq!(blocks.len(), 3);
        match &blocks[0] {
            Block::Paragraph(spans) => {
                assert_eq!(spans[1].text, "no");
                assert!(spans[1].bold);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(blocks[1], Block::Quote(_)));
        match &blocks[2] {
            Block::Context(inner) => assert_eq!(inner.len(), 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lists_and_html_are_kept_as_text() {
        let blocks = parse("- one [more](#post-1)\n- <script>x</script>\n");
        match &blocks[0] {
            Block::List { items, .. } => {
                assert_eq!(items.len(), 2);
                assert!(matches!(&items[0][0], Block::Paragraph(spans) if spans[1].link));
            }
            other => panic!("{other:?}"),
        }
        let paragraph_context = parse("For context: the talks began today.");
        assert!(matches!(paragraph_context[0], Block::Context(_)));
    }

    #[test]
    fn strikethrough_reads_as_the_page_shows_it() {
        let blocks = parse("Talks in ~~Riyadh~~ Jeddah.");
        match &blocks[0] {
            Block::Paragraph(spans) => {
                assert_eq!(spans[1].text, "Riyadh");
                assert!(spans[1].strikethrough);
                assert!(!spans[2].strikethrough);
            }
            other => panic!("{other:?}"),
        }
        let paragraph_context = parse("For context: the talks began today.");
        assert!(matches!(paragraph_context[0], Block::Context(_)));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn text_of(blocks: &[Block]) -> String {
        let mut out = String::new();
        for block in blocks {
            match block {
                Block::Paragraph(spans) | Block::Heading(_, spans) => {
                    for span in spans {
                        out.push_str(&span.text);
                    }
                }
                Block::Quote(inner) | Block::Context(inner) => out.push_str(&text_of(inner)),
                Block::List { items, .. } => {
                    for item in items {
                        out.push_str(&text_of(item));
                    }
                }
                Block::Code(code) => out.push_str(code),
                Block::Rule => {}
            }
        }
        out
    }

    proptest! {
        #[test]
        fn any_body_parses_and_plain_words_survive(body in "\\PC{0,200}", word in "[a-z]{3,10}") {
            let text = format!("{body}\n\n{word}");
            let blocks = parse(&text);
            // Nothing a writer types is dropped from the preview.
            prop_assert!(text_of(&blocks).contains(&word));
        }
    }
}
