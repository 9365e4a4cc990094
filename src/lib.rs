//! Newsdesk: a desktop editor for newsroom live blogs.
//!
//! Layers, each in its own folder (see ARCHITECTURE.md):
//! `model` (plain data), `edit` (every change, with its inverse), `storage` (files),
//! `export` (HTML, feeds), `media` (pictures into the media folder, embed cards), `publish` (folders and buckets, the publish loop), `checks` (pre-publication checks),
//! `writing` (spelling, typography, word counts), `ui` (the eframe app).

pub mod background;
pub mod checks;
pub mod edit;
pub mod export;
pub mod generate;
pub mod media;
pub mod model;
pub mod publish;
pub mod storage;
pub mod sync;
pub mod ui;
pub mod writing;
