//! Small pieces the panels and dialogs are built from.

pub mod badge;
pub mod direction;
pub mod formatting;
pub mod markdown;
pub mod time_input;
