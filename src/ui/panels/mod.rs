//! The panels of the editor window. Each draws from what it is given (the session, the
//! selection, its own cache) and returns `Action`s; none knows the app shell.

pub mod checks;
pub mod entry_editor;
pub mod find;
pub mod find_bar;
pub mod media_section;
pub mod presence;
pub mod preview;
pub mod status_control;
pub mod thumbnails;
pub mod timeline;
mod timeline_days;
