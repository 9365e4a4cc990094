use super::EXIT_UNREADABLE;
use newsdesk::storage::{self, Access};
use newsdesk::sync::SharedBlog;
use newsdesk::sync::net::{ServerAddress, oneshot};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ShareArgs {
    /// The document to share.
    file: PathBuf,
    /// The sync server, such as ws://127.0.0.1:7878.
    #[arg(long)]
    server: String,
}

/// Uploads a document as a new room and prints its link (the only stdout line).
pub fn run(args: &ShareArgs) -> ExitCode {
    let fail = |message: String| {
        eprintln!("error: {message}");
        ExitCode::from(EXIT_UNREADABLE)
    };
    let server = match ServerAddress::parse(&args.server) {
        Ok(server) => server,
        Err(error) => return fail(error.to_string()),
    };
    let loaded = match storage::load(&args.file) {
        Ok(loaded) => loaded,
        Err(error) => return fail(error.to_string()),
    };
    if let Access::ReadOnlyNewer { version } = loaded.access {
        return fail(format!(
            "{}: written by a newer Newsdesk (format {version}); sharing it would drop what this version does not know",
            args.file.display()
        ));
    }
    let peer = rand::random::<u64>() >> 1; // Any number but u64::MAX.
    let snapshot = match SharedBlog::create(&loaded.blog, peer).and_then(|shared| shared.snapshot())
    {
        Ok(snapshot) => snapshot,
        Err(error) => return fail(format!("{}: {error}", args.file.display())),
    };
    match oneshot::create_room(&server, snapshot) {
        Ok(link) => {
            println!("{link}");
            ExitCode::SUCCESS
        }
        Err(error) => fail(capitalised(&error.to_string())),
    }
}

/// Network errors read as clauses ("the sync server ..."); a message on its own starts with a capital.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
