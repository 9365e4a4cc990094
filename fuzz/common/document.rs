//! A live blog built from fuzz bytes, shared by the export fuzz target and the corpus
//! replay in `tests/durability.rs` (both include this file with `#[path]`).
//!
//! Text is drawn from pieces that have broken HTML exporters before (tags, quotes,
//! `javascript:` in its disguises, Markdown links and images) mixed with raw bytes, so the
//! fuzzer reaches the escaping paths quickly. The same bytes give the same document.

use chrono::{DateTime, TimeZone, Utc};
use newsdesk::model::{
    BlogStatus, Byline, Entry, EntryId, EntryKind, EntryStatus, Flags, LiveBlog, Media, ZoneLabel,
};

const PIECES: &[&str] = &[
    "<script>alert(1)</script>",
    "</script>",
    "<script",
    "<img src=x onerror=alert(1)>",
    "\" onmouseover=\"alert(1)",
    "' onfocus='alert(1)",
    "javascript:alert(1)",
    "JaVaScRiPt:",
    "java\tscript:",
    "java\nscript:",
    "&#106;avascript:",
    "&#x6A;avascript:",
    "vbscript:",
    "data:text/html,<script>alert(1)</script>",
    "[link](javascript:alert(1))",
    "[link](<javascript:alert(1)>)",
    "[r]\n\n[r]: javascript:alert(1)",
    "![image](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">",
    "<iframe src=\"https://evil.example\">",
    "<style>",
    "</style>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<svg onload=alert(1)>",
    "<math>",
    "<base href=\"https://evil.example\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\">",
    "https://www.youtube.com/watch?v=abc123",
    "https://youtu.be/abc123",
    "https://vimeo.com/123456",
    "https://news.example.com/a.jpg",
    "http://",
    "mailto:desk@example.com",
    "#post-1",
    "(#e1)",
    "[earlier post](#e2)",
    "For context: ",
    "> ",
    "\n\n",
    "\n",
    "**",
    "_",
    "`",
    "```",
    "# ",
    "- ",
    "1. ",
    "<",
    ">",
    "&",
    "\"",
    "'",
    "\\",
    "/",
    "\u{2028}",
    "\u{0}",
    "\u{85}",
    "\u{feff}",
    "é",
    " ",
];

const ZONES: &[(chrono_tz::Tz, &str)] = &[
    (chrono_tz::Europe::London, "UK"),
    (chrono_tz::Asia::Riyadh, "Saudi Arabia"),
    (chrono_tz::America::New_York, "New York"),
    (chrono_tz::Asia::Kolkata, "<India>"),
    (chrono_tz::Pacific::Chatham, ""),
];

/// Reads the fuzz bytes in order; past the end it gives zeros.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> u8 {
        let byte = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        byte
    }

    fn below(&mut self, limit: usize) -> usize {
        if limit == 0 {
            0
        } else {
            usize::from(self.byte()) % limit
        }
    }

    fn flag(&mut self) -> bool {
        self.byte() & 1 == 1
    }

    fn text(&mut self, max_pieces: usize) -> String {
        let mut text = String::new();
        for _ in 0..self.below(max_pieces + 1) {
            let choice = self.byte();
            if choice < 200 {
                text.push_str(PIECES[usize::from(choice) % PIECES.len()]);
            } else {
                // Raw bytes, as far as they are text.
                let length = self.below(8);
                let start = self.at.min(self.bytes.len());
                let end = (start + length).min(self.bytes.len());
                text.push_str(&String::from_utf8_lossy(&self.bytes[start..end]));
                self.at = end;
            }
        }
        text
    }

    fn time(&mut self) -> DateTime<Utc> {
        let base = Utc.with_ymd_and_hms(2025, 2, 18, 9, 0, 0).unwrap();
        let minutes = i64::from(self.byte()) * 7 + i64::from(self.byte());
        base + chrono::Duration::minutes(minutes)
    }

    fn zone(&mut self) -> ZoneLabel {
        let (zone, label) = ZONES[self.below(ZONES.len())];
        ZoneLabel::new(zone, label)
    }
}

pub fn document_from_bytes(bytes: &[u8]) -> LiveBlog {
    let mut reader = Reader { bytes, at: 0 };
    let start = reader.time();
    let mut blog = LiveBlog::new(reader.text(6), start);
    blog.settings.standfirst = reader.text(6);
    blog.settings.slug = reader.text(2);
    blog.settings.canonical_url = reader.flag().then(|| reader.text(3));
    blog.settings.language = if reader.flag() {
        "en-GB".into()
    } else {
        reader.text(2)
    };
    blog.settings.time_zone = reader.zone();
    blog.settings.extra_zones = (0..reader.below(3)).map(|_| reader.zone()).collect();
    blog.settings.coverage_end = reader.flag().then(|| start + chrono::Duration::hours(6));
    blog.settings.status = if reader.flag() {
        BlogStatus::Ended
    } else {
        BlogStatus::Live
    };
    let count = reader.below(9);
    for index in 0..count {
        let id = EntryId::new(format!("e{index}")).expect("a letter and digits make an id");
        let when = reader.time();
        let mut entry = if reader.flag() {
            Entry::new_summary(id, when)
        } else {
            Entry::new_post(id, when)
        };
        entry.kind = if reader.below(4) == 0 {
            EntryKind::Summary
        } else {
            EntryKind::Post
        };
        entry.status = match reader.below(7) {
            0 => EntryStatus::Draft,
            1 => EntryStatus::Ready,
            // Around the entry's own time: some in print by the export's clock, some not.
            2 => EntryStatus::Scheduled {
                at: when + chrono::Duration::minutes(i64::from(reader.byte()) - 128),
            },
            _ => EntryStatus::Published,
        };
        entry.modified = when + chrono::Duration::minutes(i64::from(reader.byte()));
        entry.flags = Flags {
            key_event: reader.flag(),
            breaking: reader.flag(),
        };
        entry.headline = reader.text(3);
        entry.bylines = (0..reader.below(3))
            .map(|_| Byline {
                name: reader.text(2),
                role: reader.text(2),
            })
            .collect();
        entry.body = reader.text(24);
        entry.media = match reader.below(3) {
            0 => None,
            1 => Some(Media::Image {
                url: reader.text(3),
                alt: reader.text(2),
                caption: reader.text(2),
            }),
            _ => Some(Media::Video {
                url: reader.text(3),
                caption: reader.text(2),
            }),
        };
        entry.correction = reader.text(2);
        blog.push_entry(entry);
    }
    for index in 0..count {
        if reader.below(4) == 0 {
            blog.pinned.push(blog.entries[index].id.clone());
        }
    }
    blog
}

/// The same document with every piece of text replaced by a plain word wherever it says
/// anything (text with no letter or digit in it is kept: it can make no markup of its own
/// beyond what the plain word would). Addresses stay, since they decide which media the
/// template shows.
pub fn plain_version(blog: &LiveBlog) -> LiveBlog {
    fn plain(text: &str) -> String {
        if text.chars().any(char::is_alphanumeric) {
            "plain".to_owned()
        } else {
            text.to_owned()
        }
    }
    let mut plain_blog = blog.clone();
    let settings = &mut plain_blog.settings;
    settings.title = plain(&settings.title);
    settings.standfirst = plain(&settings.standfirst);
    settings.slug = plain(&settings.slug);
    settings.time_zone =
        ZoneLabel::new(settings.time_zone.zone.0, plain(&settings.time_zone.label));
    for zone in &mut settings.extra_zones {
        *zone = ZoneLabel::new(zone.zone.0, plain(&zone.label));
    }
    for entry in &mut plain_blog.entries {
        let entry = std::sync::Arc::make_mut(entry);
        entry.headline = plain(&entry.headline);
        entry.body = plain(&entry.body);
        entry.correction = plain(&entry.correction);
        for byline in &mut entry.bylines {
            byline.name = plain(&byline.name);
            byline.role = plain(&byline.role);
        }
        entry.media = entry.media.take().map(|media| match media {
            Media::Image { url, alt, caption } => Media::Image {
                url,
                alt: plain(&alt),
                caption: plain(&caption),
            },
            Media::Video { url, caption } => Media::Video {
                url,
                caption: plain(&caption),
            },
            Media::Embed(card) => Media::Embed(newsdesk::model::EmbedCard {
                url: card.url,
                provider: plain(&card.provider),
                author: plain(&card.author),
                text: plain(&card.text),
                date: plain(&card.date),
            }),
        });
    }
    plain_blog
}

/// The time a fuzzed document is exported at: its latest post's, so that some scheduled
/// posts are in print and some are not.
pub fn export_time(blog: &LiveBlog) -> chrono::DateTime<chrono::Utc> {
    blog.entries
        .iter()
        .map(|entry| entry.display_time)
        .max()
        .unwrap_or(blog.settings.coverage_start)
}
