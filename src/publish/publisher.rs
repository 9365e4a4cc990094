//! One publish: build the site (incrementally), then write the files whose bytes changed,
//! archive pages and feeds first and `index.html` last, then remove pages the site no
//! longer has, then record the manifest. A publish that fails midway leaves the previous
//! first page in place, whose links all still resolve.
//!
//! Pictures from the document's media folder go first of all, under the relative paths the
//! pages use (`blog.media/3f9a….jpg`). Their names are hashes of their bytes, so a name the
//! manifest already lists is not read or sent again; they are never removed (an older
//! page, a feed reader or another blog may still show them).

use super::bucket::Bucket;
use super::folder::Folder;
use super::manifest::{MANIFEST_FILE, Manifest, is_site_file};
use super::site::{BuildStats, SiteBuilder, SiteOutput};
use super::target::{Target, TargetError};
use crate::model::LiveBlog;
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("{0}")]
    Target(#[from] TargetError),
    /// A plain sentence from the folder or the bucket.
    #[error("{0}")]
    Write(String),
}

/// What a publish did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublishReport {
    /// Files written because their bytes changed.
    pub written: Vec<String>,
    /// Files of the site left as they were.
    pub unchanged: usize,
    pub removed: Vec<String>,
    pub build: BuildStats,
    /// Pictures the pages show whose files are not in the media folder (or no folder was
    /// given): published without them.
    pub missing_media: Vec<String>,
}

enum Destination {
    Folder(Folder),
    Bucket(Bucket),
}

impl Destination {
    fn open(target: &Target) -> Result<Self, String> {
        match target {
            Target::Folder(path) => Folder::open(path).map(Destination::Folder),
            Target::Bucket {
                bucket,
                prefix,
                endpoint,
            } => Bucket::open(bucket, prefix, endpoint.as_deref()).map(Destination::Bucket),
        }
    }

    fn manifest(&self) -> Result<Manifest, String> {
        match self {
            Destination::Folder(folder) => Ok(folder.manifest()),
            Destination::Bucket(bucket) => bucket.manifest(),
        }
    }

    fn put(&self, name: &str, bytes: &[u8]) -> Result<(), String> {
        match self {
            Destination::Folder(folder) => folder.put(name, bytes),
            Destination::Bucket(bucket) => bucket.put(name, bytes),
        }
    }

    fn delete(&self, name: &str) -> Result<(), String> {
        match self {
            Destination::Folder(folder) => folder.delete(name),
            Destination::Bucket(bucket) => bucket.delete(name),
        }
    }
}

/// Publishes a blog again and again, keeping its rendered articles and what the target
/// holds between publishes.
#[derive(Default)]
pub struct Publisher {
    builder: SiteBuilder,
    /// The target last published to and its manifest, when that publish succeeded.
    published: Option<(Target, Manifest)>,
    /// The document's folder, against which its pictures' relative paths are read.
    document_folder: Option<PathBuf>,
}

impl Publisher {
    pub fn new() -> Self {
        Self::default()
    }

    /// The document being published is saved at `document`: its pictures are read from
    /// beside it. Without one, pages that show local pictures are published without them.
    pub fn set_document(&mut self, document: Option<&Path>) {
        self.document_folder =
            document.map(|document| crate::media::folder::folder_of(document).to_path_buf());
    }

    /// Publishes `blog` as it stands at `now` to `target`, writing only what changed.
    pub fn publish(
        &mut self,
        blog: &LiveBlog,
        target: &Target,
        now: DateTime<Utc>,
    ) -> Result<PublishReport, PublishError> {
        let destination = Destination::open(target).map_err(PublishError::Write)?;
        // The manifest is read from the target unless the last publish there succeeded:
        // someone else may have published meanwhile, or this is a new target.
        let manifest = match self.published.take() {
            Some((last, manifest)) if last == *target => manifest,
            _ => {
                self.builder.forget_pages();
                destination.manifest().map_err(PublishError::Write)?
            }
        };
        let mut pass = Pass {
            document_folder: self.document_folder.as_deref(),
            destination: &destination,
            manifest: &manifest,
            next: manifest.clone(),
            report: PublishReport::default(),
            pictures: HashSet::new(),
            index: None,
            pages_written: 0,
        };
        let mut names = self
            .builder
            .build_each(blog, now, &mut |output| pass.take(output))
            .map_err(PublishError::Write)?;
        // A page the target lacks must be written even when it did not change here.
        if pass.lacks_any(&names) {
            self.builder.forget_pages();
            names = self
                .builder
                .build_each(blog, now, &mut |output| pass.take(output))
                .map_err(PublishError::Write)?;
        }
        // Index last: until it lands, readers keep the previous first page.
        if let Some(text) = pass.index.take() {
            pass.write("index.html", &text)
                .map_err(PublishError::Write)?;
        }
        let Pass {
            mut next,
            mut report,
            pictures,
            pages_written,
            ..
        } = pass;
        report.build = self.builder.stats();
        let names: HashSet<&str> = names.iter().map(String::as_str).collect();
        next.files
            .retain(|name, _| names.contains(name.as_str()) || pictures.contains(name));
        report.unchanged = names.len() - pages_written;
        for name in manifest.files.keys() {
            if !names.contains(name.as_str()) && is_site_file(name) {
                destination.delete(name).map_err(PublishError::Write)?;
                report.removed.push(name.clone());
            }
        }
        if next != manifest {
            destination
                .put(MANIFEST_FILE, &next.to_bytes())
                .map_err(PublishError::Write)?;
        }
        self.published = Some((target.clone(), next));
        Ok(report)
    }
}

/// One publish's writes, as the build hands over its output.
struct Pass<'p> {
    document_folder: Option<&'p Path>,
    destination: &'p Destination,
    /// What the target held before.
    manifest: &'p Manifest,
    next: Manifest,
    report: PublishReport,
    pictures: HashSet<String>,
    /// The first page, held back until everything it links to is written.
    index: Option<String>,
    pages_written: usize,
}

impl Pass<'_> {
    fn take(&mut self, output: SiteOutput<'_>) -> Result<(), String> {
        match output {
            SiteOutput::Pictures(names) => self.pictures(names),
            SiteOutput::File("index.html", text) => {
                self.index = Some(text);
                Ok(())
            }
            SiteOutput::File(name, text) => self.write(name, &text),
        }
    }

    /// Sends the pictures the target lacks (their names are hashes of their bytes).
    fn pictures(&mut self, names: &[String]) -> Result<(), String> {
        for name in names {
            if !self.pictures.insert(name.clone()) || self.manifest.files.contains_key(name) {
                if let Some(hash) = self.manifest.files.get(name) {
                    self.next.files.insert(name.clone(), hash.clone());
                }
                continue;
            }
            let bytes = self
                .document_folder
                .and_then(|folder| std::fs::read(folder.join(name)).ok());
            let Some(bytes) = bytes else {
                self.report.missing_media.push(name.clone());
                continue;
            };
            self.destination.put(name, &bytes)?;
            self.next.files.insert(name.clone(), Manifest::hash(&bytes));
            self.report.written.push(name.clone());
        }
        Ok(())
    }

    /// Writes a file of the site unless the target already holds these bytes.
    fn write(&mut self, name: &str, text: &str) -> Result<(), String> {
        let hash = Manifest::hash(text.as_bytes());
        if self.next.files.get(name) == Some(&hash) {
            return Ok(());
        }
        self.destination.put(name, text.as_bytes())?;
        self.next.files.insert(name.to_owned(), hash);
        self.report.written.push(name.to_owned());
        self.pages_written += 1;
        Ok(())
    }

    /// Whether a file of the site is neither on the target nor about to be written.
    fn lacks_any(&self, names: &[String]) -> bool {
        names.iter().any(|name| {
            let held = name == "index.html" && self.index.is_some();
            !held && !self.next.files.contains_key(name)
        })
    }
}
