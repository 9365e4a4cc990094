//! Publishing to a folder: each file is replaced atomically (written beside, synced, then
//! renamed over the old one), so a reader or a web server never sees half a file, and a
//! publish that stops midway leaves every file either old or new. The folders themselves
//! are synced once at the end of a publish (`finish`), not after every file: a republish
//! after one edit writes four files, and a folder sync each doubled its cost.

use super::manifest::{MANIFEST_FILE, Manifest};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

pub(crate) struct Folder {
    path: PathBuf,
    /// Folders whose entries changed (renames, removals) since the last `finish`.
    touched: RefCell<BTreeSet<PathBuf>>,
}

impl Folder {
    pub fn open(path: &Path) -> Result<Self, String> {
        std::fs::create_dir_all(path)
            .map_err(|error| format!("could not create the folder {}: {error}", path.display()))?;
        if !path.is_dir() {
            return Err(format!("{} is not a folder", path.display()));
        }
        Ok(Self {
            path: path.to_owned(),
            touched: RefCell::default(),
        })
    }

    pub fn manifest(&self) -> Manifest {
        match std::fs::read(self.path.join(MANIFEST_FILE)) {
            Ok(bytes) => Manifest::parse(&bytes),
            Err(_) => Manifest::default(),
        }
    }

    pub fn put(&self, name: &str, bytes: &[u8]) -> Result<(), String> {
        let path = self.path.join(name);
        // Pictures go into their media folder (`blog.media/…`); pages sit at the top.
        let folder = path.parent().unwrap_or(&self.path).to_owned();
        let file_name = path
            .file_name()
            .map_or_else(|| name.into(), |file| file.to_string_lossy());
        let temporary = folder.join(format!(
            ".{file_name}.{:016x}.newsdesk-part",
            rand::random::<u64>()
        ));
        let write = || -> std::io::Result<()> {
            std::fs::create_dir_all(&folder)?;
            let mut file = std::fs::File::create(&temporary)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            std::fs::rename(&temporary, &path)
        };
        let written = write();
        if written.is_err() {
            // Nothing half-written is left behind; the old file, if any, is untouched.
            let _ = std::fs::remove_file(&temporary);
        }
        written.map_err(|error| format!("could not write {}: {error}", path.display()))?;
        let mut touched = self.touched.borrow_mut();
        touched.insert(self.path.clone());
        touched.insert(folder);
        Ok(())
    }

    /// Makes the renames and removals since the last call durable: one sync per folder
    /// touched, at the end of a publish.
    pub fn finish(&self) -> Result<(), String> {
        for folder in std::mem::take(&mut *self.touched.borrow_mut()) {
            std::fs::File::open(&folder)
                .and_then(|opened| opened.sync_all())
                .map_err(|error| {
                    format!("could not sync the folder {}: {error}", folder.display())
                })?;
        }
        Ok(())
    }

    pub fn delete(&self, name: &str) -> Result<(), String> {
        let path = self.path.join(name);
        match std::fs::remove_file(&path) {
            Ok(()) => {
                let folder = path.parent().unwrap_or(&self.path).to_owned();
                self.touched.borrow_mut().insert(folder);
                Ok(())
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(error) => Err(format!("could not remove {}: {error}", path.display())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn files_are_replaced_whole_and_nothing_is_left_beside_them() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::open(dir.path()).unwrap();
        folder.put("index.html", b"old").unwrap();
        folder.put("index.html", b"new").unwrap();
        folder.put("blog.media/a.jpg", b"picture").unwrap();
        folder.finish().unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("index.html")).unwrap(),
            b"new"
        );
        assert_eq!(
            std::fs::read(dir.path().join("blog.media/a.jpg")).unwrap(),
            b"picture"
        );
        assert_eq!(names(dir.path()), ["blog.media", "index.html"]);
        assert!(folder.touched.borrow().is_empty(), "finish synced them all");
    }

    #[test]
    fn a_failed_write_names_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::open(dir.path()).unwrap();
        // A folder where the page should go: the rename over it fails.
        std::fs::create_dir(dir.path().join("page-2.html")).unwrap();
        std::fs::write(dir.path().join("page-2.html/keep"), b"x").unwrap();
        let error = folder.put("page-2.html", b"page").unwrap_err();
        assert!(error.contains("page-2.html"), "{error}");
        assert_eq!(names(dir.path()), ["page-2.html"]);
    }
}
