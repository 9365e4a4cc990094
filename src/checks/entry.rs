//! Checks that need only the entry itself: what the checker caches per entry.

use super::markdown::{self, BodyScan};
use super::time_refs::{self, TimeRef};
use super::url::{is_local_media, is_outbound_url, is_web_url, post_anchor};
use super::{BYLINE_EXPECTED_WORDS, CheckId, Field, Problem, Severity, VERY_LONG_POST_WORDS};
use crate::model::{Entry, EntryId, EntryKind, Media, Zone};
use chrono::Timelike;
use std::ops::Range;

/// What one entry contributes to the report, worked out once per version of the entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct EntryAnalysis {
    /// Problems that depend on nothing but the entry.
    pub problems: Vec<Problem>,
    /// Links to other posts (`#post-0932`), resolved against the document later.
    pub post_links: Vec<PostLink>,
    /// Unlinked references to posts by time, resolved against the document later.
    pub time_refs: Vec<TimeRef>,
    /// The display time on the blog's clock, in minutes since local midnight.
    pub minute_of_day: u16,
    /// Whether readers see it: a reference by time can only mean a published post.
    pub published: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct PostLink {
    pub target: EntryId,
    pub span: Range<usize>,
}

/// Headline prefixes that mark a signed piece rather than desk copy.
const SIGNED_PIECE_PREFIXES: &[&str] = &["analysis", "comment", "opinion", "explainer"];

/// Problems on a draft are warnings: nobody reads it yet, but it would be wrong once
/// published. The same problem on a published entry is an error, and on a scheduled one,
/// which goes to print by itself.
pub(super) fn severity_for(entry: &Entry) -> Severity {
    if entry.goes_to_print() {
        Severity::Error
    } else {
        Severity::Warning
    }
}

pub(super) fn analyse(entry: &Entry, zone: Zone) -> EntryAnalysis {
    let scan = markdown::scan(&entry.body);
    let mut analysis = EntryAnalysis {
        minute_of_day: minute_of_day(entry, zone),
        published: entry.is_published(),
        ..EntryAnalysis::default()
    };
    let mut report = Reporter {
        entry,
        problems: &mut analysis.problems,
    };
    check_body_present(&mut report, &scan);
    check_headline(&mut report);
    check_media(&mut report);
    check_body_links(&mut report, &scan, &mut analysis.post_links);
    check_body_images(&mut report, &scan);
    check_raw_html(&mut report, &scan);
    check_length(&mut report, &scan);
    check_byline(&mut report, &scan);
    for prose in &scan.prose {
        if let Some(text) = entry.body.get(prose.clone()) {
            analysis
                .time_refs
                .extend(time_refs::find(text, prose.start));
        }
    }
    analysis
}

fn minute_of_day(entry: &Entry, zone: Zone) -> u16 {
    let local = zone.local(entry.display_time);
    // At most 23 * 60 + 59, which fits.
    u16::try_from(local.hour() * 60 + local.minute()).unwrap_or(0)
}

/// Builds problems about one entry.
pub(super) struct Reporter<'a> {
    pub entry: &'a Entry,
    pub problems: &'a mut Vec<Problem>,
}

impl Reporter<'_> {
    pub fn push(&mut self, check: CheckId, severity: Severity, field: Field, message: String) {
        self.push_at(check, severity, field, None, message);
    }

    pub fn push_at(
        &mut self,
        check: CheckId,
        severity: Severity,
        field: Field,
        span: Option<Range<usize>>,
        message: String,
    ) {
        self.problems.push(Problem {
            check,
            severity,
            entry: Some(self.entry.id.clone()),
            time: Some(self.entry.display_time),
            field: Some(field),
            span,
            message,
            fix: None,
        });
    }
}

fn noun(entry: &Entry) -> &'static str {
    match entry.kind {
        EntryKind::Post => "post",
        EntryKind::Summary => "summary",
    }
}

fn check_body_present(report: &mut Reporter<'_>, scan: &BodyScan) {
    // A picture or video with its caption can stand alone; otherwise readers see a
    // time and a headline over nothing.
    let has_words = scan.words > 0 || !scan.images.is_empty() || !scan.html.is_empty();
    if !has_words && report.entry.media.is_none() {
        let severity = severity_for(report.entry);
        let message = format!(
            "This {} has no text: write the body, or delete the {} if it is not needed.",
            noun(report.entry),
            noun(report.entry)
        );
        report.push(CheckId::EmptyBody, severity, Field::Body, message);
    }
}

fn check_headline(report: &mut Reporter<'_>) {
    let entry = report.entry;
    if entry.headline().is_some() {
        return;
    }
    let what = match (entry.kind, entry.flags.key_event) {
        (EntryKind::Summary, _) => "A summary",
        (EntryKind::Post, true) => "A key event",
        (EntryKind::Post, false) => return,
    };
    let message = if entry.is_published() {
        format!("{what} is listed by its headline, and this one has none: add a headline.")
    } else {
        format!("{what} is listed by its headline: add one before publishing.")
    };
    report.push(
        CheckId::HeadlineRequired,
        severity_for(entry),
        Field::Headline,
        message,
    );
}

fn check_media(report: &mut Reporter<'_>) {
    let severity = severity_for(report.entry);
    match &report.entry.media {
        None => {}
        Some(Media::Image { url, alt, .. }) => {
            if alt.trim().is_empty() {
                report.push(
                    CheckId::MissingAltText,
                    severity,
                    Field::MediaAlt,
                    "The picture has no alt text: describe what it shows for readers who cannot see it.".into(),
                );
            }
            if !is_web_url(url) && !is_local_media(url) {
                report.push(
                    CheckId::UnsafeUrl,
                    severity,
                    Field::MediaUrl,
                    format!(
                        "The picture's address {} is neither an http or https address nor a picture in the blog's media folder, so it will not be published: use the picture's web address, or Add image… to copy it into the media folder.",
                        quoted(url)
                    ),
                );
            }
        }
        Some(Media::Embed(card)) if !is_web_url(&card.url) => {
            report.push(
                CheckId::UnsafeUrl,
                severity,
                Field::MediaUrl,
                format!(
                    "The embedded post's address {} is not an http or https address, so the card will not link to it: paste the post's web address.",
                    quoted(&card.url)
                ),
            );
        }
        Some(Media::Embed(_)) => {}
        Some(Media::Video { url, .. }) if !is_web_url(url) => {
            report.push(
                CheckId::UnsafeUrl,
                severity,
                Field::MediaUrl,
                format!(
                    "The video's address {} is not an http or https address, so it will not be published: use the video's web address.",
                    quoted(url)
                ),
            );
        }
        Some(Media::Video { .. }) => {}
    }
}

fn check_body_links(report: &mut Reporter<'_>, scan: &BodyScan, post_links: &mut Vec<PostLink>) {
    let severity = severity_for(report.entry);
    for link in &scan.links {
        if let Some(anchor) = post_anchor(&link.url) {
            match EntryId::new(anchor) {
                Ok(target) => post_links.push(PostLink {
                    target,
                    span: link.span.clone(),
                }),
                Err(_) => report.push_at(
                    CheckId::BrokenEntryLink,
                    severity,
                    Field::Body,
                    Some(link.span.clone()),
                    format!(
                        "The link to {} does not name a post (post ids are letters, digits, '-' and '_'): link to an existing post or remove the link.",
                        quoted(&link.url)
                    ),
                ),
            }
        } else if !is_outbound_url(&link.url) {
            report.push_at(
                CheckId::UnsafeUrl,
                severity,
                Field::Body,
                Some(link.span.clone()),
                format!(
                    "The link to {} is not an http, https or mailto address, so readers will get the words without the link: use the full web address.",
                    quoted(&link.url)
                ),
            );
        }
    }
}

fn check_body_images(report: &mut Reporter<'_>, scan: &BodyScan) {
    let severity = severity_for(report.entry);
    for image in &scan.images {
        if !image.has_alt {
            report.push_at(
                CheckId::MissingAltText,
                severity,
                Field::Body,
                Some(image.span.clone()),
                "A picture in the text has no alt text: describe it between the brackets, as in ![Delegates at the table](…).".into(),
            );
        }
        if !is_web_url(&image.url) {
            report.push_at(
                CheckId::UnsafeUrl,
                severity,
                Field::Body,
                Some(image.span.clone()),
                format!(
                    "A picture in the text has the address {}, which is not an http or https address: use the picture's web address.",
                    quoted(&image.url)
                ),
            );
        }
    }
}

fn check_raw_html(report: &mut Reporter<'_>, scan: &BodyScan) {
    for span in &scan.html {
        let snippet: String = report
            .entry
            .body
            .get(span.clone())
            .unwrap_or("")
            .trim()
            .chars()
            .take(40)
            .collect();
        report.push_at(
            CheckId::RawHtml,
            Severity::Warning,
            Field::Body,
            Some(span.clone()),
            format!(
                "The body contains HTML ({}), which is published as plain text, not as markup: use Markdown instead.",
                quoted(&snippet)
            ),
        );
    }
}

fn check_length(report: &mut Reporter<'_>, scan: &BodyScan) {
    if scan.words > VERY_LONG_POST_WORDS {
        let message = format!(
            "This {} runs to {} words, more than {VERY_LONG_POST_WORDS}: split it into several posts or move the detail into an article.",
            noun(report.entry),
            scan.words
        );
        report.push(
            CheckId::VeryLongPost,
            Severity::Warning,
            Field::Body,
            message,
        );
    }
}

/// Live-blog posts are mostly desk copy without a byline; a signed piece (a headline
/// starting "Analysis", "Comment", "Opinion" or "Explainer") or a long post is the
/// work of a named journalist, and readers expect to see who.
fn check_byline(report: &mut Reporter<'_>, scan: &BodyScan) {
    let entry = report.entry;
    if !entry.goes_to_print() || entry.kind != EntryKind::Post {
        return;
    }
    let named = entry
        .bylines
        .iter()
        .any(|byline| !byline.name.trim().is_empty());
    if named {
        return;
    }
    let headline = entry.headline().unwrap_or("").to_lowercase();
    let signed_piece = SIGNED_PIECE_PREFIXES
        .iter()
        .any(|prefix| headline.starts_with(prefix));
    let message = if signed_piece {
        "This post reads as a signed piece but carries no byline: add the writer's name.".to_owned()
    } else if scan.words > BYLINE_EXPECTED_WORDS {
        format!(
            "This post runs to {} words with no byline: add the writer's name.",
            scan.words
        )
    } else {
        return;
    };
    report.push(
        CheckId::MissingByline,
        Severity::Warning,
        Field::Bylines,
        message,
    );
}

/// Text in curly quotes for a message, shortened so a hostile value cannot flood it.
pub(super) fn quoted(text: &str) -> String {
    const LIMIT: usize = 60;
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if clean.chars().count() > LIMIT {
        let cut: String = clean.chars().take(LIMIT).collect();
        format!("“{cut}…”")
    } else {
        format!("“{clean}”")
    }
}
