//! `newsdesk export FILE [-o OUT]`: the standalone HTML page, the same bytes as the editor's
//! File > Export.

use super::output::{complain, say};
use super::{EXIT_PROBLEMS, EXIT_UNREADABLE};
use newsdesk::{export, media, storage};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ExportArgs {
    /// The document to publish.
    file: PathBuf,
    /// Where to write the page; by default FILE with the extension .html.
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
}

/// Whether `a` and `b` name the same file, however spelt (relative, absolute, `./`, a
/// symbolic link, a hard link).
fn same_file(a: &Path, b: &Path) -> bool {
    if a == b {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(a), Ok(b)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return a.dev() == b.dev() && a.ino() == b.ino();
        }
    }
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        // A page that does not exist yet cannot be the document, which does.
        _ => false,
    }
}

pub fn run(args: &ExportArgs) -> ExitCode {
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| args.file.with_extension("html"));
    if same_file(&output, &args.file) {
        complain!(
            "error: {}: the page would overwrite the document; choose another name with -o",
            output.display()
        );
        return ExitCode::from(EXIT_UNREADABLE);
    }
    let loaded = match storage::load(&args.file) {
        Ok(loaded) => loaded,
        Err(error) => {
            complain!("error: {error}");
            return ExitCode::from(EXIT_UNREADABLE);
        }
    };
    let blog = &loaded.blog;
    // A broken document (two posts with one id, a pinned post that is gone) would
    // publish broken anchors: say what is wrong instead, as `newsdesk check` does.
    let violations = blog.violations();
    if !violations.is_empty() {
        for violation in &violations {
            complain!("{}: error: {violation}", args.file.display());
        }
        complain!("error: not exported; fix these first");
        return ExitCode::from(EXIT_PROBLEMS);
    }
    // Scheduled posts whose time has come are in print, as on the editor's page.
    let now = chrono::Utc::now();
    // The pictures first: a page that lands before them would show broken images.
    let pictures = match media::copy_media_beside(blog, &args.file, &output) {
        Ok(pictures) => pictures,
        Err(error) => {
            complain!("error: {error}");
            return ExitCode::from(EXIT_UNREADABLE);
        }
    };
    for missing in &pictures.missing {
        complain!(
            "{}: warning: the picture {missing} is not beside the document; the page shows it broken",
            args.file.display()
        );
    }
    // Streamed: a 100,000-post page is larger than its document.
    match storage::write_atomically_streamed(&output, |out| export::write_page(blog, now, out)) {
        Ok(saved) => {
            let in_print = blog
                .entries
                .iter()
                .filter(|entry| entry.is_in_print(now))
                .count();
            let scheduled = blog
                .entries
                .iter()
                .filter(|entry| !entry.is_in_print(now) && entry.goes_to_print())
                .count();
            let later = match scheduled {
                0 => String::new(),
                1 => ", 1 scheduled for later".to_owned(),
                count => format!(", {count} scheduled for later"),
            };
            say!(
                "{}: {in_print} published entries ({} drafts left out{later}), {} bytes{}",
                output.display(),
                blog.draft_count(),
                saved.bytes,
                match pictures.copied.len() {
                    0 => String::new(),
                    1 => ", 1 picture copied".to_owned(),
                    n => format!(", {n} pictures copied"),
                }
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            complain!("error: {error}");
            ExitCode::from(EXIT_UNREADABLE)
        }
    }
}
