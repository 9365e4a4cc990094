//! What the editor looks like: the bundled fonts draw what newsrooms type, and the main
//! screen in light and dark, compared with committed snapshots rendered on the CPU.

use common::ui::*;
use newsdesk::ui::NewsdeskApp;

mod common;
use egui_kittest::SnapshotOptions;

// ---- Fonts and snapshots ---------------------------------------------------------------

#[test]
fn newsroom_typography_and_emoji_render_with_the_bundled_fonts() {
    let mut blog = sample();
    let entry = std::sync::Arc::make_mut(&mut blog.entries[0]);
    entry.headline = "Prices — “up” £5, café, Gŵyl, Dŷ 😀 👍 🔥 ✅".into();
    entry.body = "> For context: “quotes” — dashes — £ é ŷ 📷 ⚠".into();
    let mut h = harness(NewsdeskApp::new_for_test(blog));
    select_row(&mut h, "Prices");
    // Rendering panics on any glyph the fonts lack.
    h.snapshot_options("typography", &snapshot_options());
}

fn snapshot_options() -> SnapshotOptions {
    // Rasterizers differ slightly between machines: allow a little.
    SnapshotOptions::new().threshold(1.5).max_failed_pixels(400)
}

#[test]
fn main_screen_light() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    h.snapshot_options("main_screen_light", &snapshot_options());
}

#[test]
fn main_screen_dark() {
    let mut app = NewsdeskApp::new_for_test(sample());
    app.state.dark_mode = true;
    let mut h = harness(app);
    h.snapshot_options("main_screen_dark", &snapshot_options());
}

#[test]
fn a_crowded_entry_fits_a_1024x700_window() {
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::Vec2::new(1024.0, 700.0))
        .with_max_steps(64)
        .build_ui_state(
            |ui, app: &mut NewsdeskApp| app.ui(ui),
            NewsdeskApp::new_for_test(crowded_sample()),
        );
    h.run();
    select_row(&mut h, "2.47pm Negotiations");
    h.snapshot_options("layout_1024x700", &snapshot_options());
}
