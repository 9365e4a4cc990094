//! The incremental site build: rendered articles cached by entry id and content stamp,
//! and each page remembered by what it was assembled from, so that republishing after one
//! edit renders one article and assembles only the pages that changed (the edited entry's
//! page, the first page with its "last updated" line, and the feeds).
//!
//! Like the checker, the stamp trusts an entry's `modified` time, which every change made
//! through the edit layer sets, together with its times, status, flags and the lengths of
//! its texts: comparing stamps costs no pass over the text of 100,000 posts.

use crate::export::{RenderedArticle, SiteOptions, SitePlan};
use crate::model::{ContentStamp, LiveBlog};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

struct CachedArticle {
    stamp: ContentStamp,
    page: usize,
    article: RenderedArticle,
}

/// What a page was last assembled from.
#[derive(PartialEq, Eq)]
struct PageMemo {
    /// Everything about the page besides its entries: its place, the page count, the
    /// settings, and on the first page the latest update and the key events.
    frame: u64,
    entries: Vec<(String, ContentStamp)>,
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

/// The files of one build.
pub struct SiteFiles {
    /// Pages assembled this time, then the feeds: `(file name, contents)`.
    pub changed: Vec<(String, String)>,
    /// Every file of the site, changed or not.
    pub names: Vec<String>,
}

#[derive(Default)]
pub struct SiteBuilder {
    /// The article context and options the cache was filled under.
    context: Option<u64>,
    articles: HashMap<String, CachedArticle>,
    pages: Vec<Option<PageMemo>>,
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
    /// the last build.
    pub fn build(&mut self, blog: &LiveBlog, now: DateTime<Utc>) -> SiteFiles {
        let options = SiteOptions::of(blog);
        let plan = SitePlan::new(blog, options, now);
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
        let settings_hash = {
            let mut hasher = DefaultHasher::new();
            format!("{:?}", blog.settings).hash(&mut hasher);
            hasher.finish()
        };
        let page_count = plan.page_count();
        self.pages.resize_with(page_count, || None);
        let mut stats = BuildStats {
            pages: page_count,
            ..BuildStats::default()
        };
        let mut changed = Vec::new();
        let mut names = Vec::with_capacity(page_count + 2);
        for page in 0..page_count {
            names.push(plan.file(page).to_owned());
            let (pinned, posts) = plan.page_entries(page);
            let frame = {
                let mut hasher = DefaultHasher::new();
                (page, page + 1 < page_count, settings_hash, pinned.len()).hash(&mut hasher);
                if page == 0 {
                    plan.last_updated().hash(&mut hasher);
                    for entry in blog.entries.iter().filter(|e| e.flags.key_event) {
                        (entry.id.as_str(), entry.content_stamp()).hash(&mut hasher);
                    }
                }
                hasher.finish()
            };
            let same_entries = |memo: &PageMemo| {
                memo.frame == frame
                    && memo.entries.len() == pinned.len() + posts.len()
                    && memo.entries.iter().zip(pinned.iter().chain(posts)).all(
                        |((id, stamp), entry)| {
                            id == entry.id.as_str() && *stamp == entry.content_stamp()
                        },
                    )
            };
            let unchanged = self.pages[page].as_ref().is_some_and(same_entries)
                && pinned.iter().chain(posts).all(|entry| {
                    self.articles
                        .get(entry.id.as_str())
                        .is_some_and(|cached| plan.links_unchanged(&cached.article, page))
                });
            if unchanged {
                continue;
            }
            let mut entries = Vec::with_capacity(pinned.len() + posts.len());
            for entry in pinned.iter().chain(posts) {
                let stamp = entry.content_stamp();
                let fresh = self.articles.get(entry.id.as_str()).is_some_and(|cached| {
                    cached.stamp == stamp
                        && cached.page == page
                        && plan.links_unchanged(&cached.article, page)
                });
                if !fresh {
                    let article = plan.render_article(entry, page, page == 0);
                    stats.rendered += 1;
                    self.articles.insert(
                        entry.id.as_str().to_owned(),
                        CachedArticle {
                            stamp,
                            page,
                            article,
                        },
                    );
                }
                entries.push((entry.id.as_str().to_owned(), stamp));
            }
            let articles: Vec<&RenderedArticle> = entries
                .iter()
                .filter_map(|(id, _)| self.articles.get(id).map(|cached| &cached.article))
                .collect();
            changed.push((
                plan.file(page).to_owned(),
                plan.assemble_page(page, &articles),
            ));
            stats.pages_assembled += 1;
            self.pages[page] = Some(PageMemo { frame, entries });
        }
        for (name, text) in crate::export::feeds(&plan) {
            names.push(name.to_owned());
            changed.push((name.to_owned(), text));
        }
        // Entries deleted or unpublished leave their articles behind; drop them now and
        // then rather than on every build.
        if self.articles.len() > 2 * blog.entries.len() + 64 {
            let live: std::collections::HashSet<&str> =
                blog.entries.iter().map(|entry| entry.id.as_str()).collect();
            self.articles.retain(|id, _| live.contains(id.as_str()));
        }
        self.stats = stats;
        SiteFiles { changed, names }
    }
}
