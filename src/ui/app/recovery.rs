//! Keeping the open document safe between saves: its recovery copy, written by
//! `storage::recovery::RecoveryWriter` on its own thread, and the copies that a crash left
//! behind, offered once at start (and from File ▸ Recover unsaved work…).
//!
//! The app calls `start` whenever a new document becomes the open one, `frame` at the end
//! of every frame, `saved` after a save and `discard_now` when the user closes without
//! saving on purpose. Nothing here waits for the disk on the editor's thread, apart from
//! removing the copy when the app quits.

use super::document::OpenDocument;
use crate::edit::Session;
use crate::storage::ContentHash;
use crate::storage::recovery::{Recoverable, RecoveryFolder, RecoveryWriter};
use std::path::Path;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The recovery side of the app.
pub struct Recovery {
    /// Where copies are kept; `None` when recovery is off (most UI tests) or impossible.
    folder: Option<RecoveryFolder>,
    writer: Option<RecoveryWriter>,
    /// Whether the window had focus last frame, to notice it losing it.
    was_focused: Option<bool>,
    /// Copies left behind by an earlier run, neither restored nor discarded yet.
    pub offered: Vec<Recoverable>,
    /// The copies are to be looked for (at start), once the frame can run a job.
    pub scan_pending: bool,
    /// Show the restore dialog as soon as no other dialog is open.
    pub offer_pending: bool,
    /// The user asked to look (rather than the start): say so when nothing is found.
    pub scan_asked: bool,
    /// Copies of replaced documents being removed on their own threads (a full copy
    /// still queued for writing can take a moment, and the editor must not wait for it).
    retiring: Vec<JoinHandle<()>>,
    /// Why no copy can be kept at all, for the banner.
    unavailable: Option<String>,
}

impl Recovery {
    /// No recovery copies (UI tests that are not about them).
    pub fn off() -> Self {
        Self {
            folder: None,
            writer: None,
            was_focused: None,
            offered: Vec::new(),
            scan_pending: false,
            offer_pending: false,
            scan_asked: false,
            retiring: Vec::new(),
            unavailable: None,
        }
    }

    /// Copies kept in `folder` (the user's data folder, or a test's temporary one); the
    /// copies an earlier run left there are looked for on the first frame. `None` means
    /// there is nowhere to keep them: the banner says so.
    pub fn in_folder(folder: Option<RecoveryFolder>) -> Self {
        let unavailable = folder.is_none().then(|| {
            format!(
                "Recovery copies cannot be written: there is no data folder for them (set {} \
                 to a folder). Save often.",
                crate::storage::recovery::RECOVERY_DIR_VARIABLE
            )
        });
        let mut recovery = Self::off();
        recovery.scan_pending = folder.is_some();
        recovery.folder = folder;
        recovery.unavailable = unavailable;
        recovery
    }

    pub fn is_on(&self) -> bool {
        self.folder.is_some()
    }

    pub fn folder(&self) -> Option<&RecoveryFolder> {
        self.folder.as_ref()
    }

    /// The open document's own copy (its folder), once one is being kept.
    pub fn copy_folder(&self) -> Option<&Path> {
        self.writer.as_ref().map(RecoveryWriter::folder)
    }

    /// `doc` has just become the open document (opened, new, reloaded): the last
    /// document's copy is removed (the user saved it or chose to discard it before it was
    /// replaced) and a new copy starts from `doc` as it is on disk.
    pub fn start(&mut self, doc: &mut OpenDocument) {
        self.retire();
        let Some(folder) = &self.folder else {
            return;
        };
        let on_disk = doc.path().map(Path::to_path_buf).zip(doc.disk_hash);
        let document = on_disk.as_ref().map(|(path, hash)| (path.as_path(), *hash));
        self.writer = Some(RecoveryWriter::start(folder, &mut doc.session, document));
    }

    /// Starts a copy for `doc` when none is kept yet (the document shown at start, or
    /// the one left open when a file could not be opened).
    pub fn ensure_started(&mut self, doc: &mut OpenDocument) {
        if self.writer.is_none() && self.folder.is_some() {
            self.start(doc);
        }
    }

    /// A restored document became the open one: go on writing into its copy (`writer`
    /// from `RecoveryWriter::resume`), or, when that could not be had, a new one.
    pub fn adopt(&mut self, writer: Option<RecoveryWriter>, doc: &mut OpenDocument) {
        match writer {
            Some(writer) => {
                self.retire();
                self.writer = Some(writer);
            }
            None => self.start(doc),
        }
    }

    /// Call at the end of every frame: writes the changes once typing pauses (or at the
    /// latest a few seconds after the first), and at once when the window loses focus.
    pub fn frame(&mut self, ctx: &egui::Context, session: &mut Session) {
        self.retiring.retain(|thread| !thread.is_finished());
        let focused = ctx.input(|i| i.viewport().focused);
        if self.was_focused == Some(true) && focused == Some(false) {
            self.record(session);
        }
        self.was_focused = focused;
        if let Some(delay) = self.poll_at(session, Instant::now()) {
            // The deadline must pass even when nobody touches the keyboard.
            ctx.request_repaint_after(delay);
        }
    }

    /// The frame's poll at a given moment (tests jump ahead in time with it). Returns when
    /// to poll again at the latest.
    pub fn poll_at(&mut self, session: &mut Session, now: Instant) -> Option<Duration> {
        self.writer.as_mut()?.poll(session, now)
    }

    /// Writes the changes now (the window lost focus).
    pub fn record(&mut self, session: &mut Session) {
        if let Some(writer) = &mut self.writer {
            writer.record(session);
        }
    }

    /// The document was saved to `path` as `hash`, and nothing changed since: the copy
    /// starts afresh from that file, so it holds nothing to restore.
    pub fn saved(&mut self, session: &mut Session, path: &Path, hash: ContentHash) {
        if let Some(writer) = &mut self.writer {
            writer.saved(session, path, hash);
        }
    }

    /// Removes the open document's copy now: the user chose to close it without saving,
    /// or it is saved and the app is closing. Waits for the writer, as the app is quitting.
    pub fn discard_now(&mut self) {
        if let Some(writer) = self.writer.take() {
            writer.discard();
        }
    }

    /// Removes the open document's copy on its own thread.
    fn retire(&mut self) {
        let Some(writer) = self.writer.take() else {
            return;
        };
        let spawned = std::thread::Builder::new()
            .name("newsdesk-recovery-discard".into())
            .spawn(move || writer.discard());
        if let Ok(thread) = spawned {
            self.retiring.push(thread);
        }
        // When no thread could start, the writer was dropped with the closure: its copy
        // stays on disk, which loses nothing (it is offered at the next start).
    }

    /// Waits until everything sent to the writer is on disk (for tests).
    pub fn flush(&mut self) {
        if let Some(writer) = &mut self.writer {
            writer.flush();
        }
    }

    /// A sentence for the banner while recovery copies are not being written.
    pub fn problem(&mut self) -> Option<String> {
        if let Some(unavailable) = &self.unavailable {
            return Some(unavailable.clone());
        }
        let problem = self.writer.as_mut()?.problem()?;
        Some(capitalized(problem))
    }

    /// A copy was restored or discarded: it is no longer on offer.
    pub fn forget_offer(&mut self, folder: &Path) {
        self.offered.retain(|found| found.folder != folder);
    }
}

impl Drop for Recovery {
    fn drop(&mut self) {
        // Copies being removed are removed before the app is gone.
        for thread in self.retiring.drain(..) {
            let _ = thread.join();
        }
    }
}

fn capitalized(sentence: &str) -> String {
    let mut chars = sentence.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "14:32:05, Tuesday 18 February 2025" in the computer's own time zone, for the
/// restore dialog ("when did I last type into this?").
pub fn local_time(time: chrono::DateTime<chrono::Utc>) -> String {
    time.with_timezone(&chrono::Local)
        .format("%H:%M:%S, %A %-d %B %Y")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_read_as_sentences() {
        assert_eq!(
            capitalized("recovery copies cannot be written: disk full"),
            "Recovery copies cannot be written: disk full"
        );
        assert_eq!(capitalized(""), "");
    }

    #[test]
    fn without_a_data_folder_the_banner_says_copies_cannot_be_written() {
        let mut recovery = Recovery::in_folder(None);
        let problem = recovery.problem().expect("a problem is shown");
        assert!(problem.starts_with("Recovery copies cannot be written"));
        assert!(!recovery.is_on());
        assert!(Recovery::off().problem().is_none());
    }
}
