//! Layout and orientation on a working day: nothing cut off in a small window, columns
//! that give way and collapse, days in the timeline, the opening state said everywhere,
//! Page Up/Down and Home/End, a steady Checks panel, toasts clear of controls, zoom that
//! is remembered, and restored work that Ctrl+Z walks back step by step.

use chrono::{TimeZone, Utc};
use common::ui::*;
use egui::{Key, Modifiers, Rect, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use newsdesk::model::LiveBlog;
use newsdesk::storage::recovery::{self, RecoveryFolder};
use newsdesk::ui::NewsdeskApp;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

mod common;

fn harness_of_size(app: NewsdeskApp, width: f32, height: f32) -> Harness<'static, NewsdeskApp> {
    let mut harness = Harness::builder()
        .with_size(Vec2::new(width, height))
        .with_max_steps(64)
        .build_ui_state(|ui, app: &mut NewsdeskApp| app.ui(ui), app);
    harness.run();
    harness
}

#[test]
fn at_1024x700_the_bylines_alt_text_and_body_fit_in_the_editor_column() {
    let mut h = harness_of_size(NewsdeskApp::new_for_test(crowded_sample()), 1024.0, 700.0);
    select_row(&mut h, "2.47pm Negotiations");
    let window = Rect::from_min_size(egui::Pos2::ZERO, Vec2::new(1024.0, 700.0));
    let preview_starts = h.get_by_label("Preview").rect().left();
    for label in [
        "Remove byline 1",
        "Remove byline 2",
        "Role",
        "Body",
        "Alt text",
        "Headline",
    ] {
        // A user scrolls the editor column to a field below the fold; nothing may be cut
        // off sideways, and once scrolled to, every field is wholly in the window.
        let count = h.get_all_by_label(label).count();
        for index in 0..count {
            h.get_all_by_label(label).nth(index).unwrap().scroll_to_me();
            h.run();
            let rect = h.get_all_by_label(label).nth(index).unwrap().rect();
            assert!(
                window.contains_rect(rect),
                "{label} at {rect:?} is outside the window"
            );
            assert!(
                rect.right() < preview_starts,
                "{label} ends at {} under the preview, which starts at {preview_starts}",
                rect.right()
            );
        }
    }
}

#[test]
fn a_narrow_window_narrows_the_preview_first_and_a_wide_one_gives_its_width_back() {
    let mut h = harness_of_size(NewsdeskApp::new_for_test(sample()), 1024.0, 700.0);
    let preview_at_1024 = 1024.0 - h.get_by_label("Preview").rect().left();
    let timeline_at_1024 = h.get_by_label("Hide timeline").rect().right();
    h.set_size(Vec2::new(1280.0, 800.0));
    h.run();
    let preview_at_1280 = 1280.0 - h.get_by_label("Preview").rect().left();
    let timeline_at_1280 = h.get_by_label("Hide timeline").rect().right();
    assert!(
        preview_at_1024 + 100.0 < preview_at_1280,
        "the preview gave way: {preview_at_1024} then {preview_at_1280}"
    );
    assert!(
        (timeline_at_1024 - timeline_at_1280).abs() < 1.0,
        "the timeline kept its width"
    );
    // The user's widths are kept: narrowing the window did not overwrite them.
    assert_eq!(h.state().state.preview_width, 380.0);
    assert_eq!(h.state().state.timeline_width, 340.0);

    // Too narrow for three columns: the preview steps aside, and says why.
    h.set_size(Vec2::new(760.0, 600.0));
    h.run();
    assert!(h.query_by_label("Whole page").is_none());
    h.get_by_label("Show preview");
    assert!(h.state().state.show_preview, "the preference is unchanged");
}

#[test]
fn timeline_and_preview_collapse_by_keys_buttons_and_the_view_menu() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    h.key_press_modifiers(CTRL_SHIFT, Key::L);
    h.run();
    assert!(
        h.query_by_label("New post").is_none(),
        "the timeline is hidden"
    );
    assert!(!h.state().state.show_timeline, "and that is remembered");
    h.get_by_label("Show timeline").click();
    h.run();
    h.get_by_label("New post");

    h.get_by_label("Hide preview").click();
    h.run();
    assert!(h.query_by_label("Whole page").is_none());
    assert!(!h.state().state.show_preview);
    h.get_by_label("View").click();
    h.run();
    // The menu's item, under "View" (the strip's button at the right edge is the other).
    h.get_all_by_label_contains("Show preview")
        .find(|node| node.rect().left() < 1000.0)
        .expect("View ▸ Show preview")
        .click();
    h.run();
    h.get_by_label("Whole page");
    assert!(h.state().state.show_preview);
}

#[test]
fn day_separators_name_each_day_and_a_post_timed_today_stands_out() {
    let mut blog = sample();
    // A post timed on another day, among the sample's posts of 18 February 2025.
    let position = blog.position(&id("post-1405")).unwrap();
    Arc::make_mut(&mut blog.entries[position]).display_time =
        Utc.with_ymd_and_hms(2026, 11, 29, 9, 15, 0).unwrap();
    // And the pinned summary, too.
    let pinned = blog.pinned[0].clone();
    let position = blog.position(&pinned).unwrap();
    Arc::make_mut(&mut blog.entries[position]).display_time =
        Utc.with_ymd_and_hms(2025, 2, 17, 20, 0, 0).unwrap();
    let mut h = harness(NewsdeskApp::new_for_test(blog));
    h.get_by_label("Sunday 29 November 2026");
    // The stream goes back to the main day after it, under its own separator.
    assert_eq!(h.get_all_by_label("Tuesday 18 February").count(), 2);
    h.get_by_label_contains("17 Feb · 8.00pm");

    // Sort by time: the post timed today goes to the top, with one separator per day.
    h.get_by_label("Sort by time").click();
    h.run();
    h.get_by_label("Sunday 29 November 2026");
    assert_eq!(h.get_all_by_label("Tuesday 18 February").count(), 1);
}

#[test]
fn while_a_file_opens_the_status_bar_checks_and_timeline_say_so() {
    let dir = tempfile::tempdir().unwrap();
    // A named pipe: the file "opens" until the test writes the document into it.
    let path = dir.path().join("slow.ron");
    let made = std::process::Command::new("mkfifo").arg(&path).status();
    if !made.is_ok_and(|status| status.success()) {
        eprintln!("mkfifo is not available: skipped");
        return;
    }
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    h.key_press_modifiers(CTRL_SHIFT, Key::C);
    h.run();
    h.key_press_modifiers(CTRL, Key::O);
    h.run();
    h.get_by_label("File path")
        .type_text(&path.display().to_string());
    h.run();
    h.get_by_label("Open").click();
    // Not `run`: the spinners keep repainting while the file opens.
    h.run_steps(4);
    assert!(h.state().is_opening());
    // The status bar and the editor give the path; the timeline and Checks the name.
    let opening = format!("Opening {}…", path.display());
    assert!(h.get_all_by_label(&opening).count() >= 2);
    assert!(h.get_all_by_label("Opening slow.ron…").count() >= 2);
    for claim in [
        "Saved",
        "No problems",
        "Nothing to put right before publishing.",
    ] {
        assert!(
            h.query_by_label(claim).is_none(),
            "“{claim}” is shown for a file still loading"
        );
    }
    assert!(h.query_by_label_contains("entries").is_none());
    assert!(h.state().window_title().starts_with("Opening slow.ron"));

    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/ukraine-talks-2025-02-18.ron"),
    )
    .unwrap();
    std::fs::write(&path, bytes).unwrap();
    wait_for_jobs(&mut h);
    assert!(!h.state().is_opening());
    h.get_by_label_contains("12 entries");
}

#[test]
fn page_down_end_and_home_move_the_selection_and_bring_it_into_view() {
    let blog = newsdesk::generate::generate(200, 3);
    let first = blog
        .pinned
        .first()
        .cloned()
        .unwrap_or(blog.entries[0].id.clone());
    let mut h = harness(NewsdeskApp::new_for_test(blog));
    assert_eq!(h.state().selected(), Some(&first));

    h.key_press(Key::PageDown);
    h.run();
    let after_page = h.state().selected().cloned().unwrap();
    assert_ne!(after_page, first, "Page Down moved");
    let rows = |h: &Harness<'_, NewsdeskApp>| {
        h.state()
            .blog()
            .entries
            .iter()
            .position(|e| Some(&e.id) == h.state().selected())
            .unwrap()
    };
    let page_row = rows(&h);

    h.key_press(Key::End);
    h.run();
    let last = h.state().blog().entries.last().unwrap().id.clone();
    assert_eq!(h.state().selected(), Some(&last));
    // The last row is drawn (rows are drawn only in view) and inside the window.
    let title: String = h
        .state()
        .blog()
        .entries
        .last()
        .unwrap()
        .title_line(90)
        .chars()
        .take(20)
        .collect();
    let visible_last = h
        .get_all_by_label_contains(&title)
        .any(|node| node.rect().left() < 340.0 && node.rect().bottom() <= 800.0);
    assert!(visible_last, "the last entry is scrolled into view");

    h.key_press(Key::PageUp);
    h.run();
    assert!(rows(&h) < h.state().blog().entries.len() - 1);
    h.key_press(Key::Home);
    h.run();
    assert_eq!(h.state().selected(), Some(&first));
    assert!(page_row > 0);

    // In a text field the keys are the field's own.
    h.get_by_label("Headline").focus();
    h.run();
    h.key_press(Key::End);
    h.run();
    assert_eq!(h.state().selected(), Some(&first));
}

#[test]
fn the_checks_panel_keeps_its_height_when_its_last_problem_is_fixed() {
    let mut blog = sample();
    let position = blog.position(&id("post-1447")).unwrap();
    Arc::make_mut(&mut blog.entries[position]).body = "See [the talks](#no-such-post).".into();
    let mut h = harness(NewsdeskApp::new_for_test(blog));
    h.key_press_modifiers(CTRL_SHIFT, Key::C);
    h.run();
    let before = h.get_by_label("Show warnings").rect();
    assert!(h.query_by_label_contains("no-such-post").is_some());
    select_row(&mut h, "2.47pm Negotiations");
    replace_text(&mut h, "Body", "The talks went well, both sides said.");
    // Checks run once typing pauses.
    std::thread::sleep(std::time::Duration::from_millis(500));
    h.run();
    assert!(h.query_by_label_contains("no-such-post").is_none());
    let after = h.get_by_label("Show warnings").rect();
    assert!(
        (before.top() - after.top()).abs() < 0.5,
        "the panel's heading moved from {before:?} to {after:?}"
    );
}

#[test]
fn toasts_appear_above_the_status_bar_clear_of_every_control() {
    for (show_checks, show_preview) in [(false, true), (true, true), (true, false)] {
        let mut app = NewsdeskApp::new_for_test(sample());
        app.state.show_checks = show_checks;
        app.state.show_preview = show_preview;
        let mut h = harness(app);
        h.get_by_label("Sort by time").click();
        h.run();
        h.get_by_label("Sort by time").click();
        h.step();
        let toasts = h
            .state()
            .toast_area()
            .expect("“already in time order” is showing");
        for role in [
            egui::accesskit::Role::Button,
            egui::accesskit::Role::TextInput,
            egui::accesskit::Role::MultilineTextInput,
            egui::accesskit::Role::CheckBox,
            egui::accesskit::Role::RadioButton,
        ] {
            for node in h.get_all_by_role(role) {
                // Without the preview, the toasts have a strip of their own (one toast high)
                // under the editor column: editor fields starting inside it are the part of the
                // column scrolled out of view (the accessibility tree keeps unclipped rects).
                let strip_top = toasts.bottom() - 50.0;
                if !show_preview && node.rect().top() >= strip_top {
                    continue;
                }
                assert!(
                    !node.rect().intersects(toasts),
                    "a toast at {toasts:?} covers {role:?} at {:?} (checks {show_checks}, \
                     preview {show_preview})",
                    node.rect()
                );
            }
        }
    }
}

#[test]
fn zoom_keys_change_the_text_size_and_a_restart_keeps_it() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    let normal = h.ctx.pixels_per_point();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Equals);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Equals);
    h.run();
    assert!((h.state().state.zoom - 1.2).abs() < 0.01);
    assert!((h.ctx.zoom_factor() - 1.2).abs() < 0.01);

    // What eframe keeps between runs, given to the next start.
    let kept = ron::to_string(&h.state().state).unwrap();
    let mut next = NewsdeskApp::new_for_test(sample());
    next.state = ron::from_str(&kept).unwrap();
    let mut h = harness(next);
    assert!((h.ctx.zoom_factor() - 1.2).abs() < 0.01);
    // Text is laid out in points and drawn at this many pixels each.
    assert!((h.ctx.pixels_per_point() - 1.2 * normal).abs() < 0.01);

    h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    h.run();
    assert!((h.state().state.zoom - 1.0).abs() < 0.01);
}

#[test]
fn restored_work_is_named_by_its_new_title_and_ctrl_z_walks_it_back_one_change_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("talks.ron");
    newsdesk::storage::save(&path, &sample()).unwrap();
    let folder = RecoveryFolder::at(dir.path().join("recovery"));

    // Work, then a crash: two headlines and the blog's title changed, nothing saved.
    {
        let app =
            NewsdeskApp::new_for_test_with_file_and_recovery(path.clone(), folder.clone()).unwrap();
        let mut h = started_harness(app);
        select_row(&mut h, "2.47pm Negotiations");
        replace_text(&mut h, "Headline", "First change");
        select_row(&mut h, "2.05pm Lavrov");
        replace_text(&mut h, "Headline", "Second change");
        h.key_press_modifiers(CTRL, Key::Comma);
        h.run();
        replace_text(&mut h, "Title", "Talks in Riyadh: as it happened");
        h.get_by_label("Apply").click();
        h.run();
        h.state_mut()
            .poll_recovery_at(Instant::now() + recovery::LONGEST_DELAY);
        h.state_mut().flush_recovery();
    }

    let mut h = started_harness(NewsdeskApp::new_for_test_with_recovery(
        LiveBlog::new("Another story", Utc::now()),
        folder,
    ));
    h.get_by_label("Recover unsaved work?");
    h.get_by_label("“Talks in Riyadh: as it happened”");
    h.get_by_label("Restore").click();
    wait_for_jobs(&mut h);
    let original = sample();
    assert_eq!(
        h.state().blog().settings.title,
        "Talks in Riyadh: as it happened"
    );

    let headline = |h: &Harness<'_, NewsdeskApp>, post: &str| {
        h.state().blog().entry(&id(post)).unwrap().headline.clone()
    };
    assert_eq!(headline(&h, "post-1447"), "First change");
    assert_eq!(headline(&h, "post-1405"), "Second change");
    let mut steps = 0;
    while h.state().blog() != &original {
        h.key_press_modifiers(CTRL, Key::Z);
        h.run();
        steps += 1;
        assert!(steps <= 3, "more undo steps than restored changes");
        if steps == 1 {
            // The last change goes first; the others are still there.
            let changed = [
                h.state().blog().settings.title != original.settings.title,
                headline(&h, "post-1447") == "First change",
                headline(&h, "post-1405") == "Second change",
            ];
            assert_eq!(changed.iter().filter(|c| **c).count(), 2, "{changed:?}");
        }
    }
    assert_eq!(steps, 3, "one step per restored change");
    // Redo brings the restored work back.
    for _ in 0..3 {
        h.key_press_modifiers(CTRL_SHIFT, Key::Z);
        h.run();
    }
    assert_eq!(headline(&h, "post-1405"), "Second change");
}
