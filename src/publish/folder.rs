//! Publishing to a folder: each file is replaced atomically (written beside, synced, then
//! renamed over the old one), so a reader or a web server never sees half a file, and a
//! publish that stops midway leaves every file either old or new.

use super::manifest::{MANIFEST_FILE, Manifest};
use std::io::Write;
use std::path::{Path, PathBuf};

pub(crate) struct Folder {
    path: PathBuf,
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
        let write = || -> std::io::Result<()> {
            // Pictures go into their media folder (`blog.media/…`); pages sit at the top.
            if let Some(folder) = path.parent() {
                std::fs::create_dir_all(folder)?;
            }
            let mut file = atomic_write_file::AtomicWriteFile::open(&path)?;
            file.write_all(bytes)?;
            file.commit()
        };
        write().map_err(|error| format!("could not write {}: {error}", path.display()))
    }

    pub fn delete(&self, name: &str) -> Result<(), String> {
        let path = self.path.join(name);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(error) => Err(format!("could not remove {}: {error}", path.display())),
        }
    }
}
