//! `newsdesk publish FILE [--to TARGET] [--endpoint URL]`: the paginated page, its archive
//! pages and feeds, written to a folder or an S3-compatible bucket, as the editor's File >
//! Publish now does. Without `--to`, the blog's own publish target is used.

use super::{EXIT_PROBLEMS, EXIT_UNREADABLE};
use newsdesk::publish::{Publisher, Target};
use newsdesk::storage;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct PublishArgs {
    /// The document to publish.
    file: PathBuf,
    /// A folder, or s3://bucket/prefix (credentials from AWS_ACCESS_KEY_ID and
    /// AWS_SECRET_ACCESS_KEY); by default the blog's own publish target.
    #[arg(long = "to")]
    to: Option<String>,
    /// The address of an S3-compatible server, for an s3:// target not on AWS.
    #[arg(long)]
    endpoint: Option<String>,
}

pub fn run(args: &PublishArgs) -> ExitCode {
    let loaded = match storage::load(&args.file) {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(EXIT_UNREADABLE);
        }
    };
    let blog = &loaded.blog;
    let settings = &blog.settings.publish;
    let target = match &args.to {
        Some(to) => Target::parse(to, args.endpoint.as_deref()),
        None => Target::parse(
            &settings.target,
            args.endpoint
                .as_deref()
                .or(Some(settings.endpoint.as_str())),
        ),
    };
    let target = match target {
        Ok(target) => target,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(EXIT_UNREADABLE);
        }
    };
    // As `export` does: a broken document would publish broken anchors.
    let violations = blog.violations();
    if !violations.is_empty() {
        for violation in &violations {
            eprintln!("{}: error: {violation}", args.file.display());
        }
        eprintln!("error: not published; fix these first");
        return ExitCode::from(EXIT_PROBLEMS);
    }
    let mut publisher = Publisher::new();
    publisher.set_document(Some(&args.file));
    // Scheduled posts whose time has come are published with the rest.
    match publisher.publish(blog, &target, chrono::Utc::now()) {
        Ok(report) => {
            for missing in &report.missing_media {
                eprintln!(
                    "{}: warning: the picture {missing} is not beside the document; published without it",
                    args.file.display()
                );
            }
            let pages = match report.build.pages {
                1 => "1 page".to_owned(),
                pages => format!("{pages} pages"),
            };
            println!(
                "{target}: {pages}, {} files written, {} unchanged, {} removed",
                report.written.len(),
                report.unchanged,
                report.removed.len()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(EXIT_UNREADABLE)
        }
    }
}
