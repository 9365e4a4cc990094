//! The server's rooms on disk, one folder per room under the data folder:
//!
//! - `token.sha256`: the SHA-256 of the room's token, in hex. The token itself is never stored, so
//!   a copy of the data folder does not open the rooms. Tokens are 160 random bits, so a plain hash
//!   (no slow key derivation) is enough.
//! - `snapshot.loro`: a Loro snapshot, replaced atomically (temporary file, fsync, rename, folder fsync).
//! - `updates.log`: updates accepted since that snapshot, appended and fsynced before the client is
//!   told they are safe. Each record is `u32 length (LE) | first 16 bytes of BLAKE3 | update`, so a
//!   record torn by a kill is recognised and cut off on the next load instead of poisoning the room.
//!
//! When the log passes [`COMPACT_AFTER_BYTES`] it is folded into a new snapshot and emptied. A crash
//! between the two leaves updates that are also in the snapshot: importing them again changes nothing.

use crate::sync::records::{intact_records, record};
use loro::{ExportMode, LoroDoc};
use rand::TryRngCore;
use sha2::{Digest, Sha256};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

const TOKEN_FILE: &str = "token.sha256";
const SNAPSHOT_FILE: &str = "snapshot.loro";
const LOG_FILE: &str = "updates.log";
/// Size of the update log beyond which it is folded into the snapshot.
pub const COMPACT_AFTER_BYTES: u64 = 8 * 1024 * 1024;

/// One room: its document, in memory, and the files that keep it.
pub struct RoomStore {
    pub id: String,
    pub doc: LoroDoc,
    folder: PathBuf,
    token_hash: [u8; 32],
    log: File,
    log_bytes: u64,
}

/// A room that could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("there is no room {0} on this server")]
    Unknown(String),
    #[error("room {room} cannot be read: {reason}")]
    Damaged { room: String, reason: String },
    #[error("room {room}: {source}")]
    Io {
        room: String,
        #[source]
        source: io::Error,
    },
}

/// Fills `bytes` from the operating system's random source.
pub fn os_random(bytes: &mut [u8]) -> io::Result<()> {
    rand::rngs::OsRng
        .try_fill_bytes(bytes)
        .map_err(|error| io::Error::other(format!("the system's random source failed: {error}")))
}

/// A new room id (96 random bits, hex) and token (160 random bits, base64url).
pub fn new_room_secrets() -> io::Result<(String, String)> {
    use base64::Engine;
    let mut id = [0u8; 12];
    let mut token = [0u8; 20];
    os_random(&mut id)?;
    os_random(&mut token)?;
    let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(token);
    Ok((id, token))
}

fn hash_token(token: &[u8]) -> [u8; 32] {
    Sha256::digest(token).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex32(text: &str) -> Option<[u8; 32]> {
    let text = text.trim();
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = u8::from_str_radix(text.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some(out)
}

fn sync_folder(folder: &Path) -> io::Result<()> {
    File::open(folder)?.sync_all()
}

fn write_file_durably(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temporary = path.with_extension("tmp");
    {
        let mut file = File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    fs::rename(&temporary, path)?;
    if let Some(folder) = path.parent() {
        sync_folder(folder)?;
    }
    Ok(())
}

impl RoomStore {
    /// Makes a new, empty room with a fresh id and token under `data`; returns it and the token.
    pub fn create(data: &Path) -> io::Result<(RoomStore, String)> {
        let (id, token) = new_room_secrets()?;
        let folder = data.join(&id);
        // Built under a temporary name and renamed, so a crash never leaves a room without its token.
        let building = data.join(format!(".{id}.new"));
        fs::create_dir_all(&building)?;
        let hash = hash_token(token.as_bytes());
        write_file_durably(&building.join(TOKEN_FILE), hex(&hash).as_bytes())?;
        File::create(building.join(LOG_FILE))?.sync_all()?;
        sync_folder(&building)?;
        fs::rename(&building, &folder)?;
        sync_folder(data)?;
        let log = OpenOptions::new()
            .append(true)
            .open(folder.join(LOG_FILE))?;
        let store = RoomStore {
            id,
            doc: LoroDoc::new(),
            folder,
            token_hash: hash,
            log,
            log_bytes: 0,
        };
        Ok((store, token))
    }

    /// Opens an existing room: its snapshot, then every intact record of its log. A torn last
    /// record (the server was killed mid-write, before it acknowledged) is cut off.
    pub fn open(data: &Path, id: &str) -> Result<RoomStore, StoreError> {
        let folder = data.join(id);
        let io_error = |source| StoreError::Io {
            room: id.to_string(),
            source,
        };
        let damaged = |reason: String| StoreError::Damaged {
            room: id.to_string(),
            reason,
        };
        let token_text = match fs::read_to_string(folder.join(TOKEN_FILE)) {
            Ok(text) => text,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Err(StoreError::Unknown(id.to_string()));
            }
            Err(error) => return Err(io_error(error)),
        };
        let token_hash = unhex32(&token_text)
            .ok_or_else(|| damaged("its token file is not a SHA-256 hash".into()))?;
        let doc = LoroDoc::new();
        match fs::read(folder.join(SNAPSHOT_FILE)) {
            Ok(bytes) => {
                doc.import(&bytes)
                    .map_err(|error| damaged(format!("its snapshot does not load ({error})")))?;
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => return Err(io_error(error)),
        }
        let log_path = folder.join(LOG_FILE);
        let mut bytes = Vec::new();
        match File::open(&log_path) {
            Ok(mut file) => {
                file.read_to_end(&mut bytes).map_err(io_error)?;
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => return Err(io_error(error)),
        }
        let (records, good) = intact_records(&bytes);
        for update in records {
            doc.import(update).map_err(|error| {
                damaged(format!("an update in its log does not load ({error})"))
            })?;
        }
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .map_err(io_error)?;
        if good < bytes.len() {
            eprintln!(
                "Room {id}: cut {} bytes of an unfinished write off the end of its update log.",
                bytes.len() - good
            );
            log.set_len(good as u64).map_err(io_error)?;
            log.sync_all().map_err(io_error)?;
        }
        Ok(RoomStore {
            id: id.to_string(),
            doc,
            folder,
            token_hash,
            log,
            log_bytes: good as u64,
        })
    }

    /// Whether `token` opens this room (compared in constant time).
    pub fn token_matches(&self, token: &[u8]) -> bool {
        let given = hash_token(token);
        given
            .iter()
            .zip(self.token_hash.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }

    /// Appends an update that the document has already imported, and waits until it is on disk.
    pub fn persist(&mut self, update: &[u8]) -> io::Result<()> {
        let record = record(update, "an update")?;
        self.log.write_all(&record)?;
        self.log.sync_data()?;
        self.log_bytes += record.len() as u64;
        if self.log_bytes > COMPACT_AFTER_BYTES {
            self.compact()?;
        }
        Ok(())
    }

    /// Folds the log into a new snapshot, then empties the log.
    pub fn compact(&mut self) -> io::Result<()> {
        let snapshot = self.doc.export(ExportMode::Snapshot).map_err(|error| {
            io::Error::other(format!("the snapshot could not be made: {error}"))
        })?;
        write_file_durably(&self.folder.join(SNAPSHOT_FILE), &snapshot)?;
        self.log.set_len(0)?;
        self.log.sync_all()?;
        self.log_bytes = 0;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(doc: &LoroDoc, text: &str) -> Vec<u8> {
        let before = doc.oplog_vv();
        let t = doc.get_text("t");
        t.insert(t.len_unicode(), text).unwrap();
        doc.commit();
        doc.export(ExportMode::updates(&before)).unwrap()
    }

    #[test]
    fn a_room_survives_reopening_and_a_torn_tail() {
        let data = tempfile::tempdir().unwrap();
        let (mut room, token) = RoomStore::create(data.path()).unwrap();
        assert!(token.len() >= 27);
        let writer = LoroDoc::new();
        for word in ["one ", "two ", "three"] {
            let update = edit(&writer, word);
            room.doc.import(&update).unwrap();
            room.persist(&update).unwrap();
        }
        let id = room.id.clone();
        drop(room);
        // A kill in the middle of a write leaves half a record.
        let log = data.path().join(&id).join(LOG_FILE);
        let mut file = OpenOptions::new().append(true).open(&log).unwrap();
        file.write_all(&[200, 0, 0, 0, 1, 2, 3]).unwrap();
        drop(file);

        let room = RoomStore::open(data.path(), &id).unwrap();
        assert_eq!(room.doc.get_text("t").to_string(), "one two three");
        assert!(room.token_matches(token.as_bytes()));
        assert!(!room.token_matches(b"not the token at all"));
        let (_, good) = intact_records(&fs::read(&log).unwrap());
        assert_eq!(good as u64, fs::metadata(&log).unwrap().len());
    }

    #[test]
    fn compaction_keeps_everything() {
        let data = tempfile::tempdir().unwrap();
        let (mut room, _) = RoomStore::create(data.path()).unwrap();
        let writer = LoroDoc::new();
        let update = edit(&writer, "before ");
        room.doc.import(&update).unwrap();
        room.persist(&update).unwrap();
        room.compact().unwrap();
        let update = edit(&writer, "after");
        room.doc.import(&update).unwrap();
        room.persist(&update).unwrap();
        let id = room.id.clone();
        drop(room);
        let room = RoomStore::open(data.path(), &id).unwrap();
        assert_eq!(room.doc.get_text("t").to_string(), "before after");
    }

    #[test]
    fn unknown_rooms_and_damaged_tokens_are_told_apart() {
        let data = tempfile::tempdir().unwrap();
        assert!(matches!(
            RoomStore::open(data.path(), "nothere"),
            Err(StoreError::Unknown(_))
        ));
        let (room, _) = RoomStore::create(data.path()).unwrap();
        fs::write(data.path().join(&room.id).join(TOKEN_FILE), "garbage").unwrap();
        assert!(matches!(
            RoomStore::open(data.path(), &room.id),
            Err(StoreError::Damaged { .. })
        ));
    }
}
