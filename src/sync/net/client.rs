//! The editor's connection to a room: a background thread with a small tokio runtime, and a
//! handle the UI thread polls each frame without ever blocking.
//!
//! The client reads the local document through [`LocalDoc`] (its version vector, and the updates
//! since a version) so that it can catch the server up by itself after every (re)connection and
//! send only what the server lacks; the owner just calls [`SyncClient::local_changed`] after
//! committing local edits, and imports the [`SyncEvent::RemoteUpdate`]s it polls.

use super::conn::{Conn, Incoming, NetError};
use super::link::ShareLink;
use super::wire::{self, PeerPresence, Presence};
use loro::{LoroDoc, VersionVector};
use loro_protocol::{BatchId, UpdateStatusCode};
use std::collections::HashSet;
use std::sync::mpsc as std_mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;

/// Read access to the local replica, from the client's thread.
pub trait LocalDoc: Send + Sync + 'static {
    /// Everything this replica holds.
    fn version(&self) -> VersionVector;
    /// The updates after `since`, as one Loro blob.
    fn updates_since(&self, since: &VersionVector) -> Result<Vec<u8>, String>;
}

/// A `LoroDoc` handle is shared and internally locked, so the client can read it directly.
impl LocalDoc for LoroDoc {
    fn version(&self) -> VersionVector {
        self.oplog_vv()
    }
    fn updates_since(&self, since: &VersionVector) -> Result<Vec<u8>, String> {
        self.export(loro::ExportMode::updates(since))
            .map_err(|error| error.to_string())
    }
}

/// What the status bar shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectionStatus {
    /// First attempt under way.
    Connecting,
    Connected,
    /// The connection dropped; trying again (attempt number, from 1).
    Reconnecting {
        attempt: u32,
        reason: String,
    },
    /// Not trying: taken offline by hand, or refused (wrong token, unknown room).
    Offline {
        reason: String,
    },
}

/// What the owner learns by polling.
#[derive(Clone, Debug)]
pub enum SyncEvent {
    /// Joined (or rejoined) the room; `server_version` is everything the room held at that moment.
    /// The client has already started sending what the server lacked.
    Connected {
        server_version: VersionVector,
    },
    /// Loro update blobs from the others, to import in order.
    RemoteUpdate(Vec<Vec<u8>>),
    StatusChanged(ConnectionStatus),
    /// The roster changed: read it with [`SyncClient::peers`].
    PresenceChanged,
    /// Something went wrong that the user should hear about (a refused update, a refused join).
    Problem(String),
}

/// Settings of a client.
#[derive(Clone)]
pub struct ClientOptions {
    /// Called (from the client's thread) whenever an event is queued; an egui app passes
    /// `ctx.request_repaint()` so that the next frame polls.
    pub waker: Option<Arc<dyn Fn() + Send + Sync>>,
    /// Who this editor is, sent on every (re)connection.
    pub presence: Presence,
    /// Longest wait between reconnection attempts.
    pub max_backoff: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            waker: None,
            presence: Presence::default(),
            max_backoff: Duration::from_secs(10),
        }
    }
}

#[derive(Debug)]
enum Command {
    LocalChanged,
    SetPresence(Presence),
    SetOnline(bool),
    Reconnect,
    Shutdown,
}

#[derive(Default)]
struct Shared {
    status: Option<ConnectionStatus>,
    session: Option<u64>,
    roster: Vec<PeerPresence>,
    unacknowledged: usize,
    server_version: Option<VersionVector>,
    /// What the server is known to hold on the current connection (`None` when not connected).
    server_has: Option<VersionVector>,
}

/// The handle the editor keeps. Dropping it closes the connection (without waiting).
pub struct SyncClient {
    commands: mpsc::UnboundedSender<Command>,
    events: std_mpsc::Receiver<SyncEvent>,
    shared: Arc<Mutex<Shared>>,
}

impl SyncClient {
    /// Starts connecting to `link` in the background.
    pub fn connect(
        link: ShareLink,
        doc: Arc<dyn LocalDoc>,
        options: ClientOptions,
    ) -> std::io::Result<SyncClient> {
        let (commands, command_rx) = mpsc::unbounded_channel();
        let (event_tx, events) = std_mpsc::channel();
        let shared = Arc::new(Mutex::new(Shared {
            status: Some(ConnectionStatus::Connecting),
            ..Shared::default()
        }));
        let outbox = Outbox {
            events: event_tx,
            shared: Arc::clone(&shared),
            waker: options.waker.clone(),
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        std::thread::Builder::new()
            .name("newsdesk-sync".into())
            // Not lowered in priority like other background threads: it mostly waits on the
            // network, and a remote edit should show without delay.
            .spawn(move || {
                runtime.block_on(run(link, doc, options, command_rx, outbox));
            })?;
        Ok(SyncClient {
            commands,
            events,
            shared,
        })
    }

    /// Tells the client the local document has new commits to send.
    pub fn local_changed(&self) {
        let _ = self.commands.send(Command::LocalChanged);
    }

    /// Everything that happened since the last poll; never blocks.
    pub fn poll(&self) -> Vec<SyncEvent> {
        self.events.try_iter().collect()
    }

    pub fn status(&self) -> ConnectionStatus {
        self.lock()
            .status
            .clone()
            .unwrap_or(ConnectionStatus::Connecting)
    }

    /// How many other editors are connected to the room.
    pub fn others(&self) -> usize {
        let shared = self.lock();
        shared
            .roster
            .iter()
            .filter(|peer| Some(peer.session) != shared.session)
            .count()
    }

    /// The other editors and what they are doing.
    pub fn peers(&self) -> Vec<PeerPresence> {
        let shared = self.lock();
        shared
            .roster
            .iter()
            .filter(|peer| Some(peer.session) != shared.session)
            .cloned()
            .collect()
    }

    /// Updates sent on this connection that the server has not yet confirmed as stored.
    pub fn unacknowledged(&self) -> usize {
        self.lock().unacknowledged
    }

    /// Whether the server has confirmed storing everything in `local` (this replica's version):
    /// connected, every update sent acknowledged, and nothing local left unsent.
    pub fn server_holds(&self, local: &VersionVector) -> bool {
        let shared = self.lock();
        shared.status == Some(ConnectionStatus::Connected)
            && shared.unacknowledged == 0
            && shared
                .server_has
                .as_ref()
                .is_some_and(|server_has| server_has.includes_vv(local))
    }

    /// The room's version vector at the last (re)join.
    pub fn server_version(&self) -> Option<VersionVector> {
        self.lock().server_version.clone()
    }

    /// Changes what the others see of this editor (selected entry, typing).
    pub fn set_presence(&self, presence: Presence) {
        let _ = self.commands.send(Command::SetPresence(presence));
    }

    /// Goes offline (edits keep accumulating locally) or back online.
    pub fn set_online(&self, online: bool) {
        let _ = self.commands.send(Command::SetOnline(online));
    }

    /// Drops the connection and joins again at once (used to learn the room's current version).
    pub fn reconnect(&self) {
        let _ = self.commands.send(Command::Reconnect);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for SyncClient {
    fn drop(&mut self) {
        let _ = self.commands.send(Command::Shutdown);
    }
}

struct Outbox {
    events: std_mpsc::Sender<SyncEvent>,
    shared: Arc<Mutex<Shared>>,
    waker: Option<Arc<dyn Fn() + Send + Sync>>,
}

impl Outbox {
    fn emit(&self, event: SyncEvent) {
        let _ = self.events.send(event);
        if let Some(waker) = &self.waker {
            waker();
        }
    }

    fn update(&self, change: impl FnOnce(&mut Shared)) {
        let mut shared = self
            .shared
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        change(&mut shared);
    }

    fn set_status(&self, status: ConnectionStatus) {
        let mut changed = false;
        self.update(|shared| {
            changed = shared.status.as_ref() != Some(&status);
            shared.status = Some(status.clone());
            if status != ConnectionStatus::Connected {
                shared.roster.clear();
                shared.unacknowledged = 0;
                shared.server_has = None;
            }
        });
        if changed {
            self.emit(SyncEvent::StatusChanged(status));
        }
    }
}

/// How a session ended.
enum Ended {
    Dropped(String),
    Refused(String),
    Offline,
    Reconnect,
    Shutdown,
}

async fn run(
    link: ShareLink,
    doc: Arc<dyn LocalDoc>,
    options: ClientOptions,
    mut commands: mpsc::UnboundedReceiver<Command>,
    outbox: Outbox,
) {
    let mut presence = options.presence.clone();
    let mut attempt: u32 = 0;
    let mut online = true;
    loop {
        if !online {
            // Wait to be put back online; local changes pile up in the document meanwhile.
            loop {
                match commands.recv().await {
                    None | Some(Command::Shutdown) => return,
                    Some(Command::SetOnline(true)) | Some(Command::Reconnect) => break,
                    Some(Command::SetPresence(next)) => presence = next,
                    Some(_) => {}
                }
            }
            online = true;
            attempt = 0;
        }
        let ended = session(&link, &doc, &mut presence, &mut commands, &outbox).await;
        match ended {
            Ended::Shutdown => return,
            Ended::Offline => {
                online = false;
                outbox.set_status(ConnectionStatus::Offline {
                    reason: "taken offline".into(),
                });
            }
            Ended::Refused(reason) => {
                online = false;
                outbox.set_status(ConnectionStatus::Offline {
                    reason: reason.clone(),
                });
                outbox.emit(SyncEvent::Problem(reason));
            }
            Ended::Reconnect => attempt = 0,
            Ended::Dropped(reason) => {
                attempt = attempt.saturating_add(1);
                outbox.set_status(ConnectionStatus::Reconnecting { attempt, reason });
                let delay = backoff(attempt, options.max_backoff);
                let sleep = tokio::time::sleep(delay);
                tokio::pin!(sleep);
                // Keep answering commands while waiting.
                loop {
                    tokio::select! {
                        () = &mut sleep => break,
                        command = commands.recv() => match command {
                            None | Some(Command::Shutdown) => return,
                            Some(Command::SetOnline(false)) => {
                                online = false;
                                outbox.set_status(ConnectionStatus::Offline { reason: "taken offline".into() });
                                break;
                            }
                            Some(Command::Reconnect) | Some(Command::SetOnline(true)) => break,
                            Some(Command::SetPresence(next)) => presence = next,
                            Some(Command::LocalChanged) => {}
                        }
                    }
                }
            }
        }
    }
}

/// 250 ms, doubling, capped, with up to 25% random spread so that a desk of editors does not
/// reconnect in lockstep after a server restart.
fn backoff(attempt: u32, max: Duration) -> Duration {
    let base = Duration::from_millis(250).saturating_mul(1u32 << attempt.saturating_sub(1).min(10));
    let base = base.min(max);
    let spread = rand::random::<f64>() * 0.25;
    base.mul_f64(1.0 - spread)
}

/// How often the client pings, and how long the server may stay silent before the connection is
/// taken for dead (a cable pulled does not close a TCP connection by itself).
const PING_EVERY: Duration = Duration::from_secs(5);
const SILENCE_LIMIT: Duration = Duration::from_secs(15);

async fn session(
    link: &ShareLink,
    doc: &Arc<dyn LocalDoc>,
    presence: &mut Presence,
    commands: &mut mpsc::UnboundedReceiver<Command>,
    outbox: &Outbox,
) -> Ended {
    let opening = async {
        let mut conn = Conn::open(&link.server, &link.room).await?;
        let mut auth = wire::AUTH_JOIN_PREFIX.to_vec();
        auth.extend_from_slice(link.token.as_bytes());
        let joined = conn.join(auth, &doc.version()).await?;
        Ok::<_, NetError>((conn, joined))
    };
    tokio::pin!(opening);
    // Commands are still answered while connecting, so Shutdown and SetOnline(false) act at once.
    let (mut conn, joined) = loop {
        tokio::select! {
            result = &mut opening => match result {
                Ok(pair) => break pair,
                Err(error) if error.is_refusal() => return Ended::Refused(error.to_string()),
                Err(error) => return Ended::Dropped(error.to_string()),
            },
            command = commands.recv() => match command {
                None | Some(Command::Shutdown) => return Ended::Shutdown,
                Some(Command::SetOnline(false)) => return Ended::Offline,
                Some(Command::SetPresence(next)) => *presence = next,
                Some(_) => {}
            }
        }
    };
    let session_number = std::str::from_utf8(&joined.extra)
        .ok()
        .and_then(|text| text.parse::<u64>().ok());
    // What the server is known to hold: its version at join, then all we sent and all it sent us.
    let mut server_has = joined.version.clone();
    let mut pending: HashSet<[u8; 8]> = HashSet::new();
    outbox.update(|shared| {
        shared.session = session_number;
        shared.server_version = Some(joined.version.clone());
        shared.server_has = Some(joined.version.clone());
    });
    outbox.set_status(ConnectionStatus::Connected);
    outbox.emit(SyncEvent::Connected {
        server_version: joined.version,
    });

    let ended = async {
        conn.send_presence(presence).await?;
        push_local(&mut conn, doc, &mut server_has, &mut pending, outbox).await?;
        let mut ping = tokio::time::interval(PING_EVERY);
        ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_heard = tokio::time::Instant::now();
        loop {
            tokio::select! {
                incoming = conn.next() => {
                    last_heard = tokio::time::Instant::now();
                    match incoming? {
                        Incoming::Update(blobs) => {
                            for blob in &blobs {
                                if let Ok(meta) = LoroDoc::decode_import_blob_meta(blob, false) {
                                    server_has.merge(&meta.partial_end_vv);
                                }
                            }
                            let known = server_has.clone();
                            outbox.update(|shared| shared.server_has = Some(known));
                            outbox.emit(SyncEvent::RemoteUpdate(blobs));
                        }
                        Incoming::Roster(roster) => {
                            outbox.update(|shared| shared.roster = roster);
                            outbox.emit(SyncEvent::PresenceChanged);
                        }
                        Incoming::Ack(batch, status) => {
                            pending.remove(&batch.0);
                            let count = pending.len();
                            outbox.update(|shared| shared.unacknowledged = count);
                            if status != UpdateStatusCode::Ok {
                                outbox.emit(SyncEvent::Problem(format!(
                                    "The server did not keep one of this editor's updates ({status:?})."
                                )));
                            }
                        }
                        Incoming::Evicted(message) => return Ok(Ended::Refused(message)),
                        Incoming::Pong | Incoming::View(_) => {}
                    }
                }
                _ = ping.tick() => {
                    if last_heard.elapsed() > SILENCE_LIMIT {
                        return Err(NetError::Dropped("the server stopped answering".into()));
                    }
                    conn.ping().await?;
                }
                command = commands.recv() => match command {
                    None | Some(Command::Shutdown) => return Ok(Ended::Shutdown),
                    Some(Command::SetOnline(false)) => return Ok(Ended::Offline),
                    Some(Command::Reconnect) => return Ok(Ended::Reconnect),
                    Some(Command::SetOnline(true)) => {}
                    Some(Command::SetPresence(next)) => {
                        *presence = next;
                        conn.send_presence(presence).await?;
                    }
                    Some(Command::LocalChanged) => {
                        // Fold a burst of nudges into one export.
                        while let Ok(Command::LocalChanged) = commands.try_recv() {}
                        push_local(&mut conn, doc, &mut server_has, &mut pending, outbox).await?;
                    }
                }
            }
        }
    }
    .await;
    match ended {
        Ok(end) => {
            conn.close().await;
            end
        }
        Err(error) if error.is_refusal() => Ended::Refused(error.to_string()),
        Err(error) => Ended::Dropped(error.to_string()),
    }
}

/// Sends what the server lacks, if anything.
async fn push_local(
    conn: &mut Conn,
    doc: &Arc<dyn LocalDoc>,
    server_has: &mut VersionVector,
    pending: &mut HashSet<[u8; 8]>,
    outbox: &Outbox,
) -> Result<(), NetError> {
    // Read the version before exporting: an edit committed in between is sent twice at worst
    // (harmless), never missed.
    let now = doc.version();
    if server_has.includes_vv(&now) {
        return Ok(());
    }
    let blob = match doc.updates_since(server_has) {
        Ok(blob) => blob,
        Err(error) => {
            outbox.emit(SyncEvent::Problem(format!(
                "Local changes could not be prepared for sending: {error}."
            )));
            return Ok(());
        }
    };
    let batch: BatchId = conn.send_update(blob).await?;
    pending.insert(batch.0);
    server_has.merge(&now);
    let count = pending.len();
    let known = server_has.clone();
    // Both in one lock: a reader never sees the new version without its pending batch.
    outbox.update(|shared| {
        shared.unacknowledged = count;
        shared.server_has = Some(known);
    });
    Ok(())
}
