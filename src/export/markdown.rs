//! An entry's Markdown body as safe HTML, and as plain text.
//!
//! pulldown-cmark parses and writes the HTML; between the two, every event passes
//! through [`SafeEvents`], which is the page's whole Markdown policy:
//! - raw HTML becomes text, so it is shown, never run;
//! - links survive only to `http:`, `https:`, `mailto:` and to published posts on the page
//!   (a link to a draft or a missing post keeps its words and loses the link);
//! - images become links to the picture (only the entry's own media is shown inline, so
//!   the page's Content-Security-Policy can be worked out from the document alone);
//! - a block quote or paragraph starting "For context:" becomes a context aside;
//! - headings in a body step down below the entry's headline.

use super::text::printable;
use super::url::{outbound_url, web_url};
use crate::model::CONTEXT_PREFIX;
use maud::Escaper;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Parser, Tag, TagEnd};
use std::collections::VecDeque;
use std::fmt::Write as _;

/// Which in-page anchors a body may link to. Shared by the threads that write a long page.
pub(crate) trait PostLinks: Sync {
    /// True when `id` names a published entry on the page.
    fn is_linkable(&self, id: &str) -> bool;

    /// The page file holding `id` when it is not this page ("page-3.html"), so that a
    /// link to a post on an archive page still finds it; `None` for this page.
    fn page_of(&self, _id: &str) -> Option<&str> {
        None
    }
}

const CONTEXT_OPEN: &str = "<aside class=\"context\">\n";
const CONTEXT_LABEL: &str = "<strong class=\"context-label\">For context:</strong>";

/// Appends the body's HTML to `out`, and its words to `words` when given: one parse
/// serves both the article and the structured data.
pub(crate) fn push_body_html(
    out: &mut String,
    body: &str,
    links: &dyn PostLinks,
    words: Option<&mut String>,
) {
    let body = printable(body);
    let words = words.map(PlainTextWriter::new);
    let events = SafeEvents::new(
        Parser::new_ext(&body, crate::model::body_markdown_options()),
        links,
        words,
    );
    pulldown_cmark::html::push_html(out, events);
}

/// The words a reader sees, without markup: paragraphs separated by a blank line, list
/// items by a line break. Used for structured data and by checks that count words.
pub fn markdown_to_plain_text(body: &str) -> String {
    let body = printable(body);
    let mut out = String::with_capacity(body.len());
    let mut words = PlainTextWriter::new(&mut out);
    for event in Parser::new_ext(&body, crate::model::body_markdown_options()) {
        words.event(&event);
    }
    out
}

/// Writes the words of a body as its events go by.
struct PlainTextWriter<'o> {
    out: &'o mut String,
    /// The strongest separator owed before the next words: " " < "\n" < "\n\n".
    owed: &'static str,
    started: bool,
    /// Inside a code or HTML block, whose text comes line by line with its line breaks.
    verbatim: bool,
}

impl<'o> PlainTextWriter<'o> {
    fn new(out: &'o mut String) -> Self {
        Self {
            out,
            owed: "",
            started: false,
            verbatim: false,
        }
    }

    fn event(&mut self, event: &Event<'_>) {
        let words = match event {
            Event::Text(text) | Event::Code(text) | Event::Html(text) | Event::InlineHtml(text) => {
                text.as_ref()
            }
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock) => {
                self.verbatim = true;
                return;
            }
            Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock) => {
                self.verbatim = false;
                let kept = self.out.trim_end_matches(['\n', '\r']).len();
                self.out.truncate(kept);
                return self.owe("\n\n");
            }
            Event::SoftBreak => return self.owe(" "),
            Event::HardBreak | Event::End(TagEnd::Item) => return self.owe("\n"),
            block if is_block_end(block) => return self.owe("\n\n"),
            _ => return,
        };
        // Blank lines opening a block are not words.
        let words = if (!self.started || !self.owed.is_empty()) && words.starts_with(['\n', '\r']) {
            words.trim_start_matches(['\n', '\r'])
        } else {
            words
        };
        if words.is_empty() {
            return;
        }
        if self.started {
            self.out.push_str(self.owed);
        }
        self.owed = "";
        self.started = true;
        self.out.push_str(words);
    }

    fn owe(&mut self, separator: &'static str) {
        if separator.len() > self.owed.len() {
            self.owed = separator;
        }
    }
}

fn is_block_end(event: &Event<'_>) -> bool {
    matches!(
        event,
        Event::Rule
            | Event::End(
                TagEnd::Paragraph
                    | TagEnd::Heading(_)
                    | TagEnd::BlockQuote(_)
                    | TagEnd::CodeBlock
                    | TagEnd::HtmlBlock
                    | TagEnd::List(_)
            )
    )
}

/// What to write when a tag that was opened closes.
enum Closing {
    /// The original end event.
    Same,
    /// A different end event (a heading moved down, an HTML block shown as a paragraph).
    Instead(TagEnd),
    /// Markup of our own.
    Html(&'static str),
    /// The link we wrote, or nothing if we kept only the words.
    Link { written: bool },
    /// Nothing: the tag was dropped and only its contents show.
    Nothing,
}

/// The Markdown policy, as a filter between parser and HTML writer.
struct SafeEvents<'a, 'l, I: Iterator<Item = Event<'a>>> {
    source: I,
    links: &'l dyn PostLinks,
    /// Collects the words as the source events go by, before any rewriting.
    words: Option<PlainTextWriter<'l>>,
    /// Events read ahead of time to recognise a context note.
    ahead: VecDeque<Event<'a>>,
    /// Events to hand out before reading on.
    queued: VecDeque<Event<'a>>,
    closings: Vec<Closing>,
    quote_depth: usize,
    list_depth: usize,
    open_links: usize,
    /// The next text starts with "For context:", which becomes the note's label.
    label_next_text: bool,
}

impl<'a, 'l, I: Iterator<Item = Event<'a>>> SafeEvents<'a, 'l, I> {
    fn new(source: I, links: &'l dyn PostLinks, words: Option<PlainTextWriter<'l>>) -> Self {
        Self {
            source,
            links,
            words,
            ahead: VecDeque::new(),
            queued: VecDeque::new(),
            closings: Vec::new(),
            quote_depth: 0,
            list_depth: 0,
            open_links: 0,
            label_next_text: false,
        }
    }

    /// The next source event; each passes here exactly once, in order.
    fn pull(&mut self) -> Option<Event<'a>> {
        let event = self.ahead.pop_front().or_else(|| self.source.next())?;
        if let Some(words) = &mut self.words {
            words.event(&event);
        }
        Some(event)
    }

    fn peek(&mut self, index: usize) -> Option<&Event<'a>> {
        while self.ahead.len() <= index {
            let event = self.source.next()?;
            self.ahead.push_back(event);
        }
        self.ahead.get(index)
    }

    /// Whether the events from `index` open a context note: `Some(true)` when its text
    /// starts with the bare phrase (we add the label), `Some(false)` when the editor
    /// already emphasised it.
    fn context_note_at(&mut self, index: usize) -> Option<bool> {
        match self.peek(index)? {
            Event::Text(text) => starts_context(text).then_some(true),
            Event::Start(Tag::Strong | Tag::Emphasis) => match self.peek(index + 1)? {
                Event::Text(text) => starts_context(text).then_some(false),
                _ => None,
            },
            _ => None,
        }
    }

    fn start(&mut self, tag: Tag<'a>) -> Option<Event<'a>> {
        let (event, closing) = match tag {
            Tag::BlockQuote(_) => {
                self.quote_depth += 1;
                let note = match self.peek(0) {
                    Some(Event::Start(Tag::Paragraph)) => self.context_note_at(1),
                    _ => None,
                };
                match note {
                    Some(relabel) => {
                        self.label_next_text = relabel;
                        (
                            Some(Event::Html(CONTEXT_OPEN.into())),
                            Closing::Html("</aside>\n"),
                        )
                    }
                    None => (
                        Some(Event::Html("<blockquote dir=\"auto\">\n".into())),
                        Closing::Html("</blockquote>\n"),
                    ),
                }
            }
            Tag::Paragraph if self.quote_depth == 0 && self.list_depth == 0 => {
                match self.context_note_at(0) {
                    Some(relabel) => {
                        self.label_next_text = relabel;
                        (
                            Some(Event::Html(
                                "<aside class=\"context\">\n<p dir=\"auto\">".into(),
                            )),
                            Closing::Html("</p>\n</aside>\n"),
                        )
                    }
                    None => paragraph(),
                }
            }
            Tag::Heading { level, .. } => {
                let (open, close) = heading_tags(step_down(level));
                (Some(Event::Html(open.into())), Closing::Html(close))
            }
            // Raw HTML is shown as the text it is, in a paragraph of its own.
            Tag::HtmlBlock => paragraph(),
            // The language name would only become a class; there is no highlighting.
            Tag::CodeBlock(_) => (
                Some(Event::Start(Tag::CodeBlock(CodeBlockKind::Indented))),
                Closing::Instead(TagEnd::CodeBlock),
            ),
            Tag::List(first) => {
                self.list_depth += 1;
                (Some(Event::Start(Tag::List(first))), Closing::Same)
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => {
                let opening = self.link_opening(link_type, &dest_url, &title);
                let written = opening.is_some();
                self.open_links += usize::from(written);
                (
                    opening.map(|tag| Event::Html(tag.into())),
                    Closing::Link { written },
                )
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                // The picture's description stays as words, linked to the picture.
                let opening = (self.open_links == 0)
                    .then(|| web_url(&dest_url).map(|url| external_link(&url, &title)))
                    .flatten();
                let written = opening.is_some();
                self.open_links += usize::from(written);
                (
                    opening.map(|tag| Event::Html(tag.into())),
                    Closing::Link { written },
                )
            }
            Tag::Paragraph => paragraph(),
            Tag::Item => (
                Some(Event::Html("<li dir=\"auto\">".into())),
                Closing::Html("</li>\n"),
            ),
            tag @ (Tag::Emphasis | Tag::Strong | Tag::Strikethrough) => {
                (Some(Event::Start(tag)), Closing::Same)
            }
            // Not enabled in our options; should a future parser produce them, their
            // words still show, without markup of their own.
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
            | Tag::Superscript
            | Tag::Subscript
            | Tag::MetadataBlock(_) => (None, Closing::Nothing),
        };
        self.closings.push(closing);
        event
    }

    fn end(&mut self, end: TagEnd) -> Option<Event<'a>> {
        match end {
            TagEnd::BlockQuote(_) => self.quote_depth = self.quote_depth.saturating_sub(1),
            TagEnd::List(_) => self.list_depth = self.list_depth.saturating_sub(1),
            _ => {}
        }
        match self.closings.pop().unwrap_or(Closing::Same) {
            Closing::Same => Some(Event::End(match end {
                TagEnd::BlockQuote(_) => TagEnd::BlockQuote(None),
                other => other,
            })),
            Closing::Instead(other) => Some(Event::End(other)),
            Closing::Html(markup) => Some(Event::Html(markup.into())),
            Closing::Link { written: true } => {
                self.open_links = self.open_links.saturating_sub(1);
                Some(Event::Html("</a>".into()))
            }
            Closing::Link { written: false } | Closing::Nothing => None,
        }
    }

    /// The opening `<a>` for a Markdown link, or `None` to keep only its words.
    fn link_opening(&self, link_type: LinkType, dest: &str, title: &str) -> Option<String> {
        if self.open_links > 0 {
            return None;
        }
        if let Some(id) = dest.strip_prefix('#') {
            if !self.links.is_linkable(id) {
                return None;
            }
            let mut tag = String::with_capacity(id.len() + 12);
            tag.push_str("<a href=\"");
            if let Some(page) = self.links.page_of(id) {
                let _ = Escaper::new(&mut tag).write_str(page);
            }
            tag.push('#');
            let _ = Escaper::new(&mut tag).write_str(id);
            tag.push_str("\">");
            return Some(tag);
        }
        if link_type == LinkType::Email {
            let address = format!("mailto:{dest}");
            return outbound_url(&address).map(|url| external_link(&url, title));
        }
        outbound_url(dest).map(|url| external_link(&url, title))
    }

    fn text(&mut self, text: CowStr<'a>) -> Event<'a> {
        if !std::mem::take(&mut self.label_next_text) {
            return Event::Text(text);
        }
        let rest = match &text {
            CowStr::Borrowed(words) => CowStr::Borrowed(after_context_prefix(words)),
            other => CowStr::from(after_context_prefix(other).to_owned()),
        };
        self.queued.push_back(Event::Text(rest));
        Event::Html(CONTEXT_LABEL.into())
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for SafeEvents<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(event) = self.queued.pop_front() {
            return Some(event);
        }
        loop {
            let event = match self.pull()? {
                Event::Start(tag) => self.start(tag),
                Event::End(end) => self.end(end),
                Event::Text(text) => Some(self.text(text)),
                // The one place raw HTML could enter the page: it becomes text.
                Event::Html(html) | Event::InlineHtml(html) => Some(Event::Text(html)),
                Event::InlineMath(math) | Event::DisplayMath(math) => Some(Event::Text(math)),
                Event::FootnoteReference(label) => Some(Event::Text(label)),
                Event::TaskListMarker(done) => {
                    Some(Event::Text(if done { "[x] " } else { "[ ] " }.into()))
                }
                event @ (Event::Code(_) | Event::SoftBreak | Event::HardBreak | Event::Rule) => {
                    Some(event)
                }
            };
            if event.is_some() {
                return event;
            }
        }
    }
}

fn starts_context(text: &str) -> bool {
    text.trim_start().starts_with(CONTEXT_PREFIX)
}

fn after_context_prefix(text: &str) -> &str {
    text.trim_start()
        .strip_prefix(CONTEXT_PREFIX)
        .unwrap_or(text)
}

/// An entry's headline is an h2 or h3; its body's headings start at h4.
/// A paragraph whose direction follows its own first strong letter, so Arabic, Hebrew,
/// Persian or Urdu reads right to left in an English page (and the other way round).
fn paragraph<'a>() -> (Option<Event<'a>>, Closing) {
    (
        Some(Event::Html("<p dir=\"auto\">".into())),
        Closing::Html("</p>\n"),
    )
}

/// The opening and closing tags of a body heading at `level`, direction from its text.
fn heading_tags(level: HeadingLevel) -> (&'static str, &'static str) {
    match level {
        HeadingLevel::H1 => ("<h1 dir=\"auto\">", "</h1>\n"),
        HeadingLevel::H2 => ("<h2 dir=\"auto\">", "</h2>\n"),
        HeadingLevel::H3 => ("<h3 dir=\"auto\">", "</h3>\n"),
        HeadingLevel::H4 => ("<h4 dir=\"auto\">", "</h4>\n"),
        HeadingLevel::H5 => ("<h5 dir=\"auto\">", "</h5>\n"),
        HeadingLevel::H6 => ("<h6 dir=\"auto\">", "</h6>\n"),
    }
}

fn step_down(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 | HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// `<a href="…" rel="noopener noreferrer">` for an accepted outbound URL.
fn external_link(url: &str, title: &str) -> String {
    let mut tag = String::with_capacity(url.len() + 48);
    tag.push_str("<a href=\"");
    let _ = Escaper::new(&mut tag).write_str(url);
    tag.push('"');
    let title = printable(title);
    if !title.trim().is_empty() {
        tag.push_str(" title=\"");
        let _ = Escaper::new(&mut tag).write_str(&title);
        tag.push('"');
    }
    tag.push_str(" rel=\"noopener noreferrer\">");
    tag
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Published(&'static [&'static str]);

    impl PostLinks for Published {
        fn is_linkable(&self, id: &str) -> bool {
            self.0.contains(&id)
        }
    }

    fn html(body: &str) -> String {
        let mut out = String::new();
        push_body_html(&mut out, body, &Published(&["post-1100"]), None);
        out
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let out = html("<script>alert(1)</script>\n\nSee <img src=x onerror=alert(1)> here");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<img"), "{out}");
        assert!(
            out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{out}"
        );
        assert!(out.contains("&lt;img src=x onerror=alert(1)&gt;"), "{out}");
    }

    #[test]
    fn links_keep_only_safe_destinations() {
        let out = html(
            "[a](javascript:alert(1)) [b](https://x.example/?q=\"1\") [c](#post-1100) \
             [d](#post-draft) <desk@news.example> [e](data:text/html,x)",
        );
        assert_eq!(
            out,
            "<p dir=\"auto\">a <a href=\"https://x.example/?q=%221%22\" rel=\"noopener noreferrer\">b</a> \
             <a href=\"#post-1100\">c</a> d \
             <a href=\"mailto:desk@news.example\" rel=\"noopener noreferrer\">desk@news.example</a> e</p>\n"
        );
    }

    #[test]
    fn context_notes_become_asides_and_quotes_stay_quotes() {
        let out = html(
            "> “Quoted words,” he added.\n\n> For context: Putin has questioned it.\n>\n> More.",
        );
        assert_eq!(
            out,
            "<blockquote dir=\"auto\">\n<p dir=\"auto\">“Quoted words,” he added.</p>\n</blockquote>\n\
             <aside class=\"context\">\n<p dir=\"auto\"><strong class=\"context-label\">For context:</strong> \
             Putin has questioned it.</p>\n<p dir=\"auto\">More.</p>\n</aside>\n"
        );
        let paragraph = html("For context: *Lavrov* spoke first.");
        assert_eq!(
            paragraph,
            "<aside class=\"context\">\n<p dir=\"auto\"><strong class=\"context-label\">For context:</strong> \
             <em>Lavrov</em> spoke first.</p>\n</aside>\n"
        );
    }

    #[test]
    fn body_headings_sit_below_the_headline_and_images_become_links() {
        let out = html("# Big\n\n![A map](https://img.example/map.png) ![x](javascript:1)");
        assert!(out.starts_with("<h4 dir=\"auto\">Big</h4>"), "{out}");
        assert!(
            out.contains(
                "<a href=\"https://img.example/map.png\" rel=\"noopener noreferrer\">A map</a> x"
            ),
            "{out}"
        );
    }

    #[test]
    fn plain_text_keeps_the_words_and_paragraphs() {
        let text = markdown_to_plain_text(
            "First *para*\nwraps.\n\n- one\n- [two](#x)\n\n> Quote <b>bold</b>\n\n```\ncode\n```",
        );
        assert_eq!(
            text,
            "First para wraps.\n\none\ntwo\n\nQuote <b>bold</b>\n\ncode"
        );
        assert_eq!(markdown_to_plain_text(""), "");
    }

    #[test]
    fn words_gathered_while_writing_html_equal_the_plain_text() {
        let body = "> For context: *a* [b](#x)\n\n<b>c</b>\n\n- d\n- e\n\nf  \ng";
        let mut html = String::new();
        let mut words = String::new();
        push_body_html(&mut html, body, &Published(&[]), Some(&mut words));
        assert_eq!(words, markdown_to_plain_text(body));
        assert!(words.starts_with("For context: a b"));
    }
}
