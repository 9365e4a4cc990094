//! What can go wrong in the sync core, in plain sentences.

use crate::model::{EntryId, Violation};
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// Loro refused bytes (a corrupt snapshot or update, or one from an incompatible version).
    #[error("the shared blog data could not be read: {0}")]
    Corrupt(String),
    #[error(
        "this shared blog was written by a newer Newsdesk (format {0}); update Newsdesk to open it"
    )]
    NewerFormat(i64),
    #[error("this is not a Newsdesk shared blog (it has no format mark)")]
    NotABlog,
    #[error("the document cannot be shared as it is: {0}")]
    Invalid(Violation),
    #[error(
        "the entry id \"{0}\" contains \"__\", which shared blogs reserve for telling apart posts created with the same id at once"
    )]
    ReservedId(EntryId),
    #[error("\"{0}\" cannot be used as this editor's peer id")]
    BadPeer(u64),
    /// A local edit does not fit the shared document (it was applied to a different
    /// document, or the shared state was changed behind this editor's back).
    #[error("the edit does not match the shared blog: {0}; reload the shared blog")]
    OutOfStep(String),
    #[error("the shared blog could not be written: {0}")]
    Encode(String),
    #[error("could not save the shared state to {path}: {source}")]
    Save {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("could not read the shared state from {path}: {source}")]
    Load {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl From<loro::LoroError> for SyncError {
    fn from(error: loro::LoroError) -> Self {
        SyncError::Corrupt(error.to_string())
    }
}
