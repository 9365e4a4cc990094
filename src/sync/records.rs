//! The record framing shared by the server's room logs and the shared state kept beside a
//! file: a little-endian `u32` length, the first 16 bytes of the body's BLAKE3 hash, then
//! the body. A reader keeps the intact records in front and stops at the first one that is
//! cut off or fails its checksum (a write torn by a crash).

/// Bytes in front of each record's body: its length and its checksum.
pub const RECORD_HEADER: usize = 4 + 16;

/// One record holding `body`; `what` names the body in the error for one over 4 GiB.
pub fn record(body: &[u8], what: &str) -> std::io::Result<Vec<u8>> {
    let length = u32::try_from(body.len()).map_err(|_| {
        std::io::Error::other(format!("{what} is larger than 4 GiB and cannot be stored"))
    })?;
    let mut out = Vec::with_capacity(RECORD_HEADER + body.len());
    out.extend_from_slice(&length.to_le_bytes());
    out.extend_from_slice(&checksum(body));
    out.extend_from_slice(body);
    Ok(out)
}

fn checksum(body: &[u8]) -> [u8; 16] {
    let mut out = [0u8; 16];
    out.copy_from_slice(&blake3::hash(body).as_bytes()[..16]);
    out
}

/// The intact records at the start of `bytes`, in order, and how many bytes they take.
pub fn intact_records(bytes: &[u8]) -> (Vec<&[u8]>, usize) {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(header) = bytes.get(at..at + RECORD_HEADER) {
        let mut length = [0u8; 4];
        length.copy_from_slice(&header[..4]);
        let length = u32::from_le_bytes(length) as usize;
        let Some(body) = bytes.get(at + RECORD_HEADER..at + RECORD_HEADER + length) else {
            break;
        };
        if checksum(body) != header[4..] {
            break;
        }
        found.push(body);
        at += RECORD_HEADER + length;
    }
    (found, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_back_up_to_a_torn_or_corrupt_one() {
        let mut bytes = record(b"first", "a test").unwrap();
        bytes.extend(record(b"", "a test").unwrap());
        bytes.extend(record(b"third", "a test").unwrap());
        let whole = bytes.len();
        assert_eq!(
            intact_records(&bytes),
            (vec![&b"first"[..], &b""[..], &b"third"[..]], whole)
        );
        let two = whole - RECORD_HEADER - 5;
        assert_eq!(intact_records(&bytes[..whole - 1]).1, two, "cut off");
        let mut flipped = bytes.clone();
        flipped[whole - 1] ^= 1;
        assert_eq!(intact_records(&flipped).1, two, "checksum");
    }
}
