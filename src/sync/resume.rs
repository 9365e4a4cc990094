//! The shared state kept beside a document's file (`NAME.ron.loro`), so that an editor
//! restarted on the file joins its room again with everything it did offline.
//!
//! Layout 2: `newsdesk-shared-state 2\n`, the room's link and `\n`, then records, each
//! `u32 length (LE) | first 16 bytes of BLAKE3 | bytes`: first a Loro snapshot, then Loro updates,
//! each holding the changes since the record before. While the blog changes the editor appends
//! an update (and fsyncs) instead of writing the whole snapshot again (~70 MB at 100,000 posts);
//! once the updates outgrow half the snapshot (at least [`COMPACT_AFTER_BYTES`]), the file is
//! written afresh as one snapshot, atomically (temporary file, fsync, rename). A record torn by a
//! crash or a full disk, and anything after it, is dropped on reading: only the last changes
//! before the crash are lost, and the room has them if they were sent.
//!
//! Layout 1 (read only): the magic line, the link line, then one snapshot.

use super::SharedBlog;
use super::SyncError;
use super::net::ShareLink;
use super::records::{RECORD_HEADER, intact_records, record};
use crate::model::LiveBlog;
use loro::{ExportMode, LoroDoc, VersionVector};
use std::fs::OpenOptions;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The first line of layout 1 (a single snapshot).
const MAGIC_1: &[u8] = b"newsdesk-shared-state 1\n";
/// The first line of layout 2 (a snapshot and appended updates).
const MAGIC: &[u8] = b"newsdesk-shared-state 2\n";
/// Length and checksum before each record.
/// The appended updates are folded into a fresh snapshot once they pass half the snapshot's
/// size, and never below this.
pub const COMPACT_AFTER_BYTES: u64 = 4 * 1024 * 1024;

/// Writes `doc` and the room's `link` to `path` as one snapshot, atomically (temporary file,
/// fsync, rename). The link carries the room's secret: the file is as private as the document
/// beside it.
pub fn write_shared_state(doc: &LoroDoc, link: &str, path: &Path) -> Result<(), SyncError> {
    SharedStateWriter::new(path, link).write_snapshot(doc)
}

/// Keeps the shared state beside a file up to date: appends what changed since the last write,
/// or writes a fresh snapshot when there is none this writer knows of or the updates have grown.
#[derive(Debug)]
pub struct SharedStateWriter {
    path: PathBuf,
    link: String,
    /// What the file holds, when this writer knows: written by it, or read and not since changed.
    known: Option<Known>,
    /// The least size of the appended updates that gets them folded into a snapshot.
    compact_after: u64,
}

#[derive(Debug)]
struct Known {
    /// The document's version the file holds.
    version: VersionVector,
    /// The file's intact length (a torn record after it is cut off before appending).
    length: u64,
    /// The length of the snapshot record.
    snapshot: u64,
}

impl SharedStateWriter {
    /// A writer for the state at `path`, of the room at `link`; its first write is a snapshot.
    pub fn new(path: &Path, link: &str) -> Self {
        Self {
            path: path.to_path_buf(),
            link: link.to_string(),
            known: None,
            compact_after: COMPACT_AFTER_BYTES,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn link(&self) -> &str {
        &self.link
    }

    /// Brings the file up to `doc`: nothing when it already holds it, an appended update
    /// (fsynced) when this writer knows what the file holds, a fresh snapshot otherwise.
    pub fn write(&mut self, doc: &LoroDoc) -> Result<(), SyncError> {
        let Some(known) = &self.known else {
            return self.write_snapshot(doc);
        };
        let version = doc.oplog_vv();
        if version == known.version {
            return Ok(());
        }
        let appended = known.length - known.snapshot;
        if appended > self.compact_after.max(known.snapshot / 2) {
            return self.write_snapshot(doc);
        }
        let update = doc
            .export(ExportMode::updates(&known.version))
            .map_err(|error| SyncError::Encode(error.to_string()))?;
        let length = known.length;
        match append(&self.path, length, &update) {
            Ok(written) => {
                if let Some(known) = &mut self.known {
                    known.version = version;
                    known.length = length + written;
                }
                Ok(())
            }
            Err(source) => {
                // Whatever half-write is in the file, the next write replaces it whole.
                self.known = None;
                Err(SyncError::Save {
                    path: self.path.clone(),
                    source,
                })
            }
        }
    }

    /// Writes the whole state afresh as one snapshot, atomically.
    pub fn write_snapshot(&mut self, doc: &LoroDoc) -> Result<(), SyncError> {
        self.known = None;
        let version = doc.oplog_vv();
        let snapshot = doc
            .export(ExportMode::Snapshot)
            .map_err(|error| SyncError::Encode(error.to_string()))?;
        let fail = |source| SyncError::Save {
            path: self.path.clone(),
            source,
        };
        let record = record(&snapshot, "the shared state").map_err(fail)?;
        let mut file = atomic_write_file::AtomicWriteFile::options()
            .open(&self.path)
            .map_err(fail)?;
        file.write_all(MAGIC).map_err(fail)?;
        file.write_all(self.link.as_bytes()).map_err(fail)?;
        file.write_all(b"\n").map_err(fail)?;
        file.write_all(&record).map_err(fail)?;
        file.commit().map_err(fail)?;
        let head = (MAGIC.len() + self.link.len() + 1) as u64;
        self.known = Some(Known {
            version,
            length: head + record.len() as u64,
            snapshot: record.len() as u64,
        });
        Ok(())
    }
}

/// Appends `update` as a record at `at` (cutting off anything after it, such as a torn record)
/// and waits until it is on disk. Returns the record's length.
fn append(path: &Path, at: u64, update: &[u8]) -> std::io::Result<u64> {
    let record = record(update, "the shared state")?;
    let mut file = OpenOptions::new().write(true).open(path)?;
    let length = file.metadata()?.len();
    if length < at {
        return Err(std::io::Error::other(
            "the shared state file is shorter than this editor wrote it",
        ));
    }
    if length > at {
        file.set_len(at)?;
    }
    file.seek(SeekFrom::Start(at))?;
    file.write_all(&record)?;
    file.sync_data()?;
    Ok(record.len() as u64)
}

/// Reads what `write_shared_state` or a `SharedStateWriter` wrote: the shared blog, its
/// document and its room.
pub fn read_shared_state(path: &Path) -> Result<(SharedBlog, LiveBlog, ShareLink), SyncError> {
    read_shared_state_for_writing(path).map(|(shared, blog, link, _)| (shared, blog, link))
}

/// `read_shared_state`, with a writer that carries on appending to the file where it ends.
pub fn read_shared_state_for_writing(
    path: &Path,
) -> Result<(SharedBlog, LiveBlog, ShareLink, SharedStateWriter), SyncError> {
    let bytes = std::fs::read(path).map_err(|source| SyncError::Load {
        path: path.to_path_buf(),
        source,
    })?;
    let (layout, rest) = if let Some(rest) = bytes.strip_prefix(MAGIC) {
        (2, rest)
    } else if let Some(rest) = bytes.strip_prefix(MAGIC_1) {
        (1, rest)
    } else {
        return Err(SyncError::NotABlog);
    };
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
    let body = &rest[line_end + 1..];
    let mut writer = SharedStateWriter::new(path, &link.to_string());
    if layout == 1 {
        let (shared, blog) = SharedBlog::from_snapshot(body)?;
        return Ok((shared, blog, link, writer));
    }
    let (found, intact) = intact_records(body);
    let Some((snapshot, updates)) = found.split_first() else {
        return Err(SyncError::Corrupt(
            "the shared state beside the file is cut off before its snapshot".into(),
        ));
    };
    let doc = LoroDoc::new();
    guarded(|| doc.import(snapshot).map(|_| ()))?;
    if !updates.is_empty() {
        let updates: Vec<Vec<u8>> = updates.iter().map(|update| update.to_vec()).collect();
        guarded(|| doc.import_batch(&updates).map(|_| ()))?;
    }
    let version = doc.oplog_vv();
    let (shared, blog) = SharedBlog::from_doc(doc, None)?;
    let head = (MAGIC.len() + line_end + 1) as u64;
    writer.known = Some(Known {
        version,
        length: head + intact as u64,
        snapshot: (RECORD_HEADER + snapshot.len()) as u64,
    });
    Ok((shared, blog, link, writer))
}

/// Runs a Loro import, turning a panic inside Loro on malformed input into an error.
fn guarded(import: impl FnOnce() -> Result<(), loro::LoroError>) -> Result<(), SyncError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(import)) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => Err(SyncError::Corrupt(error.to_string())),
        Err(_) => Err(SyncError::Corrupt(
            "the sync engine failed on the shared state".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{self, Edit, EntryField};

    const LINK: &str = "newsdesk://127.0.0.1:7878/room1#0123456789abcdef0123456789abcdef";

    fn type_into(shared: &mut SharedBlog, blog: &mut LiveBlog, index: usize, text: &str) {
        let entry = blog.entries.get(index).unwrap();
        let edit = Edit::SetField {
            id: entry.id.clone(),
            field: EntryField::Body(format!("{}{text}", entry.body)),
            modified: entry.modified,
        };
        edit::apply(blog, edit.clone()).unwrap();
        shared.record_local(&edit).unwrap();
    }

    #[test]
    fn the_state_and_its_room_come_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("blog.ron.loro");
        let blog = crate::generate::generate(5, 2);
        let shared = SharedBlog::create(&blog, 7).unwrap();
        write_shared_state(shared.doc(), LINK, &path).unwrap();
        let (_, document, read_link) = read_shared_state(&path).unwrap();
        assert_eq!(
            read_link.to_string(),
            ShareLink::parse(LINK).unwrap().to_string()
        );
        assert_eq!(document, shared.to_blog().unwrap());
        std::fs::write(&path, b"something else").unwrap();
        assert!(read_shared_state(&path).is_err());
    }

    #[test]
    fn a_file_of_the_first_layout_still_reads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("blog.ron.loro");
        let shared = SharedBlog::create(&crate::generate::generate(4, 1), 7).unwrap();
        let mut bytes = MAGIC_1.to_vec();
        bytes.extend_from_slice(LINK.as_bytes());
        bytes.push(b'\n');
        bytes.extend_from_slice(&shared.snapshot().unwrap());
        std::fs::write(&path, bytes).unwrap();
        let (_, document, _, mut writer) = read_shared_state_for_writing(&path).unwrap();
        assert_eq!(document, shared.to_blog().unwrap());
        // The next write turns it into the second layout, whole.
        writer.write(shared.doc()).unwrap();
        assert!(std::fs::read(&path).unwrap().starts_with(MAGIC));
        assert_eq!(read_shared_state(&path).unwrap().1, document);
    }

    #[test]
    fn edits_are_appended_and_a_restart_resumes_with_all_of_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("blog.ron.loro");
        let mut blog = crate::generate::generate(20, 3);
        let mut shared = SharedBlog::create(&blog, 7).unwrap();
        blog = shared.to_blog().unwrap();
        let mut writer = SharedStateWriter::new(&path, LINK);
        writer.write(shared.doc()).unwrap();
        let snapshot_length = std::fs::metadata(&path).unwrap().len();
        for round in 0..5 {
            type_into(&mut shared, &mut blog, round, " more");
            writer.write(shared.doc()).unwrap();
        }
        let length = std::fs::metadata(&path).unwrap().len();
        assert!(length > snapshot_length, "updates were appended");
        assert!(
            length - snapshot_length < snapshot_length,
            "appending five keystrokes adds far less than a snapshot"
        );
        // Nothing changed: nothing is written.
        writer.write(shared.doc()).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().len(), length);

        // A restart, then more edits appended by the resumed writer.
        let (mut resumed, mut document, _, mut writer) =
            read_shared_state_for_writing(&path).unwrap();
        assert_eq!(document, blog);
        type_into(&mut resumed, &mut document, 7, " after the restart");
        writer.write(resumed.doc()).unwrap();
        assert!(std::fs::metadata(&path).unwrap().len() > length);
        let (_, again, _) = read_shared_state(&path).unwrap();
        assert_eq!(again, document);
    }

    #[test]
    fn a_torn_last_record_is_dropped_and_the_next_write_cuts_it_off() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("blog.ron.loro");
        let mut blog = crate::generate::generate(10, 4);
        let mut shared = SharedBlog::create(&blog, 7).unwrap();
        blog = shared.to_blog().unwrap();
        let mut writer = SharedStateWriter::new(&path, LINK);
        writer.write(shared.doc()).unwrap();
        type_into(&mut shared, &mut blog, 1, " kept");
        writer.write(shared.doc()).unwrap();
        let kept = blog.clone();
        let intact = std::fs::metadata(&path).unwrap().len();
        type_into(&mut shared, &mut blog, 2, " torn");
        writer.write(shared.doc()).unwrap();
        let full = std::fs::metadata(&path).unwrap().len();
        // Every cut inside the last record loses that record only.
        for cut in [intact + 1, intact + 10, intact + 25, full - 1] {
            let file = OpenOptions::new().write(true).open(&path).unwrap();
            file.set_len(cut).unwrap();
            drop(file);
            let (_, document, _) = read_shared_state(&path).unwrap();
            assert_eq!(document, kept, "cut at {cut}");
        }
        // A flipped byte in the last record: dropped likewise.
        let mut writer2 = {
            let (_, _, _, writer) = read_shared_state_for_writing(&path).unwrap();
            writer
        };
        type_into(&mut shared, &mut blog, 2, " flipped");
        writer2.write(shared.doc()).unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(read_shared_state(&path).unwrap().1, kept);
        // The resumed writer appends after the intact part, so nothing is lost behind garbage.
        let (mut resumed, mut document, _, mut writer) =
            read_shared_state_for_writing(&path).unwrap();
        type_into(&mut resumed, &mut document, 3, " after the tear");
        writer.write(resumed.doc()).unwrap();
        assert_eq!(read_shared_state(&path).unwrap().1, document);
        // A cut inside the snapshot is an error, not a panic.
        let file = OpenOptions::new().write(true).open(&path).unwrap();
        file.set_len((MAGIC.len() + LINK.len() + 1 + RECORD_HEADER + 5) as u64)
            .unwrap();
        drop(file);
        assert!(read_shared_state(&path).is_err());
    }

    #[test]
    fn the_updates_are_folded_into_a_snapshot_once_they_grow() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("blog.ron.loro");
        let mut blog = crate::generate::generate(3, 5);
        let mut shared = SharedBlog::create(&blog, 7).unwrap();
        blog = shared.to_blog().unwrap();
        let mut writer = SharedStateWriter::new(&path, LINK);
        writer.compact_after = 4096;
        writer.write(shared.doc()).unwrap();
        let big = "x".repeat(500);
        let mut compacted = false;
        let mut longest = 0;
        for _ in 0..40 {
            let before = std::fs::metadata(&path).unwrap().len();
            type_into(&mut shared, &mut blog, 0, &big);
            writer.write(shared.doc()).unwrap();
            let after = std::fs::metadata(&path).unwrap().len();
            longest = longest.max(after);
            compacted |= after < before;
        }
        assert!(compacted, "the file was written afresh at some point");
        assert!(longest < 64 * 1024, "the file stays small: {longest} bytes");
        assert_eq!(read_shared_state(&path).unwrap().1, blog);
    }

    #[derive(Debug, Clone)]
    enum Step {
        Type {
            entry: usize,
            text: String,
        },
        Write,
        Restart,
        /// Cuts this many bytes off the last appended record (at least one, at most all of it).
        Tear(usize),
    }

    fn step() -> impl proptest::strategy::Strategy<Value = Step> {
        use proptest::prelude::*;
        prop_oneof![
            4 => (0usize..6, "[a-zé ]{1,300}").prop_map(|(entry, text)| Step::Type { entry, text }),
            3 => Just(Step::Write),
            1 => Just(Step::Restart),
            1 => (1usize..400).prop_map(Step::Tear),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(32),
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Whatever the edits, writes, restarts and torn tails, a restart resumes with exactly
        /// what the file held at its last intact write.
        #[test]
        fn a_restart_resumes_with_every_intact_write(
            steps in proptest::collection::vec(step(), 1..40)
        ) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("blog.ron.loro");
            let mut shared = SharedBlog::create(&crate::generate::generate(6, 9), 7).unwrap();
            let mut blog = shared.to_blog().unwrap();
            let mut writer = SharedStateWriter::new(&path, LINK);
            writer.compact_after = 2048;
            writer.write(shared.doc()).unwrap();
            // The file's length and the blog after each write since the last snapshot.
            let mut writes = vec![(std::fs::metadata(&path).unwrap().len(), blog.clone())];
            for step in steps {
                match step {
                    Step::Type { entry, text } => type_into(&mut shared, &mut blog, entry, &text),
                    Step::Write => {
                        let snapshot_before = writer.known.as_ref().map(|known| known.snapshot);
                        writer.write(shared.doc()).unwrap();
                        let known = writer.known.as_ref().unwrap();
                        if Some(known.snapshot) != snapshot_before
                            || known.length == known.snapshot + (MAGIC.len() + LINK.len() + 1) as u64
                        {
                            writes.clear();
                        }
                        let length = known.length;
                        if writes.last().map(|(at, _)| *at) != Some(length) {
                            writes.push((length, blog.clone()));
                        }
                    }
                    Step::Restart => {
                        let (resumed, document, _, resumed_writer) =
                            read_shared_state_for_writing(&path).unwrap();
                        let expected = &writes.last().unwrap().1;
                        proptest::prop_assert_eq!(&document, expected);
                        shared = resumed;
                        shared.set_peer(7).unwrap();
                        blog = document;
                        writer = resumed_writer;
                        writer.compact_after = 2048;
                        // The intact part: a torn tail after it is cut off by the next append.
                        let length = writer.known.as_ref().unwrap().length;
                        writes = vec![(length, blog.clone())];
                    }
                    Step::Tear(bytes) => {
                        if writes.len() < 2 {
                            continue;
                        }
                        let (end, _) = writes[writes.len() - 1];
                        let (start, _) = writes[writes.len() - 2];
                        let cut = end - (bytes as u64).min(end - start);
                        let file = OpenOptions::new().write(true).open(&path).unwrap();
                        file.set_len(cut).unwrap();
                        drop(file);
                        writes.pop();
                        let (_, document, _) = read_shared_state(&path).unwrap();
                        proptest::prop_assert_eq!(&document, &writes.last().unwrap().1);
                        // The editor's writer still thinks the record is there: it is told.
                        writer.known = None;
                    }
                }
            }
            writer.write(shared.doc()).unwrap();
            let (_, document, _) = read_shared_state(&path).unwrap();
            proptest::prop_assert_eq!(document, blog);
        }
    }
}
