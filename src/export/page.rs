//! The whole standalone page: head (policy, metadata, stylesheet), the blog's header,
//! pinned entries, key events, the timeline, and the structured data last.

use super::articles::{Articles, Sink};
use super::clock::{Clock, Iso, ShortDate, last_updated_line, local_day};
use super::csp::{PageNeeds, STYLESHEET, content_security_policy};
use super::entry::{EntryView, HeadlineLevel, PageContext};
use super::markdown::PostLinks;
use super::structured_data::StructuredData;
use super::text::{printable, shown};
use super::url::{local_media_path, web_url};
use super::video;
use crate::model::{BlogStatus, Entry, LiveBlog, Media};
use chrono::{DateTime, Utc};
use maud::{DOCTYPE, PreEscaped, Render, html};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;

/// The title used when the blog has none yet: a page must have one.
pub(super) const UNTITLED: &str = "Live updates";

/// Key events listed before the rest fold away under "Show N more", so that a long
/// story's list does not push the latest posts off the first screen.
pub(super) const KEY_EVENTS_SHOWN: usize = 10;

/// What readers see at one time, in page order: entries in print only, each once.
struct Published<'a> {
    pinned: Vec<&'a Entry>,
    stream: Vec<&'a Entry>,
    ids: HashSet<&'a str>,
}

impl<'a> Published<'a> {
    fn of(blog: &'a LiveBlog, now: DateTime<Utc>) -> Self {
        let mut ids = HashSet::with_capacity(blog.entries.len());
        // A document with a repeated id (refused by `check`) still gives a valid page:
        // only the first entry with an id is shown.
        let mut admit = |entry: &&'a Entry| entry.is_in_print(now) && ids.insert(entry.id.as_str());
        let pinned: Vec<&Entry> = blog.pinned_entries().filter(&mut admit).collect();
        let stream: Vec<&Entry> = blog.stream_entries().filter(&mut admit).collect();
        Self {
            pinned,
            stream,
            ids,
        }
    }

    fn in_page_order(&self) -> impl Iterator<Item = &'a Entry> + '_ {
        self.pinned.iter().chain(&self.stream).copied()
    }
}

impl PostLinks for HashSet<&str> {
    fn is_linkable(&self, id: &str) -> bool {
        self.contains(id)
    }
}

/// The entry preview looks links up in the document instead of building a set.
struct PublishedInBlog<'a>(&'a LiveBlog);

impl PostLinks for PublishedInBlog<'_> {
    fn is_linkable(&self, id: &str) -> bool {
        self.0
            .entries
            .iter()
            .any(|entry| entry.id.as_str() == id && entry.is_published())
    }
}

pub(crate) fn render_entry(blog: &LiveBlog, entry: &Entry) -> String {
    let links = PublishedInBlog(blog);
    let page = PageContext {
        blog,
        links: &links,
        // Without a clock, as the links above: what is published by hand.
        today: blog
            .last_updated(DateTime::<Utc>::MIN_UTC)
            .map(|time| local_day(&blog.settings.time_zone, time)),
    };
    let level = if blog.is_pinned(&entry.id) {
        HeadlineLevel::H2
    } else {
        HeadlineLevel::H3
    };
    EntryView {
        page: &page,
        entry,
        level,
        words: None,
    }
    .render()
    .into_string()
}

pub(crate) fn render_page(blog: &LiveBlog, now: DateTime<Utc>) -> String {
    write_page_to(blog, now, None)
}

/// The page written to `out` as it is made, never whole in memory: the same bytes as
/// [`render_page`].
pub(crate) fn write_page(
    blog: &LiveBlog,
    now: DateTime<Utc>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let sink = Sink::new(out);
    let mut rest = write_page_to(blog, now, Some(&sink));
    sink.drain(&mut rest);
    sink.finish()
}

/// The page, or with a `sink` what remains of it after the articles were handed on.
fn write_page_to(blog: &LiveBlog, now: DateTime<Utc>, sink: Option<&Sink<'_>>) -> String {
    let published = Published::of(blog, now);
    let order: Vec<&Entry> = published.in_page_order().collect();
    let needs = page_needs(&order);
    let last_updated = blog.last_updated(now);
    // The structured data's postings, one list per share of articles written.
    let postings = RefCell::new(Vec::new());
    let page = PageContext {
        blog,
        links: &published.ids,
        today: last_updated.map(|time| local_day(&blog.settings.time_zone, time)),
    };
    let title = shown(&blog.settings.title).unwrap_or(Cow::Borrowed(UNTITLED));
    let standfirst = shown(&blog.settings.standfirst).unwrap_or_default();
    let canonical = blog.settings.canonical_url.as_deref().and_then(web_url);
    let share_image = order.iter().find_map(|entry| match &entry.media {
        Some(Media::Image { url, alt, .. }) => web_url(url).map(|url| (url, shown(alt))),
        _ => None,
    });
    let language = language_tag(&blog.settings.language);
    let live = blog.settings.status == BlogStatus::Live;
    let key_events: Vec<&Entry> = order
        .iter()
        .copied()
        .filter(|entry| entry.flags.key_event)
        .collect();

    html! {
        (Reserve(if sink.is_some() { 0 } else { estimated_size(&order) }))
        (DOCTYPE)
        html lang=(language) {
            (PageHead {
                policy: &content_security_policy(needs),
                title: &title,
                standfirst: &standfirst,
                canonical: canonical.as_deref(),
                language,
                share_image: share_image.as_ref().map(|(url, alt)| (url.as_ref(), alt.as_deref())),
                published: blog.settings.coverage_start,
                modified: last_updated,
                feeds: false,
            })
            body {
                header.page-header {
                    (TitleBlock { live, title: &title, standfirst: Some(&standfirst) })
                    @if let Some(time) = last_updated {
                        p.updated {
                            "Last updated "
                            time datetime=(Iso(time)) { (last_updated_line(&blog.settings.time_zone, time)) }
                        }
                    }
                    @if !live {
                        p.ended-note { "This live coverage has ended." }
                    }
                }
                main {
                    @if !published.pinned.is_empty() {
                        section.pinned aria-label="Pinned" {
                            (Articles {
                                page,
                                entries: &published.pinned,
                                level: HeadlineLevel::H2,
                                canonical: canonical.as_deref(),
                                postings: &postings,
                                sink,
                                structured_data: true,
                            })
                        }
                    }
                    (KeyEvents { page: &page, entries: &key_events })
                    section.timeline {
                        h2 { "Latest updates" }
                        (Articles {
                            page,
                            entries: &published.stream,
                            level: HeadlineLevel::H3,
                            canonical: canonical.as_deref(),
                            postings: &postings,
                            sink,
                            structured_data: true,
                        })
                    }
                }
                // At the end, because its postings were written with the articles above
                // (search engines read it anywhere in the page).
                script type="application/ld+json" {
                    (StructuredData { blog, headline: &title, language, postings: &postings.borrow(), last_updated, sink })
                }
            }
        }
    }
    .into_string()
}

/// The page's `<head>`: policy, metadata, sharing cards, feeds and the stylesheet.
pub(super) struct PageHead<'a> {
    pub policy: &'a str,
    pub title: &'a str,
    pub standfirst: &'a str,
    pub canonical: Option<&'a str>,
    pub language: &'a str,
    pub share_image: Option<(&'a str, Option<&'a str>)>,
    pub published: DateTime<Utc>,
    pub modified: Option<DateTime<Utc>>,
    /// Links the published feeds (`feed.atom`, `feed.json`) beside the page.
    pub feeds: bool,
}

impl Render for PageHead<'_> {
    fn render_to(&self, buffer: &mut String) {
        let title = self.title;
        let standfirst = self.standfirst;
        html! {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(self.policy);
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light dark";
                title { (title) }
                @if !standfirst.is_empty() {
                    meta name="description" content=(standfirst);
                }
                @if let Some(url) = self.canonical {
                    link rel="canonical" href=(url);
                }
                @if self.feeds {
                    link rel="alternate" type="application/atom+xml" title=(title) href="feed.atom";
                    link rel="alternate" type="application/feed+json" title=(title) href="feed.json";
                }
                meta property="og:type" content="article";
                meta property="og:title" content=(title);
                @if !standfirst.is_empty() {
                    meta property="og:description" content=(standfirst);
                }
                @if let Some(url) = self.canonical {
                    meta property="og:url" content=(url);
                }
                meta property="og:locale" content=(self.language.replace('-', "_"));
                @if let Some((image, alt)) = self.share_image {
                    meta property="og:image" content=(image);
                    @if let Some(alt) = alt {
                        meta property="og:image:alt" content=(alt);
                    }
                }
                meta property="article:published_time" content=(Iso(self.published));
                @if let Some(time) = self.modified {
                    meta property="article:modified_time" content=(Iso(time));
                }
                meta name="twitter:card"
                    content=(if self.share_image.is_some() { "summary_large_image" } else { "summary" });
                style { (PreEscaped(STYLESHEET)) }
            }
        }
        .render_to(buffer);
    }
}

/// One line of the key events list: the time, and the headline linking to the post.
/// The top of a page's header: Live or Ended, the title, and (on the first page) the
/// standfirst, each reading in its own direction.
pub(super) struct TitleBlock<'a> {
    pub live: bool,
    pub title: &'a str,
    pub standfirst: Option<&'a str>,
}

impl Render for TitleBlock<'_> {
    fn render_to(&self, buffer: &mut String) {
        html! {
            p.status {
                @if self.live {
                    span.badge.badge-live { "Live" }
                } @else {
                    span.badge.badge-ended { "Ended" }
                }
            }
            h1 dir="auto" { (self.title) }
            @if let Some(standfirst) = self.standfirst.filter(|text| !text.is_empty()) {
                p.standfirst dir="auto" { (standfirst) }
            }
        }
        .render_to(buffer);
    }
}

/// The key events list: the first ten, the rest behind "Show N more key events". Nothing
/// when there are none.
pub(super) struct KeyEvents<'a> {
    pub page: &'a PageContext<'a>,
    pub entries: &'a [&'a Entry],
}

impl Render for KeyEvents<'_> {
    fn render_to(&self, buffer: &mut String) {
        let (page, key_events) = (self.page, self.entries);
        if key_events.is_empty() {
            return;
        }
        html! {
            nav.key-events aria-label="Key events" {
                h2 { "Key events" }
                ol {
                    @for entry in key_events.iter().take(KEY_EVENTS_SHOWN) {
                        li { (KeyEventLink { page, entry }) }
                        "\n"
                    }
                }
                @if key_events.len() > KEY_EVENTS_SHOWN {
                    details {
                        summary {
                            "Show " (key_events.len() - KEY_EVENTS_SHOWN) " more key events"
                        }
                        ol {
                            @for entry in key_events.iter().skip(KEY_EVENTS_SHOWN) {
                                li { (KeyEventLink { page, entry }) }
                                "\n"
                            }
                        }
                    }
                }
            }
        }
        .render_to(buffer);
    }
}

pub(super) struct KeyEventLink<'a> {
    pub page: &'a PageContext<'a>,
    pub entry: &'a Entry,
}

impl Render for KeyEventLink<'_> {
    fn render_to(&self, buffer: &mut String) {
        let time = self.entry.display_time;
        let local = self.page.blog.settings.time_zone.zone.local(time);
        let other_day = self
            .page
            .today
            .is_some_and(|today| today != local.date_naive());
        html! {
            a href={ (self.page.links.page_of(self.entry.id.as_str()).unwrap_or_default()) "#" (self.entry.id.as_str()) } {
                time datetime=(Iso(time)) {
                    (Clock(local))
                    @if other_day { " " span.date { (ShortDate(local)) } }
                }
                " "
                span.key-headline dir="auto" { (printable(&self.entry.title_line(120))) }
            }
        }
        .render_to(buffer);
    }
}

/// Pictures and players the published entries show, for the security policy.
pub(super) fn page_needs(order: &[&Entry]) -> PageNeeds {
    let mut needs = PageNeeds::default();
    for entry in order {
        match &entry.media {
            Some(Media::Image { url, .. }) if web_url(url).is_some() => needs.images = true,
            Some(Media::Image { url, .. }) if local_media_path(url).is_some() => {
                needs.local_images = true;
            }
            Some(Media::Video { url, .. }) => {
                if let Some(embed) = video::recognise(url) {
                    needs.add_video(&embed);
                }
            }
            _ => {}
        }
    }
    needs
}

/// The blog's BCP 47 tag when it looks like one; English otherwise, because a page
/// without a valid language is read out wrongly by screen readers.
pub(super) fn language_tag(tag: &str) -> &str {
    let tag = tag.trim();
    let mut parts = tag.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    let rest_ok =
        parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    if primary_ok && rest_ok { tag } else { "en" }
}

/// About what the page will weigh: each post's text appears twice (article and
/// structured data) plus its markup.
fn estimated_size(order: &[&Entry]) -> usize {
    let posts: usize = order
        .iter()
        .map(|entry| 2 * entry.body.len() + 3 * entry.headline.len() + 900)
        .sum();
    STYLESHEET.len() + 4096 + posts
}

/// Reserves the page's estimated size in the buffer maud writes into, so that a long
/// page is written once instead of being copied each time the buffer grows.
pub(super) struct Reserve(pub usize);

impl Render for Reserve {
    fn render_to(&self, buffer: &mut String) {
        buffer.reserve(self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_kept_only_when_well_formed() {
        assert_eq!(language_tag("en-GB"), "en-GB");
        assert_eq!(language_tag(" uk "), "uk");
        assert_eq!(language_tag("zh-Hant-TW"), "zh-Hant-TW");
        for bad in ["", "e", "en_GB", "\"><script>", "en--GB", "englishlanguage"] {
            assert_eq!(language_tag(bad), "en", "{bad:?}");
        }
    }
}
