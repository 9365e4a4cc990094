use super::{EXIT_PROBLEMS, EXIT_UNREADABLE};
use newsdesk::storage::{self, Access};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct CheckArgs {
    /// The document to check.
    file: PathBuf,
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let loaded = match storage::load(&args.file) {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(EXIT_UNREADABLE);
        }
    };
    let blog = &loaded.blog;
    let file = args.file.display();
    let violations = blog.violations();
    for violation in &violations {
        println!("{file}: error: {violation}");
    }
    if let Access::ReadOnlyNewer { version } = loaded.access {
        println!(
            "{file}: note: written by a newer Newsdesk (format {version}); it can be read but not saved over"
        );
    }
    let zone = &blog.time_zone;
    let span = match blog.time_span() {
        Some((first, last)) => format!(
            "{} to {} ({})",
            zone.zone.local(first).format("%a %-d %b %Y %H:%M"),
            zone.zone.local(last).format("%a %-d %b %Y %H:%M"),
            zone.display_label()
        ),
        None => "no entries".into(),
    };
    println!(
        "{file}: {} entries, {} pinned, {} drafts; {span}",
        blog.entries.len(),
        blog.pinned.len(),
        blog.draft_count()
    );
    if violations.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_PROBLEMS)
    }
}
