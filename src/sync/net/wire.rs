//! What travels on the WebSocket: the Loro Syncing Protocol's binary messages (`loro-protocol`),
//! plus the few conventions Newsdesk adds on top. Every message is one binary WebSocket frame.
//!
//! - `JoinRequest` (`%LOR`, room, auth, version): `auth` is `join:TOKEN` to enter a room, or `create`
//!   (with an empty room) to make a new one; `version` is the client's Loro version vector
//!   (`VersionVector::encode`), so the server answers with only what the client lacks.
//! - `JoinResponseOk`: `version` is the room's version vector, so the client sends only what the
//!   server lacks; `extra` is the client's session number in the room (decimal text), or, after
//!   `create`, the new room's token. Then the server sends the client's missing updates as `DocUpdate`.
//! - `JoinError`: `AuthFailed` for a wrong token, `AppError` with app code `unknown_room` for a room
//!   the server does not have; the message is a sentence for the user.
//! - `DocUpdate` (`%LOR`): Loro update blobs (`LoroDoc::export`). The server imports each, writes it
//!   to disk (fsync) and only then answers `Ack` with the batch id, and relays it to the room's others.
//! - `DocUpdateFragmentHeader` / `DocUpdateFragment`: one blob larger than a message (256 KiB) in pieces.
//! - `DocUpdate` (`%EPH`): presence. From a client: one JSON [`Presence`]. From the server: the room's
//!   roster, a JSON list of [`PeerPresence`] (everyone connected, the receiver included).
//! - `JoinRequest` with `auth` `join+view:TOKEN` and an empty version: a join that asks for the
//!   room's blog view (`crate::sync::view`). When the server has it, a `DocUpdate` (or fragments)
//!   of kind `%EPS` carrying the view comes after `JoinResponseOk` and before the updates. A server
//!   that predates it refuses the token; the client then joins plainly.
//! - Text frames `ping` / `pong`: keepalive.

use loro_protocol::{
    BatchId, BytesReader, CrdtType, MAX_MESSAGE_SIZE, MessageType, ProtocolMessage,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Fragments are cut a little under the protocol's message limit to leave room for the header.
pub const FRAGMENT_SIZE: usize = MAX_MESSAGE_SIZE - 4096;
/// The largest single update or catch-up blob accepted in fragments (a 100k-entry blog is ~13 MB).
pub const MAX_BLOB_BYTES: u64 = 256 * 1024 * 1024;
/// WebSocket frames larger than this are refused by tungstenite before they are read into memory.
pub const MAX_FRAME_BYTES: usize = MAX_MESSAGE_SIZE + 64 * 1024;
/// A presence message larger than this is refused: it is a name, a colour and an entry id.
pub const MAX_PRESENCE_BYTES: usize = 2048;

/// Auth value of a join that creates a new room.
pub const AUTH_CREATE: &[u8] = b"create";
/// Prefix of the auth value of a join into an existing room; the token follows.
pub const AUTH_JOIN_PREFIX: &[u8] = b"join:";
/// Prefix of the auth value of a join that asks for the room's blog view; the token follows.
pub const AUTH_JOIN_VIEW_PREFIX: &[u8] = b"join+view:";
/// The message kind that carries a blog view.
pub const VIEW_CRDT: CrdtType = CrdtType::LoroEphemeralStorePersisted;
/// App code of the join error for a room the server does not have.
pub const APP_UNKNOWN_ROOM: &str = "unknown_room";

/// What an editor tells the others about itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presence {
    pub name: String,
    /// sRGB colour of the editor's marks in the others' timelines.
    pub colour: [u8; 3],
    /// The entry the editor has selected, if any.
    pub entry: Option<String>,
    /// Whether the editor is typing in that entry right now.
    #[serde(default)]
    pub typing: bool,
}

/// One editor in a room, as the server reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerPresence {
    /// The connection's number within the server's run; unique among those in the room.
    pub session: u64,
    /// `None` until that editor has said who it is.
    pub presence: Option<Presence>,
}

/// A fresh random batch id for a `DocUpdate`, to match its `Ack`.
pub fn new_batch_id() -> BatchId {
    BatchId(rand::random())
}

/// Decodes one binary message, refusing what `loro_protocol::decode` would mishandle: it reserves
/// memory for the number of updates a message *claims* to carry, so a hostile count would abort
/// the process on allocation. Every claimed update takes at least one byte, so a count larger than
/// the message is a lie.
pub fn decode(bytes: &[u8]) -> Result<ProtocolMessage, String> {
    if bytes.len() > MAX_FRAME_BYTES {
        return Err(format!(
            "a message of {} bytes is larger than allowed",
            bytes.len()
        ));
    }
    let mut reader = BytesReader::new(bytes);
    reader
        .read_bytes(4)
        .map_err(|_| "the message is too short".to_string())?;
    reader
        .read_var_bytes()
        .map_err(|_| "the message's room name is cut off".to_string())?;
    let kind = reader
        .read_byte()
        .map_err(|_| "the message has no type".to_string())?;
    if MessageType::from_u8(kind) == Some(MessageType::DocUpdate) {
        let count = reader
            .read_uleb128()
            .map_err(|_| "the update count is unreadable".to_string())?;
        if count > reader.remaining() as u64 {
            return Err(format!("the message claims {count} updates in fewer bytes"));
        }
    }
    loro_protocol::decode(bytes).map_err(|reason| format!("the message is malformed ({reason})"))
}

/// Encodes messages for one update blob: a single `DocUpdate` if it fits, else a fragment header
/// and fragments. Returns the batch id the server's `Ack` will name.
pub fn encode_update(crdt: CrdtType, room: &str, blob: Vec<u8>) -> (BatchId, Vec<Vec<u8>>) {
    let batch_id = new_batch_id();
    if blob.len() <= FRAGMENT_SIZE {
        let message = ProtocolMessage::DocUpdate {
            crdt,
            room_id: room.to_string(),
            updates: vec![blob],
            batch_id,
        };
        // Only an over-long room name fails to encode, and callers use validated room names;
        // such a message is dropped rather than sent malformed.
        let bytes = loro_protocol::encode(&message).ok();
        return (batch_id, bytes.into_iter().collect());
    }
    let pieces: Vec<&[u8]> = blob.chunks(FRAGMENT_SIZE).collect();
    let mut out = Vec::with_capacity(pieces.len() + 1);
    let header = ProtocolMessage::DocUpdateFragmentHeader {
        crdt,
        room_id: room.to_string(),
        batch_id,
        fragment_count: pieces.len() as u64,
        total_size_bytes: blob.len() as u64,
    };
    if let Ok(bytes) = loro_protocol::encode(&header) {
        out.push(bytes);
    }
    for (index, piece) in pieces.into_iter().enumerate() {
        let fragment = ProtocolMessage::DocUpdateFragment {
            crdt,
            room_id: room.to_string(),
            batch_id,
            index: index as u64,
            fragment: piece.to_vec(),
        };
        if let Ok(bytes) = loro_protocol::encode(&fragment) {
            out.push(bytes);
        }
    }
    (batch_id, out)
}

/// Puts fragmented blobs back together, within limits a hostile peer cannot stretch.
#[derive(Default)]
pub struct Reassembler {
    batches: HashMap<[u8; 8], Partial>,
}

struct Partial {
    total: u64,
    received: u64,
    pieces: Vec<Option<Vec<u8>>>,
}

/// How many fragmented blobs one connection may have open at once.
const MAX_OPEN_BATCHES: usize = 4;

impl Reassembler {
    pub fn start(&mut self, batch: BatchId, count: u64, total: u64) -> Result<(), String> {
        if total > MAX_BLOB_BYTES {
            return Err(format!(
                "a fragmented update of {total} bytes is larger than allowed"
            ));
        }
        // Every fragment but the last is full, and every fragment carries at least one byte.
        let fits = count > 0
            && count.saturating_mul(FRAGMENT_SIZE as u64) >= total
            && count <= total.max(1);
        if !fits {
            return Err(format!(
                "a fragment header announces {count} fragments for {total} bytes"
            ));
        }
        if self.batches.len() >= MAX_OPEN_BATCHES {
            return Err("too many fragmented updates are open at once".into());
        }
        self.batches.insert(
            batch.0,
            Partial {
                total,
                received: 0,
                pieces: vec![None; count as usize],
            },
        );
        Ok(())
    }

    /// Adds one fragment; returns the whole blob when it was the last one.
    pub fn add(
        &mut self,
        batch: BatchId,
        index: u64,
        piece: Vec<u8>,
    ) -> Result<Option<Vec<u8>>, String> {
        let Some(partial) = self.batches.get_mut(&batch.0) else {
            return Err("a fragment arrived for an update that was never announced".into());
        };
        let slot = usize::try_from(index)
            .ok()
            .and_then(|i| partial.pieces.get_mut(i))
            .ok_or_else(|| format!("fragment {index} is beyond the announced count"))?;
        if slot.is_some() {
            return Err(format!("fragment {index} arrived twice"));
        }
        partial.received += piece.len() as u64;
        if partial.received > partial.total {
            self.batches.remove(&batch.0);
            return Err("the fragments add up to more than announced".into());
        }
        *slot = Some(piece);
        let complete = partial.pieces.iter().all(Option::is_some);
        if let Some(partial) = complete.then(|| self.batches.remove(&batch.0)).flatten() {
            if partial.received != partial.total {
                return Err("the fragments add up to less than announced".into());
            }
            let mut blob = Vec::with_capacity(partial.total as usize);
            for piece in partial.pieces.into_iter().flatten() {
                blob.extend_from_slice(&piece);
            }
            return Ok(Some(blob));
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lying_update_count_is_refused_before_allocation() {
        let mut bytes = b"%LOR".to_vec();
        bytes.push(1);
        bytes.push(b'r');
        bytes.push(MessageType::DocUpdate as u8);
        // uleb128 of 2^62
        bytes.extend_from_slice(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]);
        bytes.extend_from_slice(&[0; 8]);
        assert!(decode(&bytes).unwrap_err().contains("claims"));
    }

    #[test]
    fn small_and_large_blobs_round_trip() {
        let small = vec![7u8; 100];
        let (_, messages) = encode_update(CrdtType::Loro, "r", small.clone());
        assert_eq!(messages.len(), 1);
        match decode(&messages[0]).unwrap() {
            ProtocolMessage::DocUpdate { updates, .. } => assert_eq!(updates, vec![small]),
            other => panic!("unexpected {other:?}"),
        }

        let large: Vec<u8> = (0..FRAGMENT_SIZE * 2 + 10).map(|i| i as u8).collect();
        let (batch, messages) = encode_update(CrdtType::Loro, "r", large.clone());
        assert_eq!(messages.len(), 4);
        let mut reassembler = Reassembler::default();
        let mut whole = None;
        for message in &messages {
            match decode(message).unwrap() {
                ProtocolMessage::DocUpdateFragmentHeader {
                    batch_id,
                    fragment_count,
                    total_size_bytes,
                    ..
                } => {
                    assert_eq!(batch_id, batch);
                    reassembler
                        .start(batch_id, fragment_count, total_size_bytes)
                        .unwrap();
                }
                ProtocolMessage::DocUpdateFragment {
                    batch_id,
                    index,
                    fragment,
                    ..
                } => whole = reassembler.add(batch_id, index, fragment).unwrap(),
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(whole, Some(large));
    }

    #[test]
    fn hostile_fragments_are_refused() {
        let mut r = Reassembler::default();
        let id = BatchId([1; 8]);
        assert!(r.start(id, 1, MAX_BLOB_BYTES + 1).is_err());
        assert!(r.start(id, u64::MAX, 10).is_err());
        assert!(r.start(id, 0, 10).is_err());
        r.start(id, 2, 10).unwrap();
        assert!(r.add(id, 5, vec![1]).is_err());
        assert!(r.add(id, 0, vec![0; 11]).is_err());
        assert!(r.add(BatchId([2; 8]), 0, vec![1]).is_err());
    }
}
