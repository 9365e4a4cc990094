//! `newsdesk check FILE`: load, validate and run the pre-publication checks, one line per
//! problem (or JSON).

use super::output::{complain, say};
use super::{EXIT_PROBLEMS, EXIT_UNREADABLE};
use chrono::{DateTime, Utc};
use newsdesk::checks::{self, CheckReport, Problem};
use newsdesk::model::LiveBlog;
use newsdesk::storage::{self, Access};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct CheckArgs {
    /// The document to check.
    file: PathBuf,
    /// Fail on warnings too, not only on errors.
    #[arg(long)]
    strict: bool,
    /// How to print the problems.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// One line per problem: `FILE: entry ID (time): severity: message`.
    Text,
    /// One JSON object with every problem, for pipelines.
    Json,
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let loaded = match storage::load(&args.file) {
        Ok(loaded) => loaded,
        Err(error) => {
            complain!("error: {error}");
            return ExitCode::from(EXIT_UNREADABLE);
        }
    };
    let blog = &loaded.blog;
    let mut problems = checks::check_document(blog, Utc::now());
    problems.extend(checks::missing_media_files(blog, &args.file));
    let report = CheckReport { problems };
    let newer = match loaded.access {
        Access::ReadOnlyNewer { version } => Some(version),
        Access::ReadWrite => None,
    };
    let file = args.file.display().to_string();
    match args.format {
        Format::Text => print_text(&file, blog, &report, newer),
        Format::Json => print_json(&file, blog, &report, newer),
    }
    if report.fails(args.strict) {
        ExitCode::from(EXIT_PROBLEMS)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_text(file: &str, blog: &LiveBlog, report: &CheckReport, newer: Option<u64>) {
    let clock = Clock::new(blog);
    for problem in &report.problems {
        let place = match &problem.entry {
            Some(id) => match problem.time {
                Some(time) => format!("entry {id} ({}): ", clock.show(time)),
                None => format!("entry {id}: "),
            },
            None => String::new(),
        };
        say!(
            "{file}: {place}{}: {} [{}]",
            problem.severity,
            problem.message,
            problem.check
        );
    }
    if let Some(version) = newer {
        say!(
            "{file}: note: written by a newer Newsdesk (format {version}); it can be read but not saved over"
        );
    }
    say!("{file}: {}", summary(blog));
    if !report.is_clean() {
        say!(
            "{file}: {}, {}",
            counted(report.error_count(), "error"),
            counted(report.warning_count(), "warning")
        );
    }
}

/// "1 error", "2 warnings".
fn counted(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

fn print_json(file: &str, blog: &LiveBlog, report: &CheckReport, newer: Option<u64>) {
    let clock = Clock::new(blog);
    let problems: Vec<serde_json::Value> = report
        .problems
        .iter()
        .map(|problem| problem_json(&clock, problem))
        .collect();
    let document = serde_json::json!({
        "file": file,
        "summary": summary(blog),
        "entries": blog.entries.len(),
        "pinned": blog.pinned.len(),
        "drafts": blog.draft_count(),
        "errors": report.error_count(),
        "warnings": report.warning_count(),
        "newer_format": newer,
        "problems": problems,
    });
    match serde_json::to_string_pretty(&document) {
        Ok(text) => say!("{text}"),
        // Only reachable if serde_json could not write its own values.
        Err(error) => complain!("error: could not write JSON: {error}"),
    }
}

fn problem_json(clock: &Clock<'_>, problem: &Problem) -> serde_json::Value {
    serde_json::json!({
        "check": problem.check.as_str(),
        "severity": problem.severity.as_str(),
        "entry": problem.entry.as_ref().map(|id| id.as_str()),
        "time": problem.time.map(|time| clock.show(time)),
        "time_utc": problem.time.map(|time| time.to_rfc3339()),
        "field": problem.field.map(|field| field.as_str()),
        "span": problem.span.as_ref().map(|span| [span.start, span.end]),
        "message": problem.message,
        "fix": problem.fix.as_ref().map(|fix| fix.label.as_str()),
    })
}

/// Shows times as readers see them, with the zone's label ("9.32am UK"), and with the
/// date when the blog's entries span more than one day in its zone.
struct Clock<'a> {
    blog: &'a LiveBlog,
    one_day: bool,
}

impl<'a> Clock<'a> {
    fn new(blog: &'a LiveBlog) -> Self {
        let zone = blog.settings.time_zone.zone;
        let one_day = blog.time_span().is_none_or(|(first, last)| {
            let first = checks::local_date(zone, first);
            first.is_some() && first == checks::local_date(zone, last)
        });
        Self { blog, one_day }
    }

    fn show(&self, time: DateTime<Utc>) -> String {
        let zone = &self.blog.settings.time_zone;
        let clock = zone.clock(time);
        let label = zone.display_label();
        if self.one_day {
            format!("{clock} {label}")
        } else {
            format!(
                "{} {clock} {label}",
                zone.zone.local(time).format("%a %-d %b %Y")
            )
        }
    }
}

/// "13 entries, 1 pinned, 0 drafts; Tue 18 Feb 2025 09:32 to Tue 18 Feb 2025 14:47 (UK)".
fn summary(blog: &LiveBlog) -> String {
    let zone = &blog.settings.time_zone;
    let span = match blog.time_span() {
        Some((first, last)) => format!(
            "{} to {} ({})",
            zone.zone.local(first).format("%a %-d %b %Y %H:%M"),
            zone.zone.local(last).format("%a %-d %b %Y %H:%M"),
            zone.display_label()
        ),
        None => "no entries".into(),
    };
    format!(
        "{} entries, {} pinned, {} drafts; {span}",
        blog.entries.len(),
        blog.pinned.len(),
        blog.draft_count()
    )
}
