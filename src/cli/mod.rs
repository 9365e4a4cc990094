//! Command-line interface (clap). Each headless command lives in its own file.

mod check;
mod export;
mod fmt;
mod generate;
mod output;
mod publish;
mod pull;
mod serve;
mod share;
mod sync_peer;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit code when the document has problems.
pub const EXIT_PROBLEMS: u8 = 1;
/// Exit code when a file cannot be read or written.
pub const EXIT_UNREADABLE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "newsdesk",
    version,
    about = "Newsdesk: a desktop editor for newsroom live blogs",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    /// A live-blog document (.ron) to open in the editor; without one, the sample opens.
    file: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Load and validate a document and print a short summary.
    Check(check::CheckArgs),
    /// Write the published page: one standalone HTML file, drafts left out.
    Export(export::ExportArgs),
    /// Publish the page, its archive pages and feeds to a folder or an S3-compatible bucket.
    Publish(publish::PublishArgs),
    /// Rewrite a document in canonical form, through the same safe save as the editor.
    Fmt(fmt::FmtArgs),
    /// Write a deterministic synthetic live blog, for demos and benchmarks.
    Generate(generate::GenerateArgs),
    /// Run the co-editing sync server: rooms of shared live blogs, kept in a folder.
    Serve(serve::ServeArgs),
    /// Upload a document to a sync server as a new room and print its share link.
    Share(share::ShareArgs),
    /// Write a shared room's current document to a file.
    Pull(pull::PullArgs),
    /// Open the editor on a live blog a colleague shared, from its link.
    Join(JoinArgs),
    /// A headless editor making random edits in a room, for the convergence test.
    #[command(hide = true)]
    SyncPeer(sync_peer::SyncPeerArgs),
}

#[derive(clap::Args)]
struct JoinArgs {
    /// The share link, such as newsdesk://desk.example:7878/ROOM#TOKEN.
    link: String,
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Export(args)) => export::run(&args),
        Some(Command::Fmt(args)) => fmt::run(&args),
        Some(Command::Publish(args)) => publish::run(&args),
        Some(Command::Generate(args)) => generate::run(&args),
        Some(Command::Serve(args)) => serve::run(&args),
        Some(Command::Share(args)) => share::run(&args),
        Some(Command::Pull(args)) => pull::run(&args),
        Some(Command::SyncPeer(args)) => sync_peer::run(&args),
        Some(Command::Join(args)) => match newsdesk::sync::net::ShareLink::parse(&args.link) {
            Ok(link) => newsdesk::ui::run_joining(link),
            Err(error) => {
                output::error_line(format_args!("error: {error}"));
                ExitCode::from(EXIT_UNREADABLE)
            }
        },
        None => newsdesk::ui::run(cli.file),
    }
}
