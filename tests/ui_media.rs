//! Pictures and embeds in the editor, driven as a user would: Add image… with the typed
//! path, a dropped picture file, a pasted picture and a pasted file path, the previews in
//! the editor and the timeline, undo, and a post's link pasted into the embed field.

use common::ui::*;
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use newsdesk::model::{EmbedCard, Media};
use newsdesk::ui::NewsdeskApp;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

mod common;

/// The sample saved in a fresh folder, and a photo beside it to add.
fn saved_sample() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let folder = tempfile::tempdir().unwrap();
    let document = folder.path().join("talks.ron");
    newsdesk::storage::save(&document, &sample()).unwrap();
    let photo = folder.path().join("riyadh.png");
    image::RgbImage::from_fn(300, 200, |x, _| image::Rgb([(x % 255) as u8, 80, 120]))
        .save(&photo)
        .unwrap();
    (folder, document, photo)
}

fn media_of(h: &Harness<'_, NewsdeskApp>, entry: &str) -> Option<Media> {
    h.state().blog().entry(&id(entry)).unwrap().media.clone()
}

/// Opens `document`, selects the 2.47pm post and drops `photo` on the window; the editor and
/// the picture's stored path.
fn drop_photo_on_the_1447_post(
    document: std::path::PathBuf,
    photo: std::path::PathBuf,
) -> (Harness<'static, NewsdeskApp>, String) {
    let mut h = harness(NewsdeskApp::new_for_test_with_file(document).unwrap());
    select_row(&mut h, "2.47pm Negotiations");
    h.input_mut().dropped_files.push(Arc::new(Dropped(photo)));
    wait_for_jobs(&mut h);
    let url = local_picture(&h, "post-1447");
    (h, url)
}

fn local_picture(h: &Harness<'_, NewsdeskApp>, entry: &str) -> String {
    match media_of(h, entry) {
        Some(Media::Image { url, .. }) => url,
        other => panic!("expected a picture, found {other:?}"),
    }
}

/// Steps until a widget labelled `label` shows up (previews load on their own threads).
fn wait_for_label(h: &mut Harness<'_, NewsdeskApp>, label: &str) {
    for _ in 0..300 {
        h.step();
        // The editor and the preview both show the picture.
        if h.query_all_by_label_contains(label).next().is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("nothing labelled {label:?} appeared");
}

/// Steps until some node's label satisfies `wanted`.
fn wait_for_picture(h: &mut Harness<'_, NewsdeskApp>, wanted: impl Fn(&str) -> bool) {
    for _ in 0..300 {
        h.step();
        if h.query_all_by_label_contains("icture")
            .any(|node| wanted(&node.accesskit_node().label().unwrap_or_default()))
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let shown: Vec<String> = h
        .query_all_by_label_contains("icture")
        .map(|node| node.accesskit_node().label().unwrap_or_default())
        .collect();
    panic!("the picture did not appear; shown: {shown:?}");
}

#[test]
fn add_image_copies_the_picture_beside_the_document_and_undo_takes_it_back() {
    let (folder, document, photo) = saved_sample();
    let mut h = harness(NewsdeskApp::new_for_test_with_file(document).unwrap());
    select_row(&mut h, "2.47pm Negotiations");
    assert_eq!(media_of(&h, "post-1447"), None);

    // No desktop portal here: Add image… asks for the path inside the app.
    h.get_by_label("Add image…").click();
    h.run();
    h.get_by_label("File path")
        .type_text(&photo.display().to_string());
    h.run();
    h.get_by_label("Add").click();
    wait_for_jobs(&mut h);

    let url = local_picture(&h, "post-1447");
    assert!(
        url.starts_with("talks.media/") && url.ends_with(".jpg"),
        "{url}"
    );
    assert!(folder.path().join(&url).is_file());
    // The editor shows the picture itself, and asks for its alt text.
    wait_for_picture(&mut h, |label| label == "Picture");
    assert!(
        h.query_all_by_label_contains("Loading picture")
            .next()
            .is_none()
    );
    h.get_by_label("Alt text")
        .type_text("Delegates at the table");
    h.run();
    match media_of(&h, "post-1447") {
        Some(Media::Image { alt, .. }) => assert_eq!(alt, "Delegates at the table"),
        other => panic!("{other:?}"),
    }

    // Adding the picture was one step of its own.
    h.get_by_label("Headline").focus();
    h.run();
    h.key_press_modifiers(CTRL, Key::Z);
    h.run();
    h.key_press_modifiers(CTRL, Key::Z);
    h.run();
    assert_eq!(media_of(&h, "post-1447"), None);
}

#[test]
fn an_untitled_blog_asks_to_be_saved_before_it_takes_pictures() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    select_row(&mut h, "2.47pm Negotiations");
    h.get_by_label("Add image…").click();
    h.run();
    assert!(h.query_by_label("File path").is_none(), "no dialog opens");
    h.get_by_label_contains("Save the blog first (Ctrl+S) to add pictures from disk");
    assert_eq!(media_of(&h, "post-1447"), None);
}

#[test]
fn a_picture_dropped_on_the_window_goes_into_the_selected_post_and_its_row() {
    let (folder, document, photo) = saved_sample();
    let (mut h, url) = drop_photo_on_the_1447_post(document, photo);
    assert!(folder.path().join(url).is_file());
    // The timeline row shows the preview too (and says so to a screen reader).
    wait_for_picture(&mut h, |label| {
        label.contains("says Zelenskyy") && label.ends_with(", picture")
    });
}

#[test]
fn pasting_a_copied_picture_or_a_picture_files_path_adds_it() {
    let (folder, document, photo) = saved_sample();
    let mut h = harness(NewsdeskApp::new_for_test_with_file(document).unwrap());
    select_row(&mut h, "2.47pm Negotiations");

    let pixels = egui::ColorImage::new([40, 30], vec![egui::Color32::from_rgb(200, 30, 30); 1200]);
    h.event(egui::Event::PasteImage(Arc::new(pixels)));
    wait_for_jobs(&mut h);
    let pasted = local_picture(&h, "post-1447");
    let written = image::open(folder.path().join(&pasted)).unwrap();
    assert_eq!((written.width(), written.height()), (40, 30));

    // A copied file is pasted as its path (file managers give file:// addresses), outside
    // a text field: the alt text has focus after adding a picture.
    h.key_press(Key::Escape);
    h.run();
    let address = format!("file://{}", photo.display().to_string().replace(' ', "%20"));
    h.event(egui::Event::Paste(address));
    wait_for_jobs(&mut h);
    let from_file = local_picture(&h, "post-1447");
    assert_ne!(from_file, pasted);
    let written = image::open(folder.path().join(&from_file)).unwrap();
    assert_eq!((written.width(), written.height()), (300, 200));
}

#[test]
fn a_picture_that_cannot_be_shown_says_so_in_place() {
    let (_folder, document, _photo) = saved_sample();
    let mut h = harness(NewsdeskApp::new_for_test_with_file(document).unwrap());
    select_row(&mut h, "2.47pm Negotiations");
    h.get_by_label("Image").click();
    h.run();
    replace_text(&mut h, "Image URL", "talks.media/0123456789abcdef.jpg");
    h.get_by_label_contains("is missing: put the media folder back");
    wait_for_label(&mut h, "Picture not shown. The picture file is missing.");
}

#[test]
fn the_checks_panel_lists_a_picture_whose_file_is_missing_in_its_entrys_place() {
    let (_folder, document, _photo) = saved_sample();
    let mut h = harness(NewsdeskApp::new_for_test_with_file(document).unwrap());
    h.key_press_modifiers(CTRL_SHIFT, Key::C);
    h.run();
    let missing = "talks.media/0123456789abcdef.jpg is not beside the document";
    assert!(h.query_by_label_contains(missing).is_none());
    select_row(&mut h, "2.47pm Negotiations");
    h.get_by_label("Image").click();
    h.run();
    replace_text(&mut h, "Image URL", "talks.media/0123456789abcdef.jpg");
    // Checks run once typing pauses.
    wait_for_label(&mut h, missing);
    let problems = &h.state().checks_shown().problems;
    let at = problems
        .iter()
        .position(|p| p.message.contains(missing))
        .unwrap();
    assert_eq!(problems[at].entry.as_ref().unwrap().as_str(), "post-1447");
    // In timeline order: nothing before it belongs to a later entry.
    let blog = h.state().blog();
    let place = |p: &newsdesk::checks::Problem| {
        p.entry
            .as_ref()
            .map_or(0, |id| blog.position(id).unwrap() + 1)
    };
    assert!(
        problems[..at]
            .iter()
            .all(|p| place(p) <= place(&problems[at]))
    );
    assert!(
        problems[at..]
            .iter()
            .all(|p| place(p) >= place(&problems[at]))
    );
}

/// Chooses Post embed afresh and pastes `link` into its Post link field.
fn paste_post_link(h: &mut Harness<'_, NewsdeskApp>, link: &str) {
    h.get_by_label("No media").click();
    h.run();
    h.get_by_label("Post embed").click();
    h.run();
    h.get_by_label("Post link").focus();
    h.run();
    h.event(egui::Event::Paste(link.into()));
    // A fetch starts at once, in the background.
    h.step();
}

#[test]
fn a_post_link_pasted_into_the_embed_field_makes_a_card() {
    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    select_row(&mut h, "2.47pm Negotiations");

    // Instagram needs a key: the card is filled in by hand, and the page shows it.
    paste_post_link(&mut h, "https://www.instagram.com/p/DGL2x/");
    h.run();
    h.get_by_label_contains("Instagram shares posts only with a key");
    replace_text(&mut h, "Author", "Sky News (@skynews)");
    replace_text(&mut h, "Post text", "Delegates arrive in Riyadh");
    assert_eq!(
        media_of(&h, "post-1447"),
        Some(Media::Embed(EmbedCard {
            url: "https://www.instagram.com/p/DGL2x/".into(),
            author: "Sky News (@skynews)".into(),
            text: "Delegates arrive in Riyadh".into(),
            ..EmbedCard::default()
        }))
    );
    let page = newsdesk::export::render_entry(
        h.state().blog(),
        h.state().blog().entry(&id("post-1447")).unwrap(),
    );
    assert!(page.contains("embed-card") && page.contains("Delegates arrive in Riyadh"));

    // An X post is fetched at once (no internet here: the card keeps the service's name,
    // ready to be filled in; with internet, its text too).
    paste_post_link(&mut h, "https://x.com/SkyNews/status/1891789");
    wait_for_jobs(&mut h);
    match media_of(&h, "post-1447") {
        Some(Media::Embed(card)) => {
            assert_eq!(card.url, "https://x.com/SkyNews/status/1891789");
            assert_eq!(card.provider, "X");
        }
        other => panic!("{other:?}"),
    }

    // A YouTube link is the page's video player.
    paste_post_link(&mut h, "https://youtu.be/dQw4w9WgXcQ");
    h.run();
    assert_eq!(
        media_of(&h, "post-1447"),
        Some(Media::Video {
            url: "https://youtu.be/dQw4w9WgXcQ".into(),
            caption: String::new()
        })
    );
}

#[test]
fn save_as_elsewhere_takes_the_pictures_along() {
    let (folder, document, photo) = saved_sample();
    let (mut h, url) = drop_photo_on_the_1447_post(document, photo);
    assert!(folder.path().join(&url).is_file());

    let elsewhere = tempfile::tempdir().unwrap();
    let copy = elsewhere.path().join("copy.ron");
    h.get_by_label("Headline").focus();
    h.run();
    h.key_press_modifiers(CTRL_SHIFT, Key::S);
    h.run();
    h.get_by_label("File path").focus();
    h.key_press_modifiers(CTRL, Key::A);
    h.get_by_label("File path")
        .type_text(&copy.display().to_string());
    h.run();
    h.get_by_label("Save").click();
    wait_for_jobs(&mut h);
    assert_eq!(h.state().file_path(), Some(copy.as_path()));
    // Same relative path in the new folder: the document and its page still find it.
    assert!(elsewhere.path().join(&url).is_file());
    assert!(newsdesk::media::missing_media(h.state().blog(), &copy).is_empty());
}

#[test]
fn a_web_picture_is_previewed_once_fetched_and_an_unreachable_one_says_so() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}/riyadh.png", listener.local_addr().unwrap());
    let mut png = Vec::new();
    image::RgbImage::from_pixel(64, 40, image::Rgb([10, 120, 200]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    // Answers every request (the editor fetches the picture once; a test may ask again).
    std::thread::spawn(move || {
        use std::io::{BufRead, Write};
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                line.clear();
            }
            write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            png.len()
        )
        .unwrap();
            stream.write_all(&png).unwrap();
        }
    });

    let mut h = harness(NewsdeskApp::new_for_test(sample()));
    select_row(&mut h, "2.47pm Negotiations");
    h.get_by_label("Image").click();
    h.run();
    replace_text(&mut h, "Alt text", "Delegates");
    replace_text(&mut h, "Image URL", &address);
    wait_for_picture(&mut h, |label| label == "Picture: Delegates");

    // Nothing answers at this address: the placeholder says why there is no picture.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let nowhere = format!("http://{}/gone.png", closed.local_addr().unwrap());
    drop(closed);
    replace_text(&mut h, "Image URL", &nowhere);
    wait_for_picture(&mut h, |label| {
        label.starts_with("Picture not shown. Not available: offline")
    });
}

#[test]
fn a_long_blog_of_pictures_previews_only_the_rows_on_screen() {
    let folder = tempfile::tempdir().unwrap();
    let document = folder.path().join("long.ron");
    let mut blog = newsdesk::generate::generate(20_000, 3);
    for (index, entry) in blog.entries.iter_mut().enumerate() {
        Arc::make_mut(entry).media = Some(Media::Image {
            url: format!("long.media/{index:08}.jpg"),
            alt: "A picture".into(),
            caption: String::new(),
        });
    }
    newsdesk::storage::save(&document, &blog).unwrap();
    let mut h = harness(NewsdeskApp::new_for_test_with_file(document).unwrap());
    wait_for_picture(&mut h, |label| label.ends_with(", picture not available"));
    let on_screen = h
        .query_all_by_role(egui::accesskit::Role::ListBoxOption)
        .count();
    let asked = newsdesk::ui::cached_picture_previews(&h.ctx);
    assert!(
        on_screen < 30,
        "the timeline is virtualized: {on_screen} rows drawn"
    );
    // The rows drawn, the editor's and the preview's picture: nothing for the other rows.
    assert!(
        asked <= on_screen + 2,
        "{asked} pictures asked for, {on_screen} rows on screen"
    );
}
