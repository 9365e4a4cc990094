//! Co-editing over the network: the sync server (`newsdesk serve`), the editor's background
//! connection to it, share links, presence, and the one-off exchanges behind `newsdesk share` and
//! `newsdesk pull`.
//!
//! The wire format is the Loro Syncing Protocol (`loro-protocol` crate: binary messages in
//! WebSocket frames); `wire.rs` describes the few conventions Newsdesk adds. The server never
//! interprets the blog: a room is a Loro document it imports, stores and relays.

pub mod client;
pub mod conn;
pub mod link;
pub mod oneshot;
pub mod server;
pub mod store;
pub mod wire;

pub use client::{ClientOptions, ConnectionStatus, LocalDoc, SyncClient, SyncEvent};
pub use conn::NetError;
pub use link::{ServerAddress, ShareLink};
pub use wire::{PeerPresence, Presence};
