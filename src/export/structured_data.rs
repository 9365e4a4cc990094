//! schema.org `LiveBlogPosting` JSON-LD, so that search engines read the page as a live blog.
//!
//! Serialized with serde_json straight into the page's buffer. Inside a `<script>`
//! element no text may close the element or open a comment, so `<`, `>` and `&` are
//! written as `\u` escapes, and so are U+2028 and U+2029 for older JavaScript parsers.

use super::articles::Sink;
use super::clock::Iso;
use super::entry::ArticleWords;
use super::text::{any_byte, first_words, shown};
use super::url::web_url;
use crate::model::{BlogStatus, Byline, Entry, LiveBlog, Media};
use chrono::{DateTime, Utc};
use maud::Render;
use serde::Serialize;
use serde::ser::SerializeStruct;
use std::io;

/// The JSON-LD of a page: published entries only, in page order.
pub(crate) struct StructuredData<'a, 'w> {
    pub blog: &'a LiveBlog,
    /// The page's title, as its `<h1>` has it.
    pub headline: &'a str,
    /// The page's language tag, as its `lang` attribute has it.
    pub language: &'a str,
    /// The `BlogPosting`s written by [`push_postings`] with each run of articles, in order.
    pub postings: &'a [Vec<u8>],
    /// The latest update of what is in print (`LiveBlog::last_updated`).
    pub last_updated: Option<DateTime<Utc>>,
    /// Where the page is being written, when it is not built whole: the postings go
    /// straight there instead of being copied into the page's buffer first.
    pub sink: Option<&'a Sink<'w>>,
}

impl Render for StructuredData<'_, '_> {
    fn render_to(&self, buffer: &mut String) {
        let mut head = Vec::with_capacity(2048);
        let mut serializer = serde_json::Serializer::with_formatter(&mut head, ScriptSafe);
        let written = self.serialize(&mut serializer).is_ok();
        // The updates were written beside their articles, perhaps on several threads;
        // they go where serde wrote the empty list, the last field.
        let head = match head.strip_suffix(b"[]}") {
            Some(head) if written => std::str::from_utf8(head).ok(),
            _ => None,
        };
        let postings: Option<Vec<&str>> = self
            .postings
            .iter()
            .filter(|postings| !postings.is_empty())
            .map(|postings| std::str::from_utf8(postings).ok())
            .collect();
        // Neither step can fail with these types, but a broken block is never left behind.
        let (Some(head), Some(postings)) = (head, postings) else {
            buffer.push_str("{}");
            return;
        };
        buffer.push_str(head);
        buffer.push('[');
        if let Some(sink) = self.sink {
            sink.drain(buffer);
        }
        for (index, postings) in postings.iter().enumerate() {
            if index > 0 {
                buffer.push(',');
            }
            match self.sink {
                Some(sink) => {
                    sink.drain(buffer);
                    sink.write(postings);
                }
                None => buffer.push_str(postings),
            }
        }
        buffer.push_str("]}");
    }
}

impl Serialize for StructuredData<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let blog = self.blog;
        let canonical = blog.settings.canonical_url.as_deref().and_then(web_url);
        let modified = self.last_updated.unwrap_or(blog.settings.coverage_start);
        let ended = blog.settings.status == BlogStatus::Ended;
        let mut page = serializer.serialize_struct("LiveBlogPosting", 12)?;
        page.serialize_field("@context", "https://schema.org")?;
        page.serialize_field("@type", "LiveBlogPosting")?;
        page.serialize_field("headline", self.headline)?;
        if let Some(description) = shown(&blog.settings.standfirst) {
            page.serialize_field("description", &description)?;
        }
        page.serialize_field("inLanguage", self.language)?;
        if let Some(url) = &canonical {
            page.serialize_field("url", url)?;
            page.serialize_field("mainEntityOfPage", url)?;
        }
        page.serialize_field("datePublished", &Time(Iso(blog.settings.coverage_start)))?;
        page.serialize_field("dateModified", &Time(Iso(modified)))?;
        page.serialize_field(
            "coverageStartTime",
            &Time(Iso(blog.settings.coverage_start)),
        )?;
        if ended {
            let end = blog.settings.coverage_end.unwrap_or(modified);
            page.serialize_field("coverageEndTime", &Time(Iso(end)))?;
        }
        // Filled in afterwards from the postings: see `render_to`.
        page.serialize_field("liveBlogUpdate", &[(); 0])?;
        page.end()
    }
}

/// Appends `entries` as comma-separated `BlogPosting` objects, `words` holding their
/// words in the same order.
pub(crate) fn push_postings(
    json: &mut Vec<u8>,
    entries: &[&Entry],
    words: &ArticleWords,
    canonical: Option<&str>,
) {
    let base = canonical.map(|url| url.split('#').next().unwrap_or(url));
    let mut permalink = String::new();
    for (index, entry) in entries.iter().enumerate() {
        let start = json.len();
        if index > 0 {
            json.push(b',');
        }
        // "https://news.example/live#post-1447", in a buffer reused for every posting.
        let url = base.map(|base| {
            permalink.clear();
            permalink.push_str(base);
            permalink.push('#');
            permalink.push_str(entry.id.as_str());
            permalink.as_str()
        });
        let posting = Posting {
            entry,
            words: words.get(index),
            url,
        };
        let mut serializer = serde_json::Serializer::with_formatter(&mut *json, ScriptSafe);
        if posting.serialize(&mut serializer).is_err() {
            json.truncate(start);
        }
    }
}

/// One published entry as a `BlogPosting`.
struct Posting<'a> {
    entry: &'a Entry,
    words: &'a str,
    url: Option<&'a str>,
}

impl Serialize for Posting<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let entry = self.entry;
        let mut posting = serializer.serialize_struct("BlogPosting", 9)?;
        posting.serialize_field("@type", "BlogPosting")?;
        // Its own headline, or its first words when it has none: every update needs one.
        let headline = match shown(&entry.headline) {
            Some(headline) => headline,
            None => first_words(self.words, 110),
        };
        posting.serialize_field("headline", &headline)?;
        posting.serialize_field("datePublished", &Time(Iso(entry.display_time)))?;
        posting.serialize_field(
            "dateModified",
            &Time(Iso(entry.modified.max(entry.display_time))),
        )?;
        posting.serialize_field("articleBody", self.words)?;
        if let Some(url) = self.url {
            posting.serialize_field("url", url)?;
        }
        let authors = Authors(&entry.bylines);
        if authors.iter().next().is_some() {
            posting.serialize_field("author", &authors)?;
        }
        if let Some(Media::Image { url, .. }) = &entry.media
            && let Some(image) = web_url(url)
        {
            posting.serialize_field("image", &image)?;
        }
        posting.end()
    }
}

struct Authors<'a>(&'a [Byline]);

impl Authors<'_> {
    fn iter(&self) -> impl Iterator<Item = &Byline> {
        self.0.iter().filter(|byline| shown(&byline.name).is_some())
    }
}

impl Serialize for Authors<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(Person))
    }
}

struct Person<'a>(&'a Byline);

impl Serialize for Person<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut person = serializer.serialize_struct("Person", 3)?;
        person.serialize_field("@type", "Person")?;
        person.serialize_field("name", &shown(&self.0.name).unwrap_or_default())?;
        if let Some(role) = shown(&self.0.role) {
            person.serialize_field("jobTitle", &role)?;
        }
        person.end()
    }
}

struct Time(Iso);

impl Serialize for Time {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.ascii() {
            Some(text) => serializer.serialize_str(std::str::from_utf8(&text).unwrap_or_default()),
            None => serializer.collect_str(&self.0),
        }
    }
}

/// serde_json's compact output, with the characters that matter inside `<script>` escaped.
struct ScriptSafe;

impl serde_json::ser::Formatter for ScriptSafe {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let bytes = fragment.as_bytes();
        // U+2028 and U+2029 are E2 80 A8 and E2 80 A9: look for their last byte, rarer in
        // text than E2, which starts every curly quote.
        let candidate = |b: u8| (b == b'<') | (b == b'>') | (b == b'&') | (b == 0xA8) | (b == 0xA9);
        if !any_byte(bytes, candidate) {
            return writer.write_all(bytes);
        }
        let mut written = 0;
        let mut index = 0;
        while let Some(offset) = bytes[index..].iter().position(|&b| candidate(b)) {
            index += offset;
            let (escape, start) = match bytes[index] {
                b'<' => ("\\u003c", index),
                b'>' => ("\\u003e", index),
                b'&' => ("\\u0026", index),
                last if index >= written + 2
                    && bytes[index - 2] == 0xE2
                    && bytes[index - 1] == 0x80 =>
                {
                    let escape = if last == 0xA8 { "\\u2028" } else { "\\u2029" };
                    (escape, index - 2)
                }
                // The end of another character (é is C3 A9): it stays.
                _ => {
                    index += 1;
                    continue;
                }
            };
            writer.write_all(&bytes[written..start])?;
            writer.write_all(escape.as_bytes())?;
            index += 1;
            written = index;
        }
        writer.write_all(&bytes[written..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serializer;

    fn script_safe(text: &str) -> String {
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::with_formatter(&mut out, ScriptSafe);
        serializer.serialize_str(text).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn nothing_can_close_the_script_element() {
        let hostile = "</script><!-- & \u{2028}\u{2029} “ok” é©\u{2028}";
        let json = script_safe(hostile);
        assert_eq!(
            json,
            "\"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029 “ok” é©\\u2028\""
        );
        assert_eq!(serde_json::from_str::<String>(&json).unwrap(), hostile);
    }
}
