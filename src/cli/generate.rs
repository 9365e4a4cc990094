//! `newsdesk generate`: a deterministic synthetic blog of realistic shape, for demos and
//! benchmarks.

use super::EXIT_UNREADABLE;
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

pub fn run(args: &GenerateArgs) -> ExitCode {
    let blog = generate::generate(args.posts, args.seed);
    match storage::save(&args.output, &blog) {
        Ok(saved) => {
            println!(
                "{}: {} entries, {} bytes",
                args.output.display(),
                blog.entries.len(),
                saved.bytes
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(EXIT_UNREADABLE)
        }
    }
}
