//! `newsdesk export FILE [-o OUT]`: the standalone HTML page, the same bytes as the editor's
//! File > Export.

use super::{EXIT_PROBLEMS, EXIT_UNREADABLE};
use newsdesk::{export, storage};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ExportArgs {
    /// The document to publish.
    file: PathBuf,
    /// Where to write the page; by default FILE with the extension .html.
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
}

pub fn run(args: &ExportArgs) -> ExitCode {
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| args.file.with_extension("html"));
    if output == args.file {
        eprintln!(
            "error: {}: the page would overwrite the document; choose another name with -o",
            output.display()
        );
        return ExitCode::from(EXIT_UNREADABLE);
    }
    let loaded = match storage::load(&args.file) {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(EXIT_UNREADABLE);
        }
    };
    let blog = &loaded.blog;
    // A broken document (two posts with one id, a pinned post that is gone) would
    // publish broken anchors: say what is wrong instead, as `newsdesk check` does.
    let violations = blog.violations();
    if !violations.is_empty() {
        for violation in &violations {
            eprintln!("{}: error: {violation}", args.file.display());
        }
        eprintln!("error: not exported; fix these first");
        return ExitCode::from(EXIT_PROBLEMS);
    }
    let page = export::render_page(blog);
    match storage::write_atomically(&output, page.as_bytes()) {
        Ok(saved) => {
            let published = blog.entries.len() - blog.draft_count();
            println!(
                "{}: {published} published entries ({} drafts left out), {} bytes",
                output.display(),
                blog.draft_count(),
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
