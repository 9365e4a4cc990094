//! `newsdesk fmt FILE`: rewrites a document in canonical form through the editor's safe save.

use super::EXIT_UNREADABLE;
use super::output::{complain, say};
use newsdesk::storage::{self, Access};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct FmtArgs {
    /// The document to rewrite in place.
    file: PathBuf,
}

pub fn run(args: &FmtArgs) -> ExitCode {
    let loaded = match storage::load(&args.file) {
        Ok(loaded) => loaded,
        Err(error) => {
            complain!("error: {error}");
            return ExitCode::from(EXIT_UNREADABLE);
        }
    };
    if let Access::ReadOnlyNewer { version } = loaded.access {
        complain!(
            "error: {}: written by a newer Newsdesk (format {version}); rewriting it would drop what this version does not know",
            args.file.display()
        );
        return ExitCode::from(EXIT_UNREADABLE);
    }
    // Already canonical: write nothing, so the file keeps its time and no backup appears.
    let canonical = match storage::to_ron_string(&loaded.blog) {
        Ok(text) => text,
        Err(error) => {
            complain!(
                "error: {}: could not be written out: {error}",
                args.file.display()
            );
            return ExitCode::from(EXIT_UNREADABLE);
        }
    };
    if storage::ContentHash::of(canonical.as_bytes()) == loaded.content_hash {
        say!("{}: already in canonical form", args.file.display());
        return ExitCode::SUCCESS;
    }
    match storage::save(&args.file, &loaded.blog) {
        Ok(_) => {
            say!("{}: rewritten in canonical form", args.file.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            complain!("error: {error}");
            ExitCode::from(EXIT_UNREADABLE)
        }
    }
}
