//! One entry as an `<article>`: time and permalink, badges, headline, bylines, body,
//! media and correction.

use super::clock::{Clock, Iso, ShortDate};
use super::markdown::{PostLinks, push_body_html};
use super::text::{shown, zone_label};
use super::url::{local_media_path, web_url};
use super::video;
use crate::model::{EmbedCard, Entry, EntryKind, LiveBlog, Media};
use chrono::NaiveDate;
use maud::{Render, html};
use std::cell::RefCell;

/// What every entry on one page shares.
#[derive(Clone, Copy)]
pub(crate) struct PageContext<'a> {
    pub blog: &'a LiveBlog,
    pub links: &'a dyn PostLinks,
    /// The day of the latest update in the blog's zone: posts from other days show
    /// their date beside the time.
    pub today: Option<NaiveDate>,
}

/// The words of each article in the order written, gathered while the bodies are
/// rendered so that each body is parsed once.
#[derive(Default)]
pub(crate) struct ArticleWords {
    text: String,
    ends: Vec<usize>,
}

impl ArticleWords {
    pub(crate) fn with_capacity(articles: usize, bytes: usize) -> Self {
        Self {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(articles),
        }
    }

    /// The words of the `index`th article written.
    pub(crate) fn get(&self, index: usize) -> &str {
        let start = match index {
            0 => 0,
            _ => self.ends.get(index - 1).copied().unwrap_or(self.text.len()),
        };
        let end = self.ends.get(index).copied().unwrap_or(start);
        self.text.get(start..end).unwrap_or_default()
    }

    fn finish_article(&mut self) {
        self.ends.push(self.text.len());
    }
}

/// Pinned entries sit directly under the page's title; the timeline has a heading of its own.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeadlineLevel {
    H2,
    H3,
}

pub(crate) struct EntryView<'a> {
    pub page: &'a PageContext<'a>,
    pub entry: &'a Entry,
    pub level: HeadlineLevel,
    /// Where the page gathers each article's words for its structured data.
    pub words: Option<&'a RefCell<ArticleWords>>,
}

impl Render for EntryView<'_> {
    fn render_to(&self, buffer: &mut String) {
        let entry = self.entry;
        let blog = self.page.blog;
        let time = entry.display_time;
        let local = blog.settings.time_zone.zone.local(time);
        let other_day = self
            .page
            .today
            .is_some_and(|today| today != local.date_naive());
        let bylines = || entry.bylines.iter().filter(|b| shown(&b.name).is_some());
        html! {
            article #(entry.id.as_str())
                .entry
                .summary[entry.kind == EntryKind::Summary]
                .key-event[entry.flags.key_event]
                .breaking[entry.flags.breaking]
            {
                p.entry-meta {
                    a.permalink href={ "#" (entry.id.as_str()) } {
                        time datetime=(Iso(time)) { (Clock(local)) }
                    }
                    @if other_day {
                        " " span.date { (ShortDate(local)) }
                    }
                    @for zone in &blog.settings.extra_zones {
                        " " span.zone { (Clock::of(zone, time)) " " (zone_label(zone)) }
                    }
                    @if entry.flags.breaking {
                        " " span.badge.badge-breaking { "Breaking" }
                    }
                    @if entry.flags.key_event {
                        " " span.badge.badge-key { "Key event" }
                    }
                }
                @if let Some(headline) = shown(&entry.headline) {
                    @if self.level == HeadlineLevel::H2 {
                        h2.headline dir="auto" { (headline) }
                    } @else {
                        h3.headline dir="auto" { (headline) }
                    }
                }
                @if bylines().next().is_some() {
                    p.byline {
                        "By "
                        @for (index, byline) in bylines().enumerate() {
                            @if index > 0 { " and " }
                            span.author dir="auto" { (shown(&byline.name).unwrap_or_default()) }
                            @if let Some(role) = shown(&byline.role) {
                                ", " span.role dir="auto" { (role) }
                            }
                        }
                    }
                }
                @if !entry.body.trim().is_empty() {
                    div.body { (Body { markdown: &entry.body, page: self.page, words: self.words }) }
                }
                @if let Some(media) = &entry.media {
                    (MediaView(media))
                }
                @if let Some(correction) = shown(&entry.correction) {
                    p.correction { strong { "Correction:" } " " span dir="auto" { (correction) } }
                }
            }
        }
        .render_to(buffer);
        if let Some(words) = self.words {
            words.borrow_mut().finish_article();
        }
    }
}

/// A Markdown body, rendered straight into the entry's buffer.
struct Body<'a> {
    markdown: &'a str,
    page: &'a PageContext<'a>,
    words: Option<&'a RefCell<ArticleWords>>,
}

impl Render for Body<'_> {
    fn render_to(&self, buffer: &mut String) {
        let mut words = self.words.map(RefCell::borrow_mut);
        let words = words.as_deref_mut().map(|words| &mut words.text);
        push_body_html(buffer, self.markdown, self.page.links, words);
    }
}

/// An image with its description and caption, a privacy-enhanced player, or a plain
/// link for any other video, or a social post's static card. A URL that is neither
/// http(s) nor a picture in the media folder shows nothing but its caption.
struct MediaView<'a>(&'a Media);

impl Render for MediaView<'_> {
    fn render_to(&self, buffer: &mut String) {
        let caption = shown(self.0.caption());
        match self.0 {
            Media::Embed(card) => EmbedView(card).render_to(buffer),
            Media::Image { url, alt, .. } => {
                // The media folder's picture is written beside the page under the same
                // relative path (the export's caller copies it).
                let src = web_url(url).or_else(|| local_media_path(url));
                // Nothing to show leaves no empty box behind.
                if src.is_none() && caption.is_none() {
                    return;
                }
                html! {
                    figure.media {
                        @if let Some(src) = src {
                            img src=(src) alt=(shown(alt).unwrap_or_default()) loading="lazy" decoding="async";
                        }
                        @if let Some(caption) = &caption {
                            figcaption dir="auto" { (caption) }
                        }
                    }
                }
                .render_to(buffer);
            }
            Media::Video { url, .. } => {
                let title = caption.as_deref().unwrap_or("Video");
                if let Some(embed) = video::recognise(url) {
                    html! {
                        figure.media.video {
                            div.player {
                                iframe src=(embed.player_url()) title=(title)
                                    loading="lazy"
                                    allow="encrypted-media; picture-in-picture; fullscreen"
                                    referrerpolicy="strict-origin-when-cross-origin" {}
                            }
                            figcaption {
                                @if let Some(caption) = &caption { span dir="auto" { (caption) } " " }
                                a.watch href=(embed.watch_url()) rel="noopener noreferrer" {
                                    "Watch on " (embed.service())
                                }
                            }
                        }
                    }
                    .render_to(buffer);
                } else if let Some(href) = web_url(url) {
                    html! {
                        p.video-link {
                            a href=(href) rel="noopener noreferrer" { "Watch: " span dir="auto" { (title) } }
                        }
                    }
                    .render_to(buffer);
                } else if let Some(caption) = &caption {
                    html! { p.video-link dir="auto" { (caption) } }.render_to(buffer);
                }
            }
        }
    }
}

/// A social post as a static card: the text as paragraphs, then who posted it, where and
/// when, and a link to the original. Only plain text goes in, escaped by maud: never the
/// service's HTML, never a script or a frame.
struct EmbedView<'a>(&'a EmbedCard);

impl Render for EmbedView<'_> {
    fn render_to(&self, buffer: &mut String) {
        let card = self.0;
        let href = web_url(&card.url);
        let text = shown(&card.text);
        let author = shown(&card.author);
        let provider = shown(&card.provider);
        let date = shown(&card.date);
        if text.is_none() && author.is_none() && href.is_none() {
            return;
        }
        let paragraphs: Vec<&str> = text
            .as_deref()
            .map(|text| {
                text.split('\n')
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        html! {
            figure.media.embed-card {
                @if !paragraphs.is_empty() {
                    blockquote cite=[href.as_deref()] {
                        @for paragraph in &paragraphs { p dir="auto" { (paragraph) } }
                    }
                }
                figcaption {
                    @if let Some(author) = &author {
                        span.embed-author dir="auto" { (author) }
                        @if provider.is_some() { " on " }
                    }
                    @if let Some(provider) = &provider { (provider) }
                    @if let Some(date) = &date {
                        @if author.is_some() || provider.is_some() { ", " }
                        span dir="auto" { (date) }
                    }
                    @if let Some(href) = &href {
                        " " a href=(href) rel="noopener noreferrer" {
                            "View the original post"
                            @if let Some(provider) = &provider { " on " (provider) }
                        }
                    }
                }
            }
        }
        .render_to(buffer);
    }
}
