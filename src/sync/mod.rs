//! Co-editing: the live blog as a Loro CRDT document (`SharedBlog`), and its network sync
//! (`net`).
//!
//! The editor keeps working on a plain `LiveBlog`. Each edit it applies is also recorded in
//! the shared document (`SharedBlog::record_local`); changes from other editors come back from
//! `SharedBlog::import` as `Edit`s that patch the plain document; `SharedBlog::undo` undoes
//! only this editor's own changes. The layout of the document is described in `schema`.

mod error;
mod local;
mod mirror;
pub mod net;
mod records;
mod remote;
mod resume;
pub mod schema;
mod shared_blog;
mod view;

pub use error::SyncError;
pub use resume::{
    COMPACT_AFTER_BYTES, SharedStateWriter, read_shared_state, read_shared_state_for_writing,
    write_shared_state,
};
pub use shared_blog::{SharedBlog, UNDO_MERGE_MS};
