//! The Markdown dialect of entry bodies, held once: the export renders with it, the
//! checks scan with it and the editor's preview draws with it, so all three read a body
//! the same way.

use pulldown_cmark::Options;

/// CommonMark plus ~~strikethrough~~ (newsrooms strike through what a correction
/// withdraws). No tables, footnotes or raw-HTML extensions.
pub fn body_markdown_options() -> Options {
    Options::ENABLE_STRIKETHROUGH
}
