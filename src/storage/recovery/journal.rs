//! The journal file: an append-only run of frames, each one batch of records.
//!
//! A frame is a header line, `NDJ1 <length> <blake3 of payload> <unix millis> <records>`,
//! then the payload (RON) and a newline. A crash can tear only the last frame; reading
//! stops at the first frame whose length or hash does not match, so a torn tail is
//! ignored rather than misread.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

const MAGIC: &str = "NDJ1";

/// Longest header line we accept; real ones are under 120 bytes.
const MAX_HEADER: usize = 256;

/// One frame as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Frame<'a> {
    pub payload: &'a str,
    pub unix_millis: i64,
    pub records: usize,
}

/// Encodes a frame around `payload`.
pub(crate) fn encode(payload: &str, unix_millis: i64, records: usize) -> Vec<u8> {
    let hash = blake3::hash(payload.as_bytes());
    let header = format!(
        "{MAGIC} {} {} {unix_millis} {records}\n",
        payload.len(),
        hash.to_hex()
    );
    let mut frame = Vec::with_capacity(header.len() + payload.len() + 1);
    frame.extend_from_slice(header.as_bytes());
    frame.extend_from_slice(payload.as_bytes());
    frame.push(b'\n');
    frame
}

/// The frames of a journal, in order, up to the first damaged one; and the byte length
/// of the sound part (where the next frame should be written).
pub(crate) fn decode(bytes: &[u8]) -> (Vec<Frame<'_>>, usize) {
    let mut frames = Vec::new();
    let mut offset = 0;
    while offset < bytes.len() {
        match decode_one(&bytes[offset..]) {
            Some((frame, length)) => {
                frames.push(frame);
                offset += length;
            }
            None => break,
        }
    }
    (frames, offset)
}

fn decode_one(bytes: &[u8]) -> Option<(Frame<'_>, usize)> {
    let header_end = bytes.iter().take(MAX_HEADER).position(|&b| b == b'\n')?;
    let header = std::str::from_utf8(&bytes[..header_end]).ok()?;
    let mut fields = header.split(' ');
    if fields.next()? != MAGIC {
        return None;
    }
    let length: usize = fields.next()?.parse().ok()?;
    let hash = fields.next()?;
    let unix_millis: i64 = fields.next()?.parse().ok()?;
    let records: usize = fields.next()?.parse().ok()?;
    if fields.next().is_some() {
        return None;
    }
    let start = header_end + 1;
    let end = start.checked_add(length)?;
    if bytes.get(end) != Some(&b'\n') {
        return None;
    }
    let payload = &bytes[start..end];
    if blake3::hash(payload).to_hex().as_str() != hash {
        return None;
    }
    let payload = std::str::from_utf8(payload).ok()?;
    Some((
        Frame {
            payload,
            unix_millis,
            records,
        },
        end + 1,
    ))
}

/// The journal file open for appending, positioned after its last sound frame.
#[derive(Debug)]
pub(crate) struct JournalFile {
    file: File,
    length: u64,
}

impl JournalFile {
    /// Opens (or creates) the journal and cuts off a torn tail, so new frames follow
    /// sound ones.
    pub fn open(path: &Path) -> io::Result<Self> {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        let mut bytes = Vec::new();
        (&mut file)
            .take(super::MAX_JOURNAL_BYTES)
            .read_to_end(&mut bytes)?;
        let (_, sound) = decode(&bytes);
        let length = sound as u64;
        if length != file.metadata()?.len() {
            file.set_len(length)?;
            file.sync_data()?;
        }
        file.seek(SeekFrom::Start(length))?;
        Ok(Self { file, length })
    }

    /// Appends a frame and makes it durable. On failure the file is cut back to where it
    /// was, so a half-written frame never sits before later ones.
    pub fn append(&mut self, frame: &[u8]) -> io::Result<()> {
        let result = self
            .file
            .write_all(frame)
            .and_then(|()| self.file.sync_data());
        match result {
            Ok(()) => {
                self.length += frame.len() as u64;
                Ok(())
            }
            Err(error) => {
                let _ = self.file.set_len(self.length);
                let _ = self.file.seek(SeekFrom::Start(self.length));
                Err(error)
            }
        }
    }

    /// Empties the journal (a full snapshot follows).
    pub fn clear(&mut self) -> io::Result<()> {
        self.file.set_len(0)?;
        self.file.seek(SeekFrom::Start(0))?;
        self.file.sync_data()?;
        self.length = 0;
        Ok(())
    }

    pub fn len(&self) -> u64 {
        self.length
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_torn_or_altered_tail_is_ignored() {
        let mut journal = encode("[A]", 1, 1);
        journal.extend(encode("[B, C]", 2, 2));
        let whole = journal.len();
        journal.extend(encode("[D]", 3, 1));
        for cut in whole..journal.len() {
            let (frames, sound) = decode(&journal[..cut]);
            assert_eq!(frames.len(), 2, "cut at {cut}");
            assert_eq!(sound, whole);
            assert_eq!(frames[1].payload, "[B, C]");
        }
        let mut altered = journal.clone();
        let last = altered.len() - 3;
        altered[last] = b'X';
        assert_eq!(decode(&altered).0.len(), 2);
        assert_eq!(decode(&journal).0.len(), 3);
    }
}
