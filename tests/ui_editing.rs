//! Editing, driven as a user would: real widgets and keys through egui_kittest, with the
//! accessibility check on. Each test asserts the resulting document through the session:
//! new posts, summaries and pinning, times, reordering, deleting, undo, find, the keyboard
//! alone, blog settings, the whole-page preview, F1 and the Checks panel.

use common::ui::*;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use newsdesk::edit::EntryField;
use newsdesk::model::{EntryKind, EntryStatus};
use newsdesk::ui::{FindQuery, NewsdeskApp};

mod common;

// ---- 1. New post ---------------------------------------------------------------------

#[test]
fn new_post_is_a_draft_on_top_with_focus_in_its_body_and_publishes_with_ctrl_enter() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    let before = chrono::Utc::now() - chrono::Duration::seconds(1);
    let count = h.state().blog().entries.len();
    h.key_press_modifiers(CTRL, Key::N);
    h.run();

    let app = h.state();
    assert_eq!(app.blog().entries.len(), count + 1);
    let post = &app.blog().entries[0];
    assert_eq!(app.selected(), Some(&post.id));
    assert_eq!(post.status, EntryStatus::Draft);
    assert_eq!(post.kind, EntryKind::Post);
    assert!(post.display_time >= before && post.display_time <= chrono::Utc::now());
    let new_id = post.id.clone();

    // Focus is already in the body: typing goes there.
    h.get_by_label("Body")
        .type_text("Talks have ended in Riyadh. Lavrov");
    h.run();
    // The formatting bar acts at the cursor: Bold then typing lands between the markers.
    h.get_by_label("Bold").click();
    h.run();
    h.get_by_label("Body").type_text("spoke");
    h.run();
    replace_text(&mut h, "Headline", "Talks end");
    h.get_by_label("Add byline").click();
    h.run();
    replace_text(&mut h, "Name 1", "Deborah Haynes");
    replace_text(&mut h, "Role", "security and defence editor");
    h.get_by_label("Image").click();
    h.run();
    replace_text(&mut h, "Image URL", "https://example.com/riyadh.jpg");
    replace_text(&mut h, "Alt text", "Delegates at the table");
    h.get_by_label("Key event").click();
    h.run();

    h.key_press_modifiers(CTRL, Key::Enter);
    h.run();

    let post = h
        .state()
        .blog()
        .entry(&new_id)
        .expect("the new post exists")
        .clone();
    assert_eq!(post.body, "Talks have ended in Riyadh. Lavrov**spoke**");
    assert_eq!(post.headline, "Talks end");
    assert_eq!(post.bylines.len(), 1);
    assert_eq!(post.bylines[0].name, "Deborah Haynes");
    assert_eq!(post.bylines[0].role, "security and defence editor");
    match &post.media {
        Some(newsdesk::model::Media::Image { url, alt, .. }) => {
            assert_eq!(url, "https://example.com/riyadh.jpg");
            assert_eq!(alt, "Delegates at the table");
        }
        other => panic!("expected an image, found {other:?}"),
    }
    assert!(post.flags.key_event);
    assert_eq!(post.status, EntryStatus::Published);
}

// ---- 2. Summaries and pinning ----------------------------------------------------------

#[test]
fn pinning_reordering_pins_and_unpinning_returns_the_entry_to_its_place() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    let order_before = ids(h.state());
    select_row(&mut h, "2.05pm Lavrov: NATO troops");
    assert_eq!(h.state().selected(), Some(&id("post-1405")));

    h.key_press_modifiers(CTRL, Key::P);
    h.run();
    assert_eq!(
        h.state().blog().pinned,
        vec![id("post-1405"), id("summary-1430")]
    );

    // Alt+Down moves it down the pinned list.
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowDown);
    h.run();
    assert_eq!(
        h.state().blog().pinned,
        vec![id("summary-1430"), id("post-1405")]
    );

    h.key_press_modifiers(CTRL, Key::P);
    h.run();
    assert_eq!(h.state().blog().pinned, vec![id("summary-1430")]);
    assert_eq!(
        ids(h.state()),
        order_before,
        "unpinning returns it to its place"
    );

    h.key_press_modifiers(CTRL_SHIFT, Key::M);
    h.run();
    let summary = &h.state().blog().entries[0];
    assert_eq!(summary.kind, EntryKind::Summary);
    assert!(summary.is_draft());
}

// ---- 3. Time ---------------------------------------------------------------------------

#[test]
fn time_is_set_with_now_or_typed_in_the_blog_zone_with_extra_zones_beside_it() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    select_row(&mut h, "2.47pm Negotiations");
    let post = id("post-1447");

    // Typed in the blog's zone (UK, GMT in February), committed with Enter.
    replace_text(&mut h, "Time (UK)", "2025-02-18");
    replace_text(&mut h, "at", "3.05pm");
    h.key_press(Key::Enter);
    h.run();
    let time = h.state().blog().entry(&post).unwrap().display_time;
    assert_eq!(time.to_rfc3339(), "2025-02-18T15:05:00+00:00");
    // Shown with its label, and the extra zone beside it.
    h.get_by_label("3.05pm UK");
    h.get_by_label("· 6.05pm Saudi Arabia");

    // A mistake is explained inline and changes nothing.
    replace_text(&mut h, "at", "25:99");
    h.get_by_label_contains("is not a time");
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(h.state().blog().entry(&post).unwrap().display_time, time);

    // Saving while still typing a time keeps what was typed.
    replace_text(&mut h, "at", "4.10pm");
    h.key_press_modifiers(CTRL, Key::S);
    h.run();
    let typed = h.state().blog().entry(&post).unwrap().display_time;
    assert_eq!(typed.to_rfc3339(), "2025-02-18T16:10:00+00:00");
    h.get_by_label("Cancel").click();
    h.run();

    let before = chrono::Utc::now() - chrono::Duration::seconds(1);
    h.get_by_label("Now").click();
    h.run();
    let now = h.state().blog().entry(&post).unwrap().display_time;
    assert!(now >= before && now <= chrono::Utc::now(), "{now}");
}

// ---- 4. Reorder ------------------------------------------------------------------------

#[test]
fn alt_arrows_move_the_selection_misplaced_rows_are_marked_and_sort_by_time_fixes_it() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    let sorted = ids(h.state());
    assert!(h.query_by_label_contains("out of order").is_none());

    select_row(&mut h, "1.40pm Sergei Lavrov");
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowUp);
    h.run();
    let moved = ids(h.state());
    let lavrov = moved.iter().position(|i| i == "post-1340").unwrap();
    let nato = moved.iter().position(|i| i == "post-1405").unwrap();
    assert_eq!(lavrov + 1, nato, "1.40pm moved above 2.05pm");
    // Its place now disagrees with its time: both rows of the pair are marked.
    assert_eq!(h.query_all_by_label_contains("out of order").count(), 2);

    h.get_by_label("Sort by time").click();
    h.run();
    assert_eq!(ids(h.state()), sorted);
    assert!(h.query_by_label_contains("out of order").is_none());
    // Sorting was one undoable step.
    h.key_press_modifiers(CTRL, Key::Z);
    h.run();
    assert_eq!(ids(h.state()), moved);
}

#[test]
fn dragging_a_row_onto_another_moves_it_there() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    let from = h
        .get_by_label_contains("11.00am First round")
        .rect()
        .center();
    let target = h.get_by_label_contains("2.05pm Lavrov: NATO").rect();
    let to = egui::pos2(target.center().x, target.top() + 4.0);
    h.hover_at(from);
    h.run();
    h.drag_at(from);
    h.step();
    for step in 1..=6 {
        let t = step as f32 / 6.0;
        h.hover_at(from + (to - from) * t);
        h.step();
    }
    h.drop_at(to);
    h.run();
    let order = ids(h.state());
    let moved = order.iter().position(|i| i == "post-1100").unwrap();
    let target = order.iter().position(|i| i == "post-1405").unwrap();
    assert_eq!(
        moved + 1,
        target,
        "dropped on the top half lands above: {order:?}"
    );
}

// ---- 5. Delete -------------------------------------------------------------------------

#[test]
fn delete_key_removes_the_entry_and_the_toast_offers_undo() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    let before = ids(h.state());
    select_row(&mut h, "1.40pm Sergei Lavrov");
    h.key_press(Key::Delete);
    h.run();
    assert!(h.state().blog().entry(&id("post-1340")).is_none());
    assert_eq!(h.state().blog().entries.len(), before.len() - 1);

    h.get_by_label_contains("Deleted “Sergei Lavrov");
    h.get_by_label("Undo").click();
    h.run();
    assert_eq!(ids(h.state()), before);
}

// ---- 6. Undo and redo ------------------------------------------------------------------

#[test]
fn typing_is_one_undo_step_per_pause_and_ctrl_z_undoes_the_document_even_in_a_field() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    select_row(&mut h, "2.47pm Negotiations");
    let post = id("post-1447");
    let original = h.state().blog().entry(&post).unwrap().headline.clone();
    let steps_before = h.state().session().history().undo_len();

    h.get_by_label("Headline").focus();
    h.run();
    h.key_press(Key::End);
    // A burst of typing (each step is a quarter of a second)...
    for letter in [" ", "n", "o", "w"] {
        h.get_by_label("Headline").type_text(letter);
        h.step();
    }
    // ...then a pause longer than a second, then more.
    h.run_steps(6);
    h.get_by_label("Headline").type_text("!");
    h.run();
    assert_eq!(
        h.state().blog().entry(&post).unwrap().headline,
        format!("{original} now!")
    );
    assert_eq!(h.state().session().history().undo_len(), steps_before + 2);

    // Ctrl+Z with the field focused is document undo: one pause at a time.
    h.key_press_modifiers(CTRL, Key::Z);
    h.run();
    assert_eq!(
        h.state().blog().entry(&post).unwrap().headline,
        format!("{original} now")
    );
    h.key_press_modifiers(CTRL, Key::Z);
    h.run();
    assert_eq!(h.state().blog().entry(&post).unwrap().headline, original);
    // The field shows the document's text, not its own memory of it.
    assert_eq!(
        h.get_by_label("Headline").value().as_deref(),
        Some(original.as_str())
    );

    h.key_press_modifiers(CTRL_SHIFT, Key::Z);
    h.run();
    assert_eq!(
        h.state().blog().entry(&post).unwrap().headline,
        format!("{original} now")
    );
    h.key_press_modifiers(CTRL, Key::Y);
    h.run();
    assert_eq!(
        h.state().blog().entry(&post).unwrap().headline,
        format!("{original} now!")
    );

    // Structural changes undo too: pinning.
    h.key_press_modifiers(CTRL, Key::P);
    h.run();
    assert!(h.state().blog().is_pinned(&post));
    h.key_press_modifiers(CTRL, Key::Z);
    h.run();
    assert!(!h.state().blog().is_pinned(&post));
}

// ---- 7. Find and filter ----------------------------------------------------------------

#[test]
fn find_filters_by_text_byline_status_and_flags_and_escape_clears() {
    let blog = sample();
    let expect = |query: FindQuery| blog.entries.iter().filter(|e| query.matches(e)).count();
    let mut h = harness(NewsdeskApp::new_for_test(blog.clone()));
    let all = h.state().filtered_count();
    assert_eq!(all, blog.entries.len());

    h.key_press_modifiers(CTRL, Key::F);
    h.run();
    h.get_by_label("Find").type_text("lavrov");
    h.run();
    let lavrov = FindQuery {
        text: "lavrov".into(),
        ..FindQuery::default()
    };
    assert_eq!(h.state().filtered_count(), expect(lavrov.clone()));
    assert!(h.state().filtered_count() < all && h.state().filtered_count() > 0);

    h.get_by_label("Key events").click();
    h.run();
    let key_lavrov = FindQuery {
        key_events_only: true,
        ..lavrov
    };
    assert_eq!(h.state().filtered_count(), expect(key_lavrov));

    h.key_press(Key::Escape);
    h.run();
    assert_eq!(h.state().filtered_count(), all);

    h.key_press_modifiers(CTRL, Key::F);
    h.run();
    h.get_by_label("Byline").focus();
    h.run();
    h.get_by_label("Byline").type_text("haynes");
    h.run();
    let haynes = FindQuery {
        byline: "haynes".into(),
        ..FindQuery::default()
    };
    assert_eq!(h.state().filtered_count(), expect(haynes));
    assert!(h.state().filtered_count() >= 1);
}

// ---- Keyboard alone --------------------------------------------------------------------

#[test]
fn entries_can_be_chosen_and_edited_with_the_keyboard_alone() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    let first = h.state().selected().cloned();
    h.key_press_modifiers(CTRL, Key::ArrowDown);
    h.run();
    let second = h.state().selected().cloned();
    assert_ne!(first, second);
    h.key_press_modifiers(CTRL, Key::ArrowUp);
    h.run();
    assert_eq!(h.state().selected().cloned(), first);
    h.key_press_modifiers(CTRL, Key::N);
    h.run();
    h.get_by_label("Body").type_text("Typed without a mouse.");
    h.run();
    let selected = h.state().selected().cloned().unwrap();
    assert_eq!(
        h.state().blog().entry(&selected).unwrap().body,
        "Typed without a mouse."
    );
    // The document can be changed in every field through the session only: the last
    // change is an undo step like any other.
    assert_eq!(
        h.state().session().history().undo_label(),
        Some(EntryField::Body(String::new()).describe())
    );
}

// ---- Blog settings, whole-page preview, help --------------------------------------------

#[test]
fn blog_settings_are_edited_in_a_dialog_and_applied_as_one_undoable_step() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    let original = h.state().blog().clone();
    h.key_press_modifiers(CTRL, Key::Comma);
    h.run();
    replace_text(&mut h, "Title", "Ukraine war: talks end in Riyadh");
    replace_text(&mut h, "Zone label", "London");
    h.get_by_label("Ended").click();
    h.run();
    // A mistake is explained and nothing changes: typed words that name no zone.
    replace_text(&mut h, "Time zone", "Europe/Atlantis");
    h.get_by_label("Apply").click();
    h.run();
    h.get_by_label_contains("no time zone is called");
    assert_eq!(h.state().blog(), &original);

    replace_text(&mut h, "Time zone", "Europe/London");
    h.get_by_label("Apply").click();
    h.run();
    let blog = h.state().blog();
    assert_eq!(blog.settings.title, "Ukraine war: talks end in Riyadh");
    assert_eq!(blog.settings.time_zone.label, "London");
    assert_eq!(blog.settings.status, newsdesk::model::BlogStatus::Ended);
    // Times follow the new label.
    h.get_by_label("2.30pm London");
    h.get_by_label("Time (London)");

    h.key_press_modifiers(CTRL, Key::Z);
    h.run();
    assert_eq!(h.state().blog(), &original);
}

#[test]
fn the_whole_page_preview_shows_published_entries_and_leaves_drafts_out() {
    let mut blog = sample();
    std::sync::Arc::make_mut(&mut blog.entries[1]).headline = "A draft nobody should see".into();
    std::sync::Arc::make_mut(&mut blog.entries[1]).status = EntryStatus::Draft;
    let mut h = harness(NewsdeskApp::new_for_test(blog));
    h.get_by_label("Whole page").click();
    h.run();
    assert!(h.state().state.preview_whole_page);
    // The page's title, and its first published post, as readers see them.
    h.get_by_label(
        "Ukraine war latest: US and Russia wrap up first round of peace talks in Saudi Arabia",
    );
    h.get_by_label("Negotiations ‘should not take place behind our backs’, says Zelenskyy");
    assert!(
        h.query_by_label("A draft nobody should see").is_none(),
        "drafts are not on the page"
    );
    // Published, it appears in its place.
    select_row(&mut h, "A draft nobody");
    h.key_press_modifiers(CTRL, Key::Enter);
    h.run();
    h.get_by_label("A draft nobody should see");
}

#[test]
fn f1_lists_every_command_with_its_keys() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    h.key_press(Key::F1);
    h.run();
    // The dialog's heading, besides the command's own row.
    assert_eq!(h.query_all_by_label("Keyboard shortcuts").count(), 2);
    for command in newsdesk::ui::UiCommand::ALL {
        assert!(
            h.query_all_by_label(command.help()).count() >= 1,
            "{command:?} is missing from the list"
        );
    }
    // Through accessibility: the button a screen reader would press.
    h.get_by_label("Close").click_accesskit();
    h.run();
    assert_eq!(h.query_all_by_label("Keyboard shortcuts").count(), 0);
}

#[test]
fn the_checks_panel_lists_problems_and_a_click_jumps_to_the_entry() {
    let mut blog = sample();
    blog.pinned.clear();
    // Keep the summary, whose links now point at posts that are gone.
    blog.entries.truncate(2);
    let mut h = harness(NewsdeskApp::new_for_test(blog));
    assert_eq!(h.state().selected(), Some(&id("post-1447")));
    h.key_press_modifiers(CTRL_SHIFT, Key::C);
    h.run();
    assert!(h.state().state.show_checks);
    let rows = h.query_all_by_label_contains("Error").count();
    assert!(rows >= 1, "the broken links are listed");
    h.query_all_by_label_contains("Error")
        .next()
        .expect("a problem row")
        .click();
    h.run();
    assert_eq!(h.state().selected(), Some(&id("summary-1430")));
}

#[test]
fn right_to_left_paragraphs_align_right_in_the_preview() {
    let mut blog = sample();
    let entry = std::sync::Arc::make_mut(&mut blog.entries[0]);
    entry.headline = "Talks".into();
    entry.body = "قال الوزير إن المحادثات مستمرة.\n\nThe minister said talks go on.".into();
    let first = entry.id.clone();
    let mut app = NewsdeskApp::new_for_test(blog);
    app.select(first);
    let h = harness(app);
    let arabic = h.get_by_label("قال الوزير إن المحادثات مستمرة.").rect();
    let english = h.get_by_label("The minister said talks go on.").rect();
    // Both short lines in the same column: one hugs the right edge, the other the left.
    assert!(
        arabic.right() > english.right() + 40.0,
        "{arabic:?} {english:?}"
    );
    assert!(
        arabic.left() > english.left() + 40.0,
        "{arabic:?} {english:?}"
    );
}
