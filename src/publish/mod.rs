//! Publishing: the site `export` renders, written to a folder or an S3-compatible bucket,
//! again and again as the story moves.
//!
//! - `target`: where to (`Target::parse` reads `s3://bucket/prefix` or a folder path).
//! - `site`: the incremental build: articles cached by entry id and content stamp, pages
//!   assembled only when something on them changed.
//! - `folder`, `bucket`: writing files, new ones first and `index.html` last, so that a
//!   failed publish leaves the previous version whole; each file replaced atomically.
//! - `publisher`: one publish, writing only the files whose bytes changed (a manifest of
//!   hashes is kept beside the site).
//! - `auto`: the editor's background loop: at most one publish per interval, retries with
//!   backoff, status reports.

mod auto;
mod bucket;
mod folder;
mod manifest;
mod publisher;
mod site;
mod target;

pub use auto::{AutoPublisher, PublishStatus};
pub use publisher::{PublishError, PublishReport, Publisher};
pub use site::{BuildStats, SiteBuilder};
pub use target::{Target, TargetError};
