//! What a check reports: a problem, how serious it is, where it is, and how to fix it.

use super::fix::Fix;
use crate::model::EntryId;
use chrono::{DateTime, Utc};
use std::fmt;
use std::ops::Range;

/// Every check, with a stable id used on the command line and in JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CheckId {
    EmptyBody,
    HeadlineRequired,
    MissingAltText,
    UnsafeUrl,
    RawHtml,
    FutureTime,
    TimeBeforeCoverage,
    TimeAfterCoverageEnd,
    OrderDisagreesWithTime,
    BrokenEntryLink,
    UnlinkedTimeReference,
    DuplicateId,
    PinnedMissing,
    PinnedTwice,
    CoverageEndsBeforeStart,
    EndedWithoutCoverageEnd,
    StaleDraft,
    MissingByline,
    VeryLongPost,
    ScheduledAfterEnd,
    MissingMediaFile,
}

impl CheckId {
    pub const ALL: [CheckId; 21] = [
        CheckId::EmptyBody,
        CheckId::HeadlineRequired,
        CheckId::MissingAltText,
        CheckId::UnsafeUrl,
        CheckId::RawHtml,
        CheckId::FutureTime,
        CheckId::TimeBeforeCoverage,
        CheckId::TimeAfterCoverageEnd,
        CheckId::OrderDisagreesWithTime,
        CheckId::BrokenEntryLink,
        CheckId::UnlinkedTimeReference,
        CheckId::DuplicateId,
        CheckId::PinnedMissing,
        CheckId::PinnedTwice,
        CheckId::CoverageEndsBeforeStart,
        CheckId::EndedWithoutCoverageEnd,
        CheckId::StaleDraft,
        CheckId::MissingByline,
        CheckId::VeryLongPost,
        CheckId::ScheduledAfterEnd,
        CheckId::MissingMediaFile,
    ];

    /// The stable id: "empty-body", "unlinked-time-reference".
    pub fn as_str(self) -> &'static str {
        match self {
            CheckId::EmptyBody => "empty-body",
            CheckId::HeadlineRequired => "headline-required",
            CheckId::MissingAltText => "missing-alt-text",
            CheckId::UnsafeUrl => "unsafe-url",
            CheckId::RawHtml => "raw-html",
            CheckId::FutureTime => "future-time",
            CheckId::TimeBeforeCoverage => "time-before-coverage",
            CheckId::TimeAfterCoverageEnd => "time-after-coverage-end",
            CheckId::OrderDisagreesWithTime => "order-disagrees-with-time",
            CheckId::BrokenEntryLink => "broken-entry-link",
            CheckId::UnlinkedTimeReference => "unlinked-time-reference",
            CheckId::DuplicateId => "duplicate-id",
            CheckId::PinnedMissing => "pinned-missing",
            CheckId::PinnedTwice => "pinned-twice",
            CheckId::CoverageEndsBeforeStart => "coverage-ends-before-start",
            CheckId::EndedWithoutCoverageEnd => "ended-without-coverage-end",
            CheckId::StaleDraft => "stale-draft",
            CheckId::MissingByline => "missing-byline",
            CheckId::VeryLongPost => "very-long-post",
            CheckId::ScheduledAfterEnd => "scheduled-after-end",
            CheckId::MissingMediaFile => "missing-media-file",
        }
    }

    pub fn from_id(text: &str) -> Option<CheckId> {
        CheckId::ALL
            .into_iter()
            .find(|check| check.as_str() == text)
    }

    /// A short name for lists: "Empty body".
    pub fn title(self) -> &'static str {
        match self {
            CheckId::EmptyBody => "Empty body",
            CheckId::HeadlineRequired => "Headline required",
            CheckId::MissingAltText => "Missing alt text",
            CheckId::UnsafeUrl => "Unsafe address",
            CheckId::RawHtml => "Raw HTML",
            CheckId::FutureTime => "Time in the future",
            CheckId::TimeBeforeCoverage => "Time before the coverage starts",
            CheckId::TimeAfterCoverageEnd => "Time after the coverage ends",
            CheckId::OrderDisagreesWithTime => "Order disagrees with the times",
            CheckId::BrokenEntryLink => "Broken link to a post",
            CheckId::UnlinkedTimeReference => "Unlinked reference to a post",
            CheckId::DuplicateId => "Duplicate id",
            CheckId::PinnedMissing => "Pinned post missing",
            CheckId::PinnedTwice => "Pinned twice",
            CheckId::CoverageEndsBeforeStart => "Coverage ends before it starts",
            CheckId::EndedWithoutCoverageEnd => "Ended without a coverage end",
            CheckId::StaleDraft => "Stale draft",
            CheckId::MissingByline => "Missing byline",
            CheckId::VeryLongPost => "Very long post",
            CheckId::ScheduledAfterEnd => "Scheduled on an ended blog",
            CheckId::MissingMediaFile => "Picture file missing",
        }
    }
}

impl fmt::Display for CheckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Errors must be fixed before publishing (exporting asks first); warnings are advice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The part of an entry, or of the blog's settings, that a problem is about: where the
/// editor puts the cursor when the problem is clicked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    // Entry fields.
    Id,
    Headline,
    Body,
    Bylines,
    MediaUrl,
    MediaAlt,
    DisplayTime,
    Status,
    /// The entry's place in the timeline.
    Position,
    // Blog settings.
    CanonicalUrl,
    CoverageStart,
    CoverageEnd,
    BlogStatus,
    Pinned,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Headline => "headline",
            Field::Body => "body",
            Field::Bylines => "bylines",
            Field::MediaUrl => "media-url",
            Field::MediaAlt => "media-alt",
            Field::DisplayTime => "display-time",
            Field::Status => "status",
            Field::Position => "position",
            Field::CanonicalUrl => "canonical-url",
            Field::CoverageStart => "coverage-start",
            Field::CoverageEnd => "coverage-end",
            Field::BlogStatus => "blog-status",
            Field::Pinned => "pinned",
        }
    }

    /// Whether this is one of the blog's settings rather than a field of an entry.
    pub fn is_blog_setting(self) -> bool {
        matches!(
            self,
            Field::CanonicalUrl
                | Field::CoverageStart
                | Field::CoverageEnd
                | Field::BlogStatus
                | Field::Pinned
        )
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing to put right before publishing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub check: CheckId,
    pub severity: Severity,
    /// The entry concerned; `None` for the blog's settings.
    pub entry: Option<EntryId>,
    /// The entry's display time, so a list can say "9.32am" without looking the entry up.
    pub time: Option<DateTime<Utc>>,
    pub field: Option<Field>,
    /// Byte range in the field's text (the body, usually) that the problem is about.
    pub span: Option<Range<usize>>,
    /// A sentence that says what is wrong and how to fix it.
    pub message: String,
    /// A one-click fix, offered only where it is safe.
    pub fix: Option<Fix>,
}

impl Problem {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The problems of a document, blog-wide ones first, then by entry in timeline order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckReport {
    pub problems: Vec<Problem>,
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }

    pub fn error_count(&self) -> usize {
        self.problems.iter().filter(|p| p.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.problems.len() - self.error_count()
    }

    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }

    /// Whether publishing should stop: on errors, and with `strict` on warnings too.
    pub fn fails(&self, strict: bool) -> bool {
        if strict {
            !self.problems.is_empty()
        } else {
            self.has_errors()
        }
    }

    /// The problems of one entry (a linear scan: for badges on a few visible rows).
    pub fn for_entry<'a>(&'a self, id: &'a EntryId) -> impl Iterator<Item = &'a Problem> + 'a {
        self.problems
            .iter()
            .filter(move |problem| problem.entry.as_ref() == Some(id))
    }
}
