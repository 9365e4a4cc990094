//! One client connection to a sync server, async: open, join, send, and read whole events
//! (fragments reassembled, keepalive answered). Shared by the editor's background client and the
//! headless `share`/`pull` commands.

use super::link::ServerAddress;
use super::wire::{self, PeerPresence, Reassembler};
use futures_util::{SinkExt, StreamExt};
use loro::VersionVector;
use loro_protocol::{BatchId, CrdtType, JoinErrorCode, ProtocolMessage, UpdateStatusCode};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long opening a connection (TCP and WebSocket handshake) may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long the server may take to answer a join.
pub const JOIN_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a connection could not be used. The texts are shown to users as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetError {
    #[error("the sync server at {0} cannot be reached ({1})")]
    Unreachable(String, String),
    #[error("{0}")]
    UnknownRoom(String),
    #[error("{0}")]
    WrongToken(String),
    #[error("the server refused: {0}")]
    Refused(String),
    #[error("the connection to the sync server was lost ({0})")]
    Dropped(String),
    #[error("the sync server sent something unexpected ({0})")]
    Protocol(String),
    #[error("the server did not answer in time")]
    Timeout,
}

impl NetError {
    /// Whether trying again later may help (a refusal will not change by waiting).
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            NetError::UnknownRoom(_) | NetError::WrongToken(_) | NetError::Refused(_)
        )
    }
}

/// What a successful join tells the client.
#[derive(Debug, Clone)]
pub struct Joined {
    pub room: String,
    /// Everything the room holds, as a Loro version vector.
    pub version: VersionVector,
    /// Session number in the room, or the new room's token after a create.
    pub extra: Vec<u8>,
}

/// Something whole that arrived from the server.
#[derive(Debug)]
pub enum Incoming {
    /// Loro update blobs for the document, to import in order (usually one).
    Update(Vec<Vec<u8>>),
    /// Who is in the room now (the receiver included).
    Roster(Vec<PeerPresence>),
    /// The server's answer to an update this client sent.
    Ack(BatchId, UpdateStatusCode),
    /// The server closed the room to this client.
    Evicted(String),
    /// The server answered a keepalive.
    Pong,
    /// The room's blog view (`crate::sync::view`), sent after a join that asked for it.
    View(Vec<u8>),
}

enum Raw {
    Message(ProtocolMessage),
    Pong,
}

pub struct Conn {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    room: String,
    reassembler: Reassembler,
    /// Fragmented blobs announced as a blog view rather than a Loro update.
    view_batches: Vec<[u8; 8]>,
}

impl Conn {
    pub async fn open(server: &ServerAddress, room: &str) -> Result<Conn, NetError> {
        if server.tls {
            use_ring_for_tls();
        }
        let url = server.websocket_url(if room.is_empty() { "new" } else { room });
        let config = WebSocketConfig::default()
            .max_message_size(Some(wire::MAX_FRAME_BYTES))
            .max_frame_size(Some(wire::MAX_FRAME_BYTES));
        let connect =
            tokio_tungstenite::connect_async_with_config(url.as_str(), Some(config), true);
        let shown = format!("{}:{}", server.host, server.port);
        match tokio::time::timeout(CONNECT_TIMEOUT, connect).await {
            Ok(Ok((ws, _))) => Ok(Conn {
                ws,
                room: room.to_string(),
                reassembler: Reassembler::default(),
                view_batches: Vec::new(),
            }),
            Ok(Err(error)) => Err(NetError::Unreachable(shown, plain_ws_error(&error))),
            Err(_) => Err(NetError::Unreachable(shown, "no answer in time".into())),
        }
    }

    pub async fn send(&mut self, bytes: Vec<u8>) -> Result<(), NetError> {
        self.ws
            .send(Message::Binary(bytes.into()))
            .await
            .map_err(|error| NetError::Dropped(plain_ws_error(&error)))
    }

    pub async fn ping(&mut self) -> Result<(), NetError> {
        self.ws
            .send(Message::text("ping"))
            .await
            .map_err(|error| NetError::Dropped(plain_ws_error(&error)))
    }

    pub async fn close(mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(1), self.ws.close(None)).await;
    }

    /// Sends one update blob (fragmented when large); returns the batch id its `Ack` will carry.
    pub async fn send_update(&mut self, blob: Vec<u8>) -> Result<BatchId, NetError> {
        let (batch, messages) = wire::encode_update(CrdtType::Loro, &self.room, blob);
        for message in messages {
            self.send(message).await?;
        }
        Ok(batch)
    }

    pub async fn send_presence(&mut self, presence: &wire::Presence) -> Result<(), NetError> {
        let Ok(json) = serde_json::to_vec(presence) else {
            return Ok(());
        };
        let message = ProtocolMessage::DocUpdate {
            crdt: CrdtType::LoroEphemeralStore,
            room_id: self.room.clone(),
            updates: vec![json],
            batch_id: wire::new_batch_id(),
        };
        match loro_protocol::encode(&message) {
            Ok(bytes) => self.send(bytes).await,
            Err(_) => Ok(()), // Only a huge name fails to encode; presence is best effort.
        }
    }

    /// Joins the room given at `open` (or, with `auth == create`, makes a new one) and waits for
    /// the answer.
    pub async fn join(
        &mut self,
        auth: Vec<u8>,
        version: &VersionVector,
    ) -> Result<Joined, NetError> {
        let request = ProtocolMessage::JoinRequest {
            crdt: CrdtType::Loro,
            room_id: self.room.clone(),
            auth,
            version: version.encode(),
        };
        let bytes = loro_protocol::encode(&request).map_err(NetError::Protocol)?;
        self.send(bytes).await?;
        let answer = async {
            loop {
                let Raw::Message(message) = self.next_message().await? else {
                    continue;
                };
                match message {
                    ProtocolMessage::JoinResponseOk {
                        room_id,
                        version,
                        extra,
                        ..
                    } => {
                        let version = VersionVector::decode(&version).map_err(|_| {
                            NetError::Protocol("the room's version does not decode".into())
                        })?;
                        self.room = room_id.clone();
                        return Ok(Joined {
                            room: room_id,
                            version,
                            extra: extra.unwrap_or_default(),
                        });
                    }
                    ProtocolMessage::JoinError {
                        code,
                        message,
                        app_code,
                        ..
                    } => {
                        return Err(match code {
                            JoinErrorCode::AuthFailed => NetError::WrongToken(message),
                            JoinErrorCode::AppError
                                if app_code.as_deref() == Some(wire::APP_UNKNOWN_ROOM) =>
                            {
                                NetError::UnknownRoom(message)
                            }
                            _ => NetError::Refused(message),
                        });
                    }
                    _ => {} // Nothing else is expected before the answer; ignore it.
                }
            }
        };
        match tokio::time::timeout(JOIN_TIMEOUT, answer).await {
            Ok(result) => result,
            Err(_) => Err(NetError::Timeout),
        }
    }

    /// Reads until a message decodes. Cancel-safe: the only await is the socket read.
    async fn next_message(&mut self) -> Result<Raw, NetError> {
        loop {
            match self.ws.next().await {
                None => return Err(NetError::Dropped("the server closed the connection".into())),
                Some(Err(error)) => return Err(NetError::Dropped(plain_ws_error(&error))),
                Some(Ok(Message::Binary(bytes))) => {
                    return wire::decode(&bytes)
                        .map(Raw::Message)
                        .map_err(NetError::Protocol);
                }
                Some(Ok(Message::Text(text))) if text.as_str() == "pong" => return Ok(Raw::Pong),
                Some(Ok(Message::Close(_))) => {
                    return Err(NetError::Dropped("the server closed the connection".into()));
                }
                Some(Ok(_)) => {}
            }
        }
    }

    /// The next whole event from the server. Cancel-safe (partial fragments stay in `self`).
    pub async fn next(&mut self) -> Result<Incoming, NetError> {
        loop {
            let message = match self.next_message().await? {
                Raw::Pong => return Ok(Incoming::Pong),
                Raw::Message(message) => message,
            };
            match message {
                ProtocolMessage::DocUpdate {
                    crdt: CrdtType::Loro,
                    updates,
                    ..
                } if !updates.is_empty() => return Ok(Incoming::Update(updates)),
                ProtocolMessage::DocUpdate {
                    crdt: CrdtType::LoroEphemeralStore,
                    updates,
                    ..
                } => {
                    if let Some(json) = updates.first()
                        && let Ok(roster) = serde_json::from_slice::<Vec<PeerPresence>>(json)
                    {
                        return Ok(Incoming::Roster(roster));
                    }
                }
                ProtocolMessage::DocUpdate {
                    crdt: wire::VIEW_CRDT,
                    mut updates,
                    ..
                } if updates.len() == 1 => return Ok(Incoming::View(updates.remove(0))),
                ProtocolMessage::DocUpdateFragmentHeader {
                    crdt,
                    batch_id,
                    fragment_count,
                    total_size_bytes,
                    ..
                } => {
                    self.reassembler
                        .start(batch_id, fragment_count, total_size_bytes)
                        .map_err(NetError::Protocol)?;
                    if crdt == wire::VIEW_CRDT && !self.view_batches.contains(&batch_id.0) {
                        self.view_batches.push(batch_id.0);
                    }
                }
                ProtocolMessage::DocUpdateFragment {
                    batch_id,
                    index,
                    fragment,
                    ..
                } => {
                    if let Some(blob) = self
                        .reassembler
                        .add(batch_id, index, fragment)
                        .map_err(NetError::Protocol)?
                    {
                        if let Some(at) = self.view_batches.iter().position(|b| *b == batch_id.0) {
                            self.view_batches.swap_remove(at);
                            return Ok(Incoming::View(blob));
                        }
                        return Ok(Incoming::Update(vec![blob]));
                    }
                }
                ProtocolMessage::Ack { ref_id, status, .. } => {
                    return Ok(Incoming::Ack(ref_id, status));
                }
                ProtocolMessage::RoomError { message, .. } => {
                    return Ok(Incoming::Evicted(message));
                }
                _ => {}
            }
        }
    }
}

fn plain_ws_error(error: &tokio_tungstenite::tungstenite::Error) -> String {
    use tokio_tungstenite::tungstenite::Error;
    match error {
        // rustls reports an untrusted certificate as an I/O error; say what it means.
        Error::Io(io) if io.to_string().contains("invalid peer certificate") => format!(
            "the server's TLS certificate is not trusted on this machine ({io}); install its \
             certificate authority, or point SSL_CERT_FILE at it"
        ),
        Error::Io(io) => io.to_string(),
        Error::ConnectionClosed | Error::AlreadyClosed => "the connection was closed".into(),
        Error::Http(response) => format!("the server answered HTTP {}", response.status()),
        other => other.to_string(),
    }
}

/// rustls cannot choose a crypto provider by itself when two are linked in (the object store's
/// HTTP client brings aws-lc-rs, this one ring): pick one for the process, once.
fn use_ring_for_tls() {
    static CHOSEN: std::sync::Once = std::sync::Once::new();
    CHOSEN.call_once(|| {
        // Err means another part of the program chose first, which serves as well.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}
