//! The sync server behind `newsdesk serve`: rooms of Loro documents, relayed between editors.
//!
//! The server does not know what a live blog is. A room is a `LoroDoc` that it imports updates into
//! (which is how it recognises and refuses a corrupt one), keeps on disk ([`super::store`]) and
//! relays to the room's other editors. Each update is on disk before its sender is told so.
//! Presence is relayed as a roster of who is connected; it is never stored.
//!
//! Log lines (stderr) are plain sentences; the first stdout line is `listening on ADDRESS`.

use super::store::{RoomStore, StoreError};
use super::wire::{self, PeerPresence, Presence, Reassembler};
use crate::model::LiveBlog;
use crate::sync::SharedBlog;
use futures_util::{SinkExt, StreamExt};
use loro::{ExportMode, VersionVector};
use loro_protocol::{
    BatchId, CrdtType, JoinErrorCode, Permission, ProtocolMessage, UpdateStatusCode,
};
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, mpsc};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

/// How many messages may wait for a slow connection before it is dropped (it rejoins and catches up).
const OUTBOX: usize = 1024;
/// A connection that does not finish the WebSocket handshake in this time is closed.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Runs the server until the process ends. `on_listening` is told the bound address first.
pub fn run(bind: &str, data: PathBuf) -> io::Result<()> {
    std::fs::create_dir_all(&data).map_err(|error| {
        io::Error::new(
            error.kind(),
            format!("the data folder {} cannot be made: {error}", data.display()),
        )
    })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = TcpListener::bind(bind).await.map_err(|error| {
            io::Error::new(error.kind(), format!("cannot listen on {bind}: {error}"))
        })?;
        let address = listener.local_addr()?;
        // Tests and scripts read this first line to learn the port when binding port 0.
        let mut stdout = io::stdout().lock();
        writeln!(stdout, "listening on {address}")?;
        stdout.flush()?;
        drop(stdout);
        eprintln!("Serving rooms from {}.", data.display());
        serve(listener, data).await;
        Ok(())
    })
}

/// Accepts connections forever.
pub async fn serve(listener: TcpListener, data: PathBuf) {
    let hub = Arc::new(Hub {
        data,
        rooms: Mutex::new(HashMap::new()),
        next_session: AtomicU64::new(1),
    });
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => {
                let hub = Arc::clone(&hub);
                tokio::spawn(async move { connection(hub, stream, peer).await });
            }
            Err(error) => {
                // Usually out of file descriptors: wait instead of spinning.
                log(format!("A connection could not be accepted: {error}."));
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

fn log(line: String) {
    eprintln!("{line}");
}

struct Hub {
    data: PathBuf,
    rooms: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Room>>>>,
    next_session: AtomicU64,
}

struct Room {
    store: RoomStore,
    members: BTreeMap<u64, Member>,
    view: RoomView,
}

/// The room's blog kept read for joining editors (`crate::sync::view`): built in the background
/// from a fork of the room's document the first time someone joins, then brought up to date
/// (patched with the updates since, not read again) whenever a join asks for it.
enum RoomView {
    /// Not built, or set aside after a failure: the next join starts building it.
    Absent,
    Building,
    /// The document at this version is not a live blog: tried again once it changes.
    NotABlog(VersionVector),
    Ready(Box<Materialised>),
}

struct Materialised {
    shared: SharedBlog,
    blog: LiveBlog,
    /// The last view written, and the version it was written at.
    written: Option<(VersionVector, Arc<Vec<u8>>)>,
}

impl Room {
    fn new(store: RoomStore) -> Room {
        Room {
            store,
            members: BTreeMap::new(),
            view: RoomView::Absent,
        }
    }

    /// Starts building the room's blog view on a thread of its own, if it is not there.
    fn ensure_view(&mut self, handle: &RoomHandle) {
        let stale = match &self.view {
            RoomView::Absent => true,
            RoomView::NotABlog(version) => *version != self.store.doc.oplog_vv(),
            RoomView::Building | RoomView::Ready(_) => false,
        };
        if !stale {
            return;
        }
        self.view = RoomView::Building;
        let doc = self.store.doc.clone();
        let handle = Arc::clone(handle);
        let spawned = std::thread::Builder::new()
            .name("newsdesk-room-view".into())
            .spawn(move || {
                let fork = doc.fork();
                let version = fork.oplog_vv();
                let built =
                    std::panic::catch_unwind(AssertUnwindSafe(|| SharedBlog::from_doc(fork, None)));
                let view = match built {
                    Ok(Ok((shared, blog))) => RoomView::Ready(Box::new(Materialised {
                        shared,
                        blog,
                        written: None,
                    })),
                    Ok(Err(_)) => RoomView::NotABlog(version),
                    Err(_) => RoomView::NotABlog(version),
                };
                handle.blocking_lock().view = view;
            });
        if spawned.is_err() {
            self.view = RoomView::Absent;
        }
    }

    /// The blog view at the room's current version, when it is built: the updates since it
    /// was last brought up to date are imported into it first.
    fn current_view(&mut self) -> Option<Arc<Vec<u8>>> {
        let RoomView::Ready(view) = &mut self.view else {
            return None;
        };
        let room_version = self.store.doc.oplog_vv();
        let caught_up = catch_up(view, &self.store.doc, &room_version);
        if !caught_up {
            self.view = RoomView::Absent;
            return None;
        }
        if let Some((version, bytes)) = &view.written
            && *version == room_version
        {
            return Some(Arc::clone(bytes));
        }
        match view.shared.view(&view.blog) {
            Ok(bytes) => {
                let bytes = Arc::new(bytes);
                view.written = Some((room_version, Arc::clone(&bytes)));
                Some(bytes)
            }
            Err(_) => {
                self.view = RoomView::Absent;
                None
            }
        }
    }
}

/// Brings a room's blog view to the room's version; false when it cannot be (it is then built
/// again).
fn catch_up(view: &mut Materialised, doc: &loro::LoroDoc, room_version: &VersionVector) -> bool {
    let since = view.shared.oplog_version();
    if !room_version.includes_vv(&since) {
        // The room was reloaded from disk behind what the view had seen.
        return false;
    }
    if since == *room_version {
        return true;
    }
    let Ok(blob) = doc.export(ExportMode::updates(&since)) else {
        return false;
    };
    let Ok(edits) = view.shared.import(&blob) else {
        return false;
    };
    edits
        .into_iter()
        .all(|edit| crate::edit::apply(&mut view.blog, edit).is_ok())
        && view.shared.oplog_version() == *room_version
}

struct Member {
    tx: mpsc::Sender<Message>,
    kick: Arc<Notify>,
    presence: Option<Presence>,
}

type RoomHandle = Arc<tokio::sync::Mutex<Room>>;

impl Hub {
    fn lock_rooms(&self) -> std::sync::MutexGuard<'_, HashMap<String, RoomHandle>> {
        // A panic while holding this lock cannot leave the map half-changed (single inserts),
        // so a poisoned lock is still usable.
        self.rooms
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn room(&self, id: &str) -> Result<RoomHandle, StoreError> {
        if let Some(room) = self.lock_rooms().get(id) {
            return Ok(Arc::clone(room));
        }
        let store = blocking(|| RoomStore::open(&self.data, id))?;
        let mut rooms = self.lock_rooms();
        let room = rooms
            .entry(id.to_string())
            .or_insert_with(|| Arc::new(tokio::sync::Mutex::new(Room::new(store))));
        Ok(Arc::clone(room))
    }

    fn create_room(&self) -> io::Result<(RoomHandle, String, String)> {
        let (store, token) = blocking(|| RoomStore::create(&self.data))?;
        let id = store.id.clone();
        let room = Arc::new(tokio::sync::Mutex::new(Room::new(store)));
        self.lock_rooms().insert(id.clone(), Arc::clone(&room));
        Ok((room, id, token))
    }
}

/// Disk work (fsync) on a runtime worker: tell tokio so other connections move to another thread.
fn blocking<T>(work: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(work)
}

async fn connection(hub: Arc<Hub>, stream: TcpStream, peer: SocketAddr) {
    let session = hub.next_session.fetch_add(1, Ordering::Relaxed);
    let _ = stream.set_nodelay(true);
    let config = WebSocketConfig::default()
        .max_message_size(Some(wire::MAX_FRAME_BYTES))
        .max_frame_size(Some(wire::MAX_FRAME_BYTES));
    let handshake = tokio_tungstenite::accept_async_with_config(stream, Some(config));
    let ws = match tokio::time::timeout(HANDSHAKE_TIMEOUT, handshake).await {
        Ok(Ok(ws)) => ws,
        Ok(Err(error)) => {
            log(format!(
                "Connection {session} from {peer} was not a usable WebSocket ({error})."
            ));
            return;
        }
        Err(_) => {
            log(format!(
                "Connection {session} from {peer} did not finish its WebSocket handshake in time."
            ));
            return;
        }
    };
    let (mut sink, mut incoming) = ws.split();
    let (tx, mut rx) = mpsc::channel::<Message>(OUTBOX);
    let kick = Arc::new(Notify::new());
    let mut conn = Conn {
        hub,
        session,
        peer,
        tx,
        kick: Arc::clone(&kick),
        joined: None,
        reassembler: Reassembler::default(),
    };
    loop {
        tokio::select! {
            message = incoming.next() => match message {
                None => break,
                Some(Err(tokio_tungstenite::tungstenite::Error::Protocol(
                    tokio_tungstenite::tungstenite::error::ProtocolError::ResetWithoutClosingHandshake,
                ))) => {
                    // A client process that ended or lost its network; nothing went wrong here.
                    break;
                }
                Some(Err(error)) => {
                    log(format!("Connection {session} from {peer} failed: {error}."));
                    break;
                }
                Some(Ok(Message::Binary(bytes))) => {
                    if !conn.on_binary(&bytes).await {
                        break;
                    }
                }
                Some(Ok(Message::Text(text))) => {
                    if text.as_str() == "ping" {
                        conn.reply(Message::text("pong"));
                    }
                }
                Some(Ok(Message::Close(_))) => break,
                Some(Ok(_)) => {}
            },
            message = rx.recv() => match message {
                Some(message) => {
                    if sink.send(message).await.is_err() {
                        break;
                    }
                }
                None => break,
            },
            () = kick.notified() => {
                log(format!(
                    "Connection {session} from {peer} fell too far behind and was closed; it will rejoin and catch up."
                ));
                break;
            }
        }
    }
    // Whatever is still queued (say, the refusal of a join) is worth sending before closing.
    while let Ok(message) = rx.try_recv() {
        if sink.send(message).await.is_err() {
            break;
        }
    }
    let _ = sink.close().await;
    conn.leave().await;
}

struct Conn {
    hub: Arc<Hub>,
    session: u64,
    peer: SocketAddr,
    tx: mpsc::Sender<Message>,
    kick: Arc<Notify>,
    joined: Option<(String, RoomHandle)>,
    reassembler: Reassembler,
}

fn encoded(message: &ProtocolMessage) -> Option<Message> {
    loro_protocol::encode(message)
        .ok()
        .map(|bytes| Message::Binary(bytes.into()))
}

impl Conn {
    fn who(&self) -> String {
        format!("Connection {} from {}", self.session, self.peer)
    }

    fn reply(&self, message: Message) {
        if self.tx.try_send(message).is_err() {
            self.kick.notify_one();
        }
    }

    fn reply_protocol(&self, message: &ProtocolMessage) {
        if let Some(message) = encoded(message) {
            self.reply(message);
        }
    }

    fn ack(&self, room: &str, batch: BatchId, status: UpdateStatusCode) {
        self.reply_protocol(&ProtocolMessage::Ack {
            crdt: CrdtType::Loro,
            room_id: room.to_string(),
            ref_id: batch,
            status,
        });
    }

    fn join_error(&self, room: &str, code: JoinErrorCode, message: String, app: Option<&str>) {
        self.reply_protocol(&ProtocolMessage::JoinError {
            crdt: CrdtType::Loro,
            room_id: room.to_string(),
            code,
            message,
            receiver_version: None,
            app_code: app.map(str::to_string),
        });
    }

    /// Handles one binary message; `false` closes the connection.
    async fn on_binary(&mut self, bytes: &[u8]) -> bool {
        let message = match wire::decode(bytes) {
            Ok(message) => message,
            Err(reason) => {
                log(format!(
                    "{} sent a message that was refused and the connection closed: {reason}.",
                    self.who()
                ));
                return false;
            }
        };
        match message {
            ProtocolMessage::JoinRequest {
                crdt,
                room_id,
                auth,
                version,
            } => self.on_join(crdt, room_id, auth, version).await,
            ProtocolMessage::DocUpdate {
                crdt: CrdtType::Loro,
                room_id,
                updates,
                batch_id,
            } => {
                if self.joined_room(&room_id, batch_id).is_some() {
                    self.on_updates(&room_id, updates, batch_id).await;
                }
                true
            }
            ProtocolMessage::DocUpdate {
                crdt: CrdtType::LoroEphemeralStore,
                room_id,
                updates,
                ..
            } => self.on_presence(&room_id, updates).await,
            ProtocolMessage::DocUpdateFragmentHeader {
                crdt: CrdtType::Loro,
                room_id,
                batch_id,
                fragment_count,
                total_size_bytes,
            } => {
                if self.joined_room(&room_id, batch_id).is_some()
                    && let Err(reason) =
                        self.reassembler
                            .start(batch_id, fragment_count, total_size_bytes)
                {
                    log(format!(
                        "{} sent a refused fragment header: {reason}.",
                        self.who()
                    ));
                    self.ack(&room_id, batch_id, UpdateStatusCode::PayloadTooLarge);
                }
                true
            }
            ProtocolMessage::DocUpdateFragment {
                crdt: CrdtType::Loro,
                room_id,
                batch_id,
                index,
                fragment,
            } => {
                if self.joined_room(&room_id, batch_id).is_none() {
                    return true;
                }
                match self.reassembler.add(batch_id, index, fragment) {
                    Ok(Some(blob)) => self.on_updates(&room_id, vec![blob], batch_id).await,
                    Ok(None) => {}
                    Err(reason) => {
                        log(format!("{} sent a refused fragment: {reason}.", self.who()));
                        self.ack(&room_id, batch_id, UpdateStatusCode::InvalidUpdate);
                    }
                }
                true
            }
            ProtocolMessage::Leave { .. } => {
                self.leave().await;
                true
            }
            other => {
                log(format!(
                    "{} sent a message the server does not take ({}); it was ignored.",
                    self.who(),
                    kind(&other)
                ));
                true
            }
        }
    }

    /// The joined room, if `room_id` is it; otherwise refuses the batch.
    fn joined_room(&self, room_id: &str, batch: BatchId) -> Option<RoomHandle> {
        match &self.joined {
            Some((id, room)) if id == room_id => Some(Arc::clone(room)),
            _ => {
                log(format!(
                    "{} sent an update for room {room_id} without having joined it; it was refused.",
                    self.who()
                ));
                self.ack(room_id, batch, UpdateStatusCode::PermissionDenied);
                None
            }
        }
    }

    async fn on_join(
        &mut self,
        crdt: CrdtType,
        room_id: String,
        auth: Vec<u8>,
        version: Vec<u8>,
    ) -> bool {
        if crdt != CrdtType::Loro {
            self.join_error(
                &room_id,
                JoinErrorCode::Unknown,
                "This server keeps Loro documents only.".into(),
                None,
            );
            return true;
        }
        if self.joined.is_some() {
            self.join_error(
                &room_id,
                JoinErrorCode::Unknown,
                "This connection has already joined a room.".into(),
                None,
            );
            return true;
        }
        if auth == wire::AUTH_CREATE {
            return self.on_create().await;
        }
        let (token, wants_view) = match auth.strip_prefix(wire::AUTH_JOIN_VIEW_PREFIX) {
            Some(token) => (Some(token), true),
            None => (auth.strip_prefix(wire::AUTH_JOIN_PREFIX), false),
        };
        let Some(token) = token else {
            log(format!(
                "Refused {}: its join carried no token.",
                self.who().to_lowercase()
            ));
            self.join_error(
                &room_id,
                JoinErrorCode::AuthFailed,
                "The join carried no token.".into(),
                None,
            );
            return true;
        };
        let unknown = |conn: &Conn| {
            log(format!(
                "Refused {}: there is no room {room_id}.",
                conn.who().to_lowercase()
            ));
            conn.join_error(
                &room_id,
                JoinErrorCode::AppError,
                format!("There is no room {room_id} on this server."),
                Some(wire::APP_UNKNOWN_ROOM),
            );
        };
        if !super::link::is_valid_room(&room_id) {
            unknown(self);
            return true;
        }
        let room = match self.hub.room(&room_id) {
            Ok(room) => room,
            Err(StoreError::Unknown(_)) => {
                unknown(self);
                return true;
            }
            Err(error) => {
                log(format!("Refused {}: {error}.", self.who().to_lowercase()));
                self.join_error(
                    &room_id,
                    JoinErrorCode::Unknown,
                    format!("Room {room_id} cannot be opened on the server; its administrator has been told."),
                    None,
                );
                return true;
            }
        };
        let mut guard = room.lock().await;
        if !guard.store.token_matches(token) {
            drop(guard);
            log(format!(
                "Refused {}: wrong token for room {room_id}.",
                self.who().to_lowercase()
            ));
            self.join_error(
                &room_id,
                JoinErrorCode::AuthFailed,
                format!("The link's token does not open room {room_id}."),
                None,
            );
            return true;
        }
        let room_version = guard.store.doc.oplog_vv();
        self.reply_protocol(&ProtocolMessage::JoinResponseOk {
            crdt: CrdtType::Loro,
            room_id: room_id.clone(),
            permission: Permission::Write,
            version: room_version.encode(),
            extra: Some(self.session.to_string().into_bytes()),
        });
        // A version that does not decode is treated as "knows nothing": the client gets everything.
        let client_version = VersionVector::decode(&version).unwrap_or_default();
        if wants_view && client_version.is_empty() {
            // The view goes first: the client stops reading once it has the whole document.
            if let Some(view) = blocking(|| guard.current_view()) {
                let (_, messages) = wire::encode_update(wire::VIEW_CRDT, &room_id, view.to_vec());
                // A view too large for the connection's queue beside the document is left out:
                // the editor reads the document instead.
                let fits = messages.len() <= OUTBOX / 2;
                for message in messages.into_iter().filter(|_| fits) {
                    self.reply(Message::Binary(message.into()));
                }
            }
        }
        guard.ensure_view(&room);
        if !client_version.includes_vv(&room_version) {
            match guard.store.doc.export(ExportMode::updates(&client_version)) {
                Ok(blob) => {
                    let (_, messages) = wire::encode_update(CrdtType::Loro, &room_id, blob);
                    for message in messages {
                        self.reply(Message::Binary(message.into()));
                    }
                }
                Err(error) => log(format!(
                    "Room {room_id} could not export what {} lacks: {error}.",
                    self.who().to_lowercase()
                )),
            }
        }
        guard.members.insert(
            self.session,
            Member {
                tx: self.tx.clone(),
                kick: Arc::clone(&self.kick),
                presence: None,
            },
        );
        log(format!(
            "{} joined room {room_id} ({} connected).",
            self.who(),
            guard.members.len()
        ));
        broadcast_roster(&room_id, &guard);
        drop(guard);
        self.joined = Some((room_id, room));
        true
    }

    async fn on_create(&mut self) -> bool {
        let (room, id, token) = match self.hub.create_room() {
            Ok(created) => created,
            Err(error) => {
                log(format!(
                    "{} asked for a new room, which could not be made: {error}.",
                    self.who()
                ));
                self.join_error(
                    "",
                    JoinErrorCode::Unknown,
                    format!("The server could not make a room: {error}."),
                    None,
                );
                return true;
            }
        };
        let mut guard = room.lock().await;
        self.reply_protocol(&ProtocolMessage::JoinResponseOk {
            crdt: CrdtType::Loro,
            room_id: id.clone(),
            permission: Permission::Write,
            version: guard.store.doc.oplog_vv().encode(),
            extra: Some(token.into_bytes()),
        });
        guard.members.insert(
            self.session,
            Member {
                tx: self.tx.clone(),
                kick: Arc::clone(&self.kick),
                presence: None,
            },
        );
        log(format!("{} created room {id}.", self.who()));
        drop(guard);
        self.joined = Some((id, room));
        true
    }

    async fn on_updates(&mut self, room_id: &str, updates: Vec<Vec<u8>>, batch: BatchId) {
        let Some((_, room)) = &self.joined else {
            return;
        };
        let room = Arc::clone(room);
        let mut guard = room.lock().await;
        let mut accepted = Vec::new();
        let mut refused = false;
        for update in updates {
            let doc = &guard.store.doc;
            let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| doc.import(&update)));
            let status = match outcome {
                Ok(Ok(status)) => status,
                Ok(Err(error)) => {
                    log(format!(
                        "{} sent an update to room {room_id} that was refused and not stored: {error}.",
                        self.who()
                    ));
                    self.ack(room_id, batch, UpdateStatusCode::InvalidUpdate);
                    refused = true;
                    break;
                }
                Err(_) => {
                    log(format!(
                        "{} sent an update to room {room_id} that made the Loro engine fail; the room is reloaded from disk.",
                        self.who()
                    ));
                    self.ack(room_id, batch, UpdateStatusCode::InvalidUpdate);
                    reload(&self.hub, room_id, &mut guard);
                    return;
                }
            };
            if status.success.is_empty() && status.pending.is_none() {
                continue; // Nothing new: already stored, nothing to relay.
            }
            let store = &mut guard.store;
            if let Err(error) = blocking(|| store.persist(&update)) {
                log(format!(
                    "Room {room_id} could not be written to disk, so an update from {} was not acknowledged: {error}.",
                    self.who().to_lowercase()
                ));
                self.ack(room_id, batch, UpdateStatusCode::AppError);
                // Memory must not run ahead of the disk: what was not written is forgotten.
                reload(&self.hub, room_id, &mut guard);
                return;
            }
            accepted.push(update);
        }
        if refused {
            // Already answered with the refusal; what came before it in the batch is kept.
        } else {
            self.ack(room_id, batch, UpdateStatusCode::Ok);
        }
        for update in accepted {
            let (_, messages) = wire::encode_update(CrdtType::Loro, room_id, update);
            for (&session, member) in &guard.members {
                if session == self.session {
                    continue;
                }
                for message in &messages {
                    if member
                        .tx
                        .try_send(Message::Binary(message.clone().into()))
                        .is_err()
                    {
                        member.kick.notify_one();
                        break;
                    }
                }
            }
        }
    }

    async fn on_presence(&mut self, room_id: &str, updates: Vec<Vec<u8>>) -> bool {
        let Some((id, room)) = &self.joined else {
            log(format!(
                "{} sent presence without joining a room; it was ignored.",
                self.who()
            ));
            return true;
        };
        if id != room_id {
            return true;
        }
        let parsed = match updates.as_slice() {
            [one] if one.len() <= wire::MAX_PRESENCE_BYTES => {
                serde_json::from_slice::<Presence>(one).map_err(|error| error.to_string())
            }
            _ => Err("it was not one small presence message".to_string()),
        };
        let presence = match parsed {
            Ok(presence) => presence,
            Err(reason) => {
                log(format!(
                    "{} sent presence that was refused: {reason}.",
                    self.who()
                ));
                return true;
            }
        };
        let room = Arc::clone(room);
        let mut guard = room.lock().await;
        if let Some(member) = guard.members.get_mut(&self.session) {
            member.presence = Some(presence);
        }
        broadcast_roster(room_id, &guard);
        true
    }

    async fn leave(&mut self) {
        let Some((id, room)) = self.joined.take() else {
            return;
        };
        let mut guard = room.lock().await;
        guard.members.remove(&self.session);
        log(format!(
            "{} left room {id} ({} connected).",
            self.who(),
            guard.members.len()
        ));
        broadcast_roster(&id, &guard);
    }
}

/// Replaces a room's memory with what its files hold, after a failure that may have left the
/// in-memory document ahead of the disk.
fn reload(hub: &Hub, room_id: &str, room: &mut Room) {
    match blocking(|| RoomStore::open(&hub.data, room_id)) {
        Ok(store) => room.store = store,
        Err(error) => log(format!(
            "Room {room_id} could not be reloaded from disk: {error}."
        )),
    }
}

fn broadcast_roster(room_id: &str, room: &Room) {
    let roster: Vec<PeerPresence> = room
        .members
        .iter()
        .map(|(&session, member)| PeerPresence {
            session,
            presence: member.presence.clone(),
        })
        .collect();
    let Ok(json) = serde_json::to_vec(&roster) else {
        return;
    };
    let message = ProtocolMessage::DocUpdate {
        crdt: CrdtType::LoroEphemeralStore,
        room_id: room_id.to_string(),
        updates: vec![json],
        batch_id: wire::new_batch_id(),
    };
    let Some(message) = encoded(&message) else {
        return;
    };
    for member in room.members.values() {
        if member.tx.try_send(message.clone()).is_err() {
            member.kick.notify_one();
        }
    }
}

fn kind(message: &ProtocolMessage) -> &'static str {
    match message {
        ProtocolMessage::JoinRequest { .. } => "a join",
        ProtocolMessage::JoinResponseOk { .. } => "a join answer",
        ProtocolMessage::JoinError { .. } => "a join error",
        ProtocolMessage::DocUpdate { .. } => "an update of an unsupported kind",
        ProtocolMessage::DocUpdateFragmentHeader { .. }
        | ProtocolMessage::DocUpdateFragment { .. } => "a fragment of an unsupported kind",
        ProtocolMessage::RoomError { .. } => "a room error",
        ProtocolMessage::Ack { .. } => "an acknowledgement",
        ProtocolMessage::Leave { .. } => "a leave",
    }
}
