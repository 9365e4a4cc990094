//! How the window's width is shared between the timeline, the entry editor and the
//! preview. Each column keeps a minimum; the editor in the middle is served first; when
//! the window is too narrow for the widths the user chose, the preview gives way first
//! (down to its minimum, then out of sight), then the timeline. The user's chosen widths
//! are kept apart from what is shown, so widening the window again brings them back.

use egui::{Id, Ui};

pub const TIMELINE_MIN: f32 = 220.0;
pub const TIMELINE_MAX: f32 = 700.0;
pub const PREVIEW_MIN: f32 = 240.0;
pub const PREVIEW_MAX: f32 = 900.0;
/// The entry editor's fields (a byline's name, role and remove button on one line, the
/// formatting bar) fit in this much.
pub const EDITOR_MIN: f32 = 420.0;

/// The widths the columns are drawn at this frame; `None` for a column out of sight
/// (collapsed by the user, or no room for it).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Columns {
    pub timeline: Option<f32>,
    pub preview: Option<f32>,
}

/// Shares `total` (the window's width) out. `timeline` and `preview` are the widths the
/// user chose, `None` when they collapsed that column.
pub fn share_width(total: f32, timeline: Option<f32>, preview: Option<f32>) -> Columns {
    let total = if total.is_finite() {
        total.max(0.0)
    } else {
        0.0
    };
    let wanted_timeline = timeline.map(|w| clamp_finite(w, TIMELINE_MIN, TIMELINE_MAX));
    let mut timeline = wanted_timeline;
    let mut preview = preview.map(|w| clamp_finite(w, PREVIEW_MIN, PREVIEW_MAX));
    let over = |timeline: Option<f32>, preview: Option<f32>| {
        timeline.unwrap_or(0.0) + preview.unwrap_or(0.0) + EDITOR_MIN - total
    };
    // The preview narrows first, then the timeline, each down to its minimum.
    let excess = over(timeline, preview);
    if excess > 0.0 {
        preview = preview.map(|w| (w - excess).max(PREVIEW_MIN));
    }
    let excess = over(timeline, preview);
    if excess > 0.0 {
        timeline = timeline.map(|w| (w - excess).max(TIMELINE_MIN));
    }
    // Still too narrow: the preview goes out of sight before the editor is squeezed.
    if over(timeline, preview) > 0.0 && preview.is_some() {
        preview = None;
        let room = total - EDITOR_MIN;
        // The timeline may take back what the preview freed, up to the user's width.
        timeline = wanted_timeline.map(|w| w.min(room.max(TIMELINE_MIN)));
    }
    Columns { timeline, preview }
}

fn clamp_finite(width: f32, min: f32, max: f32) -> f32 {
    if width.is_finite() {
        width.clamp(min, max)
    } else {
        min
    }
}

/// The widest a column may be dragged while the others keep their widths and the editor
/// its minimum.
pub fn widest(total: f32, other: Option<f32>, min: f32, max: f32) -> f32 {
    (total - EDITOR_MIN - other.unwrap_or(0.0)).clamp(min, max)
}

/// Makes the side panel `salt` of `ui` start this frame at `width`: egui keeps a panel's
/// last width itself, which would hold on to a width the window once forced on it.
pub fn set_panel_width(ui: &Ui, salt: &str, width: f32) {
    let id: Id = ui.scope_id().with(salt);
    ui.ctx().data_mut(|data| {
        if let Some(mut state) = data.get_persisted::<egui::PanelState>(id)
            && (state.outer_rect.width() - width).abs() > 0.5
        {
            state.outer_rect.set_width(width);
            data.insert_persisted(id, state);
        }
    });
}

/// Whether the user is dragging the edge of side panel `salt` of `ui` (as egui itself
/// decides it, from the edge's response last frame).
pub fn edge_dragged(ui: &Ui, salt: &str) -> bool {
    let edge = ui.scope_id().with(salt).with("__resize");
    ui.ctx()
        .read_response(edge)
        .is_some_and(|edge| edge.dragged() || edge.drag_stopped())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn at_the_default_window_everyone_gets_their_width() {
        let columns = share_width(1280.0, Some(340.0), Some(380.0));
        assert_eq!(columns.timeline, Some(340.0));
        assert_eq!(columns.preview, Some(380.0));
    }

    #[test]
    fn a_narrow_window_narrows_the_preview_first() {
        let columns = share_width(1024.0, Some(340.0), Some(380.0));
        assert_eq!(columns.timeline, Some(340.0));
        assert_eq!(columns.preview, Some(1024.0 - 340.0 - EDITOR_MIN));
    }

    #[test]
    fn a_very_narrow_window_hides_the_preview_before_squeezing_the_editor() {
        let columns = share_width(800.0, Some(340.0), Some(380.0));
        assert_eq!(columns.preview, None);
        assert_eq!(columns.timeline, Some(340.0));
        let columns = share_width(700.0, Some(340.0), Some(380.0));
        assert_eq!(columns.timeline, Some(700.0 - EDITOR_MIN));
    }

    #[test]
    fn a_collapsed_column_leaves_its_room_to_the_editor() {
        let columns = share_width(1024.0, None, Some(380.0));
        assert_eq!(columns.timeline, None);
        assert_eq!(columns.preview, Some(380.0));
    }

    proptest! {
        #[test]
        fn columns_keep_their_minimums_and_leave_the_editor_its_own(
            total in 0.0f32..4000.0,
            timeline in proptest::option::of(-100.0f32..2000.0),
            preview in proptest::option::of(-100.0f32..2000.0),
        ) {
            let columns = share_width(total, timeline, preview);
            if let Some(width) = columns.timeline {
                prop_assert!((TIMELINE_MIN..=TIMELINE_MAX).contains(&width));
            }
            if let Some(width) = columns.preview {
                prop_assert!((PREVIEW_MIN..=PREVIEW_MAX).contains(&width));
                // A shown preview never takes the editor's minimum.
                prop_assert!(columns.timeline.unwrap_or(0.0) + width + EDITOR_MIN <= total + 0.01);
            }
            // A column the user collapsed stays collapsed.
            prop_assert!(timeline.is_some() || columns.timeline.is_none());
            prop_assert!(preview.is_some() || columns.preview.is_none());
            // The timeline is never taken away for lack of room.
            prop_assert_eq!(timeline.is_some(), columns.timeline.is_some());
        }
    }
}
