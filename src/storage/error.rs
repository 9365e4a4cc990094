//! Load and save errors as plain sentences: which file, which line and column, what was
//! expected.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// A 1-based line and column in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TextPosition {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for TextPosition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Why a document could not be read. Each message names the file and says what was
/// expected in plain words, so it can be shown to the editor as it is.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{}: there is no such file", path.display())]
    NotFound { path: PathBuf },
    #[error("{}: this is a folder, not a Newsdesk document", path.display())]
    IsAFolder { path: PathBuf },
    #[error("{}: could not be read: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error(
        "{}: the file is {size} bytes, more than the {limit} bytes a Newsdesk document may have",
        path.display()
    )]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error("{}: the file is empty; expected a Newsdesk document starting with \"(format_version: ...\"", path.display())]
    Empty { path: PathBuf },
    #[error("{}:{position}: the file is not valid UTF-8 text (a byte sequence at this point is not a character)", path.display())]
    NotUtf8 {
        path: PathBuf,
        position: TextPosition,
    },
    #[error("{}:{position}: {message}", path.display())]
    Syntax {
        path: PathBuf,
        position: TextPosition,
        message: String,
    },
    #[error(
        "{}: format version {version} is not one this Newsdesk can read (it reads versions 1 to {current})",
        path.display()
    )]
    UnsupportedVersion {
        path: PathBuf,
        version: u64,
        current: u32,
    },
}

impl LoadError {
    /// Where in the file the problem is, when it is about the content.
    pub fn position(&self) -> Option<TextPosition> {
        match self {
            LoadError::NotUtf8 { position, .. } | LoadError::Syntax { position, .. } => {
                Some(*position)
            }
            _ => None,
        }
    }
}

/// Why a document could not be saved. The file on disk is untouched in every case.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{}: this is a folder; choose a file name to save to", path.display())]
    IsAFolder { path: PathBuf },
    #[error("{}: the folder does not exist", path.display())]
    NoFolder { path: PathBuf },
    #[error("{}: permission denied: Newsdesk may not write in this folder; the file on disk is unchanged", path.display())]
    PermissionDenied { path: PathBuf },
    #[error("{}: the disk is full; free some space and save again; the file on disk is unchanged", path.display())]
    DiskFull { path: PathBuf },
    #[error("{}: the folder is read-only; save somewhere else; the file on disk is unchanged", path.display())]
    ReadOnly { path: PathBuf },
    #[error("{}: could not be saved: {source}; the file on disk is unchanged", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("the document could not be written as RON: {0}")]
    Serialize(String),
    #[error(
        "{}: this file was written by a newer Newsdesk (format {version}); saving over it would drop what this version does not know. Use Save As",
        path.display()
    )]
    NewerFormat { path: PathBuf, version: u64 },
}

impl SaveError {
    pub(crate) fn from_io(path: PathBuf, source: io::Error) -> Self {
        // Raw OS codes: ENOSPC 28, EFBIG 27 (file-size limit), EDQUOT 122, EROFS 30, EISDIR 21 on Linux.
        match (source.kind(), source.raw_os_error()) {
            (io::ErrorKind::PermissionDenied, _) => SaveError::PermissionDenied { path },
            (io::ErrorKind::NotFound, _) => SaveError::NoFolder { path },
            (io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded, _)
            | (_, Some(27 | 28 | 122)) => SaveError::DiskFull { path },
            (io::ErrorKind::ReadOnlyFilesystem, _) | (_, Some(30)) => SaveError::ReadOnly { path },
            (io::ErrorKind::IsADirectory, _) | (_, Some(21)) => SaveError::IsAFolder { path },
            _ => SaveError::Io { path, source },
        }
    }
}
