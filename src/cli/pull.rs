use super::EXIT_UNREADABLE;
use super::share::capitalised;
use newsdesk::storage;
use newsdesk::sync::SharedBlog;
use newsdesk::sync::net::{ShareLink, oneshot};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct PullArgs {
    /// The share link, newsdesk://HOST:PORT/ROOM#TOKEN.
    link: String,
    /// Where to write the document (canonical RON, through the editor's safe save).
    #[arg(short = 'o', long = "output")]
    output: PathBuf,
}

/// Writes the room's current document; exit 2 with a sentence when it cannot.
pub fn run(args: &PullArgs) -> ExitCode {
    let fail = |message: String| {
        eprintln!("error: {message}");
        ExitCode::from(EXIT_UNREADABLE)
    };
    let link = match ShareLink::parse(&args.link) {
        Ok(link) => link,
        Err(error) => return fail(error.to_string()),
    };
    let (doc, view) = match oneshot::fetch_room_with_view(&link) {
        Ok(fetched) => fetched,
        Err(error) => {
            return fail(format!(
                "{}.",
                capitalised(&error.to_string()).trim_end_matches('.')
            ));
        }
    };
    let blog = SharedBlog::from_doc(doc, view.as_deref()).map_err(|error| error.to_string());
    let blog = match blog {
        Ok((_, blog)) => blog,
        Err(error) => {
            return fail(format!(
                "the room does not hold a readable live blog: {error}"
            ));
        }
    };
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
        Err(error) => fail(error.to_string()),
    }
}
