//! Scheduling and hand-off, driven as a user would: the status control (Draft / Ready for
//! the editor / Scheduled for a time / Published), a scheduled post publishing itself when
//! the editor's clock passes its time, the question when a post timed in the future is
//! published, the status filter, the blog's Live / Ended badge and the time zone search.

use chrono::{DateTime, TimeZone, Utc};
use common::ui::*;
use egui::Key;
use egui_kittest::kittest::{NodeT, Queryable};
use newsdesk::model::{BlogStatus, EntryStatus, LiveBlog};
use newsdesk::ui::NewsdeskApp;

mod common;

/// 18 February 2025 at `hour:minute` in London (UTC in February).
fn at(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 2, 18, hour, minute, 0).unwrap()
}

fn status_of(h: &egui_kittest::Harness<'_, NewsdeskApp>, entry: &str) -> EntryStatus {
    h.state()
        .blog()
        .entry(&id(entry))
        .expect("the entry")
        .status
}

/// The sample with one post's status set.
fn with_status(entry: &str, status: EntryStatus) -> LiveBlog {
    let mut blog = sample();
    blog.entry_mut(&id(entry)).expect("the entry").status = status;
    blog
}

fn harness_at(blog: LiveBlog, now: DateTime<Utc>) -> egui_kittest::Harness<'static, NewsdeskApp> {
    let mut app = NewsdeskApp::new_for_test(blog);
    app.set_clock(now);
    harness(app)
}

#[test]
fn the_status_control_hands_over_schedules_for_a_typed_time_and_returns_to_draft() {
    let mut h = harness_at(sample(), at(14, 40));
    select_row(&mut h, "2.47pm Negotiations");
    assert_eq!(h.state().selected(), Some(&id("post-1447")));

    h.get_by_label("Ready for the editor").click();
    h.run();
    assert_eq!(status_of(&h, "post-1447"), EntryStatus::Ready);
    // The timeline row says so, and so does the editor's heading.
    h.get_by_label_contains("says Zelenskyy, ready for the editor");
    h.get_by_label("Post · ready for the editor");
    assert_eq!(
        h.state().session().history().undo_label(),
        Some("Hand to the editor")
    );

    // Scheduled: for the post's own time, which is still ahead of the clock.
    h.get_by_label("Scheduled").click();
    h.run();
    assert_eq!(
        status_of(&h, "post-1447"),
        EntryStatus::Scheduled { at: at(14, 47) }
    );
    h.get_by_label("Post · scheduled for 2.47pm");
    // A time typed in the blog's zone moves the schedule when the field is left.
    replace_text(&mut h, "Scheduled time", "15:10");
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(
        status_of(&h, "post-1447"),
        EntryStatus::Scheduled { at: at(15, 10) }
    );
    h.get_by_label("Post · scheduled for 3.10pm");
    h.get_by_label_contains("says Zelenskyy, scheduled for 3.10pm");

    h.get_by_label("Draft").click();
    h.run();
    assert_eq!(status_of(&h, "post-1447"), EntryStatus::Draft);
    // Every change was its own undo step.
    h.key_press_modifiers(CTRL, Key::Z);
    h.run();
    assert_eq!(
        status_of(&h, "post-1447"),
        EntryStatus::Scheduled { at: at(15, 10) }
    );
}

#[test]
fn a_scheduled_post_publishes_itself_when_the_clock_passes_its_time_and_undo_keeps_it_scheduled() {
    let scheduled = EntryStatus::Scheduled { at: at(14, 50) };
    let mut h = harness_at(with_status("post-1447", scheduled), at(14, 40));
    h.get_by_label_contains("scheduled for 2.50pm");
    assert_eq!(status_of(&h, "post-1447"), scheduled);
    // The page exported now leaves it out.
    let before = newsdesk::export::render_page(h.state().blog(), h.state().now());
    assert!(!before.contains("id=\"post-1447\""));

    h.state_mut().set_clock(at(14, 49));
    h.run();
    assert_eq!(status_of(&h, "post-1447"), scheduled, "not yet");

    h.state_mut().set_clock(at(14, 50));
    h.run();
    assert_eq!(status_of(&h, "post-1447"), EntryStatus::Published);
    assert!(h.state().is_dirty(), "the file will say Published");
    assert_eq!(
        h.state().session().history().undo_label(),
        Some("Publish scheduled post")
    );
    assert!(h.query_by_label_contains("scheduled for 2.50pm").is_none());
    let after = newsdesk::export::render_page(h.state().blog(), h.state().now());
    assert!(after.contains("id=\"post-1447\""));

    // Undo puts it back to scheduled, and it stays so (its time has passed: it is in
    // print by the page's rule either way, but the editor decides, not the clock).
    h.key_press_modifiers(CTRL, Key::Z);
    h.run();
    h.state_mut().set_clock(at(14, 55));
    h.run();
    assert_eq!(status_of(&h, "post-1447"), scheduled);
}

#[test]
fn publishing_a_post_timed_in_the_future_asks_first() {
    let blog = with_status("post-1447", EntryStatus::Draft);
    let mut h = harness_at(blog, at(14, 0));
    select_row(&mut h, "2.47pm Negotiations");

    // Cancel leaves it a draft.
    h.key_press_modifiers(CTRL, Key::Enter);
    h.run();
    h.get_by_label("This post is timed in the future");
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(status_of(&h, "post-1447"), EntryStatus::Draft);

    // Schedule it for its time.
    h.get_by_label("Publish").click();
    h.run();
    h.get_by_label("Schedule it for 14:47").click();
    h.run();
    assert_eq!(
        status_of(&h, "post-1447"),
        EntryStatus::Scheduled { at: at(14, 47) }
    );

    // Picking Published in the control asks the same; publish now, keeping the time.
    h.get_by_label("Published").click();
    h.run();
    h.get_by_label("Publish now with that time").click();
    h.run();
    assert_eq!(status_of(&h, "post-1447"), EntryStatus::Published);
    assert_eq!(
        h.state()
            .blog()
            .entry(&id("post-1447"))
            .unwrap()
            .display_time,
        at(14, 47)
    );

    // Ctrl+Enter keeps its meaning on a published post: back to draft, no question.
    h.key_press_modifiers(CTRL, Key::Enter);
    h.run();
    assert_eq!(status_of(&h, "post-1447"), EntryStatus::Draft);
    // And a post timed in the past publishes without one.
    h.state_mut().set_clock(at(15, 0));
    h.key_press_modifiers(CTRL, Key::Enter);
    h.run();
    assert!(
        h.query_by_label("This post is timed in the future")
            .is_none()
    );
    assert_eq!(status_of(&h, "post-1447"), EntryStatus::Published);
}

#[test]
fn the_filter_shows_what_waits_for_the_editor_and_what_is_scheduled() {
    let mut blog = sample();
    blog.entry_mut(&id("post-1447")).unwrap().status = EntryStatus::Ready;
    blog.entry_mut(&id("summary-1430")).unwrap().status = EntryStatus::Ready;
    blog.entry_mut(&id("post-1405")).unwrap().status = EntryStatus::Scheduled { at: at(16, 0) };
    let mut h = harness_at(blog, at(14, 0));
    h.key_press_modifiers(CTRL, Key::F);
    h.run();

    // The filter's options, not the status control's radio buttons of the same name.
    let choose = |h: &mut egui_kittest::Harness<'_, NewsdeskApp>, option: &str| {
        h.get_by_label("Status filter").click();
        h.run();
        h.get_all_by_label(option)
            .find(|node| node.accesskit_node().role() != egui::accesskit::Role::RadioButton)
            .expect("the filter offers it")
            .click();
        h.run();
    };
    choose(&mut h, "Ready for the editor");
    assert_eq!(h.state().filtered_count(), 2);
    h.get_by_label_contains("ready for the editor, summary, pinned");

    choose(&mut h, "Scheduled");
    assert_eq!(h.state().filtered_count(), 1);
    h.get_by_label_contains("scheduled for 4.00pm");

    h.key_press(Key::Escape);
    h.run();
    assert_eq!(h.state().filtered_count(), h.state().blog().entries.len());
}

#[test]
fn the_header_and_the_page_preview_say_whether_the_blog_is_live() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    h.get_by_label_contains("LIVE");
    assert!(h.query_by_label_contains("ENDED").is_none());
    // The whole-page preview carries it too.
    h.key_press_modifiers(CTRL_SHIFT, Key::W);
    h.run();
    assert_eq!(h.get_all_by_label_contains("LIVE").count(), 2);

    h.key_press_modifiers(CTRL, Key::Comma);
    h.run();
    h.get_by_label("Ended").click();
    h.run();
    h.get_by_label("Apply").click();
    h.run();
    assert_eq!(h.state().blog().settings.status, BlogStatus::Ended);
    assert_eq!(h.get_all_by_label_contains("ENDED").count(), 2);
    assert!(h.query_by_label_contains("LIVE").is_none());
}

#[test]
fn time_zones_are_found_by_searching_and_picked_from_the_list() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    h.key_press_modifiers(CTRL, Key::Comma);
    h.run();
    // The current zones with their offsets.
    assert!(h.get_all_by_label_contains("Now UTC+").count() >= 2);

    replace_text(&mut h, "Time zone", "riyadh");
    h.get_by_label("Asia/Riyadh  ·  UTC+03:00").click();
    h.run();
    // Words that name no zone are never taken for one.
    h.get_by_label("Add zone").click();
    h.run();
    replace_text(&mut h, "Zone 2", "atlantis");
    h.get_by_label("No time zone matches “atlantis”");
    h.get_by_label("Apply").click();
    h.run();
    h.get_by_label_contains("no time zone is called “atlantis”");
    assert_eq!(
        h.state().blog().settings.time_zone.zone.name(),
        "Europe/London"
    );

    replace_text(&mut h, "Zone 2", "lon");
    h.get_by_label_contains("Europe/London  ·  UTC").click();
    h.run();
    h.get_by_label("Apply").click();
    h.run();
    let settings = &h.state().blog().settings;
    assert_eq!(settings.time_zone.zone.name(), "Asia/Riyadh");
    let extra: Vec<&str> = settings
        .extra_zones
        .iter()
        .map(|zone| zone.zone.name())
        .collect();
    assert_eq!(extra, ["Asia/Riyadh", "Europe/London"]);
}

#[test]
fn with_auto_publish_a_post_whose_time_comes_is_republished_by_itself() {
    let folder = tempfile::tempdir().expect("temp dir");
    let site = folder.path().join("site");
    let due = Utc::now() + chrono::Duration::seconds(5);
    let mut blog = with_status("post-1447", EntryStatus::Scheduled { at: due });
    blog.settings.publish.target = site.display().to_string();
    blog.settings.publish.auto_publish = true;
    blog.settings.publish.auto_publish_seconds = 1;
    // The real clock: the publish thread and the editor agree on the time. The first
    // publish starts at once in the background, so the harness only steps.
    let mut h = unsettled_harness(NewsdeskApp::new_for_test(blog));
    let mut first_publish_left_it_out = false;
    for _ in 0..1000 {
        h.step();
        let index = std::fs::read_to_string(site.join("index.html")).unwrap_or_default();
        if !index.is_empty() && Utc::now() < due {
            first_publish_left_it_out |= !index.contains("id=\"post-1447\"");
        }
        if index.contains("id=\"post-1447\"") {
            assert!(first_publish_left_it_out, "published before its time");
            assert_eq!(status_of(&h, "post-1447"), EntryStatus::Published);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the scheduled post was never republished");
}
