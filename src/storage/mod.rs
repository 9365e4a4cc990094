//! Files: the RON format and its versions, loading with plain-word errors, and durable
//! atomic saving with a backup of the previous version.

mod error;
mod format;
mod load;
pub mod recovery;
mod save;
pub mod watch;

pub use error::{LoadError, SaveError, TextPosition};
pub use format::{
    CURRENT_FORMAT_VERSION, from_ron_str, newer_format_version, parse_layout_only, to_ron_string,
    write_ron,
};
pub use load::{Access, ContentHash, Loaded, MAX_FILE_BYTES, load, load_bytes};
pub use save::{
    SavedFile, backup_path, save, sweep_interrupted_saves, write_atomically,
    write_atomically_streamed,
};
pub use watch::file_changed_since;

/// A file as the editor names it: its file name, or the whole path when it has none.
pub fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
