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
use super::site::{BuildStats, SiteBuilder};
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
        let mut site = self.builder.build(blog, now);
        // A page the target lacks must be written even when it did not change here.
        if site
            .names
            .iter()
            .any(|name| !manifest.files.contains_key(name))
            && site.changed.len() < site.names.len()
        {
            self.builder.forget_pages();
            site = self.builder.build(blog, now);
        }
        let build = self.builder.stats();
        let names: HashSet<&str> = site.names.iter().map(String::as_str).collect();
        // Index last: until it lands, readers keep the previous first page.
        site.changed.sort_by_key(|(name, _)| name == "index.html");
        let mut next = Manifest {
            files: manifest
                .files
                .iter()
                .filter(|(name, _)| names.contains(name.as_str()))
                .map(|(name, hash)| (name.clone(), hash.clone()))
                .collect(),
        };
        let mut report = PublishReport {
            build,
            ..PublishReport::default()
        };
        for name in crate::export::local_media(blog) {
            if let Some(hash) = manifest.files.get(&name) {
                next.files.insert(name, hash.clone());
                continue;
            }
            let bytes = self
                .document_folder
                .as_deref()
                .and_then(|folder| std::fs::read(folder.join(&name)).ok());
            let Some(bytes) = bytes else {
                report.missing_media.push(name);
                continue;
            };
            destination
                .put(&name, &bytes)
                .map_err(PublishError::Write)?;
            next.files.insert(name.clone(), Manifest::hash(&bytes));
            report.written.push(name);
        }
        let media_written = report.written.len();
        for (name, text) in &site.changed {
            let hash = Manifest::hash(text.as_bytes());
            if manifest.files.get(name) == Some(&hash) {
                continue;
            }
            destination
                .put(name, text.as_bytes())
                .map_err(PublishError::Write)?;
            next.files.insert(name.clone(), hash);
            report.written.push(name.clone());
        }
        report.unchanged = site.names.len() - (report.written.len() - media_written);
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
