//! The media folder beside a document (`blog.ron` keeps its pictures in `blog.media/`),
//! and writing what a page needs from it beside the page.
//!
//! A document stores each picture relative to its own folder (`blog.media/3f9a….jpg`), and
//! an exported page refers to it under the same relative path: so an export next to the
//! document needs no copy, and one elsewhere gets the files copied beside it.

use crate::export::url::local_media_file;
use crate::model::{EntryId, LiveBlog, Media};
use std::path::{Path, PathBuf};

/// `blog.media` for `…/blog.ron`.
pub fn media_folder_name(document: &Path) -> String {
    let stem = document
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .filter(|stem| !stem.is_empty())
        .unwrap_or_else(|| "live-blog".to_owned());
    format!("{stem}.media")
}

/// The folder that holds `document`'s pictures.
pub fn media_folder(document: &Path) -> PathBuf {
    folder_of(document).join(media_folder_name(document))
}

/// The folder a relative media path is resolved against: the document's own.
pub fn folder_of(document: &Path) -> &Path {
    document
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Where `url` (a picture in a media folder, by the export's URL policy) is on disk for
/// `document`; `None` for web addresses and anything the policy refuses.
pub fn local_file(document: &Path, url: &str) -> Option<PathBuf> {
    local_media_file(url).map(|relative| folder_of(document).join(relative))
}

/// The local pictures of `blog` whose files are not on disk: `(entry, stored path)`.
/// Drafts count too: their picture will be missed when they are published.
pub fn missing_media(blog: &LiveBlog, document: &Path) -> Vec<(EntryId, String)> {
    blog.entries
        .iter()
        .filter_map(|entry| match &entry.media {
            Some(Media::Image { url, .. }) => local_file(document, url)
                .filter(|file| !file.is_file())
                .map(|_| (entry.id.clone(), url.trim().to_owned())),
            _ => None,
        })
        .collect()
}

/// Copies every picture of `blog` in the media folder (drafts' too) from beside `from` to
/// beside `to`, under the same relative paths, so a document saved elsewhere (Save As) keeps
/// its pictures. Files already there are left alone (same name, same bytes); a picture
/// missing at `from` stays missing. Returns how many files were copied.
pub fn copy_document_media(blog: &LiveBlog, from: &Path, to: &Path) -> Result<usize, String> {
    let (source_folder, target_folder) = (folder_of(from), folder_of(to));
    let mut copied = 0;
    let mut seen = std::collections::HashSet::new();
    for entry in &blog.entries {
        let Some(Media::Image { url, .. }) = &entry.media else {
            continue;
        };
        let Some(relative) = local_media_file(url) else {
            continue;
        };
        if !seen.insert(relative) {
            continue;
        }
        let target = target_folder.join(relative);
        if !target.is_file() && copy_picture(&source_folder.join(relative), &target)? == Copied::Yes
        {
            copied += 1;
        }
    }
    Ok(copied)
}

/// What writing a page's pictures beside it did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MediaCopy {
    /// Files written beside the page.
    pub copied: Vec<String>,
    /// Already there (the page is next to the document, or an earlier export wrote them:
    /// names are content hashes, so the same name is the same picture).
    pub present: usize,
    /// Pictures the page shows whose files are not beside the document.
    pub missing: Vec<String>,
}

/// Writes the pictures the published page of `blog` shows (`export::local_media`) beside
/// `page`, under the relative paths the page uses, reading them from beside `document`.
pub fn copy_media_beside(
    blog: &LiveBlog,
    document: &Path,
    page: &Path,
) -> Result<MediaCopy, String> {
    let source_folder = folder_of(document);
    let page_folder = folder_of(page);
    let mut report = MediaCopy::default();
    for relative in crate::export::local_media(blog) {
        let target = page_folder.join(&relative);
        if target.is_file() {
            report.present += 1;
            continue;
        }
        match copy_picture(&source_folder.join(&relative), &target)? {
            Copied::Yes => report.copied.push(relative),
            Copied::SourceMissing => report.missing.push(relative),
        }
    }
    Ok(report)
}

#[derive(PartialEq, Eq)]
enum Copied {
    Yes,
    SourceMissing,
}

/// Copies one picture, making its media folder first; the target is replaced atomically,
/// so a page never shows half a picture.
fn copy_picture(source: &Path, target: &Path) -> Result<Copied, String> {
    let Ok(bytes) = std::fs::read(source) else {
        return Ok(Copied::SourceMissing);
    };
    if let Some(folder) = target.parent() {
        std::fs::create_dir_all(folder).map_err(|error| {
            format!(
                "Could not make the folder {} for the pictures: {error}.",
                folder.display()
            )
        })?;
    }
    crate::storage::write_atomically(target, &bytes)
        .map_err(|error| format!("Could not write {}: {error}", target.display()))?;
    Ok(Copied::Yes)
}
