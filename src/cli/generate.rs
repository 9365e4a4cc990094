//! `newsdesk generate`: a deterministic synthetic blog of realistic shape, for demos and
//! benchmarks.

use super::EXIT_UNREADABLE;
use super::output::{complain, say};
use newsdesk::{generate, storage};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct GenerateArgs {
    /// How many entries to write.
    #[arg(long, default_value_t = 500)]
    posts: usize,
    /// The same seed gives the same blog.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where to write the document.
    #[arg(short = 'o', long = "output")]
    output: PathBuf,
}

/// Far beyond any live blog, and about the most that still opens: a file of a million
/// posts is near the loader's 1 GiB limit.
const MOST_POSTS: usize = 1_000_000;

pub fn run(args: &GenerateArgs) -> ExitCode {
    if args.posts > MOST_POSTS {
        complain!(
            "error: --posts {}: at most {MOST_POSTS} posts (a bigger blog could not be opened again)",
            args.posts
        );
        return ExitCode::from(EXIT_UNREADABLE);
    }
    let blog = generate::generate(args.posts, args.seed);
    match storage::save(&args.output, &blog) {
        Ok(saved) => {
            say!(
                "{}: {} entries, {} bytes",
                args.output.display(),
                blog.entries.len(),
                saved.bytes
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            complain!("error: {error}");
            ExitCode::from(EXIT_UNREADABLE)
        }
    }
}
