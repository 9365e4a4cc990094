//! The small labels on timeline rows and in the preview (DRAFT, SUMMARY, KEY…): their
//! colours in each theme, chosen so the text stays readable on its fill (a contrast ratio
//! of at least 4.5:1, WCAG's level for small text), whatever the row behind them.

use egui::Color32;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadgeKind {
    Draft,
    Summary,
    KeyEvent,
    Breaking,
    Pinned,
    OutOfOrder,
    /// Ready for the editor, and Scheduled: both wait on someone, in one colour.
    Ready,
    Scheduled,
}

impl BadgeKind {
    pub const ALL: [BadgeKind; 8] = [
        BadgeKind::Draft,
        BadgeKind::Summary,
        BadgeKind::KeyEvent,
        BadgeKind::Breaking,
        BadgeKind::Pinned,
        BadgeKind::OutOfOrder,
        BadgeKind::Ready,
        BadgeKind::Scheduled,
    ];

    /// (text, fill): white on a deep colour in the light theme, near-black on a light
    /// tint of the same colour in the dark one.
    pub fn colors(self, dark_mode: bool) -> (Color32, Color32) {
        let (deep, light) = match self {
            BadgeKind::Draft => ((135, 82, 0), (250, 205, 120)),
            BadgeKind::Summary => ((35, 88, 150), (160, 200, 245)),
            BadgeKind::KeyEvent => ((18, 108, 60), (140, 220, 170)),
            BadgeKind::Breaking => ((180, 30, 30), (250, 165, 160)),
            BadgeKind::Pinned => ((110, 65, 155), (210, 185, 245)),
            BadgeKind::OutOfOrder => ((160, 60, 0), (255, 190, 140)),
            BadgeKind::Ready | BadgeKind::Scheduled => ((0, 105, 135), (90, 200, 230)),
        };
        if dark_mode {
            (Color32::from_rgb(20, 20, 20), rgb(light))
        } else {
            (Color32::WHITE, rgb(deep))
        }
    }
}

fn rgb((r, g, b): (u8, u8, u8)) -> Color32 {
    Color32::from_rgb(r, g, b)
}

/// WCAG 2 contrast ratio between two opaque colours: 1 (none) to 21 (black on white).
pub fn contrast_ratio(a: Color32, b: Color32) -> f32 {
    let (lighter, darker) = {
        let (la, lb) = (relative_luminance(a), relative_luminance(b));
        if la >= lb { (la, lb) } else { (lb, la) }
    };
    (lighter + 0.05) / (darker + 0.05)
}

fn relative_luminance(color: Color32) -> f32 {
    let channel = |value: u8| {
        let c = f32::from(value) / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(color.r()) + 0.7152 * channel(color.g()) + 0.0722 * channel(color.b())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_badge_is_readable_in_both_themes() {
        for dark_mode in [false, true] {
            for kind in BadgeKind::ALL {
                let (text, fill) = kind.colors(dark_mode);
                let ratio = contrast_ratio(text, fill);
                assert!(
                    ratio >= 4.5,
                    "{kind:?} in {} mode: {ratio:.2}:1",
                    if dark_mode { "dark" } else { "light" }
                );
            }
        }
    }

    #[test]
    fn the_live_and_ended_badges_are_readable_too() {
        use crate::ui::widgets::blog_status::{ENDED, LIVE};
        for fill in [LIVE, ENDED] {
            assert!(contrast_ratio(Color32::WHITE, fill) >= 4.5, "{fill:?}");
        }
    }

    #[test]
    fn the_contrast_ratio_matches_wcag_reference_values() {
        assert!((contrast_ratio(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
        assert!((contrast_ratio(Color32::WHITE, Color32::WHITE) - 1.0).abs() < 0.001);
        // #777777 on white is the classic just-failing grey: 4.48:1.
        let grey = Color32::from_rgb(0x77, 0x77, 0x77);
        assert!((contrast_ratio(grey, Color32::WHITE) - 4.48).abs() < 0.01);
    }
}
