//! The shared state kept beside a document's file (`NAME.ron.loro`), so that an editor
//! restarted on the file joins its room again with everything it did offline: the room's
//! link on the first line, then the Loro snapshot.

use super::SharedBlog;
use super::SyncError;
use super::net::ShareLink;
use crate::model::LiveBlog;
use loro::{ExportMode, LoroDoc};
use std::io::Write;
use std::path::Path;

/// The file's first bytes, and its layout version.
const MAGIC: &[u8] = b"newsdesk-shared-state 1\n";

/// Writes `doc` and the room's `link` to `path` atomically (temporary file, fsync, rename).
/// The link carries the room's secret: the file is as private as the document beside it.
pub fn write_shared_state(doc: &LoroDoc, link: &str, path: &Path) -> Result<(), SyncError> {
    let snapshot = doc
        .export(ExportMode::Snapshot)
        .map_err(|error| SyncError::Encode(error.to_string()))?;
    let fail = |source| SyncError::Save {
        path: path.to_path_buf(),
        source,
    };
    let mut file = atomic_write_file::AtomicWriteFile::options()
        .open(path)
        .map_err(fail)?;
    file.write_all(MAGIC).map_err(fail)?;
    file.write_all(link.as_bytes()).map_err(fail)?;
    file.write_all(b"\n").map_err(fail)?;
    file.write_all(&snapshot).map_err(fail)?;
    file.commit().map_err(fail)
}

/// Reads what `write_shared_state` wrote: the shared blog, its document and its room.
pub fn read_shared_state(path: &Path) -> Result<(SharedBlog, LiveBlog, ShareLink), SyncError> {
    let bytes = std::fs::read(path).map_err(|source| SyncError::Load {
        path: path.to_path_buf(),
        source,
    })?;
    let rest = bytes.strip_prefix(MAGIC).ok_or(SyncError::NotABlog)?;
    let line_end = rest
        .iter()
        .position(|&b| b == b'\n')
        .ok_or(SyncError::NotABlog)?;
    let link = std::str::from_utf8(&rest[..line_end])
        .ok()
        .and_then(|text| ShareLink::parse(text).ok())
        .ok_or_else(|| {
            SyncError::Corrupt("the room's link beside the file is not readable".into())
        })?;
    let (blog, document) = SharedBlog::from_snapshot(&rest[line_end + 1..])?;
    Ok((blog, document, link))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_and_its_room_come_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("blog.ron.loro");
        let blog = crate::generate::generate(5, 2);
        let shared = SharedBlog::create(&blog, 7).unwrap();
        let link = "newsdesk://127.0.0.1:7878/room1#0123456789abcdef0123456789abcdef";
        write_shared_state(shared.doc(), link, &path).unwrap();
        let (_, document, read_link) = read_shared_state(&path).unwrap();
        assert_eq!(
            read_link.to_string(),
            ShareLink::parse(link).unwrap().to_string()
        );
        assert_eq!(document, shared.to_blog().unwrap());
        std::fs::write(&path, b"something else").unwrap();
        assert!(read_shared_state(&path).is_err());
    }
}
