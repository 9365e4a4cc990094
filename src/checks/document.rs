//! Checks that look across the document: the blog's settings and invariants, the
//! timeline order, links between posts, and times against the clock and the coverage.
//! All are cheap per entry; the expensive reading of each body is cached in `entry.rs`.

use super::entry::{EntryAnalysis, Reporter, quoted, severity_for};
use super::fix::Fix;
use super::id_index::IdIndex;
use super::time_refs::TimeRef;
use super::url::is_web_url;
use super::{CheckId, FUTURE_TOLERANCE, Field, Problem, STALE_DRAFT_AFTER, Severity};
use crate::edit::BlogSettings;
use crate::model::{BlogStatus, Entry, LiveBlog, Violation, Zone};
use chrono::{DateTime, Duration, NaiveDate, Offset, Utc};
use std::collections::{HashMap, HashSet};

fn blog_problem(check: CheckId, severity: Severity, field: Field, message: String) -> Problem {
    Problem {
        check,
        severity,
        entry: None,
        time: None,
        field: Some(field),
        span: None,
        message,
        fix: None,
    }
}

/// Whether `LiveBlog::violations` could find anything, worked out without its full pass
/// over the ids (the index knows about duplicates already). Covers every `Violation`.
pub(super) fn may_violate(blog: &LiveBlog, index: &IdIndex) -> bool {
    let pinned_wrong = || {
        let mut seen = HashSet::with_capacity(blog.pinned.len());
        blog.pinned
            .iter()
            .any(|id| !seen.insert(id) || index.get(&blog.entries, id).is_none())
    };
    index.has_duplicates()
        || blog
            .settings
            .coverage_end
            .is_some_and(|end| end < blog.settings.coverage_start)
        || pinned_wrong()
}

/// The loader's invariants (`LiveBlog::violations`) as problems.
pub(super) fn violation_problems(blog: &LiveBlog) -> Vec<Problem> {
    blog.violations()
        .into_iter()
        .map(|violation| violation_problem(blog, &violation))
        .collect()
}

/// A new kind of `Violation` needs an arm here, and a test in `may_violate`.
fn violation_problem(blog: &LiveBlog, violation: &Violation) -> Problem {
    match violation {
        Violation::DuplicateId(id) => Problem {
            check: CheckId::DuplicateId,
            severity: Severity::Error,
            entry: Some(id.clone()),
            time: blog.entry(id).map(|entry| entry.display_time),
            field: Some(Field::Id),
            span: None,
            message: format!(
                "Two entries share the id {}, so links to it and its place on the page are ambiguous: delete one, or copy its text into a new post and delete it.",
                quoted(id.as_str())
            ),
            fix: None,
        },
        Violation::PinnedMissing(id) => Problem {
            fix: Some(Fix::unpin(
                format!("Remove {} from the pinned list", quoted(id.as_str())),
                id,
                &blog.pinned,
            )),
            ..blog_problem(
                CheckId::PinnedMissing,
                Severity::Error,
                Field::Pinned,
                format!(
                    "The pinned list names {}, which is not an entry: remove it from the pinned list.",
                    quoted(id.as_str())
                ),
            )
        },
        Violation::PinnedTwice(id) => Problem {
            entry: Some(id.clone()),
            time: blog.entry(id).map(|entry| entry.display_time),
            fix: Some(Fix::unpin(
                format!("Pin {} only once", quoted(id.as_str())),
                id,
                &blog.pinned,
            )),
            ..blog_problem(
                CheckId::PinnedTwice,
                Severity::Error,
                Field::Pinned,
                format!(
                    "{} is pinned twice and would show twice at the top: unpin one of them.",
                    quoted(id.as_str())
                ),
            )
        },
        Violation::CoverageEndsBeforeStart => blog_problem(
            CheckId::CoverageEndsBeforeStart,
            Severity::Error,
            Field::CoverageEnd,
            format!(
                "The coverage ends ({}) before it starts ({}): correct the end time.",
                when(
                    blog,
                    blog.settings
                        .coverage_end
                        .unwrap_or(blog.settings.coverage_start)
                ),
                when(blog, blog.settings.coverage_start)
            ),
        ),
    }
}

/// Checks of the blog's own settings.
pub(super) fn settings_problems(blog: &LiveBlog, problems: &mut Vec<Problem>) {
    if blog.settings.status == BlogStatus::Ended && blog.settings.coverage_end.is_none() {
        let last = blog
            .entries
            .iter()
            .filter(|entry| entry.is_published())
            .map(|entry| entry.display_time)
            .max()
            .unwrap_or(blog.settings.coverage_start)
            .max(blog.settings.coverage_start);
        let old = blog.settings.clone();
        let new = BlogSettings {
            coverage_end: Some(last),
            ..old.clone()
        };
        let clock = when(blog, last);
        problems.push(Problem {
            fix: Some(Fix::settings(
                format!("End the coverage at {clock}, the last post"),
                old,
                new,
            )),
            ..blog_problem(
                CheckId::EndedWithoutCoverageEnd,
                Severity::Error,
                Field::CoverageEnd,
                format!(
                    "The blog is marked as ended but has no coverage end: set when the coverage ended (the last post is at {clock})."
                ),
            )
        });
    }
    if let Some(url) = &blog.settings.canonical_url
        && !is_web_url(url)
    {
        problems.push(blog_problem(
            CheckId::UnsafeUrl,
            Severity::Error,
            Field::CanonicalUrl,
            format!(
                "The page's canonical address {} is not an http or https address: use the page's full web address, or leave it empty.",
                quoted(url)
            ),
        ));
    }
}

/// A time as the blog shows it, with the day when it is not the coverage's first day:
/// "9.32am" or "9.32am, Wed 19 Feb".
pub(super) fn when(blog: &LiveBlog, time: DateTime<Utc>) -> String {
    let zone = blog.settings.time_zone.zone;
    let clock = blog.settings.time_zone.clock(time);
    let day = local_date(zone, time);
    if day.is_some() && day == local_date(zone, blog.settings.coverage_start) {
        clock
    } else {
        format!("{clock}, {}", zone.local(time).format("%a %-d %b %Y"))
    }
}

/// The date on the blog's clock; `None` at the very ends of the calendar, where the local
/// date cannot be represented (chrono's `date_naive` would panic, and a file can hold
/// such a time).
pub fn local_date(zone: Zone, time: DateTime<Utc>) -> Option<NaiveDate> {
    let offset = zone.local(time).offset().fix();
    time.naive_utc()
        .checked_add_offset(offset)
        .map(|local| local.date())
}

/// "9.32am" for minutes since midnight, in the newsroom style of `ZoneLabel::clock`.
fn clock_of_minute(minute_of_day: u16) -> String {
    let hour = minute_of_day / 60 % 24;
    let minute = minute_of_day % 60;
    let suffix = if hour < 12 { "am" } else { "pm" };
    let hour12 = match hour % 12 {
        0 => 12,
        other => other,
    };
    format!("{hour12}.{minute:02}{suffix}")
}

/// "20 minutes", "3 hours", "2 days".
fn span_words(duration: Duration) -> String {
    let plural = |n: i64, unit: &str| {
        if n == 1 {
            format!("1 {unit}")
        } else {
            format!("{n} {unit}s")
        }
    };
    if duration >= Duration::days(2) {
        plural(duration.num_days(), "day")
    } else if duration >= Duration::hours(2) {
        plural(duration.num_hours(), "hour")
    } else {
        plural(duration.num_minutes().max(1), "minute")
    }
}

/// The moment of a check, and the limits that follow from it, worked out once.
pub(super) struct Clock {
    now: DateTime<Utc>,
    future_after: DateTime<Utc>,
    stale_before: DateTime<Utc>,
}

impl Clock {
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            now,
            future_after: now
                .checked_add_signed(FUTURE_TOLERANCE)
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
            stale_before: now
                .checked_sub_signed(STALE_DRAFT_AFTER)
                .unwrap_or(DateTime::<Utc>::MIN_UTC),
        }
    }
}

/// Times against the clock and the coverage window.
pub(super) fn time_problems(report: &mut Reporter<'_>, blog: &LiveBlog, clock: &Clock) {
    let entry = report.entry;
    let time = entry.display_time;
    let now = clock.now;
    let severity = severity_for(entry);
    // A post scheduled for its own time (or later) never shows readers a future time.
    let held_back = entry.status.scheduled_for().is_some_and(|at| at >= time);
    if time > clock.future_after && !held_back {
        report.push(
            CheckId::FutureTime,
            severity,
            Field::DisplayTime,
            format!(
                "The time {} is {} from now, so readers would see a post from the future: correct the time.",
                when(blog, time),
                span_words(time - now)
            ),
        );
    }
    if time < blog.settings.coverage_start {
        report.push(
            CheckId::TimeBeforeCoverage,
            severity,
            Field::DisplayTime,
            format!(
                "The time {} is before the coverage starts ({}): correct the time, or move the coverage start earlier.",
                when(blog, time),
                when(blog, blog.settings.coverage_start)
            ),
        );
    }
    if let Some(end) = blog.settings.coverage_end
        && time > end
    {
        report.push(
            CheckId::TimeAfterCoverageEnd,
            severity,
            Field::DisplayTime,
            format!(
                "The time {} is after the coverage ends ({}): correct the time, or move the coverage end later.",
                when(blog, time),
                when(blog, end)
            ),
        );
    }
    if let Some(at) = entry.status.scheduled_for()
        && blog.settings.status == BlogStatus::Ended
    {
        let message = if at <= now {
            format!(
                "This post was scheduled for {} and is in print, but the blog has ended: publish it, or return it to draft.",
                when(blog, at)
            )
        } else {
            format!(
                "This post is scheduled for {}, but the blog has ended: it will still appear then. Return it to draft, or set the blog live again.",
                when(blog, at)
            )
        };
        report.push(
            CheckId::ScheduledAfterEnd,
            Severity::Warning,
            Field::Status,
            message,
        );
    }
    if entry.is_draft() && entry.modified < clock.stale_before {
        report.push(
            CheckId::StaleDraft,
            Severity::Warning,
            Field::Status,
            format!(
                "This draft has not been touched for {}: publish it if it is still news, or delete it.",
                span_words(now - entry.modified)
            ),
        );
    }
}

/// Finds, for each stream entry, the nearest stream entry above it whose time is the
/// same or later: where an entry shown out of order belongs. One pass, a stack of
/// candidates with falling times.
pub(super) struct OrderWalk {
    above: Vec<(DateTime<Utc>, usize)>,
    previous: Option<(DateTime<Utc>, usize)>,
}

impl OrderWalk {
    pub fn new() -> Self {
        Self {
            above: Vec::new(),
            previous: None,
        }
    }

    /// Takes the next unpinned entry, at `index` of the timeline, and reports it if it
    /// is later than the entry shown above it.
    pub fn step(&mut self, report: &mut Reporter<'_>, blog: &LiveBlog, index: usize) {
        let entry = report.entry;
        let time = entry.display_time;
        while self.above.last().is_some_and(|&(above, _)| above < time) {
            self.above.pop();
        }
        let home = self.above.last().map_or(0, |&(_, at)| at + 1);
        if let Some((previous_time, previous_index)) = self.previous
            && time > previous_time
        {
            let neighbour = blog
                .entries
                .get(previous_index)
                .map(|previous| previous.title_line(40))
                .unwrap_or_default();
            let target = match blog.entries.get(home) {
                Some(below) if home < index => {
                    format!("above the {} post", when(blog, below.display_time))
                }
                _ => "to the top".to_owned(),
            };
            report.problems.push(Problem {
                check: CheckId::OrderDisagreesWithTime,
                severity: severity_for(entry),
                entry: Some(entry.id.clone()),
                time: Some(time),
                field: Some(Field::Position),
                span: None,
                message: format!(
                    "This post is timed {} but sits below a post timed {} ({}), and the timeline runs newest first: move it up, or correct its time.",
                    when(blog, time),
                    when(blog, previous_time),
                    quoted(&neighbour)
                ),
                fix: Some(Fix::move_entry(
                    format!("Move it {target}"),
                    &entry.id,
                    index,
                    home,
                )),
            });
        }
        self.above.push((time, index));
        self.previous = Some((time, index));
    }
}

/// Links to other posts, checked against the document.
pub(super) fn link_problems(
    report: &mut Reporter<'_>,
    analysis: &EntryAnalysis,
    targets: &[Option<usize>],
    published: &[bool],
    blog: &LiveBlog,
) {
    let severity = severity_for(report.entry);
    for (link, &target) in analysis.post_links.iter().zip(targets) {
        // The common case, a link to a published post, needs only the `published` list.
        if target.and_then(|at| published.get(at)) == Some(&true) {
            continue;
        }
        let target = target.and_then(|at| blog.entries.get(at));
        let message = match target {
            None => format!(
                "The link to #{} goes to no post in this blog (it may have been deleted): link to an existing post or remove the link.",
                link.target
            ),
            Some(target) if target.is_draft() => format!(
                "The link goes to a draft ({}), which readers cannot see, so the link will not be published: publish that post first or remove the link.",
                quoted(&target.title_line(40))
            ),
            Some(_) => continue,
        };
        report.push_at(
            CheckId::BrokenEntryLink,
            severity,
            Field::Body,
            Some(link.span.clone()),
            message,
        );
    }
}

/// Published entries by the minute of the day they show, for the minutes asked about.
pub(super) type PostsByMinute = HashMap<u16, Vec<usize>>;

/// References to posts by time ("our 9.32am post") that are not links.
pub(super) fn time_ref_problems(
    report: &mut Reporter<'_>,
    refs: &[TimeRef],
    blog: &LiveBlog,
    index: usize,
    posts_by_minute: &PostsByMinute,
    now: DateTime<Utc>,
) {
    let entry = report.entry;
    for reference in refs {
        let Some(words) = entry.body.get(reference.span.clone()) else {
            continue;
        };
        let clock = clock_of_minute(reference.minute_of_day);
        let matches: Vec<&Entry> = posts_by_minute
            .get(&reference.minute_of_day)
            .into_iter()
            .flatten()
            .filter(|&&at| at != index)
            .filter_map(|&at| blog.entries.get(at).map(|entry| &**entry))
            .collect();
        let (message, fix) = match matches.as_slice() {
            [target] => (
                format!(
                    "{} refers to the {clock} post ({}) without linking it: link it so readers can jump there.",
                    quoted(words),
                    quoted(&target.title_line(40))
                ),
                link_fix(entry, reference, words, target, &clock, now),
            ),
            [] => (
                format!(
                    "{} refers to a {clock} post, but no published post shows {clock}: correct the time, or link the right post as [{words}](#post-id).",
                    quoted(words)
                ),
                None,
            ),
            several => (
                format!(
                    "{} could mean any of {} posts shown at {clock} ({}): link the right one as [{words}](#post-id).",
                    quoted(words),
                    several.len(),
                    several
                        .iter()
                        .take(4)
                        .map(|target| target.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None,
            ),
        };
        report.problems.push(Problem {
            check: CheckId::UnlinkedTimeReference,
            severity: Severity::Warning,
            entry: Some(entry.id.clone()),
            time: Some(entry.display_time),
            field: Some(Field::Body),
            span: Some(reference.span.clone()),
            message,
            fix,
        });
    }
}

fn link_fix(
    entry: &Entry,
    reference: &TimeRef,
    words: &str,
    target: &Entry,
    clock: &str,
    now: DateTime<Utc>,
) -> Option<Fix> {
    let before = entry.body.get(..reference.span.start)?;
    let after = entry.body.get(reference.span.end..)?;
    let body = format!("{before}[{words}](#{}){after}", target.id);
    Some(Fix::new_body(
        format!("Link {} to the {clock} post", quoted(words)),
        &entry.id,
        &entry.body,
        body,
        now,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_and_spans_read_as_newsroom_copy() {
        assert_eq!(clock_of_minute(572), "9.32am");
        assert_eq!(clock_of_minute(0), "12.00am");
        assert_eq!(clock_of_minute(12 * 60), "12.00pm");
        assert_eq!(clock_of_minute(23 * 60 + 59), "11.59pm");
        assert_eq!(span_words(Duration::seconds(20)), "1 minute");
        assert_eq!(span_words(Duration::minutes(90)), "90 minutes");
        assert_eq!(span_words(Duration::hours(5)), "5 hours");
        assert_eq!(span_words(Duration::days(3)), "3 days");
    }
}
