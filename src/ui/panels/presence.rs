//! Who else is on an entry of a shared blog: the marks the timeline and the entry editor
//! draw (a dot in the editor's colour, and a name). No locks: anyone may type anywhere;
//! the marks only say where the others are.

use egui::{Color32, Ui};
use std::collections::HashMap;

use crate::model::EntryId;

/// Another editor on an entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditorMark {
    pub name: String,
    pub colour: [u8; 3],
    /// Typing in it right now, not only looking.
    pub typing: bool,
}

impl EditorMark {
    pub fn colour32(&self) -> Color32 {
        let [r, g, b] = self.colour;
        Color32::from_rgb(r, g, b)
    }
}

/// The marks of every entry someone else is on.
pub type Presence = HashMap<EntryId, Vec<EditorMark>>;

/// "Ana is typing here" / "Ana and Bo are looking at this entry", above the entry editor.
pub fn entry_banner_ui(ui: &mut Ui, marks: &[EditorMark]) {
    if marks.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        for mark in marks {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
            ui.painter()
                .circle_filled(rect.center(), 5.0, mark.colour32());
            let doing = if mark.typing {
                "is typing in this entry"
            } else {
                "is on this entry"
            };
            ui.label(format!("{} {doing}", mark.name));
        }
    });
    ui.add_space(4.0);
}

/// The words a screen reader hears for the marks on a timeline row.
pub fn describe(marks: &[EditorMark]) -> String {
    marks
        .iter()
        .map(|mark| {
            if mark.typing {
                format!("{} typing", mark.name)
            } else {
                format!("{} here", mark.name)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
