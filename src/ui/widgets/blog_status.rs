//! The blog's status, Live or Ended, as a badge: white on red or on grey, which reads the
//! same in light and dark mode (contrast above 6:1 on both).

use crate::model::BlogStatus;
use egui::{Color32, Response, RichText, Ui};

pub(crate) const LIVE: Color32 = Color32::from_rgb(190, 30, 30);
pub(crate) const ENDED: Color32 = Color32::from_rgb(90, 90, 90);

/// The badge's words, also its accessible name.
pub fn status_text(status: BlogStatus) -> &'static str {
    match status {
        BlogStatus::Live => "LIVE",
        BlogStatus::Ended => "ENDED",
    }
}

pub fn blog_status_badge(ui: &mut Ui, status: BlogStatus) -> Response {
    let (fill, help) = match status {
        BlogStatus::Live => (LIVE, "The blog is live: readers expect new posts"),
        BlogStatus::Ended => (ENDED, "The coverage has ended"),
    };
    ui.label(
        RichText::new(format!(" {} ", status_text(status)))
            .strong()
            .color(Color32::WHITE)
            .background_color(fill),
    )
    .on_hover_text(format!("{help}. Blog settings (Ctrl+,) change it."))
}
