//! The live-blog document as plain data: no egui, no I/O.
//!
//! Times are stored in UTC and shown in the blog's zone. The timeline order is
//! explicit (`LiveBlog::entries`), and pinned entries keep their place in it so that
//! unpinning returns them where they were; `LiveBlog::pinned` holds the pinned order.

mod blog;
mod entry;
mod id;
mod invariants;
mod markdown;
mod settings;
mod stamp;
mod zone;

pub use blog::{EntryList, LiveBlog};
pub use entry::{Byline, EmbedCard, Entry, EntryKind, EntryStatus, Flags, Media};
pub use id::{EntryId, InvalidEntryId};
pub use invariants::Violation;
pub use markdown::body_markdown_options;
pub use settings::{BlogSettings, BlogStatus, PublishSettings};
pub use stamp::ContentStamp;
pub use zone::{ExtraZone, Zone, ZoneLabel};

/// A paragraph or block quote starting with this marks a "For context" note.
pub const CONTEXT_PREFIX: &str = "For context:";
