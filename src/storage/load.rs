//! Loading a document: size limit, UTF-8, the format version, the layout, the model's
//! invariants; every failure a sentence naming the file and place.

use super::format::{Parsed, from_ron_str};
use super::{CURRENT_FORMAT_VERSION, LoadError, TextPosition};
use crate::model::LiveBlog;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Larger than any real live blog (100,000 posts is about 100 MB), small enough that a
/// hostile file cannot exhaust memory.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// A hash of the bytes last loaded or saved, to notice changes made by someone else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ContentHash(pub [u8; 32]);

impl ContentHash {
    pub fn of(bytes: &[u8]) -> Self {
        ContentHash(*blake3::hash(bytes).as_bytes())
    }
}

/// Whether the loaded document may be saved over its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    ReadWrite,
    /// Written by a newer Newsdesk: saving over it could drop fields, so only Save As.
    ReadOnlyNewer {
        version: u64,
    },
}

#[derive(Debug)]
pub struct Loaded {
    pub blog: LiveBlog,
    pub access: Access,
    /// The version the file was written in; older ones have been migrated.
    pub format_version: u64,
    pub content_hash: ContentHash,
}

/// Reads a document from a file. Never panics, whatever the file holds.
pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    let bytes = read_bounded(path)?;
    load_bytes(path, &bytes)
}

fn read_bounded(path: &Path) -> Result<Vec<u8>, LoadError> {
    let owned = || path.to_path_buf();
    let io_error = |source: io::Error| match source.kind() {
        io::ErrorKind::NotFound => LoadError::NotFound { path: owned() },
        io::ErrorKind::IsADirectory => LoadError::IsAFolder { path: owned() },
        _ => LoadError::Io {
            path: owned(),
            source,
        },
    };
    let metadata = std::fs::metadata(path).map_err(io_error)?;
    if metadata.is_dir() {
        return Err(LoadError::IsAFolder { path: owned() });
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: owned(),
            size: metadata.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    let file = std::fs::File::open(path).map_err(io_error)?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    // The take() guards against a file that grows while it is read.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: owned(),
            size: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    Ok(bytes)
}

/// Parses a document from bytes already read from `path` (used for messages).
pub fn load_bytes(path: &Path, bytes: &[u8]) -> Result<Loaded, LoadError> {
    let path: PathBuf = path.to_path_buf();
    let content_hash = ContentHash::of(bytes);
    // Editors on Windows add a byte-order mark; it is not part of the document.
    let text_bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(text_bytes).map_err(|error| LoadError::NotUtf8 {
        position: position_of_byte(text_bytes, error.valid_up_to()),
        path: path.clone(),
    })?;
    if text.trim().is_empty() {
        return Err(LoadError::Empty { path });
    }
    match from_ron_str(text) {
        Ok(Parsed::Current(blog)) => Ok(Loaded {
            blog,
            access: Access::ReadWrite,
            format_version: u64::from(CURRENT_FORMAT_VERSION),
            content_hash,
        }),
        Ok(Parsed::Newer { blog, version }) => Ok(Loaded {
            blog,
            access: Access::ReadOnlyNewer { version },
            format_version: version,
            content_hash,
        }),
        Ok(Parsed::Unsupported { version }) => Err(LoadError::UnsupportedVersion {
            path,
            version,
            current: CURRENT_FORMAT_VERSION,
        }),
        Err(failure) => Err(LoadError::Syntax {
            path,
            position: failure.position,
            message: failure.message,
        }),
    }
}

/// Line and column (1-based, counting characters) of a byte offset in possibly invalid UTF-8.
fn position_of_byte(bytes: &[u8], offset: usize) -> TextPosition {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |newline| newline + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    TextPosition { line, column }
}
