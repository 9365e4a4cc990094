//! Helpers shared by several test files.
#![allow(dead_code)]

pub mod checks;
pub mod server;
pub mod ui;
