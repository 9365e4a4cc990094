//! Two editors on one live blog, in one process, through a real sync server (`newsdesk
//! serve` on port 0): one shares from File > Share live blog…, the other joins with the
//! link from File > Join live blog…, and what one types shows in the other's timeline and
//! preview. Undo in a shared blog takes back only one's own change.

use egui::{Key, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use newsdesk::model::LiveBlog;
use newsdesk::ui::NewsdeskApp;
use std::time::{Duration, Instant};

mod common;
use common::server::start_server;
use common::ui::{CTRL, sample};

fn editor(blog: LiveBlog) -> Harness<'static, NewsdeskApp> {
    let mut harness = Harness::builder()
        .with_size(Vec2::new(1280.0, 800.0))
        .with_max_steps(64)
        .build_ui_state(|ui, app: &mut NewsdeskApp| app.ui(ui), blog_app(blog));
    harness.run();
    harness
}

fn blog_app(blog: LiveBlog) -> NewsdeskApp {
    NewsdeskApp::new_for_test(blog)
}

/// Steps both editors (their network threads run on their own) until `done` or 20 s.
fn step_until(
    a: &mut Harness<'_, NewsdeskApp>,
    b: &mut Harness<'_, NewsdeskApp>,
    what: &str,
    done: impl Fn(&NewsdeskApp, &NewsdeskApp) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done(a.state(), b.state()) || a.state().is_busy() || b.state().is_busy() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        a.step();
        b.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    a.run();
    b.run();
}

fn fill(harness: &mut Harness<'_, NewsdeskApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.key_press_modifiers(CTRL, Key::A);
    harness.get_by_label(label).type_text(text);
    harness.run();
}

#[test]
fn two_editors_share_one_blog_and_see_each_others_typing() {
    let data = tempfile::tempdir().unwrap();
    let (_server, address) = start_server(data.path());

    // Ana shares the sample.
    let mut ana = editor(sample());
    ana.get_by_label("File").click();
    ana.run();
    ana.get_by_label("Share live blog…").click();
    ana.run();
    fill(&mut ana, "Sync server", &format!("ws://{address}"));
    fill(&mut ana, "Your name, as the others see it", "Ana");
    ana.get_by_label("Share").click();
    ana.step();
    let mut bo = editor(LiveBlog::new("Bo's empty blog", chrono::Utc::now()));
    step_until(&mut ana, &mut bo, "the room", |a, _| {
        a.share_link().is_some()
    });
    ana.get_by_label("Your live blog is shared");
    let link = ana.state().share_link().unwrap();
    ana.get_by_label("Close").click();
    ana.run();

    // Bo joins with the link.
    bo.get_by_label("File").click();
    bo.run();
    bo.get_by_label("Join live blog…").click();
    bo.run();
    fill(&mut bo, "Share link", &link);
    fill(&mut bo, "Your name, as the others see it", "Bo");
    bo.get_by_label("Join").click();
    bo.step();
    step_until(&mut ana, &mut bo, "the joined blog", |a, b| {
        b.share_link().is_some() && b.blog() == a.blog()
    });
    bo.get_by_label("Close").click();
    bo.run();
    step_until(&mut ana, &mut bo, "both connected", |a, b| {
        a.sharing_status()
            .is_some_and(|s| s.contains("1 other editor"))
            && b.sharing_status()
                .is_some_and(|s| s.contains("1 other editor"))
    });
    bo.get_by_label_contains("Shared · connected · 1 other editor");

    // Ana types a headline into the post Bo has selected too.
    let first = ana.state().selected().cloned().unwrap();
    bo.state_mut().select(first.clone());
    bo.run();
    fill(&mut ana, "Headline", "Talks resume in Riyadh");
    step_until(&mut ana, &mut bo, "Ana's headline at Bo's", |_, b| {
        b.blog().entry(&first).unwrap().headline == "Talks resume in Riyadh"
    });
    // Bo sees it in the timeline and in the preview, and where Ana is.
    assert!(
        bo.query_all_by_label_contains("Talks resume in Riyadh")
            .count()
            >= 2,
        "timeline row and preview"
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while bo.query_by_label_contains("Ana is").is_none() {
        assert!(Instant::now() < deadline, "Bo never saw where Ana is");
        ana.step();
        bo.step();
        std::thread::sleep(Duration::from_millis(10));
    }

    // Bo types into the body meanwhile; Ana's undo takes back only her headline.
    let body_before = bo.state().blog().entry(&first).unwrap().body.clone();
    let label = "Body";
    bo.get_by_label(label).focus();
    bo.run();
    bo.key_press(Key::End);
    bo.get_by_label(label).type_text(" Bo was here.");
    bo.run();
    step_until(&mut ana, &mut bo, "Bo's words at Ana's", |a, _| {
        a.blog()
            .entry(&first)
            .unwrap()
            .body
            .ends_with(" Bo was here.")
    });
    ana.key_press_modifiers(CTRL, Key::Z);
    ana.run();
    step_until(&mut ana, &mut bo, "the undo at Bo's", |a, b| {
        a.blog() == b.blog() && b.blog().entry(&first).unwrap().headline != "Talks resume in Riyadh"
    });
    let body = &bo.state().blog().entry(&first).unwrap().body;
    assert!(
        body.ends_with(" Bo was here."),
        "Bo's typing survived: {body:?}"
    );
    assert_ne!(body, &body_before);
}

/// A file that was shared when last open opens like any file; its shared state is read in the
/// background and the room joined again, and what the editor typed meanwhile reaches the room.
#[test]
fn a_shared_file_reopens_and_rejoins_its_room_with_the_edits_made_at_once() {
    use newsdesk::sync::SharedBlog;
    use newsdesk::sync::net::{ShareLink, oneshot};
    let data = tempfile::tempdir().unwrap();
    let (_server, address) = start_server(data.path());
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("talks.ron");

    // A blog shared earlier: its room on the server, its file and shared state on disk.
    let shared = SharedBlog::create(&sample(), 7).unwrap();
    let server = newsdesk::sync::net::ServerAddress::parse(&format!("ws://{address}")).unwrap();
    let link = oneshot::create_room(&server, shared.snapshot().unwrap()).unwrap();
    let document = shared.to_blog().unwrap();
    newsdesk::storage::save(&file, &document).unwrap();
    newsdesk::sync::write_shared_state(
        shared.doc(),
        &link.to_string(),
        &SharedBlog::state_path(&file),
    )
    .unwrap();

    let mut h = editor(LiveBlog::new("Empty", chrono::Utc::now()));
    h.key_press_modifiers(CTRL, Key::O);
    h.run();
    h.get_by_label("File path")
        .type_text(&file.display().to_string());
    h.run();
    h.key_press(Key::Enter);
    let deadline = Instant::now() + Duration::from_secs(20);
    while h.state().file_path() != Some(file.as_path()) {
        assert!(Instant::now() < deadline, "the file never opened");
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    // Typed at once, whether or not the shared state has arrived yet.
    let first = h.state().selected().cloned().unwrap();
    h.get_by_label("Headline").focus();
    h.step();
    h.key_press_modifiers(CTRL, Key::A);
    h.get_by_label("Headline")
        .type_text("Typed while rejoining");
    h.step();

    let deadline = Instant::now() + Duration::from_secs(20);
    while !h
        .state()
        .sharing_status()
        .is_some_and(|status| status.starts_with("Shared · connected"))
    {
        assert!(Instant::now() < deadline, "the room was never joined again");
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(h.state().share_link(), Some(link.to_string()));
    // The room gets the headline.
    let link = ShareLink::parse(&link.to_string()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        h.step();
        let room = oneshot::fetch_room(&link).unwrap();
        let snapshot = room.export(loro::ExportMode::Snapshot).unwrap();
        let (_, in_room) = SharedBlog::from_snapshot(&snapshot).unwrap();
        if in_room.entry(&first).unwrap().headline == "Typed while rejoining" {
            break;
        }
        assert!(Instant::now() < deadline, "the edit never reached the room");
        std::thread::sleep(Duration::from_millis(50));
    }
}
