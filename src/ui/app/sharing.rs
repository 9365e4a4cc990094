//! Co-editing in the editor: File > Share live blog… and File > Join live blog…, the
//! connection kept while the blog is shared, and presence.
//!
//! The open document stays a plain `LiveBlog` in the session. Each frame, the edits this
//! editor applied go to the shared Loro document (`SharedBlog::record_local`) and the
//! connection is told; what the others changed comes back as `Edit`s applied outside the
//! undo history (`Session::apply_remote`). Undo, while shared, is Loro's: only one's own
//! changes, never a colleague's typing.

use super::NewsdeskApp;
use super::dialogs::Dialog;
use super::document::{OpenDocument, Origin};
use super::file_flow::{AfterSave, FileFlow};
use super::jobs::JobResult;
use crate::model::EntryId;
use crate::sync::net::{
    ClientOptions, ConnectionStatus, PeerPresence, Presence, ServerAddress, ShareLink, SyncClient,
    SyncEvent, oneshot,
};
use crate::sync::{SharedBlog, SharedStateWriter};
use crate::ui::panels::presence::{EditorMark, Presence as PresenceMarks};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The shared state is written beside the file at most this often while it changes.
const STATE_EVERY: Duration = Duration::from_secs(5);

/// A blog being shared: the Loro document, the connection, and who else is in the room.
pub struct Sharing {
    blog: SharedBlog,
    client: SyncClient,
    pub link: ShareLink,
    pub status: ConnectionStatus,
    pub peers: Vec<PeerPresence>,
    sent_presence: Option<Presence>,
    state_changed: bool,
    state_written: Instant,
    /// Keeps the shared state beside the file: appends what changed, now and then a fresh
    /// snapshot. Shared with the thread that writes.
    state_writer: Arc<Mutex<Option<SharedStateWriter>>>,
}

/// The shared state kept beside an opened file, read in the background.
pub struct ResumedWork {
    pub blog: SharedBlog,
    /// Carries on appending to the state file where it ends.
    pub writer: SharedStateWriter,
    pub document: crate::model::LiveBlog,
    pub link: ShareLink,
    /// Whether it holds exactly the document the file held when it was opened.
    pub same_as_opened: bool,
}

/// What a share or join brought home from the background.
pub struct SharedWork {
    pub blog: SharedBlog,
    pub document: crate::model::LiveBlog,
    pub link: ShareLink,
    /// True when this editor made the room (Share), false when it joined one.
    pub created: bool,
}

impl Sharing {
    pub fn others(&self) -> usize {
        self.peers.len()
    }

    /// The others in the room on each entry, for the timeline and the editor.
    pub fn marks(&self) -> PresenceMarks {
        let mut by_entry = PresenceMarks::new();
        for peer in &self.peers {
            let Some(presence) = &peer.presence else {
                continue;
            };
            if let Some(id) = presence
                .entry
                .as_deref()
                .and_then(|id| EntryId::new(id).ok())
            {
                by_entry.entry(id).or_default().push(EditorMark {
                    name: presence.name.clone(),
                    colour: presence.colour,
                    typing: presence.typing,
                });
            }
        }
        by_entry
    }

    pub fn can_undo(&self) -> bool {
        self.blog.can_undo()
    }

    pub fn can_redo(&self) -> bool {
        self.blog.can_redo()
    }

    /// What the status bar says about the connection.
    pub fn status_text(&self) -> String {
        let others = match self.others() {
            0 => "nobody else here".to_owned(),
            1 => "1 other editor".to_owned(),
            n => format!("{n} other editors"),
        };
        match &self.status {
            ConnectionStatus::Connecting => "Shared · connecting…".to_owned(),
            ConnectionStatus::Connected => format!("Shared · connected · {others}"),
            ConnectionStatus::Reconnecting { attempt, reason } => {
                format!("Shared · reconnecting (attempt {attempt}): {reason}")
            }
            ConnectionStatus::Offline { reason } => {
                format!("Shared · offline: {reason}. Editing goes on; changes merge on reconnect.")
            }
        }
    }
}

impl NewsdeskApp {
    /// Starts sharing the open document on `server` (File > Share live blog…), in the
    /// background: the room is made and holds the document before the editor carries on.
    pub(super) fn start_share(&mut self, ctx: &egui::Context, server: ServerAddress) {
        if let Some(reason) = self.files.busy_reason() {
            self.toasts.info(reason);
            return;
        }
        let blog = self.doc.session.snapshot();
        self.files = FileFlow::Opening {
            what: PathBuf::from(format!("a new room on {server}")),
        };
        self.jobs.spawn(
            ctx,
            format!("Sharing the live blog on {server}…"),
            move || {
                let result = (|| {
                    let peer = random_peer();
                    let shared = SharedBlog::create(&blog, peer).map_err(|e| e.to_string())?;
                    let snapshot = shared.snapshot().map_err(|e| e.to_string())?;
                    let link =
                        oneshot::create_room(&server, snapshot).map_err(|e| e.to_string())?;
                    let document = shared.to_blog().map_err(|e| e.to_string())?;
                    Ok(SharedWork {
                        blog: shared,
                        document,
                        link,
                        created: true,
                    })
                })();
                JobResult::Shared(result.map(Box::new))
            },
        );
    }

    /// Joins the room behind `link` (File > Join live blog…, `newsdesk join LINK`): its
    /// document replaces the open one, after the unsaved-changes question.
    pub(super) fn start_join(&mut self, ctx: &egui::Context, link: ShareLink) {
        if let Some(reason) = self.files.busy_reason() {
            self.toasts.info(reason);
            return;
        }
        self.files = FileFlow::Opening {
            what: PathBuf::from(format!("the live blog on {}", link.server)),
        };
        self.jobs.spawn(
            ctx,
            format!("Joining the live blog on {}…", link.server),
            move || {
                let result = (|| {
                    let (doc, view) =
                        oneshot::fetch_room_with_view(&link).map_err(|e| e.to_string())?;
                    let (shared, document) =
                        SharedBlog::from_doc(doc, view.as_deref()).map_err(|e| e.to_string())?;
                    shared.set_peer(random_peer()).map_err(|e| e.to_string())?;
                    Ok(SharedWork {
                        blog: shared,
                        document,
                        link,
                        created: false,
                    })
                })();
                JobResult::Shared(result.map(Box::new))
            },
        );
    }

    /// A share or join came home: the shared document becomes the open one and the
    /// connection starts.
    pub(super) fn shared(&mut self, ctx: &egui::Context, result: Result<Box<SharedWork>, String>) {
        self.files = FileFlow::Idle;
        let work = match result {
            Ok(work) => *work,
            Err(error) => {
                self.report_failure(format!("The live blog could not be shared. {error}"));
                return;
            }
        };
        if work.created {
            // Same content, times as the room stores them (whole milliseconds).
            self.doc.session.adopt_shared(work.document);
        } else {
            let doc = OpenDocument::new(work.document, Origin::Untitled);
            self.replace_document(doc);
        }
        self.connect(ctx, work.blog, work.link.clone(), None);
        self.view.dialog = Dialog::ShareLink {
            link: work.link.to_string(),
            created: work.created,
        };
    }

    fn connect(
        &mut self,
        ctx: &egui::Context,
        blog: SharedBlog,
        link: ShareLink,
        writer: Option<SharedStateWriter>,
    ) {
        let waker_ctx = ctx.clone();
        let options = ClientOptions {
            waker: Some(Arc::new(move || waker_ctx.request_repaint())),
            presence: self.presence(false),
            ..ClientOptions::default()
        };
        let client = match SyncClient::connect(link.clone(), Arc::new(blog.doc().clone()), options)
        {
            Ok(client) => client,
            Err(error) => {
                self.report_failure(format!("The connection could not start: {error}"));
                return;
            }
        };
        self.doc.session.collect_applied();
        self.sharing = Some(Sharing {
            blog,
            client,
            link,
            status: ConnectionStatus::Connecting,
            peers: Vec::new(),
            sent_presence: None,
            state_changed: true,
            state_written: Instant::now() - STATE_EVERY,
            state_writer: Arc::new(Mutex::new(writer)),
        });
    }

    /// Stops sharing: the document stays open as it is, unshared.
    pub(super) fn stop_sharing(&mut self) {
        if self.sharing.take().is_some() {
            self.toasts
                .info("No longer shared: this copy is yours alone now.");
        }
    }

    /// Once per frame, before drawing: send this editor's edits, apply the others', keep
    /// presence current and the shared state on disk.
    pub(super) fn keep_in_sync(&mut self, ctx: &egui::Context) {
        let Some(sharing) = self.sharing.as_mut() else {
            return;
        };
        let applied = self.doc.session.take_applied();
        let mut sent = false;
        for edit in &applied {
            if let Err(error) = sharing.blog.record_local(edit) {
                eprintln!("newsdesk: a local edit could not be shared: {error}");
                self.toasts
                    .error(format!("A change could not be shared: {error}"));
            } else {
                sent = true;
            }
        }
        if sent {
            sharing.client.local_changed();
            sharing.state_changed = true;
        }
        let mut resync = false;
        for event in sharing.client.poll() {
            match event {
                SyncEvent::RemoteUpdate(blobs) => {
                    for blob in blobs {
                        match sharing.blog.import(&blob) {
                            Ok(edits) => {
                                sharing.state_changed |= !edits.is_empty();
                                for edit in edits {
                                    if let Err(error) = self.doc.session.apply_remote(edit) {
                                        eprintln!(
                                            "newsdesk: a remote change did not apply ({error}); reloading the shared document"
                                        );
                                        resync = true;
                                    }
                                }
                            }
                            Err(error) => {
                                // Refused whole: the document is as it was.
                                eprintln!("newsdesk: refused an update from the server: {error}");
                                self.toasts.warning(format!(
                                    "An update from the room was refused: {error}"
                                ));
                            }
                        }
                    }
                }
                SyncEvent::StatusChanged(status) => sharing.status = status,
                SyncEvent::Connected { .. } => sharing.status = ConnectionStatus::Connected,
                SyncEvent::PresenceChanged => sharing.peers = sharing.client.peers(),
                SyncEvent::Problem(message) => {
                    self.toasts.warning(message);
                }
            }
        }
        if resync && let Ok(blog) = sharing.blog.to_blog() {
            self.doc.session.adopt_shared(blog);
        }
        let presence = self.presence(ctx.text_edit_focused());
        let Some(sharing) = self.sharing.as_mut() else {
            return;
        };
        if sharing.sent_presence.as_ref() != Some(&presence) {
            sharing.client.set_presence(presence.clone());
            sharing.sent_presence = Some(presence);
        }
        self.keep_shared_state();
    }

    /// Writes the shared state beside the document's file (`NAME.ron.loro`), off the
    /// editor's thread, so that a restart resumes where the room was.
    fn keep_shared_state(&mut self) {
        let Some(path) = self.doc.path().map(SharedBlog::state_path) else {
            return;
        };
        let Some(sharing) = self.sharing.as_mut() else {
            return;
        };
        if !sharing.state_changed || sharing.state_written.elapsed() < STATE_EVERY {
            return;
        }
        sharing.state_changed = false;
        sharing.state_written = Instant::now();
        let doc = sharing.blog.doc().clone();
        let link = sharing.link.to_string();
        let writer = Arc::clone(&sharing.state_writer);
        let _ = std::thread::Builder::new()
            .name("newsdesk-shared-state".into())
            .spawn(move || {
                crate::background::lower_current_thread_priority();
                // One write at a time; a write still running when the next is due delays it.
                let mut writer = writer
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                let writer = match writer.as_mut() {
                    Some(writer) if writer.path() == path && writer.link() == link => writer,
                    // A new file (Save As) or none yet: its first write is a whole snapshot.
                    _ => writer.insert(SharedStateWriter::new(&path, &link)),
                };
                if let Err(error) = writer.write(&doc) {
                    eprintln!("newsdesk: {}: {error}", path.display());
                }
            });
    }

    /// Undo while shared: this editor's own last change, never a colleague's.
    pub(super) fn shared_undo(&mut self, redo: bool) -> bool {
        let Some(sharing) = self.sharing.as_mut() else {
            return false;
        };
        let edits = if redo {
            sharing.blog.redo()
        } else {
            sharing.blog.undo()
        };
        match edits {
            Ok(edits) => {
                let any = !edits.is_empty();
                sharing.client.local_changed();
                sharing.state_changed = true;
                for edit in edits {
                    let _ = self.doc.session.apply_remote(edit);
                }
                any
            }
            Err(error) => {
                self.toasts.error(format!("Could not undo: {error}"));
                false
            }
        }
    }

    /// Where the others are, for the panels (nothing when the blog is not shared).
    pub(super) fn presence_marks(&self) -> PresenceMarks {
        self.sharing
            .as_ref()
            .map(Sharing::marks)
            .unwrap_or_default()
    }

    /// Who this editor is and where, as the others see it.
    fn presence(&self, typing: bool) -> Presence {
        Presence {
            name: self.state.editor_name.clone(),
            colour: self.state.editor_colour,
            entry: self.view.selected.as_ref().map(|id| id.to_string()),
            typing: typing && self.view.selected.is_some(),
        }
    }

    /// After opening a file: if it was shared when last open, join its room again from the
    /// shared state kept beside it (edits made offline merge on reconnect). Reading that state
    /// takes far longer than the RON file at 100,000 posts, so it happens in the background
    /// while the document is already open for editing; edits made meanwhile are kept and go
    /// into the shared state when it arrives (`resumed`).
    pub(super) fn resume_sharing(&mut self, ctx: &egui::Context) {
        let Some(document_path) = self.doc.path().map(std::path::Path::to_path_buf) else {
            return;
        };
        let path = SharedBlog::state_path(&document_path);
        if !path.exists() {
            return;
        }
        let opened = self.doc.session.snapshot();
        self.doc.session.collect_applied();
        self.resuming = Some(document_path.clone());
        self.jobs.spawn(
            ctx,
            "Reading this blog's shared state…".to_owned(),
            move || {
                let result = crate::sync::read_shared_state_for_writing(&path)
                    .map(|(blog, document, link, writer)| {
                        let same_as_opened = *opened == document;
                        Box::new(ResumedWork {
                            blog,
                            writer,
                            document,
                            link,
                            same_as_opened,
                        })
                    })
                    .map_err(|error| error.to_string());
                JobResult::Resumed {
                    path: document_path,
                    result,
                }
            },
        );
    }

    /// The shared state of the open file came home: the edits made while it was read go into
    /// it, and the room is joined again.
    pub(super) fn resumed(
        &mut self,
        ctx: &egui::Context,
        path: &std::path::Path,
        result: Result<Box<ResumedWork>, String>,
    ) {
        if self.resuming.as_deref() != Some(path) || self.sharing.is_some() {
            // The document was replaced (or shared afresh) meanwhile.
            return;
        }
        self.resuming = None;
        let made_meanwhile = self.doc.session.take_applied();
        let work = match result {
            Ok(work) => *work,
            Err(error) => {
                self.doc.session.stop_collecting_applied();
                self.toasts.warning(format!(
                    "The shared state beside this file could not be read ({error}); it opens unshared."
                ));
                return;
            }
        };
        let ResumedWork {
            blog: mut shared,
            writer,
            mut document,
            link,
            same_as_opened,
        } = work;
        if let Err(error) = shared.set_peer(random_peer()) {
            eprintln!("newsdesk: {error}");
        }
        let mut not_merged = 0;
        for edit in made_meanwhile {
            // When the shared state differs from the file, the edits are replayed on it.
            let applies = same_as_opened || crate::edit::apply(&mut document, edit.clone()).is_ok();
            if !applies || shared.record_local(&edit).is_err() {
                not_merged += 1;
            }
        }
        if !same_as_opened {
            // The room's copy has changes the file lacks (made by others after the last save):
            // it becomes the open document.
            self.doc.session.adopt_shared(document);
        }
        self.connect(ctx, shared, link, Some(writer));
        if not_merged > 0 {
            self.toasts.warning(format!(
                "{not_merged} change(s) made while the shared state was read did not fit the room's copy; check the open entries."
            ));
        } else {
            self.toasts
                .info("This blog is shared: joining its room again.");
        }
    }

    /// `newsdesk join LINK`: the editor opens on the link's live blog.
    pub fn join_at_start(&mut self, ctx: &egui::Context, link: ShareLink) {
        self.start_join(ctx, link);
    }

    /// File > Join live blog… answered: the open document is asked about first.
    pub(super) fn join_link(&mut self, ctx: &egui::Context, link: ShareLink) {
        self.guard_unsaved(ctx, AfterSave::Join(Box::new(link)));
    }
}

/// A peer id for this editor's session: random, never `u64::MAX` (Loro reserves it).
fn random_peer() -> u64 {
    rand::random::<u64>() >> 1
}
