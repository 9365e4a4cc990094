//! Document to a standalone HTML page that readers, browsers and search engines trust.
//!
//! Pure and deterministic: the same document at the same time gives the same bytes, and
//! nothing reads the clock or the disk. The time is an argument because a scheduled entry
//! is in print from its time on (`Entry::is_in_print`); callers pass the current time. `newsdesk export` and the editor's File > Export both call
//! [`render_page`]; the editor's preview calls [`render_entry`]. Publishing builds a
//! paginated site with feeds from the same articles ([`SitePlan`], [`render_site`]).
//!
//! Safety lives in a few places, each with one job: `markdown` (what a body may
//! contain), `url` (which addresses may leave the page), `video` (which players may be
//! embedded), `text` (code points HTML forbids), `csp` (what the browser may load) and
//! `structured_data` (JSON that cannot close its script element). Templates are maud,
//! which escapes everything by default.
//!
//! Speed: each body is parsed once, for its HTML and for the words of its structured
//! data, and a long timeline is written by several threads in contiguous shares joined
//! in order (`articles`), so the bytes never depend on scheduling.

mod articles;
mod clock;
mod csp;
mod entry;
mod feeds;
mod markdown;
mod page;
mod site;
mod structured_data;
mod text;
pub(crate) mod url;
mod video;

use crate::model::{Entry, LiveBlog};
use chrono::{DateTime, Utc};

pub use markdown::markdown_to_plain_text;
pub use site::{
    RenderedArticle, ReplacedEntry, Replanned, SiteLayout, SiteOptions, SitePlan, page_file,
    render_site,
};

/// `feed.atom` and `feed.json` of a planned site.
pub fn feeds(plan: &SitePlan<'_>) -> [(&'static str, String); 2] {
    [
        ("feed.atom", feeds::atom_feed(plan)),
        ("feed.json", feeds::json_feed(plan)),
    ]
}

/// The pictures from the media folder that the published page and site show, as the
/// relative paths they are written under (`blog.media/3f9a….jpg`), sorted, each once.
/// The page refers to them relatively, so whoever writes the page writes these files
/// beside it (`newsdesk export`, File > Export, publishing): the export itself reads no disk.
pub fn local_media(blog: &LiveBlog) -> Vec<String> {
    let paths: std::collections::BTreeSet<String> = blog
        .entries
        .iter()
        // Scheduled posts too: their pictures must be there before their time comes.
        .filter(|entry| entry.goes_to_print())
        .filter_map(|entry| match &entry.media {
            Some(crate::model::Media::Image { url, .. }) => {
                url::local_media_file(url).map(str::to_owned)
            }
            _ => None,
        })
        .collect();
    paths.into_iter().collect()
}

/// Whether `url` is a YouTube or Vimeo address the page shows as a privacy-enhanced player.
pub fn is_embeddable_video(url: &str) -> bool {
    video::recognise(url).is_some()
}

/// The whole published page at `now`: one self-contained HTML5 file with its stylesheet
/// inlined. Only entries in print at `now` appear: published ones, and scheduled ones
/// whose time has come; drafts and entries waiting for the editor appear nowhere.
pub fn render_page(blog: &LiveBlog, now: DateTime<Utc>) -> String {
    page::render_page(blog, now)
}

/// [`render_page`] written to `out` as it is made, so that the page is never whole in
/// memory (a 100,000-post page is larger than its document). The same bytes.
pub fn write_page(
    blog: &LiveBlog,
    now: DateTime<Utc>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    page::write_page(blog, now, out)
}

/// One entry's `<article>`, as it appears on the page, for the editor's preview. Unlike
/// the page, it renders a draft too, so that the editor can see it before publishing.
pub fn render_entry(blog: &LiveBlog, entry: &Entry) -> String {
    page::render_entry(blog, entry)
}
