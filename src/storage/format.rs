//! The RON file layout. `format_version` comes first; the rest is the blog's fields in
//! a fixed order, so saving the same document twice gives identical bytes and changing
//! one entry changes only that entry's lines.
//!
//! Version history:
//! - 1: the first format. Later gained, without a new version, an optional `publish`
//!   field (after `status`): written only when it differs from the defaults and read as
//!   the defaults when absent, so older files load unchanged, and an older Newsdesk
//!   (which ignores unknown fields) still opens a newer file, keeping all but that
//!   setting. A version bump would have opened such files read-only in older builds for
//!   a setting they can do without.
//! - 2: an entry's `status` may also be `Ready` (handed to the editor) or
//!   `Scheduled(at: "…")` (publishes itself at that time). Unlike the `publish` field,
//!   an older Newsdesk cannot do without these: reading `Ready` as a draft would be
//!   harmless, but a scheduled post read as anything else either never appears or
//!   appears early, and saving would lose the schedule. So the version is bumped: a
//!   version-1 Newsdesk opens a version-2 file read-only when it can parse it (no new
//!   status in it) and refuses it otherwise. The fields are those of version 1, so a
//!   version-1 file reads through `FileV1` into the model unchanged (its statuses, Draft
//!   and Published, mean the same); every save writes version 2.
//!
//! When the format changes, the old layout stays here as its own `FileVN` type with a
//! conversion into the current model, and `from_ron_str` gains an arm for it. A file
//! with a version above the current one is tried with the current layout: read-only
//! when that works (`Parsed::Newer`), refused in plain words when not.

use super::TextPosition;
use crate::model::{
    BlogSettings, BlogStatus, Entry, EntryId, EntryList, ExtraZone, LiveBlog, PublishSettings,
    ZoneLabel,
};
use chrono::{DateTime, Utc};
use ron::extensions::Extensions;
use ron::ser::PrettyConfig;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

pub const CURRENT_FORMAT_VERSION: u32 = 2;

/// Nesting deeper than any real document needs; bounds the parser's stack on hostile input.
const RECURSION_LIMIT: usize = 64;

/// The version-2 layout, written. It lists the settings fields one by one on purpose: a
/// file version's layout is frozen, whatever later happens to the model. The recovery
/// journal writes whole documents in this layout too.
#[derive(Serialize)]
pub(crate) struct FileV2Ref<'a> {
    format_version: u32,
    title: &'a str,
    standfirst: &'a str,
    slug: &'a str,
    canonical_url: &'a Option<String>,
    language: &'a str,
    time_zone: &'a ZoneLabel,
    extra_zones: &'a [ExtraZone],
    coverage_start: &'a DateTime<Utc>,
    coverage_end: &'a Option<DateTime<Utc>>,
    status: BlogStatus,
    #[serde(skip_serializing_if = "publish_is_default")]
    publish: &'a PublishSettings,
    pinned: &'a [EntryId],
    entries: &'a EntryList,
}

fn publish_is_default(publish: &&PublishSettings) -> bool {
    publish.is_default()
}

/// The version-2 layout, read: the fields of version 1, with entries that may carry the
/// statuses added in version 2.
#[derive(Deserialize, Debug)]
pub(crate) struct FileV2 {
    /// Absent from whole documents in recovery journals written before it was added there.
    #[serde(default)]
    #[allow(dead_code)]
    format_version: u64,
    title: String,
    standfirst: String,
    slug: String,
    canonical_url: Option<String>,
    language: String,
    time_zone: ZoneLabel,
    extra_zones: Vec<ExtraZone>,
    coverage_start: DateTime<Utc>,
    coverage_end: Option<DateTime<Utc>>,
    status: BlogStatus,
    #[serde(default)]
    publish: PublishSettings,
    pinned: Vec<EntryId>,
    entries: Vec<Arc<Entry>>,
}

impl From<FileV2> for LiveBlog {
    fn from(file: FileV2) -> Self {
        LiveBlog {
            settings: BlogSettings {
                title: file.title,
                standfirst: file.standfirst,
                slug: file.slug,
                canonical_url: file.canonical_url,
                language: file.language,
                time_zone: file.time_zone,
                extra_zones: file.extra_zones,
                coverage_start: file.coverage_start,
                coverage_end: file.coverage_end,
                status: file.status,
                publish: file.publish,
            },
            entries: file.entries.into(),
            pinned: file.pinned,
        }
    }
}

/// The version-1 layout, read: the same fields as version 2, which changed only the statuses
/// an entry may carry (version 1 knew Draft and Published, which the model reads with the same
/// meaning). A version that changes the fields gets a layout of its own.
pub(crate) type FileV1 = FileV2;

/// Only the version, read first so the right layout can be chosen.
#[derive(Deserialize)]
struct VersionProbe {
    format_version: u64,
}

fn pretty_config() -> PrettyConfig {
    PrettyConfig::new()
        .indentor("    ")
        .new_line("\n")
        .struct_names(false)
        .separate_tuple_members(false)
        .enumerate_arrays(false)
        // Escaping keeps control characters, U+2028 and friends readable and unambiguous.
        .escape_strings(true)
}

/// Writes the document in canonical RON form, streaming: a 100 MB blog is never held
/// as one string while it is saved.
pub fn write_ron(blog: &LiveBlog, writer: impl std::io::Write) -> Result<(), ron::Error> {
    let file = FileV2Ref::of(blog);
    let mut writer = writer;
    ron::Options::default().to_io_writer_pretty(&mut writer, &file, pretty_config())?;
    writer.write_all(b"\n").map_err(ron::Error::from)
}

impl<'a> FileV2Ref<'a> {
    pub(crate) fn of(blog: &'a LiveBlog) -> Self {
        let settings = &blog.settings;
        FileV2Ref {
            format_version: CURRENT_FORMAT_VERSION,
            title: &settings.title,
            standfirst: &settings.standfirst,
            slug: &settings.slug,
            canonical_url: &settings.canonical_url,
            language: &settings.language,
            time_zone: &settings.time_zone,
            extra_zones: &settings.extra_zones,
            coverage_start: &settings.coverage_start,
            coverage_end: &settings.coverage_end,
            status: settings.status,
            publish: &settings.publish,
            pinned: &blog.pinned,
            entries: &blog.entries,
        }
    }
}

/// The document in canonical RON form.
pub fn to_ron_string(blog: &LiveBlog) -> Result<String, ron::Error> {
    let mut bytes = Vec::new();
    write_ron(blog, &mut bytes)?;
    // The serializer writes only UTF-8 (it starts from Rust strings).
    String::from_utf8(bytes).map_err(|error| ron::Error::Message(error.to_string()))
}

/// A parse failure with its place in the text and a plain-words message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFailure {
    pub position: TextPosition,
    pub message: String,
}

/// What `from_ron_str` found.
#[derive(Debug)]
pub enum Parsed {
    Current(LiveBlog),
    /// A file from a newer Newsdesk whose content this version could still read.
    Newer {
        blog: LiveBlog,
        version: u64,
    },
    Unsupported {
        version: u64,
    },
}

fn options() -> ron::Options {
    ron::Options::default()
        .with_recursion_limit(RECURSION_LIMIT)
        .with_default_extension(Extensions::empty())
}

/// Parses a document of any supported version.
pub fn from_ron_str(text: &str) -> Result<Parsed, ParseFailure> {
    let version = match leading_format_version(text) {
        Some(version) => version,
        None => probe_version(text)?,
    };
    match version {
        1 => parse_v1(text).map(Parsed::Current),
        2 => parse_v2(text).map(Parsed::Current),
        version if version > u64::from(CURRENT_FORMAT_VERSION) => match parse_v2(text) {
            Ok(blog) => Ok(Parsed::Newer { blog, version }),
            Err(_) => Ok(Parsed::Unsupported { version }),
        },
        version => Ok(Parsed::Unsupported { version }),
    }
}

/// The version from a file that starts the canonical way, `(` then `format_version: N,`,
/// read without parsing the whole document (opening a 100 MB blog should parse it once).
fn leading_format_version(text: &str) -> Option<u64> {
    let rest = text.trim_start().strip_prefix('(')?.trim_start();
    let rest = rest.strip_prefix("format_version")?.trim_start();
    let rest = rest.strip_prefix(':')?.trim_start();
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let after = rest[digits..].trim_start();
    if !(after.starts_with(',') || after.starts_with(')')) {
        return None;
    }
    rest[..digits].parse().ok()
}

/// The format version of a file written by a newer Newsdesk, read from its start (where
/// Newsdesk writes it) without parsing the rest; `None` for the current version or older,
/// or when the start is not the canonical one.
pub fn newer_format_version(bytes: &[u8]) -> Option<u64> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    leading_format_version(&head).filter(|&version| version > u64::from(CURRENT_FORMAT_VERSION))
}

/// The version from any other layout (comments first, fields reordered), or a clear
/// error when there is none; this parses the whole text, so it is the slow path.
fn probe_version(text: &str) -> Result<u64, ParseFailure> {
    let probe: VersionProbe = options().from_str(text).map_err(|error| {
        // A file whose first field is not the version gets a message that says so,
        // unless the text itself is broken: then the syntax error is the better guide.
        if matches!(
            error.code,
            ron::Error::MissingStructField { .. }
                | ron::Error::ExpectedNamedStructLike(_)
                | ron::Error::ExpectedStructLike
        ) {
            ParseFailure {
                position: TextPosition {
                    line: error.span.start.line.max(1),
                    column: error.span.start.col.max(1),
                },
                message: "expected a Newsdesk document starting with \"(format_version: ...\""
                    .into(),
            }
        } else {
            failure(text, error)
        }
    })?;
    Ok(probe.format_version)
}

/// The current layout parsed by ron alone: no version probe, no plain-words errors. What
/// the benchmarks measure opening against.
pub fn parse_layout_only(text: &str) -> Result<LiveBlog, ron::error::SpannedError> {
    ron::from_str::<FileV2>(text).map(LiveBlog::from)
}

fn parse_v2(text: &str) -> Result<LiveBlog, ParseFailure> {
    options()
        .from_str::<FileV2>(text)
        .map(LiveBlog::from)
        .map_err(|error| failure(text, error))
}

fn parse_v1(text: &str) -> Result<LiveBlog, ParseFailure> {
    options()
        .from_str::<FileV1>(text)
        .map(LiveBlog::from)
        .map_err(|error| failure(text, error))
}

fn failure(text: &str, error: ron::error::SpannedError) -> ParseFailure {
    let position = TextPosition {
        line: error.span.start.line.max(1),
        column: error.span.start.col.max(1),
    };
    // Whatever ron expected, an error at the very end of the text means the file stops
    // short: say so, since that is what the editor needs to know (a copy cut off).
    let message =
        if position >= end_of(text) && !matches!(error.code, ron::Error::TrailingCharacters) {
            format!(
                "the file ends too early; it looks cut off ({})",
                describe(&error.code)
            )
        } else {
            describe(&error.code)
        };
    ParseFailure { position, message }
}

/// Line and column just after the last non-blank character.
fn end_of(text: &str) -> TextPosition {
    let text = text.trim_end();
    let line = text.matches('\n').count() + 1;
    let last_line = text.rsplit('\n').next().unwrap_or("");
    TextPosition {
        line,
        column: last_line.chars().count() + 1,
    }
}

/// ron's messages, reworded where they would puzzle an editor.
fn describe(code: &ron::Error) -> String {
    use ron::Error as E;
    match code {
        E::Eof => {
            "the file ends too early; it looks cut off (expected more of the document)".into()
        }
        E::ExceededRecursionLimit => format!(
            "the document is nested more than {RECURSION_LIMIT} levels deep; expected a Newsdesk document"
        ),
        E::ExpectedString => "expected text in double quotes".into(),
        E::ExpectedStringEnd => "this text in double quotes is never closed: the file looks cut off, or a closing quote is missing".into(),
        E::ExpectedComma => "expected a comma between fields".into(),
        E::ExpectedStructLikeEnd => "expected \")\" to close this group".into(),
        E::ExpectedArrayEnd => "expected \"]\" to close this list".into(),
        E::TrailingCharacters => "unexpected text after the end of the document".into(),
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => "the document could not be read".into(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_read_from_the_canonical_start_without_a_full_parse() {
        assert_eq!(
            leading_format_version("(\n    format_version: 1,\n"),
            Some(1)
        );
        assert_eq!(
            leading_format_version("  ( format_version : 12 )"),
            Some(12)
        );
        assert_eq!(leading_format_version("(format_version: 1x,"), None);
        assert_eq!(
            leading_format_version("// comment\n(format_version: 1,"),
            None
        );
        assert_eq!(
            leading_format_version("(title: \"x\", format_version: 1)"),
            None
        );
    }

    #[test]
    fn a_newer_format_is_read_from_the_first_lines() {
        assert_eq!(
            newer_format_version(b"(\n    format_version: 9,\n"),
            Some(9)
        );
        assert_eq!(newer_format_version(b"(\n    format_version: 1,\n"), None);
        assert_eq!(newer_format_version(b"(title: \"x\")"), None);
        assert_eq!(newer_format_version(b"\xff\xfe format_version"), None);
    }

    #[test]
    fn publish_settings_are_written_only_when_set_and_read_back() {
        let now = chrono::Utc::now();
        let mut blog = LiveBlog::new("Live", now);
        let plain = to_ron_string(&blog).expect("writes");
        assert!(!plain.contains("publish"), "{plain}");
        blog.settings.publish.target = "s3://news/live".into();
        blog.settings.publish.page_size = 20;
        let text = to_ron_string(&blog).expect("writes");
        assert!(text.contains("publish: ("), "{text}");
        match from_ron_str(&text) {
            Ok(Parsed::Current(back)) => assert_eq!(back.settings, blog.settings),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn other_layouts_still_find_the_version() {
        let text = "// a comment first\n(title: \"x\", format_version: 9)";
        assert!(matches!(
            from_ron_str(text),
            Ok(Parsed::Unsupported { version: 9 })
        ));
    }
}
