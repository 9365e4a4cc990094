//! The published site: the first page (pinned entries, the newest posts, key events, the
//! reader script), numbered archive pages of older posts linked both ways, and the feeds.
//!
//! Built in two steps so that the publisher can cache the expensive one: each entry is
//! rendered on its own ([`SitePlan::render_article`], a pure function of the entry and of
//! what [`SitePlan::article_context`] names), then pages are assembled from rendered
//! articles ([`SitePlan::assemble_page`]). [`render_site`], which keeps nothing, writes
//! each page with its articles rendered straight into it ([`SitePlan::render_page`]): the
//! same bytes, without an allocation and a copy per article.
//!
//! Which post goes on which page is a [`SiteLayout`], which the publisher keeps from one
//! build to the next ([`SitePlan::update`]).
//!
//! Paging: the first page holds the pinned entries and the newest `page_size` posts; the
//! older posts follow on `page-2.html`, `page-3.html`… of `page_size` posts each, newest
//! first. A link to a post on another page names that page (`page-3.html#post-1`), so every
//! permalink resolves. Archive pages carry no "last updated" line: an edit changes only
//! the page its entry is on, plus the first page and the feeds.

use super::articles::Articles;
use super::clock::{Iso, last_updated_line, local_day};
use super::csp::{READER_SCRIPT, STYLESHEET, content_security_policy};
use super::entry::{ArticleWords, EntryView, HeadlineLevel, PageContext};
use super::markdown::PostLinks;
use super::page::{KeyEvents, PageHead, Reserve, TitleBlock, UNTITLED, language_tag, page_needs};
use super::structured_data::{StructuredData, push_postings};
use super::text::shown;
use super::url::web_url;
use crate::model::{BlogStatus, Entry, EntryId, LiveBlog, Media};
use chrono::{DateTime, NaiveDate, Utc};
use maud::{DOCTYPE, PreEscaped, Render, html};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

/// How the site is cut and what it carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SiteOptions {
    /// Posts on the first page and on each archive page (at least 1).
    pub page_size: usize,
    /// The first page carries the reader script that announces new posts.
    pub reader_script: bool,
}

impl SiteOptions {
    pub fn of(blog: &LiveBlog) -> Self {
        let publish = &blog.settings.publish;
        Self {
            page_size: usize::try_from(publish.page_size).unwrap_or(usize::MAX),
            reader_script: publish.reader_script,
        }
    }
}

/// One rendered `<article>` with what it was rendered from.
#[derive(Clone, Debug)]
pub struct RenderedArticle {
    pub html: String,
    /// The `BlogPosting` JSON, for articles on the first page (whose structured data lists them).
    pub posting: Option<Vec<u8>>,
    /// Each post link in the body, and the page file it was written to point at (`None`:
    /// the same page; `Some("")`: not published, so the link was left out).
    pub links: Vec<(String, Option<String>)>,
}

/// Which entry in print goes on which page, owned so that the publisher can keep it from
/// one build to the next and update it in place when an edit leaves the pages' shape alone.
#[derive(Clone)]
pub struct SiteLayout {
    /// The document's entries as planned, held: an edit copies a shared entry before
    /// changing it (`Arc::make_mut`), so an entry still the same allocation is unchanged.
    entries: Vec<Arc<Entry>>,
    /// For each of `entries`, its place in `order` (`NOT_PLACED`: not in print, or a repeat).
    slot_of: Vec<u32>,
    pinned_ids: Vec<EntryId>,
    options: SiteOptions,
    planned_at: DateTime<Utc>,
    /// The earliest time after `planned_at` at which a scheduled entry comes into print.
    next_in_print: Option<DateTime<Utc>>,
    /// The pinned entries in print, then the stream's.
    order: Vec<Arc<Entry>>,
    pinned: usize,
    /// The page each published id is on.
    page_of: HashMap<Box<str>, usize>,
    files: Vec<String>,
    /// Places in `order` of the key events.
    key_events: Vec<usize>,
    /// The latest update of anything in print (repeats included, as on the single page).
    last_updated: Option<DateTime<Utc>>,
}

const NOT_PLACED: u32 = u32::MAX;

/// An entry's part in the "Last updated" time.
fn update_time(entry: &Entry) -> DateTime<Utc> {
    entry.display_time.max(entry.modified)
}

impl SiteLayout {
    fn plan(blog: &LiveBlog, options: SiteOptions, now: DateTime<Utc>) -> Self {
        let page_size = options.page_size;
        let count = blog.entries.len();
        // A flat copy of the pointers: the layout indexes it by position on every refresh.
        let entries: Vec<Arc<Entry>> = blog.entries.iter().cloned().collect();
        let mut slot_of = vec![NOT_PLACED; count];
        let mut page_of: HashMap<Box<str>, usize> = HashMap::with_capacity(count);
        let mut order: Vec<Arc<Entry>> = Vec::with_capacity(count);
        let slot = |order: &Vec<Arc<Entry>>| u32::try_from(order.len()).unwrap_or(NOT_PLACED);
        // As on the single page: only what is in print at `now` appears, and a repeated id
        // (refused by `check`) is shown once; pinned entries in their pinned order first.
        for id in &blog.pinned {
            let Some(position) = entries.iter().position(|entry| entry.id == *id) else {
                continue;
            };
            let entry = &entries[position];
            if entry.is_in_print(now) && !page_of.contains_key(id.as_str()) {
                page_of.insert(id.as_str().into(), 0);
                slot_of[position] = slot(&order);
                order.push(Arc::clone(entry));
            }
        }
        let pinned = order.len();
        let mut last_updated = None;
        let mut next_in_print: Option<DateTime<Utc>> = None;
        for (position, entry) in entries.iter().enumerate() {
            if !entry.is_in_print(now) {
                if let Some(at) = entry.status.scheduled_for() {
                    next_in_print = Some(next_in_print.map_or(at, |next| next.min(at)));
                }
                continue;
            }
            last_updated = last_updated.max(Some(update_time(entry)));
            if blog.pinned.contains(&entry.id) || page_of.contains_key(entry.id.as_str()) {
                continue;
            }
            let page = (order.len() - pinned)
                .checked_sub(page_size)
                .map_or(0, |older| 1 + older / page_size);
            page_of.insert(entry.id.as_str().into(), page);
            slot_of[position] = slot(&order);
            order.push(Arc::clone(entry));
        }
        let stream = order.len() - pinned;
        let pages = 1 + stream.saturating_sub(page_size).div_ceil(page_size);
        let key_events = order
            .iter()
            .enumerate()
            .filter(|(_, entry)| entry.flags.key_event)
            .map(|(slot, _)| slot)
            .collect();
        Self {
            entries,
            slot_of,
            pinned_ids: blog.pinned.clone(),
            options,
            planned_at: now,
            next_in_print,
            order,
            pinned,
            page_of,
            files: (0..pages).map(page_file).collect(),
            key_events,
            last_updated,
        }
    }

    /// This layout brought up to date with `blog` at `now`, when its pages keep their shape:
    /// the same entries in print in the same places, the same key events. Returns the
    /// entries replaced since (their position in the document, and the version replaced);
    /// `None` when the pages must be planned again.
    fn refresh(
        &mut self,
        blog: &LiveBlog,
        options: SiteOptions,
        now: DateTime<Utc>,
    ) -> Option<Vec<(usize, Arc<Entry>)>> {
        let same_frame = self.options == options
            && self.entries.len() == blog.entries.len()
            && self.pinned_ids == blog.pinned
            && self.planned_at <= now
            && self.next_in_print.is_none_or(|next| now < next);
        if !same_frame {
            return None;
        }
        // Pointers only: the pass costs no look at the entries themselves.
        let mut replaced = Vec::new();
        for (position, (old, new)) in self.entries.iter().zip(blog.entries.iter()).enumerate() {
            if Arc::ptr_eq(old, new) {
                continue;
            }
            let same_place = old.id == new.id
                && old.is_in_print(self.planned_at) == new.is_in_print(now)
                && old.status.scheduled_for() == new.status.scheduled_for()
                && old.flags.key_event == new.flags.key_event;
            if !same_place {
                return None;
            }
            replaced.push(position);
        }
        let mut recount = false;
        let mut changes = Vec::with_capacity(replaced.len());
        for position in replaced {
            let new = blog.entries.get(position).map(Arc::clone)?;
            if new.is_in_print(now) {
                let (was, is) = (update_time(&self.entries[position]), update_time(&new));
                if is >= was {
                    self.last_updated = self.last_updated.max(Some(is));
                } else if self.last_updated == Some(was) {
                    // The latest update went back in time: look again at everything.
                    recount = true;
                }
            }
            let slot = self.slot_of[position];
            if let Some(placed) = self.order.get_mut(slot as usize) {
                *placed = Arc::clone(&new);
            }
            let old = std::mem::replace(&mut self.entries[position], new);
            changes.push((position, old));
        }
        if recount {
            self.last_updated = blog.last_updated(now);
        }
        self.planned_at = now;
        Some(changes)
    }

    /// The page the entry at `slot` of `order` is on.
    fn page_of_slot(&self, slot: usize) -> usize {
        let size = self.options.page_size;
        match slot.checked_sub(self.pinned) {
            None => 0,
            Some(index) => index.checked_sub(size).map_or(0, |older| 1 + older / size),
        }
    }
}

/// Which entry in print goes on which page, for one build.
pub struct SitePlan<'a> {
    blog: &'a LiveBlog,
    layout: SiteLayout,
    today: Option<NaiveDate>,
}

/// What [`SitePlan::update`] kept of the previous layout.
pub enum Replanned {
    /// Planned afresh: any page may have changed.
    Afresh,
    /// The same pages; only these entries were replaced: their places in the document, the
    /// page each is on (`None`: not on the site), and the version they replaced.
    Kept(Vec<ReplacedEntry>),
}

pub struct ReplacedEntry {
    pub position: usize,
    pub page: Option<usize>,
    pub old: Arc<Entry>,
}

impl<'a> SitePlan<'a> {
    pub fn new(blog: &'a LiveBlog, options: SiteOptions, now: DateTime<Utc>) -> Self {
        Self::with_layout(blog, SiteLayout::plan(blog, normalised(options), now))
    }

    /// The plan for `blog` at `now`, reusing `previous` (a plan's [`SitePlan::into_layout`])
    /// when the pages keep their shape: then the cost is a pass over the entries' pointers.
    pub fn update(
        blog: &'a LiveBlog,
        options: SiteOptions,
        now: DateTime<Utc>,
        previous: Option<SiteLayout>,
    ) -> (Self, Replanned) {
        let options = normalised(options);
        if let Some(mut layout) = previous
            && let Some(changes) = layout.refresh(blog, options, now)
        {
            let replaced = changes
                .into_iter()
                .map(|(position, old)| {
                    let slot = layout.slot_of[position];
                    let page = (slot != NOT_PLACED).then(|| layout.page_of_slot(slot as usize));
                    ReplacedEntry {
                        position,
                        page,
                        old,
                    }
                })
                .collect();
            return (Self::with_layout(blog, layout), Replanned::Kept(replaced));
        }
        (
            Self::with_layout(blog, SiteLayout::plan(blog, options, now)),
            Replanned::Afresh,
        )
    }

    fn with_layout(blog: &'a LiveBlog, layout: SiteLayout) -> Self {
        let today = layout
            .last_updated
            .map(|time| local_day(&blog.settings.time_zone, time));
        Self {
            blog,
            layout,
            today,
        }
    }

    /// The layout, to be passed to the next [`SitePlan::update`].
    pub fn into_layout(self) -> SiteLayout {
        self.layout
    }

    pub fn page_count(&self) -> usize {
        self.layout.files.len()
    }

    /// `index.html`, `page-2.html`, …
    pub fn file(&self, page: usize) -> &str {
        self.layout
            .files
            .get(page)
            .map_or("index.html", String::as_str)
    }

    /// The pinned entries (first page only) and the posts on `page`, in page order.
    pub fn page_entries(&self, page: usize) -> (&[Arc<Entry>], &[Arc<Entry>]) {
        let layout = &self.layout;
        let size = layout.options.page_size;
        let (pinned, stream) = layout.order.split_at(layout.pinned);
        let (start, end) = match page {
            0 => (0, size),
            _ => (page * size, (page + 1) * size),
        };
        let end = end.min(stream.len());
        let posts = stream.get(start.min(end)..end).unwrap_or_default();
        let pinned: &[Arc<Entry>] = if page == 0 { pinned } else { &[] };
        (pinned, posts)
    }

    /// The key events, in page order (the first page lists them all).
    pub fn key_events(&self) -> impl Iterator<Item = &Arc<Entry>> + '_ {
        self.layout
            .key_events
            .iter()
            .filter_map(|&slot| self.layout.order.get(slot))
    }

    /// The page a published id is on.
    pub fn page_holding(&self, id: &str) -> Option<usize> {
        self.layout.page_of.get(id).copied()
    }

    /// What every article's HTML depends on besides the entry itself and its links: the
    /// zones, the canonical address and the day of the latest update. A cache of articles
    /// is valid only while this stays the same.
    pub fn article_context(&self) -> u64 {
        let settings = &self.blog.settings;
        let mut hasher = DefaultHasher::new();
        format!("{:?}", settings.time_zone).hash(&mut hasher);
        format!("{:?}", settings.extra_zones).hash(&mut hasher);
        settings.canonical_url.hash(&mut hasher);
        self.today.hash(&mut hasher);
        hasher.finish()
    }

    /// One entry's article as it appears on `page` (pinned ones as `h2`), with its posting
    /// when `with_posting`.
    pub fn render_article(
        &self,
        entry: &Entry,
        page: usize,
        with_posting: bool,
    ) -> RenderedArticle {
        let links = PageLinks {
            plan: self,
            page,
            queried: Mutex::new(Vec::new()),
            record: true,
        };
        let context = PageContext {
            blog: self.blog,
            links: &links,
            today: self.today,
        };
        let pinned = page == 0 && self.blog.is_pinned(&entry.id);
        let words = RefCell::new(ArticleWords::with_capacity(1, entry.body.len()));
        let mut html = String::with_capacity(entry.body.len() + 700);
        EntryView {
            page: &context,
            entry,
            level: if pinned {
                HeadlineLevel::H2
            } else {
                HeadlineLevel::H3
            },
            words: Some(&words),
        }
        .render_to(&mut html);
        html.push('\n');
        let posting = with_posting.then(|| {
            let mut json = Vec::with_capacity(entry.body.len() + 300);
            let url = self.entry_url(page);
            push_postings(&mut json, &[entry], &words.borrow(), url.as_deref());
            json
        });
        let links = links
            .queried
            .into_inner()
            .unwrap_or_default()
            .into_iter()
            .map(|id| {
                let target = self.link_target(&id, page);
                (id, target)
            })
            .collect();
        RenderedArticle {
            html,
            posting,
            links,
        }
    }

    /// Whether an article rendered for `page` earlier would still point its post links at
    /// the same pages.
    pub fn links_unchanged(&self, article: &RenderedArticle, page: usize) -> bool {
        article
            .links
            .iter()
            .all(|(id, target)| self.link_target(id, page) == *target)
    }

    fn link_target(&self, id: &str, from_page: usize) -> Option<String> {
        match self.layout.page_of.get(id) {
            None => Some(String::new()),
            Some(&page) if page == from_page => None,
            Some(&page) => Some(self.file(page).to_owned()),
        }
    }

    /// The address a posting on `page` gives its entry, when the blog has a canonical one.
    fn entry_url(&self, page: usize) -> Option<String> {
        let canonical = self
            .blog
            .settings
            .canonical_url
            .as_deref()
            .and_then(web_url)?;
        let canonical = canonical.split('#').next().unwrap_or_default();
        if page == 0 {
            return Some(canonical.to_owned());
        }
        let folder = canonical
            .rfind('/')
            .map_or(canonical, |at| &canonical[..=at]);
        Some(format!("{folder}{}", self.file(page)))
    }

    /// The whole HTML of `page` from its articles (pinned first, in page order).
    pub fn assemble_page(&self, page: usize, articles: &[&RenderedArticle]) -> String {
        self.page_html(page, Some(articles))
    }

    /// The whole HTML of `page`, its articles rendered straight into it (the same bytes as
    /// rendering each with [`SitePlan::render_article`] and assembling them, without
    /// keeping each article apart and copying it).
    pub fn render_page(&self, page: usize) -> String {
        self.page_html(page, None)
    }

    fn page_html(&self, page: usize, articles: Option<&[&RenderedArticle]>) -> String {
        let (pinned, posts) = self.page_entries(page);
        let blog = self.blog;
        let title = shown(&blog.settings.title).unwrap_or(Cow::Borrowed(UNTITLED));
        let standfirst = shown(&blog.settings.standfirst).unwrap_or_default();
        let language = language_tag(&blog.settings.language);
        let first = page == 0;
        let order: Vec<&Entry> = pinned.iter().chain(posts).map(|entry| &**entry).collect();
        let mut needs = page_needs(&order);
        needs.reader_script = first && self.layout.options.reader_script;
        let canonical = self.entry_url(page);
        let share_image = order.iter().find_map(|entry| match &entry.media {
            Some(Media::Image { url, alt, .. }) => web_url(url).map(|url| (url, shown(alt))),
            _ => None,
        });
        let last_updated = self.last_updated();
        let live = blog.settings.status == BlogStatus::Live;
        let links = PageLinks {
            plan: self,
            page,
            queried: Mutex::new(Vec::new()),
            record: false,
        };
        let context = PageContext {
            blog,
            links: &links,
            today: self.today,
        };
        // The articles: taken as rendered, or written here (with the first page's postings).
        let fresh_postings = RefCell::new(Vec::new());
        let (pinned_order, posts_order) = order.split_at(pinned.len());
        let (pinned_run, posts_run, has_pinned) = match articles {
            Some(articles) => {
                let (pinned_articles, post_articles) =
                    articles.split_at(pinned.len().min(articles.len()));
                (
                    Run::Rendered(pinned_articles),
                    Run::Rendered(post_articles),
                    !pinned_articles.is_empty(),
                )
            }
            None => (
                Run::Fresh(Articles {
                    page: context,
                    entries: pinned_order,
                    level: HeadlineLevel::H2,
                    canonical: canonical.as_deref(),
                    postings: &fresh_postings,
                    sink: None,
                    structured_data: first,
                }),
                Run::Fresh(Articles {
                    page: context,
                    entries: posts_order,
                    level: HeadlineLevel::H3,
                    canonical: canonical.as_deref(),
                    postings: &fresh_postings,
                    sink: None,
                    structured_data: first,
                }),
                !pinned_order.is_empty(),
            ),
        };
        let key_events: Vec<&Entry> = if first {
            self.key_events().map(|entry| &**entry).collect()
        } else {
            Vec::new()
        };
        let page_title = if first {
            title.to_string()
        } else {
            format!("{title}: older updates, page {}", page + 1)
        };
        // Known once the articles are written: read when the structured data is.
        let postings = Postings {
            rendered: articles.filter(|_| first),
            fresh: &fresh_postings,
        };
        // Posts from the oldest on the first page onwards count as new to its readers.
        let since = posts.last().map(|entry| entry.display_time);
        let newer = (page > 0).then(|| self.file(page - 1));
        let older = (page + 1 < self.page_count()).then(|| self.file(page + 1));
        // About what the page weighs (its text, twice on the first page for the structured
        // data), so that it is not copied again and again as it grows.
        let estimate = STYLESHEET.len()
            + 4096
            + order
                .iter()
                .map(|entry| {
                    (1 + usize::from(first)) * entry.body.len() + 3 * entry.headline.len() + 900
                })
                .sum::<usize>();
        html! {
            (Reserve(estimate))
            (DOCTYPE)
            html lang=(language) {
                (PageHead {
                    policy: &content_security_policy(needs),
                    title: &page_title,
                    standfirst: &standfirst,
                    canonical: canonical.as_deref(),
                    language,
                    share_image: share_image.as_ref().map(|(url, alt)| (url.as_ref(), alt.as_deref())),
                    published: blog.settings.coverage_start,
                    modified: if first { last_updated } else { None },
                    feeds: true,
                })
                body {
                    header.page-header {
                        (TitleBlock { live, title: &title, standfirst: first.then_some(standfirst.as_ref()) })
                        @if first {
                            @if let Some(time) = last_updated {
                                p.updated {
                                    "Last updated "
                                    time datetime=(Iso(time)) { (last_updated_line(&blog.settings.time_zone, time)) }
                                }
                            }
                        } @else {
                            p.updated { "Older updates, page " (page + 1) ". " a href="index.html" { "Back to the latest updates" } }
                        }
                        @if first && !live {
                            p.ended-note { "This live coverage has ended." }
                        }
                    }
                    main {
                        @if needs.reader_script {
                            div #new-posts .new-posts role="status" hidden
                                data-feed="feed.json" data-since=[since.map(Iso)] {
                                button type="button" { "New posts" }
                            }
                        }
                        @if has_pinned {
                            section.pinned aria-label="Pinned" { (pinned_run) }
                        }
                        (KeyEvents { page: &context, entries: &key_events })
                        section.timeline {
                            h2 { @if first { "Latest updates" } @else { "Older updates" } }
                            (posts_run)
                        }
                        @if newer.is_some() || older.is_some() {
                            nav.pages aria-label="Pages" {
                                @if let Some(newer) = newer {
                                    a href=(newer) rel="prev" { "Newer updates" }
                                } @else {
                                    span {}
                                }
                                @if let Some(older) = older {
                                    a href=(older) rel="next" { "Older updates" }
                                }
                            }
                        }
                    }
                    @if first {
                        script type="application/ld+json" {
                            (postings.structured_data(blog, &title, language, last_updated))
                        }
                        @if needs.reader_script {
                            script { (PreEscaped(READER_SCRIPT)) }
                        }
                    }
                }
            }
        }
        .into_string()
    }

    /// The entries the feeds list: the first page's, in page order.
    pub fn feed_entries(&self) -> impl Iterator<Item = &Entry> + '_ {
        let (pinned, posts) = self.page_entries(0);
        pinned.iter().chain(posts).map(|entry| &**entry)
    }

    pub(super) fn blog(&self) -> &'a LiveBlog {
        self.blog
    }

    /// The page's "Last updated": the latest update of what is in print at the plan's time.
    pub fn last_updated(&self) -> Option<DateTime<Utc>> {
        self.layout.last_updated
    }

    /// Post links for content read away from the page (feeds): always name the page.
    pub(super) fn feed_links(&self) -> impl PostLinks + '_ {
        FeedLinks(self)
    }
}

fn normalised(options: SiteOptions) -> SiteOptions {
    SiteOptions {
        page_size: options.page_size.max(1),
        ..options
    }
}

/// `index.html` for the first page, `page-N.html` (N from 2) for the others.
pub fn page_file(page: usize) -> String {
    if page == 0 {
        "index.html".into()
    } else {
        format!("page-{}.html", page + 1)
    }
}

/// Post links as seen from one page, remembering which ids were asked about (the body's
/// post links), so that a cached article can tell later whether they still resolve.
struct PageLinks<'p, 'a> {
    plan: &'p SitePlan<'a>,
    page: usize,
    queried: Mutex<Vec<String>>,
    /// Whether to remember the ids asked about (for an article kept in a cache).
    record: bool,
}

impl PostLinks for PageLinks<'_, '_> {
    fn is_linkable(&self, id: &str) -> bool {
        if self.record
            && let Ok(mut queried) = self.queried.lock()
        {
            queried.push(id.to_owned());
        }
        self.plan.layout.page_of.contains_key(id)
    }

    fn page_of(&self, id: &str) -> Option<&str> {
        match self.plan.layout.page_of.get(id) {
            Some(&page) if page != self.page => Some(self.plan.file(page)),
            _ => None,
        }
    }
}

/// A page's run of articles: rendered before, or written into the page as it is made.
enum Run<'r, 'a> {
    Rendered(&'r [&'r RenderedArticle]),
    Fresh(Articles<'a, 'a, 'static>),
}

impl Render for Run<'_, '_> {
    fn render_to(&self, buffer: &mut String) {
        match self {
            Run::Rendered(articles) => {
                for article in *articles {
                    buffer.push_str(&article.html);
                }
            }
            Run::Fresh(articles) => articles.render_to(buffer),
        }
    }
}

/// The first page's postings, from its rendered articles or from those written into it.
struct Postings<'r> {
    rendered: Option<&'r [&'r RenderedArticle]>,
    fresh: &'r RefCell<Vec<Vec<u8>>>,
}

impl Postings<'_> {
    fn structured_data<'s>(
        &'s self,
        blog: &'s LiveBlog,
        headline: &'s str,
        language: &'s str,
        last_updated: Option<DateTime<Utc>>,
    ) -> impl Render + 's {
        PostingsData {
            postings: self,
            blog,
            headline,
            language,
            last_updated,
        }
    }
}

struct PostingsData<'s> {
    postings: &'s Postings<'s>,
    blog: &'s LiveBlog,
    headline: &'s str,
    language: &'s str,
    last_updated: Option<DateTime<Utc>>,
}

impl Render for PostingsData<'_> {
    fn render_to(&self, buffer: &mut String) {
        let rendered: Vec<Vec<u8>>;
        let fresh = self.postings.fresh.borrow();
        let postings: &[Vec<u8>] = match self.postings.rendered {
            Some(articles) => {
                rendered = articles
                    .iter()
                    .filter_map(|article| article.posting.clone())
                    .collect();
                &rendered
            }
            None => &fresh,
        };
        StructuredData {
            blog: self.blog,
            headline: self.headline,
            language: self.language,
            postings,
            last_updated: self.last_updated,
            sink: None,
        }
        .render_to(buffer);
    }
}

struct FeedLinks<'p, 'a>(&'p SitePlan<'a>);

impl PostLinks for FeedLinks<'_, '_> {
    fn is_linkable(&self, id: &str) -> bool {
        self.0.layout.page_of.contains_key(id)
    }

    fn page_of(&self, id: &str) -> Option<&str> {
        self.0.layout.page_of.get(id).map(|&page| self.0.file(page))
    }
}

/// Every file of the site, rendered afresh: `(file name, contents)`, pages first, then the
/// feeds. The publisher's incremental path gives the same bytes.
pub fn render_site(
    blog: &LiveBlog,
    options: SiteOptions,
    now: DateTime<Utc>,
) -> Vec<(String, String)> {
    let plan = SitePlan::new(blog, options, now);
    let mut files = Vec::with_capacity(plan.page_count() + 2);
    for page in 0..plan.page_count() {
        files.push((plan.file(page).to_owned(), plan.render_page(page)));
    }
    files.push(("feed.atom".into(), super::feeds::atom_feed(&plan)));
    files.push(("feed.json".into(), super::feeds::json_feed(&plan)));
    files
}
