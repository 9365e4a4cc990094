//! The incremental site build: rendered articles cached by entry id, and each page
//! remembered by what it was assembled from, so that republishing after one edit renders
//! one article and assembles only the pages that changed (the edited entry's page, the
//! first page with its "last updated" line, and the feeds).
//!
//! What changed is known by pointer, not by content: the builder holds every entry it
//! planned and rendered (`Arc<Entry>`), and an edit copies a shared entry before changing
//! it (`Arc::make_mut`), so an entry still the same allocation is unchanged. When an edit
//! leaves the pages' shape alone (no post added, removed, moved, published or withdrawn)
//! the plan is kept and a republish costs a pass over 100,000 pointers plus the pages
//! touched; otherwise the pages are planned again and compared entry by entry.

use crate::export::{RenderedArticle, Replanned, SiteLayout, SiteOptions, SitePlan};
use crate::model::{Entry, LiveBlog, Media};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

struct CachedArticle {
    /// The version rendered, held so that the same allocation means the same content.
    entry: Arc<Entry>,
    page: usize,
    /// Rendered among the pinned entries (with an `h2`).
    pinned: bool,
    article: RenderedArticle,
}

/// What a page was last assembled from.
struct PageMemo {
    /// Everything about the page besides its entries: its place, the page count, the
    /// settings, and on the first page the latest update and the key events.
    frame: u64,
    entries: Vec<Arc<Entry>>,
    /// On the first page, which lists them: the key events and the page each is on.
    key_events: Vec<(Arc<Entry>, Option<usize>)>,
}

/// What the last build did, to show that republishing stays incremental.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BuildStats {
    /// Articles rendered (not taken from the cache).
    pub rendered: usize,
    /// Pages assembled (the others are unchanged since the last build).
    pub pages_assembled: usize,
    pub pages: usize,
}

/// What a build hands over, in order: the pictures first, then each changed file.
pub enum SiteOutput<'s> {
    /// The pictures from the media folder the site shows, as
    /// [`crate::export::local_media`] lists them (every build, changed or not).
    Pictures(&'s [String]),
    /// A page that changed (archive pages first, then the feeds, the first page last).
    File(&'s str, String),
}

/// The files of one build.
pub struct SiteFiles {
    /// Pages assembled this time, then the feeds, the first page last: `(file name, contents)`.
    pub changed: Vec<(String, String)>,
    /// Every file of the site, changed or not.
    pub names: Vec<String>,
}

#[derive(Default)]
pub struct SiteBuilder {
    /// The article context and options the cache was filled under.
    context: Option<u64>,
    settings: Option<u64>,
    layout: Option<SiteLayout>,
    articles: HashMap<Box<str>, CachedArticle>,
    pages: Vec<Option<PageMemo>>,
    /// The pictures from the media folder the site shows (`export::local_media`).
    media: Vec<String>,
    stats: BuildStats,
}

impl SiteBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn stats(&self) -> BuildStats {
        self.stats
    }

    /// Forgets which pages were written (keeping the rendered articles): the next build
    /// assembles every page. For a new target, or after a publish that may not have landed.
    pub fn forget_pages(&mut self) {
        self.pages.clear();
    }

    /// Builds the site as it stands at `now`, assembling only the pages that changed since
    /// the last build, and returns them all at once (see [`SiteBuilder::build_each`]).
    pub fn build(&mut self, blog: &LiveBlog, now: DateTime<Utc>) -> SiteFiles {
        let mut changed = Vec::new();
        let names = self
            .build_each(blog, now, &mut |output| {
                if let SiteOutput::File(name, text) = output {
                    changed.push((name.to_owned(), text));
                }
                Ok::<(), std::convert::Infallible>(())
            })
            .unwrap_or_else(|never| match never {});
        SiteFiles { changed, names }
    }

    /// Builds the site as it stands at `now`, handing `write` the pictures the site shows,
    /// then each page that changed since the last build as soon as it is assembled (archive
    /// pages, then the feeds, the first page last), so that no more than one page is held
    /// at a time. Returns every file name
    /// of the site. After an error the pages are forgotten: the next build assembles them all.
    pub fn build_each<E>(
        &mut self,
        blog: &LiveBlog,
        now: DateTime<Utc>,
        write: &mut dyn FnMut(SiteOutput<'_>) -> Result<(), E>,
    ) -> Result<Vec<String>, E> {
        let result = self.build_inner(blog, now, write);
        if result.is_err() {
            self.pages.clear();
        }
        result
    }

    fn build_inner<E>(
        &mut self,
        blog: &LiveBlog,
        now: DateTime<Utc>,
        write: &mut dyn FnMut(SiteOutput<'_>) -> Result<(), E>,
    ) -> Result<Vec<String>, E> {
        let options = SiteOptions::of(blog);
        let (plan, replanned) = SitePlan::update(blog, options, now, self.layout.take());
        let context = {
            let mut hasher = DefaultHasher::new();
            plan.article_context().hash(&mut hasher);
            options.page_size.hash(&mut hasher);
            hasher.finish()
        };
        if self.context != Some(context) {
            self.articles.clear();
            self.pages.clear();
            self.context = Some(context);
        }
        let settings = {
            let mut hasher = DefaultHasher::new();
            format!("{:?}", blog.settings).hash(&mut hasher);
            hasher.finish()
        };
        if self.settings != Some(settings) {
            // The title, the language… are on every page.
            self.pages.clear();
            self.settings = Some(settings);
        }
        let page_count = plan.page_count();
        let every_page_known =
            self.pages.len() == page_count && self.pages.iter().all(Option::is_some);
        self.pages.resize_with(page_count, || None);
        // The pages that may have changed: with the plan kept and every page written
        // before, those of the replaced entries and the first (its "last updated").
        let (candidates, key_events_moved): (Vec<usize>, bool) = match &replanned {
            Replanned::Kept(replaced) if every_page_known => {
                let mut pages: Vec<usize> = replaced.iter().filter_map(|r| r.page).collect();
                pages.push(0);
                pages.sort_unstable();
                pages.dedup();
                // The first page lists the key events: only a replaced one can change that
                // list while the plan is kept (the same ones, on the same pages).
                let key_event_replaced = replaced.iter().any(|replaced| {
                    replaced.page.is_some()
                        && blog
                            .entries
                            .get(replaced.position)
                            .is_none_or(|entry| entry.flags.key_event)
                });
                (pages, key_event_replaced)
            }
            _ => ((0..page_count).collect(), true),
        };
        let media_moved = match &replanned {
            Replanned::Kept(replaced) => replaced.iter().any(|replaced| {
                blog.entries
                    .get(replaced.position)
                    .is_none_or(|new| local_picture(new) != local_picture(&replaced.old))
            }),
            Replanned::Afresh => true,
        };
        if media_moved {
            self.media = crate::export::local_media(blog);
        }
        write(SiteOutput::Pictures(&self.media))?;
        let mut stats = BuildStats {
            pages: page_count,
            ..BuildStats::default()
        };
        // Index last: until it lands, readers keep the previous first page.
        let mut first_page = None;
        for &page in candidates
            .iter()
            .filter(|&&page| page != 0)
            .chain(candidates.first().filter(|&&page| page == 0))
        {
            if let Some(text) =
                self.assemble_if_changed(&plan, page, settings, key_events_moved, &mut stats)
            {
                if page == 0 {
                    first_page = Some(text);
                } else {
                    write(SiteOutput::File(plan.file(page), text))?;
                }
            }
        }
        for (name, text) in crate::export::feeds(&plan) {
            write(SiteOutput::File(name, text))?;
        }
        if let Some(text) = first_page {
            write(SiteOutput::File(plan.file(0), text))?;
        }
        let names = (0..page_count)
            .map(|page| plan.file(page).to_owned())
            .chain(["feed.atom".to_owned(), "feed.json".to_owned()])
            .collect();
        // Entries deleted or unpublished leave their articles behind; drop them now and
        // then rather than on every build.
        if self.articles.len() > 2 * blog.entries.len() + 64 {
            let live: std::collections::HashSet<&str> =
                blog.entries.iter().map(|entry| entry.id.as_str()).collect();
            self.articles.retain(|id, _| live.contains(&**id));
        }
        self.layout = Some(plan.into_layout());
        self.stats = stats;
        Ok(names)
    }

    /// The page's HTML, unless it is the same as when it was last assembled.
    /// `key_events_moved`: the first page's list of key events may differ from its memo's
    /// (otherwise it is known to be the same, and not collected again: 8,000 at 100k).
    fn assemble_if_changed(
        &mut self,
        plan: &SitePlan<'_>,
        page: usize,
        settings: u64,
        key_events_moved: bool,
        stats: &mut BuildStats,
    ) -> Option<String> {
        let page_count = plan.page_count();
        let (pinned, posts) = plan.page_entries(page);
        let frame = {
            let mut hasher = DefaultHasher::new();
            (page, page + 1 < page_count, settings, pinned.len()).hash(&mut hasher);
            if page == 0 {
                plan.last_updated().hash(&mut hasher);
            }
            hasher.finish()
        };
        let key_events: Option<Vec<(Arc<Entry>, Option<usize>)>> = (page == 0 && key_events_moved)
            .then(|| {
                plan.key_events()
                    .map(|entry| (Arc::clone(entry), plan.page_holding(entry.id.as_str())))
                    .collect()
            });
        let same_entries = |memo: &PageMemo| {
            memo.frame == frame
                && memo.entries.len() == pinned.len() + posts.len()
                && memo
                    .entries
                    .iter()
                    .zip(pinned.iter().chain(posts))
                    .all(|(old, new)| Arc::ptr_eq(old, new))
                && key_events.as_ref().is_none_or(|key_events| {
                    memo.key_events.len() == key_events.len()
                        && memo.key_events.iter().zip(key_events).all(
                            |((old, old_page), (new, new_page))| {
                                Arc::ptr_eq(old, new) && old_page == new_page
                            },
                        )
                })
        };
        let unchanged = self.pages[page].as_ref().is_some_and(same_entries)
            && pinned.iter().chain(posts).all(|entry| {
                self.articles
                    .get(entry.id.as_str())
                    .is_some_and(|cached| plan.links_unchanged(&cached.article, page))
            });
        if unchanged {
            return None;
        }
        let mut entries = Vec::with_capacity(pinned.len() + posts.len());
        for (index, entry) in pinned.iter().chain(posts).enumerate() {
            let is_pinned = index < pinned.len();
            let fresh = self.articles.get(entry.id.as_str()).is_some_and(|cached| {
                Arc::ptr_eq(&cached.entry, entry)
                    && cached.page == page
                    && cached.pinned == is_pinned
                    && plan.links_unchanged(&cached.article, page)
            });
            if !fresh {
                let article = plan.render_article(entry, page, page == 0);
                stats.rendered += 1;
                self.articles.insert(
                    entry.id.as_str().into(),
                    CachedArticle {
                        entry: Arc::clone(entry),
                        page,
                        pinned: is_pinned,
                        article,
                    },
                );
            }
            entries.push(Arc::clone(entry));
        }
        let articles: Vec<&RenderedArticle> = entries
            .iter()
            .filter_map(|entry| {
                self.articles
                    .get(entry.id.as_str())
                    .map(|cached| &cached.article)
            })
            .collect();
        let text = plan.assemble_page(page, &articles);
        stats.pages_assembled += 1;
        let key_events = key_events.unwrap_or_else(|| {
            self.pages[page]
                .take()
                .map(|memo| memo.key_events)
                .unwrap_or_default()
        });
        self.pages[page] = Some(PageMemo {
            frame,
            entries,
            key_events,
        });
        Some(text)
    }
}

/// The picture from the media folder an entry shows, for knowing when the list changes.
fn local_picture(entry: &Entry) -> Option<&str> {
    match &entry.media {
        Some(Media::Image { url, .. }) if entry.goes_to_print() => Some(url),
        _ => None,
    }
}
