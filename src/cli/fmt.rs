//! `newsdesk fmt FILE`: rewrites a document in canonical form through the editor's safe save.

use super::EXIT_UNREADABLE;
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
            eprintln!("error: {error}");
            return ExitCode::from(EXIT_UNREADABLE);
        }
    };
    if let Access::ReadOnlyNewer { version } = loaded.access {
        eprintln!(
            "error: {}: written by a newer Newsdesk (format {version}); rewriting it would drop what this version does not know",
            args.file.display()
        );
        return ExitCode::from(EXIT_UNREADABLE);
    }
    match storage::save(&args.file, &loaded.blog) {
        Ok(saved) if saved.content_hash == loaded.content_hash => {
            println!("{}: already in canonical form", args.file.display());
            ExitCode::SUCCESS
        }
        Ok(_) => {
            println!("{}: rewritten in canonical form", args.file.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(EXIT_UNREADABLE)
        }
    }
}
