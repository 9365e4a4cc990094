//! Every change to a document is an `Edit`, applied in one place (`apply`), which returns
//! its inverse. Undo and redo (`History`) and the open document (`Session`) build on it.

mod apply;
mod change;
mod history;
pub mod reorder;
mod session;
mod touched;

/// The settings an `Edit::SetSettings` carries: the model's own type.
pub use crate::model::BlogSettings;
pub use apply::{EditError, apply};
pub use change::{Edit, EntryField};
pub use history::{History, MERGE_PAUSE_SECONDS, Step};
pub use session::Session;
pub use touched::{Effect, Touched};
