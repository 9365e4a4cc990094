//! Bundled fonts, so a live blog renders the same on every machine: typographic quotes,
//! dashes, £, accented letters such as é and ŷ, Cyrillic names, and common emoji.
//!
//! egui's own Ubuntu-Light stays the main face; DejaVu Sans covers what it lacks, and
//! Noto Emoji plus emoji-icon-font draw emoji. A bold face (DejaVu Sans Bold) is used for
//! headlines in the preview. Licences are beside the files in assets/fonts/.

use egui::{Context, FontData, FontDefinitions, FontFamily, FontTweak};
use std::sync::Arc;

const DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const DEJAVU_SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
const NOTO_EMOJI: &[u8] = include_bytes!("../../assets/fonts/NotoEmoji-Regular.ttf");
const EMOJI_ICONS: &[u8] = include_bytes!("../../assets/fonts/emoji-icon-font.ttf");

/// The family used for headlines and bold text.
pub fn bold() -> FontFamily {
    FontFamily::Name("newsdesk-bold".into())
}

/// egui's default fonts plus ours.
pub fn font_definitions() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    let mut add = |name: &str, bytes: &'static [u8], scale: f32| {
        fonts.font_data.insert(
            name.to_owned(),
            Arc::new(FontData::from_static(bytes).tweak(FontTweak {
                scale,
                ..Default::default()
            })),
        );
    };
    add("DejaVuSans", DEJAVU_SANS, 0.92);
    add("DejaVuSans-Bold", DEJAVU_SANS_BOLD, 0.92);
    add("NotoEmoji-Regular", NOTO_EMOJI, 0.81);
    add("emoji-icon-font", EMOJI_ICONS, 0.9);

    let fallbacks = ["DejaVuSans", "NotoEmoji-Regular", "emoji-icon-font"];
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        let list = fonts.families.entry(family).or_default();
        for name in fallbacks {
            if !list.iter().any(|existing| existing == name) {
                list.push(name.to_owned());
            }
        }
    }
    let mut bold_list = vec!["DejaVuSans-Bold".to_owned()];
    bold_list.extend(
        fonts
            .families
            .get(&FontFamily::Proportional)
            .cloned()
            .unwrap_or_default(),
    );
    fonts.families.insert(bold(), bold_list);
    fonts
}

/// Installs the fonts. Call before any text is laid out in a pass (the start of the
/// first frame, or a test harness's context setup), so they apply at once.
pub fn install_fonts(ctx: &Context) {
    ctx.set_fonts(font_definitions());
}
