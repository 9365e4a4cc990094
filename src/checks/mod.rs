//! Pre-publication checks: what would embarrass a newsroom if it went out.
//!
//! Each check has a stable id ([`CheckId`]), a severity, the entry and field it concerns,
//! and a message that says how to fix it; some offer a one-click [`Fix`] made of edits,
//! so it goes through the edit layer and can be undone.
//!
//! - The command line calls [`check_document`].
//! - The editor keeps a [`Checker`] and calls [`Checker::check`] after each change (and
//!   now and then, because "stale draft" and "time in the future" move with the clock).
//!   It re-reads only entries whose content changed; the rest is cheap bookkeeping.
//!
//! Severity: errors are what readers would see wrong or what the page should not carry;
//! a problem inside a draft is a warning, because nobody reads the draft yet. Stale
//! drafts, missing bylines, very long posts, raw HTML and unlinked references to posts
//! are always warnings.
//!
//! | id | what | fix |
//! |---|---|---|
//! | `empty-body` | no text and no picture or video | |
//! | `headline-required` | a key event or summary without a headline | |
//! | `missing-alt-text` | a picture (media or in the body) without alt text | |
//! | `unsafe-url` | a link, picture, video or canonical address not http(s) (links: or mailto) | |
//! | `raw-html` | HTML in a body, which the export shows as text | |
//! | `future-time` | a time more than a minute ahead of now | |
//! | `time-before-coverage`, `time-after-coverage-end` | a time outside the coverage | |
//! | `order-disagrees-with-time` | an unpinned entry later than the one above it | move it up |
//! | `broken-entry-link` | a link to `#id` that is no entry, or a draft | |
//! | `unlinked-time-reference` | "our 9.32am post" not linked | link it, when one post matches |
//! | `duplicate-id`, `pinned-missing`, `pinned-twice`, `coverage-ends-before-start` | the loader's invariants | unpin |
//! | `ended-without-coverage-end` | an ended blog with no end time | end at the last post |
//! | `stale-draft` | a draft untouched for [`STALE_DRAFT_AFTER`] | |
//! | `missing-byline` | a signed piece ("Analysis: …") or a post over [`BYLINE_EXPECTED_WORDS`] words without a byline | |
//! | `very-long-post` | over [`VERY_LONG_POST_WORDS`] words | |
//! | `missing-media-file` | a picture in the media folder whose file is gone (reads the disk: [`missing_media_files`]) | |

mod checker;
mod document;
mod entry;
mod fast_hash;
mod fix;
mod id_index;
mod markdown;
mod media_files;
mod problem;
mod time_refs;
mod url;

pub use checker::{Checker, RecheckStats};
pub use document::local_date;
pub use fix::Fix;
pub use media_files::missing_media_files;
pub use problem::{CheckId, CheckReport, Field, Problem, Severity};

use crate::model::LiveBlog;
use chrono::{DateTime, Duration, Utc};

/// A draft untouched for longer than this is "left unpublished": on a breaking story
/// two hours is long enough for a post to be forgotten or overtaken by events.
pub const STALE_DRAFT_AFTER: Duration = Duration::hours(2);

/// A post longer than this many words is hard to read on a phone in a live stream.
pub const VERY_LONG_POST_WORDS: usize = 1000;

/// A post longer than this many words is the work of a named journalist and should say
/// whose. Most live-blog posts are short desk copy and carry no byline.
pub const BYLINE_EXPECTED_WORDS: usize = 350;

/// How far ahead of the clock a time may be before it counts as "in the future":
/// newsroom clocks drift, and a post is often timed for the minute it goes out.
pub const FUTURE_TOLERANCE: Duration = Duration::minutes(1);

/// Every problem in `blog` at `now`: blog-wide ones first, then by entry in timeline order.
pub fn check_document(blog: &LiveBlog, now: DateTime<Utc>) -> Vec<Problem> {
    let mut checker = Checker::new();
    checker.check(blog, now);
    checker.into_report().problems
}
