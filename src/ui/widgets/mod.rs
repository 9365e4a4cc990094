//! Small pieces the panels and dialogs are built from.

pub mod badge;
pub mod blog_status;
pub mod direction;
pub mod formatting;
pub mod markdown;
pub mod prose_field;
pub mod time_input;
pub mod writing_aids;
pub mod zone_picker;
